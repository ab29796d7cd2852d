// RUN: rope-opt %s -p 'builtin.module(func.func(rope-codegen-vectorize))' | FileCheck %s

// COM: A rotate_half built by rank-reducing insert_slices into an empty
// COM: tensor, as IREE-style exporters write it: upstream's transfer
// COM: permutation lowering and leading-unit-dim patterns undid each other
// COM: forever here (rope-codegen-vectorize ran out of memory); the rewrites are now
// COM: bounded and the pipeline finishes.
// CHECK-LABEL: func.func @rank_reduced_inserts
// CHECK: vector.transfer_write
func.func @rank_reduced_inserts(%x: tensor<1x4x1x128xf32>, %sin: tensor<1x128xf32>) -> tensor<1x4x1x128xf32> {
  %lo = tensor.extract_slice %x[0, 0, 0, 0] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<1x4x1x128xf32> to tensor<4x64xf32>
  %hi = tensor.extract_slice %x[0, 0, 0, 64] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<1x4x1x128xf32> to tensor<4x64xf32>
  %e2 = tensor.empty() : tensor<4x64xf32>
  %nhi = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%hi : tensor<4x64xf32>) outs(%e2 : tensor<4x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  } -> tensor<4x64xf32>
  %e = tensor.empty() : tensor<1x4x1x128xf32>
  %ins0 = tensor.insert_slice %nhi into %e[0, 0, 0, 0] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<4x64xf32> into tensor<1x4x1x128xf32>
  %rot = tensor.insert_slice %lo into %ins0[0, 0, 0, 64] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<4x64xf32> into tensor<1x4x1x128xf32>
  %rs = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%rot, %sin : tensor<1x4x1x128xf32>, tensor<1x128xf32>) outs(%e : tensor<1x4x1x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x1x128xf32>
  return %rs : tensor<1x4x1x128xf32>
}
