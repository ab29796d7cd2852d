// RUN: rope-opt %s | rope-opt | FileCheck %s
// RUN: rope-opt %s --mlir-print-op-generic | rope-opt | FileCheck %s

// CHECK-LABEL: func @qwen3vl_text
// CHECK: rope.rotate ins(%{{.*}}, %{{.*}} : tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>) positions(%{{.*}} : tensor<3x1x?xi64>) outs(%{{.*}}, %{{.*}} : tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>)
// CHECK-SAME: layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.000000e+06
// CHECK-SAME: axes = <interleaved [24, 20, 20]>
func.func @qwen3vl_text(%q: tensor<1x32x?x128xbf16>, %k: tensor<1x8x?x128xbf16>, %pos: tensor<3x1x?xi64>,
                        %q0: tensor<1x32x?x128xbf16>, %k0: tensor<1x8x?x128xbf16>)
    -> (tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>) {
  %r:2 = rope.rotate ins(%q, %k : tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>)
      positions(%pos : tensor<3x1x?xi64>)
      outs(%q0, %k0 : tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6
      axes = <interleaved [24, 20, 20]> -> tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>
  return %r#0, %r#1 : tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>
}

// CHECK-LABEL: func @qwen2vl_sequential_vllm_in_place
// CHECK: rope.rotate positions(%{{.*}} : tensor<3x?xi32>) outs(%{{.*}}, %{{.*}} : tensor<?x4096xf16>, tensor<?x1024xf16>)
// CHECK-SAME: layout = packed pairing = half head_dim = 128 rotary_dim = 128 theta = 1.000000e+06 axes = <sequential [16, 24, 24]>
func.func @qwen2vl_sequential_vllm_in_place(%q: tensor<?x4096xf16>, %k: tensor<?x1024xf16>, %pos: tensor<3x?xi32>)
    -> (tensor<?x4096xf16>, tensor<?x1024xf16>) {
  %r:2 = rope.rotate positions(%pos : tensor<3x?xi32>) outs(%q, %k : tensor<?x4096xf16>, tensor<?x1024xf16>)
      layout = packed pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e6
      axes = <sequential [16, 24, 24]> -> tensor<?x4096xf16>, tensor<?x1024xf16>
  return %r#0, %r#1 : tensor<?x4096xf16>, tensor<?x1024xf16>
}

// CHECK-LABEL: func @vision_2d
// CHECK: axes = <sequential [20, 20] per_axis>
func.func @vision_2d(%x: tensor<?x16x80xf32>, %pos: tensor<2x?xi64>) -> tensor<?x16x80xf32> {
  %r = rope.rotate positions(%pos : tensor<2x?xi64>) outs(%x : tensor<?x16x80xf32>)
      layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 1.0e4
      axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xf32>
  return %r : tensor<?x16x80xf32>
}

// CHECK-LABEL: func @qwen35_partial_yarn
// CHECK: layout = bshd pairing = half head_dim = 256 rotary_dim = 64 theta = 1.000000e+07 axes = <interleaved [11, 11, 10]>
// CHECK-SAME: scaling = #rope.yarn<factor = 3.0, original_max_position = 262144>
// CHECK-SAME: attention_factor = 1.100000e+00
func.func @qwen35_partial_yarn(%x: tensor<2x?x4x256xf32>, %pos: tensor<3x2x?xi64>) -> tensor<2x?x4x256xf32> {
  %r = rope.rotate positions(%pos : tensor<3x2x?xi64>) outs(%x : tensor<2x?x4x256xf32>)
      layout = bshd pairing = half head_dim = 256 rotary_dim = 64 theta = 1.0e7
      axes = <interleaved [11, 11, 10]>
      scaling = #rope.yarn<factor = 3.0, original_max_position = 262144>
      attention_factor = 1.1 -> tensor<2x?x4x256xf32>
  return %r : tensor<2x?x4x256xf32>
}

// CHECK-LABEL: func @gptj_scalings
// CHECK: pairing = adjacent {{.*}} scaling = #rope.llama3<factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192> inverse
// CHECK: scaling = #rope.linear<factor = 4.0>
// CHECK: scaling = #rope.freq_factors<[1.0, 1.5, 2.0, 4.0]>
// CHECK: seq_len(%{{.*}}) {{.*}} scaling = #rope.dynamic_ntk<factor = 2.0, original_max_position = 4096>
// CHECK: axes = <custom [0, 2, 1, 1]>
func.func @gptj_scalings(%x: tensor<8x2x8xf32>, %pos: tensor<1x8xi64>, %pos3: tensor<3x8xi64>, %len: index)
    -> (tensor<8x2x8xf32>, tensor<8x2x8xf32>, tensor<8x2x8xf32>, tensor<8x2x8xf32>, tensor<8x2x8xf32>) {
  %a = rope.rotate positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x2x8xf32>)
      layout = thd pairing = adjacent head_dim = 8 rotary_dim = 8 theta = 5.0e5
      scaling = #rope.llama3<factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>
      inverse -> tensor<8x2x8xf32>
  %b = rope.rotate positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x2x8xf32>)
      layout = thd pairing = half head_dim = 8 rotary_dim = 8 theta = 1.0e4
      scaling = #rope.linear<factor = 4.0> -> tensor<8x2x8xf32>
  %c = rope.rotate positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x2x8xf32>)
      layout = thd pairing = half head_dim = 8 rotary_dim = 8 theta = 1.0e4
      scaling = #rope.freq_factors<[1.0, 1.5, 2.0, 4.0]> -> tensor<8x2x8xf32>
  %d = rope.rotate positions(%pos : tensor<1x8xi64>) seq_len(%len) outs(%x : tensor<8x2x8xf32>)
      layout = thd pairing = half head_dim = 8 rotary_dim = 8 theta = 1.0e4
      scaling = #rope.dynamic_ntk<factor = 2.0, original_max_position = 4096> -> tensor<8x2x8xf32>
  %e = rope.rotate positions(%pos3 : tensor<3x8xi64>) outs(%x : tensor<8x2x8xf32>)
      layout = thd pairing = half head_dim = 8 rotary_dim = 8 theta = 1.0e4
      axes = <custom [0, 2, 1, 1]> -> tensor<8x2x8xf32>
  return %a, %b, %c, %d, %e : tensor<8x2x8xf32>, tensor<8x2x8xf32>, tensor<8x2x8xf32>, tensor<8x2x8xf32>, tensor<8x2x8xf32>
}

// CHECK-LABEL: func @tables
// CHECK: rope.rotate_with_tables ins(%{{.*}} : tensor<2x16x?x64xf32>) cos(%{{.*}} : tensor<2x?x64xbf16>) sin(%{{.*}} : tensor<2x?x64xbf16>) outs(%{{.*}} : tensor<2x16x?x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64
func.func @tables(%q: tensor<2x16x?x64xf32>, %c: tensor<2x?x64xbf16>, %s: tensor<2x?x64xbf16>, %o: tensor<2x16x?x64xf32>) -> tensor<2x16x?x64xf32> {
  %r = rope.rotate_with_tables ins(%q : tensor<2x16x?x64xf32>) cos(%c : tensor<2x?x64xbf16>) sin(%s : tensor<2x?x64xbf16>)
      outs(%o : tensor<2x16x?x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 -> tensor<2x16x?x64xf32>
  return %r : tensor<2x16x?x64xf32>
}

// CHECK-LABEL: func @stream_fence
// CHECK: rope.stream_fence
// CHECK-NEXT: return
func.func @stream_fence() {
  rope.stream_fence
  return
}
