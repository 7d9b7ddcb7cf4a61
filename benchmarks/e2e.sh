#!/usr/bin/env bash
# End-to-end benchmark: ingest a generated corpus of mixed file sizes (default 1 GiB) with
# `l1 ingest` (local mode, and l1 mode when the services are up), pack the same files with
# `ipfs-car pack`, and run artdag's own flow scripted with the peers (Kubo `ipfs add -r --offline`
# into a fresh repo, then `openssl dgst -sha3-256` over the same files in 2 parallel processes,
# one after the other), all in the same run; also measure the page-cache read rate and OpenSSL's
# SHA3-256 (1 process) as physical references. Prints a Markdown table.
#   benchmarks/e2e.sh [SIZE_MIB]        (env: L1_BENCH_DIR, L1_BENCH_PARALLELISM)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}"
par="${L1_BENCH_PARALLELISM:-$(nproc)}"
corpus="$work/corpus-$size_mib"
mkdir -p "$work"

eval "$(bash "$root/deploy/local/install-tools.sh")"

if [[ ! -f "$corpus/.complete" ]]; then
  echo "generating a $size_mib MiB corpus in $corpus" >&2
  rm -rf "$corpus"
  python3 "$root/benchmarks/gen-corpus.py" "$corpus" "$size_mib"
fi
bytes=$(du -sb --exclude=.complete "$corpus" | cut -f1)
files=$(find "$corpus" -type f ! -name .complete | wc -l)
mb=$(python3 -c "print($bytes/1e6)")

rate() { python3 -c "print(f'{$mb/$1:.1f}')"; }
secs() { python3 -c "import sys; print(f'{$2-$1:.2f}')"; }
now() { date +%s.%N; }

# Warm the page cache so every tool reads from memory.
find "$corpus" -type f -exec cat {} + > /dev/null

t0=$(now); find "$corpus" -type f -exec cat {} + > /dev/null; t1=$(now)
read_s=$(secs "$t0" "$t1")

t0=$(now); find "$corpus" -type f ! -name .complete -exec openssl dgst -sha3-256 {} + > /dev/null; t1=$(now)
ossl_s=$(secs "$t0" "$t1")

"$root/bin/l1" --version > /dev/null   # builds the distribution if needed
# Fixed cost of a run (JVM, MiniCluster, final checkpoint) measured on an empty input.
mkdir -p "$work/empty"; rm -rf "$work/store-empty"
t0=$(now); "$root/bin/l1" ingest --quiet -p "$par" --store "$work/store-empty" "$work/empty"; t1=$(now)
fixed_s=$(secs "$t0" "$t1")
rm -rf "$work/store"
t0=$(now)
"$root/bin/l1" ingest --quiet -p "$par" --store "$work/store" "$corpus"
t1=$(now)
l1_s=$(secs "$t0" "$t1")
stats=$("$root/bin/l1" stats --json --store "$work/store")

# l1 mode on the same corpus, when the services are up (deploy/local/services.sh start).
l1_row=""
l1_ratio=""
if [[ -n "${L1_KUBO_API:-}" && -n "${L1_REDIS_URL:-}" && -n "${L1_PG_URL:-}" ]]; then
  ns="bench$(date +%s)"
  rm -rf "$work/store-l1"
  t0=$(now)
  "$root/bin/l1" ingest --quiet -p "$par" --mode l1 --redis-key-prefix "$ns:" --pg-schema "$ns" \
    --store "$work/store-l1" "$corpus"
  t1=$(now)
  l1m_s=$(secs "$t0" "$t1")
  l1_ratio=" l1 mode vs local mode: $(python3 -c "print(f'{$l1_s/$l1m_s:.2f}')")x throughput (target >= 0.8)."
  l1_row="| \`l1 ingest --mode l1\` (Kubo import + pin, Redis, PostgreSQL) | $l1m_s | $(rate "$l1m_s") | $(python3 -c "print(f'{$read_s/$l1m_s:.2f}')") |"
fi

# artdag's flow: Kubo adds the files (CIDs as the job's unixfs-v1-2025 profile), then the SHA3-256
# content hashes in 2 processes.
bash "$root/deploy/local/kubo.sh" install >&2
ipfs_bin="${L1_KUBO_HOME:-/opt/kubo}/bin/ipfs"
[[ -x "$ipfs_bin" ]] || ipfs_bin="${XDG_DATA_HOME:-$HOME/.local/share}/artdag-l1/kubo/bin/ipfs"
rm -rf "$work/kubo-repo"
IPFS_PATH="$work/kubo-repo" "$ipfs_bin" init -e > /dev/null
t0=$(now)
IPFS_PATH="$work/kubo-repo" "$ipfs_bin" add -r --offline --quieter --cid-version=1 --raw-leaves \
  --chunker=size-1048576 --max-file-links=1024 "$corpus" > /dev/null
t1=$(now)
kubo_s=$(secs "$t0" "$t1")
t0=$(now)
find "$corpus" -type f ! -name .complete -print0 \
  | xargs -0 -n 16 -P 2 openssl dgst -sha3-256 > /dev/null
t1=$(now)
ossl2_s=$(secs "$t0" "$t1")
artdag_s=$(python3 -c "print(f'{$kubo_s+$ossl2_s:.2f}')")

rm -f "$work/ipfs-car.car"
t0=$(now)
"$L1_IPFS_CAR" pack "$corpus" --output "$work/ipfs-car.car" > /dev/null
t1=$(now)
car_s=$(secs "$t0" "$t1")

cat <<MD
Corpus: $files files, $bytes bytes ($size_mib MiB requested, ~10% duplicates), page cache warm.
Machine: $(nproc) cores, $(java -version 2>&1 | head -1); l1 parallelism $par.

| what | seconds | MB/s | vs page-cache read |
|---|---:|---:|---:|
| page-cache read (cat, 1 process) | $read_s | $(rate "$read_s") | 1.00 |
| OpenSSL SHA3-256 (openssl dgst, 1 process) | $ossl_s | $(rate "$ossl_s") | $(python3 -c "print(f'{$read_s/$ossl_s:.2f}')") |
| \`l1 ingest\` (local mode, incl. JVM + MiniCluster start) | $l1_s | $(rate "$l1_s") | $(python3 -c "print(f'{$read_s/$l1_s:.2f}')") |
| \`l1 ingest\` net of its fixed cost ($fixed_s s on an empty input) | $(secs "$fixed_s" "$l1_s") | $(rate "$(secs "$fixed_s" "$l1_s")") | $(python3 -c "print(f'{$read_s/($l1_s-$fixed_s):.2f}')") |
$l1_row
| \`ipfs-car pack\` | $car_s | $(rate "$car_s") | $(python3 -c "print(f'{$read_s/$car_s:.2f}')") |
| artdag's flow: Kubo \`ipfs add -r --offline\` ($kubo_s s), then \`openssl dgst -sha3-256\` in 2 processes ($ossl2_s s) | $artdag_s | $(rate "$artdag_s") | $(python3 -c "print(f'{$read_s/$artdag_s:.2f}')") |

l1 vs artdag's flow: $(python3 -c "print(f'{$artdag_s/$l1_s:.2f}')")x wall (target >= 1).$l1_ratio l1 vs ipfs-car: $(python3 -c "print(f'{$car_s/$l1_s:.2f}')")x wall, $(python3 -c "print(f'{$car_s/($l1_s-$fixed_s):.2f}')")x net. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). l1 store: $stats
MD
