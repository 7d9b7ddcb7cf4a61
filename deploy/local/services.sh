#!/usr/bin/env bash
# Kubo, Redis, PostgreSQL, Kafka, a two-peer IPFS Cluster and an S3 server (moto) for local runs and integration tests, all on 127.0.0.1.
#   eval "$(deploy/local/services.sh start)"    # installs what is missing, starts, exports
#   deploy/local/services.sh stop [kubo|redis|postgres|kafka|ipfs-cluster|s3 ...]
#   deploy/local/services.sh status|env
# stdout carries only `export ...` lines; progress goes to stderr. A service that cannot
# be started makes `start` exit non-zero.
#
# `start` also exports L1_SERVICES_STARTED: the services this call started (as opposed to
# found running), so a caller can stop only those: services.sh stop $L1_SERVICES_STARTED
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ALL=(kubo redis postgres kafka ipfs-cluster s3)

case "${1:-}" in
  start)
    started=()
    out=""
    for s in "${ALL[@]}"; do
      if "$HERE/$s.sh" status 2>/dev/null; then was_up=1; else was_up=0; fi
      if ! one="$("$HERE/$s.sh" start)"; then
        echo "[services] ERROR: $s failed to start" >&2
        # leave nothing behind that this call started
        for t in "${started[@]}"; do "$HERE/$t.sh" stop || true; done
        exit 1
      fi
      out+="$one"$'\n'
      [ "$was_up" = 1 ] || started+=("$s")
    done
    printf '%s' "$out"
    echo "export L1_SERVICES_STARTED='${started[*]:-}'"
    ;;
  stop)
    shift
    # In reverse order: the cluster before the Kubo its first peer uses.
    if [ "$#" -eq 0 ]; then for ((i = ${#ALL[@]} - 1; i >= 0; i--)); do set -- "$@" "${ALL[i]}"; done; fi
    rc=0
    for s in "$@"; do "$HERE/$s.sh" stop || rc=1; done
    exit "$rc"
    ;;
  status)
    rc=0
    for s in "${ALL[@]}"; do "$HERE/$s.sh" status || rc=1; done
    exit "$rc"
    ;;
  env)
    for s in "${ALL[@]}"; do "$HERE/$s.sh" env; done
    ;;
  *) echo "usage: $0 start|stop [service...]|status|env" >&2; exit 2 ;;
esac
