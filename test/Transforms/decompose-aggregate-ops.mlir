// RUN: rope-opt %s -p 'builtin.module(func.func(rope-decompose-aggregate-ops))' | FileCheck %s

// linalg.softmax becomes linalg's own decomposition: a max reduction, then
// exp(x - max), a sum reduction, and the division.
// CHECK-LABEL: func.func @softmax
// CHECK-NOT: linalg.softmax
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.maxnumf
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %e = tensor.empty() : tensor<4x32xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<4x32xf32>) outs(%e : tensor<4x32xf32>) -> tensor<4x32xf32>
  return %s : tensor<4x32xf32>
}

// The rope ops are rope-decompose's: left as they are.
// CHECK-LABEL: func.func @rope_left
// CHECK: rope.rotate
func.func @rope_left(%x: tensor<8x2x64xf32>, %pos: tensor<1x8xi64>) -> tensor<8x2x64xf32> {
  %r = rope.rotate ins(%x : tensor<8x2x64xf32>) positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<8x2x64xf32>
  return %r : tensor<8x2x64xf32>
}

// COM: linalg.pack / linalg.unpack (no bufferization of their own) become
// COM: upstream's lowerPack / lowerUnPack forms. The numbers:
// COM: test/e2e/model_ops.test (pack_unpack, with padding).
// CHECK-LABEL: func.func @pack_unpack
// CHECK-NOT: linalg.pack
// CHECK: tensor.pad
// CHECK: tensor.expand_shape
// CHECK: linalg.transpose
// CHECK-NOT: linalg.unpack
// CHECK: linalg.transpose
// CHECK: return
func.func @pack_unpack(%x: tensor<13x30xf32>) -> tensor<13x30xf32> {
  %pad = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %p = linalg.pack %x padding_value(%pad : f32) inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %e : tensor<13x30xf32> -> tensor<2x4x8x8xf32>
  %e2 = tensor.empty() : tensor<13x30xf32>
  %u = linalg.unpack %p inner_dims_pos = [0, 1] inner_tiles = [8, 8] into %e2 : tensor<2x4x8x8xf32> -> tensor<13x30xf32>
  return %u : tensor<13x30xf32>
}
