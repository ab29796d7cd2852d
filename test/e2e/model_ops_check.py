#!/usr/bin/env python3
"""The ops a model graph has around RoPE, through --rope-cpu-pipeline.

Each case is a small function in the spelling torch-mlir's TorchToLinalg and
IREE import give (named matmuls on a filled tensor.empty, reductions as
linalg.generic with reduction iterators, linalg.softmax, transposes,
reshapes, casts, elementwise math), run on varied inputs and compared with
float64 numpy. `--big` instead compiles graphs with large static shapes under
a memory and time limit: compile cost must follow the graph, not its sizes.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import corpus_check as cc  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "fuzz"))
from fuzz import is_sanitized  # noqa: E402
from rope_mlir import tools  # noqa: E402

FILL = """
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<{shape}xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<{shape}xf32>) -> tensor<{shape}xf32>"""

CASES = {}


# Integer inputs a case draws itself, by argument index (default: 0-4095).
INTS = {}


def case(name, args, results, body, ref, tol=2e-6):
    CASES[name] = (args, results, body, ref, tol)


def softmax_ref(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# aten.mm + aten.add (bias) as torch-mlir writes them.
case("matmul_bias", ["tensor<24x96xf32>", "tensor<96x40xf32>", "tensor<40xf32>"],
     ["tensor<24x40xf32>"], FILL.format(shape="24x40") + """
  %mm = linalg.matmul ins(%a0, %a1 : tensor<24x96xf32>, tensor<96x40xf32>) outs(%f : tensor<24x40xf32>) -> tensor<24x40xf32>
  %e2 = tensor.empty() : tensor<24x40xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %a2 : tensor<24x40xf32>, tensor<40xf32>) outs(%e2 : tensor<24x40xf32>) {
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    linalg.yield %s : f32
  } -> tensor<24x40xf32>
  return %y : tensor<24x40xf32>""", lambda a, w, b: [a @ w + b])

# Attention scores: batch_matmul of q [B*H, S, D] with k^T (linalg.transpose).
case("batch_matmul_transpose", ["tensor<6x16x32xf32>", "tensor<6x16x32xf32>"],
     ["tensor<6x16x16xf32>"], """
  %zero = arith.constant 0.0 : f32
  %te = tensor.empty() : tensor<6x32x16xf32>
  %kt = linalg.transpose ins(%a1 : tensor<6x16x32xf32>) outs(%te : tensor<6x32x16xf32>) permutation = [0, 2, 1]
  %e = tensor.empty() : tensor<6x16x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x16x16xf32>) -> tensor<6x16x16xf32>
  %s = linalg.batch_matmul ins(%a0, %kt : tensor<6x16x32xf32>, tensor<6x32x16xf32>) outs(%f : tensor<6x16x16xf32>) -> tensor<6x16x16xf32>
  return %s : tensor<6x16x16xf32>""", lambda q, k: [q @ np.swapaxes(k, 1, 2)])

# Sum, max and mean (sum then divide) over the last and a middle dim.
RED = """
  %i{n} = arith.constant {init} : f32
  %e{n} = tensor.empty() : tensor<{oshape}xf32>
  %f{n} = linalg.fill ins(%i{n} : f32) outs(%e{n} : tensor<{oshape}xf32>) -> tensor<{oshape}xf32>
  %r{n} = linalg.generic {{indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> {omap}>], iterator_types = [{iters}]}} ins(%a0 : tensor<8x12x20xf32>) outs(%f{n} : tensor<{oshape}xf32>) {{
  ^bb0(%in: f32, %acc: f32):
    %v = {op} %in, %acc : f32
    linalg.yield %v : f32
  }} -> tensor<{oshape}xf32>"""
case("reductions", ["tensor<8x12x20xf32>"],
     ["tensor<8x12xf32>", "tensor<8x12xf32>", "tensor<8x20xf32>"],
     RED.format(n=0, init="0.0", oshape="8x12", omap="(d0, d1)", op="arith.addf",
                iters='"parallel", "parallel", "reduction"')
     + RED.format(n=1, init="0xFF800000", oshape="8x12", omap="(d0, d1)", op="arith.maximumf",
                  iters='"parallel", "parallel", "reduction"')
     + RED.format(n=2, init="0.0", oshape="8x20", omap="(d0, d2)", op="arith.addf",
                  iters='"parallel", "reduction", "parallel"') + """
  %n = arith.constant 12.0 : f32
  %em = tensor.empty() : tensor<8x20xf32>
  %mean = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%r2 : tensor<8x20xf32>) outs(%em : tensor<8x20xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.divf %in, %n : f32
    linalg.yield %v : f32
  } -> tensor<8x20xf32>
  return %r0, %r1, %mean : tensor<8x12xf32>, tensor<8x12xf32>, tensor<8x20xf32>""",
     lambda x: [x.sum(-1), x.max(-1), x.mean(1)])

# torch's x.pow(2).mean(-1, keepdim=True) as TorchToLinalg writes it: the
# sum's output map reads the kept unit dim at a constant 0.
case("keepdim_mean", ["tensor<1x8x2x16xf32>"], ["tensor<1x8x2x1xf32>"], """
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 16.0 : f32
  %e = tensor.empty() : tensor<1x8x2x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x1xf32>) -> tensor<1x8x2x1xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a0 : tensor<1x8x2x16xf32>) outs(%f : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %r = arith.addf %sq, %acc : f32
    linalg.yield %r : f32
  } -> tensor<1x8x2x1xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<1x8x2x1xf32>) outs(%e : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %d = arith.divf %in, %n : f32
    linalg.yield %d : f32
  } -> tensor<1x8x2x1xf32>
  return %m : tensor<1x8x2x1xf32>""", lambda x: [(x ** 2).mean(-1, keepdims=True)])

# linalg.softmax over the last dim, and over a middle dim.
case("linalg_softmax", ["tensor<4x10x24xf32>"], ["tensor<4x10x24xf32>", "tensor<4x10x24xf32>"], """
  %e0 = tensor.empty() : tensor<4x10x24xf32>
  %s0 = linalg.softmax dimension(2) ins(%a0 : tensor<4x10x24xf32>) outs(%e0 : tensor<4x10x24xf32>) -> tensor<4x10x24xf32>
  %e1 = tensor.empty() : tensor<4x10x24xf32>
  %s1 = linalg.softmax dimension(1) ins(%a0 : tensor<4x10x24xf32>) outs(%e1 : tensor<4x10x24xf32>) -> tensor<4x10x24xf32>
  return %s0, %s1 : tensor<4x10x24xf32>, tensor<4x10x24xf32>""",
     lambda x: [softmax_ref(x, 2), softmax_ref(x, 1)])

# A boolean attention mask argument (torch's where(mask, scores, -inf), then
# softmax): vectorized, the i1 buffer was read one bit per element where
# memory holds one byte (new-user trial: wrong probabilities, exit 0).
case("bool_mask_softmax", ["tensor<4x13xf32>", "tensor<4x13xi1>"], ["tensor<4x13xf32>"], """
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4x13xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a0, %a1 : tensor<4x13xf32>, tensor<4x13xi1>) outs(%e : tensor<4x13xf32>) {
  ^bb0(%x: f32, %keep: i1, %out: f32):
    %v = arith.select %keep, %x, %ninf : f32
    linalg.yield %v : f32
  } -> tensor<4x13xf32>
  %e2 = tensor.empty() : tensor<4x13xf32>
  %s = linalg.softmax dimension(1) ins(%m : tensor<4x13xf32>) outs(%e2 : tensor<4x13xf32>) -> tensor<4x13xf32>
  return %s : tensor<4x13xf32>""",
     lambda x, keep: [softmax_ref(np.where(keep > 0, x, -np.inf), 1)])

# RMSNorm in bf16 as HF computes it (upcast to f32, mean of squares, rsqrt,
# weight in bf16), with reshapes around it: [S, H*D] -> [S, H, D] per head.
case("rmsnorm_bf16_reshape", ["tensor<6x64xbf16>", "tensor<16xbf16>"], ["tensor<6x4x16xbf16>"], """
  %x = tensor.expand_shape %a0 [[0], [1, 2]] output_shape [6, 4, 16] : tensor<6x64xbf16> into tensor<6x4x16xbf16>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x4xf32>) -> tensor<6x4xf32>
  %ss = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : tensor<6x4x16xbf16>) outs(%f : tensor<6x4xf32>) {
  ^bb0(%in: bf16, %acc: f32):
    %w = arith.extf %in : bf16 to f32
    %sq = arith.mulf %w, %w : f32
    %s = arith.addf %sq, %acc : f32
    linalg.yield %s : f32
  } -> tensor<6x4xf32>
  %n = arith.constant 16.0 : f32
  %eps = arith.constant 9.99999997E-7 : f32
  %eo = tensor.empty() : tensor<6x4x16xbf16>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %ss, %a1 : tensor<6x4x16xbf16>, tensor<6x4xf32>, tensor<16xbf16>) outs(%eo : tensor<6x4x16xbf16>) {
  ^bb0(%in: bf16, %sum: f32, %wt: bf16, %out: bf16):
    %m = arith.divf %sum, %n : f32
    %me = arith.addf %m, %eps : f32
    %r = math.rsqrt %me : f32
    %w = arith.extf %in : bf16 to f32
    %nrm = arith.mulf %w, %r : f32
    %nb = arith.truncf %nrm : f32 to bf16
    %o = arith.mulf %wt, %nb : bf16
    linalg.yield %o : bf16
  } -> tensor<6x4x16xbf16>
  return %y : tensor<6x4x16xbf16>""",
     lambda x, w: [w * (x.reshape(6, 4, 16) / np.sqrt((x.reshape(6, 4, 16) ** 2).mean(-1, keepdims=True)
                                                       + 1e-6))],
     tol=1.6e-2)

# Elementwise math, a compare/select (a causal mask) and integer casts.
case("elementwise_mask_casts", ["tensor<8x8xf32>", "tensor<8xi64>"], ["tensor<8x8xf32>", "tensor<8xf32>"], """
  %e = tensor.empty() : tensor<8x8xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a0 : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %future = arith.cmpi ugt, %j, %i : index
    %t = math.tanh %in : f32
    %x = math.exp %t : f32
    %m = arith.select %future, %ninf, %x : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  %e2 = tensor.empty() : tensor<8xf32>
  %c = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a1 : tensor<8xi64>) outs(%e2 : tensor<8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %v = arith.sitofp %in : i64 to f32
    linalg.yield %v : f32
  } -> tensor<8xf32>
  return %y, %c : tensor<8x8xf32>, tensor<8xf32>""",
     lambda x, p: [np.where(np.triu(np.ones((8, 8)), 1) > 0, -np.inf, np.exp(np.tanh(x))), p],
     tol=2e-6)

# torch-mlir's aten.pow.Tensor_Scalar (RMSNorm's pow(2)) is math.fpowi with
# an i64 exponent; vectorized, the exponent becomes a vector, which
# llvm.intr.powi cannot take. A run-time exponent too.
case("fpowi_constant_and_runtime", ["tensor<4x64xf32>", "tensor<1xi64>"],
     ["tensor<4x64xf32>", "tensor<4x64xf32>"], """
  %c2 = arith.constant 2 : i64
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : i64
  %n0 = tensor.extract %a1[%c0] : tensor<1xi64>
  %n = arith.remui %n0, %c5 : i64
  %e = tensor.empty() : tensor<4x64xf32>
  %y:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a0 : tensor<4x64xf32>) outs(%e, %e : tensor<4x64xf32>, tensor<4x64xf32>) {
  ^bb0(%in: f32, %o: f32, %o2: f32):
    %p = math.fpowi %in, %c2 : f32, i64
    %q = math.fpowi %in, %n : f32, i64
    linalg.yield %p, %q : f32, f32
  } -> (tensor<4x64xf32>, tensor<4x64xf32>)
  return %y#0, %y#1 : tensor<4x64xf32>, tensor<4x64xf32>""",
     lambda x, n: [x ** 2, x ** int(n[0] % 5)],
     tol=4e-6)

