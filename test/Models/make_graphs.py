#!/usr/bin/env python3
"""Writes the decoder-layer graphs of this directory (README.md here).

    make_graphs.py [OUTDIR]

Each graph is spelled the way torch-mlir's TorchToLinalg (then canonicalize
and cse, as its linalg-on-tensors backend pipeline runs them) writes the HF
transformers module it names: one linalg op per aten op, every elementwise
aten op its own linalg.generic with torch's broadcasting maps (a constant 0
for a size-1 dim that broadcasts), aten.mm / aten.bmm / aten.matmul as
linalg.matmul / linalg.batch_matmul on a linalg.fill'ed tensor.empty (bf16
operands accumulate in f32, then one truncf generic), aten.view as
expand_shape / collapse_shape, aten.transpose / permute as linalg.transpose,
aten.expand as a broadcasting yield-only generic, aten.cat as tensor.concat,
slices as extract_slice / insert_slice, reductions as generics with a
"reduction" iterator, aten._softmax as torch-mlir decomposes it (max.dim
with its index result, sub, exp, sum.dim_IntList, div). Parameters are
function arguments (torch-mlir's fx importer with externalized parameters),
in the order the module registers them, then the forward's inputs.

The graphs are checked in; this script is how they were written, so that a
size or a detail can be changed in one place. It is not run by the tests.
"""

import os
import sys

import numpy as np

# ----------------------------------------------------------------------------
# Printing
# ----------------------------------------------------------------------------


def ttype(shape, elt):
    return "tensor<%s%s>" % ("".join("%dx" % d for d in shape), elt)


def f32_text(v):
    return "%.9e" % float(np.float32(v))


def scalar_text(v, elt):
    """A float scalar as MLIR prints it: the short form when it is exact."""
    npt = np.float32 if elt == "f32" else None
    short = "%.6e" % v
    if npt is None or float(npt(float(short))) == float(npt(v)):
        return short
    return "%.8E" % float(npt(v))


class V:
    """An SSA value: name, static shape, element type."""

    def __init__(self, name, shape, elt):
        self.name, self.shape, self.elt = name, tuple(shape), elt

    @property
    def ty(self):
        return ttype(self.shape, self.elt)

    def __str__(self):
        return self.name


class Body:
    """The payload of one linalg.generic."""

    def __init__(self, g):
        self.g, self.lines = g, []

    def op(self, text, ty=None):
        name = self.g.fresh()
        self.lines.append("    %s = %s" % (name, text))
        return name


