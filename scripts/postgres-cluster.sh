#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on a loopback port, for the PostgreSQL half of the tests.
#   scripts/postgres-cluster.sh start   prints the connection URL on its last line
#   scripts/postgres-cluster.sh stop
# Uses the server binaries Debian installs in /usr/lib/postgresql/15/bin.
set -euo pipefail
PORT="${BASEPLAN_TEST_PG_PORT:-54329}"
DIR="${BASEPLAN_TEST_PG_DIR:-/tmp/baseplan-postgres-$PORT}"
BIN="${BASEPLAN_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}"

run_as_owner() {
  # initdb and postgres refuse to run as root, so as root the cluster belongs to 'postgres'.
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  start)
    [ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found in $BIN" >&2; exit 1; }
    if [ -f "$DIR/postmaster.pid" ]; then run_as_owner "$BIN/pg_ctl -D $DIR -m immediate stop" >/dev/null 2>&1 || true; fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DIR"
    run_as_owner "$BIN/initdb -D $DIR -U baseplan -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
    # Durability is not wanted for a test cluster; speed is.
    run_as_owner "$BIN/pg_ctl -D $DIR -l $DIR/server.log -w -o \"-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null
    echo "postgres://baseplan@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -f "$DIR/postmaster.pid" ]; then run_as_owner "$BIN/pg_ctl -D $DIR -m fast stop" >/dev/null; fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
