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
#include "Rope/Target/X86/Transforms.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEX86STREAMFENCES
#include "Rope/Target/X86/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
struct FenceAsSfence : OpRewritePattern<rope::StreamFenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(rope::StreamFenceOp fence,
                                PatternRewriter &rewriter) const override {
    LLVM::CallIntrinsicOp::create(rewriter, fence.getLoc(),
                                  rewriter.getStringAttr("llvm.x86.sse.sfence"), ValueRange{});
    rewriter.eraseOp(fence);
    return success();
  }
};

struct RopeX86StreamFencesPass
    : public rope::impl::RopeX86StreamFencesBase<RopeX86StreamFencesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    rope::populateX86StreamFencePatterns(patterns);
    walkAndApplyPatterns(getOperation(), FrozenRewritePatternSet(std::move(patterns)));
  }
};
} // namespace

void mlir::rope::populateX86StreamFencePatterns(RewritePatternSet &patterns) {
  patterns.add<FenceAsSfence>(patterns.getContext());
}
