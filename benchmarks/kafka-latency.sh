#!/usr/bin/env bash
# Event-to-index latency of the Kafka input, l1 mode on this machine: a producer announces
# N outputs (64 KiB – 4 MiB) at RATE per second; per output, the time from the event to
# its CID in Redis `ipfs_index`. Runs once per checkpoint interval given. Prints one line
# per interval; record them in docs/benchmarks.md. Not part of CI.
#   benchmarks/kafka-latency.sh [N=600] [RATE=20] [INTERVALS="2s 500ms"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-600}"; rate="${2:-20}"; intervals="${3:-2s 500ms}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}/kafka-latency"
eval "$("$root/deploy/local/services.sh" start)"
"$root/bin/l1" --version > /dev/null   # builds the distribution if needed
cp="$root/jobs/target/l1-jobs-0.1.0-SNAPSHOT.jar:$root/jobs/target/l1-dist/lib/*"
for interval in $intervals; do
  id="lat$(date +%s%N)"
  rm -rf "$work"; mkdir -p "$work/outputs"
  ns="bench_${id}"
  # The topic exists before the job starts, so partition discovery is not part of the figures.
  java -cp "$cp" "$root/benchmarks/kafka-latency/KafkaLatency.java" create-topic "$L1_KAFKA_BOOTSTRAP" "$id"
  L1_JAVA_OPTS="${L1_JAVA_OPTS:-}" "$root/bin/l1" ingest --quiet --mode l1 --store "$work/store" \
    --checkpoint-interval "$interval" --redis-key-prefix "$ns:" --pg-schema "$ns" \
    --kafka-group "$id" --kafka-allowed-root "$work/outputs" "kafka://$id" \
    > "$work/ingest.log" 2>&1 &
  pid=$!
  sleep 8   # JVM and MiniCluster start; events sent before the source runs would count its start
  printf 'checkpoint interval %s: ' "$interval"
  java -cp "$cp" "$root/benchmarks/kafka-latency/KafkaLatency.java" "$L1_KAFKA_BOOTSTRAP" "$id" \
    "$L1_REDIS_URL" "$ns:ipfs_index" "$work/outputs" "$n" "$rate"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
