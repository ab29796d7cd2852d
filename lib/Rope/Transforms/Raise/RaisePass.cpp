//===- RaisePass.cpp - find rotary embeddings in imported graphs ----------===//
//
// Candidates are visited users first, so that the widest rotation wins (a
// partial rotary's concatenation before the rotation of its slice). For each,
// the rotation is matched lane by lane (Rotation.cpp) and its tables
// recovered by evaluation (Tables.cpp) before any IR is built (Build.cpp).
// Then q and k rotated alike are merged into one op (MergeRotations.cpp).
//
//===----------------------------------------------------------------------===//

#include "Build.h"
#include "Report.h"

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"
#include "Rope/Transforms/Transforms.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPERAISE
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;
using namespace mlir::rope::raise;

namespace {

/// Ops whose result may be a whole rotation: sums, fused bodies, and the
/// data movement that assembles lanes (halves, pairs, re/im parts).
bool isCandidateRoot(Operation *op) {
  if (op->getNumResults() != 1)
    return false;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !isa<FloatType>(type.getElementType()) ||
      (type.getRank() != 3 && type.getRank() != 4) ||
      ShapedType::isDynamic(type.getShape().back()))
    return false;
  return isa<linalg::GenericOp, linalg::MapOp, linalg::AddOp, linalg::SubOp, arith::AddFOp,
             arith::SubFOp, arith::TruncFOp, arith::ExtFOp, tosa::AddOp, tosa::SubOp,
             tosa::CastOp, tosa::ReshapeOp, tosa::ConcatOp, tensor::ConcatOp,
             tensor::InsertSliceOp, tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op);
}

/// Everything the raised op needs, checked before anything is built.
struct Plan {
  Rotation rot;
  Layout layout = Layout::bhsd;
  // rope.rotate
  std::optional<PositionsRope> positions;
  RecoveredSpectrum spectrum;
  // rope.rotate_with_tables
  std::optional<TableSource> cos, sin;
};

FailureOr<Plan> planRotation(Value root, const Rotation &rot, RecoveryCache &cache,
                             std::string &why) {
  Type xElt = getElementTypeOrSelf(rot.x.getType());
  Type rootElt = getElementTypeOrSelf(root.getType());
  auto supported = [](Type t) { return t.isF32() || t.isF16() || t.isBF16(); };
  if (!supported(xElt) || !supported(rootElt))
    return why = "x or the result is not f32, f16 or bf16 (R5)", failure();
  if (xElt != rootElt && xElt.getIntOrFloatBitWidth() == rootElt.getIntOrFloatBitWidth())
    return why = "x and the result are different float types of one width", failure();
  Plan p;
  p.rot = rot;
  ArrayRef<int64_t> shape = cast<RankedTensorType>(root.getType()).getShape();
  TablesKind kind;
  FailureOr<PositionsRope> pos = cache.recover(rot.lanes, rot.pairing, shape, kind, why);
  if (succeeded(pos)) {
    SmallVector<int64_t> tokenDims;
    for (int64_t d : pos->positionDims)
      if (d >= 0)
        tokenDims.push_back(d);
    FailureOr<Layout> layout = layoutFor(shape, tokenDims);
    if (failed(layout))
      return why = "positions follow no layout (bhsd, bshd, thd) of x", failure();
    // Each token dim of the positions has x's size (not a longer buffer
    // read through a slice); dynamic on both sides is taken as equal.
    auto posShape = cast<RankedTensorType>(pos->positions.getType()).getShape();
    for (auto [d, k] : llvm::enumerate(pos->positionDims))
      if (k >= 0 && posShape[d] != shape[k])
        return why = "positions have another size than x's token dims", failure();
    // Frequencies read off a rounded cache are known to its rounding: the
    // spectrum that explains them must then hold at every row it has.
    double slack = pos->tabulatedEps > 0
                       ? 4 * pos->tabulatedEps / std::max<int64_t>(pos->checkedUpTo, 1)
                       : 0.0;
    FailureOr<RecoveredSpectrum> spectrum = recoverSpectrum(
        root.getContext(), pos->inv, pos->axisOfPair, rot.rotaryDim, why, slack);
    if (failed(spectrum))
      return why = "tables computed from positions: " + why, failure();
    if (pos->tabulatedEps > 0) {
      SmallVector<double> exact =
          spectrumFrequencies(*spectrum, rot.rotaryDim / 2, rot.rotaryDim);
      if (isa_and_present<FreqFactorsAttr>(spectrum->scaling) ||
          failed(cache.recover(rot.lanes, rot.pairing, shape, kind, why, exact))) {
        kind = TablesKind::Other;
        pos = failure();
        why = "the gathered cos/sin cache matches no theta";
      }
    }
    if (succeeded(pos)) {
      p.layout = *layout;
      p.positions = *pos;
      p.spectrum = *spectrum;
      return p;
    }
  }
  if (kind == TablesKind::Positions)
    return why = "tables computed from positions: " + why, failure();
  std::string notPositions = why;
  FailureOr<TableSource> cos = findTable(rot, false, shape, why);
  FailureOr<TableSource> sin =
      succeeded(cos) ? findTable(rot, true, shape, why) : FailureOr<TableSource>(failure());
  if (failed(cos) || failed(sin))
    return why = notPositions + ", and " + why, failure();
  Type cosElt = getElementTypeOrSelf(cos->value.getType());
  Type sinElt = getElementTypeOrSelf(sin->value.getType());
  if (cosElt != sinElt || cos->perPair != sin->perPair)
    return why = "the cos and sin tables differ in type or width", failure();
  SmallVector<int64_t> tokenDims(cos->tokenDims);
  for (int64_t d : sin->tokenDims)
    if (!llvm::is_contained(tokenDims, d))
      tokenDims.push_back(d);
  llvm::sort(tokenDims);
  FailureOr<Layout> layout = layoutFor(shape, tokenDims);
  if (failed(layout))
    return why = "the tables follow no layout (bhsd, bshd, thd) of x", failure();
  p.layout = *layout;
  p.cos = *cos;
  p.sin = *sin;
  return p;
}

