#!/usr/bin/env bash
# A Flink standalone session cluster on this machine, as separate processes: one JobManager
# (StandaloneSessionClusterEntrypoint) and L1_FLINK_TASKMANAGERS TaskManagers
# (TaskManagerRunner), all on 127.0.0.1, configured from the project's conf/.
#
#   deploy/local/flink.sh install              assemble Flink from Maven Central artifacts
#   deploy/local/flink.sh start                install if needed, start JM + TMs, print exports
#   deploy/local/flink.sh stop                 stop every TM and the JM
#   deploy/local/flink.sh status | env
#   deploy/local/flink.sh start-taskmanager    start one more TM (prints its index)
#   deploy/local/flink.sh kill-taskmanager N   SIGKILL TM number N
#   deploy/local/flink.sh tm-dir N             print TM number N's local directory (see below)
#   deploy/local/flink.sh submit ARGS...       = cli run -d ARGS... (Flink's CliFrontend)
#   deploy/local/flink.sh cli ARGS...          Flink's CliFrontend (run, list, stop, cancel, ...)
#
# flink-dist is not published on Maven Central (and the download mirrors are not reachable
# here), so `install` copies Flink's own published jars (flink-runtime, flink-clients,
# flink-streaming-java, RocksDB state backend, file connector, log4j, ...) into
# $L1_FLINK_HOME/lib and the Prometheus reporter and the S3 FileSystem into $L1_FLINK_HOME/plugins, driven by
# deploy/local/flink/pom.xml (versions from the root pom). The JVM and memory flags come
# from Flink's own BashJavaUtils, as bin/jobmanager.sh and bin/taskmanager.sh do.
#
# Environment (defaults):
#   L1_FLINK_VERSION=2.3.0
#   L1_FLINK_HOME=~/.cache/artdag-l1/flink-$L1_FLINK_VERSION      lib/ and plugins/
#   L1_SERVICES_DIR=~/.cache/artdag-l1/services   state under $L1_SERVICES_DIR/flink:
#       conf/ (generated config.yaml, log4j), log/, pids, checkpoints/, savepoints/,
#       tmp/ (the JobManager's and the client's io.tmp.dirs),
#       tm-N-STAMP/ (TaskManager N's own local directory, see below)
#   L1_FLINK_REST_PORT=8081   L1_FLINK_RPC_PORT=6123   L1_FLINK_PROM_PORTS=9250-9260
#   L1_FLINK_TASKMANAGERS=2   L1_FLINK_SLOTS=1 (slots per TaskManager)
#   L1_FLINK_JM_MEMORY=768m   L1_FLINK_TM_MEMORY=1280m   (process sizes)
#   L1_S3_ENDPOINT (deploy/local/s3.sh), AWS_REGION: when set at start, the cluster reads s3://
#       through that server (s3.endpoint, path-style); AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
#       are inherited by the JobManager and TaskManagers from the environment
#   L1_FLINK_CHECKPOINT_DIR (unset): when set at start (e.g. s3://l1-checkpoints/flink), the
#       cluster's execution.checkpointing.dir, with execution.checkpointing.savepoint-dir at
#       $L1_FLINK_CHECKPOINT_DIR/savepoints; an s3:// one goes through plugins/s3-fs-hadoop to
#       $L1_S3_ENDPOINT (required then), and `start` creates its bucket when missing. Unset:
#       file:// directories under $L1_SERVICES_DIR/flink (checkpoints/, savepoints/).
#
# Every TaskManager process gets its own fresh, empty local directory,
# $L1_SERVICES_DIR/flink/tm-N-STAMP/ (STAMP: start time in ns, also in its resource id tm-N-STAMP),
# as both Flink's io.tmp.dirs (RocksDB's working files, spilled data) and the JVM's
# java.io.tmpdir (so the job's l1.staging.dir default, <java.io.tmpdir>/artdag-l1-staging, is in
# it): a replacement started after kill-taskmanager has empty disks, as a new machine would.
# `start-taskmanager` logs it, `tm-dir N` prints it, `status` lists every live TaskManager's;
# the directory of a killed or stopped TaskManager stays (for inspection) until the next `start`
# with no TaskManager running.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

