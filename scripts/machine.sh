#!/usr/bin/env bash
# Make this machine able to run Wangge's commands: install the Debian packages they need when missing,
# start the local services they use. Idempotent and quiet when everything is already there.
#
#   scripts/machine.sh run    npm (for the vendored front-end packages), mosquitto (the MQTT broker
#                             door sensors publish to), started when nothing listens on 1883;
#                             Pango and fonts-noto-cjk (WeasyPrint lays out the PDFs with them)
#   scripts/machine.sh test   the same, and chromium, postgresql, redis-server; starts PostgreSQL
#                             and Redis when down and creates the test database
#
# Packages are installed as root, or through `sudo -n` when that works; otherwise the script stops
# at once with the exact `apt-get install` line to run. Environment: TEST_POSTGRES_URL is not read
# here; PostgreSQL is expected on 127.0.0.1:5432 and Redis on 127.0.0.1:6379, as docs/operations.md says.
set -euo pipefail
purpose=${1:-test}
export DEBIAN_FRONTEND=noninteractive

# grep reads to the end (no -q): under pipefail a writer cut off early would read as "missing".
has_cjk_fonts() { command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -F "Noto Sans CJK" >/dev/null; }
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }

missing=()
command -v npm >/dev/null || missing+=(npm)
[[ -x /usr/sbin/mosquitto ]] || command -v mosquitto >/dev/null || missing+=(mosquitto)
installed libpango-1.0-0 || missing+=(libpango-1.0-0)
installed libpangoft2-1.0-0 || missing+=(libpangoft2-1.0-0)
has_cjk_fonts || missing+=(fonts-noto-cjk)
if [[ "$purpose" == "test" ]]; then
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
fi

fresh_postgresql=0
if (( ${#missing[@]} )); then
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "Wangge needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  [[ " ${missing[*]} " == *" postgresql "* ]] && fresh_postgresql=1
  echo "installing from Debian: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ "$purpose" == "run" ]]; then
  # The device listener of `make run` talks to a broker on 127.0.0.1:1883 unless told otherwise.
  if [[ -z "${WANGGE_MQTT_URL:-}" ]] && ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
    mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
    "$mosquitto_bin" -d -p 1883
  fi
  exit 0
fi

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if (( fresh_postgresql )); then
  # A cluster this script just installed asks for passwords on TCP; the test suite connects as
  # postgres over loopback without one, as on the project's machines.
  hba=$(as_postgres psql -tAc "SHOW hba_file")
  sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  as_postgres psql -qc "SELECT pg_reload_conf()" >/dev/null
fi
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE test"
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
