// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: stablehlo-linalg
// MODEL: Meta Llama reference apply_rotary_emb (view_as_complex * freqs_cis, view_as_real, flatten) via torch-xla StableHLO, stablehlo-legalize-to-linalg (default), f32, GQA, prefill
// FUNC: @meta_llama_complex
// ARGS: x x cis
// REF: layout=bshd pairing=adjacent rotary_dim=64
// EXPECT: tables
//
// freqs_cis is a complex<f32> function argument [S, P] (precomputed by
// precompute_freqs_cis and sliced to the sequence by the caller):
// - xq.reshape(*xq.shape[:-1], -1, 2) is stablehlo.reshape -> tensor.expand_shape;
// - view_as_complex is two stablehlo.slice (lane 0, lane 1) of size 1 ->
//   tensor.extract_slice, stablehlo.reshape dropping that dim -> collapse_shape,
//   and stablehlo.complex -> a generic with complex.create;
// - reshape_for_broadcast views freqs_cis as [1, S, 1, P] (expand_shape) and
//   the multiply broadcasts it: broadcast_in_dim -> a yield-only generic with
//   map (d0, d1, d2, d3) -> (0, d1, 0, d3);
// - xq_ * freqs_cis is stablehlo.multiply on complex -> complex.mul;
// - view_as_real is stablehlo.real and stablehlo.imag (two generics with
//   complex.re / complex.im), each reshaped to [..., P, 1] and concatenated
//   on the last dim (default lowering: the index / scf.if / tensor.extract
//   generic); flatten(3) is collapse_shape.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#fcb = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, d3)>
func.func @meta_llama_complex(%xq: tensor<2x8x4x64xf32>, %xk: tensor<2x8x2x64xf32>, %freqs_cis: tensor<8x32xcomplex<f32>>) -> (tensor<2x8x4x64xf32>, tensor<2x8x2x64xf32>) {
  %c1 = arith.constant 1 : index
  %fc4 = tensor.expand_shape %freqs_cis [[0, 1], [2, 3]] output_shape [1, 8, 1, 32] : tensor<8x32xcomplex<f32>> into tensor<1x8x1x32xcomplex<f32>>
  // ---- xq
  %qp = tensor.expand_shape %xq [[0], [1], [2], [3, 4]] output_shape [2, 8, 4, 32, 2] : tensor<2x8x4x64xf32> into tensor<2x8x4x32x2xf32>
  %qa5 = tensor.extract_slice %qp[0, 0, 0, 0, 0] [2, 8, 4, 32, 1] [1, 1, 1, 1, 1] : tensor<2x8x4x32x2xf32> to tensor<2x8x4x32x1xf32>
  %qa = tensor.collapse_shape %qa5 [[0], [1], [2], [3, 4]] : tensor<2x8x4x32x1xf32> into tensor<2x8x4x32xf32>
  %qb5 = tensor.extract_slice %qp[0, 0, 0, 0, 1] [2, 8, 4, 32, 1] [1, 1, 1, 1, 1] : tensor<2x8x4x32x2xf32> to tensor<2x8x4x32x1xf32>
  %qb = tensor.collapse_shape %qb5 [[0], [1], [2], [3, 4]] : tensor<2x8x4x32x1xf32> into tensor<2x8x4x32xf32>
  %eqc = tensor.empty() : tensor<2x8x4x32xcomplex<f32>>
  %qz = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%qa, %qb : tensor<2x8x4x32xf32>, tensor<2x8x4x32xf32>) outs(%eqc : tensor<2x8x4x32xcomplex<f32>>) {
  ^bb0(%in: f32, %in_0: f32, %out: complex<f32>):
    %0 = complex.create %in, %in_0 : complex<f32>
    linalg.yield %0 : complex<f32>
  } -> tensor<2x8x4x32xcomplex<f32>>
  %fq = linalg.generic {indexing_maps = [#fcb, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%fc4 : tensor<1x8x1x32xcomplex<f32>>) outs(%eqc : tensor<2x8x4x32xcomplex<f32>>) {
  ^bb0(%in: complex<f32>, %out: complex<f32>):
    linalg.yield %in : complex<f32>
  } -> tensor<2x8x4x32xcomplex<f32>>
  %qm = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%qz, %fq : tensor<2x8x4x32xcomplex<f32>>, tensor<2x8x4x32xcomplex<f32>>) outs(%eqc : tensor<2x8x4x32xcomplex<f32>>) {
  ^bb0(%in: complex<f32>, %in_0: complex<f32>, %out: complex<f32>):
    %0 = complex.mul %in, %in_0 : complex<f32>
    linalg.yield %0 : complex<f32>
  } -> tensor<2x8x4x32xcomplex<f32>>
  %eqf = tensor.empty() : tensor<2x8x4x32xf32>
  %qre = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%qm : tensor<2x8x4x32xcomplex<f32>>) outs(%eqf : tensor<2x8x4x32xf32>) {
  ^bb0(%in: complex<f32>, %out: f32):
    %0 = complex.re %in : complex<f32>
    linalg.yield %0 : f32
  } -> tensor<2x8x4x32xf32>
  %qim = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%qm : tensor<2x8x4x32xcomplex<f32>>) outs(%eqf : tensor<2x8x4x32xf32>) {
  ^bb0(%in: complex<f32>, %out: f32):
    %0 = complex.im %in : complex<f32>
    linalg.yield %0 : f32
  } -> tensor<2x8x4x32xf32>
  %qre5 = tensor.expand_shape %qre [[0], [1], [2], [3, 4]] output_shape [2, 8, 4, 32, 1] : tensor<2x8x4x32xf32> into tensor<2x8x4x32x1xf32>
  %qim5 = tensor.expand_shape %qim [[0], [1], [2], [3, 4]] output_shape [2, 8, 4, 32, 1] : tensor<2x8x4x32xf32> into tensor<2x8x4x32x1xf32>
  %eq5 = tensor.empty() : tensor<2x8x4x32x2xf32>
  %qcat = linalg.generic {indexing_maps = [#id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%eq5 : tensor<2x8x4x32x2xf32>) {
  ^bb0(%out: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %i4 = linalg.index 4 : index
    %lt = arith.cmpi ult, %i4, %c1 : index
    %v = scf.if %lt -> (f32) {
      %x = tensor.extract %qre5[%i0, %i1, %i2, %i3, %i4] : tensor<2x8x4x32x1xf32>
      scf.yield %x : f32
    } else {
      %j = arith.subi %i4, %c1 : index
      %x = tensor.extract %qim5[%i0, %i1, %i2, %i3, %j] : tensor<2x8x4x32x1xf32>
      scf.yield %x : f32
    }
    linalg.yield %v : f32
  } -> tensor<2x8x4x32x2xf32>
  %qo = tensor.collapse_shape %qcat [[0], [1], [2], [3, 4]] : tensor<2x8x4x32x2xf32> into tensor<2x8x4x64xf32>
  // ---- xk (2 kv heads: its own broadcast of freqs_cis)
  %kp = tensor.expand_shape %xk [[0], [1], [2], [3, 4]] output_shape [2, 8, 2, 32, 2] : tensor<2x8x2x64xf32> into tensor<2x8x2x32x2xf32>
  %ka5 = tensor.extract_slice %kp[0, 0, 0, 0, 0] [2, 8, 2, 32, 1] [1, 1, 1, 1, 1] : tensor<2x8x2x32x2xf32> to tensor<2x8x2x32x1xf32>
  %ka = tensor.collapse_shape %ka5 [[0], [1], [2], [3, 4]] : tensor<2x8x2x32x1xf32> into tensor<2x8x2x32xf32>
  %kb5 = tensor.extract_slice %kp[0, 0, 0, 0, 1] [2, 8, 2, 32, 1] [1, 1, 1, 1, 1] : tensor<2x8x2x32x2xf32> to tensor<2x8x2x32x1xf32>
  %kb = tensor.collapse_shape %kb5 [[0], [1], [2], [3, 4]] : tensor<2x8x2x32x1xf32> into tensor<2x8x2x32xf32>
  %ekc = tensor.empty() : tensor<2x8x2x32xcomplex<f32>>
  %kz = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ka, %kb : tensor<2x8x2x32xf32>, tensor<2x8x2x32xf32>) outs(%ekc : tensor<2x8x2x32xcomplex<f32>>) {
  ^bb0(%in: f32, %in_0: f32, %out: complex<f32>):
    %0 = complex.create %in, %in_0 : complex<f32>
    linalg.yield %0 : complex<f32>
  } -> tensor<2x8x2x32xcomplex<f32>>
  %fk = linalg.generic {indexing_maps = [#fcb, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%fc4 : tensor<1x8x1x32xcomplex<f32>>) outs(%ekc : tensor<2x8x2x32xcomplex<f32>>) {
  ^bb0(%in: complex<f32>, %out: complex<f32>):
    linalg.yield %in : complex<f32>
  } -> tensor<2x8x2x32xcomplex<f32>>
  %km = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%kz, %fk : tensor<2x8x2x32xcomplex<f32>>, tensor<2x8x2x32xcomplex<f32>>) outs(%ekc : tensor<2x8x2x32xcomplex<f32>>) {
  ^bb0(%in: complex<f32>, %in_0: complex<f32>, %out: complex<f32>):
    %0 = complex.mul %in, %in_0 : complex<f32>
    linalg.yield %0 : complex<f32>
  } -> tensor<2x8x2x32xcomplex<f32>>
  %ekf = tensor.empty() : tensor<2x8x2x32xf32>
  %kre = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%km : tensor<2x8x2x32xcomplex<f32>>) outs(%ekf : tensor<2x8x2x32xf32>) {
  ^bb0(%in: complex<f32>, %out: f32):
    %0 = complex.re %in : complex<f32>
    linalg.yield %0 : f32
  } -> tensor<2x8x2x32xf32>
  %kim = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%km : tensor<2x8x2x32xcomplex<f32>>) outs(%ekf : tensor<2x8x2x32xf32>) {
  ^bb0(%in: complex<f32>, %out: f32):
    %0 = complex.im %in : complex<f32>
    linalg.yield %0 : f32
  } -> tensor<2x8x2x32xf32>
  %kre5 = tensor.expand_shape %kre [[0], [1], [2], [3, 4]] output_shape [2, 8, 2, 32, 1] : tensor<2x8x2x32xf32> into tensor<2x8x2x32x1xf32>
  %kim5 = tensor.expand_shape %kim [[0], [1], [2], [3, 4]] output_shape [2, 8, 2, 32, 1] : tensor<2x8x2x32xf32> into tensor<2x8x2x32x1xf32>
  %ek5 = tensor.empty() : tensor<2x8x2x32x2xf32>
  %kcat = linalg.generic {indexing_maps = [#id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%ek5 : tensor<2x8x2x32x2xf32>) {
  ^bb0(%out: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %i4 = linalg.index 4 : index
    %lt = arith.cmpi ult, %i4, %c1 : index
    %v = scf.if %lt -> (f32) {
      %x = tensor.extract %kre5[%i0, %i1, %i2, %i3, %i4] : tensor<2x8x2x32x1xf32>
      scf.yield %x : f32
    } else {
      %j = arith.subi %i4, %c1 : index
      %x = tensor.extract %kim5[%i0, %i1, %i2, %i3, %j] : tensor<2x8x2x32x1xf32>
      scf.yield %x : f32
    }
    linalg.yield %v : f32
  } -> tensor<2x8x2x32x2xf32>
  %ko = tensor.collapse_shape %kcat [[0], [1], [2], [3, 4]] : tensor<2x8x2x32x2xf32> into tensor<2x8x2x64xf32>
  return %qo, %ko : tensor<2x8x4x64xf32>, tensor<2x8x2x64xf32>
}
