#!/usr/bin/env bash
# Redis for local runs and tests: Debian redis-server as a daemon on 127.0.0.1.
#   deploy/local/redis.sh install|start|stop|status|env
# Environment (defaults):
#   L1_SERVICES_DIR=~/.cache/artdag-l1/services   data, pid and log at $L1_SERVICES_DIR/redis
#   L1_REDIS_PORT=6379
# Append-only persistence (fsync every second), so a restarted Redis keeps its indexes.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

L1_REDIS_PORT="${L1_REDIS_PORT:-6379}"
REDIS_DIR="$L1_SERVICES_DIR/redis"
PIDFILE="$REDIS_DIR/redis.pid"
LOGFILE="$REDIS_DIR/redis.log"

install_redis() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    log "$(redis-server --version | cut -d' ' -f1-3) present"
    return 0
  fi
  apt_install redis-server
}

ping() { [ "$(redis-cli -h 127.0.0.1 -p "$L1_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

start_redis() {
  install_redis
  if pid_alive "$PIDFILE" && ping; then
    log "redis already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$L1_REDIS_PORT"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$L1_REDIS_PORT"; then
    die "127.0.0.1:$L1_REDIS_PORT is taken by another process; stop it or set L1_REDIS_PORT"
  fi
  mkdir -p "$REDIS_DIR"
  log "starting redis-server on 127.0.0.1:$L1_REDIS_PORT (log: $LOGFILE)"
  # Config on stdin ("-"), so nothing depends on /etc/redis.
  redis-server - >&2 <<CONF
bind 127.0.0.1
port $L1_REDIS_PORT
protected-mode yes
daemonize yes
pidfile $PIDFILE
logfile $LOGFILE
dir $REDIS_DIR
save ""
appendonly yes
appendfsync everysec
CONF
  if ! wait_until "$L1_SERVICE_WAIT_SECONDS" "redis 127.0.0.1:$L1_REDIS_PORT" ping; then
    tail -n 30 "$LOGFILE" >&2 || true
    stop_pidfile "$PIDFILE" redis
    die "redis did not answer PING within $L1_SERVICE_WAIT_SECONDS s"
  fi
  # daemonize writes the pid file asynchronously; make sure it is there.
  wait_until 10 "redis pid file" pid_alive "$PIDFILE" || die "no redis pid file at $PIDFILE"
}

print_env() {
  echo "export L1_REDIS_URL=redis://127.0.0.1:$L1_REDIS_PORT"
}

case "${1:-}" in
  install) install_redis ;;
  start) start_redis; print_env ;;
  stop) stop_pidfile "$PIDFILE" redis ;;
  kill) kill_pidfile "$PIDFILE" redis ;;
  status) if pid_alive "$PIDFILE" && ping; then log "running on 127.0.0.1:$L1_REDIS_PORT"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 install|start|stop|kill|status|env" >&2; exit 2 ;;
esac
