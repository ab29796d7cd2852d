//===- Build.cpp - the raised ops -----------------------------------------===//

#include "Build.h"

#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::rope;
using namespace mlir::rope::raise;

FailureOr<Layout> mlir::rope::raise::layoutFor(ArrayRef<int64_t> shape,
                                               ArrayRef<int64_t> tokenDims) {
  auto within = [&](std::initializer_list<int64_t> dims) {
    return llvm::all_of(tokenDims, [&](int64_t d) { return llvm::is_contained(dims, d); });
  };
  int64_t rank = shape.size();
  if (rank == 4 && within({0}) && shape[1] == 1 && shape[2] != 1)
    return Layout::bshd;
  if (rank == 4 && within({0, 2}))
    return Layout::bhsd;
  if (rank == 4 && within({0, 1}))
    return Layout::bshd;
  if (rank == 3 && within({0}))
    return Layout::thd;
  return failure();
}

FailureOr<TableSource> mlir::rope::raise::findTable(const Rotation &rot, bool sinSide,
                                                    ArrayRef<int64_t> rootShape,
                                                    std::string &why) {
  int64_t r = rot.rotaryDim, p = r / 2;
  auto isFirst = [&](int64_t l) { return isFirstLane(rot.pairing, l, r); };
  auto pairIndex = [&](int64_t l) { return pairOfLane(rot.pairing, l, r); };
  for (int64_t l = 0; l < r; ++l) {
    const LaneTables &lane = rot.lanes[l];
    double expected = sinSide ? (isFirst(l) ? -1.0 : 1.0) : 1.0;
    if ((sinSide ? lane.sin : lane.cos).size() != 1 ||
        (sinSide ? lane.sinCoef : lane.cosCoef) != expected) {
      why = "the tables are not one cos tensor and one sin tensor with rotate_half's signs";
      return failure();
    }
  }
  auto factorOf = [&](int64_t l) -> const Factor & {
    return sinSide ? rot.lanes[l].sin[0] : rot.lanes[l].cos[0];
  };
  const Path &path0 = factorOf(0).path;
  // The deepest tensor of lane 0's path that every lane reads at its lane,
  // along the token dims at x's sizes (a longer cache read through a slice
  // is not the table).
  for (int64_t at = path0.size() - 1; at >= 0; --at) {
    const Elem &e0 = path0[at];
    auto type = dyn_cast<RankedTensorType>(e0.value.getType());
    if (!type || e0.idx.size() != (size_t)type.getRank() || constantOf(e0.idx.back()) != 0)
      continue;
    TableSource src;
    src.value = e0.value;
    src.idx = e0.idx;
    // A complex tensor is a table only as the leaf, whose part is known.
    if (isa<ComplexType>(type.getElementType())) {
      if (at + 1 != (int64_t)path0.size())
        continue;
      src.component = e0.component;
    } else if (!isa<FloatType>(type.getElementType())) {
      continue;
    }
    int64_t w = type.getShape().back();
    if (w != r && w != p)
      continue;
    src.perPair = w == p && w != r;
    bool sliced = llvm::any_of(ArrayRef(path0).take_front(at), [](const Elem &e) {
      return isa_and_present<tensor::ExtractSliceOp, tosa::SliceOp>(e.value.getDefiningOp());
    });
    bool ok = true;
    for (auto [d, e] : llvm::enumerate(ArrayRef(e0.idx).drop_back())) {
      if (constantOf(e))
        continue;
      auto dim = dyn_cast<AffineDimExpr>(e);
      if (!dim || (!src.tokenDims.empty() && (int64_t)dim.getPosition() <= src.tokenDims.back())) {
        ok = false;
        break;
      }
      int64_t size = type.getDimSize(d), xSize = rootShape[dim.getPosition()];
      ok &= ShapedType::isDynamic(size) ? ShapedType::isDynamic(xSize) && !sliced : size == xSize;
      src.tokenDims.push_back(dim.getPosition());
    }
    for (int64_t l = 1; ok && l < r; ++l) {
      int64_t lane = src.perPair ? pairIndex(l) : l;
      ok = llvm::any_of(factorOf(l).path, [&](const Elem &e) {
        return e.value == src.value && e.component == src.component &&
               ArrayRef(e.idx).drop_back() == ArrayRef(src.idx).drop_back() &&
               constantOf(e.idx.back()) == lane;
      });
    }
    if (ok && succeeded(layoutFor(rootShape, src.tokenDims)))
      return src;
  }
  why = "the tables are no tensor of the graph broadcast over the heads";
  return failure();
}

