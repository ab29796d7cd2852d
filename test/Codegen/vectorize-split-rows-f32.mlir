// RUN: rope-opt %s -p 'builtin.module(func.func(rope-tile-tokens,rope-decompose,canonicalize,cse,rope-codegen-vectorize,canonicalize,cse))' | FileCheck %s --implicit-check-not='vector<32xf32>'

// rope-codegen-vectorize splits rows into power-of-two pieces only in functions
// with bf16: f32 rows stay whole (rope-codegen-unroll-odd-vectors slices them
// later, 8 lanes that keep each access inside a line).
// CHECK-LABEL: func @vit_f32
// CHECK: math.cos %{{.*}} : vector<40xf32>
// CHECK: vector.transfer_write {{.*}} : vector<2x40xf32>
func.func @vit_f32(%q: tensor<?x16x80xf32>, %pos: tensor<2x?xi64>, %out: tensor<?x16x80xf32>) -> tensor<?x16x80xf32> {
  %r = rope.rotate ins(%q : tensor<?x16x80xf32>) positions(%pos : tensor<2x?xi64>) outs(%out : tensor<?x16x80xf32>) layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 10000.0 axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xf32>
  return %r : tensor<?x16x80xf32>
}
