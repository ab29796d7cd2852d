// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Llama-3.1-8B (llama3 rope_scaling: factor 8, low 1, high 4, original 8192), bf16, prefill
// FUNC: @llama31_rope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=500000 scaling=llama3:8,1,4,8192 pos_max=32768
// EXPECT: rotate
//
// HF transformers models/llama/modeling_llama.py: LlamaRotaryEmbedding.forward (inv_freq[None, :,
// None].float().expand(B, -1, 1) @ position_ids[:, None, :].float(), .transpose(1, 2), cat((freqs,
// freqs), -1), cos()/sin() * attention_scaling, .to(x.dtype)) and apply_rotary_pos_emb
// (cos.unsqueeze(1), q * cos + rotate_half(q) * sin). Lowered as torch-mlir's TorchToLinalg does:
// aten.matmul of two 3-D tensors decomposes to aten.bmm (linalg.fill + linalg.batch_matmul), expand
// to a collapse_shape + broadcasting generic, transpose to linalg.transpose, cat to tensor.concat,
// slices to tensor.extract_slice, unsqueeze to tensor.expand_shape, each elementwise aten op to its
// own linalg.generic with constant-0 indexing for size-1 broadcast dims. inv_freq is the constant
// HF's _compute_llama3_parameters makes (in float32): low frequencies divided by 8, the band between
// smoothly blended.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @llama31_rope(%arg0: tensor<1x4x16x128xbf16>, %arg1: tensor<1x2x16x128xbf16>, %arg2: tensor<1x16xi64>) -> (tensor<1x4x16x128xbf16>, tensor<1x2x16x128xbf16>) {
  %0 = arith.constant dense<[1.000000000e+00, 8.146172166e-01, 6.636012793e-01, 5.405809879e-01, 4.403666258e-01, 3.587302268e-01, 2.922278345e-01, 2.380538136e-01, 1.939227581e-01, 1.579728127e-01, 1.286873817e-01, 1.048309505e-01, 8.539710194e-02, 6.956595182e-02, 5.666961893e-02, 4.616405070e-02, 3.760603070e-02, 3.063452058e-02, 2.495540865e-02, 2.032910474e-02, 1.656044088e-02, 1.349041983e-02, 1.098952908e-02, 8.952259086e-03, 7.292665076e-03, 5.940730684e-03, 4.839421250e-03, 3.942275885e-03, 3.211446106e-03, 2.166570630e-03, 1.371893683e-03, 8.567514597e-04, 5.248460220e-04, 3.126936499e-04, 1.785077911e-04, 9.556212171e-05, 7.784655463e-05, 6.341514381e-05, 5.165906987e-05, 4.208236714e-05, 3.428102355e-05, 2.792590931e-05, 2.274892904e-05, 1.853166941e-05, 1.509621779e-05, 1.229763893e-05, 1.001786859e-05, 8.160727702e-06, 6.647869668e-06, 5.415469332e-06, 4.411534519e-06, 3.593711881e-06, 2.927499736e-06, 2.384791742e-06, 1.942692506e-06, 1.582550794e-06, 1.289173156e-06, 1.050182618e-06, 8.554969213e-07, 6.969025321e-07, 5.677088097e-07, 4.624653798e-07, 3.767322596e-07, 3.068925878e-07]> : tensor<64xf32>
  // position_ids[:, None, :].float()
  %1 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [1, 1, 16] : tensor<1x16xi64> into tensor<1x1x16xi64>
  %2 = tensor.empty() : tensor<1x1x16xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1 : tensor<1x1x16xi64>) outs(%2 : tensor<1x1x16xf32>) {
  ^bb0(%in: i64, %out: f32):
    %4 = arith.sitofp %in : i64 to f32
    linalg.yield %4 : f32
  } -> tensor<1x1x16xf32>
  // inv_freq[None, :, None].float().expand(B, -1, 1)
  %5 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 64, 1] : tensor<64xf32> into tensor<1x64x1xf32>
  // freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
  %cst = arith.constant 0.000000e+00 : f32
  %6 = tensor.empty() : tensor<1x64x16xf32>
  %7 = linalg.fill ins(%cst : f32) outs(%6 : tensor<1x64x16xf32>) -> tensor<1x64x16xf32>
  %8 = linalg.batch_matmul ins(%5, %3 : tensor<1x64x1xf32>, tensor<1x1x16xf32>) outs(%7 : tensor<1x64x16xf32>) -> tensor<1x64x16xf32>
  %9 = tensor.empty() : tensor<1x16x64xf32>
  %10 = linalg.transpose ins(%8 : tensor<1x64x16xf32>) outs(%9 : tensor<1x16x64xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1)
  %11 = tensor.concat dim(2) %10, %10 : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x128xf32>
  // cos = emb.cos().to(x.dtype)
  %12 = tensor.empty() : tensor<1x16x128xf32>
  %13 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x16x128xf32>) outs(%12 : tensor<1x16x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %14 = math.cos %in : f32
    linalg.yield %14 : f32
  } -> tensor<1x16x128xf32>
  %15 = tensor.empty() : tensor<1x16x128xbf16>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%13 : tensor<1x16x128xf32>) outs(%15 : tensor<1x16x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %17 = arith.truncf %in : f32 to bf16
    linalg.yield %17 : bf16
  } -> tensor<1x16x128xbf16>
  // sin = emb.sin().to(x.dtype)
  %18 = tensor.empty() : tensor<1x16x128xf32>
  %19 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x16x128xf32>) outs(%18 : tensor<1x16x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %20 = math.sin %in : f32
    linalg.yield %20 : f32
  } -> tensor<1x16x128xf32>
  %21 = tensor.empty() : tensor<1x16x128xbf16>
  %22 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%19 : tensor<1x16x128xf32>) outs(%21 : tensor<1x16x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %23 = arith.truncf %in : f32 to bf16
    linalg.yield %23 : bf16
  } -> tensor<1x16x128xbf16>
  // unsqueeze(1)
  %24 = tensor.expand_shape %16 [[0, 1], [2], [3]] output_shape [1, 1, 16, 128] : tensor<1x16x128xbf16> into tensor<1x1x16x128xbf16>
  // unsqueeze(1)
  %25 = tensor.expand_shape %22 [[0, 1], [2], [3]] output_shape [1, 1, 16, 128] : tensor<1x16x128xbf16> into tensor<1x1x16x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %26 = tensor.empty() : tensor<1x4x16x128xbf16>
  %27 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %24 : tensor<1x4x16x128xbf16>, tensor<1x1x16x128xbf16>) outs(%26 : tensor<1x4x16x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %28 = arith.mulf %in, %in_0 : bf16
    linalg.yield %28 : bf16
  } -> tensor<1x4x16x128xbf16>
  %29 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 16, 64] [1, 1, 1, 1] : tensor<1x4x16x128xbf16> to tensor<1x4x16x64xbf16>
  %30 = tensor.extract_slice %arg0[0, 0, 0, 64] [1, 4, 16, 64] [1, 1, 1, 1] : tensor<1x4x16x128xbf16> to tensor<1x4x16x64xbf16>
  %31 = tensor.empty() : tensor<1x4x16x64xbf16>
  %32 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%30 : tensor<1x4x16x64xbf16>) outs(%31 : tensor<1x4x16x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %33 = arith.negf %in : bf16
    linalg.yield %33 : bf16
  } -> tensor<1x4x16x64xbf16>
  %34 = tensor.concat dim(3) %32, %29 : (tensor<1x4x16x64xbf16>, tensor<1x4x16x64xbf16>) -> tensor<1x4x16x128xbf16>
  %35 = tensor.empty() : tensor<1x4x16x128xbf16>
  %36 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%34, %25 : tensor<1x4x16x128xbf16>, tensor<1x1x16x128xbf16>) outs(%35 : tensor<1x4x16x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %37 = arith.mulf %in, %in_0 : bf16
    linalg.yield %37 : bf16
  } -> tensor<1x4x16x128xbf16>
  %38 = tensor.empty() : tensor<1x4x16x128xbf16>
  %39 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%27, %36 : tensor<1x4x16x128xbf16>, tensor<1x4x16x128xbf16>) outs(%38 : tensor<1x4x16x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %40 = arith.addf %in, %in_0 : bf16
    linalg.yield %40 : bf16
  } -> tensor<1x4x16x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %41 = tensor.empty() : tensor<1x2x16x128xbf16>
  %42 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %24 : tensor<1x2x16x128xbf16>, tensor<1x1x16x128xbf16>) outs(%41 : tensor<1x2x16x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %43 = arith.mulf %in, %in_0 : bf16
    linalg.yield %43 : bf16
  } -> tensor<1x2x16x128xbf16>
  %44 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x128xbf16> to tensor<1x2x16x64xbf16>
  %45 = tensor.extract_slice %arg1[0, 0, 0, 64] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x128xbf16> to tensor<1x2x16x64xbf16>
  %46 = tensor.empty() : tensor<1x2x16x64xbf16>
  %47 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%45 : tensor<1x2x16x64xbf16>) outs(%46 : tensor<1x2x16x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %48 = arith.negf %in : bf16
    linalg.yield %48 : bf16
  } -> tensor<1x2x16x64xbf16>
  %49 = tensor.concat dim(3) %47, %44 : (tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>) -> tensor<1x2x16x128xbf16>
  %50 = tensor.empty() : tensor<1x2x16x128xbf16>
  %51 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%49, %25 : tensor<1x2x16x128xbf16>, tensor<1x1x16x128xbf16>) outs(%50 : tensor<1x2x16x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %52 = arith.mulf %in, %in_0 : bf16
    linalg.yield %52 : bf16
  } -> tensor<1x2x16x128xbf16>
  %53 = tensor.empty() : tensor<1x2x16x128xbf16>
  %54 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%42, %51 : tensor<1x2x16x128xbf16>, tensor<1x2x16x128xbf16>) outs(%53 : tensor<1x2x16x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %55 = arith.addf %in, %in_0 : bf16
    linalg.yield %55 : bf16
  } -> tensor<1x2x16x128xbf16>
  return %39, %54 : tensor<1x4x16x128xbf16>, tensor<1x2x16x128xbf16>
}
