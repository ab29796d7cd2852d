#!/usr/bin/env python3
"""Writes one module with a kernel per GPU variant the pipeline supports."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from rope_mlir.kernel import emit_module  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402

Q3 = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
VARIANTS = [
    ("bhsd_f32", Q3, "bhsd", "f32", False),
    ("bhsd_bf16", Q3, "bhsd", "bf16", False),
    ("thd_f16_inplace", Q3, "thd", "f16", True),
    ("packed_bf16", RopeSpec(head_dim=128, rotary_dim=128, theta=1e4), "packed", "bf16", True),
    ("bshd_gptj_f32", RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, pairing="adjacent"), "bshd", "f32", False),
    ("partial_qwen35_bf16", RopeSpec(head_dim=256, rotary_dim=64, theta=1e7,
                                     axes=("interleaved", [11, 11, 10])), "bhsd", "bf16", False),
    ("vision_f32", RopeSpec(head_dim=80, rotary_dim=80, theta=1e4, axes=("sequential", [20, 20]),
                            per_axis=True), "thd", "f32", False),
    ("yarn_f32", RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]),
                          scaling={"kind": "yarn", "factor": 3.0, "original_max_position": 32768}),
     "bhsd", "f32", False),
]

with open(sys.argv[1], "w") as f:
    f.write("module {\n")
    for name, spec, layout, dtype, in_place in VARIANTS:
        f.write(emit_module(spec, layout, 4, 2 if layout != "packed" else 0, dtype, "i64", in_place, name=name))
    f.write("}\n")
