// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: stablehlo-linalg
// MODEL: HF Llama apply_rotary_pos_emb exported through torch-xla to StableHLO, then stablehlo-legalize-to-linalg (default: no primitive ops), f32, prefill
// FUNC: @llama_hf_default
// ARGS: x x cos sin
// REF: layout=bhsd pairing=half rotary_dim=64
// EXPECT: tables
//
// What the default StableHLO -> linalg conversion makes of
//   cos = cos.unsqueeze(1); q_embed = q * cos + rotate_half(q) * sin (same for k):
// - unsqueeze is stablehlo.reshape -> tensor.expand_shape [B, 1, S, D];
// - the implicit broadcast is stablehlo.broadcast_in_dim dims [0, 1, 2, 3] of a
//   size-1 head dim, lowered to a yield-only linalg.generic whose input map reads
//   that dim at constant 0: (d0, d1, d2, d3) -> (d0, 0, d2, d3). XLA CSEs the
//   identical broadcasts, so ONE broadcast of cos (and one of sin) feeds q and k;
// - x[..., :32] / x[..., 32:] are stablehlo.slice -> tensor.extract_slice;
// - -x2 is stablehlo.negate -> a linalg.generic with arith.negf;
// - torch.cat is stablehlo.concatenate, which without enable-primitive-ops
//   becomes an output-only linalg.generic that picks the operand with
//   linalg.index / arith.cmpi ult / scf.if and reads it with tensor.extract
//   (the tensor.dim sizes fold to constants on static shapes);
// - mul / add are identity-map generics writing into tensor.empty.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @llama_hf_default(%q: tensor<2x4x8x64xf32>, %k: tensor<2x4x8x64xf32>, %cos: tensor<2x8x64xf32>, %sin: tensor<2x8x64xf32>) -> (tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) {
  %c32 = arith.constant 32 : index
  %cos4 = tensor.expand_shape %cos [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %e0 = tensor.empty() : tensor<2x4x8x64xf32>
  %cosb = linalg.generic {indexing_maps = [#bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cos4 : tensor<2x1x8x64xf32>) outs(%e0 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x4x8x64xf32>
  %sin4 = tensor.expand_shape %sin [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %e1 = tensor.empty() : tensor<2x4x8x64xf32>
  %sinb = linalg.generic {indexing_maps = [#bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sin4 : tensor<2x1x8x64xf32>) outs(%e1 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x4x8x64xf32>
  // q
  %e2 = tensor.empty() : tensor<2x4x8x64xf32>
  %qc = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%q, %cosb : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e2 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x64xf32>
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %q2 = tensor.extract_slice %q[0, 0, 0, 32] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %e3 = tensor.empty() : tensor<2x4x8x32xf32>
  %nq2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%q2 : tensor<2x4x8x32xf32>) outs(%e3 : tensor<2x4x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x32xf32>
  %e4 = tensor.empty() : tensor<2x4x8x64xf32>
  %qr = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%e4 : tensor<2x4x8x64xf32>) {
  ^bb0(%out: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %lt = arith.cmpi ult, %i3, %c32 : index
    %v = scf.if %lt -> (f32) {
      %x = tensor.extract %nq2[%i0, %i1, %i2, %i3] : tensor<2x4x8x32xf32>
      scf.yield %x : f32
    } else {
      %j = arith.subi %i3, %c32 : index
      %x = tensor.extract %q1[%i0, %i1, %i2, %j] : tensor<2x4x8x32xf32>
      scf.yield %x : f32
    }
    linalg.yield %v : f32
  } -> tensor<2x4x8x64xf32>
  %e5 = tensor.empty() : tensor<2x4x8x64xf32>
  %qs = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%qr, %sinb : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e5 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x64xf32>
  %e6 = tensor.empty() : tensor<2x4x8x64xf32>
  %qo = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%qc, %qs : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e6 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.addf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x64xf32>
  // k: same ops, same two broadcasts
  %e7 = tensor.empty() : tensor<2x4x8x64xf32>
  %kc = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%k, %cosb : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e7 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x64xf32>
  %k1 = tensor.extract_slice %k[0, 0, 0, 0] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %k2 = tensor.extract_slice %k[0, 0, 0, 32] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %e8 = tensor.empty() : tensor<2x4x8x32xf32>
  %nk2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%k2 : tensor<2x4x8x32xf32>) outs(%e8 : tensor<2x4x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x32xf32>
  %e9 = tensor.empty() : tensor<2x4x8x64xf32>
  %kr = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%e9 : tensor<2x4x8x64xf32>) {
  ^bb0(%out: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %lt = arith.cmpi ult, %i3, %c32 : index
    %v = scf.if %lt -> (f32) {
      %x = tensor.extract %nk2[%i0, %i1, %i2, %i3] : tensor<2x4x8x32xf32>
      scf.yield %x : f32
    } else {
      %j = arith.subi %i3, %c32 : index
      %x = tensor.extract %k1[%i0, %i1, %i2, %j] : tensor<2x4x8x32xf32>
      scf.yield %x : f32
    }
    linalg.yield %v : f32
  } -> tensor<2x4x8x64xf32>
  %e10 = tensor.empty() : tensor<2x4x8x64xf32>
  %ks = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%kr, %sinb : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e10 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x64xf32>
  %e11 = tensor.empty() : tensor<2x4x8x64xf32>
  %ko = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%kc, %ks : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e11 : tensor<2x4x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.addf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x4x8x64xf32>
  return %qo, %ko : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>
}
