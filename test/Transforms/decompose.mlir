// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-decompose))' | FileCheck %s

// COM: Plain GPT-J, partial rotary, out of place: a cos/sin generic over
// COM: (token, pair) with the angle reduced in f64, one generic over the
// COM: [..., P, 2] pair view, and a copy of the pass-through lanes.
// CHECK-DAG: #[[LANE:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[TABLE:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func @gptj_partial
// CHECK: %[[INV:.*]] = arith.constant dense<{{.*}}> : tensor<32xf64>
// CHECK: %[[TRIG:.*]]:2 = linalg.generic {{.*}} ins(%{{.*}}, %[[INV]] : tensor<8xi64>, tensor<32xf64>) outs({{.*}} : tensor<8x32xf32>, tensor<8x32xf32>)
// CHECK:   arith.sitofp {{.*}} : i64 to f64
// CHECK:   math.roundeven {{.*}} : f64
// CHECK:   arith.truncf {{.*}} : f64 to f32
// CHECK:   math.cos
// CHECK:   math.sin
// CHECK: %[[DEST:.*]] = tensor.expand_shape {{.*}} output_shape [8, 2, 32, 2] : tensor<8x2x64xf32> into tensor<8x2x32x2xf32>
// CHECK: %[[EVEN:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, 0] [8, 2, 32, 1] [1, 1, 1, 1] : tensor<8x2x32x2xf32> to tensor<8x2x32xf32>
// CHECK: %[[ODD:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, 1] [8, 2, 32, 1] [1, 1, 1, 1] : tensor<8x2x32x2xf32> to tensor<8x2x32xf32>
// CHECK: linalg.generic {indexing_maps = [#[[LANE]], #[[LANE]], #[[TABLE]], #[[TABLE]], #[[ID]]]
// CHECK-SAME: ins(%[[EVEN]], %[[ODD]], %[[TRIG]]#0, %[[TRIG]]#1 : {{.*}}) outs(%[[DEST]] : tensor<8x2x32x2xf32>)
// CHECK:   linalg.index 3
// CHECK:   %[[PS:.*]] = arith.mulf
// CHECK:   math.fma %{{.*}}, %{{.*}}, %[[PS]] : f32
// CHECK: tensor.collapse_shape
// CHECK: %[[ROT:.*]] = tensor.insert_slice {{.*}} into %arg2[0, 0, 0] [8, 2, 64]
// CHECK: %[[PASS:.*]] = tensor.extract_slice %[[ROT]][0, 0, 64] [8, 2, 64]
// CHECK: linalg.copy ins(%{{.*}} : tensor<8x2x64xf32>) outs(%[[PASS]] : tensor<8x2x64xf32>)
// CHECK: tensor.insert_slice {{.*}} into %[[ROT]][0, 0, 64] [8, 2, 64]
func.func @gptj_partial(%x: tensor<8x2x128xf32>, %pos: tensor<1x8xi64>, %o: tensor<8x2x128xf32>) -> tensor<8x2x128xf32> {
  %r = rope.rotate ins(%x : tensor<8x2x128xf32>) positions(%pos : tensor<1x8xi64>) outs(%o : tensor<8x2x128xf32>)
      layout = thd pairing = adjacent head_dim = 128 rotary_dim = 64 theta = 1.0e4 -> tensor<8x2x128xf32>
  return %r : tensor<8x2x128xf32>
}

// -----

// COM: Interleaved MRoPE: the axis of each pair is a constant table (R3);
// COM: pairs 60-63 take t (axis 0). q and k share one cos/sin generic.
// CHECK-LABEL: func @qwen3vl_qk
// CHECK: arith.constant dense<[0, 1, 2, 0, 1, 2, {{.*}}, 0, 1, 2, 0, 0, 0, 0]> : tensor<64xi32>
// CHECK: %[[TRIG:.*]]:2 = linalg.generic
// CHECK: arith.select
// CHECK: arith.select
// CHECK-COUNT-2: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %[[TRIG]]#0, %[[TRIG]]#1 :
// CHECK-NOT: linalg.generic
func.func @qwen3vl_qk(%q: tensor<1x4x?x128xbf16>, %k: tensor<1x2x?x128xbf16>, %pos: tensor<3x1x?xi64>) -> (tensor<1x4x?x128xbf16>, tensor<1x2x?x128xbf16>) {
  %r:2 = rope.rotate positions(%pos : tensor<3x1x?xi64>) outs(%q, %k : tensor<1x4x?x128xbf16>, tensor<1x2x?x128xbf16>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6 axes = <interleaved [24, 20, 20]>
      -> tensor<1x4x?x128xbf16>, tensor<1x2x?x128xbf16>
  return %r#0, %r#1 : tensor<1x4x?x128xbf16>, tensor<1x2x?x128xbf16>
}

// -----

// COM: vLLM's [T, H*D] is rotated through its [T, H, D] view, in place.
// CHECK-LABEL: func @packed
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0], [1, 2]] output_shape [%{{.*}}, 4, 64] : tensor<?x256xf16> into tensor<?x4x64xf16>
// CHECK: tensor.expand_shape {{.*}} output_shape [%{{.*}}, 4, 2, 32] : tensor<?x4x64xf16> into tensor<?x4x2x32xf16>
// CHECK: linalg.generic
// CHECK:   arith.extf {{.*}} : f16 to f32
// CHECK:   arith.truncf {{.*}} : f32 to f16
// CHECK: tensor.collapse_shape {{.*}} {{\[\[}}0], [1, 2]] : tensor<?x4x64xf16> into tensor<?x256xf16>
func.func @packed(%q: tensor<?x256xf16>, %pos: tensor<1x?xi32>) -> tensor<?x256xf16> {
  %r = rope.rotate positions(%pos : tensor<1x?xi32>) outs(%q : tensor<?x256xf16>)
      layout = packed pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<?x256xf16>
  return %r : tensor<?x256xf16>
}

// -----

// COM: Per-lane tables (HF's cat(freqs, freqs)) give each lane its own cos/sin.
// CHECK-LABEL: func @tables_per_lane
// CHECK-NOT: math.cos
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>, tensor<2x8x32xbf16>, tensor<2x8x32xbf16>, tensor<2x8x32xbf16>, tensor<2x8x32xbf16>)
// CHECK: arith.select
func.func @tables_per_lane(%q: tensor<2x4x8x64xf32>, %c: tensor<2x8x64xbf16>, %s: tensor<2x8x64xbf16>, %o: tensor<2x4x8x64xf32>) -> tensor<2x4x8x64xf32> {
  %r = rope.rotate_with_tables ins(%q : tensor<2x4x8x64xf32>) cos(%c : tensor<2x8x64xbf16>) sin(%s : tensor<2x8x64xbf16>)
      outs(%o : tensor<2x4x8x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 -> tensor<2x4x8x64xf32>
  return %r : tensor<2x4x8x64xf32>
}
