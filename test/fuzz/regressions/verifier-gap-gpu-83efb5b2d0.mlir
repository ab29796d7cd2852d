// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: gpu
// FUZZ-ARGS: ["--rope-gpu-pipeline=chip=sm_90 format=isa"]
// FUZZ-SIGNATURE: verifier-gap|ArithToLLVMConversionPass|expected add/mul op in the body
// FUZZ-DETAIL: after pass ArithToLLVMConversionPass: in.mlir:3:10: error: expected add/mul op in the body (with --verify-each=false the invocation fails later: in.mlir:2:87: error: 'builtin.unrealized_conversion_cast' is left after lowering, where only ops of the dialects [llvm, gpu] may remain: the pipeline has n
module {
  func.func @llama3_rope_decode(%arg0: tensor<1x64x1xf32>, %arg1: tensor<1x64x1xf32>, %arg2: tensor<1x1x1xf32>) -> tensor<1x64x1xf32> {
    %0 = linalg.batch_matmul ins(%arg1, %arg2 : tensor<1x64x1xf32>, tensor<1x1x1xf32>) outs(%arg0 : tensor<1x64x1xf32>) -> tensor<1x64x1xf32>
    return %0 : tensor<1x64x1xf32>
  }
}