L1_FLINK_VERSION="${L1_FLINK_VERSION:-2.3.0}"
L1_FLINK_HOME="${L1_FLINK_HOME:-${HOME:-/tmp}/.cache/artdag-l1/flink-$L1_FLINK_VERSION}"
L1_FLINK_REST_PORT="${L1_FLINK_REST_PORT:-8081}"
L1_FLINK_RPC_PORT="${L1_FLINK_RPC_PORT:-6123}"
L1_FLINK_PROM_PORTS="${L1_FLINK_PROM_PORTS:-9250-9260}"
L1_FLINK_TASKMANAGERS="${L1_FLINK_TASKMANAGERS:-2}"
L1_FLINK_SLOTS="${L1_FLINK_SLOTS:-1}"
L1_FLINK_JM_MEMORY="${L1_FLINK_JM_MEMORY:-768m}"
L1_FLINK_TM_MEMORY="${L1_FLINK_TM_MEMORY:-1280m}"
L1_FLINK_CHECKPOINT_DIR="${L1_FLINK_CHECKPOINT_DIR:-}"
FLINK_DIR="$L1_SERVICES_DIR/flink"
CONF_DIR="$FLINK_DIR/conf"
LOG_DIR="$FLINK_DIR/log"
REST="http://127.0.0.1:$L1_FLINK_REST_PORT"
JM_PID="$FLINK_DIR/jobmanager.pid"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Flink's --add-opens/--add-exports list (env.java.opts.all of its default config.yaml),
# kept once, in the root pom.
jvm_opens() {
  sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' "$ROOT/pom.xml"
}

installed() {
  [ -f "$L1_FLINK_HOME/lib/flink-runtime-$L1_FLINK_VERSION.jar" ] \
    && [ -f "$L1_FLINK_HOME/lib/flink-clients-$L1_FLINK_VERSION.jar" ] \
    && [ -f "$L1_FLINK_HOME/plugins/metrics-prometheus/flink-metrics-prometheus-$L1_FLINK_VERSION.jar" ] \
    && [ -f "$L1_FLINK_HOME/.complete" ]
}

# The S3 FileSystem plugin, added to an existing install too (never removing what is there,
# since a running cluster may use the install).
install_s3_plugin() {
  local jar="$L1_FLINK_HOME/plugins/s3-fs-hadoop/flink-s3-fs-hadoop-$L1_FLINK_VERSION.jar"
  [ -f "$jar" ] && return 0
  log "adding flink-s3-fs-hadoop $L1_FLINK_VERSION to $L1_FLINK_HOME/plugins/s3-fs-hadoop"
  mvn -o -B -q -f "$HERE/flink/pom.xml" dependency:copy@s3-plugin -Dflink.version="$L1_FLINK_VERSION" \
      -Dflink.home="$L1_FLINK_HOME" >/dev/null 2>&1 \
    || mvn -B -q -f "$HERE/flink/pom.xml" dependency:copy@s3-plugin -Dflink.version="$L1_FLINK_VERSION" \
      -Dflink.home="$L1_FLINK_HOME" >&2 \
    || die "could not fetch flink-s3-fs-hadoop with Maven"
  [ -f "$jar" ] || die "no $jar after the copy"
}

install_flink() {
  if installed; then
    log "flink $L1_FLINK_VERSION present at $L1_FLINK_HOME"
    install_s3_plugin
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed to fetch Flink's jars)"
  log "assembling flink $L1_FLINK_VERSION from Maven Central into $L1_FLINK_HOME"
  rm -rf "$L1_FLINK_HOME/lib" "$L1_FLINK_HOME/plugins" "$L1_FLINK_HOME/.complete"
  mkdir -p "$L1_FLINK_HOME"
  mvn -B -q -f "$HERE/flink/pom.xml" package -Dflink.version="$L1_FLINK_VERSION" \
    -Dflink.home="$L1_FLINK_HOME" >&2 || die "could not fetch Flink's jars with Maven"
  touch "$L1_FLINK_HOME/.complete"
  installed || die "flink install incomplete at $L1_FLINK_HOME"
  log "flink $L1_FLINK_VERSION installed ($(du -sh "$L1_FLINK_HOME" | cut -f1))"
}

