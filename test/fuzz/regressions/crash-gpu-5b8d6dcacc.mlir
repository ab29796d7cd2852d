// FUZZ-KIND: crash
// FUZZ-ORIGIN: upstream-known (tensor.dim/memref.dim with a negative constant index (one-shot-bufferize; canonicalize with the gpu dialect loaded))
// FUZZ-INVOCATION: gpu
// FUZZ-ARGS: ["--rope-gpu-pipeline=chip=sm_90 format=isa"]
// FUZZ-SIGNATURE: crash|libMLIR.so.22.1+0x35542ec|mlir::PatternApplicator::matchAndRewrite
// FUZZ-DETAIL: SIGSEGV [found by binary: rope-opt-release]
// FUZZ-STACK-0: libMLIR.so.22.1+0x35542ec
// FUZZ-STACK-1: libMLIR.so.22.1+0x61beea7
// FUZZ-STACK-2: mlir::PatternApplicator::matchAndRewrite
// FUZZ-STACK-3: libMLIR.so.22.1+0x641a6d5
module {
  func.func @in_place(%arg0: memref<?x65536xf32>) {
    %c-129 = arith.constant -129 : index
    %c1 = arith.constant 1 : index
    %dim = memref.dim %arg0, %c-129 : memref<?x65536xf32>
    scf.for %arg1 = %c-129 to %dim step %c1 {
    }
    return
  }
}