# A projection, then RoPE, then attention scores: a rope op among the ops.
case("projection_rope_scores", ["tensor<8x32xf32>", "tensor<32x32xf32>", "tensor<1x8xi32>"],
     ["tensor<2x8x8xf32>"], FILL.format(shape="8x32") + """
  %p = linalg.matmul ins(%a0, %a1 : tensor<8x32xf32>, tensor<32x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  %q = tensor.expand_shape %p [[0], [1, 2]] output_shape [8, 2, 16] : tensor<8x32xf32> into tensor<8x2x16xf32>
  %qe = tensor.empty() : tensor<8x2x16xf32>
  %qr = rope.rotate ins(%q : tensor<8x2x16xf32>) positions(%a2 : tensor<1x8xi32>) outs(%qe : tensor<8x2x16xf32>)
      layout = thd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<8x2x16xf32>
  %te = tensor.empty() : tensor<2x8x16xf32>
  %qt = linalg.transpose ins(%qr : tensor<8x2x16xf32>) outs(%te : tensor<2x8x16xf32>) permutation = [1, 0, 2]
  %kt = tensor.empty() : tensor<2x16x8xf32>
  %k = linalg.transpose ins(%qr : tensor<8x2x16xf32>) outs(%kt : tensor<2x16x8xf32>) permutation = [1, 2, 0]
  %e2 = tensor.empty() : tensor<2x8x8xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %s = linalg.batch_matmul ins(%qt, %k : tensor<2x8x16xf32>, tensor<2x16x8xf32>) outs(%f2 : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %r = tensor.expand_shape %s [[0, 1], [2], [3]] output_shape [1, 2, 8, 8] : tensor<2x8x8xf32> into tensor<1x2x8x8xf32>
  %o = tensor.collapse_shape %r [[0, 1], [2], [3]] : tensor<1x2x8x8xf32> into tensor<2x8x8xf32>
  return %o : tensor<2x8x8xf32>""", None, tol=4e-6)


