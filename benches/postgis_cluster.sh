# Sourced by the PostGIS peer scripts: installs PostgreSQL 15 + PostGIS 3 (Debian packages) when
# absent, and starts a private cluster under $work on a Unix socket only (port 55432), stopped
# when the script exits. Settings: shared_buffers 2 GB, fsync off, and the extra server options
# in $pg_options (e.g. "-c jit=off"); $pg_cpu pins the server to that core. Defines run_pg (as
# the postgres user), psql and pgbench_percentiles. Needs $work.

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
if [ ! -x /usr/lib/postgresql/15/bin/postgres ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
        postgresql-15 postgresql-15-postgis-3 >/dev/null
fi
pgbin=/usr/lib/postgresql/15/bin

start_postgis() {
    echo "== PostgreSQL + PostGIS on a private socket${pg_cpu:+ (core $pg_cpu)}${pg_options:+ ($pg_options)}"
    pgdata=$work/pg
    mkdir -p "$pgdata"
    chown -R postgres "$work" 2>/dev/null || true
    run_pg "$pgbin/initdb" -D "$pgdata" -A trust -U postgres >/dev/null
    run_pg ${pg_cpu:+taskset -c "$pg_cpu"} "$pgbin/pg_ctl" -D "$pgdata" -l "$work/pg.log" -w start \
        -o "-k $work -p 55432 -c listen_addresses='' -c shared_buffers=2GB -c fsync=off ${pg_options:-}" >/dev/null
    trap 'run_pg "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null || true' EXIT
}
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql() { run_pg /usr/bin/psql -h "$work" -p 55432 -U postgres -q -v ON_ERROR_STOP=1 "$@"; }

# pgbench_percentiles SCRIPT SECONDS_OR_-tN: runs SCRIPT with one client and prepared statements,
# logging every transaction; prints the p50 and p99 latency in microseconds.
pgbench_percentiles() {
    rm -rf "$work/log"; mkdir -p "$work/log"; chown postgres "$work/log" 2>/dev/null || true
    (cd "$work/log" && run_pg "$pgbin/pgbench" -h "$work" -p 55432 -U postgres -n -M prepared \
        -c 1 "$2" "$3" -l -f "$1" postgres >/dev/null)
    cat "$work"/log/pgbench_log.* | awk '{print $3}' | sort -n |
        awk '{a[NR]=$1} END {printf "%.1f %.1f", a[int(NR*0.5)], a[int(NR*0.99)]}'
}
