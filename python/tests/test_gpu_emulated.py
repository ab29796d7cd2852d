"""The GPU kernels of convert-rope-to-gpu (16-byte vectors per thread, trig per
(token, pair), heads looped), run as host loops by test-rope-emulate-gpu-launch,
against the float64 reference: their numbers are checked on any CPU. So is
the host guard before each launch: buffers the kernel would misread (a
misaligned base, a permuted or strided view) are refused, reported through
ropeCudaReportInvalidArgument (the emulation records it in the object's
`rope_emulated_gpu_error`), and nothing is written."""

import ctypes

import numpy as np
import pytest

from rope_mlir import RopeSpec, compiler, memref, reference
from rope_mlir.kernel import emit_module

from bf16 import from_bf16, to_bf16
from layouts import misaligned

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
    lib = ctypes.CDLL(so)
    reports = guard_record(lib)
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
        memref.call(lib, "k", outs[0], outs[1], pos)
    else:
        outs = [np.empty_like(r) for r in raw]
        memref.call(lib, "k", raw[0], raw[1], pos, outs[0], outs[1])
    assert reports[0] == 0, "the guard refused good buffers: %s" % list(reports)
    tol = {"f32": 1e-5, "f16": 2e-3, "bf16": 8e-3}[dtype]
    for v, o in zip(vals, outs):
        got = from_bf16(o) if dtype == "bf16" else o.astype(np.float64)
        ref = reference.rotate(spec, layout, v, pos)
        assert float(np.max(np.abs(got - ref)) / np.max(np.abs(ref))) < tol


# --- The host guard ----------------------------------------------------------

GUARD_RULES = {"offset": 1, "inner stride": 2, "type stride": 3, "base align": 4, "row align": 5}


def guard_record(lib):
    """The emulated runtime's record: [reports, argument, rule, dim, value,
    required] of the first report since the last reset."""
    return (ctypes.c_int64 * 6).in_dll(lib, "rope_emulated_gpu_error")


def reset(record):
    ctypes.memset(ctypes.addressof(record), 0, ctypes.sizeof(record))


def strided(shape, dtype, strides):
    """A zeroed array of `shape` with element strides `strides`, over its own buffer."""
    size = 1 + sum((n - 1) * s for n, s in zip(shape, strides))
    base = np.zeros(size, dtype)
    item = base.itemsize
    return np.lib.stride_tricks.as_strided(base, shape=shape, strides=[s * item for s in strides])


@pytest.fixture(scope="module")
def bhsd_f32():
    """qwen3vl_bhsd_f32 out of place: q [2, 3, 5, 128], k [2, 2, 5, 128]
    (memref<?x3x?x128xf32>: strides ?, ?, 128, 1), positions [3, 2, 5]."""
    so = compiler.compile_shared(emit_module(Q3, "bhsd", 3, 2, "f32", "i64", False, name="k"),
                                 passes=compiler.GPU_EMULATION)
    lib = ctypes.CDLL(so)
    q = RNG.uniform(-2, 2, size=(2, 3, 5, 128)).astype(np.float32)
    k = RNG.uniform(-2, 2, size=(2, 2, 5, 128)).astype(np.float32)
    pos = RNG.integers(0, 50000, size=(3, 2, 5)).astype(np.int64)
    return lib, q, k, pos


def rows_of(shape, pad):
    """Element strides of a row-major array of `shape` whose dim-1 rows are
    `pad` elements longer."""
    inner = shape[2] * shape[3] + pad
    return (shape[1] * inner, inner, shape[3], 1)


BAD = {
    # name: (operand replaced, how, argument, rule, dim)
    "q misaligned": (0, lambda a: misaligned(a, 4), 0, "base align", -1),
    "k_out misaligned by 8": (4, lambda a: misaligned(a, 8), 4, "base align", -1),
    "positions misaligned": (2, lambda a: misaligned(a, 4), 2, "base align", -1),
    "q permuted (bshd data)": (0, lambda a: np.ascontiguousarray(a.transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3),
                               0, "type stride", 2),
    "k every other lane": (1, lambda a: np.concatenate([a, a], axis=-1)[..., ::2], 1, "inner stride", 3),
    "q_out rows 4 bytes long": (3, lambda a: strided(a.shape, a.dtype, rows_of(a.shape, 1)), 3, "row align", 0),
    "positions every other token": (2, lambda a: np.concatenate([a, a], axis=-1)[..., ::2], 2, "inner stride", 2),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_guard_refuses(bhsd_f32, case):
    lib, q, k, pos = bhsd_f32
    operand, how, argument, rule, dim = BAD[case]
    args = [q, k, pos, np.full_like(q, np.nan), np.full_like(k, np.nan)]
    args[operand] = how(args[operand])
    if operand >= 3:
        args[operand][...] = np.nan
    record = guard_record(lib)
    reset(record)
    memref.call(lib, "k", *args)
    assert record[0] >= 1, "the guard let %s through" % case
    assert (record[1], record[2], record[3]) == (argument, GUARD_RULES[rule], dim), list(record)
    if rule in ("base align", "row align"):
        assert record[5] == (8 if operand == 2 else 16) and record[4] % record[5] != 0
    # Nothing launched: the outputs keep their NaNs.
    assert np.isnan(args[3]).all() and np.isnan(args[4]).all()


def test_guard_offset(bhsd_f32):
    """A descriptor offset the identity type does not have (the kernel would
    ignore it) is refused; memref.as_memref always passes 0."""
    lib, q, k, pos = bhsd_f32
    arrays = [q, k, pos, np.full_like(q, np.nan), np.full_like(k, np.nan)]
    descs = [memref.as_memref(a) for a in arrays]
    descs[1].offset = 4
    record = guard_record(lib)
    reset(record)
    fn = lib._mlir_ciface_k
    fn.restype = None
    fn.argtypes = [ctypes.POINTER(type(d)) for d in descs]
    fn(*[ctypes.byref(d) for d in descs])
    assert list(record) == [1, 1, GUARD_RULES["offset"], -1, 4, 0]
    assert np.isnan(arrays[3]).all()


def test_guard_admits_valid_views(bhsd_f32):
    """What the kernel reads right passes and gives the reference: any stride
    on a dim of one element, outer (dynamic) strides of rows padded to a
    multiple of 16 bytes, and no tokens at all."""
    lib, q, k, pos = bhsd_f32
    record = guard_record(lib)
    reset(record)
    q1 = strided((1,) + q.shape[1:], q.dtype, (12345,) + rows_of(q.shape, 0)[1:])
    q1[...] = q[:1]
    k1 = k[:1].copy()
    p1 = pos[:, :1].copy()
    out_q = strided(q1.shape, q.dtype, rows_of(q1.shape, 4))  # rows padded by 16 bytes
    out_k = np.empty_like(k1)
    memref.call(lib, "k", q1, k1, p1, out_q, out_k)
    assert record[0] == 0, list(record)
    for x, y in ((q1, out_q), (k1, out_k)):
        ref = reference.rotate(Q3, "bhsd", x.astype(np.float64), p1)
        assert float(np.max(np.abs(y - ref)) / np.max(np.abs(ref))) < 1e-5
    empty = [np.empty((2, 3, 0, 128), np.float32), np.empty((2, 2, 0, 128), np.float32),
             np.empty((3, 2, 0), np.int64)]
    memref.call(lib, "k", *empty, np.empty_like(empty[0]), np.empty_like(empty[1]))
    assert record[0] == 0, list(record)