/// The plan of the first rotation at `root` whose tables are planned (see
/// matchRotation for the order the rotated tensors are tried in).
FailureOr<Plan> plan(Value root, RecoveryCache &cache, Candidate &candidate, std::string &why) {
  std::optional<Plan> found;
  auto accept = [&](const Rotation &rot, std::string &w) {
    FailureOr<Plan> p = planRotation(root, rot, cache, w);
    if (succeeded(p))
      found = std::move(*p);
    return succeeded(p);
  };
  if (failed(matchRotation(root, candidate, why, accept)))
    return failure();
  return std::move(*found);
}

Value buildRotation(OpBuilder &b, Location loc, const Plan &p, Value x, RankedTensorType type) {
  MLIRContext *ctx = b.getContext();
  int64_t width = type.getShape().back();
  Value init = tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, x),
                                       type.getElementType());
  auto layout = LayoutAttr::get(ctx, p.layout);
  auto pairing = PairingAttr::get(ctx, p.rot.pairing);
  if (!p.positions) {
    Value cos = buildTable(b, loc, *p.cos, x, p.layout);
    Value sin = buildTable(b, loc, *p.sin, x, p.layout);
    return RotateWithTablesOp::create(b, loc, TypeRange{type}, ValueRange{x}, cos, sin,
                                      ValueRange{init}, layout, b.getI64IntegerAttr(width),
                                      b.getI64IntegerAttr(p.rot.rotaryDim), pairing)
        .getResult(0);
  }
  const PositionsRope &pos = *p.positions;
  Value positions = buildPositions(b, loc, pos, x, p.layout);
  AxesAttr axes = p.spectrum.perAxisSections.empty()
                      ? getAxesForMap(ctx, pos.axisOfPair, pos.numAxes)
                      : AxesAttr::get(ctx, AxisLayout::sequential, p.spectrum.perAxisSections,
                                      true);
  double defaultFactor = 1.0;
  if (auto scaling = dyn_cast_if_present<ScalingAttrInterface>(p.spectrum.scaling))
    defaultFactor = scaling.getDefaultAttentionFactor();
  FloatAttr attention = std::fabs(pos.attention - defaultFactor) > 1e-12
                            ? b.getF64FloatAttr(pos.attention)
                            : FloatAttr();
  return RotateOp::create(b, loc, TypeRange{type}, ValueRange{x}, positions, Value(),
                          ValueRange{init}, layout, b.getI64IntegerAttr(width),
                          b.getI64IntegerAttr(p.rot.rotaryDim), pairing,
                          b.getF64FloatAttr(p.spectrum.theta), axes, p.spectrum.scaling,
                          attention, pos.inverse ? b.getUnitAttr() : UnitAttr())
      .getResult(0);
}

