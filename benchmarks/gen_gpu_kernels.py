#!/usr/bin/env python3
"""Writes the GPU device check's kernels: HF layout [B, H, S, D] with
positions [3, B, S], as transformers' Qwen3-VL and Qwen2-VL attention use,
and other layouts and families (vLLM's [T, H, D], ViT's 2D per-axis RoPE,
GPT-J pairing with partial rotary in [B, S, H, D])."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from rope_mlir.kernel import emit_module  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402

QWEN3VL = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
QWEN2VL = RopeSpec(head_dim=128, rotary_dim=128, theta=1e6, axes=("sequential", [16, 24, 24]))
VIT = RopeSpec(head_dim=80, rotary_dim=80, theta=1e4, axes=("sequential", [20, 20]), per_axis=True)
GPTJ_PARTIAL = RopeSpec(head_dim=128, rotary_dim=64, theta=1e4, pairing="adjacent")

# name: (spec, layout, q heads, k heads, dtype)
KERNELS = {
    "qwen3vl_f32": (QWEN3VL, "bhsd", 32, 8, "f32"),
    "qwen3vl_bf16": (QWEN3VL, "bhsd", 32, 8, "bf16"),
    "qwen2vl_f32": (QWEN2VL, "bhsd", 28, 4, "f32"),
    "qwen2vl_bf16": (QWEN2VL, "bhsd", 28, 4, "bf16"),
}
# Checked against the float64 reference only (no transformers counterpart).
OTHER_KERNELS = {
    "vllm_qwen3vl_thd_bf16": (QWEN3VL, "thd", 32, 8, "bf16"),
    "vit_thd_f32": (VIT, "thd", 16, 0, "f32"),
    "gptj_partial_bshd_f32": (GPTJ_PARTIAL, "bshd", 32, 8, "f32"),
}

if __name__ == "__main__":
    parts = [emit_module(spec, layout, hq, hk, dt, "i64", False, name=name)
             for name, (spec, layout, hq, hk, dt) in {**KERNELS, **OTHER_KERNELS}.items()]
    with open(sys.argv[1], "w") as f:
        f.write("module {\n" + "\n".join(parts) + "}\n")
