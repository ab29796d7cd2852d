"""From a spec to a callable kernel: emit MLIR, compile it, call it on numpy."""

import numbers

import numpy as np

from . import compiler, memref
from .spec import RopeSpec, check_attention_factor, check_scaling

_ELEMENT = {"f32": "f32", "f16": "f16", "bf16": "bf16"}
_NUMPY_STORAGE = {"f32": np.float32, "f16": np.float16, "bf16": np.uint16}
_POSITIONS = {np.dtype(np.int32): "i32", np.dtype(np.int64): "i64", np.dtype(np.float32): "f32"}
LAYOUTS = ("bhsd", "bshd", "thd", "packed")
# The kernel forms each angle pos * inv_j in f64 and reduces it modulo 2*pi
# with f64(2*pi), whose error (2.4e-16) it multiplies by the angle's number of
# turns: up to |angle| = 2^32 results stay at f32 rounding against float64,
# at 2^38 they are 1e-5 off and from 2^56 garbage (docs/design.md, "Angles
# in f64"). Calls with positions beyond the bound raise instead.
ANGLE_BOUND = 2.0 ** 32
# The verifier's size bounds (include/Rope/IR/RopeOps.h): head_dim at most
# 2^16, static dimensions in [1, 2^40], static shapes at most 2^48 elements.
MAX_HEAD_DIM = 2 ** 16
MAX_STATIC_DIM = 2 ** 40
MAX_STATIC_ELEMENTS = 2 ** 48


