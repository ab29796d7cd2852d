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

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CSE.h"
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

/// How an operand of a TOSA elementwise op is read: its size-1 dims
/// broadcast (constant 0), the others follow the result's.
static AffineMap tosaOperandMap(Value operand, Value result, AffineMap map) {
  auto in = cast<RankedTensorType>(operand.getType());
  auto out = cast<RankedTensorType>(result.getType());
  MLIRContext *ctx = operand.getContext();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < out.getRank(); ++d)
    exprs.push_back(in.getDimSize(d) == 1 && out.getDimSize(d) != 1
                        ? getAffineConstantExpr(0, ctx)
                        : getAffineDimExpr(d, ctx));
  return AffineMap::get(out.getRank(), 0, exprs, ctx).compose(map);
}

/// A float TOSA negate with zero points 0, or a TOSA multiply with shift 0.
static bool isPlainTosaNegate(Operation *op) {
  auto neg = dyn_cast_or_null<tosa::NegateOp>(op);
  return neg && isa<FloatType>(getElementTypeOrSelf(neg.getType())) &&
         isFloatConstant(neg.getInput1Zp(), 0.0) && isFloatConstant(neg.getOutputZp(), 0.0);
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
    if (isa_and_present<tosa::AddOp, tosa::SubOp>(op) &&
        cast<RankedTensorType>(op->getOperand(0).getType()).getRank() ==
            cast<RankedTensorType>(v.getType()).getRank())
      return success(
          succeeded(sum(op->getOperand(0), tosaOperandMap(op->getOperand(0), v, map), sign, out)) &&
          succeeded(sum(op->getOperand(1), tosaOperandMap(op->getOperand(1), v, map),
                        isa<tosa::SubOp>(op) ? -sign : sign, out)));
    if (isPlainTosaNegate(op))
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
      // A product of what? If the body is not one of leaves (a scaled cos
      // table, say), the tensor itself is the factor.
      Product inner = p;
      if (isa_and_present<arith::MulFOp, arith::NegFOp>(y.getDefiningOp()) &&
          succeeded(productInBody(y, g, map, inner))) {
        p = inner;
        return success();
      }
      p.factors.push_back(Leaf{v, map});
      return success();
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
    if (auto mul = dyn_cast_or_null<tosa::MulOp>(op)) {
      DenseElementsAttr shift;
      if (!matchPattern(mul.getShift(), m_Constant(&shift)) ||
          !shift.isSplat() || shift.getSplatValue<APInt>() != 0 ||
          mul.getInput1().getType().getRank() != mul.getType().getRank())
        return failure();
      for (Value in : {mul.getInput1(), mul.getInput2()}) {
        if (isFloatConstant(in, -1.0))
          p.sign = -p.sign;
        else if (failed(product(in, tosaOperandMap(in, v, map), p)))
          return failure();
      }
      return success();
    }
    if (isPlainTosaNegate(op)) {
      p.sign = -p.sign;
      return product(op->getOperand(0), map, p);
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

/// `v` is `x[..., offset : offset + size * stride : stride]` of some x:
/// returns x.
static Value getLastDimSlice(Value v, int64_t offset, int64_t size,
                             int64_t stride = 1) {
  if (auto slice = v.getDefiningOp<tosa::SliceOp>()) {
    // TOSA slices: constant start and size shapes, unit strides.
    auto start = slice.getStart().getDefiningOp<tosa::ConstShapeOp>();
    auto sizes = slice.getSize().getDefiningOp<tosa::ConstShapeOp>();
    auto src = cast<RankedTensorType>(slice.getInput1().getType());
    if (!start || !sizes || stride != 1)
      return {};
    SmallVector<int64_t> st(start.getValues().getValues<int64_t>());
    SmallVector<int64_t> sz(sizes.getValues().getValues<int64_t>());
    int64_t rank = src.getRank();
    for (int64_t d = 0; d + 1 < rank; ++d)
      if (st[d] != 0 || sz[d] != src.getDimSize(d))
        return {};
    if (st[rank - 1] != offset || sz[rank - 1] != size)
      return {};
    return slice.getInput1();
  }
  auto slice = v.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || slice.getSourceType().getRank() != slice.getType().getRank())
    return {};
  SmallVector<OpFoldResult> strides = slice.getMixedStrides();
  for (auto [d, st] : llvm::enumerate(strides))
    if (getConstantIntValue(st) != (d + 1 == strides.size() ? stride : 1))
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

/// `rot` is sign * rotate_half(x) (pairing half: cat(-x[P:], x[:P])) or
/// sign * rotate_every_two(x) (pairing adjacent: stack(-x[1::2], x[::2])).
struct RotateHalf {
  Value x;
  int sign;
  Pairing pairing;
};

/// The two halves of a last-dim concatenation, as `cat` or `insert_slice`s.
static LogicalResult getHalves(Value v, Value &first, Value &second) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t width = type.getShape().back();
  if (ShapedType::isDynamic(width) || width % 2)
    return failure();
  if (auto concat = v.getDefiningOp<tosa::ConcatOp>()) {
    if (concat.getAxis() != type.getRank() - 1 || concat.getInput1().size() != 2)
      return failure();
    first = concat.getInput1()[0];
    second = concat.getInput1()[1];
    return success(cast<RankedTensorType>(first.getType()).getShape().back() == width / 2);
  }
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
      return RotateHalf{x, 1, Pairing::half};
  }
  // cat(x2, -x1) = -cat(-x2, x1)
  if (Value neg = getNegated(second)) {
    Value x = getLastDimSlice(neg, 0, half);
    if (x && getLastDimSlice(first, half, half) == x)
      return RotateHalf{x, -1, Pairing::half};
  }
  return failure();
}

/// `v` unsqueezed by one trailing unit dim: returns the value before it.
static Value getUnsqueezed(Value v) {
  auto expand = v.getDefiningOp<tensor::ExpandShapeOp>();
  if (!expand || expand.getResultType().getRank() != expand.getSrcType().getRank() + 1 ||
      expand.getResultType().getShape().back() != 1)
    return {};
  return expand.getSrc();
}

