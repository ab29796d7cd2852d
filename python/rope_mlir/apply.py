"""apply_rope_: vLLM's in-place rotation of q and k, with the kernel for
each configuration compiled on first use and kept."""

import copy
import sys

import numpy as np

from .kernel import RopeKernel
from .spec import RopeSpec

_NUMPY_DATA = {np.dtype(np.float32): "f32", np.dtype(np.float16): "f16", np.dtype(np.uint16): "bf16"}
_NUMPY_POSITIONS = {np.dtype(np.int32): "i32", np.dtype(np.int64): "i64", np.dtype(np.float32): "f32"}
_TORCH_DATA = {"float32": "f32", "float16": "f16", "bfloat16": "bf16"}
_TORCH_POSITIONS = {"int32": "i32", "int64": "i64", "float32": "f32"}
# id(spec) -> (spec, a copy of its fields, {call signature: kernel}): the
# fields are compared on every call, so a spec changed in place gets new
# kernels. Bounded: a caller making a spec per call only refills it.
_BY_SPEC = {}
_MAX_SPECS = 64
# (the op's attributes, layout, heads, dtypes) -> kernel, for equal specs
# that are different objects.
_BY_CONTENT = {}


def _fields(spec):
    return (spec.head_dim, spec.rotary_dim, spec.theta, spec.pairing, spec.axes, spec.per_axis,
            spec.scaling, spec.attention_factor, spec.max_position)


def _static(shape, layout):
    """The dims of q or k that are not tokens (part of the kernel's key)."""
    rank = len(shape)
    if rank == 2:
        return shape[1]
    if rank == 4 and layout == "bhsd":
        return shape[1], shape[3]
    return tuple(shape[rank - 2:])


def apply_rope_(positions, q, k, spec, *, layout=None, seq_len=None):
    """Rotates q and k in place by `positions`, as vLLM's rotary embedding
    does (`rotary_emb(positions, query, key)`); returns (q, k).

    - q, k: numpy arrays or torch CPU or CUDA tensors (k may be None: q
      only), of one dtype: float32, float16 or bfloat16 (numpy: uint16
      holding bf16). CUDA tensors (positions on the same device) run the
      GPU kernel on torch's current stream, without waiting for it
      (RopeKernel; dynamic NTK has no GPU kernel).
      The layout and head counts come from the shapes, head_dim from spec:
      [T, H * D] (vLLM's packed rows, q and k may be column slices of one
      qkv buffer), [T, H, D], or [B, S, H, D]; with layout="bhsd",
      [B, H, S, D] (HF; its x.view(B, S, H, D).transpose(1, 2) views run
      on their storage, no copy; such a view without layout= raises
      ValueError rather than be read as [B, S, H, D]).
    - positions: int32, int64 or float32, numpy or torch, in the forms
      RopeKernel.__call__ lists: [T] or [A, T] for rows of tokens, [B, S]
      or [A, B, S] (and a batch of one, [1, S] / [A, 1, S], for every
      sequence) for 4-D q and k; the leading axis A (spec.num_axes, 3 for
      MRoPE) may be left out only when A is 1.
    - spec: a RopeSpec.
    - seq_len: dynamic NTK's sequence length (RopeKernel.__call__); by
      default max(positions) + 1, as HF computes it per forward.

    One kernel per (spec, layout, head counts, dtype, positions dtype) is
    compiled (or loaded from the disk cache) on the first call that needs
    it and reused after, also for other spec objects with the same
    attributes. Everything RopeKernel checks is checked, with the same
    errors; a shape, dtype or layout apply_rope_ cannot read raises
    TypeError or ValueError naming the argument.
    """
    entry = _BY_SPEC.get(id(spec))
    if entry is None or entry[0] is not spec or _fields(spec) != entry[1]:
        entry = _register(spec)
    try:
        if layout is None and len(q.shape) == 4 and _hf_transposed(q):
            raise ValueError("q of shape %s is laid out as HF's [B, H, S, D] view of [B, S, H, D] storage "
                             "(x.view(B, S, H, D).transpose(1, 2)); apply_rope_ would read it as "
                             "[B, S, H, D]: pass layout='bhsd' (or layout='bshd' if it is [B, S, H, D])"
                             % (tuple(q.shape),))
        key = (layout, q.dtype, positions.dtype, _static(q.shape, layout),
               None if k is None else (k.dtype, _static(k.shape, layout)))
        kern = entry[2][key]
    except (AttributeError, KeyError, TypeError):
        # TypeError: an unhashable dtype or shape of some other object.
        kern, key = _kernel(spec, positions, q, k, layout)
        entry[2][key] = kern
    kern(q, k, positions, seq_len=seq_len)
    return q, k


