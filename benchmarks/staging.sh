#!/usr/bin/env bash
# l1 mode with per-TaskManager staging next to local mode, on the real standalone cluster of
# deploy/local/flink.sh (one JobManager, two TaskManagers with one slot each, each TaskManager on
# its own fresh local directory), parallelism 2, the same generated corpus (benchmarks/gen-corpus.py)
# interleaved round by round:
#   * local mode: `--store DIR` (one store both TaskManagers write),
#   * l1 mode: no store, each TaskManager stages on its own disk, seals imported into Kubo and
#     published to Redis and PostgreSQL (deploy/local services, a fresh key prefix and schema
#     per run),
#   * l1 mode over the same files in the S3 server (deploy/local/s3.sh, moto), when
#     L1_S3_ENDPOINT is set.
# Prints a Markdown table: wall time (submit to FINISHED), Flink's job duration, MB/s and the
# ratio to local mode of the same round.
#   eval "$(deploy/local/services.sh start)"; benchmarks/staging.sh [SIZE_MIB] [ROUNDS]
# env: L1_BENCH_DIR. The cluster runs under $L1_BENCH_DIR/services on non-default ports (REST
# 18081, RPC 16123, Prometheus 19250-19260) and is stopped on exit. Checkpoint interval 2 s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-512}"
rounds="${2:-2}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}"
corpus="$work/corpus-$size_mib"
jar="$root/jobs/target/l1-job.jar"
mkdir -p "$work"
for v in L1_KUBO_API L1_REDIS_URL L1_PG_URL L1_PG_USER L1_PG_PASSWORD; do
  [[ -n "${!v:-}" ]] || { echo "$v is not set: eval \"\$(deploy/local/services.sh start)\"" >&2; exit 1; }
done

export L1_SERVICES_DIR="$work/services"
export L1_FLINK_REST_PORT="${L1_FLINK_REST_PORT:-18081}"
export L1_FLINK_RPC_PORT="${L1_FLINK_RPC_PORT:-16123}"
export L1_FLINK_PROM_PORTS="${L1_FLINK_PROM_PORTS:-19250-19260}"
export L1_FLINK_TASKMANAGERS=2 L1_FLINK_SLOTS=1
flink="$root/deploy/local/flink.sh"
rest="http://127.0.0.1:$L1_FLINK_REST_PORT"

if [[ ! -f "$corpus/.complete" ]]; then
  echo "generating a $size_mib MiB corpus in $corpus" >&2
  rm -rf "$corpus"
  python3 "$root/benchmarks/gen-corpus.py" "$corpus" "$size_mib"
fi
bytes=$(du -sb --exclude=.complete "$corpus" | cut -f1)
files=$(find "$corpus" -type f ! -name .complete | wc -l)
[[ -f "$jar" ]] || { echo "missing $jar: run mvn -B package -DskipTests" >&2; exit 1; }

s3_prefix=""
if [[ -n "${L1_S3_ENDPOINT:-}" ]]; then
  bucket="l1-bench-$(date +%s)"
  s3_prefix="s3://$bucket/corpus"
  echo "uploading the corpus to $s3_prefix" >&2
  "${L1_S3_HOME:-$HOME/.cache/artdag-l1/moto-5.2.5}/bin/python" - "$L1_S3_ENDPOINT" "$bucket" "$corpus" <<'PY'
import os, sys, boto3
endpoint, bucket, root = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", "us-east-1"))
s3.create_bucket(Bucket=bucket)
for d, _, names in os.walk(root):
    for n in names:
        if n == ".complete":
            continue
        p = os.path.join(d, n)
        s3.upload_file(p, bucket, "corpus/" + os.path.relpath(p, root))
PY
fi

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$1-$2:.1f}')"; }
mbps() { python3 -c "print(f'{$bytes/1e6/$1:.1f}')"; }

started_cluster=""
cleanup() { if [[ -n "$started_cluster" ]]; then "$flink" stop || true; fi; }
trap cleanup EXIT
eval "$("$flink" start)"
started_cluster=1
find "$corpus" -type f -exec cat {} + >/dev/null   # page cache warm for everyone

# submit ARGS...: runs the job jar at p2 until FINISHED; prints "wall job_seconds".
submit() {
  local t0 t1 out id state dur
  t0=$(now)
  out="$("$flink" submit -p 2 -Dexecution.checkpointing.interval=2s "$jar" "$@" 2>&1)" \
    || { echo "$out" >&2; return 1; }
  id="$(echo "$out" | grep -oE 'JobID [0-9a-f]{32}' | awk '{print $2}' | tail -n1)"
  [[ -n "$id" ]] || { echo "no JobID in: $out" >&2; return 1; }
  while :; do
    state="$(curl -fsS "$rest/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
    case "$state" in
      FINISHED) break ;;
      FAILED|CANCELED) echo "job $id $state" >&2; return 1 ;;
    esac
    sleep 0.2
  done
  t1=$(now)
  dur="$(curl -fsS "$rest/jobs/$id" | python3 -c 'import json,sys; d=json.load(sys.stdin)["duration"]; print(f"{d/1000:.1f}")')"
  echo "$(secs "$t1" "$t0") $dur"
}

l1_args() { # NS
  echo --l1.mode l1 --l1.kubo.api "$L1_KUBO_API" --l1.redis.url "$L1_REDIS_URL" \
    --l1.redis.key-prefix "$1:" --l1.postgres.url "$L1_PG_URL" --l1.postgres.user "$L1_PG_USER" \
    --l1.postgres.schema "$1"
}

rows=()
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  store="$work/store-staging-local"
  rm -rf "$store"
  read -r wall dur < <(submit --store "$store" --input "$corpus")
  local_wall="$wall"
  echo "local: $wall s (job $dur s)" >&2
  rows+=("| $r | local mode, \`--store\` | $wall | $dur | $(mbps "$wall") | 1.00 |")

  ns="bench_staging_$(date +%s%N)"
  # shellcheck disable=SC2046
  read -r wall dur < <(L1_PG_PASSWORD="$L1_PG_PASSWORD" submit --input "$corpus" $(l1_args "$ns"))
  echo "l1, staged: $wall s (job $dur s)" >&2
  rows+=("| $r | l1 mode, staging on each TaskManager | $wall | $dur | $(mbps "$wall") | $(python3 -c "print(f'{$local_wall/$wall:.2f}')") |")

  if [[ -n "$s3_prefix" ]]; then
    ns="bench_staging_s3_$(date +%s%N)"
    # shellcheck disable=SC2046
    read -r wall dur < <(submit --input "$s3_prefix" $(l1_args "$ns"))
    echo "l1, staged, S3 input: $wall s (job $dur s)" >&2
    rows+=("| $r | l1 mode, staging on each TaskManager, input in S3 (moto) | $wall | $dur | $(mbps "$wall") | $(python3 -c "print(f'{$local_wall/$wall:.2f}')") |")
  fi
done

cat <<MD
Corpus: $files files, $bytes bytes ($size_mib MiB requested), page cache warm. Machine: $(nproc) cores.
Cluster: 2 TaskManagers × 1 slot, p2, checkpoint interval 2 s. Ratio: local mode's wall time / this run's (higher is faster).

| round | run | wall s | Flink job s | MB/s (wall) | speed vs local |
|---|---|---:|---:|---:|---:|
$(printf '%s\n' "${rows[@]}")
MD
