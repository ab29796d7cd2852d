"""apply_rope_ (vLLM's in-place entry point): layouts and head counts read
from the shapes, numpy and torch, against the float64 reference; one kernel
per configuration, reused across calls, token counts and equal specs, and
rebuilt for a spec changed in place; errors naming the argument."""

import copy

import numpy as np
import pytest

import rope_mlir.apply
from rope_mlir import RopeKernel, RopeSpec, apply_rope_, reference
from torch_cases import GPTJ_PARTIAL, NEOX, QWEN3_VL, TOLERANCE, f64, rel_err, tensor

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(99)

# (spec, q shape, k shape or None, layout argument, the layout it means, positions shape, dtype)
CASES = [
    (NEOX, (9, 4 * 64), (9, 2 * 64), None, "packed", (9,), "bf16"),
    (QWEN3_VL, (9, 4 * 64), (9, 64), None, "packed", (3, 9), "f32"),
    (GPTJ_PARTIAL, (7, 3, 64), (7, 1, 64), None, "thd", (1, 7), "f16"),
    (QWEN3_VL, (7, 2, 64), None, None, "thd", (3, 7), "bf16"),
    (NEOX, (2, 5, 3, 64), (2, 5, 1, 64), None, "bshd", (2, 5), "f32"),
    (GPTJ_PARTIAL, (2, 3, 5, 64), (2, 1, 5, 64), "bhsd", "bhsd", (1, 5), "bf16"),
    (QWEN3_VL, (1, 2, 6, 64), (1, 2, 6, 64), "bhsd", "bhsd", (3, 1, 6), "f16"),
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("pos_dtype", [torch.int32, torch.int64])
def test_torch_against_reference(case, pos_dtype):
    spec, q_shape, k_shape, layout, means, pos_shape, dtype = CASES[case]
    q = tensor(RNG, q_shape, dtype)
    k = tensor(RNG, k_shape, dtype) if k_shape else None
    pos = torch.randint(0, 60000, pos_shape, dtype=pos_dtype)
    tokens = (q_shape[0],) if means in ("packed", "thd") else \
        (q_shape[0], q_shape[2] if means == "bhsd" else q_shape[1])
    full = np.broadcast_to(pos.numpy().reshape((spec.num_axes,) + pos_shape[len(pos_shape) - len(tokens):]),
                           (spec.num_axes,) + tokens)
    expect = [reference.rotate(spec, means, f64(x), full) for x in (q, k) if x is not None]
    got = apply_rope_(pos, q, k, spec, layout=layout)
    assert got[0] is q and got[1] is k
    for x, ref in zip((q, k), expect):
        assert rel_err(x, ref) < TOLERANCE[dtype]


@pytest.mark.parametrize("kind", ["torch", "numpy"])
def test_hf_transposed_view_needs_its_layout(kind):
    """HF's q.view(B, S, H, D).transpose(1, 2) with S == H reads as a
    [B, S, H, D] tensor of fitting shape: without layout= it is refused,
    not rotated by head index (found by a new-user trial)."""
    b, s, h = 1, 4, 4
    storage = RNG.uniform(-2, 2, (b, s, h, 64)).astype(np.float32)
    q = torch.from_numpy(storage.copy()).transpose(1, 2) if kind == "torch" else storage.copy().transpose(0, 2, 1, 3)
    k = torch.from_numpy(storage.copy()).transpose(1, 2) if kind == "torch" else storage.copy().transpose(0, 2, 1, 3)
    pos = RNG.integers(0, 60000, (b, s))
    if kind == "torch":
        pos = torch.from_numpy(pos)
    with pytest.raises(ValueError, match=r"HF's \[B, H, S, D\] view .* pass layout='bhsd'"):
        apply_rope_(pos, q, k, NEOX)
    expect = reference.rotate(NEOX, "bhsd", f64(q), np.asarray(pos)[None])
    apply_rope_(pos, q, k, NEOX, layout="bhsd")
    assert rel_err(q, expect) < 1e-5 and rel_err(k, expect) < 1e-5
    # Row-major [B, S, H, D] of the same shape is read as such.
    rows = storage.copy()
    rows_t = torch.from_numpy(rows) if kind == "torch" else rows
    apply_rope_(pos, rows_t, None, NEOX)
    assert rel_err(rows_t, reference.rotate(NEOX, "bshd", storage, np.asarray(pos)[None])) < 1e-5


def test_numpy_rows():
    t = 6
    q = RNG.uniform(-2, 2, (t, 3 * 64)).astype(np.float32)
    k = RNG.uniform(-2, 2, (t, 64)).astype(np.float32)
    pos = RNG.integers(0, 60000, t)
    expect = [reference.rotate(NEOX, "packed", x, pos[None]) for x in (q, k)]
    apply_rope_(pos, q, k, NEOX)
    assert rel_err(q, expect[0]) < 1e-5 and rel_err(k, expect[1]) < 1e-5


class Counting:
    """Counts the RopeKernels apply_rope_ builds."""

    def __init__(self, monkeypatch):
        self.built = 0

        def build(*args, **kwargs):
            self.built += 1
            return RopeKernel(*args, **kwargs)
        monkeypatch.setattr(rope_mlir.apply, "RopeKernel", build)


def test_kernels_are_kept(monkeypatch):
    spec = RopeSpec(head_dim=64, rotary_dim=64, theta=12345.0)  # this test's own
    count = Counting(monkeypatch)
    for t in (1, 1, 4, 1, 17):
        q, k = tensor(RNG, (t, 2 * 64), "f32"), tensor(RNG, (t, 64), "f32")
        pos = torch.randint(0, 9000, (t,))
        expect = reference.rotate(spec, "packed", f64(q), pos.numpy()[None])
        apply_rope_(pos, q, k, spec)
        assert rel_err(q, expect) < 1e-5
    assert count.built == 1
    # An equal spec that is another object shares the kernel.
    apply_rope_(pos, q, k, copy.deepcopy(spec))
    assert count.built == 1
    # Other head counts, dtypes or positions dtypes are other kernels.
    apply_rope_(pos, tensor(RNG, (17, 3 * 64), "f32"), k, spec)
    apply_rope_(pos.int(), q, k, spec)
    apply_rope_(pos, q.bfloat16(), k.bfloat16(), spec)
    assert count.built == 4


def test_spec_changed_in_place_gets_its_own_kernel():
    spec = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
    q = tensor(RNG, (3, 64), "f32")
    pos = torch.tensor([5, 600, 7000])
    apply_rope_(pos, q.clone(), None, spec)
    spec.theta = 5e5
    spec.pairing = "adjacent"
    x = q.clone()
    apply_rope_(pos, x, None, spec)
    assert rel_err(x, reference.rotate(spec, "packed", f64(q), pos.numpy()[None])) < 1e-5


def f32(*shape):
    return torch.zeros(shape)


POS = torch.zeros(4, dtype=torch.int64)


@pytest.mark.parametrize("call, error, message", [
    (lambda: apply_rope_(POS, f32(4, 1, 1, 1, 64), None, NEOX), ValueError,
     r"q has shape \(4, 1, 1, 1, 64\); apply_rope_ takes \[T, H \* D\], \[T, H, D\], \[B, S, H, D\]"),
    (lambda: apply_rope_(POS, f32(64), None, NEOX), ValueError, r"q has shape \(64,\)"),
    (lambda: apply_rope_(POS, f32(4, 100), None, NEOX), ValueError,
     r"q has shape \(4, 100\): its rows of 100 are not whole heads of head_dim 64"),
    (lambda: apply_rope_(POS, f32(4, 0), None, NEOX), ValueError, "rows of 0 are not whole heads"),
    (lambda: apply_rope_(POS, f32(4, 2, 32), None, NEOX), ValueError,
     r"q has shape \(4, 2, 32\): its last dim must be the spec's head_dim 64"),
    (lambda: apply_rope_(POS, f32(4, 2, 64), f32(4, 2, 32), NEOX), ValueError, "k has shape"),
    (lambda: apply_rope_(POS, f32(4, 2, 64), None, NEOX, layout="bhsd"), ValueError,
     r"q has shape \(4, 2, 64\) with layout='bhsd'"),
    (lambda: apply_rope_(POS, f32(1, 4, 2, 64), None, NEOX, layout="thd"), ValueError, "with layout='thd'"),
    (lambda: apply_rope_(POS, f32(4, 2, 64), f32(4, 2, 64).half(), NEOX), TypeError,
     "k has dtype torch.float16 and q torch.float32: they must be the same"),
    (lambda: apply_rope_(POS, f32(4, 2, 64), f32(4, 128), NEOX), ValueError, "k has shape .* same rank"),
    (lambda: apply_rope_(POS, f32(4, 2, 64), np.zeros((4, 2, 64), np.float32), NEOX), TypeError,
     "k must be a Tensor like q, got ndarray"),
    (lambda: apply_rope_(POS.short(), f32(4, 2, 64), None, NEOX), TypeError,
     "positions has dtype torch.int16; apply_rope_ takes torch.int32, torch.int64, torch.float32"),
    (lambda: apply_rope_(POS, f32(4, 2, 64).double(), None, NEOX), TypeError,
     "q has dtype torch.float64; apply_rope_ takes torch.float32, torch.float16, torch.bfloat16"),
    (lambda: apply_rope_(POS, [[0.0] * 64], None, NEOX), TypeError, "q must be a numpy array or a torch tensor"),
    (lambda: apply_rope_(list(range(4)), f32(4, 64), None, NEOX), TypeError,
     "positions must be a numpy array or a torch tensor, got list"),
    (lambda: apply_rope_(POS, f32(4, 64), None, {"head_dim": 64}), TypeError, "spec must be a RopeSpec, got dict"),
    (lambda: apply_rope_(POS[None].expand(3, 4), f32(4, 64), None, NEOX), ValueError, "positions has shape"),
    (lambda: apply_rope_(POS, f32(4, 64), None, QWEN3_VL), ValueError, r"must be \(3, 4\)"),
])
def test_errors_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_read_only_numpy_raises():
    q = np.zeros((4, 64), np.float32)
    q.flags.writeable = False
    with pytest.raises(ValueError, match="q is read-only"):
        apply_rope_(POS.numpy(), q, None, NEOX)


def test_reversed_view_is_copied_and_written_back():
    base = RNG.uniform(-2, 2, (5, 64)).astype(np.float32)
    q = base[::-1]
    x = q.copy()
    pos = np.arange(5) * 999
    apply_rope_(pos, q, None, NEOX)
    assert rel_err(q, reference.rotate(NEOX, "packed", x, pos[None])) < 1e-5
