"""Torch CPU tensors through RopeKernel (SPEC R1-R5, R7): f32, f16 and
bf16 against the float64 reference on varied shapes, pairings, partial
rotary and MRoPE; HF's transposed views and vLLM's qkv slices served
without a copy (the kernel receives their own memory), in place and out of
place; every positions form and dtype; bad inputs refused with errors
naming the argument."""

import numpy as np
import pytest

from rope_mlir import reference
# CASES: (spec, layout, dtype, pos dtype, in_place, q_heads, k_heads, tokens),
# every layout, dtype, pairing and position dtype, partial rotary and MRoPE.
from torch_cases import (CASES, GPTJ_PARTIAL, NEOX, QWEN3_VL, TOLERANCE, TORCH,
                         PointerSpy, f64, kernel, layout_shape, rel_err, tensor)

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(2020)

POSITIONS = {"i32": torch.int32, "i64": torch.int64, "f32": torch.float32}


def positions_for(spec, tokens, pos_dtype):
    """Random positions [A, *tokens] below 65536 (SPEC R5); f32 ones with halves."""
    pos = RNG.integers(-50, 60000, (spec.num_axes,) + tokens)
    if pos_dtype == "f32":
        return torch.from_numpy((pos + 0.5 * RNG.integers(0, 2, pos.shape)).astype(np.float32))
    return torch.from_numpy(pos).to(POSITIONS[pos_dtype])


@pytest.mark.parametrize("case", range(len(CASES)))
def test_tensors_against_reference(case):
    spec, layout, dtype, pos_dtype, in_place, hq, hk, tokens = CASES[case]
    kern = kernel(spec, layout, hq, hk, dtype=dtype, pos_dtype=pos_dtype, in_place=in_place)
    q = tensor(RNG, layout_shape(layout, tokens, hq, spec.head_dim), dtype)
    k = tensor(RNG, layout_shape(layout, tokens, hk, spec.head_dim), dtype) if hk else None
    pos = positions_for(spec, tokens, pos_dtype)
    expect = [reference.rotate(spec, layout, f64(x), pos.numpy()) for x in (q, k) if x is not None]
    given = [x.clone() for x in (q, k) if x is not None]
    result = kern(*given[:1], *given[1:], positions=pos) if hk else kern(given[0], positions=pos)
    got = result if hk else (result,)
    for g, x, ref in zip(got, given, expect):
        assert isinstance(g, torch.Tensor) and g.dtype is TORCH[dtype] and g.shape == x.shape
        assert (g is x) == in_place
        assert rel_err(g, ref) < TOLERANCE[dtype]
    # The reference is not trivially met: the rotation moved the values.
    assert rel_err(q, expect[0]) > 100 * TOLERANCE[dtype]


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("in_place", [True, False])
def test_hf_transposed_views_without_a_copy(monkeypatch, dtype, in_place):
    # transformers: q_proj(x).view(B, S, H, D).transpose(1, 2).
    b, s, hq, hk, d = 2, 6, 4, 2, 64
    xq, xk = tensor(RNG, (b, s, hq * d), dtype), tensor(RNG, (b, s, hk * d), dtype)
    q, k = xq.view(b, s, hq, d).transpose(1, 2), xk.view(b, s, hk, d).transpose(1, 2)
    pos = torch.arange(s)[None].expand(b, s) + torch.tensor([[0], [100]])
    expect = [reference.rotate(QWEN3_VL, "bhsd", f64(x), np.broadcast_to(pos.numpy(), (3, b, s)))
              for x in (q, k)]
    kern = kernel(QWEN3_VL, "bhsd", hq, hk, dtype=dtype, in_place=in_place)
    spy = PointerSpy(monkeypatch)
    rows = pos[None].expand(3, b, s)  # text tokens of an MRoPE model
    got = kern(q, k, rows.contiguous())
    assert spy.passed(xq.data_ptr()) and spy.passed(xk.data_ptr())
    for g, x, ref in zip(got, (q, k), expect):
        assert rel_err(g, ref) < TOLERANCE[dtype]
        if in_place:
            assert g is x
        else:
            # A new tensor laid out as q is (empty_like), so the bshd
            # kernel wrote it directly too.
            assert g.stride() == x.stride() and spy.passed(g.data_ptr())
    if in_place:
        assert rel_err(xq.view(b, s, hq, d).transpose(1, 2), expect[0]) < TOLERANCE[dtype]