# The checkpoint and savepoint directories: L1_FLINK_CHECKPOINT_DIR (and savepoints/ under it)
# when set, else file:// directories here. Sets CHECKPOINT_DIR and SAVEPOINT_DIR.
checkpoint_dirs() {
  if [ -n "$L1_FLINK_CHECKPOINT_DIR" ]; then
    case "$L1_FLINK_CHECKPOINT_DIR" in
      *://*) ;;
      *) die "L1_FLINK_CHECKPOINT_DIR=$L1_FLINK_CHECKPOINT_DIR is not a URI (s3://BUCKET/PATH, file:///DIR)" ;;
    esac
    case "$L1_FLINK_CHECKPOINT_DIR" in
      *[[:space:]\|]*) die "L1_FLINK_CHECKPOINT_DIR must not contain blanks or '|'" ;;
    esac
    CHECKPOINT_DIR="${L1_FLINK_CHECKPOINT_DIR%/}"
    SAVEPOINT_DIR="$CHECKPOINT_DIR/savepoints"
  else
    CHECKPOINT_DIR="file://$FLINK_DIR/checkpoints"
    SAVEPOINT_DIR="file://$FLINK_DIR/savepoints"
  fi
}

# s3_curl ARGS...: curl against $L1_S3_ENDPOINT, SigV4-signed with the environment's AWS
# credentials when set (given on stdin, never on the command line); prints the HTTP status.
s3_curl() {
  local region="${AWS_REGION:-us-east-1}"
  if [ -n "${AWS_ACCESS_KEY_ID:-}" ]; then
    printf 'user = "%s:%s"\n' "$AWS_ACCESS_KEY_ID" "${AWS_SECRET_ACCESS_KEY:-}" \
      | curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -K - --aws-sigv4 "aws:amz:$region:s3" "$@"
  else
    curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$@"
  fi
}

# An s3:// checkpoint directory: needs L1_S3_ENDPOINT (the cluster's s3.endpoint); its bucket
# is created when missing.
ensure_checkpoint_bucket() {
  case "$CHECKPOINT_DIR" in s3://*) ;; *) return 0 ;; esac
  [ -n "${L1_S3_ENDPOINT:-}" ] \
    || die "L1_FLINK_CHECKPOINT_DIR=$CHECKPOINT_DIR needs L1_S3_ENDPOINT (deploy/local/s3.sh start)"
  local bucket="${CHECKPOINT_DIR#s3://}" region="${AWS_REGION:-us-east-1}" code
  bucket="${bucket%%/*}"
  [ -n "$bucket" ] || die "no bucket in L1_FLINK_CHECKPOINT_DIR=$CHECKPOINT_DIR"
  code="$(s3_curl -I "$L1_S3_ENDPOINT/$bucket")" || die "S3 server $L1_S3_ENDPOINT does not answer"
  case "$code" in
    200) log "checkpoints in $CHECKPOINT_DIR (bucket $bucket exists)" ;;
    404)
      if [ "$region" = us-east-1 ]; then
        code="$(s3_curl -X PUT "$L1_S3_ENDPOINT/$bucket")"
      else
        code="$(s3_curl -X PUT -H 'Content-Type: application/xml' --data-binary \
          "<CreateBucketConfiguration><LocationConstraint>$region</LocationConstraint></CreateBucketConfiguration>" \
          "$L1_S3_ENDPOINT/$bucket")"
      fi
      [ "$code" = 200 ] || die "could not create bucket $bucket at $L1_S3_ENDPOINT (HTTP $code)"
      log "checkpoints in $CHECKPOINT_DIR (bucket $bucket created at $L1_S3_ENDPOINT)" ;;
    *) die "bucket $bucket at $L1_S3_ENDPOINT: HTTP $code to HEAD" ;;
  esac
}

