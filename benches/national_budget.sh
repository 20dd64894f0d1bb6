#!/usr/bin/env bash
# The byte budget on the national sample (issue #5): every tile of zooms 5-12 over Vietnam, with
# households (clusters), communes, provinces and labels, rendered from a store of 27 million
# households on the real 3,321 communes and exported to PMTiles; prints the export's summary
# (tiles, largest tile gzipped, tiles over the 500 KiB budget) and the time.
# Usage:
#   benches/national_budget.sh [STORE]    (default /tmp/diachi-nation; built when absent)
#   DIACHI_NATION_HOUSEHOLDS=N            households of a store built here (default 27,000,000;
#                                         about 10 minutes per 5 million on this 2-core machine)
# The store is built by bench_registry (villages of 50-3,000 households inside the communes);
# needs ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
store=${1:-/tmp/diachi-nation}
count=${DIACHI_NATION_HOUSEHOLDS:-27000000}
diachi=$root/build/diachi
[ -x "$diachi" ] || { echo "national_budget: build first (.ci/build)" >&2; exit 1; }

if [ ! -f "$store/CURRENT" ]; then
    echo "== building $store: $count households (bench_registry)"
    DIACHI_BENCH_HOUSEHOLDS=$count DIACHI_BENCH_CACHE_MB=3072 DIACHI_BENCH_STORE=$store \
        "$root/build/benches/bench_registry" --benchmark_filter=BM_BulkImport
fi
# A store made before the density index gets it here (any writable open does).
"$diachi" backup "$store.upgrade-check" --store "$store" >/dev/null
rm -rf "$store.upgrade-check"

echo "== zooms 5-12 over Vietnam to PMTiles"
out=${DIACHI_NATION_OUT:-/tmp/diachi-nation-z5-z12.pmtiles}
"$diachi" export "$out" --store "$store" --format pmtiles --minzoom 5 --maxzoom 12 \
    --bbox 102.1,8.1,109.5,23.4 --layers households,communes,provinces,labels
