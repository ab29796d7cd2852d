//===- FuseNeighbours.cpp - fuse rope ops with their producers ------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEFUSENEIGHBOURS
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {
/// Whether a token tile of `producer` belongs in the rope op's tile loop:
/// elementwise ops, reductions over dims the tile keeps whole (QK-norm over
/// head_dim), transposes, fills. A projection (contraction) or convolution
/// would be re-tiled by tokens only, against how it should be tiled.
static bool isFusableProducer(Operation *producer) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(producer);
  return linalgOp && !linalg::isaContractionOpInterface(linalgOp) &&
         !linalg::isaConvolutionOpInterface(linalgOp);
}

struct RopeFuseNeighboursPass
    : public rope::impl::RopeFuseNeighboursBase<RopeFuseNeighboursPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileSize <= 0) {
      getOperation()->emitError("rope-fuse-neighbours: tile-size must be positive");
      return signalPassFailure();
    }
    SmallVector<TilingInterface> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<RotateOp, RotateWithTablesOp>(op))
        ops.push_back(cast<TilingInterface>(op));
    });
    // Slices of a reshape's result become reshapes of a slice of its
    // source, so that the producer of the source (a projection's
    // [tokens, H*D]) is reached; consecutive slices merge into one; a slice
    // of a tensor.empty (a fused producer's destination) becomes a
    // tile-sized tensor.empty, so that bufferization allocates a tile, not
    // the whole tensor.
    RewritePatternSet cleanup(&getContext());
    tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
    tensor::populateMergeConsecutiveInsertExtractSlicePatterns(cleanup);
    tensor::populateFoldTensorEmptyPatterns(cleanup);
    FrozenRewritePatternSet frozenCleanup(std::move(cleanup));

    IRRewriter rewriter(&getContext());
    for (TilingInterface op : ops) {
      scf::SCFTileAndFuseOptions options;
      options.setTilingOptions(tokenTilingOptions(op, tileSize, parallel));
      options.setFusionControlFn(
          [](tensor::ExtractSliceOp, OpResult producer,
             bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            if (!isFusableProducer(producer.getOwner()))
              return std::nullopt;
            return scf::SCFTileAndFuseOptions::ControlFnResult{};
          });
      options.cleanupPatterns = frozenCleanup;
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTileAndFuseResult> fused =
          scf::tileConsumerAndFuseProducersUsingSCF(rewriter, op, options);
      if (failed(fused)) {
        op->emitError("rope-fuse-neighbours: failed to tile over tokens");
        return signalPassFailure();
      }
      for (OpResult result : op->getResults())
        rewriter.replaceAllUsesWith(result, fused->replacements.lookup(result));
      rewriter.eraseOp(op);
    }
    // The fused producers whose every use moved into the loops, and the
    // slices of them that fusion left unused.
    (void)runRegionDCE(rewriter, getOperation()->getRegions());
  }

};
} // namespace
