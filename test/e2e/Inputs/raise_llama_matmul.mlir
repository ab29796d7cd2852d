// Llama-3-style RoPE as HF writes it: freqs = (inv_freq[None, :, None] @
// position_ids[:, None, :].float()).transpose(1, 2): a batch_matmul with
// contraction size 1 and a transpose; theta 5e5; q and k, [B, H, S, D].
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @llama_matmul(%q: tensor<2x4x8x64xf32>, %k: tensor<2x2x8x64xf32>, %position_ids: tensor<2x8xi64>) -> (tensor<2x4x8x64xf32>, tensor<2x2x8x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %inv = arith.constant dense<[1.000000000e+00, 6.636012197e-01, 4.403665960e-01, 2.922278345e-01, 1.939227432e-01, 1.286873668e-01, 8.539710194e-02, 5.666962266e-02, 3.760603070e-02, 2.495540865e-02, 1.656044088e-02, 1.098952815e-02, 7.292664610e-03, 4.839421250e-03, 3.211446106e-03, 2.131119603e-03, 1.414213562e-03, 9.384738514e-04, 6.227724371e-04, 4.132725589e-04, 2.742481884e-04, 1.819914323e-04, 1.207697351e-04, 8.014294872e-05, 5.318295734e-05, 3.529227615e-05, 2.341999971e-05, 1.554154005e-05, 1.031338525e-05, 6.843975370e-06, 4.541670478e-06, 3.013858077e-06]> : tensor<32xf32>
  %inv2 = tensor.expand_shape %inv [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
  %ie = tensor.empty() : tensor<2x32x1xf32>
  %invb = linalg.broadcast ins(%inv2 : tensor<32x1xf32>) outs(%ie : tensor<2x32x1xf32>) dimensions = [0]
  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%position_ids : tensor<2x8xi64>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i64, %o: f32):
    %f = arith.sitofp %a : i64 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %p3 = tensor.expand_shape %pf [[0, 1], [2]] output_shape [2, 1, 8] : tensor<2x8xf32> into tensor<2x1x8xf32>
  %me = tensor.empty() : tensor<2x32x8xf32>
  %mz = linalg.fill ins(%zero : f32) outs(%me : tensor<2x32x8xf32>) -> tensor<2x32x8xf32>
  %mm = linalg.batch_matmul ins(%invb, %p3 : tensor<2x32x1xf32>, tensor<2x1x8xf32>) outs(%mz : tensor<2x32x8xf32>) -> tensor<2x32x8xf32>
  %te0 = tensor.empty() : tensor<2x8x32xf32>
  %freqs = linalg.transpose ins(%mm : tensor<2x32x8xf32>) outs(%te0 : tensor<2x8x32xf32>) permutation = [0, 2, 1]
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x32xf32>, tensor<2x8x32xf32>) -> tensor<2x8x64xf32>
  %te = tensor.empty() : tensor<2x8x64xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%emb : tensor<2x8x64xf32>) outs(%te : tensor<2x8x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x64xf32>
  %cos4 = tensor.expand_shape %cos [[0, 1], [2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%emb : tensor<2x8x64xf32>) outs(%te : tensor<2x8x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x64xf32>
  %sin4 = tensor.expand_shape %sin [[0, 1], [2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %q2 = tensor.extract_slice %q[0, 0, 0, 32] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %qn = arith.negf %q2 : tensor<2x4x8x32xf32>
  %qr = tensor.concat dim(3) %qn, %q1 : (tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x64xf32>
  %qe = tensor.empty() : tensor<2x4x8x64xf32>
  %qy = linalg.generic {indexing_maps = [#id4, #bc, #id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos4, %qr, %sin4 : tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>, tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>) outs(%qe : tensor<2x4x8x64xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  %k1 = tensor.extract_slice %k[0, 0, 0, 0] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xf32> to tensor<2x2x8x32xf32>
  %k2 = tensor.extract_slice %k[0, 0, 0, 32] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xf32> to tensor<2x2x8x32xf32>
  %kn = arith.negf %k2 : tensor<2x2x8x32xf32>
  %kr = tensor.concat dim(3) %kn, %k1 : (tensor<2x2x8x32xf32>, tensor<2x2x8x32xf32>) -> tensor<2x2x8x64xf32>
  %ke = tensor.empty() : tensor<2x2x8x64xf32>
  %ky = linalg.generic {indexing_maps = [#id4, #bc, #id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k, %cos4, %kr, %sin4 : tensor<2x2x8x64xf32>, tensor<2x1x8x64xf32>, tensor<2x2x8x64xf32>, tensor<2x1x8x64xf32>) outs(%ke : tensor<2x2x8x64xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x2x8x64xf32>
  return %qy, %ky : tensor<2x4x8x64xf32>, tensor<2x2x8x64xf32>
}
