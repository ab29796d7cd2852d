// RUN: rope-opt %s -p 'builtin.module(func.func(rope-codegen-vectorize))' | FileCheck %s

// Ops rope-codegen-vectorize leaves to the scalar lowering (convert-linalg-to-loops).

// A boolean mask: LLVM packs a vector of i1 one bit per element, a buffer
// of i1 holds a byte per element (numpy's and torch's bools). Vectorized, the
// mask was read 8 elements from a byte (new-user trial, issue 18).
// CHECK-LABEL: func.func @bool_mask
// CHECK-NOT: vector.
// CHECK: linalg.generic
func.func @bool_mask(%x: tensor<4x16xf32>, %keep: tensor<4x16xi1>) -> tensor<4x16xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %keep : tensor<4x16xf32>, tensor<4x16xi1>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%a: f32, %k: i1, %out: f32):
    %v = arith.select %k, %a, %ninf : f32
    linalg.yield %v : f32
  } -> tensor<4x16xf32>
  return %m : tensor<4x16xf32>
}

// A reduction into element 0 of a row that is not a unit dim (the fuzzer's;
// dropUnitDims cannot remove it): vectorized, the transfer cleanups
// rewrote its write back and forth (780k ops, 20 s).
// CHECK-LABEL: func.func @into_element_zero
// CHECK-NOT: vector.
// CHECK: linalg.generic
func.func @into_element_zero(%x: tensor<4x512xf32>, %acc: tensor<4x1024xf32>) -> tensor<4x1024xf32> {
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x512xf32>) outs(%acc : tensor<4x1024xf32>) {
  ^bb0(%in: f32, %a: f32):
    %r = arith.addf %in, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x1024xf32>
  return %s : tensor<4x1024xf32>
}