def rope_half(x, pos, theta=1e4):
    """SPEC R1, half pairing, in float64: x [T, H, D], pos [T]."""
    d = x.shape[-1]
    inv = theta ** (-np.arange(0, d, 2, dtype=np.float64) / d)
    ang = pos.astype(np.float64)[:, None] * inv[None, :]
    c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return np.concatenate([x1 * c - x2 * s, x2 * c + x1 * s], axis=-1)


def projection_rope_scores(x, w, pos):
    q = rope_half((x @ w).reshape(8, 2, 16), pos[0])
    return [np.einsum("thd,shd->hts", q, q)]


CASES["projection_rope_scores"] = CASES["projection_rope_scores"][:3] + (
    projection_rope_scores, CASES["projection_rope_scores"][4])


# Qwen3's QK-norm (per-head RMSNorm over head_dim) right before RoPE, the
# rotated k written into a KV cache at position 4: the neighbours
# rope-fuse-neighbours brings into the rope op's token loop (fuse=true, the default).
case("qk_norm_rope_cache", ["tensor<8x32xf32>", "tensor<32x64xf32>", "tensor<16xf32>",
                            "tensor<1x8xi32>", "tensor<16x4x16xf32>"],
     ["tensor<16x4x16xf32>"], FILL.format(shape="8x64") + """
  %eps = arith.constant 1.0e-6 : f32
  %dim = arith.constant 16.0 : f32
  %p = linalg.matmul ins(%a0, %a1 : tensor<8x32xf32>, tensor<32x64xf32>) outs(%f : tensor<8x64xf32>) -> tensor<8x64xf32>
  %k = tensor.expand_shape %p [[0], [1, 2]] output_shape [8, 4, 16] : tensor<8x64xf32> into tensor<8x4x16xf32>
  %se = tensor.empty() : tensor<8x4xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%se : tensor<8x4xf32>) -> tensor<8x4xf32>
  %ss = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%k : tensor<8x4x16xf32>) outs(%sf : tensor<8x4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %sum = arith.addf %acc, %sq : f32
    linalg.yield %sum : f32
  } -> tensor<8x4xf32>
  %ne = tensor.empty() : tensor<8x4x16xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k, %ss, %a2 : tensor<8x4x16xf32>, tensor<8x4xf32>, tensor<16xf32>) outs(%ne : tensor<8x4x16xf32>) {
  ^bb0(%in: f32, %sum: f32, %g: f32, %out: f32):
    %mean = arith.divf %sum, %dim : f32
    %v = arith.addf %mean, %eps : f32
    %r = math.rsqrt %v : f32
    %y = arith.mulf %in, %r : f32
    %z = arith.mulf %y, %g : f32
    linalg.yield %z : f32
  } -> tensor<8x4x16xf32>
  %re = tensor.empty() : tensor<8x4x16xf32>
  %kr = rope.rotate ins(%n : tensor<8x4x16xf32>) positions(%a3 : tensor<1x8xi32>) outs(%re : tensor<8x4x16xf32>)
      layout = thd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<8x4x16xf32>
  %c = tensor.insert_slice %kr into %a4[4, 0, 0] [8, 4, 16] [1, 1, 1] : tensor<8x4x16xf32> into tensor<16x4x16xf32>
  return %c : tensor<16x4x16xf32>""", None, tol=4e-6)


