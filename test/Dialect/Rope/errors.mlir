// RUN: rope-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule; each message names the operand and the SPEC rule.

func.func @odd_rotary_dim(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{rotary_dim must be positive and even (R1), got 127}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 127 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @rotary_above_head_dim(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{rotary_dim (130) must not exceed head_dim (128)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 130 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @head_dim_zero(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{head_dim must be in [1, 65536], got 0}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 0 rotary_dim = 2 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @sections_sum(%x: tensor<2x4x8x128xf32>, %pos: tensor<3x2x8xi64>) {
  // expected-error @+1 {{sections sum to 60 but rotary_dim / 2 is 64 (R3)}}
  %r = rope.rotate positions(%pos : tensor<3x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <sequential [16, 24, 20]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @interleaved_two_sections(%x: tensor<2x4x8x128xf32>, %pos: tensor<2x2x8xi64>) {
  // expected-error @+1 {{axes: interleaved MRoPE needs exactly 3 sections (t, h, w), got 2 (R3)}}
  %r = rope.rotate positions(%pos : tensor<2x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <interleaved [32, 32]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @interleaved_not_round_robin(%x: tensor<2x4x8x128xf32>, %pos: tensor<3x2x8xi64>) {
  // expected-error @+1 {{interleaved sections do not match a round-robin layout: axis 0 gets 22 pairs, section says 10 (R3)}}
  %r = rope.rotate positions(%pos : tensor<3x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <interleaved [10, 27, 27]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @sections_vs_rows(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{axes has 3 sections but 'positions' has 1 rows (R3)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <sequential [16, 24, 24]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @plain_with_three_rows(%x: tensor<2x4x8x128xf32>, %pos: tensor<3x2x8xi64>) {
  // expected-error @+1 {{plain RoPE (no 'axes') needs 1 position row, 'positions' has 3 (R3)}}
  %r = rope.rotate positions(%pos : tensor<3x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @custom_length(%x: tensor<2x4x8x128xf32>, %pos: tensor<3x2x8xi64>) {
  // expected-error @+1 {{custom axis map needs one axis per pair (64), got 3 (R3)}}
  %r = rope.rotate positions(%pos : tensor<3x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <custom [0, 1, 2]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @custom_axis_range(%x: tensor<2x4x8x128xf32>, %pos: tensor<2x2x8xi64>) {
  // expected-error @+1 {{custom axis map names axis 2 but 'positions' has 2 rows (R3)}}
  %r = rope.rotate positions(%pos : tensor<2x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <custom [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @custom_negative(%x: tensor<2x4x8x128xf32>, %pos: tensor<2x2x8xi64>) {
  // expected-error @+1 {{axes: custom axis numbers must be in [0, 65536) (R3)}}
  %r = rope.rotate positions(%pos : tensor<2x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <custom [-1]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @per_axis_interleaved(%x: tensor<2x4x8x128xf32>, %pos: tensor<3x2x8xi64>) {
  // expected-error @+1 {{axes: a per-axis spectrum needs contiguous (sequential) sections (R2)}}
  %r = rope.rotate positions(%pos : tensor<3x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <interleaved [24, 20, 20] per_axis> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @zero_section(%x: tensor<2x4x8x128xf32>, %pos: tensor<3x2x8xi64>) {
  // expected-error @+1 {{axes: sections must be in [1, 32768] (R3)}}
  %r = rope.rotate positions(%pos : tensor<3x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <sequential [64, 0, 0]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @positions_rank(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x16xi64>) {
  // expected-error @+1 {{operand 'positions' must have rank 3 for layout bhsd (R7), got 'tensor<1x16xi64>'}}
  %r = rope.rotate positions(%pos : tensor<1x16xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @positions_tokens(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x9xi64>) {
  // expected-error @+1 {{operand 'positions' dimension 2 (9) does not match the token dimension 2 of outs #0 (8)}}
  %r = rope.rotate positions(%pos : tensor<1x2x9xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @positions_dynamic_axes(%x: tensor<2x4x8x128xf32>, %pos: tensor<?x2x8xi64>) {
  // expected-error @+1 {{operand 'positions' must have a static axis dimension (dimension 0)}}
  %r = rope.rotate positions(%pos : tensor<?x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @positions_elt(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi16>) {
  // expected-error @+1 {{operand 'positions' must have i32, i64 or f32 elements, got 'i16'}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi16>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @data_elt(%x: tensor<2x4x8x128xi32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{outs #0 must have f32, f16 or bf16 elements (R5), got 'i32'}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xi32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xi32>
  return
}

// -----

func.func @data_rank(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2xi64>) {
  // expected-error @+1 {{outs #0 must have rank 3 for layout thd (R7), got 'tensor<2x4x8x128xf32>'}}
  %r = rope.rotate positions(%pos : tensor<1x2xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @last_dim(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{outs #0 has last dimension 128, not head_dim 64 (R7)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @packed_multiple(%x: tensor<8x500xf32>, %pos: tensor<1x8xi64>) {
  // expected-error @+1 {{outs #0 has last dimension 500, not a multiple of head_dim 128 (R7)}}
  %r = rope.rotate positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x500xf32>) layout = packed pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<8x500xf32>
  return
}

// -----

func.func @ins_outs_count(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{needs one 'outs' operand per 'ins' operand, got 1 ins and 2 outs}}
  %r:2 = rope.rotate ins(%x : tensor<2x4x8x128xf32>) positions(%pos : tensor<1x2x8xi64>) outs(%x, %x : tensor<2x4x8x128xf32>, tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>, tensor<2x4x8x128xf32>
  return
}

// -----

func.func @three_outs(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{rotates one or two tensors (q, or q and k), got 3 outs}}
  %r:3 = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x, %x, %x : tensor<2x4x8x128xf32>, tensor<2x4x8x128xf32>, tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>, tensor<2x4x8x128xf32>, tensor<2x4x8x128xf32>
  return
}

// -----

func.func @ins_type(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>, %h: tensor<2x4x8x128xf16>) {
  // expected-error @+1 {{ins #0 must have the type of outs #0}}
  %r = rope.rotate ins(%h : tensor<2x4x8x128xf16>) positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @result_type(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{result #0 must have the type of outs #0}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf16>
  return
}

// -----

func.func @qk_tokens(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>, %k: tensor<2x2x9x128xf32>) {
  // expected-error @+1 {{outs #1 must have the token dimensions of outs #0 (q and k share positions)}}
  %r:2 = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x, %k : tensor<2x4x8x128xf32>, tensor<2x2x9x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>, tensor<2x2x9x128xf32>
  return
}

// -----

func.func @theta_one(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{theta must be greater than 1 (R2), got 1}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @scaling_kind(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{'scaling' must be a rope scaling attribute (R4), got 3.000000e+00 : f32}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = 3.0 : f32 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @yarn_factor(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{yarn scaling: factor must be positive and finite, with a finite reciprocal (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.yarn<factor = -1.0, original_max_position = 4096> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @yarn_original(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{yarn scaling: original_max_position must be positive (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.yarn<factor = 2.0, original_max_position = 0> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @freq_factors_length(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{freq_factors scaling: needs one factor per pair (64), got 2 (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.freq_factors<[1.0, 2.0]> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @llama3_bands(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{llama3 scaling: needs 0 < low_freq_factor <= high_freq_factor < inf (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.llama3<factor = 8.0, low_freq_factor = 4.0, high_freq_factor = 1.0, original_max_position = 8192> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @ntk_without_seq_len(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{operand 'seq_len' is required by, and only by, #rope.dynamic_ntk scaling (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.dynamic_ntk<factor = 2.0, original_max_position = 4096> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @seq_len_without_ntk(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>, %n: index) {
  // expected-error @+1 {{operand 'seq_len' is required by, and only by, #rope.dynamic_ntk scaling (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) seq_len(%n) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @attention_factor(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{attention_factor must be positive and finite in f32 (R4), got 0.0}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 attention_factor = 0.0 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @tables_types(%x: tensor<2x4x8x128xf32>, %c: tensor<2x8x128xf32>, %s: tensor<2x8x128xf16>) {
  // expected-error @+1 {{operands 'cos' and 'sin' must have the same type}}
  %r = rope.rotate_with_tables cos(%c : tensor<2x8x128xf32>) sin(%s : tensor<2x8x128xf16>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @tables_width(%x: tensor<2x4x8x128xf32>, %c: tensor<2x8x100xf32>, %s: tensor<2x8x100xf32>) {
  // expected-error @+1 {{operand 'cos' must have a static last dimension of rotary_dim (128) or rotary_dim / 2 (64), got 100}}
  %r = rope.rotate_with_tables cos(%c : tensor<2x8x100xf32>) sin(%s : tensor<2x8x100xf32>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @tables_elt(%x: tensor<2x4x8x128xf32>, %c: tensor<2x8x64xi32>, %s: tensor<2x8x64xi32>) {
  // expected-error @+1 {{operand 'cos' must have f16, bf16, f32 or f64 elements, got 'i32'}}
  %r = rope.rotate_with_tables cos(%c : tensor<2x8x64xi32>) sin(%s : tensor<2x8x64xi32>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @tables_rank(%x: tensor<2x4x8x128xf32>, %c: tensor<16x64xf32>, %s: tensor<16x64xf32>) {
  // expected-error @+1 {{operand 'cos' must have rank 3 for layout bhsd (R7), got 'tensor<16x64xf32>'}}
  %r = rope.rotate_with_tables cos(%c : tensor<16x64xf32>) sin(%s : tensor<16x64xf32>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @mixed_forms(%q: tensor<5x2x64xf32>, %pos: memref<1x5xi64>) -> tensor<5x2x64xf32> {
  // expected-error @+1 {{'rope.rotate' op operand 'positions' is a memref but outs #0 is a tensor: operands are all tensors (tensor form) or all memrefs (buffer form)}}
  %r = rope.rotate positions(%pos : memref<1x5xi64>) outs(%q : tensor<5x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<5x2x64xf32>
  return %r : tensor<5x2x64xf32>
}

// -----

func.func @mixed_ins(%q: tensor<5x2x64xf32>, %pos: memref<1x5xi64>, %o: memref<5x2x64xf32>) {
  // expected-error @+1 {{'rope.rotate' op ins #0 is a tensor but outs #0 is a memref: operands are all tensors (tensor form) or all memrefs (buffer form)}}
  rope.rotate ins(%q : tensor<5x2x64xf32>) positions(%pos : memref<1x5xi64>) outs(%o : memref<5x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
  return
}

// -----

func.func @buffer_form_with_result(%pos: memref<1x5xi64>, %o: memref<5x2x64xf32>) {
  // expected-error @+1 {{'rope.rotate' op has no results in the buffer form (memref outs), got 1}}
  %r = "rope.rotate"(%pos, %o) <{layout = #rope<layout thd>, pairing = #rope<pairing half>, head_dim = 64 : i64,
      rotary_dim = 64 : i64, theta = 1.0e4 : f64, operandSegmentSizes = array<i32: 0, 1, 0, 1>}>
      : (memref<1x5xi64>, memref<5x2x64xf32>) -> tensor<5x2x64xf32>
  return
}

// -----

func.func @buffer_shapes(%q: memref<5x2x32xf32>, %pos: memref<1x5xi64>, %o: memref<5x2x64xf32>) {
  // expected-error @+1 {{'rope.rotate' op ins #0 must have the shape and element type of outs #0}}
  rope.rotate ins(%q : memref<5x2x32xf32>) positions(%pos : memref<1x5xi64>) outs(%o : memref<5x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
  return
}

// -----

func.func @tables_kinds(%x: memref<7x4x64xf32>, %c: memref<7x32xf32>, %s: tensor<7x32xf32>) {
  // expected-error @+1 {{'rope.rotate_with_tables' op operand 'sin' is a tensor but outs #0 is a memref}}
  rope.rotate_with_tables cos(%c : memref<7x32xf32>) sin(%s : tensor<7x32xf32>) outs(%x : memref<7x4x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64
  return
}