class Graph:
    def __init__(self, name):
        self.name = name
        self.n = 0
        self.lines = []
        self.consts = {}
        self.const_lines = []
        self.maps = []
        self.args = []
        self.cst_count = 0

    # -- names ---------------------------------------------------------------
    def fresh(self):
        s = "%%%d" % self.n
        self.n += 1
        return s

    def arg(self, shape, elt):
        v = V("%%arg%d" % len(self.args), shape, elt)
        self.args.append(v)
        return v

    def const(self, text, elt):
        """A scalar constant at the top of the function, printed names as
        MLIR's printer gives them (%cst, %cst_0, %c0, %c2_i64)."""
        key = (text, elt)
        if key in self.consts:
            return self.consts[key]
        if elt == "index":
            name = "%%c%s" % text.replace("-", "_")
            if name in [v for v in self.consts.values()]:
                name += "_%d" % len(self.consts)
        elif elt.startswith("i"):
            name = "%%c%s_%s" % (text.replace("-", "m"), elt) if text not in ("true", "false") else "%%%s" % text
        else:
            name = "%cst" if self.cst_count == 0 else "%%cst_%d" % (self.cst_count - 1)
            self.cst_count += 1
        self.consts[key] = name
        self.const_lines.append("  %s = arith.constant %s : %s" % (name, text, elt))
        return name

    def fconst(self, value, elt):
        if elt == "f32":
            if np.isneginf(value):
                return self.const("0xFF800000", elt)
            return self.const(scalar_text(value, elt), elt)
        if elt == "bf16":
            if np.isneginf(value):
                return self.const("0xFF80", elt)
            return self.const("%.6e" % value, elt)
        raise ValueError(elt)

    def amap(self, rank, exprs):
        text = "affine_map<(%s) -> (%s)>" % (", ".join("d%d" % i for i in range(rank)),
                                              ", ".join(str(e) for e in exprs))
        if text not in self.maps:
            self.maps.append(text)
        i = self.maps.index(text)
        return "#map" if i == 0 else "#map%d" % i

    def emit(self, text):
        self.lines.append("  " + text)

    def comment(self, text):
        self.lines.append("  // " + text)

    # -- plain ops -----------------------------------------------------------
    def empty(self, shape, elt):
        """tensor.empty; cse keeps one per type."""
        key = ("empty", tuple(shape), elt)
        if key in self.consts:
            return self.consts[key]
        v = self._empty(shape, elt)
        self.consts[key] = v
        return v

    def _empty(self, shape, elt):
        name = self.fresh()
        self.emit("%s = tensor.empty() : %s" % (name, ttype(shape, elt)))
        return V(name, shape, elt)

    def fill(self, value_name, init):
        name = self.fresh()
        self.emit("%s = linalg.fill ins(%s : %s) outs(%s : %s) -> %s" % (
            name, value_name, init.elt, init, init.ty, init.ty))
        return V(name, init.shape, init.elt)

    def zeros(self, shape, elt):
        """A zero-filled tensor.empty; cse keeps one per type."""
        key = ("zeros", tuple(shape), elt)
        if key not in self.consts:
            zero = self.fconst(0.0, elt) if elt in ("f32", "bf16") else self.const("0", elt)
            self.consts[key] = self.fill(zero, self.empty(shape, elt))
        return self.consts[key]

    def generic(self, ins, in_maps, outs, out_maps, iters, body_fn):
        """ins/outs: V; maps: expression lists; body_fn(Body, in_names, out_names)
        returns the yielded names."""
        rank = len(iters)
        maps = [self.amap(rank, m) for m in in_maps + out_maps]
        res = self.fresh()
        head = "%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]}" % (
            res if len(outs) == 1 else "%s:%d" % (res, len(outs)), ", ".join(maps),
            ", ".join('"%s"' % it for it in iters))
        if ins:
            head += " ins(%s : %s)" % (", ".join(str(v) for v in ins), ", ".join(v.ty for v in ins))
        head += " outs(%s : %s) {" % (", ".join(str(v) for v in outs), ", ".join(v.ty for v in outs))
        self.emit(head)
        in_names = ["%in" if i == 0 else "%%in_%d" % (i - 1) for i in range(len(ins))]
        out_names = ["%out" if i == 0 else "%%out_%d" % (len(ins) + i - 1) for i in range(len(outs))]
        self.emit("^bb0(%s):" % ", ".join(
            "%s: %s" % (n, v.elt) for n, v in zip(in_names + out_names, ins + outs)))
        body = Body(self)
        ys = body_fn(body, in_names, out_names)
        self.lines.extend(body.lines)
        self.emit("  linalg.yield %s : %s" % (", ".join(ys), ", ".join(v.elt for v in outs)))
        tys = ", ".join(v.ty for v in outs)
        self.emit("} -> %s" % (tys if len(outs) == 1 else "(%s)" % tys))
        if len(outs) == 1:
            return V(res, outs[0].shape, outs[0].elt)
        return [V("%s#%d" % (res, i), o.shape, o.elt) for i, o in enumerate(outs)]

    def expand(self, x, reassoc, shape):
        key = ("expand", x.name, str(reassoc), tuple(shape))  # cse: one per operand and shape
        if key not in self.consts:
            self.consts[key] = self._expand(x, reassoc, shape)
        return self.consts[key]

    def _expand(self, x, reassoc, shape):
        name = self.fresh()
        self.emit("%s = tensor.expand_shape %s %s output_shape %s : %s into %s" % (
            name, x, reassoc, list(shape), x.ty, ttype(shape, x.elt)))
        return V(name, shape, x.elt)

    def collapse(self, x, reassoc):
        key = ("collapse", x.name, str(reassoc))  # cse: one per operand and reassociation
        if key not in self.consts:
            self.consts[key] = self._collapse(x, reassoc)
        return self.consts[key]

    def _collapse(self, x, reassoc):
        shape = [int(np.prod([x.shape[i] for i in grp])) for grp in reassoc]
        name = self.fresh()
        self.emit("%s = tensor.collapse_shape %s %s : %s into %s" % (
            name, x, reassoc, x.ty, ttype(shape, x.elt)))
        return V(name, shape, x.elt)

    def transpose(self, x, perm):
        init = self.empty([x.shape[p] for p in perm], x.elt)
        name = self.fresh()
        self.emit("%s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation = %s" % (
            name, x, x.ty, init, init.ty, list(perm)))
        return V(name, init.shape, x.elt)

    def extract_slice(self, x, offsets, sizes, strides, result_shape):
        name = self.fresh()
        self.emit("%s = tensor.extract_slice %s[%s] [%s] [%s] : %s to %s" % (
            name, x, ", ".join(str(o) for o in offsets), ", ".join(str(s) for s in sizes),
            ", ".join(str(s) for s in strides), x.ty, ttype(result_shape, x.elt)))
        return V(name, result_shape, x.elt)

    def insert_slice(self, src, dst, offsets, sizes, strides):
        name = self.fresh()
        self.emit("%s = tensor.insert_slice %s into %s[%s] [%s] [%s] : %s into %s" % (
            name, src, dst, ", ".join(str(o) for o in offsets), ", ".join(str(s) for s in sizes),
            ", ".join(str(s) for s in strides), src.ty, dst.ty))
        return V(name, dst.shape, dst.elt)

    def concat(self, dim, xs):
        shape = list(xs[0].shape)
        shape[dim] = sum(x.shape[dim] for x in xs)
        name = self.fresh()
        self.emit("%s = tensor.concat dim(%d) %s : (%s) -> %s" % (
            name, dim, ", ".join(str(x) for x in xs), ", ".join(x.ty for x in xs),
            ttype(shape, xs[0].elt)))
        return V(name, shape, xs[0].elt)

    def named(self, op, a, b, acc):
        name = self.fresh()
        self.emit("%s = linalg.%s ins(%s, %s : %s, %s) outs(%s : %s) -> %s" % (
            name, op, a, b, a.ty, b.ty, acc, acc.ty, acc.ty))
        return V(name, acc.shape, acc.elt)

    # -- aten-level helpers ----------------------------------------------------
    def unary(self, x, fn, out_elt=None):
        """One elementwise aten op on x: fn(body, a) -> yielded name."""
        rank = len(x.shape)
        ident = ["d%d" % i for i in range(rank)]
        out = self.empty(x.shape, out_elt or x.elt)
        return self.generic([x], [ident], [out], [ident], ["parallel"] * rank,
                            lambda b, i, o: [fn(b, i[0])])

    def binary(self, a, c, fn, out_elt=None):
        """A broadcasting elementwise aten op (torch's rules, TorchToLinalg's
        maps: a size-1 dim that broadcasts is indexed by the constant 0)."""
        rank = max(len(a.shape), len(c.shape))
        shape = []
        for i in range(rank):
            dims = [v.shape[i - (rank - len(v.shape))] for v in (a, c) if i >= rank - len(v.shape)]
            shape.append(max(dims))

        def amap(v):
            off = rank - len(v.shape)
            return ["0" if (v.shape[j] == 1 and shape[j + off] != 1) else "d%d" % (j + off)
                    for j in range(len(v.shape))]
        out = self.empty(shape, out_elt or a.elt)
        return self.generic([a, c], [amap(a), amap(c)], [out], [["d%d" % i for i in range(rank)]],
                            ["parallel"] * rank, lambda b, i, o: [fn(b, i[0], i[1])])

    def broadcast(self, x, in_exprs, shape):
        """aten.expand: a yield-only generic reading x through in_exprs."""
        rank = len(shape)
        out = self.empty(shape, x.elt)
        return self.generic([x], [in_exprs], [out], [["d%d" % i for i in range(rank)]],
                            ["parallel"] * rank, lambda b, i, o: [i[0]])

    def sum_keepdim(self, x):
        """aten.sum.dim_IntList(x, [-1], keepdim=True)."""
        rank = len(x.shape)
        acc = self.zeros(x.shape[:-1] + (1,), x.elt)
        return self.generic([x], [["d%d" % i for i in range(rank)]], [acc],
                            [["d%d" % i for i in range(rank - 1)] + ["0"]],
                            ["parallel"] * (rank - 1) + ["reduction"],
                            lambda b, i, o: [b.op("arith.addf %s, %s : %s" % (i[0], o[0], x.elt))])

    def max_keepdim(self, x):
        """aten.max.dim(x, -1, keepdim=True): values and i64 indices, then
        the keepdim expand_shape (the indices' one is dead and folded)."""
        rank = len(x.shape)
        idx = self.zeros(x.shape[:-1], "i64")
        ninf = self.fconst(-np.inf, x.elt)
        val = self.fill(ninf, self.empty(x.shape[:-1], x.elt))

        def body(b, i, o):
            ix = b.op("linalg.index %d : index" % (rank - 1))
            ix64 = b.op("arith.index_cast %s : index to i64" % ix)
            mx = b.op("arith.maximumf %s, %s : %s" % (i[0], o[0], x.elt))
            gt = b.op("arith.cmpf ogt, %s, %s : %s" % (i[0], o[0], x.elt))
            sel = b.op("arith.select %s, %s, %s : i64" % (gt, ix64, o[1]))
            return [mx, sel]
        red = ["d%d" % i for i in range(rank - 1)]
        mv, _ = self.generic([x], [["d%d" % i for i in range(rank)]], [val, idx], [red, red],
                             ["parallel"] * (rank - 1) + ["reduction"], body)
        reassoc = [[i] for i in range(rank - 2)] + [[rank - 2, rank - 1]]
        return self.expand(mv, reassoc, x.shape[:-1] + (1,))

    def cast(self, x, elt):
        op = "arith.extf" if elt == "f32" else "arith.truncf"
        return self.unary(x, lambda b, a: b.op("%s %s : %s to %s" % (op, a, x.elt, elt)), elt)


