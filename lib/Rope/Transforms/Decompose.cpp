//===- Decompose.cpp - rope ops to linalg ---------------------------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEDECOMPOSE
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {
struct RopeDecomposePass : public rope::impl::RopeDecomposeBase<RopeDecomposePass> {
  void runOnOperation() override {
    SmallVector<linalg::AggregatedOpInterface> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<RotateOp, RotateWithTablesOp>(op))
        ops.push_back(cast<linalg::AggregatedOpInterface>(op));
    });
    IRRewriter rewriter(&getContext());
    for (linalg::AggregatedOpInterface op : ops) {
      if (!cast<DestinationStyleOpInterface>(op.getOperation()).hasPureTensorSemantics()) {
        op->emitOpError("is in the buffer form (memref operands): rope-decompose lowers the "
                        "tensor form, before bufferization (convert-rope-to-gpu lowers the buffer form)");
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> results = op.decomposeOperation(rewriter);
      if (failed(results)) {
        op->emitError("rope-decompose: could not lower to linalg");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *results);
    }
  }
};
} // namespace
