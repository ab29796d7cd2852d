// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|RopeUnrollOddVectors|'vector.transfer_write' op requires the bitwidth of the minor N-D vector to be an integral multiple of the bitwidth of the source element type
// FUZZ-DETAIL: after pass RopeUnrollOddVectors: in.mlir:2:3: error: 'vector.transfer_write' op requires the bitwidth of the minor 1-D vector to be an integral multiple of the bitwidth of the source element type (with --verify-each=false the invocation fails later: in.mlir:2:3: error: 'vector.transfer_write' is lef
module {
  func.func @dynamic_index(%arg0: vector<40xf32>, %arg1: memref<?xf80>, %arg2: index) {
    vector.transfer_write %arg0, %arg1[%arg2] {in_bounds = [true]} : vector<40xf32>, memref<?xf80>
    return
  }
}
