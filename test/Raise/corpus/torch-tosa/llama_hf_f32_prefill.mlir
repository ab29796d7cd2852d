// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: Llama-2 style HF LlamaRotaryEmbedding + apply_rotary_pos_emb, torch-mlir fx import -> torch-backend-to-tosa-backend-pipeline, f32, GQA (4 q heads, 2 kv heads), B=2, prefill S=8
// FUNC: @llama_f32_prefill
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=10000
// EXPECT: rotate
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// What torch-mlir's TOSA backend pipeline leaves after TorchToTosa (lib/Conversion/TorchToTosa/TorchToTosa.cpp)
// and its cleanup (tosa-layerwise-constant-fold, tosa-reduce-transposes, tosa-make-broadcastable, canonicalize, cse,
// lib/Dialect/TorchConversion/Transforms/Passes.cpp):
// - the inv_freq buffer is a literal; inv_freq[None, :, None] (two aten.unsqueeze -> tosa.reshape, an identity
//   aten.slice -> tosa.slice) folds into one constant [1, P, 1];
// - .expand(B, -1, 1) is aten.broadcast_to -> tosa.tile multiples [B, 1, 1] of that constant;
// - position_ids[:, None, :].float(): tosa.reshape [B, S] -> [B, 1, S], then tosa.cast i64 -> f32 (positions stay i64);
// - the @ (aten.bmm) is tosa.matmul with the two f32 zero points (TOSA 1.0), K = 1; .transpose(1, 2) is tosa.transpose;
// - cat -> tosa.concat; cos/sin -> tosa.cos/tosa.sin; `* attention_scaling` (1.0) folded away by canonicalize;
// - unsqueeze(1) -> tosa.reshape [B, S, D] -> [B, 1, S, D], CSE'd between q and k; tosa.mul broadcasts it over heads;
// - rotate_half: two tosa.slice, tosa.negate with zero-point operands (CSE'd with the matmul's f32 zero point), tosa.concat.

module {
  func.func @llama_f32_prefill(%arg0: tensor<2x4x8x64xf32>, %arg1: tensor<2x2x8x64xf32>, %arg2: tensor<2x8xi64>) -> (tensor<2x4x8x64xf32>, tensor<2x2x8x64xf32>) {
    %0 = tosa.const_shape  {values = dense<[2, 2, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %1 = tosa.const_shape  {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %2 = tosa.const_shape  {values = dense<[2, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %3 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %4 = tosa.const_shape  {values = dense<[2, 1, 8, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %5 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %6 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %7 = tosa.const_shape  {values = dense<[2, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %8 = tosa.const_shape  {values = dense<[2, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %9 = "tosa.const"() <{values = dense<[[[1.000000e+00], [0.749894201], [0.562341332], [0.421696514], [0.316227764], [0.237137362], [0.177827939], [0.133352146], [1.000000e-01], [0.0749894157], [0.0562341288], [0.0421696492], [0.0316227786], [0.0237137359], [0.0177827943], [0.0133352149], [0.00999999977], [0.00749894232], [0.00562341325], [0.00421696482], [0.00316227786], [0.00237137382], [0.00177827943], [0.00133352145], [1.000000e-03], [7.49894185E-4], [5.62341302E-4], [4.21696488E-4], [3.16227786E-4], [2.37137385E-4], [1.7782794E-4], [1.3335215E-4]]]> : tensor<1x32x1xf32>}> : () -> tensor<1x32x1xf32>
    %10 = tosa.tile %9, %8 : (tensor<1x32x1xf32>, !tosa.shape<3>) -> tensor<2x32x1xf32>
    %11 = tosa.reshape %arg2, %7 : (tensor<2x8xi64>, !tosa.shape<3>) -> tensor<2x1x8xi64>
    %12 = tosa.cast %11 : (tensor<2x1x8xi64>) -> tensor<2x1x8xf32>
    %13 = tosa.matmul %10, %12, %6, %6 : (tensor<2x32x1xf32>, tensor<2x1x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x32x8xf32>
    %14 = tosa.transpose %13 {perms = array<i32: 0, 2, 1>} : (tensor<2x32x8xf32>) -> tensor<2x8x32xf32>
    %15 = tosa.concat %14, %14 {axis = 2 : i32} : (tensor<2x8x32xf32>, tensor<2x8x32xf32>) -> tensor<2x8x64xf32>
    %16 = tosa.cos %15 : (tensor<2x8x64xf32>) -> tensor<2x8x64xf32>
    %17 = tosa.sin %15 : (tensor<2x8x64xf32>) -> tensor<2x8x64xf32>
    %18 = tosa.reshape %16, %4 : (tensor<2x8x64xf32>, !tosa.shape<4>) -> tensor<2x1x8x64xf32>
    %19 = tosa.reshape %17, %4 : (tensor<2x8x64xf32>, !tosa.shape<4>) -> tensor<2x1x8x64xf32>
    %20 = tosa.mul %arg0, %18, %5 : (tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>, tensor<1xi8>) -> tensor<2x4x8x64xf32>
    %21 = tosa.slice %arg0, %3, %2 : (tensor<2x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<2x4x8x32xf32>
    %22 = tosa.slice %arg0, %1, %2 : (tensor<2x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<2x4x8x32xf32>
    %23 = tosa.negate %22, %6, %6 : (tensor<2x4x8x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x8x32xf32>
    %24 = tosa.concat %23, %21 {axis = 3 : i32} : (tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x64xf32>
    %25 = tosa.mul %24, %19, %5 : (tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>, tensor<1xi8>) -> tensor<2x4x8x64xf32>
    %26 = tosa.add %20, %25 : (tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) -> tensor<2x4x8x64xf32>
    %27 = tosa.mul %arg1, %18, %5 : (tensor<2x2x8x64xf32>, tensor<2x1x8x64xf32>, tensor<1xi8>) -> tensor<2x2x8x64xf32>
    %28 = tosa.slice %arg1, %3, %0 : (tensor<2x2x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<2x2x8x32xf32>
    %29 = tosa.slice %arg1, %1, %0 : (tensor<2x2x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<2x2x8x32xf32>
    %30 = tosa.negate %29, %6, %6 : (tensor<2x2x8x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x2x8x32xf32>
    %31 = tosa.concat %30, %28 {axis = 3 : i32} : (tensor<2x2x8x32xf32>, tensor<2x2x8x32xf32>) -> tensor<2x2x8x64xf32>
    %32 = tosa.mul %31, %19, %5 : (tensor<2x2x8x64xf32>, tensor<2x1x8x64xf32>, tensor<1xi8>) -> tensor<2x2x8x64xf32>
    %33 = tosa.add %27, %32 : (tensor<2x2x8x64xf32>, tensor<2x2x8x64xf32>) -> tensor<2x2x8x64xf32>
    return %26, %33 : tensor<2x4x8x64xf32>, tensor<2x2x8x64xf32>
  }
}
