// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: Llama-3.2-1B HF LlamaRotaryEmbedding (llama3 scaling) + apply_rotary_pos_emb, bf16, GQA (4 q heads, 2 kv heads), prefill S=8, as --convert-torch-to-tosa alone emits it (no cleanup passes)
// FUNC: @llama32_bf16_raw
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=500000 scaling=llama3:32,1,4,8192
// EXPECT: rotate
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// The raw output of TorchToTosa (torch-mlir lib/Conversion/TorchToTosa/TorchToTosa.cpp) before the TOSA backend
// pipeline's layerwise-constant-fold/canonicalize/cse; every helper emits its own constants:
// - inv_freq (llama3-scaled at init, f32 literal) -> tosa.reshape [1, P] -> an identity tosa.slice (the ':' of
//   inv_freq[None, :, None], aten.slice.Tensor 0..INT64_MAX clamped to the full size) -> tosa.reshape [1, P, 1];
//   B = 1 so .expand(1, -1, 1) is the identity (broadcast_to to the same shape is erased);
// - position_ids[:, None, :]: identity tosa.slice, tosa.reshape, identity tosa.slice; .float(): tosa.cast i64 -> f32;
// - tosa.matmul [1, P, 1] x [1, 1, S] with f32 zero points, tosa.transpose perms [0, 2, 1], tosa.concat, tosa.cos/sin;
// - `emb.cos() * self.attention_scaling` (1.0): a rank-0 f32 tosa.const reshaped to [1, 1, 1] (EqualizeRanks) and a
//   tosa.mul; .to(bf16): tosa.cast f32 -> bf16;
// - `(q * cos) + (rotate_half(q) * sin)`: aten.add.Tensor's alpha = 1 is always materialised: a rank-0 f32 const
//   1.0, tosa.cast to bf16 (getConstTensor<float> with a bf16 dtype), tosa.reshape to [1, 1, 1, 1], and a tosa.mul
//   of the rhs by it before the tosa.add;
// - every tosa.mul has its own i8 shift constant, every tosa.negate its own bf16 zero points.

