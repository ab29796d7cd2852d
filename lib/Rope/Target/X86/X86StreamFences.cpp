//===- X86StreamFences.cpp - sfence for streaming-store fences on x86 -----===//
//
// `rope.stream_fence` lowers portably to `llvm.fence seq_cst`, which x86
// selects as a locked instruction: it waits for every load in flight as
// well, and a streaming kernel fences every few tokens with the next lines
// already requested. Streaming stores need only be ordered before the
// stores that follow (the OpenMP barrier's release, the caller's flag):
// that is `sfence`.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Target/X86/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEX86STREAMFENCES
#include "Rope/Target/X86/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
struct RopeX86StreamFencesPass
    : public rope::impl::RopeX86StreamFencesBase<RopeX86StreamFencesPass> {
  void runOnOperation() override {
    getOperation()->walk([](rope::StreamFenceOp fence) {
      OpBuilder b(fence);
      LLVM::CallIntrinsicOp::create(b, fence.getLoc(), b.getStringAttr("llvm.x86.sse.sfence"),
                                    ValueRange{});
      fence.erase();
    });
  }
};
} // namespace