def qk_norm_rope_cache(x, w, gamma, pos, cache):
    k = (x @ w).reshape(8, 4, 16)
    n = k / np.sqrt((k * k).mean(axis=-1, keepdims=True) + 1e-6) * gamma
    out = cache.astype(np.float64).copy()
    out[4:12] = rope_half(n, pos[0])
    return [out]


CASES["qk_norm_rope_cache"] = CASES["qk_norm_rope_cache"][:3] + (
    qk_norm_rope_cache, CASES["qk_norm_rope_cache"][4])


# The same, k written into a paged KV cache as vLLM's reshape_and_cache
# does: a slot per token (slot_mapping), block = slot / block_size, offset =
# slot % block_size, in the flash layout [blocks, block_size, heads, D]; the
# write is a loop over tokens, as upstream MLIR spells a scatter of rows.
# fuse=true computes QK-norm and RoPE of each token inside that loop.
case("qk_norm_rope_paged_cache", ["tensor<8x32xf32>", "tensor<32x64xf32>", "tensor<16xf32>",
                                  "tensor<1x8xi32>", "tensor<8xi64>", "tensor<4x4x4x16xf32>"],
     ["tensor<4x4x4x16xf32>"], CASES["qk_norm_rope_cache"][2].split("  %c = tensor.insert_slice")[0]
     .replace("%a4", "%a5") + """
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c = scf.for %t = %c0 to %c8 step %c1 iter_args(%acc = %a5) -> (tensor<4x4x4x16xf32>) {
    %s64 = tensor.extract %a4[%t] : tensor<8xi64>
    %s = arith.index_cast %s64 : i64 to index
    %blk = arith.divui %s, %c4 : index
    %off = arith.remui %s, %c4 : index
    %row = tensor.extract_slice %kr[%t, 0, 0] [1, 4, 16] [1, 1, 1] : tensor<8x4x16xf32> to tensor<4x16xf32>
    %w = tensor.insert_slice %row into %acc[%blk, %off, 0, 0] [1, 1, 4, 16] [1, 1, 1, 1] : tensor<4x16xf32> into tensor<4x4x4x16xf32>
    scf.yield %w : tensor<4x4x4x16xf32>
  }
  return %c : tensor<4x4x4x16xf32>""", None, tol=4e-6)
# Distinct slots of the 16 (a token per slot), in any order.
INTS["qk_norm_rope_paged_cache"] = {4: lambda rng, shape: rng.permutation(16)[:shape[0]]}


def qk_norm_rope_paged_cache(x, w, gamma, pos, slots, cache):
    k = (x @ w).reshape(8, 4, 16)
    n = k / np.sqrt((k * k).mean(axis=-1, keepdims=True) + 1e-6) * gamma
    out = cache.astype(np.float64).copy()
    rotated = rope_half(n, pos[0])
    for t, slot in enumerate(slots.astype(np.int64)):
        out[slot // 4, slot % 4] = rotated[t]
    return [out]


CASES["qk_norm_rope_paged_cache"] = CASES["qk_norm_rope_paged_cache"][:3] + (
    qk_norm_rope_paged_cache, CASES["qk_norm_rope_paged_cache"][4])


# Qwen3's QK-norm in bf16 as HF's Qwen3RMSNorm spells it (upcast to f32,
# mean of squares, rsqrt, round to bf16, bf16 weight multiply: a second
# rounding), two heads of 64 (whole groups of 32 lanes, so that on CPUs with
# AVX512-BF16 the sum of squares becomes dot products and both roundings run
# in even/odd lanes), RoPE, k written into a cache at position 4.
case("qk_norm_rope_cache_bf16", ["tensor<8x128xbf16>", "tensor<64xbf16>", "tensor<1x8xi32>",
                                 "tensor<16x2x64xbf16>"], ["tensor<16x2x64xbf16>"], """
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant 9.99999997E-7 : f32
  %dim = arith.constant 64.0 : f32
  %k = tensor.expand_shape %a0 [[0], [1, 2]] output_shape [8, 2, 64] : tensor<8x128xbf16> into tensor<8x2x64xbf16>
  %se = tensor.empty() : tensor<8x2xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%se : tensor<8x2xf32>) -> tensor<8x2xf32>
  %ss = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%k : tensor<8x2x64xbf16>) outs(%sf : tensor<8x2xf32>) {
  ^bb0(%in: bf16, %acc: f32):
    %w = arith.extf %in : bf16 to f32
    %sq = math.fpowi %w, %c2 : f32, i32
    %s = arith.addf %sq, %acc : f32
    linalg.yield %s : f32
  } -> tensor<8x2xf32>
  %ne = tensor.empty() : tensor<8x2x64xbf16>
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k, %ss, %a1 : tensor<8x2x64xbf16>, tensor<8x2xf32>, tensor<64xbf16>) outs(%ne : tensor<8x2x64xbf16>) {
  ^bb0(%in: bf16, %sum: f32, %g: bf16, %out: bf16):
    %mean = arith.divf %sum, %dim : f32
    %v = arith.addf %mean, %eps : f32
    %r = math.rsqrt %v : f32
    %w = arith.extf %in : bf16 to f32
    %y = arith.mulf %w, %r : f32
    %yb = arith.truncf %y : f32 to bf16
    %z = arith.mulf %g, %yb : bf16
    linalg.yield %z : bf16
  } -> tensor<8x2x64xbf16>
  %re = tensor.empty() : tensor<8x2x64xbf16>
  %kr = rope.rotate ins(%n : tensor<8x2x64xbf16>) positions(%a2 : tensor<1x8xi32>) outs(%re : tensor<8x2x64xbf16>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<8x2x64xbf16>
  %c = tensor.insert_slice %kr into %a3[4, 0, 0] [8, 2, 64] [1, 1, 1] : tensor<8x2x64xbf16> into tensor<16x2x64xbf16>
  return %c : tensor<16x2x64xbf16>""".replace("%zero = arith.constant 0.0 : f32", "%zero = arith.constant 0.0 : f32\n  %c2 = arith.constant 2 : i32"),
     None, tol=1.6e-2)


def qk_norm_rope_cache_bf16(x, gamma, pos, cache):
    k = x.reshape(8, 2, 64)
    n = k / np.sqrt((k * k).mean(axis=-1, keepdims=True) + 1e-6) * gamma
    out = cache.astype(np.float64).copy()
    out[4:12] = rope_half(n, pos[0])
    return [out]


CASES["qk_norm_rope_cache_bf16"] = CASES["qk_norm_rope_cache_bf16"][:3] + (
    qk_norm_rope_cache_bf16, CASES["qk_norm_rope_cache_bf16"][4])


# Graphs kept as lit tests of their own, run here raised first (rope-raise,
# then the pipeline): the raised graph must hold a rope.rotate and match
# float64. Arguments and results come from the function's signature.
FILE_CASES = {}


def file_case(name, path, func, ref, tol, ints=None):
    text = open(os.path.join(os.path.dirname(__file__), "..", path)).read()
    sig = re.search(r"func\.func @%s\((.*?)\) -> \((.*?)\) \{" % func, text)
    args = re.findall(r"%\w+: (tensor<[^>]*>)", sig.group(1))
    results = re.findall(r"tensor<[^>]*>", sig.group(2))
    FILE_CASES[name] = re.sub(r"@%s\b" % func, "@" + name, text)
    CASES[name] = (args, results, None, ref, tol)
    if ints:
        INTS[name] = ints


# Qwen3's QK-norm in vLLM's layout ([T, H, D], no transpose before
# rotate_half; HF's bf16 cos/sin tables, theta 1e6): rope-raise must take
# the norm's output as x (the norm's input has the rotation's shape too, with
# the norm's factors among its "tables"), then the pipeline fuses the norm
# into the rope loop; k written into a cache at a run-time row.
def qk_norm_thd_raised(q, k, wq, wk, pos, start, cache):
    def norm(x, heads, w):
        x = x.reshape(7, heads, 64)
        return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + 1e-6) * w
    out = cache.astype(np.float64).copy()
    s = int(start[0])
    out[s:s + 7] = rope_half(norm(k, 2, wk), pos[0], theta=1e6)
    return [rope_half(norm(q, 4, wq), pos[0], theta=1e6), out]


