"""Crash safety: a bulk import and a stream of POST /v1/households, each killed with SIGKILL at a
random moment, cycle after cycle. After every kill the store opens, `diachi check` finds nothing
wrong, every acknowledged household is there with its code (an import acknowledges the rows of
each batch it reports committed; the server, each 201), and no code is held twice. At the end the
import runs to completion without duplicating anyone.

A second run imports in batches of 10,000 rows, which are ingested as table files
(RegistryOptions::ingest_min_batch), not written through the log: the same checks hold.

The control run turns the write-ahead log off (DIACHI_UNSAFE_DISABLE_WAL=1): the same checks
must then find acknowledged households missing, which shows they can fail.

DIACHI_CRASH_CYCLES sets the number of cycles (default 20)."""
import csv
import http.client
import json
import os
import random
import re
import subprocess
import threading
import time

import pytest

import diachi
from conftest import cli, run_cli, store_on_sample_zones

ROWS = 12000
BATCH = 250
INGESTED_BATCH = 10000  # RegistryOptions::ingest_min_batch


def start_import(store, households, env, batch=BATCH):
    """The import, with a thread collecting the rows it reports committed."""
    process = subprocess.Popen([cli(), "import", str(households), "--store", str(store),
                                "--progress", "batch", "--batch-size", str(batch)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    committed = [0]

    def read():
        for line in process.stderr:
            m = re.match(r"committed (\d+)", line)
            if m:
                committed[0] = max(committed[0], int(m.group(1)))
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return process, reader, committed


def start_server(store, env):
    server = subprocess.Popen([cli(), "serve", "--db", str(store), "--port", "0", "--threads", "2",
                               "--rate-limit", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    for line in server.stdout:
        m = re.search(r"http://([\d.]+):(\d+)/", line)
        if m:
            return server, m.group(1), int(m.group(2))
    raise AssertionError("diachi serve printed no address")


def post_stream(host, port, token, points, first, acknowledged, stop):
    """POSTs households one after another until the server goes away; records every answer
    that reports one. Returns the number of requests sent so far, answered or not."""
    n = first
    try:
        conn = http.client.HTTPConnection(host, port, timeout=5)
        while not stop.is_set():
            lat, lng = points[n % len(points)]
            body = json.dumps({"lat": lat, "lng": lng, "house_number": str(n), "source": "crash-test",
                               "external_id": f"post-{n}"})
            n += 1  # sent: the server may register it even if it dies before answering
            conn.request("POST", "/v1/households", body,
                         {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = conn.getresponse()
            answer = json.loads(response.read())
            if response.status in (200, 201):
                h = answer["household"]
                acknowledged[h["id"]] = h["code"]
    except (OSError, http.client.HTTPException, json.JSONDecodeError):
        pass  # the server was killed
    return n


def verify(store, acknowledged_posts, committed_rows, row_ids, env):
    """What is wrong after a kill (empty when nothing is)."""
    problems = []
    check = subprocess.run([cli(), "check", "--json", "--store", str(store)], capture_output=True, text=True,
                           env=env)
    if check.returncode != 0:
        problems.append("diachi check: " + check.stdout[-2000:] + check.stderr[-2000:])
    registry = diachi.Registry(str(store), read_only=True)
    try:
        for hid, code in acknowledged_posts.items():
            try:
                h = registry.get(hid)
            except diachi.CodeError:
                problems.append(f"acknowledged household {hid} ({code}) is missing")
                continue
            if h.code.canonical != code:
                problems.append(f"household {hid} has code {h.code.canonical}, acknowledged {code}")
        for row_id in row_ids[:committed_rows]:
            try:
                registry.find_external(f"import:{store.parent.name}-households.csv", row_id)
            except diachi.CodeError:
                problems.append(f"imported row {row_id} (acknowledged) is missing")
    finally:
        del registry
    return problems


def run_cycles(tmp_path, sample_zones, cycles, wal=True, batch=BATCH):
    """Kill cycles; returns (problems of the first cycle that had any, counts)."""
    env = dict(os.environ)
    if not wal:
        env["DIACHI_UNSAFE_DISABLE_WAL"] = "1"
    store, households = store_on_sample_zones(tmp_path, sample_zones, ROWS, import_them=False, env=env)
    run = lambda *a: run_cli(*a, env=env)
    with open(households, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    row_ids = [r["id"] for r in rows]
    points = [(float(r["lat"]), float(r["lng"])) for r in rows]
    token = run("token", "create", "--role", "staff", "--label", "crash test", "--store", store).stdout.strip()

    random_ = random.Random(2025 if wal else 7)
    acknowledged = {}
    committed_rows = 0
    sent = 0
    for cycle in range(cycles):
        # A bulk import, killed part way.
        process, reader, committed = start_import(store, households, env, batch)
        if batch >= INGESTED_BATCH and cycle % 2 == 1:
            # Every other cycle waits for the first ingested batch to be acknowledged (a slow,
            # sanitized build may not get there in the random window), then kills a moment later.
            deadline = time.monotonic() + 120
            while committed[0] == 0 and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(random_.uniform(0.0, 0.2))
        else:
            time.sleep(random_.uniform(0.1, 1.2))
        process.kill()
        process.wait()
        reader.join(timeout=5)
        committed_rows = max(committed_rows, committed[0])
        # A stream of registrations, killed part way.
        server, host, port = start_server(store, env)
        stop = threading.Event()
        result = {}
        poster = threading.Thread(target=lambda: result.setdefault(
            "next", post_stream(host, port, token, points, sent, acknowledged, stop)))
        poster.start()
        time.sleep(random_.uniform(0.2, 0.8))
        server.kill()
        server.wait()
        stop.set()
        poster.join(timeout=10)
        sent = result.get("next", sent)
        problems = verify(store, acknowledged, committed_rows, row_ids, env)
        if problems:
            return problems, {"cycle": cycle, "acknowledged": len(acknowledged), "committed_rows": committed_rows}
    # The import again, to its end: every row once, nobody twice.
    final = json.loads(run("import", households, "--store", store, "--progress", "none", "--json").stdout)
    assert final["rows"] == ROWS and final["created"] + final["existing"] + final["failed"] == ROWS, final
    imported = ROWS - final["failed"]
    registry = diachi.Registry(str(store), read_only=True)
    total = registry.household_count
    del registry
    assert len(acknowledged) <= total - imported <= sent, (total, imported, len(acknowledged), sent)
    return [], {"cycles": cycles, "acknowledged_posts": len(acknowledged), "committed_rows": committed_rows,
                "households": total}


def test_killed_imports_and_registrations_lose_nothing_acknowledged(tmp_path, sample_zones):
    cycles = int(os.environ.get("DIACHI_CRASH_CYCLES", "20"))
    problems, counts = run_cycles(tmp_path, sample_zones, cycles)
    assert not problems, f"{counts}: " + "\n".join(problems[:20])
    print(f"crash safety: {counts}")


def test_killed_ingested_imports_lose_nothing_acknowledged(tmp_path, sample_zones):
    cycles = max(1, int(os.environ.get("DIACHI_CRASH_CYCLES", "20")) // 2)
    problems, counts = run_cycles(tmp_path, sample_zones, cycles, batch=INGESTED_BATCH)
    assert not problems, f"{counts}: " + "\n".join(problems[:20])
    assert counts["committed_rows"] >= INGESTED_BATCH, counts  # an ingested batch was acknowledged
    print(f"crash safety, ingested batches: {counts}")


def test_without_the_write_ahead_log_the_same_checks_find_loss(tmp_path, sample_zones):
    problems, counts = run_cycles(tmp_path, sample_zones, cycles=5, wal=False)
    assert problems, f"no loss detected with the write-ahead log off: {counts}"
    assert any("missing" in p for p in problems), problems[:5]
