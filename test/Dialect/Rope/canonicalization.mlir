// RUN: rope-opt %s -split-input-file -canonicalize | FileCheck %s

// COM: Rotating %x into %x is the in-place form.
// CHECK-LABEL: func @ins_equal_outs
// CHECK: rope.rotate positions(%{{.*}}) outs(%arg0 : tensor<8x2x64xf32>)
func.func @ins_equal_outs(%x: tensor<8x2x64xf32>, %pos: tensor<1x8xi64>) -> tensor<8x2x64xf32> {
  %r = rope.rotate ins(%x : tensor<8x2x64xf32>) positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<8x2x64xf32>
  return %r : tensor<8x2x64xf32>
}

// -----

// COM: R3: a single section is plain RoPE, with either spectrum.
// CHECK-LABEL: func @single_section
// CHECK: rope.rotate
// CHECK-NOT: axes
// CHECK-SAME: -> tensor<8x2x64xf32>
func.func @single_section(%x: tensor<8x2x64xf32>, %pos: tensor<1x8xi64>) -> tensor<8x2x64xf32> {
  %r = rope.rotate positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 axes = <sequential [32] per_axis> -> tensor<8x2x64xf32>
  return %r : tensor<8x2x64xf32>
}

// -----

// COM: A custom map that spells Qwen3-VL's round robin is interleaved MRoPE.
// CHECK-LABEL: func @custom_is_interleaved
// CHECK: axes = <interleaved [24, 20, 20]>
func.func @custom_is_interleaved(%x: tensor<8x2x128xf32>, %pos: tensor<3x8xi64>) -> tensor<8x2x128xf32> {
  %r = rope.rotate positions(%pos : tensor<3x8xi64>) outs(%x : tensor<8x2x128xf32>)
      layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6
      axes = <custom [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 0, 0]> -> tensor<8x2x128xf32>
  return %r : tensor<8x2x128xf32>
}

// -----

// COM: A custom map of contiguous runs is sequential MRoPE.
// CHECK-LABEL: func @custom_is_sequential
// CHECK: axes = <sequential [16, 24, 24]>
func.func @custom_is_sequential(%x: tensor<8x2x128xf32>, %pos: tensor<3x8xi64>) -> tensor<8x2x128xf32> {
  %r = rope.rotate positions(%pos : tensor<3x8xi64>) outs(%x : tensor<8x2x128xf32>)
      layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e6
      axes = <custom [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]> -> tensor<8x2x128xf32>
  return %r : tensor<8x2x128xf32>
}

// -----

// COM: Any other custom map stays as written.
// CHECK-LABEL: func @custom_stays
// CHECK: axes = <custom [0, 2, 1, 1]>
func.func @custom_stays(%x: tensor<8x2x8xf32>, %pos: tensor<3x8xi64>) -> tensor<8x2x8xf32> {
  %r = rope.rotate positions(%pos : tensor<3x8xi64>) outs(%x : tensor<8x2x8xf32>)
      layout = thd pairing = half head_dim = 8 rotary_dim = 8 theta = 1.0e4 axes = <custom [0, 2, 1, 1]> -> tensor<8x2x8xf32>
  return %r : tensor<8x2x8xf32>
}

// -----

// COM: R3-text: positions broadcast from one row make MRoPE plain RoPE.
// CHECK-LABEL: func @broadcast_rows_are_text
// CHECK: %[[ROW:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2]] output_shape [1, 2, %{{.*}}] : tensor<2x?xi64> into tensor<1x2x?xi64>
// CHECK: rope.rotate positions(%[[ROW]] : tensor<1x2x?xi64>)
// CHECK-NOT: axes
// CHECK-SAME: -> tensor<2x4x?x128xf32>
func.func @broadcast_rows_are_text(%x: tensor<2x4x?x128xf32>, %row: tensor<2x?xi64>, %init: tensor<3x2x?xi64>) -> tensor<2x4x?x128xf32> {
  %pos = linalg.broadcast ins(%row : tensor<2x?xi64>) outs(%init : tensor<3x2x?xi64>) dimensions = [0]
  %r = rope.rotate positions(%pos : tensor<3x2x?xi64>) outs(%x : tensor<2x4x?x128xf32>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6 axes = <interleaved [24, 20, 20]> -> tensor<2x4x?x128xf32>
  return %r : tensor<2x4x?x128xf32>
}

// -----

// CHECK-LABEL: func @concat_rows_are_text
// CHECK: rope.rotate positions(%arg1 : tensor<1x8xi32>)
// CHECK-NOT: axes
// CHECK-SAME: -> tensor<8x2x128xf32>
func.func @concat_rows_are_text(%x: tensor<8x2x128xf32>, %row: tensor<1x8xi32>) -> tensor<8x2x128xf32> {
  %pos = tensor.concat dim(0) %row, %row, %row : (tensor<1x8xi32>, tensor<1x8xi32>, tensor<1x8xi32>) -> tensor<3x8xi32>
  %r = rope.rotate positions(%pos : tensor<3x8xi32>) outs(%x : tensor<8x2x128xf32>)
      layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e6 axes = <sequential [16, 24, 24]> -> tensor<8x2x128xf32>
  return %r : tensor<8x2x128xf32>
}

// -----

// CHECK-LABEL: func @splat_rows_are_text
// CHECK: %[[C:.*]] = arith.constant dense<7> : tensor<1x8xi64>
// CHECK: rope.rotate positions(%[[C]] : tensor<1x8xi64>)
// CHECK-NOT: axes
func.func @splat_rows_are_text(%x: tensor<8x2x128xf32>) -> tensor<8x2x128xf32> {
  %pos = arith.constant dense<7> : tensor<3x8xi64>
  %r = rope.rotate positions(%pos : tensor<3x8xi64>) outs(%x : tensor<8x2x128xf32>)
      layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6 axes = <interleaved [24, 20, 20]> -> tensor<8x2x128xf32>
  return %r : tensor<8x2x128xf32>
}

// -----

// COM: Not provably equal rows, or a per-axis spectrum (R2), stay MRoPE.
// CHECK-LABEL: func @not_text
// CHECK: axes = <interleaved [24, 20, 20]>
// CHECK: axes = <sequential [20, 20] per_axis>
func.func @not_text(%x: tensor<8x2x128xf32>, %a: tensor<1x8xi64>, %b: tensor<1x8xi64>, %v: tensor<8x2x80xf32>) -> (tensor<8x2x128xf32>, tensor<8x2x80xf32>) {
  %pos = tensor.concat dim(0) %a, %b, %a : (tensor<1x8xi64>, tensor<1x8xi64>, tensor<1x8xi64>) -> tensor<3x8xi64>
  %r = rope.rotate positions(%pos : tensor<3x8xi64>) outs(%x : tensor<8x2x128xf32>)
      layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6 axes = <interleaved [24, 20, 20]> -> tensor<8x2x128xf32>
  %pos2 = tensor.concat dim(0) %a, %a : (tensor<1x8xi64>, tensor<1x8xi64>) -> tensor<2x8xi64>
  %s = rope.rotate positions(%pos2 : tensor<2x8xi64>) outs(%v : tensor<8x2x80xf32>)
      layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 1.0e4 axes = <sequential [20, 20] per_axis> -> tensor<8x2x80xf32>
  return %r, %s : tensor<8x2x128xf32>, tensor<8x2x80xf32>
}
