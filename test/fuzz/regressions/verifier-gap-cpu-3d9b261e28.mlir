// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|TosaToTensorPass|'tensor.collapse_shape' op expected reassociation map #N to have size equal to the expanded rank (N), but it is N.
// FUZZ-DETAIL: after pass TosaToTensorPass: in.mlir:19:11: error: 'tensor.collapse_shape' op expected reassociation map #0 to have size equal to the expanded rank (3), but it is  1. (with --verify-each=false the invocation succeeds)
module {
  func.func @llama_no_negate(%arg0: tensor<1x8x64xf32>) -> tensor<1x1x8x64xf32> {
    %0 = tosa.const_shape  {values = dense<[1, -9223372036854775808, 8, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %1 = tosa.reshape %arg0, %0 : (tensor<1x8x64xf32>, !tosa.shape<4>) -> tensor<1x1x8x64xf32>
    return %1 : tensor<1x1x8x64xf32>
  }
}