func.func @llama32_bf16_raw(%q: tensor<1x4x8x64xbf16>, %k: tensor<1x2x8x64xbf16>, %position_ids: tensor<1x8xi64>) -> (tensor<1x4x8x64xbf16>, tensor<1x2x8x64xbf16>) {
  // LlamaRotaryEmbedding.forward: inv_freq[None, :, None].float().expand(B, -1, 1)
  %inv_freq1 = "tosa.const"() <{values = dense<[1.000000000e+00, 6.636012793e-01, 4.403666258e-01, 2.922278345e-01, 1.939227581e-01, 1.286873817e-01, 8.539710194e-02, 5.666961893e-02, 3.760603070e-02, 2.495540865e-02, 1.656044088e-02, 1.098952908e-02, 7.292665076e-03, 4.839421250e-03, 3.211446106e-03, 1.290548011e-03, 4.295567051e-04, 9.708286234e-05, 1.946163866e-05, 1.291476747e-05, 8.570255886e-06, 5.687232260e-06, 3.774054449e-06, 2.504467147e-06, 1.661967417e-06, 1.102883630e-06, 7.318749340e-07, 4.856731266e-07, 3.222932889e-07, 2.138742303e-07, 1.419272024e-07, 9.418306490e-08]> : tensor<32xf32>}> : () -> tensor<32xf32>
  %s2 = tosa.const_shape {values = dense<[1, 32]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %v3 = tosa.reshape %inv_freq1, %s2 : (tensor<32xf32>, !tosa.shape<2>) -> tensor<1x32xf32>
  %s4 = tosa.const_shape {values = dense<[0, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s5 = tosa.const_shape {values = dense<[1, 32]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %v6 = tosa.slice %v3, %s4, %s5 : (tensor<1x32xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x32xf32>
  %s7 = tosa.const_shape {values = dense<[1, 32, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v8 = tosa.reshape %v6, %s7 : (tensor<1x32xf32>, !tosa.shape<3>) -> tensor<1x32x1xf32>
  // position_ids[:, None, :].float()
  %s9 = tosa.const_shape {values = dense<[0, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s10 = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %v11 = tosa.slice %position_ids, %s9, %s10 : (tensor<1x8xi64>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x8xi64>
  %s12 = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v13 = tosa.reshape %v11, %s12 : (tensor<1x8xi64>, !tosa.shape<3>) -> tensor<1x1x8xi64>
  %s14 = tosa.const_shape {values = dense<[0, 0, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s15 = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v16 = tosa.slice %v13, %s14, %s15 : (tensor<1x1x8xi64>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x1x8xi64>
  %v17 = tosa.cast %v16 : (tensor<1x1x8xi64>) -> tensor<1x1x8xf32>
  // freqs = (inv_freq_expanded @ position_ids_expanded).transpose(1, 2)
  %zp18 = "tosa.const"() <{values = dense<[0.000000000e+00]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp19 = "tosa.const"() <{values = dense<[0.000000000e+00]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %v20 = tosa.matmul %v8, %v17, %zp18, %zp19 : (tensor<1x32x1xf32>, tensor<1x1x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x8xf32>
  %v21 = tosa.transpose %v20 {perms = array<i32: 0, 2, 1>} : (tensor<1x32x8xf32>) -> tensor<1x8x32xf32>
  // emb = cat((freqs, freqs), -1); cos = emb.cos() * attention_scaling
  %v22 = tosa.concat %v21, %v21 {axis = 2 : i32} : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  %v23 = tosa.cos %v22 : (tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  %v24 = tosa.sin %v22 : (tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  %attn25 = "tosa.const"() <{values = dense<1.000000000e+00> : tensor<f32>}> : () -> tensor<f32>
  %s26 = tosa.const_shape {values = dense<[1, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v27 = tosa.reshape %attn25, %s26 : (tensor<f32>, !tosa.shape<3>) -> tensor<1x1x1xf32>
  %shift28 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v29 = tosa.mul %v23, %v27, %shift28 : (tensor<1x8x64xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x8x64xf32>
  %shift30 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v31 = tosa.mul %v24, %v27, %shift30 : (tensor<1x8x64xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x8x64xf32>
  // cos.to(dtype=x.dtype), sin.to(dtype=x.dtype)
  %v32 = tosa.cast %v29 : (tensor<1x8x64xf32>) -> tensor<1x8x64xbf16>
  %v33 = tosa.cast %v31 : (tensor<1x8x64xf32>) -> tensor<1x8x64xbf16>
  // apply_rotary_pos_emb: cos.unsqueeze(1), sin.unsqueeze(1)
  %s34 = tosa.const_shape {values = dense<[1, 1, 8, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v35 = tosa.reshape %v32, %s34 : (tensor<1x8x64xbf16>, !tosa.shape<4>) -> tensor<1x1x8x64xbf16>
  %s36 = tosa.const_shape {values = dense<[1, 1, 8, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v37 = tosa.reshape %v33, %s36 : (tensor<1x8x64xbf16>, !tosa.shape<4>) -> tensor<1x1x8x64xbf16>
  // q_embed = (q * cos) + (rotate_half(q) * sin)
  %shift38 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v39 = tosa.mul %q, %v35, %shift38 : (tensor<1x4x8x64xbf16>, tensor<1x1x8x64xbf16>, tensor<1xi8>) -> tensor<1x4x8x64xbf16>
  %s40 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s41 = tosa.const_shape {values = dense<[1, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v42 = tosa.slice %q, %s40, %s41 : (tensor<1x4x8x64xbf16>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xbf16>
  %s43 = tosa.const_shape {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s44 = tosa.const_shape {values = dense<[1, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v45 = tosa.slice %q, %s43, %s44 : (tensor<1x4x8x64xbf16>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xbf16>
  %zp46 = "tosa.const"() <{values = dense<[0.0]> : tensor<1xbf16>}> : () -> tensor<1xbf16>
  %v47 = tosa.negate %v45, %zp46, %zp46 : (tensor<1x4x8x32xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<1x4x8x32xbf16>
  %v48 = tosa.concat %v47, %v42 {axis = 3 : i32} : (tensor<1x4x8x32xbf16>, tensor<1x4x8x32xbf16>) -> tensor<1x4x8x64xbf16>
  %shift49 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v50 = tosa.mul %v48, %v37, %shift49 : (tensor<1x4x8x64xbf16>, tensor<1x1x8x64xbf16>, tensor<1xi8>) -> tensor<1x4x8x64xbf16>
  %alpha51 = "tosa.const"() <{values = dense<1.000000000e+00> : tensor<f32>}> : () -> tensor<f32>
  %v52 = tosa.cast %alpha51 : (tensor<f32>) -> tensor<bf16>
  %s53 = tosa.const_shape {values = dense<[1, 1, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v54 = tosa.reshape %v52, %s53 : (tensor<bf16>, !tosa.shape<4>) -> tensor<1x1x1x1xbf16>
  %shift55 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v56 = tosa.mul %v50, %v54, %shift55 : (tensor<1x4x8x64xbf16>, tensor<1x1x1x1xbf16>, tensor<1xi8>) -> tensor<1x4x8x64xbf16>
  %v57 = tosa.add %v39, %v56 : (tensor<1x4x8x64xbf16>, tensor<1x4x8x64xbf16>) -> tensor<1x4x8x64xbf16>
  // k_embed = (k * cos) + (rotate_half(k) * sin)
  %shift58 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v59 = tosa.mul %k, %v35, %shift58 : (tensor<1x2x8x64xbf16>, tensor<1x1x8x64xbf16>, tensor<1xi8>) -> tensor<1x2x8x64xbf16>
  %s60 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s61 = tosa.const_shape {values = dense<[1, 2, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v62 = tosa.slice %k, %s60, %s61 : (tensor<1x2x8x64xbf16>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x8x32xbf16>
  %s63 = tosa.const_shape {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s64 = tosa.const_shape {values = dense<[1, 2, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v65 = tosa.slice %k, %s63, %s64 : (tensor<1x2x8x64xbf16>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x8x32xbf16>
  %zp66 = "tosa.const"() <{values = dense<[0.0]> : tensor<1xbf16>}> : () -> tensor<1xbf16>
  %v67 = tosa.negate %v65, %zp66, %zp66 : (tensor<1x2x8x32xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<1x2x8x32xbf16>
  %v68 = tosa.concat %v67, %v62 {axis = 3 : i32} : (tensor<1x2x8x32xbf16>, tensor<1x2x8x32xbf16>) -> tensor<1x2x8x64xbf16>
  %shift69 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v70 = tosa.mul %v68, %v37, %shift69 : (tensor<1x2x8x64xbf16>, tensor<1x1x8x64xbf16>, tensor<1xi8>) -> tensor<1x2x8x64xbf16>
  %alpha71 = "tosa.const"() <{values = dense<1.000000000e+00> : tensor<f32>}> : () -> tensor<f32>
  %v72 = tosa.cast %alpha71 : (tensor<f32>) -> tensor<bf16>
  %s73 = tosa.const_shape {values = dense<[1, 1, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v74 = tosa.reshape %v72, %s73 : (tensor<bf16>, !tosa.shape<4>) -> tensor<1x1x1x1xbf16>
  %shift75 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v76 = tosa.mul %v70, %v74, %shift75 : (tensor<1x2x8x64xbf16>, tensor<1x1x1x1xbf16>, tensor<1xi8>) -> tensor<1x2x8x64xbf16>
  %v77 = tosa.add %v59, %v76 : (tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16>) -> tensor<1x2x8x64xbf16>
  return %v57, %v77 : tensor<1x4x8x64xbf16>, tensor<1x2x8x64xbf16>
}
