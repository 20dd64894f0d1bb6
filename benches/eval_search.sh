#!/bin/sh
# The address search evaluations and latency (issues #4 and #26), in one command:
#   benches/eval_search.sh [HOUSEHOLDS] [BUILD_DIR] [bench_search options]
# Generates HOUSEHOLDS sample households (default 1,000,000) in the real communes of
# ../shared/data, loads them with the national zones, the pre-2025 units and the streets (the
# list by district, the shapes of central Hà Nội), and runs bench_search: OpenStreetMap address
# accuracy, the unit lists written eleven ways, the street list's forms, generated-query
# household accuracy, search and suggest latency. Work files go to a temporary directory,
# removed at the end.
set -eu
count=${1:-1000000}
build=${2:-build}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")/.." && pwd)
data=${DIACHI_DATA_DIR:-$here/../shared/data}
if [ ! -f "$data/boundaries/wards_3321_simplified25m_v4.2.0.geojson" ]; then
    echo "eval_search: $data holds no boundaries (set DIACHI_DATA_DIR)" >&2
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/diachi" sample households "$data/boundaries/wards_3321_simplified25m_v4.2.0.geojson" \
    --postcodes "$data/postcodes/postcodes_by_commune_2025.csv" --count "$count" \
    --out "$work/households.csv"
DIACHI_DATA_DIR=$data DIACHI_BENCH_CSV=$work/households.csv DIACHI_BENCH_STORE=$work/store \
    taskset -c 1 "$build/benches/bench_search" "$@"
