//===- Views.cpp - data movement as index functions -----------------------===//

#include "Views.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::rope::raise;

std::optional<int64_t> mlir::rope::raise::constantOf(AffineExpr c) {
  if (auto k = dyn_cast_if_present<AffineConstantExpr>(c))
    return k.getValue();
  return std::nullopt;
}

static AffineExpr cst(int64_t v, MLIRContext *ctx) { return getAffineConstantExpr(v, ctx); }

/// The static values of `ofrs`, or nothing if one is dynamic.
static std::optional<SmallVector<int64_t>> staticValues(ArrayRef<OpFoldResult> ofrs) {
  SmallVector<int64_t> out;
  for (OpFoldResult ofr : ofrs) {
    std::optional<int64_t> v = getConstantIntValue(ofr);
    if (!v)
      return std::nullopt;
    out.push_back(*v);
  }
  return out;
}

/// The values of a `tosa.const_shape`.
static std::optional<SmallVector<int64_t>> tosaShape(Value v) {
  auto c = v.getDefiningOp<tosa::ConstShapeOp>();
  if (!c)
    return std::nullopt;
  return SmallVector<int64_t>(c.getValues().getValues<int64_t>());
}

static std::optional<Elem> extractSlice(tensor::ExtractSliceOp op, ArrayRef<AffineExpr> idx) {
  auto offsets = staticValues(op.getMixedOffsets());
  auto strides = staticValues(op.getMixedStrides());
  if (!offsets || !strides)
    return std::nullopt;
  llvm::SmallBitVector dropped = op.getDroppedDims();
  Elem src{op.getSource(), {}};
  unsigned next = 0;
  for (int64_t d = 0, e = op.getSourceType().getRank(); d < e; ++d) {
    AffineExpr i = dropped.test(d) ? cst(0, op.getContext()) : idx[next++];
    src.idx.push_back(i * (*strides)[d] + (*offsets)[d]);
  }
  return src;
}

/// Whether a dynamic insert size provably covers the whole destination dim.
static bool coversDim(tensor::InsertSliceOp op, int64_t d) {
  OpFoldResult size = op.getMixedSizes()[d];
  int64_t destSize = op.getDestType().getDimSize(d);
  if (std::optional<int64_t> s = getConstantIntValue(size))
    return !ShapedType::isDynamic(destSize) && *s == destSize;
  auto value = dyn_cast<Value>(size);
  auto dim = value ? value.getDefiningOp<tensor::DimOp>() : tensor::DimOp();
  if (dim && dim.getSource() == op.getDest() && getConstantIntValue(dim.getIndex()) == d)
    return true;
  // The destination (through earlier inserts) is an empty tensor made with
  // this very size.
  Value dest = op.getDest();
  while (auto inner = dest.getDefiningOp<tensor::InsertSliceOp>())
    dest = inner.getDest();
  auto empty = dest.getDefiningOp<tensor::EmptyOp>();
  return empty && value && empty.getType().isDynamicDim(d) && empty.getDynamicSize(d) == value;
}

static std::optional<Elem> insertSlice(tensor::InsertSliceOp op, ArrayRef<AffineExpr> idx) {
  auto offsets = staticValues(op.getMixedOffsets());
  auto strides = staticValues(op.getMixedStrides());
  if (!offsets || !strides)
    return std::nullopt;
  RankedTensorType srcType = op.getSourceType(), destType = op.getDestType();
  std::optional<llvm::SmallDenseSet<unsigned>> dropped =
      computeRankReductionMask(op.getStaticSizes(), srcType.getShape());
  if (!dropped)
    return std::nullopt;
  bool outside = false;
  Elem src{op.getSource(), {}};
  for (int64_t d = 0; d < destType.getRank(); ++d) {
    int64_t off = (*offsets)[d], stride = (*strides)[d];
    std::optional<int64_t> size = getConstantIntValue(op.getMixedSizes()[d]);
    AffineExpr inner;
    if (std::optional<int64_t> c = constantOf(idx[d])) {
      if (!size || stride <= 0)
        return std::nullopt;
      int64_t rel = *c - off;
      if (rel < 0 || rel % stride || rel / stride >= *size)
        outside = true;
      else
        inner = cst(rel / stride, op.getContext());
    } else if (off == 0 && stride == 1 && coversDim(op, d)) {
      inner = idx[d];
    } else {
      return std::nullopt; // cannot tell inside from outside
    }
    if (!dropped->contains(d))
      src.idx.push_back(inner);
  }
  if (outside)
    return Elem{op.getDest(), Index(idx.begin(), idx.end())};
  return src;
}

