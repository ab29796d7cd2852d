// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-tile-tokens))' | FileCheck %s
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-tile-tokens{tile-size=4 parallel=true}))' | FileCheck %s --check-prefix=FORALL

// COM: TilingInterface: the loops run over tokens (batch and sequence for
// COM: bhsd); every head of q and k stays in the tile, so cos/sin of a token
// COM: are computed once for all of them.
// CHECK-LABEL: func @bhsd
// CHECK: scf.for %[[B:[a-z0-9]+]] = %{{.*}} to %{{.*}} step
// CHECK:   scf.for %[[S:[a-z0-9]+]] = %{{.*}} to %{{.*}} step
// CHECK:     tensor.extract_slice %{{.*}}[%[[B]], 0, %[[S]], 0] [1, 32, 1, 128]
// CHECK:     tensor.extract_slice %{{.*}}[%[[B]], 0, %[[S]], 0] [1, 8, 1, 128]
// CHECK:     tensor.extract_slice %{{.*}}[0, %[[B]], %[[S]]] [3, 1, 1]
// CHECK:     rope.rotate {{.*}} -> tensor<1x32x1x128xf32>, tensor<1x8x1x128xf32>
// FORALL-LABEL: func @bhsd
// FORALL: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (2, %{{.*}}) step (1, 4)
// FORALL: rope.rotate {{.*}} -> tensor<1x32x?x128xf32>, tensor<1x8x?x128xf32>
// FORALL: scf.forall.in_parallel
func.func @bhsd(%q: tensor<2x32x?x128xf32>, %k: tensor<2x8x?x128xf32>, %pos: tensor<3x2x?xi64>) -> (tensor<2x32x?x128xf32>, tensor<2x8x?x128xf32>) {
  %r:2 = rope.rotate positions(%pos : tensor<3x2x?xi64>) outs(%q, %k : tensor<2x32x?x128xf32>, tensor<2x8x?x128xf32>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6 axes = <interleaved [24, 20, 20]>
      -> tensor<2x32x?x128xf32>, tensor<2x8x?x128xf32>
  return %r#0, %r#1 : tensor<2x32x?x128xf32>, tensor<2x8x?x128xf32>
}

// -----

// CHECK-LABEL: func @tables_thd
// CHECK: scf.for %[[T:[a-z0-9]+]] =
// CHECK:   tensor.extract_slice %arg1[%[[T]], 0] [1, 32]
// CHECK:   tensor.extract_slice %arg2[%[[T]], 0] [1, 32]
// CHECK:   rope.rotate_with_tables {{.*}} -> tensor<1x4x64xf32>
func.func @tables_thd(%q: tensor<16x4x64xf32>, %c: tensor<16x32xf32>, %s: tensor<16x32xf32>) -> tensor<16x4x64xf32> {
  %r = rope.rotate_with_tables cos(%c : tensor<16x32xf32>) sin(%s : tensor<16x32xf32>) outs(%q : tensor<16x4x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 -> tensor<16x4x64xf32>
  return %r : tensor<16x4x64xf32>
}
