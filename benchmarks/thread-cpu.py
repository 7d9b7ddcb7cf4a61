#!/usr/bin/env python3
"""Per-thread CPU of a command: runs it, polls /proc/<pid>/task/* every 0.1 s while it runs and
prints the CPU seconds (user + system) of each thread name (the kernel's 15-character comm, digits
folded to N), largest first. Threads that end early keep their last reading.
    benchmarks/thread-cpu.py COMMAND [ARGS...]"""
import collections, os, re, subprocess, sys, time

tick = os.sysconf("SC_CLK_TCK")
proc = subprocess.Popen(sys.argv[1:])
seen = {}  # tid -> (name, ticks)


def poll(pid):
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = s[s.index("(") + 1 : s.rindex(")")]
        fields = s[s.rindex(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])
        seen[tid] = (re.sub(r"\d+", "N", name), ticks)


def java_pid(pid):
    """The java process: the command itself (bin/l1 execs java) or a descendant of it (when run
    through /usr/bin/time, or while bin/l1 records its class-data archive)."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            if f.read().strip() == "java":
                return pid
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = [int(k) for k in f.read().split()]
    except FileNotFoundError:
        return None
    for k in kids:
        found = java_pid(k)
        if found:
            return found
    return None


while proc.poll() is None:
    jp = java_pid(proc.pid)
    if jp:
        poll(jp)
    time.sleep(0.1)
total = collections.Counter()
for name, ticks in seen.values():
    total[name] += ticks
all_ticks = sum(total.values())
print(f"{'thread':<18} {'CPU s':>7} {'share':>6}", file=sys.stderr)
for name, ticks in total.most_common(20):
    print(f"{name:<18} {ticks / tick:7.2f} {100 * ticks / max(all_ticks, 1):5.1f}%", file=sys.stderr)
print(f"{'all threads':<18} {all_ticks / tick:7.2f}", file=sys.stderr)
sys.exit(proc.returncode)
