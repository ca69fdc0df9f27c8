#!/usr/bin/env bash
# `make run`: migrate, load the demo street into an empty embedded database, start the web server
# (gunicorn, static files by whitenoise), the task worker (huey), the device listener (MQTT,
# WANGGE_MQTT_URL), the fake SMS gateway and robot webhooks (notify's fake_gateway) and the demo
# gates' fake door controllers (checkpoints' fake_door: Hikvision ISAPI and an MQTT relay)
# together; a dead worker, listener, gateway or door is started again; Ctrl-C stops them all.
#
# Environment: HOST (127.0.0.1; 0.0.0.0 to serve the LAN), PORT (8000), WEB_WORKERS (2),
# DEMO_PERSONS (80000), RESTART_DELAY (2 s), DEMO=1 to load the demo street into PostgreSQL too,
# GATEWAY_PORT (8025, the fake gateway's), DOOR_PORT (8026, the fake Hikvision door controller's,
# where the demo's south gate points), and the WANGGE_* variables of docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-2}
GATEWAY_PORT=${GATEWAY_PORT:-8025}
GATEWAY_LOG="${WANGGE_VAR_DIR:-var}/fake_gateway.jsonl"
DOOR_PORT=${DOOR_PORT:-8026}
DOOR_LOG="${WANGGE_VAR_DIR:-var}/fake_door.jsonl"
WEB=""
WORKER=""
LISTENER=""
GATEWAY=""
DOOR=""
RELAY=""

stop() {
  trap - EXIT INT TERM
  # gunicorn stops gracefully on TERM; the keeper passes TERM on to huey (a background job of a
  # script ignores INT). Work that must survive lives in the database, not in the queue.
  [[ -n "$WEB" ]] && kill -TERM "$WEB" 2>/dev/null
  [[ -n "$WORKER" ]] && kill -TERM "$WORKER" 2>/dev/null
  [[ -n "$LISTENER" ]] && kill -TERM "$LISTENER" 2>/dev/null
  [[ -n "$GATEWAY" ]] && kill -TERM "$GATEWAY" 2>/dev/null
  [[ -n "$DOOR" ]] && kill -TERM "$DOOR" 2>/dev/null
  [[ -n "$RELAY" ]] && kill -TERM "$RELAY" 2>/dev/null
  wait 2>/dev/null || true
}

# keep_running NAME COMMAND...: run COMMAND, and start it again whenever it dies, until told to stop.
# A worker killed by a bad upload or by the kernel comes back without taking the web server down.
keep_running() {
  local name=$1 child="" status
  shift
  trap '[[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' INT TERM
  while true; do
    "$@" &
    child=$!
    status=0
    wait "$child" || status=$?
    echo "$(date '+%F %T') $name stopped (exit $status); starting it again in ${RESTART_DELAY:-2} s" >&2
    sleep "${RESTART_DELAY:-2}"
  done
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

# Messages sent from the site go out to the fake gateway, which logs each one and pushes the
# receipts back to this site's webhook; a URL the operator set (a real provider) is kept.
export WANGGE_SMS_URL=${WANGGE_SMS_URL:-http://127.0.0.1:$GATEWAY_PORT/sms}
export WANGGE_RESIDENT_CODE_OUTBOX=${WANGGE_RESIDENT_CODE_OUTBOX:-1}  # demo only: sign-in codes on /residents/outbox/
export WANGGE_DINGTALK_URL=${WANGGE_DINGTALK_URL:-http://127.0.0.1:$GATEWAY_PORT}
export WANGGE_WECOM_URL=${WANGGE_WECOM_URL:-http://127.0.0.1:$GATEWAY_PORT}
export WANGGE_SITE_URL=${WANGGE_SITE_URL:-http://$HOST:$PORT}
mkdir -p "$(dirname "$GATEWAY_LOG")"
keep_running "fake gateway" $PY manage.py fake_gateway --port "$GATEWAY_PORT" --log "$GATEWAY_LOG" &
GATEWAY=$!
# The demo's gates: the south gate's Hikvision controller (user admin, the demo's password) and the
# north gate's relay on the broker (wangge/demo/outbreak/doors.py). Each command is a line in the log.
keep_running "fake door controller" $PY manage.py fake_door hikvision --port "$DOOR_PORT" \
  --user admin --password demo-door-2026 --log "$DOOR_LOG" &
DOOR=$!
keep_running "fake door relay" $PY manage.py fake_door mqtt --topic 'wangge/doors/+' --log "$DOOR_LOG" &
RELAY=$!
keep_running "task worker" $PY manage.py run_huey --quiet &
WORKER=$!
# The listener itself reconnects when the broker restarts; the keeper restarts the listener.
keep_running "device listener" $PY manage.py listen_devices &
LISTENER=$!
.venv/bin/gunicorn wangge.wsgi:application --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" &
WEB=$!

# Print the address and the demo logins once the web server answers.
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null && break
  sleep 0.2
done
$PY manage.py demo_logins --url "http://$HOST:$PORT/"
echo "短信与群机器人假网关 / fake SMS and robot gateway: http://127.0.0.1:$GATEWAY_PORT, log $GATEWAY_LOG"
echo "假门禁 / fake door controllers: http://127.0.0.1:$DOOR_PORT and MQTT wangge/doors/+, log $DOOR_LOG"

# The web server stopping (or Ctrl-C) stops everything; the worker and the listener restart.
wait "$WEB"