file_case("qk_norm_thd_raised_bf16", "Raise/raise-qknorm-thd.mlir", "step", qk_norm_thd_raised,
          1.6e-2, {4: lambda rng, shape: rng.integers(0, 4096, size=shape),
                   5: lambda rng, shape: rng.integers(0, 30, size=shape)})


# A decode/prefill step's KV-cache write as torch-mlir and IREE spell
# `cache[start:start + n] = v`: a slice of run-time size inserted at a
# run-time position. Bufferized, it is a copy into a strided view of dynamic
# size, which rope-codegen-vectorize-copies makes vector loops (no memrefCopy call):
# rows of D lanes, a row wider than 512 lanes in pieces, and a view with an
# inner stride (every other lane) element by element. The values must arrive
# bit for bit, and the rows outside the write stay as they were.
COPY_PREFIX = """
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s64 = tensor.extract %a1[%c0] : tensor<2xi64>
  %n64 = tensor.extract %a1[%c1] : tensor<2xi64>
  %s = arith.index_cast %s64 : i64 to index
  %n = arith.index_cast %n64 : i64 to index"""


def start_and_rows(max_rows, cache_rows):
    def draw(rng, shape):
        n = int(rng.integers(1, max_rows + 1))
        return np.array([int(rng.integers(0, cache_rows - n + 1)), n])
    return draw


def rows_written(columns=slice(None)):
    """The reference of these cases: v[:n] copied into the cache's rows
    s .. s + n at `columns` (meta = [s, n]), the rest unchanged."""
    def ref(v, meta, cache):
        s, n = int(meta[0]), int(meta[1])
        out = cache.copy()
        out[s:s + n, columns] = v[:n]
        return [out]
    return ref


def cache_write_case(name, elt):
    case(name, ["tensor<8x4x16x%s" % elt + ">", "tensor<2xi64>", "tensor<16x4x16x%s" % elt + ">"],
         ["tensor<16x4x16x%s" % elt + ">"], COPY_PREFIX + """
  %v = tensor.extract_slice %a0[0, 0, 0] [%n, 4, 16] [1, 1, 1] : tensor<8x4x16x{t}> to tensor<?x4x16x{t}>
  %w = tensor.insert_slice %v into %a2[%s, 0, 0] [%n, 4, 16] [1, 1, 1] : tensor<?x4x16x{t}> into tensor<16x4x16x{t}>
  return %w : tensor<16x4x16x{t}>""".format(t=elt), rows_written(), tol=0.0)
    INTS[name] = {1: start_and_rows(8, 16)}


cache_write_case("kv_cache_write_dynamic", "f32")
cache_write_case("kv_cache_write_dynamic_bf16", "bf16")

case("wide_row_cache_write", ["tensor<8x1024xf32>", "tensor<2xi64>", "tensor<16x2048xf32>"],
     ["tensor<16x2048xf32>"], COPY_PREFIX + """
  %v = tensor.extract_slice %a0[0, 0] [%n, 1024] [1, 1] : tensor<8x1024xf32> to tensor<?x1024xf32>
  %w = tensor.insert_slice %v into %a2[%s, 512] [%n, 1024] [1, 1] : tensor<?x1024xf32> into tensor<16x2048xf32>
  return %w : tensor<16x2048xf32>""", rows_written(slice(512, 1536)), tol=0.0)
