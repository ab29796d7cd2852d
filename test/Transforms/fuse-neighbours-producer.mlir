// RUN: rope-opt %s -split-input-file -transform-interpreter -canonicalize | FileCheck %s

// COM: generateResultTileValue: upstream's tile-and-fuse (transform.structured.fuse)
// COM: tiles a consumer of a rope op over tokens and fuses the rope op as a
// COM: producer into its loop, on the same token tile with heads and
// COM: head_dim whole.
// CHECK-LABEL: func @fused_as_producer
// CHECK-NOT: rope.rotate_with_tables
// CHECK: scf.for
// CHECK:   rope.rotate_with_tables {{.*}} -> tensor<1x4x2x16xf32>
// CHECK:   linalg.generic
func.func @fused_as_producer(%q: tensor<1x4x8x16xf32>, %c: tensor<1x8x16xf32>, %s: tensor<1x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %e = tensor.empty() : tensor<1x4x8x16xf32>
  %r = rope.rotate_with_tables ins(%q : tensor<1x4x8x16xf32>) cos(%c : tensor<1x8x16xf32>) sin(%s : tensor<1x8x16xf32>)
      outs(%e : tensor<1x4x8x16xf32>) layout = bhsd pairing = half head_dim = 16 rotary_dim = 16 -> tensor<1x4x8x16xf32>
  %e2 = tensor.empty() : tensor<1x4x8x16xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r : tensor<1x4x8x16xf32>) outs(%e2 : tensor<1x4x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x4x8x16xf32>
  return %y : tensor<1x4x8x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %g = transform.structured.match ops{["linalg.generic"]} in %root : (!transform.any_op) -> !transform.any_op
    %t, %l = transform.structured.fuse %g tile_sizes [0, 0, 2, 0]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// COM: A tile that splits head_dim is refused before any IR is built: the
// COM: consumer is tiled, the rope op stays whole outside the loops.
// CHECK-LABEL: func @head_dim_split_not_fused
// CHECK: rope.rotate_with_tables {{.*}} -> tensor<1x4x8x16xf32>
// CHECK: scf.for
// CHECK-NOT: rope.rotate_with_tables
// CHECK: return
func.func @head_dim_split_not_fused(%q: tensor<1x4x8x16xf32>, %c: tensor<1x8x16xf32>, %s: tensor<1x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %e = tensor.empty() : tensor<1x4x8x16xf32>
  %r = rope.rotate_with_tables ins(%q : tensor<1x4x8x16xf32>) cos(%c : tensor<1x8x16xf32>) sin(%s : tensor<1x8x16xf32>)
      outs(%e : tensor<1x4x8x16xf32>) layout = bhsd pairing = half head_dim = 16 rotary_dim = 16 -> tensor<1x4x8x16xf32>
  %e2 = tensor.empty() : tensor<1x4x8x16xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r : tensor<1x4x8x16xf32>) outs(%e2 : tensor<1x4x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<1x4x8x16xf32>
  return %y : tensor<1x4x8x16xf32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %g = transform.structured.match ops{["linalg.generic"]} in %root : (!transform.any_op) -> !transform.any_op
    %t, %l = transform.structured.fuse %g tile_sizes [0, 0, 0, 8]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