/// `w` ([..., P, 1]) is lane `lane` of every pair of some x ([..., 2P]),
/// negated when `negated`: an unsqueezed strided slice x[..., lane::2]
/// (linalg), or a slice of lane `lane` of x reshaped to [..., P, 2] (TOSA).
/// The negation may come before or after the unsqueeze. Returns x.
static Value getPairLane(Value w, int64_t p, int64_t lane, bool negated = false) {
  if (negated) {
    if (Value u = getNegated(w))
      return getPairLane(u, p, lane);
    Value strided = getUnsqueezed(w);
    Value u = strided ? getNegated(strided) : Value();
    return u ? getLastDimSlice(u, lane, p, 2) : Value();
  }
  if (Value strided = getUnsqueezed(w))
    return getLastDimSlice(strided, lane, p, 2);
  Value pairs = getLastDimSlice(w, lane, 1);
  auto reshape = pairs ? pairs.getDefiningOp<tosa::ReshapeOp>() : tosa::ReshapeOp();
  if (!reshape)
    return {};
  auto in = cast<RankedTensorType>(reshape.getInput1().getType());
  auto out = cast<RankedTensorType>(reshape.getType());
  if (in.getRank() + 1 != out.getRank() || in.getShape().back() != 2 * p ||
      out.getShape().back() != 2 || in.getShape().drop_back() != out.getShape().drop_back(2))
    return {};
  return reshape.getInput1();
}

/// GPT-J: stack((-x[..., 1::2], x[..., ::2]), -1).flatten(-2), as an
/// unsqueeze-and-concat into [..., P, 2] collapsed back to [..., D] (linalg),
/// or slices of x reshaped to [..., P, 2], concatenated and reshaped (TOSA).
static FailureOr<RotateHalf> matchRotateEveryTwo(Value v) {
  Value stacked;
  if (auto collapse = v.getDefiningOp<tensor::CollapseShapeOp>()) {
    if (collapse.getReassociationIndices().back().size() != 2)
      return failure();
    stacked = collapse.getSrc();
  } else if (auto reshape = v.getDefiningOp<tosa::ReshapeOp>()) {
    stacked = reshape.getInput1();
  } else {
    return failure();
  }
  auto pairsType = cast<RankedTensorType>(stacked.getType());
  auto type = cast<RankedTensorType>(v.getType());
  if (pairsType.getRank() != type.getRank() + 1 || pairsType.getShape().back() != 2)
    return failure();
  Value first, second;
  if (auto concat = stacked.getDefiningOp<tensor::ConcatOp>()) {
    if (concat.getDim() != (uint64_t)pairsType.getRank() - 1 || concat.getInputs().size() != 2)
      return failure();
    first = concat.getInputs()[0];
    second = concat.getInputs()[1];
  } else if (auto concat = stacked.getDefiningOp<tosa::ConcatOp>()) {
    if (concat.getAxis() != pairsType.getRank() - 1 || concat.getInput1().size() != 2)
      return failure();
    first = concat.getInput1()[0];
    second = concat.getInput1()[1];
  } else {
    return failure();
  }
  int64_t p = pairsType.getShape()[pairsType.getRank() - 2];
  // stack(-odd, even)
  if (Value x = getPairLane(first, p, 1, /*negated=*/true))
    if (getPairLane(second, p, 0) == x)
      return RotateHalf{x, 1, Pairing::adjacent};
  // stack(odd, -even) = -stack(-odd, even)
  if (Value x = getPairLane(second, p, 0, /*negated=*/true))
    if (getPairLane(first, p, 1) == x)
      return RotateHalf{x, -1, Pairing::adjacent};
  return failure();
}