def test_bshd_view_of_bhsd_storage_without_a_copy(monkeypatch):
    b, s, h, d = 2, 5, 3, 64
    storage = tensor(RNG, (b, h, s, d), "f32")
    view = storage.transpose(1, 2)  # [B, S, H, D]
    pos = torch.randint(0, 9000, (1, b, s))
    expect = reference.rotate(NEOX, "bshd", f64(view), pos.numpy())
    spy = PointerSpy(monkeypatch)
    kernel(NEOX, "bshd", h, in_place=True)(view, positions=pos)
    assert spy.passed(storage.data_ptr())
    assert rel_err(view, expect) < 1e-5


@pytest.mark.parametrize("dtype", ["bf16", "f16", "f32"])
@pytest.mark.parametrize("layout", ["packed", "thd"])
def test_vllm_qkv_slices_in_place_without_a_copy(monkeypatch, dtype, layout):
    # vLLM: q, k, v = qkv.split([...], dim=-1), q and k rotated in place.
    t, hq, hk, d = 13, 4, 2, 64
    qkv = tensor(RNG, (t, (hq + 2 * hk) * d), dtype)
    before = qkv.clone()
    q, k = qkv[:, :hq * d], qkv[:, hq * d:(hq + hk) * d]
    if layout == "thd":
        q, k = q.view(t, hq, d), k.view(t, hk, d)
    pos = torch.randint(0, 60000, (t,))
    expect = [reference.rotate(NEOX, layout, f64(x), pos.numpy()[None]) for x in (q, k)]
    spy = PointerSpy(monkeypatch)
    got = kernel(NEOX, layout, hq, hk, dtype=dtype, in_place=True)(q, k, pos)
    assert got[0] is q and got[1] is k
    assert spy.passed(q.data_ptr()) and spy.passed(k.data_ptr())
    for x, ref in zip((q, k), expect):
        assert rel_err(x, ref) < TOLERANCE[dtype]
    assert torch.equal(qkv[:, (hq + hk) * d:], before[:, (hq + hk) * d:])


def test_out_tensors_given():
    t, h = 8, 3
    q, k = tensor(RNG, (t, h, 64), "bf16"), tensor(RNG, (t, 1, 64), "bf16")
    pos = torch.randint(0, 30000, (1, t), dtype=torch.int32)
    kern = kernel(GPTJ_PARTIAL, "thd", h, 1, dtype="bf16", pos_dtype="i32")
    # Contiguous outs, then outs that are strided views of bigger buffers.
    for qo, ko in ((torch.empty_like(q), torch.empty_like(k)),
                   (torch.zeros(t, h, 128, dtype=torch.bfloat16)[:, :, ::2],
                    torch.zeros(2 * t, 1, 64, dtype=torch.bfloat16)[::2])):
        got = kern(q, k, pos, out=(qo, ko))
        assert got[0] is qo and got[1] is ko
        assert rel_err(qo, reference.rotate(GPTJ_PARTIAL, "thd", f64(q), pos.numpy())) < 8e-3
        assert rel_err(ko, reference.rotate(GPTJ_PARTIAL, "thd", f64(k), pos.numpy())) < 8e-3


def test_out_is_the_input():
    # out=q: an out-of-place kernel computes through a temporary (restrict).
    q = tensor(RNG, (4, 2, 64), "f32")
    x = q.clone()
    pos = torch.randint(0, 9000, (4,))
    got = kernel(NEOX, "thd", 2)(q, positions=pos, out=q)
    assert got is q
    assert rel_err(q, reference.rotate(NEOX, "thd", f64(x), pos.numpy()[None])) < 1e-5


# (layout, spec, the positions' shape as given, the [A, *tokens] it means)
FORMS = [
    ("thd", NEOX, (7,), None),
    ("thd", NEOX, (1, 7), None),
    ("thd", QWEN3_VL, (3, 7), None),
    ("bhsd", NEOX, (2, 7), None),
    ("bhsd", NEOX, (1, 2, 7), None),
    ("bhsd", NEOX, (1, 7), "batch"),      # HF's position_ids [1, S] for every sequence
    ("bhsd", NEOX, (1, 1, 7), "batch"),
    ("bshd", QWEN3_VL, (3, 2, 7), None),
    ("bshd", QWEN3_VL, (3, 1, 7), "batch"),
]


