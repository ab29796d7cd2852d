// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Llama-3-8B, bf16, inv_freq passed in as a function argument (the buffer cast to bf16 with
//        the model)
// FUNC: @llama3_rope_inv_arg
// ARGS: x x pos inv
// REF: layout=bhsd pairing=half rotary_dim=128 theta=500000
// EXPECT: tables
//
// HF transformers models/llama/modeling_llama.py: LlamaRotaryEmbedding.forward (inv_freq[None, :,
// None].float().expand(B, -1, 1) @ position_ids[:, None, :].float(), .transpose(1, 2), cat((freqs,
// freqs), -1), cos()/sin() * attention_scaling, .to(x.dtype)) and apply_rotary_pos_emb
// (cos.unsqueeze(1), q * cos + rotate_half(q) * sin). Lowered as torch-mlir's TorchToLinalg does:
// aten.matmul of two 3-D tensors decomposes to aten.bmm (linalg.fill + linalg.batch_matmul), expand
// to a collapse_shape + broadcasting generic, transpose to linalg.transpose, cat to tensor.concat,
// slices to tensor.extract_slice, unsqueeze to tensor.expand_shape, each elementwise aten op to its
// own linalg.generic with constant-0 indexing for size-1 broadcast dims. inv_freq is an argument (a
// lifted buffer), in bf16 as model.to(bfloat16) leaves it, widened by .float() (arith.extf). Its
// values are unknown at compile time: the raiser can only keep the computed tables
// (rope.rotate_with_tables). The runner feeds the REF spectrum rounded to bf16 and builds the
// reference from the fed values.
#map = affine_map<(d0) -> (d0)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @llama3_rope_inv_arg(%arg0: tensor<1x4x8x128xbf16>, %arg1: tensor<1x2x8x128xbf16>, %arg2: tensor<1x8xi64>, %arg3: tensor<64xbf16>) -> (tensor<1x4x8x128xbf16>, tensor<1x2x8x128xbf16>) {
  %0 = tensor.empty() : tensor<64xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%arg3 : tensor<64xbf16>) outs(%0 : tensor<64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %2 = arith.extf %in : bf16 to f32
    linalg.yield %2 : f32
  } -> tensor<64xf32>
  // position_ids[:, None, :].float()
  %3 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [1, 1, 8] : tensor<1x8xi64> into tensor<1x1x8xi64>
  %4 = tensor.empty() : tensor<1x1x8xf32>
  %5 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%3 : tensor<1x1x8xi64>) outs(%4 : tensor<1x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %6 = arith.sitofp %in : i64 to f32
    linalg.yield %6 : f32
  } -> tensor<1x1x8xf32>
  // inv_freq[None, :, None].float().expand(B, -1, 1)
  %7 = tensor.expand_shape %1 [[0, 1, 2]] output_shape [1, 64, 1] : tensor<64xf32> into tensor<1x64x1xf32>
  // freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
  %cst = arith.constant 0.000000e+00 : f32
  %8 = tensor.empty() : tensor<1x64x8xf32>
  %9 = linalg.fill ins(%cst : f32) outs(%8 : tensor<1x64x8xf32>) -> tensor<1x64x8xf32>
  %10 = linalg.batch_matmul ins(%7, %5 : tensor<1x64x1xf32>, tensor<1x1x8xf32>) outs(%9 : tensor<1x64x8xf32>) -> tensor<1x64x8xf32>
  %11 = tensor.empty() : tensor<1x8x64xf32>
  %12 = linalg.transpose ins(%10 : tensor<1x64x8xf32>) outs(%11 : tensor<1x8x64xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1)
  %13 = tensor.concat dim(2) %12, %12 : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x128xf32>
  // cos = emb.cos().to(x.dtype)
  %14 = tensor.empty() : tensor<1x8x128xf32>
  %15 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%13 : tensor<1x8x128xf32>) outs(%14 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = math.cos %in : f32
    linalg.yield %16 : f32
  } -> tensor<1x8x128xf32>
  %17 = tensor.empty() : tensor<1x8x128xbf16>
  %18 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%15 : tensor<1x8x128xf32>) outs(%17 : tensor<1x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %19 = arith.truncf %in : f32 to bf16
    linalg.yield %19 : bf16
  } -> tensor<1x8x128xbf16>
  // sin = emb.sin().to(x.dtype)
  %20 = tensor.empty() : tensor<1x8x128xf32>
  %21 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%13 : tensor<1x8x128xf32>) outs(%20 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %22 = math.sin %in : f32
    linalg.yield %22 : f32
  } -> tensor<1x8x128xf32>
  %23 = tensor.empty() : tensor<1x8x128xbf16>
  %24 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%21 : tensor<1x8x128xf32>) outs(%23 : tensor<1x8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %25 = arith.truncf %in : f32 to bf16
    linalg.yield %25 : bf16
  } -> tensor<1x8x128xbf16>
  // unsqueeze(1)
  %26 = tensor.expand_shape %18 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xbf16> into tensor<1x1x8x128xbf16>
  // unsqueeze(1)
  %27 = tensor.expand_shape %24 [[0, 1], [2], [3]] output_shape [1, 1, 8, 128] : tensor<1x8x128xbf16> into tensor<1x1x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %28 = tensor.empty() : tensor<1x4x8x128xbf16>
  %29 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %26 : tensor<1x4x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%28 : tensor<1x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %30 = arith.mulf %in, %in_0 : bf16
    linalg.yield %30 : bf16
  } -> tensor<1x4x8x128xbf16>
  %31 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 8, 64] [1, 1, 1, 1] : tensor<1x4x8x128xbf16> to tensor<1x4x8x64xbf16>
  %32 = tensor.extract_slice %arg0[0, 0, 0, 64] [1, 4, 8, 64] [1, 1, 1, 1] : tensor<1x4x8x128xbf16> to tensor<1x4x8x64xbf16>
  %33 = tensor.empty() : tensor<1x4x8x64xbf16>
  %34 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%32 : tensor<1x4x8x64xbf16>) outs(%33 : tensor<1x4x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %35 = arith.negf %in : bf16
    linalg.yield %35 : bf16
  } -> tensor<1x4x8x64xbf16>
  %36 = tensor.concat dim(3) %34, %31 : (tensor<1x4x8x64xbf16>, tensor<1x4x8x64xbf16>) -> tensor<1x4x8x128xbf16>
  %37 = tensor.empty() : tensor<1x4x8x128xbf16>
  %38 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%36, %27 : tensor<1x4x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%37 : tensor<1x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %39 = arith.mulf %in, %in_0 : bf16
    linalg.yield %39 : bf16
  } -> tensor<1x4x8x128xbf16>
  %40 = tensor.empty() : tensor<1x4x8x128xbf16>
  %41 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%29, %38 : tensor<1x4x8x128xbf16>, tensor<1x4x8x128xbf16>) outs(%40 : tensor<1x4x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %42 = arith.addf %in, %in_0 : bf16
    linalg.yield %42 : bf16
  } -> tensor<1x4x8x128xbf16>
  // (x * cos) + (rotate_half(x) * sin)
  %43 = tensor.empty() : tensor<1x2x8x128xbf16>
  %44 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %26 : tensor<1x2x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%43 : tensor<1x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %45 = arith.mulf %in, %in_0 : bf16
    linalg.yield %45 : bf16
  } -> tensor<1x2x8x128xbf16>
  %46 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 8, 64] [1, 1, 1, 1] : tensor<1x2x8x128xbf16> to tensor<1x2x8x64xbf16>
  %47 = tensor.extract_slice %arg1[0, 0, 0, 64] [1, 2, 8, 64] [1, 1, 1, 1] : tensor<1x2x8x128xbf16> to tensor<1x2x8x64xbf16>
  %48 = tensor.empty() : tensor<1x2x8x64xbf16>
  %49 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%47 : tensor<1x2x8x64xbf16>) outs(%48 : tensor<1x2x8x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %50 = arith.negf %in : bf16
    linalg.yield %50 : bf16
  } -> tensor<1x2x8x64xbf16>
  %51 = tensor.concat dim(3) %49, %46 : (tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16>) -> tensor<1x2x8x128xbf16>
  %52 = tensor.empty() : tensor<1x2x8x128xbf16>
  %53 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%51, %27 : tensor<1x2x8x128xbf16>, tensor<1x1x8x128xbf16>) outs(%52 : tensor<1x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %54 = arith.mulf %in, %in_0 : bf16
    linalg.yield %54 : bf16
  } -> tensor<1x2x8x128xbf16>
  %55 = tensor.empty() : tensor<1x2x8x128xbf16>
  %56 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%44, %53 : tensor<1x2x8x128xbf16>, tensor<1x2x8x128xbf16>) outs(%55 : tensor<1x2x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %57 = arith.addf %in, %in_0 : bf16
    linalg.yield %57 : bf16
  } -> tensor<1x2x8x128xbf16>
  return %41, %56 : tensor<1x4x8x128xbf16>, tensor<1x2x8x128xbf16>
}
