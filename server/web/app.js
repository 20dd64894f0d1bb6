// The map page of `diachi serve`: MapLibre GL JS over the server's live tiles, a search box with
// completions, popups with a household's code, its check character and QR code, the code an
// empty cell would get, and staff mode (a token entered once) to register households by
// clicking the map. Vietnamese and English.
'use strict';

const TEXT = {
  vi: {
    search_placeholder: 'Mã địa chỉ hoặc địa chỉ, ví dụ: số 5 thôn Liên Trì 2, Yên Hòa',
    staff_mode: 'Cán bộ', staff_on: 'Cán bộ: bật', token_prompt: 'Mã truy cập của cán bộ:',
    register_title: 'Đăng ký hộ mới tại đây', house_number: 'Số nhà', street: 'Đường, ngõ',
    hamlet: 'Thôn, xóm, tổ', head: 'Chủ hộ', phone: 'Điện thoại', register: 'Đăng ký',
    registered: 'Đã đăng ký', code: 'Mã', check: 'ký tự kiểm tra', cell_would_get: 'Ô này sẽ nhận mã',
    outside: 'Ngoài các xã đã có', not_found: 'Không tìm thấy', failed: 'Lỗi', households: 'hộ',
    read_as: 'đọc là',
  },
  en: {
    search_placeholder: 'Address code or address, e.g. so 5 thon Lien Tri 2, Yen Hoa',
    staff_mode: 'Staff', staff_on: 'Staff: on', token_prompt: 'Staff access token:',
    register_title: 'Register a household here', house_number: 'House number', street: 'Street, alley',
    hamlet: 'Hamlet', head: 'Head of household', phone: 'Phone', register: 'Register',
    registered: 'Registered', code: 'Code', check: 'check character', cell_would_get: 'This cell would get',
    outside: 'Outside the known communes', not_found: 'Not found', failed: 'Error', households: 'households',
    read_as: 'read as',
  },
};
let lang = localStorage.getItem('diachi.lang') || 'vi';
const t = (key) => TEXT[lang][key] || key;

function applyLanguage() {
  document.documentElement.lang = lang;
  document.getElementById('lang').textContent = lang === 'vi' ? 'EN' : 'VI';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  updateStaffButton();
}

let token = localStorage.getItem('diachi.token') || '';
function updateStaffButton() {
  const button = document.getElementById('staff');
  button.textContent = token ? t('staff_on') : t('staff_mode');
  button.classList.toggle('on', Boolean(token));
}

const status = (text) => { document.getElementById('status').textContent = text || ''; };
const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
  return { ok: response.ok, status: response.status, body };
}

const map = new maplibregl.Map({ container: 'map', style: '/style.json', hash: true, attributionControl: { compact: true } });
map.addControl(new maplibregl.NavigationControl(), 'top-right');
map.addControl(new maplibregl.GeolocateControl({ positionOptions: { enableHighAccuracy: true } }), 'top-right');
window.diachiMap = map;  // for tests and the console

// --- popups ---------------------------------------------------------------------------------

function householdHtml(h) {
  const checked = h.display_checked || h.display;
  const [main, unit] = checked.split('/');
  const dash = main.lastIndexOf('-');
  const code = dash > 0 ? `${escape(main.slice(0, dash))}-<span class="check" title="${t('check')}">${escape(main.slice(dash + 1))}</span>` : escape(main);
  const address = [h.address.house_number, h.address.street, h.address.hamlet, h.address.commune, h.address.province]
    .filter(Boolean).map(escape).join(', ');
  const personal = h.personal ? `<div>${escape(h.personal.head_of_household)} ${escape(h.personal.phone)}</div>` : '';
  return `<div class="popup" data-code="${escape(h.code)}"><div class="code">${code}${unit ? '/' + escape(unit) : ''}</div>` +
    `<div>${address}</div>${personal}<img class="qr" alt="QR" src="/v1/codes/${encodeURIComponent(h.code)}/qr.svg"></div>`;
}

let popup = null;
function showPopup(lngLat, html) {
  if (popup) popup.remove();
  popup = new maplibregl.Popup({ maxWidth: '300px' }).setLngLat(lngLat).setHTML(html).addTo(map);
  return popup;
}

async function showCode(code, lngLat) {
  const answer = await api(`/v1/codes/${encodeURIComponent(code)}`);
  if (!answer.ok || !answer.body.households.length) {
    status(`${t('not_found')}: ${code}`);
    return;
  }
  const h = answer.body.households[0];
  showPopup(lngLat || [Number(h.lng), Number(h.lat)], householdHtml(h));
}

