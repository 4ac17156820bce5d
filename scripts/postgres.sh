#!/usr/bin/env bash
# A project-local PostgreSQL cluster under .fieldbook/pg, on its own port,
# used when DATABASE_URL is not set. Sourced by ./fieldbook.

PG_PORT=${FIELDBOOK_PG_PORT:-54329}
PG_DIR="$ROOT/.fieldbook/pg"
PG_LOG="$ROOT/.fieldbook/postgres.log"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

# Runs a PostgreSQL binary as a non-root user: initdb and postgres refuse root.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# As root the cluster runs as `postgres`, which must be able to reach the data directory:
# a clone inside a private directory (e.g. `mktemp -d`, mode 700) would hide it. Grants
# search permission only (o+x, no listing) on each ancestor that lacks it.
open_path_for_pg_user() {
  [ "$(id -u)" = 0 ] || return 0
  local dir=$ROOT
  while [ "$dir" != / ]; do
    if ! runuser -u postgres -- test -x "$dir"; then
      log "letting the postgres user pass through $dir (chmod o+x)"
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}

pg_running() { as_pg_user "$(pg_bin)/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; }

start_local_postgres() {
  ensure_postgres
  local bin; bin=$(pg_bin)
  mkdir -p "$ROOT/.fieldbook"
  open_path_for_pg_user
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    log "creating a local PostgreSQL cluster in .fieldbook/pg (port $PG_PORT)"
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DIR" "$ROOT/.fieldbook"; fi
    chmod 700 "$PG_DIR"
    as_pg_user "$bin/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! pg_running; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    [ "$(id -u)" = 0 ] && touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
    as_pg_user "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_LOG" -w \
      -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  fi
}

pg_admin_url() { echo "postgres://postgres@127.0.0.1:$PG_PORT/${1:-postgres}"; }

# psql against the server DATABASE_URL points at (or the local cluster).
admin_psql() {
  local url=${DATABASE_URL:-$(pg_admin_url)}
  psql "$url" -v ON_ERROR_STOP=1 -qAt "$@"
}

# The URL of database $1 on the same server as DATABASE_URL.
url_for_db() { echo "${DATABASE_URL%/*}/$1"; }

ensure_database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    log "using DATABASE_URL from the environment"
    return
  fi
  start_local_postgres
  DATABASE_URL=$(pg_admin_url fieldbook)
  if [ "$(psql "$(pg_admin_url)" -qAt -c "select 1 from pg_database where datname = 'fieldbook'")" != 1 ]; then
    psql "$(pg_admin_url)" -q -c 'create database fieldbook' >/dev/null
  fi
}

# Drops and recreates database $1; prints its URL.
fresh_database() {
  local name=$1
  admin_psql -c "drop database if exists $name with (force)" >/dev/null
  admin_psql -c "create database $name" >/dev/null
  url_for_db "$name"
}

# A scratch database with every migration applied by psql, for checking the
# queries while refreshing .sqlx/ (the server applies migrations itself elsewhere).
prepare_database_url() {
  local url; url=$(fresh_database fieldbook_prepare)
  for f in migrations/*.sql; do
    psql "$url" -v ON_ERROR_STOP=1 -q -f "$f" >/dev/null
  done
  echo "$url"
}

cmd_db() {
  case "${1:-status}" in
    start) ensure_database; echo "$DATABASE_URL" ;;
    stop) pg_running && as_pg_user "$(pg_bin)/pg_ctl" -D "$PG_DIR" -m fast stop ;;
    status) if pg_running; then echo "running on port $PG_PORT"; else echo "stopped"; fi ;;
    url) ensure_database >/dev/null; echo "$DATABASE_URL" ;;
    psql) ensure_database; exec psql "$DATABASE_URL" ;;
    *) echo "usage: ./fieldbook db start|stop|status|url|psql" >&2; return 2 ;;
  esac
}