def _size(value, name, low=1, high=MAX_STATIC_DIM):
    """A size argument: a Python or numpy integer (not a bool, a float or a
    string: TypeError) in [low, high] (ValueError); returned as an int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("%s must be an integer, got %r" % (name, value))
    if not low <= value <= high:
        top = "2^%d" % (high.bit_length() - 1) if high & (high - 1) == 0 else "%d" % high
        raise ValueError("%s must be in [%d, %s], got %d" % (name, low, top, value))
    return int(value)


def position_bound(spec):
    """The largest |position| whose angles stay within ANGLE_BOUND: inv_j is
    at most 1, or 1 / factor where a scaling factor below 1 raises it."""
    sc = spec.scaling
    if sc is None:
        return ANGLE_BOUND
    smallest = min(sc["factors"]) if sc["kind"] == "freq_factors" else sc["factor"]
    return ANGLE_BOUND * min(1.0, smallest)


def _row_major(a):
    """`a` itself when C-contiguous and aligned, else such a copy: the kernel
    addresses its buffers as identity-layout memrefs (row-major, natural
    alignment) whatever strides the descriptor carries."""
    return np.require(a, requirements=["C", "A"])


def _shape(layout, heads, head_dim):
    """Memref shape with dynamic token dims."""
    if layout == "bhsd":
        return ["?", str(heads), "?", str(head_dim)]
    if layout == "bshd":
        return ["?", "?", str(heads), str(head_dim)]
    if layout == "thd":
        return ["?", str(heads), str(head_dim)]
    return ["?", str(heads * head_dim)]


def emit_module(spec, layout, q_heads, k_heads=0, dtype="f32", pos_dtype="i64",
                in_place=False, name="rope_kernel"):
    """A module whose @name rotates q (and k) through memrefs, C interface on."""
    elt = _ELEMENT[dtype]
    tok_rank = 2 if layout in ("bhsd", "bshd") else 1
    pos_t = "memref<%dx%sx%s>" % (spec.num_axes, "x".join(["?"] * tok_rank), pos_dtype)
    pos_tt = pos_t.replace("memref", "tensor")
    heads = [q_heads] + ([k_heads] if k_heads else [])
    mts = ["memref<%sx%s>" % ("x".join(_shape(layout, h, spec.head_dim)), elt) for h in heads]
    tts = [m.replace("memref", "tensor") for m in mts]
    names = ["q", "k"][:len(heads)]
    args = ["%%%s: %s" % (n, t) for n, t in zip(names, mts)] + ["%%pos: %s" % pos_t]
    if not in_place:
        args += ["%%%s_out: %s" % (n, t) for n, t in zip(names, mts)]
    body = []
    for n, mt, tt in zip(names, mts, tts):
        writable = " writable" if in_place else ""
        body.append("  %%%s_t = bufferization.to_tensor %%%s restrict%s : %s to %s" % (n, n, writable, mt, tt))
        if not in_place:
            body.append("  %%%s_o = bufferization.to_tensor %%%s_out restrict writable : %s to %s" % (n, n, mt, tt))
    body.append("  %%pos_t = bufferization.to_tensor %%pos restrict : %s to %s" % (pos_t, pos_tt))
    if in_place:
        ins, outs = "", ", ".join("%%%s_t" % n for n in names)
    else:
        ins = "ins(%s : %s) " % (", ".join("%%%s_t" % n for n in names), ", ".join(tts))
        outs = ", ".join("%%%s_o" % n for n in names)
    res = "%r" if len(names) == 1 else "%%r:%d" % len(names)
    body.append("  %s = rope.rotate %spositions(%%pos_t : %s) outs(%s : %s) %s -> %s" % (
        res, ins, pos_tt, outs, ", ".join(tts), spec.attributes(layout), ", ".join(tts)))
    for i, (n, mt, tt) in enumerate(zip(names, mts, tts)):
        r = "%r" if len(names) == 1 else "%%r#%d" % i
        dest = "%%%s" % n if in_place else "%%%s_out" % n
        body.append("  bufferization.materialize_in_destination %s in restrict writable %s : (%s, %s) -> ()"
                    % (r, dest, tt, mt))
    return ("func.func @%s(%s) attributes {llvm.emit_c_interface} {\n%s\n  return\n}\n"
            % (name, ", ".join(args), "\n".join(body)))


class RopeKernel:
    """A compiled rope kernel for one spec, layout, head counts and dtype.

    `kernel(q, k, positions)` returns new arrays; `kernel(q, k, positions,
    out=(q_out, k_out))` writes into given arrays; with `in_place=True` the
    kernel rotates q and k themselves. bf16 data is stored as numpy uint16.

    Arrays of any strides are served (the kernel itself reads and writes
    C-contiguous, aligned buffers):
    - q, k and positions that are not C-contiguous and aligned (transposed
      views, Fortran order, slices with steps, negative strides, zero
      strides of np.broadcast_to) are copied into such arrays first.
    - out arrays must be writeable numpy arrays of the inputs' shapes and
      dtypes, and out[0] and out[1] must not share memory (ValueError).
      One that is not C-contiguous and aligned, or that may share memory
      with q, k or positions, is computed into a temporary and copied into.
    - In place, q and k must be writeable and must not share memory
      (ValueError); one that is not C-contiguous and aligned is rotated in a
      contiguous copy that is written back.
    q_heads and k_heads (0: q only) are integers (TypeError otherwise) that
    keep q's and k's static dims within the verifier's bounds (each at most
    2^40, at most 2^48 elements; ValueError); the spec is checked against
    the verifier's rules (head_dim at most 2^16, scaling, axes) before
    rope-opt runs.
    Positions must be finite with |pos| <= `position_bound` (2^32 unless a
    scaling factor below 1 lowers it): beyond it the kernel's f64 angle
    reduction drifts from f32 accuracy, so such calls raise ValueError.
    """

    def __init__(self, spec, layout="bhsd", q_heads=1, k_heads=0, dtype="f32",
                 pos_dtype="i64", in_place=False, pipeline_options=""):
        if not isinstance(spec, RopeSpec):
            raise TypeError("spec must be a RopeSpec")
        if layout not in LAYOUTS:
            raise ValueError("layout must be one of %s, got %r" % (LAYOUTS, layout))
        if dtype not in _ELEMENT:
            raise ValueError("dtype must be f32, f16 or bf16, got %r" % (dtype,))
        if pos_dtype not in ("i32", "i64", "f32"):
            raise ValueError("pos_dtype must be i32, i64 or f32, got %r" % (pos_dtype,))
        q_heads = _size(q_heads, "q_heads")
        k_heads = _size(k_heads, "k_heads (0: no k)", low=0)
        if not isinstance(in_place, bool):
            raise TypeError("in_place must be True or False, got %r" % (in_place,))
        if not isinstance(pipeline_options, str):
            raise TypeError("pipeline_options must be a string, got %r" % (pipeline_options,))
        _check_spec(spec)
        for name, heads in (("q_heads", q_heads), ("k_heads", k_heads)):
            if heads:
                _check_static_shape(name, layout, heads, spec.head_dim)
        if spec.scaling is not None and spec.scaling["kind"] == "dynamic_ntk":
            raise ValueError("dynamic_ntk needs a run-time seq_len: not supported from Python yet")
        self.spec, self.layout, self.dtype = spec, layout, dtype
        self.q_heads, self.k_heads, self.in_place = q_heads, k_heads, in_place
        self.pos_dtype = pos_dtype
        self.position_bound = position_bound(spec)
        self.module = emit_module(spec, layout, q_heads, k_heads, dtype, pos_dtype, in_place)
        self.library, self._lib = compiler.load_shared(self.module, pipeline_options)

    def _check(self, name, x, heads):
        storage = _NUMPY_STORAGE[self.dtype]
        if not isinstance(x, np.ndarray):
            raise TypeError("%s must be a numpy array" % name)
        if x.dtype != storage:
            raise TypeError("%s must have dtype %s for %s data, got %s"
                            % (name, np.dtype(storage).name, self.dtype, x.dtype))
        d = self.spec.head_dim
        expect = {"bhsd": (None, heads, None, d), "bshd": (None, None, heads, d),
                  "thd": (None, heads, d), "packed": (None, heads * d)}[self.layout]
        if x.ndim != len(expect) or any(e is not None and e != s for e, s in zip(expect, x.shape)):
            raise ValueError("%s has shape %s; layout %s with %d heads of %d needs %s"
                             % (name, x.shape, self.layout, heads, d,
                                tuple("*" if e is None else e for e in expect)))

    def _tokens(self, x):
        if self.layout == "bhsd":
            return (x.shape[0], x.shape[2])
        if self.layout == "bshd":
            return (x.shape[0], x.shape[1])
        return (x.shape[0],)

    def _check_positions(self, positions, tokens):
        if not isinstance(positions, np.ndarray):
            raise TypeError("positions must be a numpy array")
        if _POSITIONS.get(positions.dtype) != self.pos_dtype:
            raise TypeError("positions must have dtype %s, got %s" % (self.pos_dtype, positions.dtype))
        want = (self.spec.num_axes,) + tokens
        if positions.shape != want:
            raise ValueError("positions has shape %s, expected %s" % (positions.shape, want))
        if positions.size:
            lo, hi = positions.min(), positions.max()
            # NaN fails both comparisons.
            if not (lo >= -self.position_bound and hi <= self.position_bound):
                raise ValueError("positions must be finite with |pos| <= %.17g (see position_bound), "
                                 "got values from %s to %s" % (self.position_bound, lo, hi))

    def __call__(self, q, k=None, positions=None, out=None):
        self._check("q", q, self.q_heads)
        arrays, names = [q], ["q"]
        if self.k_heads:
            if k is None:
                raise ValueError("this kernel rotates k too: pass k")
            self._check("k", k, self.k_heads)
            if self._tokens(k) != self._tokens(q):
                raise ValueError("q and k must have the same tokens, got %s and %s"
                                 % (self._tokens(q), self._tokens(k)))
            arrays.append(k)
            names.append("k")
        elif k is not None:
            raise ValueError("this kernel was built without k (k_heads=0)")
        self._check_positions(positions, self._tokens(q))
        if self.in_place:
            if out is not None:
                raise ValueError("an in-place kernel takes no out arrays")
            for n, a in zip(names, arrays):
                if not a.flags.writeable:
                    raise ValueError("%s is read-only: in-place rotation writes it" % n)
            if len(arrays) == 2 and np.shares_memory(q, k):
                raise ValueError("q and k share memory: in-place rotation would rotate it twice")
            work = [_row_major(a) for a in arrays]
            pos = _row_major(positions)
            if any(np.may_share_memory(pos, w) for w in work):
                pos = pos.copy()
            memref.call(self._lib, "rope_kernel", *work, pos)
            for a, w in zip(arrays, work):
                if w is not a:
                    a[...] = w
            return tuple(arrays) if len(arrays) > 1 else arrays[0]
        if out is None:
            out = tuple(np.empty(a.shape, a.dtype) for a in arrays)
        out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        if len(out) != len(arrays):
            raise ValueError("expected %d out arrays" % len(arrays))
        for i, (o, n, a) in enumerate(zip(out, names, arrays)):
            if not isinstance(o, np.ndarray):
                raise TypeError("out[%d] must be a numpy array" % i)
            if o.shape != a.shape or o.dtype != a.dtype:
                raise ValueError("out[%d] has shape %s and dtype %s; it must match %s's %s and %s"
                                 % (i, o.shape, o.dtype, n, a.shape, a.dtype))
            if not o.flags.writeable:
                raise ValueError("out[%d] is read-only" % i)
        if len(out) == 2 and np.shares_memory(out[0], out[1]):
            raise ValueError("out[0] and out[1] share memory")
        read = [_row_major(a) for a in arrays] + [_row_major(positions)]
        # The module declares its buffers `restrict`: an out that may share
        # memory with what the kernel reads, or that is not row-major, takes
        # a temporary.
        direct = [o.flags.c_contiguous and o.flags.aligned
                  and not any(np.may_share_memory(o, r) for r in read) for o in out]
        targets = [o if d else np.empty(o.shape, o.dtype) for o, d in zip(out, direct)]
        memref.call(self._lib, "rope_kernel", *read, *targets)
        for o, t in zip(out, targets):
            if t is not o:
                o[...] = t
        return out if len(out) > 1 else out[0]


def _check_static_shape(name, layout, heads, head_dim):
    """The static dims of q or k's memref within the verifier's bounds."""
    static = [int(d) for d in _shape(layout, heads, head_dim) if d != "?"]
    elements = 1
    for d in static:
        elements *= d
    if max(static) > MAX_STATIC_DIM or elements > MAX_STATIC_ELEMENTS:
        raise ValueError("%s = %d with head_dim %d gives static dims %s in layout %s: each must be at most "
                         "2^40 and their product at most 2^48" % (name, heads, head_dim, static, layout))


def _check_spec(spec):
    """What rope-opt's verifier requires of the spec (RopeOps.cpp,
    RopeDialect.cpp), checked before it runs; the spec may have been changed
    since construction, so its own checks run again."""
    head_dim = _size(spec.head_dim, "head_dim", high=MAX_HEAD_DIM)
    rotary_dim = _size(spec.rotary_dim, "rotary_dim", high=MAX_HEAD_DIM)
    if rotary_dim % 2 or rotary_dim > head_dim:
        raise ValueError("rotary_dim must be even and in (0, head_dim], got %d" % rotary_dim)
    if not isinstance(spec.per_axis, bool):
        raise TypeError("per_axis must be True or False, got %r" % (spec.per_axis,))
    if spec.scaling is not None:
        check_scaling(spec.scaling, rotary_dim)
        if spec.scaling["kind"] == "dynamic_ntk" and rotary_dim <= 2:
            raise ValueError("dynamic_ntk scaling needs rotary_dim > 2")
    if spec.attention_factor is not None:
        check_attention_factor(spec.attention_factor)
    if spec.pairing not in ("half", "adjacent"):
        raise ValueError("pairing must be 'half' or 'adjacent', got %r" % (spec.pairing,))
    if not spec.theta > 1:
        raise ValueError("theta must be above 1")
    if spec.axes is not None:
        if not isinstance(spec.axes, (tuple, list)) or len(spec.axes) != 2:
            raise ValueError("axes must be (kind, [ints]), got %r" % (spec.axes,))
        kind, values = spec.axes
        if kind not in ("sequential", "interleaved", "custom"):
            raise ValueError("unknown axes kind %r" % (kind,))
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or not len(values):
            raise ValueError("axes values must be a non-empty list of integers, got %r" % (values,))
        if kind == "custom":
            values = [_size(v, "custom axes entry", low=0, high=MAX_HEAD_DIM - 1) for v in values]
        else:
            values = [_size(v, "axes section", high=MAX_HEAD_DIM // 2) for v in values]
        if kind != "custom" and sum(values) != rotary_dim // 2:
            raise ValueError("sections %r must sum to rotary_dim / 2 = %d" % (values, rotary_dim // 2))
        if kind == "interleaved" and len(values) != 3:
            raise ValueError("interleaved MRoPE needs 3 sections")
        if kind == "custom" and len(values) != rotary_dim // 2:
            raise ValueError("a custom map needs one axis per pair")
    if spec.per_axis and (spec.axes is None or spec.axes[0] != "sequential"):
        raise ValueError("per_axis (a per-axis spectrum) needs sequential axes sections, got axes %r"
                         % (spec.axes,))