INTS["wide_row_cache_write"] = {1: start_and_rows(8, 16)}

# A boolean mask written into a mask cache the same way (i1: a byte per
# element in memory; its rows must be copied element by element, not as
# bit-packed vectors), read back as 0/1 floats.
case("bool_mask_cache_write", ["tensor<8x8xi1>", "tensor<2xi64>", "tensor<16x16xi1>"],
     ["tensor<16x16xf32>"], COPY_PREFIX + """
  %v = tensor.extract_slice %a0[0, 0] [%n, 8] [1, 1] : tensor<8x8xi1> to tensor<?x8xi1>
  %w = tensor.insert_slice %v into %a2[%s, 4] [%n, 8] [1, 1] : tensor<?x8xi1> into tensor<16x16xi1>
  %e = tensor.empty() : tensor<16x16xf32>
  %f = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<16x16xi1>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%in: i1, %out: f32):
    %x = arith.uitofp %in : i1 to f32
    linalg.yield %x : f32
  } -> tensor<16x16xf32>
  return %f : tensor<16x16xf32>""", rows_written(slice(4, 12)), tol=0.0)
INTS["bool_mask_cache_write"] = {1: start_and_rows(8, 16)}

case("strided_lanes_write", ["tensor<8x8xf32>", "tensor<2xi64>", "tensor<16x16xf32>"],
     ["tensor<16x16xf32>"], COPY_PREFIX + """
  %v = tensor.extract_slice %a0[0, 0] [%n, 8] [1, 1] : tensor<8x8xf32> to tensor<?x8xf32>
  %w = tensor.insert_slice %v into %a2[%s, 1] [%n, 8] [1, 2] : tensor<?x8xf32> into tensor<16x16xf32>
  return %w : tensor<16x16xf32>""", rows_written(slice(1, None, 2)), tol=0.0)
INTS["strided_lanes_write"] = {1: start_and_rows(8, 16)}


# TOSA control flow as TF/TFLite export it (tosa.cond_if, tosa.while_loop):
# tosa-to-scf first in the pipeline, so that the ops in the regions lower
# with the rest.
case("tosa_cond_if_while", ["tensor<8xf32>", "tensor<8xf32>", "tensor<i1>", "tensor<i32>"],
     ["tensor<8xf32>"], """
  %r = tosa.cond_if %a2 : tensor<i1> -> tensor<8xf32> {
    %d = tosa.sub %a0, %a1 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
    tosa.yield %d : tensor<8xf32>
  } else {
    %s = tosa.add %a0, %a1 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
    tosa.yield %s : tensor<8xf32>
  }
  %zero = "tosa.const"() <{values = dense<0> : tensor<i32>}> : () -> tensor<i32>
  %w:2 = tosa.while_loop (%i = %zero, %acc = %r) : (tensor<i32>, tensor<8xf32>) -> (tensor<i32>, tensor<8xf32>) {
    %more = tosa.greater %a3, %i : (tensor<i32>, tensor<i32>) -> tensor<i1>
    tosa.yield %more : tensor<i1>
  } do {
  ^bb0(%i: tensor<i32>, %acc: tensor<8xf32>):
    %one = "tosa.const"() <{values = dense<1> : tensor<i32>}> : () -> tensor<i32>
    %next = tosa.add %i, %one : (tensor<i32>, tensor<i32>) -> tensor<i32>
    %sq = tosa.mul %acc, %a1, %shift : (tensor<8xf32>, tensor<8xf32>, tensor<1xi8>) -> tensor<8xf32>
    tosa.yield %next, %sq : tensor<i32>, tensor<8xf32>
  }
  return %w#1 : tensor<8xf32>""".replace("%w:2 = ", '%shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>\n  %w:2 = '), None)
INTS["tosa_cond_if_while"] = {3: lambda rng, shape: rng.integers(0, 5, size=shape)}


def tosa_cond_if_while(x, y, flag, n):
    acc = x - y if flag else x + y
    for _ in range(int(n)):
        acc = acc * y
    return [acc]


CASES["tosa_cond_if_while"] = CASES["tosa_cond_if_while"][:3] + (
    tosa_cond_if_while, CASES["tosa_cond_if_while"][4])


# A loop over layers as an exporter unrolls none of them: each iteration
# makes its output in a fresh tensor.empty (bufferization then yields a new
# buffer from the loop: allow-return-allocs-from-loops).
case("layer_loop_fresh_empty", ["tensor<4x16xf32>", "tensor<3x16xf32>"], ["tensor<4x16xf32>"], """
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %y = scf.for %l = %c0 to %c3 step %c1 iter_args(%h = %a0) -> (tensor<4x16xf32>) {
    %w = tensor.extract_slice %a1[%l, 0] [1, 16] [1, 1] : tensor<3x16xf32> to tensor<16xf32>
    %e = tensor.empty() : tensor<4x16xf32>
    %n = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%h, %w : tensor<4x16xf32>, tensor<16xf32>) outs(%e : tensor<4x16xf32>) {
    ^bb0(%x: f32, %g: f32, %o: f32):
      %m = arith.mulf %x, %g : f32
      %t = math.tanh %m : f32
      linalg.yield %t : f32
    } -> tensor<4x16xf32>
    scf.yield %n : tensor<4x16xf32>
  }
  return %y : tensor<4x16xf32>""", lambda h, w: [np.tanh(np.tanh(np.tanh(h * w[0]) * w[1]) * w[2])])