# conf/config.yaml with the local directories and ports, plus loopback-only addresses.
write_conf() {
  mkdir -p "$CONF_DIR" "$LOG_DIR" "$FLINK_DIR/checkpoints" "$FLINK_DIR/savepoints" "$FLINK_DIR/tmp"
  local src="$ROOT/conf/config.yaml" out="$CONF_DIR/config.yaml"
  grep -q '^    dir: ' "$src" && grep -q '^    savepoint-dir: ' "$src" && grep -q '^      port: ' "$src" \
    || die "$src lacks execution.checkpointing.dir/savepoint-dir or the reporter port"
  checkpoint_dirs
  {
    echo "# Generated by deploy/local/flink.sh from $src; do not edit."
    sed -e "s|^    dir: .*|    dir: $CHECKPOINT_DIR|" \
        -e "s|^    savepoint-dir: .*|    savepoint-dir: $SAVEPOINT_DIR|" \
        -e "s|^      port: .*|      port: $L1_FLINK_PROM_PORTS|" "$src"
    cat <<YAML
# --- local session cluster (deploy/local/flink.sh) ---
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $L1_FLINK_RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: $L1_FLINK_JM_MEMORY
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: $L1_FLINK_SLOTS
taskmanager.memory.process.size: $L1_FLINK_TM_MEMORY
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $L1_FLINK_REST_PORT
# The JobManager's and the client's; each TaskManager gets its own (start_taskmanager).
io.tmp.dirs: $FLINK_DIR/tmp
parallelism.default: 1
# A killed TaskManager is noticed in seconds, not after the 50 s default.
heartbeat.interval: 2000
heartbeat.timeout: 10000
YAML
    if [ -n "${L1_S3_ENDPOINT:-}" ]; then
      # s3:// inputs: the server from deploy/local/s3.sh; credentials stay in the processes'
      # environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never in this file.
      cat <<YAML
s3.endpoint: $L1_S3_ENDPOINT
s3.path.style.access: true
s3.endpoint.region: ${AWS_REGION:-us-east-1}
YAML
    fi
  } >"$out"
  cp "$ROOT/conf/log4j-cluster.properties" "$CONF_DIR/log4j.properties"
  cp "$ROOT/conf/log4j-cli.properties" "$CONF_DIR/log4j-cli.properties"
}

classpath() { echo "$L1_FLINK_HOME/lib/*"; }

# BashJavaUtils GET_{JM,TM}_RESOURCE_PARAMS -> two lines: JVM args, then dynamic -D options.
resource_params() {
  local out
  out="$("$JAVA" -classpath "$(classpath)" -Dlog4j2.configurationFile=file:/dev/null \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$CONF_DIR" 2>&1)" \
    || { echo "$out" >&2; die "BashJavaUtils $1 failed"; }
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -n 2
}

rest_up() { curl -fsS --max-time 2 "$REST/overview" >/dev/null 2>&1; }

# Number of TaskManagers registered with the JobManager.
tm_count() {
  curl -fsS --max-time 2 "$REST/taskmanagers" 2>/dev/null | grep -o '"slotsNumber"' | wc -l
}

tm_pidfile() { echo "$FLINK_DIR/taskmanager-$1.pid"; }
tm_dirfile() { echo "$FLINK_DIR/taskmanager-$1.dir"; }

live_tms() { # indexes of TaskManagers whose process is alive
  local f n
  for f in "$FLINK_DIR"/taskmanager-*.pid; do
    [ -e "$f" ] || continue
    n="${f##*/taskmanager-}"; n="${n%.pid}"
    if pid_alive "$f"; then echo "$n"; fi
  done | sort -n
}

# launch NAME PIDFILE MAINCLASS JVM_ARGS ARGS... : a detached JVM with Flink's conf and logs.
launch() {
  local name="$1" pidfile="$2" main="$3" jvm="$4"; shift 4
  local logfile="$LOG_DIR/$name.log"
  # shellcheck disable=SC2046,SC2086 # word splitting of the JVM flags is intended
  FLINK_CONF_DIR="$CONF_DIR" FLINK_PLUGINS_DIR="$L1_FLINK_HOME/plugins" FLINK_LIB_DIR="$L1_FLINK_HOME/lib" \
    setsid nohup "$JAVA" $jvm $(jvm_opens) \
      -Dlog.file="$logfile" -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" \
      -classpath "$(classpath)" "$main" "$@" \
      >"$LOG_DIR/$name.out" 2>&1 </dev/null &
  echo $! >"$pidfile"
  log "started $name (pid $!, log $logfile)"
}

start_jobmanager() {
  if pid_alive "$JM_PID"; then
    log "jobmanager already running (pid $(cat "$JM_PID"))"
    return 0
  fi
  rm -f "$JM_PID"
  if port_open "$L1_FLINK_REST_PORT"; then
    die "127.0.0.1:$L1_FLINK_REST_PORT is taken by another process; stop it or set L1_FLINK_REST_PORT"
  fi
  if port_open "$L1_FLINK_RPC_PORT"; then
    die "127.0.0.1:$L1_FLINK_RPC_PORT is taken by another process; stop it or set L1_FLINK_RPC_PORT"
  fi
  local params jvm dyn
  params="$(resource_params GET_JM_RESOURCE_PARAMS)"
  jvm="$(echo "$params" | sed -n 1p)"
  dyn="$(echo "$params" | sed -n 2p)"
  # shellcheck disable=SC2086 # dynamic options are separate words
  launch jobmanager "$JM_PID" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    "$jvm" --configDir "$CONF_DIR" --executionMode cluster $dyn
}

