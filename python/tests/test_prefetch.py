"""Software prefetch (`prefetch-distance`: inputs ahead of their reads and,
out of place, outputs ahead of their writes) is a hint: kernels with and
without it, and with a distance past the end of every buffer (each
prefetch clamped to the last element), give the same bits, and those match
the float64 reference (SPEC R1-R3)."""

import numpy as np
import pytest

from rope_mlir import RopeSpec, reference

from bf16 import from_bf16, to_bf16
from variants import rotate_under

RNG = np.random.default_rng(2048)
QWEN3VL = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
DISTANCES = ("prefetch-distance=0", "prefetch-distance=2560", "prefetch-distance=1048576")


@pytest.mark.parametrize("dtype", ["f32", "bf16"])
@pytest.mark.parametrize("layout", ["thd", "bhsd"])
@pytest.mark.parametrize("in_place", [False, True])
@pytest.mark.parametrize("threads", [False, True])
def test_prefetch_keeps_the_numbers(dtype, layout, in_place, threads):
    tokens, hq, hk = 130, 4, 2  # above min-parallel-tokens with threads
    shape = {"thd": lambda h: (tokens, h, 128), "bhsd": lambda h: (1, h, tokens, 128)}[layout]
    q64 = RNG.uniform(-2, 2, shape(hq))
    k64 = RNG.uniform(-2, 2, shape(hk))
    pos = np.stack([np.arange(tokens), np.arange(tokens) // 3 + 5, np.arange(tokens) % 7])
    pos = pos.astype(np.int64)
    if layout == "bhsd":
        pos = pos.reshape(3, 1, tokens)
    conv = (lambda a: a.astype(np.float32)) if dtype == "f32" else to_bf16
    back = (lambda a: a.astype(np.float64)) if dtype == "f32" else from_bf16
    thread_option = " threads=true" if threads else ""
    results = rotate_under([d + thread_option for d in DISTANCES], QWEN3VL, layout, conv(q64),
                           conv(k64), pos, q_heads=hq, k_heads=hk, dtype=dtype,
                           in_place=in_place)
    for q_out, k_out in results[1:]:
        assert np.array_equal(q_out, results[0][0])
        assert np.array_equal(k_out, results[0][1])
    tol = 1e-5 if dtype == "f32" else 8e-3
    for x, y in ((q64, results[0][0]), (k64, results[0][1])):
        ref = reference.rotate(QWEN3VL, layout, back(conv(x)), pos)
        err = np.max(np.abs(back(y) - ref)) / np.max(np.abs(ref))
        assert err < tol
