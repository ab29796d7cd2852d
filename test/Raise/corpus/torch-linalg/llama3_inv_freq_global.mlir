// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Llama-3-8B, f32, inv_freq as an ml_program.global constant (an exporter that externalizes
//        buffers)
// FUNC: @llama3_rope_global
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
// own linalg.generic with constant-0 indexing for size-1 broadcast dims. inv_freq lives in a module-
// level ml_program.global (as an exporter that keeps buffers out of the function writes it; IREE's
// turbine does the same with util.global) and is read with ml_program.global_load_const.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
ml_program.global private @inv_freq(dense<[1.000000000e+00, 8.146172166e-01, 6.636012793e-01, 5.405809879e-01, 4.403666258e-01, 3.587302268e-01, 2.922278345e-01, 2.380538136e-01, 1.939227581e-01, 1.579728127e-01, 1.286873817e-01, 1.048309505e-01, 8.539710194e-02, 6.956595182e-02, 5.666961893e-02, 4.616405070e-02, 3.760603070e-02, 3.063452058e-02, 2.495540865e-02, 2.032910474e-02, 1.656044088e-02, 1.349041983e-02, 1.098952908e-02, 8.952259086e-03, 7.292665076e-03, 5.940730684e-03, 4.839421250e-03, 3.942275885e-03, 3.211446106e-03, 2.616099082e-03, 2.131119603e-03, 1.736046746e-03, 1.414213446e-03, 1.152042649e-03, 9.384738514e-04, 7.644969737e-04, 6.227724371e-04, 5.073211505e-04, 4.132725589e-04, 3.366589372e-04, 2.742481884e-04, 2.234072745e-04, 1.819914323e-04, 1.482533553e-04, 1.207697424e-04, 9.838111146e-05, 8.014294872e-05, 6.528582162e-05, 5.318295734e-05, 4.332375465e-05, 3.529227615e-05, 2.874969505e-05, 2.341999789e-05, 1.907833393e-05, 1.554154005e-05, 1.266040636e-05, 1.031338525e-05, 8.401460946e-06, 6.843975370e-06, 5.575220257e-06, 4.541670478e-06, 3.699723038e-06, 3.013858077e-06, 2.455140702e-06]> : tensor<64xf32>) : tensor<64xf32>
func.func @llama3_rope_global(%arg0: tensor<2x2x4x128xf32>, %arg1: tensor<2x2x4x128xf32>, %arg2: tensor<2x4xi64>) -> (tensor<2x2x4x128xf32>, tensor<2x2x4x128xf32>) {
  %0 = ml_program.global_load_const @inv_freq : tensor<64xf32>
  // position_ids[:, None, :].float()
  %1 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [2, 1, 4] : tensor<2x4xi64> into tensor<2x1x4xi64>
  %2 = tensor.empty() : tensor<2x1x4xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1 : tensor<2x1x4xi64>) outs(%2 : tensor<2x1x4xf32>) {
  ^bb0(%in: i64, %out: f32):
    %4 = arith.sitofp %in : i64 to f32
    linalg.yield %4 : f32
  } -> tensor<2x1x4xf32>
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
  %9 = tensor.empty() : tensor<2x64x4xf32>
  %10 = linalg.fill ins(%cst : f32) outs(%9 : tensor<2x64x4xf32>) -> tensor<2x64x4xf32>
  %11 = linalg.batch_matmul ins(%8, %3 : tensor<2x64x1xf32>, tensor<2x1x4xf32>) outs(%10 : tensor<2x64x4xf32>) -> tensor<2x64x4xf32>
  %12 = tensor.empty() : tensor<2x4x64xf32>
  %13 = linalg.transpose ins(%11 : tensor<2x64x4xf32>) outs(%12 : tensor<2x4x64xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1)
  %14 = tensor.concat dim(2) %13, %13 : (tensor<2x4x64xf32>, tensor<2x4x64xf32>) -> tensor<2x4x128xf32>
  // cos = emb.cos().to(x.dtype)
  %15 = tensor.empty() : tensor<2x4x128xf32>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14 : tensor<2x4x128xf32>) outs(%15 : tensor<2x4x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %17 = math.cos %in : f32
    linalg.yield %17 : f32
  } -> tensor<2x4x128xf32>
  // sin = emb.sin().to(x.dtype)
  %18 = tensor.empty() : tensor<2x4x128xf32>
  %19 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14 : tensor<2x4x128xf32>) outs(%18 : tensor<2x4x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %20 = math.sin %in : f32
    linalg.yield %20 : f32
  } -> tensor<2x4x128xf32>
  // unsqueeze(1)
  %21 = tensor.expand_shape %16 [[0, 1], [2], [3]] output_shape [2, 1, 4, 128] : tensor<2x4x128xf32> into tensor<2x1x4x128xf32>
  // unsqueeze(1)
  %22 = tensor.expand_shape %19 [[0, 1], [2], [3]] output_shape [2, 1, 4, 128] : tensor<2x4x128xf32> into tensor<2x1x4x128xf32>
  // (x * cos) + (rotate_half(x) * sin)
  %23 = tensor.empty() : tensor<2x2x4x128xf32>
  %24 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %21 : tensor<2x2x4x128xf32>, tensor<2x1x4x128xf32>) outs(%23 : tensor<2x2x4x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %25 = arith.mulf %in, %in_0 : f32
    linalg.yield %25 : f32
  } -> tensor<2x2x4x128xf32>
  %26 = tensor.extract_slice %arg0[0, 0, 0, 0] [2, 2, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x128xf32> to tensor<2x2x4x64xf32>
  %27 = tensor.extract_slice %arg0[0, 0, 0, 64] [2, 2, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x128xf32> to tensor<2x2x4x64xf32>
  %28 = tensor.empty() : tensor<2x2x4x64xf32>
  %29 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%27 : tensor<2x2x4x64xf32>) outs(%28 : tensor<2x2x4x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %30 = arith.negf %in : f32
    linalg.yield %30 : f32
  } -> tensor<2x2x4x64xf32>
  %31 = tensor.concat dim(3) %29, %26 : (tensor<2x2x4x64xf32>, tensor<2x2x4x64xf32>) -> tensor<2x2x4x128xf32>
  %32 = tensor.empty() : tensor<2x2x4x128xf32>
  %33 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%31, %22 : tensor<2x2x4x128xf32>, tensor<2x1x4x128xf32>) outs(%32 : tensor<2x2x4x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %34 = arith.mulf %in, %in_0 : f32
    linalg.yield %34 : f32
  } -> tensor<2x2x4x128xf32>
  %35 = tensor.empty() : tensor<2x2x4x128xf32>
  %36 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%24, %33 : tensor<2x2x4x128xf32>, tensor<2x2x4x128xf32>) outs(%35 : tensor<2x2x4x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %37 = arith.addf %in, %in_0 : f32
    linalg.yield %37 : f32
  } -> tensor<2x2x4x128xf32>
  // (x * cos) + (rotate_half(x) * sin)
  %38 = tensor.empty() : tensor<2x2x4x128xf32>
  %39 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %21 : tensor<2x2x4x128xf32>, tensor<2x1x4x128xf32>) outs(%38 : tensor<2x2x4x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %40 = arith.mulf %in, %in_0 : f32
    linalg.yield %40 : f32
  } -> tensor<2x2x4x128xf32>
  %41 = tensor.extract_slice %arg1[0, 0, 0, 0] [2, 2, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x128xf32> to tensor<2x2x4x64xf32>
  %42 = tensor.extract_slice %arg1[0, 0, 0, 64] [2, 2, 4, 64] [1, 1, 1, 1] : tensor<2x2x4x128xf32> to tensor<2x2x4x64xf32>
  %43 = tensor.empty() : tensor<2x2x4x64xf32>
  %44 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%42 : tensor<2x2x4x64xf32>) outs(%43 : tensor<2x2x4x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %45 = arith.negf %in : f32
    linalg.yield %45 : f32
  } -> tensor<2x2x4x64xf32>
  %46 = tensor.concat dim(3) %44, %41 : (tensor<2x2x4x64xf32>, tensor<2x2x4x64xf32>) -> tensor<2x2x4x128xf32>
  %47 = tensor.empty() : tensor<2x2x4x128xf32>
  %48 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%46, %22 : tensor<2x2x4x128xf32>, tensor<2x1x4x128xf32>) outs(%47 : tensor<2x2x4x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %49 = arith.mulf %in, %in_0 : f32
    linalg.yield %49 : f32
  } -> tensor<2x2x4x128xf32>
  %50 = tensor.empty() : tensor<2x2x4x128xf32>
  %51 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%39, %48 : tensor<2x2x4x128xf32>, tensor<2x2x4x128xf32>) outs(%50 : tensor<2x2x4x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %52 = arith.addf %in, %in_0 : f32
    linalg.yield %52 : f32
  } -> tensor<2x2x4x128xf32>
  return %36, %51 : tensor<2x2x4x128xf32>, tensor<2x2x4x128xf32>
}
