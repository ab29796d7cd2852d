// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
//
// STYLE: torch-linalg
// MODEL: GPT-OSS-20B attention rotary (half form, half-width cos/sin given), bf16
// FUNC: @gpt_oss_rope
// ARGS: x x cos sin
// REF: layout=bhsd pairing=half rotary_dim=64
// EXPECT: tables
//
// HF transformers models/gpt_oss/modeling_gpt_oss.py: _apply_rotary_emb: first_half, second_half =
// torch.chunk(x, 2, dim=-1); first_ = first_half * cos - second_half * sin; second_ = second_half *
// cos + first_half * sin; cat((first_, second_), -1); apply_rotary_pos_emb unsqueezes cos/sin at 1.
// GptOssRotaryEmbedding returns half-width tables (freqs, no cat(freqs, freqs)); the decoder layer
// receives them as position_embeddings: here they are arguments [B, S, 32], bf16. GPT-OSS's yarn
// uses truncate = false (no floor/ceil of the correction range), which SPEC's yarn cannot state;
// with the tables given that does not matter here.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @gpt_oss_rope(%arg0: tensor<1x4x8x64xbf16>, %arg1: tensor<1x2x8x64xbf16>, %arg2: tensor<1x8x32xbf16>, %arg3: tensor<1x8x32xbf16>) -> (tensor<1x4x8x64xbf16>, tensor<1x2x8x64xbf16>) {
  // cos.unsqueeze(1), sin.unsqueeze(1)
  %0 = tensor.expand_shape %arg2 [[0, 1], [2], [3]] output_shape [1, 1, 8, 32] : tensor<1x8x32xbf16> into tensor<1x1x8x32xbf16>
  %1 = tensor.expand_shape %arg3 [[0, 1], [2], [3]] output_shape [1, 1, 8, 32] : tensor<1x8x32xbf16> into tensor<1x1x8x32xbf16>
  // first_half, second_half = torch.chunk(x, 2, dim=-1)
  %2 = tensor.extract_slice %arg0[0, 0, 0, 0] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xbf16> to tensor<1x4x8x32xbf16>
  %3 = tensor.extract_slice %arg0[0, 0, 0, 32] [1, 4, 8, 32] [1, 1, 1, 1] : tensor<1x4x8x64xbf16> to tensor<1x4x8x32xbf16>
  // first_ = first_half * cos - second_half * sin
  %4 = tensor.empty() : tensor<1x4x8x32xbf16>
  %5 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2, %0 : tensor<1x4x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%4 : tensor<1x4x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %6 = arith.mulf %in, %in_0 : bf16
    linalg.yield %6 : bf16
  } -> tensor<1x4x8x32xbf16>
  %7 = tensor.empty() : tensor<1x4x8x32xbf16>
  %8 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3, %1 : tensor<1x4x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%7 : tensor<1x4x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %9 = arith.mulf %in, %in_0 : bf16
    linalg.yield %9 : bf16
  } -> tensor<1x4x8x32xbf16>
  %10 = tensor.empty() : tensor<1x4x8x32xbf16>
  %11 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%5, %8 : tensor<1x4x8x32xbf16>, tensor<1x4x8x32xbf16>) outs(%10 : tensor<1x4x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %12 = arith.subf %in, %in_0 : bf16
    linalg.yield %12 : bf16
  } -> tensor<1x4x8x32xbf16>
  // second_ = second_half * cos + first_half * sin
  %13 = tensor.empty() : tensor<1x4x8x32xbf16>
  %14 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%3, %0 : tensor<1x4x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%13 : tensor<1x4x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %15 = arith.mulf %in, %in_0 : bf16
    linalg.yield %15 : bf16
  } -> tensor<1x4x8x32xbf16>
  %16 = tensor.empty() : tensor<1x4x8x32xbf16>
  %17 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2, %1 : tensor<1x4x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%16 : tensor<1x4x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %18 = arith.mulf %in, %in_0 : bf16
    linalg.yield %18 : bf16
  } -> tensor<1x4x8x32xbf16>
  %19 = tensor.empty() : tensor<1x4x8x32xbf16>
  %20 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%14, %17 : tensor<1x4x8x32xbf16>, tensor<1x4x8x32xbf16>) outs(%19 : tensor<1x4x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %21 = arith.addf %in, %in_0 : bf16
    linalg.yield %21 : bf16
  } -> tensor<1x4x8x32xbf16>
  // torch.cat((first_, second_), dim=-1)
  %22 = tensor.concat dim(3) %11, %20 : (tensor<1x4x8x32xbf16>, tensor<1x4x8x32xbf16>) -> tensor<1x4x8x64xbf16>
  // first_half, second_half = torch.chunk(x, 2, dim=-1)
  %23 = tensor.extract_slice %arg1[0, 0, 0, 0] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xbf16> to tensor<1x2x8x32xbf16>
  %24 = tensor.extract_slice %arg1[0, 0, 0, 32] [1, 2, 8, 32] [1, 1, 1, 1] : tensor<1x2x8x64xbf16> to tensor<1x2x8x32xbf16>
  // first_ = first_half * cos - second_half * sin
  %25 = tensor.empty() : tensor<1x2x8x32xbf16>
  %26 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%23, %0 : tensor<1x2x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%25 : tensor<1x2x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %27 = arith.mulf %in, %in_0 : bf16
    linalg.yield %27 : bf16
  } -> tensor<1x2x8x32xbf16>
  %28 = tensor.empty() : tensor<1x2x8x32xbf16>
  %29 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%24, %1 : tensor<1x2x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%28 : tensor<1x2x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %30 = arith.mulf %in, %in_0 : bf16
    linalg.yield %30 : bf16
  } -> tensor<1x2x8x32xbf16>
  %31 = tensor.empty() : tensor<1x2x8x32xbf16>
  %32 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%26, %29 : tensor<1x2x8x32xbf16>, tensor<1x2x8x32xbf16>) outs(%31 : tensor<1x2x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %33 = arith.subf %in, %in_0 : bf16
    linalg.yield %33 : bf16
  } -> tensor<1x2x8x32xbf16>
  // second_ = second_half * cos + first_half * sin
  %34 = tensor.empty() : tensor<1x2x8x32xbf16>
  %35 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%24, %0 : tensor<1x2x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%34 : tensor<1x2x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %36 = arith.mulf %in, %in_0 : bf16
    linalg.yield %36 : bf16
  } -> tensor<1x2x8x32xbf16>
  %37 = tensor.empty() : tensor<1x2x8x32xbf16>
  %38 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%23, %1 : tensor<1x2x8x32xbf16>, tensor<1x1x8x32xbf16>) outs(%37 : tensor<1x2x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %39 = arith.mulf %in, %in_0 : bf16
    linalg.yield %39 : bf16
  } -> tensor<1x2x8x32xbf16>
  %40 = tensor.empty() : tensor<1x2x8x32xbf16>
  %41 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%35, %38 : tensor<1x2x8x32xbf16>, tensor<1x2x8x32xbf16>) outs(%40 : tensor<1x2x8x32xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %42 = arith.addf %in, %in_0 : bf16
    linalg.yield %42 : bf16
  } -> tensor<1x2x8x32xbf16>
  // torch.cat((first_, second_), dim=-1)
  %43 = tensor.concat dim(3) %32, %41 : (tensor<1x2x8x32xbf16>, tensor<1x2x8x32xbf16>) -> tensor<1x2x8x64xbf16>
  return %22, %43 : tensor<1x4x8x64xbf16>, tensor<1x2x8x64xbf16>
}
