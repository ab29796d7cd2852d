//===- Passes.td - Conversions out of the rope dialect -*- tablegen -*-===//

#ifndef ROPE_CONVERSION_PASSES_TD
#define ROPE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def RopeToGpu : Pass<"convert-rope-to-gpu", "mlir::ModuleOp"> {
  let summary = "Lower rope.rotate in the buffer form to fused gpu.launch kernels";
  let description = [{
    For a `rope.rotate` in the buffer form (memref operands, as
    one-shot-bufferize leaves it, in any function; the buffers must be
    device-accessible): one
    `gpu.launch` with one token per block, pairs across the block's x
    threads (16-byte vector loads and stores of both halves of each thread's
    pairs), heads across its y threads, cos/sin computed once per (token,
    pair), the pairs spread over all the block's threads, and shared through
    workgroup memory with every q and k head. Lanes past `rotary_dim` are
    copied with 16-byte vectors when out of place (element by element when
    `rotary_dim` or the rest is not a whole vector). Vectors need whole
    vectors of pairs and of `head_dim`; otherwise a thread moves one pair.

    The launch is guarded on the host: for every buffer (q, k, positions,
    outputs) a private helper `@__rope_check_buffer_<rank>d_<elt>` reads the
    descriptor at run time and checks that the offset and every stride the
    memref type fixes statically are the descriptor's (dims of one element
    exempt), that the innermost stride is 1, and that the first element and
    every outer stride are multiples of 16 bytes for buffers moved as
    16-byte vectors (of the element size otherwise). The gpu.launch sits in
    an `scf.if` on the result; a failing buffer is reported, first failing
    rule only, through `func.call @ropeCudaReportInvalidArgument(argument
    number, rule, dim, value, required)` (the GPU runtime records it as
    CUDA_ERROR_INVALID_VALUE) and nothing is launched.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect", "::mlir::scf::SCFDialect",
                           "::mlir::math::MathDialect", "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect"];
}

#endif // ROPE_CONVERSION_PASSES_TD