# ----------------------------------------------------------------------------
# HF modules
# ----------------------------------------------------------------------------


def rms_norm(g, x, w, eps, what):
    """Qwen3VLTextRMSNorm / LlamaRMSNorm.forward:
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)
    mean is sum / n (torch-mlir's DecomposeAtenMeanDimOp), pow(2) math.fpowi
    (the int exponent), .to() a cast generic where the dtype changes."""
    g.comment("%s: RMSNorm over the last dim (pow 2, mean = sum / %d, + eps, rsqrt, * weight)"
              % (what, x.shape[-1]))
    dt = x.elt
    if dt != "f32":
        x = g.cast(x, "f32")
    two = g.const("2", "i64")
    sq = g.unary(x, lambda b, a: b.op("math.fpowi %s, %s : f32, i64" % (a, two)))
    s = g.sum_keepdim(sq)
    n = g.fconst(float(x.shape[-1]), "f32")
    mean = g.unary(s, lambda b, a: b.op("arith.divf %s, %s : f32" % (a, n)))
    e = g.fconst(eps, "f32")
    var = g.unary(mean, lambda b, a: b.op("arith.addf %s, %s : f32" % (a, e)))
    rs = g.unary(var, lambda b, a: b.op("math.rsqrt %s : f32" % a))
    h = g.binary(x, rs, lambda b, a, c: b.op("arith.mulf %s, %s : f32" % (a, c)))
    if dt != "f32":
        h = g.cast(h, dt)
    return g.binary(w, h, lambda b, a, c: b.op("arith.mulf %s, %s : %s" % (a, c, dt)))


def acc_to(g, y, dt):
    """The accumulator of a bf16 matmul (f32) back to the model dtype."""
    return y if dt == "f32" else g.cast(y, dt)


def linear_mm(g, x, w, what, view=None):
    """nn.Linear without bias after torch.export's core-ATen decomposition:
    view(x, [B*S, in]) @ permute(weight, [1, 0]) (aten.mm), view back (and a
    following .view(B, S, heads, head_dim) composed into the same expand_shape)."""
    g.comment("%s: aten.mm(x.view(-1, %d), weight.t()).view(%s)"
              % (what, w.shape[1], ", ".join(str(d) for d in (view or x.shape[:2] + (w.shape[0],)))))
    dt = x.elt
    view = view or list(x.shape[:2]) + [w.shape[0]]
    wt = g.transpose(w, [1, 0])
    x2 = g.collapse(x, [[0, 1], [2]])
    acc = g.zeros([x2.shape[0], w.shape[0]], "f32")
    y = acc_to(g, g.named("matmul", x2, wt, acc), dt)
    return g.expand(y, [[0, 1], [2]] if len(view) == 3 else [[0, 1], [2, 3]], view)


def linear_bmm(g, x, w, what, view=None):
    """nn.Linear without bias as torch-mlir decomposes aten.linear itself:
    aten.t(weight), aten.matmul(x [B, S, in], w.t() [in, out]): the 2-D
    operand broadcast to [B, in, out] (broadcastToGivenShape), one
    linalg.batch_matmul."""
    g.comment("%s: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch" % what)
    dt = x.elt
    wt = g.transpose(w, [1, 0])
    wb = g.broadcast(wt, ["d1", "d2"], [x.shape[0]] + list(wt.shape))
    acc = g.zeros([x.shape[0], x.shape[1], w.shape[0]], "f32")
    y = acc_to(g, g.named("batch_matmul", x, wb, acc), dt)
    if view is not None:
        g.comment("%s(hidden_states).view(%s)" % (what, ", ".join(str(d) for d in view)))
        y = g.expand(y, [[0], [1], [2, 3]], view)
    return y


def matmul4(g, a, b):
    """aten.matmul of two 4-D tensors: batch dims collapsed, one
    linalg.batch_matmul, expand_shape back."""
    dt = a.elt
    a3 = g.collapse(a, [[0, 1], [2], [3]])
    b3 = g.collapse(b, [[0, 1], [2], [3]])
    acc = g.zeros([a3.shape[0], a3.shape[1], b3.shape[2]], "f32")
    y = acc_to(g, g.named("batch_matmul", a3, b3, acc), dt)
    return g.expand(y, [[0, 1], [2], [3]], [a.shape[0], a.shape[1], a.shape[2], b.shape[3]])


