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
