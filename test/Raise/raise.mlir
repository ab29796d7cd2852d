// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-raise),canonicalize,cse)' | FileCheck %s
// The public patterns, applied by a plain greedy driver, raise the same.
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(test-rope-patterns{raise},cse,test-rope-patterns{merge}),canonicalize,cse)' | FileCheck %s

// COM: HF apply_rotary_pos_emb as torch-mlir lowers it: slices, a negf
// COM: generic, tensor.concat, cos/sin unsqueezed to [B, 1, S, D] and read
// COM: through constant-0 maps, separate mul/mul/add generics.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-LABEL: func @hf_unfused
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x8x64xf32>, %[[C:.*]]: tensor<2x8x64xf32>, %[[S:.*]]: tensor<2x8x64xf32>)
// CHECK: %[[R:.*]] = rope.rotate_with_tables ins(%[[Q]] : tensor<2x4x8x64xf32>) cos(%[[C]] : tensor<2x8x64xf32>) sin(%[[S]] : tensor<2x8x64xf32>)
// CHECK-SAME: layout = bhsd pairing = half head_dim = 64 rotary_dim = 64
// CHECK-NEXT: return %[[R]]
func.func @hf_unfused(%q: tensor<2x4x8x64xf32>, %cos: tensor<2x8x64xf32>, %sin: tensor<2x8x64xf32>) -> tensor<2x4x8x64xf32> {
  %c = tensor.expand_shape %cos [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %s = tensor.expand_shape %sin [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %e = tensor.empty() : tensor<2x4x8x64xf32>
  %qc = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %c : tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 32] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %eh = tensor.empty() : tensor<2x4x8x32xf32>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x2 : tensor<2x4x8x32xf32>) outs(%eh : tensor<2x4x8x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x32xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x64xf32>
  %rs = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%rot, %s : tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qc, %rs : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  return %y : tensor<2x4x8x64xf32>
}

// -----

// COM: After elementwise fusion: one generic computes mul, mul, add; operands
// COM: commuted; negation as a multiply by -1; rotate_half by insert_slices;
// COM: tables [B, S, D] through projected maps.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-LABEL: func @fused_commuted
// CHECK: rope.rotate_with_tables ins(%arg0 : tensor<1x2x?x128xf32>) cos(%arg1 : tensor<1x?x128xf32>) sin(%arg2 : tensor<1x?x128xf32>) {{.*}} layout = bhsd pairing = half head_dim = 128
// CHECK-NOT: linalg.generic
func.func @fused_commuted(%q: tensor<1x2x?x128xf32>, %cos: tensor<1x?x128xf32>, %sin: tensor<1x?x128xf32>) -> tensor<1x2x?x128xf32> {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<1x2x?x128xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 2, %s, 64] [1, 1, 1, 1] : tensor<1x2x?x128xf32> to tensor<1x2x?x64xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 64] [1, 2, %s, 64] [1, 1, 1, 1] : tensor<1x2x?x128xf32> to tensor<1x2x?x64xf32>
  %eh = tensor.empty(%s) : tensor<1x2x?x64xf32>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x2 : tensor<1x2x?x64xf32>) outs(%eh : tensor<1x2x?x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m1 = arith.constant -1.0 : f32
    %m = arith.mulf %m1, %a : f32
    linalg.yield %m : f32
  } -> tensor<1x2x?x64xf32>
  %e = tensor.empty(%s) : tensor<1x2x?x128xf32>
  %r0 = tensor.insert_slice %x1 into %e[0, 0, 0, 64] [1, 2, %s, 64] [1, 1, 1, 1] : tensor<1x2x?x64xf32> into tensor<1x2x?x128xf32>
  %rot = tensor.insert_slice %n into %r0[0, 0, 0, 0] [1, 2, %s, 64] [1, 1, 1, 1] : tensor<1x2x?x64xf32> into tensor<1x2x?x128xf32>
  %y = linalg.generic {indexing_maps = [#pj, #id, #pj, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sin, %rot, %cos, %q : tensor<1x?x128xf32>, tensor<1x2x?x128xf32>, tensor<1x?x128xf32>, tensor<1x2x?x128xf32>) outs(%e : tensor<1x2x?x128xf32>) {
  ^bb0(%sn: f32, %r: f32, %cs: f32, %x: f32, %o: f32):
    %a = arith.mulf %sn, %r : f32
    %b = arith.mulf %cs, %x : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x2x?x128xf32>
  return %y : tensor<1x2x?x128xf32>
}

// -----

// COM: vLLM layout [T, H, D]; negation as 0 - x; linalg.broadcast tables;
// COM: arith on tensors; q and k with the same tables become one op.
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func @thd_qk
// CHECK: %[[R:.*]]:2 = rope.rotate_with_tables ins(%arg0, %arg1 : tensor<16x4x64xf32>, tensor<16x2x64xf32>) cos(%arg2 : tensor<16x64xf32>) sin(%arg3 : tensor<16x64xf32>) {{.*}} layout = thd
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @thd_qk(%q: tensor<16x4x64xf32>, %k: tensor<16x2x64xf32>, %cos: tensor<16x64xf32>, %sin: tensor<16x64xf32>) -> (tensor<16x4x64xf32>, tensor<16x2x64xf32>) {
  %eq = tensor.empty() : tensor<16x4x64xf32>
  %cq = linalg.broadcast ins(%cos : tensor<16x64xf32>) outs(%eq : tensor<16x4x64xf32>) dimensions = [1]
  %sq = linalg.broadcast ins(%sin : tensor<16x64xf32>) outs(%eq : tensor<16x4x64xf32>) dimensions = [1]
  %q1 = tensor.extract_slice %q[0, 0, 0] [16, 4, 32] [1, 1, 1] : tensor<16x4x64xf32> to tensor<16x4x32xf32>
  %q2 = tensor.extract_slice %q[0, 0, 32] [16, 4, 32] [1, 1, 1] : tensor<16x4x64xf32> to tensor<16x4x32xf32>
  %zq = arith.constant dense<0.0> : tensor<16x4x32xf32>
  %nq = arith.subf %zq, %q2 : tensor<16x4x32xf32>
  %rq = tensor.concat dim(2) %nq, %q1 : (tensor<16x4x32xf32>, tensor<16x4x32xf32>) -> tensor<16x4x64xf32>
  %aq = arith.mulf %q, %cq : tensor<16x4x64xf32>
  %bq = arith.mulf %rq, %sq : tensor<16x4x64xf32>
  %yq = arith.addf %aq, %bq : tensor<16x4x64xf32>
  %ek = tensor.empty() : tensor<16x2x64xf32>
  %ck = linalg.broadcast ins(%cos : tensor<16x64xf32>) outs(%ek : tensor<16x2x64xf32>) dimensions = [1]
  %sk = linalg.broadcast ins(%sin : tensor<16x64xf32>) outs(%ek : tensor<16x2x64xf32>) dimensions = [1]
  %k1 = tensor.extract_slice %k[0, 0, 0] [16, 2, 32] [1, 1, 1] : tensor<16x2x64xf32> to tensor<16x2x32xf32>
  %k2 = tensor.extract_slice %k[0, 0, 32] [16, 2, 32] [1, 1, 1] : tensor<16x2x64xf32> to tensor<16x2x32xf32>
  %nk = arith.negf %k2 : tensor<16x2x32xf32>
  %rk = tensor.concat dim(2) %nk, %k1 : (tensor<16x2x32xf32>, tensor<16x2x32xf32>) -> tensor<16x2x64xf32>
  %ak = arith.mulf %ck, %k : tensor<16x2x64xf32>
  %bk = arith.mulf %sk, %rk : tensor<16x2x64xf32>
  %yk = arith.addf %bk, %ak : tensor<16x2x64xf32>
  return %yq, %yk : tensor<16x4x64xf32>, tensor<16x2x64xf32>
}

// -----

// COM: [B, S, H, D] (before HF's transpose): tables broadcast over dim 2.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
// CHECK-LABEL: func @bshd_bf16_casts
// CHECK: %[[C:.*]] = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 8, 1, 64] [1, 1, 1, 1] : tensor<1x8x1x64xbf16> to tensor<1x8x64xbf16>
// CHECK: %[[S:.*]] = tensor.extract_slice %arg2
// CHECK: rope.rotate_with_tables ins(%arg0 : tensor<1x8x2x64xbf16>) cos(%[[C]] : tensor<1x8x64xbf16>) sin(%[[S]] : tensor<1x8x64xbf16>) {{.*}} layout = bshd
func.func @bshd_bf16_casts(%q: tensor<1x8x2x64xbf16>, %cos: tensor<1x8x1x64xbf16>, %sin: tensor<1x8x1x64xbf16>) -> tensor<1x8x2x64xbf16> {
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 8, 2, 32] [1, 1, 1, 1] : tensor<1x8x2x64xbf16> to tensor<1x8x2x32xbf16>
  %q2 = tensor.extract_slice %q[0, 0, 0, 32] [1, 8, 2, 32] [1, 1, 1, 1] : tensor<1x8x2x64xbf16> to tensor<1x8x2x32xbf16>
  %eh = tensor.empty() : tensor<1x8x2x32xbf16>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q2 : tensor<1x8x2x32xbf16>) outs(%eh : tensor<1x8x2x32xbf16>) {
  ^bb0(%a: bf16, %o: bf16):
    %m = arith.negf %a : bf16
    linalg.yield %m : bf16
  } -> tensor<1x8x2x32xbf16>
  %rot = tensor.concat dim(3) %n, %q1 : (tensor<1x8x2x32xbf16>, tensor<1x8x2x32xbf16>) -> tensor<1x8x2x64xbf16>
  %e = tensor.empty() : tensor<1x8x2x64xbf16>
  %y = linalg.generic {indexing_maps = [#id, #bc, #id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<1x8x2x64xbf16>, tensor<1x8x1x64xbf16>, tensor<1x8x2x64xbf16>, tensor<1x8x1x64xbf16>) outs(%e : tensor<1x8x2x64xbf16>) {
  ^bb0(%x: bf16, %c: bf16, %r: bf16, %s: bf16, %o: bf16):
    %xf = arith.extf %x : bf16 to f32
    %cf = arith.extf %c : bf16 to f32
    %rf = arith.extf %r : bf16 to f32
    %sf = arith.extf %s : bf16 to f32
    %a = arith.mulf %xf, %cf : f32
    %b = arith.mulf %rf, %sf : f32
    %m = arith.addf %a, %b : f32
    %t = arith.truncf %m : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<1x8x2x64xbf16>
  return %y : tensor<1x8x2x64xbf16>
}

// -----

// COM: GPT-J's rotate_every_two (stack(-x[1::2], x[::2]).flatten(-2)).
// CHECK-LABEL: func @gptj_thd
// CHECK: rope.rotate_with_tables ins(%arg0 : tensor<8x2x16xf32>) cos(%arg1 : tensor<8x16xf32>) sin(%arg2 : tensor<8x16xf32>) {{.*}} layout = thd pairing = adjacent head_dim = 16 rotary_dim = 16
func.func @gptj_thd(%q: tensor<8x2x16xf32>, %cos: tensor<8x16xf32>, %sin: tensor<8x16xf32>) -> tensor<8x2x16xf32> {
  %e = tensor.empty() : tensor<8x2x16xf32>
  %c = linalg.broadcast ins(%cos : tensor<8x16xf32>) outs(%e : tensor<8x2x16xf32>) dimensions = [1]
  %s = linalg.broadcast ins(%sin : tensor<8x16xf32>) outs(%e : tensor<8x2x16xf32>) dimensions = [1]
  %ev = tensor.extract_slice %q[0, 0, 0] [8, 2, 8] [1, 1, 2] : tensor<8x2x16xf32> to tensor<8x2x8xf32>
  %od = tensor.extract_slice %q[0, 0, 1] [8, 2, 8] [1, 1, 2] : tensor<8x2x16xf32> to tensor<8x2x8xf32>
  %n = arith.negf %od : tensor<8x2x8xf32>
  %a = tensor.expand_shape %n [[0], [1], [2, 3]] output_shape [8, 2, 8, 1] : tensor<8x2x8xf32> into tensor<8x2x8x1xf32>
  %b = tensor.expand_shape %ev [[0], [1], [2, 3]] output_shape [8, 2, 8, 1] : tensor<8x2x8xf32> into tensor<8x2x8x1xf32>
  %st = tensor.concat dim(3) %a, %b : (tensor<8x2x8x1xf32>, tensor<8x2x8x1xf32>) -> tensor<8x2x8x2xf32>
  %rot = tensor.collapse_shape %st [[0], [1], [2, 3]] : tensor<8x2x8x2xf32> into tensor<8x2x16xf32>
  %qc = arith.mulf %c, %q : tensor<8x2x16xf32>
  %rs = arith.mulf %rot, %s : tensor<8x2x16xf32>
  %y = arith.addf %rs, %qc : tensor<8x2x16xf32>
  return %y : tensor<8x2x16xf32>
}

// -----

// COM: TOSA: slices, negate, concat, broadcasting mul, add.
// CHECK-LABEL: func @tosa_rope
// CHECK: rope.rotate_with_tables ins(%arg0 : tensor<1x4x8x64xf32>) {{.*}} layout = bhsd pairing = half head_dim = 64
// CHECK-NOT: tosa.add
func.func @tosa_rope(%q: tensor<1x4x8x64xf32>, %cos: tensor<1x1x8x64xf32>, %sin: tensor<1x1x8x64xf32>) -> tensor<1x4x8x64xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s32 = tosa.const_shape {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %sz = tosa.const_shape {values = dense<[1, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %x1 = tosa.slice %q, %s0, %sz : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
  %x2 = tosa.slice %q, %s32, %sz : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %n = tosa.negate %x2, %zp, %zp : (tensor<1x4x8x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8x32xf32>
  %rot = tosa.concat %n, %x1 {axis = 3 : i32} : (tensor<1x4x8x32xf32>, tensor<1x4x8x32xf32>) -> tensor<1x4x8x64xf32>
  %a = tosa.mul %cos, %q, %shift : (tensor<1x1x8x64xf32>, tensor<1x4x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
  %b = tosa.mul %rot, %sin, %shift : (tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
  %y = tosa.add %b, %a : (tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) -> tensor<1x4x8x64xf32>
  return %y : tensor<1x4x8x64xf32>
}
