//===- Raise.cpp - find rotary embeddings in imported graphs --------------===//
//
// Recognizes HF's `x * cos + rotate_half(x) * sin` in linalg-on-tensors as
// torch-mlir emits it (separate or fused elementwise generics, arith on
// tensors, rotate_half as tensor.concat or a pair of insert_slices, negation
// as negf, a multiply by -1 or a subtraction from 0, broadcast tables through
// constant-0 or projected maps) and rewrites it into rope.rotate_with_tables.
// The rewrite is exact: the matched expression is the op's definition (R1),
// term for term. Anything else stays as it is, with a reason.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <set>

namespace mlir::rope {
#define GEN_PASS_DEF_ROPERAISE
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {

//===----------------------------------------------------------------------===//
// Elementwise expressions as sums of signed products
//===----------------------------------------------------------------------===//

/// A tensor read by the expression, with the map from the root's iteration
/// space to the tensor's indices.
struct Leaf {
  Value tensor;
  AffineMap map;
};
struct Product {
  int sign = 1;
  SmallVector<Leaf, 2> factors;
};
using Sum = SmallVector<Product, 2>;

/// An all-parallel generic with one identity-mapped result whose body does
/// not read its output: a pure elementwise function of its inputs.
static linalg::GenericOp getElementwiseProducer(Value v) {
  auto g = v.getDefiningOp<linalg::GenericOp>();
  if (!g || g.getNumDpsInits() != 1 || !linalg::isElementwise(g) ||
      !g.getIndexingMapsArray().back().isIdentity() ||
      g.payloadUsesValueFromOperand(g.getDpsInitOperand(0)))
    return {};
  return g;
}

static bool isFloatConstant(Value s, double value) {
  FloatAttr attr;
  if (matchPattern(s, m_Constant(&attr)))
    return attr.getValueAsDouble() == value;
  DenseElementsAttr dense;
  if (matchPattern(s, m_Constant(&dense)) && dense.isSplat() &&
      isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().convertToDouble() == value;
  return false;
}

/// Looks through extf/truncf: the raised op computes in f32 and rounds once.
static Value skipCasts(Value s) {
  while (Operation *op = s.getDefiningOp()) {
    if (!isa<arith::ExtFOp, arith::TruncFOp>(op))
      break;
    s = op->getOperand(0);
  }
  return s;
}

class Expander {
public:
  /// `v` (a tensor read through `map`) as a sum of products of leaves.
  LogicalResult sum(Value v, AffineMap map, int sign, Sum &out) {
    if (--budget < 0)
      return failure();
    if (linalg::GenericOp g = getElementwiseProducer(v))
      return sumInBody(g.getBody()->getTerminator()->getOperand(0), g, map,
                       sign, out);
    Operation *op = v.getDefiningOp();
    if (isa_and_present<arith::AddFOp, arith::SubFOp>(op))
      return success(succeeded(sum(op->getOperand(0), map, sign, out)) &&
                     succeeded(sum(op->getOperand(1), map,
                                   isa<arith::SubFOp>(op) ? -sign : sign, out)));
    if (isa_and_present<arith::NegFOp>(op))
      return sum(op->getOperand(0), map, -sign, out);
    Product p;
    p.sign = sign;
    if (failed(product(v, map, p)))
      return failure();
    out.push_back(p);
    return success();
  }

  /// `v` as one signed product of leaves: looks through multiplies and
  /// negations only, so that the factors stay whole tensors.
  LogicalResult product(Value v, AffineMap map, Product &p) {
    if (--budget < 0)
      return failure();
    if (linalg::GenericOp g = getElementwiseProducer(v)) {
      Value y = skipCasts(g.getBody()->getTerminator()->getOperand(0));
      if (isa_and_present<arith::MulFOp, arith::NegFOp>(y.getDefiningOp()))
        return productInBody(y, g, map, p);
    }
    Operation *op = v.getDefiningOp();
    if (isa_and_present<arith::MulFOp>(op))
      return failure(failed(product(op->getOperand(0), map, p)) ||
                     failed(product(op->getOperand(1), map, p)));
    if (isa_and_present<arith::NegFOp>(op)) {
      p.sign = -p.sign;
      return product(op->getOperand(0), map, p);
    }
    if (isa_and_present<arith::SubFOp>(op) && isFloatConstant(op->getOperand(0), 0.0)) {
      p.sign = -p.sign;
      return product(op->getOperand(1), map, p);
    }
    p.factors.push_back(Leaf{v, map});
    return success();
  }

private:
  LogicalResult sumInBody(Value s, linalg::GenericOp g, AffineMap map, int sign,
                          Sum &out) {
    s = skipCasts(s);
    Operation *op = s.getDefiningOp();
    if (isa_and_present<arith::AddFOp, arith::SubFOp>(op) &&
        op->getBlock() == g.getBody())
      return failure(
          failed(sumInBody(op->getOperand(0), g, map, sign, out)) ||
          failed(sumInBody(op->getOperand(1), g, map,
                           isa<arith::SubFOp>(op) ? -sign : sign, out)));
    if (isa_and_present<arith::NegFOp>(op) && op->getBlock() == g.getBody())
      return sumInBody(op->getOperand(0), g, map, -sign, out);
    if (auto arg = dyn_cast<BlockArgument>(s))
      return sum(inputOf(g, arg), composedMap(g, arg, map), sign, out);
    Product p;
    p.sign = sign;
    if (failed(productInBody(s, g, map, p)))
      return failure();
    out.push_back(p);
    return success();
  }

  LogicalResult productInBody(Value s, linalg::GenericOp g, AffineMap map,
                              Product &p) {
    s = skipCasts(s);
    if (auto arg = dyn_cast<BlockArgument>(s)) {
      if (arg.getOwner() != g.getBody() ||
          arg.getArgNumber() >= (unsigned)g.getNumDpsInputs())
        return failure();
      return product(inputOf(g, arg), composedMap(g, arg, map), p);
    }
    if (isFloatConstant(s, -1.0)) {
      p.sign = -p.sign;
      return success();
    }
    if (isFloatConstant(s, 1.0))
      return success();
    Operation *op = s.getDefiningOp();
    if (!op || op->getBlock() != g.getBody())
      return failure();
    if (isa<arith::MulFOp>(op))
      return failure(failed(productInBody(op->getOperand(0), g, map, p)) ||
                     failed(productInBody(op->getOperand(1), g, map, p)));
    if (isa<arith::NegFOp>(op)) {
      p.sign = -p.sign;
      return productInBody(op->getOperand(0), g, map, p);
    }
    if (isa<arith::SubFOp>(op) && isFloatConstant(op->getOperand(0), 0.0)) {
      p.sign = -p.sign;
      return productInBody(op->getOperand(1), g, map, p);
    }
    return failure();
  }

  static Value inputOf(linalg::GenericOp g, BlockArgument arg) {
    return g.getDpsInputOperand(arg.getArgNumber())->get();
  }
  static AffineMap composedMap(linalg::GenericOp g, BlockArgument arg,
                               AffineMap map) {
    return g.getMatchingIndexingMap(g.getDpsInputOperand(arg.getArgNumber()))
        .compose(map);
  }

  int budget = 64;
};

//===----------------------------------------------------------------------===//
// rotate_half and tables
//===----------------------------------------------------------------------===//

/// `t` is `-u` elementwise (negf, multiply by -1, 0 - u): returns u.
static Value getNegated(Value t) {
  Expander e;
  Product p;
  AffineMap id = AffineMap::getMultiDimIdentityMap(
      cast<RankedTensorType>(t.getType()).getRank(), t.getContext());
  if (failed(e.product(t, id, p)) || p.sign != -1 || p.factors.size() != 1 ||
      !p.factors[0].map.isIdentity() ||
      p.factors[0].tensor.getType() != t.getType())
    return {};
  return p.factors[0].tensor;
}

/// `v` is `x[..., offset : offset + size]` of some x: returns x.
static Value getLastDimSlice(Value v, int64_t offset, int64_t size) {
  auto slice = v.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || slice.getSourceType().getRank() != slice.getType().getRank() ||
      !slice.hasUnitStride())
    return {};
  int64_t rank = slice.getType().getRank();
  for (int64_t d = 0; d < rank; ++d) {
    std::optional<int64_t> off = getConstantIntValue(slice.getMixedOffsets()[d]);
    if (d + 1 < rank) {
      if (off != 0 || slice.getSourceType().getDimSize(d) != slice.getType().getDimSize(d))
        return {};
    } else if (off != offset || slice.getType().getDimSize(d) != size) {
      return {};
    }
  }
  return slice.getSource();
}

struct RotateHalf {
  Value x;
  int sign; // rotate_half(x) = sign * cat(-x[P:2P], x[0:P])
};

/// The two halves of a last-dim concatenation, as `cat` or `insert_slice`s.
static LogicalResult getHalves(Value v, Value &first, Value &second) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t width = type.getShape().back();
  if (ShapedType::isDynamic(width) || width % 2)
    return failure();
  if (auto concat = v.getDefiningOp<tensor::ConcatOp>()) {
    if (concat.getDim() != (uint64_t)type.getRank() - 1 || concat.getInputs().size() != 2)
      return failure();
    first = concat.getInputs()[0];
    second = concat.getInputs()[1];
    return success(cast<RankedTensorType>(first.getType()).getShape().back() == width / 2);
  }
  // insert_slice(b, insert_slice(a, empty, [0]), [P]) in either order.
  DenseMap<int64_t, Value> parts;
  while (auto insert = v.getDefiningOp<tensor::InsertSliceOp>()) {
    std::optional<int64_t> off = getConstantIntValue(insert.getMixedOffsets().back());
    if (!off || insert.getSourceType().getShape().back() != width / 2 ||
        insert.getSourceType().getRank() != type.getRank() || parts.count(*off))
      return failure();
    parts[*off] = insert.getSource();
    v = insert.getDest();
  }
  if (parts.size() != 2 || !parts.count(0) || !parts.count(width / 2))
    return failure();
  first = parts[0];
  second = parts[width / 2];
  return success();
}

static FailureOr<RotateHalf> matchRotateHalf(Value v) {
  Value first, second;
  if (failed(getHalves(v, first, second)))
    return failure();
  int64_t half = cast<RankedTensorType>(v.getType()).getShape().back() / 2;
  // cat(-x2, x1)
  if (Value neg = getNegated(first)) {
    Value x = getLastDimSlice(neg, half, half);
    if (x && getLastDimSlice(second, 0, half) == x)
      return RotateHalf{x, 1};
  }
  // cat(x2, -x1) = -cat(-x2, x1)
  if (Value neg = getNegated(second)) {
    Value x = getLastDimSlice(neg, 0, half);
    if (x && getLastDimSlice(first, half, half) == x)
      return RotateHalf{x, -1};
  }
  return failure();
}

/// A cos or sin table broadcast over the heads of x: the layout it implies
/// and the dims of the table tensor that read a constant 0 (to drop).
struct TableUse {
  Layout layout;
  SmallVector<int64_t> droppedDims;
};

static FailureOr<TableUse> analyzeTable(Leaf &leaf, int64_t rank,
                                        int64_t width) {
  // linalg.broadcast over one dim: read its input through a projected map.
  if (auto bcast = leaf.tensor.getDefiningOp<linalg::BroadcastOp>()) {
    if (leaf.map.isIdentity() && bcast.getDimensions().size() == 1) {
      leaf.map = leaf.map.dropResult(bcast.getDimensions()[0]);
      leaf.tensor = bcast.getInput();
    }
  }
  auto type = dyn_cast<RankedTensorType>(leaf.tensor.getType());
  if (!type || !isa<FloatType>(type.getElementType()) ||
      type.getShape().back() != width)
    return failure();
  AffineMap map = leaf.map;
  SmallVector<bool> used(rank, false);
  TableUse use;
  int64_t last = -1;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    if (auto c = dyn_cast<AffineConstantExpr>(expr)) {
      if (c.getValue() != 0)
        return failure();
      use.droppedDims.push_back(i);
      continue;
    }
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim || (int64_t)dim.getPosition() <= last)
      return failure();
    last = dim.getPosition();
    used[last] = true;
  }
  if (last != rank - 1)
    return failure();
  SmallVector<int64_t> broadcast;
  for (int64_t d = 0; d < rank; ++d)
    if (!used[d])
      broadcast.push_back(d);
  if (broadcast.size() != 1)
    return failure();
  if (rank == 4 && broadcast[0] == 1)
    use.layout = Layout::bhsd;
  else if (rank == 4 && broadcast[0] == 2)
    use.layout = Layout::bshd;
  else if (rank == 3 && broadcast[0] == 1)
    use.layout = Layout::thd;
  else
    return failure();
  return use;
}