def _hf_transposed(x):
    """Whether 4-D x is a transpose(1, 2) view of row-major storage and not
    row-major itself: HF's [B, H, S, D] queries, which without a layout
    would be read as [B, S, H, D] and, when S equals H, silently rotated by
    head index. numpy's and torch's own contiguity (dims of size one have
    no stride to tell by)."""
    if isinstance(x, np.ndarray):
        return x.swapaxes(1, 2).flags.c_contiguous and not x.flags.c_contiguous
    return x.transpose(1, 2).is_contiguous() and not x.is_contiguous()


def _register(spec):
    if not isinstance(spec, RopeSpec):
        raise TypeError("spec must be a RopeSpec, got %s" % type(spec).__name__)
    if len(_BY_SPEC) >= _MAX_SPECS:
        _BY_SPEC.clear()
    entry = (spec, copy.deepcopy(_fields(spec)), {})
    _BY_SPEC[id(spec)] = entry
    return entry


def _kind(name, x):
    """(data dtypes, positions dtypes) by dtype for x's kind: numpy or torch."""
    if isinstance(x, np.ndarray):
        return _NUMPY_DATA, _NUMPY_POSITIONS
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(x, torch.Tensor):
        return ({getattr(torch, n): d for n, d in _TORCH_DATA.items()},
                {getattr(torch, n): d for n, d in _TORCH_POSITIONS.items()})
    raise TypeError("%s must be a numpy array or a torch tensor, got %s" % (name, type(x).__name__))


def _heads(name, x, layout, head_dim):
    """The head count of q or k in `layout`."""
    shape = tuple(x.shape)
    if layout == "packed":
        if not shape[1] or shape[1] % head_dim:
            raise ValueError("%s has shape %s: its rows of %d are not whole heads of head_dim %d"
                             % (name, shape, shape[1], head_dim))
        return shape[1] // head_dim
    if shape[-1] != head_dim:
        raise ValueError("%s has shape %s: its last dim must be the spec's head_dim %d" % (name, shape, head_dim))
    return shape[1] if layout in ("thd", "bhsd") else shape[2]


def _kernel(spec, positions, q, k, layout):
    """The in-place kernel for this call, found or built, and the key it is
    kept under; every argument checked with a message naming it."""
    data, pos_dtypes = _kind("q", q)
    rank = len(q.shape)
    inferred = (layout or "bshd") if rank == 4 else {2: "packed", 3: "thd"}.get(rank)
    allowed = {2: ("packed",), 3: ("thd",), 4: ("bshd", "bhsd")}.get(rank, ())
    if inferred not in allowed or layout not in (None, inferred):
        raise ValueError("q has shape %s%s; apply_rope_ takes [T, H * D], [T, H, D], [B, S, H, D], or "
                         "[B, H, S, D] with layout='bhsd'"
                         % (tuple(q.shape), "" if layout is None else " with layout=%r" % (layout,)))
    if q.dtype not in data:
        raise TypeError("q has dtype %s; apply_rope_ takes %s" % (q.dtype, ", ".join(str(d) for d in data)))
    q_heads = _heads("q", q, inferred, spec.head_dim)
    k_heads = 0
    if k is not None:
        if type(k) is not type(q):
            raise TypeError("k must be a %s like q, got %s" % (type(q).__name__, type(k).__name__))
        if k.dtype != q.dtype:
            raise TypeError("k has dtype %s and q %s: they must be the same" % (k.dtype, q.dtype))
        if len(k.shape) != rank:
            raise ValueError("k has shape %s and q %s: they must have the same rank"
                             % (tuple(k.shape), tuple(q.shape)))
        k_heads = _heads("k", k, inferred, spec.head_dim)
    _, positions_dtypes = _kind("positions", positions)
    if positions.dtype not in positions_dtypes:
        raise TypeError("positions has dtype %s; apply_rope_ takes %s"
                        % (positions.dtype, ", ".join(str(d) for d in positions_dtypes)))
    config = (inferred, q_heads, k_heads, data[q.dtype], positions_dtypes[positions.dtype])
    # max_position is checked by the kernel object, not stated in its IR.
    content = (spec.attributes(inferred), spec.max_position) + config
    kern = _BY_CONTENT.get(content)
    if kern is None:
        # A kernel serves both devices, compiling the other's object on its
        # first call there; a GPU machine may have no CPU compiler.
        kern = RopeKernel(spec, inferred, q_heads=q_heads, k_heads=k_heads, dtype=config[3],
                          pos_dtype=config[4], in_place=True,
                          device="cuda" if getattr(q, "is_cuda", False) else "cpu")
        _BY_CONTENT[content] = kern
    key = (layout, q.dtype, positions.dtype, _static(q.shape, layout),
           None if k is None else (k.dtype, _static(k.shape, layout)))
    return kern, key
