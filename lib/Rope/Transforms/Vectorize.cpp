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

/// sin and cos of one f32 value from one Cody-Waite reduction to
/// [-pi/4, pi/4] and two short polynomials (Cephes' sinf/cosf
/// coefficients, about 1e-7 absolute for |x| up to ~1e4), where separate
/// math.sin and math.cos approximations evaluate four polynomials and reduce
/// twice. Quadrant q: sin = [s, c, -s, -c][q % 4], cos = [c, -s, -c, s][q % 4].
struct ApproximateSinCos : OpRewritePattern<math::SincosOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::SincosOp op, PatternRewriter &rewriter) const override {
    Type type = op.getOperand().getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "only f32 is approximated");
    Location loc = op.getLoc();
    auto c = [&](double v) -> Value {
      Attribute a = rewriter.getF32FloatAttr(static_cast<float>(v));
      if (auto vt = dyn_cast<VectorType>(type))
        a = DenseElementsAttr::get(vt, cast<FloatAttr>(a).getValue());
      return arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(a));
    };
    Type intType = rewriter.getI32Type();
    if (auto vt = dyn_cast<VectorType>(type))
      intType = VectorType::get(vt.getShape(), intType);
    auto ci = [&](int32_t v) -> Value {
      Attribute a = rewriter.getI32IntegerAttr(v);
      if (auto vt = dyn_cast<VectorType>(intType))
        a = DenseElementsAttr::get(vt, cast<IntegerAttr>(a).getValue());
      return arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(a));
    };
    auto mul = [&](Value a, Value b) { return arith::MulFOp::create(rewriter, loc, a, b).getResult(); };
    auto fma = [&](Value a, Value b, Value d) { return math::FmaOp::create(rewriter, loc, a, b, d).getResult(); };
    Value x = op.getOperand();
    Value q = math::RoundEvenOp::create(rewriter, loc, mul(x, c(2.0 / M_PI)));
    // pi/2 = 1.5703125 + 4.837512969970703125e-4 + 7.54978995489188216e-8
    Value r = fma(q, c(-1.5703125), x);
    r = fma(q, c(-4.837512969970703125e-4), r);
    r = fma(q, c(-7.54978995489188216e-8), r);
    Value r2 = mul(r, r);
    Value sp = fma(r2, c(-1.9515295891e-4), c(8.3321608736e-3));
    sp = fma(r2, sp, c(-1.6666654611e-1));
    sp = fma(mul(r2, r), sp, r);
    Value cp = fma(r2, c(2.443315711809948e-5), c(-1.388731625493765e-3));
    cp = fma(r2, cp, c(4.166664568298827e-2));
    cp = fma(mul(r2, r2), cp, fma(r2, c(-0.5), c(1.0)));
    Value qi = arith::FPToSIOp::create(rewriter, loc, intType, q);
    auto bit = [&](Value v, int32_t m) {
      return arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne,
                                   arith::AndIOp::create(rewriter, loc, v, ci(m)), ci(0))
          .getResult();
    };
    Value swap = bit(qi, 1);
    Value s0 = arith::SelectOp::create(rewriter, loc, swap, cp, sp);
    Value c0 = arith::SelectOp::create(rewriter, loc, swap, sp, cp);
    Value sinNeg = bit(qi, 2);
    Value cosNeg = bit(arith::AddIOp::create(rewriter, loc, qi, ci(1)), 2);
    Value sin = arith::SelectOp::create(rewriter, loc, sinNeg,
                                        arith::NegFOp::create(rewriter, loc, s0), s0);
    Value cos = arith::SelectOp::create(rewriter, loc, cosNeg,
                                        arith::NegFOp::create(rewriter, loc, c0), c0);
    rewriter.replaceOp(op, {sin, cos});
    return success();
  }
};

struct RopeApproximateMathPass
    : public rope::impl::RopeApproximateMathBase<RopeApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ApproximateSinCos>(&getContext(), /*benefit=*/2);
    // The set upstream's approximation pass applies: f32 sin/cos (and exp,
    // log, tanh, ...) become branch-free vector polynomials.
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
