// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Qwen3-VL text attention (interleaved MRoPE [24, 20, 20], theta 5e6), bf16, batch 2
// FUNC: @qwen3vl_rope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=5000000 axes=interleaved:24,20,20
// EXPECT: rotate
//
// HF transformers 5 models/qwen3_vl/modeling_qwen3_vl.py: Qwen3VLTextRotaryEmbedding.forward
// (inv_freq[None, None, :, None].expand(3, B, -1, 1) @ position_ids[:, :, None, :], transpose(2, 3))
// and apply_interleaved_mrope: freqs_t = freqs[0]; for dim, offset in ((1, 1), (2, 2)): freqs_t[...,
// offset:sections[dim] * 3:3] = freqs[dim, ..., offset:sections[dim] * 3:3]; then cat((freqs_t,
// freqs_t), -1), cos/sin, apply_rotary_pos_emb (cos.unsqueeze(1)). The 4-D matmul (aten.matmul is
// not turned into bmm above rank 3) lowers through TorchToLinalg's batch-dim collapse:
// collapse_shape of both operands to 3-D, one linalg.batch_matmul, expand_shape back. The in-place
// slice assignments functionalize to aten.slice_scatter: tensor.insert_slice with stride 3 into
// freqs[0]. Canonicalized: each select + slice is one rank-reducing extract_slice (stride 3).
#map = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @qwen3vl_rope(%arg0: tensor<2x4x8x128xbf16>, %arg1: tensor<2x2x8x128xbf16>, %arg2: tensor<3x2x8xi64>) -> (tensor<2x4x8x128xbf16>, tensor<2x2x8x128xbf16>) {
  %0 = arith.constant dense<[1.000000000e+00, 7.858300209e-01, 6.175287366e-01, 4.852726161e-01, 3.813417554e-01, 2.996698022e-01, 2.354895025e-01, 1.850547194e-01, 1.454215497e-01, 1.142766103e-01, 8.980198205e-02, 7.056909055e-02, 5.545530841e-02, 4.357844591e-02, 3.424524888e-02, 2.691094205e-02, 2.114742622e-02, 1.661827974e-02, 1.305914391e-02, 1.026226580e-02, 8.064396679e-03, 6.337244529e-03, 4.979996942e-03, 3.913430963e-03, 3.075291170e-03, 2.416656120e-03, 1.899080700e-03, 1.492354553e-03, 1.172736986e-03, 9.215719183e-04, 7.241988205e-04, 5.690971157e-04, 4.472136206e-04, 3.514338750e-04, 2.761672658e-04, 2.170205116e-04, 1.705412142e-04, 1.340164017e-04, 1.053141023e-04, 8.275898290e-05, 6.503448822e-05, 5.110605343e-05, 4.016066669e-05, 3.155945888e-05, 2.480036710e-05, 1.948887257e-05, 1.531494127e-05, 1.203493866e-05, 9.457416127e-06, 7.431920494e-06, 5.840226549e-06, 4.589424861e-06, 3.606507789e-06, 2.834101906e-06, 2.227122195e-06, 1.750139404e-06, 1.375312081e-06, 1.080761422e-06, 8.492947927e-07, 6.674012525e-07, 5.244639283e-07, 4.121394852e-07, 3.238715465e-07, 2.545079667e-07]> : tensor<64xf32>
  // inv_freq[None, None, :, None].float().expand(3, B, -1, 1)
  %1 = tensor.expand_shape %0 [[0, 1, 2, 3]] output_shape [1, 1, 64, 1] : tensor<64xf32> into tensor<1x1x64x1xf32>
  %2 = tensor.collapse_shape %1 [[0, 1, 2], [3]] : tensor<1x1x64x1xf32> into tensor<64x1xf32>
  %3 = tensor.empty() : tensor<3x2x64x1xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2 : tensor<64x1xf32>) outs(%3 : tensor<3x2x64x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<3x2x64x1xf32>
  // position_ids[:, :, None, :].float()
  %5 = tensor.expand_shape %arg2 [[0], [1, 2], [3]] output_shape [3, 2, 1, 8] : tensor<3x2x8xi64> into tensor<3x2x1x8xi64>
  %6 = tensor.empty() : tensor<3x2x1x8xf32>
  %7 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%5 : tensor<3x2x1x8xi64>) outs(%6 : tensor<3x2x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %8 = arith.sitofp %in : i64 to f32
    linalg.yield %8 : f32
  } -> tensor<3x2x1x8xf32>
  // (inv_freq_expanded @ position_ids_expanded).transpose(2, 3): batch dims collapsed
  %9 = tensor.collapse_shape %4 [[0, 1], [2], [3]] : tensor<3x2x64x1xf32> into tensor<6x64x1xf32>
  %10 = tensor.collapse_shape %7 [[0, 1], [2], [3]] : tensor<3x2x1x8xf32> into tensor<6x1x8xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %11 = tensor.empty() : tensor<6x64x8xf32>
  %12 = linalg.fill ins(%cst : f32) outs(%11 : tensor<6x64x8xf32>) -> tensor<6x64x8xf32>
  %13 = linalg.batch_matmul ins(%9, %10 : tensor<6x64x1xf32>, tensor<6x1x8xf32>) outs(%12 : tensor<6x64x8xf32>) -> tensor<6x64x8xf32>
  %14 = tensor.expand_shape %13 [[0, 1], [2], [3]] output_shape [3, 2, 64, 8] : tensor<6x64x8xf32> into tensor<3x2x64x8xf32>
  %15 = tensor.empty() : tensor<3x2x8x64xf32>
  %16 = linalg.transpose ins(%14 : tensor<3x2x64x8xf32>) outs(%15 : tensor<3x2x8x64xf32>) permutation = [0, 1, 3, 2]
  // apply_interleaved_mrope: freqs_t = freqs[0]
  %17 = tensor.extract_slice %16[0, 0, 0, 0] [1, 2, 8, 64] [1, 1, 1, 1] : tensor<3x2x8x64xf32> to tensor<2x8x64xf32>
  // freqs_t[..., 1:60:3] = freqs[1, ..., 1:60:3]
  %18 = tensor.extract_slice %16[1, 0, 0, 1] [1, 2, 8, 20] [1, 1, 1, 3] : tensor<3x2x8x64xf32> to tensor<2x8x20xf32>
  %19 = tensor.insert_slice %18 into %17[0, 0, 1] [2, 8, 20] [1, 1, 3] : tensor<2x8x20xf32> into tensor<2x8x64xf32>
  // freqs_t[..., 2:60:3] = freqs[2, ..., 2:60:3]
  %20 = tensor.extract_slice %16[2, 0, 0, 2] [1, 2, 8, 20] [1, 1, 1, 3] : tensor<3x2x8x64xf32> to tensor<2x8x20xf32>
  %21 = tensor.insert_slice %20 into %19[0, 0, 2] [2, 8, 20] [1, 1, 3] : tensor<2x8x20xf32> into tensor<2x8x64xf32>
  // emb = torch.cat((freqs_t, freqs_t), dim=-1)
  %22 = tensor.concat dim(2) %21, %21 : (tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<2x8x128xf32>
  // cos = emb.cos().to(x.dtype)
  %23 = tensor.empty() : tensor<2x8x128xf32>
  %24 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%22 : tensor<2x8x128xf32>) outs(%23 : tensor<2x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %25 = math.cos %in : f32
    linalg.yield %25 : f32
  } -> tensor<2x8x128xf32>
  %26 = tensor.empty() : tensor<2x8x128xbf16>
  %27 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%24 : tensor<2x8x128xf32>) outs(%26 : tensor<2x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %28 = arith.truncf %in : f32 to bf16
    linalg.yield %28 : bf16
  } -> tensor<2x8x128xbf16>
  // sin = emb.sin().to(x.dtype)
  %29 = tensor.empty() : tensor<2x8x128xf32>
  %30 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%22 : tensor<2x8x128xf32>) outs(%29 : tensor<2x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %31 = math.sin %in : f32
    linalg.yield %31 : f32
  } -> tensor<2x8x128xf32>
  %32 = tensor.empty() : tensor<2x8x128xbf16>
  %33 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%30 : tensor<2x8x128xf32>) outs(%32 : tensor<2x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %34 = arith.truncf %in : f32 to bf16
    linalg.yield %34 : bf16
  } -> tensor<2x8x128xbf16>
  // unsqueeze(1)
  %35 = tensor.expand_shape %27 [[0, 1], [2], [3]] output_shape [2, 1, 8, 128] : tensor<2x8x128xbf16> into tensor<2x1x8x128xbf16>
  // unsqueeze(1)
  %36 = tensor.expand_shape %33 [[0, 1], [2], [3]] output_shape [2, 1, 8, 128] : tensor<2x8x128xbf16> into tensor<2x1x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %37 = tensor.empty() : tensor<2x4x8x128xbf16>
  %38 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %35 : tensor<2x4x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%37 : tensor<2x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %39 = arith.mulf %in, %in_0 : bf16
    linalg.yield %39 : bf16
  } -> tensor<2x4x8x128xbf16>
  %40 = tensor.extract_slice %arg0[0, 0, 0, 0] [2, 4, 8, 64] [1, 1, 1, 1] : tensor<2x4x8x128xbf16> to tensor<2x4x8x64xbf16>
  %41 = tensor.extract_slice %arg0[0, 0, 0, 64] [2, 4, 8, 64] [1, 1, 1, 1] : tensor<2x4x8x128xbf16> to tensor<2x4x8x64xbf16>
  %42 = tensor.empty() : tensor<2x4x8x64xbf16>
  %43 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%41 : tensor<2x4x8x64xbf16>) outs(%42 : tensor<2x4x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %44 = arith.negf %in : bf16
    linalg.yield %44 : bf16
  } -> tensor<2x4x8x64xbf16>
  %45 = tensor.concat dim(3) %43, %40 : (tensor<2x4x8x64xbf16>, tensor<2x4x8x64xbf16>) -> tensor<2x4x8x128xbf16>
  %46 = tensor.empty() : tensor<2x4x8x128xbf16>
  %47 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%45, %36 : tensor<2x4x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%46 : tensor<2x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %48 = arith.mulf %in, %in_0 : bf16
    linalg.yield %48 : bf16
  } -> tensor<2x4x8x128xbf16>
  %49 = tensor.empty() : tensor<2x4x8x128xbf16>
  %50 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%38, %47 : tensor<2x4x8x128xbf16>, tensor<2x4x8x128xbf16>) outs(%49 : tensor<2x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %51 = arith.addf %in, %in_0 : bf16
    linalg.yield %51 : bf16
  } -> tensor<2x4x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %52 = tensor.empty() : tensor<2x2x8x128xbf16>
  %53 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %35 : tensor<2x2x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%52 : tensor<2x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %54 = arith.mulf %in, %in_0 : bf16
    linalg.yield %54 : bf16
  } -> tensor<2x2x8x128xbf16>
  %55 = tensor.extract_slice %arg1[0, 0, 0, 0] [2, 2, 8, 64] [1, 1, 1, 1] : tensor<2x2x8x128xbf16> to tensor<2x2x8x64xbf16>
  %56 = tensor.extract_slice %arg1[0, 0, 0, 64] [2, 2, 8, 64] [1, 1, 1, 1] : tensor<2x2x8x128xbf16> to tensor<2x2x8x64xbf16>
  %57 = tensor.empty() : tensor<2x2x8x64xbf16>
  %58 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%56 : tensor<2x2x8x64xbf16>) outs(%57 : tensor<2x2x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %59 = arith.negf %in : bf16
    linalg.yield %59 : bf16
  } -> tensor<2x2x8x64xbf16>
  %60 = tensor.concat dim(3) %58, %55 : (tensor<2x2x8x64xbf16>, tensor<2x2x8x64xbf16>) -> tensor<2x2x8x128xbf16>
  %61 = tensor.empty() : tensor<2x2x8x128xbf16>
  %62 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%60, %36 : tensor<2x2x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%61 : tensor<2x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %63 = arith.mulf %in, %in_0 : bf16
    linalg.yield %63 : bf16
  } -> tensor<2x2x8x128xbf16>
  %64 = tensor.empty() : tensor<2x2x8x128xbf16>
  %65 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%53, %62 : tensor<2x2x8x128xbf16>, tensor<2x2x8x128xbf16>) outs(%64 : tensor<2x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %66 = arith.addf %in, %in_0 : bf16
    linalg.yield %66 : bf16
  } -> tensor<2x2x8x128xbf16>
  return %50, %65 : tensor<2x4x8x128xbf16>, tensor<2x2x8x128xbf16>
}
