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

/// Views `[..., 2P]` as `[..., P, 2]`.
static Value viewAsPairs(OpBuilder &b, Location loc, Value v, int64_t numPairs) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<OpFoldResult> outShape = tensor::getMixedSizes(b, loc, v);
  outShape.back() = b.getIndexAttr(numPairs);
  outShape.push_back(b.getIndexAttr(2));
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = numPairs;
  shape.push_back(2);
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), v,
      splitLast(type.getRank()), outShape);
}

/// Lane `lane` (0 or 1) of every pair of a `[..., P, 2]` view, as `[..., P]`.
static Value pairLane(OpBuilder &b, Location loc, Value pairs, int64_t lane) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, pairs);
  SmallVector<OpFoldResult> offsets(sizes.size(), b.getIndexAttr(0));
  offsets.back() = b.getIndexAttr(lane);
  sizes.back() = b.getIndexAttr(1);
  auto type = typeOfSizes(ArrayRef<OpFoldResult>(sizes).drop_back(),
                          getElementTypeOrSelf(pairs.getType()));
  return tensor::ExtractSliceOp::create(b, loc, type, pairs, offsets, sizes,
                                        ones(b, sizes.size()));
}

static Value insertPairLane(OpBuilder &b, Location loc, Value lane, Value pairs,
                            int64_t index) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, pairs);
  SmallVector<OpFoldResult> offsets(sizes.size(), b.getIndexAttr(0));
  offsets.back() = b.getIndexAttr(index);
  sizes.back() = b.getIndexAttr(1);
  return tensor::InsertSliceOp::create(b, loc, lane, pairs, offsets, sizes,
                                       ones(b, sizes.size()));
}

/// Splits the rotated part of `v` (last dim 2P) into the first and second
/// lane of every pair.
static std::pair<Value, Value> splitPairs(OpBuilder &b, const Rotation &rot,
                                          Value v) {
  int64_t p = rot.numPairs();
  if (rot.pairing == Pairing::half)
    return {sliceLast(b, rot.loc, v, 0, p), sliceLast(b, rot.loc, v, p, p)};
  Value pairs = viewAsPairs(b, rot.loc, v, p);
  return {pairLane(b, rot.loc, pairs, 0), pairLane(b, rot.loc, pairs, 1)};
}