def rotate_half_apply(g, x, cos4, sin4, what):
    """(x * cos) + (rotate_half(x) * sin), rotate_half(x) = cat((-x2, x1), -1)."""
    g.comment("apply_rotary_pos_emb, %s: (%s * cos) + (rotate_half(%s) * sin)" % (what, what, what))
    dt = x.elt
    d = x.shape[-1]
    xc = g.binary(x, cos4, lambda b, a, c: b.op("arith.mulf %s, %s : %s" % (a, c, dt)))
    x1 = g.extract_slice(x, [0, 0, 0, 0], list(x.shape[:-1]) + [d // 2], [1, 1, 1, 1],
                         x.shape[:-1] + (d // 2,))
    x2 = g.extract_slice(x, [0, 0, 0, d // 2], list(x.shape[:-1]) + [d // 2], [1, 1, 1, 1],
                         x.shape[:-1] + (d // 2,))
    n2 = g.unary(x2, lambda b, a: b.op("arith.negf %s : %s" % (a, dt)))
    rh = g.concat(3, [n2, x1])
    rs = g.binary(rh, sin4, lambda b, a, c: b.op("arith.mulf %s, %s : %s" % (a, c, dt)))
    return g.binary(xc, rs, lambda b, a, c: b.op("arith.addf %s, %s : %s" % (a, c, dt)))


def repeat_kv(g, x, n_rep, what):
    """repeat_kv: x[:, :, None, :, :].expand(b, kv, n_rep, s, d).reshape(b, kv * n_rep, s, d)
    (the unsqueeze folds into the broadcast's collapse; the reshape is a collapse_shape)."""
    g.comment("repeat_kv(%s, %d): expand over a new dim, reshape" % (what, n_rep))
    b_, kv, s, d = x.shape
    e = g.broadcast(x, ["d0", "d1", "d3", "d4"], [b_, kv, n_rep, s, d])
    return g.collapse(e, [[0], [1, 2], [3], [4]])


def softmax_f32(g, x, style):
    """nn.functional.softmax(x, dim=-1, dtype=torch.float32) on f32 data."""
    if style == "linalg":
        g.comment("softmax(attn_weights, dim=-1): linalg.softmax")
        out = g.empty(x.shape, x.elt)
        name = g.fresh()
        g.emit("%s = linalg.softmax dimension(%d) ins(%s : %s) outs(%s : %s) -> %s" % (
            name, len(x.shape) - 1, x, x.ty, out, out.ty, out.ty))
        return V(name, x.shape, x.elt)
    g.comment("softmax(attn_weights, dim=-1): aten._softmax decomposed (max.dim, sub, exp, "
              "sum.dim_IntList, div)")
    mx = g.max_keepdim(x)
    sub = g.binary(x, mx, lambda b, a, c: b.op("arith.subf %s, %s : f32" % (a, c)))
    ex = g.unary(sub, lambda b, a: b.op("math.exp %s : f32" % a))
    s = g.sum_keepdim(ex)
    return g.binary(ex, s, lambda b, a, c: b.op("arith.divf %s, %s : f32" % (a, c)))


def causal_mask_prefill(g, s, dt):
    """masking_utils' eager mask for a prefill from position 0: cache_position =
    kv_arange = arange(S); mask = kv_arange[None, :] <= cache_position[:, None];
    torch.where(mask[None, None], 0.0, torch.finfo(dtype).min)."""
    g.comment("causal mask: arange(S) <= arange(S)[:, None], where(mask, 0, finfo.min)")
    ar = g.generic([], [], [g.empty([s], "i64")], [["d0"]], ["parallel"],
                   lambda b, i, o: [b.op("arith.index_cast %s : index to i64"
                                         % b.op("linalg.index 0 : index"))])
    kv = g.expand(ar, [[0, 1]], [1, s])
    q = g.expand(ar, [[0, 1]], [s, 1])
    le = g.binary(kv, q, lambda b, a, c: b.op("arith.cmpi sle, %s, %s : i64" % (a, c)), "i1")
    m4 = g.expand(le, [[0, 1, 2], [3]], [1, 1, s, s])
    return where_mask(g, m4, dt)


def where_mask(g, m, dt):
    zero = g.fconst(0.0, dt)
    lo = g.fconst(float(np.finfo(np.float32).min), dt) if dt == "f32" else g.const("0xFF7F", dt)
    return g.unary(m, lambda b, a: b.op("arith.select %s, %s, %s : %s" % (a, zero, lo, dt)), dt)


def inv_freq_const(g, inv):
    name = g.fresh()
    g.emit("%s = arith.constant dense<[%s]> : %s" % (
        name, ", ".join(f32_text(v) for v in inv), ttype([len(inv)], "f32")))
    return V(name, [len(inv)], "f32")


def hf_default_inv_freq(theta, dim):
    """_compute_default_rope_parameters, in float32 as torch computes it."""
    ar = np.arange(0, dim, 2, dtype=np.int64).astype(np.float32)
    return (np.float32(1.0) / (np.float32(theta) ** (ar / np.float32(dim)))).astype(np.float32)


def hf_llama3_inv_freq(theta, dim, factor, low, high, l0):
    """_compute_llama3_parameters (float32)."""
    inv = hf_default_inv_freq(theta, dim)
    low_wl, high_wl = np.float32(l0 / low), np.float32(l0 / high)
    wavelen = (np.float32(2 * np.pi) / inv).astype(np.float32)
    llama = np.where(wavelen > low_wl, inv / np.float32(factor), inv).astype(np.float32)
    smooth = ((np.float32(l0) / wavelen - np.float32(low)) / np.float32(high - low)).astype(np.float32)
    smoothed = ((1 - smooth) * llama / np.float32(factor) + smooth * llama).astype(np.float32)
    medium = ~(wavelen < high_wl) & ~(wavelen > low_wl)
    return np.where(medium, smoothed, llama).astype(np.float32)


def qwen3vl_rotary(g, pos, inv, sections, dt):
    """Qwen3VLTextRotaryEmbedding.forward with position_ids [3, B, S]:
    inv_freq[None, None, :, None].float().expand(3, B, -1, 1) @
    position_ids[:, :, None, :].float(), .transpose(2, 3),
    apply_interleaved_mrope, cat((freqs, freqs), -1), cos() / sin()
    (* attention_scaling = 1.0, folded), .to(x.dtype)."""
    three, b_, s = pos.shape
    p = len(inv)
    g.comment("Qwen3VLTextRotaryEmbedding: inv_freq[None, None, :, None].float().expand(3, B, -1, 1)")
    c = inv_freq_const(g, inv)
    c3 = g.expand(c, [[0, 1, 2]], [1, p, 1])
    invb = g.broadcast(c3, ["d1", "d2", "d3"], [3, b_, p, 1])
    g.comment("position_ids[:, :, None, :].float()")
    pe = g.expand(pos, [[0], [1, 2], [3]], [3, b_, 1, s])
    pf = g.unary(pe, lambda bb, a: bb.op("arith.sitofp %s : i64 to f32" % a), "f32")
    g.comment("freqs = (inv_freq_expanded @ position_ids_expanded).transpose(2, 3)")
    fr = matmul4(g, invb, pf)
    frt = g.transpose(fr, [0, 1, 3, 2])
    g.comment("apply_interleaved_mrope: freqs_t = freqs[0]; freqs_t[..., offset:length:3] = "
              "freqs[dim, ..., offset:length:3]")
    ft = g.extract_slice(frt, [0, 0, 0, 0], [1, b_, s, p], [1, 1, 1, 1], (b_, s, p))
    for dim, offset in ((1, 1), (2, 2)):
        length = sections[dim] * 3
        cnt = len(range(offset, length, 3))
        part = g.extract_slice(frt, [dim, 0, 0, offset], [1, b_, s, cnt], [1, 1, 1, 3], (b_, s, cnt))
        ft = g.insert_slice(part, ft, [0, 0, offset], [b_, s, cnt], [1, 1, 3])
    return cos_sin(g, ft, dt)


def llama_rotary(g, pos2, inv, dt):
    """LlamaRotaryEmbedding.forward with position_ids [B, S]:
    inv_freq[None, :, None].float().expand(B, -1, 1) @ position_ids[:, None, :].float(),
    .transpose(1, 2), cat((freqs, freqs), -1), cos() / sin() (* attention_scaling = 1.0,
    folded), .to(x.dtype)."""
    b_, s = pos2.shape
    p = len(inv)
    g.comment("LlamaRotaryEmbedding: inv_freq[None, :, None].float().expand(B, -1, 1)")
    c = inv_freq_const(g, inv)
    c3 = g.expand(c, [[0, 1, 2]], [1, p, 1])
    if b_ != 1:
        c3 = g.broadcast(g.collapse(c3, [[0, 1], [2]]), ["d1", "d2"], [b_, p, 1])
    g.comment("position_ids[:, None, :].float()")
    pe = g.expand(pos2, [[0, 1], [2]], [b_, 1, s])
    pf = g.unary(pe, lambda bb, a: bb.op("arith.sitofp %s : i64 to f32" % a), "f32")
    g.comment("freqs = (inv_freq_expanded @ position_ids_expanded).transpose(1, 2)")
    acc = g.zeros([b_, p, s], "f32")
    fr = g.named("batch_matmul", c3, pf, acc)
    frt = g.transpose(fr, [0, 2, 1])
    return cos_sin(g, frt, dt)


def cos_sin(g, freqs, dt):
    g.comment("emb = torch.cat((freqs, freqs), dim=-1); cos = emb.cos().to(x.dtype); "
              "sin = emb.sin().to(x.dtype)")
    emb = g.concat(2, [freqs, freqs])
    out = []
    for fn in ("cos", "sin"):
        t = g.unary(emb, lambda bb, a, fn=fn: bb.op("math.%s %s : f32" % (fn, a)))
        if dt != "f32":
            t = g.cast(t, dt)
        out.append(t)
    return out


def attention(g, cfg, hs, cos, sin, mask, w, kv_cache=None, softmax="decomposed",
              linear=linear_mm):
    """Qwen3VLTextAttention / LlamaAttention.forward with eager_attention_forward.
    kv_cache = (k_cache, v_cache, offset index value): StaticCache-style update
    by slice_scatter at a run-time position; attention over the whole cache."""
    dt = hs.elt
    b_, s, _ = hs.shape
    h, kvh, d = cfg["heads"], cfg["kv_heads"], cfg["head_dim"]
    qk_norm = cfg["arch"] == "qwen3vl"

    def proj(wv, nh, what):
        return linear(g, hs, wv, what, view=[b_, s, nh, d])
    q = proj(w["q_proj"], h, "q_proj")
    if qk_norm:
        q = rms_norm(g, q, w["q_norm"], cfg["eps"], "q_norm")
    g.comment("query_states.transpose(1, 2)")
    q = g.transpose(q, [0, 2, 1, 3])
    k = proj(w["k_proj"], kvh, "k_proj")
    if qk_norm:
        k = rms_norm(g, k, w["k_norm"], cfg["eps"], "k_norm")
    g.comment("key_states.transpose(1, 2)")
    k = g.transpose(k, [0, 2, 1, 3])
    v = proj(w["v_proj"], kvh, "v_proj")
    g.comment("value_states.transpose(1, 2)")
    v = g.transpose(v, [0, 2, 1, 3])
    g.comment("cos.unsqueeze(1), sin.unsqueeze(1)")
    cos4 = g.expand(cos, [[0, 1], [2], [3]], [b_, 1, s, d])
    sin4 = g.expand(sin, [[0, 1], [2], [3]], [b_, 1, s, d])
    q = rotate_half_apply(g, q, cos4, sin4, "q")
    k = rotate_half_apply(g, k, cos4, sin4, "k")
    new_caches = None
    if kv_cache is not None:
        kc, vc, off = kv_cache
        g.comment("StaticCache.update: k_cache.slice_scatter(key_states, dim=2, start=pos, "
                  "end=pos + 1), likewise v")
        k = g.insert_slice(k, kc, [0, 0, off, 0], [b_, kvh, s, d], [1, 1, 1, 1])
        v = g.insert_slice(v, vc, [0, 0, off, 0], [b_, kvh, s, d], [1, 1, 1, 1])
        new_caches = (k, v)
    n_rep = h // kvh
    ks = repeat_kv(g, k, n_rep, "key_states")
    vs = repeat_kv(g, v, n_rep, "value_states")
    kv_len = ks.shape[2]
    g.comment("attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling")
    kt = g.transpose(ks, [0, 1, 3, 2])
    sc = matmul4(g, q, kt)
    scale = g.fconst(d ** -0.5, dt)
    sc = g.unary(sc, lambda b, a: b.op("arith.mulf %s, %s : %s" % (a, scale, dt)))
    g.comment("attn_weights = attn_weights + causal_mask")
    sc = g.binary(sc, mask, lambda b, a, c: b.op("arith.addf %s, %s : %s" % (a, c, dt)))
    if dt != "f32":
        g.comment("softmax(..., dtype=torch.float32): the scores upcast first")
        sc = g.cast(sc, "f32")
    pr = softmax_f32(g, sc, softmax)
    if dt != "f32":
        g.comment(".to(query.dtype)")
        pr = g.cast(pr, dt)
    g.comment("attn_output = torch.matmul(attn_weights, value_states).transpose(1, 2)")
    ao = matmul4(g, pr, vs)
    ao = g.transpose(ao, [0, 2, 1, 3])
    g.comment("attn_output.reshape(*input_shape, -1)")
    ao = g.collapse(ao, [[0], [1], [2, 3]])
    del kv_len
    return linear(g, ao, w["o_proj"], "o_proj"), new_caches


def mlp(g, x, w, linear):
    """down_proj(act_fn(gate_proj(x)) * up_proj(x)), act_fn = SiLU
    (torch-mlir: silu = sigmoid(x) * x, sigmoid = 1 / (1 + exp(-x)))."""
    dt = x.elt
    gate = linear(g, x, w["gate_proj"], "mlp.gate_proj")
    g.comment("act_fn = SiLU: sigmoid(x) * x")
    one = g.fconst(1.0, dt)

    def sigmoid(b, a):
        n = b.op("arith.negf %s : %s" % (a, dt))
        e = b.op("math.exp %s : %s" % (n, dt))
        s = b.op("arith.addf %s, %s : %s" % (e, one, dt))
        return b.op("arith.divf %s, %s : %s" % (one, s, dt))
    sg = g.unary(gate, sigmoid)
    act = g.binary(sg, gate, lambda b, a, c: b.op("arith.mulf %s, %s : %s" % (a, c, dt)))
    up = linear(g, x, w["up_proj"], "mlp.up_proj")
    g.comment("act_fn(gate_proj(x)) * up_proj(x)")
    hm = g.binary(act, up, lambda b, a, c: b.op("arith.mulf %s, %s : %s" % (a, c, dt)))
    return linear(g, hm, w["down_proj"], "mlp.down_proj")


def residual(g, a, c):
    g.comment("hidden_states = residual + hidden_states")
    return g.binary(a, c, lambda b, x, y: b.op("arith.addf %s, %s : %s" % (x, y, a.elt)))


# ----------------------------------------------------------------------------
# The graphs
# ----------------------------------------------------------------------------


def weights(g, cfg, dt):
    """Parameters in registration order: self_attn (q, k, v, o[, q_norm, k_norm]),
    mlp (gate, up, down), input_layernorm, post_attention_layernorm."""
    hid, h, kvh, d, inter = cfg["hidden"], cfg["heads"], cfg["kv_heads"], cfg["head_dim"], cfg["intermediate"]
    w = {}
    order = [("q_proj", [h * d, hid]), ("k_proj", [kvh * d, hid]), ("v_proj", [kvh * d, hid]),
             ("o_proj", [hid, h * d])]
    if cfg["arch"] == "qwen3vl":
        order += [("q_norm", [d]), ("k_norm", [d])]
    order += [("gate_proj", [inter, hid]), ("up_proj", [inter, hid]), ("down_proj", [hid, inter]),
              ("input_layernorm", [hid]), ("post_attention_layernorm", [hid])]
    for name, shape in order:
        w[name] = g.arg(shape, dt)
    return w, [n for n, _ in order]


def decoder_layer(g, cfg, hs, cos, sin, mask, w, linear, softmax="decomposed", kv_cache=None):
    """Qwen3VLTextDecoderLayer / LlamaDecoderLayer.forward."""
    g.comment("Decoder layer: residual = hidden_states; input_layernorm")
    x = rms_norm(g, hs, w["input_layernorm"], cfg["eps"], "input_layernorm")
    a, caches = attention(g, cfg, x, cos, sin, mask, w, kv_cache, softmax, linear)
    hs = residual(g, hs, a)
    x = rms_norm(g, hs, w["post_attention_layernorm"], cfg["eps"], "post_attention_layernorm")
    m = mlp(g, x, w, linear)
    return residual(g, hs, m), caches


def qwen3vl_layer(cfg, dt, softmax="decomposed"):
    g = Graph(cfg["func"])
    w, names = weights(g, cfg, dt)
    b_, s = cfg["batch"], cfg["seq"]
    hs = g.arg([b_, s, cfg["hidden"]], dt)
    pos = g.arg([3, b_, s], "i64")
    inv = hf_default_inv_freq(cfg["theta"], cfg["head_dim"])
    cos, sin = qwen3vl_rotary(g, pos, inv, cfg["mrope"], dt)
    mask = causal_mask_prefill(g, s, dt)
    out, _ = decoder_layer(g, cfg, hs, cos, sin, mask, w, linear_mm, softmax)
    return g, names + ["hidden", "pos"], [out]


def llama_layer(cfg, dt):
    g = Graph(cfg["func"])
    w, names = weights(g, cfg, dt)
    b_, s = cfg["batch"], cfg["seq"]
    hs = g.arg([b_, s, cfg["hidden"]], dt)
    pos = g.arg([b_, s], "i64")
    inv = hf_llama3_inv_freq(cfg["theta"], cfg["head_dim"], *cfg["llama3"])
    cos, sin = llama_rotary(g, pos, inv, dt)
    mask = causal_mask_prefill(g, s, dt)
    out, _ = decoder_layer(g, cfg, hs, cos, sin, mask, w, linear_bmm)
    return g, names + ["hidden", "pos"], [out]


def llama_decode(cfg, dt):
    """One decode token: cache_position [1] (i64) is the run-time position;
    position_ids = cache_position.unsqueeze(0) (LlamaModel.forward); the
    new k and v go into the static caches at it; the mask keeps cache
    entries at positions <= it."""
    g = Graph(cfg["func"])
    w, names = weights(g, cfg, dt)
    b_, m, kvh, d = cfg["batch"], cfg["cache"], cfg["kv_heads"], cfg["head_dim"]
    hs = g.arg([b_, 1, cfg["hidden"]], dt)
    kc = g.arg([b_, kvh, m, d], dt)
    vc = g.arg([b_, kvh, m, d], dt)
    cp = g.arg([1], "i64")
    g.comment("position_ids = cache_position.unsqueeze(0)")
    pos = g.expand(cp, [[0, 1]], [1, 1])
    inv = hf_llama3_inv_freq(cfg["theta"], cfg["head_dim"], *cfg["llama3"])
    cos, sin = llama_rotary(g, pos, inv, dt)
    g.comment("causal mask over the static cache: arange(%d) <= cache_position[:, None], "
              "where(mask, 0, finfo.min)" % m)
    ar = g.generic([], [], [g.empty([m], "i64")], [["d0"]], ["parallel"],
                   lambda b, i, o: [b.op("arith.index_cast %s : index to i64"
                                         % b.op("linalg.index 0 : index"))])
    kv = g.expand(ar, [[0, 1]], [1, m])
    le = g.binary(kv, pos, lambda b, a, c: b.op("arith.cmpi sle, %s, %s : i64" % (a, c)), "i1")
    m4 = g.expand(le, [[0, 1, 2], [3]], [1, 1, 1, m])
    mask = where_mask(g, m4, dt)
    g.comment("the slice_scatter start: int(cache_position[0]), made a valid index as "
              "TorchToLinalg does (negative + size, clamped to [0, size])")
    c0 = g.const("0", "index")
    p64 = g.fresh()
    g.emit("%s = tensor.extract %s[%s] : %s" % (p64, cp, c0, cp.ty))
    pi = g.fresh()
    g.emit("%s = arith.index_cast %s : i64 to index" % (pi, p64))
    cm = g.const(str(m), "index")
    neg = g.fresh()
    g.emit("%s = arith.cmpi slt, %s, %s : index" % (neg, pi, c0))
    add = g.fresh()
    g.emit("%s = arith.addi %s, %s : index" % (add, pi, cm))
    sel = g.fresh()
    g.emit("%s = arith.select %s, %s, %s : index" % (sel, neg, add, pi))
    big = g.fresh()
    g.emit("%s = arith.cmpi sgt, %s, %s : index" % (big, sel, cm))
    hi = g.fresh()
    g.emit("%s = arith.select %s, %s, %s : index" % (hi, big, cm, sel))
    small = g.fresh()
    g.emit("%s = arith.cmpi slt, %s, %s : index" % (small, hi, c0))
    off = g.fresh()
    g.emit("%s = arith.select %s, %s, %s : index" % (off, small, c0, hi))
    out, caches = decoder_layer(g, cfg, hs, cos, sin, mask, w, linear_bmm,
                                kv_cache=(kc, vc, off))
    return g, names + ["hidden", "k_cache", "v_cache", "cache_pos"], [out, caches[0], caches[1]]


def render(g, results, header):
    sig = ", ".join("%s: %s" % (a, a.ty) for a in g.args)
    res = ", ".join(r.ty for r in results)
    if len(results) > 1:
        res = "(%s)" % res
    out = [header.rstrip("\n")]
    out += ["#map%s = %s" % ("" if i == 0 else str(i), m) for i, m in enumerate(g.maps)]
    out.append("func.func @%s(%s) -> %s {" % (g.name, sig, res))
    out += g.const_lines
    out += g.lines
    out.append("  return %s : %s" % (", ".join(str(r) for r in results), ", ".join(r.ty for r in results)))
    out.append("}")
    return "\n".join(out) + "\n"


SMALL = dict(batch=1, seq=8, hidden=64, heads=4, kv_heads=2, head_dim=16, intermediate=128, eps=1e-6)
# Llama: head_dim 64, the smallest with more than one pair in llama3's smoothed band
# (wavelengths between 8192 / 4 and 8192 at theta 5e5: pairs 15, 16, 17 of 32); at head_dim 16
# or 32 one pair lies there, which does not fix the band's ends, and rope-raise writes the exact
# frequencies as #rope.freq_factors instead of #rope.llama3.
LLAMA_SMALL = dict(batch=1, seq=8, hidden=256, heads=4, kv_heads=2, head_dim=64, intermediate=512,
                   eps=1e-5, arch="llama", theta=500000, llama3=(8.0, 1.0, 4.0, 8192))

QWEN_HF = ("HF transformers models/qwen3_vl/modeling_qwen3_vl.py: Qwen3VLTextRotaryEmbedding (with\n"
           "// apply_interleaved_mrope), Qwen3VLTextDecoderLayer, Qwen3VLTextAttention (q_norm/k_norm on the\n"
           "// head dim before the transpose, apply_rotary_pos_emb, eager_attention_forward with repeat_kv),\n"
           "// Qwen3VLTextRMSNorm, Qwen3VLTextMLP (SiLU); the eager causal mask of masking_utils.\n")
LLAMA_HF = ("HF transformers models/llama/modeling_llama.py: LlamaRotaryEmbedding (inv_freq from\n"
            "// _compute_llama3_parameters, a constant), LlamaDecoderLayer, LlamaAttention\n"
            "// (apply_rotary_pos_emb, eager_attention_forward with repeat_kv), LlamaRMSNorm, LlamaMLP\n"
            "// (SiLU); the eager causal mask of masking_utils.\n")


def header(model, func, args, results, config, expect, notes, known=None):
    return ("// RUN: %%python %%rope_src/test/e2e/model_check.py %%s | FileCheck %%s\n"
            "// CHECK: PASS\n"
            "//\n"
            "// MODEL: %s\n"
            "// FUNC: @%s\n"
            "// ARGS: %s\n"
            "// RESULTS: %s\n"
            "// CONFIG: %s\n"
            "// EXPECT: %s\n"
            "%s"
            "//\n"
            "// %s") % (model, func, " ".join(args), " ".join(results), config, expect,
                        "// KNOWN: %s\n" % known if known else "", notes)


STYLE_MM = ("// Spelled as torch-mlir's TorchToLinalg writes it after torch.export's core-ATen\n"
            "// decomposition (nn.Linear as view + aten.mm on permute(weight), linalg.matmul),\n"
            "// then canonicalize + cse: make_graphs.py in this directory says op by op.\n")
STYLE_BMM = ("// Spelled as torch-mlir's TorchToLinalg writes it when torch-mlir decomposes aten.linear\n"
             "// itself (aten.t(weight) as linalg.transpose, aten.matmul of [B, S, in] by [in, out] as the\n"
             "// weight broadcast over the batch + linalg.batch_matmul), then canonicalize + cse:\n"
             "// make_graphs.py in this directory says op by op.\n")


def write_all(outdir):
    files = {}

    def cfg_text(cfg, extra):
        keys = ["hidden", "heads", "kv_heads", "head_dim", "intermediate", "eps", "theta"]
        return "arch=%s %s %s" % (cfg["arch"], " ".join("%s=%s" % (k, cfg[k]) for k in keys), extra)

    for dt, tag in (("f32", "f32"), ("bf16", "bf16")):
        cfg = dict(SMALL, arch="qwen3vl", theta=5000000, mrope=[4, 2, 2],
                   func="qwen3vl_text_decoder_layer")
        g, args, res = qwen3vl_layer(cfg, dt)
        hdr = header("Qwen3-VL text decoder layer (interleaved MRoPE), %s, prefill B=1 S=8" % dt,
                     cfg["func"], args, ["out"],
                     cfg_text(cfg, "mrope=interleaved:4,2,2 pos_max=%d" % (64 if dt == "f32" else 2048)),
                     "rotate", QWEN_HF + STYLE_MM)
        files["qwen3vl_text_decoder_layer_%s.mlir" % tag] = render(g, res, hdr)

    cfg = dict(SMALL, arch="qwen3vl", theta=5000000, mrope=[4, 2, 2],
               func="qwen3vl_decoder_layer_linalg_softmax")
    g, args, res = qwen3vl_layer(cfg, "f32", softmax="linalg")
    hdr = header("Qwen3-VL text decoder layer, f32, prefill B=1 S=8, the softmax as linalg.softmax",
                 cfg["func"], args, ["out"],
                 cfg_text(cfg, "mrope=interleaved:4,2,2 pos_max=64"), "rotate",
                 QWEN_HF + STYLE_MM.rstrip("\n") + "\n// The attention softmax is one linalg.softmax"
                 " (as IREE's global optimization raises the\n// decomposed form, and as tt-mlir's"
                 " TTIR-to-linalg conversion emits it) instead of aten._softmax's\n// decomposition.\n")
    files["qwen3vl_decoder_layer_linalg_softmax_f32.mlir"] = render(g, res, hdr)

    cfg = dict(batch=1, seq=256, hidden=512, heads=8, kv_heads=2, head_dim=64, intermediate=1024,
               eps=1e-6, arch="qwen3vl", theta=5000000, mrope=[12, 10, 10],
               func="qwen3vl_text_decoder_layer_large")
    g, args, res = qwen3vl_layer(cfg, "f32")
    hdr = header("Qwen3-VL text decoder layer, f32, prefill B=1 S=256, hidden 512, 8/2 heads of 64",
                 cfg["func"], args, ["out"],
                 cfg_text(cfg, "mrope=interleaved:12,10,10 pos_max=64"), "rotate",
                 QWEN_HF + STYLE_MM.rstrip("\n") + "\n// Larger static sizes than the other graphs,"
                 " same ops: compile time and memory must follow\n// the graph, not its sizes"
                 " (model_check.py prints the time of each step).\n")
    files["qwen3vl_text_decoder_layer_large_f32.mlir"] = render(g, res, hdr)

    cfg = dict(LLAMA_SMALL, func="llama31_decoder_layer")
    g, args, res = llama_layer(cfg, "f32")
    hdr = header("Llama-3.1 decoder layer (llama3 rope scaling), f32, prefill B=1 S=8",
                 cfg["func"], args, ["out"],
                 cfg_text(cfg, "scaling=llama3:8,1,4,8192 pos_max=16384 otol=2e-4"), "rotate",
                 LLAMA_HF + STYLE_BMM)
    files["llama31_decoder_layer_f32.mlir"] = render(g, res, hdr)

    cfg = dict(LLAMA_SMALL, cache=32, func="llama31_decode_step")
    g, args, res = llama_decode(cfg, "f32")
    hdr = header("Llama-3.1 decoder layer (llama3 rope scaling), f32, one decode token into a static KV cache of 32",
                 cfg["func"], args, ["out", "k_cache", "v_cache"],
                 cfg_text(cfg, "scaling=llama3:8,1,4,8192 cache=32"), "rotate",
                 LLAMA_HF + STYLE_BMM.rstrip("\n") + "\n// Decode: hidden_states [1, 1, 256] at the"
                 " run-time cache_position [1] (also the RoPE position,\n// position_ids ="
                 " cache_position.unsqueeze(0)); k and v (k after RoPE) are written into the\n//"
                 " [1, 2, 32, 64] caches by tensor.insert_slice at that position (the slice_scatter"
                 " form of\n// StaticCache.update); attention reads the whole cache, entries past the"
                 " position masked\n// with finfo.min. Returns the output and both updated caches.\n")
    files["llama31_decode_step_kv_cache_f32.mlir"] = render(g, res, hdr)

    for name, text in files.items():
        with open(os.path.join(outdir, name), "w") as f:
            f.write(text)
        print("wrote %s (%d lines)" % (name, text.count("\n")))


if __name__ == "__main__":
    write_all(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
