#!/usr/bin/env bash
# A two-peer IPFS Cluster (v1.1.0, CRDT consensus) on 127.0.0.1, for pinning with replication.
#
#   deploy/local/ipfs-cluster.sh install       build ipfs-cluster-service and -ctl when missing
#   deploy/local/ipfs-cluster.sh start         install if needed, init once, start, print exports
#   deploy/local/ipfs-cluster.sh stop | kill   both cluster peers and Kubo 1 (SIGTERM | SIGKILL)
#   deploy/local/ipfs-cluster.sh status | env
#   deploy/local/ipfs-cluster.sh stop-peer N | kill-peer N | start-peer N     (N = 0 or 1)
#   deploy/local/ipfs-cluster.sh ctl ARGS...   ipfs-cluster-ctl against peer 0's REST API
#
# Peer 0 uses the Kubo of kubo.sh (started here when not running; it must run online, which
# kubo.sh does unless L1_KUBO_OFFLINE=1). Peer 1 gets a second Kubo, run by kubo.sh with its
# own state dir and ports, peered with the first over loopback so that bitswap replicates.
# Stopping this cluster never stops the first Kubo.
#
# Environment (defaults):
#   L1_CLUSTER_VERSION=v1.1.0
#   L1_CLUSTER_HOME=/opt/ipfs-cluster (non-root without /opt: ~/.local/share/artdag-l1/ipfs-cluster)
#   L1_SERVICES_DIR=~/.cache/artdag-l1/services   state under $L1_SERVICES_DIR/ipfs-cluster:
#       secret, pinsvc.password, pinsvc.token (mode 600), peer0/ and peer1/ (service.json,
#       identity.json, peerstore, pebble/, cluster.log, cluster.pid), kubo1/ (kubo.sh state)
#   L1_CLUSTER_API_PORT=9094  L1_CLUSTER_SWARM_PORT=9096  (peer 1: each + 100)
#   L1_PINSVC_PORT=9097       Pinning Service API of peer 0
#   L1_KUBO1_API_PORT=5101  L1_KUBO1_GATEWAY_PORT=8180  L1_KUBO1_SWARM_PORT=4101
#   and kubo.sh's (L1_KUBO_API_PORT, L1_KUBO_SWARM_PORT, ...) for the first Kubo.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

L1_CLUSTER_VERSION="${L1_CLUSTER_VERSION:-v1.1.0}"
if [ -z "${L1_CLUSTER_HOME:-}" ]; then
  L1_CLUSTER_HOME=/opt/ipfs-cluster
  if ! is_root && [ ! -x /opt/ipfs-cluster/bin/ipfs-cluster-service ] \
      && ! { mkdir -p /opt/ipfs-cluster/bin 2>/dev/null && [ -w /opt/ipfs-cluster/bin ]; }; then
    L1_CLUSTER_HOME="${XDG_DATA_HOME:-$HOME/.local/share}/artdag-l1/ipfs-cluster"
  fi
fi
L1_CLUSTER_API_PORT="${L1_CLUSTER_API_PORT:-9094}"
L1_CLUSTER_SWARM_PORT="${L1_CLUSTER_SWARM_PORT:-9096}"
L1_PINSVC_PORT="${L1_PINSVC_PORT:-9097}"
L1_KUBO1_API_PORT="${L1_KUBO1_API_PORT:-5101}"
L1_KUBO1_GATEWAY_PORT="${L1_KUBO1_GATEWAY_PORT:-8180}"
L1_KUBO1_SWARM_PORT="${L1_KUBO1_SWARM_PORT:-4101}"
KUBO0_API_PORT="${L1_KUBO_API_PORT:-5001}"
KUBO0_SWARM_PORT="${L1_KUBO_SWARM_PORT:-4001}"

