// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: ttir-linalg
// MODEL: near miss: tt-mlir's rope_wrong_neg_half_no_fuse (concat(neg(x[:D/2]), x[D/2:]) in place of rotate_half), ttir-to-linalg, bf16, decode S=1
// FUNC: @rope_wrong_neg_half
// ARGS: x cos sin
// REF: layout=bhsd pairing=half rotary_dim=64
// EXPECT: none
//
// Looks like x * cos + rotate_half(x) * sin, but the "rotated" tensor is x
// with its first half negated and nothing swapped: y = x * (cos - sin) on the
// first half and x * (cos + sin) on the second. Lanes never mix, so it is no
// rotation; the raiser must leave it alone.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @rope_wrong_neg_half(%x: tensor<1x4x1x64xbf16>, %cos: tensor<1x1x1x64xbf16>, %sin: tensor<1x1x1x64xbf16>) -> tensor<1x4x1x64xbf16> {
  %e = tensor.empty() : tensor<1x4x1x64xbf16>
  %cc = tensor.collapse_shape %cos [[0, 1, 2], [3]] : tensor<1x1x1x64xbf16> into tensor<1x64xbf16>
  %cos_bc = linalg.broadcast ins(%cc : tensor<1x64xbf16>) outs(%e : tensor<1x4x1x64xbf16>) dimensions = [0, 1]
  %x_cos = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %cos_bc : tensor<1x4x1x64xbf16>, tensor<1x4x1x64xbf16>) outs(%e : tensor<1x4x1x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.mulf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<1x4x1x64xbf16>
  %x_lo = tensor.extract_slice %x[0, 0, 0, 0] [1, 4, 1, 32] [1, 1, 1, 1] : tensor<1x4x1x64xbf16> to tensor<1x4x1x32xbf16>
  %eh = tensor.empty() : tensor<1x4x1x32xbf16>
  %neg_lo = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x_lo : tensor<1x4x1x32xbf16>) outs(%eh : tensor<1x4x1x32xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %0 = arith.negf %in : bf16
    linalg.yield %0 : bf16
  } -> tensor<1x4x1x32xbf16>
  %x_hi = tensor.extract_slice %x[0, 0, 0, 32] [1, 4, 1, 32] [1, 1, 1, 1] : tensor<1x4x1x64xbf16> to tensor<1x4x1x32xbf16>
  %rotated = tensor.concat dim(3) %neg_lo, %x_hi : (tensor<1x4x1x32xbf16>, tensor<1x4x1x32xbf16>) -> tensor<1x4x1x64xbf16>
  %sc = tensor.collapse_shape %sin [[0, 1, 2], [3]] : tensor<1x1x1x64xbf16> into tensor<1x64xbf16>
  %sin_bc = linalg.broadcast ins(%sc : tensor<1x64xbf16>) outs(%e : tensor<1x4x1x64xbf16>) dimensions = [0, 1]
  %rot_sin = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%rotated, %sin_bc : tensor<1x4x1x64xbf16>, tensor<1x4x1x64xbf16>) outs(%e : tensor<1x4x1x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.mulf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<1x4x1x64xbf16>
  %result = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x_cos, %rot_sin : tensor<1x4x1x64xbf16>, tensor<1x4x1x64xbf16>) outs(%e : tensor<1x4x1x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.addf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<1x4x1x64xbf16>
  return %result : tensor<1x4x1x64xbf16>
}
