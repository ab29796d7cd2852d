// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: iree-linalg
// MODEL: HF Llama-style rotary embedding as IREE's torch input reaches GlobalOptimization (before raise-special-ops): rank-reducing slices, a 2-D negf generic, concat as two tensor.insert_slice, f16, decode S=1
// FUNC: @iree_insert_slice_rope
// ARGS: x cos sin
// REF: layout=bhsd pairing=half rotary_dim=128
// EXPECT: tables
//
// With B = S = 1 the unit dims fold away early: the halves are rank-reducing
// tensor.extract_slice [1, H, 1, 64] -> tensor<Hx64>, -x2 is a 2-D generic,
// and cat((-x2, x1)) is two tensor.insert_slice into a tensor.empty (the form
// IREE's slice-negate-cat peephole matches). cos / sin arrive as [S, D] and
// the products read them with (d2, d3) maps.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#tab = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @iree_insert_slice_rope(%x: tensor<1x4x1x128xf16>, %cos: tensor<1x128xf16>, %sin: tensor<1x128xf16>) -> tensor<1x4x1x128xf16> {
  %lo = tensor.extract_slice %x[0, 0, 0, 0] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<1x4x1x128xf16> to tensor<4x64xf16>
  %hi = tensor.extract_slice %x[0, 0, 0, 64] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<1x4x1x128xf16> to tensor<4x64xf16>
  %e2 = tensor.empty() : tensor<4x64xf16>
  %nhi = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%hi : tensor<4x64xf16>) outs(%e2 : tensor<4x64xf16>) {
  ^bb0(%in: f16, %out: f16):
    %0 = arith.negf %in : f16
    linalg.yield %0 : f16
  } -> tensor<4x64xf16>
  %e = tensor.empty() : tensor<1x4x1x128xf16>
  %ins0 = tensor.insert_slice %nhi into %e[0, 0, 0, 0] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<4x64xf16> into tensor<1x4x1x128xf16>
  %rot = tensor.insert_slice %lo into %ins0[0, 0, 0, 64] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<4x64xf16> into tensor<1x4x1x128xf16>
  %eo = tensor.empty() : tensor<1x4x1x128xf16>
  %xc = linalg.generic {indexing_maps = [#id, #tab, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %cos : tensor<1x4x1x128xf16>, tensor<1x128xf16>) outs(%eo : tensor<1x4x1x128xf16>) {
  ^bb0(%in: f16, %in_0: f16, %out: f16):
    %0 = arith.mulf %in, %in_0 : f16
    linalg.yield %0 : f16
  } -> tensor<1x4x1x128xf16>
  %rs = linalg.generic {indexing_maps = [#id, #tab, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%rot, %sin : tensor<1x4x1x128xf16>, tensor<1x128xf16>) outs(%eo : tensor<1x4x1x128xf16>) {
  ^bb0(%in: f16, %in_0: f16, %out: f16):
    %0 = arith.mulf %in, %in_0 : f16
    linalg.yield %0 : f16
  } -> tensor<1x4x1x128xf16>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%xc, %rs : tensor<1x4x1x128xf16>, tensor<1x4x1x128xf16>) outs(%eo : tensor<1x4x1x128xf16>) {
  ^bb0(%in: f16, %in_0: f16, %out: f16):
    %0 = arith.addf %in, %in_0 : f16
    linalg.yield %0 : f16
  } -> tensor<1x4x1x128xf16>
  return %y : tensor<1x4x1x128xf16>
}