# start_taskmanager [N]: TaskManager number N (default: the lowest number not running).
start_taskmanager() {
  local n="${1:-}"
  if [ -z "$n" ]; then
    n=1
    while pid_alive "$(tm_pidfile "$n")"; do n=$((n + 1)); done
  elif pid_alive "$(tm_pidfile "$n")"; then
    log "taskmanager-$n already running (pid $(cat "$(tm_pidfile "$n")"))"
    return 0
  fi
  local params jvm dyn id dir
  params="$(resource_params GET_TM_RESOURCE_PARAMS)"
  jvm="$(echo "$params" | sed -n 1p)"
  dyn="$(echo "$params" | sed -n 2p)"
  # A fresh resource id per process: a replacement is a new TaskManager, not the dead one.
  # And a fresh, empty local directory: its io.tmp.dirs and java.io.tmpdir (the job's staging
  # default), nothing shared with the other TaskManagers or with the one it replaces.
  id="tm-$n-$(date +%s%N)"
  dir="$FLINK_DIR/$id"
  [ ! -e "$dir" ] || die "$dir exists already"
  mkdir -p "$dir"
  echo "$dir" >"$(tm_dirfile "$n")"
  log "taskmanager-$n: resource id $id, local directory $dir (io.tmp.dirs, java.io.tmpdir)"
  # shellcheck disable=SC2086 # dynamic options are separate words
  launch "taskmanager-$n" "$(tm_pidfile "$n")" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    "$jvm -Djava.io.tmpdir=$dir" --configDir "$CONF_DIR" $dyn -D "taskmanager.resource-id=$id" \
    -D "io.tmp.dirs=$dir"
  echo "$n"
}

# tm_dir N: TaskManager N's local directory (of its last start).
tm_dir() {
  local n="${1:?usage: flink.sh tm-dir N}" f
  f="$(tm_dirfile "$n")"
  [ -s "$f" ] || die "taskmanager-$n has not been started"
  cat "$f"
}

# The local directories of TaskManagers that are not running, when none is: at a fresh start.
clean_tm_dirs() {
  [ -z "$(live_tms)" ] || return 0
  local d
  for d in "$FLINK_DIR"/tm-*-*/; do
    [ -d "$d" ] || continue
    rm -rf "$d"
  done
  rm -f "$FLINK_DIR"/taskmanager-*.dir
}