/// A concatenation along `dim` of `inputs`: the input holding `idx`.
static std::optional<Elem> concat(ValueRange inputs, int64_t dim, ArrayRef<AffineExpr> idx) {
  std::optional<int64_t> at = constantOf(idx[dim]);
  if (!at)
    return std::nullopt;
  int64_t start = 0;
  for (Value in : inputs) {
    int64_t size = cast<ShapedType>(in.getType()).getDimSize(dim);
    if (ShapedType::isDynamic(size))
      return std::nullopt;
    if (*at < start + size) {
      Elem e{in, Index(idx.begin(), idx.end())};
      e.idx[dim] = cst(*at - start, in.getContext());
      return e;
    }
    start += size;
  }
  return std::nullopt;
}

/// Row-major reshape between two static shapes.
static std::optional<Elem> reshape(Value src, RankedTensorType from, RankedTensorType to,
                                   ArrayRef<AffineExpr> idx) {
  if (!from.hasStaticShape() || !to.hasStaticShape())
    return std::nullopt;
  MLIRContext *ctx = src.getContext();
  AffineExpr flat = cst(0, ctx);
  for (int64_t d = 0; d < to.getRank(); ++d)
    flat = flat * to.getDimSize(d) + idx[d];
  Elem e{src, Index(from.getRank(), AffineExpr())};
  int64_t stride = 1;
  for (int64_t d = from.getRank() - 1; d >= 0; --d) {
    e.idx[d] = d == 0 ? flat.floorDiv(stride) : flat.floorDiv(stride) % from.getDimSize(d);
    stride *= from.getDimSize(d);
  }
  return e;
}

/// Whether `groups` split 0..rank-1 into consecutive runs, in order. MLIR
/// 22's verifiers of expand_shape/collapse_shape let an index far past the
/// rank through (the fuzzer's [[1099511627776, 1, 2]]), which the index
/// arithmetic below would read out of bounds.
static bool isContiguousReassociation(ArrayRef<ReassociationIndices> groups, int64_t rank) {
  int64_t next = 0;
  for (const ReassociationIndices &group : groups)
    for (int64_t r : group)
      if (r != next++)
        return false;
  return next == rank;
}

static std::optional<Elem> expandShape(tensor::ExpandShapeOp op, ArrayRef<AffineExpr> idx) {
  ArrayRef<int64_t> shape = op.getResultType().getShape();
  if (!isContiguousReassociation(op.getReassociationIndices(), shape.size()))
    return std::nullopt;
  Elem e{op.getSrc(), {}};
  for (const ReassociationIndices &group : op.getReassociationIndices()) {
    AffineExpr flat = cst(0, op.getContext());
    for (auto [i, r] : llvm::enumerate(group)) {
      if (i > 0 && ShapedType::isDynamic(shape[r]))
        return std::nullopt;
      flat = i == 0 ? idx[r] : flat * shape[r] + idx[r];
    }
    e.idx.push_back(flat);
  }
  return e;
}

static std::optional<Elem> collapseShape(tensor::CollapseShapeOp op, ArrayRef<AffineExpr> idx) {
  ArrayRef<int64_t> shape = op.getSrcType().getShape();
  if (!isContiguousReassociation(op.getReassociationIndices(), shape.size()))
    return std::nullopt;
  Elem e{op.getSrc(), {}};
  for (auto [g, group] : llvm::enumerate(op.getReassociationIndices())) {
    int64_t inner = 1;
    SmallVector<AffineExpr> parts(group.size());
    for (int64_t i = group.size() - 1; i >= 0; --i) {
      if (i > 0 && ShapedType::isDynamic(shape[group[i]]))
        return std::nullopt;
      parts[i] = i == 0 ? idx[g].floorDiv(inner) : idx[g].floorDiv(inner) % shape[group[i]];
      if (i > 0)
        inner *= shape[group[i]];
    }
    e.idx.append(parts.begin(), parts.end());
  }
  return e;
}

