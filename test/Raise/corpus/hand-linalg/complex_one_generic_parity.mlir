// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: hand-linalg
// MODEL: Meta Llama complex rotation fused into ONE linalg.generic over the output lanes (what producer/consumer fusion of the view_as_complex / view_as_real chain leaves), f32, decode-sized S
// FUNC: @complex_fused
// ARGS: x cis
// REF: layout=bshd pairing=adjacent rotary_dim=128
// EXPECT: tables
//
// The output is iterated lane by lane ([B, S, H, D]); the pair of lane d3 is
// read through `d3 floordiv 2` maps from the [.., P, 2] view of x (lane 0 and
// lane 1 of the pair) and from freqs_cis [S, P]; the pair is multiplied as a
// complex number and the lane keeps the real part on even d3 and the
// imaginary part on odd d3 (linalg.index 3 % 2 and arith.select).
#lane0 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3 floordiv 2, 0)>
#lane1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3 floordiv 2, 1)>
#fc = affine_map<(d0, d1, d2, d3) -> (d1, d3 floordiv 2)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @complex_fused(%x: tensor<1x4x4x128xf32>, %freqs_cis: tensor<4x64xcomplex<f32>>) -> tensor<1x4x4x128xf32> {
  %c2 = arith.constant 2 : index
  %c0 = arith.constant 0 : index
  %xp = tensor.expand_shape %x [[0], [1], [2], [3, 4]] output_shape [1, 4, 4, 64, 2] : tensor<1x4x4x128xf32> into tensor<1x4x4x64x2xf32>
  %e = tensor.empty() : tensor<1x4x4x128xf32>
  %y = linalg.generic {indexing_maps = [#lane0, #lane1, #fc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%xp, %xp, %freqs_cis : tensor<1x4x4x64x2xf32>, tensor<1x4x4x64x2xf32>, tensor<4x64xcomplex<f32>>) outs(%e : tensor<1x4x4x128xf32>) {
  ^bb0(%re: f32, %im: f32, %f: complex<f32>, %out: f32):
    %z = complex.create %re, %im : complex<f32>
    %p = complex.mul %z, %f : complex<f32>
    %r = complex.re %p : complex<f32>
    %i = complex.im %p : complex<f32>
    %d3 = linalg.index 3 : index
    %par = arith.remui %d3, %c2 : index
    %even = arith.cmpi eq, %par, %c0 : index
    %v = arith.select %even, %r, %i : f32
    linalg.yield %v : f32
  } -> tensor<1x4x4x128xf32>
  return %y : tensor<1x4x4x128xf32>
}
