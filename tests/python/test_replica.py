"""Operations end to end, with real processes: an online backup taken while the primary serves
and takes writes, checked and restored; a read-only replica serving that backup; a follower
(a RocksDB secondary of the live store) serving resolve and tiles while the primary takes a
steady stream of registrations. The follower's lag is measured and printed."""
import http.client
import json
import re
import shutil
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from conftest import cli, run_cli, store_on_sample_zones


def serve(*args):
    process = subprocess.Popen([cli(), "serve", "--port", "0", "--threads", "2", "--rate-limit", "0", *map(str, args)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in process.stdout:
        m = re.search(r"(http://[\d.]+:\d+)/", line)
        if m:
            return process, m.group(1)
    raise AssertionError("diachi serve printed no address: " + process.stderr.read())


def get(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def post(base, token, body, path="/v1/households"):
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("POST", path, json.dumps(body),
                 {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def tile_of(lat, lng, z=16):
    import math
    n = 2 ** z
    x = int((lng + 180) / 360 * n)
    la = math.radians(lat)
    y = int((1 - math.log(math.tan(la) + 1 / math.cos(la)) / math.pi) / 2 * n)
    return f"/tiles/households/{z}/{x}/{y}.mvt"


def stop(process):
    process.terminate()
    assert process.wait(timeout=15) == 0


def test_backup_restore_replica_and_follower(tmp_path, sample_zones):
    store, households = store_on_sample_zones(tmp_path, sample_zones, 3000)
    run = run_cli
    token = run("token", "create", "--role", "staff", "--store", store).stdout.strip()
    admin = run("token", "create", "--role", "admin", "--store", store).stdout.strip()
    rows = [line.split(",") for line in households.read_text(encoding="utf-8").splitlines()[1:]]
    points = [(float(r[1]), float(r[2])) for r in rows]

    backups = tmp_path / "backups"
    primary, primary_url = serve("--db", store, "--backup-dir", backups)
    replica = follower = None
    try:
        status, answer = post(primary_url, token, {"lat": points[0][0], "lng": points[0][1], "house_number": "1A"})
        assert status == 201, answer
        before_backup = answer["household"]["code"]

        # Online backup while the primary runs: the command-line tool refuses (the server holds
        # the store) and says how; the server makes it, with every write acknowledged so far.
        refused = subprocess.run([cli(), "backup", tmp_path / "nope", "--store", store], capture_output=True, text=True)
        assert refused.returncode != 0 and "POST /v1/backup" in refused.stderr, refused.stderr
        assert post(primary_url, token, {"name": "x"}, "/v1/backup")[0] == 403  # staff is not enough
        assert post(primary_url, admin, {"name": "../x"}, "/v1/backup")[1]["error"] == "bad_name"
        status, answer = post(primary_url, admin, {"name": "first"}, "/v1/backup")
        assert status == 201 and answer["households"] == 3001, answer
        backup = backups / "first"
        assert post(primary_url, admin, {"name": "first"}, "/v1/backup")[0] == 409
        assert json.loads(run("check", "--json", "--store", backup).stdout)["ok"]

        # A read-only replica on the backup: reads work, writes are refused with a clear error.
        replica, replica_url = serve("--db", backup, "--read-only", "--tokens", str(store) + ".tokens")
        status, body, _ = get(f"{replica_url}/v1/codes/{quote(before_backup, safe='')}")
        assert status == 200 and json.loads(body)["households"][0]["code"] == before_backup
        assert get(replica_url + tile_of(*points[0]), {"Accept-Encoding": "gzip"})[0] == 200
        status, answer = post(replica_url, token, {"lat": points[1][0], "lng": points[1][1]})
        assert status == 503 and answer["error"] == "read_only", answer

        # Restore: the backup copied to a new place is a store that takes writes again.
        restored = tmp_path / "restored"
        shutil.copytree(backup, restored)
        shutil.copy(str(store) + ".tokens", str(restored) + ".tokens")
        run("register", points[2][0], points[2][1], "--house-number", "9", "--store", restored)
        report = json.loads(run("check", "--json", "--store", restored).stdout)
        assert report["ok"] and report["households"] == 3002, report

        # A follower of the live store, while the primary takes a steady stream of writes.
        follower, follower_url = serve("--db", store, "--follow", tmp_path / "follower", "--follow-ms", 50)
        tile = tile_of(*points[5])
        _, _, first_headers = get(follower_url + tile, {"Accept-Encoding": "gzip"})
        lags = []
        for i in range(40):
            lat, lng = points[5 + i % 3]
            status, answer = post(primary_url, token, {"lat": lat + 1e-5 * i, "lng": lng, "house_number": f"F{i}"})
            assert status == 201, answer
            written = time.monotonic()
            code = answer["household"]["code"]
            while get(f"{follower_url}/v1/codes/{quote(code, safe='')}")[0] != 200:
                assert time.monotonic() - written < 10, f"{code} did not reach the follower in 10 s"
                time.sleep(0.005)
            lags.append(time.monotonic() - written)
            time.sleep(0.05)  # about 15 registrations a second
        _, _, last_headers = get(follower_url + tile, {"Accept-Encoding": "gzip"})
        assert last_headers.get("ETag") != first_headers.get("ETag"), "the follower's tile did not change"
        status, answer = post(follower_url, token, {"lat": points[1][0], "lng": points[1][1]})
        assert status == 503 and answer["error"] == "read_only"
        health = json.loads(get(f"{follower_url}/healthz")[1])
        assert health["households"] == 3001 + 40, health
        lags.sort()
        print(f"follower lag over {len(lags)} writes: median {statistics.median(lags) * 1000:.0f} ms, "
              f"p95 {lags[int(len(lags) * 0.95)] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms")
    finally:
        for p in (follower, replica, primary):
            if p is not None:
                stop(p)
    assert json.loads(run("check", "--json", "--store", store).stdout)["ok"]
