// GPT-J's rotate_every_two in vLLM's layout: even/odd strided slices,
// stack((-x2, x1), -1).flatten(-2) as unsqueeze + concat + collapse; per-lane
// tables (repeat_interleave'd) broadcast over the heads.
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
  %qc = arith.mulf %q, %c : tensor<8x2x16xf32>
  %rs = arith.mulf %rot, %s : tensor<8x2x16xf32>
  %y = arith.addf %qc, %rs : tensor<8x2x16xf32>
  return %y : tensor<8x2x16xf32>
}