CL_DIR="$L1_SERVICES_DIR/ipfs-cluster"
SECRET_FILE="$CL_DIR/secret"
PASSWORD_FILE="$CL_DIR/pinsvc.password"
TOKEN_FILE="$CL_DIR/pinsvc.token"
KUBO1_DIR="$CL_DIR/kubo1"
SERVICE_BIN="$L1_CLUSTER_HOME/bin/ipfs-cluster-service"
CTL_BIN="$L1_CLUSTER_HOME/bin/ipfs-cluster-ctl"
PINSVC_USER=artdag
PINSVC="http://127.0.0.1:$L1_PINSVC_PORT"
MODULE=github.com/ipfs-cluster/ipfs-cluster

peer_dir() { echo "$CL_DIR/peer$1"; }
api_port() { echo $((L1_CLUSTER_API_PORT + 100 * $1)); }
swarm_port() { echo $((L1_CLUSTER_SWARM_PORT + 100 * $1)); }
api_url() { echo "http://127.0.0.1:$(api_port "$1")"; }
pidfile() { echo "$(peer_dir "$1")/cluster.pid"; }
kubo_api_port() { if [ "$1" = 0 ]; then echo "$KUBO0_API_PORT"; else echo "$L1_KUBO1_API_PORT"; fi; }

# kubo.sh for the second Kubo: its own state dir, repo and ports.
kubo1() {
  L1_KUBO_DIR="$KUBO1_DIR" IPFS_PATH="$KUBO1_DIR/repo" L1_KUBO_OFFLINE=0 \
    L1_KUBO_API_PORT="$L1_KUBO1_API_PORT" L1_KUBO_GATEWAY_PORT="$L1_KUBO1_GATEWAY_PORT" \
    L1_KUBO_SWARM_PORT="$L1_KUBO1_SWARM_PORT" "$HERE/kubo.sh" "$@"
}

has_version() { # has_version BINARY
  [ -x "$1" ] && "$1" --version 2>/dev/null | grep -q " version ${L1_CLUSTER_VERSION#v}\$"
}

find_go() {
  local g
  for g in go /usr/local/go/bin/go /usr/lib/go/bin/go; do
    if command -v "$g" >/dev/null 2>&1; then command -v "$g"; return 0; fi
  done
  return 1
}

install_cluster() {
  if has_version "$SERVICE_BIN" && has_version "$CTL_BIN"; then
    log "ipfs-cluster $L1_CLUSTER_VERSION present in $L1_CLUSTER_HOME/bin"; return 0
  fi
  mkdir -p "$L1_CLUSTER_HOME/bin" 2>/dev/null \
    || die "cannot create $L1_CLUSTER_HOME/bin; set L1_CLUSTER_HOME to a writable dir"
  [ -w "$L1_CLUSTER_HOME/bin" ] || die "$L1_CLUSTER_HOME/bin is not writable; set L1_CLUSTER_HOME"
  local go
  if ! go="$(find_go)"; then
    apt_install golang-go
    go="$(find_go)" || die "go not found after installing golang-go"
  fi
  # As kubo.sh: a scratch module with `go get` + `go build` (`go install pkg@version` needs a
  # version list the module proxy may refuse); one build at a time; the lock fd is closed
  # before any daemon starts.
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$L1_CLUSTER_HOME/.build.lock"
    log "taking the ipfs-cluster build lock $L1_CLUSTER_HOME/.build.lock"
    flock 8
    if has_version "$SERVICE_BIN" && has_version "$CTL_BIN"; then
      exec 8>&-
      log "ipfs-cluster $L1_CLUSTER_VERSION built by another process"
      return 0
    fi
  fi
  local work tmp="$L1_CLUSTER_HOME/bin/.build.$$"
  work="$(mktemp -d "${TMPDIR:-/tmp}/clusterbuild.XXXXXX")"
  log "building ipfs-cluster $L1_CLUSTER_VERSION from source in $work (a few minutes on 2 cores)"
  (
    cd "$work"
    export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" GOFLAGS="${GOFLAGS:--buildvcs=false}"
    "$go" mod init clusterbuild >&2
    "$go" get "$MODULE/cmd/ipfs-cluster-service@$L1_CLUSTER_VERSION" \
      "$MODULE/cmd/ipfs-cluster-ctl@$L1_CLUSTER_VERSION" >&2
    mkdir -p "$tmp"
    "$go" build -trimpath -o "$tmp/" "$MODULE/cmd/ipfs-cluster-service" "$MODULE/cmd/ipfs-cluster-ctl" >&2
  ) || { rm -rf "$work" "$tmp"; die "ipfs-cluster build failed"; }
  mv -f "$tmp/ipfs-cluster-service" "$SERVICE_BIN"
  mv -f "$tmp/ipfs-cluster-ctl" "$CTL_BIN"
  rm -rf "$work" "$tmp"
  if ! { has_version "$SERVICE_BIN" && has_version "$CTL_BIN"; }; then
    die "built ipfs-cluster but --version is not ${L1_CLUSTER_VERSION#v}"
  fi
  exec 8>&- || true
  log "installed $("$SERVICE_BIN" --version), $("$CTL_BIN" --version)"
}

