#!/usr/bin/env python3
"""A reproducible benchmark corpus of mixed file sizes (seed 42): ~10 % duplicates of earlier
small files, 45 % small (1-64 KiB), 35 % medium (256 KiB-4 MiB), 10 % large (16-64 MiB),
in directories of 100 files. Usage: gen-corpus.py OUT_DIR SIZE_MIB (writes OUT_DIR/.complete
last). Used by benchmarks/e2e.sh and benchmarks/parallelism.sh."""
import os, random, sys
out, total = sys.argv[1], int(sys.argv[2]) << 20
r = random.Random(42)
os.makedirs(out)
written, n, kept = 0, 0, []
while written < total:
    kind = r.random()
    if kind < 0.10 and kept:                      # 10%: a duplicate of an earlier file
        data = r.choice(kept)
    elif kind < 0.55:                             # small: 1 KiB .. 64 KiB
        data = r.randbytes(r.randint(1 << 10, 64 << 10))
    elif kind < 0.90:                             # medium: 256 KiB .. 4 MiB
        data = r.randbytes(r.randint(256 << 10, 4 << 20))
    else:                                         # large: 16 .. 64 MiB
        data = r.randbytes(r.randint(16 << 20, 64 << 20))
    if len(data) < (1 << 20) and len(kept) < 64:
        kept.append(data)
    d = os.path.join(out, "node%03d" % (n // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "output%05d.bin" % n), "wb") as f:
        f.write(data)
    written += len(data); n += 1
open(os.path.join(out, ".complete"), "w").close()
print(f"{n} files, {written} bytes", file=sys.stderr)
