// RUN: %python %rope_src/test/e2e/model_check.py %s | FileCheck %s
// CHECK: PASS
//
// MODEL: Qwen3-VL text decoder layer (interleaved MRoPE), bf16, prefill B=1 S=8
// FUNC: @qwen3vl_text_decoder_layer
// ARGS: q_proj k_proj v_proj o_proj q_norm k_norm gate_proj up_proj down_proj input_layernorm post_attention_layernorm hidden pos
// RESULTS: out
// CONFIG: arch=qwen3vl hidden=64 heads=4 kv_heads=2 head_dim=16 intermediate=128 eps=1e-06 theta=5000000 mrope=interleaved:4,2,2 pos_max=2048
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
func.func @qwen3vl_text_decoder_layer(%arg0: tensor<64x64xbf16>, %arg1: tensor<32x64xbf16>, %arg2: tensor<32x64xbf16>, %arg3: tensor<64x64xbf16>, %arg4: tensor<16xbf16>, %arg5: tensor<16xbf16>, %arg6: tensor<128x64xbf16>, %arg7: tensor<128x64xbf16>, %arg8: tensor<64x128xbf16>, %arg9: tensor<64xbf16>, %arg10: tensor<64xbf16>, %arg11: tensor<1x8x64xbf16>, %arg12: tensor<3x1x8xi64>) -> tensor<1x8x64xbf16> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 0.000000e+00 : bf16
  %cst_1 = arith.constant 0xFF7F : bf16
  %c2_i64 = arith.constant 2 : i64
  %cst_2 = arith.constant 6.400000e+01 : f32
  %cst_3 = arith.constant 1.000000e-06 : f32
  %cst_4 = arith.constant 1.600000e+01 : f32
  %cst_5 = arith.constant 2.500000e-01 : bf16
  %c0_i64 = arith.constant 0 : i64
  %cst_6 = arith.constant 0xFF800000 : f32
  %cst_7 = arith.constant 1.000000e+00 : bf16
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
  %25 = tensor.empty() : tensor<1x8x16xbf16>
  %26 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%23 : tensor<1x8x16xf32>) outs(%25 : tensor<1x8x16xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %27 = arith.truncf %in : f32 to bf16
    linalg.yield %27 : bf16
  } -> tensor<1x8x16xbf16>
  %28 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%21 : tensor<1x8x16xf32>) outs(%22 : tensor<1x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %29 = math.sin %in : f32
    linalg.yield %29 : f32
  } -> tensor<1x8x16xf32>
  %30 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%28 : tensor<1x8x16xf32>) outs(%25 : tensor<1x8x16xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %31 = arith.truncf %in : f32 to bf16
    linalg.yield %31 : bf16
  } -> tensor<1x8x16xbf16>
  // causal mask: arange(S) <= arange(S)[:, None], where(mask, 0, finfo.min)
  %32 = tensor.empty() : tensor<8xi64>
  %33 = linalg.generic {indexing_maps = [#map3], iterator_types = ["parallel"]} outs(%32 : tensor<8xi64>) {
  ^bb0(%out: i64):
    %34 = linalg.index 0 : index
    %35 = arith.index_cast %34 : index to i64
    linalg.yield %35 : i64
  } -> tensor<8xi64>
  %36 = tensor.expand_shape %33 [[0, 1]] output_shape [1, 8] : tensor<8xi64> into tensor<1x8xi64>
  %37 = tensor.expand_shape %33 [[0, 1]] output_shape [8, 1] : tensor<8xi64> into tensor<8x1xi64>
  %38 = tensor.empty() : tensor<8x8xi1>
  %39 = linalg.generic {indexing_maps = [#map4, #map5, #map6], iterator_types = ["parallel", "parallel"]} ins(%36, %37 : tensor<1x8xi64>, tensor<8x1xi64>) outs(%38 : tensor<8x8xi1>) {
  ^bb0(%in: i64, %in_0: i64, %out: i1):
    %40 = arith.cmpi sle, %in, %in_0 : i64
    linalg.yield %40 : i1
  } -> tensor<8x8xi1>
  %41 = tensor.expand_shape %39 [[0, 1, 2], [3]] output_shape [1, 1, 8, 8] : tensor<8x8xi1> into tensor<1x1x8x8xi1>
  %42 = tensor.empty() : tensor<1x1x8x8xbf16>
  %43 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%41 : tensor<1x1x8x8xi1>) outs(%42 : tensor<1x1x8x8xbf16>) {
  ^bb0(%in: i1, %out: bf16):
    %44 = arith.select %in, %cst_0, %cst_1 : bf16
    linalg.yield %44 : bf16
  } -> tensor<1x1x8x8xbf16>
  // Decoder layer: residual = hidden_states; input_layernorm
  // input_layernorm: RMSNorm over the last dim (pow 2, mean = sum / 64, + eps, rsqrt, * weight)
  %45 = tensor.empty() : tensor<1x8x64xf32>
  %46 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11 : tensor<1x8x64xbf16>) outs(%45 : tensor<1x8x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %47 = arith.extf %in : bf16 to f32
    linalg.yield %47 : f32
  } -> tensor<1x8x64xf32>
  %48 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%46 : tensor<1x8x64xf32>) outs(%45 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %49 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %49 : f32
  } -> tensor<1x8x64xf32>
  %50 = tensor.empty() : tensor<1x8x1xf32>
  %51 = linalg.fill ins(%cst : f32) outs(%50 : tensor<1x8x1xf32>) -> tensor<1x8x1xf32>
  %52 = linalg.generic {indexing_maps = [#map2, #map7], iterator_types = ["parallel", "parallel", "reduction"]} ins(%48 : tensor<1x8x64xf32>) outs(%51 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %53 = arith.addf %in, %out : f32
    linalg.yield %53 : f32
  } -> tensor<1x8x1xf32>
  %54 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%52 : tensor<1x8x1xf32>) outs(%50 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %55 = arith.divf %in, %cst_2 : f32
    linalg.yield %55 : f32
  } -> tensor<1x8x1xf32>
  %56 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%54 : tensor<1x8x1xf32>) outs(%50 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %57 = arith.addf %in, %cst_3 : f32
    linalg.yield %57 : f32
  } -> tensor<1x8x1xf32>
  %58 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%56 : tensor<1x8x1xf32>) outs(%50 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %59 = math.rsqrt %in : f32
    linalg.yield %59 : f32
  } -> tensor<1x8x1xf32>
  %60 = linalg.generic {indexing_maps = [#map2, #map7, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%46, %58 : tensor<1x8x64xf32>, tensor<1x8x1xf32>) outs(%45 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %61 = arith.mulf %in, %in_0 : f32
    linalg.yield %61 : f32
  } -> tensor<1x8x64xf32>
  %62 = tensor.empty() : tensor<1x8x64xbf16>
  %63 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%60 : tensor<1x8x64xf32>) outs(%62 : tensor<1x8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %64 = arith.truncf %in : f32 to bf16
    linalg.yield %64 : bf16
  } -> tensor<1x8x64xbf16>
  %65 = linalg.generic {indexing_maps = [#map8, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9, %63 : tensor<64xbf16>, tensor<1x8x64xbf16>) outs(%62 : tensor<1x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %66 = arith.mulf %in, %in_0 : bf16
    linalg.yield %66 : bf16
  } -> tensor<1x8x64xbf16>
  // q_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 4, 16)
  %67 = tensor.empty() : tensor<64x64xbf16>
  %68 = linalg.transpose ins(%arg0 : tensor<64x64xbf16>) outs(%67 : tensor<64x64xbf16>) permutation = [1, 0]
  %69 = tensor.collapse_shape %65 [[0, 1], [2]] : tensor<1x8x64xbf16> into tensor<8x64xbf16>
  %70 = tensor.empty() : tensor<8x64xf32>
  %71 = linalg.fill ins(%cst : f32) outs(%70 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %72 = linalg.matmul ins(%69, %68 : tensor<8x64xbf16>, tensor<64x64xbf16>) outs(%71 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %73 = tensor.empty() : tensor<8x64xbf16>
  %74 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%72 : tensor<8x64xf32>) outs(%73 : tensor<8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %75 = arith.truncf %in : f32 to bf16
    linalg.yield %75 : bf16
  } -> tensor<8x64xbf16>
  %76 = tensor.expand_shape %74 [[0, 1], [2, 3]] output_shape [1, 8, 4, 16] : tensor<8x64xbf16> into tensor<1x8x4x16xbf16>
  // q_norm: RMSNorm over the last dim (pow 2, mean = sum / 16, + eps, rsqrt, * weight)
  %77 = tensor.empty() : tensor<1x8x4x16xf32>
  %78 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%76 : tensor<1x8x4x16xbf16>) outs(%77 : tensor<1x8x4x16xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %79 = arith.extf %in : bf16 to f32
    linalg.yield %79 : f32
  } -> tensor<1x8x4x16xf32>
  %80 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%78 : tensor<1x8x4x16xf32>) outs(%77 : tensor<1x8x4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %81 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %81 : f32
  } -> tensor<1x8x4x16xf32>
  %82 = tensor.empty() : tensor<1x8x4x1xf32>
  %83 = linalg.fill ins(%cst : f32) outs(%82 : tensor<1x8x4x1xf32>) -> tensor<1x8x4x1xf32>
  %84 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%80 : tensor<1x8x4x16xf32>) outs(%83 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %85 = arith.addf %in, %out : f32
    linalg.yield %85 : f32
  } -> tensor<1x8x4x1xf32>
  %86 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%84 : tensor<1x8x4x1xf32>) outs(%82 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %87 = arith.divf %in, %cst_4 : f32
    linalg.yield %87 : f32
  } -> tensor<1x8x4x1xf32>
  %88 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%86 : tensor<1x8x4x1xf32>) outs(%82 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %89 = arith.addf %in, %cst_3 : f32
    linalg.yield %89 : f32
  } -> tensor<1x8x4x1xf32>
  %90 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%88 : tensor<1x8x4x1xf32>) outs(%82 : tensor<1x8x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %91 = math.rsqrt %in : f32
    linalg.yield %91 : f32
  } -> tensor<1x8x4x1xf32>
  %92 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%78, %90 : tensor<1x8x4x16xf32>, tensor<1x8x4x1xf32>) outs(%77 : tensor<1x8x4x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %93 = arith.mulf %in, %in_0 : f32
    linalg.yield %93 : f32
  } -> tensor<1x8x4x16xf32>
  %94 = tensor.empty() : tensor<1x8x4x16xbf16>
  %95 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%92 : tensor<1x8x4x16xf32>) outs(%94 : tensor<1x8x4x16xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %96 = arith.truncf %in : f32 to bf16
    linalg.yield %96 : bf16
  } -> tensor<1x8x4x16xbf16>
  %97 = linalg.generic {indexing_maps = [#map10, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg4, %95 : tensor<16xbf16>, tensor<1x8x4x16xbf16>) outs(%94 : tensor<1x8x4x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %98 = arith.mulf %in, %in_0 : bf16
    linalg.yield %98 : bf16
  } -> tensor<1x8x4x16xbf16>
  // query_states.transpose(1, 2)
  %99 = tensor.empty() : tensor<1x4x8x16xbf16>
  %100 = linalg.transpose ins(%97 : tensor<1x8x4x16xbf16>) outs(%99 : tensor<1x4x8x16xbf16>) permutation = [0, 2, 1, 3]
  // k_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 2, 16)
  %101 = tensor.empty() : tensor<64x32xbf16>
  %102 = linalg.transpose ins(%arg1 : tensor<32x64xbf16>) outs(%101 : tensor<64x32xbf16>) permutation = [1, 0]
  %103 = tensor.empty() : tensor<8x32xf32>
  %104 = linalg.fill ins(%cst : f32) outs(%103 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %105 = linalg.matmul ins(%69, %102 : tensor<8x64xbf16>, tensor<64x32xbf16>) outs(%104 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %106 = tensor.empty() : tensor<8x32xbf16>
  %107 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%105 : tensor<8x32xf32>) outs(%106 : tensor<8x32xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %108 = arith.truncf %in : f32 to bf16
    linalg.yield %108 : bf16
  } -> tensor<8x32xbf16>
  %109 = tensor.expand_shape %107 [[0, 1], [2, 3]] output_shape [1, 8, 2, 16] : tensor<8x32xbf16> into tensor<1x8x2x16xbf16>
  // k_norm: RMSNorm over the last dim (pow 2, mean = sum / 16, + eps, rsqrt, * weight)
  %110 = tensor.empty() : tensor<1x8x2x16xf32>
  %111 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%109 : tensor<1x8x2x16xbf16>) outs(%110 : tensor<1x8x2x16xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %112 = arith.extf %in : bf16 to f32
    linalg.yield %112 : f32
  } -> tensor<1x8x2x16xf32>
  %113 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%111 : tensor<1x8x2x16xf32>) outs(%110 : tensor<1x8x2x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %114 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %114 : f32
  } -> tensor<1x8x2x16xf32>
  %115 = tensor.empty() : tensor<1x8x2x1xf32>
  %116 = linalg.fill ins(%cst : f32) outs(%115 : tensor<1x8x2x1xf32>) -> tensor<1x8x2x1xf32>
  %117 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%113 : tensor<1x8x2x16xf32>) outs(%116 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %118 = arith.addf %in, %out : f32
    linalg.yield %118 : f32
  } -> tensor<1x8x2x1xf32>
  %119 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%117 : tensor<1x8x2x1xf32>) outs(%115 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %120 = arith.divf %in, %cst_4 : f32
    linalg.yield %120 : f32
  } -> tensor<1x8x2x1xf32>
  %121 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%119 : tensor<1x8x2x1xf32>) outs(%115 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %122 = arith.addf %in, %cst_3 : f32
    linalg.yield %122 : f32
  } -> tensor<1x8x2x1xf32>
  %123 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%121 : tensor<1x8x2x1xf32>) outs(%115 : tensor<1x8x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %124 = math.rsqrt %in : f32
    linalg.yield %124 : f32
  } -> tensor<1x8x2x1xf32>
  %125 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%111, %123 : tensor<1x8x2x16xf32>, tensor<1x8x2x1xf32>) outs(%110 : tensor<1x8x2x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %126 = arith.mulf %in, %in_0 : f32
    linalg.yield %126 : f32
  } -> tensor<1x8x2x16xf32>
  %127 = tensor.empty() : tensor<1x8x2x16xbf16>
  %128 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%125 : tensor<1x8x2x16xf32>) outs(%127 : tensor<1x8x2x16xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %129 = arith.truncf %in : f32 to bf16
    linalg.yield %129 : bf16
  } -> tensor<1x8x2x16xbf16>
  %130 = linalg.generic {indexing_maps = [#map10, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg5, %128 : tensor<16xbf16>, tensor<1x8x2x16xbf16>) outs(%127 : tensor<1x8x2x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %131 = arith.mulf %in, %in_0 : bf16
    linalg.yield %131 : bf16
  } -> tensor<1x8x2x16xbf16>
  // key_states.transpose(1, 2)
  %132 = tensor.empty() : tensor<1x2x8x16xbf16>
  %133 = linalg.transpose ins(%130 : tensor<1x8x2x16xbf16>) outs(%132 : tensor<1x2x8x16xbf16>) permutation = [0, 2, 1, 3]
  // v_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 2, 16)
  %134 = linalg.transpose ins(%arg2 : tensor<32x64xbf16>) outs(%101 : tensor<64x32xbf16>) permutation = [1, 0]
  %135 = linalg.matmul ins(%69, %134 : tensor<8x64xbf16>, tensor<64x32xbf16>) outs(%104 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %136 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%135 : tensor<8x32xf32>) outs(%106 : tensor<8x32xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %137 = arith.truncf %in : f32 to bf16
    linalg.yield %137 : bf16
  } -> tensor<8x32xbf16>
  %138 = tensor.expand_shape %136 [[0, 1], [2, 3]] output_shape [1, 8, 2, 16] : tensor<8x32xbf16> into tensor<1x8x2x16xbf16>
  // value_states.transpose(1, 2)
  %139 = linalg.transpose ins(%138 : tensor<1x8x2x16xbf16>) outs(%132 : tensor<1x2x8x16xbf16>) permutation = [0, 2, 1, 3]
  // cos.unsqueeze(1), sin.unsqueeze(1)
  %140 = tensor.expand_shape %26 [[0, 1], [2], [3]] output_shape [1, 1, 8, 16] : tensor<1x8x16xbf16> into tensor<1x1x8x16xbf16>
  %141 = tensor.expand_shape %30 [[0, 1], [2], [3]] output_shape [1, 1, 8, 16] : tensor<1x8x16xbf16> into tensor<1x1x8x16xbf16>
  // apply_rotary_pos_emb, q: (q * cos) + (rotate_half(q) * sin)
  %142 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%100, %140 : tensor<1x4x8x16xbf16>, tensor<1x1x8x16xbf16>) outs(%99 : tensor<1x4x8x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %143 = arith.mulf %in, %in_0 : bf16
    linalg.yield %143 : bf16
  } -> tensor<1x4x8x16xbf16>
  %144 = tensor.extract_slice %100[0, 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x4x8x16xbf16> to tensor<1x4x8x8xbf16>
  %145 = tensor.extract_slice %100[0, 0, 0, 8] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x4x8x16xbf16> to tensor<1x4x8x8xbf16>
  %146 = tensor.empty() : tensor<1x4x8x8xbf16>
  %147 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%145 : tensor<1x4x8x8xbf16>) outs(%146 : tensor<1x4x8x8xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %148 = arith.negf %in : bf16
    linalg.yield %148 : bf16
  } -> tensor<1x4x8x8xbf16>
  %149 = tensor.concat dim(3) %147, %144 : (tensor<1x4x8x8xbf16>, tensor<1x4x8x8xbf16>) -> tensor<1x4x8x16xbf16>
  %150 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%149, %141 : tensor<1x4x8x16xbf16>, tensor<1x1x8x16xbf16>) outs(%99 : tensor<1x4x8x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %151 = arith.mulf %in, %in_0 : bf16
    linalg.yield %151 : bf16
  } -> tensor<1x4x8x16xbf16>
  %152 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%142, %150 : tensor<1x4x8x16xbf16>, tensor<1x4x8x16xbf16>) outs(%99 : tensor<1x4x8x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %153 = arith.addf %in, %in_0 : bf16
    linalg.yield %153 : bf16
  } -> tensor<1x4x8x16xbf16>
  // apply_rotary_pos_emb, k: (k * cos) + (rotate_half(k) * sin)
  %154 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%133, %140 : tensor<1x2x8x16xbf16>, tensor<1x1x8x16xbf16>) outs(%132 : tensor<1x2x8x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %155 = arith.mulf %in, %in_0 : bf16
    linalg.yield %155 : bf16
  } -> tensor<1x2x8x16xbf16>
  %156 = tensor.extract_slice %133[0, 0, 0, 0] [1, 2, 8, 8] [1, 1, 1, 1] : tensor<1x2x8x16xbf16> to tensor<1x2x8x8xbf16>
  %157 = tensor.extract_slice %133[0, 0, 0, 8] [1, 2, 8, 8] [1, 1, 1, 1] : tensor<1x2x8x16xbf16> to tensor<1x2x8x8xbf16>
  %158 = tensor.empty() : tensor<1x2x8x8xbf16>
  %159 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%157 : tensor<1x2x8x8xbf16>) outs(%158 : tensor<1x2x8x8xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %160 = arith.negf %in : bf16
    linalg.yield %160 : bf16
  } -> tensor<1x2x8x8xbf16>
  %161 = tensor.concat dim(3) %159, %156 : (tensor<1x2x8x8xbf16>, tensor<1x2x8x8xbf16>) -> tensor<1x2x8x16xbf16>
  %162 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%161, %141 : tensor<1x2x8x16xbf16>, tensor<1x1x8x16xbf16>) outs(%132 : tensor<1x2x8x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %163 = arith.mulf %in, %in_0 : bf16
    linalg.yield %163 : bf16
  } -> tensor<1x2x8x16xbf16>
  %164 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%154, %162 : tensor<1x2x8x16xbf16>, tensor<1x2x8x16xbf16>) outs(%132 : tensor<1x2x8x16xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %165 = arith.addf %in, %in_0 : bf16
    linalg.yield %165 : bf16
  } -> tensor<1x2x8x16xbf16>
  // repeat_kv(key_states, 2): expand over a new dim, reshape
  %166 = tensor.empty() : tensor<1x2x2x8x16xbf16>
  %167 = linalg.generic {indexing_maps = [#map12, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%164 : tensor<1x2x8x16xbf16>) outs(%166 : tensor<1x2x2x8x16xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    linalg.yield %in : bf16
  } -> tensor<1x2x2x8x16xbf16>
  %168 = tensor.collapse_shape %167 [[0], [1, 2], [3], [4]] : tensor<1x2x2x8x16xbf16> into tensor<1x4x8x16xbf16>
  // repeat_kv(value_states, 2): expand over a new dim, reshape
  %169 = linalg.generic {indexing_maps = [#map12, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%139 : tensor<1x2x8x16xbf16>) outs(%166 : tensor<1x2x2x8x16xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    linalg.yield %in : bf16
  } -> tensor<1x2x2x8x16xbf16>
  %170 = tensor.collapse_shape %169 [[0], [1, 2], [3], [4]] : tensor<1x2x2x8x16xbf16> into tensor<1x4x8x16xbf16>
  // attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
  %171 = tensor.empty() : tensor<1x4x16x8xbf16>
  %172 = linalg.transpose ins(%168 : tensor<1x4x8x16xbf16>) outs(%171 : tensor<1x4x16x8xbf16>) permutation = [0, 1, 3, 2]
  %173 = tensor.collapse_shape %152 [[0, 1], [2], [3]] : tensor<1x4x8x16xbf16> into tensor<4x8x16xbf16>
  %174 = tensor.collapse_shape %172 [[0, 1], [2], [3]] : tensor<1x4x16x8xbf16> into tensor<4x16x8xbf16>
  %175 = tensor.empty() : tensor<4x8x8xf32>
  %176 = linalg.fill ins(%cst : f32) outs(%175 : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %177 = linalg.batch_matmul ins(%173, %174 : tensor<4x8x16xbf16>, tensor<4x16x8xbf16>) outs(%176 : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %178 = tensor.empty() : tensor<4x8x8xbf16>
  %179 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%177 : tensor<4x8x8xf32>) outs(%178 : tensor<4x8x8xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %180 = arith.truncf %in : f32 to bf16
    linalg.yield %180 : bf16
  } -> tensor<4x8x8xbf16>
  %181 = tensor.expand_shape %179 [[0, 1], [2], [3]] output_shape [1, 4, 8, 8] : tensor<4x8x8xbf16> into tensor<1x4x8x8xbf16>
  %182 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%181 : tensor<1x4x8x8xbf16>) outs(%146 : tensor<1x4x8x8xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %183 = arith.mulf %in, %cst_5 : bf16
    linalg.yield %183 : bf16
  } -> tensor<1x4x8x8xbf16>
  // attn_weights = attn_weights + causal_mask
  %184 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%182, %43 : tensor<1x4x8x8xbf16>, tensor<1x1x8x8xbf16>) outs(%146 : tensor<1x4x8x8xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %185 = arith.addf %in, %in_0 : bf16
    linalg.yield %185 : bf16
  } -> tensor<1x4x8x8xbf16>
  // softmax(..., dtype=torch.float32): the scores upcast first
  %186 = tensor.empty() : tensor<1x4x8x8xf32>
  %187 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%184 : tensor<1x4x8x8xbf16>) outs(%186 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %188 = arith.extf %in : bf16 to f32
    linalg.yield %188 : f32
  } -> tensor<1x4x8x8xf32>
  // softmax(attn_weights, dim=-1): aten._softmax decomposed (max.dim, sub, exp, sum.dim_IntList, div)
  %189 = tensor.empty() : tensor<1x4x8xi64>
  %190 = linalg.fill ins(%c0_i64 : i64) outs(%189 : tensor<1x4x8xi64>) -> tensor<1x4x8xi64>
  %191 = tensor.empty() : tensor<1x4x8xf32>
  %192 = linalg.fill ins(%cst_6 : f32) outs(%191 : tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %193:2 = linalg.generic {indexing_maps = [#map1, #map14, #map14], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%187 : tensor<1x4x8x8xf32>) outs(%192, %190 : tensor<1x4x8xf32>, tensor<1x4x8xi64>) {
  ^bb0(%in: f32, %out: f32, %out_1: i64):
    %194 = linalg.index 3 : index
    %195 = arith.index_cast %194 : index to i64
    %196 = arith.maximumf %in, %out : f32
    %197 = arith.cmpf ogt, %in, %out : f32
    %198 = arith.select %197, %195, %out_1 : i64
    linalg.yield %196, %198 : f32, i64
  } -> (tensor<1x4x8xf32>, tensor<1x4x8xi64>)
  %199 = tensor.expand_shape %193#0 [[0], [1], [2, 3]] output_shape [1, 4, 8, 1] : tensor<1x4x8xf32> into tensor<1x4x8x1xf32>
  %200 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%187, %199 : tensor<1x4x8x8xf32>, tensor<1x4x8x1xf32>) outs(%186 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %201 = arith.subf %in, %in_0 : f32
    linalg.yield %201 : f32
  } -> tensor<1x4x8x8xf32>
  %202 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%200 : tensor<1x4x8x8xf32>) outs(%186 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %203 = math.exp %in : f32
    linalg.yield %203 : f32
  } -> tensor<1x4x8x8xf32>
  %204 = tensor.empty() : tensor<1x4x8x1xf32>
  %205 = linalg.fill ins(%cst : f32) outs(%204 : tensor<1x4x8x1xf32>) -> tensor<1x4x8x1xf32>
  %206 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%202 : tensor<1x4x8x8xf32>) outs(%205 : tensor<1x4x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %207 = arith.addf %in, %out : f32
    linalg.yield %207 : f32
  } -> tensor<1x4x8x1xf32>
  %208 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%202, %206 : tensor<1x4x8x8xf32>, tensor<1x4x8x1xf32>) outs(%186 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %209 = arith.divf %in, %in_0 : f32
    linalg.yield %209 : f32
  } -> tensor<1x4x8x8xf32>
  // .to(query.dtype)
  %210 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%208 : tensor<1x4x8x8xf32>) outs(%146 : tensor<1x4x8x8xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %211 = arith.truncf %in : f32 to bf16
    linalg.yield %211 : bf16
  } -> tensor<1x4x8x8xbf16>
  // attn_output = torch.matmul(attn_weights, value_states).transpose(1, 2)
  %212 = tensor.collapse_shape %210 [[0, 1], [2], [3]] : tensor<1x4x8x8xbf16> into tensor<4x8x8xbf16>
  %213 = tensor.collapse_shape %170 [[0, 1], [2], [3]] : tensor<1x4x8x16xbf16> into tensor<4x8x16xbf16>
  %214 = tensor.empty() : tensor<4x8x16xf32>
  %215 = linalg.fill ins(%cst : f32) outs(%214 : tensor<4x8x16xf32>) -> tensor<4x8x16xf32>
  %216 = linalg.batch_matmul ins(%212, %213 : tensor<4x8x8xbf16>, tensor<4x8x16xbf16>) outs(%215 : tensor<4x8x16xf32>) -> tensor<4x8x16xf32>
  %217 = tensor.empty() : tensor<4x8x16xbf16>
  %218 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%216 : tensor<4x8x16xf32>) outs(%217 : tensor<4x8x16xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %219 = arith.truncf %in : f32 to bf16
    linalg.yield %219 : bf16
  } -> tensor<4x8x16xbf16>
  %220 = tensor.expand_shape %218 [[0, 1], [2], [3]] output_shape [1, 4, 8, 16] : tensor<4x8x16xbf16> into tensor<1x4x8x16xbf16>
  %221 = linalg.transpose ins(%220 : tensor<1x4x8x16xbf16>) outs(%94 : tensor<1x8x4x16xbf16>) permutation = [0, 2, 1, 3]
  // attn_output.reshape(*input_shape, -1)
  %222 = tensor.collapse_shape %221 [[0], [1], [2, 3]] : tensor<1x8x4x16xbf16> into tensor<1x8x64xbf16>
  // o_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 64)
  %223 = linalg.transpose ins(%arg3 : tensor<64x64xbf16>) outs(%67 : tensor<64x64xbf16>) permutation = [1, 0]
  %224 = tensor.collapse_shape %222 [[0, 1], [2]] : tensor<1x8x64xbf16> into tensor<8x64xbf16>
  %225 = linalg.matmul ins(%224, %223 : tensor<8x64xbf16>, tensor<64x64xbf16>) outs(%71 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %226 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%225 : tensor<8x64xf32>) outs(%73 : tensor<8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %227 = arith.truncf %in : f32 to bf16
    linalg.yield %227 : bf16
  } -> tensor<8x64xbf16>
  %228 = tensor.expand_shape %226 [[0, 1], [2]] output_shape [1, 8, 64] : tensor<8x64xbf16> into tensor<1x8x64xbf16>
  // hidden_states = residual + hidden_states
  %229 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11, %228 : tensor<1x8x64xbf16>, tensor<1x8x64xbf16>) outs(%62 : tensor<1x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %230 = arith.addf %in, %in_0 : bf16
    linalg.yield %230 : bf16
  } -> tensor<1x8x64xbf16>
  // post_attention_layernorm: RMSNorm over the last dim (pow 2, mean = sum / 64, + eps, rsqrt, * weight)
  %231 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%229 : tensor<1x8x64xbf16>) outs(%45 : tensor<1x8x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %232 = arith.extf %in : bf16 to f32
    linalg.yield %232 : f32
  } -> tensor<1x8x64xf32>
  %233 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%231 : tensor<1x8x64xf32>) outs(%45 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %234 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %234 : f32
  } -> tensor<1x8x64xf32>
  %235 = linalg.generic {indexing_maps = [#map2, #map7], iterator_types = ["parallel", "parallel", "reduction"]} ins(%233 : tensor<1x8x64xf32>) outs(%51 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %236 = arith.addf %in, %out : f32
    linalg.yield %236 : f32
  } -> tensor<1x8x1xf32>
  %237 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%235 : tensor<1x8x1xf32>) outs(%50 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %238 = arith.divf %in, %cst_2 : f32
    linalg.yield %238 : f32
  } -> tensor<1x8x1xf32>
  %239 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%237 : tensor<1x8x1xf32>) outs(%50 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %240 = arith.addf %in, %cst_3 : f32
    linalg.yield %240 : f32
  } -> tensor<1x8x1xf32>
  %241 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%239 : tensor<1x8x1xf32>) outs(%50 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %242 = math.rsqrt %in : f32
    linalg.yield %242 : f32
  } -> tensor<1x8x1xf32>
  %243 = linalg.generic {indexing_maps = [#map2, #map7, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%231, %241 : tensor<1x8x64xf32>, tensor<1x8x1xf32>) outs(%45 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %244 = arith.mulf %in, %in_0 : f32
    linalg.yield %244 : f32
  } -> tensor<1x8x64xf32>
  %245 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%243 : tensor<1x8x64xf32>) outs(%62 : tensor<1x8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %246 = arith.truncf %in : f32 to bf16
    linalg.yield %246 : bf16
  } -> tensor<1x8x64xbf16>
  %247 = linalg.generic {indexing_maps = [#map8, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg10, %245 : tensor<64xbf16>, tensor<1x8x64xbf16>) outs(%62 : tensor<1x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %248 = arith.mulf %in, %in_0 : bf16
    linalg.yield %248 : bf16
  } -> tensor<1x8x64xbf16>
  // mlp.gate_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 128)
  %249 = tensor.empty() : tensor<64x128xbf16>
  %250 = linalg.transpose ins(%arg6 : tensor<128x64xbf16>) outs(%249 : tensor<64x128xbf16>) permutation = [1, 0]
  %251 = tensor.collapse_shape %247 [[0, 1], [2]] : tensor<1x8x64xbf16> into tensor<8x64xbf16>
  %252 = tensor.empty() : tensor<8x128xf32>
  %253 = linalg.fill ins(%cst : f32) outs(%252 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %254 = linalg.matmul ins(%251, %250 : tensor<8x64xbf16>, tensor<64x128xbf16>) outs(%253 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %255 = tensor.empty() : tensor<8x128xbf16>
  %256 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%254 : tensor<8x128xf32>) outs(%255 : tensor<8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %257 = arith.truncf %in : f32 to bf16
    linalg.yield %257 : bf16
  } -> tensor<8x128xbf16>
  %258 = tensor.expand_shape %256 [[0, 1], [2]] output_shape [1, 8, 128] : tensor<8x128xbf16> into tensor<1x8x128xbf16>
  // act_fn = SiLU: sigmoid(x) * x
  %259 = tensor.empty() : tensor<1x8x128xbf16>
  %260 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%258 : tensor<1x8x128xbf16>) outs(%259 : tensor<1x8x128xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %261 = arith.negf %in : bf16
    %262 = math.exp %261 : bf16
    %263 = arith.addf %262, %cst_7 : bf16
    %264 = arith.divf %cst_7, %263 : bf16
    linalg.yield %264 : bf16
  } -> tensor<1x8x128xbf16>
  %265 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%260, %258 : tensor<1x8x128xbf16>, tensor<1x8x128xbf16>) outs(%259 : tensor<1x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %266 = arith.mulf %in, %in_0 : bf16
    linalg.yield %266 : bf16
  } -> tensor<1x8x128xbf16>
  // mlp.up_proj: aten.mm(x.view(-1, 64), weight.t()).view(1, 8, 128)
  %267 = linalg.transpose ins(%arg7 : tensor<128x64xbf16>) outs(%249 : tensor<64x128xbf16>) permutation = [1, 0]
  %268 = linalg.matmul ins(%251, %267 : tensor<8x64xbf16>, tensor<64x128xbf16>) outs(%253 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %269 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%268 : tensor<8x128xf32>) outs(%255 : tensor<8x128xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %270 = arith.truncf %in : f32 to bf16
    linalg.yield %270 : bf16
  } -> tensor<8x128xbf16>
  %271 = tensor.expand_shape %269 [[0, 1], [2]] output_shape [1, 8, 128] : tensor<8x128xbf16> into tensor<1x8x128xbf16>
  // act_fn(gate_proj(x)) * up_proj(x)
  %272 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%265, %271 : tensor<1x8x128xbf16>, tensor<1x8x128xbf16>) outs(%259 : tensor<1x8x128xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %273 = arith.mulf %in, %in_0 : bf16
    linalg.yield %273 : bf16
  } -> tensor<1x8x128xbf16>
  // mlp.down_proj: aten.mm(x.view(-1, 128), weight.t()).view(1, 8, 64)
  %274 = tensor.empty() : tensor<128x64xbf16>
  %275 = linalg.transpose ins(%arg8 : tensor<64x128xbf16>) outs(%274 : tensor<128x64xbf16>) permutation = [1, 0]
  %276 = tensor.collapse_shape %272 [[0, 1], [2]] : tensor<1x8x128xbf16> into tensor<8x128xbf16>
  %277 = linalg.matmul ins(%276, %275 : tensor<8x128xbf16>, tensor<128x64xbf16>) outs(%71 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %278 = linalg.generic {indexing_maps = [#map6, #map6], iterator_types = ["parallel", "parallel"]} ins(%277 : tensor<8x64xf32>) outs(%73 : tensor<8x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %279 = arith.truncf %in : f32 to bf16
    linalg.yield %279 : bf16
  } -> tensor<8x64xbf16>
  %280 = tensor.expand_shape %278 [[0, 1], [2]] output_shape [1, 8, 64] : tensor<8x64xbf16> into tensor<1x8x64xbf16>
  // hidden_states = residual + hidden_states
  %281 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%229, %280 : tensor<1x8x64xbf16>, tensor<1x8x64xbf16>) outs(%62 : tensor<1x8x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %282 = arith.addf %in, %in_0 : bf16
    linalg.yield %282 : bf16
  } -> tensor<1x8x64xbf16>
  return %281 : tensor<1x8x64xbf16>
}
