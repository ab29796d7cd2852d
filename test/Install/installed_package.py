"""Run by python.test: the installed rope_mlir, with nothing but its prefix
(argv[1]) to find rope-opt by, compiles a Llama-3 style kernel and rotates
random f32 q and k; the result is checked against the float64
reference on the same inputs."""

import os
import sys

import numpy as np

prefix = os.path.realpath(sys.argv[1])
import rope_mlir  # noqa: E402
from rope_mlir import RopeKernel, RopeSpec, reference, tools  # noqa: E402

package = os.path.realpath(os.path.dirname(rope_mlir.__file__))
print("package:", "under the prefix" if package.startswith(prefix + os.sep) else "elsewhere: " + package)
opt = os.path.realpath(tools.rope_opt())
print("rope-opt:", "the prefix's bin/rope-opt" if opt == os.path.join(prefix, "bin", "rope-opt") else opt)

spec = RopeSpec(head_dim=64, rotary_dim=64, theta=5e5)
kern = RopeKernel(spec, layout="bhsd", q_heads=4, k_heads=2)
rng = np.random.default_rng(20)
q = rng.standard_normal((2, 4, 7, 64), dtype=np.float32)
k = rng.standard_normal((2, 2, 7, 64), dtype=np.float32)
pos = rng.integers(0, 1 << 20, size=(1, 2, 7), dtype=np.int64)
q_out, k_out = kern(q, k, pos)
err = max(np.abs(q_out - reference.rotate(spec, "bhsd", q.astype(np.float64), pos)).max(),
          np.abs(k_out - reference.rotate(spec, "bhsd", k.astype(np.float64), pos)).max())
print("max error vs float64:", "ok" if err < 1e-5 else "%g, too large" % err)
