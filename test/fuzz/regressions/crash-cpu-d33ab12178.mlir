// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: ubsan|lib/Rope/Transforms/NontemporalStores.cpp:50|negation of N cannot be represented in type 'long int'; cast to an unsigned type to negate this value to itself
// FUZZ-DETAIL: /work/main/lib/Rope/Transforms/NontemporalStores.cpp:50:39: runtime error: negation of -9223372036854775808 cannot be represented in type 'long int'; cast to an unsigned type to negate this value to itself
// FUZZ-STACK-0: lineMultiple /work/main/lib/Rope/Transforms/NontemporalStores.cpp:50
// FUZZ-STACK-1: alignedRoot /work/main/lib/Rope/Transforms/NontemporalStores.cpp:133
// FUZZ-STACK-2: streamableRoot /work/main/lib/Rope/Transforms/NontemporalStores.cpp:186
// FUZZ-STACK-3: operator_call /work/main/lib/Rope/Transforms/NontemporalStores.cpp:230
module {
  func.func @forty_eight_2d(%arg0: memref<2x48xf32>, %arg1: vector<2x48xf32>) {
    %c-9223372036854775808 = arith.constant -9223372036854775808 : index
    vector.transfer_write %arg1, %arg0[%c-9223372036854775808, %c-9223372036854775808] {in_bounds = [true, true]} : vector<2x48xf32>, memref<2x48xf32>
    return
  }
}
