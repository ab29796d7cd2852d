//===- RopeDecomposition.cpp - rope ops to linalg on tensors --------------===//
//
// A rotation decomposes into one linalg.generic that computes cos/sin per
// (token, pair) and one linalg.generic per rotated tensor. The rotated part of
// the head dim is viewed as two slices holding the first and second lane of
// every pair: contiguous runs [0, P) and [P, R) for `half` pairing, even and
// odd lanes of a [P, 2] view for `adjacent` pairing. Every indexing map is a
// projected permutation, so the generics tile and vectorize upstream.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::rope;

namespace {
/// cos/sin of the first (A) and second (B) lane of each pair, `[tokens..., P]`.
struct PairTables {
  Value cosA, sinA, cosB, sinB;
};

/// Geometry of one rotation, shared by both ops.
struct Rotation {
  Location loc;
  Layout layout;
  int64_t headDim, rotaryDim;
  Pairing pairing;
  int64_t numPairs() const { return rotaryDim / 2; }
};
} // namespace

static RankedTensorType typeOfSizes(ArrayRef<OpFoldResult> sizes, Type elt) {
  SmallVector<int64_t> shape;
  for (OpFoldResult s : sizes)
    shape.push_back(getConstantIntValue(s).value_or(ShapedType::kDynamic));
  return RankedTensorType::get(shape, elt);
}

static SmallVector<OpFoldResult> ones(OpBuilder &b, size_t n) {
  return SmallVector<OpFoldResult>(n, b.getIndexAttr(1));
}

/// `v[..., offset : offset + size]` along the last dimension.
static Value sliceLast(OpBuilder &b, Location loc, Value v, int64_t offset,
                       int64_t size) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, v);
  SmallVector<OpFoldResult> offsets(sizes.size(), b.getIndexAttr(0));
  offsets.back() = b.getIndexAttr(offset);
  sizes.back() = b.getIndexAttr(size);
  return tensor::ExtractSliceOp::create(b, loc, v, offsets, sizes,
                                        ones(b, sizes.size()));
}

/// `src` inserted into `dest[..., offset : offset + size(src)]`.
static Value insertLast(OpBuilder &b, Location loc, Value src, Value dest,
                        int64_t offset) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, src);
  SmallVector<OpFoldResult> offsets(sizes.size(), b.getIndexAttr(0));
  offsets.back() = b.getIndexAttr(offset);
  return tensor::InsertSliceOp::create(b, loc, src, dest, offsets, sizes,
                                       ones(b, sizes.size()));
}

/// Reassociation that splits the last of `rank` dims into two.
static SmallVector<ReassociationIndices> splitLast(int64_t rank) {
  SmallVector<ReassociationIndices> reassoc;
  for (int64_t d = 0; d + 1 < rank; ++d)
    reassoc.push_back({d});
  reassoc.push_back({rank - 1, rank});
  return reassoc;
}

/// Views the rotated lanes `[..., 2P]` as pairs: `[..., 2, P]` for `half`
/// pairing, `[..., P, 2]` for `adjacent`. Lane l of pair j then sits at
/// index (l, j) or (j, l).
static Value viewAsPairs(OpBuilder &b, const Rotation &rot, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t p = rot.numPairs();
  SmallVector<OpFoldResult> outShape = tensor::getMixedSizes(b, rot.loc, v);
  SmallVector<int64_t> shape(type.getShape());
  bool half = rot.pairing == Pairing::half;
  outShape.back() = b.getIndexAttr(half ? 2 : p);
  outShape.push_back(b.getIndexAttr(half ? p : 2));
  shape.back() = half ? 2 : p;
  shape.push_back(half ? p : 2);
  return tensor::ExpandShapeOp::create(
      b, rot.loc, RankedTensorType::get(shape, type.getElementType()), v,
      splitLast(type.getRank()), outShape);
}

/// The dimension of a pairs view that selects the lane within a pair.
static int64_t laneDim(const Rotation &rot, int64_t pairsRank) {
  return rot.pairing == Pairing::half ? pairsRank - 2 : pairsRank - 1;
}

