// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: ttir-linalg
// MODEL: tt-mlir RoPE fusing test shapes (rope_basic_broadcast / rope_commuted_add / rope_commuted_multiply / rope_with_typecast) as TTIR lowers to linalg (ttir-to-linalg, elementwise via TOSA then tosa-to-linalg), bf16 in/out with f32 compute, prefill
// FUNC: @rope_commuted_typecast
// ARGS: sin x cos
// REF: layout=bhsd pairing=half rotary_dim=64
// EXPECT: tables
//
// The TTIR graph, as tt-xla hands Llama-style layers to tt-mlir: arguments in
// the order (sin, x, cos); cos/sin [1, S, D] reshaped to [1, 1, S, D]
// (tensor.expand_shape) and ttir.broadcast over heads, which TTIRToLinalg
// lowers to a collapse_shape of the broadcast unit dim + linalg.broadcast;
// ttir.typecast bf16 -> f32 of x, cos and sin (tosa.cast -> arith.extf generic)
// and f32 -> bf16 of the result (arith.truncf); both multiplies commuted
// (cos * x, sin * rotate_half(x)) and the add commuted (sin branch first);
// slice_static -> tensor.extract_slice, neg -> arith.negf generic, concat ->
// tensor.concat.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @rope_commuted_typecast(%sin: tensor<1x8x64xbf16>, %x: tensor<1x4x8x64xbf16>, %cos: tensor<1x8x64xbf16>) -> tensor<1x4x8x64xbf16> {
  %ex = tensor.empty() : tensor<1x4x8x64xf32>
  %xf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x8x64xbf16>) outs(%ex : tensor<1x4x8x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %0 = arith.extf %in : bf16 to f32
    linalg.yield %0 : f32
  } -> tensor<1x4x8x64xf32>
  // cos: reshape, broadcast, typecast
  %cos4 = tensor.expand_shape %cos [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xbf16> into tensor<1x1x8x64xbf16>
  %cosc = tensor.collapse_shape %cos4 [[0, 1], [2], [3]] : tensor<1x1x8x64xbf16> into tensor<1x8x64xbf16>
  %eb = tensor.empty() : tensor<1x4x8x64xbf16>
  %cosb = linalg.broadcast ins(%cosc : tensor<1x8x64xbf16>) outs(%eb : tensor<1x4x8x64xbf16>) dimensions = [1]
  %cosf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cosb : tensor<1x4x8x64xbf16>) outs(%ex : tensor<1x4x8x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %0 = arith.extf %in : bf16 to f32
    linalg.yield %0 : f32
  } -> tensor<1x4x8x64xf32>
  %x_cos = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cosf, %xf : tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) outs(%ex : tensor<1x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x8x64xf32>
  // rotate_half on the f32 x
  %x_hi = tensor.extract_slice %xf[0, 0, 0, 32] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xf32> to tensor<1x4x8x32xf32>
  %eh = tensor.empty() : tensor<1x4x8x32xf32>
  %neg_hi = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x_hi : tensor<1x4x8x32xf32>) outs(%eh : tensor<1x4x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x8x32xf32>
  %x_lo = tensor.extract_slice %xf[0, 0, 0, 0] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xf32> to tensor<1x4x8x32xf32>
  %rotated = tensor.concat dim(3) %neg_hi, %x_lo : (tensor<1x4x8x32xf32>, tensor<1x4x8x32xf32>) -> tensor<1x4x8x64xf32>
  // sin: reshape, broadcast, typecast
  %sin4 = tensor.expand_shape %sin [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xbf16> into tensor<1x1x8x64xbf16>
  %sinc = tensor.collapse_shape %sin4 [[0, 1], [2], [3]] : tensor<1x1x8x64xbf16> into tensor<1x8x64xbf16>
  %sinb = linalg.broadcast ins(%sinc : tensor<1x8x64xbf16>) outs(%eb : tensor<1x4x8x64xbf16>) dimensions = [1]
  %sinf = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sinb : tensor<1x4x8x64xbf16>) outs(%ex : tensor<1x4x8x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %0 = arith.extf %in : bf16 to f32
    linalg.yield %0 : f32
  } -> tensor<1x4x8x64xf32>
  %rot_sin = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sinf, %rotated : tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) outs(%ex : tensor<1x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x8x64xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%rot_sin, %x_cos : tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) outs(%ex : tensor<1x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.addf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x8x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum : tensor<1x4x8x64xf32>) outs(%eb : tensor<1x4x8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %0 = arith.truncf %in : f32 to bf16
    linalg.yield %0 : bf16
  } -> tensor<1x4x8x64xbf16>
  return %y : tensor<1x4x8x64xbf16>
}
