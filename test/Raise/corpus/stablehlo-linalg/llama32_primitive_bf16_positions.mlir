// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: stablehlo-linalg
// MODEL: Llama-3.2-1B HF LlamaRotaryEmbedding + apply_rotary_pos_emb via torch-xla StableHLO, stablehlo-legalize-to-linalg{enable-primitive-ops}, bf16, GQA (4 q heads, 2 kv heads), prefill
// FUNC: @llama32_primitive
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=500000 scaling=llama3:32,1,4,8192
// EXPECT: rotate
//
// The angle half of HF's rotary module as StableHLO ships it, lowered with
// enable-primitive-ops (linalg.map / linalg.broadcast / linalg.transpose /
// tensor.concat instead of generics):
// - inv_freq is a buffer, so a constant [P] (llama3-scaled at init, f32);
//   inv_freq[None, :, None].expand(B, -1, 1) is a reshape (tensor.expand_shape
//   to [P, 1] once the unit dims of the broadcast are collapsed) and a
//   broadcast_in_dim -> linalg.broadcast dimensions = [0];
// - position_ids[:, None, :].float() is expand_shape + linalg.map(arith.sitofp);
// - the @ is dot_general with batch dim 0 -> linalg.fill + linalg.batch_matmul
//   with K = 1; .transpose(1, 2) -> linalg.transpose;
// - cat((freqs, freqs)) -> tensor.concat; cos()/sin() -> linalg.map(math.cos/sin);
//   "* attention_scaling" (1.0 for llama3) stays as a map with a captured
//   scalar constant; .to(bf16) -> linalg.map(arith.truncf);
// - apply_rotary_pos_emb in bf16: unsqueeze(1) -> expand_shape, the implicit
//   broadcast -> collapse_shape of the unit dim + linalg.broadcast dimensions = [1];
//   q and k have different head counts (GQA), so each gets its own broadcast.
func.func @llama32_primitive(%q: tensor<2x4x8x64xbf16>, %k: tensor<2x2x8x64xbf16>, %position_ids: tensor<2x8xi64>) -> (tensor<2x4x8x64xbf16>, tensor<2x2x8x64xbf16>) {
  %inv_freq = arith.constant dense<[1.000000000e+00, 6.636012197e-01, 4.403665960e-01, 2.922278345e-01, 1.939227432e-01, 1.286873668e-01, 8.539710194e-02, 5.666962266e-02, 3.760603070e-02, 2.495540865e-02, 1.656044088e-02, 1.098952815e-02, 7.292664610e-03, 4.839421250e-03, 3.211446106e-03, 1.290547894e-03, 4.295567924e-04, 9.708287689e-05, 1.946163866e-05, 1.291476747e-05, 8.570255886e-06, 5.687232260e-06, 3.774054221e-06, 2.504467147e-06, 1.661967417e-06, 1.102883630e-06, 7.318749908e-07, 4.856731266e-07, 3.222932889e-07, 2.138742303e-07, 1.419272024e-07, 9.418306490e-08]> : tensor<32xf32>
  %zero = arith.constant 0.000000e+00 : f32
  %one = arith.constant 1.000000e+00 : f32
  // freqs = (inv_freq[None, :, None].expand(B, -1, 1) @ position_ids[:, None, :].float()).transpose(1, 2)
  %inv2 = tensor.expand_shape %inv_freq [[0, 1]] output_shape [32, 1] : tensor<32xf32> into tensor<32x1xf32>
  %e0 = tensor.empty() : tensor<2x32x1xf32>
  %invb = linalg.broadcast ins(%inv2 : tensor<32x1xf32>) outs(%e0 : tensor<2x32x1xf32>) dimensions = [0]
  %pos3 = tensor.expand_shape %position_ids [[0], [1, 2]] output_shape [2, 1, 8] : tensor<2x8xi64> into tensor<2x1x8xi64>
  %e1 = tensor.empty() : tensor<2x1x8xf32>
  %posf = linalg.map ins(%pos3 : tensor<2x1x8xi64>) outs(%e1 : tensor<2x1x8xf32>)
    (%in: i64, %out: f32) {
      %0 = arith.sitofp %in : i64 to f32
      linalg.yield %0 : f32
    }
  %e2 = tensor.empty() : tensor<2x32x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x32x8xf32>) -> tensor<2x32x8xf32>
  %mm = linalg.batch_matmul ins(%invb, %posf : tensor<2x32x1xf32>, tensor<2x1x8xf32>) outs(%z : tensor<2x32x8xf32>) -> tensor<2x32x8xf32>
  %e3 = tensor.empty() : tensor<2x8x32xf32>
  %freqs = linalg.transpose ins(%mm : tensor<2x32x8xf32>) outs(%e3 : tensor<2x8x32xf32>) permutation = [0, 2, 1]
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x32xf32>, tensor<2x8x32xf32>) -> tensor<2x8x64xf32>
  %e4 = tensor.empty() : tensor<2x8x64xf32>
  %cos0 = linalg.map ins(%emb : tensor<2x8x64xf32>) outs(%e4 : tensor<2x8x64xf32>)
    (%in: f32, %out: f32) {
      %0 = math.cos %in : f32
      linalg.yield %0 : f32
    }
  %cos1 = linalg.map ins(%cos0 : tensor<2x8x64xf32>) outs(%e4 : tensor<2x8x64xf32>)
    (%in: f32, %out: f32) {
      %0 = arith.mulf %in, %one : f32
      linalg.yield %0 : f32
    }
  %e5 = tensor.empty() : tensor<2x8x64xbf16>
  %cos = linalg.map ins(%cos1 : tensor<2x8x64xf32>) outs(%e5 : tensor<2x8x64xbf16>)
    (%in: f32, %out: bf16) {
      %0 = arith.truncf %in : f32 to bf16
      linalg.yield %0 : bf16
    }
  %sin0 = linalg.map ins(%emb : tensor<2x8x64xf32>) outs(%e4 : tensor<2x8x64xf32>)
    (%in: f32, %out: f32) {
      %0 = math.sin %in : f32
      linalg.yield %0 : f32
    }
  %sin1 = linalg.map ins(%sin0 : tensor<2x8x64xf32>) outs(%e4 : tensor<2x8x64xf32>)
    (%in: f32, %out: f32) {
      %0 = arith.mulf %in, %one : f32
      linalg.yield %0 : f32
    }
  %sin = linalg.map ins(%sin1 : tensor<2x8x64xf32>) outs(%e5 : tensor<2x8x64xbf16>)
    (%in: f32, %out: bf16) {
      %0 = arith.truncf %in : f32 to bf16
      linalg.yield %0 : bf16
    }
  // cos.unsqueeze(1), sin.unsqueeze(1)
  %cos4 = tensor.expand_shape %cos [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xbf16> into tensor<2x1x8x64xbf16>
  %sin4 = tensor.expand_shape %sin [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xbf16> into tensor<2x1x8x64xbf16>
  // q: broadcast over 4 heads
  %cq = tensor.collapse_shape %cos4 [[0, 1], [2], [3]] : tensor<2x1x8x64xbf16> into tensor<2x8x64xbf16>
  %eq = tensor.empty() : tensor<2x4x8x64xbf16>
  %cosq = linalg.broadcast ins(%cq : tensor<2x8x64xbf16>) outs(%eq : tensor<2x4x8x64xbf16>) dimensions = [1]
  %sq = tensor.collapse_shape %sin4 [[0, 1], [2], [3]] : tensor<2x1x8x64xbf16> into tensor<2x8x64xbf16>
  %sinq = linalg.broadcast ins(%sq : tensor<2x8x64xbf16>) outs(%eq : tensor<2x4x8x64xbf16>) dimensions = [1]
  %qc = linalg.map ins(%q, %cosq : tensor<2x4x8x64xbf16>, tensor<2x4x8x64xbf16>) outs(%eq : tensor<2x4x8x64xbf16>)
    (%in: bf16, %in_0: bf16, %out: bf16) {
      %0 = arith.mulf %in, %in_0 : bf16
      linalg.yield %0 : bf16
    }
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xbf16> to tensor<2x4x8x32xbf16>
  %q2 = tensor.extract_slice %q[0, 0, 0, 32] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xbf16> to tensor<2x4x8x32xbf16>
  %ehq = tensor.empty() : tensor<2x4x8x32xbf16>
  %nq2 = linalg.map ins(%q2 : tensor<2x4x8x32xbf16>) outs(%ehq : tensor<2x4x8x32xbf16>)
    (%in: bf16, %out: bf16) {
      %0 = arith.negf %in : bf16
      linalg.yield %0 : bf16
    }
  %qr = tensor.concat dim(3) %nq2, %q1 : (tensor<2x4x8x32xbf16>, tensor<2x4x8x32xbf16>) -> tensor<2x4x8x64xbf16>
  %qs = linalg.map ins(%qr, %sinq : tensor<2x4x8x64xbf16>, tensor<2x4x8x64xbf16>) outs(%eq : tensor<2x4x8x64xbf16>)
    (%in: bf16, %in_0: bf16, %out: bf16) {
      %0 = arith.mulf %in, %in_0 : bf16
      linalg.yield %0 : bf16
    }
  %qo = linalg.map ins(%qc, %qs : tensor<2x4x8x64xbf16>, tensor<2x4x8x64xbf16>) outs(%eq : tensor<2x4x8x64xbf16>)
    (%in: bf16, %in_0: bf16, %out: bf16) {
      %0 = arith.addf %in, %in_0 : bf16
      linalg.yield %0 : bf16
    }
  // k: broadcast over 2 kv heads
  %ek = tensor.empty() : tensor<2x2x8x64xbf16>
  %cosk = linalg.broadcast ins(%cq : tensor<2x8x64xbf16>) outs(%ek : tensor<2x2x8x64xbf16>) dimensions = [1]
  %sink = linalg.broadcast ins(%sq : tensor<2x8x64xbf16>) outs(%ek : tensor<2x2x8x64xbf16>) dimensions = [1]
  %kc = linalg.map ins(%k, %cosk : tensor<2x2x8x64xbf16>, tensor<2x2x8x64xbf16>) outs(%ek : tensor<2x2x8x64xbf16>)
    (%in: bf16, %in_0: bf16, %out: bf16) {
      %0 = arith.mulf %in, %in_0 : bf16
      linalg.yield %0 : bf16
    }
  %k1 = tensor.extract_slice %k[0, 0, 0, 0] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xbf16> to tensor<2x2x8x32xbf16>
  %k2 = tensor.extract_slice %k[0, 0, 0, 32] [2, 2, 8, 32] [1, 1, 1, 1] : tensor<2x2x8x64xbf16> to tensor<2x2x8x32xbf16>
  %ehk = tensor.empty() : tensor<2x2x8x32xbf16>
  %nk2 = linalg.map ins(%k2 : tensor<2x2x8x32xbf16>) outs(%ehk : tensor<2x2x8x32xbf16>)
    (%in: bf16, %out: bf16) {
      %0 = arith.negf %in : bf16
      linalg.yield %0 : bf16
    }
  %kr = tensor.concat dim(3) %nk2, %k1 : (tensor<2x2x8x32xbf16>, tensor<2x2x8x32xbf16>) -> tensor<2x2x8x64xbf16>
  %ks = linalg.map ins(%kr, %sink : tensor<2x2x8x64xbf16>, tensor<2x2x8x64xbf16>) outs(%ek : tensor<2x2x8x64xbf16>)
    (%in: bf16, %in_0: bf16, %out: bf16) {
      %0 = arith.mulf %in, %in_0 : bf16
      linalg.yield %0 : bf16
    }
  %ko = linalg.map ins(%kc, %ks : tensor<2x2x8x64xbf16>, tensor<2x2x8x64xbf16>) outs(%ek : tensor<2x2x8x64xbf16>)
    (%in: bf16, %in_0: bf16, %out: bf16) {
      %0 = arith.addf %in, %in_0 : bf16
      linalg.yield %0 : bf16
    }
  return %qo, %ko : tensor<2x4x8x64xbf16>, tensor<2x2x8x64xbf16>
}
