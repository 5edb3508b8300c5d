#!/usr/bin/env bash
# Run the web server, the task worker and the scheduler together until Ctrl-C.
#
#   scripts/demo.sh            (make demo prepares the database and static files first)
#
# PORT (default 8000), WEB_WORKERS (2) and WEB_THREADS (4) tune gunicorn. If any of the
# three stops, the others are stopped too and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8000}
VENV=${VENV:-.venv}
URL="http://127.0.0.1:$PORT/"
LOGINS_FILE=${LOGINS_FILE:-var/demo-logins.txt}

pids=()

# Each process gets its own session, so Ctrl-C reaches only this script, which then
# stops them one by one with SIGTERM (graceful for gunicorn and the worker).
start() {
    setsid "$@" &
    pids+=("$!")
}

stop_all() {
    trap - INT TERM EXIT
    echo
    echo "Stopping the web server, the task worker and the scheduler..."
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    echo "Stopped."
}

on_signal() {
    stop_all
    exit 0
}
trap on_signal INT TERM
trap stop_all EXIT

wait_until_healthy() {
    "$VENV/bin/python" - "$URL" <<'PY'
import sys
import time
import urllib.request

url = sys.argv[1] + "healthz"
for _ in range(150):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
PY
}

start "$VENV/bin/gunicorn" config.wsgi \
    --bind "127.0.0.1:$PORT" \
    --workers "${WEB_WORKERS:-2}" --threads "${WEB_THREADS:-4}" \
    --graceful-timeout 10 --access-logfile - --log-level warning
start "$VENV/bin/python" manage.py db_worker --no-reload --queue-name '*'
start "$VENV/bin/python" manage.py scheduler

if ! wait_until_healthy; then
    echo "The web server did not answer on $URL (is port $PORT taken? try: make demo PORT=8001)" >&2
    exit 1
fi

echo
echo "================================================================"
echo " Lianxin demo is running: $URL"
if [ -s "$LOGINS_FILE" ]; then
    echo
    cat "$LOGINS_FILE"
fi
echo
echo " Press Ctrl-C to stop the web server, the task worker and the scheduler."
echo "================================================================"

# Returns when any of the three exits (or a signal arrives and the trap runs).
status=0
wait -n "${pids[@]}" || status=$?
echo "A demo process stopped unexpectedly (exit status $status)." >&2
exit 1
