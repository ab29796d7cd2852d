#!/usr/bin/env python3
"""Writes a synthetic decoder graph in linalg-on-tensors, as torch-mlir emits
one: per layer an RMS-norm-like chain, q/k/v projections (matmul), HF's
rotate_half rotary embedding of q and k with shared cos/sin tables, attention
scores, softmax-like elementwise ops, an output projection and an MLP.
Usage: gen_decoder_graph.py OUT.mlir [--layers 36] [--tokens 8]
"""

import argparse

ID4 = "affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>"
BC4 = "affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>"
ID2 = "affine_map<(d0, d1) -> (d0, d1)>"
P4 = '["parallel", "parallel", "parallel", "parallel"]'
P2 = '["parallel", "parallel"]'


class Writer:
    def __init__(self):
        self.lines = []
        self.n = 0

    def fresh(self, stem="v"):
        self.n += 1
        return "%%%s%d" % (stem, self.n)

    def emit(self, line):
        self.lines.append("    " + line)

    def unary2(self, x, t, op):
        e, r = self.fresh("e"), self.fresh()
        self.emit("%s = tensor.empty() : %s" % (e, t))
        self.emit("%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = %s} ins(%s : %s) outs(%s : %s) {" % (r, ID2, ID2, P2, x, t, e, t))
        self.emit("^bb0(%a: f32, %o: f32):")
        self.emit("  %%m = %s : f32" % op)
        self.emit("  linalg.yield %m : f32")
        self.emit("} -> %s" % t)
        return r

    def binary(self, x, y, tx, ty, t, op, maps, iters):
        e, r = self.fresh("e"), self.fresh()
        self.emit("%s = tensor.empty() : %s" % (e, t))
        self.emit("%s = linalg.generic {indexing_maps = [%s], iterator_types = %s} ins(%s, %s : %s, %s) outs(%s : %s) {" % (r, maps, iters, x, y, tx, ty, e, t))
        self.emit("^bb0(%a: f32, %b: f32, %o: f32):")
        self.emit("  %%m = arith.%s %%a, %%b : f32" % op)
        self.emit("  linalg.yield %m : f32")
        self.emit("} -> %s" % t)
        return r

    def matmul(self, x, w, m, k, n):
        e, z, r = self.fresh("e"), self.fresh("z"), self.fresh()
        self.emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, m, n))
        self.emit("%s = linalg.fill ins(%%zero : f32) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>" % (z, e, m, n, m, n))
        self.emit("%s = linalg.matmul ins(%s, %s : tensor<%dx%dxf32>, tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) -> tensor<%dx%dxf32>" % (r, x, w, m, k, k, n, z, m, n, m, n))
        return r

    def rope(self, x, heads, s, d, c4, s4):
        t = "tensor<1x%dx%dx%dxf32>" % (heads, s, d)
        th = "tensor<1x%dx%dx%dxf32>" % (heads, s, d // 2)
        x1, x2 = self.fresh("x"), self.fresh("x")
        self.emit("%s = tensor.extract_slice %s[0, 0, 0, 0] [1, %d, %d, %d] [1, 1, 1, 1] : %s to %s" % (x1, x, heads, s, d // 2, t, th))
        self.emit("%s = tensor.extract_slice %s[0, 0, 0, %d] [1, %d, %d, %d] [1, 1, 1, 1] : %s to %s" % (x2, x, d // 2, heads, s, d // 2, t, th))
        e, n = self.fresh("e"), self.fresh()
        self.emit("%s = tensor.empty() : %s" % (e, th))
        self.emit("%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = %s} ins(%s : %s) outs(%s : %s) {" % (n, ID4, ID4, P4, x2, th, e, th))
        self.emit("^bb0(%a: f32, %o: f32):")
        self.emit("  %m = arith.negf %a : f32")
        self.emit("  linalg.yield %m : f32")
        self.emit("} -> %s" % th)
        rot = self.fresh()
        self.emit("%s = tensor.concat dim(3) %s, %s : (%s, %s) -> %s" % (rot, n, x1, th, th, t))
        c4t = "tensor<1x1x%dx%dxf32>" % (s, d)
        a = self.binary(x, c4, t, c4t, t, "mulf", "%s, %s, %s" % (ID4, BC4, ID4), P4)
        b = self.binary(rot, s4, t, c4t, t, "mulf", "%s, %s, %s" % (ID4, BC4, ID4), P4)
        return self.binary(a, b, t, t, t, "addf", "%s, %s, %s" % (ID4, ID4, ID4), P4)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--layers", type=int, default=36)
    ap.add_argument("--tokens", type=int, default=8)
    ap.add_argument("--chain", type=int, default=700,
                    help="elementwise ops per layer in the norm/MLP chains")
    a = ap.parse_args()
    s, hq, hk, d, hidden, ff = a.tokens, 8, 2, 64, 512, 1024
    w = Writer()
    emb = "tensor<%dx%dxf32>" % (s, hidden)
    c4t = "tensor<1x1x%dx%dxf32>" % (s, d)
    w.emit("%zero = arith.constant 0.0 : f32")
    w.emit("%%c4 = tensor.expand_shape %%cos [[0, 1], [2], [3]] output_shape [1, 1, %d, %d] : tensor<1x%dx%dxf32> into %s" % (s, d, s, d, c4t))
    w.emit("%%s4 = tensor.expand_shape %%sin [[0, 1], [2], [3]] output_shape [1, 1, %d, %d] : tensor<1x%dx%dxf32> into %s" % (s, d, s, d, c4t))
    h = "%h0"
    for layer in range(a.layers):
        # norm-like chain: a dozen elementwise ops
        x = h
        chain = ("arith.mulf %a, %a", "arith.addf %a, %a", "math.sqrt %a", "arith.negf %a",
                 "arith.mulf %a, %a", "math.exp %a", "arith.addf %a, %a", "arith.negf %a")
        for i in range(a.chain):
            x = w.unary2(x, emb, chain[i % len(chain)])
        q = w.matmul(x, "%wq", s, hidden, hq * d)
        k = w.matmul(x, "%wk", s, hidden, hk * d)
        qs, ks = w.fresh("q"), w.fresh("k")
        w.emit("%s = tensor.expand_shape %s [[0, 1], [2, 3]] output_shape [%d, %d, %d, %d] : tensor<%dx%dxf32> into tensor<%dx%dx%dx%dxf32>" % (qs, q, s, 1, hq, d, s, hq * d, s, 1, hq, d))
        w.emit("%s = tensor.expand_shape %s [[0, 1], [2, 3]] output_shape [%d, %d, %d, %d] : tensor<%dx%dxf32> into tensor<%dx%dx%dx%dxf32>" % (ks, k, s, 1, hk, d, s, hk * d, s, 1, hk, d))
        qt, kt = w.fresh("q"), w.fresh("k")
        for src, dst, heads in ((qs, qt, hq), (ks, kt, hk)):
            e = w.fresh("e")
            w.emit("%s = tensor.empty() : tensor<1x%dx%dx%dxf32>" % (e, heads, s, d))
            w.emit("%s = linalg.transpose ins(%s : tensor<%dx1x%dx%dxf32>) outs(%s : tensor<1x%dx%dx%dxf32>) permutation = [1, 2, 0, 3]" % (dst, src, s, heads, d, e, heads, s, d))
        qr = w.rope(qt, hq, s, d, "%c4", "%s4")
        kr = w.rope(kt, hk, s, d, "%c4", "%s4")
        # attention-ish: collapse and combine
        qc, kc = w.fresh("q"), w.fresh("k")
        w.emit("%s = tensor.collapse_shape %s [[0, 1, 2], [3]] : tensor<1x%dx%dx%dxf32> into tensor<%dx%dxf32>" % (qc, qr, hq, s, d, hq * s, d))
        w.emit("%s = tensor.collapse_shape %s [[0, 1, 2], [3]] : tensor<1x%dx%dx%dxf32> into tensor<%dx%dxf32>" % (kc, kr, hk, s, d, hk * s, d))
        kT = w.fresh("k")
        e = w.fresh("e")
        w.emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (e, d, hk * s))
        w.emit("%s = linalg.transpose ins(%s : tensor<%dx%dxf32>) outs(%s : tensor<%dx%dxf32>) permutation = [1, 0]" % (kT, kc, hk * s, d, e, d, hk * s))
        scores = w.matmul(qc, kT, hq * s, d, hk * s)
        st = "tensor<%dx%dxf32>" % (hq * s, hk * s)
        for op in ("math.exp %a", "arith.mulf %a, %a", "arith.negf %a"):
            scores = w.unary2(scores, st, op)
        ctx = w.matmul(scores, kc, hq * s, hk * s, d)
        flat = w.fresh()
        w.emit("%s = tensor.collapse_shape %s [[0, 1]] : tensor<%dx%dxf32> into tensor<%dxf32>" % (flat, ctx, hq * s, d, hq * s * d))
        back = w.fresh()
        w.emit("%s = tensor.expand_shape %s [[0, 1]] output_shape [%d, %d] : tensor<%dxf32> into %s" % (back, flat, s, hidden, hq * s * d, emb))
        o = w.matmul(back, "%wo", s, hidden, hidden)
        up = w.matmul(o, "%wu", s, hidden, ff)
        ft = "tensor<%dx%dxf32>" % (s, ff)
        for op in ("arith.negf %a", "math.exp %a", "arith.addf %a, %a", "arith.mulf %a, %a"):
            up = w.unary2(up, ft, op)
        down = w.matmul(up, "%wd", s, ff, hidden)
        h = w.binary(down, h, emb, emb, emb, "addf", "%s, %s, %s" % (ID2, ID2, ID2), P2)
    args = ("%%h0: %s, %%cos: tensor<1x%dx%dxf32>, %%sin: tensor<1x%dx%dxf32>, %%wq: tensor<%dx%dxf32>, "
            "%%wk: tensor<%dx%dxf32>, %%wo: tensor<%dx%dxf32>, %%wu: tensor<%dx%dxf32>, %%wd: tensor<%dx%dxf32>") % (
        emb, s, d, s, d, hidden, hq * d, hidden, hk * d, hidden, hidden, hidden, ff, ff, hidden)
    with open(a.out, "w") as f:
        f.write("func.func @decoder(%s) -> %s {\n" % (args, emb))
        f.write("\n".join(w.lines))
        f.write("\n    return %s : %s\n}\n" % (h, emb))


if __name__ == "__main__":
    main()
