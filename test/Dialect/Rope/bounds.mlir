// RUN: rope-opt %s -split-input-file -verify-diagnostics

// Sizes the verifier bounds so that no size computation downstream overflows
// or explodes, and element types the lowerings cannot take (issue 17, found
// by fuzzing). Each case once verified and then crashed, aborted, ran out of
// memory or made a pass emit invalid IR.

// Sections summing past int64: the sum wrapped to rotary_dim / 2.
func.func @sections_overflow(%x: tensor<2x4x8x128xf32>, %pos: tensor<3x2x8xi64>) {
  // expected-error @+1 {{axes: sections must be in [1, 32768] (R3)}}
  %r = rope.rotate positions(%pos : tensor<3x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 axes = <sequential [4611686018427387904, 4611686018427387904, -9223372036854775744]> -> tensor<2x4x8x128xf32>
  return
}

// -----

// A custom axis number whose max + 1 overflowed.
func.func @custom_axis_max(%x: tensor<2x4x8x4xf32>, %pos: tensor<2x2x8xi64>) {
  // expected-error @+1 {{axes: custom axis numbers must be in [0, 65536) (R3)}}
  %r = rope.rotate positions(%pos : tensor<2x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 axes = <custom [0, 9223372036854775807]> -> tensor<2x4x8x4xf32>
  return
}

// -----

// rotary_dim 2^40 aborted allocating its frequency table.
func.func @huge_rotary_dim(%x: tensor<2x4x8x?xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{head_dim must be in [1, 65536], got 1099511627776}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x?xf32>) layout = bhsd pairing = half head_dim = 1099511627776 rotary_dim = 1099511627776 theta = 1.0e4 -> tensor<2x4x8x?xf32>
  return
}

// -----

// head_dim 2^62 with a small rotary_dim: rope-codegen-vectorize built a 2^62-lane vector.
func.func @huge_head_dim(%x: tensor<2x4x8x4611686018427387904xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{head_dim must be in [1, 65536], got 4611686018427387904}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x4611686018427387904xf32>) layout = bhsd pairing = half head_dim = 4611686018427387904 rotary_dim = 2 theta = 1.0e4 -> tensor<2x4x8x4611686018427387904xf32>
  return
}

// -----

