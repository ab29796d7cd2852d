// HF's bf16 path in vLLM's layout: every op on bf16 tensors (each product
// rounded), negation as 0 - x, tables through linalg.broadcast.
func.func @thd_arith_bf16(%q: tensor<16x4x64xbf16>, %cos: tensor<16x64xbf16>, %sin: tensor<16x64xbf16>) -> tensor<16x4x64xbf16> {
  %eq = tensor.empty() : tensor<16x4x64xbf16>
  %cq = linalg.broadcast ins(%cos : tensor<16x64xbf16>) outs(%eq : tensor<16x4x64xbf16>) dimensions = [1]
  %sq = linalg.broadcast ins(%sin : tensor<16x64xbf16>) outs(%eq : tensor<16x4x64xbf16>) dimensions = [1]
  %q1 = tensor.extract_slice %q[0, 0, 0] [16, 4, 32] [1, 1, 1] : tensor<16x4x64xbf16> to tensor<16x4x32xbf16>
  %q2 = tensor.extract_slice %q[0, 0, 32] [16, 4, 32] [1, 1, 1] : tensor<16x4x64xbf16> to tensor<16x4x32xbf16>
  %zq = arith.constant dense<0.0> : tensor<16x4x32xbf16>
  %nq = arith.subf %zq, %q2 : tensor<16x4x32xbf16>
  %rq = tensor.concat dim(2) %nq, %q1 : (tensor<16x4x32xbf16>, tensor<16x4x32xbf16>) -> tensor<16x4x64xbf16>
  %aq = arith.mulf %q, %cq : tensor<16x4x64xbf16>
  %bq = arith.mulf %rq, %sq : tensor<16x4x64xbf16>
  %yq = arith.addf %aq, %bq : tensor<16x4x64xbf16>
  return %yq : tensor<16x4x64xbf16>
}
