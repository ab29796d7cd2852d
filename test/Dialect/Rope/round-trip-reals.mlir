// RUN: rope-opt %s | FileCheck %s
// RUN: rope-opt %s | rope-opt | FileCheck %s
// RUN: rope-opt %s --mlir-print-op-generic | rope-opt | FileCheck %s

// Parameters print in a form MLIR reads back to the same double: a '.'
// before every exponent, the shortest decimal otherwise (issue 17).

// CHECK: #rope.yarn<factor = 4.0, original_max_position = 4096, beta_fast = 1.0e-05, beta_slow = 1.23456789e+16>
// CHECK: #rope.yarn<factor = 2.0, original_max_position = 8192, beta_fast = 5.0e-324, beta_slow = 2.0>
// CHECK: #rope.freq_factors<[1.0, 2.2250738585072014e-308, 0.1, 1.7976931348623157e+308]>
func.func @reals(%x: tensor<2x4x8x8xf32>, %y: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) -> (tensor<2x4x8x8xf32>, tensor<2x4x8x128xf32>) {
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%y : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.yarn<factor = 4.0, original_max_position = 4096, beta_fast = 1.0e-05, beta_slow = 12345678900000001.0> -> tensor<2x4x8x128xf32>
  %t = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%y : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.yarn<factor = 2.0, original_max_position = 8192, beta_fast = 5.0e-324, beta_slow = 2.0> -> tensor<2x4x8x128xf32>
  %s = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x8xf32>) layout = bhsd pairing = half head_dim = 8 rotary_dim = 8 theta = 1.0e4 scaling = #rope.freq_factors<[1.0, 2.2250738585072014e-308, 0.1, 1.7976931348623157e+308]> -> tensor<2x4x8x8xf32>
  return %s, %t : tensor<2x4x8x8xf32>, tensor<2x4x8x128xf32>
}
