"""What a kernel call does with arrays that are not plain C-contiguous
buffers, with read-only or overlapping outs, and with positions beyond the
range its f64 angle reduction keeps accurate (RopeKernel's docstring states
the rules; SPEC R5 the accuracy)."""

import numpy as np
import pytest

from rope_mlir import RopeKernel, RopeSpec, reference

from layouts import laid_out, untouched_around

RNG = np.random.default_rng(1717)
NEOX = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
MROPE = RopeSpec(head_dim=64, rotary_dim=64, theta=5e6, axes=("interleaved", [12, 10, 10]))
_KERNELS = {}


def kernel(spec, layout, q_heads, k_heads=0, **kw):
    """One compiled kernel per configuration for the whole module."""
    key = (repr(spec), layout, q_heads, k_heads, tuple(sorted(kw.items())))
    if key not in _KERNELS:
        _KERNELS[key] = RopeKernel(spec, layout, q_heads=q_heads, k_heads=k_heads, **kw)
    return _KERNELS[key]


def rand(shape):
    return RNG.uniform(-2, 2, shape).astype(np.float32)


def rel_err(got, ref):
    return float(np.max(np.abs(np.asarray(got, np.float64) - ref)) / np.max(np.abs(ref)))


def test_hf_view_transpose():
    # transformers: q_proj(x).view(B, S, H, D).transpose(1, 2).
    b, s, hq, hk = 2, 9, 4, 2
    q = rand((b, s, hq * 64)).reshape(b, s, hq, 64).swapaxes(1, 2)
    k = rand((b, s, hk * 64)).reshape(b, s, hk, 64).swapaxes(1, 2)
    pos = RNG.integers(0, 4096, (1, b, s))
    qo, ko = kernel(NEOX, "bhsd", hq, hk)(q, k, pos)
    assert rel_err(qo, reference.rotate(NEOX, "bhsd", q, pos)) < 1e-5
    assert rel_err(ko, reference.rotate(NEOX, "bhsd", k, pos)) < 1e-5


@pytest.mark.parametrize("kind", ["fortran", "transposed", "step", "negative", "unaligned"])
def test_input_layouts(kind):
    x = rand((11, 3, 64))
    view, base, _ = laid_out(RNG, x, kind)
    before = base.copy()
    pos = RNG.integers(0, 4096, (1, 11))
    y = kernel(NEOX, "thd", 3)(view, positions=pos)
    assert rel_err(y, reference.rotate(NEOX, "thd", x, pos)) < 1e-5
    assert base.tobytes() == before.tobytes()


@pytest.mark.parametrize("source", ["text", "one position"])
def test_broadcast_positions(source):
    # np.broadcast_to gives zero strides: text tokens of an MRoPE model (one
    # row for the three axes), or one position for every token.
    b, s = 2, 300
    x = rand((b, 2, s, 64))
    row = np.arange(s, dtype=np.int64) + 100 if source == "text" else np.int64(1234)
    pos = np.broadcast_to(row, (3, b, s))
    y = kernel(MROPE, "bhsd", 2)(x, positions=pos)
    assert rel_err(y, reference.rotate(MROPE, "bhsd", x, pos)) < 1e-5


@pytest.mark.parametrize("kind", ["fortran", "transposed", "step", "negative", "unaligned"])
def test_out_layouts_written_only_at_their_elements(kind):
    x = rand((11, 3, 64))
    pos = RNG.integers(0, 4096, (1, 11))
    out, base, select = laid_out(RNG, np.zeros_like(x), kind, fill=7)
    before = base.copy()
    got = kernel(NEOX, "thd", 3)(x, positions=pos, out=out)
    assert got is out
    assert rel_err(out, reference.rotate(NEOX, "thd", x, pos)) < 1e-5
    assert untouched_around(base, before, select)


def test_out_overlapping_its_input():
    # out one token behind q in the same buffer: written before it is read.
    buf = rand((12, 3, 64))
    q = buf[:-1]
    x = q.copy()
    pos = RNG.integers(0, 4096, (1, 11))
    kernel(NEOX, "thd", 3)(q, positions=pos, out=buf[1:])
    assert rel_err(buf[1:], reference.rotate(NEOX, "thd", x, pos)) < 1e-5
    # out is q: an out-of-place kernel rotates in place.
    y = x.copy()
    kernel(NEOX, "thd", 3)(y, positions=pos, out=y)
    assert rel_err(y, reference.rotate(NEOX, "thd", x, pos)) < 1e-5


def test_out_overlapping_the_positions():
    x = rand((5, 1, 64))
    pos = np.zeros((1, 5), np.int64)
    pos[0] = [3, 1, 4, 1, 5]
    # out's first token is the positions' memory.
    buf = np.zeros(x.size + 10, np.float32)
    buf.view(np.int64)[:5] = pos[0]
    pos_view = buf.view(np.int64)[None, :5]
    expect = reference.rotate(NEOX, "thd", x, pos)
    kernel(NEOX, "thd", 1)(x, positions=pos_view, out=buf[:x.size].reshape(x.shape))
    assert rel_err(buf[:x.size].reshape(x.shape), expect) < 1e-5


