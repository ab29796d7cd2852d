// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|ExpandStridedMetadataPass|expected sizes to be non-negative, but got N
// FUZZ-DETAIL: after pass ExpandStridedMetadataPass: in.mlir:1:21: error: expected sizes to be non-negative, but got -64 (with --verify-each=false the invocation succeeds)
module {
  func.func @in_place(%arg0: memref<9223372036854775807x64xf32>, %arg1: index, %arg2: f32) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %arg3 = %c0 to %arg1 step %c1 {
      %0 = vector.transfer_read %arg0[%arg3, %c0], %arg2 {in_bounds = [true]} : memref<9223372036854775807x64xf32>, vector<16xf32>
      vector.transfer_write %0, %arg0[%arg3, %c0] {in_bounds = [true]} : vector<16xf32>, memref<9223372036854775807x64xf32>
    }
    return
  }
}