async function showCell(lngLat) {
  const answer = await api(`/v1/where?lat=${lngLat.lat.toFixed(7)}&lng=${lngLat.lng.toFixed(7)}`);
  if (!answer.ok) {
    showPopup(lngLat, `<div class="popup">${t('outside')}</div>`);
    return;
  }
  const z = answer.body.zone;
  let html = `<div class="popup"><div>${escape(z.commune)}, ${escape(z.province)} · ${escape(z.postcode)}</div>` +
    (answer.body.cell_display ? `<div>${t('cell_would_get')}: <span class="code">${escape(answer.body.cell_display)}</span></div>` : '') + '</div>';
  const p = showPopup(lngLat, html);
  if (token) {
    const form = document.getElementById('register-form').content.firstElementChild.cloneNode(true);
    for (const el of form.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    form.addEventListener('submit', (event) => { event.preventDefault(); register(lngLat, form); });
    p.getElement().querySelector('.popup').appendChild(form);
  }
}

async function register(lngLat, form) {
  const body = { lat: Number(lngLat.lat.toFixed(7)), lng: Number(lngLat.lng.toFixed(7)), source: 'map' };
  for (const input of form.querySelectorAll('input')) if (input.value) body[input.name] = input.value;
  const answer = await api('/v1/households', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!answer.ok) {
    status(`${t('failed')}: ${answer.body?.message || answer.status}`);
    return;
  }
  const h = answer.body.household;
  status(`${t('registered')}: ${h.display}`);
  refreshTiles();
  showPopup([Number(h.lng), Number(h.lat)], householdHtml(h));
}

function refreshTiles() {
  // Tiles are served with no-cache and an entity tag: asking again costs a 304 where nothing changed.
  const source = map.getSource('diachi');
  if (source && source.tiles) source.setTiles(source.tiles.slice());
}

map.on('click', (event) => {
  const features = map.queryRenderedFeatures(event.point, { layers: ['households', 'household-clusters'] });
  const f = features[0];
  if (f && f.properties.cluster) {
    map.easeTo({ center: event.lngLat, zoom: map.getZoom() + 2 });
  } else if (f) {
    showCode(f.properties.code, f.geometry.coordinates);
  } else {
    showCell(event.lngLat);
  }
});
for (const layer of ['households', 'household-clusters']) {
  map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
}

// --- search ---------------------------------------------------------------------------------

const input = document.getElementById('q');
const list = document.getElementById('suggestions');
let suggestTimer = 0;
let choices = [];

// The map's centre as the search's focus point (nearer first between equal readings), while
// it lies over Vietnam and its seas (the server refuses a focus elsewhere).
function near() {
  const c = map.getCenter();
  if (c.lat < 6 || c.lat > 24 || c.lng < 101 || c.lng > 118) return '';
  return `&near=${c.lat.toFixed(6)},${c.lng.toFixed(6)}`;
}

// How the text was read: each run of words and the place it was taken for.
function readingText(result) {
  return (result.reading || []).map((r) => `${r.text} → ${r.place || r.role}`).join(' · ');
}

function render(results) {
  choices = results;
  list.innerHTML = results.map((r, i) =>
    `<li role="option" data-i="${i}">${escape(r.household ? r.household.display + ' · ' : '')}${escape(r.label)}</li>`).join('');
  list.hidden = results.length === 0;
}

input.addEventListener('input', () => {
  clearTimeout(suggestTimer);
  const q = input.value.trim();
  if (q.length < 2) { render([]); return; }
  suggestTimer = setTimeout(async () => {
    const answer = await api(`/v1/suggest?q=${encodeURIComponent(q)}&limit=8${near()}`);
    if (answer.ok && input.value.trim() === q) render(answer.body.results);
  }, 150);
});
list.addEventListener('click', (event) => {
  const li = event.target.closest('li');
  if (li) go(choices[Number(li.dataset.i)]);
});

function go(result) {
  render([]);
  const center = [Number(result.lng), Number(result.lat)];
  const zoom = result.kind === 'household' ? 19 : result.kind === 'province' ? 9 : result.kind === 'commune' ? 13 : 16;
  map.flyTo({ center, zoom, speed: 2 });
  if (result.household) {
    map.once('moveend', () => showPopup(center, householdHtml(result.household)));
  }
  status(result.label);
  const read = readingText(result);
  if (read) {
    const span = document.createElement('span');
    span.className = 'reading';
    span.textContent = ` — ${t('read_as')}: ${read}`;
    document.getElementById('status').append(span);
  }
}

document.getElementById('search').addEventListener('submit', async (event) => {
  event.preventDefault();
  const q = input.value.trim();
  if (!q) return;
  const answer = await api(`/v1/search?q=${encodeURIComponent(q)}&limit=5${near()}`);
  if (answer.ok && answer.body.results.length) go(answer.body.results[0]);
  else status(`${t('not_found')}: ${q}`);
});

// --- staff mode and language ------------------------------------------------------------------

document.getElementById('staff').addEventListener('click', () => {
  if (token) {
    token = '';
    localStorage.removeItem('diachi.token');
  } else {
    const entered = (window.prompt(t('token_prompt')) || '').trim();
    if (entered) { token = entered; localStorage.setItem('diachi.token', token); }
  }
  updateStaffButton();
});
document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('diachi.lang', lang);
  applyLanguage();
});
applyLanguage();
