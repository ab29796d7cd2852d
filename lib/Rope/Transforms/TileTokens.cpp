//===- TileTokens.cpp - tile rope ops over tokens -------------------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPETILETOKENS
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {
struct RopeTileTokensPass
    : public rope::impl::RopeTileTokensBase<RopeTileTokensPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileSize <= 0) {
      getOperation()->emitError("rope-tile-tokens: tile-size must be positive");
      return signalPassFailure();
    }
    SmallVector<TilingInterface> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<RotateOp, RotateWithTablesOp>(op))
        ops.push_back(cast<TilingInterface>(op));
    });
    IRRewriter rewriter(&getContext());
    for (TilingInterface op : ops) {
      // Whole outer token dims are tiled by one, the innermost by tile-size.
      size_t numLoops = op.getLoopIteratorTypes().size();
      SmallVector<OpFoldResult> sizes(numLoops, rewriter.getIndexAttr(1));
      sizes.back() = rewriter.getIndexAttr(tileSize);
      scf::SCFTilingOptions options;
      options.setTileSizes(sizes);
      options.setLoopType(parallel ? scf::SCFTilingOptions::LoopType::ForallOp
                                   : scf::SCFTilingOptions::LoopType::ForOp);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled =
          scf::tileUsingSCF(rewriter, op, options);
      if (failed(tiled)) {
        op->emitError("rope-tile-tokens: failed to tile over tokens");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, tiled->replacements);
    }
  }
};
} // namespace
