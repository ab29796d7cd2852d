// Qwen3-VL text attention's rotary embedding as torch-mlir lowers HF's
// Qwen3VLTextRotaryEmbedding + apply_rotary_pos_emb (transformers 5):
// positions [3, B, S] in, q and k out. inv_freq is a constant,
// freqs = float(position_ids) x inv_freq per axis, apply_interleaved_mrope
// writes h and w frequencies into the t row at stride 3 (sections
// [24, 20, 20]), emb = cat(freqs, freqs), cos/sin, unsqueeze(1), then
// q * cos + rotate_half(q) * sin for q and k.
//
// rope-opt --rope-raise turns all of it into one rope.rotate:
//   layout = bhsd pairing = half head_dim = 128 rotary_dim = 128
//   theta = 5.000000e+06 axes = <interleaved [24, 20, 20]>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#pos = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#inv = affine_map<(d0, d1, d2, d3) -> (d3)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @qwen3vl_rope(%q: tensor<1x32x16x128xf32>, %k: tensor<1x8x16x128xf32>, %position_ids: tensor<3x1x16xi64>)
    -> (tensor<1x32x16x128xf32>, tensor<1x8x16x128xf32>) {
  %inv_freq = arith.constant dense<[1.000000000e+00, 7.858299613e-01, 6.175287366e-01, 4.852726161e-01, 3.813417554e-01, 2.996698022e-01, 2.354895025e-01, 1.850547194e-01, 1.454215497e-01, 1.142766103e-01, 8.980198205e-02, 7.056909055e-02, 5.545530841e-02, 4.357844219e-02, 3.424524888e-02, 2.691094205e-02, 2.114742436e-02, 1.661828160e-02, 1.305914298e-02, 1.026226673e-02, 8.064396679e-03, 6.337244529e-03, 4.979996942e-03, 3.913430963e-03, 3.075291170e-03, 2.416656120e-03, 1.899080817e-03, 1.492354553e-03, 1.172736986e-03, 9.215718601e-04, 7.241988205e-04, 5.690971157e-04, 4.472135915e-04, 3.514338459e-04, 2.761672658e-04, 2.170205116e-04, 1.705412287e-04, 1.340164017e-04, 1.053141095e-04, 8.275898290e-05, 6.503448822e-05, 5.110605343e-05, 4.016067032e-05, 3.155945888e-05, 2.480036710e-05, 1.948887257e-05, 1.531493945e-05, 1.203493957e-05, 9.457416127e-06, 7.431920949e-06, 5.840226549e-06, 4.589424861e-06, 3.606507789e-06, 2.834101906e-06, 2.227122195e-06, 1.750139404e-06, 1.375312081e-06, 1.080761422e-06, 8.492947359e-07, 6.674012525e-07, 5.244639283e-07, 4.121394852e-07, 3.238715465e-07, 2.545079667e-07]> : tensor<64xf32>
  %pe = tensor.empty() : tensor<3x1x16xf32>
  %posf = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%position_ids : tensor<3x1x16xi64>) outs(%pe : tensor<3x1x16xf32>) {
  ^bb0(%a: i64, %o: f32):
    %f = arith.sitofp %a : i64 to f32
    linalg.yield %f : f32
  } -> tensor<3x1x16xf32>
  %fe = tensor.empty() : tensor<3x1x16x64xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%posf, %inv_freq : tensor<3x1x16xf32>, tensor<64xf32>) outs(%fe : tensor<3x1x16x64xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<3x1x16x64xf32>
  // apply_interleaved_mrope: freqs_t = freqs[0]; freqs_t[..., 1:60:3] = freqs[1, ..., 1:60:3];
  // freqs_t[..., 2:60:3] = freqs[2, ..., 2:60:3]
  %ft = tensor.extract_slice %freqs[0, 0, 0, 0] [1, 1, 16, 64] [1, 1, 1, 1] : tensor<3x1x16x64xf32> to tensor<1x16x64xf32>
  %fh = tensor.extract_slice %freqs[1, 0, 0, 1] [1, 1, 16, 20] [1, 1, 1, 3] : tensor<3x1x16x64xf32> to tensor<1x16x20xf32>
  %fw = tensor.extract_slice %freqs[2, 0, 0, 2] [1, 1, 16, 20] [1, 1, 1, 3] : tensor<3x1x16x64xf32> to tensor<1x16x20xf32>
  %f1 = tensor.insert_slice %fh into %ft[0, 0, 1] [1, 16, 20] [1, 1, 3] : tensor<1x16x20xf32> into tensor<1x16x64xf32>
  %f2 = tensor.insert_slice %fw into %f1[0, 0, 2] [1, 16, 20] [1, 1, 3] : tensor<1x16x20xf32> into tensor<1x16x64xf32>
  %emb = tensor.concat dim(2) %f2, %f2 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x128xf32>
  %cose = tensor.empty() : tensor<1x16x128xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%emb : tensor<1x16x128xf32>) outs(%cose : tensor<1x16x128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<1x16x128xf32>
  %cos4 = tensor.expand_shape %cos [[0, 1], [2], [3]] output_shape [1, 1, 16, 128] : tensor<1x16x128xf32> into tensor<1x1x16x128xf32>
  %sine = tensor.empty() : tensor<1x16x128xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%emb : tensor<1x16x128xf32>) outs(%sine : tensor<1x16x128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<1x16x128xf32>
  %sin4 = tensor.expand_shape %sin [[0, 1], [2], [3]] output_shape [1, 1, 16, 128] : tensor<1x16x128xf32> into tensor<1x1x16x128xf32>
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 32, 16, 64] [1, 1, 1, 1] : tensor<1x32x16x128xf32> to tensor<1x32x16x64xf32>
  %q2 = tensor.extract_slice %q[0, 0, 0, 64] [1, 32, 16, 64] [1, 1, 1, 1] : tensor<1x32x16x128xf32> to tensor<1x32x16x64xf32>
  %qe = tensor.empty() : tensor<1x32x16x64xf32>
  %qn = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q2 : tensor<1x32x16x64xf32>) outs(%qe : tensor<1x32x16x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<1x32x16x64xf32>
  %qr = tensor.concat dim(3) %qn, %q1 : (tensor<1x32x16x64xf32>, tensor<1x32x16x64xf32>) -> tensor<1x32x16x128xf32>
  %qo = tensor.empty() : tensor<1x32x16x128xf32>
  %qc = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos4 : tensor<1x32x16x128xf32>, tensor<1x1x16x128xf32>) outs(%qo : tensor<1x32x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x32x16x128xf32>
  %qs = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qr, %sin4 : tensor<1x32x16x128xf32>, tensor<1x1x16x128xf32>) outs(%qo : tensor<1x32x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x32x16x128xf32>
  %qy = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qc, %qs : tensor<1x32x16x128xf32>, tensor<1x32x16x128xf32>) outs(%qo : tensor<1x32x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x32x16x128xf32>
  %k1 = tensor.extract_slice %k[0, 0, 0, 0] [1, 8, 16, 64] [1, 1, 1, 1] : tensor<1x8x16x128xf32> to tensor<1x8x16x64xf32>
  %k2 = tensor.extract_slice %k[0, 0, 0, 64] [1, 8, 16, 64] [1, 1, 1, 1] : tensor<1x8x16x128xf32> to tensor<1x8x16x64xf32>
  %ke = tensor.empty() : tensor<1x8x16x64xf32>
  %kn = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k2 : tensor<1x8x16x64xf32>) outs(%ke : tensor<1x8x16x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<1x8x16x64xf32>
  %kr = tensor.concat dim(3) %kn, %k1 : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x128xf32>
  %ko = tensor.empty() : tensor<1x8x16x128xf32>
  %kc = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k, %cos4 : tensor<1x8x16x128xf32>, tensor<1x1x16x128xf32>) outs(%ko : tensor<1x8x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x16x128xf32>
  %ks = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%kr, %sin4 : tensor<1x8x16x128xf32>, tensor<1x1x16x128xf32>) outs(%ko : tensor<1x8x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x16x128xf32>
  %ky = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%kc, %ks : tensor<1x8x16x128xf32>, tensor<1x8x16x128xf32>) outs(%ko : tensor<1x8x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x16x128xf32>
  return %qy, %ky : tensor<1x32x16x128xf32>, tensor<1x8x16x128xf32>
}