/// The table as `[tokens..., W]`: dims read at a constant 0 are sliced away.
static Value materializeTable(OpBuilder &b, Location loc, const Leaf &leaf,
                              const TableUse &use) {
  if (use.droppedDims.empty())
    return leaf.tensor;
  auto type = cast<RankedTensorType>(leaf.tensor.getType());
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(use.droppedDims, d))
      kept.push_back(type.getDimSize(d));
  // An unsqueeze (expand_shape adding the dropped unit dims) is undone.
  if (auto expand = leaf.tensor.getDefiningOp<tensor::ExpandShapeOp>())
    if (expand.getSrcType().getShape() == ArrayRef<int64_t>(kept) &&
        llvm::all_of(use.droppedDims, [&](int64_t d) { return type.getDimSize(d) == 1; }))
      return expand.getSrc();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, leaf.tensor);
  SmallVector<OpFoldResult> offsets(sizes.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(use.droppedDims, d))
      sizes[d] = b.getIndexAttr(1);
    else
      shape.push_back(type.getDimSize(d));
  }
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), leaf.tensor,
      offsets, sizes, strides);
}

//===----------------------------------------------------------------------===//
// The pattern
//===----------------------------------------------------------------------===//

/// Matches `x * C + rotate_half(x) * S` rooted at an elementwise add.
struct RaiseRotateHalf : RewritePattern {
  RaiseRotateHalf(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumResults() != 1)
      return failure();
    Value root = op->getResult(0);
    auto rootType = dyn_cast<RankedTensorType>(root.getType());
    if (!rootType || !isa<FloatType>(rootType.getElementType()))
      return failure();
    bool isAddRoot = isa<arith::AddFOp, arith::SubFOp>(op);
    if (auto g = getElementwiseProducer(root)) {
      Value y = skipCasts(g.getBody()->getTerminator()->getOperand(0));
      isAddRoot = isa_and_present<arith::AddFOp, arith::SubFOp>(y.getDefiningOp());
    }
    if (!isAddRoot)
      return failure();
    int64_t rank = rootType.getRank();
    if (rank != 3 && rank != 4)
      return rewriter.notifyMatchFailure(op, "rope-raise: rank is not 3 or 4");

