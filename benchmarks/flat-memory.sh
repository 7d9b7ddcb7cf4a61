#!/usr/bin/env bash
# Memory against the number of files: `l1 ingest` (local mode) with a fixed heap over 10,000 ...
# 1,000,000 distinct small files (the first N of one generated corpus, 1,000 per directory, the
# smaller corpora hard links into the largest), each into a fresh store; prints wall time, CPU and
# max RSS (/usr/bin/time) per N, and each RSS as a ratio of the smallest N's. With NMT=1 the JVM
# also prints its Native Memory Tracking summary at exit (kept in the work dir, nmt-N.txt).
#   benchmarks/flat-memory.sh [SIZE [N...]]     default 1024 10000 100000 300000 1000000
# env: L1_BENCH_DIR (work dir, default $TMPDIR/l1-bench), HEAP (default -Xmx512m), NMT (0 or 1),
#      L1_JAVA_OPTS (passed on by bin/l1 after HEAP)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="${1:-1024}"
shift || true
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(10000 100000 300000 1000000)
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}/flat-memory"
heap="${HEAP:--Xmx512m}"
[[ -x /usr/bin/time ]] || { echo "flat-memory.sh needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
mkdir -p "$work"
"$root/bin/l1" --version > /dev/null

max=0
for n in "${counts[@]}"; do ((n > max)) && max=$n; done
((max % 1000 == 0)) || { echo "each N must be a multiple of 1,000" >&2; exit 1; }
full="$work/files-$max-$size"
if [[ ! -f "$full/.complete" ]]; then
  echo "generating $max files of $size bytes in $full" >&2
  rm -rf "$full"
  python3 "$root/benchmarks/gen-files.py" "$full" "$max" "$size"
fi

nmt=()
if [[ "${NMT:-0}" == 1 ]]; then
  nmt=(-XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics)
fi
echo "| files | wall s | CPU s | max RSS MB | RSS / RSS at ${counts[0]} |"
echo "|---|---|---|---|---|"
first=""
for n in "${counts[@]}"; do
  corpus="$full"
  if ((n < max)); then # the first n/1000 directories, as hard links
    corpus="$work/files-$n-$size"
    if [[ ! -f "$corpus/.complete" ]]; then
      rm -rf "$corpus"
      mkdir -p "$corpus"
      for ((d = 0; d < n / 1000; d++)); do
        cp -al "$full/$(printf 'd%04d' "$d")" "$corpus/"
      done
      touch "$corpus/.complete"
    fi
  fi
  find "$corpus" -type f -exec cat {} + > /dev/null # warm the page cache
  rm -rf "$work/store"
  L1_JAVA_OPTS="$heap ${nmt[*]} ${L1_JAVA_OPTS:-}" /usr/bin/time -f '%e %U %S %M' \
    -o "$work/time.txt" "$root/bin/l1" ingest --quiet --store "$work/store" "$corpus" \
    > "$work/nmt-$n.txt" 2>&1 || { echo "l1 ingest failed on $n files; see $work/nmt-$n.txt" >&2; exit 1; }
  read -r wall user sys rss < "$work/time.txt"
  [[ -n "$first" ]] || first=$rss
  printf '| %d | %.1f | %.1f | %d | %.2f |\n' "$n" "$wall" "$(echo "$user + $sys" | bc -l)" \
    "$((rss / 1024))" "$(echo "$rss / $first" | bc -l)"
done
rm -rf "$work/store"