@pytest.mark.parametrize("form", range(len(FORMS)))
@pytest.mark.parametrize("pos_dtype", ["i32", "i64"])
@pytest.mark.parametrize("library", ["torch", "numpy"])
def test_positions_forms(form, pos_dtype, library):
    layout, spec, shape, meaning = FORMS[form]
    tokens = (7,) if layout == "thd" else (2, 7)
    raw = torch.randint(0, 50000, shape, dtype=POSITIONS[pos_dtype])
    full = raw.numpy().reshape((spec.num_axes,) + shape[-len(tokens):] if meaning else
                               (spec.num_axes,) + tokens)
    full = np.broadcast_to(full, (spec.num_axes,) + tokens)
    q = tensor(RNG, layout_shape(layout, tokens, 2, spec.head_dim), "f32")
    positions = raw if library == "torch" else raw.numpy()
    got = kernel(spec, layout, 2, pos_dtype=pos_dtype)(q, positions=positions)
    assert rel_err(got, reference.rotate(spec, layout, f64(q), full)) < 1e-5


@pytest.mark.parametrize("layout, spec, shape, message", [
    ("thd", NEOX, (2, 7), r"positions has shape \(2, 7\); for 1 position axes and tokens \(7,\) it must be "
                          r"\(1, 7\) or \(7,\)"),
    ("thd", QWEN3_VL, (7,), r"must be \(3, 7\)$"),
    ("thd", QWEN3_VL, (1, 7), r"must be \(3, 7\)$"),
    ("bhsd", NEOX, (2, 6), r"must be \(1, 2, 7\) or \(2, 7\) or \(1, 1, 7\) or \(1, 7\)"),
    ("bhsd", QWEN3_VL, (2, 7), r"must be \(3, 2, 7\) or \(3, 1, 7\)$"),
    ("bhsd", QWEN3_VL, (3, 2, 1), "positions has shape"),   # one token for every token: not HF's
    ("bhsd", NEOX, (14,), "positions has shape"),
])
def test_positions_of_other_shapes_raise(layout, spec, shape, message):
    tokens = (7,) if layout == "thd" else (2, 7)
    q = tensor(RNG, layout_shape(layout, tokens, 2, spec.head_dim), "f32")
    with pytest.raises(ValueError, match=message):
        kernel(spec, layout, 2)(q, positions=torch.zeros(shape, dtype=torch.int64))


def kern_qk():
    return kernel(NEOX, "thd", 2, 2, dtype="bf16")


def qk(dtype=torch.bfloat16, t=4):
    return (torch.randn(t, 2, 64).to(dtype), torch.randn(t, 2, 64).to(dtype),
            torch.zeros(1, t, dtype=torch.int64))


def test_wrong_dtypes_raise():
    q, k, pos = qk()
    with pytest.raises(TypeError, match=r"q must have dtype torch.bfloat16 for bf16 data, got torch.float32"):
        kern_qk()(q.float(), k, pos)
    with pytest.raises(TypeError, match=r"k must have dtype torch.bfloat16 for bf16 data, got torch.float16"):
        kern_qk()(q, k.half(), pos)
    with pytest.raises(TypeError, match=r"positions must have dtype i64 \(torch.int64\), got torch.int32"):
        kern_qk()(q, k, pos.int())
    with pytest.raises(ValueError, match=r"out\[1\] has shape .* dtype torch.float32; it must match k's"):
        kern_qk()(q, k, pos, out=(torch.empty_like(q), torch.empty_like(k).float()))


def test_mixed_kinds_raise():
    q, k, pos = qk(torch.float32)
    kern = kernel(NEOX, "thd", 2, 2)
    with pytest.raises(TypeError, match="k must be a torch tensor like q, got ndarray"):
        kern(q, k.numpy(), pos)
    with pytest.raises(TypeError, match="k must be a numpy array like q, got Tensor"):
        kern(q.numpy(), k, pos)
    with pytest.raises(TypeError, match=r"out\[0\] must be a torch tensor like q, got ndarray"):
        kern(q, k, pos, out=(q.numpy().copy(), k.numpy().copy()))
    with pytest.raises(TypeError, match="q must be a numpy array or a torch tensor, got list"):
        kern(q.tolist(), k, pos)
    # numpy positions with torch data (and the reverse) are read as they are.
    ref = reference.rotate(NEOX, "thd", f64(q), pos.numpy())
    assert rel_err(kern(q, k, pos.numpy())[0], ref) < 1e-5
    assert rel_err(kern(q.numpy(), k.numpy(), pos)[0], ref) < 1e-5