    Expander expander;
    Sum terms;
    // Sums of another shape are not candidates: no report for them.
    if (failed(expander.sum(root, rewriter.getMultiDimIdentityMap(rank), 1, terms)) ||
        terms.size() != 2 || terms[0].factors.size() != 2 ||
        terms[1].factors.size() != 2)
      return rewriter.notifyMatchFailure(op, "not two products of two factors");

    int64_t width = rootType.getShape().back();
    if (ShapedType::isDynamic(width) || width % 2)
      return rewriter.notifyMatchFailure(op, "rope-raise: head dim not static and even");
    // The most specific reason over all operand assignments wins.
    std::string why = "no term is x * table with a rotate_half(x) * table partner";
    int whyRank = 0;
    auto reject = [&](int rank, const char *reason) {
      if (rank > whyRank) {
        whyRank = rank;
        why = reason;
      }
    };
    for (int plain = 0; plain < 2; ++plain) {
      const Product &xc = terms[plain], &rs = terms[1 - plain];
      for (int xi = 0; xi < 2; ++xi) {
        const Leaf &x = xc.factors[xi];
        Leaf cos = xc.factors[1 - xi];
        if (!x.map.isIdentity() || x.tensor.getType() != root.getType())
          continue;
        for (int ri = 0; ri < 2; ++ri) {
          const Leaf &rot = rs.factors[ri];
          Leaf sin = rs.factors[1 - ri];
          if (!rot.map.isIdentity())
            continue;
          FailureOr<RotateHalf> rh = matchRotateHalf(rot.tensor);
          if (failed(rh)) {
            reject(1, "the second product's factor is not rotate_half (cat(-x[P:], x[:P]))");
            continue;
          }
          if (rh->x != x.tensor) {
            reject(2, "rotate_half rotates another tensor than the one times cos");
            continue;
          }
          if (xc.sign != 1 || rs.sign * rh->sign != 1) {
            reject(3, "signs do not give x*cos + rotate_half(x)*sin");
            continue;
          }
          FailureOr<TableUse> cosUse = analyzeTable(cos, rank, width);
          FailureOr<TableUse> sinUse = analyzeTable(sin, rank, width);
          if (failed(cosUse) || failed(sinUse) ||
              cosUse->layout != sinUse->layout) {
            reject(4, "cos/sin are not [tokens..., D] tables broadcast over one "
                      "head dim (bhsd, bshd or thd)");
            continue;
          }
          Location loc = op->getLoc();
          Value cosTable = materializeTable(rewriter, loc, cos, *cosUse);
          Value sinTable = materializeTable(rewriter, loc, sin, *sinUse);
          if (cosTable.getType() != sinTable.getType()) {
            reject(5, "cos and sin tables differ in type");
            continue;
          }
          Value init = tensor::EmptyOp::create(
              rewriter, loc, tensor::getMixedSizes(rewriter, loc, x.tensor),
              rootType.getElementType());
          auto raised = RotateWithTablesOp::create(
              rewriter, loc, TypeRange{rootType}, ValueRange{x.tensor},
              cosTable, sinTable, ValueRange{init},
              LayoutAttr::get(rewriter.getContext(), cosUse->layout),
              rewriter.getI64IntegerAttr(width), rewriter.getI64IntegerAttr(width),
              PairingAttr::get(rewriter.getContext(), Pairing::half));
          rewriter.replaceOp(op, raised.getResults());
          return success();
        }
      }
    }
    return rewriter.notifyMatchFailure(op, "rope-raise: " + why);
  }
};

