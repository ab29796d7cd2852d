// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|OwnershipBasedBufferDeallocationPass|'vector.mask' op expects only one operation to mask
// FUZZ-DETAIL: after pass OwnershipBasedBufferDeallocationPass: in.mlir:4:10: error: 'vector.mask' op expects only one operation to mask (with --verify-each=false the invocation fails later: in.mlir:2:27: error: 'builtin.unrealized_conversion_cast' is left after lowering, where only ops of the dialects [llvm, omp]
module {
  func.func @not_unrolled(%arg0: memref<?xf32>, %arg1: vector<40xi1>, %arg2: f32) -> vector<40xf32> {
    %c0 = arith.constant 0 : index
    %0 = vector.mask %arg1 { vector.transfer_read %arg0[%c0], %arg2 {in_bounds = [true]} : memref<?xf32>, vector<40xf32> } : vector<40xi1> -> vector<40xf32>
    return %0 : vector<40xf32>
  }
}
