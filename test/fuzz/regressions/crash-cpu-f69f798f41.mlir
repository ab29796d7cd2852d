// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: ubsan|lib/Rope/Transforms/Prefetch.cpp:157|signed integer overflow: N * N cannot be represented in type 'long int'
func.func @sibling_loops(%x: memref<?x64xf32>, %y: memref<?x64xf32>, %z: memref<?x64xf32>, %v: vector<9223372036854775807xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  scf.for %t = %c0 to %n step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      %col = arith.muli %j, %c4 : index
      vector.store %v, %y[%t, %col] {nontemporal = true} : memref<?x64xf32>, vector<9223372036854775807xf32>
    }
    scf.for %j = %c0 to %c4 step %c1 {
      %col = arith.muli %j, %c4 : index
      %a = vector.transfer_read %x[%t, %col], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<9223372036854775807xf32>
      vector.transfer_write %a, %z[%t, %col] {in_bounds = [true]} : vector<9223372036854775807xf32>, memref<?x64xf32>
    }
  }
  return
}
