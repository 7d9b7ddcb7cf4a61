#!/usr/bin/env bash
# Per-file cost: `l1 ingest` (local mode), Kubo `ipfs add -r --offline` (its own fresh repo) and
# `ipfs-car pack` over the same generated files (N distinct files of SIZE bytes, 1,000 per
# directory), interleaved round by round, each from a fresh store / repo / output. Kubo's flags
# give the unixfs-v1-2025 CIDs the job computes (CIDv1, raw leaves, 1 MiB chunks, 1024 links).
# Prints wall time, files/s and max RSS (/usr/bin/time -v) per run, the medians, and the ratios.
#   benchmarks/per-file.sh [N [SIZE [ROUNDS]]]     default 100000 4096 2 (10000 for a quick run)
# env: L1_BENCH_DIR (work dir, default $TMPDIR/l1-bench), L1_BENCH_PARALLELISM (default nproc),
#      L1_JAVA_OPTS (passed on by bin/l1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100000}"
size="${2:-4096}"
rounds="${3:-2}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}"
par="${L1_BENCH_PARALLELISM:-$(nproc)}"
corpus="$work/files-$n-$size"
mkdir -p "$work"

[[ -x /usr/bin/time ]] || { echo "per-file.sh needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
eval "$(bash "$root/deploy/local/install-tools.sh")"             # ipfs-car
bash "$root/deploy/local/kubo.sh" install >&2                     # Kubo 0.41
ipfs_bin="${L1_KUBO_HOME:-/opt/kubo}/bin/ipfs"
[[ -x "$ipfs_bin" ]] || ipfs_bin="${XDG_DATA_HOME:-$HOME/.local/share}/artdag-l1/kubo/bin/ipfs"
"$root/bin/l1" --version > /dev/null                              # builds the distribution once

if [[ ! -f "$corpus/.complete" ]]; then
  echo "generating $n files of $size bytes in $corpus" >&2
  rm -rf "$corpus"
  python3 "$root/benchmarks/gen-files.py" "$corpus" "$n" "$size"
fi
# Warm the page cache so every tool reads from memory.
find "$corpus" -type f -exec cat {} + > /dev/null

measure() { # measure NAME COMMAND... : runs it under /usr/bin/time -v, prints "NAME wall_s rss_kb"
  local name="$1"; shift
  local log="$work/time-$name.log"
  /usr/bin/time -v -o "$log" "$@" > "$work/out-$name.log" 2>&1 || {
    echo "$name failed; see $work/out-$name.log" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" \
    | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$name $wall $rss"
}

run_l1() {
  rm -rf "$work/l1-store"
  measure l1 "$root/bin/l1" ingest --quiet -p "$par" --store "$work/l1-store" "$corpus"
}
run_kubo() {
  rm -rf "$work/kubo-repo"
  IPFS_PATH="$work/kubo-repo" "$ipfs_bin" init -e > /dev/null
  IPFS_PATH="$work/kubo-repo" measure kubo "$ipfs_bin" add -r --offline --quieter \
    --cid-version=1 --raw-leaves --chunker=size-1048576 --max-file-links=1024 "$corpus"
}
run_car() {
  rm -f "$work/pack.car"
  measure car "$L1_IPFS_CAR" pack "$corpus" --no-wrap --output "$work/pack.car"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $n files x $size B; p=$par" >&2
results="$work/per-file-results.txt"
: > "$results"
for ((r = 0; r < rounds; r++)); do
  # Rotate the order so that no tool always runs first (or right after another).
  case $((r % 3)) in
    0) order=(run_l1 run_kubo run_car) ;;
    1) order=(run_kubo run_car run_l1) ;;
    2) order=(run_car run_l1 run_kubo) ;;
  esac
  for f in "${order[@]}"; do
    line="$("$f")"
    echo "round $((r + 1)): $line" >&2
    echo "$line" >> "$results"
  done
done
# The same root CID from Kubo and ipfs-car shows they built the same DAG.
kubo_root="$(tail -1 "$work/out-kubo.log")"
car_root="$("$L1_IPFS_CAR" roots "$work/pack.car" 2>/dev/null | head -1 || true)"
[[ "$kubo_root" == "$car_root" ]] || echo "note: Kubo root $kubo_root, ipfs-car root $car_root" >&2

python3 - "$results" "$n" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import statistics, sys
rows, n, load = sys.argv[1], int(sys.argv[2]), sys.argv[3]
by = {}
for line in open(rows):
    name, wall, rss = line.split()
    by.setdefault(name, []).append((float(wall), int(rss)))
med = {k: (statistics.median(w for w, _ in v), statistics.median(r for _, r in v)) for k, v in by.items()}
label = {"l1": "`l1 ingest` (local)", "kubo": "Kubo `ipfs add -r --offline`", "car": "`ipfs-car pack`"}
print(f"| tool ({n:,} files, median of {len(by['l1'])}) | wall s | files/s | max RSS MB | runs (wall s) |")
print("|---|---|---|---|---|")
for k in ("l1", "kubo", "car"):
    w, r = med[k]
    runs = ", ".join(f"{x:.1f}" for x, _ in by[k])
    print(f"| {label[k]} | {w:.1f} | {n / w:,.0f} | {r / 1024:,.0f} | {runs} |")
l1, kubo, car = med["l1"][0], med["kubo"][0], med["car"][0]
print()
print(f"files/s ratio l1 / Kubo = {kubo / l1:.2f}; l1 / ipfs-car = {car / l1:.2f}; "
      f"max RSS l1 / Kubo = {med['l1'][1] / med['kubo'][1]:.1f}; load at end {load}")
PY
