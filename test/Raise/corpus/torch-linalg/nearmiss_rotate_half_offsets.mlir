// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Near miss: Llama-3 f32 whose rotate_half splits at 32 of 128 (cat(-x[32:], x[:32]))
// FUNC: @nearmiss_split
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=500000
// EXPECT: none
//
// HF transformers models/llama/modeling_llama.py: LlamaRotaryEmbedding.forward (inv_freq[None, :,
// None].float().expand(B, -1, 1) @ position_ids[:, None, :].float(), .transpose(1, 2), cat((freqs,
// freqs), -1), cos()/sin() * attention_scaling, .to(x.dtype)) and apply_rotary_pos_emb
// (cos.unsqueeze(1), q * cos + rotate_half(q) * sin). Lowered as torch-mlir's TorchToLinalg does:
// aten.matmul of two 3-D tensors decomposes to aten.bmm (linalg.fill + linalg.batch_matmul), expand
// to a collapse_shape + broadcasting generic, transpose to linalg.transpose, cat to tensor.concat,
// slices to tensor.extract_slice, unsqueeze to tensor.expand_shape, each elementwise aten op to its
// own linalg.generic with constant-0 indexing for size-1 broadcast dims. rotate_half with the wrong
// split offset: the concat is 96 + 32 lanes wide, still 128, so shapes agree but lanes do not pair.
// REF is the rope it imitates.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @nearmiss_split(%arg0: tensor<1x2x8x128xf32>, %arg1: tensor<1x2x8x128xf32>, %arg2: tensor<1x8xi64>) -> (tensor<1x2x8x128xf32>, tensor<1x2x8x128xf32>) {
  %0 = arith.constant dense<[1.000000000e+00, 8.146172166e-01, 6.636012793e-01, 5.405809879e-01, 4.403666258e-01, 3.587302268e-01, 2.922278345e-01, 2.380538136e-01, 1.939227581e-01, 1.579728127e-01, 1.286873817e-01, 1.048309505e-01, 8.539710194e-02, 6.956595182e-02, 5.666961893e-02, 4.616405070e-02, 3.760603070e-02, 3.063452058e-02, 2.495540865e-02, 2.032910474e-02, 1.656044088e-02, 1.349041983e-02, 1.098952908e-02, 8.952259086e-03, 7.292665076e-03, 5.940730684e-03, 4.839421250e-03, 3.942275885e-03, 3.211446106e-03, 2.616099082e-03, 2.131119603e-03, 1.736046746e-03, 1.414213446e-03, 1.152042649e-03, 9.384738514e-04, 7.644969737e-04, 6.227724371e-04, 5.073211505e-04, 4.132725589e-04, 3.366589372e-04, 2.742481884e-04, 2.234072745e-04, 1.819914323e-04, 1.482533553e-04, 1.207697424e-04, 9.838111146e-05, 8.014294872e-05, 6.528582162e-05, 5.318295734e-05, 4.332375465e-05, 3.529227615e-05, 2.874969505e-05, 2.341999789e-05, 1.907833393e-05, 1.554154005e-05, 1.266040636e-05, 1.031338525e-05, 8.401460946e-06, 6.843975370e-06, 5.575220257e-06, 4.541670478e-06, 3.699723038e-06, 3.013858077e-06, 2.455140702e-06]> : tensor<64xf32>
  // position_ids[:, None, :].float()
  %1 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [1, 1, 8] : tensor<1x8xi64> into tensor<1x1x8xi64>
  %2 = tensor.empty() : tensor<1x1x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1 : tensor<1x1x8xi64>) outs(%2 : tensor<1x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %4 = arith.sitofp %in : i64 to f32
    linalg.yield %4 : f32
  } -> tensor<1x1x8xf32>
  // inv_freq[None, :, None].float().expand(B, -1, 1)
  %5 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 64, 1] : tensor<64xf32> into tensor<1x64x1xf32>
  // freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
  %cst = arith.constant 0.000000e+00 : f32
  %6 = tensor.empty() : tensor<1x64x8xf32>
  %7 = linalg.fill ins(%cst : f32) outs(%6 : tensor<1x64x8xf32>) -> tensor<1x64x8xf32>
  %8 = linalg.batch_matmul ins(%5, %3 : tensor<1x64x1xf32>, tensor<1x1x8xf32>) outs(%7 : tensor<1x64x8xf32>) -> tensor<1x64x8xf32>
  %9 = tensor.empty() : tensor<1x8x64xf32>
  %10 = linalg.transpose ins(%8 : tensor<1x64x8xf32>) outs(%9 : tensor<1x8x64xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1)
  %11 = tensor.concat dim(2) %10, %10 : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x128xf32>
  // cos = emb.cos().to(x.dtype)
  %12 = tensor.empty() : tensor<1x8x128xf32>
  %13 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x128xf32>) outs(%12 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %14 = math.cos %in : f32
    linalg.yield %14 : f32
  } -> tensor<1x8x128xf32>
  // sin = emb.sin().to(x.dtype)
  %15 = tensor.empty() : tensor<1x8x128xf32>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x128xf32>) outs(%15 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %17 = math.sin %in : f32
    linalg.yield %17 : f32
  } -> tensor<1x8x128xf32>
  // unsqueeze(1)
  %18 = tensor.expand_shape %13 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xf32> into tensor<1x1x8x128xf32>
  // unsqueeze(1)
  %19 = tensor.expand_shape %16 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xf32> into tensor<1x1x8x128xf32>
  // (x * cos) + (rotate_half(x) * sin)  [rotate_half split at 32]
  %20 = tensor.empty() : tensor<1x2x8x128xf32>
  %21 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %18 : tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>) outs(%20 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %22 = arith.mulf %in, %in_0 : f32
    linalg.yield %22 : f32
  } -> tensor<1x2x8x128xf32>
  %23 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x128xf32> to tensor<1x2x8x32xf32>
  %24 = tensor.extract_slice %arg0[0, 0, 0, 32] [1, 2, 8, 96] [1, 1, 1, 1] : tensor<1x2x8x128xf32> to tensor<1x2x8x96xf32>
  %25 = tensor.empty() : tensor<1x2x8x96xf32>
  %26 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%24 : tensor<1x2x8x96xf32>) outs(%25 : tensor<1x2x8x96xf32>) {
  ^bb0(%in: f32, %out: f32):
    %27 = arith.negf %in : f32
    linalg.yield %27 : f32
  } -> tensor<1x2x8x96xf32>
  %28 = tensor.concat dim(3) %26, %23 : (tensor<1x2x8x96xf32>, tensor<1x2x8x32xf32>) -> tensor<1x2x8x128xf32>
  %29 = tensor.empty() : tensor<1x2x8x128xf32>
  %30 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%28, %19 : tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>) outs(%29 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %31 = arith.mulf %in, %in_0 : f32
    linalg.yield %31 : f32
  } -> tensor<1x2x8x128xf32>
  %32 = tensor.empty() : tensor<1x2x8x128xf32>
  %33 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%21, %30 : tensor<1x2x8x128xf32>, tensor<1x2x8x128xf32>) outs(%32 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %34 = arith.addf %in, %in_0 : f32
    linalg.yield %34 : f32
  } -> tensor<1x2x8x128xf32>
  // (x * cos) + (rotate_half(x) * sin)  [rotate_half split at 32]
  %35 = tensor.empty() : tensor<1x2x8x128xf32>
  %36 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %18 : tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>) outs(%35 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %37 = arith.mulf %in, %in_0 : f32
    linalg.yield %37 : f32
  } -> tensor<1x2x8x128xf32>
  %38 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x128xf32> to tensor<1x2x8x32xf32>
  %39 = tensor.extract_slice %arg1[0, 0, 0, 32] [1, 2, 8, 96] [1, 1, 1, 1] : tensor<1x2x8x128xf32> to tensor<1x2x8x96xf32>
  %40 = tensor.empty() : tensor<1x2x8x96xf32>
  %41 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%39 : tensor<1x2x8x96xf32>) outs(%40 : tensor<1x2x8x96xf32>) {
  ^bb0(%in: f32, %out: f32):
    %42 = arith.negf %in : f32
    linalg.yield %42 : f32
  } -> tensor<1x2x8x96xf32>
  %43 = tensor.concat dim(3) %41, %38 : (tensor<1x2x8x96xf32>, tensor<1x2x8x32xf32>) -> tensor<1x2x8x128xf32>
  %44 = tensor.empty() : tensor<1x2x8x128xf32>
  %45 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%43, %19 : tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>) outs(%44 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %46 = arith.mulf %in, %in_0 : f32
    linalg.yield %46 : f32
  } -> tensor<1x2x8x128xf32>
  %47 = tensor.empty() : tensor<1x2x8x128xf32>
  %48 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%36, %45 : tensor<1x2x8x128xf32>, tensor<1x2x8x128xf32>) outs(%47 : tensor<1x2x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %49 = arith.addf %in, %in_0 : f32
    linalg.yield %49 : f32
  } -> tensor<1x2x8x128xf32>
  return %33, %48 : tensor<1x2x8x128xf32>, tensor<1x2x8x128xf32>
}
