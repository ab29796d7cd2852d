// Qwen2-VL text attention's rotary embedding as torch-mlir lowers HF's
// Qwen2VLRotaryEmbedding + apply_multimodal_rotary_pos_emb: positions
// [3, B, S] in, q (28 heads) and k (4 heads) out. cos/sin are computed per
// axis as [3, B, S, 128], split by mrope_section * 2 = [16, 24, 24, 16, 24,
// 24] along the last dim, chunk i taken from axis i % 3, concatenated.
//
// rope-opt --rope-raise turns all of it into one rope.rotate:
//   theta = 1.000000e+06 axes = <sequential [16, 24, 24]>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#pos = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#inv = affine_map<(d0, d1, d2, d3) -> (d3)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @qwen2vl_rope(%q: tensor<1x28x16x128xf32>, %k: tensor<1x4x16x128xf32>, %position_ids: tensor<3x1x16xi64>)
    -> (tensor<1x28x16x128xf32>, tensor<1x4x16x128xf32>) {
  %inv_freq = arith.constant dense<[1.000000000e+00, 8.058421612e-01, 6.493816376e-01, 5.232990980e-01, 4.216965139e-01, 3.398208320e-01, 2.738419771e-01, 2.206734121e-01, 1.778279394e-01, 1.433012635e-01, 1.154781953e-01, 9.305720776e-02, 7.498942316e-02, 6.042964011e-02, 4.869675264e-02, 3.924189880e-02, 3.162277490e-02, 2.548296750e-02, 2.053525113e-02, 1.654817164e-02, 1.333521400e-02, 1.074607857e-02, 8.659643121e-03, 6.978305988e-03, 5.623413250e-03, 4.531583749e-03, 3.651741194e-03, 2.942727180e-03, 2.371373819e-03, 1.910952968e-03, 1.539926510e-03, 1.240937738e-03, 1.000000047e-03, 8.058421663e-04, 6.493816036e-04, 5.232990952e-04, 4.216965172e-04, 3.398208355e-04, 2.738419571e-04, 2.206734061e-04, 1.778279402e-04, 1.433012512e-04, 1.154782003e-04, 9.305720596e-05, 7.498942432e-05, 6.042964014e-05, 4.869675104e-05, 3.924189878e-05, 3.162277790e-05, 2.548296834e-05, 2.053524986e-05, 1.654817061e-05, 1.333521413e-05, 1.074607826e-05, 8.659642845e-06, 6.978305919e-06, 5.623413472e-06, 4.531583727e-06, 3.651741281e-06, 2.942727178e-06, 2.371373739e-06, 1.910952960e-06, 1.539926529e-06, 1.240937763e-06]> : tensor<64xf32>
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
  %emb = tensor.concat dim(3) %freqs, %freqs : (tensor<3x1x16x64xf32>, tensor<3x1x16x64xf32>) -> tensor<3x1x16x128xf32>
  %cose = tensor.empty() : tensor<3x1x16x128xf32>
  %cos3 = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%emb : tensor<3x1x16x128xf32>) outs(%cose : tensor<3x1x16x128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<3x1x16x128xf32>
  %cos_c0 = tensor.extract_slice %cos3[0, 0, 0, 0] [1, 1, 16, 16] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x16xf32>
  %cos_c1 = tensor.extract_slice %cos3[1, 0, 0, 16] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %cos_c2 = tensor.extract_slice %cos3[2, 0, 0, 40] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %cos_c3 = tensor.extract_slice %cos3[0, 0, 0, 64] [1, 1, 16, 16] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x16xf32>
  %cos_c4 = tensor.extract_slice %cos3[1, 0, 0, 80] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %cos_c5 = tensor.extract_slice %cos3[2, 0, 0, 104] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %cos = tensor.concat dim(2) %cos_c0, %cos_c1, %cos_c2, %cos_c3, %cos_c4, %cos_c5 : (tensor<1x16x16xf32>, tensor<1x16x24xf32>, tensor<1x16x24xf32>, tensor<1x16x16xf32>, tensor<1x16x24xf32>, tensor<1x16x24xf32>) -> tensor<1x16x128xf32>
  %cos4 = tensor.expand_shape %cos [[0, 1], [2], [3]] output_shape [1, 1, 16, 128] : tensor<1x16x128xf32> into tensor<1x1x16x128xf32>
  %sine = tensor.empty() : tensor<3x1x16x128xf32>
  %sin3 = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%emb : tensor<3x1x16x128xf32>) outs(%sine : tensor<3x1x16x128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<3x1x16x128xf32>
  %sin_c0 = tensor.extract_slice %sin3[0, 0, 0, 0] [1, 1, 16, 16] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x16xf32>
  %sin_c1 = tensor.extract_slice %sin3[1, 0, 0, 16] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %sin_c2 = tensor.extract_slice %sin3[2, 0, 0, 40] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %sin_c3 = tensor.extract_slice %sin3[0, 0, 0, 64] [1, 1, 16, 16] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x16xf32>
  %sin_c4 = tensor.extract_slice %sin3[1, 0, 0, 80] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %sin_c5 = tensor.extract_slice %sin3[2, 0, 0, 104] [1, 1, 16, 24] [1, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
  %sin = tensor.concat dim(2) %sin_c0, %sin_c1, %sin_c2, %sin_c3, %sin_c4, %sin_c5 : (tensor<1x16x16xf32>, tensor<1x16x24xf32>, tensor<1x16x24xf32>, tensor<1x16x16xf32>, tensor<1x16x24xf32>, tensor<1x16x24xf32>) -> tensor<1x16x128xf32>
  %sin4 = tensor.expand_shape %sin [[0, 1], [2], [3]] output_shape [1, 1, 16, 128] : tensor<1x16x128xf32> into tensor<1x1x16x128xf32>
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 28, 16, 64] [1, 1, 1, 1] : tensor<1x28x16x128xf32> to tensor<1x28x16x64xf32>
  %q2 = tensor.extract_slice %q[0, 0, 0, 64] [1, 28, 16, 64] [1, 1, 1, 1] : tensor<1x28x16x128xf32> to tensor<1x28x16x64xf32>
  %qe = tensor.empty() : tensor<1x28x16x64xf32>
  %qn = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q2 : tensor<1x28x16x64xf32>) outs(%qe : tensor<1x28x16x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<1x28x16x64xf32>
  %qr = tensor.concat dim(3) %qn, %q1 : (tensor<1x28x16x64xf32>, tensor<1x28x16x64xf32>) -> tensor<1x28x16x128xf32>
  %qo = tensor.empty() : tensor<1x28x16x128xf32>
  %qc = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos4 : tensor<1x28x16x128xf32>, tensor<1x1x16x128xf32>) outs(%qo : tensor<1x28x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x28x16x128xf32>
  %qs = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qr, %sin4 : tensor<1x28x16x128xf32>, tensor<1x1x16x128xf32>) outs(%qo : tensor<1x28x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x28x16x128xf32>
  %qy = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qc, %qs : tensor<1x28x16x128xf32>, tensor<1x28x16x128xf32>) outs(%qo : tensor<1x28x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x28x16x128xf32>
  %k1 = tensor.extract_slice %k[0, 0, 0, 0] [1, 4, 16, 64] [1, 1, 1, 1] : tensor<1x4x16x128xf32> to tensor<1x4x16x64xf32>
  %k2 = tensor.extract_slice %k[0, 0, 0, 64] [1, 4, 16, 64] [1, 1, 1, 1] : tensor<1x4x16x128xf32> to tensor<1x4x16x64xf32>
  %ke = tensor.empty() : tensor<1x4x16x64xf32>
  %kn = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k2 : tensor<1x4x16x64xf32>) outs(%ke : tensor<1x4x16x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<1x4x16x64xf32>
  %kr = tensor.concat dim(3) %kn, %k1 : (tensor<1x4x16x64xf32>, tensor<1x4x16x64xf32>) -> tensor<1x4x16x128xf32>
  %ko = tensor.empty() : tensor<1x4x16x128xf32>
  %kc = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%k, %cos4 : tensor<1x4x16x128xf32>, tensor<1x1x16x128xf32>) outs(%ko : tensor<1x4x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x16x128xf32>
  %ks = linalg.generic {indexing_maps = [#id4, #bc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%kr, %sin4 : tensor<1x4x16x128xf32>, tensor<1x1x16x128xf32>) outs(%ko : tensor<1x4x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x16x128xf32>
  %ky = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%kc, %ks : tensor<1x4x16x128xf32>, tensor<1x4x16x128xf32>) outs(%ko : tensor<1x4x16x128xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x16x128xf32>
  return %qy, %ky : tensor<1x28x16x128xf32>, tensor<1x4x16x128xf32>
}