/// q and k rotated with the same tables become one op (one pass, shared trig).
struct MergeSharedTables : OpRewritePattern<RotateWithTablesOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RotateWithTablesOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInits().size() != 1 || op.isInPlace())
      return failure();
    for (Operation *user : op.getCos().getUsers()) {
      auto other = dyn_cast<RotateWithTablesOp>(user);
      if (!other || other == op || other->getBlock() != op->getBlock() ||
          !other->isBeforeInBlock(op) || other.getInits().size() != 1 ||
          other.isInPlace() || other.getSin() != op.getSin() ||
          other.getLayout() != op.getLayout() || other.getPairing() != op.getPairing() ||
          other.getHeadDim() != op.getHeadDim() ||
          other.getRotaryDim() != op.getRotaryDim())
        continue;
      // The merged op sits where `op` is: `other`'s users must come later.
      if (llvm::any_of(other->getUsers(), [&](Operation *u) {
            return u->getBlock() != op->getBlock() || u->isBeforeInBlock(op);
          }))
        continue;
      auto merged = RotateWithTablesOp::create(
          rewriter, op.getLoc(),
          TypeRange{other.getResult(0).getType(), op.getResult(0).getType()},
          ValueRange{other.getInputs()[0], op.getInputs()[0]}, op.getCos(),
          op.getSin(), ValueRange{other.getInits()[0], op.getInits()[0]},
          op.getLayoutAttr(), op.getHeadDimAttr(), op.getRotaryDimAttr(),
          op.getPairingAttr());
      rewriter.replaceOp(other, merged.getResult(0));
      rewriter.replaceOp(op, merged.getResult(1));
      return success();
    }
    return failure();
  }
};

