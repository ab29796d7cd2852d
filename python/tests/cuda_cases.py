"""The kernels the CUDA tests (test_cuda.py) and the device timing
(benchmarks/gpu_python_timing.py) run, in one list, so that a machine with
rope-opt can build them ahead for a GPU machine without it:

  python3 python/tests/cuda_cases.py sm_90     # into $ROPE_MLIR_CACHE

(scripts/gpu-python-check.sh --build does that)."""

import os
import sys

from rope_mlir import RopeKernel, RopeSpec
from rope_mlir.kernel import _SWAPPED

NEOX = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
GPTJ_PARTIAL = RopeSpec(head_dim=64, rotary_dim=32, theta=1e4, pairing="adjacent")
QWEN3_VL = RopeSpec(head_dim=64, rotary_dim=64, theta=5e6, axes=("interleaved", [12, 10, 10]))
QWEN2_VL_PARTIAL = RopeSpec(head_dim=64, rotary_dim=48, theta=1e6, axes=("sequential", [8, 8, 8]))
VISION = RopeSpec(head_dim=40, rotary_dim=40, theta=1e4, axes=("sequential", [10, 10]), per_axis=True)
# Qwen3-VL-8B's text rope, for timing: 32 + 8 heads of 128.
QWEN3_VL_8B = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))

# (spec, layout, dtype, pos dtype, in_place, q_heads, k_heads, tokens):
# every layout, dtype, pairing and position dtype, partial rotary, MRoPE.
CASES = [
    (NEOX, "bhsd", "bf16", "i64", False, 4, 2, (2, 7)),
    (NEOX, "packed", "bf16", "i64", True, 4, 1, (9,)),
    (GPTJ_PARTIAL, "bshd", "f16", "i32", True, 3, 3, (1, 5)),
    (GPTJ_PARTIAL, "thd", "f32", "i64", False, 2, 0, (11,)),
    (QWEN3_VL, "bhsd", "f32", "i32", True, 5, 1, (2, 4)),
    (QWEN3_VL, "thd", "bf16", "f32", False, 3, 2, (6,)),
    (QWEN2_VL_PARTIAL, "packed", "f16", "i64", False, 2, 2, (8,)),
    (QWEN2_VL_PARTIAL, "bshd", "bf16", "i32", False, 1, 1, (3, 3)),
    (VISION, "thd", "f16", "i32", True, 2, 0, (10,)),
    (VISION, "bhsd", "f32", "f32", False, 2, 2, (1, 12)),
]
# Kernels of the view, apply_rope_, stream and timing tests:
# (spec, layout, q_heads, k_heads, dtype, pos dtype, in_place).
OTHER = [
    (NEOX, "bhsd", 4, 2, "f32", "i64", False),       # HF views, out arrays, batch of one
    (NEOX, "packed", 4, 2, "f32", "i64", True),      # vLLM's qkv slices (apply_rope_ too)
    (NEOX, "thd", 4, 2, "bf16", "i64", True),        # apply_rope_ [T, H, D], the stream test
    (QWEN3_VL, "bshd", 4, 2, "f16", "i64", True),    # apply_rope_ [B, S, H, D] MRoPE
    (QWEN3_VL_8B, "bhsd", 32, 8, "bf16", "i64", False),   # timing: HF decode and prefill
    (QWEN3_VL_8B, "packed", 32, 8, "bf16", "i64", True),  # timing: vLLM, apply_rope_
]


def configurations():
    """Every (spec, layout, q_heads, k_heads, dtype, pos_dtype, in_place) above."""
    for spec, layout, dtype, pos_dtype, in_place, hq, hk, _ in CASES:
        yield spec, layout, hq, hk, dtype, pos_dtype, in_place
    yield from OTHER


def prebuild(chip):
    """Builds the GPU objects of every configuration for `chip`: each one's
    own layout row-major and strided, and the other layout's storage for
    bhsd and bshd (the variants a call may pick). Returns their paths."""
    paths = []
    for spec, layout, hq, hk, dtype, pos_dtype, in_place in configurations():
        kern = RopeKernel(spec, layout, q_heads=hq, k_heads=hk, dtype=dtype, pos_dtype=pos_dtype,
                          in_place=in_place, device="cuda", gpu_chip=chip)
        for variant in (layout,) + ((_SWAPPED[layout],) if layout in _SWAPPED else ()):
            for strided in (False, True):
                paths.append(kern.gpu_object(variant, strided))
    return paths


if __name__ == "__main__":
    built = prebuild(sys.argv[1] if len(sys.argv) > 1 else "sm_90")
    print("built %d GPU objects (%d distinct) in %s"
          % (len(built), len(set(built)), os.path.dirname(built[0])))