/// Lane `lane` (0 or 1) of every pair of a pairs view, as `[..., P]`.
static Value pairLane(OpBuilder &b, const Rotation &rot, Value pairs,
                      int64_t lane) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, rot.loc, pairs);
  int64_t dim = laneDim(rot, sizes.size());
  SmallVector<OpFoldResult> offsets(sizes.size(), b.getIndexAttr(0));
  offsets[dim] = b.getIndexAttr(lane);
  sizes[dim] = b.getIndexAttr(1);
  SmallVector<OpFoldResult> reduced = sizes;
  reduced.erase(reduced.begin() + dim);
  auto type = typeOfSizes(reduced, getElementTypeOrSelf(pairs.getType()));
  return tensor::ExtractSliceOp::create(b, rot.loc, type, pairs, offsets, sizes,
                                        ones(b, sizes.size()));
}

/// Splits `v` (last dim 2P) into the first and second lane of every pair.
static std::pair<Value, Value> splitPairs(OpBuilder &b, const Rotation &rot,
                                          Value v) {
  Value pairs = viewAsPairs(b, rot, v);
  return {pairLane(b, rot, pairs, 0), pairLane(b, rot, pairs, 1)};
}

static Value toF32(OpBuilder &b, Location loc, Value v) {
  Type f32 = b.getF32Type();
  if (v.getType() == f32)
    return v;
  if (cast<FloatType>(v.getType()).getWidth() > 32)
    return arith::TruncFOp::create(b, loc, f32, v);
  return arith::ExtFOp::create(b, loc, f32, v);
}

