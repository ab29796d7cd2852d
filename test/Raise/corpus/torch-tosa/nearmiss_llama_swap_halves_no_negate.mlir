// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: Near miss: HF-Llama-shaped rotary whose rotate_half lost its minus (cat(x2, x1) instead of cat(-x2, x1)), torch-mlir TOSA backend pipeline, f32, GQA (4 q heads, 2 kv heads), S=8
// FUNC: @llama_no_negate
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=64 theta=10000
// EXPECT: none
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// Every producer of a Llama rotary graph is here (constant inv_freq, tosa.matmul with positions, tosa.transpose,
// tosa.concat, tosa.cos/sin, tosa.reshape unsqueeze, tosa.slice halves, tosa.concat), but the second half is
// not negated: y = x * cos + swap_halves(x) * sin gives y[j] = x[j] cos + x[j+P] sin and
// y[j+P] = x[j+P] cos + x[j] sin, a symmetric map (not a rotation, not its inverse), so --rope-raise must leave it
// alone and say why.

module {
  func.func @llama_no_negate(%arg0: tensor<1x4x8x64xf32>, %arg1: tensor<1x2x8x64xf32>, %arg2: tensor<1x8xi64>) -> (tensor<1x4x8x64xf32>, tensor<1x2x8x64xf32>) {
    %0 = tosa.const_shape  {values = dense<[1, 2, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %1 = tosa.const_shape  {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %2 = tosa.const_shape  {values = dense<[1, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %3 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %4 = tosa.const_shape  {values = dense<[1, 1, 8, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %5 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %6 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %7 = tosa.const_shape  {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %8 = "tosa.const"() <{values = dense<[[[1.000000e+00], [0.749894201], [0.562341332], [0.421696514], [0.316227764], [0.237137362], [0.177827939], [0.133352146], [1.000000e-01], [0.0749894157], [0.0562341288], [0.0421696492], [0.0316227786], [0.0237137359], [0.0177827943], [0.0133352149], [0.00999999977], [0.00749894232], [0.00562341325], [0.00421696482], [0.00316227786], [0.00237137382], [0.00177827943], [0.00133352145], [1.000000e-03], [7.49894185E-4], [5.62341302E-4], [4.21696488E-4], [3.16227786E-4], [2.37137385E-4], [1.7782794E-4], [1.3335215E-4]]]> : tensor<1x32x1xf32>}> : () -> tensor<1x32x1xf32>
    %9 = tosa.reshape %arg2, %7 : (tensor<1x8xi64>, !tosa.shape<3>) -> tensor<1x1x8xi64>
    %10 = tosa.cast %9 : (tensor<1x1x8xi64>) -> tensor<1x1x8xf32>
    %11 = tosa.matmul %8, %10, %6, %6 : (tensor<1x32x1xf32>, tensor<1x1x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x32x8xf32>
    %12 = tosa.transpose %11 {perms = array<i32: 0, 2, 1>} : (tensor<1x32x8xf32>) -> tensor<1x8x32xf32>
    %13 = tosa.concat %12, %12 {axis = 2 : i32} : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
    %14 = tosa.cos %13 : (tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
    %15 = tosa.sin %13 : (tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
    %16 = tosa.reshape %14, %4 : (tensor<1x8x64xf32>, !tosa.shape<4>) -> tensor<1x1x8x64xf32>
    %17 = tosa.reshape %15, %4 : (tensor<1x8x64xf32>, !tosa.shape<4>) -> tensor<1x1x8x64xf32>
    %18 = tosa.mul %arg0, %16, %5 : (tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
    %19 = tosa.slice %arg0, %3, %2 : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
    %20 = tosa.slice %arg0, %1, %2 : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
    %21 = tosa.concat %20, %19 {axis = 3 : i32} : (tensor<1x4x8x32xf32>, tensor<1x4x8x32xf32>) -> tensor<1x4x8x64xf32>
    %22 = tosa.mul %21, %17, %5 : (tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
    %23 = tosa.add %18, %22 : (tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) -> tensor<1x4x8x64xf32>
    %24 = tosa.mul %arg1, %16, %5 : (tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x2x8x64xf32>
    %25 = tosa.slice %arg1, %3, %0 : (tensor<1x2x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x8x32xf32>
    %26 = tosa.slice %arg1, %1, %0 : (tensor<1x2x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x8x32xf32>
    %27 = tosa.concat %26, %25 {axis = 3 : i32} : (tensor<1x2x8x32xf32>, tensor<1x2x8x32xf32>) -> tensor<1x2x8x64xf32>
    %28 = tosa.mul %27, %17, %5 : (tensor<1x2x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x2x8x64xf32>
    %29 = tosa.add %24, %28 : (tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) -> tensor<1x2x8x64xf32>
    return %23, %29 : tensor<1x4x8x64xf32>, tensor<1x2x8x64xf32>
  }
}
