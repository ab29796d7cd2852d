"""Dynamic NTK scaling (SPEC R4) from Python: the kernels take seq_len per
call, by default HF's max(position_ids) + 1 (transformers'
dynamic_rope_update), and match the float64 reference at that length on
numpy and torch data, in and out of place, with partial rotary, adjacent
pairing and MRoPE."""

import math

import numpy as np
import pytest

from rope_mlir import RopeSpec, apply_rope_, reference
from torch_cases import TOLERANCE, f64, kernel, rel_err, tensor

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(404)
L0 = 64
NTK = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4,
               scaling={"kind": "dynamic_ntk", "factor": 2.0, "original_max_position": L0})
NTK_PARTIAL = RopeSpec(head_dim=64, rotary_dim=48, theta=1e4, pairing="adjacent",
                       scaling={"kind": "dynamic_ntk", "factor": 4.0, "original_max_position": L0})
NTK_MROPE = RopeSpec(head_dim=64, rotary_dim=64, theta=1e6, axes=("interleaved", [12, 10, 10]),
                     scaling={"kind": "dynamic_ntk", "factor": 3.0, "original_max_position": L0})


def rand(shape):
    return RNG.uniform(-2, 2, shape).astype(np.float32)


def hf_inv_freq(spec, seq_len):
    """transformers' _compute_dynamic_ntk_parameters in float64 (its
    max_position_embeddings is our original_max_position)."""
    sc, dim = spec.scaling, spec.rotary_dim
    seq_len = max(seq_len, sc["original_max_position"])
    base = spec.theta * ((sc["factor"] * seq_len / sc["original_max_position"]) - (sc["factor"] - 1)) \
        ** (dim / (dim - 2))
    return 1.0 / base ** (np.arange(0, dim, 2) / dim)


def test_reference_is_hf_formula():
    for seq_len in (10, L0, L0 + 1, 1000, 10 ** 6):
        np.testing.assert_allclose(reference.scaled_inv_freq(NTK, seq_len), hf_inv_freq(NTK, seq_len),
                                   rtol=1e-13)


@pytest.mark.parametrize("spec", [NTK, NTK_PARTIAL, NTK_MROPE])
@pytest.mark.parametrize("tokens", [5, 300])  # positions scanned in Python, then by numpy
def test_default_seq_len_is_hf_max_plus_one(spec, tokens):
    x = rand((tokens, 2, 64))
    pos = RNG.integers(0, 3 * L0, (spec.num_axes, tokens))
    pos[0, 0] = 3 * L0  # the largest
    got = kernel(spec, "thd", 2)(x, positions=pos)
    assert rel_err(got, reference.rotate(spec, "thd", x, pos, seq_len=3 * L0 + 1)) < 1e-5
    # The length matters: the unscaled rotation and one token more are far off.
    assert rel_err(got, reference.rotate(spec, "thd", x, pos)) > 1e-2
    assert rel_err(got, reference.rotate(spec, "thd", x, pos, seq_len=3 * L0 + 2)) > 1e-4


@pytest.mark.parametrize("seq_len", [0, 1, L0, L0 + 1, 5000, 2 ** 40])
def test_given_seq_len(seq_len):
    x = rand((7, 2, 64))
    pos = RNG.integers(0, 4000, (1, 7))
    got = kernel(NTK, "thd", 2)(x, positions=pos, seq_len=seq_len)
    assert rel_err(got, reference.rotate(NTK, "thd", x, pos, seq_len=seq_len)) < 1e-5


def test_short_sequences_are_unscaled():
    x = rand((9, 2, 64))
    pos = np.arange(9)[None] - 20  # every position negative: max + 1 <= 0
    unscaled = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
    for p in (pos, pos + 40):
        got = kernel(NTK, "thd", 2)(x, positions=p)
        assert rel_err(got, reference.rotate(unscaled, "thd", x, p)) < 1e-5


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
def test_torch_in_place_and_apply_rope(dtype):
    b, s = 2, 40
    q, k = tensor(RNG, (b, s, 3, 64), dtype), tensor(RNG, (b, s, 1, 64), dtype)
    pos = torch.arange(s)[None] + torch.tensor([[0], [L0]])  # largest L0 + 39
    x, y = q.clone(), k.clone()
    kernel(NTK_PARTIAL, "bshd", 3, 1, dtype=dtype, pos_dtype="i64", in_place=True)(x, y, pos)
    for got, src in ((x, q), (y, k)):
        ref = reference.rotate(NTK_PARTIAL, "bshd", f64(src), pos.numpy()[None], seq_len=L0 + s)
        assert rel_err(got, ref) < TOLERANCE[dtype]
    x = q.clone()
    apply_rope_(pos.int(), x, None, NTK_PARTIAL, seq_len=500)
    ref = reference.rotate(NTK_PARTIAL, "bshd", f64(q), pos.numpy()[None], seq_len=500)
    assert rel_err(x, ref) < TOLERANCE[dtype]


def test_out_of_place_bhsd_int32():
    q = tensor(RNG, (1, 2, 100, 64), "f32")
    pos = torch.arange(100, dtype=torch.int32)[None]
    out = torch.empty_like(q)
    kernel(NTK_MROPE, "bhsd", 2, pos_dtype="i32")(q, positions=pos[None].expand(3, 1, 100), out=out)
    ref = reference.rotate(NTK_MROPE, "bhsd", f64(q), np.broadcast_to(pos.numpy(), (3, 1, 100)), seq_len=100)
    assert rel_err(out, ref) < 1e-5


def test_float_positions():
    kern = kernel(NTK, "thd", 1, pos_dtype="f32")
    x = rand((4, 1, 64))
    pos = np.array([[0.0, 10.0, 99.0, 5.0]], np.float32)
    assert rel_err(kern(x, positions=pos), reference.rotate(NTK, "thd", x, pos, seq_len=100)) < 1e-5
    pos[0, 2] = 99.5
    with pytest.raises(ValueError, match="the largest position 99.5 is not an integer: pass seq_len"):
        kern(x, positions=pos)
    assert rel_err(kern(x, positions=pos, seq_len=100), reference.rotate(NTK, "thd", x, pos, seq_len=100)) < 1e-5


def test_no_tokens():
    kern = kernel(NTK, "thd", 1)
    assert kern(np.zeros((0, 1, 64), np.float32), positions=np.zeros((1, 0), np.int64)).shape == (0, 1, 64)


@pytest.mark.parametrize("seq_len, error, message", [
    (-1, ValueError, r"seq_len must be in \[0, 9223372036854775807\], got -1"),
    (2 ** 63, ValueError, "seq_len must be in"),
    (100.0, TypeError, "seq_len must be an integer, got 100.0"),
    (True, TypeError, "seq_len must be an integer, got True"),
    (np.float64(3), TypeError, "seq_len must be an integer"),
])
def test_bad_seq_len_raises(seq_len, error, message):
    with pytest.raises(error, match=message):
        kernel(NTK, "thd", 1)(rand((2, 1, 64)), positions=np.zeros((1, 2), np.int64), seq_len=seq_len)


def test_numpy_integer_seq_len():
    x = rand((3, 1, 64))
    pos = np.array([[1, 2, 3]])
    got = kernel(NTK, "thd", 1)(x, positions=pos, seq_len=np.int32(700))
    assert rel_err(got, reference.rotate(NTK, "thd", x, pos, seq_len=700)) < 1e-5
    assert not math.isclose(rel_err(got, reference.rotate(NTK, "thd", x, pos)), 0.0, abs_tol=1e-4)