/// The sizes of `layout`'s token dims in x.
static SmallVector<OpFoldResult> tokenSizes(OpBuilder &b, Location loc, Value x, Layout layout) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d : getTokenDims(layout))
    sizes.push_back(tensor::getMixedSize(b, loc, x, d));
  return sizes;
}

static SmallVector<int64_t> staticShape(ArrayRef<OpFoldResult> sizes) {
  SmallVector<int64_t> shape;
  for (OpFoldResult s : sizes)
    shape.push_back(getConstantIntValue(s).value_or(ShapedType::kDynamic));
  return shape;
}

Value mlir::rope::raise::buildTable(OpBuilder &b, Location loc, const TableSource &src, Value x,
                                    Layout layout) {
  Value t = src.value;
  auto type = cast<RankedTensorType>(t.getType());
  if (auto complexType = dyn_cast<ComplexType>(type.getElementType())) {
    // re or im of a complex table, element by element.
    Type elt = complexType.getElementType();
    Value init = tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, t), elt);
    AffineMap id = b.getMultiDimIdentityMap(type.getRank());
    t = linalg::GenericOp::create(
            b, loc, TypeRange{init.getType()}, ValueRange{t}, ValueRange{init},
            ArrayRef<AffineMap>{id, id},
            SmallVector<utils::IteratorType>(type.getRank(), utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value part = src.component == 1
                               ? complex::ImOp::create(nb, nl, elt, args[0]).getResult()
                               : complex::ReOp::create(nb, nl, elt, args[0]).getResult();
              linalg::YieldOp::create(nb, nl, part);
            })
            .getResult(0);
    type = cast<RankedTensorType>(t.getType());
  }
  // Each table dim (but the lane's) either follows a token dim of x, stands
  // for one of size 1 (a unit dim read at 0, kept), or is read at a
  // constant index (sliced away).
  SmallVector<int64_t> tokens = getTokenDims(layout);
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> tokenOfDim(rank - 1, -1);
  size_t next = 0;
  for (int64_t i = 0; i + 1 < rank; ++i) {
    if (auto dim = dyn_cast<AffineDimExpr>(src.idx[i])) {
      next = llvm::find(tokens, (int64_t)dim.getPosition()) - tokens.begin() + 1;
      tokenOfDim[i] = dim.getPosition();
      continue;
    }
    bool followedLater = llvm::any_of(ArrayRef(src.idx).slice(i + 1), [&](AffineExpr e) {
      return next < tokens.size() && e == getAffineDimExpr(tokens[next], b.getContext());
    });
    if (next < tokens.size() && constantOf(src.idx[i]) == 0 && type.getDimSize(i) == 1 &&
        xType.getDimSize(tokens[next]) == 1 && !followedLater)
      tokenOfDim[i] = tokens[next++];
  }
  if (llvm::is_contained(tokenOfDim, -1)) {
    SmallVector<OpFoldResult> offsets, sizes = tensor::getMixedSizes(b, loc, t),
                                       strides(rank, b.getIndexAttr(1));
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < rank; ++d) {
      bool dropped = d + 1 < rank && tokenOfDim[d] < 0;
      offsets.push_back(b.getIndexAttr(dropped ? *constantOf(src.idx[d]) : 0));
      if (dropped)
        sizes[d] = b.getIndexAttr(1);
      else
        shape.push_back(type.getDimSize(d));
    }
    t = tensor::ExtractSliceOp::create(b, loc, RankedTensorType::get(shape, type.getElementType()),
                                       t, offsets, sizes, strides);
  }
  // Token dims the table does not follow (a table shared by the batch) are
  // broadcast from x's.
  SmallVector<int64_t> missing;
  for (auto [i, d] : llvm::enumerate(tokens))
    if (!llvm::is_contained(tokenOfDim, d))
      missing.push_back(i);
  if (missing.empty())
    return t;
  SmallVector<OpFoldResult> sizes = tokenSizes(b, loc, x, layout);
  int64_t lane = cast<RankedTensorType>(t.getType()).getRank() - 1;
  sizes.push_back(tensor::getMixedSize(b, loc, t, lane));
  Value init = tensor::EmptyOp::create(b, loc, sizes, getElementTypeOrSelf(t.getType()));
  return linalg::BroadcastOp::create(b, loc, t, init, missing)->getResult(0);
}

