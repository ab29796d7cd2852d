// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: gpu
// FUZZ-ARGS: ["--rope-gpu-pipeline=chip=sm_90 format=isa"]
// FUZZ-SIGNATURE: verifier-gap|GpuToLLVMConversionPass|'linalg.generic' op expects region #N to have N or N blocks
// FUZZ-DETAIL: after pass GpuToLLVMConversionPass: in.mlir:5:10: error: 'linalg.generic' op expects region #0 to have 0 or 1 blocks (with --verify-each=false the invocation fails later: in.mlir:3:51: error: 'builtin.unrealized_conversion_cast' is left after lowering, where only ops of the dialects [llvm, gpu] may 
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
module {
  func.func @gptj_rope(%arg0: tensor<2x4x64xf32>, %arg1: tensor<2x4x64xi64>, %arg2: tensor<2x32x64xf32>) -> tensor<2x4x64xf32> {
    %c0_i64 = arith.constant 0
    %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<2x4x64xi64>) outs(%arg0 : tensor<2x4x64xf32>) {
    ^bb0(%in: i64, %out: f32):
      %1 = arith.index_cast %in : i64 to index
      %2 = linalg.index 0 : index
      %3 = linalg.index 2 : index
      %4 = arith.cmpi sge, %in, %c0_i64 : i64
      cf.assert %4, "index must be larger or equal to 0"
      %extracted = tensor.extract %arg2[%2, %1, %3] : tensor<2x32x64xf32>
      linalg.yield %extracted : f32
    } -> tensor<2x4x64xf32>
    return %0 : tensor<2x4x64xf32>
  }
}