/// Rotates `init` (reading `src`, or `init` itself when `src` is null) with
/// the pair tables; returns the new value of `init`.
static Value rotateTensor(OpBuilder &b, const Rotation &rot, Value src,
                          Value init, const PairTables &tables) {
  Location loc = rot.loc;
  auto initType = cast<RankedTensorType>(init.getType());
  Type elt = initType.getElementType();

  // [T, H*D] is rotated as its [T, H, D] view.
  Layout layout = rot.layout;
  if (layout == Layout::packed) {
    auto expand = [&](Value v) {
      SmallVector<OpFoldResult> shape = tensor::getMixedSizes(b, loc, v);
      AffineExpr s0;
      bindSymbols(b.getContext(), s0);
      OpFoldResult heads = affine::makeComposedFoldedAffineApply(
          b, loc, s0.floorDiv(rot.headDim), {shape[1]});
      SmallVector<OpFoldResult> outShape = {shape[0], heads,
                                            b.getIndexAttr(rot.headDim)};
      return tensor::ExpandShapeOp::create(
          b, loc, typeOfSizes(outShape, elt), v,
          SmallVector<ReassociationIndices>{{0}, {1, 2}}, outShape)
          .getResult();
    };
    Value viewInit = expand(init);
    Rotation inner = rot;
    inner.layout = Layout::thd;
    Value out = rotateTensor(b, inner, src ? expand(src) : Value(), viewInit,
                             tables);
    return tensor::CollapseShapeOp::create(
        b, loc, initType, out, SmallVector<ReassociationIndices>{{0}, {1, 2}});
  }

  int64_t rank = initType.getRank();
  bool partial = rot.rotaryDim < rot.headDim;
  auto rotatedPart = [&](Value v) {
    return partial ? sliceLast(b, loc, v, 0, rot.rotaryDim) : v;
  };
  Value initRot = rotatedPart(init);
  // One generic writes both lanes of every pair, so that an in-place rotation
  // reads each pair before it overwrites it.
  Value initPairs = viewAsPairs(b, rot, initRot);
  Value srcPairs = src ? viewAsPairs(b, rot, rotatedPart(src)) : initPairs;
  SmallVector<Value> inputs = {pairLane(b, rot, srcPairs, 0),
                               pairLane(b, rot, srcPairs, 1), tables.cosA,
                               tables.sinA};
  bool sameTables = tables.cosA == tables.cosB && tables.sinA == tables.sinB;
  if (!sameTables)
    inputs.append({tables.cosB, tables.sinB});

  MLIRContext *ctx = b.getContext();
  int64_t loops = rank + 1;
  int64_t lane = laneDim(rot, loops);
  int64_t pairDim = rot.pairing == Pairing::half ? loops - 1 : loops - 2;
  AffineMap identity = AffineMap::getMultiDimIdentityMap(loops, ctx);
  AffineMap laneMap = identity.dropResult(lane);
  SmallVector<AffineExpr> tableExprs;
  for (int64_t d : getTokenDims(layout))
    tableExprs.push_back(getAffineDimExpr(d, ctx));
  tableExprs.push_back(getAffineDimExpr(pairDim, ctx));
  AffineMap tableMap = AffineMap::get(loops, 0, tableExprs, ctx);
  SmallVector<AffineMap> maps(2, laneMap);
  maps.append(inputs.size() - 2, tableMap);
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(loops, utils::IteratorType::parallel);

  auto generic = linalg::GenericOp::create(
      b, loc, initPairs.getType(), inputs, initPairs, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value first = toF32(nb, nloc, args[0]);
        Value second = toF32(nb, nloc, args[1]);
        Value cos = toF32(nb, nloc, args[2]);
        Value sin = toF32(nb, nloc, args[3]);
        Value isFirst = arith::CmpIOp::create(
            nb, nloc, arith::CmpIPredicate::eq,
            linalg::IndexOp::create(nb, nloc, lane),
            arith::ConstantIndexOp::create(nb, nloc, 0));
        if (!sameTables) {
          cos = arith::SelectOp::create(nb, nloc, isFirst, cos,
                                        toF32(nb, nloc, args[4]));
          sin = arith::SelectOp::create(nb, nloc, isFirst, sin,
                                        toF32(nb, nloc, args[5]));
        }
        // R1: y[a] = x[a] cos - x[b] sin; y[b] = x[b] cos + x[a] sin.
        Value self = arith::SelectOp::create(nb, nloc, isFirst, first, second);
        Value partner = arith::SelectOp::create(
            nb, nloc, isFirst, arith::NegFOp::create(nb, nloc, second), first);
        // One fused multiply-add: fewer instructions per element (the loop
        // is bound by loads in flight) and one rounding fewer.
        Value y = math::FmaOp::create(
            nb, nloc, self, cos, arith::MulFOp::create(nb, nloc, partner, sin));
        if (elt != nb.getF32Type())
          y = arith::TruncFOp::create(nb, nloc, elt, y);
        linalg::YieldOp::create(nb, nloc, y);
      });
  auto rotType = cast<RankedTensorType>(initRot.getType());
  Value rotated = tensor::CollapseShapeOp::create(
      b, loc, rotType, generic.getResult(0), splitLast(rotType.getRank()));
  if (!partial)
    return rotated;
  // Each part is sliced from the value it is inserted back into, so that
  // bufferization writes both in place.
  Value out = insertLast(b, loc, rotated, init, 0);
  if (src) {
    // Lanes [R, D) pass through unchanged.
    int64_t rest = rot.headDim - rot.rotaryDim;
    Value pass = sliceLast(b, loc, src, rot.rotaryDim, rest);
    Value passInit = sliceLast(b, loc, out, rot.rotaryDim, rest);
    Value copied = linalg::CopyOp::create(b, loc, pass, passInit).getResult(0);
    out = insertLast(b, loc, copied, out, rot.rotaryDim);
  }
  return out;
}

template <typename OpTy>
static Rotation getRotation(OpTy op) {
  return Rotation{op.getLoc(), op.getLayout(),
                  static_cast<int64_t>(op.getHeadDim()),
                  static_cast<int64_t>(op.getRotaryDim()), op.getPairing()};
}

template <typename OpTy>
static SmallVector<Value> rotateAll(OpBuilder &b, OpTy op,
                                    const PairTables &tables) {
  Rotation rot = getRotation(op);
  SmallVector<Value> results;
  for (auto [i, init] : llvm::enumerate(op.getInits()))
    results.push_back(rotateTensor(
        b, rot, op.isInPlace() ? Value() : op.getInputs()[i], init, tables));
  return results;
}

static Value f64Constant(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
}

