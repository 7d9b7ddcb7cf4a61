#!/usr/bin/env bash
# A followed spool's cost against the nodes it has seen: for a spool holding N ready nodes,
# `l1 ingest --follow` ingests them all, then the CPU its process uses (utime + stime from
# /proc/PID/stat, per second of wall time: robust to other load on the machine) is measured while
# the spool is idle (IDLE_S) and while a renderer trickles RATE new nodes per second into it for
# TRICKLE_S seconds (each written as a renderer does: output first, metadata.json last). Then the
# run is stopped (SIGTERM: Flink keeps its checkpoints on a stop) and the size of the latest
# checkpoint's _metadata (which holds the spool enumerator's state) is reported.
#   benchmarks/spool-scan.sh [N...]     default 0 100000 1000000
# env: L1_BENCH_DIR (its work dir is spool-scan/ under it, default /tmp/l1-bench; the spools stay there for the next run,
#      ~12 KiB of disk per node), L1_BENCH_L1 (the l1 command to measure, default this
#      checkout's bin/l1: pass another checkout's to compare), L1_BENCH_RATE (default 10),
#      L1_BENCH_TRICKLE_S (default 30), L1_BENCH_IDLE_S (default 20), L1_BENCH_LABEL (the results
#      table's first column, default the checkout's git commit), L1_JAVA_OPTS (passed on by bin/l1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${L1_BENCH_DIR:-/tmp/l1-bench}/spool-scan" # its own directory: other scripts share the parent
l1="${L1_BENCH_L1:-$root/bin/l1}"
rate="${L1_BENCH_RATE:-10}"
trickle_s="${L1_BENCH_TRICKLE_S:-30}"
idle_s="${L1_BENCH_IDLE_S:-20}"
label="${L1_BENCH_LABEL:-$(git -C "$(dirname "$l1")" rev-parse --short HEAD 2>/dev/null || echo l1)}"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(0 100000 1000000)
mkdir -p "$work"
results="$work/spool-scan-results.txt"
hz="$(getconf CLK_TCK)"

L1_CDS=0 "$l1" --version > /dev/null                           # builds the distribution once

gen_spool() { # gen_spool DIR N: N ready nodes (a tiny distinct output and metadata.json each)
  python3 - "$1" "$2" <<'PY'
import json, os, sys
spool, n = sys.argv[1], int(sys.argv[2])
os.makedirs(spool, exist_ok=True)
for i in range(n):
    node = "n%07d" % i
    d = os.path.join(spool, node)
    os.mkdir(d)
    with open(os.path.join(d, "output.bin"), "wb") as f:
        f.write(b"spool-scan output %d\n" % i)
    with open(os.path.join(d, "metadata.json"), "w") as f:
        json.dump({"node_id": node, "node_type": "SEGMENT"}, f)
PY
}

ingested() { # ingested STORE: sightings + rejections recorded so far
  python3 - "$1/index.db" <<'PY'
import sqlite3, sys
try:
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=5)
    print(sum(db.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
              for t in ("sightings", "rejections")))
except sqlite3.Error:
    print(0)
PY
}

ticks() { # ticks PID: utime + stime of the process (all its threads), in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

cpu_over() { # cpu_over PID SECONDS [COMMAND...]: cores used by PID while COMMAND runs (or a sleep)
  local pid="$1" secs="$2"; shift 2
  local t0 w0 t1 w1
  t0="$(ticks "$pid")"; w0="$(date +%s.%N)"
  if [[ $# -gt 0 ]]; then "$@"; else sleep "$secs"; fi
  t1="$(ticks "$pid")"; w1="$(date +%s.%N)"
  awk -v a="$t0" -v b="$t1" -v s="$w0" -v e="$w1" -v hz="$hz" \
    'BEGIN { printf "%.3f", (b - a) / hz / (e - s) }'
}

trickle() { # trickle SPOOL TAG: RATE nodes per second for TRICKLE_S seconds
  python3 - "$1" "$2" "$rate" "$trickle_s" <<'PY'
import json, os, sys, time
spool, tag, rate, secs = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
start = time.monotonic()
for i in range(int(rate * secs)):
    time.sleep(max(0.0, start + i / rate - time.monotonic()))
    node = "t-%s-%05d" % (tag, i)
    d = os.path.join(spool, node)
    os.mkdir(d)
    with open(os.path.join(d, "output.bin"), "wb") as f:
        f.write(b"spool-scan trickle %s %d\n" % (tag.encode(), i))
    with open(os.path.join(d, "metadata.json"), "w") as f:
        json.dump({"node_id": node, "node_type": "SEGMENT"}, f)
PY
}

wait_for() { # wait_for STORE COUNT PID: until COUNT inputs are recorded and a checkpoint taken
  while (( $(ingested "$1") < $2 )) || ! compgen -G "$1/checkpoints/*/chk-*" > /dev/null; do
    kill -0 "$3" 2> /dev/null || { echo "the run ended early; see $work/out-follow.log" >&2; exit 1; }
    sleep 2
  done
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); l1: $l1 ($label)" >&2
for n in "${sizes[@]}"; do
  spool="$work/spool-$n"
  if [[ ! -f "$work/spool-$n.complete" ]]; then
    echo "generating a spool of $n nodes in $spool" >&2
    rm -rf "$spool"
    gen_spool "$spool" "$n"
    touch "$work/spool-$n.complete"
  fi
  rm -rf "$spool"/t-* "$work/store-$n"
  store="$work/store-$n"
  started="$(date +%s)"
  L1_CDS=0 "$l1" ingest --quiet --follow --store "$store" "$spool" > "$work/out-follow.log" 2>&1 &
  pid=$!                                                        # bin/l1 execs java
  wait_for "$store" "$n" "$pid"
  echo "N=$n: ingested in $(($(date +%s) - started)) s" >&2
  sleep 10                                                      # the last commits settle
  idle="$(cpu_over "$pid" "$idle_s")"
  tag="$(date +%s)"
  during="$(cpu_over "$pid" "$trickle_s" trickle "$spool" "$tag")"
  wait_for "$store" "$((n + ${rate%.*} * trickle_s))" "$pid"
  sleep 5                                                       # a few checkpoints after the last
  kill -TERM "$pid"
  wait "$pid" || true
  latest="$(ls -d "$store"/checkpoints/*/chk-* 2> /dev/null \
    | awk -F'chk-' '{ print $NF, $0 }' | sort -n | tail -1 | cut -d' ' -f2-)"
  meta="$latest/_metadata"
  bytes="$(stat -c %s "$meta" 2> /dev/null || echo -)"
  echo "N=$n: idle $idle cores, trickling $during cores, checkpoint _metadata $bytes B" >&2
  echo "$label $n $idle $during $bytes" >> "$results"
  rm -rf "$spool"/t-* "$store"
done

echo "| l1 | N nodes seen | CPU idle (cores) | CPU trickling ${rate}/s (cores) | checkpoint _metadata (B) |"
echo "|---|---|---|---|---|"
awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$results"