static std::optional<Elem> viewSourceOf(Value t, ArrayRef<AffineExpr> idx,
                                        ArrayRef<int64_t> rootShape = {});

/// The integer constant `v[idx]` through views, when every index that
/// matters is a constant (a constant broadcast along a dim is read at 0).
static std::optional<int64_t> constantIntAt(Value v, Index idx) {
  for (int steps = 0; steps < 64; ++steps) {
    DenseIntElementsAttr dense;
    if (matchPattern(v, m_Constant(&dense))) {
      if (dense.isSplat())
        return dense.getSplatValue<APInt>().getSExtValue();
      SmallVector<uint64_t> at;
      for (auto [d, e] : llvm::enumerate(idx)) {
        std::optional<int64_t> c = constantOf(e);
        if (!c && dense.getType().getDimSize(d) == 1)
          c = 0;
        if (!c || *c < 0 || *c >= dense.getType().getDimSize(d))
          return std::nullopt;
        at.push_back(*c);
      }
      return dense.getValues<APInt>()[at].getSExtValue();
    }
    std::optional<Elem> src = viewSourceOf(v, idx);
    if (!src)
      return std::nullopt;
    v = src->value;
    idx = src->idx;
  }
  return std::nullopt;
}

namespace {
/// A closed integer range; `hi` saturates at kUnbounded.
struct IndexRange {
  int64_t lo, hi;
};
constexpr int64_t kUnbounded = int64_t(1) << 60;

int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

std::optional<IndexRange> rangeOf(AffineExpr e, ArrayRef<int64_t> shape) {
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return IndexRange{c.getValue(), c.getValue()};
  if (auto d = dyn_cast<AffineDimExpr>(e)) {
    if (d.getPosition() >= shape.size())
      return std::nullopt;
    int64_t size = shape[d.getPosition()];
    return IndexRange{0, ShapedType::isDynamic(size) ? kUnbounded : size - 1};
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return std::nullopt;
  std::optional<IndexRange> l = rangeOf(bin.getLHS(), shape), r = rangeOf(bin.getRHS(), shape);
  if (!l || !r)
    return std::nullopt;
  // Bounds are within +-2^60 and constants within 2^20: sums and products
  // fit in int64 before they are clamped back.
  auto clamp = [](int64_t v) { return std::clamp(v, -kUnbounded, kUnbounded); };
  auto mul = [&](int64_t a, int64_t b) {
    int64_t product;
    if (llvm::MulOverflow(a, b, product))
      return (a < 0) != (b < 0) ? -kUnbounded : kUnbounded;
    return clamp(product);
  };
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return IndexRange{clamp(l->lo + r->lo), clamp(l->hi + r->hi)};
  case AffineExprKind::Mul: {
    if (r->lo != r->hi || std::abs(r->lo) > (1 << 20))
      return std::nullopt;
    int64_t a = mul(l->lo, r->lo), b = mul(l->hi, r->lo);
    return IndexRange{std::min(a, b), std::max(a, b)};
  }
  case AffineExprKind::FloorDiv:
    if (r->lo != r->hi || r->lo <= 0)
      return std::nullopt;
    return IndexRange{floorDiv(l->lo, r->lo), floorDiv(l->hi, r->lo)};
  case AffineExprKind::Mod:
    if (r->lo != r->hi || r->lo <= 0)
      return std::nullopt;
    if (l->hi < kUnbounded && floorDiv(l->lo, r->lo) == floorDiv(l->hi, r->lo)) {
      int64_t base = floorDiv(l->lo, r->lo) * r->lo;
      return IndexRange{l->lo - base, l->hi - base};
    }
    return IndexRange{0, r->lo - 1};
  default:
    return std::nullopt;
  }
}
} // namespace

