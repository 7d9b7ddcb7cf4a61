#!/usr/bin/env python3
"""Generates N distinct files of SIZE bytes under ROOT, 1,000 per directory (d0000/, d0001/, ...),
each starting with its 8-byte index and then random bytes; writes ROOT/.complete last.
    benchmarks/gen-files.py ROOT N SIZE"""
import os
import sys

root, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    d = os.path.join(root, "d%04d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%07d.bin" % i), "wb") as f:
        f.write(i.to_bytes(8, "little") + os.urandom(max(size - 8, 0)))
open(os.path.join(root, ".complete"), "w").close()