def test_device_sparsity_and_autograd_raise():
    q, k, pos = qk()
    with pytest.raises(ValueError, match="q is on meta; rope_mlir runs CPU and CUDA tensors"):
        kern_qk()(q.to("meta"), k, pos)
    with pytest.raises(ValueError, match="positions is on meta"):
        kern_qk()(q, k, pos.to("meta"))
    with pytest.raises(ValueError, match=r"out\[0\] is on meta"):
        kern_qk()(q, k, pos, out=(torch.empty_like(q, device="meta"), torch.empty_like(k)))
    with pytest.raises(TypeError, match="k is a torch.sparse_coo tensor"):
        kern_qk()(q, k.to_sparse(), pos)
    grad = q.float().requires_grad_()
    with pytest.raises(ValueError, match=r"q requires grad; the kernels have no backward: pass q.detach\(\)"):
        kernel(NEOX, "thd", 2, 2)(grad, k.float(), pos)
    # A Parameter outside autograd is a tensor like any other.
    param = torch.nn.Parameter(q.float(), requires_grad=False)
    got = kernel(NEOX, "thd", 2, 2)(param, k.float(), pos)[0]
    assert rel_err(got, reference.rotate(NEOX, "thd", f64(q), pos.numpy())) < 1e-5


def test_shapes_raise():
    q, k, pos = qk()
    with pytest.raises(ValueError, match=r"q has shape \(4, 3, 64\); layout thd with 2 heads of 64 needs"):
        kern_qk()(torch.zeros(4, 3, 64, dtype=torch.bfloat16), k, pos)
    with pytest.raises(ValueError, match=r"q and k must have the same tokens, got \(4,\) and \(5,\)"):
        kern_qk()(q, torch.zeros(5, 2, 64, dtype=torch.bfloat16), pos)
    with pytest.raises(ValueError, match=r"out\[0\] has shape \(4, 2, 32\)"):
        kern_qk()(q, k, pos, out=(q[..., :32], k))


def test_written_tensors_that_share_memory_raise():
    q, k, pos = qk()
    both = torch.zeros(4, 3, 64, dtype=torch.bfloat16)
    with pytest.raises(ValueError, match="q and k share memory"):
        kernel(NEOX, "thd", 2, 2, dtype="bf16", in_place=True)(both[:, :2], both[:, 1:], pos)
    with pytest.raises(ValueError, match=r"out\[0\] and out\[1\] share memory"):
        kern_qk()(q, k, pos, out=(both[:, :2], both[:, 1:]))
    expanded = torch.zeros(1, 2, 64, dtype=torch.bfloat16).expand(4, 2, 64)
    with pytest.raises(ValueError, match="q has a zero stride over several elements"):
        kernel(NEOX, "thd", 2, 2, dtype="bf16", in_place=True)(expanded, k, pos)
    with pytest.raises(ValueError, match=r"out\[1\] has a zero stride"):
        kern_qk()(q, k, pos, out=(torch.empty_like(q), expanded))
    # Read, an expanded tensor is fine: every token has the same values.
    row = tensor(RNG, (1, 2, 64), "bf16")
    pos = torch.arange(4)[None] * 1000
    got = kern_qk()(row.expand(4, 2, 64), k, pos)[0]
    assert rel_err(got, reference.rotate(NEOX, "thd", np.broadcast_to(f64(row), (4, 2, 64)), pos.numpy())) < 8e-3


def test_read_only_numpy_raises_in_place():
    q = np.zeros((4, 2, 64), np.float32)
    q.flags.writeable = False
    with pytest.raises(ValueError, match="q is read-only: in-place rotation writes it"):
        kernel(NEOX, "thd", 2, in_place=True)(q, positions=np.zeros(4, np.int64))


@pytest.mark.parametrize("count", [3, 200])  # scanned in Python, then by numpy
@pytest.mark.parametrize("value", [2 ** 32 + 1, -(2 ** 40)])
def test_torch_i64_positions_beyond_the_bound_raise(count, value):
    pos = torch.zeros(count, dtype=torch.int64)
    pos[count // 2] = value
    with pytest.raises(ValueError, match="positions must be finite with"):
        kernel(NEOX, "thd", 2)(torch.zeros(count, 2, 64), positions=pos)


@pytest.mark.parametrize("count", [3, 200])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2.0 ** 33])
def test_torch_f32_positions_not_finite_or_beyond_raise(count, value):
    pos = torch.zeros(count, dtype=torch.float32)
    pos[count - 1] = value
    with pytest.raises(ValueError, match="positions must be finite with"):
        kernel(NEOX, "thd", 2, pos_dtype="f32")(torch.zeros(count, 2, 64), positions=pos)


def test_seq_len_without_dynamic_ntk_raises():
    q, k, pos = qk()
    with pytest.raises(ValueError, match="seq_len is read by dynamic_ntk scaling only"):
        kern_qk()(q, k, pos, seq_len=10)