/// `e` as sum of coefficient * atom plus a constant, atoms being dims and
/// non-linear subexpressions.
static void linearize(AffineExpr e, int64_t scale,
                      SmallVectorImpl<std::pair<AffineExpr, int64_t>> &terms,
                      int64_t &constant) {
  if (auto c = dyn_cast<AffineConstantExpr>(e)) {
    constant += scale * c.getValue();
    return;
  }
  if (e.getKind() == AffineExprKind::Add) {
    auto bin = cast<AffineBinaryOpExpr>(e);
    linearize(bin.getLHS(), scale, terms, constant);
    linearize(bin.getRHS(), scale, terms, constant);
    return;
  }
  if (e.getKind() == AffineExprKind::Mul) {
    auto bin = cast<AffineBinaryOpExpr>(e);
    if (std::optional<int64_t> k = constantOf(bin.getRHS())) {
      linearize(bin.getLHS(), scale * *k, terms, constant);
      return;
    }
  }
  terms.push_back({e, scale});
}

/// floordiv or mod of `l` by k > 0, with the multiples of k split off first:
/// (k * a + r) floordiv k = a + r floordiv k, (k * a + r) mod k = r mod k.
static AffineExpr divideInBounds(AffineExpr l, int64_t k, bool mod, ArrayRef<int64_t> shape);

AffineExpr mlir::rope::raise::simplifyInBounds(AffineExpr e, ArrayRef<int64_t> shape) {
  // Anything confined to one value (a unit dim, a quotient of a small
  // range) is that value.
  std::optional<IndexRange> whole = rangeOf(e, shape);
  // (Compared without negating: a lower bound may be INT64_MIN, fuzzer.)
  if (whole && whole->lo == whole->hi && whole->lo < kUnbounded && whole->lo > -kUnbounded)
    return getAffineConstantExpr(whole->lo, e.getContext());
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return e;
  AffineExpr l = simplifyInBounds(bin.getLHS(), shape);
  AffineExpr r = simplifyInBounds(bin.getRHS(), shape);
  std::optional<int64_t> k = constantOf(r);
  if ((e.getKind() == AffineExprKind::FloorDiv || e.getKind() == AffineExprKind::Mod) && k &&
      *k > 0)
    return divideInBounds(l, *k, e.getKind() == AffineExprKind::Mod, shape);
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return l + r;
  case AffineExprKind::Mul:
    return l * r;
  case AffineExprKind::FloorDiv:
    return l.floorDiv(r);
  case AffineExprKind::CeilDiv:
    return l.ceilDiv(r);
  case AffineExprKind::Mod:
    return l % r;
  default:
    return e;
  }
}

static AffineExpr divideInBounds(AffineExpr l, int64_t k, bool mod, ArrayRef<int64_t> shape) {
  MLIRContext *ctx = l.getContext();
  SmallVector<std::pair<AffineExpr, int64_t>> terms;
  int64_t constant = 0;
  linearize(l, 1, terms, constant);
  AffineExpr whole = getAffineConstantExpr(floorDiv(constant, k), ctx);
  AffineExpr rest = getAffineConstantExpr(constant - floorDiv(constant, k) * k, ctx);
  for (auto [atom, coef] : terms) {
    if (coef % k == 0) {
      whole = whole + atom * (coef / k);
    } else {
      rest = rest + atom * coef;
    }
  }
  std::optional<IndexRange> range = rangeOf(rest, shape);
  if (range && range->hi < kUnbounded && range->lo > -kUnbounded &&
      floorDiv(range->lo, k) == floorDiv(range->hi, k)) {
    int64_t q = floorDiv(range->lo, k);
    return mod ? rest - q * k : whole + q;
  }
  return mod ? rest % k : whole + rest.floorDiv(k);
}