# ---------------------------------------------------------------- configuration

# random_hex BYTES
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# write_secret FILE VALUE: mode 600 from the start.
write_secret() { (umask 077; printf '%s\n' "$2" >"$1.tmp"); mv -f "$1.tmp" "$1"; }

peer_id() { jq -r .id "$(peer_dir "$1")/identity.json"; }

# init_peer N: service.json and identity.json, once; the settings below are re-applied on
# every start (ports may change).
init_peer() {
  local n="$1" dir
  dir="$(peer_dir "$n")"
  if [ ! -f "$dir/identity.json" ] || [ ! -f "$dir/service.json" ]; then
    log "ipfs-cluster-service init --consensus crdt (peer $n) in $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    # (init makes a random secret; the shared one is set below)
    "$SERVICE_BIN" -c "$dir" init --consensus crdt --datastore pebble >/dev/null 2>&1 \
      || die "ipfs-cluster-service init failed for peer $n"
  fi
  local other=$((1 - n)) peers='[]' pinsvc='null'
  if [ -f "$(peer_dir "$other")/identity.json" ]; then
    peers="[\"/ip4/127.0.0.1/tcp/$(swarm_port "$other")/p2p/$(peer_id "$other")\"]"
  fi
  if [ "$n" = 0 ]; then
    pinsvc="{\"listen\": \"/ip4/127.0.0.1/tcp/$L1_PINSVC_PORT\", \"user\": \"$PINSVC_USER\"}"
  fi
  # Loopback only: the ipfs proxy API and QUIC are dropped, the Pinning Service API is kept
  # on peer 0 only (basic auth; its JWT is the token), replication defaults stay -1 (every
  # peer), pebble gets a small cache. Faster than the defaults, for a 2-peer test cluster:
  # peers ping every 5 s (the peerset settles in seconds) and the CRDT heads are rebroadcast
  # every 10 s (a peer that was down learns the pins it missed within ~10 s, not ~1 min).
  (umask 077
   jq --arg name "artdag-l1-peer$n" \
      --arg swarm "/ip4/127.0.0.1/tcp/$(swarm_port "$n")" \
      --arg rest "/ip4/127.0.0.1/tcp/$(api_port "$n")" \
      --arg kubo "/ip4/127.0.0.1/tcp/$(kubo_api_port "$n")" \
      --argjson peers "$peers" --argjson pinsvc "$pinsvc" \
      --rawfile secret "$SECRET_FILE" --rawfile pw "$PASSWORD_FILE" '
     .cluster.secret = ($secret | rtrimstr("\n"))
     | .cluster.peername = $name
     | .cluster.listen_multiaddress = [$swarm]
     | .cluster.peer_addresses = $peers
     | .cluster.mdns_interval = "0s"
     | .cluster.enable_relay_hop = false
     | .cluster.monitor_ping_interval = "5s"
     | .consensus.crdt.rebroadcast_interval = "10s"
     | .api.restapi.http_listen_multiaddress = $rest
     | .api.restapi.basic_auth_credentials = null
     | del(.api.ipfsproxy)
     | if $pinsvc == null then del(.api.pinsvcapi)
       else .api.pinsvcapi = ((.api.pinsvcapi // .api.restapi)
              + {http_listen_multiaddress: $pinsvc.listen,
                 basic_auth_credentials: {($pinsvc.user): ($pw | rtrimstr("\n"))}}) end
     | .ipfs_connector.ipfshttp.node_multiaddress = $kubo
     | .ipfs_connector.ipfshttp.connect_swarms_delay = "5s"
     | .observations.metrics.enable_stats = false
     | .observations.tracing.enable_tracing = false
     | .datastore.pebble.pebble_options.cache_size_bytes = 67108864
     | .datastore.pebble.pebble_options.mem_table_size = 16777216
   ' "$dir/service.json" >"$dir/service.json.tmp") || die "cannot rewrite $dir/service.json"
  mv -f "$dir/service.json.tmp" "$dir/service.json"
  chmod 600 "$dir/service.json" "$dir/identity.json"
}

init_cluster() {
  mkdir -p "$CL_DIR"
  chmod 700 "$CL_DIR"
  [ -s "$SECRET_FILE" ] || write_secret "$SECRET_FILE" "$(random_hex 32)"
  [ -s "$PASSWORD_FILE" ] || { write_secret "$PASSWORD_FILE" "$(random_hex 24)"; rm -f "$TOKEN_FILE"; }
  # Both identities first, so that each config can name the other peer.
  local n
  for n in 0 1; do [ -f "$(peer_dir "$n")/identity.json" ] || init_peer "$n"; done
  for n in 0 1; do init_peer "$n"; done
}

# ---------------------------------------------------------------- Kubo

kubo_rpc() { # kubo_rpc PORT PATH -> POSTs to Kubo's RPC API
  curl -fsS -m 10 -X POST "http://127.0.0.1:$1/api/v0/$2"
}

kubo_id() { kubo_rpc "$1" id | jq -r .ID; }

kubo_online() { kubo_rpc "$1" swarm/addrs/listen >/dev/null 2>&1; }

kubos_connected() { kubo_rpc "$L1_KUBO1_API_PORT" swarm/peers | jq -e --arg id "$1" '.Peers // [] | any(.Peer == $id)' >/dev/null; }

start_kubos() {
  local out
  out="$("$HERE/kubo.sh" start)" || die "the first Kubo (kubo.sh) did not start"
  kubo_online "$KUBO0_API_PORT" || die "the Kubo at 127.0.0.1:$KUBO0_API_PORT runs --offline (started by an older kubo.sh or with L1_KUBO_OFFLINE=1), so it cannot serve blocks to the second Kubo; restart it: deploy/local/kubo.sh stop && deploy/local/kubo.sh start"
  out="$(kubo1 start)" || die "the second Kubo did not start (log: $KUBO1_DIR/ipfs.log)"
  : "$out"
  local id0 id1 addr0 addr1
  id0="$(kubo_id "$KUBO0_API_PORT")"
  id1="$(kubo_id "$L1_KUBO1_API_PORT")"
  addr0="/ip4/127.0.0.1/tcp/$KUBO0_SWARM_PORT/p2p/$id0"
  addr1="/ip4/127.0.0.1/tcp/$L1_KUBO1_SWARM_PORT/p2p/$id1"
  # Kubo 1 keeps Peering.Peers in its config (reconnects on its own, also after restarts);
  # both get the peering at runtime too (the first Kubo's config is left alone).
  local peering
  peering="$(jq -cn --arg id "$id0" --arg a "/ip4/127.0.0.1/tcp/$KUBO0_SWARM_PORT" '[{ID: $id, Addrs: [$a]}]')"
  kubo_rpc "$L1_KUBO1_API_PORT" "config?arg=Peering.Peers&arg=$(jq -rn --arg v "$peering" '$v|@uri')&json=true" >/dev/null \
    || die "cannot set Peering.Peers of the second Kubo"
  kubo_rpc "$L1_KUBO1_API_PORT" "swarm/peering/add?arg=$addr0" >/dev/null \
    || die "swarm peering add on the second Kubo failed"
  kubo_rpc "$KUBO0_API_PORT" "swarm/peering/add?arg=$addr1" >/dev/null \
    || die "swarm peering add on the first Kubo failed"
  kubo_rpc "$L1_KUBO1_API_PORT" "swarm/connect?arg=$addr0" >/dev/null 2>&1 || true
  wait_until "$L1_SERVICE_WAIT_SECONDS" "Kubo peering (127.0.0.1:$L1_KUBO1_SWARM_PORT <-> 127.0.0.1:$KUBO0_SWARM_PORT)" \
    kubos_connected "$id0" || die "the two Kubos did not connect; see $KUBO1_DIR/ipfs.log"
}

# ---------------------------------------------------------------- cluster peers

peer_ready() { curl -fsS -m 2 "$(api_url "$1")/id" >/dev/null; }

# peers_seen N COUNT: peer N's REST API lists COUNT peers, none with an error.
peers_seen() {
  curl -fsS -m 5 "$(api_url "$1")/peers" \
    | jq -s -e --argjson want "$2" 'length == $want and all(.error == "" or .error == null)' >/dev/null
}

pinsvc_ready() { curl -fsS -m 2 -o /dev/null "$PINSVC/health"; }

start_peer() {
  local n="$1" dir pf args=()
  dir="$(peer_dir "$n")"
  pf="$(pidfile "$n")"
  if pid_alive "$pf" && peer_ready "$n"; then
    log "cluster peer $n already running (pid $(cat "$pf")) at $(api_url "$n")"
    return 0
  fi
  rm -f "$pf"
  local port ports=("$(api_port "$n")" "$(swarm_port "$n")")
  if [ "$n" = 0 ]; then ports+=("$L1_PINSVC_PORT"); fi
  for port in "${ports[@]}"; do
    port_open "$port" && die "127.0.0.1:$port is taken by another process; stop it or change L1_CLUSTER_API_PORT / L1_CLUSTER_SWARM_PORT / L1_PINSVC_PORT"
  done
  init_peer "$n"
  if [ "$n" = 1 ]; then
    args=(--bootstrap "/ip4/127.0.0.1/tcp/$(swarm_port 0)/p2p/$(peer_id 0)")
  fi
  log "starting ipfs-cluster-service peer $n (REST $(api_url "$n"), log: $dir/cluster.log)"
  nohup "$SERVICE_BIN" -c "$dir" daemon "${args[@]}" >>"$dir/cluster.log" 2>&1 </dev/null &
  echo $! >"$pf"
  if ! wait_until "$L1_SERVICE_WAIT_SECONDS" "cluster peer $n API $(api_url "$n")" peer_ready "$n"; then
    tail -n 30 "$dir/cluster.log" >&2 || true
    stop_pidfile "$pf" "cluster peer $n"
    die "cluster peer $n did not answer $(api_url "$n")/id within $L1_SERVICE_WAIT_SECONDS s"
  fi
  pid_alive "$pf" || die "cluster peer $n exited; see $dir/cluster.log"
}

# The Pinning Service API token: the JWT that POST /token issues for the basic-auth user
# (HS256, signed with its password). Made once, checked on every start.
ensure_token() {
  wait_until "$L1_SERVICE_WAIT_SECONDS" "pinning service API $PINSVC" pinsvc_ready \
    || die "the pinning service API $PINSVC did not answer"
  if [ -s "$TOKEN_FILE" ] && token_valid; then return 0; fi
  log "obtaining a pinning service token for user $PINSVC_USER (stored in $TOKEN_FILE)"
  local tok
  # credentials on stdin (curl -K -), never in the process list
  tok="$(printf 'user = "%s:%s"\n' "$PINSVC_USER" "$(head -n1 "$PASSWORD_FILE")" \
         | curl -fsS -m 10 -K - -X POST "$PINSVC/token" | jq -r .token)" \
    || die "POST $PINSVC/token failed"
  if [ -z "$tok" ] || [ "$tok" = null ]; then die "POST $PINSVC/token returned no token"; fi
  write_secret "$TOKEN_FILE" "$tok"
  token_valid || die "the new pinning service token is refused by $PINSVC"
}

token_valid() {
  # one cheap status call (the empty identity CID); listing all pins would walk the pinset
  printf 'header = "Authorization: Bearer %s"\n' "$(head -n1 "$TOKEN_FILE")" \
    | curl -fsS -m 10 -K - -o /dev/null "$PINSVC/pins?cid=bafkqaaa"
}

start_cluster() {
  install_cluster
  command -v curl >/dev/null 2>&1 || apt_install curl
  command -v jq >/dev/null 2>&1 || apt_install jq
  start_kubos
  init_cluster
  start_peer 0
  start_peer 1
  wait_until "$L1_SERVICE_WAIT_SECONDS" "cluster of 2 peers" peers_seen 0 2 \
    || die "peer 0 does not see 2 healthy peers: $(curl -fsS -m 5 "$(api_url 0)/peers" 2>&1 | head -c 2000)"
  ensure_token
}

stop_all() { # stop_all stop_pidfile|kill_pidfile
  "$1" "$(pidfile 1)" "cluster peer 1"
  "$1" "$(pidfile 0)" "cluster peer 0"
  if [ "$1" = kill_pidfile ]; then kubo1 kill; else kubo1 stop; fi
}

status_cluster() {
  local rc=0 n
  for n in 0 1; do
    if pid_alive "$(pidfile "$n")" && peer_ready "$n"; then log "peer $n running at $(api_url "$n")"
    else log "peer $n not running"; rc=1; fi
  done
  if [ "$rc" = 0 ]; then
    if peers_seen 0 2; then log "peer 0 sees 2 healthy peers"; else log "peer 0 does not see 2 healthy peers"; rc=1; fi
    if pinsvc_ready; then log "pinning service API at $PINSVC"; else log "pinning service API $PINSVC not answering"; rc=1; fi
  fi
  kubo1 status || rc=1
  return "$rc"
}

print_env() {
  echo "export L1_CLUSTER_API=$(api_url 0)"
  echo "export L1_CLUSTER_API_1=$(api_url 1)"
  echo "export L1_PINSVC_API=$PINSVC"
  if [ -s "$TOKEN_FILE" ]; then
    echo "export L1_PINSVC_TOKEN=$(head -n1 "$TOKEN_FILE")"
  else
    log "no pinning service token yet ($TOKEN_FILE): run $0 start"
  fi
}

peer_arg() {
  case "${1:-}" in 0|1) echo "$1" ;; *) echo "usage: $0 ${2:-stop-peer} 0|1" >&2; exit 2 ;; esac
}

case "${1:-}" in
  install) install_cluster ;;
  start) start_cluster; print_env ;;
  stop) stop_all stop_pidfile ;;
  kill) stop_all kill_pidfile ;;
  status) status_cluster ;;
  env) print_env ;;
  stop-peer) n="$(peer_arg "${2:-}" stop-peer)"; stop_pidfile "$(pidfile "$n")" "cluster peer $n" ;;
  kill-peer) n="$(peer_arg "${2:-}" kill-peer)"; kill_pidfile "$(pidfile "$n")" "cluster peer $n" ;;
  start-peer)
    n="$(peer_arg "${2:-}" start-peer)"
    install_cluster
    start_kubos
    start_peer "$n"
    ;;
  ctl) shift; exec "$CTL_BIN" --host "/ip4/127.0.0.1/tcp/$(api_port 0)" "$@" ;;
  *) echo "usage: $0 install|start|stop|kill|status|env|stop-peer N|kill-peer N|start-peer N|ctl ARGS..." >&2; exit 2 ;;
esac
