#!/usr/bin/env python3
"""Writes the benchmark's fused-neighbours kernels (issue #18, item 4): one
module with Qwen3-VL's QK-norm + RoPE + KV-cache write per dtype, compiled
twice by the benchmark's CMakeLists (rope-opt's CPU pipeline with fuse=true
and with fuse=false), so that the two shared objects differ only in fusion.
Usage: gen_fused_kernels.py OUT

The body is spelled as torch-mlir's TorchToLinalg writes the HF modules
(test/Models/make_graphs.py): one linalg op per aten op, each elementwise op
its own linalg.generic with torch's broadcasting maps, tensor.dim and
tensor.empty for the dynamic token count, the cache update of a static cache
(slice_scatter at the cache position) as tensor.insert_slice.

    @qk_norm_rope_cache_<dtype>(q_proj [T, 32*128], k_proj [T, 8*128],
        v_proj [T, 8*128], q_norm_weight [128], k_norm_weight [128],
        positions [3, T] i64, start : index,
        q_out [T, 32, 128], k_cache [C, 8, 128], v_cache [C, 8, 128])

computes, with q, k, v the projections viewed as [T, heads, 128] (vLLM's thd):
q_out = rope(q_norm(q)), k_cache[start:start+T] = rope(k_norm(k)),
v_cache[start:start+T] = v, the other cache rows untouched."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from rope_mlir.spec import RopeSpec  # noqa: E402

QWEN3VL = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
Q_HEADS, KV_HEADS, HEAD_DIM = 32, 8, 128
EPS = 1e-6  # Qwen3-VL's rms_norm_eps
DTYPES = ("f32", "bf16")

ID3 = "affine_map<(d0, d1, d2) -> (d0, d1, d2)>"
# A [T, H, 1] tensor: torch-mlir indexes static size-1 dims by the constant 0
# (the keepdim sum's result, the operands of the elementwise ops after it).
KEEPDIM3 = "affine_map<(d0, d1, d2) -> (d0, d1, 0)>"
LAST3 = "affine_map<(d0, d1, d2) -> (d2)>"  # the norm weight, per lane of a head


def tensor(shape, elt):
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), elt)


class Function:
    """The body of one kernel: SSA names, one line per op."""

    def __init__(self):
        self.lines = []
        self.n = 0

    def fresh(self):
        self.n += 1
        return "%%%d" % (self.n - 1)

    def emit(self, text):
        self.lines.append("  " + text)

    def empty(self, shape, elt, tokens):
        """tensor.empty of [T, ...]: T (the only dynamic dim) from tensor.dim."""
        name = self.fresh()
        self.emit("%s = tensor.empty(%s) : %s" % (name, tokens, tensor(shape, elt)))
        return name

    def generic(self, ins, outs, maps, iters, op, out_ty):
        """ins/outs: (name, type, element type); op: the payload, one op whose
        {0}, {1}, ... are the block arguments (%in, %in_0, ..., %out)."""
        name = self.fresh()
        ins_text = " ins(%s : %s)" % (", ".join(v[0] for v in ins), ", ".join(v[1] for v in ins))
        self.emit("%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]}%s outs(%s : %s) {" % (
            name, ", ".join(maps), ", ".join('"%s"' % i for i in iters), ins_text,
            ", ".join(v[0] for v in outs), ", ".join(v[1] for v in outs)))
        args = ["%in" if i == 0 else "%%in_%d" % (i - 1) for i in range(len(ins))] + ["%out"]
        self.emit("^bb0(%s):" % ", ".join("%s: %s" % (a, v[2]) for a, v in zip(args, ins + outs)))
        value = self.fresh()
        self.emit("  %s = %s" % (value, op.format(*args)))
        self.emit("  linalg.yield %s : %s" % (value, outs[0][2]))
        self.emit("} -> %s" % out_ty)
        return name


def rms_norm(f, x, w, heads, dt, tokens, consts):
    """Qwen3VLTextRMSNorm.forward on [T, heads, 128], as HF computes it:
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)
    pow(2) is math.fpowi (the int exponent), mean a sum over a linalg.fill'ed
    [T, heads, 1] and a division (torch-mlir's DecomposeAtenMeanDimOp), .to()
    a cast generic where the dtype changes; the weight has the model's dtype."""
    full_s, keep_s = ["?", heads, HEAD_DIM], ["?", heads, 1]
    f32_full, f32_keep = tensor(full_s, "f32"), tensor(keep_s, "f32")

    def unary(v, shape_s, elt_in, elt_out, op):
        """TorchToLinalg's elementwise generic: a static size-1 dim of the
        operand read at the constant 0, the result's map the identity."""
        out = f.empty(shape_s, elt_out, tokens)
        ty_in, ty_out = tensor(shape_s, elt_in), tensor(shape_s, elt_out)
        return f.generic([(v, ty_in, elt_in)], [(out, ty_out, elt_out)],
                         [KEEPDIM3 if shape_s[-1] == 1 else ID3, ID3], ["parallel"] * 3, op, ty_out)

    if dt != "f32":
        x = unary(x, full_s, dt, "f32", "arith.extf {0} : %s to f32" % dt)
    sq = unary(x, full_s, "f32", "f32", "math.fpowi {0}, %s : f32, i64" % consts["two"])
    zeros = f.empty(keep_s, "f32", tokens)
    acc = f.fresh()
    f.emit("%s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s" % (acc, consts["zero"], zeros, f32_keep, f32_keep))
    total = f.generic([(sq, f32_full, "f32")], [(acc, f32_keep, "f32")], [ID3, KEEPDIM3],
                      ["parallel", "parallel", "reduction"], "arith.addf {0}, {1} : f32", f32_keep)
    mean = unary(total, keep_s, "f32", "f32", "arith.divf {0}, %s : f32" % consts["n"])
    var = unary(mean, keep_s, "f32", "f32", "arith.addf {0}, %s : f32" % consts["eps"])
    rs = unary(var, keep_s, "f32", "f32", "math.rsqrt {0} : f32")
    out = f.empty(full_s, "f32", tokens)
    h = f.generic([(x, f32_full, "f32"), (rs, f32_keep, "f32")], [(out, f32_full, "f32")], [ID3, KEEPDIM3, ID3],
                  ["parallel"] * 3, "arith.mulf {0}, {1} : f32", f32_full)
    if dt != "f32":
        h = unary(h, full_s, "f32", dt, "arith.truncf {0} : f32 to %s" % dt)
    out = f.empty(full_s, dt, tokens)
    ty = tensor(full_s, dt)
    return f.generic([(w, tensor([HEAD_DIM], dt), dt), (h, ty, dt)], [(out, ty, dt)], [LAST3, ID3, ID3],
                     ["parallel"] * 3, "arith.mulf {0}, {1} : %s" % dt, ty)


def kernel(dt):
    """The function for one dtype; see the module's docstring."""
    qd, kd = Q_HEADS * HEAD_DIM, KV_HEADS * HEAD_DIM
    q_s, kv_s = ["?", Q_HEADS, HEAD_DIM], ["?", KV_HEADS, HEAD_DIM]
    m = {
        "q_proj": "memref<?x%dx%s>" % (qd, dt), "k_proj": "memref<?x%dx%s>" % (kd, dt),
        "v_proj": "memref<?x%dx%s>" % (kd, dt),
        "q_norm_weight": "memref<%dx%s>" % (HEAD_DIM, dt), "k_norm_weight": "memref<%dx%s>" % (HEAD_DIM, dt),
        "positions": "memref<3x?xi64>",
        "q_out": "memref<?x%dx%dx%s>" % (Q_HEADS, HEAD_DIM, dt),
        "k_cache": "memref<?x%dx%dx%s>" % (KV_HEADS, HEAD_DIM, dt),
        "v_cache": "memref<?x%dx%dx%s>" % (KV_HEADS, HEAD_DIM, dt),
    }
    args = ["%%%s: %s" % (n, t) for n, t in list(m.items())[:6]] + ["%start: index"] + \
           ["%%%s: %s" % (n, t) for n, t in list(m.items())[6:]]
    f = Function()
    consts = {"zero": "%cst", "n": "%cst_0", "eps": "%cst_1", "two": "%c2_i64"}
    f.emit("%c0 = arith.constant 0 : index")
    f.emit("%c2_i64 = arith.constant 2 : i64")
    f.emit("%cst = arith.constant 0.000000e+00 : f32")
    f.emit("%%cst_0 = arith.constant %.6e : f32" % HEAD_DIM)
    f.emit("%%cst_1 = arith.constant %.6e : f32" % EPS)
    t = {}
    for n, mt in m.items():
        writable = " writable" if n in ("q_out", "k_cache", "v_cache") else ""
        t[n] = "%%%s_t" % n
        f.emit("%s = bufferization.to_tensor %%%s restrict%s : %s to %s" % (
            t[n], n, writable, mt, mt.replace("memref", "tensor")))
    f.emit("%%tokens = tensor.dim %s, %%c0 : %s" % (t["q_proj"], m["q_proj"].replace("memref", "tensor")))

    def view(x, heads, proj_ty):
        """aten.view(x, [T, heads, 128])."""
        name = f.fresh()
        f.emit("%s = tensor.expand_shape %s [[0], [1, 2]] output_shape [%%tokens, %d, %d] : %s into %s" % (
            name, x, heads, HEAD_DIM, proj_ty.replace("memref", "tensor"),
            tensor(["?", heads, HEAD_DIM], dt)))
        return name

    q = view(t["q_proj"], Q_HEADS, m["q_proj"])
    q = rms_norm(f, q, t["q_norm_weight"], Q_HEADS, dt, "%tokens", consts)
    k = view(t["k_proj"], KV_HEADS, m["k_proj"])
    k = rms_norm(f, k, t["k_norm_weight"], KV_HEADS, dt, "%tokens", consts)
    v = view(t["v_proj"], KV_HEADS, m["v_proj"])
    qo = f.empty(q_s, dt, "%tokens")
    ko = f.empty(kv_s, dt, "%tokens")
    qt, kt = tensor(q_s, dt), tensor(kv_s, dt)
    pt = m["positions"].replace("memref", "tensor")
    f.emit("%%r:2 = rope.rotate ins(%s, %s : %s, %s) positions(%s : %s) outs(%s, %s : %s, %s) %s -> %s, %s" % (
        q, k, qt, kt, t["positions"], pt, qo, ko, qt, kt, QWEN3VL.attributes("thd"), qt, kt))
    cache_ty = m["k_cache"].replace("memref", "tensor")
    f.emit("%%k_new = tensor.insert_slice %%r#1 into %s[%%start, 0, 0] [%%tokens, %d, %d] [1, 1, 1] : %s into %s"
           % (t["k_cache"], KV_HEADS, HEAD_DIM, kt, cache_ty))
    f.emit("%%v_new = tensor.insert_slice %s into %s[%%start, 0, 0] [%%tokens, %d, %d] [1, 1, 1] : %s into %s"
           % (v, t["v_cache"], KV_HEADS, HEAD_DIM, kt, cache_ty))
    for value, dest, ty in (("%r#0", "q_out", qt), ("%k_new", "k_cache", cache_ty), ("%v_new", "v_cache", cache_ty)):
        f.emit("bufferization.materialize_in_destination %s in restrict writable %%%s : (%s, %s) -> ()"
               % (value, dest, ty, m[dest]))
    return ("func.func @qk_norm_rope_cache_%s(%s) attributes {llvm.emit_c_interface} {\n%s\n  return\n}\n"
            % (dt, ", ".join(args), "\n".join(f.lines)))


def main():
    with open(sys.argv[1], "w") as out:
        out.write("module {\n" + "\n".join(kernel(dt) for dt in DTYPES) + "}\n")


if __name__ == "__main__":
    main()
