#!/usr/bin/env bash
# PostgreSQL 15 for local runs and tests: a private cluster (initdb) on 127.0.0.1.
#   deploy/local/postgres.sh install|start|stop|status|env
# Environment (defaults):
#   L1_SERVICES_DIR=~/.cache/artdag-l1/services   cluster at $L1_SERVICES_DIR/postgres
#   L1_PG_PORT=5432  L1_PG_DB=artdag  L1_PG_USER=artdag  L1_PG_PASSWORD=artdag
#   L1_PG_DIR       overrides the cluster's directory
# When run as root the server runs as the `postgres` OS user (initdb refuses root). If
# that user cannot reach $L1_SERVICES_DIR (e.g. under /root), the cluster goes to
# ~postgres/artdag-l1/<port> instead.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

L1_PG_PORT="${L1_PG_PORT:-5432}"
L1_PG_DB="${L1_PG_DB:-artdag}"
L1_PG_USER="${L1_PG_USER:-artdag}"
L1_PG_PASSWORD="${L1_PG_PASSWORD:-artdag}"
PG_MAJOR="${L1_PG_MAJOR:-15}"

pg_bindir() {
  local d
  for d in "/usr/lib/postgresql/$PG_MAJOR/bin" "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then echo "$d"; return 0; fi
  done
  return 1
}

install_pg() {
  if BIN="$(pg_bindir)"; then log "$("$BIN/postgres" --version) present in $BIN"; return 0; fi
  apt_install "postgresql-$PG_MAJOR" || apt_install postgresql
  BIN="$(pg_bindir)" || die "PostgreSQL binaries not found after install"
}

# Who runs the server, and where its cluster lives.
if is_root; then
  PG_OS_USER="${L1_PG_OS_USER:-postgres}"
  id "$PG_OS_USER" >/dev/null 2>&1 || PG_OS_USER=""
else
  PG_OS_USER="$(id -un)"
fi

as_pg() { # runs a command as the server's OS user
  if is_root; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

pick_dir() {
  if [ -n "${L1_PG_DIR:-}" ]; then PG_DIR="$L1_PG_DIR"; return; fi
  PG_DIR="$L1_SERVICES_DIR/postgres"
  if is_root; then
    mkdir -p "$L1_SERVICES_DIR"
    if ! runuser -u "$PG_OS_USER" -- test -x "$L1_SERVICES_DIR" 2>/dev/null; then
      local home
      home="$(getent passwd "$PG_OS_USER" | cut -d: -f6)"
      PG_DIR="${home:-/var/lib/postgresql}/artdag-l1/$L1_PG_PORT"
    fi
  fi
}

set_paths() {
  pick_dir
  DATA="$PG_DIR/data"
  SOCK="$PG_DIR/run"
  LOGFILE="$PG_DIR/postgres.log"
}

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$L1_PG_PORT" -d postgres; }
running() { [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
psql_super() { as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$L1_PG_PORT" -d postgres "$@"; }

init_cluster() {
  if is_root; then
    [ -n "$PG_OS_USER" ] || die "running as root but there is no 'postgres' OS user (set L1_PG_OS_USER)"
    mkdir -p "$PG_DIR"
    chown "$PG_OS_USER" "$PG_DIR"
  else
    mkdir -p "$PG_DIR"
  fi
  as_pg mkdir -p "$SOCK"
  as_pg chmod 700 "$SOCK"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initdb $DATA (superuser: $PG_OS_USER)"
    as_pg "$BIN/initdb" -D "$DATA" -U "$PG_OS_USER" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >&2 \
      || as_pg "$BIN/initdb" -D "$DATA" -U "$PG_OS_USER" -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >&2
  fi
  # Our settings go into an include file that is rewritten on every start.
  as_pg sh -c "cat > '$DATA/artdag-l1.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $L1_PG_PORT
unix_socket_directories = '$SOCK'
max_prepared_transactions = 16
max_connections = 100
fsync = on
CONF
  if ! grep -q "^include_if_exists = 'artdag-l1.conf'" "$DATA/postgresql.conf" 2>/dev/null \
      && ! as_pg grep -q "^include_if_exists = 'artdag-l1.conf'" "$DATA/postgresql.conf"; then
    as_pg sh -c "echo \"include_if_exists = 'artdag-l1.conf'\" >> '$DATA/postgresql.conf'"
  fi
}

ensure_role_db() {
  local pw="${L1_PG_PASSWORD//\'/\'\'}"
  psql_super >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$L1_PG_USER') THEN
    CREATE ROLE "$L1_PG_USER" LOGIN PASSWORD '$pw';
  ELSE
    ALTER ROLE "$L1_PG_USER" LOGIN PASSWORD '$pw';
  END IF;
END
\$\$;
SQL
  if [ "$(psql_super -tAc "SELECT 1 FROM pg_database WHERE datname = '$L1_PG_DB'")" != 1 ]; then
    log "creating database $L1_PG_DB owned by $L1_PG_USER"
    psql_super >&2 -c "CREATE DATABASE \"$L1_PG_DB\" OWNER \"$L1_PG_USER\""
  fi
}

start_pg() {
  install_pg
  set_paths
  if running && ready; then
    log "postgres already running on 127.0.0.1:$L1_PG_PORT ($DATA)"
    ensure_role_db
    return 0
  fi
  if port_open "$L1_PG_PORT"; then
    die "127.0.0.1:$L1_PG_PORT is taken by another process; stop it or set L1_PG_PORT"
  fi
  init_cluster
  log "starting postgres on 127.0.0.1:$L1_PG_PORT (data: $DATA, log: $LOGFILE)"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t "$L1_SERVICE_WAIT_SECONDS" start >&2 \
    || { tail -n 30 "$LOGFILE" >&2 || true; die "postgres did not start; see $LOGFILE"; }
  wait_until "$L1_SERVICE_WAIT_SECONDS" "postgres 127.0.0.1:$L1_PG_PORT" ready \
    || die "pg_isready failed for 127.0.0.1:$L1_PG_PORT"
  ensure_role_db
}

stop_pg() {
  BIN="$(pg_bindir)" || { log "postgres not installed"; return 0; }
  set_paths
  if running; then
    log "stopping postgres ($DATA)"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >&2
  else
    log "postgres not running"
  fi
}

print_env() {
  echo "export L1_PG_URL=jdbc:postgresql://127.0.0.1:$L1_PG_PORT/$L1_PG_DB"
  echo "export L1_PG_USER=$L1_PG_USER"
  echo "export L1_PG_PASSWORD=$L1_PG_PASSWORD"
}

case "${1:-}" in
  install) install_pg ;;
  start) start_pg; print_env ;;
  stop) stop_pg ;;
  status) BIN="$(pg_bindir)" || exit 1; set_paths; if running && ready; then log "running on 127.0.0.1:$L1_PG_PORT ($DATA)"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
