// RUN: %python %rope_src/test/e2e/model_check.py %s | FileCheck %s
// CHECK: PASS
//
// MODEL: Qwen3-VL text decoder layer (interleaved MRoPE), f32, prefill B=1 S=8
// FUNC: @qwen3vl_text_decoder_layer
// ARGS: q_proj k_proj v_proj o_proj q_norm k_norm gate_proj up_proj down_proj input_layernorm post_attention_layernorm hidden pos
// RESULTS: out
// CONFIG: arch=qwen3vl hidden=64 heads=4 kv_heads=2 head_dim=16 intermediate=128 eps=1e-06 theta=5000000 mrope=interleaved:4,2,2 pos_max=64
// EXPECT: rotate
//
// HF transformers models/qwen3_vl/modeling_qwen3_vl.py: Qwen3VLTextRotaryEmbedding (with
// apply_interleaved_mrope), Qwen3VLTextDecoderLayer, Qwen3VLTextAttention (q_norm/k_norm on the
// head dim before the transpose, apply_rotary_pos_emb, eager_attention_forward with repeat_kv),
// Qwen3VLTextRMSNorm, Qwen3VLTextMLP (SiLU); the eager causal mask of masking_utils.
// Spelled as torch-mlir's TorchToLinalg writes it after torch.export's core-ATen
// decomposition (nn.Linear as view + aten.mm on permute(weight), linalg.matmul),
// then canonicalize + cse: make_graphs.py in this directory says op by op.
#map = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map3 = affine_map<(d0) -> (d0)>
#map4 = affine_map<(d0, d1) -> (0, d1)>
#map5 = affine_map<(d0, d1) -> (d0, 0)>
#map6 = affine_map<(d0, d1) -> (d0, d1)>
#map7 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#map8 = affine_map<(d0, d1, d2) -> (d2)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#map10 = affine_map<(d0, d1, d2, d3) -> (d3)>
#map11 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#map12 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
#map13 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map14 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
func.func @qwen3vl_text_decoder_layer(%arg0: tensor<64x64xf32>, %arg1: tensor<32x64xf32>, %arg2: tensor<32x64xf32>, %arg3: tensor<64x64xf32>, %arg4: tensor<16xf32>, %arg5: tensor<16xf32>, %arg6: tensor<128x64xf32>, %arg7: tensor<128x64xf32>, %arg8: tensor<64x128xf32>, %arg9: tensor<64xf32>, %arg10: tensor<64xf32>, %arg11: tensor<1x8x64xf32>, %arg12: tensor<3x1x8xi64>) -> tensor<1x8x64xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant -3.40282347E+38 : f32
  %c2_i64 = arith.constant 2 : i64
  %cst_1 = arith.constant 6.400000e+01 : f32
  %cst_2 = arith.constant 1.000000e-06 : f32
  %cst_3 = arith.constant 1.600000e+01 : f32
  %cst_4 = arith.constant 2.500000e-01 : f32
  %c0_i64 = arith.constant 0 : i64
  %cst_5 = arith.constant 0xFF800000 : f32
  %cst_6 = arith.constant 1.000000e+00 : f32
  // Qwen3VLTextRotaryEmbedding: inv_freq[None, None, :, None].float().expand(3, B, -1, 1)
  %0 = arith.constant dense<[1.000000000e+00, 1.454215497e-01, 2.114742622e-02, 3.075291170e-03, 4.472136206e-04, 6.503448822e-05, 9.457416127e-06, 1.375312081e-06]> : tensor<8xf32>
  %1 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 8, 1] : tensor<8xf32> into tensor<1x8x1xf32>
  %2 = tensor.empty() : tensor<3x1x8x1xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<1x8x1xf32>) outs(%2 : tensor<3x1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<3x1x8x1xf32>
  // position_ids[:, :, None, :].float()
  %4 = tensor.expand_shape %arg12 [[0], [1, 2], [3]] output_shape [3, 1, 1, 8] : tensor<3x1x8xi64> into tensor<3x1x1x8xi64>
  %5 = tensor.empty() : tensor<3x1x1x8xf32>
  %6 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%4 : tensor<3x1x1x8xi64>) outs(%5 : tensor<3x1x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %7 = arith.sitofp %in : i64 to f32
    linalg.yield %7 : f32
  } -> tensor<3x1x1x8xf32>
  // freqs = (inv_freq_expanded @ position_ids_expanded).transpose(2, 3)
  %8 = tensor.collapse_shape %3 [[0, 1], [2], [3]] : tensor<3x1x8x1xf32> into tensor<3x8x1xf32>
  %9 = tensor.collapse_shape %6 [[0, 1], [2], [3]] : tensor<3x1x1x8xf32> into tensor<3x1x8xf32>
  %10 = tensor.empty() : tensor<3x8x8xf32>
  %11 = linalg.fill ins(%cst : f32) outs(%10 : tensor<3x8x8xf32>) -> tensor<3x8x8xf32>
  %12 = linalg.batch_matmul ins(%8, %9 : tensor<3x8x1xf32>, tensor<3x1x8xf32>) outs(%11 : tensor<3x8x8xf32>) -> tensor<3x8x8xf32>
  %13 = tensor.expand_shape %12 [[0, 1], [2], [3]] output_shape [3, 1, 8, 8] : tensor<3x8x8xf32> into tensor<3x1x8x8xf32>
  %14 = tensor.empty() : tensor<3x1x8x8xf32>
  %15 = linalg.transpose ins(%13 : tensor<3x1x8x8xf32>) outs(%14 : tensor<3x1x8x8xf32>) permutation = [0, 1, 3, 2]
  // apply_interleaved_mrope: freqs_t = freqs[0]; freqs_t[..., offset:length:3] = freqs[dim, ..., offset:length:3]
  %16 = tensor.extract_slice %15[0, 0, 0, 0] [1, 1, 8, 8] [1, 1, 1, 1] : tensor<3x1x8x8xf32> to tensor<1x8x8xf32>
  %17 = tensor.extract_slice %15[1, 0, 0, 1] [1, 1, 8, 2] [1, 1, 1, 3] : tensor<3x1x8x8xf32> to tensor<1x8x2xf32>
  %18 = tensor.insert_slice %17 into %16[0, 0, 1] [1, 8, 2] [1, 1, 3] : tensor<1x8x2xf32> into tensor<1x8x8xf32>
  %19 = tensor.extract_slice %15[2, 0, 0, 2] [1, 1, 8, 2] [1, 1, 1, 3] : tensor<3x1x8x8xf32> to tensor<1x8x2xf32>
  %20 = tensor.insert_slice %19 into %18[0, 0, 2] [1, 8, 2] [1, 1, 3] : tensor<1x8x2xf32> into tensor<1x8x8xf32>
  // emb = torch.cat((freqs, freqs), dim=-1); cos = emb.cos().to(x.dtype); sin = emb.sin().to(x.dtype)
  %21 = tensor.concat dim(2) %20, %20 : (tensor<1x8x8xf32>, tensor<1x8x8xf32>) -> tensor<1x8x16xf32>
  %22 = tensor.empty() : tensor<1x8x16xf32>
  %23 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%21 : tensor<1x8x16xf32>) outs(%22 : tensor<1x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %24 = math.cos %in : f32
    linalg.yield %24 : f32
  } -> tensor<1x8x16xf32>
  %25 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%21 : tensor<1x8x16xf32>) outs(%22 : tensor<1x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %26 = math.sin %in : f32
    linalg.yield %26 : f32
  } -> tensor<1x8x16xf32>
  // causal mask: arange(S) <= arange(S)[:, None], where(mask, 0, finfo.min)
  %27 = tensor.empty() : tensor<8xi64>
  %28 = linalg.generic {indexing_maps = [#map3], iterator_types = ["parallel"]} outs(%27 : tensor<8xi64>) {
  ^bb0(%out: i64):
    %29 = linalg.index 0 : index
    %30 = arith.index_cast %29 : index to i64
    linalg.yield %30 : i64
  } -> tensor<8xi64>
  %31 = tensor.expand_shape %28 [[0, 1]] output_shape [1, 8] : tensor<8xi64> into tensor<1x8xi64>
  %32 = tensor.expand_shape %28 [[0, 1]] output_shape [8, 1] : tensor<8xi64> into tensor<8x1xi64>
  %33 = tensor.empty() : tensor<8x8xi1>
  %34 = linalg.generic {indexing_maps = [#map4, #map5, #map6], iterator_types = ["parallel", "parallel"]} ins(%31, %32 : tensor<1x8xi64>, tensor<8x1xi64>) outs(%33 : tensor<8x8xi1>) {
  ^bb0(%in: i64, %in_0: i64, %out: i1):
    %35 = arith.cmpi sle, %in, %in_0 : i64
    linalg.yield %35 : i1
  } -> tensor<8x8xi1>
  %36 = tensor.expand_shape %34 [[0, 1, 2], [3]] output_shape [1, 1, 8, 8] : tensor<8x8xi1> into tensor<1x1x8x8xi1>
  %37 = tensor.empty() : tensor<1x1x8x8xf32>
  %38 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%36 : tensor<1x1x8x8xi1>) outs(%37 : tensor<1x1x8x8xf32>) {
  ^bb0(%in: i1, %out: f32):
    %39 = arith.select %in, %cst, %cst_0 : f32
    linalg.yield %39 : f32
  } -> tensor<1x1x8x8xf32>
  // Decoder layer: residual = hidden_states; input_layernorm
  // input_layernorm: RMSNorm over the last dim (pow 2, mean = sum / 64, + eps, rsqrt, * weight)
  %40 = tensor.empty() : tensor<1x8x64xf32>
  %41 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11 : tensor<1x8x64xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %42 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %42 : f32
  } -> tensor<1x8x64xf32>
  %43 = tensor.empty() : tensor<1x8x1xf32>
  %44 = linalg.fill ins(%cst : f32) outs(%43 : tensor<1x8x1xf32>) -> tensor<1x8x1xf32>
  %45 = linalg.generic {indexing_maps = [#map2, #map7], iterator_types = ["parallel", "parallel", "reduction"]} ins(%41 : tensor<1x8x64xf32>) outs(%44 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %46 = arith.addf %in, %out : f32
    linalg.yield %46 : f32
  } -> tensor<1x8x1xf32>
  %47 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%45 : tensor<1x8x1xf32>) outs(%43 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %48 = arith.divf %in, %cst_1 : f32
    linalg.yield %48 : f32
  } -> tensor<1x8x1xf32>
  %49 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%47 : tensor<1x8x1xf32>) outs(%43 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %50 = arith.addf %in, %cst_2 : f32
    linalg.yield %50 : f32
  } -> tensor<1x8x1xf32>
  %51 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%49 : tensor<1x8x1xf32>) outs(%43 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %52 = math.rsqrt %in : f32
    linalg.yield %52 : f32
  } -> tensor<1x8x1xf32>
  %53 = linalg.generic {indexing_maps = [#map2, #map7, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11, %51 : tensor<1x8x64xf32>, tensor<1x8x1xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %54 = arith.mulf %in, %in_0 : f32
    linalg.yield %54 : f32
  } -> tensor<1x8x64xf32>
  %55 = linalg.generic {indexing_maps = [#map8, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9, %53 : tensor<64xf32>, tensor<1x8x64xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %56 = arith.mulf %in, %in_0 : f32
    linalg.yield %56 : f32
  } -> tensor<1x8x64xf32>
  // q_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 4, 16)
  %57 = tensor.empty() : tensor<64x64xf32>
  %58 = linalg.transpose ins(%arg0 : tensor<64x64xf32>) outs(%57 : tensor<64x64xf32>) permutation = [1, 0]
  %59 = tensor.collapse_shape %55 [[0, 1], [2]] : tensor<1x8x64xf32> into tensor<8x64xf32>
  %60 = tensor.empty() : tensor<8x64xf32>
  %61 = linalg.fill ins(%cst : f32) outs(%60 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %62 = linalg.matmul ins(%59, %58 : tensor<8x64xf32>, tensor<64x64xf32>) outs(%61 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %63 = tensor.expand_shape %62 [[0, 1], [2, 3]] output_shape [1, 8, 4, 16] : tensor<8x64xf32> into tensor<1x8x4x16xf32>
  // q_norm: RMSNorm over the last dim (pow 2, mean = sum / 16, + eps, rsqrt, * weight)
  %64 = tensor.empty() : tensor<1x8x4x16xf32>
  %65 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%63 : tensor<1x8x4x16xf32>) outs(%64 : tensor<1x8x4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %66 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %66 : f32
  } -> tensor<1x8x4x16xf32>
  %67 = tensor.empty() : tensor<1x8x4x1xf32>
  %68 = linalg.fill ins(%cst : f32) outs(%67 : tensor<1x8x4x1xf32>) -> tensor<1x8x4x1xf32>
  %69 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%65 : tensor<1x8x4x16xf32>) outs(%68 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %70 = arith.addf %in, %out : f32
    linalg.yield %70 : f32
  } -> tensor<1x8x4x1xf32>
  %71 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%69 : tensor<1x8x4x1xf32>) outs(%67 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %72 = arith.divf %in, %cst_3 : f32
    linalg.yield %72 : f32
  } -> tensor<1x8x4x1xf32>
  %73 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%71 : tensor<1x8x4x1xf32>) outs(%67 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %74 = arith.addf %in, %cst_2 : f32
    linalg.yield %74 : f32
  } -> tensor<1x8x4x1xf32>
  %75 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%73 : tensor<1x8x4x1xf32>) outs(%67 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %76 = math.rsqrt %in : f32
    linalg.yield %76 : f32
  } -> tensor<1x8x4x1xf32>
  %77 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%63, %75 : tensor<1x8x4x16xf32>, tensor<1x8x4x1xf32>) outs(%64 : tensor<1x8x4x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %78 = arith.mulf %in, %in_0 : f32
    linalg.yield %78 : f32
  } -> tensor<1x8x4x16xf32>
  %79 = linalg.generic {indexing_maps = [#map10, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg4, %77 : tensor<16xf32>, tensor<1x8x4x16xf32>) outs(%64 : tensor<1x8x4x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %80 = arith.mulf %in, %in_0 : f32
    linalg.yield %80 : f32
  } -> tensor<1x8x4x16xf32>
  // query_states.transpose(1, 2)
  %81 = tensor.empty() : tensor<1x4x8x16xf32>
  %82 = linalg.transpose ins(%79 : tensor<1x8x4x16xf32>) outs(%81 : tensor<1x4x8x16xf32>) permutation = [0, 2, 1, 3]
  // k_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 2, 16)
  %83 = tensor.empty() : tensor<64x32xf32>
  %84 = linalg.transpose ins(%arg1 : tensor<32x64xf32>) outs(%83 : tensor<64x32xf32>) permutation = [1, 0]
  %85 = tensor.empty() : tensor<8x32xf32>
  %86 = linalg.fill ins(%cst : f32) outs(%85 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %87 = linalg.matmul ins(%59, %84 : tensor<8x64xf32>, tensor<64x32xf32>) outs(%86 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %88 = tensor.expand_shape %87 [[0, 1], [2, 3]] output_shape [1, 8, 2, 16] : tensor<8x32xf32> into tensor<1x8x2x16xf32>
  // k_norm: RMSNorm over the last dim (pow 2, mean = sum / 16, + eps, rsqrt, * weight)
  %89 = tensor.empty() : tensor<1x8x2x16xf32>
  %90 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%88 : tensor<1x8x2x16xf32>) outs(%89 : tensor<1x8x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %91 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %91 : f32
  } -> tensor<1x8x2x16xf32>
  %92 = tensor.empty() : tensor<1x8x2x1xf32>
  %93 = linalg.fill ins(%cst : f32) outs(%92 : tensor<1x8x2x1xf32>) -> tensor<1x8x2x1xf32>
  %94 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%90 : tensor<1x8x2x16xf32>) outs(%93 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %95 = arith.addf %in, %out : f32
    linalg.yield %95 : f32
  } -> tensor<1x8x2x1xf32>
  %96 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%94 : tensor<1x8x2x1xf32>) outs(%92 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %97 = arith.divf %in, %cst_3 : f32
    linalg.yield %97 : f32
  } -> tensor<1x8x2x1xf32>
  %98 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%96 : tensor<1x8x2x1xf32>) outs(%92 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %99 = arith.addf %in, %cst_2 : f32
    linalg.yield %99 : f32
  } -> tensor<1x8x2x1xf32>
  %100 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%98 : tensor<1x8x2x1xf32>) outs(%92 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %101 = math.rsqrt %in : f32
    linalg.yield %101 : f32
  } -> tensor<1x8x2x1xf32>
  %102 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%88, %100 : tensor<1x8x2x16xf32>, tensor<1x8x2x1xf32>) outs(%89 : tensor<1x8x2x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %103 = arith.mulf %in, %in_0 : f32
    linalg.yield %103 : f32
  } -> tensor<1x8x2x16xf32>
  %104 = linalg.generic {indexing_maps = [#map10, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg5, %102 : tensor<16xf32>, tensor<1x8x2x16xf32>) outs(%89 : tensor<1x8x2x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %105 = arith.mulf %in, %in_0 : f32
    linalg.yield %105 : f32
  } -> tensor<1x8x2x16xf32>
  // key_states.transpose(1, 2)
  %106 = tensor.empty() : tensor<1x2x8x16xf32>
  %107 = linalg.transpose ins(%104 : tensor<1x8x2x16xf32>) outs(%106 : tensor<1x2x8x16xf32>) permutation = [0, 2, 1, 3]
  // v_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 2, 16)
  %108 = linalg.transpose ins(%arg2 : tensor<32x64xf32>) outs(%83 : tensor<64x32xf32>) permutation = [1, 0]
  %109 = linalg.matmul ins(%59, %108 : tensor<8x64xf32>, tensor<64x32xf32>) outs(%86 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %110 = tensor.expand_shape %109 [[0, 1], [2, 3]] output_shape [1, 8, 2, 16] : tensor<8x32xf32> into tensor<1x8x2x16xf32>
  // value_states.transpose(1, 2)
  %111 = linalg.transpose ins(%110 : tensor<1x8x2x16xf32>) outs(%106 : tensor<1x2x8x16xf32>) permutation = [0, 2, 1, 3]
  // cos.unsqueeze(1), sin.unsqueeze(1)
  %112 = tensor.expand_shape %23 [[0, 1], [2], [3]] output_shape [1, 1, 8, 16] : tensor<1x8x16xf32> into tensor<1x1x8x16xf32>
  %113 = tensor.expand_shape %25 [[0, 1], [2], [3]] output_shape [1, 1, 8, 16] : tensor<1x8x16xf32> into tensor<1x1x8x16xf32>
  // apply_rotary_pos_emb, q: (q * cos) + (rotate_half(q) * sin)
  %114 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%82, %112 : tensor<1x4x8x16xf32>, tensor<1x1x8x16xf32>) outs(%81 : tensor<1x4x8x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %115 = arith.mulf %in, %in_0 : f32
    linalg.yield %115 : f32
  } -> tensor<1x4x8x16xf32>
  %116 = tensor.extract_slice %82[0, 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x4x8x16xf32> to tensor<1x4x8x8xf32>
  %117 = tensor.extract_slice %82[0, 0, 0, 8] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x4x8x16xf32> to tensor<1x4x8x8xf32>
  %118 = tensor.empty() : tensor<1x4x8x8xf32>
  %119 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%117 : tensor<1x4x8x8xf32>) outs(%118 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %120 = arith.negf %in : f32
    linalg.yield %120 : f32
  } -> tensor<1x4x8x8xf32>
  %121 = tensor.concat dim(3) %119, %116 : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x16xf32>
  %122 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%121, %113 : tensor<1x4x8x16xf32>, tensor<1x1x8x16xf32>) outs(%81 : tensor<1x4x8x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %123 = arith.mulf %in, %in_0 : f32
    linalg.yield %123 : f32
  } -> tensor<1x4x8x16xf32>
  %124 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%114, %122 : tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) outs(%81 : tensor<1x4x8x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %125 = arith.addf %in, %in_0 : f32
    linalg.yield %125 : f32
  } -> tensor<1x4x8x16xf32>
  // apply_rotary_pos_emb, k: (k * cos) + (rotate_half(k) * sin)
  %126 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%107, %112 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>) outs(%106 : tensor<1x2x8x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %127 = arith.mulf %in, %in_0 : f32
    linalg.yield %127 : f32
  } -> tensor<1x2x8x16xf32>
  %128 = tensor.extract_slice %107[0, 0, 0, 0] [1, 2, 8, 8] [1, 1, 1, 1] : tensor<1x2x8x16xf32> to tensor<1x2x8x8xf32>
  %129 = tensor.extract_slice %107[0, 0, 0, 8] [1, 2, 8, 8] [1, 1, 1, 1] : tensor<1x2x8x16xf32> to tensor<1x2x8x8xf32>
  %130 = tensor.empty() : tensor<1x2x8x8xf32>
  %131 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%129 : tensor<1x2x8x8xf32>) outs(%130 : tensor<1x2x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %132 = arith.negf %in : f32
    linalg.yield %132 : f32
  } -> tensor<1x2x8x8xf32>
  %133 = tensor.concat dim(3) %131, %128 : (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x16xf32>
  %134 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%133, %113 : tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>) outs(%106 : tensor<1x2x8x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %135 = arith.mulf %in, %in_0 : f32
    linalg.yield %135 : f32
  } -> tensor<1x2x8x16xf32>
  %136 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%126, %134 : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) outs(%106 : tensor<1x2x8x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %137 = arith.addf %in, %in_0 : f32
    linalg.yield %137 : f32
  } -> tensor<1x2x8x16xf32>
  // repeat_kv(key_states, 2): expand over a new dim, reshape
  %138 = tensor.empty() : tensor<1x2x2x8x16xf32>
  %139 = linalg.generic {indexing_maps = [#map12, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%136 : tensor<1x2x8x16xf32>) outs(%138 : tensor<1x2x2x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x8x16xf32>
  %140 = tensor.collapse_shape %139 [[0], [1, 2], [3], [4]] : tensor<1x2x2x8x16xf32> into tensor<1x4x8x16xf32>
  // repeat_kv(value_states, 2): expand over a new dim, reshape
  %141 = linalg.generic {indexing_maps = [#map12, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%111 : tensor<1x2x8x16xf32>) outs(%138 : tensor<1x2x2x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x8x16xf32>
  %142 = tensor.collapse_shape %141 [[0], [1, 2], [3], [4]] : tensor<1x2x2x8x16xf32> into tensor<1x4x8x16xf32>
  // attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
  %143 = tensor.empty() : tensor<1x4x16x8xf32>
  %144 = linalg.transpose ins(%140 : tensor<1x4x8x16xf32>) outs(%143 : tensor<1x4x16x8xf32>) permutation = [0, 1, 3, 2]
  %145 = tensor.collapse_shape %124 [[0, 1], [2], [3]] : tensor<1x4x8x16xf32> into tensor<4x8x16xf32>
  %146 = tensor.collapse_shape %144 [[0, 1], [2], [3]] : tensor<1x4x16x8xf32> into tensor<4x16x8xf32>
  %147 = tensor.empty() : tensor<4x8x8xf32>
  %148 = linalg.fill ins(%cst : f32) outs(%147 : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %149 = linalg.batch_matmul ins(%145, %146 : tensor<4x8x16xf32>, tensor<4x16x8xf32>) outs(%148 : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %150 = tensor.expand_shape %149 [[0, 1], [2], [3]] output_shape [1, 4, 8, 8] : tensor<4x8x8xf32> into tensor<1x4x8x8xf32>
  %151 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%150 : tensor<1x4x8x8xf32>) outs(%118 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %152 = arith.mulf %in, %cst_4 : f32
    linalg.yield %152 : f32
  } -> tensor<1x4x8x8xf32>
  // attn_weights = attn_weights + causal_mask
  %153 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%151, %38 : tensor<1x4x8x8xf32>, tensor<1x1x8x8xf32>) outs(%118 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %154 = arith.addf %in, %in_0 : f32
    linalg.yield %154 : f32
  } -> tensor<1x4x8x8xf32>
  // softmax(attn_weights, dim=-1): aten._softmax decomposed (max.dim, sub, exp, sum.dim_IntList, div)
  %155 = tensor.empty() : tensor<1x4x8xi64>
  %156 = linalg.fill ins(%c0_i64 : i64) outs(%155 : tensor<1x4x8xi64>) -> tensor<1x4x8xi64>
  %157 = tensor.empty() : tensor<1x4x8xf32>
  %158 = linalg.fill ins(%cst_5 : f32) outs(%157 : tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %159:2 = linalg.generic {indexing_maps = [#map1, #map14, #map14], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%153 : tensor<1x4x8x8xf32>) outs(%158, %156 : tensor<1x4x8xf32>, tensor<1x4x8xi64>) {
  ^bb0(%in: f32, %out: f32, %out_1: i64):
    %160 = linalg.index 3 : index
    %161 = arith.index_cast %160 : index to i64
    %162 = arith.maximumf %in, %out : f32
    %163 = arith.cmpf ogt, %in, %out : f32
    %164 = arith.select %163, %161, %out_1 : i64
    linalg.yield %162, %164 : f32, i64
  } -> (tensor<1x4x8xf32>, tensor<1x4x8xi64>)
  %165 = tensor.expand_shape %159#0 [[0], [1], [2, 3]] output_shape [1, 4, 8, 1] : tensor<1x4x8xf32> into tensor<1x4x8x1xf32>
  %166 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%153, %165 : tensor<1x4x8x8xf32>, tensor<1x4x8x1xf32>) outs(%118 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %167 = arith.subf %in, %in_0 : f32
    linalg.yield %167 : f32
  } -> tensor<1x4x8x8xf32>
  %168 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%166 : tensor<1x4x8x8xf32>) outs(%118 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %169 = math.exp %in : f32
    linalg.yield %169 : f32
  } -> tensor<1x4x8x8xf32>
  %170 = tensor.empty() : tensor<1x4x8x1xf32>
  %171 = linalg.fill ins(%cst : f32) outs(%170 : tensor<1x4x8x1xf32>) -> tensor<1x4x8x1xf32>
  %172 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%168 : tensor<1x4x8x8xf32>) outs(%171 : tensor<1x4x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %173 = arith.addf %in, %out : f32
    linalg.yield %173 : f32
  } -> tensor<1x4x8x1xf32>
  %174 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%168, %172 : tensor<1x4x8x8xf32>, tensor<1x4x8x1xf32>) outs(%118 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %175 = arith.divf %in, %in_0 : f32
    linalg.yield %175 : f32
  } -> tensor<1x4x8x8xf32>
  // attn_output = torch.matmul(attn_weights, value_states).transpose(1, 2)
  %176 = tensor.collapse_shape %174 [[0, 1], [2], [3]] : tensor<1x4x8x8xf32> into tensor<4x8x8xf32>
  %177 = tensor.collapse_shape %142 [[0, 1], [2], [3]] : tensor<1x4x8x16xf32> into tensor<4x8x16xf32>
  %178 = tensor.empty() : tensor<4x8x16xf32>
  %179 = linalg.fill ins(%cst : f32) outs(%178 : tensor<4x8x16xf32>) -> tensor<4x8x16xf32>
  %180 = linalg.batch_matmul ins(%176, %177 : tensor<4x8x8xf32>, tensor<4x8x16xf32>) outs(%179 : tensor<4x8x16xf32>) -> tensor<4x8x16xf32>
  %181 = tensor.expand_shape %180 [[0, 1], [2], [3]] output_shape [1, 4, 8, 16] : tensor<4x8x16xf32> into tensor<1x4x8x16xf32>
  %182 = linalg.transpose ins(%181 : tensor<1x4x8x16xf32>) outs(%64 : tensor<1x8x4x16xf32>) permutation = [0, 2, 1, 3]
  // attn_output.reshape(*input_shape, -1)
  %183 = tensor.collapse_shape %182 [[0], [1], [2, 3]] : tensor<1x8x4x16xf32> into tensor<1x8x64xf32>
  // o_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 64)
  %184 = linalg.transpose ins(%arg3 : tensor<64x64xf32>) outs(%57 : tensor<64x64xf32>) permutation = [1, 0]
  %185 = tensor.collapse_shape %183 [[0, 1], [2]] : tensor<1x8x64xf32> into tensor<8x64xf32>
  %186 = linalg.matmul ins(%185, %184 : tensor<8x64xf32>, tensor<64x64xf32>) outs(%61 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %187 = tensor.expand_shape %186 [[0, 1], [2]] output_shape [1, 8, 64] : tensor<8x64xf32> into tensor<1x8x64xf32>
  // hidden_states = residual + hidden_states
  %188 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11, %187 : tensor<1x8x64xf32>, tensor<1x8x64xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %189 = arith.addf %in, %in_0 : f32
    linalg.yield %189 : f32
  } -> tensor<1x8x64xf32>
  // post_attention_layernorm: RMSNorm over the last dim (pow 2, mean = sum / 64, + eps, rsqrt, * weight)
  %190 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%188 : tensor<1x8x64xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %191 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %191 : f32
  } -> tensor<1x8x64xf32>
  %192 = linalg.generic {indexing_maps = [#map2, #map7], iterator_types = ["parallel", "parallel", "reduction"]} ins(%190 : tensor<1x8x64xf32>) outs(%44 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %193 = arith.addf %in, %out : f32
    linalg.yield %193 : f32
  } -> tensor<1x8x1xf32>
  %194 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%192 : tensor<1x8x1xf32>) outs(%43 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %195 = arith.divf %in, %cst_1 : f32
    linalg.yield %195 : f32
  } -> tensor<1x8x1xf32>
  %196 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%194 : tensor<1x8x1xf32>) outs(%43 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %197 = arith.addf %in, %cst_2 : f32
    linalg.yield %197 : f32
  } -> tensor<1x8x1xf32>
  %198 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%196 : tensor<1x8x1xf32>) outs(%43 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %199 = math.rsqrt %in : f32
    linalg.yield %199 : f32
  } -> tensor<1x8x1xf32>
  %200 = linalg.generic {indexing_maps = [#map2, #map7, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%188, %198 : tensor<1x8x64xf32>, tensor<1x8x1xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %201 = arith.mulf %in, %in_0 : f32
    linalg.yield %201 : f32
  } -> tensor<1x8x64xf32>
  %202 = linalg.generic {indexing_maps = [#map8, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg10, %200 : tensor<64xf32>, tensor<1x8x64xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %203 = arith.mulf %in, %in_0 : f32
    linalg.yield %203 : f32
  } -> tensor<1x8x64xf32>
  // mlp.gate_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 128)
  %204 = tensor.empty() : tensor<64x128xf32>
  %205 = linalg.transpose ins(%arg6 : tensor<128x64xf32>) outs(%204 : tensor<64x128xf32>) permutation = [1, 0]
  %206 = tensor.collapse_shape %202 [[0, 1], [2]] : tensor<1x8x64xf32> into tensor<8x64xf32>
  %207 = tensor.empty() : tensor<8x128xf32>
  %208 = linalg.fill ins(%cst : f32) outs(%207 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %209 = linalg.matmul ins(%206, %205 : tensor<8x64xf32>, tensor<64x128xf32>) outs(%208 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %210 = tensor.expand_shape %209 [[0, 1], [2]] output_shape [1, 8, 128] : tensor<8x128xf32> into tensor<1x8x128xf32>
  // act_fn = SiLU: sigmoid(x) * x
  %211 = tensor.empty() : tensor<1x8x128xf32>
  %212 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%210 : tensor<1x8x128xf32>) outs(%211 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %213 = arith.negf %in : f32
    %214 = math.exp %213 : f32
    %215 = arith.addf %214, %cst_6 : f32
    %216 = arith.divf %cst_6, %215 : f32
    linalg.yield %216 : f32
  } -> tensor<1x8x128xf32>
  %217 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%212, %210 : tensor<1x8x128xf32>, tensor<1x8x128xf32>) outs(%211 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %218 = arith.mulf %in, %in_0 : f32
    linalg.yield %218 : f32
  } -> tensor<1x8x128xf32>
  // mlp.up_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 128)
  %219 = linalg.transpose ins(%arg7 : tensor<128x64xf32>) outs(%204 : tensor<64x128xf32>) permutation = [1, 0]
  %220 = linalg.matmul ins(%206, %219 : tensor<8x64xf32>, tensor<64x128xf32>) outs(%208 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %221 = tensor.expand_shape %220 [[0, 1], [2]] output_shape [1, 8, 128] : tensor<8x128xf32> into tensor<1x8x128xf32>
  // act_fn(gate_proj(x)) * up_proj(x)
  %222 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%217, %221 : tensor<1x8x128xf32>, tensor<1x8x128xf32>) outs(%211 : tensor<1x8x128xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %223 = arith.mulf %in, %in_0 : f32
    linalg.yield %223 : f32
  } -> tensor<1x8x128xf32>
  // mlp.down_proj: aten.mm(x.view(-1, 128), weight.t()).view(1, 8, 64)
  %224 = tensor.empty() : tensor<128x64xf32>
  %225 = linalg.transpose ins(%arg8 : tensor<64x128xf32>) outs(%224 : tensor<128x64xf32>) permutation = [1, 0]
  %226 = tensor.collapse_shape %222 [[0, 1], [2]] : tensor<1x8x128xf32> into tensor<8x128xf32>
  %227 = linalg.matmul ins(%226, %225 : tensor<8x128xf32>, tensor<128x64xf32>) outs(%61 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %228 = tensor.expand_shape %227 [[0, 1], [2]] output_shape [1, 8, 64] : tensor<8x64xf32> into tensor<1x8x64xf32>
  // hidden_states = residual + hidden_states
  %229 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%188, %228 : tensor<1x8x64xf32>, tensor<1x8x64xf32>) outs(%40 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %230 = arith.addf %in, %in_0 : f32
    linalg.yield %230 : f32
  } -> tensor<1x8x64xf32>
  return %229 : tensor<1x8x64xf32>
}
