//===- TileTokens.cpp - tile rope ops over tokens -------------------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPETILETOKENS
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

scf::SCFTilingOptions rope::tokenTilingOptions(TilingInterface op, int64_t tileSize,
                                               bool parallel) {
  Builder b(op.getContext());
  size_t numLoops = op.getLoopIteratorTypes().size();
  SmallVector<OpFoldResult> sizes(numLoops, b.getIndexAttr(1));
  // A tile past a static token count is that count: the tiles' sizes are
  // then static from the start. Left to canonicalization, the size
  // (affine.min) folds after decomposition, and upstream's extract_slice
  // folding re-infers a rank-reducing slice's type dropping the first unit
  // dim rather than the one the decomposition dropped (docs/upstream-crashes.md).
  auto layout = op->getAttrOfType<LayoutAttr>("layout");
  auto q = cast<RankedTensorType>(
      cast<DestinationStyleOpInterface>(op.getOperation()).getDpsInits().front().getType());
  int64_t extent = q.getDimSize(getTokenDims(layout.getValue()).back());
  sizes.back() =
      b.getIndexAttr(!ShapedType::isDynamic(extent) && extent < tileSize ? extent : tileSize);
  scf::SCFTilingOptions options;
  options.setTileSizes(sizes);
  options.setLoopType(parallel ? scf::SCFTilingOptions::LoopType::ForallOp
                               : scf::SCFTilingOptions::LoopType::ForOp);
  return options;
}

namespace {
/// Tiles `op` over its token dims (tokenTilingOptions).
static FailureOr<SmallVector<Value>> tileTokens(RewriterBase &rewriter,
                                                TilingInterface op,
                                                int64_t tileSize, bool parallel) {
  scf::SCFTilingOptions options = tokenTilingOptions(op, tileSize, parallel);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(rewriter, op, options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  return SmallVector<Value>(tiled->replacements);
}

struct RopeTileTokensPass
    : public rope::impl::RopeTileTokensBase<RopeTileTokensPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileSize <= 0) {
      getOperation()->emitError("rope-tile-tokens: tile-size must be positive");
      return signalPassFailure();
    }
    SmallVector<TilingInterface> ops;
    // The buffer form is left to convert-rope-to-gpu (rope-decompose refuses it).
    getOperation()->walk([&](Operation *op) {
      if (isa<RotateOp, RotateWithTablesOp>(op) &&
          cast<DestinationStyleOpInterface>(op).hasPureTensorSemantics())
        ops.push_back(cast<TilingInterface>(op));
    });
    IRRewriter rewriter(&getContext());
    for (TilingInterface op : ops) {
      if (!parallel || minParallelTokens <= 1) {
        if (failed(tileTokens(rewriter, op, tileSize, parallel)))
          return fail(op);
        continue;
      }
      // Few tokens (decode) run serially: forking threads would cost more
      // than the work.
      Location loc = op.getLoc();
      rewriter.setInsertionPoint(op);
      Value count = arith::ConstantIndexOp::create(rewriter, loc, 1);
      for (Range r : op.getIterationDomain(rewriter))
        count = arith::MulIOp::create(
            rewriter, loc, count,
            getValueOrCreateConstantIndexOp(rewriter, loc, r.size));
      Value many = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::sge, count,
          arith::ConstantIndexOp::create(rewriter, loc, minParallelTokens));
      bool failedToTile = false;
      auto branch = [&](bool inParallel) {
        return [&, inParallel](OpBuilder &b, Location l) {
          auto clone = cast<TilingInterface>(b.clone(*op));
          IRRewriter inner(b);
          FailureOr<SmallVector<Value>> results =
              tileTokens(inner, clone, tileSize, inParallel);
          failedToTile |= failed(results);
          scf::YieldOp::create(b, l, succeeded(results) ? ValueRange(*results)
                                                        : ValueRange(clone->getResults()));
        };
      };
      auto ifOp = scf::IfOp::create(rewriter, loc, many, branch(true), branch(false));
      if (failedToTile)
        return fail(op);
      rewriter.replaceOp(op, ifOp.getResults());
    }
  }

  void fail(Operation *op) {
    op->emitError("rope-tile-tokens: failed to tile over tokens");
    signalPassFailure();
  }
};
} // namespace
