// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Qwen2-VL-7B text attention (MRoPE sections [16, 24, 24], theta 1e6), bf16
// FUNC: @qwen2vl_rope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=1000000 axes=sequential:16,24,24
// EXPECT: rotate
//
// HF transformers models/qwen2_vl/modeling_qwen2_vl.py: Qwen2VLRotaryEmbedding.forward (positions
// [3, B, S]; inv_freq[None, None, :, None].expand(3, B, -1, 1) @ position_ids[:, :, None, :]) and
// apply_multimodal_rotary_pos_emb: mrope_section * 2 = [16, 24, 24, 16, 24, 24], cat([m[i % 3] for
// i, m in enumerate(cos.split(...))], -1).unsqueeze(1), then q * cos + rotate_half(q) * sin. The 4-D
// matmul (aten.matmul is not turned into bmm above rank 3) lowers through TorchToLinalg's batch-dim
// collapse: collapse_shape of both operands to 3-D, one linalg.batch_matmul, expand_shape back.
// split + select: one rank-reducing extract_slice per section (canonicalized), six of them
// concatenated. Half the tokens are text-like (t = h = w).
#map = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @qwen2vl_rope(%arg0: tensor<1x4x8x128xbf16>, %arg1: tensor<1x2x8x128xbf16>, %arg2: tensor<3x1x8xi64>) -> (tensor<1x4x8x128xbf16>, tensor<1x2x8x128xbf16>) {
  %0 = arith.constant dense<[1.000000000e+00, 8.058422208e-01, 6.493816376e-01, 5.232991576e-01, 4.216965139e-01, 3.398208320e-01, 2.738419771e-01, 2.206733972e-01, 1.778279394e-01, 1.433012635e-01, 1.154782027e-01, 9.305720031e-02, 7.498941571e-02, 6.042964384e-02, 4.869675264e-02, 3.924189880e-02, 3.162277862e-02, 2.548296750e-02, 2.053525113e-02, 1.654817164e-02, 1.333521493e-02, 1.074607857e-02, 8.659643121e-03, 6.978305988e-03, 5.623413250e-03, 4.531583749e-03, 3.651741426e-03, 2.942727180e-03, 2.371373819e-03, 1.910952851e-03, 1.539926510e-03, 1.240937854e-03, 1.000000047e-03, 8.058422245e-04, 6.493816618e-04, 5.232990952e-04, 4.216964880e-04, 3.398208064e-04, 2.738419571e-04, 2.206734207e-04, 1.778279402e-04, 1.433012658e-04, 1.154781930e-04, 9.305720596e-05, 7.498942432e-05, 6.042963651e-05, 4.869675467e-05, 3.924189878e-05, 3.162277426e-05, 2.548296652e-05, 2.053524986e-05, 1.654817061e-05, 1.333521413e-05, 1.074607826e-05, 8.659643754e-06, 6.978306374e-06, 5.623413472e-06, 4.531583727e-06, 3.651741281e-06, 2.942727178e-06, 2.371373739e-06, 1.910952960e-06, 1.539926529e-06, 1.240937763e-06]> : tensor<64xf32>
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
  // emb = torch.cat((freqs, freqs), dim=-1)
  %17 = tensor.concat dim(3) %16, %16 : (tensor<3x1x8x64xf32>, tensor<3x1x8x64xf32>) -> tensor<3x1x8x128xf32>
  // cos = emb.cos().to(x.dtype)
  %18 = tensor.empty() : tensor<3x1x8x128xf32>
  %19 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%17 : tensor<3x1x8x128xf32>) outs(%18 : tensor<3x1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %20 = math.cos %in : f32
    linalg.yield %20 : f32
  } -> tensor<3x1x8x128xf32>
  %21 = tensor.empty() : tensor<3x1x8x128xbf16>
  %22 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%19 : tensor<3x1x8x128xf32>) outs(%21 : tensor<3x1x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %23 = arith.truncf %in : f32 to bf16
    linalg.yield %23 : bf16
  } -> tensor<3x1x8x128xbf16>
  // sin = emb.sin().to(x.dtype)
  %24 = tensor.empty() : tensor<3x1x8x128xf32>
  %25 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%17 : tensor<3x1x8x128xf32>) outs(%24 : tensor<3x1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %26 = math.sin %in : f32
    linalg.yield %26 : f32
  } -> tensor<3x1x8x128xf32>
  %27 = tensor.empty() : tensor<3x1x8x128xbf16>
  %28 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%25 : tensor<3x1x8x128xf32>) outs(%27 : tensor<3x1x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %29 = arith.truncf %in : f32 to bf16
    linalg.yield %29 : bf16
  } -> tensor<3x1x8x128xbf16>
  // torch.cat([m[i % 3] for i, m in enumerate(t.split([16, 24, 24, 16, 24, 24], dim=-1))], dim=-1)
  %30 = tensor.extract_slice %22[0, 0, 0, 0] [1, 1, 8, 16] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x16xbf16>
  %31 = tensor.extract_slice %22[1, 0, 0, 16] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %32 = tensor.extract_slice %22[2, 0, 0, 40] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %33 = tensor.extract_slice %22[0, 0, 0, 64] [1, 1, 8, 16] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x16xbf16>
  %34 = tensor.extract_slice %22[1, 0, 0, 80] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %35 = tensor.extract_slice %22[2, 0, 0, 104] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %36 = tensor.concat dim(2) %30, %31, %32, %33, %34, %35 : (tensor<1x8x16xbf16>, tensor<1x8x24xbf16>, tensor<1x8x24xbf16>, tensor<1x8x16xbf16>, tensor<1x8x24xbf16>, tensor<1x8x24xbf16>) -> tensor<1x8x128xbf16>
  // unsqueeze(1)
  %37 = tensor.expand_shape %36 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xbf16> into tensor<1x1x8x128xbf16>
  // torch.cat([m[i % 3] for i, m in enumerate(t.split([16, 24, 24, 16, 24, 24], dim=-1))], dim=-1)
  %38 = tensor.extract_slice %28[0, 0, 0, 0] [1, 1, 8, 16] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x16xbf16>
  %39 = tensor.extract_slice %28[1, 0, 0, 16] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %40 = tensor.extract_slice %28[2, 0, 0, 40] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %41 = tensor.extract_slice %28[0, 0, 0, 64] [1, 1, 8, 16] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x16xbf16>
  %42 = tensor.extract_slice %28[1, 0, 0, 80] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %43 = tensor.extract_slice %28[2, 0, 0, 104] [1, 1, 8, 24] [1, 1, 1, 1] : tensor<3x1x8x128xbf16> to tensor<1x8x24xbf16>
  %44 = tensor.concat dim(2) %38, %39, %40, %41, %42, %43 : (tensor<1x8x16xbf16>, tensor<1x8x24xbf16>, tensor<1x8x24xbf16>, tensor<1x8x16xbf16>, tensor<1x8x24xbf16>, tensor<1x8x24xbf16>) -> tensor<1x8x128xbf16>
  // unsqueeze(1)
  %45 = tensor.expand_shape %44 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xbf16> into tensor<1x1x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %46 = tensor.empty() : tensor<1x4x8x128xbf16>
  %47 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %37 : tensor<1x4x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%46 : tensor<1x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %48 = arith.mulf %in, %in_0 : bf16
    linalg.yield %48 : bf16
  } -> tensor<1x4x8x128xbf16>
  %49 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 8, 64] [1, 1, 1, 1] : tensor<1x4x8x128xbf16> to tensor<1x4x8x64xbf16>
  %50 = tensor.extract_slice %arg0[0, 0, 0, 64] [1, 4, 8, 64] [1, 1, 1, 1] : tensor<1x4x8x128xbf16> to tensor<1x4x8x64xbf16>
  %51 = tensor.empty() : tensor<1x4x8x64xbf16>
  %52 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%50 : tensor<1x4x8x64xbf16>) outs(%51 : tensor<1x4x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %53 = arith.negf %in : bf16
    linalg.yield %53 : bf16
  } -> tensor<1x4x8x64xbf16>
  %54 = tensor.concat dim(3) %52, %49 : (tensor<1x4x8x64xbf16>, tensor<1x4x8x64xbf16>) -> tensor<1x4x8x128xbf16>
  %55 = tensor.empty() : tensor<1x4x8x128xbf16>
  %56 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%54, %45 : tensor<1x4x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%55 : tensor<1x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %57 = arith.mulf %in, %in_0 : bf16
    linalg.yield %57 : bf16
  } -> tensor<1x4x8x128xbf16>
  %58 = tensor.empty() : tensor<1x4x8x128xbf16>
  %59 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%47, %56 : tensor<1x4x8x128xbf16>, tensor<1x4x8x128xbf16>) outs(%58 : tensor<1x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %60 = arith.addf %in, %in_0 : bf16
    linalg.yield %60 : bf16
  } -> tensor<1x4x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %61 = tensor.empty() : tensor<1x2x8x128xbf16>
  %62 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %37 : tensor<1x2x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%61 : tensor<1x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %63 = arith.mulf %in, %in_0 : bf16
    linalg.yield %63 : bf16
  } -> tensor<1x2x8x128xbf16>
  %64 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 8, 64] [1, 1, 1, 1] : tensor<1x2x8x128xbf16> to tensor<1x2x8x64xbf16>
  %65 = tensor.extract_slice %arg1[0, 0, 0, 64] [1, 2, 8, 64] [1, 1, 1, 1] : tensor<1x2x8x128xbf16> to tensor<1x2x8x64xbf16>
  %66 = tensor.empty() : tensor<1x2x8x64xbf16>
  %67 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%65 : tensor<1x2x8x64xbf16>) outs(%66 : tensor<1x2x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %68 = arith.negf %in : bf16
    linalg.yield %68 : bf16
  } -> tensor<1x2x8x64xbf16>
  %69 = tensor.concat dim(3) %67, %64 : (tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16>) -> tensor<1x2x8x128xbf16>
  %70 = tensor.empty() : tensor<1x2x8x128xbf16>
  %71 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%69, %45 : tensor<1x2x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%70 : tensor<1x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %72 = arith.mulf %in, %in_0 : bf16
    linalg.yield %72 : bf16
  } -> tensor<1x2x8x128xbf16>
  %73 = tensor.empty() : tensor<1x2x8x128xbf16>
  %74 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%62, %71 : tensor<1x2x8x128xbf16>, tensor<1x2x8x128xbf16>) outs(%73 : tensor<1x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %75 = arith.addf %in, %in_0 : bf16
    linalg.yield %75 : bf16
  } -> tensor<1x2x8x128xbf16>
  return %59, %74 : tensor<1x4x8x128xbf16>, tensor<1x2x8x128xbf16>
}
