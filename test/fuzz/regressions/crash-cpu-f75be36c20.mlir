// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: ubsan|lib/Rope/Transforms/NontemporalStores.cpp:177|signed integer overflow: N * N cannot be represented in type 'long int'
// FUZZ-DETAIL: /work/main/lib/Rope/Transforms/NontemporalStores.cpp:177:33: runtime error: signed integer overflow: 4 * 4611686018427387904 cannot be represented in type 'long int'
// FUZZ-STACK-0: streamableRoot /work/main/lib/Rope/Transforms/NontemporalStores.cpp:177
// FUZZ-STACK-1: operator_call /work/main/lib/Rope/Transforms/NontemporalStores.cpp:226
// FUZZ-STACK-2: operator_call /usr/lib/llvm-22/include/mlir/IR/Visitors.h:304
// FUZZ-STACK-3: callback_fn<mlir::detail::walk<>(mlir::Operation*, anon::RopeNontemporalStoresPass::runOnOperation()::<>&&)::<> > /usr/lib/llvm-22/include/llvm/ADT/STLFunctionalExtras.h:46
module {
  func.func @dynamic_index(%arg0: vector<4611686018427387904xf32>, %arg1: memref<?xf32>, %arg2: index) {
    vector.transfer_write %arg0, %arg1[%arg2] {in_bounds = [true]} : vector<4611686018427387904xf32>, memref<?xf32>
    return
  }
}
