//===- DecomposeAggregateOps.cpp - linalg.softmax, pack & co. to generics -===//

#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEDECOMPOSEAGGREGATEOPS
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
struct RopeDecomposeAggregateOpsPass
    : public rope::impl::RopeDecomposeAggregateOpsBase<RopeDecomposeAggregateOpsPass> {
  void runOnOperation() override {
    SmallVector<linalg::AggregatedOpInterface> ops;
    getOperation()->walk([&](linalg::AggregatedOpInterface op) {
      // rope-decompose lowers the rope ops, after they are tiled.
      if (!isa<rope::RopeDialect>(op->getDialect()))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::AggregatedOpInterface op : ops) {
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> results = op.decomposeOperation(rewriter);
      if (failed(results)) {
        op->emitOpError("could not be decomposed into linalg.generic ops "
                        "(rope-decompose-aggregate-ops)");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *results);
    }
    // linalg.pack/unpack (data-tiling layouts) have no bufferization: they
    // become pad, reshapes, a transpose and slices, which lower as the rest.
    SmallVector<Operation *> packs;
    getOperation()->walk([&](Operation *op) {
      if (isa<linalg::PackOp, linalg::UnPackOp>(op))
        packs.push_back(op);
    });
    for (Operation *op : packs) {
      rewriter.setInsertionPoint(op);
      bool lowered = false;
      if (auto pack = dyn_cast<linalg::PackOp>(op))
        lowered = succeeded(linalg::lowerPack(rewriter, pack));
      else
        lowered = succeeded(linalg::lowerUnPack(rewriter, cast<linalg::UnPackOp>(op)));
      if (!lowered) {
        op->emitOpError("could not be lowered to pad, reshapes and a transpose "
                        "(rope-decompose-aggregate-ops)");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