/// A cos or sin table broadcast over the heads of x: the layout it implies
/// and the dims of the table tensor that read a constant 0 (to drop).
struct TableUse {
  Layout layout;
  SmallVector<int64_t> droppedDims;
  bool batchBroadcast = false; // the table has no batch dim (Meta's freqs_cis)
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
  if (rank == 4 && broadcast.size() == 2 && broadcast[0] == 0) {
    // Shared by every sequence of the batch too: [S, W] tables.
    use.batchBroadcast = true;
    broadcast.erase(broadcast.begin());
  }
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

static Value dropReadAtZero(OpBuilder &b, Location loc, const Leaf &leaf,
                            const TableUse &use);

/// The table as `[tokens..., W]`: dims read at a constant 0 are sliced away,
/// and a table shared by the whole batch is broadcast over x's batch dim.
static Value materializeTable(OpBuilder &b, Location loc, const Leaf &leaf,
                              const TableUse &use, Value x) {
  Value table = dropReadAtZero(b, loc, leaf, use);
  if (!use.batchBroadcast)
    return table;
  auto type = cast<RankedTensorType>(table.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, table);
  sizes.insert(sizes.begin(), tensor::getMixedSize(b, loc, x, 0));
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::BroadcastOp::create(b, loc, table, init, ArrayRef<int64_t>{0})
      ->getResult(0);
}

static Value dropReadAtZero(OpBuilder &b, Location loc, const Leaf &leaf,
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
// Tables computed from positions
//===----------------------------------------------------------------------===//

/// What one lane of a cos or sin table holds:
/// fn(scale * positions[axis][tokens] * inv).
struct Lane {
  enum Fn { None, Cos, Sin } fn = None;
  int64_t axis = -1; // -1: the row is chosen by a later slice of dim 0
  double inv = 0.0;
  double scale = 1.0;
  bool operator==(const Lane &o) const {
    return fn == o.fn && axis == o.axis && inv == o.inv && scale == o.scale;
  }
};

/// The input of an elementwise generic that only converts positions to float
/// (sitofp, uitofp, extf), or null.
static Value getConvertedPositions(Value v) {
  linalg::GenericOp cast = getElementwiseProducer(v);
  if (!cast || cast.getNumDpsInputs() != 1)
    return {};
  Operation *c = cast.getBody()->getTerminator()->getOperand(0).getDefiningOp();
  if (!c || !isa<arith::SIToFPOp, arith::ExtFOp, arith::UIToFPOp>(c) ||
      !isa<BlockArgument>(c->getOperand(0)))
    return {};
  return cast.getDpsInputOperand(0)->get();
}

/// Traces a table back to `positions * inv` through the ops HF's rotary
/// embedding lowers to: slices and concatenations of the lane dim, strided
/// inserts (Qwen3-VL's interleave), row selection of a leading axis dim
/// (Qwen2-VL's sections), unsqueezes, casts, cos/sin and scaling generics.
class TableTracer {
public:
  /// The positions tensor all lanes read, and whether it has a leading axis
  /// dim (`[A, tokens...]`) or is one row (`[tokens...]`).
  Value positions;
  bool hasAxisDim = false;

  FailureOr<SmallVector<Lane>> trace(Value v, int64_t boundAxis, int depth = 0) {
    if (depth > 32)
      return failure();
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || ShapedType::isDynamic(type.getShape().back()))
      return failure();
    int64_t width = type.getShape().back();
    Operation *op = v.getDefiningOp();
    if (!op)
      return failure();

    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
      int64_t srcRank = slice.getSourceType().getRank();
      SmallVector<OpFoldResult> offs = slice.getMixedOffsets();
      std::optional<int64_t> laneOff = getConstantIntValue(offs.back());
      std::optional<int64_t> laneStride = getConstantIntValue(slice.getMixedStrides().back());
      if (!laneOff || !laneStride)
        return failure();
      // A rank-reducing slice that drops dim 0 of [A, ...] selects a row.
      int64_t axis = boundAxis;
      bool dropsLeading = srcRank > type.getRank() &&
                          getConstantIntValue(slice.getMixedSizes()[0]) == 1;
      for (int64_t d = 0; d + 1 < srcRank; ++d) {
        std::optional<int64_t> off = getConstantIntValue(offs[d]);
        if (d == 0 && dropsLeading) {
          if (!off)
            return failure();
          axis = *off;
        } else if (off != 0) {
          return failure();
        }
      }
      FailureOr<SmallVector<Lane>> src = trace(slice.getSource(), axis, depth + 1);
      if (failed(src))
        return failure();
      SmallVector<Lane> lanes;
      for (int64_t i = 0; i < width; ++i) {
        int64_t at = *laneOff + i * *laneStride;
        if (at >= (int64_t)src->size())
          return failure();
        lanes.push_back((*src)[at]);
      }
      return lanes;
    }
    if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
      if (concat.getDim() != (uint64_t)type.getRank() - 1)
        return failure();
      SmallVector<Lane> lanes;
      for (Value in : concat.getInputs()) {
        FailureOr<SmallVector<Lane>> part = trace(in, boundAxis, depth + 1);
        if (failed(part))
          return failure();
        lanes.append(*part);
      }
      return lanes;
    }
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
      std::optional<int64_t> off = getConstantIntValue(insert.getMixedOffsets().back());
      std::optional<int64_t> stride = getConstantIntValue(insert.getMixedStrides().back());
      if (!off || !stride || insert.getSourceType().getRank() != type.getRank())
        return failure();
      for (int64_t d = 0; d + 1 < type.getRank(); ++d)
        if (getConstantIntValue(insert.getMixedOffsets()[d]) != 0 ||
            insert.getSourceType().getDimSize(d) != type.getDimSize(d))
          return failure();
      FailureOr<SmallVector<Lane>> dest = trace(insert.getDest(), boundAxis, depth + 1);
      FailureOr<SmallVector<Lane>> src = trace(insert.getSource(), boundAxis, depth + 1);
      if (failed(dest) || failed(src))
        return failure();
      for (auto [i, lane] : llvm::enumerate(*src)) {
        int64_t at = *off + i * *stride;
        if (at >= width)
          return failure();
        (*dest)[at] = lane;
      }
      return dest;
    }
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op)) {
      // Unsqueezes of unit dims keep the lanes.
      auto src = cast<RankedTensorType>(op->getOperand(0).getType());
      if (src.getShape().back() != width || nonUnitDims(src) != nonUnitDims(type))
        return failure();
      return trace(op->getOperand(0), boundAxis, depth + 1);
    }
    if (auto g = dyn_cast<linalg::GenericOp>(op))
      return traceGeneric(g, boundAxis, depth);
    if (auto t = dyn_cast<linalg::TransposeOp>(op))
      return traceMatmulAngles(t);
    return failure();
  }

