// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: stablehlo-linalg
// MODEL: GPT-J-style adjacent pairs applied as 2x2 rotation matrices (JAX: x.reshape(..., P, 1, 2) @ rot[..., P, 2, 2]), stablehlo-legalize-to-linalg{enable-primitive-ops}, f32, prefill
// FUNC: @gptj_rotmat
// ARGS: x cos sin
// REF: layout=bshd pairing=adjacent rotary_dim=64
// EXPECT: tables
//
// rot = stack([stack([c, s], -1), stack([-s, c], -1)], -2) is built from the
// per-pair tables [S, P] by reshapes (tensor.expand_shape) and concatenates
// (tensor.concat), -s by a linalg.map(arith.negf); broadcast over batch and
// heads is linalg.broadcast dimensions = [0, 2]. The row-vector product is a
// stablehlo.dot_general with batching dims [0, 1, 2, 3] and contracting dims
// lhs 5 / rhs 4, which no named op covers, so it is the generic
// DotGeneralOpConversion: lhs (d0, d1, d2, d3, d4, d6), rhs (d0, d1, d2, d3,
// d6, d5), 6 parallel loops + 1 reduction, mulf/addf into a zero fill.
// Pair j of lanes (2j, 2j+1): [x0, x1] @ [[c, s], [-s, c]] = [x0 c - x1 s, x0 s + x1 c].
#lhs = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4, d6)>
#rhs = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6, d5)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4, d5)>
func.func @gptj_rotmat(%x: tensor<2x8x2x64xf32>, %cos: tensor<8x32xf32>, %sin: tensor<8x32xf32>) -> tensor<2x8x2x64xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %e0 = tensor.empty() : tensor<8x32xf32>
  %nsin = linalg.map ins(%sin : tensor<8x32xf32>) outs(%e0 : tensor<8x32xf32>)
    (%in: f32, %out: f32) {
      %0 = arith.negf %in : f32
      linalg.yield %0 : f32
    }
  %c3 = tensor.expand_shape %cos [[0], [1, 2]] output_shape [8, 32, 1] : tensor<8x32xf32> into tensor<8x32x1xf32>
  %s3 = tensor.expand_shape %sin [[0], [1, 2]] output_shape [8, 32, 1] : tensor<8x32xf32> into tensor<8x32x1xf32>
  %n3 = tensor.expand_shape %nsin [[0], [1, 2]] output_shape [8, 32, 1] : tensor<8x32xf32> into tensor<8x32x1xf32>
  %row0 = tensor.concat dim(2) %c3, %s3 : (tensor<8x32x1xf32>, tensor<8x32x1xf32>) -> tensor<8x32x2xf32>
  %row1 = tensor.concat dim(2) %n3, %c3 : (tensor<8x32x1xf32>, tensor<8x32x1xf32>) -> tensor<8x32x2xf32>
  %r0 = tensor.expand_shape %row0 [[0], [1], [2, 3]] output_shape [8, 32, 1, 2] : tensor<8x32x2xf32> into tensor<8x32x1x2xf32>
  %r1 = tensor.expand_shape %row1 [[0], [1], [2, 3]] output_shape [8, 32, 1, 2] : tensor<8x32x2xf32> into tensor<8x32x1x2xf32>
  %rot = tensor.concat dim(2) %r0, %r1 : (tensor<8x32x1x2xf32>, tensor<8x32x1x2xf32>) -> tensor<8x32x2x2xf32>
  %e1 = tensor.empty() : tensor<2x8x2x32x2x2xf32>
  %rotb = linalg.broadcast ins(%rot : tensor<8x32x2x2xf32>) outs(%e1 : tensor<2x8x2x32x2x2xf32>) dimensions = [0, 2]
  %xr = tensor.expand_shape %x [[0], [1], [2], [3, 4, 5]] output_shape [2, 8, 2, 32, 1, 2] : tensor<2x8x2x64xf32> into tensor<2x8x2x32x1x2xf32>
  %e2 = tensor.empty() : tensor<2x8x2x32x1x2xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x8x2x32x1x2xf32>) -> tensor<2x8x2x32x1x2xf32>
  %y6 = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%xr, %rotb : tensor<2x8x2x32x1x2xf32>, tensor<2x8x2x32x2x2xf32>) outs(%z : tensor<2x8x2x32x1x2xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<2x8x2x32x1x2xf32>
  %y = tensor.collapse_shape %y6 [[0], [1], [2], [3, 4, 5]] : tensor<2x8x2x32x1x2xf32> into tensor<2x8x2x64xf32>
  return %y : tensor<2x8x2x64xf32>
}
