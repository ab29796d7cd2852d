// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: ttir-linalg
// MODEL: near miss: tt-mlir's rope_expanded_wrong_concat_order_no_fuse (GPT-OSS expanded form with the two halves concatenated in the wrong order), ttir-to-linalg, bf16, decode S=1
// FUNC: @rope_expanded_wrong_order
// ARGS: x cos sin
// REF: layout=bhsd pairing=half rotary_dim=64
// EXPECT: none
//
// Same ops as gptoss_expanded_half_tables_decode.mlir, but concat(add, sub):
// lane j gets x2*cos + x1*sin and lane j + P gets x1*cos - x2*sin, i.e. the
// rotation followed by a swap of the halves. No rope op computes that (it is
// not a rotation of the pairs (j, j + P) in place), so it must stay as it is.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @rope_expanded_wrong_order(%x: tensor<2x4x1x64xbf16>, %cos_h: tensor<1x1x1x32xbf16>, %sin_h: tensor<1x1x1x32xbf16>) -> tensor<2x4x1x64xbf16> {
  %eh = tensor.empty() : tensor<2x4x1x32xbf16>
  %cc = tensor.collapse_shape %cos_h [[0, 1, 2], [3]] : tensor<1x1x1x32xbf16> into tensor<1x32xbf16>
  %cos_bc = linalg.broadcast ins(%cc : tensor<1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) dimensions = [0, 1]
  %sc = tensor.collapse_shape %sin_h [[0, 1, 2], [3]] : tensor<1x1x1x32xbf16> into tensor<1x32xbf16>
  %sin_bc = linalg.broadcast ins(%sc : tensor<1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) dimensions = [0, 1]
  %first = tensor.extract_slice %x[0, 0, 0, 0] [2, 4, 1, 32] [1, 1, 1, 1] : tensor<2x4x1x64xbf16> to tensor<2x4x1x32xbf16>
  %second = tensor.extract_slice %x[0, 0, 0, 32] [2, 4, 1, 32] [1, 1, 1, 1] : tensor<2x4x1x64xbf16> to tensor<2x4x1x32xbf16>
  %fc = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%first, %cos_bc : tensor<2x4x1x32xbf16>, tensor<2x4x1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.mulf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<2x4x1x32xbf16>
  %ss = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%second, %sin_bc : tensor<2x4x1x32xbf16>, tensor<2x4x1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.mulf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<2x4x1x32xbf16>
  %sub = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%fc, %ss : tensor<2x4x1x32xbf16>, tensor<2x4x1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.subf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<2x4x1x32xbf16>
  %sc2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%second, %cos_bc : tensor<2x4x1x32xbf16>, tensor<2x4x1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.mulf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<2x4x1x32xbf16>
  %fs = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%first, %sin_bc : tensor<2x4x1x32xbf16>, tensor<2x4x1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.mulf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<2x4x1x32xbf16>
  %add = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sc2, %fs : tensor<2x4x1x32xbf16>, tensor<2x4x1x32xbf16>) outs(%eh : tensor<2x4x1x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.addf %in, %in_0 : bf16
    linalg.yield %0 : bf16
  } -> tensor<2x4x1x32xbf16>
  %result = tensor.concat dim(3) %add, %sub : (tensor<2x4x1x32xbf16>, tensor<2x4x1x32xbf16>) -> tensor<2x4x1x64xbf16>
  return %result : tensor<2x4x1x64xbf16>
}