/// Reports why candidates were rejected (Debian's LLVM has no -debug).
struct FailureReporter : RewriterBase::Listener {
  void notifyMatchFailure(Location loc,
                          function_ref<void(Diagnostic &)> reason) override {
    Diagnostic diag(loc, DiagnosticSeverity::Remark);
    reason(diag);
    std::string text = diag.str();
    // Patterns may see an op more than once: say each reason once.
    if (StringRef(text).starts_with("rope-raise:") &&
        said.insert({loc.getAsOpaquePointer(), text}).second)
      emitRemark(loc) << "not raised: " << StringRef(text).drop_front(11).trim();
  }
  std::set<std::pair<const void *, std::string>> said;
};

struct RopeRaisePass : public rope::impl::RopeRaiseBase<RopeRaisePass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // One walk each, not a fixpoint: time stays linear in the graph size.
    // Producers are visited before their users, so a rotation is raised
    // before the q/k merge looks at it.
    RewritePatternSet raise(ctx), merge(ctx);
    raise.add<RaiseRotateHalf>(ctx);
    merge.add<MergeSharedTables>(ctx);
    FailureReporter reporter;
    RewriterBase::Listener *listener = report ? &reporter : nullptr;
    walkAndApplyPatterns(getOperation(), FrozenRewritePatternSet(std::move(raise)), listener);
    walkAndApplyPatterns(getOperation(), FrozenRewritePatternSet(std::move(merge)), listener);
    // The replaced expressions are dead now.
    IRRewriter rewriter(ctx);
    (void)runRegionDCE(rewriter, getOperation()->getRegions());
    if (!report)
      return;
    getOperation()->walk([&](RotateWithTablesOp op) {
      op.emitRemark() << "raised: rope.rotate_with_tables, "
                      << op.getInits().size() << " tensor(s), layout "
                      << stringifyLayout(op.getLayout()) << ", pairing "
                      << stringifyPairing(op.getPairing()) << ", head_dim "
                      << op.getHeadDim();
    });
  }
};
} // namespace
