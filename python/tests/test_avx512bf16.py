"""Packed f32 -> bf16 rounding (`cpu-features=+avx512bf16`, AVX512-BF16's
vcvtne2ps2bf16) gives the same bits as the pipeline's rounding without it
(integer arithmetic from upstream's arith-expand), and matches the float64
reference (SPEC R1-R3). The instruction treats f32 denormal inputs as zero:
results below 2^-126 become signed zeros, which the test checks too, while
the integer rounding keeps them (rounded to nearest even, bf16 denormals).
Needs a CPU with AVX512-BF16; skipped elsewhere."""

import numpy as np
import pytest

from rope_mlir import RopeSpec, reference

from bf16 import from_bf16, to_bf16
from variants import rotate_under


def _has_avx512bf16():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx512_bf16" in line for line in f)
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _has_avx512bf16(), reason="CPU lacks AVX512-BF16")

RNG = np.random.default_rng(512)
QWEN3VL = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
NEOX = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
# The even/odd lane order of rope-codegen-bf16-even-odd-lanes (it runs with the packed
# rounding) must not show either: GPT-J pairing, partial rotary, 40 pairs.
GPTJ_PARTIAL = RopeSpec(head_dim=128, rotary_dim=64, theta=1e4, pairing="adjacent")
NEOX_PARTIAL = RopeSpec(head_dim=256, rotary_dim=192, theta=1e7)
VIT = RopeSpec(head_dim=80, rotary_dim=80, theta=1e4, axes=("sequential", [20, 20]), per_axis=True)


def partner(spec):
    """Index of the lane each lane is rotated with (itself past rotary_dim)."""
    r, lanes = spec.rotary_dim, np.arange(spec.head_dim)
    inside = (lanes ^ 1) if spec.pairing == "adjacent" else (lanes + r // 2) % r
    return np.where(lanes < r, inside, lanes)


@pytest.mark.parametrize("spec,layout", [(QWEN3VL, "thd"), (NEOX, "bhsd"), (GPTJ_PARTIAL, "bshd"),
                                         (NEOX_PARTIAL, "thd"), (VIT, "thd")])
@pytest.mark.parametrize("in_place", [False, True])
@pytest.mark.parametrize("threads", [False, True])
def test_packed_rounding_keeps_the_bits(spec, layout, in_place, threads):
    tokens, hq, hk = 100, 4, 2
    shape = {"thd": lambda h: (tokens, h, spec.head_dim),
             "bhsd": lambda h: (1, h, tokens, spec.head_dim),
             "bshd": lambda h: (1, tokens, h, spec.head_dim)}[layout]
    # Magnitudes from 1e-39 (bf16 denormals, so some results fall below
    # 2^-126) to 1e4, signs mixed, many rounding ties.
    q64 = RNG.uniform(-1, 1, shape(hq)) * 10.0 ** RNG.integers(-39, 5, shape(hq))
    k64 = RNG.uniform(-1, 1, shape(hk)) * 10.0 ** RNG.integers(-39, 5, shape(hk))
    pos = RNG.integers(0, 5000, (spec.num_axes,) + ((tokens,) if layout == "thd" else (1, tokens)))
    pos = pos.astype(np.int64)
    thread_option = " threads=true" if threads else ""
    features = ("cpu-features=-avx512bf16", "cpu-features=+avx512bf16")
    results = rotate_under([f + thread_option for f in features], spec, layout, to_bf16(q64),
                           to_bf16(k64), pos, q_heads=hq, k_heads=hk, dtype="bf16",
                           in_place=in_place)
    rotated = np.arange(spec.head_dim) < spec.rotary_dim
    for i, x in ((0, q64), (1, k64)):
        ref = reference.rotate(spec, layout, from_bf16(to_bf16(x)), pos)
        tiny = (np.abs(ref) < 2.0 ** -126) & rotated
        assert np.array_equal(results[0][i][~tiny], results[1][i][~tiny])
        # Half of bf16's smallest denormal (2^-133), plus f32 arithmetic on
        # values this small (its own denormals, 2^-149 apart).
        assert np.all(np.abs(from_bf16(results[0][i]) - ref)[tiny] <= 2.0 ** -134 + 2.0 ** -146)
    for x, y in ((q64, results[1][0]), (k64, results[1][1])):
        xin = from_bf16(to_bf16(x))
        ref = reference.rotate(spec, layout, xin, pos)
        # Per element (rows mix magnitudes, so a global max would hide
        # errors): the final rounding to bf16 (half an ulp, 2^-8 relative),
        # f32 arithmetic on the pair (x_i, x_i+D/2), and bf16's smallest
        # normal for results that underflow.
        pair = np.abs(xin) + np.abs(xin[..., partner(spec)])
        out = from_bf16(y)
        # Lanes past rotary_dim are copied, denormals included.
        tiny = (np.abs(ref) < 2.0 ** -126) & rotated
        assert np.any(tiny & (ref != 0)), "no result in the denormal range"
        assert np.all(out[tiny] == 0)
        bound = 2.0 ** -8 * np.abs(ref) + 2.0 ** -20 * pair
        assert np.all(np.abs(out - ref)[~tiny] <= bound[~tiny])
