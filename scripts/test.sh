#!/usr/bin/env bash
# The whole pytest suite, first on SQLite, then on a throwaway PostgreSQL 15.
#
#   scripts/test.sh [extra pytest arguments]
#
# Both runs happen even if the first fails, so one `make test` shows everything; the exit
# status is non-zero if either failed. Logs go to artifacts/pytest-<database>.log.
# PYTEST_WORKERS (default 2) sets pytest-xdist's worker count; 0 runs in one process.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
WORKERS=${PYTEST_WORKERS:-2}
mkdir -p artifacts

pytest_args=(-q -rfE)
[ "$WORKERS" != "0" ] && pytest_args+=(-n "$WORKERS")
[ -t 1 ] && pytest_args+=(--color=yes)
pytest_args+=("$@")

# pytest's own last line ("12 passed in 3.4s", "1 failed, 11 passed ...").
summary() {
    grep -E '(passed|failed|error|no tests ran)' "$1" | tail -n 1 | sed -E 's/\x1b\[[0-9;]*m//g; s/^=+ //; s/ =+$//'
}

run() {
    local name=$1
    shift
    echo "== pytest on $name"
    set +e
    "$@" 2>&1 | tee "artifacts/pytest-$name.log"
    local status=${PIPESTATUS[0]}
    set -e
    return "$status"
}

status=0
run sqlite env -u DATABASE_URL "$PYTHON" -m pytest "${pytest_args[@]}" || status=1
run postgresql scripts/with-postgres.sh "$PYTHON" -m pytest "${pytest_args[@]}" || status=1

echo
echo "== summary"
echo "SQLite:     $(summary artifacts/pytest-sqlite.log)"
echo "PostgreSQL: $(summary artifacts/pytest-postgresql.log)"
exit "$status"