private:
  /// HF's `(inv_freq[None, :, None] @ position_ids[:, None, :]).transpose(1, 2)`:
  /// a (batch_)matmul with contraction size 1, its last two dims swapped.
  FailureOr<SmallVector<Lane>> traceMatmulAngles(linalg::TransposeOp t) {
    ArrayRef<int64_t> perm = t.getPermutation();
    int64_t rank = perm.size();
    for (int64_t d = 0; d + 2 < rank; ++d)
      if (perm[d] != d)
        return failure();
    if (rank < 2 || perm[rank - 2] != rank - 1 || perm[rank - 1] != rank - 2)
      return failure();
    Operation *mm = t.getInput().getDefiningOp();
    if (!isa_and_present<linalg::MatmulOp, linalg::BatchMatmulOp>(mm))
      return failure();
    auto contraction = cast<linalg::LinalgOp>(mm);
    Value lhs = contraction.getDpsInputOperand(0)->get();
    Value rhs = contraction.getDpsInputOperand(1)->get();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    if (lhsType.getShape().back() != 1 || !contraction.getIndexingMapsArray()[0].isProjectedPermutation())
      return failure();
    // The output must start from zeros: fill 0.
    auto fill = contraction.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
    if (!fill || !isFloatConstant(fill.getInputs()[0], 0.0))
      return failure();
    // inv: a constant with one non-unit dim, possibly unsqueezed/broadcast.
    Value inv = lhs;
    while (true) {
      if (auto b = inv.getDefiningOp<linalg::BroadcastOp>())
        inv = b.getInput();
      else if (auto e = inv.getDefiningOp<tensor::ExpandShapeOp>())
        inv = e.getSrc();
      else if (auto c = inv.getDefiningOp<tensor::CollapseShapeOp>())
        inv = c.getSrc();
      else
        break;
    }
    DenseElementsAttr invAttr;
    int64_t p = lhsType.getDimSize(lhsType.getRank() - 2);
    if (!matchPattern(inv, m_Constant(&invAttr)) || invAttr.getNumElements() != p ||
        !isa<FloatType>(invAttr.getElementType()))
      return failure();
    // positions: [.., 1, S] from a cast of [.., S] positions.
    Value pos = rhs;
    while (true) {
      if (auto e = pos.getDefiningOp<tensor::ExpandShapeOp>()) {
        pos = e.getSrc();
        continue;
      }
      if (getElementwiseProducer(pos)) {
        pos = getConvertedPositions(pos);
        if (!pos)
          return failure();
        continue;
      }
      break;
    }
    if (positions && (positions != pos || hasAxisDim))
      return failure();
    positions = pos;
    hasAxisDim = false;
    SmallVector<Lane> lanes;
    for (APFloat f : invAttr.getValues<APFloat>())
      lanes.push_back(Lane{Lane::None, 0, f.convertToDouble(), 1.0});
    return lanes;
  }

  static SmallVector<int64_t> nonUnitDims(RankedTensorType t) {
    SmallVector<int64_t> dims;
    for (int64_t d : t.getShape())
      if (d != 1)
        dims.push_back(d);
    return dims;
  }

  /// A unary elementwise generic (cos, sin, a constant scale, casts) or the
  /// angle generic `positions * inv`.
  FailureOr<SmallVector<Lane>> traceGeneric(linalg::GenericOp g, int64_t boundAxis,
                                            int depth) {
    if (g.getNumDpsInits() != 1 || g->getNumResults() != 1 ||
        !g.getIndexingMapsArray().back().isIdentity() ||
        !llvm::all_of(g.getIteratorTypesArray(), linalg::isParallelIterator) ||
        g.payloadUsesValueFromOperand(g.getDpsInitOperand(0)))
      return failure();
    Value y = g.getBody()->getTerminator()->getOperand(0);
    if (g.getNumDpsInputs() == 1 &&
        g.getMatchingIndexingMap(g.getDpsInputOperand(0)).isIdentity()) {
      Lane::Fn fn = Lane::None;
      double scale = 1.0;
      // Walk the body from the yield to the block argument.
      Value s = y;
      while (!isa<BlockArgument>(s)) {
        Operation *bodyOp = s.getDefiningOp();
        if (isa<arith::ExtFOp, arith::TruncFOp>(bodyOp)) {
          s = bodyOp->getOperand(0);
        } else if (isa<math::CosOp, math::SinOp>(bodyOp) && fn == Lane::None) {
          fn = isa<math::CosOp>(bodyOp) ? Lane::Cos : Lane::Sin;
          s = bodyOp->getOperand(0);
        } else if (isa<arith::MulFOp>(bodyOp)) {
          FloatAttr c;
          unsigned other = matchPattern(bodyOp->getOperand(0), m_Constant(&c)) ? 1 : 0;
          if (!c && !matchPattern(bodyOp->getOperand(1), m_Constant(&c)))
            return failure();
          scale *= c.getValueAsDouble();
          s = bodyOp->getOperand(other);
        } else {
          return failure();
        }
      }
      FailureOr<SmallVector<Lane>> lanes = trace(g.getDpsInputOperand(0)->get(), boundAxis, depth + 1);
      if (failed(lanes))
        return failure();
      for (Lane &lane : *lanes) {
        if (fn != Lane::None) {
          if (lane.fn != Lane::None || lane.scale != 1.0)
            return failure();
          lane.fn = fn;
        }
        lane.scale *= scale;
      }
      return lanes;
    }
    if (g.getNumDpsInputs() == 1)
      return traceCacheGather(g);
    if (g.getNumDpsInputs() != 2)
      return failure();
    return traceAngles(g, boundAxis);
  }

  /// `cache[positions[tokens...], lane]` from a constant cos or sin cache
  /// (HF's cos_cached[position_ids], vLLM's cos_sin_cache): kept only when
  /// every cache entry is cos or sin of (row * theta ** (-2j / R)) for one
  /// theta, to the cache's own f32 rounding, so that the folded op computes
  /// the same function of the positions.
  FailureOr<SmallVector<Lane>> traceCacheGather(linalg::GenericOp g) {
    int64_t rank = g.getNumLoops();
    OpOperand *posIn = g.getDpsInputOperand(0);
    if (g.getMatchingIndexingMap(posIn) !=
        AffineMap::getMultiDimIdentityMap(rank, g.getContext()).dropResult(rank - 1))
      return failure();
    auto extract = skipCasts(g.getBody()->getTerminator()->getOperand(0))
                       .getDefiningOp<tensor::ExtractOp>();
    DenseElementsAttr cache;
    if (!extract || extract.getIndices().size() != 2 ||
        !matchPattern(extract.getTensor(), m_Constant(&cache)) ||
        !isa<FloatType>(cache.getElementType()))
      return failure();
    auto row = extract.getIndices()[0].getDefiningOp<arith::IndexCastOp>();
    auto lane = extract.getIndices()[1].getDefiningOp<linalg::IndexOp>();
    if (!row || row.getIn() != g.getBody()->getArgument(0) || !lane ||
        lane.getDim() != (uint64_t)rank - 1)
      return failure();
    auto cacheType = cast<RankedTensorType>(cache.getType());
    int64_t rows = cacheType.getDimSize(0), width = cacheType.getDimSize(1);
    if (width % 2 || rows < 2 || rows * width > (int64_t(1) << 24))
      return failure();
    SmallVector<double> values;
    for (APFloat f : cache.getValues<APFloat>())
      values.push_back(f.convertToDouble());
    // cos caches start at 1, sin caches at 0 (row 0 is position 0).
    bool isCos = values[0] > 0.5;
    int64_t p = width / 2;
    // theta from pair 1, whose angle per position is near 1 rad.
    double inv1 = isCos ? std::acos(values[width + 1]) : std::asin(values[width + 1]);
    if (!(inv1 > 0.0))
      return failure();
    double estimate = std::pow(inv1, -double(width) / 2.0);
    double magnitude = std::pow(10.0, std::floor(std::log10(estimate)) - 3);
    double theta = std::round(estimate / magnitude) * magnitude;
    SmallVector<double> inv;
    for (int64_t j = 0; j < p; ++j)
      inv.push_back(std::pow(theta, -2.0 * j / width));
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t l = 0; l < width; ++l) {
        double angle = r * inv[l % p];
        double expected = isCos ? std::cos(angle) : std::sin(angle);
        // The cache's own angle was rounded to f32: allow its ulps.
        if (std::fabs(values[r * width + l] - expected) > 1e-6 + 2.5e-7 * angle)
          return failure();
      }
    Value pos = posIn->get();
    if (Value converted = getConvertedPositions(pos))
      pos = converted;
    if (positions && (positions != pos || hasAxisDim))
      return failure();
    positions = pos;
    hasAxisDim = false;
    SmallVector<Lane> lanes;
    for (int64_t l = 0; l < width; ++l)
      lanes.push_back(Lane{isCos ? Lane::Cos : Lane::Sin, 0, inv[l % p], 1.0});
    return lanes;
  }

  /// `freqs = positions (x) inv`: one input indexed by every dim but the
  /// lane dim (the positions), one by the lane dim only (a constant).
  FailureOr<SmallVector<Lane>> traceAngles(linalg::GenericOp g, int64_t boundAxis) {
    int64_t rank = g.getNumLoops();
    Value posIn, invIn;
    for (OpOperand *in : g.getDpsInputOperands()) {
      AffineMap m = g.getMatchingIndexingMap(in);
      if (m == AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, g.getContext())))
        invIn = in->get();
      else if (m == AffineMap::getMultiDimIdentityMap(rank, g.getContext()).dropResult(rank - 1))
        posIn = in->get();
    }
    if (!posIn || !invIn)
      return failure();
    // The body multiplies the two (after casts of the positions).
    auto mul = skipCasts(g.getBody()->getTerminator()->getOperand(0)).getDefiningOp<arith::MulFOp>();
    if (!mul)
      return failure();
    DenseElementsAttr inv;
    if (!matchPattern(invIn, m_Constant(&inv)) || !isa<FloatType>(inv.getElementType()))
      return failure();
    // Positions: through int-to-float and float casts, possibly a row slice
    // of [A, tokens...] positions.
    Value pos = posIn;
    std::optional<int64_t> rowAxis;
    while (true) {
      if (getElementwiseProducer(pos)) {
        pos = getConvertedPositions(pos);
        if (!pos)
          return failure();
        continue;
      }
      if (auto row = pos.getDefiningOp<tensor::ExtractSliceOp>()) {
        if (rowAxis || row.getSourceType().getRank() != row.getType().getRank() + 1 ||
            getConstantIntValue(row.getMixedSizes()[0]) != 1)
          return failure();
        rowAxis = getConstantIntValue(row.getMixedOffsets()[0]);
        if (!rowAxis)
          return failure();
        pos = row.getSource();
        continue;
      }
      break;
    }
    // Either a row slice picks the axis, or a later slice of this generic's
    // dim 0 does (the generic then runs over [A, tokens..., P]), or there is
    // one axis.
    if (rowAxis && boundAxis >= 0)
      return failure();
    bool axisDim = rowAxis || boundAxis >= 0;
    int64_t axis = rowAxis ? *rowAxis : std::max<int64_t>(boundAxis, 0);
    if (positions && (positions != pos || hasAxisDim != axisDim))
      return failure();
    positions = pos;
    hasAxisDim = axisDim;
    SmallVector<Lane> lanes;
    for (APFloat f : inv.getValues<APFloat>())
      lanes.push_back(Lane{Lane::None, axis, f.convertToDouble(), 1.0});
    if ((int64_t)lanes.size() != g.getStaticLoopRanges().back())
      return failure();
    return lanes;
  }
};

