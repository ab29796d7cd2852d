// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|OneShotBufferizePass|'memref.expand_shape' op invalid output shape provided at pos N
// FUZZ-DETAIL: after pass OneShotBufferizePass: in.mlir:3:17: error: 'memref.expand_shape' op invalid output shape provided at pos 1 (with --verify-each=false the invocation succeeds) [found by binary: rope-opt-release2]
module {
  func.func @hf_unfused(%arg0: tensor<2x8x64xf32>) -> tensor<2x1x8x64xf32> {
    %expanded = tensor.expand_shape %arg0 [[0], [1, 2], [3]] output_shape [2, 127, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
    return %expanded : tensor<2x1x8x64xf32>
  }
}
