// RUN: rope-opt %rope_src/examples/qwen3vl_text_attention_torch.mlir -p 'builtin.module(func.func(rope-raise{report=true}),canonicalize,cse)' 2>&1 | FileCheck %s --check-prefix=QWEN3
// RUN: rope-opt %rope_src/examples/qwen2vl_text_attention_torch.mlir -p 'builtin.module(func.func(rope-raise{report=true}),canonicalize,cse)' 2>&1 | FileCheck %s --check-prefix=QWEN2
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-raise{report=true}))' -verify-diagnostics | FileCheck %s

// COM: Whole attention blocks as torch-mlir emits them: the tables' producers
// COM: (inv_freq constant x positions, the interleave or the section split,
// COM: cat, cos, sin) fold into one positions-driven op for q and k.
// QWEN3: remark: raised: rope.rotate, 2 tensor(s), layout bhsd, pairing half, rotary_dim 128, theta 5.000000e+06, axes #rope.axes<interleaved [24, 20, 20]>
// QWEN3-LABEL: func.func @qwen3vl_rope
// QWEN3: %[[R:.*]]:2 = rope.rotate ins(%arg0, %arg1 : tensor<1x32x16x128xf32>, tensor<1x8x16x128xf32>) positions(%arg2 : tensor<3x1x16xi64>)
// QWEN3-SAME: layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.000000e+06 axes = <interleaved [24, 20, 20]>
// QWEN3-NOT: linalg.generic
// QWEN3: return %[[R]]#0, %[[R]]#1
// QWEN2: remark: raised: rope.rotate, 2 tensor(s), layout bhsd, pairing half, rotary_dim 128, theta 1.000000e+06, axes #rope.axes<sequential [16, 24, 24]>
// QWEN2: rope.rotate ins(%arg0, %arg1 : tensor<1x28x16x128xf32>, tensor<1x4x16x128xf32>) positions(%arg2 : tensor<3x1x16xi64>) {{.*}} theta = 1.000000e+06 axes = <sequential [16, 24, 24]>
// QWEN2-NOT: linalg.generic

// COM: Llama-style 1D RoPE, [B, S] positions: theta recovered from the
// COM: inv_freq constant (1e4), positions unsqueezed to [1, B, S].
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-LABEL: func @llama_1d
// CHECK: %[[P:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2]] output_shape [1, 2, 8] : tensor<2x8xi32> into tensor<1x2x8xi32>
// CHECK: rope.rotate ins(%arg0 : tensor<2x4x8x8xf32>) positions(%[[P]] : tensor<1x2x8xi32>) {{.*}} theta = 1.000000e+04 -> tensor<2x4x8x8xf32>
func.func @llama_1d(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>
  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  // expected-remark @+1 {{raised: rope.rotate, 1 tensor(s), layout bhsd, pairing half, rotary_dim 8, theta 1.000000e+04, axes none (1D)}}
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>
  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: The same graph with cos and sin swapped is no rotation: untouched.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-LABEL: func @not_cos_sin_swapped
// CHECK-NOT: rope.
func.func @not_cos_sin_swapped(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>
  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  // expected-remark @+1 {{not raised: tables computed from positions: at position 0 the cos-side factor is not positive (no cos table)}}
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %sin, %rot, %cos : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>
  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: Decode: one token, tables [B, 1, 1, D] read through a constant-0 map.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-LABEL: func @decode_one_token
// CHECK: rope.rotate_with_tables ins(%arg0 : tensor<1x32x1x128xf32>) cos(%{{.*}} : tensor<1x1x128xf32>) {{.*}} layout = bhsd
func.func @decode_one_token(%q: tensor<1x32x1x128xf32>, %cos: tensor<1x1x1x128xf32>, %sin: tensor<1x1x1x128xf32>) -> tensor<1x32x1x128xf32> {
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 32, 1, 64] [1, 1, 1, 1] : tensor<1x32x1x128xf32> to tensor<1x32x1x64xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 64] [1, 32, 1, 64] [1, 1, 1, 1] : tensor<1x32x1x128xf32> to tensor<1x32x1x64xf32>
  %n = arith.negf %x2 : tensor<1x32x1x64xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<1x32x1x64xf32>, tensor<1x32x1x64xf32>) -> tensor<1x32x1x128xf32>
  %e = tensor.empty() : tensor<1x32x1x128xf32>
  // expected-remark @+1 {{raised: rope.rotate_with_tables, 1 tensor(s), layout bhsd, pairing half, head_dim 128, rotary_dim 128}}
  %y = linalg.generic {indexing_maps = [#id4, #bc, #id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<1x32x1x128xf32>, tensor<1x1x1x128xf32>, tensor<1x32x1x128xf32>, tensor<1x1x1x128xf32>) outs(%e : tensor<1x32x1x128xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x32x1x128xf32>
  return %y : tensor<1x32x1x128xf32>
}

// -----

// COM: An attention scale multiplying cos and sin (YaRN's mscale) becomes
// COM: attention_factor.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-LABEL: func @attention_scaled
// CHECK: rope.rotate {{.*}} theta = 1.000000e+04 attention_factor = 1.250000e+00
func.func @attention_scaled(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>
  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.cos %a : f32
    %k = arith.constant 1.25 : f32
    %m = arith.mulf %t, %k : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.sin %a : f32
    %k = arith.constant 1.25 : f32
    %m = arith.mulf %t, %k : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  // expected-remark @+1 {{raised: rope.rotate, 1 tensor(s), layout bhsd, pairing half, rotary_dim 8, theta 1.000000e+04, axes none (1D), attention_factor 1.250000e+00}}
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>
  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: Angles that are not positions * inv_freq (an offset added): the tables
// COM: are made in the graph but are no rope's; the graph stays as it is.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-LABEL: func @not_untraced_tables
// CHECK-NOT: rope.
func.func @not_untraced_tables(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>
  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m0 = arith.mulf %p, %i : f32
    %h = arith.constant 0.5 : f32
    %m = arith.addf %m0, %h : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  // expected-remark @+1 {{not raised: tables computed from positions: at position 0 the tables are not (scale, 0): not cos and sin of position * inv_freq (an offset angle or position?)}}
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>
  return %y : tensor<2x4x8x8xf32>
}
