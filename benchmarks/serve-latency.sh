#!/usr/bin/env bash
# Lookup latency of `l1 serve` (local mode, this machine): ingests N small files (4 KiB, random
# bytes) into a fresh store, starts `bin/l1 serve` on it, and times GET /content/{sha3} for
# REQUESTS contents picked at random (one keep-alive connection, one request at a time, each body
# checked against its SHA3-256), then the same for unknown hashes (404). Prints p50/p90/p99/max;
# record them in docs/benchmarks.md. Not part of CI.
#   benchmarks/serve-latency.sh [N=100000] [REQUESTS=20000]
#   benchmarks/serve-latency.sh 1000000          # a million files: ~4 GB of inputs, long ingest
# The store is kept in $L1_BENCH_DIR/serve-latency/store-N and reused by a later run with the
# same N (delete it to ingest again).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100000}"; requests="${2:-20000}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}/serve-latency"
store="$work/store-$n"
mkdir -p "$work"
"$root/bin/l1" --version > /dev/null   # builds the distribution if needed

if [[ ! -f "$store/hashes.txt" ]]; then
  rm -rf "$store" "$work/in"
  echo "writing $n files of 4 KiB into $work/in" >&2
  python3 - "$work/in" "$n" <<'PY'
import os, sys
out, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(out, f"d{i // 1000:04d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:07d}.bin"), "wb") as f:
        f.write(os.urandom(4096))
PY
  echo "ingesting (bin/l1 ingest --quiet)" >&2
  start=$(date +%s)
  "$root/bin/l1" ingest --quiet --store "$store" "$work/in"
  echo "ingested $n files in $(( $(date +%s) - start )) s" >&2
  # The expected hashes, from the inputs (not from the store).
  python3 - "$work/in" > "$store/hashes.tmp" <<'PY'
import hashlib, os, sys
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        with open(os.path.join(d, f), "rb") as fh:
            print(hashlib.sha3_256(fh.read()).hexdigest())
PY
  mv "$store/hashes.tmp" "$store/hashes.txt"
  rm -rf "$work/in"
fi

log="$work/serve.log"
"$root/bin/l1" serve --store "$store" --port 0 > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$log")"
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "l1 serve did not start: $(cat "$log")" >&2; exit 1; }

python3 - "$port" "$store/hashes.txt" "$requests" "$n" <<'PY'
import hashlib, http.client, os, random, sys, time
port, hashes_file, requests, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
hashes = open(hashes_file).read().split()
conn = http.client.HTTPConnection("127.0.0.1", port)

def get(h, expect):
    t = time.perf_counter()
    conn.request("GET", "/content/" + h)
    r = conn.getresponse()
    body = r.read()
    dt = time.perf_counter() - t
    if r.status != expect:
        sys.exit(f"{h}: HTTP {r.status} (expected {expect}): {body[:200]!r}")
    if expect == 200 and hashlib.sha3_256(body).hexdigest() != h:
        sys.exit(f"{h}: body does not hash back to it")
    return dt

def report(label, times):
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000
    print(f"{label}: {len(times)} requests, p50 {q(0.50):.2f} ms, p90 {q(0.90):.2f} ms, "
          f"p99 {q(0.99):.2f} ms, max {times[-1] * 1000:.2f} ms, "
          f"{len(times) / sum(times):.0f} requests/s")

rnd = random.Random(1)
for _ in range(min(1000, requests)):            # warm-up: JIT, page cache, SQLite
    get(rnd.choice(hashes), 200)
print(f"store of {len(hashes)} contents (N={n}), one connection, sequential")
report("GET /content/{sha3}, stored", [get(rnd.choice(hashes), 200) for _ in range(requests)])
report("GET /content/{sha3}, unknown", [get(os.urandom(32).hex(), 404) for _ in range(min(5000, requests))])
PY
