#!/usr/bin/env bash
# An S3-compatible server on 127.0.0.1 for inputs in object storage (s3://BUCKET/PREFIX):
# moto's standalone server (PyPI `moto[server]`), installed into a virtualenv.
#   deploy/local/s3.sh install|start|stop|kill|status|env
#
# moto keeps buckets and objects in memory: a restart starts empty. It accepts any
# credentials; the ones printed are fixed test values, for this local server only.
#
# Environment (defaults):
#   L1_MOTO_VERSION=5.2.5
#   L1_S3_HOME=~/.cache/artdag-l1/moto-$L1_MOTO_VERSION   the virtualenv
#   L1_SERVICES_DIR=~/.cache/artdag-l1/services           pid and log at $L1_SERVICES_DIR/s3
#   L1_S3_PORT=9400
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

L1_MOTO_VERSION="${L1_MOTO_VERSION:-5.2.5}"
L1_S3_HOME="${L1_S3_HOME:-${HOME:-/tmp}/.cache/artdag-l1/moto-$L1_MOTO_VERSION}"
L1_S3_PORT="${L1_S3_PORT:-9400}"
S3_DIR="$L1_SERVICES_DIR/s3"
PIDFILE="$S3_DIR/s3.pid"
LOGFILE="$S3_DIR/s3.log"
ENDPOINT="http://127.0.0.1:$L1_S3_PORT"
# Test credentials of the local server (moto accepts any); not secrets.
TEST_ACCESS_KEY=artdag-test
TEST_SECRET_KEY=artdag-test-secret
TEST_REGION=us-east-1

installed() {
  [ -x "$L1_S3_HOME/bin/moto_server" ] && [ -f "$L1_S3_HOME/.complete" ]
}

install_s3() {
  if installed; then log "moto $L1_MOTO_VERSION present at $L1_S3_HOME"; return 0; fi
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
  log "installing moto[server]==$L1_MOTO_VERSION from PyPI into $L1_S3_HOME"
  rm -rf "$L1_S3_HOME"
  if ! python3 -m venv "$L1_S3_HOME" >&2; then
    apt_install python3-venv
    python3 -m venv "$L1_S3_HOME" >&2 || die "could not create a virtualenv at $L1_S3_HOME"
  fi
  "$L1_S3_HOME/bin/pip" install -q --disable-pip-version-check \
      "moto[server]==$L1_MOTO_VERSION" >&2 \
    || die "could not install moto[server]==$L1_MOTO_VERSION with pip"
  touch "$L1_S3_HOME/.complete"
  installed || die "moto install incomplete at $L1_S3_HOME"
  log "moto $L1_MOTO_VERSION installed ($(du -sh "$L1_S3_HOME" | cut -f1))"
}

# Ready when ListBuckets answers with XML.
ping() {
  "$L1_S3_HOME/bin/python" - "$ENDPOINT" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/", timeout=2) as r:
    sys.exit(0 if r.status == 200 and b"ListAllMyBucketsResult" in r.read() else 1)
PY
}

start_s3() {
  install_s3
  if pid_alive "$PIDFILE" && ping; then
    log "s3 (moto) already running (pid $(cat "$PIDFILE")) at $ENDPOINT"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$L1_S3_PORT"; then
    die "127.0.0.1:$L1_S3_PORT is taken by another process; stop it or set L1_S3_PORT"
  fi
  mkdir -p "$S3_DIR"
  log "starting moto_server on $ENDPOINT (log: $LOGFILE)"
  nohup "$L1_S3_HOME/bin/moto_server" -H 127.0.0.1 -p "$L1_S3_PORT" \
    >>"$LOGFILE" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! wait_until "$L1_SERVICE_WAIT_SECONDS" "s3 $ENDPOINT" ping; then
    tail -n 30 "$LOGFILE" >&2 || true
    stop_pidfile "$PIDFILE" s3
    die "moto_server did not answer ListBuckets within $L1_SERVICE_WAIT_SECONDS s"
  fi
}

print_env() {
  echo "export L1_S3_ENDPOINT=$ENDPOINT AWS_ACCESS_KEY_ID=$TEST_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$TEST_SECRET_KEY AWS_REGION=$TEST_REGION"
}

case "${1:-}" in
  install) install_s3 ;;
  start) start_s3; print_env ;;
  stop) stop_pidfile "$PIDFILE" s3 ;;
  kill) kill_pidfile "$PIDFILE" s3 ;;
  status) if pid_alive "$PIDFILE" && ping 2>/dev/null; then log "running at $ENDPOINT"; else log "not running"; exit 1; fi ;;
  env) print_env ;;
  *) echo "usage: $0 install|start|stop|kill|status|env" >&2; exit 2 ;;
esac