Value mlir::rope::raise::buildPositions(OpBuilder &b, Location loc, const PositionsRope &rope,
                                        Value x, Layout layout) {
  Value pos = rope.positions;
  auto type = cast<RankedTensorType>(pos.getType());
  Type elt = type.getElementType();
  SmallVector<int64_t> tokens = getTokenDims(layout);
  SmallVector<OpFoldResult> sizes = tokenSizes(b, loc, x, layout);
  sizes.insert(sizes.begin(), b.getIndexAttr(rope.numAxes));
  auto target = RankedTensorType::get(staticShape(sizes), elt);
  bool hasAxis = llvm::is_contained(rope.positionDims, -1);
  SmallVector<int64_t> exact(tokens);
  if (hasAxis)
    exact.insert(exact.begin(), -1);
  // The positions' own dims line up with [A, tokens...] (a unit dim may
  // stand for a token dim of size 1 in x).
  auto xType = cast<RankedTensorType>(x.getType());
  bool linesUp = rope.positionDims.size() == exact.size();
  for (size_t i = 0; linesUp && i < exact.size(); ++i)
    linesUp = rope.positionDims[i] == exact[i] ||
              (rope.positionDims[i] == -2 && exact[i] >= 0 && xType.getDimSize(exact[i]) == 1);
  if (hasAxis && linesUp)
    return pos;
  if (!hasAxis && linesUp) {
    // [tokens...] -> [1, tokens...]
    SmallVector<ReassociationIndices> reassoc = {{0, 1}};
    for (int64_t d = 1; d < type.getRank(); ++d)
      reassoc.push_back({d + 1});
    SmallVector<OpFoldResult> shape = tensor::getMixedSizes(b, loc, pos);
    shape.insert(shape.begin(), b.getIndexAttr(1));
    SmallVector<int64_t> expanded(type.getShape());
    expanded.insert(expanded.begin(), 1);
    return tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(expanded, elt), pos,
                                         reassoc, shape);
  }
  // Anything else (unit dims, a batch the positions do not have, a single
  // position for every token): one broadcasting copy into [A, tokens...].
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> reads;
  for (int64_t kind : rope.positionDims) {
    if (kind == -1)
      reads.push_back(getAffineDimExpr(0, ctx));
    else if (kind == -2)
      reads.push_back(getAffineConstantExpr(0, ctx));
    else
      reads.push_back(getAffineDimExpr(1 + llvm::find(tokens, kind) - tokens.begin(), ctx));
  }
  int64_t rank = target.getRank();
  Value init = tensor::EmptyOp::create(b, loc, sizes, elt);
  return linalg::GenericOp::create(
             b, loc, TypeRange{target}, ValueRange{pos}, ValueRange{init},
             ArrayRef<AffineMap>{AffineMap::get(rank, 0, reads, ctx),
                                 b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, args[0]);
             })
      .getResult(0);
}