/// theta, scaling and axes of a positions-driven rotation, from its lanes.
struct RecoveredRope {
  double theta;
  SmallVector<int64_t> perAxisSections; // set for a per-axis spectrum
  Attribute scaling;
  std::optional<double> attentionFactor;
  SmallVector<int64_t> axisOfPair;
};

static FailureOr<RecoveredRope> recoverRope(MLIRContext *ctx, ArrayRef<Lane> cos,
                                            ArrayRef<Lane> sin, int64_t width,
                                            Pairing pairing, std::string &why) {
  int64_t p = width / 2;
  if ((int64_t)cos.size() != width || (int64_t)sin.size() != width) {
    why = "tables do not trace to one lane per head-dim lane";
    return failure();
  }
  // The first lane of pair j: j (half) or 2j (adjacent).
  auto firstLane = [&](int64_t j) { return pairing == Pairing::half ? j : 2 * j; };
  auto pairOf = [&](int64_t l) { return pairing == Pairing::half ? l % p : l / 2; };
  for (int64_t l = 0; l < width; ++l) {
    const Lane &c = cos[l], &s = sin[l], &pc = cos[firstLane(pairOf(l))];
    if (c.fn != Lane::Cos || s.fn != Lane::Sin) {
      why = "the table times x is not cos(angle), or the other is not sin(angle)";
      return failure();
    }
    if (c.axis != s.axis || c.inv != s.inv || c.scale != s.scale || c.axis < 0) {
      why = "cos and sin lanes read different angles";
      return failure();
    }
    if (c.axis != pc.axis || c.inv != pc.inv || c.scale != pc.scale) {
      why = "the two lanes of a pair have different angles";
      return failure();
    }
  }
  RecoveredRope r;
  SmallVector<double> inv;
  for (int64_t j = 0; j < p; ++j) {
    inv.push_back(cos[firstLane(j)].inv);
    r.axisOfPair.push_back(cos[firstLane(j)].axis);
  }
  if (cos[0].scale != 1.0)
    r.attentionFactor = cos[0].scale;
  for (int64_t l = 0; l < width; ++l)
    if (!(inv[pairOf(l)] > 0.0) || cos[l].scale != cos[0].scale) {
      why = "frequencies are not positive, or the attention scale varies";
      return failure();
    }
  if (p < 2 || !(inv[1] < inv[0])) {
    why = "frequencies do not decrease";
    return failure();
  }
  // theta ** (-2 / R) = inv_1 / inv_0; round to 4 significant digits, the
  // way bases are written, and keep it if it reproduces every frequency.
  double estimate = std::pow(inv[0] / inv[1], width / 2.0);
  double magnitude = std::pow(10.0, std::floor(std::log10(estimate)) - 3);
  double theta = std::round(estimate / magnitude) * magnitude;
  SmallVector<double> ext;
  for (int64_t j = 0; j < p; ++j)
    ext.push_back(std::pow(theta, -2.0 * j / width));
  auto closeTo = [](double a, double b) { return std::fabs(a - b) <= 4e-7 * std::fabs(b); };
  r.theta = theta;
  bool unscaled = true, linear = true;
  for (int64_t j = 0; j < p; ++j) {
    unscaled &= closeTo(inv[j], ext[j]);
    linear &= closeTo(inv[j] / ext[j], inv[0] / ext[0]);
  }
  if (unscaled)
    return r;
  // Vision 2D (R2): each contiguous axis section restarts its own spectrum.
  {
    SmallVector<int64_t> sections;
    for (int64_t j = 0; j < p; ++j) {
      if (j == 0 || r.axisOfPair[j] != r.axisOfPair[j - 1])
        sections.push_back(0);
      ++sections.back();
    }
    // theta from the first section's second pair: inv = theta ** (-2k / 2s).
    double base = std::pow(inv[0] / inv[1], (double)sections[0]);
    double mag = std::pow(10.0, std::floor(std::log10(base)) - 3);
    double sectionTheta = std::round(base / mag) * mag;
    bool perAxis = sections.size() > 1;
    for (int64_t j = 0, k = 0, a = 0; perAxis && j < p; ++j, ++k) {
      if (k == sections[a]) {
        ++a;
        k = 0;
      }
      perAxis &= closeTo(inv[j], std::pow(sectionTheta, -2.0 * k / (2.0 * sections[a])));
    }
    if (perAxis) {
      r.theta = sectionTheta;
      r.perAxisSections = sections;
      return r;
    }
  }
  if (linear && inv[0] < 1.0) {
    r.scaling = LinearScalingAttr::get(ctx, Real(ext[0] / inv[0]));
    return r;
  }
  // Any other spectrum is kept as it is: an explicit per-pair list.
  SmallVector<Real> factors;
  for (int64_t j = 0; j < p; ++j)
    factors.push_back(Real(ext[j] / inv[j]));
  r.scaling = FreqFactorsAttr::get(ctx, factors);
  return r;
}

