#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server.
#
#   scripts/with-postgres.sh .venv/bin/python -m pytest
#
# The server lives in a fresh temp dir, listens only on a unix socket in that dir, and is
# stopped and removed when the command ends (or fails, or is interrupted). The command
# gets DATABASE_URL pointing at a database "lianxin_test" on that socket; Django's test
# runner creates its own test_* databases next to it.
set -euo pipefail

find_pg_bin() {
    local dir
    for dir in "${PG_BIN:-}" /usr/lib/postgresql/15/bin; do
        if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return
        fi
    done
    if command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return
    fi
    echo "with-postgres: PostgreSQL 15 binaries not found (install postgresql-15, or set PG_BIN)" >&2
    exit 1
}

PG_BIN="$(find_pg_bin)"
# Socket paths are limited to ~107 bytes: keep the directory short.
PGDIR="$(mktemp -d /tmp/pgXXXXXX)"

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$PGDIR" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

stop_server() {
    as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
as_pg "$PG_BIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
# Durability is pointless for a server that is deleted afterwards; turning it off is faster.
as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w start \
    -o "-k $PGDIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
as_pg "$PG_BIN/createdb" -h "$PGDIR" -U postgres lianxin_test

export DATABASE_URL="postgresql://postgres@/lianxin_test?host=$PGDIR"
echo "with-postgres: PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') on $PGDIR"
set +e
"$@"
status=$?
set -e
exit "$status"
