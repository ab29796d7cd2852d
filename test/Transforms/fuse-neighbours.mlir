// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-fuse-neighbours))' | FileCheck %s
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-fuse-neighbours{tile-size=4 parallel=true}))' | FileCheck %s --check-prefix=FORALL
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-fuse-neighbours{tile-size=4 parallel=true min-parallel-tokens=16}))' | FileCheck %s --check-prefix=SERIAL
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-fuse-neighbours))' 2>&1 | FileCheck %s --check-prefix=NOERR --implicit-check-not=error

// COM: With threads but fewer static tokens than min-parallel-tokens (8 < 16):
// COM: a serial loop.
// SERIAL-LABEL: func @qk_norm_rope
// SERIAL-NOT: scf.forall
// SERIAL: scf.for
// SERIAL: rope.rotate_with_tables
// NOERR: func @paged_cache

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

// -----

// COM: torch-mlir's keepdim sum of squares (output map with a constant 0):
// COM: linalg cannot tile that output, so the pass first drops its unit dim;
// COM: then the sum, the square before it and the scale all land in the
// COM: loop (the square merged into the sum), and no error is printed.
// CHECK-LABEL: func @keepdim_qk_norm
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK:   linalg.generic {{.*}}"reduction"
// CHECK:     math.fpowi
// CHECK:   math.rsqrt
// CHECK:   rope.rotate
// CHECK-NOT: linalg.generic
// CHECK: return
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#keep3 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
func.func @keepdim_qk_norm(%k: tensor<8x2x16xf32>, %pos: tensor<1x8xi32>) -> tensor<8x2x16xf32> {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2 : i32
  %e0 = tensor.empty() : tensor<8x2x16xf32>
  %sq = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%k : tensor<8x2x16xf32>) outs(%e0 : tensor<8x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = math.fpowi %in, %two : f32, i32
    linalg.yield %p : f32
  } -> tensor<8x2x16xf32>
  %e1 = tensor.empty() : tensor<8x2x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x2x1xf32>) -> tensor<8x2x1xf32>
  %sum = linalg.generic {indexing_maps = [#id3, #keep3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sq : tensor<8x2x16xf32>) outs(%f1 : tensor<8x2x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<8x2x1xf32>
  %e2 = tensor.empty() : tensor<8x2x16xf32>
  %n = linalg.generic {indexing_maps = [#id3, #keep3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%k, %sum : tensor<8x2x16xf32>, tensor<8x2x1xf32>) outs(%e2 : tensor<8x2x16xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %r = math.rsqrt %s : f32
    %y = arith.mulf %in, %r : f32
    linalg.yield %y : f32
  } -> tensor<8x2x16xf32>
  %e3 = tensor.empty() : tensor<8x2x16xf32>
  %r = rope.rotate ins(%n : tensor<8x2x16xf32>) positions(%pos : tensor<1x8xi32>) outs(%e3 : tensor<8x2x16xf32>)
      layout = thd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<8x2x16xf32>
  return %r : tensor<8x2x16xf32>
}

// -----

// COM: A producer also used after the rope op is computed once, in the
// COM: loop, which yields it for that use; one used before the rope op
// COM: stays where it is, and the loop reads it.
// CHECK-LABEL: func @multi_use
// CHECK: %[[EARLY:.*]] = linalg.generic
// CHECK: %[[FIRST:.*]] = tensor.extract %[[EARLY]]
// CHECK: %[[LOOP:.*]]:3 = scf.for
// CHECK:   %[[LATE:.*]] = linalg.generic
// CHECK:   %[[EARLY_TILE:.*]] = tensor.extract_slice %[[EARLY]]
// CHECK:   rope.rotate ins(%[[LATE]], %[[EARLY_TILE]] :
// CHECK:   tensor.insert_slice %[[LATE]]
// CHECK:   scf.yield
// CHECK: return %[[LOOP]]#0, %[[LOOP]]#2, %[[FIRST]]
#id3b = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @multi_use(%x: tensor<8x2x16xf32>, %pos: tensor<1x8xi32>) -> (tensor<8x2x16xf32>, tensor<8x2x16xf32>, f32) {
  %c0 = arith.constant 0 : index
  %e0 = tensor.empty() : tensor<8x2x16xf32>
  %early = linalg.generic {indexing_maps = [#id3b, #id3b], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<8x2x16xf32>) outs(%e0 : tensor<8x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<8x2x16xf32>
  %first = tensor.extract %early[%c0, %c0, %c0] : tensor<8x2x16xf32>
  %e1 = tensor.empty() : tensor<8x2x16xf32>
  %late = linalg.generic {indexing_maps = [#id3b, #id3b], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<8x2x16xf32>) outs(%e1 : tensor<8x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %d = arith.addf %in, %in : f32
    linalg.yield %d : f32
  } -> tensor<8x2x16xf32>
  %e2 = tensor.empty() : tensor<8x2x16xf32>
  %r:2 = rope.rotate ins(%late, %early : tensor<8x2x16xf32>, tensor<8x2x16xf32>) positions(%pos : tensor<1x8xi32>) outs(%e2, %e0 : tensor<8x2x16xf32>, tensor<8x2x16xf32>)
      layout = thd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<8x2x16xf32>, tensor<8x2x16xf32>
  return %r#0, %late, %first : tensor<8x2x16xf32>, tensor<8x2x16xf32>, f32
}

// -----

// COM: Nothing to fuse: the op is left for rope-tile-tokens.
// CHECK-LABEL: func @alone
// CHECK-NOT: scf.for
// CHECK: rope.rotate {{.*}} -> tensor<8x2x16xf32>
func.func @alone(%x: tensor<8x2x16xf32>, %pos: tensor<1x8xi32>) -> tensor<8x2x16xf32> {
  %e = tensor.empty() : tensor<8x2x16xf32>
  %r = rope.rotate ins(%x : tensor<8x2x16xf32>) positions(%pos : tensor<1x8xi32>) outs(%e : tensor<8x2x16xf32>)
      layout = thd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<8x2x16xf32>
  return %r : tensor<8x2x16xf32>
}

// -----

// COM: vLLM's paged KV-cache write (reshape_and_cache: a slot per token,
// COM: block = slot / block_size, offset = slot % block_size) is a loop
// COM: over tokens: the rotation of each token, and the QK-norm scale before
// COM: it, are computed in that loop; nothing is left before it.
// CHECK-LABEL: func @paged_cache
// CHECK-NOT: rope.rotate
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK:   tensor.extract
// CHECK:   linalg.generic
// CHECK:   rope.rotate {{.*}} -> tensor<1x2x16xf32>
// CHECK:   tensor.insert_slice {{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, 0, 0] [1, 1, 2, 16]
// FORALL-LABEL: func @paged_cache
// FORALL-NOT: scf.forall
// FORALL: scf.for
// FORALL:   rope.rotate {{.*}} -> tensor<1x2x16xf32>
#id3c = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#w3 = affine_map<(d0, d1, d2) -> (d2)>
func.func @paged_cache(%k: tensor<8x2x16xf32>, %gamma: tensor<16xf32>, %pos: tensor<1x8xi32>, %slots: tensor<8xi64>, %cache: tensor<4x4x2x16xf32>) -> tensor<4x4x2x16xf32> {
  %e0 = tensor.empty() : tensor<8x2x16xf32>
  %n = linalg.generic {indexing_maps = [#id3c, #w3, #id3c], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%k, %gamma : tensor<8x2x16xf32>, tensor<16xf32>) outs(%e0 : tensor<8x2x16xf32>) {
  ^bb0(%in: f32, %g: f32, %out: f32):
    %y = arith.mulf %in, %g : f32
    linalg.yield %y : f32
  } -> tensor<8x2x16xf32>
  %e1 = tensor.empty() : tensor<8x2x16xf32>
  %kr = rope.rotate ins(%n : tensor<8x2x16xf32>) positions(%pos : tensor<1x8xi32>) outs(%e1 : tensor<8x2x16xf32>)
      layout = thd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<8x2x16xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %out = scf.for %t = %c0 to %c8 step %c1 iter_args(%acc = %cache) -> (tensor<4x4x2x16xf32>) {
    %s64 = tensor.extract %slots[%t] : tensor<8xi64>
    %s = arith.index_cast %s64 : i64 to index
    %blk = arith.divui %s, %c4 : index
    %off = arith.remui %s, %c4 : index
    %row = tensor.extract_slice %kr[%t, 0, 0] [1, 2, 16] [1, 1, 1] : tensor<8x2x16xf32> to tensor<2x16xf32>
    %w = tensor.insert_slice %row into %acc[%blk, %off, 0, 0] [1, 1, 2, 16] [1, 1, 1, 1] : tensor<2x16xf32> into tensor<4x4x2x16xf32>
    scf.yield %w : tensor<4x4x2x16xf32>
  }
  return %out : tensor<4x4x2x16xf32>
}

// -----

// COM: The paged cache's loop takes torch-mlir's keepdim QK-norm whole too:
// COM: the square, the sum (its slice bubbled up through the reshape that
// COM: dropping the unit dim left) and the scale.
// CHECK-LABEL: func @paged_keepdim
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK:   linalg.generic {{.*}}"reduction"
// CHECK:     arith.mulf
// CHECK:   math.rsqrt
// CHECK:   rope.rotate
// CHECK-NOT: linalg.generic
// CHECK: return
#id3d = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#keep3d = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
func.func @paged_keepdim(%k: tensor<?x2x16xf32>, %pos: tensor<1x?xi32>, %slots: tensor<?xi64>, %cache: tensor<4x4x2x16xf32>) -> tensor<4x4x2x16xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = tensor.dim %k, %c0 : tensor<?x2x16xf32>
  %e0 = tensor.empty(%t) : tensor<?x2x16xf32>
  %sq = linalg.generic {indexing_maps = [#id3d, #id3d], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%k : tensor<?x2x16xf32>) outs(%e0 : tensor<?x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.mulf %in, %in : f32
    linalg.yield %p : f32
  } -> tensor<?x2x16xf32>
  %e1 = tensor.empty(%t) : tensor<?x2x1xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x2x1xf32>) -> tensor<?x2x1xf32>
  %sum = linalg.generic {indexing_maps = [#id3d, #keep3d], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sq : tensor<?x2x16xf32>) outs(%f1 : tensor<?x2x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<?x2x1xf32>
  %e2 = tensor.empty(%t) : tensor<?x2x16xf32>
  %n = linalg.generic {indexing_maps = [#id3d, #keep3d, #id3d], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%k, %sum : tensor<?x2x16xf32>, tensor<?x2x1xf32>) outs(%e2 : tensor<?x2x16xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %r = math.rsqrt %s : f32
    %y = arith.mulf %in, %r : f32
    linalg.yield %y : f32
  } -> tensor<?x2x16xf32>
  %e3 = tensor.empty(%t) : tensor<?x2x16xf32>
  %kr = rope.rotate ins(%n : tensor<?x2x16xf32>) positions(%pos : tensor<1x?xi32>) outs(%e3 : tensor<?x2x16xf32>)
      layout = thd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<?x2x16xf32>
  %out = scf.for %i = %c0 to %t step %c1 iter_args(%acc = %cache) -> (tensor<4x4x2x16xf32>) {
    %s64 = tensor.extract %slots[%i] : tensor<?xi64>
    %s = arith.index_cast %s64 : i64 to index
    %blk = arith.divui %s, %c4 : index
    %off = arith.remui %s, %c4 : index
    %row = tensor.extract_slice %kr[%i, 0, 0] [1, 2, 16] [1, 1, 1] : tensor<?x2x16xf32> to tensor<2x16xf32>
    %w = tensor.insert_slice %row into %acc[%blk, %off, 0, 0] [1, 1, 2, 16] [1, 1, 1, 1] : tensor<2x16xf32> into tensor<4x4x2x16xf32>
    scf.yield %w : tensor<4x4x2x16xf32>
  }
  return %out : tensor<4x4x2x16xf32>
}
