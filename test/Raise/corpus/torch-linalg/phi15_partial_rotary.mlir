// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: Phi-1.5 (partial_rotary_factor 0.5: rotary_dim 32 of head_dim 64, theta 1e4), f32
// FUNC: @phi_rope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=32 theta=10000
// EXPECT: rotate
//
// HF transformers models/phi/modeling_phi.py: PhiRotaryEmbedding (Llama's, dim = rotary_ndims),
// query_rot, query_pass = q[..., :32], q[..., 32:]; apply_rotary_pos_emb(query_rot, key_rot, cos,
// sin); cat((query_rot, query_pass), -1). Lowered as torch-mlir's TorchToLinalg does: aten.matmul of
// two 3-D tensors decomposes to aten.bmm (linalg.fill + linalg.batch_matmul), expand to a
// collapse_shape + broadcasting generic, transpose to linalg.transpose, cat to tensor.concat, slices
// to tensor.extract_slice, unsqueeze to tensor.expand_shape, each elementwise aten op to its own
// linalg.generic with constant-0 indexing for size-1 broadcast dims.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @phi_rope(%arg0: tensor<2x2x8x64xf32>, %arg1: tensor<2x2x8x64xf32>, %arg2: tensor<2x8xi64>) -> (tensor<2x2x8x64xf32>, tensor<2x2x8x64xf32>) {
  %0 = arith.constant dense<[1.000000000e+00, 5.623413324e-01, 3.162277639e-01, 1.778279394e-01, 1.000000015e-01, 5.623412877e-02, 3.162277862e-02, 1.778279431e-02, 9.999999776e-03, 5.623413250e-03, 3.162277862e-03, 1.778279431e-03, 1.000000047e-03, 5.623413017e-04, 3.162277862e-04, 1.778279402e-04]> : tensor<16xf32>
  // position_ids[:, None, :].float()
  %1 = tensor.expand_shape %arg2 [[0, 1], [2]] output_shape [2, 1, 8] : tensor<2x8xi64> into tensor<2x1x8xi64>
  %2 = tensor.empty() : tensor<2x1x8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%1 : tensor<2x1x8xi64>) outs(%2 : tensor<2x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %4 = arith.sitofp %in : i64 to f32
    linalg.yield %4 : f32
  } -> tensor<2x1x8xf32>
  // inv_freq[None, :, None].float().expand(B, -1, 1)
  %5 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 16, 1] : tensor<16xf32> into tensor<1x16x1xf32>
  %6 = tensor.collapse_shape %5 [[0, 1], [2]] : tensor<1x16x1xf32> into tensor<16x1xf32>
  %7 = tensor.empty() : tensor<2x16x1xf32>
  %8 = linalg.generic {indexing_maps = [#map1, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%6 : tensor<16x1xf32>) outs(%7 : tensor<2x16x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x16x1xf32>
  // freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
  %cst = arith.constant 0.000000e+00 : f32
  %9 = tensor.empty() : tensor<2x16x8xf32>
  %10 = linalg.fill ins(%cst : f32) outs(%9 : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  %11 = linalg.batch_matmul ins(%8, %3 : tensor<2x16x1xf32>, tensor<2x1x8xf32>) outs(%10 : tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
  %12 = tensor.empty() : tensor<2x8x16xf32>
  %13 = linalg.transpose ins(%11 : tensor<2x16x8xf32>) outs(%12 : tensor<2x8x16xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1)
  %14 = tensor.concat dim(2) %13, %13 : (tensor<2x8x16xf32>, tensor<2x8x16xf32>) -> tensor<2x8x32xf32>
  // cos = emb.cos().to(x.dtype)
  %15 = tensor.empty() : tensor<2x8x32xf32>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14 : tensor<2x8x32xf32>) outs(%15 : tensor<2x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %17 = math.cos %in : f32
    linalg.yield %17 : f32
  } -> tensor<2x8x32xf32>
  // sin = emb.sin().to(x.dtype)
  %18 = tensor.empty() : tensor<2x8x32xf32>
  %19 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14 : tensor<2x8x32xf32>) outs(%18 : tensor<2x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %20 = math.sin %in : f32
    linalg.yield %20 : f32
  } -> tensor<2x8x32xf32>
  // unsqueeze(1)
  %21 = tensor.expand_shape %16 [[0, 1], [2], [3]] output_shape [2, 1, 8, 32] : tensor<2x8x32xf32> into tensor<2x1x8x32xf32>
  // unsqueeze(1)
  %22 = tensor.expand_shape %19 [[0, 1], [2], [3]] output_shape [2, 1, 8, 32] : tensor<2x8x32xf32> into tensor<2x1x8x32xf32>
  // x_rot, x_pass = x[..., :32], x[..., 32:]
  %23 = tensor.extract_slice %arg0[0, 0, 0, 0] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xf32> to tensor<2x2x8x32xf32>
  %24 = tensor.extract_slice %arg0[0, 0, 0, 32] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xf32> to tensor<2x2x8x32xf32>
  // (x * cos) + (rotate_half(x) * sin)
  %25 = tensor.empty() : tensor<2x2x8x32xf32>
  %26 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%23, %21 : tensor<2x2x8x32xf32>, tensor<2x1x8x32xf32>) outs(%25 : tensor<2x2x8x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %27 = arith.mulf %in, %in_0 : f32
    linalg.yield %27 : f32
  } -> tensor<2x2x8x32xf32>
  %28 = tensor.extract_slice %23[0, 0, 0, 0] [2, 2, 8, 16] [1, 1, 1, 1] : tensor<2x2x8x32xf32> to tensor<2x2x8x16xf32>
  %29 = tensor.extract_slice %23[0, 0, 0, 16] [2, 2, 8, 16] [1, 1, 1, 1] : tensor<2x2x8x32xf32> to tensor<2x2x8x16xf32>
  %30 = tensor.empty() : tensor<2x2x8x16xf32>
  %31 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%29 : tensor<2x2x8x16xf32>) outs(%30 : tensor<2x2x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %32 = arith.negf %in : f32
    linalg.yield %32 : f32
  } -> tensor<2x2x8x16xf32>
  %33 = tensor.concat dim(3) %31, %28 : (tensor<2x2x8x16xf32>, tensor<2x2x8x16xf32>) -> tensor<2x2x8x32xf32>
  %34 = tensor.empty() : tensor<2x2x8x32xf32>
  %35 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%33, %22 : tensor<2x2x8x32xf32>, tensor<2x1x8x32xf32>) outs(%34 : tensor<2x2x8x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %36 = arith.mulf %in, %in_0 : f32
    linalg.yield %36 : f32
  } -> tensor<2x2x8x32xf32>
  %37 = tensor.empty() : tensor<2x2x8x32xf32>
  %38 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%26, %35 : tensor<2x2x8x32xf32>, tensor<2x2x8x32xf32>) outs(%37 : tensor<2x2x8x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %39 = arith.addf %in, %in_0 : f32
    linalg.yield %39 : f32
  } -> tensor<2x2x8x32xf32>
  // cat((x_rot, x_pass), dim=-1)
  %40 = tensor.concat dim(3) %38, %24 : (tensor<2x2x8x32xf32>, tensor<2x2x8x32xf32>) -> tensor<2x2x8x64xf32>
  // x_rot, x_pass = x[..., :32], x[..., 32:]
  %41 = tensor.extract_slice %arg1[0, 0, 0, 0] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xf32> to tensor<2x2x8x32xf32>
  %42 = tensor.extract_slice %arg1[0, 0, 0, 32] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xf32> to tensor<2x2x8x32xf32>
  // (x * cos) + (rotate_half(x) * sin)
  %43 = tensor.empty() : tensor<2x2x8x32xf32>
  %44 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%41, %21 : tensor<2x2x8x32xf32>, tensor<2x1x8x32xf32>) outs(%43 : tensor<2x2x8x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %45 = arith.mulf %in, %in_0 : f32
    linalg.yield %45 : f32
  } -> tensor<2x2x8x32xf32>
  %46 = tensor.extract_slice %41[0, 0, 0, 0] [2, 2, 8, 16] [1, 1, 1, 1] : tensor<2x2x8x32xf32> to tensor<2x2x8x16xf32>
  %47 = tensor.extract_slice %41[0, 0, 0, 16] [2, 2, 8, 16] [1, 1, 1, 1] : tensor<2x2x8x32xf32> to tensor<2x2x8x16xf32>
  %48 = tensor.empty() : tensor<2x2x8x16xf32>
  %49 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%47 : tensor<2x2x8x16xf32>) outs(%48 : tensor<2x2x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %50 = arith.negf %in : f32
    linalg.yield %50 : f32
  } -> tensor<2x2x8x16xf32>
  %51 = tensor.concat dim(3) %49, %46 : (tensor<2x2x8x16xf32>, tensor<2x2x8x16xf32>) -> tensor<2x2x8x32xf32>
  %52 = tensor.empty() : tensor<2x2x8x32xf32>
  %53 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%51, %22 : tensor<2x2x8x32xf32>, tensor<2x1x8x32xf32>) outs(%52 : tensor<2x2x8x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %54 = arith.mulf %in, %in_0 : f32
    linalg.yield %54 : f32
  } -> tensor<2x2x8x32xf32>
  %55 = tensor.empty() : tensor<2x2x8x32xf32>
  %56 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%44, %53 : tensor<2x2x8x32xf32>, tensor<2x2x8x32xf32>) outs(%55 : tensor<2x2x8x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %57 = arith.addf %in, %in_0 : f32
    linalg.yield %57 : f32
  } -> tensor<2x2x8x32xf32>
  // cat((x_rot, x_pass), dim=-1)
  %58 = tensor.concat dim(3) %56, %42 : (tensor<2x2x8x32xf32>, tensor<2x2x8x32xf32>) -> tensor<2x2x8x64xf32>
  return %40, %58 : tensor<2x2x8x64xf32>, tensor<2x2x8x64xf32>
}
