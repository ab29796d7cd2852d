"""The call machinery: memref.Function (argument types set once,
descriptors filled by one pack per call, per thread), Function.bind, the
per-shape plans of RopeKernel's common-call path, the exact position bound
on every path, and memref.call with index arguments. Numbers against the
float64 reference; nothing is timed here (benchmarks/python_dispatch.py
measures)."""

import threading

import numpy as np
import pytest

from rope_mlir import RopeSpec, compiler, memref, reference
from rope_mlir.kernel import emit_module
from torch_cases import NEOX, QWEN3_VL, kernel, rel_err

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
QUARTER = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, scaling={"kind": "linear", "factor": 0.25})


def rand(shape):
    return RNG.uniform(-2, 2, shape).astype(np.float32)


def row_major_fields(a):
    p = a.ctypes.data
    return (p, p, 0) + a.shape + tuple(s // a.itemsize for s in a.strides)


def test_function_and_bind():
    kern = kernel(NEOX, "thd", 2, in_place=True)
    fn = kern.function()
    assert fn.ranks == (3, 2) and fn.index_args == 0
    x = rand((5, 2, 64))
    pos = RNG.integers(0, 9000, (1, 5))
    expect = reference.rotate(NEOX, "thd", x, pos)
    y = x.copy()
    fn(row_major_fields(y) + row_major_fields(pos))
    assert rel_err(y, expect) < 1e-5
    # Bound: the same descriptors every call; two calls rotate twice.
    z = x.copy()
    bound = fn.bind(row_major_fields(z) + row_major_fields(pos))
    bound()
    assert rel_err(z, expect) < 1e-5
    bound()
    assert rel_err(z, reference.rotate(NEOX, "thd", x, 2 * pos)) < 1e-5


def test_function_of_another_layout():
    kern = kernel(NEOX, "bhsd", 2, in_place=True)
    assert kern.function("bshd").ranks == (4, 3)
    with pytest.raises(ValueError, match="a bhsd kernel has no thd variant"):
        kern.function("thd")


def test_threads_calling_one_kernel():
    # The foreign call releases the GIL: each thread has its own descriptors.
    kern = kernel(QWEN3_VL, "thd", 2, 1)
    errors, lock = [], threading.Lock()

    def work(seed):
        rng = np.random.default_rng(seed)
        for _ in range(200):
            t = int(rng.integers(1, 6))
            q, k = rng.uniform(-2, 2, (t, 2, 64)).astype(np.float32), rng.uniform(-2, 2, (t, 1, 64)).astype(np.float32)
            pos = rng.integers(0, 60000, (3, t))
            qo, ko = kern(q, k, pos)
            err = max(rel_err(qo, reference.rotate(QWEN3_VL, "thd", q, pos)),
                      rel_err(ko, reference.rotate(QWEN3_VL, "thd", k, pos)))
            with lock:
                errors.append(err)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 800 and max(errors) < 1e-5


@pytest.mark.parametrize("library", ["numpy", "torch"])
def test_shapes_change_between_calls(library):
    # Each shape has its plan; a decode step between prefills keeps its own.
    kern = kernel(NEOX, "packed", 2, 1, in_place=True)
    for t in (1, 7, 1, 0, 3, 7):
        q, k = rand((t, 128)), rand((t, 64))
        pos = RNG.integers(0, 60000, t)
        expect = [reference.rotate(NEOX, "packed", x, pos[None]) for x in (q, k)] if t else None
        if library == "torch":
            q, k, pos = torch.from_numpy(q), torch.from_numpy(k), torch.from_numpy(pos)
        kern(q, k, pos)
        if t:
            assert rel_err(q, expect[0]) < 1e-5 and rel_err(k, expect[1]) < 1e-5


@pytest.mark.parametrize("library", ["numpy", "torch"])
@pytest.mark.parametrize("count", [2, 100])
def test_int32_positions_checked_below_a_lowered_bound(library, count):
    # A factor of 0.25 bounds |pos| by 2^30: int32 positions can pass it.
    kern = kernel(QUARTER, "thd", 1, pos_dtype="i32")
    assert kern.position_bound == 2 ** 30
    x = rand((count, 1, 64))
    pos = np.zeros((1, count), np.int32)
    pos[0, -1] = 2 ** 30
    wrap = torch.from_numpy if library == "torch" else np.asarray
    assert rel_err(kern(wrap(x), positions=wrap(pos)), reference.rotate(QUARTER, "thd", x, pos)) < 5e-7
    pos[0, -1] = 2 ** 30 + 1
    with pytest.raises(ValueError, match="positions must be finite with"):
        kern(wrap(x), positions=wrap(pos))


@pytest.mark.parametrize("library", ["numpy", "torch"])
def test_int32_extremes_need_no_scan(library):
    # With the default bound 2^32, every int32 position is in range.
    kern = kernel(NEOX, "thd", 1, pos_dtype="i32")
    x = rand((2, 1, 64))
    pos = np.array([[2 ** 31 - 1, -2 ** 31]], np.int32)
    wrap = torch.from_numpy if library == "torch" else np.asarray
    assert rel_err(kern(wrap(x), positions=wrap(pos)), reference.rotate(NEOX, "thd", x, pos)) < 5e-7


def test_call_with_an_index_argument():
    ntk = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4,
                   scaling={"kind": "dynamic_ntk", "factor": 2.0, "original_max_position": 16})
    module = emit_module(ntk, "thd", 1, in_place=True, name="k")
    assert "%seq_len: index" in module and "seq_len(%seq_len)" in module
    _, lib = compiler.load_shared(module)
    x = rand((6, 1, 64))
    y = x.copy()
    pos = RNG.integers(0, 100, (1, 6))
    memref.call(lib, "k", y, pos, 300)
    assert rel_err(y, reference.rotate(ntk, "thd", x, pos, seq_len=300)) < 1e-5


def test_strided_module():
    module = emit_module(NEOX, "bhsd", 2, 1, "bf16", "i32", False, strided=True)
    strided = "strided<[?, ?, ?, 1], offset: ?>>"
    for arg in ("%q: memref<?x2x?x64xbf16, ", "%k: memref<?x1x?x64xbf16, ",
                "%q_out: memref<?x2x?x64xbf16, ", "%k_out: memref<?x1x?x64xbf16, "):
        assert arg + strided in module
    assert "memref<1x?x?xi32>" in module  # positions stay row-major