//===----------------------------------------------------------------------===//
// The pattern
//===----------------------------------------------------------------------===//

/// When both tables trace back to `positions * inv`, the rotation is a
/// positions-driven rope.rotate with theta, scaling and axes recovered.
static LogicalResult raiseWithPositions(PatternRewriter &rewriter, Operation *op,
                                      Value x, const Leaf &cos, const Leaf &sin,
                                      Layout layout, Pairing pairing, int64_t width,
                                      std::string &rejected) {
  TableTracer tracer;
  FailureOr<SmallVector<Lane>> cosLanes = tracer.trace(cos.tensor, -1);
  FailureOr<SmallVector<Lane>> sinLanes = tracer.trace(sin.tensor, -1);
  if (failed(cosLanes) || failed(sinLanes))
    return failure();
  // Per-pair tables (one lane per pair, as complex rotations have them):
  // give both lanes of each pair the pair's angle.
  for (SmallVector<Lane> *lanes : {&*cosLanes, &*sinLanes}) {
    if ((int64_t)lanes->size() != width / 2)
      continue;
    SmallVector<Lane> both(width);
    for (int64_t l = 0; l < width; ++l)
      both[l] = (*lanes)[pairing == Pairing::half ? l % (width / 2) : l / 2];
    *lanes = both;
  }
  std::string why;
  FailureOr<RecoveredRope> rope =
      recoverRope(op->getContext(), *cosLanes, *sinLanes, width, pairing, why);
  if (failed(rope)) {
    rejected = "tables computed from positions: " + why;
    return failure();
  }
  auto posType = cast<RankedTensorType>(tracer.positions.getType());
  int64_t numTokenDims = getTokenDims(layout).size();
  Type posElt = posType.getElementType();
  if (!posElt.isInteger(32) && !posElt.isInteger(64) && !posElt.isF32())
    return failure();
  Location loc = op->getLoc();
  Value positions = tracer.positions;
  if (!tracer.hasAxisDim) {
    if (posType.getRank() != numTokenDims)
      return failure();
    SmallVector<ReassociationIndices> reassoc = {{0, 1}};
    for (int64_t d = 1; d < numTokenDims; ++d)
      reassoc.push_back({d + 1});
    SmallVector<OpFoldResult> shape = tensor::getMixedSizes(rewriter, loc, positions);
    shape.insert(shape.begin(), rewriter.getIndexAttr(1));
    SmallVector<int64_t> static1(posType.getShape());
    static1.insert(static1.begin(), 1);
    positions = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(static1, posElt), positions, reassoc, shape);
  } else if (posType.getRank() != numTokenDims + 1 ||
             ShapedType::isDynamic(posType.getDimSize(0))) {
    return failure();
  }
  int64_t numAxes = cast<RankedTensorType>(positions.getType()).getDimSize(0);
  if (llvm::any_of(rope->axisOfPair, [&](int64_t a) { return a >= numAxes; }))
    return failure();
  MLIRContext *ctx = op->getContext();
  auto type = cast<RankedTensorType>(x.getType());
  Value init = tensor::EmptyOp::create(rewriter, loc, tensor::getMixedSizes(rewriter, loc, x),
                                       type.getElementType());
  auto raised = RotateOp::create(
      rewriter, loc, TypeRange{type}, ValueRange{x}, positions, Value(), ValueRange{init},
      LayoutAttr::get(ctx, layout), rewriter.getI64IntegerAttr(width),
      rewriter.getI64IntegerAttr(width), PairingAttr::get(ctx, pairing),
      rewriter.getF64FloatAttr(rope->theta),
      rope->perAxisSections.empty()
          ? getAxesForMap(ctx, rope->axisOfPair, numAxes)
          : AxesAttr::get(ctx, AxisLayout::sequential, rope->perAxisSections, true),
      rope->scaling,
      rope->attentionFactor ? rewriter.getF64FloatAttr(*rope->attentionFactor) : FloatAttr(),
      UnitAttr());
  rewriter.replaceOp(op, raised.getResults());
  return success();
}

/// Whether `v` is computed with cos or sin within a few producers: tables
/// made in the graph, which must then trace to positions to be raised.
static bool computesTrig(Value v, int depth = 0) {
  Operation *op = v.getDefiningOp();
  if (!op || depth > 12)
    return false;
  bool trig = false;
  op->walk([&](Operation *inner) { trig |= isa<math::CosOp, math::SinOp>(inner); });
  return trig || llvm::any_of(op->getOperands(),
                              [&](Value operand) { return computesTrig(operand, depth + 1); });
}

/// Tables made in the graph that do not trace to positions * inv_freq (a
/// near miss such as a split at wrong offsets) leave the graph untouched.
static constexpr const char *kUntracedTables =
    "tables computed in the graph do not trace to positions * inv_freq";

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
    bool isAddRoot = isa<arith::AddFOp, arith::SubFOp, tosa::AddOp, tosa::SubOp>(op);
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
          if (failed(rh))
            rh = matchRotateEveryTwo(rot.tensor);
          if (failed(rh)) {
            reject(1, "the second product's factor is not rotate_half (cat(-x[P:], x[:P])) "
                      "nor rotate_every_two (stack(-x[1::2], x[::2]))");
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
          // Tables computed from positions give rope.rotate; tables that
          // trace to positions but are no rotation (cos and sin swapped,
          // halves of different angles) leave the graph alone; tables from
          // elsewhere give rope.rotate_with_tables.
          std::string rejected;
          if (succeeded(raiseWithPositions(rewriter, op, x.tensor, cos, sin,
                                           cosUse->layout, rh->pairing, width,
                                           rejected)))
            return success();
          if (!rejected.empty())
            return rewriter.notifyMatchFailure(op, "rope-raise: " + rejected);
          if (computesTrig(cos.tensor) || computesTrig(sin.tensor)) {
            reject(6, kUntracedTables);
            continue;
          }
          Value cosTable = materializeTable(rewriter, loc, cos, *cosUse, x.tensor);
          Value sinTable = materializeTable(rewriter, loc, sin, *sinUse, x.tensor);
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
              PairingAttr::get(rewriter.getContext(), rh->pairing));
          rewriter.replaceOp(op, raised.getResults());
          return success();
        }
      }
    }
    return rewriter.notifyMatchFailure(op, "rope-raise: " + why);
  }
};

