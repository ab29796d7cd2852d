// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|TosaToTensorPass|expected offsets to be non-negative, but got N
// FUZZ-DETAIL: after pass TosaToTensorPass: in.mlir:7:9: error: expected offsets to be non-negative, but got -2 (with --verify-each=false the invocation succeeds)
module {
  func.func @tosa_rope(%arg0: tensor<1x4x8x64xf32>) -> tensor<1x4x8x32xf32> {
    %0 = tosa.const_shape  {values = dense<[0, 0, -2, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %1 = tosa.const_shape  {values = dense<[1, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %2 = tosa.slice %arg0, %0, %1 : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
    return %2 : tensor<1x4x8x32xf32>
  }
}