/// Inverse of splitPairs: writes both lanes back into `dest` (last dim 2P).
static Value joinPairs(OpBuilder &b, const Rotation &rot, Value first,
                       Value second, Value dest) {
  int64_t p = rot.numPairs();
  if (rot.pairing == Pairing::half)
    return insertLast(b, rot.loc, second,
                      insertLast(b, rot.loc, first, dest, 0), p);
  Value pairs = viewAsPairs(b, rot.loc, dest, p);
  pairs = insertPairLane(b, rot.loc, first, pairs, 0);
  pairs = insertPairLane(b, rot.loc, second, pairs, 1);
  auto destType = cast<RankedTensorType>(dest.getType());
  return tensor::CollapseShapeOp::create(b, rot.loc, destType, pairs,
                                         splitLast(destType.getRank()));
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
  auto [initA, initB] = splitPairs(b, rot, initRot);
  SmallVector<Value> inputs;
  if (src) {
    auto [srcA, srcB] = splitPairs(b, rot, rotatedPart(src));
    inputs = {srcA, srcB};
  }
  inputs.append({tables.cosA, tables.sinA, tables.cosB, tables.sinB});

  MLIRContext *ctx = b.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineExpr> tableExprs;
  for (int64_t d : getTokenDims(layout))
    tableExprs.push_back(getAffineDimExpr(d, ctx));
  tableExprs.push_back(getAffineDimExpr(rank - 1, ctx));
  AffineMap tableMap = AffineMap::get(rank, 0, tableExprs, ctx);
  SmallVector<AffineMap> maps(src ? 2 : 0, identity);
  maps.append(4, tableMap);
  maps.append(2, identity);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);

  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{initA.getType(), initB.getType()}, inputs,
      ValueRange{initA, initB}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        size_t t = src ? 2 : 0;
        Value a = toF32(nb, nloc, src ? args[0] : args[t + 4]);
        Value c = toF32(nb, nloc, src ? args[1] : args[t + 5]);
        Value cosA = toF32(nb, nloc, args[t]);
        Value sinA = toF32(nb, nloc, args[t + 1]);
        Value cosB = toF32(nb, nloc, args[t + 2]);
        Value sinB = toF32(nb, nloc, args[t + 3]);
        // R1: y[a] = x[a] cos - x[b] sin; y[b] = x[b] cos + x[a] sin.
        Value yA = arith::SubFOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, a, cosA),
            arith::MulFOp::create(nb, nloc, c, sinA));
        Value yB = arith::AddFOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, c, cosB),
            arith::MulFOp::create(nb, nloc, a, sinB));
        if (elt != nb.getF32Type()) {
          yA = arith::TruncFOp::create(nb, nloc, elt, yA);
          yB = arith::TruncFOp::create(nb, nloc, elt, yB);
        }
        linalg::YieldOp::create(nb, nloc, ValueRange{yA, yB});
      });
  Value rotated = joinPairs(b, rot, generic.getResult(0), generic.getResult(1),
                            initRot);
  if (!partial)
    return rotated;
  Value out = init;
  if (src) {
    // Lanes [R, D) pass through unchanged.
    int64_t rest = rot.headDim - rot.rotaryDim;
    Value pass = sliceLast(b, loc, src, rot.rotaryDim, rest);
    Value passInit = sliceLast(b, loc, init, rot.rotaryDim, rest);
    Value copied = linalg::CopyOp::create(b, loc, pass, passInit).getResult(0);
    out = insertLast(b, loc, copied, out, rot.rotaryDim);
  }
  return insertLast(b, loc, rotated, out, 0);
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
  int64_t numAxes = posType.getDimSize(0), numPairs = op.getNumPairs();
  int64_t numTokenDims = posType.getRank() - 1;
  Type posElt = posType.getElementType();

  SmallVector<OpFoldResult> posSizes = tensor::getMixedSizes(b, loc, positions);
  SmallVector<OpFoldResult> rowSizes(posSizes.begin() + 1, posSizes.end());
  SmallVector<Value> inputs;
  for (int64_t a = 0; a < numAxes; ++a) {
    SmallVector<OpFoldResult> offsets(posSizes.size(), b.getIndexAttr(0));
    offsets[0] = b.getIndexAttr(a);
    SmallVector<OpFoldResult> sizes = posSizes;
    sizes[0] = b.getIndexAttr(1);
    inputs.push_back(tensor::ExtractSliceOp::create(
        b, loc, typeOfSizes(rowSizes, posElt), positions, offsets, sizes,
        ones(b, sizes.size())));
  }
  inputs.push_back(buildInverseFrequencies(b, op));
  SmallVector<int32_t> axisOfPair;
  for (int64_t a : op.getAxisOfPair())
    axisOfPair.push_back(a);
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
              arith::ConstantOp::create(nb, nloc, nb.getI32IntegerAttr(a)));
          pos = arith::SelectOp::create(nb, nloc, isAxis, args[a], pos);
        }
        Type f64 = nb.getF64Type();
        Value p = isa<FloatType>(posElt)
                      ? arith::ExtFOp::create(nb, nloc, f64, pos).getResult()
                      : arith::SIToFPOp::create(nb, nloc, f64, pos).getResult();
        Value angle = arith::MulFOp::create(nb, nloc, p, inv);
        // Cody-Waite reduction: k * hi is exact for |k| < 2^29.
        const double twoPi = 2.0 * M_PI;
        const double hi = static_cast<float>(twoPi), lo = twoPi - hi;
        Value k = math::RoundEvenOp::create(
            nb, nloc,
            arith::MulFOp::create(nb, nloc, angle,
                                  f64Constant(nb, nloc, 1.0 / twoPi)));
        Value reduced = arith::SubFOp::create(
            nb, nloc, angle,
            arith::MulFOp::create(nb, nloc, k, f64Constant(nb, nloc, hi)));
        reduced = arith::SubFOp::create(
            nb, nloc, reduced,
            arith::MulFOp::create(nb, nloc, k, f64Constant(nb, nloc, lo)));
        Value r = arith::TruncFOp::create(nb, nloc, nb.getF32Type(), reduced);
        Value c = math::CosOp::create(nb, nloc, r);
        Value s = math::SinOp::create(nb, nloc, r);
        if (attention != 1.0) {
          Value f = arith::ConstantOp::create(
              nb, nloc, nb.getF32FloatAttr(static_cast<float>(attention)));
          c = arith::MulFOp::create(nb, nloc, c, f);
          s = arith::MulFOp::create(nb, nloc, s, f);
        }
        if (inverse)
          s = arith::NegFOp::create(nb, nloc, s);
        linalg::YieldOp::create(nb, nloc, ValueRange{c, s});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

FailureOr<SmallVector<Value>> RotateOp::decomposeOperation(OpBuilder &b) {
  auto [cos, sin] = buildAngleTables(b, *this);
  return rotateAll(b, *this, PairTables{cos, sin, cos, sin});
}

FailureOr<SmallVector<Value>> RotateWithTablesOp::decomposeOperation(OpBuilder &b) {
  Rotation rot = getRotation(*this);
  int64_t width = cast<RankedTensorType>(getCos().getType()).getShape().back();
  if (width == getNumPairs())
    return rotateAll(b, *this, PairTables{getCos(), getSin(), getCos(), getSin()});
  auto [cosA, cosB] = splitPairs(b, rot, getCos());
  auto [sinA, sinB] = splitPairs(b, rot, getSin());
  return rotateAll(b, *this, PairTables{cosA, sinA, cosB, sinB});
}