std::optional<Elem> mlir::rope::raise::viewSource(Value t, ArrayRef<AffineExpr> idx,
                                                  ArrayRef<int64_t> rootShape) {
  auto type = dyn_cast<RankedTensorType>(t.getType());
  if (!type || (int64_t)idx.size() != type.getRank() ||
      (t.getDefiningOp() && llvm::any_of(t.getDefiningOp()->getOperandTypes(), [](Type operand) {
         return isa<UnrankedTensorType>(operand);
       })))
    return std::nullopt;
  std::optional<Elem> src = viewSourceOf(t, idx, rootShape);
  if (!src)
    return std::nullopt;
  auto srcType = dyn_cast<RankedTensorType>(src->value.getType());
  if (!srcType || (int64_t)src->idx.size() != srcType.getRank())
    return std::nullopt;
  for (AffineExpr &e : src->idx)
    e = simplifyInBounds(e, rootShape);
  return src;
}

/// tosa.scatter with constant indices: out[n, k, c] = input[n, w, c] for
/// the last w with indices[n, w] = k, else values_in[n, k, c]. A k that
/// follows one root dim is solved for each of its (few) values: the source
/// must be the same for all, at a w linear in that dim.
static std::optional<Elem> scatter(tosa::ScatterOp sc, ArrayRef<AffineExpr> idx,
                                   ArrayRef<int64_t> rootShape) {
  MLIRContext *ctx = sc.getContext();
  auto indicesType = cast<RankedTensorType>(sc.getIndices().getType());
  int64_t w = indicesType.getDimSize(1);
  if (ShapedType::isDynamic(w) || w > 4096)
    return std::nullopt;
  auto lastWriter = [&](int64_t k) -> std::optional<int64_t> {
    std::optional<int64_t> from = -1;
    for (int64_t i = 0; i < w; ++i) {
      std::optional<int64_t> at = constantIntAt(sc.getIndices(), {idx[0], cst(i, ctx)});
      if (!at)
        return std::nullopt;
      if (*at == k)
        from = i;
    }
    return from;
  };
  if (std::optional<int64_t> k = constantOf(idx[1])) {
    std::optional<int64_t> from = lastWriter(*k);
    if (!from)
      return std::nullopt;
    if (*from < 0)
      return Elem{sc.getValuesIn(), Index(idx.begin(), idx.end())};
    return Elem{sc.getInput(), {idx[0], cst(*from, ctx), idx[2]}};
  }
  // k follows one root dim d of static size.
  int64_t dim = -1;
  bool single = true;
  idx[1].walk([&](AffineExpr e) {
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      single &= dim < 0 || dim == (int64_t)d.getPosition();
      dim = d.getPosition();
    }
  });
  if (!single || dim < 0 || dim >= (int64_t)rootShape.size() ||
      ShapedType::isDynamic(rootShape[dim]) || rootShape[dim] * w > (1 << 16))
    return std::nullopt;
  SmallVector<int64_t> writers;
  for (int64_t v = 0; v < rootShape[dim]; ++v) {
    SmallVector<AffineExpr> dims;
    for (int64_t d = 0; d <= dim; ++d)
      dims.push_back(d == dim ? cst(v, ctx) : getAffineDimExpr(d, ctx));
    std::optional<int64_t> k = constantOf(idx[1].replaceDimsAndSymbols(dims, {}));
    std::optional<int64_t> from = k ? lastWriter(*k) : std::nullopt;
    if (!from)
      return std::nullopt;
    writers.push_back(*from);
  }
  if (llvm::all_of(writers, [](int64_t f) { return f < 0; }))
    return Elem{sc.getValuesIn(), Index(idx.begin(), idx.end())};
  int64_t step = writers.size() > 1 ? writers[1] - writers[0] : 0;
  for (auto [v, f] : llvm::enumerate(writers))
    if (f < 0 || f != writers[0] + step * (int64_t)v)
      return std::nullopt;
  return Elem{sc.getInput(),
              {idx[0], getAffineDimExpr(dim, ctx) * step + writers[0], idx[2]}};
}

