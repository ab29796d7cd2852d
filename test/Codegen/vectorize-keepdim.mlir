// RUN: rope-opt %s -p 'builtin.module(func.func(rope-codegen-vectorize))' | FileCheck %s

// torch's sum(-1, keepdim=True) as TorchToLinalg writes it: the output map
// reads the kept unit dim at a constant 0. Vectorized as it stood, upstream's
// transfer cleanups broadcast its write to a leading unit dim and extracted
// it back without end (470k ops from one decoder layer's RMSNorm, until the
// rewrite bound). Its unit dims are dropped first; it vectorizes plainly.
// CHECK-LABEL: func.func @keepdim_sum
// CHECK: tensor.collapse_shape
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<1x2x16xf32> to vector<1x2xf32>
// CHECK-NEXT: vector.extract
// CHECK-NOT: vector.broadcast
// CHECK: tensor.expand_shape
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#keep = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
func.func @keepdim_sum(%x: tensor<1x8x2x16xf32>) -> tensor<1x8x2x1xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x2x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x1xf32>) -> tensor<1x8x2x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x : tensor<1x8x2x16xf32>) outs(%f : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<1x8x2x1xf32>
  return %s : tensor<1x8x2x1xf32>
}