@pytest.mark.parametrize("kind", ["fortran", "transposed", "step", "negative", "unaligned"])
def test_in_place_on_any_layout(kind):
    x = rand((2, 7, 3, 64))
    k = rand((2, 7, 2, 64))
    pos = RNG.integers(0, 4096, (3, 2, 7))
    qv, qbase, qsel = laid_out(RNG, x, kind, fill=7)
    kv, kbase, ksel = laid_out(RNG, k, kind, fill=7)
    qbefore, kbefore = qbase.copy(), kbase.copy()
    got = kernel(MROPE, "bshd", 3, 2, in_place=True)(qv, kv, pos)
    assert got[0] is qv and got[1] is kv
    assert rel_err(qv, reference.rotate(MROPE, "bshd", x, pos)) < 1e-5
    assert rel_err(kv, reference.rotate(MROPE, "bshd", k, pos)) < 1e-5
    assert untouched_around(qbase, qbefore, qsel)
    assert untouched_around(kbase, kbefore, ksel)


def test_in_place_packed_qkv_slices():
    # vLLM: q and k are column slices of one [T, (Hq + 2 Hk) * D] buffer.
    t, hq, hk = 9, 4, 2
    qkv = rand((t, (hq + 2 * hk) * 64))
    before = qkv.copy()
    q, k = qkv[:, :hq * 64], qkv[:, hq * 64:(hq + hk) * 64]
    pos = RNG.integers(0, 4096, (1, t))
    kernel(NEOX, "packed", hq, hk, in_place=True)(q, k, pos)
    assert rel_err(q, reference.rotate(NEOX, "packed", before[:, :hq * 64], pos)) < 1e-5
    assert rel_err(k, reference.rotate(NEOX, "packed", before[:, hq * 64:(hq + hk) * 64], pos)) < 1e-5
    assert np.array_equal(qkv[:, (hq + hk) * 64:], before[:, (hq + hk) * 64:])


def test_read_only_outs_raise():
    x = rand((4, 3, 64))
    pos = np.zeros((1, 4), np.int64)
    kern = kernel(NEOX, "thd", 3)
    locked = np.zeros_like(x)
    locked.flags.writeable = False
    with pytest.raises(ValueError, match=r"out\[0\] is read-only"):
        kern(x, positions=pos, out=locked)
    assert not locked.any()
    frozen = bytes(x.nbytes)
    with pytest.raises(ValueError, match=r"out\[0\] is read-only"):
        kern(x, positions=pos, out=np.frombuffer(frozen, np.float32).reshape(x.shape))
    assert frozen == bytes(x.nbytes)
    with pytest.raises(ValueError, match="q is read-only"):
        kernel(NEOX, "thd", 3, in_place=True)(locked, positions=pos)


def test_shared_memory_between_written_arrays_raises():
    x, k = rand((4, 3, 64)), rand((4, 3, 64))
    pos = np.zeros((1, 4), np.int64)
    both = np.zeros((4, 4, 64), np.float32)
    with pytest.raises(ValueError, match=r"out\[0\] and out\[1\] share memory"):
        kernel(NEOX, "thd", 3, 3)(x, k, pos, out=(both[:, :3], both[:, 1:]))
    with pytest.raises(ValueError, match="q and k share memory"):
        kernel(NEOX, "thd", 3, 3, in_place=True)(both[:, :3], both[:, 1:], pos)


@pytest.mark.parametrize("spec", [NEOX, RopeSpec(head_dim=256, rotary_dim=64, theta=1e7,
                                                 axes=("interleaved", [11, 11, 10]))])
def test_positions_at_the_bound_keep_f32_accuracy(spec):
    # Measured (docs/design.md): 2.4e-7 at 2^32, 8e-7 at 2^34, 2.5e-6 at 2^36.
    bound = 2 ** 32
    assert kernel(spec, "thd", 2).position_bound == bound
    x = rand((64, 2, spec.head_dim))
    pos = RNG.integers(-bound, bound + 1, (spec.num_axes, 64))
    pos[:, :2] = [bound, -bound]
    for dtype, kern in (("i64", kernel(spec, "thd", 2)),
                        ("f32", kernel(spec, "thd", 2, pos_dtype="f32"))):
        p = pos if dtype == "i64" else pos.astype(np.float32)
        assert rel_err(kern(x, positions=p), reference.rotate(spec, "thd", x, p)) < 5e-7


@pytest.mark.parametrize("value", [2 ** 32 + 1, -(2 ** 32) - 1, 2 ** 48, 2 ** 62, -(2 ** 63)])
def test_i64_positions_beyond_the_bound_raise(value):
    pos = np.zeros((1, 4), np.int64)
    pos[0, 2] = value
    with pytest.raises(ValueError, match="positions must be finite with"):
        kernel(NEOX, "thd", 3)(rand((4, 3, 64)), positions=pos)


