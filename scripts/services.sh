#!/usr/bin/env bash
# Make PostgreSQL and Redis reachable on 127.0.0.1 for the tests: use running ones,
# otherwise start them (installing the Debian packages first when missing).
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "PostgreSQL is not running on 127.0.0.1:5432; starting it."
  command -v pg_ctlcluster >/dev/null || bash "$(dirname "$0")/system-deps.sh" test
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Local test machine: the postgres user connects over loopback without a password.
  if ! grep -q "housing-aid tests" "$hba"; then
    sed -i "1i host all postgres 127.0.0.1/32 trust # housing-aid tests" "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

# The replica test streams from this server over loopback (pg_basebackup): allow replication
# connections for postgres from 127.0.0.1, like the tests' own connections.
hba=$(psql -h 127.0.0.1 -U postgres -Atc "SHOW hba_file" 2>/dev/null || true)
if [ -n "$hba" ] && [ -w "$hba" ] && ! grep -q "housing-aid replica" "$hba"; then
  sed -i "1i host replication postgres 127.0.0.1/32 trust # housing-aid replica" "$hba"
  psql -h 127.0.0.1 -U postgres -Atc "SELECT pg_reload_conf()" >/dev/null
fi

if ! redis_up; then
  echo "Redis is not running on 127.0.0.1:6379; starting it."
  command -v redis-server >/dev/null || bash "$(dirname "$0")/system-deps.sh" test
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/housing-aid.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "Redis did not start" >&2; exit 1; }
fi
echo "PostgreSQL and Redis are up."