/// The block argument `s` is, in generic `g`, or null.
static BlockArgument argOf(linalg::GenericOp g, Value s) {
  auto arg = dyn_cast<BlockArgument>(s);
  return arg && arg.getOwner() == g.getBody() &&
                 arg.getArgNumber() < (unsigned)g.getNumDpsInputs()
             ? arg
             : BlockArgument();
}

/// An all-parallel generic with an identity-mapped result whose body yields
/// one op of type OpTy on input block arguments.
template <typename OpTy>
static OpTy getSoleBodyOp(linalg::GenericOp g) {
  if (!g || g.getNumDpsInits() != 1 || !g.getIndexingMapsArray().back().isIdentity() ||
      !llvm::all_of(g.getIteratorTypesArray(), linalg::isParallelIterator))
    return {};
  auto op = g.getBody()->getTerminator()->getOperand(0).getDefiningOp<OpTy>();
  if (!op || !llvm::all_of(op->getOperands(), [&](Value v) { return argOf(g, v); }))
    return {};
  return op;
}

/// Meta Llama's complex form of GPT-J pairing:
/// view_as_real(view_as_complex(x.reshape(..., P, 2)) * freqs_cis).flatten(-2)
/// as generics over complex values: complex.create of the two lanes of each
/// pair, complex.mul by the broadcast freqs_cis, re/im selected by the lane
/// index, collapsed back. (a + ib)(c + is) = (ac - bs) + i(as + bc) is the
/// adjacent rotation with per-pair tables c = re(freqs_cis), s = im.
struct RaiseComplexRotation : OpRewritePattern<tensor::CollapseShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::CollapseShapeOp collapse,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = collapse.getResultType(), pairsType = collapse.getSrcType();
    int64_t rank = type.getRank();
    if ((rank != 3 && rank != 4) || pairsType.getRank() != rank + 1 ||
        pairsType.getShape().back() != 2 || ShapedType::isDynamic(type.getShape().back()) ||
        collapse.getReassociationIndices().back().size() != 2)
      return failure();
    int64_t width = type.getShape().back(), p = width / 2;
    MLIRContext *ctx = collapse.getContext();
    AffineMap dropLane = AffineMap::getMultiDimIdentityMap(rank + 1, ctx).dropResult(rank);
    // view_as_real: out[..., p, t] = t == 0 ? re(yc[..., p]) : im(yc[..., p]).
    auto toReal = collapse.getSrc().getDefiningOp<linalg::GenericOp>();
    auto select = toReal ? toReal.getBody()->getTerminator()->getOperand(0).getDefiningOp<arith::SelectOp>()
                         : arith::SelectOp();
    if (!toReal || !select || toReal.getNumDpsInputs() != 1 ||
        toReal.getMatchingIndexingMap(toReal.getDpsInputOperand(0)) != dropLane)
      return failure();
    auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
    auto index = cmp ? cmp.getLhs().getDefiningOp<linalg::IndexOp>() : linalg::IndexOp();
    auto re = select.getTrueValue().getDefiningOp<complex::ReOp>();
    auto im = select.getFalseValue().getDefiningOp<complex::ImOp>();
    if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::eq || !index ||
        index.getDim() != (uint64_t)rank || !matchPattern(cmp.getRhs(), m_Zero()) || !re ||
        !im || re.getComplex() != im.getComplex() || !argOf(toReal, re.getComplex()))
      return rewriter.notifyMatchFailure(collapse, "not view_as_real of a complex tensor");
    // yc = xc * freqs_cis
    auto mulG = toReal.getDpsInputOperand(0)->get().getDefiningOp<linalg::GenericOp>();
    auto mul = getSoleBodyOp<complex::MulOp>(mulG);
    if (!mul)
      return rewriter.notifyMatchFailure(collapse, "rope-raise: view_as_real of no complex product");
    OpOperand *xcIn = mulG.getDpsInputOperand(argOf(mulG, mul.getLhs()).getArgNumber());
    OpOperand *fcIn = mulG.getDpsInputOperand(argOf(mulG, mul.getRhs()).getArgNumber());
    if (!mulG.getMatchingIndexingMap(xcIn).isIdentity())
      std::swap(xcIn, fcIn);
    // xc = view_as_complex(x.reshape(..., P, 2))
    auto createG = xcIn->get().getDefiningOp<linalg::GenericOp>();
    auto create = getSoleBodyOp<complex::CreateOp>(createG);
    if (!mulG.getMatchingIndexingMap(xcIn).isIdentity() || !create)
      return rewriter.notifyMatchFailure(collapse, "rope-raise: the product has no view_as_complex factor");
    OpOperand *reIn = createG.getDpsInputOperand(argOf(createG, create.getReal()).getArgNumber());
    OpOperand *imIn = createG.getDpsInputOperand(argOf(createG, create.getImaginary()).getArgNumber());
    auto laneMap = [&](int64_t lane) {
      SmallVector<AffineExpr> exprs(AffineMap::getMultiDimIdentityMap(rank, ctx).getResults());
      exprs.push_back(getAffineConstantExpr(lane, ctx));
      return AffineMap::get(rank, 0, exprs, ctx);
    };
    auto expand = reIn->get().getDefiningOp<tensor::ExpandShapeOp>();
    if (reIn->get() != imIn->get() || createG.getMatchingIndexingMap(reIn) != laneMap(0) ||
        createG.getMatchingIndexingMap(imIn) != laneMap(1) || !expand ||
        expand.getSrc().getType() != type)
      return rewriter.notifyMatchFailure(
          collapse, "rope-raise: view_as_complex does not read (even, odd) lanes of x");
    Value x = expand.getSrc();
    // freqs_cis = complex(cos, sin), or any complex table: use re and im.
    AffineMap fcMap = mulG.getMatchingIndexingMap(fcIn);
    Leaf cos, sin;
    auto fcG = fcIn->get().getDefiningOp<linalg::GenericOp>();
    if (auto polar = getSoleBodyOp<complex::CreateOp>(fcG)) {
      OpOperand *c = fcG.getDpsInputOperand(argOf(fcG, polar.getReal()).getArgNumber());
      OpOperand *s = fcG.getDpsInputOperand(argOf(fcG, polar.getImaginary()).getArgNumber());
      cos = Leaf{c->get(), fcG.getMatchingIndexingMap(c).compose(fcMap)};
      sin = Leaf{s->get(), fcG.getMatchingIndexingMap(s).compose(fcMap)};
    } else {
      return rewriter.notifyMatchFailure(collapse, "rope-raise: freqs_cis is not complex(cos, sin)");
    }
    FailureOr<TableUse> cosUse = analyzeTable(cos, rank, p);
    FailureOr<TableUse> sinUse = analyzeTable(sin, rank, p);
    if (failed(cosUse) || failed(sinUse) || cosUse->layout != sinUse->layout)
      return rewriter.notifyMatchFailure(
          collapse, "rope-raise: freqs_cis is not a [tokens..., P] table broadcast over heads");
    std::string rejected;
    if (!cosUse->batchBroadcast &&
        succeeded(raiseWithPositions(rewriter, collapse, x, cos, sin, cosUse->layout,
                                     Pairing::adjacent, width, rejected)))
      return success();
    if (!rejected.empty())
      return rewriter.notifyMatchFailure(collapse, "rope-raise: " + rejected);
    if (computesTrig(cos.tensor) || computesTrig(sin.tensor))
      return rewriter.notifyMatchFailure(collapse, std::string("rope-raise: ") + kUntracedTables);
    Location loc = collapse.getLoc();
    Value cosTable = materializeTable(rewriter, loc, cos, *cosUse, x);
    Value sinTable = materializeTable(rewriter, loc, sin, *sinUse, x);
    if (cosTable.getType() != sinTable.getType())
      return rewriter.notifyMatchFailure(collapse, "rope-raise: cos and sin tables differ in type");
    Value init = tensor::EmptyOp::create(rewriter, loc, tensor::getMixedSizes(rewriter, loc, x),
                                         type.getElementType());
    auto raised = RotateWithTablesOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{x}, cosTable, sinTable, ValueRange{init},
        LayoutAttr::get(ctx, cosUse->layout), rewriter.getI64IntegerAttr(width),
        rewriter.getI64IntegerAttr(width), PairingAttr::get(ctx, Pairing::adjacent));
    rewriter.replaceOp(collapse, raised.getResults());
    return success();
  }
};