std::pair<Value, Value> rope::buildCosSin(OpBuilder &b, Location loc,
                                          Value position, Value invFreq,
                                          double attentionFactor, bool inverse) {
  Type f64 = b.getF64Type();
  Value p = isa<FloatType>(position.getType())
                ? arith::ExtFOp::create(b, loc, f64, position).getResult()
                : arith::SIToFPOp::create(b, loc, f64, position).getResult();
  Value angle = arith::MulFOp::create(b, loc, p, invFreq);
  // Cody-Waite reduction: k * hi is exact for |k| < 2^29.
  const double twoPi = 2.0 * M_PI;
  const double hi = static_cast<float>(twoPi), lo = twoPi - hi;
  Value k = math::RoundEvenOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, angle, f64Constant(b, loc, 1.0 / twoPi)));
  Value reduced = math::FmaOp::create(b, loc, k, f64Constant(b, loc, -hi), angle);
  reduced = math::FmaOp::create(b, loc, k, f64Constant(b, loc, -lo), reduced);
  Value r = arith::TruncFOp::create(b, loc, b.getF32Type(), reduced);
  Value c = math::CosOp::create(b, loc, r);
  Value s = math::SinOp::create(b, loc, r);
  if (attentionFactor != 1.0) {
    Value f = arith::ConstantOp::create(
        b, loc, b.getF32FloatAttr(static_cast<float>(attentionFactor)));
    c = arith::MulFOp::create(b, loc, c, f);
    s = arith::MulFOp::create(b, loc, s, f);
  }
  if (inverse)
    s = arith::NegFOp::create(b, loc, s);
  return {c, s};
}

/// inv_j as a `[P] x f64` tensor: a constant, or computed from `seq_len` for
/// dynamic NTK (theta' = theta * (f * L / L0 - (f - 1)) ** (R / (R - 2))).
static Value buildInverseFrequencies(OpBuilder &b, RotateOp op) {
  Location loc = op.getLoc();
  SmallVector<double> inv = op.getInverseFrequencies();
  auto type = RankedTensorType::get({(int64_t)inv.size()}, b.getF64Type());
  auto ntk = dyn_cast_if_present<DynamicNtkScalingAttr>(op.getScalingAttr());
  if (!ntk)
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef<double>(inv)));

  double theta = op.getTheta().convertToDouble();
  double r = op.getRotaryDim(), l0 = ntk.getOriginalMaxPosition();
  double factor = ntk.getFactor();
  // inv_j = theta ** e_j, so with theta' it is exp(e_j * ln theta').
  SmallVector<double> exponents;
  for (double f : inv)
    exponents.push_back(std::log(f) / std::log(theta));
  Value expTable = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<double>(exponents)));
  Value len = arith::UIToFPOp::create(
      b, loc, b.getF64Type(),
      arith::IndexCastUIOp::create(b, loc, b.getI64Type(), op.getSeqLen()));
  Value ratio = arith::SubFOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, f64Constant(b, loc, factor / l0), len),
      f64Constant(b, loc, factor - 1.0));
  Value lnScaled = arith::AddFOp::create(
      b, loc, f64Constant(b, loc, std::log(theta)),
      arith::MulFOp::create(b, loc, f64Constant(b, loc, r / (r - 2.0)),
                            math::LogOp::create(b, loc, ratio)));
  Value longer = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, len,
                                       f64Constant(b, loc, l0));
  Value lnTheta = arith::SelectOp::create(
      b, loc, longer, lnScaled, f64Constant(b, loc, std::log(theta)));
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), b.getF64Type());
  AffineMap id = b.getMultiDimIdentityMap(1);
  return linalg::GenericOp::create(
             b, loc, type, expTable, empty, ArrayRef<AffineMap>{id, id},
             utils::IteratorType::parallel,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value e = arith::MulFOp::create(nb, nloc, args[0], lnTheta);
               linalg::YieldOp::create(nb, nloc,
                                       Value(math::ExpOp::create(nb, nloc, e)));
             })
      .getResult(0);
}

