#!/usr/bin/env bash
# Makes sure the Redis and PostgreSQL the tests use answer on 127.0.0.1, starting them with this
# machine's own commands when they don't. Exits non-zero with one clear sentence when it can't.
set -uo pipefail

REDIS_HOST=127.0.0.1 REDIS_PORT=6379
PG_HOST=127.0.0.1 PG_PORT=5432 PG_DB=test PG_USER=${PGUSER:-postgres}
WAIT_SECONDS=30

redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
  else
    # No client: speak RESP over bash's /dev/tcp.
    exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    local reply
    IFS= read -r -t 2 reply <&3
    exec 3>&-
    [ "${reply%$'\r'}" = "+PONG" ]
  fi
}

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || return 1
    if command -v psql >/dev/null 2>&1; then
      psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -Atqc 'select 1' >/dev/null 2>&1
    fi
  else
    (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
  fi
}

wait_for() {
  local check=$1 i
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    "$check" && return 0
    sleep 0.5
  done
  return 1
}

start_redis() {
  command -v redis-server >/dev/null 2>&1 || return 1
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1
}

start_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  local version
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1
  done
  wait_for pg_up && return 0
  # The server answers but the test database is missing: create it.
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && command -v createdb >/dev/null 2>&1; then
    createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_DB" >/dev/null 2>&1
  fi
}

if ! redis_up; then
  echo "services: Redis does not answer on $REDIS_HOST:$REDIS_PORT; starting it"
  start_redis
  if ! wait_for redis_up; then
    echo "services: Redis is not reachable at $REDIS_HOST:$REDIS_PORT and could not be started: install redis-server (Redis 7) or start it there." >&2
    exit 1
  fi
fi

if ! pg_up; then
  echo "services: PostgreSQL does not answer on $PG_HOST:$PG_PORT (database $PG_DB); starting it"
  start_postgres
  if ! wait_for pg_up; then
    echo "services: PostgreSQL is not reachable at $PG_HOST:$PG_PORT with database '$PG_DB' (trust auth) and could not be started: install PostgreSQL 15 or start it there." >&2
    exit 1
  fi
fi

echo "services: Redis $REDIS_HOST:$REDIS_PORT and PostgreSQL $PG_HOST:$PG_PORT/$PG_DB answer"
