# shellcheck shell=bash
# Shared helpers for deploy/local/*.sh. Sourced, not executed.
# Everything binds to 127.0.0.1; every log line goes to stderr so that `start`/`env`
# can print nothing but `export ...` lines on stdout.

L1_SERVICES_DIR="${L1_SERVICES_DIR:-${HOME:-/tmp}/.cache/artdag-l1/services}"
L1_SERVICE_WAIT_SECONDS="${L1_SERVICE_WAIT_SECONDS:-60}"

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command with root rights (directly when root, else via sudo -n when possible).
as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

# apt-get install of Debian packages; fails with a clear message when that is impossible.
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
  log "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 \
    || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
         && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; } \
    || die "could not install $* (need root or passwordless sudo)"
}

# pid_alive FILE -> 0 when FILE names a live process.
pid_alive() {
  local f="$1" pid
  [ -s "$f" ] || return 1
  pid="$(head -n1 "$f" 2>/dev/null | tr -dc '0-9')"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# port_open PORT -> 0 when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_until SECONDS DESCRIPTION CMD... -> polls CMD every 0.2 s.
wait_until() {
  local secs="$1" what="$2"; shift 2
  local start=$SECONDS deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  log "$what ready after $((SECONDS - start)) s"
}

# stop_pidfile FILE NAME -> SIGTERM, wait up to 30 s, then SIGKILL.
# SIGKILL, for the fault tests: no shutdown, nothing flushed.
kill_pidfile() {
  local f="$1" name="$2" pid
  if ! pid_alive "$f"; then log "$name not running"; rm -f "$f"; return 0; fi
  pid="$(head -n1 "$f" | tr -dc '0-9')"
  log "killing $name (pid $pid) with SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$f"
}

stop_pidfile() {
  local f="$1" name="$2" pid i
  if ! pid_alive "$f"; then log "$name not running"; rm -f "$f"; return 0; fi
  pid="$(head -n1 "$f" | tr -dc '0-9')"
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop in 30 s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}