# Data-tiled layouts (linalg.pack / linalg.unpack, as IREE's data tiling and
# upstream's pack-based matmul lowering make them): a [13, 30] matrix packed
# into 8x8 tiles (padded with a constant), its tiles scaled, unpacked back.
# The pack is checked element by element through the unpacked result and
# through the sum of its padded tiles (the pad value counted).
case("pack_unpack", ["tensor<13x30xf32>"], ["tensor<13x30xf32>", "tensor<2x4xf32>"], """
  %pad = arith.constant 0.5 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %p = linalg.pack %a0 padding_value(%pad : f32) inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %e : tensor<13x30xf32> -> tensor<2x4x8x8xf32>
  %e2 = tensor.empty() : tensor<2x4x8x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%p : tensor<2x4x8x8xf32>) outs(%e2 : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = arith.constant 3.0 : f32
    %y = arith.mulf %x, %t : f32
    linalg.yield %y : f32
  } -> tensor<2x4x8x8xf32>
  %e3 = tensor.empty() : tensor<13x30xf32>
  %u = linalg.unpack %s inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %e3 : tensor<2x4x8x8xf32> -> tensor<13x30xf32>
  %e4 = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%p : tensor<2x4x8x8xf32>) outs(%f : tensor<2x4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %y = arith.addf %x, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x4xf32>
  return %u, %sum : tensor<13x30xf32>, tensor<2x4xf32>""", None)


def pack_unpack(x):
    padded = np.full((16, 32), 0.5)
    padded[:13, :30] = x
    tiles = padded.reshape(2, 8, 4, 8).transpose(0, 2, 1, 3)
    return [3.0 * x, tiles.sum(axis=(2, 3))]


CASES["pack_unpack"] = CASES["pack_unpack"][:3] + (pack_unpack, CASES["pack_unpack"][4])


def inputs(rng, arg_types, ints=None):
    raws, vals = [], []
    for i, t in enumerate(arg_types):
        shape, elt = cc.parse_type(t)
        if elt == "i1":
            # MLIR's hex form of an i1 tensor is bit-packed; in memory each
            # element is a byte, as numpy's and torch's bools.
            v = rng.integers(0, 2, size=shape)
            raws.append(np.packbits(v.astype(bool).ravel(), bitorder="little").tobytes())
            vals.append(v.astype(np.float64))
            continue
        if ints and i in ints:
            v = ints[i](rng, shape)
        elif elt in ("i32", "i64"):
            v = rng.integers(0, 4096, size=shape)
        else:
            v = rng.uniform(-2, 2, size=shape)
        raw, val = cc.encode(v, elt)
        raws.append(raw)
        vals.append(val)
    return raws, vals


def module(name, args, results, body):
    sig = ", ".join("%%a%d: %s" % (i, t) for i, t in enumerate(args))
    return "func.func @%s(%s) -> (%s) {%s\n}\n" % (name, sig, ", ".join(results), body)


def check(name, seed, options):
    args, results, body, ref, tol = CASES[name]
    rng = np.random.default_rng(seed)
    raws, vals = inputs(rng, args, INTS.get(name))
    if name in FILE_CASES:
        raised = tools.run([tools.rope_opt(), "-p", "builtin.module(func.func(rope-raise))"],
                           FILE_CASES[name])
        if "rope.rotate" not in raised:
            return False, "rope-raise left the graph without a rope.rotate"
        text = cc.with_main(raised, name, args, results, raws)
    else:
        text = cc.with_main(module(name, args, results, body), name, args, results, raws)
    out = tools.run_main(tools.lower_cpu(text, options))
    ys = cc.outputs(out, results)
    refs = ref(*vals)
    worst = 0.0
    for y, r in zip(ys, refs):
        r = np.asarray(r, dtype=np.float64)
        finite = np.isfinite(r)
        if not np.array_equal(finite, np.isfinite(y)) or not np.array_equal(r[~finite], y[~finite]):
            return False, "non-finite values differ from float64"
        scale = max(float(np.max(np.abs(r[finite]))), 1e-30)
        worst = max(worst, float(np.max(np.abs(y[finite] - r[finite]))) / scale)
    return worst <= tol, "max error %.2e (tolerance %.1e)" % (worst, tol)