static std::optional<Elem> viewSourceOf(Value t, ArrayRef<AffineExpr> idx,
                                        ArrayRef<int64_t> rootShape) {
  Operation *op = t.getDefiningOp();
  if (!op)
    return std::nullopt;
  MLIRContext *ctx = t.getContext();
  if (auto c = dyn_cast<tensor::CastOp>(op))
    return Elem{c.getSource(), Index(idx.begin(), idx.end())};
  if (auto s = dyn_cast<tensor::ExtractSliceOp>(op))
    return extractSlice(s, idx);
  if (auto s = dyn_cast<tensor::InsertSliceOp>(op))
    return insertSlice(s, idx);
  if (auto c = dyn_cast<tensor::ConcatOp>(op))
    return concat(c.getInputs(), c.getDim(), idx);
  if (auto e = dyn_cast<tensor::ExpandShapeOp>(op))
    return expandShape(e, idx);
  if (auto c = dyn_cast<tensor::CollapseShapeOp>(op))
    return collapseShape(c, idx);
  if (auto b = dyn_cast<linalg::BroadcastOp>(op)) {
    Elem e{b.getInput(), {}};
    for (auto [d, i] : llvm::enumerate(idx))
      if (!llvm::is_contained(b.getDimensions(), (int64_t)d))
        e.idx.push_back(i);
    return e;
  }
  if (auto tr = dyn_cast<linalg::TransposeOp>(op)) {
    Elem e{tr.getInput(), Index(idx.size(), AffineExpr())};
    for (auto [i, p] : llvm::enumerate(tr.getPermutation()))
      e.idx[p] = idx[i];
    return e;
  }
  if (auto c = dyn_cast<linalg::CopyOp>(op))
    return Elem{c.getInputs()[0], Index(idx.begin(), idx.end())};
  if (auto r = dyn_cast<tosa::ReshapeOp>(op)) {
    auto from = dyn_cast<RankedTensorType>(r.getInput1().getType());
    auto to = dyn_cast<RankedTensorType>(r.getType());
    return from && to ? reshape(r.getInput1(), from, to, idx) : std::nullopt;
  }
  if (auto tr = dyn_cast<tosa::TransposeOp>(op)) {
    Elem e{tr.getInput1(), Index(idx.size(), AffineExpr())};
    for (auto [i, p] : llvm::enumerate(tr.getPerms()))
      e.idx[p] = idx[i];
    return e;
  }
  if (auto s = dyn_cast<tosa::SliceOp>(op)) {
    std::optional<SmallVector<int64_t>> start = tosaShape(s.getStart());
    if (!start)
      return std::nullopt;
    Elem e{s.getInput1(), {}};
    for (auto [i, o] : llvm::zip(idx, *start))
      e.idx.push_back(i + o);
    return e;
  }
  if (auto c = dyn_cast<tosa::ConcatOp>(op))
    return concat(c.getInput1(), c.getAxis(), idx);
  if (auto pad = dyn_cast<tosa::PadOp>(op)) {
    // Inside: the input, shifted by the low padding; outside: pad_const.
    std::optional<SmallVector<int64_t>> padding = tosaShape(pad.getPadding());
    auto in = cast<RankedTensorType>(pad.getInput1().getType());
    if (!padding)
      return std::nullopt;
    Elem e{pad.getInput1(), {}};
    bool outside = false;
    for (auto [d, i] : llvm::enumerate(idx)) {
      int64_t lo = (*padding)[2 * d], hi = (*padding)[2 * d + 1];
      if (std::optional<int64_t> c = constantOf(i)) {
        if (ShapedType::isDynamic(in.getDimSize(d)))
          return std::nullopt;
        outside |= *c < lo || *c >= lo + in.getDimSize(d);
      } else if (lo != 0 || hi != 0) {
        return std::nullopt;
      }
      e.idx.push_back(i - lo);
    }
    if (outside)
      return Elem{pad.getPadConst(),
                  Index(cast<ShapedType>(pad.getPadConst().getType()).getRank(), cst(0, ctx))};
    return e;
  }
  if (auto g = dyn_cast<tosa::GatherOp>(op)) {
    // out[n, w, c] = values[n, indices[n, w], c], indices constant.
    std::optional<int64_t> row = constantIntAt(g.getIndices(), {idx[0], idx[1]});
    if (!row)
      return std::nullopt;
    return Elem{g.getValues(), {idx[0], cst(*row, ctx), idx[2]}};
  }
  if (auto sc = dyn_cast<tosa::ScatterOp>(op))
    return scatter(sc, idx, rootShape);
  if (auto tile = dyn_cast<tosa::TileOp>(op)) {
    auto in = cast<RankedTensorType>(tile.getInput1().getType());
    Elem e{tile.getInput1(), {}};
    for (auto [d, i] : llvm::enumerate(idx)) {
      int64_t size = in.getDimSize(d);
      if (ShapedType::isDynamic(size))
        return std::nullopt;
      e.idx.push_back(size == 1 ? cst(0, ctx) : i % size);
    }
    return e;
  }
  if (isa<tosa::CastOp, tosa::IdentityOp>(op)) {
    // Float to float (a rounding, looked through like arith.truncf) and
    // integer to float.
    Type from = getElementTypeOrSelf(op->getOperand(0).getType());
    Type to = getElementTypeOrSelf(t.getType());
    if (!isa<FloatType>(to) || !(isa<FloatType>(from) || from.isSignlessInteger()))
      return std::nullopt;
    return Elem{op->getOperand(0), Index(idx.begin(), idx.end())};
  }
  return std::nullopt;
}

