#!/usr/bin/env bash
# `make run`: migrate, load the demo street into an empty embedded database, start the web server
# (gunicorn, static files by whitenoise) and the task worker (huey) together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-2}

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
# The demo street goes into the embedded database only when it is empty; into PostgreSQL only when
# asked (DEMO=1 make run).
if [[ -z "${DATABASE_URL:-}" || "${DEMO:-0}" == "1" ]]; then
  $PY manage.py seed_demo --persons "${DEMO_PERSONS:-80000}" --seed 1 --if-empty
fi

$PY manage.py run_huey --quiet &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

$PY manage.py demo_logins --url "http://$HOST:$PORT/"
.venv/bin/gunicorn wangge.wsgi:application --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" &
WEB=$!
trap 'kill $WEB $WORKER 2>/dev/null || true' EXIT INT TERM
wait -n $WEB $WORKER
