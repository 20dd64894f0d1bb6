// Drives the map page of `diachi serve` in Debian's Chromium (playwright-core): the page loads
// with no console errors, tiles render (MapLibre reports household features, the canvas is not
// blank), searching a known code (sending the map's centre) flies there, shows its popup and how
// the text was read, and staff mode registers a
// household by clicking the map, which then appears on the map. Saves a screenshot.
//
// usage: node map_page.mjs URL TOKEN CODE SCREENSHOT.png   (exit 0 when every check passes)
import { chromium } from 'playwright-core';

const [url, token, code, screenshot] = process.argv.slice(2);
const fail = (message) => { console.error(`map page: ${message}`); process.exitCode = 1; };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
         '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  page.on('dialog', (d) => d.accept(token));
  const searches = [];
  page.on('request', (r) => { if (r.url().includes('/v1/search?')) searches.push(r.url()); });

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.diachiMap && window.diachiMap.loaded() && window.diachiMap.isStyleLoaded(), null, { timeout: 30000 });

  // Search a known code: the map flies there and the popup shows it with its check character.
  await page.fill('#q', code);
  await page.press('#q', 'Enter');
  const popup = await page.waitForSelector('.maplibregl-popup .popup .code', { timeout: 20000 });
  const shown = (await popup.textContent()).replace(/\s+/g, ' ').trim();
  if (!shown.includes('-')) fail(`the popup's code has no check character: ${shown}`);
  await page.waitForFunction(() => !window.diachiMap.isMoving() && window.diachiMap.areTilesLoaded(), null, { timeout: 20000 });
  // The search sent the map's centre, and the status says how the text was read.
  if (!searches.some((u) => /[?&]near=-?\d+\.\d+,-?\d+\.\d+/.test(u))) fail(`no search sent near=: ${searches.join(' ')}`);
  const reading = await page.textContent('#status .reading').catch(() => '');
  if (!reading || !reading.includes(code.split(' ')[0])) fail(`the status does not show how the code was read: ${reading}`);
  const qr = await page.$('.maplibregl-popup img.qr');
  if (!qr || !(await qr.evaluate((img) => img.complete && img.naturalWidth > 0))) fail('the QR code did not load');

  // Tiles render: households are on the map, and the canvas has more than one colour.
  await page.waitForFunction(() => window.diachiMap.queryRenderedFeatures({ layers: ['households'] }).length > 0, null, { timeout: 20000 });
  // Pixels are read while the frame is drawn (the WebGL drawing buffer is not kept after it).
  const colours = await page.evaluate(() => new Promise((resolve) => {
    const map = window.diachiMap;
    map.once('render', () => {
      const gl = map.painter.context.gl;
      const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
      const data = new Uint8Array(w * h * 4);
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, data);
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4 * 7) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      resolve(seen.size);
    });
    map.triggerRepaint();
  }));
  if (colours < 3) fail(`the map canvas looks blank (${colours} colours)`);

  // Staff mode: enter the token, click empty ground, fill the form, register.
  await page.click('.maplibregl-popup-close-button').catch(() => {});
  await page.click('#staff');
  const before = await page.evaluate(() => window.diachiMap.queryRenderedFeatures({ layers: ['households'] }).length);
  const box = await page.$eval('#map', (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  // A point away from the centre (where the searched household is).
  const target = await page.evaluate(({ w, h }) => {
    const map = window.diachiMap;
    for (let dx = 60; dx < w / 2 - 20; dx += 23) {
      for (const [x, y] of [[w / 2 + dx, h / 2 + 40], [w / 2 - dx, h / 2 - 40]]) {
        if (map.queryRenderedFeatures([[x - 12, y - 12], [x + 12, y + 12]], { layers: ['households'] }).length === 0) return { x, y };
      }
    }
    return { x: w / 2 + 90, y: h / 2 + 90 };
  }, box);
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.waitForSelector('.maplibregl-popup form.register', { timeout: 10000 });
  await page.fill('form.register input[name=house_number]', '77');
  await page.fill('form.register input[name=hamlet]', 'Thôn Thử');
  await page.click('form.register button[type=submit]');
  await page.waitForFunction(() => /\d{5}/.test(document.getElementById('status').textContent), null, { timeout: 10000 });
  const registered = await page.textContent('#status');
  await page.waitForFunction((n) => window.diachiMap.areTilesLoaded() &&
      window.diachiMap.queryRenderedFeatures({ layers: ['households'] }).length > n, before, { timeout: 20000 })
    .catch(() => fail(`the registered household (${registered}) did not appear on the map`));

  await page.screenshot({ path: screenshot });
  if (errors.length) fail(`console errors: ${errors.join(' | ')} (failed requests: ${failed.join(', ')})`);
  console.log(`map page: ok (${shown}; ${registered}; ${colours} colours)`);
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