/// An integer computed from constants only, with its width's semantics.
static std::optional<APInt> integerConstant(Value s) {
  IntegerAttr attr;
  if (matchPattern(s, m_Constant(&attr)))
    return attr.getValue();
  Operation *op = s.getDefiningOp();
  if (!op || op->getNumOperands() != 1 || !s.getType().isIntOrIndex())
    return std::nullopt;
  std::optional<APInt> in = integerConstant(op->getOperand(0));
  if (!in)
    return std::nullopt;
  unsigned width = s.getType().isIndex() ? 64 : s.getType().getIntOrFloatBitWidth();
  if (isa<arith::ExtSIOp, arith::IndexCastOp>(op))
    return in->sextOrTrunc(width);
  if (isa<arith::ExtUIOp, arith::IndexCastUIOp>(op))
    return in->zextOrTrunc(width);
  if (isa<arith::TruncIOp>(op))
    return in->trunc(width);
  return std::nullopt;
}

std::optional<double> mlir::rope::raise::scalarConstant(Value s) {
  FloatAttr attr;
  if (matchPattern(s, m_Constant(&attr)))
    return attr.getValueAsDouble();
  Operation *op = s.getDefiningOp();
  if (!op || op->getNumResults() != 1 || !isa<FloatType>(s.getType()))
    return std::nullopt;
  if (isa<arith::SIToFPOp, arith::UIToFPOp>(op)) {
    std::optional<APInt> i = integerConstant(op->getOperand(0));
    if (!i)
      return std::nullopt;
    return isa<arith::SIToFPOp>(op) ? double(i->getSExtValue()) : double(i->getZExtValue());
  }
  // Float roundings are looked through, as everywhere in the raiser.
  if (isa<arith::ExtFOp, arith::TruncFOp>(op))
    return scalarConstant(op->getOperand(0));
  if (isa<arith::NegFOp>(op)) {
    std::optional<double> a = scalarConstant(op->getOperand(0));
    return a ? std::optional(-*a) : std::nullopt;
  }
  if (!isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(op))
    return std::nullopt;
  std::optional<double> a = scalarConstant(op->getOperand(0));
  std::optional<double> b = scalarConstant(op->getOperand(1));
  if (!a || !b)
    return std::nullopt;
  if (isa<arith::AddFOp>(op))
    return *a + *b;
  if (isa<arith::SubFOp>(op))
    return *a - *b;
  if (isa<arith::MulFOp>(op))
    return *a * *b;
  return *a / *b;
}

