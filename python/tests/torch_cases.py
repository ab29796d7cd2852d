"""Shared pieces of the torch and dispatch tests: specs, random data in each
dtype, float64 views of it, tolerances, and a spy on the pointers a kernel
receives (to show that no copy was made)."""

import numpy as np
import torch

from rope_mlir import RopeKernel, memref
# The specs and the cases of every layout and dtype, shared with the CUDA
# tests (cuda_cases imports no torch: it builds GPU kernels ahead).
from cuda_cases import CASES, GPTJ_PARTIAL, NEOX, QWEN2_VL_PARTIAL, QWEN3_VL, VISION  # noqa: F401
TORCH = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}
NUMPY = {"f32": np.float32, "f16": np.float16}
TOLERANCE = {"f32": 1e-5, "f16": 2e-3, "bf16": 8e-3}
_KERNELS = {}


def kernel(spec, layout, q_heads, k_heads=0, **kw):
    """One compiled kernel per configuration for the whole session."""
    key = (repr(spec), layout, q_heads, k_heads, tuple(sorted(kw.items())))
    if key not in _KERNELS:
        _KERNELS[key] = RopeKernel(spec, layout, q_heads=q_heads, k_heads=k_heads, **kw)
    return _KERNELS[key]


def tensor(rng, shape, dtype):
    """Random torch values in (-2, 2), none near 0, in `dtype` ("f32", ...)."""
    x = rng.uniform(-2, 2, shape)
    x[np.abs(x) < 1e-3] = 0.7
    return torch.from_numpy(x.astype(np.float32)).to(TORCH[dtype])


def f64(x):
    """A torch tensor or a numpy float array as float64 numpy."""
    if isinstance(x, torch.Tensor):
        return x.detach().float().numpy().astype(np.float64)
    return np.asarray(x, np.float64)


def rel_err(got, ref):
    return float(np.max(np.abs(f64(got) - ref)) / np.max(np.abs(ref)))


def layout_shape(layout, tokens, heads, head_dim):
    """q's shape in `layout` for tokens (B, S) or (T,)."""
    return {"bhsd": lambda: (tokens[0], heads, tokens[1], head_dim),
            "bshd": lambda: (tokens[0], tokens[1], heads, head_dim),
            "thd": lambda: (tokens[0], heads, head_dim),
            "packed": lambda: (tokens[0], heads * head_dim)}[layout]()


class PointerSpy:
    """Records the descriptor fields of every kernel call (memref.Function)."""

    def __init__(self, monkeypatch):
        self.calls = []
        original = memref.Function.__call__

        def spy(fn, fields, index_values=()):
            self.calls.append(tuple(fields))
            return original(fn, fields, index_values)
        monkeypatch.setattr(memref.Function, "__call__", spy)

    def passed(self, address):
        """Whether the last call handed the kernel `address` itself."""
        return address in self.calls[-1]