/// q and k rotated with the same tables or positions become one op (one
/// pass, shared trig).
template <typename OpTy>
struct MergeRotations : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  static SmallVector<Value> shared(RotateWithTablesOp op) {
    return {op.getCos(), op.getSin()};
  }
  static SmallVector<Value> shared(RotateOp op) {
    return {op.getPositions(), op.getSeqLen()};
  }
  static OpTy build(PatternRewriter &rewriter, OpTy op, TypeRange types,
                    ValueRange inputs, ValueRange inits) {
    if constexpr (std::is_same_v<OpTy, RotateOp>)
      return RotateOp::create(rewriter, op.getLoc(), types, inputs, op.getPositions(),
                              op.getSeqLen(), inits, op.getLayoutAttr(), op.getHeadDimAttr(),
                              op.getRotaryDimAttr(), op.getPairingAttr(), op.getThetaAttr(),
                              op.getAxesAttr(), op.getScalingAttr(),
                              op.getAttentionFactorAttr(), op.getInverseAttr());
    else
      return RotateWithTablesOp::create(rewriter, op.getLoc(), types, inputs, op.getCos(),
                                        op.getSin(), inits, op.getLayoutAttr(),
                                        op.getHeadDimAttr(), op.getRotaryDimAttr(),
                                        op.getPairingAttr());
  }

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (op.getInits().size() != 1 || op.isInPlace())
      return failure();
    for (Operation *user : op->getOperand(op.getInputs().size()).getUsers()) {
      auto other = dyn_cast<OpTy>(user);
      if (!other || other == op || other->getBlock() != op->getBlock() ||
          !other->isBeforeInBlock(op) || other.getInits().size() != 1 ||
          other.isInPlace() || shared(other) != shared(op) ||
          other->getDiscardableAttrDictionary() != op->getDiscardableAttrDictionary() ||
          other.getProperties() != op.getProperties())
        continue;
      // The merged op sits where `op` is: `other`'s users must come later.
      if (llvm::any_of(other->getUsers(), [&](Operation *u) {
            return u->getBlock() != op->getBlock() || u->isBeforeInBlock(op);
          }))
        continue;
      OpTy merged = build(rewriter, op,
                          TypeRange{other->getResult(0).getType(), op->getResult(0).getType()},
                          ValueRange{other.getInputs()[0], op.getInputs()[0]},
                          ValueRange{other.getInits()[0], op.getInits()[0]});
      rewriter.replaceOp(other, merged->getResult(0));
      rewriter.replaceOp(op, merged->getResult(1));
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
    raise.add<RaiseRotateHalf, RaiseComplexRotation>(ctx);
    merge.add<MergeRotations<RotateOp>, MergeRotations<RotateWithTablesOp>>(ctx);
    FailureReporter reporter;
    RewriterBase::Listener *listener = report ? &reporter : nullptr;
    walkAndApplyPatterns(getOperation(), FrozenRewritePatternSet(std::move(raise)), listener);
    // The replaced expressions are dead now; q's and k's positions views
    // become one value, so that their rotations merge.
    IRRewriter rewriter(ctx);
    (void)runRegionDCE(rewriter, getOperation()->getRegions());
    DominanceInfo dominance(getOperation());
    eliminateCommonSubExpressions(rewriter, dominance, getOperation());
    walkAndApplyPatterns(getOperation(), FrozenRewritePatternSet(std::move(merge)), listener);
    if (!report)
      return;
    getOperation()->walk([&](RotateWithTablesOp op) {
      op.emitRemark() << "raised: rope.rotate_with_tables, "
                      << op.getInits().size() << " tensor(s), layout "
                      << stringifyLayout(op.getLayout()) << ", pairing "
                      << stringifyPairing(op.getPairing()) << ", head_dim "
                      << op.getHeadDim();
    });
    getOperation()->walk([&](RotateOp op) {
      InFlightDiagnostic remark = op.emitRemark();
      remark << "raised: rope.rotate, " << op.getInits().size()
             << " tensor(s), layout " << stringifyLayout(op.getLayout())
             << ", theta " << op.getTheta().convertToDouble() << ", axes ";
      if (op.getAxesAttr())
        remark << op.getAxesAttr();
      else
        remark << "none (1D)";
      if (op.getScalingAttr())
        remark << ", scaling " << op.getScalingAttr();
    });
  }
};
} // namespace