/// The raised op for `root`. It rotates in the wider of x's and the root's
/// element types: x is widened first, or the result narrowed after (both as
/// the graph does; the rotation itself is rounded once).
Value buildRaised(OpBuilder &b, Location loc, const Plan &p, Value root) {
  Value x = p.rot.x;
  auto rootType = cast<RankedTensorType>(root.getType());
  auto xType = cast<RankedTensorType>(x.getType());
  if (xType.getElementType().getIntOrFloatBitWidth() <
      rootType.getElementType().getIntOrFloatBitWidth())
    x = arith::ExtFOp::create(b, loc, rootType, x);
  auto type = cast<RankedTensorType>(x.getType());
  Value result = buildRotation(b, loc, p, x, type);
  if (type != rootType)
    result = arith::TruncFOp::create(b, loc, rootType, result);
  return result;
}

/// The raise of one candidate root, as a pattern for hosts' own drivers.
/// Each match recovers its tables afresh: a cache keyed by values cannot
/// outlive rewrites it does not see.
struct RaiseRotation : RewritePattern {
  explicit RaiseRotation(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isCandidateRoot(op) || op->use_empty())
      return failure();
    RecoveryCache cache;
    Candidate candidate;
    std::string why;
    FailureOr<Plan> p = plan(op->getResult(0), cache, candidate, why);
    if (failed(p))
      return rewriter.notifyMatchFailure(op, why);
    rewriter.replaceOp(op, buildRaised(rewriter, op->getLoc(), *p, op->getResult(0)));
    return success();
  }
};

struct RopeRaisePass : public rope::impl::RopeRaiseBase<RopeRaisePass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    SmallVector<Operation *> roots;
    getOperation()->walk([&](Operation *op) {
      if (isCandidateRoot(op))
        roots.push_back(op);
    });
    IRRewriter rewriter(ctx);
    RecoveryCache cache;
    bool raisedAny = false;
    for (Operation *op : llvm::reverse(roots)) {
      // A root whose users were raised is dead: its rotation is already in
      // the raised op.
      if (op->use_empty())
        continue;
      Candidate candidate;
      std::string why;
      FailureOr<Plan> p = plan(op->getResult(0), cache, candidate, why);
      if (failed(p)) {
        if (report && candidate == Candidate::LooksLikeRotation)
          reportNotRaised(op, why);
        continue;
      }
      rewriter.setInsertionPoint(op);
      rewriter.replaceOp(op, buildRaised(rewriter, op->getLoc(), *p, op->getResult(0)));
      raisedAny = true;
    }
    // A graph with nothing raised is left exactly as it was.
    if (!raisedAny)
      return;
    // The replaced expressions are dead now; q's and k's positions views
    // become one value, so that their rotations merge.
    (void)runRegionDCE(rewriter, getOperation()->getRegions());
    DominanceInfo dominance(getOperation());
    eliminateCommonSubExpressions(rewriter, dominance, getOperation());
    RewritePatternSet merge(ctx);
    populateMergeSiblingRotationsPatterns(merge);
    walkAndApplyPatterns(getOperation(), FrozenRewritePatternSet(std::move(merge)));
    if (report)
      reportRaised(getOperation());
  }
};
} // namespace

void mlir::rope::populateRaiseRotaryEmbeddingPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseRotation>(patterns.getContext());
}
