#!/usr/bin/env bash
# Peer comparison for vector tiles (issue #5): the households of bench_tiles' store loaded into
# PostgreSQL 15 + PostGIS 3 (a private cluster on a Unix socket, JIT off) and encoded with
# ST_AsMVT by Martin's table query, beside diachi's renderer, on the same tiles:
#   the densest z14 tile (every household in both), and 1000 random z12-z16 tiles with every
#   household in both (diachi with its detail zoom lowered to 12: the same features and fields,
#   id, code, unit, units), and diachi's own clustered tiles for reference.
# Usage:
#   benches/peer_postgis_tiles.sh [HOUSEHOLDS]     (default 1,000,000; no ../shared/data needed)
#   DIACHI_BENCH_TILE_LAYOUT=villages|dense        (default dense: ~20k households in a z14 tile)
# diachi runs pinned to core 1; PostgreSQL to core 1 as well, pgbench (one client, prepared
# statements, a latency log) to core 0.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-1000000}
layout=${DIACHI_BENCH_TILE_LAYOUT:-dense}
work=${DIACHI_PEER_DIR:-/tmp/diachi-peer-tiles}
bench=$root/build/benches/bench_tiles
[ -x "$bench" ] || { echo "peer_postgis_tiles: build first (.ci/build)" >&2; exit 1; }

# shellcheck source=benches/postgis_cluster.sh
. "$root/benches/postgis_cluster.sh"

rm -rf "$work"
mkdir -p "$work"

echo "== diachi: bench_tiles ($count households, layout $layout)"
DIACHI_BENCH_TILE_HOUSEHOLDS=$count DIACHI_BENCH_TILE_LAYOUT=$layout DIACHI_BENCH_PEER_DIR=$work \
    taskset -c 1 "$bench" --benchmark_filter='BM_DenseTileZ14|BM_RandomTiles' \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_format=json --benchmark_out="$work/diachi.json" >/dev/null

pg_options="-c jit=off"
pg_cpu=1
start_postgis
taskset -cp 0 $$ >/dev/null  # pgbench, started from here, runs on core 0

start=$(date +%s.%N)
psql <<SQL
CREATE EXTENSION postgis;
CREATE TABLE households (id bigint PRIMARY KEY, code text NOT NULL, unit int, units int,
                         lat_e7 int, lng_e7 int, geom geometry(Point, 4326));
\copy households (id, code, unit, units, lat_e7, lng_e7) FROM '$work/households.csv' CSV
UPDATE households SET geom = ST_SetSRID(ST_MakePoint(lng_e7 / 1e7, lat_e7 / 1e7), 4326);
CREATE INDEX households_geom ON households USING gist (geom);
CREATE TABLE tiles (i int PRIMARY KEY, z int, x int, y int);
\copy tiles FROM '$work/tiles.csv' CSV
VACUUM ANALYZE;
SQL
load_s=$(echo "$(date +%s.%N) - $start" | bc)

# Martin's query for a table source (ST_AsMVTGeom in 3857 with a 64-unit buffer, the box test
# on the table's own SRID), with the tile taken from the tiles table by number.
mvt_query() {
    cat <<SQL
SELECT length(ST_AsMVT(tile, 'households', 4096, 'geom', 'id')) FROM (
  SELECT h.id, h.code, h.unit, h.units,
         ST_AsMVTGeom(ST_Transform(h.geom, 3857), ST_TileEnvelope(t.z, t.x, t.y), 4096, 64, true) AS geom
  FROM tiles t JOIN households h
    ON h.geom && ST_Transform(ST_TileEnvelope(t.z, t.x, t.y, margin => (64.0 / 4096)), 4326)
  WHERE t.i = $1
) AS tile WHERE geom IS NOT NULL;
SQL
}
{ echo '\set i 1'; mvt_query :i; } > "$work/dense.sql"
{ echo '\set i random(2, 1001)'; mvt_query :i; } > "$work/random.sql"
# The features of PostGIS's dense tile: its rows with their geometry kept (the tile and buffer).
dense_features=$(psql -At -c "SELECT count(*) FROM tiles t JOIN households h
    ON h.geom && ST_Transform(ST_TileEnvelope(t.z, t.x, t.y, margin => (64.0 / 4096)), 4326)
    WHERE t.i = 1 AND ST_AsMVTGeom(ST_Transform(h.geom, 3857), ST_TileEnvelope(t.z, t.x, t.y), 4096, 64, true) IS NOT NULL")

dense=$(pgbench_percentiles "$work/dense.sql" -T 15)
random=$(pgbench_percentiles "$work/random.sql" -t 3000)

echo "== side by side ($count households, layout $layout; PostGIS load $load_s s)"
/usr/bin/python3 - "$work/diachi.json" "$dense" "$random" "$dense_features" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
def median(name, field):
    for b in runs:
        if b["run_name"] == name and b.get("aggregate_name") == "median":
            return b[field]
    raise SystemExit(f"no median of {name}")
pg_dense = [float(x) / 1000 for x in sys.argv[2].split()]
pg_random = [float(x) / 1000 for x in sys.argv[3].split()]
dense_ms = median("BM_DenseTileZ14", "real_time")
every = [median("BM_RandomTilesEveryHousehold", f) / 1e6 for f in ("p50_ns", "p99_ns")]
clustered = [median("BM_RandomTiles", f) / 1e6 for f in ("p50_ns", "p99_ns")]
print(f"{'(milliseconds)':44}{'diachi':>10}{'ST_AsMVT':>11}{'ratio':>8}")
print(f"{'densest z14 tile, every household (p50)':44}{dense_ms:>10.2f}{pg_dense[0]:>11.2f}"
      f"{pg_dense[0] / dense_ms:>7.1f}x")
print(f"   households in it: diachi {median('BM_DenseTileZ14', 'households'):.0f}, "
      f"PostGIS features {sys.argv[4]}; gzipped "
      f"{median('BM_DenseTileZ14', 'gzipped_bytes') / 1024:.0f} KiB")
for label, i in (("p50", 0), ("p99", 1)):
    print(f"{'random z12-z16 tiles, every household ' + label:44}{every[i]:>10.2f}{pg_random[i]:>11.2f}"
          f"{pg_random[i] / every[i]:>7.1f}x")
print(f"{'random z12-z16 tiles, clustered below z14':44}{clustered[0]:>10.2f} p50, {clustered[1]:.2f} p99")
print("diachi: in process, one core; PostGIS: pgbench over a Unix socket (one round trip per tile)")
PY
