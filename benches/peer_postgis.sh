#!/usr/bin/env bash
# Peer comparison: the same generated households in diachi's registry and in PostgreSQL 15 +
# PostGIS 3 (Debian packages; a private cluster started on loopback by this script), measured
# side by side. Usage:
#   benches/peer_postgis.sh [HOUSEHOLDS]        (default 1,000,000; needs ../shared/data)
# diachi: bench_registry (Google Benchmark, in process, per-operation p50 / p99).
# PostGIS: pgbench over a Unix socket, one client, prepared statements, per-query latency log.
#   code lookup   households(code text primary key), the code taken from a 100,000-row sample
#                 table by a random integer (one extra primary-key probe, stated in the report)
#   nearest       ORDER BY geom <-> point LIMIT 1 on a GiST index, points ~20 m from households
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-1000000}
work=${DIACHI_PEER_DIR:-/tmp/diachi-peer}
data=${DIACHI_DATA_DIR:-$root/../shared/data}
diachi=$root/build/diachi
wards=$data/boundaries/wards_3321_simplified25m_v4.2.0.geojson
postcodes=$data/postcodes/postcodes_by_commune_2025.csv
[ -f "$wards" ] || { echo "peer_postgis: $wards is absent (set DIACHI_DATA_DIR)" >&2; exit 1; }
[ -x "$diachi" ] || { echo "peer_postgis: build first (.ci/build)" >&2; exit 1; }

# shellcheck source=benches/postgis_cluster.sh
. "$root/benches/postgis_cluster.sh"

rm -rf "$work"
mkdir -p "$work"
households=$work/households.csv
echo "== generating $count households (diachi sample households)"
"$diachi" sample households "$wards" --postcodes "$postcodes" --count "$count" --out "$households"

echo "== diachi: bench_registry on the same file"
DIACHI_BENCH_STORE=$work/store DIACHI_BENCH_CSV=$households \
    "$root/build/benches/bench_registry" --benchmark_filter='BM_BulkImport|BM_Resolve|BM_ReverseNearest1|BM_Get' \
    --benchmark_format=json --benchmark_out="$work/diachi.json" >/dev/null

echo "== exporting codes for PostgreSQL"
PYTHONPATH=$root/build/bindings/python /usr/bin/python3 - "$work" <<'PY'
import csv, random, sys
import diachi
work = sys.argv[1]
r = diachi.Registry(f"{work}/store", read_only=True)
n = r.household_count
with open(f"{work}/households_pg.csv", "w", newline="") as out:
    w = csv.writer(out)
    for i in range(1, n + 1):
        h = r.get(i)
        w.writerow([h.id, h.code.canonical, h.lat, h.lng, h.address.house_number, h.address.hamlet])
rng = random.Random(5)
with open(f"{work}/sample_pg.csv", "w", newline="") as out:
    w = csv.writer(out)
    for i in range(1, 100001):
        h = r.get(rng.randrange(1, n + 1))
        w.writerow([i, h.code.canonical, h.lat + rng.gauss(0, 0.0002), h.lng + rng.gauss(0, 0.0002)])
PY

start_postgis
start=$(date +%s.%N)
psql <<SQL
CREATE EXTENSION postgis;
CREATE TABLE households (id bigint PRIMARY KEY, code text NOT NULL, lat float8, lng float8,
                         house_number text, hamlet text, geom geometry(Point, 4326));
\copy households (id, code, lat, lng, house_number, hamlet) FROM '$work/households_pg.csv' CSV
UPDATE households SET geom = ST_SetSRID(ST_MakePoint(lng, lat), 4326);
CREATE UNIQUE INDEX households_code ON households (code);
CREATE INDEX households_geom ON households USING gist (geom);
CREATE TABLE sample (i int PRIMARY KEY, code text, lat float8, lng float8, geom geometry(Point, 4326));
\copy sample (i, code, lat, lng) FROM '$work/sample_pg.csv' CSV
UPDATE sample SET geom = ST_SetSRID(ST_MakePoint(lng, lat), 4326);
VACUUM ANALYZE;
SQL
load_s=$(echo "$(date +%s.%N) - $start" | bc)
pg_bytes=$(psql -At -c "SELECT pg_total_relation_size('households')")

cat > "$work/code.sql" <<'SQL'
\set i random(1, 100000)
SELECT h.id, h.code, h.house_number, h.hamlet FROM sample s JOIN households h ON h.code = s.code WHERE s.i = :i;
SQL
cat > "$work/nearest.sql" <<'SQL'
\set i random(1, 100000)
SELECT n.id, ST_Distance(n.geom::geography, s.geom::geography) FROM sample s
  CROSS JOIN LATERAL (SELECT id, geom FROM households ORDER BY geom <-> s.geom LIMIT 1) n WHERE s.i = :i;
SQL
cat > "$work/get.sql" <<'SQL'
\set i random(1, 100000)
SELECT id, code, house_number, hamlet FROM households WHERE id = :i;
SQL
declare -A pg
for q in code nearest get; do
    pg[$q]=$(pgbench_percentiles "$work/$q.sql" -T 15)
done

echo "== side by side ($count households; latencies in microseconds)"
/usr/bin/python3 - "$work/diachi.json" "$count" "$load_s" "$pg_bytes" "${pg[code]}" "${pg[nearest]}" "${pg[get]}" <<'PY'
import json, sys
bench = {b["name"].split("/")[0]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
count, load_s, pg_bytes = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
pg = {k: [float(x) for x in v.split()] for k, v in zip(("code", "nearest", "get"), sys.argv[5:8])}
imp = bench["BM_BulkImport"]
rows = [
    ("load (households/s)", f"{imp['loaded_per_s']:.0f}", f"{count / load_s:.0f} (COPY + index build)"),
    ("bytes per household", f"{imp['bytes_per_household']:.0f}", f"{pg_bytes / count:.0f} (table + indexes)"),
]
for label, name, key in (("code -> household", "BM_Resolve", "code"),
                         ("nearest household", "BM_ReverseNearest1", "nearest"),
                         ("record by id", "BM_Get", "get")):
    b = bench[name]
    rows.append((f"{label} p50", f"{b['p50_ns'] / 1000:.1f}", f"{pg[key][0]:.1f}"))
    rows.append((f"{label} p99", f"{b['p99_ns'] / 1000:.1f}", f"{pg[key][1]:.1f}"))
print(f"{'':28}{'diachi':>14}   PostgreSQL + PostGIS")
for label, a, b in rows:
    print(f"{label:28}{a:>14}   {b}")
print("diachi: in process; PostGIS: pgbench over a Unix socket (one round trip per query);\n"
      "PostGIS code lookup also probes the sample table's primary key.")
PY
