#!/usr/bin/env bash
# Load on `diachi serve` beside nginx serving the same tiles from disk, in one run, on loopback
# (wrk from Debian; nginx-light started privately by this script). Bounded in time: each run
# lasts DURATION seconds (default 10), REPEAT times (default 3; the median is shown). Usage:
#   benches/load_server.sh [STORE]     (default build/demo/store, made by .ci/demo)
# Measures, each with wrk -t1 -c64 (the server gets the machine's other core):
#   cached tile   one ~20 KB gzipped tile, again and again: diachi (from its tile cache) and nginx
#                 (the same bytes as a file, Content-Encoding gzip)
#   resolve       GET /v1/codes/CODE for codes of the store, round robin
#   uncached      z15-z16 tiles around the households with the tile cache off
#   slow clients  cached tiles while 50 clients hold connections open with half-sent requests
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
store=${1:-$root/build/demo/store}
duration=${DURATION:-10}
repeat=${REPEAT:-3}
work=${DIACHI_LOAD_DIR:-/tmp/diachi-load}
diachi=$root/build/diachi
[ -x "$diachi" ] || { echo "load_server: build first (.ci/build)" >&2; exit 1; }
[ -d "$store" ] || { echo "load_server: no store at $store (run .ci/demo first, or give one)" >&2; exit 1; }
command -v wrk >/dev/null && [ -x /usr/sbin/nginx ] || { echo "load_server: needs wrk and nginx (.ci/install-deps)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/tiles" "$work/nginx"
port=18080; nginx_port=18081; cold_port=18082
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# The uncached server reads a checkpoint of the store (RocksDB allows one writer per store).
"$diachi" backup "$work/store-copy" --store "$store" >/dev/null
taskset -c 1 "$diachi" serve --db "$store" --port $port --threads 1 --rate-limit 0 ${ROW_CACHE_MB:+--row-cache-mb $ROW_CACHE_MB} ${RESOLVE_CACHE_MB:+--resolve-cache-mb $RESOLVE_CACHE_MB} >"$work/serve.log" 2>&1 &
pids+=($!)
taskset -c 1 "$diachi" serve --db "$work/store-copy" --port $cold_port --threads 1 --rate-limit 0 --cache-mb 0 >"$work/serve-cold.log" 2>&1 &
pids+=($!)
for p in $port $cold_port; do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.2; done
done

# Households of the store: codes to resolve, and tiles around them.
python3 - "$port" "$work" <<'PY'
import json, math, random, sys, urllib.request
port, work = sys.argv[1], sys.argv[2]
def get(path):
    return urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read()
codes, tiles = [], set()
random.seed(1)
found = 0
# Households near random points of the store's bounds.
tj = json.loads(get("/tiles.json"))
w, s, e, n = tj["bounds"]
while len(codes) < 200 and found < 5000:
    found += 1
    lat, lng = random.uniform(s, n), random.uniform(w, e)
    near = json.loads(get(f"/v1/reverse?lat={lat:.6f}&lng={lng:.6f}&k=5&max_distance_m=50000"))
    for item in near["nearest"]:
        h = item["household"]
        codes.append(h["code"])
        for z in (15, 16):
            k = 2 ** z
            x = int((float(h["lng"]) + 180) / 360 * k)
            la = math.radians(float(h["lat"]))
            y = int((1 - math.log(math.tan(la) + 1 / math.cos(la)) / math.pi) / 2 * k)
            tiles.add((z, x, y))
best, best_gap = None, 1e18
for (z, x, y) in sorted(tiles)[:400]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/tiles/{z}/{x}/{y}.mvt", headers={"Accept-Encoding": "gzip"})
    body = urllib.request.urlopen(req).read()
    if abs(len(body) - 20000) < best_gap:
        best, best_gap, best_body = (z, x, y), abs(len(body) - 20000), body
z, x, y = best
import os
os.makedirs(f"{work}/tiles/{z}/{x}", exist_ok=True)
open(f"{work}/tiles/{z}/{x}/{y}.mvt", "wb").write(best_body)
open(f"{work}/hot", "w").write(f"/tiles/{z}/{x}/{y}.mvt {len(best_body)}\n")
def lua(name, paths):
    with open(f"{work}/{name}.lua", "w") as f:
        f.write("paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
        f.write("i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i], {['Accept-Encoding'] = 'gzip'})\nend\n")
lua("resolve", [f"/v1/codes/{c}" for c in codes])
lua("uncached", [f"/tiles/{z}/{x}/{y}.mvt" for (z, x, y) in sorted(tiles)])
print(f"load_server: {len(codes)} codes, {len(tiles)} tiles; hot tile {best} of {len(best_body)} bytes gzipped")
PY
read -r hot hot_bytes < "$work/hot"

cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work;
        location /tiles/ {
            default_type application/vnd.mapbox-vector-tile;
            add_header Content-Encoding gzip;
        }
    }
}
NGINX
taskset -c 1 /usr/sbin/nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
sleep 0.5

header='Accept-Encoding: gzip'
run() {  # NAME URL [wrk options]: the median of REPEAT runs (by requests/s) with its latency
    local name=$1 url=$2; shift 2
    local out lines=()
    for _ in $(seq "$repeat"); do
        out=$(taskset -c 0 wrk -t1 -c64 -d"${duration}s" --latency -H "$header" "$@" "$url")
        lines+=("$(echo "$out" | awk '/Requests\/sec/ {r=$2} $1 == "50%" {p50=$2} $1 == "99%" {p99=$2} END {print r, p50, p99}')")
    done
    read -r rate p50 p99 < <(printf '%s\n' "${lines[@]}" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p")
    printf '%-34s %10s req/s   p50 %8s   p99 %8s   (median of %d)\n' "$name" "$rate" "$p50" "$p99" "$repeat"
}
echo "load_server: $(nproc) cores; servers on core 1, wrk on core 0; ${repeat} runs of ${duration}s; hot tile $hot ($hot_bytes bytes)"
run "cached tile: diachi" "http://127.0.0.1:$port$hot"
run "cached tile: nginx (file)" "http://127.0.0.1:$nginx_port$hot"
run "resolve: diachi" "http://127.0.0.1:$port" -s "$work/resolve.lua"
run "uncached tiles z15-16: diachi" "http://127.0.0.1:$cold_port" -s "$work/uncached.lua"

# 50 slow clients: each sends half a request line and waits (the server cuts them off after
# its request timeout, 10 s, and they connect again).
python3 - "$port" "$((duration * repeat))" <<'PY' &
import socket, sys, time
port, duration = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + duration + 2
socks = []
while time.time() < end:
    while len(socks) < 50:
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        socks.append(s)
    time.sleep(0.5)
    alive = []
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                s.close()
                continue
        except BlockingIOError:
            pass
        alive.append(s)
    socks = alive
PY
slow=$!
sleep 1
run "cached tile + 50 slow clients" "http://127.0.0.1:$port$hot"
wait $slow 2>/dev/null || true
