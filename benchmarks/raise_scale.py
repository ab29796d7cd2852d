#!/usr/bin/env python3
"""Scale of --rope-raise: generated decoder graphs of growing size; prints
ops, the pass's own wall time (-mlir-timing) and time per op."""

import os
import re
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
opt = os.environ.get("ROPE_OPT", os.path.join(root, "build", "bin", "rope-opt"))
gen = os.path.join(root, "benchmarks", "gen_decoder_graph.py")
print("%8s %9s %10s %12s %8s" % ("layers", "ops", "raised", "rope-raise s", "ns/op"))
with tempfile.TemporaryDirectory() as tmp:
    for layers in (9, 18, 36, 72):
        path = os.path.join(tmp, "g%d.mlir" % layers)
        subprocess.run([sys.executable, gen, path, "--layers", str(layers)], check=True)
        generic = subprocess.run([opt, path, "--mlir-print-op-generic"], check=True,
                                 capture_output=True, text=True).stdout
        ops = len(re.findall(r'"[a-z_]+\.[a-z_.]+"\(', generic))
        run = subprocess.run([opt, path, "-p", "builtin.module(func.func(rope-raise))",
                              "-mlir-timing", "-o", path + ".out"], check=True,
                             capture_output=True, text=True)
        secs = float(re.search(r"([0-9.]+) \([ 0-9.]+%\)\s+RopeRaise", run.stderr).group(1))
        raised = open(path + ".out").read().count("rope.rotate_with_tables")
        print("%8d %9d %10d %12.3f %8.0f" % (layers, ops, raised, secs, secs / ops * 1e9))