std::optional<Index> mlir::rope::raise::tosaOperandIndex(Value operand, RankedTensorType result,
                                                        ArrayRef<AffineExpr> idx) {
  auto in = dyn_cast<RankedTensorType>(operand.getType());
  if (!in || in.getRank() != result.getRank())
    return std::nullopt;
  Index at(idx.begin(), idx.end());
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (in.getDimSize(d) == 1 && result.getDimSize(d) != 1)
      at[d] = getAffineConstantExpr(0, operand.getContext());
  return at;
}

Index mlir::rope::raise::applyMap(AffineMap map, ArrayRef<AffineExpr> loops) {
  Index out;
  for (AffineExpr e : map.getResults())
    out.push_back(e.replaceDimsAndSymbols(loops, {}));
  return out;
}

FailureOr<Index> mlir::rope::raise::loopsForResult(linalg::LinalgOp op, unsigned resultNo,
                                                   ArrayRef<AffineExpr> idx) {
  AffineMap map = op.getMatchingIndexingMap(op.getDpsInitOperand(resultNo));
  Index loops(op.getNumLoops(), AffineExpr());
  for (auto [i, e] : llvm::enumerate(map.getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim || (loops[dim.getPosition()] && loops[dim.getPosition()] != idx[i]))
      return failure();
    loops[dim.getPosition()] = idx[i];
  }
  for (auto [l, it] : llvm::enumerate(op.getIteratorTypesArray()))
    if (!loops[l] && it == utils::IteratorType::parallel)
      return failure();
  return loops;
}

std::optional<AffineExpr> mlir::rope::raise::indexValue(Value s, ArrayRef<AffineExpr> loops) {
  Operation *op = s.getDefiningOp();
  if (!op)
    return std::nullopt;
  MLIRContext *ctx = s.getContext();
  if (auto i = dyn_cast<linalg::IndexOp>(op))
    return i.getDim() < loops.size() && loops[i.getDim()] ? std::optional(loops[i.getDim()])
                                                          : std::nullopt;
  IntegerAttr c;
  if (matchPattern(s, m_Constant(&c)))
    return cst(c.getValue().getSExtValue(), ctx);
  if (isa<arith::IndexCastOp, arith::IndexCastUIOp, arith::ExtSIOp, arith::ExtUIOp,
          arith::TruncIOp>(op))
    return indexValue(op->getOperand(0), loops);
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    // A choice on index arithmetic (a partner lane picked by a compare).
    auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
    std::optional<AffineExpr> a = cmp ? indexValue(cmp.getLhs(), loops) : std::nullopt;
    std::optional<AffineExpr> b = cmp ? indexValue(cmp.getRhs(), loops) : std::nullopt;
    std::optional<int64_t> x = a ? constantOf(*a) : std::nullopt;
    std::optional<int64_t> y = b ? constantOf(*b) : std::nullopt;
    if (!x || !y)
      return std::nullopt;
    bool taken = arith::applyCmpPredicate(cmp.getPredicate(), APInt(64, *x, true),
                                          APInt(64, *y, true));
    return indexValue(taken ? select.getTrueValue() : select.getFalseValue(), loops);
  }
  if (!isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::DivSIOp, arith::DivUIOp,
           arith::FloorDivSIOp, arith::RemSIOp, arith::RemUIOp>(op))
    return std::nullopt;
  std::optional<AffineExpr> a = indexValue(op->getOperand(0), loops);
  std::optional<AffineExpr> b = indexValue(op->getOperand(1), loops);
  if (!a || !b)
    return std::nullopt;
  if (isa<arith::AddIOp>(op))
    return *a + *b;
  if (isa<arith::SubIOp>(op))
    return *a - *b;
  if (isa<arith::MulIOp>(op))
    return (constantOf(*a) || constantOf(*b)) ? std::optional(*a * *b) : std::nullopt;
  // Division and remainder by a positive constant; indices are not negative.
  std::optional<int64_t> k = constantOf(*b);
  if (!k || *k <= 0)
    return std::nullopt;
  if (isa<arith::RemSIOp, arith::RemUIOp>(op))
    return *a % *k;
  return a->floorDiv(*k);
}
