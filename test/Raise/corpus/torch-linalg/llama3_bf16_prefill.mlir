// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Llama-3-8B (theta 5e5, head_dim 128), bf16, prefill, q and k (GQA 4/2)
// FUNC: @llama3_rope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=500000
// EXPECT: rotate
//
// HF transformers models/llama/modeling_llama.py: LlamaRotaryEmbedding.forward (inv_freq[None, :,
// None].float().expand(B, -1, 1) @ position_ids[:, None, :].float(), .transpose(1, 2), cat((freqs,
// freqs), -1), cos()/sin() * attention_scaling, .to(x.dtype)) and apply_rotary_pos_emb
// (cos.unsqueeze(1), q * cos + rotate_half(q) * sin). Lowered as torch-mlir's TorchToLinalg does:
// aten.matmul of two 3-D tensors decomposes to aten.bmm (linalg.fill + linalg.batch_matmul), expand
// to a collapse_shape + broadcasting generic, transpose to linalg.transpose, cat to tensor.concat,
// slices to tensor.extract_slice, unsqueeze to tensor.expand_shape, each elementwise aten op to its
// own linalg.generic with constant-0 indexing for size-1 broadcast dims. Canonicalized:
// attention_scaling (1.0) and add's alpha folded away. cos and sin are truncated to bf16 before the
// products, which round in bf16 (HF's bf16 numerics).
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @llama3_rope(%arg0: tensor<2x4x8x128xbf16>, %arg1: tensor<2x2x8x128xbf16>, %arg2: tensor<2x8xi64>) -> (tensor<2x4x8x128xbf16>, tensor<2x2x8x128xbf16>) {
  %0 = arith.constant dense<[1.000000000e+00, 8.146172166e-01, 6.636012793e-01, 5.405809879e-01, 4.403666258e-01, 3.587302268e-01, 2.922278345e-01, 2.380538136e-01, 1.939227581e-01, 1.579728127e-01, 1.286873817e-01, 1.048309505e-01, 8.539710194e-02, 6.956595182e-02, 5.666961893e-02, 4.616405070e-02, 3.760603070e-02, 3.063452058e-02, 2.495540865e-02, 2.032910474e-02, 1.656044088e-02, 1.349041983e-02, 1.098952908e-02, 8.952259086e-03, 7.292665076e-03, 5.940730684e-03, 4.839421250e-03, 3.942275885e-03, 3.211446106e-03, 2.616099082e-03, 2.131119603e-03, 1.736046746e-03, 1.414213446e-03, 1.152042649e-03, 9.384738514e-04, 7.644969737e-04, 6.227724371e-04, 5.073211505e-04, 4.132725589e-04, 3.366589372e-04, 2.742481884e-04, 2.234072745e-04, 1.819914323e-04, 1.482533553e-04, 1.207697424e-04, 9.838111146e-05, 8.014294872e-05, 6.528582162e-05, 5.318295734e-05, 4.332375465e-05, 3.529227615e-05, 2.874969505e-05, 2.341999789e-05, 1.907833393e-05, 1.554154005e-05, 1.266040636e-05, 1.031338525e-05, 8.401460946e-06, 6.843975370e-06, 5.575220257e-06, 4.541670478e-06, 3.699723038e-06, 3.013858077e-06, 2.455140702e-06]> : tensor<64xf32>
  // position_ids[:, None, :].float()
  %1 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [2, 1, 8] : tensor<2x8xi64> into tensor<2x1x8xi64>
  %2 = tensor.empty() : tensor<2x1x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1 : tensor<2x1x8xi64>) outs(%2 : tensor<2x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %4 = arith.sitofp %in : i64 to f32
    linalg.yield %4 : f32
  } -> tensor<2x1x8xf32>
  // inv_freq[None, :, None].float().expand(B, -1, 1)
  %5 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 64, 1] : tensor<64xf32> into tensor<1x64x1xf32>
  %6 = tensor.collapse_shape %5 [[0, 1], [2]] : tensor<1x64x1xf32> into tensor<64x1xf32>
  %7 = tensor.empty() : tensor<2x64x1xf32>
  %8 = linalg.generic {indexing_maps = [#map1, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%6 : tensor<64x1xf32>) outs(%7 : tensor<2x64x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x64x1xf32>
  // freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
  %cst = arith.constant 0.000000e+00 : f32
  %9 = tensor.empty() : tensor<2x64x8xf32>
  %10 = linalg.fill ins(%cst : f32) outs(%9 : tensor<2x64x8xf32>) -> tensor<2x64x8xf32>
  %11 = linalg.batch_matmul ins(%8, %3 : tensor<2x64x1xf32>, tensor<2x1x8xf32>) outs(%10 : tensor<2x64x8xf32>) -> tensor<2x64x8xf32>
  %12 = tensor.empty() : tensor<2x8x64xf32>
  %13 = linalg.transpose ins(%11 : tensor<2x64x8xf32>) outs(%12 : tensor<2x8x64xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1)
  %14 = tensor.concat dim(2) %13, %13 : (tensor<2x8x64xf32>, tensor<2x8x64xf32>) -> tensor<2x8x128xf32>
  // cos = emb.cos().to(x.dtype)
  %15 = tensor.empty() : tensor<2x8x128xf32>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14 : tensor<2x8x128xf32>) outs(%15 : tensor<2x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %17 = math.cos %in : f32
    linalg.yield %17 : f32
  } -> tensor<2x8x128xf32>
  %18 = tensor.empty() : tensor<2x8x128xbf16>
  %19 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%16 : tensor<2x8x128xf32>) outs(%18 : tensor<2x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %20 = arith.truncf %in : f32 to bf16
    linalg.yield %20 : bf16
  } -> tensor<2x8x128xbf16>
  // sin = emb.sin().to(x.dtype)
  %21 = tensor.empty() : tensor<2x8x128xf32>
  %22 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14 : tensor<2x8x128xf32>) outs(%21 : tensor<2x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %23 = math.sin %in : f32
    linalg.yield %23 : f32
  } -> tensor<2x8x128xf32>
  %24 = tensor.empty() : tensor<2x8x128xbf16>
  %25 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%22 : tensor<2x8x128xf32>) outs(%24 : tensor<2x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %26 = arith.truncf %in : f32 to bf16
    linalg.yield %26 : bf16
  } -> tensor<2x8x128xbf16>
  // unsqueeze(1)
  %27 = tensor.expand_shape %19 [[0, 1], [2], [3]] output_shape [2, 1, 8, 128] : tensor<2x8x128xbf16> into tensor<2x1x8x128xbf16>
  // unsqueeze(1)
  %28 = tensor.expand_shape %25 [[0, 1], [2], [3]] output_shape [2, 1, 8, 128] : tensor<2x8x128xbf16> into tensor<2x1x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %29 = tensor.empty() : tensor<2x4x8x128xbf16>
  %30 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %27 : tensor<2x4x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%29 : tensor<2x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %31 = arith.mulf %in, %in_0 : bf16
    linalg.yield %31 : bf16
  } -> tensor<2x4x8x128xbf16>
  %32 = tensor.extract_slice %arg0[0, 0, 0, 0] [2, 4, 8, 64] [1, 1, 1, 1] : tensor<2x4x8x128xbf16> to tensor<2x4x8x64xbf16>
  %33 = tensor.extract_slice %arg0[0, 0, 0, 64] [2, 4, 8, 64] [1, 1, 1, 1] : tensor<2x4x8x128xbf16> to tensor<2x4x8x64xbf16>
  %34 = tensor.empty() : tensor<2x4x8x64xbf16>
  %35 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%33 : tensor<2x4x8x64xbf16>) outs(%34 : tensor<2x4x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %36 = arith.negf %in : bf16
    linalg.yield %36 : bf16
  } -> tensor<2x4x8x64xbf16>
  %37 = tensor.concat dim(3) %35, %32 : (tensor<2x4x8x64xbf16>, tensor<2x4x8x64xbf16>) -> tensor<2x4x8x128xbf16>
  %38 = tensor.empty() : tensor<2x4x8x128xbf16>
  %39 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%37, %28 : tensor<2x4x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%38 : tensor<2x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %40 = arith.mulf %in, %in_0 : bf16
    linalg.yield %40 : bf16
  } -> tensor<2x4x8x128xbf16>
  %41 = tensor.empty() : tensor<2x4x8x128xbf16>
  %42 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%30, %39 : tensor<2x4x8x128xbf16>, tensor<2x4x8x128xbf16>) outs(%41 : tensor<2x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %43 = arith.addf %in, %in_0 : bf16
    linalg.yield %43 : bf16
  } -> tensor<2x4x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %44 = tensor.empty() : tensor<2x2x8x128xbf16>
  %45 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %27 : tensor<2x2x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%44 : tensor<2x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %46 = arith.mulf %in, %in_0 : bf16
    linalg.yield %46 : bf16
  } -> tensor<2x2x8x128xbf16>
  %47 = tensor.extract_slice %arg1[0, 0, 0, 0] [2, 2, 8, 64] [1, 1, 1, 1] : tensor<2x2x8x128xbf16> to tensor<2x2x8x64xbf16>
  %48 = tensor.extract_slice %arg1[0, 0, 0, 64] [2, 2, 8, 64] [1, 1, 1, 1] : tensor<2x2x8x128xbf16> to tensor<2x2x8x64xbf16>
  %49 = tensor.empty() : tensor<2x2x8x64xbf16>
  %50 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%48 : tensor<2x2x8x64xbf16>) outs(%49 : tensor<2x2x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %51 = arith.negf %in : bf16
    linalg.yield %51 : bf16
  } -> tensor<2x2x8x64xbf16>
  %52 = tensor.concat dim(3) %50, %47 : (tensor<2x2x8x64xbf16>, tensor<2x2x8x64xbf16>) -> tensor<2x2x8x128xbf16>
  %53 = tensor.empty() : tensor<2x2x8x128xbf16>
  %54 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%52, %28 : tensor<2x2x8x128xbf16>, tensor<2x1x8x128xbf16>) outs(%53 : tensor<2x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %55 = arith.mulf %in, %in_0 : bf16
    linalg.yield %55 : bf16
  } -> tensor<2x2x8x128xbf16>
  %56 = tensor.empty() : tensor<2x2x8x128xbf16>
  %57 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%45, %54 : tensor<2x2x8x128xbf16>, tensor<2x2x8x128xbf16>) outs(%56 : tensor<2x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %58 = arith.addf %in, %in_0 : bf16
    linalg.yield %58 : bf16
  } -> tensor<2x2x8x128xbf16>
  return %42, %57 : tensor<2x4x8x128xbf16>, tensor<2x2x8x128xbf16>
}
