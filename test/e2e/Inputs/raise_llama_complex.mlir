// Meta Llama's reference rotation, [B, S, H, D]:
//   xq_ = view_as_complex(xq.reshape(..., -1, 2)); freqs_cis = polar(1, freqs)
//   out = view_as_real(xq_ * freqs_cis).flatten(3)
// as generics over complex values; freqs_cis [S, P] is complex(cos, sin) of
// tables given as arguments and broadcast over batch and heads.
#lane0 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3, 0)>
#lane1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3, 1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#fc = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#drop = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
func.func @llama_complex(%q: tensor<2x8x4x16xf32>, %cos: tensor<8x8xf32>, %sin: tensor<8x8xf32>) -> tensor<2x8x4x16xf32> {
  %pairs = tensor.expand_shape %q [[0], [1], [2], [3, 4]] output_shape [2, 8, 4, 8, 2] : tensor<2x8x4x16xf32> into tensor<2x8x4x8x2xf32>
  %ce = tensor.empty() : tensor<2x8x4x8xcomplex<f32>>
  %xc = linalg.generic {indexing_maps = [#lane0, #lane1, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%pairs, %pairs : tensor<2x8x4x8x2xf32>, tensor<2x8x4x8x2xf32>) outs(%ce : tensor<2x8x4x8xcomplex<f32>>) {
  ^bb0(%a: f32, %b: f32, %o: complex<f32>):
    %z = complex.create %a, %b : complex<f32>
    linalg.yield %z : complex<f32>
  } -> tensor<2x8x4x8xcomplex<f32>>
  %fe = tensor.empty() : tensor<8x8xcomplex<f32>>
  %freqs_cis = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%cos, %sin : tensor<8x8xf32>, tensor<8x8xf32>) outs(%fe : tensor<8x8xcomplex<f32>>) {
  ^bb0(%c: f32, %s: f32, %o: complex<f32>):
    %z = complex.create %c, %s : complex<f32>
    linalg.yield %z : complex<f32>
  } -> tensor<8x8xcomplex<f32>>
  %yc = linalg.generic {indexing_maps = [#id4, #fc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%xc, %freqs_cis : tensor<2x8x4x8xcomplex<f32>>, tensor<8x8xcomplex<f32>>) outs(%ce : tensor<2x8x4x8xcomplex<f32>>) {
  ^bb0(%a: complex<f32>, %f: complex<f32>, %o: complex<f32>):
    %z = complex.mul %a, %f : complex<f32>
    linalg.yield %z : complex<f32>
  } -> tensor<2x8x4x8xcomplex<f32>>
  %re = tensor.empty() : tensor<2x8x4x8x2xf32>
  %yr = linalg.generic {indexing_maps = [#drop, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%yc : tensor<2x8x4x8xcomplex<f32>>) outs(%re : tensor<2x8x4x8x2xf32>) {
  ^bb0(%z: complex<f32>, %o: f32):
    %t = linalg.index 4 : index
    %c0 = arith.constant 0 : index
    %first = arith.cmpi eq, %t, %c0 : index
    %r = complex.re %z : complex<f32>
    %i = complex.im %z : complex<f32>
    %v = arith.select %first, %r, %i : f32
    linalg.yield %v : f32
  } -> tensor<2x8x4x8x2xf32>
  %y = tensor.collapse_shape %yr [[0], [1], [2], [3, 4]] : tensor<2x8x4x8x2xf32> into tensor<2x8x4x16xf32>
  return %y : tensor<2x8x4x16xf32>
}
