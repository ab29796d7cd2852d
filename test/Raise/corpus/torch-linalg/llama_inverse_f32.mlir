// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Llama-2 style (theta 1e4, head_dim 64), f32, the inverse rotation x * cos - rotate_half(x)
//        * sin
// FUNC: @llama_rope_inverse
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=10000 inverse
// EXPECT: rotate
//
// HF transformers models/llama/modeling_llama.py: LlamaRotaryEmbedding.forward (inv_freq[None, :,
// None].float().expand(B, -1, 1) @ position_ids[:, None, :].float(), .transpose(1, 2), cat((freqs,
// freqs), -1), cos()/sin() * attention_scaling, .to(x.dtype)) and apply_rotary_pos_emb
// (cos.unsqueeze(1), q * cos + rotate_half(q) * sin). Lowered as torch-mlir's TorchToLinalg does:
// aten.matmul of two 3-D tensors decomposes to aten.bmm (linalg.fill + linalg.batch_matmul), expand
// to a collapse_shape + broadcasting generic, transpose to linalg.transpose, cat to tensor.concat,
// slices to tensor.extract_slice, unsqueeze to tensor.expand_shape, each elementwise aten op to its
// own linalg.generic with constant-0 indexing for size-1 broadcast dims. The product with sin is
// subtracted (R1-inverse: rotation by -phi), as a backward pass or an un-rotation of cached keys
// writes it.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @llama_rope_inverse(%arg0: tensor<1x2x8x64xf32>, %arg1: tensor<1x2x8x64xf32>, %arg2: tensor<1x8xi64>) -> (tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) {
  %0 = arith.constant dense<[1.000000000e+00, 7.498942018e-01, 5.623413324e-01, 4.216965139e-01, 3.162277639e-01, 2.371373624e-01, 1.778279394e-01, 1.333521456e-01, 1.000000015e-01, 7.498941571e-02, 5.623412877e-02, 4.216964915e-02, 3.162277862e-02, 2.371373586e-02, 1.778279431e-02, 1.333521493e-02, 9.999999776e-03, 7.498942316e-03, 5.623413250e-03, 4.216964822e-03, 3.162277862e-03, 2.371373819e-03, 1.778279431e-03, 1.333521446e-03, 1.000000047e-03, 7.498941850e-04, 5.623413017e-04, 4.216964880e-04, 3.162277862e-04, 2.371373848e-04, 1.778279402e-04, 1.333521504e-04]> : tensor<32xf32>
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
  // emb = torch.cat((freqs, freqs), dim=-1)
  %11 = tensor.concat dim(2) %10, %10 : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  // cos = emb.cos().to(x.dtype)
  %12 = tensor.empty() : tensor<1x8x64xf32>
  %13 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x64xf32>) outs(%12 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %14 = math.cos %in : f32
    linalg.yield %14 : f32
  } -> tensor<1x8x64xf32>
  // sin = emb.sin().to(x.dtype)
  %15 = tensor.empty() : tensor<1x8x64xf32>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x64xf32>) outs(%15 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %17 = math.sin %in : f32
    linalg.yield %17 : f32
  } -> tensor<1x8x64xf32>
  // unsqueeze(1)
  %18 = tensor.expand_shape %13 [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xf32> into tensor<1x1x8x64xf32>
  // unsqueeze(1)
  %19 = tensor.expand_shape %16 [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xf32> into tensor<1x1x8x64xf32>
  // (x * cos) - (rotate_half(x) * sin)
  %20 = tensor.empty() : tensor<1x2x8x64xf32>
  %21 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %18 : tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>) outs(%20 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %22 = arith.mulf %in, %in_0 : f32
    linalg.yield %22 : f32
  } -> tensor<1x2x8x64xf32>
  %23 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %24 = tensor.extract_slice %arg0[0, 0, 0, 32] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %25 = tensor.empty() : tensor<1x2x8x32xf32>
  %26 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%24 : tensor<1x2x8x32xf32>) outs(%25 : tensor<1x2x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %27 = arith.negf %in : f32
    linalg.yield %27 : f32
  } -> tensor<1x2x8x32xf32>
  %28 = tensor.concat dim(3) %26, %23 : (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>) -> tensor<1x2x8x64xf32>
  %29 = tensor.empty() : tensor<1x2x8x64xf32>
  %30 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%28, %19 : tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>) outs(%29 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %31 = arith.mulf %in, %in_0 : f32
    linalg.yield %31 : f32
  } -> tensor<1x2x8x64xf32>
  %32 = tensor.empty() : tensor<1x2x8x64xf32>
  %33 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%21, %30 : tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) outs(%32 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %34 = arith.subf %in, %in_0 : f32
    linalg.yield %34 : f32
  } -> tensor<1x2x8x64xf32>
  // (x * cos) - (rotate_half(x) * sin)
  %35 = tensor.empty() : tensor<1x2x8x64xf32>
  %36 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %18 : tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>) outs(%35 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %37 = arith.mulf %in, %in_0 : f32
    linalg.yield %37 : f32
  } -> tensor<1x2x8x64xf32>
  %38 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %39 = tensor.extract_slice %arg1[0, 0, 0, 32] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %40 = tensor.empty() : tensor<1x2x8x32xf32>
  %41 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%39 : tensor<1x2x8x32xf32>) outs(%40 : tensor<1x2x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %42 = arith.negf %in : f32
    linalg.yield %42 : f32
  } -> tensor<1x2x8x32xf32>
  %43 = tensor.concat dim(3) %41, %38 : (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>) -> tensor<1x2x8x64xf32>
  %44 = tensor.empty() : tensor<1x2x8x64xf32>
  %45 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%43, %19 : tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>) outs(%44 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %46 = arith.mulf %in, %in_0 : f32
    linalg.yield %46 : f32
  } -> tensor<1x2x8x64xf32>
  %47 = tensor.empty() : tensor<1x2x8x64xf32>
  %48 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%36, %45 : tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) outs(%47 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %49 = arith.subf %in, %in_0 : f32
    linalg.yield %49 : f32
  } -> tensor<1x2x8x64xf32>
  return %33, %48 : tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>
}
