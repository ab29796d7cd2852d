// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: HF Llama rotary with position_ids taken from cache_position (a 1-D [S] i64 tensor: position_ids = cache_position.unsqueeze(0)), GQA (4 q heads, 2 kv heads), S=16, torch-mlir TOSA backend pipeline, f32
// FUNC: @llama_cache_position
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=10000
// EXPECT: rotate
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// When LlamaModel.forward gets no position_ids it makes them from cache_position [S]:
// position_ids = cache_position.unsqueeze(0), then the rotary module's position_ids[:, None, :]. The two
// aten.unsqueeze (tosa.reshape [S] -> [1, S] -> [1, 1, S]) fold into one tosa.reshape [S] -> [1, 1, S] under
// canonicalize, so the graph's positions argument is 1-D and the batch (1) only appears after the reshape.

module {
  func.func @llama_cache_position(%arg0: tensor<1x4x16x64xf32>, %arg1: tensor<1x2x16x64xf32>, %arg2: tensor<16xi64>) -> (tensor<1x4x16x64xf32>, tensor<1x2x16x64xf32>) {
    %0 = tosa.const_shape  {values = dense<[1, 2, 16, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %1 = tosa.const_shape  {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %2 = tosa.const_shape  {values = dense<[1, 4, 16, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %3 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %4 = tosa.const_shape  {values = dense<[1, 1, 16, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %5 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %6 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %7 = tosa.const_shape  {values = dense<[1, 1, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %8 = "tosa.const"() <{values = dense<[[[1.000000e+00], [0.749894201], [0.562341332], [0.421696514], [0.316227764], [0.237137362], [0.177827939], [0.133352146], [1.000000e-01], [0.0749894157], [0.0562341288], [0.0421696492], [0.0316227786], [0.0237137359], [0.0177827943], [0.0133352149], [0.00999999977], [0.00749894232], [0.00562341325], [0.00421696482], [0.00316227786], [0.00237137382], [0.00177827943], [0.00133352145], [1.000000e-03], [7.49894185E-4], [5.62341302E-4], [4.21696488E-4], [3.16227786E-4], [2.37137385E-4], [1.7782794E-4], [1.3335215E-4]]]> : tensor<1x32x1xf32>}> : () -> tensor<1x32x1xf32>
    %9 = tosa.reshape %arg2, %7 : (tensor<16xi64>, !tosa.shape<3>) -> tensor<1x1x16xi64>
    %10 = tosa.cast %9 : (tensor<1x1x16xi64>) -> tensor<1x1x16xf32>
    %11 = tosa.matmul %8, %10, %6, %6 : (tensor<1x32x1xf32>, tensor<1x1x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x16xf32>
    %12 = tosa.transpose %11 {perms = array<i32: 0, 2, 1>} : (tensor<1x32x16xf32>) -> tensor<1x16x32xf32>
    %13 = tosa.concat %12, %12 {axis = 2 : i32} : (tensor<1x16x32xf32>, tensor<1x16x32xf32>) -> tensor<1x16x64xf32>
    %14 = tosa.cos %13 : (tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
    %15 = tosa.sin %13 : (tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
    %16 = tosa.reshape %14, %4 : (tensor<1x16x64xf32>, !tosa.shape<4>) -> tensor<1x1x16x64xf32>
    %17 = tosa.reshape %15, %4 : (tensor<1x16x64xf32>, !tosa.shape<4>) -> tensor<1x1x16x64xf32>
    %18 = tosa.mul %arg0, %16, %5 : (tensor<1x4x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1xi8>) -> tensor<1x4x16x64xf32>
    %19 = tosa.slice %arg0, %3, %2 : (tensor<1x4x16x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x16x32xf32>
    %20 = tosa.slice %arg0, %1, %2 : (tensor<1x4x16x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x16x32xf32>
    %21 = tosa.negate %20, %6, %6 : (tensor<1x4x16x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x16x32xf32>
    %22 = tosa.concat %21, %19 {axis = 3 : i32} : (tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>) -> tensor<1x4x16x64xf32>
    %23 = tosa.mul %22, %17, %5 : (tensor<1x4x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1xi8>) -> tensor<1x4x16x64xf32>
    %24 = tosa.add %18, %23 : (tensor<1x4x16x64xf32>, tensor<1x4x16x64xf32>) -> tensor<1x4x16x64xf32>
    %25 = tosa.mul %arg1, %16, %5 : (tensor<1x2x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1xi8>) -> tensor<1x2x16x64xf32>
    %26 = tosa.slice %arg1, %3, %0 : (tensor<1x2x16x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x16x32xf32>
    %27 = tosa.slice %arg1, %1, %0 : (tensor<1x2x16x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x16x32xf32>
    %28 = tosa.negate %27, %6, %6 : (tensor<1x2x16x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x16x32xf32>
    %29 = tosa.concat %28, %26 {axis = 3 : i32} : (tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>) -> tensor<1x2x16x64xf32>
    %30 = tosa.mul %29, %17, %5 : (tensor<1x2x16x64xf32>, tensor<1x1x16x64xf32>, tensor<1xi8>) -> tensor<1x2x16x64xf32>
    %31 = tosa.add %25, %30 : (tensor<1x2x16x64xf32>, tensor<1x2x16x64xf32>) -> tensor<1x2x16x64xf32>
    return %24, %31 : tensor<1x4x16x64xf32>, tensor<1x2x16x64xf32>
  }
}
