// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Phi-3 LongRoPE (HF Phi3 rotary with rope_scaling type longrope: inv_freq = 1 / (ext_factors * base ** (2j / R)), cos/sin * sqrt(1 + ln(s) / ln(L0)) with s = 131072 / 4096), f32, prefill
// FUNC: @phi3_longrope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=10000 scaling=freq:1.0,1.0,1.0,1.02,1.05,1.08,1.12,1.17,1.23,1.3,1.38,1.47,1.57,1.68,1.8,1.93,2.07,2.22,2.38,2.55,2.73,2.92,3.12,3.33,3.55,3.78,4.02,4.27,4.53,4.8,5.08,5.37 attention=1.1902380714238083 tol=1e-4
// EXPECT: rotate
//
// Written after HF's modeling_rope_utils._compute_longrope_parameters and the
// Phi-3 rotary forward, lowered as TorchToLinalg does: the position ids are
// converted to float BEFORE the unsqueeze (position_ids.float()[:, None, :]),
// the ext-factor-divided inv_freq is a constant buffer, the attention factor
// multiplies cos and sin in the same generic as the trig, rotate_half is a
// functionalized slice_scatter (two insert_slices into an empty tensor), and
// the rotation itself is fused into one generic per tensor. The factors are
// made up in LongRoPE's shape (growing from 1.0 to 5.37), not a model's.
// The graph's inv_freq is f32: the raised op keeps those exact values (as
// freq_factors), so against REF's float64 factors it differs by the f32
// rounding of inv_freq times the position (2e-5 at 4096): tol 1e-4.
#map = affine_map<(d0, d1) -> (d0, d1)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @phi3_longrope(%arg0: tensor<1x4x8x64xf32>, %arg1: tensor<1x2x8x64xf32>, %arg2: tensor<1x8xi64>) -> (tensor<1x4x8x64xf32>, tensor<1x2x8x64xf32>) {
  %inv = arith.constant dense<[1.000000000e+00, 7.498942018e-01, 5.623413324e-01, 4.134279490e-01, 3.011693060e-01, 2.195716351e-01, 1.587749422e-01, 1.139761880e-01, 8.130080998e-02, 5.768416822e-02, 4.074937105e-02, 2.868683636e-02, 2.014189586e-02, 1.411531959e-02, 9.879330173e-03, 6.909437478e-03, 4.830917809e-03, 3.377901856e-03, 2.362778643e-03, 1.653711777e-03, 1.158343512e-03, 8.121142746e-04, 5.699613248e-04, 4.004568909e-04, 2.816901542e-04, 1.983847178e-04, 1.398859022e-04, 9.875796241e-05, 6.980745093e-05, 4.940361760e-05, 3.500550156e-05, 2.483280150e-05]> : tensor<32xf32>
  %att = arith.constant 1.1902381 : f32
  %zero = arith.constant 0.000000e+00 : f32
  // position_ids.float(): converted before the reshape
  %pe = tensor.empty() : tensor<1x8xf32>
  %pf = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg2 : tensor<1x8xi64>) outs(%pe : tensor<1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %c = arith.sitofp %in : i64 to f32
    linalg.yield %c : f32
  } -> tensor<1x8xf32>
  %p3 = tensor.expand_shape %pf [[0, 1], [2]] output_shape [1, 1, 8] : tensor<1x8xf32> into tensor<1x1x8xf32>
  %i3 = tensor.expand_shape %inv [[0, 1, 2]] output_shape [1, 32, 1] : tensor<32xf32> into tensor<1x32x1xf32>
  %fe = tensor.empty() : tensor<1x32x8xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%fe : tensor<1x32x8xf32>) -> tensor<1x32x8xf32>
  %mm = linalg.batch_matmul ins(%i3, %p3 : tensor<1x32x1xf32>, tensor<1x1x8xf32>) outs(%fill : tensor<1x32x8xf32>) -> tensor<1x32x8xf32>
  %te = tensor.empty() : tensor<1x8x32xf32>
  %freqs = linalg.transpose ins(%mm : tensor<1x32x8xf32>) outs(%te : tensor<1x8x32xf32>) permutation = [0, 2, 1]
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  %ce = tensor.empty() : tensor<1x8x64xf32>
  // emb.cos() * attention_factor (fused)
  %cos = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<1x8x64xf32>) outs(%ce : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = math.cos %in : f32
    %m = arith.mulf %c, %att : f32
    linalg.yield %m : f32
  } -> tensor<1x8x64xf32>
  %sin = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<1x8x64xf32>) outs(%ce : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = math.sin %in : f32
    %m = arith.mulf %s, %att : f32
    linalg.yield %m : f32
  } -> tensor<1x8x64xf32>
  %cos4 = tensor.expand_shape %cos [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xf32> into tensor<1x1x8x64xf32>
  %sin4 = tensor.expand_shape %sin [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xf32> into tensor<1x1x8x64xf32>
  %q_lo = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xf32> to tensor<1x4x8x32xf32>
  %q_hi = tensor.extract_slice %arg0[0, 0, 0, 32] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xf32> to tensor<1x4x8x32xf32>
  %q_eh = tensor.empty() : tensor<1x4x8x32xf32>
  %q_neg = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%q_hi : tensor<1x4x8x32xf32>) outs(%q_eh : tensor<1x4x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x4x8x32xf32>
  // rotate_half via slice_scatter into zeros: insert_slice x2 (torch-mlir's functionalized cat)
  %q_z = tensor.empty() : tensor<1x4x8x64xf32>
  %q_i0 = tensor.insert_slice %q_neg into %q_z[0, 0, 0, 0] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x32xf32> into tensor<1x4x8x64xf32>
  %q_rot = tensor.insert_slice %q_lo into %q_i0[0, 0, 0, 32] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x32xf32> into tensor<1x4x8x64xf32>
  %q_e = tensor.empty() : tensor<1x4x8x64xf32>
  // q * cos + rotate_half(q) * sin after elementwise fusion: one generic
  %q_y = linalg.generic {indexing_maps = [#map4, #map5, #map4, #map5, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %cos4, %q_rot, %sin4 : tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>) outs(%q_e : tensor<1x4x8x64xf32>) {
  ^bb0(%xv: f32, %c: f32, %r: f32, %s: f32, %out: f32):
    %a = arith.mulf %xv, %c : f32
    %b = arith.mulf %r, %s : f32
    %y = arith.addf %a, %b : f32
    linalg.yield %y : f32
  } -> tensor<1x4x8x64xf32>
  %k_lo = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %k_hi = tensor.extract_slice %arg1[0, 0, 0, 32] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %k_eh = tensor.empty() : tensor<1x2x8x32xf32>
  %k_neg = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%k_hi : tensor<1x2x8x32xf32>) outs(%k_eh : tensor<1x2x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x2x8x32xf32>
  // rotate_half via slice_scatter into zeros: insert_slice x2 (torch-mlir's functionalized cat)
  %k_z = tensor.empty() : tensor<1x2x8x64xf32>
  %k_i0 = tensor.insert_slice %k_neg into %k_z[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x32xf32> into tensor<1x2x8x64xf32>
  %k_rot = tensor.insert_slice %k_lo into %k_i0[0, 0, 0, 32] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x32xf32> into tensor<1x2x8x64xf32>
  %k_e = tensor.empty() : tensor<1x2x8x64xf32>
  // q * cos + rotate_half(q) * sin after elementwise fusion: one generic
  %k_y = linalg.generic {indexing_maps = [#map4, #map5, #map4, #map5, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %cos4, %k_rot, %sin4 : tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>) outs(%k_e : tensor<1x2x8x64xf32>) {
  ^bb0(%xv: f32, %c: f32, %r: f32, %s: f32, %out: f32):
    %a = arith.mulf %xv, %c : f32
    %b = arith.mulf %r, %s : f32
    %y = arith.addf %a, %b : f32
    linalg.yield %y : f32
  } -> tensor<1x2x8x64xf32>
  return %q_y, %k_y : tensor<1x4x8x64xf32>, tensor<1x2x8x64xf32>
}
