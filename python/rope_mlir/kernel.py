"""From a spec to a callable kernel: emit MLIR, compile it, call it on numpy."""

import numpy as np

from . import compiler, memref
from .spec import RopeSpec

_ELEMENT = {"f32": "f32", "f16": "f16", "bf16": "bf16"}
_NUMPY_STORAGE = {"f32": np.float32, "f16": np.float16, "bf16": np.uint16}
_POSITIONS = {np.dtype(np.int32): "i32", np.dtype(np.int64): "i64", np.dtype(np.float32): "f32"}
LAYOUTS = ("bhsd", "bshd", "thd", "packed")


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
        if q_heads <= 0 or k_heads < 0:
            raise ValueError("q_heads must be positive and k_heads non-negative")
        _check_spec(spec)
        if spec.scaling is not None and spec.scaling["kind"] == "dynamic_ntk":
            raise ValueError("dynamic_ntk needs a run-time seq_len: not supported from Python yet")
        self.spec, self.layout, self.dtype = spec, layout, dtype
        self.q_heads, self.k_heads, self.in_place = q_heads, k_heads, in_place
        self.pos_dtype = pos_dtype
        self.module = emit_module(spec, layout, q_heads, k_heads, dtype, pos_dtype, in_place)
        self.library = compiler.compile_shared(self.module, pipeline_options)

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

    def __call__(self, q, k=None, positions=None, out=None):
        self._check("q", q, self.q_heads)
        arrays = [q]
        if self.k_heads:
            if k is None:
                raise ValueError("this kernel rotates k too: pass k")
            self._check("k", k, self.k_heads)
            if self._tokens(k) != self._tokens(q):
                raise ValueError("q and k must have the same tokens, got %s and %s"
                                 % (self._tokens(q), self._tokens(k)))
            arrays.append(k)
        elif k is not None:
            raise ValueError("this kernel was built without k (k_heads=0)")
        if not isinstance(positions, np.ndarray):
            raise TypeError("positions must be a numpy array")
        if _POSITIONS.get(positions.dtype) != self.pos_dtype:
            raise TypeError("positions must have dtype %s, got %s" % (self.pos_dtype, positions.dtype))
        want = (self.spec.num_axes,) + self._tokens(q)
        if positions.shape != want:
            raise ValueError("positions has shape %s, expected %s" % (positions.shape, want))
        if self.in_place:
            if out is not None:
                raise ValueError("an in-place kernel takes no out arrays")
            for a in arrays:
                if not a.flags.writeable:
                    raise ValueError("in-place rotation needs writeable arrays")
            memref.call(self.library, "rope_kernel", *arrays, positions)
            return tuple(arrays) if len(arrays) > 1 else arrays[0]
        if out is None:
            out = tuple(np.empty_like(a) for a in arrays)
        out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        if len(out) != len(arrays):
            raise ValueError("expected %d out arrays" % len(arrays))
        for o, a in zip(out, arrays):
            if o.shape != a.shape or o.dtype != a.dtype:
                raise ValueError("out arrays must match the inputs' shapes and dtypes")
        memref.call(self.library, "rope_kernel", *arrays, positions, *out)
        return out if len(out) > 1 else out[0]


def _check_spec(spec):
    if spec.rotary_dim <= 0 or spec.rotary_dim % 2 or spec.rotary_dim > spec.head_dim:
        raise ValueError("rotary_dim must be even and in (0, head_dim], got %d" % spec.rotary_dim)
    if spec.pairing not in ("half", "adjacent"):
        raise ValueError("pairing must be 'half' or 'adjacent', got %r" % (spec.pairing,))
    if not spec.theta > 1:
        raise ValueError("theta must be above 1")
    if spec.axes is not None:
        kind, values = spec.axes
        if kind not in ("sequential", "interleaved", "custom"):
            raise ValueError("unknown axes kind %r" % (kind,))
        if kind != "custom" and sum(values) != spec.rotary_dim // 2:
            raise ValueError("sections %r must sum to rotary_dim / 2 = %d" % (values, spec.rotary_dim // 2))
        if kind == "interleaved" and len(values) != 3:
            raise ValueError("interleaved MRoPE needs 3 sections")
        if kind == "custom" and len(values) != spec.rotary_dim // 2:
            raise ValueError("a custom map needs one axis per pair")
