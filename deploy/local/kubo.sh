#!/usr/bin/env bash
# Kubo (IPFS) for local runs and tests: install v0.41.0, init a private loopback-only repo,
# run the daemon.
#   deploy/local/kubo.sh install|start|stop|kill|status|env
# Environment (defaults):
#   L1_KUBO_HOME=/opt/kubo              install dir, binary at $L1_KUBO_HOME/bin/ipfs
#   L1_KUBO_VERSION=v0.41.0
#   L1_SERVICES_DIR=~/.cache/artdag-l1/services   repo at $L1_SERVICES_DIR/kubo/repo
#   L1_KUBO_DIR=$L1_SERVICES_DIR/kubo   state dir (repo/, ipfs.log, ipfs.pid); another dir and
#                                       other ports run a second daemon (ipfs-cluster.sh does)
#   L1_KUBO_API_PORT=5001  L1_KUBO_GATEWAY_PORT=8080  L1_KUBO_SWARM_PORT=4001
#   L1_KUBO_OFFLINE=0                   1: run `daemon --offline` (no libp2p at all)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

L1_KUBO_VERSION="${L1_KUBO_VERSION:-v0.41.0}"
if [ -z "${L1_KUBO_HOME:-}" ]; then
  L1_KUBO_HOME=/opt/kubo
  # A normal user who cannot write /opt and has no Kubo there gets a per-user install.
  if ! is_root && [ ! -x /opt/kubo/bin/ipfs ] && ! { mkdir -p /opt/kubo/bin 2>/dev/null && [ -w /opt/kubo/bin ]; }; then
    L1_KUBO_HOME="${XDG_DATA_HOME:-$HOME/.local/share}/artdag-l1/kubo"
  fi
fi
L1_KUBO_API_PORT="${L1_KUBO_API_PORT:-5001}"
L1_KUBO_GATEWAY_PORT="${L1_KUBO_GATEWAY_PORT:-8080}"
L1_KUBO_SWARM_PORT="${L1_KUBO_SWARM_PORT:-4001}"
L1_KUBO_OFFLINE="${L1_KUBO_OFFLINE:-0}"
KUBO_DIR="${L1_KUBO_DIR:-$L1_SERVICES_DIR/kubo}"
export IPFS_PATH="${IPFS_PATH:-$KUBO_DIR/repo}"
PIDFILE="$KUBO_DIR/ipfs.pid"
LOGFILE="$KUBO_DIR/ipfs.log"
IPFS_BIN="$L1_KUBO_HOME/bin/ipfs"
API="http://127.0.0.1:$L1_KUBO_API_PORT"

has_version() { # has_version BINARY
  [ -x "$1" ] && "$1" version 2>/dev/null | grep -q "ipfs version ${L1_KUBO_VERSION#v}\$"
}

find_go() {
  local g
  for g in go /usr/local/go/bin/go /usr/lib/go/bin/go; do
    if command -v "$g" >/dev/null 2>&1; then command -v "$g"; return 0; fi
  done
  return 1
}

install_kubo() {
  if has_version "$IPFS_BIN"; then log "kubo $L1_KUBO_VERSION present at $IPFS_BIN"; return 0; fi
  local onpath
  onpath="$(command -v ipfs 2>/dev/null || true)"
  if [ -n "$onpath" ] && [ "$onpath" != "$IPFS_BIN" ] && has_version "$onpath"; then
    log "using kubo $L1_KUBO_VERSION from PATH: $onpath"
    mkdir -p "$L1_KUBO_HOME/bin" 2>/dev/null && ln -sf "$onpath" "$IPFS_BIN" && return 0
  fi
  mkdir -p "$L1_KUBO_HOME/bin" 2>/dev/null || die "cannot create $L1_KUBO_HOME/bin; set L1_KUBO_HOME to a writable dir"
  [ -w "$L1_KUBO_HOME/bin" ] || die "$L1_KUBO_HOME/bin is not writable; set L1_KUBO_HOME (e.g. \$HOME/.local/kubo)"
  local go
  if ! go="$(find_go)"; then
    # Debian's golang-go is older than Kubo needs; GOTOOLCHAIN=auto then fetches the
    # required toolchain through the Go module proxy.
    apt_install golang-go
    go="$(find_go)" || die "go not found after installing golang-go"
  fi
  # `go install pkg@version` needs the module's version list for its deprecation check,
  # which the proxy may refuse (403); a scratch module with `go get` + `go build` does not.
  # One build at a time (a second caller waits, then finds the binary).
  # The lock fd is closed again before the daemon starts (it must not inherit it).
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$L1_KUBO_HOME/.build.lock"
    log "taking the kubo build lock $L1_KUBO_HOME/.build.lock"
    flock 9
    if has_version "$IPFS_BIN"; then
      exec 9>&-
      log "kubo $L1_KUBO_VERSION built by another process"
      return 0
    fi
  fi
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/kubobuild.XXXXXX")"
  log "building kubo $L1_KUBO_VERSION from source in $work (several minutes on 2 cores)"
  (
    cd "$work"
    export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" GOFLAGS="${GOFLAGS:--buildvcs=false}"
    "$go" mod init kubobuild >&2
    "$go" get "github.com/ipfs/kubo/cmd/ipfs@$L1_KUBO_VERSION" >&2
    "$go" build -trimpath -o "$IPFS_BIN.tmp.$$" github.com/ipfs/kubo/cmd/ipfs >&2
  ) || { rm -rf "$work" "$IPFS_BIN.tmp.$$"; die "kubo build failed"; }
  mv -f "$IPFS_BIN.tmp.$$" "$IPFS_BIN"
  rm -rf "$work"
  has_version "$IPFS_BIN" || die "built $IPFS_BIN but 'ipfs version' is not ${L1_KUBO_VERSION#v}"
  exec 9>&- || true
  log "installed $("$IPFS_BIN" version)"
}

