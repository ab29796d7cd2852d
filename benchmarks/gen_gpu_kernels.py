#!/usr/bin/env python3
"""Writes the GPU device check's kernels: HF layout [B, H, S, D] with
positions [3, B, S], as transformers' Qwen3-VL and Qwen2-VL attention use."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from rope_mlir.kernel import emit_module  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402

QWEN3VL = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
QWEN2VL = RopeSpec(head_dim=128, rotary_dim=128, theta=1e6, axes=("sequential", [16, 24, 24]))

# name: (spec, q heads, k heads, dtype)
KERNELS = {
    "qwen3vl_f32": (QWEN3VL, 32, 8, "f32"),
    "qwen3vl_bf16": (QWEN3VL, 32, 8, "bf16"),
    "qwen2vl_f32": (QWEN2VL, 28, 4, "f32"),
    "qwen2vl_bf16": (QWEN2VL, 28, 4, "bf16"),
}

if __name__ == "__main__":
    parts = [emit_module(spec, "bhsd", hq, hk, dt, "i64", False, name=name)
             for name, (spec, hq, hk, dt) in KERNELS.items()]
    with open(sys.argv[1], "w") as f:
        f.write("module {\n" + "\n".join(parts) + "}\n")
