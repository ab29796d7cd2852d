// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: iree-linalg
// MODEL: HF Llama-style rotary embedding after IREE GlobalOptimization raise-special-ops (slice-negate-concat peephole), f16, decode S=1
// FUNC: @iree_rotate_half_extract
// ARGS: x cos sin
// REF: layout=bhsd pairing=half rotary_dim=128
// EXPECT: tables
//
// IREE's RaiseSpecialOps rewrites rotate_half (two slices, a negf generic and
// a concat / pair of insert_slices) into ONE output-only generic over x viewed
// as [.., 2, P] (tensor.expand_shape): each element reads the OTHER half with
// tensor.extract at [.., 1 - i, j], negates it, and keeps the negated value
// where linalg.index 3 == 0 (arith.select); tensor.collapse_shape restores
// [.., D]. The products with cos / sin [1, 1, 1, D] stay generics whose table
// maps read the broadcast head dim at 0: (d0, 0, d2, d3) (torch-mlir style).
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
func.func @iree_rotate_half_extract(%x: tensor<1x4x1x128xf16>, %cos: tensor<1x1x1x128xf16>, %sin: tensor<1x1x1x128xf16>) -> tensor<1x4x1x128xf16> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %xe = tensor.expand_shape %x [[0], [1], [2], [3, 4]] output_shape [1, 4, 1, 2, 64] : tensor<1x4x1x128xf16> into tensor<1x4x1x2x64xf16>
  %e5 = tensor.empty() : tensor<1x4x1x2x64xf16>
  %rh = linalg.generic {indexing_maps = [#id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%e5 : tensor<1x4x1x2x64xf16>) {
  ^bb0(%out: f16):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %i4 = linalg.index 4 : index
    %rev = arith.subi %c1, %i3 : index
    %v = tensor.extract %xe[%i0, %i1, %i2, %rev, %i4] : tensor<1x4x1x2x64xf16>
    %n = arith.negf %v : f16
    %first = arith.cmpi eq, %i3, %c0 : index
    %s = arith.select %first, %n, %v : f16
    linalg.yield %s : f16
  } -> tensor<1x4x1x2x64xf16>
  %rot = tensor.collapse_shape %rh [[0], [1], [2], [3, 4]] : tensor<1x4x1x2x64xf16> into tensor<1x4x1x128xf16>
  %e = tensor.empty() : tensor<1x4x1x128xf16>
  %xc = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %cos : tensor<1x4x1x128xf16>, tensor<1x1x1x128xf16>) outs(%e : tensor<1x4x1x128xf16>) {
  ^bb0(%in: f16, %in_0: f16, %out: f16):
    %0 = arith.mulf %in, %in_0 : f16
    linalg.yield %0 : f16
  } -> tensor<1x4x1x128xf16>
  %rs = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%rot, %sin : tensor<1x4x1x128xf16>, tensor<1x1x1x128xf16>) outs(%e : tensor<1x4x1x128xf16>) {
  ^bb0(%in: f16, %in_0: f16, %out: f16):
    %0 = arith.mulf %in, %in_0 : f16
    linalg.yield %0 : f16
  } -> tensor<1x4x1x128xf16>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%xc, %rs : tensor<1x4x1x128xf16>, tensor<1x4x1x128xf16>) outs(%e : tensor<1x4x1x128xf16>) {
  ^bb0(%in: f16, %in_0: f16, %out: f16):
    %0 = arith.addf %in, %in_0 : f16
    linalg.yield %0 : f16
  } -> tensor<1x4x1x128xf16>
  return %y : tensor<1x4x1x128xf16>
}