ipfs() { "$IPFS_BIN" "$@"; }

api_ready() { curl -fsS -m 2 -X POST "$API/api/v0/id" >/dev/null; }

configure_repo() {
  mkdir -p "$KUBO_DIR"
  if [ ! -f "$IPFS_PATH/config" ]; then
    log "ipfs init (profile test: no bootstrap peers, no MDNS, loopback only) at $IPFS_PATH"
    ipfs init --profile=test --empty-repo >&2
  fi
  # Re-applied on every start so that changed ports take effect; all loopback.
  ipfs config Addresses.API "/ip4/127.0.0.1/tcp/$L1_KUBO_API_PORT"
  ipfs config Addresses.Gateway "/ip4/127.0.0.1/tcp/$L1_KUBO_GATEWAY_PORT"
  ipfs config --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/$L1_KUBO_SWARM_PORT\"]"
  ipfs config --json Addresses.Announce '[]'
  ipfs config --json Bootstrap '[]'
  ipfs config --json Discovery.MDNS.Enabled false
  # Online but private: no DHT or delegated routing and nothing announced, so the only peers
  # are those dialled on purpose (ipfs-cluster.sh peers its second Kubo with this one over
  # loopback, and bitswap moves blocks between them).
  ipfs config Routing.Type none
  ipfs config --json Provide.Enabled false
}

start_kubo() {
  install_kubo
  command -v curl >/dev/null 2>&1 || apt_install curl
  if pid_alive "$PIDFILE" && api_ready; then
    log "kubo already running (pid $(cat "$PIDFILE")) at $API"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$L1_KUBO_API_PORT"; then
    die "127.0.0.1:$L1_KUBO_API_PORT is taken by another process; stop it or set L1_KUBO_API_PORT"
  fi
  configure_repo
  rm -f "$IPFS_PATH/repo.lock" "$IPFS_PATH/api"
  local mode=()
  # --offline: no libp2p networking at all; dag import, pin, cat, block and export work, and
  # a block the repo lacks is an immediate error. Online (the default), swarm on loopback
  # only: such a request waits for a peer to supply the block (the client's timeout ends it).
  if [ "$L1_KUBO_OFFLINE" = 1 ]; then mode=(--offline); fi
  log "starting ipfs daemon ${mode[*]:-(online, loopback only)} (log: $LOGFILE)"
  nohup "$IPFS_BIN" daemon "${mode[@]}" >>"$LOGFILE" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! wait_until "$L1_SERVICE_WAIT_SECONDS" "kubo API $API" api_ready; then
    tail -n 30 "$LOGFILE" >&2 || true
    stop_pidfile "$PIDFILE" kubo
    die "kubo did not answer $API/api/v0/id within $L1_SERVICE_WAIT_SECONDS s"
  fi
  pid_alive "$PIDFILE" || die "kubo daemon exited; see $LOGFILE"
}

print_env() {
  echo "export L1_KUBO_API=$API"
}

case "${1:-}" in
  install) install_kubo ;;
  start) start_kubo; print_env ;;
  stop) stop_pidfile "$PIDFILE" kubo ;;
  kill) kill_pidfile "$PIDFILE" kubo ;;
  status) if pid_alive "$PIDFILE" && api_ready; then log "running at $API"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 install|start|stop|kill|status|env" >&2; exit 2 ;;
esac