@pytest.mark.parametrize("value", [1e30, -1e30, 2.0 ** 33, np.inf, -np.inf, np.nan])
def test_f32_positions_beyond_the_bound_or_not_finite_raise(value):
    pos = np.zeros((1, 4), np.float32)
    pos[0, 1] = value
    with pytest.raises(ValueError, match="positions must be finite with"):
        kernel(NEOX, "thd", 3, pos_dtype="f32")(rand((4, 3, 64)), positions=pos)


def test_scaling_below_one_lowers_the_bound():
    spec = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, scaling={"kind": "linear", "factor": 0.5})
    kern = kernel(spec, "thd", 1)
    assert kern.position_bound == 2 ** 31
    pos = np.full((1, 3), 2 ** 31 + 1, np.int64)
    with pytest.raises(ValueError, match="positions must be finite with"):
        kern(rand((3, 1, 64)), positions=pos)
    pos[:] = 2 ** 31
    x = rand((3, 1, 64))
    assert rel_err(kern(x, positions=pos), reference.rotate(spec, "thd", x, pos)) < 5e-7


@pytest.mark.parametrize("kwargs, error, message", [
    # Head counts: positive integers (not bools, floats or strings) within the
    # verifier's static-size bounds, refused before rope-opt runs.
    ({"q_heads": 1.5}, TypeError, "q_heads must be an integer, got 1.5"),
    ({"q_heads": "2"}, TypeError, "q_heads must be an integer, got '2'"),
    ({"q_heads": True}, TypeError, "q_heads must be an integer, got True"),
    ({"q_heads": 2.0}, TypeError, "q_heads must be an integer"),
    ({"q_heads": 0}, ValueError, r"q_heads must be in \[1, 2\^40\], got 0"),
    ({"q_heads": 2 ** 45}, ValueError, r"q_heads must be in \[1, 2\^40\]"),
    ({"q_heads": 2, "k_heads": -1}, ValueError, r"k_heads \(0: no k\) must be in \[0, 2\^40\]"),
    ({"q_heads": 2, "k_heads": 0.5}, TypeError, "k_heads .* must be an integer"),
    ({"q_heads": 2, "k_heads": None}, TypeError, "k_heads .* must be an integer"),
    ({"q_heads": 2, "in_place": "no"}, TypeError, "in_place must be True or False"),
    ({"q_heads": 2, "pipeline_options": None}, TypeError, "pipeline_options must be a string"),
])
def test_kernel_size_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        RopeKernel(NEOX, "thd", **kwargs)


@pytest.mark.parametrize("head_dim, layout, heads", [(64, "packed", 2 ** 34 + 1), (2 ** 16, "thd", 2 ** 32 + 1),
                                                     (2 ** 16, "bhsd", 2 ** 33)])
def test_kernel_static_shape_bounds(head_dim, layout, heads):
    # packed: a heads * head_dim dimension over 2^40; the others: heads x
    # head_dim over 2^48 elements.
    spec = RopeSpec(head_dim=head_dim, rotary_dim=64, theta=1e4)
    with pytest.raises(ValueError, match=r"each must be at most 2\^40 and their product at most 2\^48"):
        RopeKernel(spec, layout, q_heads=heads)
    with pytest.raises(ValueError, match="k_heads = "):
        RopeKernel(spec, layout, q_heads=1, k_heads=heads)


@pytest.mark.parametrize("spec, error, message", [
    (RopeSpec(head_dim=2 ** 17, rotary_dim=64, theta=1e4), ValueError, r"head_dim must be in \[1, 2\^16\]"),
    (RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, axes=("sequential", [16.0, 16])), TypeError,
     "axes section must be an integer"),
    (RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, axes=("custom", [0] * 31 + [70000])), ValueError,
     r"custom axes entry must be in \[0, 65535\]"),
    (RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, axes=("sequential", [])), ValueError,
     "non-empty list"),
    (RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, per_axis=True), ValueError, "per_axis"),
    (RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, axes=("sequential", [16, 16]), per_axis=1), TypeError,
     "per_axis must be True or False"),
])
def test_kernel_spec_checks(spec, error, message):
    with pytest.raises(error, match=message):
        RopeKernel(spec, "thd", q_heads=1)


def test_kernel_rechecks_a_changed_spec():
    spec = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4, scaling={"kind": "linear", "factor": 2.0})
    spec.scaling["factor"] = 1e-310  # after construction: 1 / factor is inf
    with pytest.raises(ValueError, match="too small"):
        RopeKernel(spec, "thd", q_heads=1)
    spec = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
    spec.head_dim = 64.5
    with pytest.raises(TypeError, match="head_dim must be an integer"):
        RopeKernel(spec, "thd", q_heads=1)


def test_numpy_integer_head_counts():
    kern = RopeKernel(NEOX, "thd", q_heads=np.int64(3), k_heads=np.int32(1))
    assert type(kern.q_heads) is int and type(kern.k_heads) is int
    x = rand((4, 3, 64))
    pos = np.zeros((1, 4), np.int64)
    qo, _ = kern(x, rand((4, 1, 64)), pos)
    np.testing.assert_array_equal(qo, x)
