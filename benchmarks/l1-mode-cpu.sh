#!/usr/bin/env bash
# Where l1 mode's time goes: runs `l1 ingest` on the same corpus in local mode and in l1 mode
# (the deploy/local Kubo, Redis and PostgreSQL), ROUNDS times alternating, and prints for each run
# its wall time and the CPU seconds (user + system) spent by the l1 JVM and by each service
# process during it, read from /proc (a service's reaped children, such as PostgreSQL's
# backends, are included). Also measures, in the same run, the disk's write-and-fsync rate of
# the corpus' size: local mode fsyncs every segment, so that is one of its physical limits.
#   benchmarks/l1-mode-cpu.sh [SIZE_MIB [ROUNDS]]      default 1024 2; corpus as benchmarks/e2e.sh
# env: the L1_* service variables of `deploy/local/services.sh start` (required), L1_BENCH_DIR,
#      L1_BENCH_PARALLELISM (default nproc)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
rounds="${2:-2}"
work="${L1_BENCH_DIR:-${TMPDIR:-/tmp}/l1-bench}"
par="${L1_BENCH_PARALLELISM:-$(nproc)}"
corpus="$work/corpus-$size_mib"
: "${L1_KUBO_API:?start the services first: eval \"\$(deploy/local/services.sh start)\"}"
: "${L1_REDIS_URL:?}" "${L1_PG_URL:?}"
mkdir -p "$work"
if [[ ! -f "$corpus/.complete" ]]; then
  rm -rf "$corpus"
  python3 "$root/benchmarks/gen-corpus.py" "$corpus" "$size_mib"
fi
"$root/bin/l1" --version > /dev/null
find "$corpus" -type f -exec cat {} + > /dev/null # warm the page cache

tick=$(getconf CLK_TCK)
cpu_of() { # cpu_of PID: user+system(+reaped children) seconds*tick
  awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2> /dev/null || echo 0
}
port_of() { # port_of URL: the port in http://host:port/..., redis://host:port, jdbc:...//host:port/db
  sed -E 's#^.*//([^/@]*@)?[^/:]+:([0-9]+).*$#\2#' <<< "$1"
}
listener() { # listener PORT: the pid of the process listening on it
  ss -Hltnp "sport = :$1" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1
}
declare -A svc=(
  [kubo]="$(listener "$(port_of "$L1_KUBO_API")")"
  [redis]="$(listener "$(port_of "$L1_REDIS_URL")")"
  [postgres]="$(listener "$(port_of "$L1_PG_URL")")"
)
for s in "${!svc[@]}"; do
  [[ -n "${svc[$s]}" ]] || { echo "no $s process found; start the services" >&2; exit 1; }
done

run() { # run MODE
  local mode="$1" args=() before=() ns
  if [[ "$mode" == l1 ]]; then
    ns="cpu$(date +%s%N)"
    args=(--mode l1 --redis-key-prefix "$ns:" --pg-schema "$ns")
  fi
  for s in kubo redis postgres; do before+=("$(cpu_of "${svc[$s]}")"); done
  rm -rf "$work/cpu-store"
  /usr/bin/time -f '%e %U %S' -o "$work/cpu-time.txt" \
    "$root/bin/l1" ingest --quiet -p "$par" "${args[@]}" --store "$work/cpu-store" "$corpus"
  read -r wall user sys < "$work/cpu-time.txt"
  local i=0 line
  line=$(printf '| %s | %.2f | %.1f' "$mode" "$wall" "$(echo "$user + $sys" | bc -l)")
  for s in kubo redis postgres; do
    line+=$(printf ' | %.1f' "$(echo "($(cpu_of "${svc[$s]}") - ${before[$i]}) / $tick" | bc -l)")
    i=$((i + 1))
  done
  echo "$line |"
}

t0=$(date +%s.%N)
dd if=/dev/zero of="$work/cpu-dd" bs=1M count="$size_mib" conv=fsync status=none
t1=$(date +%s.%N)
rm -f "$work/cpu-dd"
echo "disk: write + fsync of $size_mib MiB: $(echo "$t1 - $t0" | bc -l | xargs printf '%.2f') s"
echo "| mode | wall s | l1 JVM CPU s | Kubo CPU s | Redis CPU s | PostgreSQL CPU s |"
echo "|---|---|---|---|---|---|"
for _ in $(seq 1 "$rounds"); do
  run local
  run l1
done
