"""Random calls against the float64 reference (SPEC R1-R3, R5 tolerances):
q, k, positions and outs of random memory layouts (slices with steps,
transposes, negative steps, Fortran order, unaligned, np.broadcast_to
inputs), data f32, f16 and bf16, positions i32, i64 and f32, every layout,
in and out of place. Fixed seed; the cases share a few compiled kernels."""

import numpy as np
import pytest

from rope_mlir import RopeKernel, RopeSpec, reference

from bf16 import from_bf16, to_bf16
from layouts import WRITEABLE, laid_out, untouched_around

SEED = 20250417
CASES = 44
PARTIAL = RopeSpec(head_dim=64, rotary_dim=48, theta=1e4)
MROPE = RopeSpec(head_dim=32, rotary_dim=32, theta=5e6, pairing="adjacent",
                 axes=("interleaved", [6, 5, 5]))
VISION = RopeSpec(head_dim=40, rotary_dim=40, theta=1e4, axes=("sequential", [10, 10]), per_axis=True)
# (spec, layout, dtype, pos_dtype, in_place, k_heads): each layout, dtype and
# position dtype several times, in and out of place, with and without k.
KERNELS = [
    (PARTIAL, "bhsd", "f32", "i64", False, 2),
    (MROPE, "bshd", "f16", "i32", False, 2),
    (VISION, "thd", "bf16", "f32", False, 0),
    (PARTIAL, "packed", "f32", "f32", True, 2),
    (MROPE, "thd", "f32", "i64", True, 0),
    (VISION, "bhsd", "bf16", "i32", True, 2),
    (PARTIAL, "bshd", "bf16", "i64", False, 0),
    (MROPE, "packed", "f16", "i64", False, 2),
    (PARTIAL, "thd", "f16", "i32", True, 2),
    (MROPE, "bhsd", "f32", "f32", False, 2),
    (VISION, "packed", "bf16", "i64", False, 2),
]
TOLERANCE = {"f32": 1e-5, "f16": 2e-3, "bf16": 8e-3}
_COMPILED = {}


def compiled(i):
    if i not in _COMPILED:
        spec, layout, dtype, pos_dtype, in_place, k_heads = KERNELS[i]
        _COMPILED[i] = RopeKernel(spec, layout, q_heads=3, k_heads=k_heads, dtype=dtype,
                                  pos_dtype=pos_dtype, in_place=in_place)
    return _COMPILED[i]


def data(rng, shape, dtype):
    """Random values as the kernel stores them (bf16 in uint16)."""
    x = rng.uniform(-2, 2, shape)
    return to_bf16(x) if dtype == "bf16" else x.astype(np.float32 if dtype == "f32" else np.float16)


def as_float64(stored, dtype):
    return from_bf16(stored) if dtype == "bf16" else np.asarray(stored, np.float64)


def positions(rng, spec, tokens, pos_dtype):
    """Random positions below 65536 (SPEC R5's range), f32 ones with halves;
    sometimes one row for every axis (text tokens)."""
    if rng.integers(2):
        pos = np.broadcast_to(rng.integers(-100, 60000, tokens), (spec.num_axes,) + tokens)
    else:
        pos = rng.integers(-100, 60000, (spec.num_axes,) + tokens)
    if pos_dtype == "f32":
        return (pos + 0.5 * rng.integers(0, 2, pos.shape)).astype(np.float32)
    return np.array(pos, {"i32": np.int32, "i64": np.int64}[pos_dtype])


def shape_of(layout, tokens, heads, head_dim):
    return {"bhsd": lambda: (tokens[0], heads, tokens[1], head_dim),
            "bshd": lambda: (tokens[0], tokens[1], heads, head_dim),
            "thd": lambda: (tokens[0], heads, head_dim),
            "packed": lambda: (tokens[0], heads * head_dim)}[layout]()


@pytest.mark.parametrize("case", range(CASES))
def test_random_layouts_against_reference(case):
    rng = np.random.default_rng([SEED, case])
    spec, layout, dtype, pos_dtype, in_place, k_heads = KERNELS[case % len(KERNELS)]
    kern = compiled(case % len(KERNELS))
    tokens = ((int(rng.integers(1, 4)), int(rng.integers(1, 10))) if layout in ("bhsd", "bshd")
              else (int(rng.integers(1, 20)),))
    heads = [3] + ([k_heads] if k_heads else [])
    stored = [data(rng, shape_of(layout, tokens, h, spec.head_dim), dtype) for h in heads]
    pos = positions(rng, spec, tokens, pos_dtype)
    kinds = WRITEABLE if in_place else WRITEABLE + ("broadcast",)
    views = [laid_out(rng, s, kinds[rng.integers(len(kinds))], fill=7) for s in stored]
    pos_kinds = WRITEABLE + ("broadcast",)
    pos_view = laid_out(rng, pos, pos_kinds[rng.integers(len(pos_kinds))])[0]
    # A broadcast input holds its first slice repeated: expect what it holds.
    values = [as_float64(v, dtype) for v, _, _ in views]
    bases = [base.copy() for _, base, _ in views]
    args = [v for v, _, _ in views] + [None] * (2 - len(views)) + [pos_view]
    if in_place:
        got = kern(*args)
        got = got if isinstance(got, tuple) else (got,)
        for (view, base, select), before in zip(views, bases):
            assert untouched_around(base, before, select)
        assert all(g is v for g, (v, _, _) in zip(got, views))
    else:
        out_kind = rng.integers(len(WRITEABLE) + 2)
        if out_kind == len(WRITEABLE):
            outs, got = None, kern(*args)
        elif out_kind == len(WRITEABLE) + 1 and all(v.flags.writeable for v, _, _ in views):
            # Each input is its own out.
            outs = [(v, base, select) for v, base, select in views]
            got = kern(*args, out=tuple(v for v, _, _ in views))
        else:
            outs = [laid_out(rng, np.zeros_like(s), WRITEABLE[out_kind % len(WRITEABLE)], fill=7)
                    for s in stored]
            got = kern(*args, out=tuple(o for o, _, _ in outs))
        got = got if isinstance(got, tuple) else (got,)
        if outs is not None:
            assert all(g is o for g, (o, _, _) in zip(got, outs))
            if outs[0][0] is not views[0][0]:
                for o, base, select in outs:
                    assert untouched_around(base, np.full_like(base, 7), select)
                for (view, base, _), before in zip(views, bases):
                    assert base.tobytes() == before.tobytes()
    for x, y in zip(values, got):
        ref = reference.rotate(spec, layout, x, pos_view)
        err = float(np.max(np.abs(as_float64(y, dtype) - ref)) / np.max(np.abs(ref)))
        assert err < TOLERANCE[dtype], (case, err)
