#!/usr/bin/env bash
# `make test`: the whole suite on SQLite (browser tests included), then on PostgreSQL when it is
# reachable at 127.0.0.1:5432, with its streaming read replica on 127.0.0.1:5433 (scripts/replica.sh,
# for the read-replica test). With CI=true an unreachable PostgreSQL or Redis, or a replica that
# cannot be made, is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
export WANGGE_VAR_DIR=${WANGGE_VAR_DIR:-$PWD/var/test}
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
REPLICA_URL=${TEST_POSTGRES_REPLICA_URL:-postgres://postgres@127.0.0.1:5433/test}
JOBS=${TEST_JOBS:-2}

reachable() { $PY - "$1" <<'PYEOF'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
except Exception as error:
    print(f"PostgreSQL unreachable: {error}", file=sys.stderr)
    sys.exit(1)
PYEOF
}

echo "== lint =="
make --no-print-directory lint

echo "== SQLite =="
env -u DATABASE_URL $PY -m pytest -n "$JOBS" -q "$@"

if reachable "$PG_URL"; then
  echo "== PostgreSQL =="
  if scripts/replica.sh; then
    export DATABASE_REPLICA_URL="$REPLICA_URL"
  elif [[ "${CI:-}" == "true" ]]; then
    echo "A read replica is required when CI=true (scripts/replica.sh)" >&2
    exit 1
  else
    echo "!! no read replica: the read-replica test is skipped (CI=true makes this a failure)" >&2
  fi
  DATABASE_URL="$PG_URL" $PY -m pytest -n "$JOBS" -q -m "not browser" "$@"
elif [[ "${CI:-}" == "true" ]]; then
  echo "PostgreSQL is required when CI=true" >&2
  exit 1
else
  echo "!! PostgreSQL not reachable at $PG_URL: the PostgreSQL run was skipped (CI=true makes this a failure)" >&2
fi
