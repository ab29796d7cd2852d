//===- Vectorize.cpp - tile linalg to 1-D rows and vectorize --------------===//

#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEVECTORIZE
#define GEN_PASS_DEF_ROPEAPPROXIMATEMATH
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {
/// Largest vector a tile becomes (elements): a pair row of both lanes.
constexpr int64_t kMaxVectorElements = 512;

/// An in-place rotation reads pairs of its own destination. After tiling, such
/// an input still slices the destination as it was before the loop, so
/// bufferization must copy it. When the input reads only the tile that the
/// iteration writes (the dims its map drops are untiled), reading the
/// loop-carried destination gives the same values; rewire it, so that each
/// iteration reads then writes one buffer in place.
static void readOwnDestinationInLoop(RewriterBase &rewriter,
                                     linalg::LinalgOp original,
                                     ArrayRef<bool> untiled,
                                     const scf::SCFTilingResult &tiled) {
  if (original.getNumDpsInits() != 1 || tiled.loops.empty())
    return;
  auto innermost = dyn_cast<scf::ForOp>(
      const_cast<LoopLikeOpInterface &>(tiled.loops.back()).getOperation());
  if (!innermost || innermost.getNumRegionIterArgs() != 1)
    return;
  Value dest = original.getDpsInits()[0];
  AffineMap outMap = original.getIndexingMapMatchingResult(
      cast<OpResult>(original->getResult(0)));
  auto tiledOp = cast<linalg::LinalgOp>(tiled.tiledOps.front());
  for (OpOperand *input : original.getDpsInputOperands()) {
    auto whole = input->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!whole || whole.getSource() != dest)
      continue;
    AffineMap inMap = original.getMatchingIndexingMap(input);
    // The input map must be the output map with untiled dims dropped.
    SmallVector<int64_t> dropped;
    for (unsigned r = 0; r < outMap.getNumResults(); ++r) {
      unsigned dim = cast<AffineDimExpr>(outMap.getResult(r)).getPosition();
      if (!inMap.isFunctionOfDim(dim))
        dropped.push_back(r);
    }
    if (!llvm::all_of(dropped, [&](int64_t r) {
          return untiled[cast<AffineDimExpr>(outMap.getResult(r)).getPosition()];
        }))
      continue;
    OpOperand &tiledInput = tiledOp->getOpOperand(input->getOperandNumber());
    auto tile = tiledInput.get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!tile || tile.getSource() != whole.getResult())
      continue;
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(tiledOp);
    IRMapping map;
    map.map(dest, innermost.getRegionIterArgs()[0]);
    Operation *carried = rewriter.clone(*whole, map);
    map.map(whole.getResult(), carried->getResult(0));
    Operation *carriedTile = rewriter.clone(*tile, map);
    rewriter.modifyOpInPlace(tiledOp, [&]() {
      tiledInput.set(carriedTile->getResult(0));
    });
  }
}

struct RopeVectorizePass : public rope::impl::RopeVectorizeBase<RopeVectorizePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    SmallVector<linalg::LinalgOp> candidates;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && op.getNumLoops() > 0)
        candidates.push_back(op);
    });
    for (linalg::LinalgOp op : candidates) {
      // Keep the trailing static dims whole (one pair row, or both lanes of
      // every pair) up to kMaxVectorElements; tile every other dim by one.
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      int64_t kept = 0, elements = 1;
      for (int64_t d = ranges.size() - 1; d >= 0; --d) {
        if (ShapedType::isDynamic(ranges[d]) ||
            (kept > 0 && elements * ranges[d] > kMaxVectorElements))
          break;
        elements *= ranges[d];
        ++kept;
      }
      if (kept == 0)
        continue;
      Operation *row = op;
      if (kept < (int64_t)ranges.size()) {
        SmallVector<OpFoldResult> sizes(ranges.size(), rewriter.getIndexAttr(1));
        SmallVector<bool> untiled(ranges.size(), false);
        for (int64_t d = ranges.size() - kept; d < (int64_t)ranges.size(); ++d) {
          sizes[d] = rewriter.getIndexAttr(0);
          untiled[d] = true;
        }
        scf::SCFTilingOptions options;
        options.setTileSizes(sizes);
        rewriter.setInsertionPoint(op);
        FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
            rewriter, cast<TilingInterface>(op.getOperation()), options);
        if (failed(tiled))
          continue;
        readOwnDestinationInLoop(rewriter, op, untiled, *tiled);
        rewriter.replaceOp(op, tiled->replacements);
        row = tiled->tiledOps.front();
      }
      rewriter.setInsertionPoint(row);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, row);
      if (succeeded(vectorized))
        rewriter.replaceOp(row, vectorized->replacements);
    }

    RewritePatternSet patterns(ctx);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateSinkVectorOpsPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

struct RopeApproximateMathPass
    : public rope::impl::RopeApproximateMathBase<RopeApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // The set upstream's approximation pass applies: f32 sin/cos (and exp,
    // log, tanh, ...) become branch-free vector polynomials.
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
