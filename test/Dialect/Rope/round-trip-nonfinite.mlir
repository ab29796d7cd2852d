// RUN: rope-opt %s --mlir-very-unsafe-disable-verifier-on-parsing --verify-each=false | FileCheck %s
// RUN: rope-opt %s --mlir-very-unsafe-disable-verifier-on-parsing --verify-each=false | rope-opt --mlir-very-unsafe-disable-verifier-on-parsing --verify-each=false | FileCheck %s

// Non-finite values (rejected by the verifier) print as their bits, which
// read back: inf and nan.
// CHECK: #rope.freq_factors<[0x7FF0000000000000, 0x7FF8000000000000]>
func.func @bits(%x: tensor<2x4x8x4xf32>, %pos: tensor<1x2x8xi64>) -> tensor<2x4x8x4xf32> {
  %s = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 scaling = #rope.freq_factors<[0x7FF0000000000000, 0x7FF8000000000000]> -> tensor<2x4x8x4xf32>
  return %s : tensor<2x4x8x4xf32>
}
