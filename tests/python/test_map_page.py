"""The map page in a real browser: `diachi serve` on a sample store, driven by playwright-core
in Debian's Chromium (tests/js/map_page.mjs). The screenshot is kept as a test artifact in
$DIACHI_ARTIFACTS (default: the system's temporary folder)."""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess

import pytest

from conftest import cli, run_cli, store_on_sample_zones

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_map_page_in_chromium(tmp_path, sample_zones):
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium) or shutil.which("node") is None:
        pytest.skip("Chromium (Debian package chromium) or Node.js is absent")
    if not (ROOT / "tests/js/node_modules/playwright-core").exists():
        pytest.skip("playwright-core is not installed (npm ci --prefix tests/js)")
    if not (ROOT / "server/web/node_modules/maplibre-gl/dist/maplibre-gl.js").exists():
        pytest.skip("MapLibre GL JS is not installed (npm ci --prefix server/web)")
    store, households = store_on_sample_zones(tmp_path, sample_zones, 2000)
    run = run_cli
    first = households.read_text(encoding="utf-8").splitlines()[1].split(",")
    nearest = json.loads(run("reverse", first[1], first[2], "--k", 1, "--json", "--store", store).stdout)
    code = nearest["nearest"][0]["household"]["display"]
    token = run("token", "create", "--role", "staff", "--label", "browser test", "--store", store).stdout.strip()

    server = subprocess.Popen([cli(), "serve", "--db", str(store), "--port", "0", "--threads", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in server.stdout:
            m = re.search(r"(http://[\d.]+:\d+/)", line)
            if m:
                url = m.group(1)
                break
        assert url, "diachi serve printed no URL"
        artifacts = pathlib.Path(os.environ.get("DIACHI_ARTIFACTS", tmp_path))
        artifacts.mkdir(parents=True, exist_ok=True)
        shot = artifacts / "map_page.png"
        result = subprocess.run(["node", str(ROOT / "tests/js/map_page.mjs"), url, token, code, str(shot)],
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr + result.stdout
        assert shot.stat().st_size > 10_000
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            assert server.wait(timeout=15) == 0, "diachi serve did not stop cleanly on SIGTERM"
        finally:
            if server.poll() is None:
                server.kill()
