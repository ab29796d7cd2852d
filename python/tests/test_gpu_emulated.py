"""The GPU kernels of rope-to-gpu (16-byte vectors per thread, trig per
(token, pair), heads looped), run as host loops by rope-emulate-gpu-launch,
against the float64 reference: their numbers are checked on any CPU."""

import numpy as np
import pytest

from rope_mlir import RopeSpec, compiler, memref, reference
from rope_mlir.kernel import emit_module

from bf16 import from_bf16, to_bf16

RNG = np.random.default_rng(7)
Q3 = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
BF16 = np.uint16


CASES = [
    ("qwen3vl_bhsd_f32", Q3, "bhsd", "f32", False),
    ("qwen3vl_bhsd_bf16", Q3, "bhsd", "bf16", False),
    ("qwen3vl_thd_f16_inplace", Q3, "thd", "f16", True),
    ("gptj_bshd_f32", RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, pairing="adjacent"), "bshd", "f32", False),
    ("qwen35_partial_bf16", RopeSpec(head_dim=256, rotary_dim=64, theta=1e7, axes=("interleaved", [11, 11, 10])),
     "bhsd", "bf16", False),
    ("vision_thd_f32", RopeSpec(head_dim=80, rotary_dim=80, theta=1e4, axes=("sequential", [20, 20]), per_axis=True),
     "thd", "f32", False),
    ("neox_packed_f32_inplace", RopeSpec(head_dim=64, rotary_dim=64, theta=1e4), "packed", "f32", True),
]


@pytest.mark.parametrize("name, spec, layout, dtype, in_place", CASES, ids=[c[0] for c in CASES])
def test_gpu_kernel_emulated(name, spec, layout, dtype, in_place):
    hq, hk, d = 3, 2, spec.head_dim
    shapes = {"bhsd": lambda h: (2, h, 5, d), "bshd": lambda h: (2, 5, h, d),
              "thd": lambda h: (11, h, d), "packed": lambda h: (11, h * d)}[layout]
    tok = (2, 5) if layout in ("bhsd", "bshd") else (11,)
    so = compiler.compile_shared(emit_module(spec, layout, hq, hk, dtype, "i64", in_place, name="k"),
                                 passes=compiler.GPU_EMULATION)
    xs = [RNG.uniform(-2, 2, size=shapes(h)) for h in (hq, hk)]
    if dtype == "bf16":
        raw = [to_bf16(x) for x in xs]
        vals = [from_bf16(r) for r in raw]
    else:
        npdt = np.float32 if dtype == "f32" else np.float16
        raw = [x.astype(npdt) for x in xs]
        vals = [r.astype(np.float64) for r in raw]
    pos = RNG.integers(0, 50000, size=(spec.num_axes,) + tok).astype(np.int64)
    if in_place:
        outs = [r.copy() for r in raw]
        memref.call(so, "k", outs[0], outs[1], pos)
    else:
        outs = [np.empty_like(r) for r in raw]
        memref.call(so, "k", raw[0], raw[1], pos, outs[0], outs[1])
    tol = {"f32": 1e-5, "f16": 2e-3, "bf16": 8e-3}[dtype]
    for v, o in zip(vals, outs):
        got = from_bf16(o) if dtype == "bf16" else o.astype(np.float64)
        ref = reference.rotate(spec, layout, v, pos)
        assert float(np.max(np.abs(got - ref)) / np.max(np.abs(ref))) < tol