# wait_tms N: until the REST API lists at least N TaskManagers.
wait_tms() {
  local want="$1"
  tms_ready() { [ "$(tm_count)" -ge "$want" ]; }
  if ! wait_until "$L1_SERVICE_WAIT_SECONDS" "flink $REST with $want taskmanagers" tms_ready; then
    tail -n 40 "$LOG_DIR"/*.log >&2 || true
    return 1
  fi
}

start_cluster() {
  install_flink
  if pid_alive "$JM_PID"; then
    local was
    was="$(conf_value dir || true)"
    checkpoint_dirs
    if [ -n "$was" ] && [ "$was" != "$CHECKPOINT_DIR" ]; then
      # The running processes keep what they were started with; so does the config they read.
      log "WARNING: the running cluster checkpoints to $was, not $CHECKPOINT_DIR; stop it to change that"
      if [ "$was" = "file://$FLINK_DIR/checkpoints" ]; then L1_FLINK_CHECKPOINT_DIR=""; else L1_FLINK_CHECKPOINT_DIR="$was"; fi
    fi
  fi
  write_conf
  ensure_checkpoint_bucket
  clean_tm_dirs
  start_jobmanager
  if ! wait_until "$L1_SERVICE_WAIT_SECONDS" "flink jobmanager $REST" rest_up; then
    tail -n 60 "$LOG_DIR/jobmanager.log" "$LOG_DIR/jobmanager.out" >&2 || true
    stop_cluster
    die "flink jobmanager did not answer on $REST within $L1_SERVICE_WAIT_SECONDS s"
  fi
  local i
  for i in $(seq 1 "$L1_FLINK_TASKMANAGERS"); do
    start_taskmanager "$i" >/dev/null
  done
  if ! wait_tms "$L1_FLINK_TASKMANAGERS"; then
    stop_cluster
    die "flink: fewer than $L1_FLINK_TASKMANAGERS taskmanagers registered within $L1_SERVICE_WAIT_SECONDS s"
  fi
}

stop_cluster() {
  local n
  for n in $(live_tms); do stop_pidfile "$(tm_pidfile "$n")" "taskmanager-$n"; done
  rm -f "$FLINK_DIR"/taskmanager-*.pid
  stop_pidfile "$JM_PID" jobmanager
}

kill_taskmanager() {
  local n="${1:?usage: flink.sh kill-taskmanager N}" f pid
  f="$(tm_pidfile "$n")"
  pid_alive "$f" || die "taskmanager-$n is not running"
  pid="$(head -n1 "$f" | tr -dc '0-9')"
  log "SIGKILL taskmanager-$n (pid $pid)"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$f"
}

cli() {
  [ -f "$CONF_DIR/config.yaml" ] || write_conf
  installed || die "flink is not installed; run: $0 install"
  # shellcheck disable=SC2046 # word splitting of the JVM flags is intended
  FLINK_CONF_DIR="$CONF_DIR" FLINK_PLUGINS_DIR="$L1_FLINK_HOME/plugins" FLINK_LIB_DIR="$L1_FLINK_HOME/lib" \
    "$JAVA" $(jvm_opens) -Dlog.file="$LOG_DIR/client.log" \
    -Dlog4j.configurationFile="file:$CONF_DIR/log4j-cli.properties" \
    -classpath "$(classpath)" org.apache.flink.client.cli.CliFrontend "$@"
}

# conf_value KEY: a "    KEY: value" line of the generated config (the checkpointing block).
conf_value() {
  [ -f "$CONF_DIR/config.yaml" ] && sed -n "s|^    $1: ||p" "$CONF_DIR/config.yaml" | head -n1
}

print_env() {
  local sp ck
  sp="$(conf_value savepoint-dir || true)"; ck="$(conf_value dir || true)"
  echo "export L1_FLINK_HOME=$L1_FLINK_HOME"
  echo "export L1_FLINK_CONF_DIR=$CONF_DIR"
  echo "export L1_FLINK_REST=$REST"
  # A local path (as before) for file:// directories, else the URI (s3://...).
  echo "export L1_FLINK_SAVEPOINTS=$(echo "${sp:-file://$FLINK_DIR/savepoints}" | sed 's|^file://||')"
  echo "export L1_FLINK_CHECKPOINTS=$(echo "${ck:-file://$FLINK_DIR/checkpoints}" | sed 's|^file://||')"
  echo "export L1_FLINK_SCRIPT=$HERE/flink.sh"
  local n
  for n in $(live_tms); do
    [ -s "$(tm_dirfile "$n")" ] && echo "export L1_FLINK_TM_${n}_DIR=$(cat "$(tm_dirfile "$n")")"
  done
  return 0
}

status() {
  if pid_alive "$JM_PID" && rest_up; then
    log "jobmanager running (pid $(cat "$JM_PID")) on $REST; taskmanagers registered: $(tm_count);" \
      "processes: $(live_tms | tr '\n' ' ')"
    local n
    for n in $(live_tms); do
      log "taskmanager-$n pid $(cat "$(tm_pidfile "$n")") dir $(cat "$(tm_dirfile "$n")" 2>/dev/null || echo '?')"
    done
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
  install) install_flink ;;
  start) start_cluster; print_env ;;
  stop) stop_cluster ;;
  status) status ;;
  env) print_env ;;
  start-taskmanager) shift; start_taskmanager "$@" ;;
  kill-taskmanager) shift; kill_taskmanager "$@" ;;
  tm-dir) shift; tm_dir "$@" ;;
  wait-taskmanagers) shift; wait_tms "${1:?usage: flink.sh wait-taskmanagers N}" ;;
  submit) shift; cli run -d "$@" ;;
  cli) shift; cli "$@" ;;
  *) echo "usage: $0 install|start|stop|status|env|start-taskmanager [N]|kill-taskmanager N|tm-dir N|wait-taskmanagers N|submit ARGS...|cli ARGS..." >&2; exit 2 ;;
esac
