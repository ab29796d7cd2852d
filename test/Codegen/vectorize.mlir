// RUN: rope-opt %s -p 'builtin.module(func.func(rope-tile-tokens,rope-decompose,canonicalize,cse,rope-codegen-vectorize,canonicalize,cse))' | FileCheck %s

// COM: After tiling tokens and heads, a pair row is one vector: cos/sin as
// COM: vector<64xf32> once per token, both lanes of every pair of a head as
// COM: vector<2x64xf32>, read from the loop-carried destination (in place).
// CHECK-LABEL: func @in_place
// CHECK-NOT: linalg.generic
// CHECK: scf.for %{{.*}} iter_args(%[[Q:.*]] = %arg0, %[[K:.*]] = %arg1)
// CHECK:   math.cos %{{.*}} : vector<64xf32>
// CHECK:   math.sin %{{.*}} : vector<64xf32>
// CHECK:   scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args(%[[QH:.*]] =
// CHECK:     vector.transfer_read %[[QH]]{{.*}} : tensor<1x8x1x2x64xf32>, vector<64xf32>
// CHECK:     vector.transfer_write %{{.*}} : vector<2x64xf32>, tensor<1x1x1x2x64xf32>
// CHECK:   scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK-NOT: linalg.generic
func.func @in_place(%q: tensor<1x8x?x128xf32>, %k: tensor<1x16x?x128xf32>, %pos: tensor<3x1x?xi64>) -> (tensor<1x8x?x128xf32>, tensor<1x16x?x128xf32>) {
  %r:2 = rope.rotate positions(%pos : tensor<3x1x?xi64>) outs(%q, %k : tensor<1x8x?x128xf32>, tensor<1x16x?x128xf32>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6 axes = <interleaved [24, 20, 20]>
      -> tensor<1x8x?x128xf32>, tensor<1x16x?x128xf32>
  return %r#0, %r#1 : tensor<1x8x?x128xf32>, tensor<1x16x?x128xf32>
}
