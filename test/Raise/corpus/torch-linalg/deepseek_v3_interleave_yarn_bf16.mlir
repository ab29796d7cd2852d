// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: DeepSeek-V3 MLA rope part (interleave permutation, yarn factor 40, mscale), bf16
// FUNC: @deepseek_v3_rope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=10000 scaling=yarn:40,4096,32,1 deinterleave
// EXPECT: rotate
//
// HF transformers models/deepseek_v3/modeling_deepseek_v3.py: DeepseekV3RotaryEmbedding (yarn:
// _compute_yarn_parameters, factor 40, original_max_position_embeddings 4096, beta_fast 32,
// beta_slow 1, theta 1e4, qk_rope_head_dim 64; cos/sin * attention_scaling) and
// apply_rotary_pos_emb_interleave: q.view(b, h, s, d // 2, 2).transpose(4, 3).reshape(b, h, s, d),
// then q * cos + rotate_half(q) * sin. q_pe [B, 4, S, 64] and k_pe [B, 1, S, 64] (MLA's shared rope
// key). attention_scaling is HF's default 0.1 * ln(40) + 1 (a config without mscale_all_dim; V3's
// own config sets mscale = mscale_all_dim = 1, which makes it 1). The view/transpose/reshape de-
// interleaves x (x[0::2] ++ x[1::2]); the result stays in that order. REF 'deinterleave' says the
// reference rotates the de-interleaved x with half pairing (= adjacent pairing on x, then de-
// interleaved).
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @deepseek_v3_rope(%arg0: tensor<1x4x8x64xbf16>, %arg1: tensor<1x1x8x64xbf16>, %arg2: tensor<1x8xi64>) -> (tensor<1x4x8x64xbf16>, tensor<1x1x8x64xbf16>) {
  %0 = arith.constant dense<[1.000000000e+00, 7.498942018e-01, 5.623413324e-01, 4.216965139e-01, 3.162277639e-01, 2.371373624e-01, 1.778279394e-01, 1.333521456e-01, 1.000000015e-01, 7.498941571e-02, 5.623412877e-02, 3.900692612e-02, 2.687936090e-02, 1.837814413e-02, 1.244795602e-02, 8.334509097e-03, 5.500000436e-03, 3.561997321e-03, 2.249365207e-03, 1.370513462e-03, 7.905694074e-04, 4.149904125e-04, 1.778279402e-04, 3.333803397e-05, 2.499999937e-05, 1.874735426e-05, 1.405853254e-05, 1.054241238e-05, 7.905694474e-06, 5.928434348e-06, 4.445698323e-06, 3.333803534e-06]> : tensor<32xf32>
  // position_ids[:, None, :].float()
  %1 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [1, 1, 8] : tensor<1x8xi64> into tensor<1x1x8xi64>
  %2 = tensor.empty() : tensor<1x1x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1 : tensor<1x1x8xi64>) outs(%2 : tensor<1x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %4 = arith.sitofp %in : i64 to f32
    linalg.yield %4 : f32
  } -> tensor<1x1x8xf32>
  // inv_freq[None, :, None].float().expand(B, -1, 1)
  %5 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 32, 1] : tensor<32xf32> into tensor<1x32x1xf32>
  // freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
  %cst = arith.constant 0.000000e+00 : f32
  %6 = tensor.empty() : tensor<1x32x8xf32>
  %7 = linalg.fill ins(%cst : f32) outs(%6 : tensor<1x32x8xf32>) -> tensor<1x32x8xf32>
  %8 = linalg.batch_matmul ins(%5, %3 : tensor<1x32x1xf32>, tensor<1x1x8xf32>) outs(%7 : tensor<1x32x8xf32>) -> tensor<1x32x8xf32>
  %9 = tensor.empty() : tensor<1x8x32xf32>
  %10 = linalg.transpose ins(%8 : tensor<1x32x8xf32>) outs(%9 : tensor<1x8x32xf32>) permutation = [0, 2, 1]
  %11 = tensor.concat dim(2) %10, %10 : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  // cos = emb.cos() * attention_scaling.to(x.dtype)
  %12 = tensor.empty() : tensor<1x8x64xf32>
  %13 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x64xf32>) outs(%12 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %14 = math.cos %in : f32
    linalg.yield %14 : f32
  } -> tensor<1x8x64xf32>
  %cst_1 = arith.constant 1.368887901e+00 : f32
  %15 = tensor.empty() : tensor<1x8x64xf32>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%13 : tensor<1x8x64xf32>) outs(%15 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %17 = arith.mulf %in, %cst_1 : f32
    linalg.yield %17 : f32
  } -> tensor<1x8x64xf32>
  %18 = tensor.empty() : tensor<1x8x64xbf16>
  %19 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%16 : tensor<1x8x64xf32>) outs(%18 : tensor<1x8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %20 = arith.truncf %in : f32 to bf16
    linalg.yield %20 : bf16
  } -> tensor<1x8x64xbf16>
  // sin = emb.sin() * attention_scaling.to(x.dtype)
  %21 = tensor.empty() : tensor<1x8x64xf32>
  %22 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x64xf32>) outs(%21 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %23 = math.sin %in : f32
    linalg.yield %23 : f32
  } -> tensor<1x8x64xf32>
  %24 = tensor.empty() : tensor<1x8x64xf32>
  %25 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%22 : tensor<1x8x64xf32>) outs(%24 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %26 = arith.mulf %in, %cst_1 : f32
    linalg.yield %26 : f32
  } -> tensor<1x8x64xf32>
  %27 = tensor.empty() : tensor<1x8x64xbf16>
  %28 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%25 : tensor<1x8x64xf32>) outs(%27 : tensor<1x8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %29 = arith.truncf %in : f32 to bf16
    linalg.yield %29 : bf16
  } -> tensor<1x8x64xbf16>
  // unsqueeze(1)
  %30 = tensor.expand_shape %19 [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xbf16> into tensor<1x1x8x64xbf16>
  // unsqueeze(1)
  %31 = tensor.expand_shape %28 [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xbf16> into tensor<1x1x8x64xbf16>
  // x.view(b, h, s, d // 2, 2).transpose(4, 3).reshape(b, h, s, d)
  %32 = tensor.expand_shape %arg0 [[0], [1], [2], [3, 4]] output_shape [1, 4, 8, 32, 2] : tensor<1x4x8x64xbf16> into tensor<1x4x8x32x2xbf16>
  %33 = tensor.empty() : tensor<1x4x8x2x32xbf16>
  %34 = linalg.transpose ins(%32 : tensor<1x4x8x32x2xbf16>) outs(%33 : tensor<1x4x8x2x32xbf16>) permutation = [0, 1, 2, 4, 3]
  %35 = tensor.collapse_shape %34 [[0], [1], [2], [3, 4]] : tensor<1x4x8x2x32xbf16> into tensor<1x4x8x64xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %36 = tensor.empty() : tensor<1x4x8x64xbf16>
  %37 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%35, %30 : tensor<1x4x8x64xbf16>, tensor<1x1x8x64xbf16>) outs(%36 : tensor<1x4x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %38 = arith.mulf %in, %in_0 : bf16
    linalg.yield %38 : bf16
  } -> tensor<1x4x8x64xbf16>
  %39 = tensor.extract_slice %35[0, 0, 0, 0] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xbf16> to tensor<1x4x8x32xbf16>
  %40 = tensor.extract_slice %35[0, 0, 0, 32] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xbf16> to tensor<1x4x8x32xbf16>
  %41 = tensor.empty() : tensor<1x4x8x32xbf16>
  %42 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%40 : tensor<1x4x8x32xbf16>) outs(%41 : tensor<1x4x8x32xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %43 = arith.negf %in : bf16
    linalg.yield %43 : bf16
  } -> tensor<1x4x8x32xbf16>
  %44 = tensor.concat dim(3) %42, %39 : (tensor<1x4x8x32xbf16>, tensor<1x4x8x32xbf16>) -> tensor<1x4x8x64xbf16>
  %45 = tensor.empty() : tensor<1x4x8x64xbf16>
  %46 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%44, %31 : tensor<1x4x8x64xbf16>, tensor<1x1x8x64xbf16>) outs(%45 : tensor<1x4x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %47 = arith.mulf %in, %in_0 : bf16
    linalg.yield %47 : bf16
  } -> tensor<1x4x8x64xbf16>
  %48 = tensor.empty() : tensor<1x4x8x64xbf16>
  %49 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%37, %46 : tensor<1x4x8x64xbf16>, tensor<1x4x8x64xbf16>) outs(%48 : tensor<1x4x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %50 = arith.addf %in, %in_0 : bf16
    linalg.yield %50 : bf16
  } -> tensor<1x4x8x64xbf16>
  // x.view(b, h, s, d // 2, 2).transpose(4, 3).reshape(b, h, s, d)
  %51 = tensor.expand_shape %arg1 [[0], [1], [2], [3, 4]] output_shape [1, 1, 8, 32, 2] : tensor<1x1x8x64xbf16> into tensor<1x1x8x32x2xbf16>
  %52 = tensor.empty() : tensor<1x1x8x2x32xbf16>
  %53 = linalg.transpose ins(%51 : tensor<1x1x8x32x2xbf16>) outs(%52 : tensor<1x1x8x2x32xbf16>) permutation = [0, 1, 2, 4, 3]
  %54 = tensor.collapse_shape %53 [[0], [1], [2], [3, 4]] : tensor<1x1x8x2x32xbf16> into tensor<1x1x8x64xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %55 = tensor.empty() : tensor<1x1x8x64xbf16>
  %56 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%54, %30 : tensor<1x1x8x64xbf16>, tensor<1x1x8x64xbf16>) outs(%55 : tensor<1x1x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %57 = arith.mulf %in, %in_0 : bf16
    linalg.yield %57 : bf16
  } -> tensor<1x1x8x64xbf16>
  %58 = tensor.extract_slice %54[0, 0, 0, 0] [1, 1, 8, 32] [1, 1, 1, 1] : tensor<1x1x8x64xbf16> to tensor<1x1x8x32xbf16>
  %59 = tensor.extract_slice %54[0, 0, 0, 32] [1, 1, 8, 32] [1, 1, 1, 1] : tensor<1x1x8x64xbf16> to tensor<1x1x8x32xbf16>
  %60 = tensor.empty() : tensor<1x1x8x32xbf16>
  %61 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%59 : tensor<1x1x8x32xbf16>) outs(%60 : tensor<1x1x8x32xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %62 = arith.negf %in : bf16
    linalg.yield %62 : bf16
  } -> tensor<1x1x8x32xbf16>
  %63 = tensor.concat dim(3) %61, %58 : (tensor<1x1x8x32xbf16>, tensor<1x1x8x32xbf16>) -> tensor<1x1x8x64xbf16>
  %64 = tensor.empty() : tensor<1x1x8x64xbf16>
  %65 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%63, %31 : tensor<1x1x8x64xbf16>, tensor<1x1x8x64xbf16>) outs(%64 : tensor<1x1x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %66 = arith.mulf %in, %in_0 : bf16
    linalg.yield %66 : bf16
  } -> tensor<1x1x8x64xbf16>
  %67 = tensor.empty() : tensor<1x1x8x64xbf16>
  %68 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%56, %65 : tensor<1x1x8x64xbf16>, tensor<1x1x8x64xbf16>) outs(%67 : tensor<1x1x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %69 = arith.addf %in, %in_0 : bf16
    linalg.yield %69 : bf16
  } -> tensor<1x1x8x64xbf16>
  return %49, %68 : tensor<1x4x8x64xbf16>, tensor<1x1x8x64xbf16>
}
