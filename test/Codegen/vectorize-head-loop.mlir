// RUN: rope-opt %s -p 'builtin.module(func.func(rope-tile-tokens,rope-decompose,canonicalize,cse,rope-codegen-vectorize,canonicalize,cse))' | FileCheck %s --implicit-check-not='vector<4x2x64xbf16>' --implicit-check-not='vector<4x64x2xbf16>'

// rope-codegen-vectorize makes one pair row (both lanes of every pair) a vector and
// loops over heads, however few: Qwen2-VL's 4 key heads of 128 (512 values)
// are not folded into one vector (unrolled in the token loop, that measured
// 4-6 % slower in bf16 from memory).
// CHECK-LABEL: func @gqa_keys_half
// CHECK: scf.for %{{.*}} = %{{.*}} to %c4
// CHECK: vector.transfer_write {{.*}} : vector<2x64xbf16>
func.func @gqa_keys_half(%q: tensor<?x28x128xbf16>, %k: tensor<?x4x128xbf16>, %pos: tensor<3x?xi64>, %qo: tensor<?x28x128xbf16>, %ko: tensor<?x4x128xbf16>) -> (tensor<?x28x128xbf16>, tensor<?x4x128xbf16>) {
  %r:2 = rope.rotate ins(%q, %k : tensor<?x28x128xbf16>, tensor<?x4x128xbf16>) positions(%pos : tensor<3x?xi64>) outs(%qo, %ko : tensor<?x28x128xbf16>, tensor<?x4x128xbf16>) layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 1000000.0 axes = <sequential [16, 24, 24]> -> tensor<?x28x128xbf16>, tensor<?x4x128xbf16>
  return %r#0, %r#1 : tensor<?x28x128xbf16>, tensor<?x4x128xbf16>
}

// The same with GPT-J pairing (the pair's two lanes innermost).
// CHECK-LABEL: func @gqa_keys_interleaved
// CHECK: scf.for %{{.*}} = %{{.*}} to %c4
// CHECK: vector.transfer_write {{.*}} : vector<64x2xbf16>
func.func @gqa_keys_interleaved(%k: tensor<?x4x128xbf16>, %pos: tensor<1x?xi64>, %ko: tensor<?x4x128xbf16>) -> tensor<?x4x128xbf16> {
  %r = rope.rotate ins(%k : tensor<?x4x128xbf16>) positions(%pos : tensor<1x?xi64>) outs(%ko : tensor<?x4x128xbf16>) layout = thd pairing = adjacent head_dim = 128 rotary_dim = 128 theta = 10000.0 -> tensor<?x4x128xbf16>
  return %r : tensor<?x4x128xbf16>
}

// A pair row smaller than a 512-bit register (a partial rotary of 16 values
// in bf16: 256 bits) still takes the heads into one vector.
// CHECK-LABEL: func @small_rows
// CHECK-NOT: scf.for %{{.*}} = %{{.*}} to %c4
// CHECK: vector.transfer_write {{.*}} : vector<4x2x8xbf16>
func.func @small_rows(%k: tensor<?x4x128xbf16>, %pos: tensor<1x?xi64>, %ko: tensor<?x4x128xbf16>) -> tensor<?x4x128xbf16> {
  %r = rope.rotate ins(%k : tensor<?x4x128xbf16>) positions(%pos : tensor<1x?xi64>) outs(%ko : tensor<?x4x128xbf16>) layout = thd pairing = half head_dim = 128 rotary_dim = 16 theta = 10000.0 -> tensor<?x4x128xbf16>
  return %r : tensor<?x4x128xbf16>
}
