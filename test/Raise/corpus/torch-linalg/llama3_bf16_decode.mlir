// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Llama-3-8B, bf16, decode step (S = 1, position_ids [1, 1]), as TorchToLinalg emits it
//        before canonicalization
// FUNC: @llama3_rope_decode
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
// own linalg.generic with constant-0 indexing for size-1 broadcast dims. Not canonicalized: the two
// unsqueezes of inv_freq are two expand_shapes, cos and sin are multiplied by attention_scaling
// (mul.Scalar: the f64 scalar 1.0 truncated to f32 in the body), and each add carries aten.add's
// alpha (sitofp of the i64 1, times the second operand).
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @llama3_rope_decode(%arg0: tensor<1x4x1x128xbf16>, %arg1: tensor<1x2x1x128xbf16>, %arg2: tensor<1x1xi64>) -> (tensor<1x4x1x128xbf16>, tensor<1x2x1x128xbf16>) {
  %0 = arith.constant dense<[1.000000000e+00, 8.146172166e-01, 6.636012793e-01, 5.405809879e-01, 4.403666258e-01, 3.587302268e-01, 2.922278345e-01, 2.380538136e-01, 1.939227581e-01, 1.579728127e-01, 1.286873817e-01, 1.048309505e-01, 8.539710194e-02, 6.956595182e-02, 5.666961893e-02, 4.616405070e-02, 3.760603070e-02, 3.063452058e-02, 2.495540865e-02, 2.032910474e-02, 1.656044088e-02, 1.349041983e-02, 1.098952908e-02, 8.952259086e-03, 7.292665076e-03, 5.940730684e-03, 4.839421250e-03, 3.942275885e-03, 3.211446106e-03, 2.616099082e-03, 2.131119603e-03, 1.736046746e-03, 1.414213446e-03, 1.152042649e-03, 9.384738514e-04, 7.644969737e-04, 6.227724371e-04, 5.073211505e-04, 4.132725589e-04, 3.366589372e-04, 2.742481884e-04, 2.234072745e-04, 1.819914323e-04, 1.482533553e-04, 1.207697424e-04, 9.838111146e-05, 8.014294872e-05, 6.528582162e-05, 5.318295734e-05, 4.332375465e-05, 3.529227615e-05, 2.874969505e-05, 2.341999789e-05, 1.907833393e-05, 1.554154005e-05, 1.266040636e-05, 1.031338525e-05, 8.401460946e-06, 6.843975370e-06, 5.575220257e-06, 4.541670478e-06, 3.699723038e-06, 3.013858077e-06, 2.455140702e-06]> : tensor<64xf32>
  // position_ids[:, None, :].float()
  %1 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [1, 1, 1] : tensor<1x1xi64> into tensor<1x1x1xi64>
  %2 = tensor.empty() : tensor<1x1x1xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1 : tensor<1x1x1xi64>) outs(%2 : tensor<1x1x1xf32>) {
  ^bb0(%in: i64, %out: f32):
    %4 = arith.sitofp %in : i64 to f32
    linalg.yield %4 : f32
  } -> tensor<1x1x1xf32>
  // inv_freq[None, :, None].float().expand(B, -1, 1)
  %5 = tensor.expand_shape %0 [[0, 1]] output_shape [1, 64] : tensor<64xf32> into tensor<1x64xf32>
  %6 = tensor.expand_shape %5 [[0], [1, 2]] output_shape [1, 64, 1] : tensor<1x64xf32> into tensor<1x64x1xf32>
  // freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
  %cst = arith.constant 0.000000e+00 : f32
  %7 = tensor.empty() : tensor<1x64x1xf32>
  %8 = linalg.fill ins(%cst : f32) outs(%7 : tensor<1x64x1xf32>) -> tensor<1x64x1xf32>
  %9 = linalg.batch_matmul ins(%6, %3 : tensor<1x64x1xf32>, tensor<1x1x1xf32>) outs(%8 : tensor<1x64x1xf32>) -> tensor<1x64x1xf32>
  %10 = tensor.empty() : tensor<1x1x64xf32>
  %11 = linalg.transpose ins(%9 : tensor<1x64x1xf32>) outs(%10 : tensor<1x1x64xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1)
  %12 = tensor.concat dim(2) %11, %11 : (tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x1x128xf32>
  // cos = emb.cos() * attention_scaling.to(x.dtype)
  %13 = tensor.empty() : tensor<1x1x128xf32>
  %14 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%12 : tensor<1x1x128xf32>) outs(%13 : tensor<1x1x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %15 = math.cos %in : f32
    linalg.yield %15 : f32
  } -> tensor<1x1x128xf32>
  %cst_1 = arith.constant 1.000000000e+00 : f64
  %16 = tensor.empty() : tensor<1x1x128xf32>
  %17 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14 : tensor<1x1x128xf32>) outs(%16 : tensor<1x1x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %18 = arith.truncf %cst_1 : f64 to f32
    %19 = arith.mulf %in, %18 : f32
    linalg.yield %19 : f32
  } -> tensor<1x1x128xf32>
  %20 = tensor.empty() : tensor<1x1x128xbf16>
  %21 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%17 : tensor<1x1x128xf32>) outs(%20 : tensor<1x1x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %22 = arith.truncf %in : f32 to bf16
    linalg.yield %22 : bf16
  } -> tensor<1x1x128xbf16>
  // sin = emb.sin() * attention_scaling.to(x.dtype)
  %23 = tensor.empty() : tensor<1x1x128xf32>
  %24 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%12 : tensor<1x1x128xf32>) outs(%23 : tensor<1x1x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %25 = math.sin %in : f32
    linalg.yield %25 : f32
  } -> tensor<1x1x128xf32>
  %26 = tensor.empty() : tensor<1x1x128xf32>
  %27 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%24 : tensor<1x1x128xf32>) outs(%26 : tensor<1x1x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %28 = arith.truncf %cst_1 : f64 to f32
    %29 = arith.mulf %in, %28 : f32
    linalg.yield %29 : f32
  } -> tensor<1x1x128xf32>
  %30 = tensor.empty() : tensor<1x1x128xbf16>
  %31 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%27 : tensor<1x1x128xf32>) outs(%30 : tensor<1x1x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %32 = arith.truncf %in : f32 to bf16
    linalg.yield %32 : bf16
  } -> tensor<1x1x128xbf16>
  // unsqueeze(1)
  %33 = tensor.expand_shape %21 [[0, 1], [2], [3]] output_shape [1, 1, 1, 128] : tensor<1x1x128xbf16> into tensor<1x1x1x128xbf16>
  // unsqueeze(1)
  %34 = tensor.expand_shape %31 [[0, 1], [2], [3]] output_shape [1, 1, 1, 128] : tensor<1x1x128xbf16> into tensor<1x1x1x128xbf16>
  %c1_i64 = arith.constant 1 : i64
  %35 = arith.sitofp %c1_i64 : i64 to bf16
  // (x * cos) + (rotate_half(x) * sin)
  %36 = tensor.empty() : tensor<1x4x1x128xbf16>
  %37 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %33 : tensor<1x4x1x128xbf16>, tensor<1x1x1x128xbf16>) outs(%36 : tensor<1x4x1x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %38 = arith.mulf %in, %in_0 : bf16
    linalg.yield %38 : bf16
  } -> tensor<1x4x1x128xbf16>
  %39 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<1x4x1x128xbf16> to tensor<1x4x1x64xbf16>
  %40 = tensor.extract_slice %arg0[0, 0, 0, 64] [1, 4, 1, 64] [1, 1, 1, 1] : tensor<1x4x1x128xbf16> to tensor<1x4x1x64xbf16>
  %41 = tensor.empty() : tensor<1x4x1x64xbf16>
  %42 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%40 : tensor<1x4x1x64xbf16>) outs(%41 : tensor<1x4x1x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %43 = arith.negf %in : bf16
    linalg.yield %43 : bf16
  } -> tensor<1x4x1x64xbf16>
  %44 = tensor.concat dim(3) %42, %39 : (tensor<1x4x1x64xbf16>, tensor<1x4x1x64xbf16>) -> tensor<1x4x1x128xbf16>
  %45 = tensor.empty() : tensor<1x4x1x128xbf16>
  %46 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%44, %34 : tensor<1x4x1x128xbf16>, tensor<1x1x1x128xbf16>) outs(%45 : tensor<1x4x1x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %47 = arith.mulf %in, %in_0 : bf16
    linalg.yield %47 : bf16
  } -> tensor<1x4x1x128xbf16>
  %48 = tensor.empty() : tensor<1x4x1x128xbf16>
  %49 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%37, %46 : tensor<1x4x1x128xbf16>, tensor<1x4x1x128xbf16>) outs(%48 : tensor<1x4x1x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %50 = arith.mulf %in_0, %35 : bf16
    %51 = arith.addf %in, %50 : bf16
    linalg.yield %51 : bf16
  } -> tensor<1x4x1x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %52 = tensor.empty() : tensor<1x2x1x128xbf16>
  %53 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %33 : tensor<1x2x1x128xbf16>, tensor<1x1x1x128xbf16>) outs(%52 : tensor<1x2x1x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %54 = arith.mulf %in, %in_0 : bf16
    linalg.yield %54 : bf16
  } -> tensor<1x2x1x128xbf16>
  %55 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 1, 64] [1, 1, 1, 1] : tensor<1x2x1x128xbf16> to tensor<1x2x1x64xbf16>
  %56 = tensor.extract_slice %arg1[0, 0, 0, 64] [1, 2, 1, 64] [1, 1, 1, 1] : tensor<1x2x1x128xbf16> to tensor<1x2x1x64xbf16>
  %57 = tensor.empty() : tensor<1x2x1x64xbf16>
  %58 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%56 : tensor<1x2x1x64xbf16>) outs(%57 : tensor<1x2x1x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %59 = arith.negf %in : bf16
    linalg.yield %59 : bf16
  } -> tensor<1x2x1x64xbf16>
  %60 = tensor.concat dim(3) %58, %55 : (tensor<1x2x1x64xbf16>, tensor<1x2x1x64xbf16>) -> tensor<1x2x1x128xbf16>
  %61 = tensor.empty() : tensor<1x2x1x128xbf16>
  %62 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%60, %34 : tensor<1x2x1x128xbf16>, tensor<1x1x1x128xbf16>) outs(%61 : tensor<1x2x1x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %63 = arith.mulf %in, %in_0 : bf16
    linalg.yield %63 : bf16
  } -> tensor<1x2x1x128xbf16>
  %64 = tensor.empty() : tensor<1x2x1x128xbf16>
  %65 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%53, %62 : tensor<1x2x1x128xbf16>, tensor<1x2x1x128xbf16>) outs(%64 : tensor<1x2x1x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %66 = arith.mulf %in_0, %35 : bf16
    %67 = arith.addf %in, %66 : bf16
    linalg.yield %67 : bf16
  } -> tensor<1x2x1x128xbf16>
  return %49, %65 : tensor<1x4x1x128xbf16>, tensor<1x2x1x128xbf16>
}