/// cos/sin of phi_j = pos[axis(j)] * inv_j as `[tokens..., P] x f32`. The
/// angle is formed and reduced modulo 2*pi in f64 so that positions up to 1M
/// keep their phase (R5); sin/cos of the reduced angle are f32.
static std::pair<Value, Value> buildAngleTables(OpBuilder &b, RotateOp op) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  Value positions = op.getPositions();
  auto posType = cast<RankedTensorType>(positions.getType());
  int64_t numPairs = op.getNumPairs();
  int64_t numTokenDims = posType.getRank() - 1;
  Type posElt = posType.getElementType();

  // Only the position rows some pair reads: a custom map may name 2 of
  // 40000 rows, and a slice and select per row made compile time grow with
  // the row count (new-user trial, issue 17).
  SmallVector<int32_t> axisOfPair;
  for (int64_t a : op.getAxisOfPair())
    axisOfPair.push_back(a);
  SmallVector<int32_t> usedAxes(axisOfPair);
  llvm::sort(usedAxes);
  usedAxes.erase(llvm::unique(usedAxes), usedAxes.end());
  int64_t numAxes = usedAxes.size();

  SmallVector<OpFoldResult> posSizes = tensor::getMixedSizes(b, loc, positions);
  SmallVector<OpFoldResult> rowSizes(posSizes.begin() + 1, posSizes.end());
  SmallVector<Value> inputs;
  for (int32_t a : usedAxes) {
    SmallVector<OpFoldResult> offsets(posSizes.size(), b.getIndexAttr(0));
    offsets[0] = b.getIndexAttr(a);
    SmallVector<OpFoldResult> sizes = posSizes;
    sizes[0] = b.getIndexAttr(1);
    inputs.push_back(tensor::ExtractSliceOp::create(
        b, loc, typeOfSizes(rowSizes, posElt), positions, offsets, sizes,
        ones(b, sizes.size())));
  }
  inputs.push_back(buildInverseFrequencies(b, op));
  if (numAxes > 1)
    inputs.push_back(arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({numPairs}, b.getI32Type()),
                               ArrayRef<int32_t>(axisOfPair))));

  int64_t rank = numTokenDims + 1;
  SmallVector<AffineExpr> rowExprs;
  for (int64_t d = 0; d < numTokenDims; ++d)
    rowExprs.push_back(getAffineDimExpr(d, ctx));
  AffineMap rowMap = AffineMap::get(rank, 0, rowExprs, ctx);
  AffineMap pairMap = AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineMap> maps(numAxes, rowMap);
  maps.push_back(pairMap);
  if (numAxes > 1)
    maps.push_back(pairMap);
  maps.append(2, identity);

  SmallVector<OpFoldResult> tableSizes = rowSizes;
  tableSizes.push_back(b.getIndexAttr(numPairs));
  Value empty = tensor::EmptyOp::create(b, loc, tableSizes, b.getF32Type());
  Type tableType = empty.getType();
  double attention = op.getEffectiveAttentionFactor();
  bool inverse = op.getInverse();

  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{tableType, tableType}, inputs,
      ValueRange{empty, empty}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value pos = args[0];
        Value inv = args[numAxes];
        for (int64_t a = 1; a < numAxes; ++a) {
          Value axis = args[numAxes + 1];
          Value isAxis = arith::CmpIOp::create(
              nb, nloc, arith::CmpIPredicate::eq, axis,
              arith::ConstantOp::create(nb, nloc, nb.getI32IntegerAttr(usedAxes[a])));
          pos = arith::SelectOp::create(nb, nloc, isAxis, args[a], pos);
        }
        auto [c, s] = buildCosSin(nb, nloc, pos, inv, attention, inverse);
        linalg::YieldOp::create(nb, nloc, ValueRange{c, s});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

// The decomposition builds tensor IR: the buffer form is convert-rope-to-gpu's, or
// is decomposed before bufferization.
FailureOr<SmallVector<Value>> RotateOp::decomposeOperation(OpBuilder &b) {
  if (isBufferForm())
    return failure();
  auto [cos, sin] = buildAngleTables(b, *this);
  return rotateAll(b, *this, PairTables{cos, sin, cos, sin});
}

FailureOr<SmallVector<Value>> RotateWithTablesOp::decomposeOperation(OpBuilder &b) {
  if (isBufferForm())
    return failure();
  Rotation rot = getRotation(*this);
  int64_t width = cast<RankedTensorType>(getCos().getType()).getShape().back();
  if (width == getNumPairs())
    return rotateAll(b, *this, PairTables{getCos(), getSin(), getCos(), getSin()});
  auto [cosA, cosB] = splitPairs(b, rot, getCos());
  auto [sinA, sinB] = splitPairs(b, rot, getSin());
  return rotateAll(b, *this, PairTables{cosA, sinA, cosB, sinB});
}
