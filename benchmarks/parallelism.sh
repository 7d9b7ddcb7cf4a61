#!/usr/bin/env bash
# Parallelism on the local cluster: the same backfill (a generated corpus of mixed sizes,
# benchmarks/gen-corpus.py) ingested in local mode
#   * in-process: `bin/l1 ingest -p 1` and `-p 2` (Flink MiniCluster in one JVM), and
#   * on a real standalone session cluster (deploy/local/flink.sh: one JobManager and two
#     TaskManagers with one slot each, separate processes) submitted with Flink's client at
#     parallelism 1 and 2,
# interleaved in one session (ROUNDS rounds of p1/p2 in-process and on the cluster), each run
# into a fresh store. Prints a Markdown table: per run the wall time (submit to FINISHED for
# the cluster, process start to exit in-process), Flink's own job duration (cluster) and MB/s.
#   benchmarks/parallelism.sh [SIZE_MIB] [ROUNDS]   (env: L1_BENCH_DIR)
# The cluster runs under $L1_BENCH_DIR/services on non-default ports (REST 18081, RPC 16123,
# Prometheus 19250-19260) so it does not collide with other clusters on the machine; it is
# stopped on exit. Checkpoint interval 2 s in both modes (the CLI default; a bounded run ends
# at the first checkpoint after its input).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-512}"
rounds="${2:-2}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}"
corpus="$work/corpus-$size_mib"
jar="$root/jobs/target/l1-job.jar"
mkdir -p "$work"

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
"$root/bin/l1" --version >/dev/null   # builds the local distribution if needed

now() { date +%s.%N; }
mbps() { python3 -c "print(f'{$bytes/1e6/$1:.1f}')"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
uniq_contents() { "$root/bin/l1" stats --json --store "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["unique_contents"], d["duplicates"], d["segments"])'; }

started_cluster=""
cleanup() { if [[ -n "$started_cluster" ]]; then "$flink" stop || true; fi; }
trap cleanup EXIT
eval "$("$flink" start)"
started_cluster=1

# Page cache warm for everyone.
find "$corpus" -type f -exec cat {} + >/dev/null

rows=()
in_process() { # P
  local p="$1" store="$work/store-inproc-p$1" t0 t1 s
  rm -rf "$store"
  t0=$(now)
  "$root/bin/l1" ingest --quiet -p "$p" --checkpoint-interval 2s --store "$store" "$corpus"
  t1=$(now)
  s=$(python3 -c "print(f'{$t1-$t0:.1f}')")
  echo "in-process p$p: $s s" >&2
  rows+=("| in-process \`l1 ingest -p $p\` | $p | $s | – | $(mbps "$s") | $(uniq_contents "$store") | $(load) |")
}

on_cluster() { # P
  local p="$1" store="$work/store-cluster-p$1" t0 t1 s out id state dur
  rm -rf "$store"
  t0=$(now)
  out="$("$flink" submit -p "$p" -Dexecution.checkpointing.interval=2s "$jar" \
    --store "$store" --input "$corpus" 2>&1)" || { echo "$out" >&2; return 1; }
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
  s=$(python3 -c "print(f'{$t1-$t0:.1f}')")
  echo "cluster p$p: $s s (job $dur s)" >&2
  rows+=("| cluster \`flink run -p $p\` (2 TMs × 1 slot) | $p | $s | $dur | $(mbps "$s") | $(uniq_contents "$store") | $(load) |")
}

load_start="$(load)"
others_start="$(ps -eo pcpu=,comm= --sort=-pcpu | head -n 6 | awk '{printf "%s %s%%; ", $2, $1}')"
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  in_process 1; in_process 2; on_cluster 1; on_cluster 2
done

cat <<MD
Corpus: $files files, $bytes bytes ($size_mib MiB requested, ~10 % duplicates), page cache warm.
Machine: $(nproc) cores, $(java -version 2>&1 | head -1). Load average at start: $load_start; at the end: $(load).
Busiest processes at start (ps %CPU, lifetime average): $others_start

| run | p | wall s | Flink job s | MB/s (wall) | contents dups segments | load 1/5/15 after |
|---|---:|---:|---:|---:|---|---|
$(printf '%s\n' "${rows[@]}")
MD
