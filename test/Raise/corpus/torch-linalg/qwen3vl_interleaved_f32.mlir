// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Qwen3-VL text attention (interleaved MRoPE [24, 20, 20], theta 5e6), f32, batch 1
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
// freqs[0]. aten.select as TorchToLinalg emits it: extract_slice keeping the unit dim, then
// collapse_shape.
#map = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @qwen3vl_rope(%arg0: tensor<1x4x8x128xf32>, %arg1: tensor<1x2x8x128xf32>, %arg2: tensor<3x1x8xi64>) -> (tensor<1x4x8x128xf32>, tensor<1x2x8x128xf32>) {
  %0 = arith.constant dense<[1.000000000e+00, 7.858300209e-01, 6.175287366e-01, 4.852726161e-01, 3.813417554e-01, 2.996698022e-01, 2.354895025e-01, 1.850547194e-01, 1.454215497e-01, 1.142766103e-01, 8.980198205e-02, 7.056909055e-02, 5.545530841e-02, 4.357844591e-02, 3.424524888e-02, 2.691094205e-02, 2.114742622e-02, 1.661827974e-02, 1.305914391e-02, 1.026226580e-02, 8.064396679e-03, 6.337244529e-03, 4.979996942e-03, 3.913430963e-03, 3.075291170e-03, 2.416656120e-03, 1.899080700e-03, 1.492354553e-03, 1.172736986e-03, 9.215719183e-04, 7.241988205e-04, 5.690971157e-04, 4.472136206e-04, 3.514338750e-04, 2.761672658e-04, 2.170205116e-04, 1.705412142e-04, 1.340164017e-04, 1.053141023e-04, 8.275898290e-05, 6.503448822e-05, 5.110605343e-05, 4.016066669e-05, 3.155945888e-05, 2.480036710e-05, 1.948887257e-05, 1.531494127e-05, 1.203493866e-05, 9.457416127e-06, 7.431920494e-06, 5.840226549e-06, 4.589424861e-06, 3.606507789e-06, 2.834101906e-06, 2.227122195e-06, 1.750139404e-06, 1.375312081e-06, 1.080761422e-06, 8.492947927e-07, 6.674012525e-07, 5.244639283e-07, 4.121394852e-07, 3.238715465e-07, 2.545079667e-07]> : tensor<64xf32>
  // inv_freq[None, None, :, None].float().expand(3, B, -1, 1)
  %1 = tensor.expand_shape %0 [[0, 1, 2, 3]] output_shape [1, 1, 64, 1] : tensor<64xf32> into tensor<1x1x64x1xf32>
  %2 = tensor.collapse_shape %1 [[0, 1], [2], [3]] : tensor<1x1x64x1xf32> into tensor<1x64x1xf32>
  %3 = tensor.empty() : tensor<3x1x64x1xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2 : tensor<1x64x1xf32>) outs(%3 : tensor<3x1x64x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<3x1x64x1xf32>
  // position_ids[:, :, None, :].float()
  %5 = tensor.expand_shape %arg2 [[0], [1, 2], [3]] output_shape [3, 1, 1, 8] : tensor<3x1x8xi64> into tensor<3x1x1x8xi64>
  %6 = tensor.empty() : tensor<3x1x1x8xf32>
  %7 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%5 : tensor<3x1x1x8xi64>) outs(%6 : tensor<3x1x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %8 = arith.sitofp %in : i64 to f32
    linalg.yield %8 : f32
  } -> tensor<3x1x1x8xf32>
  // (inv_freq_expanded @ position_ids_expanded).transpose(2, 3): batch dims collapsed
  %9 = tensor.collapse_shape %4 [[0, 1], [2], [3]] : tensor<3x1x64x1xf32> into tensor<3x64x1xf32>
  %10 = tensor.collapse_shape %7 [[0, 1], [2], [3]] : tensor<3x1x1x8xf32> into tensor<3x1x8xf32>
  %cst = arith.constant 0.000000e+00 : f32
  %11 = tensor.empty() : tensor<3x64x8xf32>
  %12 = linalg.fill ins(%cst : f32) outs(%11 : tensor<3x64x8xf32>) -> tensor<3x64x8xf32>
  %13 = linalg.batch_matmul ins(%9, %10 : tensor<3x64x1xf32>, tensor<3x1x8xf32>) outs(%12 : tensor<3x64x8xf32>) -> tensor<3x64x8xf32>
  %14 = tensor.expand_shape %13 [[0, 1], [2], [3]] output_shape [3, 1, 64, 8] : tensor<3x64x8xf32> into tensor<3x1x64x8xf32>
  %15 = tensor.empty() : tensor<3x1x8x64xf32>
  %16 = linalg.transpose ins(%14 : tensor<3x1x64x8xf32>) outs(%15 : tensor<3x1x8x64xf32>) permutation = [0, 1, 3, 2]
  // apply_interleaved_mrope: freqs_t = freqs[0]
  %17 = tensor.extract_slice %16[0, 0, 0, 0] [1, 1, 8, 64] [1, 1, 1, 1] : tensor<3x1x8x64xf32> to tensor<1x1x8x64xf32>
  %18 = tensor.collapse_shape %17 [[0, 1], [2], [3]] : tensor<1x1x8x64xf32> into tensor<1x8x64xf32>
  // freqs_t[..., 1:60:3] = freqs[1, ..., 1:60:3]
  %19 = tensor.extract_slice %16[1, 0, 0, 0] [1, 1, 8, 64] [1, 1, 1, 1] : tensor<3x1x8x64xf32> to tensor<1x1x8x64xf32>
  %20 = tensor.collapse_shape %19 [[0, 1], [2], [3]] : tensor<1x1x8x64xf32> into tensor<1x8x64xf32>
  %21 = tensor.extract_slice %20[0, 0, 1] [1, 8, 20] [1, 1, 3] : tensor<1x8x64xf32> to tensor<1x8x20xf32>
  %22 = tensor.insert_slice %21 into %18[0, 0, 1] [1, 8, 20] [1, 1, 3] : tensor<1x8x20xf32> into tensor<1x8x64xf32>
  // freqs_t[..., 2:60:3] = freqs[2, ..., 2:60:3]
  %23 = tensor.extract_slice %16[2, 0, 0, 0] [1, 1, 8, 64] [1, 1, 1, 1] : tensor<3x1x8x64xf32> to tensor<1x1x8x64xf32>
  %24 = tensor.collapse_shape %23 [[0, 1], [2], [3]] : tensor<1x1x8x64xf32> into tensor<1x8x64xf32>
  %25 = tensor.extract_slice %24[0, 0, 2] [1, 8, 20] [1, 1, 3] : tensor<1x8x64xf32> to tensor<1x8x20xf32>
  %26 = tensor.insert_slice %25 into %22[0, 0, 2] [1, 8, 20] [1, 1, 3] : tensor<1x8x20xf32> into tensor<1x8x64xf32>
  // emb = torch.cat((freqs_t, freqs_t), dim=-1)
  %27 = tensor.concat dim(2) %26, %26 : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x128xf32>
  // cos = emb.cos().to(x.dtype)
  %28 = tensor.empty() : tensor<1x8x128xf32>
  %29 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%27 : tensor<1x8x128xf32>) outs(%28 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %30 = math.cos %in : f32
    linalg.yield %30 : f32
  } -> tensor<1x8x128xf32>
  // sin = emb.sin().to(x.dtype)
  %31 = tensor.empty() : tensor<1x8x128xf32>
  %32 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%27 : tensor<1x8x128xf32>) outs(%31 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %33 = math.sin %in : f32
    linalg.yield %33 : f32
  } -> tensor<1x8x128xf32>
  // unsqueeze(1)
  %34 = tensor.expand_shape %29 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xf32> into tensor<1x1x8x128xf32>
  // unsqueeze(1)
  %35 = tensor.expand_shape %32 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xf32> into tensor<1x1x8x128xf32>
  // (x * cos) + (rotate_half(x) * sin)
  %36 = tensor.empty() : tensor<1x4x8x128xf32>
  %37 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %34 : tensor<1x4x8x128xf32>, tensor<1x1x8x128xf32>) outs(%36 : tensor<1x4x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %38 = arith.mulf %in, %in_0 : f32
    linalg.yield %38 : f32
  } -> tensor<1x4x8x128xf32>
  %39 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 8, 64] [1, 1, 1, 1] : tensor<1x4x8x128xf32> to tensor<1x4x8x64xf32>
  %40 = tensor.extract_slice %arg0[0, 0, 0, 64] [1, 4, 8, 64] [1, 1, 1, 1] : tensor<1x4x8x128xf32> to tensor<1x4x8x64xf32>
  %41 = tensor.empty() : tensor<1x4x8x64xf32>
  %42 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%40 : tensor<1x4x8x64xf32>) outs(%41 : tensor<1x4x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %43 = arith.negf %in : f32
    linalg.yield %43 : f32
  } -> tensor<1x4x8x64xf32>
  %44 = tensor.concat dim(3) %42, %39 : (tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) -> tensor<1x4x8x128xf32>
  %45 = tensor.empty() : tensor<1x4x8x128xf32>
  %46 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%44, %35 : tensor<1x4x8x128xf32>, tensor<1x1x8x128xf32>) outs(%45 : tensor<1x4x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %47 = arith.mulf %in, %in_0 : f32
    linalg.yield %47 : f32
  } -> tensor<1x4x8x128xf32>
  %48 = tensor.empty() : tensor<1x4x8x128xf32>
  %49 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%37, %46 : tensor<1x4x8x128xf32>, tensor<1x4x8x128xf32>) outs(%48 : tensor<1x4x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %50 = arith.addf %in, %in_0 : f32
    linalg.yield %50 : f32
  } -> tensor<1x4x8x128xf32>
  // (x * cos) + (rotate_half(x) * sin)
  %51 = tensor.empty() : tensor<1x2x8x128xf32>
  %52 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %34 : tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>) outs(%51 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %53 = arith.mulf %in, %in_0 : f32
    linalg.yield %53 : f32
  } -> tensor<1x2x8x128xf32>
  %54 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 8, 64] [1, 1, 1, 1] : tensor<1x2x8x128xf32> to tensor<1x2x8x64xf32>
  %55 = tensor.extract_slice %arg1[0, 0, 0, 64] [1, 2, 8, 64] [1, 1, 1, 1] : tensor<1x2x8x128xf32> to tensor<1x2x8x64xf32>
  %56 = tensor.empty() : tensor<1x2x8x64xf32>
  %57 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%55 : tensor<1x2x8x64xf32>) outs(%56 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %58 = arith.negf %in : f32
    linalg.yield %58 : f32
  } -> tensor<1x2x8x64xf32>
  %59 = tensor.concat dim(3) %57, %54 : (tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) -> tensor<1x2x8x128xf32>
  %60 = tensor.empty() : tensor<1x2x8x128xf32>
  %61 = linalg.generic {indexing_maps = [#map1, #map3, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%59, %35 : tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>) outs(%60 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %62 = arith.mulf %in, %in_0 : f32
    linalg.yield %62 : f32
  } -> tensor<1x2x8x128xf32>
  %63 = tensor.empty() : tensor<1x2x8x128xf32>
  %64 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%52, %61 : tensor<1x2x8x128xf32>, tensor<1x2x8x128xf32>) outs(%63 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %65 = arith.addf %in, %in_0 : f32
    linalg.yield %65 : f32
  } -> tensor<1x2x8x128xf32>
  return %49, %64 : tensor<1x4x8x128xf32>, tensor<1x2x8x128xf32>
}
