// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-fuse-neighbours))' | FileCheck %s
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-fuse-neighbours{tile-size=4 parallel=true}))' | FileCheck %s --check-prefix=FORALL

// COM: Qwen3's QK-norm before RoPE: the projection's [tokens, H*D] is
// COM: reshaped to [1, S, H, D], RMS-normed per head over D, transposed to
// COM: bhsd and rotated. The reduction, the scale, the transpose and the
// COM: reshape (its slice bubbled up) land in the rope op's token loop; the
// COM: projection stays outside.
// CHECK-LABEL: func @qk_norm_rope
// CHECK: linalg.matmul
// CHECK: scf.for %[[B:[a-z0-9]+]] =
// CHECK:   scf.for %[[S:[a-z0-9]+]] =
// CHECK:     %[[ROW:.*]] = affine.linearize_index disjoint [%[[B]], %[[S]]] by (1, 8)
// CHECK:     tensor.extract_slice %{{.*}}[%[[ROW]], %{{.*}}] [1, 64]
// CHECK:     tensor.expand_shape
// CHECK:     linalg.fill
// CHECK:     linalg.generic {{.*}}"reduction"
// CHECK:     linalg.generic
// CHECK:     linalg.transpose
// CHECK:     rope.rotate_with_tables {{.*}} -> tensor<1x4x1x16xf32>
// CHECK:     tensor.insert_slice
// CHECK-NOT: linalg.generic
// CHECK: return
// FORALL-LABEL: func @qk_norm_rope
// FORALL: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 8) step (1, 4)
// FORALL:   linalg.generic {{.*}}"reduction"
// FORALL:   linalg.transpose
// FORALL:   rope.rotate_with_tables {{.*}} -> tensor<1x4x4x16xf32>
// FORALL: scf.forall.in_parallel
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#red4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#w4 = affine_map<(d0, d1, d2, d3) -> (d3)>
func.func @qk_norm_rope(%x: tensor<8x32xf32>, %wq: tensor<32x64xf32>, %gamma: tensor<16xf32>,
                        %c: tensor<1x8x16xf32>, %s: tensor<1x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant 1.0e-6 : f32
  %d = arith.constant 16.0 : f32
  %e0 = tensor.empty() : tensor<8x64xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %proj = linalg.matmul ins(%x, %wq : tensor<8x32xf32>, tensor<32x64xf32>) outs(%f0 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %q = tensor.expand_shape %proj [[0, 1], [2, 3]] output_shape [1, 8, 4, 16] : tensor<8x64xf32> into tensor<1x8x4x16xf32>
  %e1 = tensor.empty() : tensor<1x8x4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x8x4xf32>) -> tensor<1x8x4xf32>
  %ss = linalg.generic {indexing_maps = [#id4, #red4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q : tensor<1x8x4x16xf32>) outs(%f1 : tensor<1x8x4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %sum = arith.addf %acc, %sq : f32
    linalg.yield %sum : f32
  } -> tensor<1x8x4xf32>
  %e2 = tensor.empty() : tensor<1x8x4x16xf32>
  %n = linalg.generic {indexing_maps = [#id4, #red4, #w4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %ss, %gamma : tensor<1x8x4x16xf32>, tensor<1x8x4xf32>, tensor<16xf32>) outs(%e2 : tensor<1x8x4x16xf32>) {
  ^bb0(%in: f32, %sum: f32, %g: f32, %out: f32):
    %mean = arith.divf %sum, %d : f32
    %v = arith.addf %mean, %eps : f32
    %r = math.rsqrt %v : f32
    %y = arith.mulf %in, %r : f32
    %z = arith.mulf %y, %g : f32
    linalg.yield %z : f32
  } -> tensor<1x8x4x16xf32>
  %e3 = tensor.empty() : tensor<1x4x8x16xf32>
  %t = linalg.transpose ins(%n : tensor<1x8x4x16xf32>) outs(%e3 : tensor<1x4x8x16xf32>) permutation = [0, 2, 1, 3]
  %e4 = tensor.empty() : tensor<1x4x8x16xf32>
  %r = rope.rotate_with_tables ins(%t : tensor<1x4x8x16xf32>) cos(%c : tensor<1x8x16xf32>) sin(%s : tensor<1x8x16xf32>)
      outs(%e4 : tensor<1x4x8x16xf32>) layout = bhsd pairing = half head_dim = 16 rotary_dim = 16
      -> tensor<1x4x8x16xf32>
  return %r : tensor<1x4x8x16xf32>
}
