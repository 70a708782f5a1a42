#!/usr/bin/env bash
# Run a command against a PostgreSQL primary and a real streaming replica of it: two throwaway
# clusters on loopback, the replica made with pg_basebackup -R (hot standby), both removed
# afterwards, pass or fail. Exports DATABASE_URL (primary) and TERUGKEER_REPLICA_URL (replica).
# As root the clusters belong to the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail
bindir="$(pg_config --bindir 2>/dev/null || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir="$candidate"
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_basebackup" ]; then
  echo "with-replica: no PostgreSQL server binaries found (install postgresql)" >&2
  exit 1
fi
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
dir="$(mktemp -d /tmp/terugkeer-pgrep.XXXXXX)"
port="$(free_port)"
rport="$(free_port)"
as_pg=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/replica" -m immediate stop >/dev/null 2>&1 || true
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/primary" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
# initdb --auth=trust also allows replication connections from loopback (pg_hba.conf).
"${as_pg[@]}" "$bindir/initdb" -D "$dir/primary" --auth=trust -U postgres -E UTF8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=4 -c fsync=off" \
  start >/dev/null
# The replica: a base backup of the primary, -R writes primary_conninfo and standby.signal.
"${as_pg[@]}" "$bindir/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$dir/replica" \
  -R -X stream >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w \
  -o "-p $rport -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off" \
  start >/dev/null
echo "with-replica: primary on 127.0.0.1:$port, streaming replica on 127.0.0.1:$rport"
export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
export TERUGKEER_REPLICA_URL="postgresql://postgres@127.0.0.1:$rport/postgres"
"$@"
