#!/usr/bin/env bash
# `make run`: migrate, load the demo street into an empty embedded database, start the web server
# (gunicorn, static files by whitenoise) and the task worker (huey) together; Ctrl-C stops both.
#
# Environment: HOST (127.0.0.1; 0.0.0.0 to serve the LAN), PORT (8000), WEB_WORKERS (2),
# DEMO_PERSONS (80000), DEMO=1 to load the demo street into PostgreSQL too, and the WANGGE_*
# variables of docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-2}
WEB=""
WORKER=""

stop() {
  trap - EXIT INT TERM
  # gunicorn stops gracefully on TERM; huey finishes its running tasks on INT.
  [[ -n "$WEB" ]] && kill -TERM "$WEB" 2>/dev/null
  [[ -n "$WORKER" ]] && kill -INT "$WORKER" 2>/dev/null
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
# The demo street goes into the embedded database only when it is empty; into PostgreSQL only when
# asked (DEMO=1 make run).
if [[ -z "${DATABASE_URL:-}" || "${DEMO:-0}" == "1" ]]; then
  $PY manage.py seed_demo --persons "${DEMO_PERSONS:-80000}" --seed 1 --if-empty
fi

$PY manage.py run_huey --quiet &
WORKER=$!
.venv/bin/gunicorn wangge.wsgi:application --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" &
WEB=$!

# Print the address and the demo logins once the web server answers.
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null && break
  sleep 0.2
done
$PY manage.py demo_logins --url "http://$HOST:$PORT/"

# Whichever stops first (or Ctrl-C) stops the other.
wait -n "$WEB" "$WORKER"