# Large static shapes: prefill attention scores and softmax for 4096 tokens,
# a 4096-wide projection, and an unraised GPT-J style rotation over
# 1x40x16x256 (rotate_every_two with strided slices).
BIG = {
    "softmax_scores_4096": module("scores", ["tensor<32x4096x4096xf32>"], ["tensor<32x4096x4096xf32>"], """
  %e = tensor.empty() : tensor<32x4096x4096xf32>
  %s = linalg.softmax dimension(2) ins(%a0 : tensor<32x4096x4096xf32>) outs(%e : tensor<32x4096x4096xf32>) -> tensor<32x4096x4096xf32>
  return %s : tensor<32x4096x4096xf32>"""),
    "projection_4096": module("proj", ["tensor<32768x4096xbf16>", "tensor<4096x4096xbf16>"], ["tensor<32768x4096xf32>"],
                              FILL.format(shape="32768x4096") + """
  %mm = linalg.matmul ins(%a0, %a1 : tensor<32768x4096xbf16>, tensor<4096x4096xbf16>) outs(%f : tensor<32768x4096xf32>) -> tensor<32768x4096xf32>
  return %mm : tensor<32768x4096xf32>"""),
    "gptj_rotate_every_two_unraised": module("gptj", ["tensor<1x40x16x256xf32>", "tensor<1x40x16x128xf32>", "tensor<1x40x16x128xf32>"],
                                             ["tensor<1x40x16x256xf32>"], """
  %even = tensor.extract_slice %a0[0, 0, 0, 0] [1, 40, 16, 128] [1, 1, 1, 2] : tensor<1x40x16x256xf32> to tensor<1x40x16x128xf32>
  %odd = tensor.extract_slice %a0[0, 0, 0, 1] [1, 40, 16, 128] [1, 1, 1, 2] : tensor<1x40x16x256xf32> to tensor<1x40x16x128xf32>
  %e = tensor.empty() : tensor<1x40x16x128xf32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%even, %odd, %a1, %a2 : tensor<1x40x16x128xf32>, tensor<1x40x16x128xf32>, tensor<1x40x16x128xf32>, tensor<1x40x16x128xf32>) outs(%e, %e : tensor<1x40x16x128xf32>, tensor<1x40x16x128xf32>) {
  ^bb0(%x0: f32, %x1: f32, %c: f32, %s: f32, %o0: f32, %o1: f32):
    %a = arith.mulf %x0, %c : f32
    %b = arith.mulf %x1, %s : f32
    %y0 = arith.subf %a, %b : f32
    %d = arith.mulf %x1, %c : f32
    %g = arith.mulf %x0, %s : f32
    %y1 = arith.addf %d, %g : f32
    linalg.yield %y0, %y1 : f32, f32
  } -> (tensor<1x40x16x128xf32>, tensor<1x40x16x128xf32>)
  %y0 = tensor.expand_shape %r#0 [[0], [1], [2], [3, 4]] output_shape [1, 40, 16, 128, 1] : tensor<1x40x16x128xf32> into tensor<1x40x16x128x1xf32>
  %y1 = tensor.expand_shape %r#1 [[0], [1], [2], [3, 4]] output_shape [1, 40, 16, 128, 1] : tensor<1x40x16x128xf32> into tensor<1x40x16x128x1xf32>
  %st = tensor.concat dim(4) %y0, %y1 : (tensor<1x40x16x128x1xf32>, tensor<1x40x16x128x1xf32>) -> tensor<1x40x16x128x2xf32>
  %y = tensor.collapse_shape %st [[0], [1], [2], [3, 4]] : tensor<1x40x16x128x2xf32> into tensor<1x40x16x256xf32>
  return %y : tensor<1x40x16x256xf32>"""),
    # From the new-user trial (issue 17): a custom axis map reading 2 of
    # 40000 position rows (a slice and select per row made the pipeline run
    # past 10 minutes), and a rotary prefix of 2 lanes in a 65536-lane head
    # (the copied lanes were one vector unrolled into 32767 pieces).
    "custom_axes_40000_rows": module("rows", ["tensor<1x1x1x4xf32>", "tensor<40000x1x1xi64>"], ["tensor<1x1x1x4xf32>"], """
  %e = tensor.empty() : tensor<1x1x1x4xf32>
  %r = rope.rotate ins(%a0 : tensor<1x1x1x4xf32>) positions(%a1 : tensor<40000x1x1xi64>) outs(%e : tensor<1x1x1x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 axes = <custom [39999, 0]> -> tensor<1x1x1x4xf32>
  return %r : tensor<1x1x1x4xf32>"""),
    "partial_rotary_head_65536": module("wide", ["tensor<1x1x3x65536xf16>", "tensor<1x1x3xf32>"], ["tensor<1x1x3x65536xf16>"], """
  %e = tensor.empty() : tensor<1x1x3x65536xf16>
  %r = rope.rotate ins(%a0 : tensor<1x1x3x65536xf16>) positions(%a1 : tensor<1x1x3xf32>) outs(%e : tensor<1x1x3x65536xf16>) layout = bhsd pairing = half head_dim = 65536 rotary_dim = 2 theta = 1.0e4 -> tensor<1x1x3x65536xf16>
  return %r : tensor<1x1x3x65536xf16>"""),
}

BIG_MEMORY = 1 << 30
BIG_SECONDS = 120


def compile_big(name, options):
    # The address-space cap stops a runaway compile before it takes the
    # machine; ASan reserves terabytes of shadow address space up front, so a
    # sanitized rope-opt is judged by its measured peak alone.
    sanitized = is_sanitized(tools.rope_opt())

    def limit():
        if not sanitized:
            resource.setrlimit(resource.RLIMIT_AS, (BIG_MEMORY * 2, BIG_MEMORY * 2))
    flag = "--rope-cpu-pipeline" + ("=" + options if options else "")
    start = time.time()
    proc = subprocess.Popen([tools.rope_opt(), flag, "-o", os.devnull, "-"], stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=limit)
    try:
        _, err = proc.communicate(BIG[name], timeout=BIG_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return False, "rope-opt ran past %d s" % BIG_SECONDS
    # communicate() reaped the child: its own peak is the children's peak
    # only for the first case, so each case runs in a fresh interpreter.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if proc.returncode != 0:
        return False, "rope-opt exit %d: %s" % (proc.returncode, err[-800:])
    return peak <= BIG_MEMORY, "%.1f s, peak %.0f MB (limit %d MB)" % (
        time.time() - start, peak / 2**20, BIG_MEMORY >> 20)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("cases", nargs="*", help="case names (default: all)")
    ap.add_argument("--options", default="", help="--rope-cpu-pipeline options")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--big", action="store_true", help="compile the large static graphs instead")
    ap.add_argument("--print-module", metavar="CASE", help="print a case's function and exit")
    a = ap.parse_args()
    if a.print_module:
        args, results, body, _, _ = CASES[a.print_module]
        print(FILE_CASES.get(a.print_module) or module(a.print_module, args, results, body))
        return 0
    table = BIG if a.big else CASES
    names = a.cases or list(table)
    if a.big and len(names) != 1:
        ap.error("--big takes one case per run (the peak memory is per process)")
    failed = 0
    for name in names:
        try:
            ok, why = compile_big(name, a.options) if a.big else check(name, a.seed, a.options)
        except (tools.ToolError, cc.CheckFailure, subprocess.TimeoutExpired) as e:
            ok, why = False, cc.short(e, 1500)
        failed += not ok
        print("%s %s: %s" % ("PASS" if ok else "FAIL", name, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
