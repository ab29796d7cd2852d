#!/usr/bin/env python3
"""The main job on a shipped example: compile, run, check, report.

Compiles examples/qwen3vl_text_rope.mlir through `rope-opt --rope-cpu-pipeline`,
`mlir-translate` and clang into a shared object, calls its C interface on
random q/k and multimodal positions, and checks the result against the
float64 reference (SPEC R1-R3).
"""

import argparse
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
from rope_mlir import compiler, memref, reference  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("example", nargs="?", default=os.path.join(ROOT, "examples", "qwen3vl_text_rope.mlir"))
    ap.add_argument("--seq", type=int, default=1024, help="tokens")
    ap.add_argument("--pos-max", type=int, default=32768)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    text = open(a.example).read()
    spec, layout = RopeSpec.from_ir(text)
    print("example:  %s" % os.path.relpath(a.example))
    for line in text.splitlines():
        if "rope.rotate" in line or line.strip().startswith(("layout", "axes", "positions")):
            print("  | " + line.strip())
    t0 = time.time()
    so = compiler.compile_shared(text, cache_dir=os.path.join(ROOT, "build", "example-cache"))
    print("compiled: %s (%.2f s: rope-opt --rope-cpu-pipeline | mlir-translate | clang -O3)"
          % (os.path.relpath(so), time.time() - t0))

    rng = np.random.default_rng(a.seed)
    heads_q, heads_k, d = 32, 8, spec.head_dim
    q = rng.uniform(-2, 2, size=(1, heads_q, a.seq, d)).astype(np.float32)
    k = rng.uniform(-2, 2, size=(1, heads_k, a.seq, d)).astype(np.float32)
    # Text tokens share one position on every axis; an image block in the
    # middle gets its own (t, h, w) grid (SPEC R6).
    pos = np.broadcast_to(np.arange(a.seq, dtype=np.int64), (3, 1, a.seq)).copy()
    start, side = a.seq // 4, 16
    n = min(side * side, a.seq - start)
    grid = np.arange(n)
    pos[0, 0, start:start + n] = start
    pos[1, 0, start:start + n] = start + grid // side
    pos[2, 0, start:start + n] = start + grid % side
    pos[:, 0, start + n:] += (pos[:, 0, start + n - 1].max() + 1) - (start + n)
    pos = np.ascontiguousarray(pos)
    q_out = np.empty_like(q)
    k_out = np.empty_like(k)
    t0 = time.perf_counter()
    memref.call(so, "qwen3vl_rope", q, k, pos, q_out, k_out)
    elapsed = time.perf_counter() - t0
    worst = 0.0
    for x, y in ((q, q_out), (k, k_out)):
        ref = reference.rotate(spec, layout, x, pos)
        worst = max(worst, float(np.max(np.abs(y - ref)) / np.max(np.abs(ref))))
    moved = (q.nbytes + k.nbytes) * 2 + pos.nbytes
    print("ran:      q %s, k %s, %d tokens (text + a %dx%d image grid), %.3f ms, %.2f GB/s (first call)"
          % (tuple(q.shape), tuple(k.shape), a.seq, side, side, elapsed * 1e3, moved / elapsed / 1e9))
    ok = worst < 1e-5
    print("checked:  max relative error vs float64 reference = %.2e (tolerance 1e-5): %s"
          % (worst, "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
