#!/usr/bin/env python3
"""Writes the benchmark's kernels: one module with a function per case family.
Usage: gen_kernels.py OUT"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from rope_mlir.kernel import emit_module  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402

QWEN3VL = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
QWEN2VL = RopeSpec(head_dim=128, rotary_dim=128, theta=1e6, axes=("sequential", [16, 24, 24]))
NEOX = RopeSpec(head_dim=128, rotary_dim=128, theta=1e4)
VISION = RopeSpec(head_dim=80, rotary_dim=80, theta=1e4, axes=("sequential", [20, 20]), per_axis=True)

# name: (spec, q heads, k heads, dtype, in place); layout thd (vLLM), i64 positions.
KERNELS = {
    "qwen3vl_q16_f32": (QWEN3VL, 16, 8, "f32", False),
    "qwen3vl_q32_f32": (QWEN3VL, 32, 8, "f32", False),
    "qwen3vl_q16_bf16": (QWEN3VL, 16, 8, "bf16", False),
    "qwen3vl_q32_bf16": (QWEN3VL, 32, 8, "bf16", False),
    "qwen3vl_q16_f16": (QWEN3VL, 16, 8, "f16", False),
    "qwen3vl_q32_f16": (QWEN3VL, 32, 8, "f16", False),
    "qwen3vl_q16_f32_inplace": (QWEN3VL, 16, 8, "f32", True),
    "qwen3vl_q16_bf16_inplace": (QWEN3VL, 16, 8, "bf16", True),
    "qwen2vl_q28_f32": (QWEN2VL, 28, 4, "f32", False),
    "neox_q32_f32": (NEOX, 32, 8, "f32", False),
    "vision_q16_f32": (VISION, 16, 0, "f32", False),
    "qwen2vl_q28_bf16": (QWEN2VL, 28, 4, "bf16", False),
    "neox_q32_bf16": (NEOX, 32, 8, "bf16", False),
    "vision_q16_bf16": (VISION, 16, 0, "bf16", False),
}


def write(path, kernels):
    parts = [emit_module(spec, "thd", hq, hk, dtype, "i64", in_place, name=name)
             for name, (spec, hq, hk, dtype, in_place) in kernels.items()]
    with open(path, "w") as f:
        f.write("module {\n" + "\n".join(parts) + "}\n")


def main():
    write(sys.argv[1], KERNELS)


if __name__ == "__main__":
    main()
