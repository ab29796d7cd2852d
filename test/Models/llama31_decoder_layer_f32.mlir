// RUN: %python %rope_src/test/e2e/model_check.py %s | FileCheck %s
// CHECK: PASS
//
// MODEL: Llama-3.1 decoder layer (llama3 rope scaling), f32, prefill B=1 S=8
// FUNC: @llama31_decoder_layer
// ARGS: q_proj k_proj v_proj o_proj gate_proj up_proj down_proj input_layernorm post_attention_layernorm hidden pos
// RESULTS: out
// CONFIG: arch=llama hidden=256 heads=4 kv_heads=2 head_dim=64 intermediate=512 eps=1e-05 theta=500000 scaling=llama3:8,1,4,8192 pos_max=16384 otol=2e-4
// EXPECT: rotate
//
// HF transformers models/llama/modeling_llama.py: LlamaRotaryEmbedding (inv_freq from
// _compute_llama3_parameters, a constant), LlamaDecoderLayer, LlamaAttention
// (apply_rotary_pos_emb, eager_attention_forward with repeat_kv), LlamaRMSNorm, LlamaMLP
// (SiLU); the eager causal mask of masking_utils.
// Spelled as torch-mlir's TorchToLinalg writes it when torch-mlir decomposes aten.linear
// itself (aten.t(weight) as linalg.transpose, aten.matmul of [B, S, in] by [in, out] as the
// weight broadcast over the batch + linalg.batch_matmul), then canonicalize + cse:
// make_graphs.py in this directory says op by op.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0) -> (d0)>
#map2 = affine_map<(d0, d1) -> (0, d1)>
#map3 = affine_map<(d0, d1) -> (d0, 0)>
#map4 = affine_map<(d0, d1) -> (d0, d1)>
#map5 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map6 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#map7 = affine_map<(d0, d1, d2) -> (d2)>
#map8 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#map10 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
#map11 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map12 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map13 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
func.func @llama31_decoder_layer(%arg0: tensor<256x256xf32>, %arg1: tensor<128x256xf32>, %arg2: tensor<128x256xf32>, %arg3: tensor<256x256xf32>, %arg4: tensor<512x256xf32>, %arg5: tensor<512x256xf32>, %arg6: tensor<256x512xf32>, %arg7: tensor<256xf32>, %arg8: tensor<256xf32>, %arg9: tensor<1x8x256xf32>, %arg10: tensor<1x8xi64>) -> tensor<1x8x256xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant -3.40282347E+38 : f32
  %c2_i64 = arith.constant 2 : i64
  %cst_1 = arith.constant 2.560000e+02 : f32
  %cst_2 = arith.constant 1.000000e-05 : f32
  %cst_3 = arith.constant 1.250000e-01 : f32
  %c0_i64 = arith.constant 0 : i64
  %cst_4 = arith.constant 0xFF800000 : f32
  %cst_5 = arith.constant 1.000000e+00 : f32
  // LlamaRotaryEmbedding: inv_freq[None, :, None].float().expand(B, -1, 1)
  %0 = arith.constant dense<[1.000000000e+00, 6.636012793e-01, 4.403666258e-01, 2.922278345e-01, 1.939227581e-01, 1.286873817e-01, 8.539710194e-02, 5.666961893e-02, 3.760603070e-02, 2.495540865e-02, 1.656044088e-02, 1.098952908e-02, 7.292665076e-03, 4.839421250e-03, 3.211446106e-03, 1.371893683e-03, 5.248460220e-04, 1.785077911e-04, 7.784655463e-05, 5.165906987e-05, 3.428102355e-05, 2.274892904e-05, 1.509621779e-05, 1.001786859e-05, 6.647869668e-06, 4.411534519e-06, 2.927499736e-06, 1.942692506e-06, 1.289173156e-06, 8.554969213e-07, 5.677088097e-07, 3.767322596e-07]> : tensor<32xf32>
  %1 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 32, 1] : tensor<32xf32> into tensor<1x32x1xf32>
  // position_ids[:, None, :].float()
  %2 = tensor.expand_shape %arg10 [[0, 1], [2]] output_shape [1, 1, 8] : tensor<1x8xi64> into tensor<1x1x8xi64>
  %3 = tensor.empty() : tensor<1x1x8xf32>
  %4 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%2 : tensor<1x1x8xi64>) outs(%3 : tensor<1x1x8xf32>) {
  ^bb0(%in: i64, %out: f32):
    %5 = arith.sitofp %in : i64 to f32
    linalg.yield %5 : f32
  } -> tensor<1x1x8xf32>
  // freqs = (inv_freq_expanded @ position_ids_expanded).transpose(1, 2)
  %6 = tensor.empty() : tensor<1x32x8xf32>
  %7 = linalg.fill ins(%cst : f32) outs(%6 : tensor<1x32x8xf32>) -> tensor<1x32x8xf32>
  %8 = linalg.batch_matmul ins(%1, %4 : tensor<1x32x1xf32>, tensor<1x1x8xf32>) outs(%7 : tensor<1x32x8xf32>) -> tensor<1x32x8xf32>
  %9 = tensor.empty() : tensor<1x8x32xf32>
  %10 = linalg.transpose ins(%8 : tensor<1x32x8xf32>) outs(%9 : tensor<1x8x32xf32>) permutation = [0, 2, 1]
  // emb = torch.cat((freqs, freqs), dim=-1); cos = emb.cos().to(x.dtype); sin = emb.sin().to(x.dtype)
  %11 = tensor.concat dim(2) %10, %10 : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  %12 = tensor.empty() : tensor<1x8x64xf32>
  %13 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x64xf32>) outs(%12 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %14 = math.cos %in : f32
    linalg.yield %14 : f32
  } -> tensor<1x8x64xf32>
  %15 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%11 : tensor<1x8x64xf32>) outs(%12 : tensor<1x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = math.sin %in : f32
    linalg.yield %16 : f32
  } -> tensor<1x8x64xf32>
  // causal mask: arange(S) <= arange(S)[:, None], where(mask, 0, finfo.min)
  %17 = tensor.empty() : tensor<8xi64>
  %18 = linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel"]} outs(%17 : tensor<8xi64>) {
  ^bb0(%out: i64):
    %19 = linalg.index 0 : index
    %20 = arith.index_cast %19 : index to i64
    linalg.yield %20 : i64
  } -> tensor<8xi64>
  %21 = tensor.expand_shape %18 [[0, 1]] output_shape [1, 8] : tensor<8xi64> into tensor<1x8xi64>
  %22 = tensor.expand_shape %18 [[0, 1]] output_shape [8, 1] : tensor<8xi64> into tensor<8x1xi64>
  %23 = tensor.empty() : tensor<8x8xi1>
  %24 = linalg.generic {indexing_maps = [#map2, #map3, #map4], iterator_types = ["parallel", "parallel"]} ins(%21, %22 : tensor<1x8xi64>, tensor<8x1xi64>) outs(%23 : tensor<8x8xi1>) {
  ^bb0(%in: i64, %in_0: i64, %out: i1):
    %25 = arith.cmpi sle, %in, %in_0 : i64
    linalg.yield %25 : i1
  } -> tensor<8x8xi1>
  %26 = tensor.expand_shape %24 [[0, 1, 2], [3]] output_shape [1, 1, 8, 8] : tensor<8x8xi1> into tensor<1x1x8x8xi1>
  %27 = tensor.empty() : tensor<1x1x8x8xf32>
  %28 = linalg.generic {indexing_maps = [#map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%26 : tensor<1x1x8x8xi1>) outs(%27 : tensor<1x1x8x8xf32>) {
  ^bb0(%in: i1, %out: f32):
    %29 = arith.select %in, %cst, %cst_0 : f32
    linalg.yield %29 : f32
  } -> tensor<1x1x8x8xf32>
  // Decoder layer: residual = hidden_states; input_layernorm
  // input_layernorm: RMSNorm over the last dim (pow 2, mean = sum / 256, + eps, rsqrt, * weight)
  %30 = tensor.empty() : tensor<1x8x256xf32>
  %31 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9 : tensor<1x8x256xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    %32 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %32 : f32
  } -> tensor<1x8x256xf32>
  %33 = tensor.empty() : tensor<1x8x1xf32>
  %34 = linalg.fill ins(%cst : f32) outs(%33 : tensor<1x8x1xf32>) -> tensor<1x8x1xf32>
  %35 = linalg.generic {indexing_maps = [#map, #map6], iterator_types = ["parallel", "parallel", "reduction"]} ins(%31 : tensor<1x8x256xf32>) outs(%34 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %36 = arith.addf %in, %out : f32
    linalg.yield %36 : f32
  } -> tensor<1x8x1xf32>
  %37 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%35 : tensor<1x8x1xf32>) outs(%33 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %38 = arith.divf %in, %cst_1 : f32
    linalg.yield %38 : f32
  } -> tensor<1x8x1xf32>
  %39 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%37 : tensor<1x8x1xf32>) outs(%33 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %40 = arith.addf %in, %cst_2 : f32
    linalg.yield %40 : f32
  } -> tensor<1x8x1xf32>
  %41 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%39 : tensor<1x8x1xf32>) outs(%33 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %42 = math.rsqrt %in : f32
    linalg.yield %42 : f32
  } -> tensor<1x8x1xf32>
  %43 = linalg.generic {indexing_maps = [#map, #map6, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9, %41 : tensor<1x8x256xf32>, tensor<1x8x1xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %44 = arith.mulf %in, %in_0 : f32
    linalg.yield %44 : f32
  } -> tensor<1x8x256xf32>
  %45 = linalg.generic {indexing_maps = [#map7, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg7, %43 : tensor<256xf32>, tensor<1x8x256xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %46 = arith.mulf %in, %in_0 : f32
    linalg.yield %46 : f32
  } -> tensor<1x8x256xf32>
  // q_proj: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch
  %47 = tensor.empty() : tensor<256x256xf32>
  %48 = linalg.transpose ins(%arg0 : tensor<256x256xf32>) outs(%47 : tensor<256x256xf32>) permutation = [1, 0]
  %49 = tensor.empty() : tensor<1x256x256xf32>
  %50 = linalg.generic {indexing_maps = [#map8, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%48 : tensor<256x256xf32>) outs(%49 : tensor<1x256x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x256xf32>
  %51 = linalg.fill ins(%cst : f32) outs(%30 : tensor<1x8x256xf32>) -> tensor<1x8x256xf32>
  %52 = linalg.batch_matmul ins(%45, %50 : tensor<1x8x256xf32>, tensor<1x256x256xf32>) outs(%51 : tensor<1x8x256xf32>) -> tensor<1x8x256xf32>
  // q_proj(hidden_states).view(1, 8, 4, 64)
  %53 = tensor.expand_shape %52 [[0], [1], [2, 3]] output_shape [1, 8, 4, 64] : tensor<1x8x256xf32> into tensor<1x8x4x64xf32>
  // query_states.transpose(1, 2)
  %54 = tensor.empty() : tensor<1x4x8x64xf32>
  %55 = linalg.transpose ins(%53 : tensor<1x8x4x64xf32>) outs(%54 : tensor<1x4x8x64xf32>) permutation = [0, 2, 1, 3]
  // k_proj: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch
  %56 = tensor.empty() : tensor<256x128xf32>
  %57 = linalg.transpose ins(%arg1 : tensor<128x256xf32>) outs(%56 : tensor<256x128xf32>) permutation = [1, 0]
  %58 = tensor.empty() : tensor<1x256x128xf32>
  %59 = linalg.generic {indexing_maps = [#map8, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%57 : tensor<256x128xf32>) outs(%58 : tensor<1x256x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x128xf32>
  %60 = tensor.empty() : tensor<1x8x128xf32>
  %61 = linalg.fill ins(%cst : f32) outs(%60 : tensor<1x8x128xf32>) -> tensor<1x8x128xf32>
  %62 = linalg.batch_matmul ins(%45, %59 : tensor<1x8x256xf32>, tensor<1x256x128xf32>) outs(%61 : tensor<1x8x128xf32>) -> tensor<1x8x128xf32>
  // k_proj(hidden_states).view(1, 8, 2, 64)
  %63 = tensor.expand_shape %62 [[0], [1], [2, 3]] output_shape [1, 8, 2, 64] : tensor<1x8x128xf32> into tensor<1x8x2x64xf32>
  // key_states.transpose(1, 2)
  %64 = tensor.empty() : tensor<1x2x8x64xf32>
  %65 = linalg.transpose ins(%63 : tensor<1x8x2x64xf32>) outs(%64 : tensor<1x2x8x64xf32>) permutation = [0, 2, 1, 3]
  // v_proj: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch
  %66 = linalg.transpose ins(%arg2 : tensor<128x256xf32>) outs(%56 : tensor<256x128xf32>) permutation = [1, 0]
  %67 = linalg.generic {indexing_maps = [#map8, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%66 : tensor<256x128xf32>) outs(%58 : tensor<1x256x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x128xf32>
  %68 = linalg.batch_matmul ins(%45, %67 : tensor<1x8x256xf32>, tensor<1x256x128xf32>) outs(%61 : tensor<1x8x128xf32>) -> tensor<1x8x128xf32>
  // v_proj(hidden_states).view(1, 8, 2, 64)
  %69 = tensor.expand_shape %68 [[0], [1], [2, 3]] output_shape [1, 8, 2, 64] : tensor<1x8x128xf32> into tensor<1x8x2x64xf32>
  // value_states.transpose(1, 2)
  %70 = linalg.transpose ins(%69 : tensor<1x8x2x64xf32>) outs(%64 : tensor<1x2x8x64xf32>) permutation = [0, 2, 1, 3]
  // cos.unsqueeze(1), sin.unsqueeze(1)
  %71 = tensor.expand_shape %13 [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xf32> into tensor<1x1x8x64xf32>
  %72 = tensor.expand_shape %15 [[0, 1], [2], [3]] output_shape [1, 1, 8, 64] : tensor<1x8x64xf32> into tensor<1x1x8x64xf32>
  // apply_rotary_pos_emb, q: (q * cos) + (rotate_half(q) * sin)
  %73 = linalg.generic {indexing_maps = [#map5, #map9, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%55, %71 : tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>) outs(%54 : tensor<1x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %74 = arith.mulf %in, %in_0 : f32
    linalg.yield %74 : f32
  } -> tensor<1x4x8x64xf32>
  %75 = tensor.extract_slice %55[0, 0, 0, 0] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xf32> to tensor<1x4x8x32xf32>
  %76 = tensor.extract_slice %55[0, 0, 0, 32] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xf32> to tensor<1x4x8x32xf32>
  %77 = tensor.empty() : tensor<1x4x8x32xf32>
  %78 = linalg.generic {indexing_maps = [#map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%76 : tensor<1x4x8x32xf32>) outs(%77 : tensor<1x4x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %79 = arith.negf %in : f32
    linalg.yield %79 : f32
  } -> tensor<1x4x8x32xf32>
  %80 = tensor.concat dim(3) %78, %75 : (tensor<1x4x8x32xf32>, tensor<1x4x8x32xf32>) -> tensor<1x4x8x64xf32>
  %81 = linalg.generic {indexing_maps = [#map5, #map9, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%80, %72 : tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>) outs(%54 : tensor<1x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %82 = arith.mulf %in, %in_0 : f32
    linalg.yield %82 : f32
  } -> tensor<1x4x8x64xf32>
  %83 = linalg.generic {indexing_maps = [#map5, #map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%73, %81 : tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) outs(%54 : tensor<1x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %84 = arith.addf %in, %in_0 : f32
    linalg.yield %84 : f32
  } -> tensor<1x4x8x64xf32>
  // apply_rotary_pos_emb, k: (k * cos) + (rotate_half(k) * sin)
  %85 = linalg.generic {indexing_maps = [#map5, #map9, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%65, %71 : tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>) outs(%64 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %86 = arith.mulf %in, %in_0 : f32
    linalg.yield %86 : f32
  } -> tensor<1x2x8x64xf32>
  %87 = tensor.extract_slice %65[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %88 = tensor.extract_slice %65[0, 0, 0, 32] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xf32> to tensor<1x2x8x32xf32>
  %89 = tensor.empty() : tensor<1x2x8x32xf32>
  %90 = linalg.generic {indexing_maps = [#map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%88 : tensor<1x2x8x32xf32>) outs(%89 : tensor<1x2x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %91 = arith.negf %in : f32
    linalg.yield %91 : f32
  } -> tensor<1x2x8x32xf32>
  %92 = tensor.concat dim(3) %90, %87 : (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>) -> tensor<1x2x8x64xf32>
  %93 = linalg.generic {indexing_maps = [#map5, #map9, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%92, %72 : tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>) outs(%64 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %94 = arith.mulf %in, %in_0 : f32
    linalg.yield %94 : f32
  } -> tensor<1x2x8x64xf32>
  %95 = linalg.generic {indexing_maps = [#map5, #map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%85, %93 : tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) outs(%64 : tensor<1x2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %96 = arith.addf %in, %in_0 : f32
    linalg.yield %96 : f32
  } -> tensor<1x2x8x64xf32>
  // repeat_kv(key_states, 2): expand over a new dim, reshape
  %97 = tensor.empty() : tensor<1x2x2x8x64xf32>
  %98 = linalg.generic {indexing_maps = [#map10, #map11], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%95 : tensor<1x2x8x64xf32>) outs(%97 : tensor<1x2x2x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x8x64xf32>
  %99 = tensor.collapse_shape %98 [[0], [1, 2], [3], [4]] : tensor<1x2x2x8x64xf32> into tensor<1x4x8x64xf32>
  // repeat_kv(value_states, 2): expand over a new dim, reshape
  %100 = linalg.generic {indexing_maps = [#map10, #map11], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%70 : tensor<1x2x8x64xf32>) outs(%97 : tensor<1x2x2x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x8x64xf32>
  %101 = tensor.collapse_shape %100 [[0], [1, 2], [3], [4]] : tensor<1x2x2x8x64xf32> into tensor<1x4x8x64xf32>
  // attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
  %102 = tensor.empty() : tensor<1x4x64x8xf32>
  %103 = linalg.transpose ins(%99 : tensor<1x4x8x64xf32>) outs(%102 : tensor<1x4x64x8xf32>) permutation = [0, 1, 3, 2]
  %104 = tensor.collapse_shape %83 [[0, 1], [2], [3]] : tensor<1x4x8x64xf32> into tensor<4x8x64xf32>
  %105 = tensor.collapse_shape %103 [[0, 1], [2], [3]] : tensor<1x4x64x8xf32> into tensor<4x64x8xf32>
  %106 = tensor.empty() : tensor<4x8x8xf32>
  %107 = linalg.fill ins(%cst : f32) outs(%106 : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %108 = linalg.batch_matmul ins(%104, %105 : tensor<4x8x64xf32>, tensor<4x64x8xf32>) outs(%107 : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %109 = tensor.expand_shape %108 [[0, 1], [2], [3]] output_shape [1, 4, 8, 8] : tensor<4x8x8xf32> into tensor<1x4x8x8xf32>
  %110 = tensor.empty() : tensor<1x4x8x8xf32>
  %111 = linalg.generic {indexing_maps = [#map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%109 : tensor<1x4x8x8xf32>) outs(%110 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %112 = arith.mulf %in, %cst_3 : f32
    linalg.yield %112 : f32
  } -> tensor<1x4x8x8xf32>
  // attn_weights = attn_weights + causal_mask
  %113 = linalg.generic {indexing_maps = [#map5, #map9, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%111, %28 : tensor<1x4x8x8xf32>, tensor<1x1x8x8xf32>) outs(%110 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %114 = arith.addf %in, %in_0 : f32
    linalg.yield %114 : f32
  } -> tensor<1x4x8x8xf32>
  // softmax(attn_weights, dim=-1): aten._softmax decomposed (max.dim, sub, exp, sum.dim_IntList, div)
  %115 = tensor.empty() : tensor<1x4x8xi64>
  %116 = linalg.fill ins(%c0_i64 : i64) outs(%115 : tensor<1x4x8xi64>) -> tensor<1x4x8xi64>
  %117 = tensor.empty() : tensor<1x4x8xf32>
  %118 = linalg.fill ins(%cst_4 : f32) outs(%117 : tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %119:2 = linalg.generic {indexing_maps = [#map5, #map12, #map12], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%113 : tensor<1x4x8x8xf32>) outs(%118, %116 : tensor<1x4x8xf32>, tensor<1x4x8xi64>) {
  ^bb0(%in: f32, %out: f32, %out_1: i64):
    %120 = linalg.index 3 : index
    %121 = arith.index_cast %120 : index to i64
    %122 = arith.maximumf %in, %out : f32
    %123 = arith.cmpf ogt, %in, %out : f32
    %124 = arith.select %123, %121, %out_1 : i64
    linalg.yield %122, %124 : f32, i64
  } -> (tensor<1x4x8xf32>, tensor<1x4x8xi64>)
  %125 = tensor.expand_shape %119#0 [[0], [1], [2, 3]] output_shape [1, 4, 8, 1] : tensor<1x4x8xf32> into tensor<1x4x8x1xf32>
  %126 = linalg.generic {indexing_maps = [#map5, #map13, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%113, %125 : tensor<1x4x8x8xf32>, tensor<1x4x8x1xf32>) outs(%110 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %127 = arith.subf %in, %in_0 : f32
    linalg.yield %127 : f32
  } -> tensor<1x4x8x8xf32>
  %128 = linalg.generic {indexing_maps = [#map5, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%126 : tensor<1x4x8x8xf32>) outs(%110 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %129 = math.exp %in : f32
    linalg.yield %129 : f32
  } -> tensor<1x4x8x8xf32>
  %130 = tensor.empty() : tensor<1x4x8x1xf32>
  %131 = linalg.fill ins(%cst : f32) outs(%130 : tensor<1x4x8x1xf32>) -> tensor<1x4x8x1xf32>
  %132 = linalg.generic {indexing_maps = [#map5, #map13], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%128 : tensor<1x4x8x8xf32>) outs(%131 : tensor<1x4x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %133 = arith.addf %in, %out : f32
    linalg.yield %133 : f32
  } -> tensor<1x4x8x1xf32>
  %134 = linalg.generic {indexing_maps = [#map5, #map13, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%128, %132 : tensor<1x4x8x8xf32>, tensor<1x4x8x1xf32>) outs(%110 : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %135 = arith.divf %in, %in_0 : f32
    linalg.yield %135 : f32
  } -> tensor<1x4x8x8xf32>
  // attn_output = torch.matmul(attn_weights, value_states).transpose(1, 2)
  %136 = tensor.collapse_shape %134 [[0, 1], [2], [3]] : tensor<1x4x8x8xf32> into tensor<4x8x8xf32>
  %137 = tensor.collapse_shape %101 [[0, 1], [2], [3]] : tensor<1x4x8x64xf32> into tensor<4x8x64xf32>
  %138 = tensor.empty() : tensor<4x8x64xf32>
  %139 = linalg.fill ins(%cst : f32) outs(%138 : tensor<4x8x64xf32>) -> tensor<4x8x64xf32>
  %140 = linalg.batch_matmul ins(%136, %137 : tensor<4x8x8xf32>, tensor<4x8x64xf32>) outs(%139 : tensor<4x8x64xf32>) -> tensor<4x8x64xf32>
  %141 = tensor.expand_shape %140 [[0, 1], [2], [3]] output_shape [1, 4, 8, 64] : tensor<4x8x64xf32> into tensor<1x4x8x64xf32>
  %142 = tensor.empty() : tensor<1x8x4x64xf32>
  %143 = linalg.transpose ins(%141 : tensor<1x4x8x64xf32>) outs(%142 : tensor<1x8x4x64xf32>) permutation = [0, 2, 1, 3]
  // attn_output.reshape(*input_shape, -1)
  %144 = tensor.collapse_shape %143 [[0], [1], [2, 3]] : tensor<1x8x4x64xf32> into tensor<1x8x256xf32>
  // o_proj: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch
  %145 = linalg.transpose ins(%arg3 : tensor<256x256xf32>) outs(%47 : tensor<256x256xf32>) permutation = [1, 0]
  %146 = linalg.generic {indexing_maps = [#map8, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%145 : tensor<256x256xf32>) outs(%49 : tensor<1x256x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x256xf32>
  %147 = linalg.batch_matmul ins(%144, %146 : tensor<1x8x256xf32>, tensor<1x256x256xf32>) outs(%51 : tensor<1x8x256xf32>) -> tensor<1x8x256xf32>
  // hidden_states = residual + hidden_states
  %148 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9, %147 : tensor<1x8x256xf32>, tensor<1x8x256xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %149 = arith.addf %in, %in_0 : f32
    linalg.yield %149 : f32
  } -> tensor<1x8x256xf32>
  // post_attention_layernorm: RMSNorm over the last dim (pow 2, mean = sum / 256, + eps, rsqrt, * weight)
  %150 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%148 : tensor<1x8x256xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    %151 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %151 : f32
  } -> tensor<1x8x256xf32>
  %152 = linalg.generic {indexing_maps = [#map, #map6], iterator_types = ["parallel", "parallel", "reduction"]} ins(%150 : tensor<1x8x256xf32>) outs(%34 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %153 = arith.addf %in, %out : f32
    linalg.yield %153 : f32
  } -> tensor<1x8x1xf32>
  %154 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%152 : tensor<1x8x1xf32>) outs(%33 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %155 = arith.divf %in, %cst_1 : f32
    linalg.yield %155 : f32
  } -> tensor<1x8x1xf32>
  %156 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%154 : tensor<1x8x1xf32>) outs(%33 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %157 = arith.addf %in, %cst_2 : f32
    linalg.yield %157 : f32
  } -> tensor<1x8x1xf32>
  %158 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%156 : tensor<1x8x1xf32>) outs(%33 : tensor<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %159 = math.rsqrt %in : f32
    linalg.yield %159 : f32
  } -> tensor<1x8x1xf32>
  %160 = linalg.generic {indexing_maps = [#map, #map6, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%148, %158 : tensor<1x8x256xf32>, tensor<1x8x1xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %161 = arith.mulf %in, %in_0 : f32
    linalg.yield %161 : f32
  } -> tensor<1x8x256xf32>
  %162 = linalg.generic {indexing_maps = [#map7, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg8, %160 : tensor<256xf32>, tensor<1x8x256xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %163 = arith.mulf %in, %in_0 : f32
    linalg.yield %163 : f32
  } -> tensor<1x8x256xf32>
  // mlp.gate_proj: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch
  %164 = tensor.empty() : tensor<256x512xf32>
  %165 = linalg.transpose ins(%arg4 : tensor<512x256xf32>) outs(%164 : tensor<256x512xf32>) permutation = [1, 0]
  %166 = tensor.empty() : tensor<1x256x512xf32>
  %167 = linalg.generic {indexing_maps = [#map8, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%165 : tensor<256x512xf32>) outs(%166 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x512xf32>
  %168 = tensor.empty() : tensor<1x8x512xf32>
  %169 = linalg.fill ins(%cst : f32) outs(%168 : tensor<1x8x512xf32>) -> tensor<1x8x512xf32>
  %170 = linalg.batch_matmul ins(%162, %167 : tensor<1x8x256xf32>, tensor<1x256x512xf32>) outs(%169 : tensor<1x8x512xf32>) -> tensor<1x8x512xf32>
  // act_fn = SiLU: sigmoid(x) * x
  %171 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%170 : tensor<1x8x512xf32>) outs(%168 : tensor<1x8x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %172 = arith.negf %in : f32
    %173 = math.exp %172 : f32
    %174 = arith.addf %173, %cst_5 : f32
    %175 = arith.divf %cst_5, %174 : f32
    linalg.yield %175 : f32
  } -> tensor<1x8x512xf32>
  %176 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%171, %170 : tensor<1x8x512xf32>, tensor<1x8x512xf32>) outs(%168 : tensor<1x8x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %177 = arith.mulf %in, %in_0 : f32
    linalg.yield %177 : f32
  } -> tensor<1x8x512xf32>
  // mlp.up_proj: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch
  %178 = linalg.transpose ins(%arg5 : tensor<512x256xf32>) outs(%164 : tensor<256x512xf32>) permutation = [1, 0]
  %179 = linalg.generic {indexing_maps = [#map8, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%178 : tensor<256x512xf32>) outs(%166 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x512xf32>
  %180 = linalg.batch_matmul ins(%162, %179 : tensor<1x8x256xf32>, tensor<1x256x512xf32>) outs(%169 : tensor<1x8x512xf32>) -> tensor<1x8x512xf32>
  // act_fn(gate_proj(x)) * up_proj(x)
  %181 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%176, %180 : tensor<1x8x512xf32>, tensor<1x8x512xf32>) outs(%168 : tensor<1x8x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %182 = arith.mulf %in, %in_0 : f32
    linalg.yield %182 : f32
  } -> tensor<1x8x512xf32>
  // mlp.down_proj: aten.matmul(x, aten.t(weight)), the weight broadcast over the batch
  %183 = tensor.empty() : tensor<512x256xf32>
  %184 = linalg.transpose ins(%arg6 : tensor<256x512xf32>) outs(%183 : tensor<512x256xf32>) permutation = [1, 0]
  %185 = tensor.empty() : tensor<1x512x256xf32>
  %186 = linalg.generic {indexing_maps = [#map8, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%184 : tensor<512x256xf32>) outs(%185 : tensor<1x512x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x512x256xf32>
  %187 = linalg.batch_matmul ins(%181, %186 : tensor<1x8x512xf32>, tensor<1x512x256xf32>) outs(%51 : tensor<1x8x256xf32>) -> tensor<1x8x256xf32>
  // hidden_states = residual + hidden_states
  %188 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%148, %187 : tensor<1x8x256xf32>, tensor<1x8x256xf32>) outs(%30 : tensor<1x8x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %189 = arith.addf %in, %in_0 : f32
    linalg.yield %189 : f32
  } -> tensor<1x8x256xf32>
  return %188 : tensor<1x8x256xf32>
}