// 2^62 heads overflowed byte sizes in rope-codegen-vectorize.
func.func @huge_heads(%x: tensor<2x4611686018427387904x?x128xf32>, %pos: tensor<1x2x?xi64>) {
  // expected-error @+1 {{outs #0 dimension 1 is 4611686018427387904: static dimensions must be in [1, 2^40] (dynamic ones may be empty at run time)}}
  %r = rope.rotate positions(%pos : tensor<1x2x?xi64>) outs(%x : tensor<2x4611686018427387904x?x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 -> tensor<2x4611686018427387904x?x128xf32>
  return
}

// -----

func.func @too_many_elements(%x: tensor<1048576x1048576x?x512xf32>, %pos: tensor<1x1048576x?xi64>) {
  // expected-error @+1 {{outs #0 has more than 2^48 elements ('tensor<1048576x1048576x?x512xf32>')}}
  %r = rope.rotate positions(%pos : tensor<1x1048576x?xi64>) outs(%x : tensor<1048576x1048576x?x512xf32>) layout = bhsd pairing = half head_dim = 512 rotary_dim = 512 theta = 1.0e4 -> tensor<1048576x1048576x?x512xf32>
  return
}

// -----

// Zero heads: decomposition sliced out of bounds.
func.func @zero_heads(%x: tensor<2x0x?x64xf32>, %pos: tensor<1x2x?xi64>) {
  // expected-error @+1 {{outs #0 dimension 1 is 0: static dimensions must be in [1, 2^40]}}
  %r = rope.rotate positions(%pos : tensor<1x2x?xi64>) outs(%x : tensor<2x0x?x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<2x0x?x64xf32>
  return
}

// -----

func.func @zero_position_rows(%x: tensor<2x4x?x64xf32>, %pos: tensor<1x0x?xi64>) {
  // expected-error @+1 {{operand 'positions' dimension 1 is 0: static dimensions must be in [1, 2^40]}}
  %r = rope.rotate positions(%pos : tensor<1x0x?xi64>) outs(%x : tensor<2x4x?x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<2x4x?x64xf32>
  return
}

// -----

// A dynamic head_dim: decomposition's expand_shape needed it static.
func.func @dynamic_head_dim(%x: tensor<2x4x?x?xf32>, %pos: tensor<1x2x?xi64>) {
  // expected-error @+1 {{outs #0 must have a static last dimension (head_dim) (R7), got 'tensor<2x4x?x?xf32>'}}
  %r = rope.rotate positions(%pos : tensor<1x2x?xi64>) outs(%x : tensor<2x4x?x?xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<2x4x?x?xf32>
  return
}

// -----

func.func @dynamic_packed_width(%x: tensor<?x?xbf16>, %pos: tensor<1x?xi32>) {
  // expected-error @+1 {{outs #0 must have a static last dimension (heads * head_dim) (R7), got 'tensor<?x?xbf16>'}}
  %r = rope.rotate positions(%pos : tensor<1x?xi32>) outs(%x : tensor<?x?xbf16>) layout = packed pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<?x?xbf16>
  return
}

// -----

// Signed and unsigned integers: arith's conversions take signless ones only.
func.func @si64_positions(%x: tensor<2x4x?x64xf32>, %pos: tensor<1x2x?xsi64>) {
  // expected-error @+1 {{operand 'positions' must have i32, i64 or f32 elements, got 'si64'}}
  %r = rope.rotate positions(%pos : tensor<1x2x?xsi64>) outs(%x : tensor<2x4x?x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<2x4x?x64xf32>
  return
}

// -----

func.func @ui32_positions(%x: tensor<?x4x64xf16>, %pos: tensor<1x?xui32>) {
  // expected-error @+1 {{operand 'positions' must have i32, i64 or f32 elements, got 'ui32'}}
  %r = rope.rotate positions(%pos : tensor<1x?xui32>) outs(%x : tensor<?x4x64xf16>) layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<?x4x64xf16>
  return
}

// -----

func.func @too_many_axes(%x: tensor<?x4x64xf32>, %pos: tensor<70000x?xi64>) {
  // expected-error @+1 {{operand 'positions' has 70000 axes; at most 65536 (R3)}}
  %r = rope.rotate positions(%pos : tensor<70000x?xi64>) outs(%x : tensor<?x4x64xf32>) layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 axes = <custom [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]> -> tensor<?x4x64xf32>
  return
}

// -----

// Non-finite parameters, spelled as the printer writes them (their bits).
func.func @infinite_beta(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{yarn scaling: beta_fast and beta_slow must be positive and finite (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.yarn<factor = 4.0, original_max_position = 4096, beta_fast = 0x7FF0000000000000> -> tensor<2x4x8x128xf32>
  return
}

// -----

func.func @infinite_freq_factor(%x: tensor<2x4x8x4xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{freq_factors scaling: factors must be positive and finite, with finite reciprocals (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 scaling = #rope.freq_factors<[1.0, 0x7FF0000000000000]> -> tensor<2x4x8x4xf32>
  return
}

// -----

func.func @nan_attention_factor(%x: tensor<2x4x8x4xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{attention_factor must be positive and finite in f32 (R4), got INF}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 attention_factor = 0x7FF0000000000000 -> tensor<2x4x8x4xf32>
  return
}

// -----

// Finite, but the frequencies divided by it overflow: position 0 rotated by
// 0 * inf = NaN (new-user trial, issue 17).
func.func @subnormal_linear_factor(%x: tensor<2x4x8x4xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{linear scaling: factor must be positive and finite, with a finite reciprocal (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 scaling = #rope.linear<factor = 1.0e-310> -> tensor<2x4x8x4xf32>
  return
}

// -----

func.func @subnormal_freq_factor(%x: tensor<2x4x8x4xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{freq_factors scaling: factors must be positive and finite, with finite reciprocals (R4)}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 scaling = #rope.freq_factors<[1.0, 1.0e-320]> -> tensor<2x4x8x4xf32>
  return
}

// -----

// Finite in f64, infinite in the f32 the kernels scale in.
func.func @attention_factor_past_f32(%x: tensor<2x4x8x4xf32>, %pos: tensor<1x2x8xi64>) {
  // expected-error @+1 {{attention_factor must be positive and finite in f32 (R4), got 3.5}}
  %r = rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 attention_factor = 3.5e38 -> tensor<2x4x8x4xf32>
  return
}

// -----

// The error says "dynamic", not ShapedType's sentinel.
func.func @dynamic_table_width(%x: tensor<2x4x8x64xf32>, %c: tensor<2x8x?xf32>) {
  // expected-error @+1 {{operand 'cos' must have a static last dimension of rotary_dim (64) or rotary_dim / 2 (32), got a dynamic one}}
  %r = rope.rotate_with_tables ins(%x : tensor<2x4x8x64xf32>) cos(%c : tensor<2x8x?xf32>) sin(%c : tensor<2x8x?xf32>) outs(%x : tensor<2x4x8x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 -> tensor<2x4x8x64xf32>
  return
}

// -----

// An f8 table: the CPU pipeline left an unrealized cast.
func.func @f8_tables(%x: tensor<2x4x?x128xf32>, %c: tensor<2x?x128xf8E4M3FN>, %s: tensor<2x?x128xf8E4M3FN>) {
  // expected-error @+1 {{operand 'cos' must have f16, bf16, f32 or f64 elements, got 'f8E4M3FN'}}
  %r = rope.rotate_with_tables cos(%c : tensor<2x?x128xf8E4M3FN>) sin(%s : tensor<2x?x128xf8E4M3FN>) outs(%x : tensor<2x4x?x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 -> tensor<2x4x?x128xf32>
  return
}
