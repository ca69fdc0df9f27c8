#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL cluster, for the read-replica test
# (wangge/core/tests/test_replica_postgres.py) and for trying the router by hand.
#
#   scripts/replica.sh          make sure a hot standby of 127.0.0.1:5432 answers on 127.0.0.1:5433
#
# Idempotent and quick when the standby already streams: it only checks. Otherwise it creates the
# Debian cluster "replica" (pg_createcluster), copies the primary with `pg_basebackup -R` (which
# writes standby.signal and primary_conninfo) and starts it. A standby that no longer streams (it
# was down while the primary recycled the WAL it needs) is dropped and copied again.
# The standby streams through a replication slot, so the primary keeps the WAL it has not read yet
# (a busy primary recycles it within seconds); max_slot_wal_keep_size caps what a standby that is
# down may hold back (1 GB), after which its slot is given up and the next run copies it again.
# Physical replication copies the whole cluster, so every database of the primary, the ones pytest
# creates included, is on the standby too. It needs the primary to accept replication connections
# from loopback for user postgres without a password; the script adds that line to its pg_hba.conf
# when missing, as scripts/machine.sh does for ordinary connections.
set -euo pipefail
PRIMARY_PORT=5432
REPLICA_PORT=${WANGGE_REPLICA_PORT:-5433}
CLUSTER=replica
SLOT=wangge_replica

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}
on_primary() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -tAc "$1"; }
on_replica() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -tAc "$1" 2>/dev/null; }
streaming() {
  [[ $(on_replica "SELECT pg_is_in_recovery()") == "t" ]] &&
    [[ $(on_replica "SELECT status FROM pg_stat_wal_receiver") == "streaming" ]]
}
wait_streaming() {
  for _ in $(seq "$1"); do streaming && return 0; sleep 0.5; done
  return 1
}

streaming && exit 0

version=$(ls /etc/postgresql | sort -V | tail -n 1)
conf=/etc/postgresql/$version/$CLUSTER

hba=$(on_primary "SHOW hba_file")
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  sed -i '1i host replication postgres 127.0.0.1/32 trust' "$hba"
  on_primary "SELECT pg_reload_conf()" >/dev/null
fi
if [[ $(on_primary "SHOW max_slot_wal_keep_size") == "-1" ]]; then
  on_primary "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'" >/dev/null
  on_primary "SELECT pg_reload_conf()" >/dev/null
fi

if [[ -d $conf ]]; then
  pg_ctlcluster --skip-systemctl-redirect "$version" "$CLUSTER" start >/dev/null 2>&1 || true
  wait_streaming 20 && exit 0
  echo "replica: the standby on port $REPLICA_PORT does not stream; copying the primary again" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" "$CLUSTER" stop >/dev/null 2>&1 || true
  pg_dropcluster "$version" "$CLUSTER"
fi
on_primary "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null

pg_createcluster "$version" "$CLUSTER" -p "$REPLICA_PORT" >/dev/null
data=$(awk -F"'" '/^data_directory/ {print $2}' "$conf/postgresql.conf")
sed -i '1i host all postgres 127.0.0.1/32 trust' "$conf/pg_hba.conf"
rm -rf "${data:?}"/*
as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$data" -R -X stream -C -S "$SLOT" -c fast
pg_ctlcluster --skip-systemctl-redirect "$version" "$CLUSTER" start
if ! wait_streaming 60; then
  echo "replica: the standby on port $REPLICA_PORT started but does not stream" >&2
  exit 1
fi
