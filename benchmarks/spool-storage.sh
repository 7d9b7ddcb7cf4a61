#!/usr/bin/env bash
# Storage of a followed spool: renderer outputs arrive one node at a time, RATE nodes a second,
# N nodes of SIZE bytes each, into a spool that `l1 ingest --follow` (local mode, default options:
# a checkpoint and so a sealed segment every 2 s) is following. Once every node is stored the run
# is stopped (SIGTERM, which the JVM handles like Ctrl-C) and the script prints the segment bytes (the files'
# sizes, and the disk blocks they take) against the content bytes, and `l1 stats`.
#   benchmarks/spool-storage.sh [N [SIZE [RATE]]]     default 10000 1024 100 (the issue's row)
# env: L1_BENCH_DIR (work dir, default $TMPDIR/l1-bench), L1 (the l1 command to run, default
#      this checkout's bin/l1), L1_JAVA_OPTS (passed on by bin/l1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10000}"
size="${2:-1024}"
rate="${3:-100}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}"
l1="${L1:-$root/bin/l1}"
spool="$work/spool-$n-$size"
store="$work/spool-store"
mkdir -p "$work"
"$l1" --version > /dev/null # builds the distribution once

rm -rf "$spool" "$store"
mkdir -p "$spool"
"$l1" ingest --quiet --follow --store "$store" "$spool" > "$work/spool-ingest.log" 2>&1 &
ingest=$!
trap 'kill "$ingest" 2> /dev/null || true' EXIT

# The renderer: output first, metadata.json last (that makes the node ready), paced to RATE/s.
python3 - "$spool" "$n" "$size" "$rate" <<'PY'
import json, os, sys, time
spool, n, size, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
start = time.monotonic()
for i in range(n):
    node = "node-%07d" % i
    d = os.path.join(spool, node)
    os.mkdir(d)
    with open(os.path.join(d, "output.bin"), "wb") as f:
        f.write(i.to_bytes(8, "little") + os.urandom(max(size - 8, 0)))
    with open(os.path.join(d, "metadata.json"), "w") as f:
        json.dump({"node_id": node, "node_type": "SEGMENT"}, f)
    late = start + (i + 1) / rate - time.monotonic()
    if late > 0:
        time.sleep(late)
print("generated %d nodes in %.1f s" % (n, time.monotonic() - start), file=sys.stderr)
PY

# Wait until the store names every node (stats reads the index while the run holds the store).
for _ in $(seq 1 120); do
  stored=$("$l1" stats --json --store "$store" 2> /dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["unique_contents"])' || echo 0)
  [[ "$stored" -ge "$n" ]] && break
  sleep 1
done
kill -TERM "$ingest" # the JVM stops on TERM as on Ctrl-C (a background job ignores INT)
wait "$ingest" || true
trap - EXIT

"$l1" stats --json --store "$store" > "$work/spool-stats.json"
python3 - "$store" "$n" "$size" "$work/spool-stats.json" <<'PY'
import glob, json, os, sys
store, n, size, stats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = json.load(open(stats))
files = glob.glob(os.path.join(store, "segments", "*.car"))
apparent = sum(os.stat(f).st_size for f in files)
blocks = sum(os.stat(f).st_blocks * 512 for f in files)
content = n * size
print("nodes %d of %d bytes; stats: %d contents, %d segments, stored_bytes %d, content_bytes %d"
      % (n, size, s["unique_contents"], s["segments"], s["stored_bytes"], s["content_bytes"]))
print("segment files: %d, %d bytes (%.3f of content), %d bytes on disk (%.3f of content)"
      % (len(files), apparent, apparent / content, blocks, blocks / content))
if s["unique_contents"] != n:
    sys.exit("not every node was stored: %d of %d" % (s["unique_contents"], n))
PY
