//===- Tables.cpp - what a rotation's tables compute ----------------------===//

#include "Tables.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

#include <cmath>
#include <complex>

using namespace mlir;
using namespace mlir::rope;
using namespace mlir::rope::raise;

namespace {

/// An evaluated scalar: an integer or index (an affine expression, constant
/// once it is a number; linalg.index of a token dim stays symbolic), or a
/// float or complex number.
struct Num {
  bool isInt = false;
  AffineExpr i;
  std::complex<double> f;
  /// Computed from the positions (an index from them makes a read a gather).
  bool fromPositions = false;
};

Num fromDouble(double v) { return Num{false, AffineExpr(), {v, 0.0}}; }

/// Evaluates table elements with the positions set to `probe`.
class ProbeEvaluator {
public:
  ProbeEvaluator(MLIRContext *ctx, ArrayRef<int64_t> rootShape)
      : ctx(ctx), rootShape(rootShape) {}

  /// The run-time tensor read (the positions), and where each read was.
  Value source;
  SmallVector<Index> accesses;
  int64_t probe = 0;
  /// A constant table was read past its end (a gather from a cos/sin cache
  /// at a probe beyond its rows).
  bool outOfRange = false;
  /// A second run-time value was read: these are not positions-only tables.
  bool otherInput = false;
  /// A loop index of the root (a token or head index) was used as a number.
  bool readLoopIndex = false;
  /// The tables compare, round or select on the positions.
  bool piecewise = false;

  FailureOr<double> evaluate(const Elem &e) {
    steps = 0;
    FailureOr<Num> n;
    if (isa<RankedTensorType>(e.value.getType())) {
      n = element(e.value, e.idx);
    } else {
      Value v = e.value;
      Block *block = v.getParentBlock();
      auto op = dyn_cast_or_null<linalg::LinalgOp>(block ? block->getParentOp() : nullptr);
      if (!op || e.idx.size() != op.getNumLoops())
        return failure();
      n = scalar(v, op, e.idx, {});
    }
    if (failed(n) || n->isInt)
      return failure();
    return e.component == 1 ? n->f.imag() : n->f.real();
  }

private:
  MLIRContext *ctx;
  SmallVector<int64_t> rootShape;
  int steps = 0;

  FailureOr<double> toDouble(const Num &n) {
    if (!n.isInt)
      return n.f.real();
    std::optional<int64_t> c = constantOf(n.i);
    if (!c) {
      readLoopIndex = true;
      return failure();
    }
    return double(*c);
  }
  Num fromInt(int64_t v) { return Num{true, getAffineConstantExpr(v, ctx), {}}; }

  FailureOr<Num> runtimeInput(Value t, const Index &idx) {
    Type elt = getElementTypeOrSelf(t.getType());
    if (source && source != t) {
      otherInput = true;
      return failure();
    }
    if (!elt.isInteger(32) && !elt.isInteger(64) && !elt.isF32()) {
      otherInput = true;
      return failure();
    }
    source = t;
    accesses.push_back(idx);
    Num n = elt.isF32() ? fromDouble(double(probe)) : fromInt(probe);
    n.fromPositions = true;
    return n;
  }

  /// Whether `dense` holds the same values at every index of `dim` (a
  /// constant broadcast by folding, read at a token index).
  bool uniformAlong(DenseElementsAttr dense, int64_t dim) {
    auto key = std::make_pair(dense.getAsOpaquePointer(), dim);
    auto it = uniform.find(key);
    if (it != uniform.end())
      return it->second;
    ArrayRef<int64_t> shape = dense.getType().getShape();
    int64_t inner = 1;
    for (int64_t d = dim + 1; d < (int64_t)shape.size(); ++d)
      inner *= shape[d];
    int64_t n = dense.getNumElements(), block = inner * shape[dim];
    bool same = true;
    auto values = dense.getValues<Attribute>();
    for (int64_t i = 0; same && i < n; ++i)
      same = values[i] == values[(i / block) * block + i % inner];
    return uniform[key] = same;
  }
  DenseMap<std::pair<const void *, int64_t>, bool> uniform;

public:
  /// Relative rounding of the constants read by gathers at positions: a
  /// cos/sin cache holds rounded values, not the function.
  double tabulatedEps = 0.0;

private:
  int gathering = 0;

  FailureOr<Num> gather(Value t, const Index &idx, bool atPositions) {
    gathering += atPositions;
    FailureOr<Num> n = element(t, idx);
    gathering -= atPositions;
    if (succeeded(n))
      n->fromPositions |= atPositions;
    return n;
  }

  FailureOr<Num> constantAt(DenseElementsAttr dense, const Index &idx) {
    if (gathering)
      if (auto ft = dyn_cast<FloatType>(dense.getElementType()))
        tabulatedEps = std::max(tabulatedEps, std::ldexp(1.0, -(int)ft.getFPMantissaWidth()));
    SmallVector<uint64_t> at;
    if (!dense.isSplat()) {
      for (auto [d, e] : llvm::enumerate(idx)) {
        std::optional<int64_t> c = constantOf(e);
        if (!c && uniformAlong(dense, d))
          c = 0;
        if (!c)
          return failure();
        if (*c < 0 || *c >= dense.getType().getDimSize(d)) {
          outOfRange = true;
          return failure();
        }
        at.push_back(*c);
      }
    }
    Type elt = dense.getElementType();
    if (isa<FloatType>(elt)) {
      APFloat v = dense.isSplat() ? dense.getSplatValue<APFloat>() : dense.getValues<APFloat>()[at];
      return fromDouble(v.convertToDouble());
    }
    if (isa<IntegerType>(elt)) {
      APInt v = dense.isSplat() ? dense.getSplatValue<APInt>() : dense.getValues<APInt>()[at];
      return fromInt(v.getSExtValue());
    }
    if (isa<ComplexType>(elt)) {
      std::complex<APFloat> v = dense.isSplat() ? dense.getSplatValue<std::complex<APFloat>>()
                                                : dense.getValues<std::complex<APFloat>>()[at];
      return Num{false, AffineExpr(),
                 {v.real().convertToDouble(), v.imag().convertToDouble()}};
    }
    return failure();
  }

  std::optional<DenseElementsAttr> constantTensor(Value t) {
    DenseElementsAttr dense;
    if (matchPattern(t, m_Constant(&dense)))
      return dense;
    if (auto load = t.getDefiningOp<ml_program::GlobalLoadConstOp>()) {
      auto global = SymbolTable::lookupNearestSymbolFrom<ml_program::GlobalOp>(
          load, load.getGlobalAttr());
      if (global && !global.getIsMutable())
        if (auto value = dyn_cast_or_null<DenseElementsAttr>(global.getValueAttr()))
          return value;
    }
    return std::nullopt;
  }

  FailureOr<Num> element(Value t, const Index &idx) {
    if (++steps > 20000)
      return failure();
    if (std::optional<Elem> src = viewSource(t, idx, rootShape))
      return element(src->value, src->idx);
    if (std::optional<DenseElementsAttr> dense = constantTensor(t))
      return constantAt(*dense, idx);
    Operation *op = t.getDefiningOp();
    if (!op)
      return runtimeInput(t, idx);
    if (isa<tensor::EmptyOp>(op))
      return failure();
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      return linalgElement(linalgOp, cast<OpResult>(t).getResultNumber(), idx);
    if (op->getDialect()->getNamespace() == "tosa")
      return tosaElement(op, idx);
    if (op->hasTrait<OpTrait::Elementwise>() && op->getNumResults() == 1) {
      SmallVector<Num> args;
      for (Value v : op->getOperands()) {
        if (!isa<RankedTensorType>(v.getType()))
          return failure();
        FailureOr<Num> a = element(v, idx);
        if (failed(a))
          return failure();
        args.push_back(*a);
      }
      return propagate(op, apply(op, args), args);
    }
    return runtimeInput(t, idx);
  }

  FailureOr<Num> linalgElement(linalg::LinalgOp op, unsigned resultNo, const Index &idx) {
    if (!op.hasPureTensorSemantics() || op->getNumRegions() != 1)
      return failure();
    FailureOr<Index> loops = loopsForResult(op, resultNo, idx);
    if (failed(loops))
      return failure();
    Value yielded = op.getBlock()->getTerminator()->getOperand(resultNo);
    SmallVector<int64_t> ranges = op.getStaticLoopRanges(), reductions;
    int64_t combinations = 1;
    for (auto [l, e] : llvm::enumerate(*loops))
      if (!e) {
        if (ShapedType::isDynamic(ranges[l]))
          return failure();
        reductions.push_back(l);
        combinations *= ranges[l];
      }
    if (combinations > 64 || (!reductions.empty() && op.getNumDpsInits() != 1))
      return failure();
    if (reductions.empty())
      return scalar(yielded, op, *loops, {});
    FailureOr<Num> acc = element(op.getDpsInitOperand(resultNo)->get(), idx);
    if (failed(acc))
      return failure();
    for (int64_t c = 0; c < combinations; ++c) {
      Index at = *loops;
      int64_t rest = c;
      for (int64_t l : llvm::reverse(reductions)) {
        at[l] = getAffineConstantExpr(rest % ranges[l], ctx);
        rest /= ranges[l];
      }
      SmallVector<Num> accs(op.getNumDpsInits());
      accs[resultNo] = *acc;
      acc = scalar(yielded, op, at, accs);
      if (failed(acc))
        return failure();
    }
    return acc;
  }

  FailureOr<Num> scalar(Value s, linalg::LinalgOp op, const Index &loops, ArrayRef<Num> accs) {
    if (++steps > 20000)
      return failure();
    Block *block = op.getBlock();
    if (auto arg = dyn_cast<BlockArgument>(s); arg && arg.getOwner() == block) {
      OpOperand &operand = op->getOpOperand(arg.getArgNumber());
      if (op.isDpsInit(&operand) && !accs.empty())
        return accs[operand.getOperandNumber() - op.getNumDpsInputs()];
      if (!isa<RankedTensorType>(operand.get().getType()))
        return outside(operand.get());
      return element(operand.get(), applyMap(op.getMatchingIndexingMap(&operand), loops));
    }
    Operation *def = s.getDefiningOp();
    if (!def || !op->isProperAncestor(def))
      return outside(s);
    if (auto ifOp = dyn_cast<scf::IfOp>(def)) {
      FailureOr<Num> c = scalar(ifOp.getCondition(), op, loops, accs);
      if (failed(c) || !c->isInt || !constantOf(c->i) || ifOp.getElseRegion().empty())
        return failure();
      if (c->fromPositions) {
        piecewise = true;
        return failure();
      }
      Block &taken = *constantOf(c->i) ? ifOp.getThenRegion().front()
                                        : ifOp.getElseRegion().front();
      return scalar(taken.getTerminator()->getOperand(cast<OpResult>(s).getResultNumber()), op,
                    loops, accs);
    }
    if (auto index = dyn_cast<linalg::IndexOp>(def)) {
      if (index.getDim() >= loops.size() || !loops[index.getDim()])
        return failure();
      return Num{true, loops[index.getDim()], {}};
    }
    if (auto extract = dyn_cast<tensor::ExtractOp>(def)) {
      Index at;
      bool atPositions = false;
      for (Value i : extract.getIndices()) {
        FailureOr<Num> n = scalar(i, op, loops, accs);
        if (failed(n) || !n->isInt)
          return failure();
        at.push_back(n->i);
        atPositions |= n->fromPositions;
      }
      return gather(extract.getTensor(), at, atPositions);
    }
    if (auto select = dyn_cast<arith::SelectOp>(def)) {
      FailureOr<Num> c = scalar(select.getCondition(), op, loops, accs);
      if (failed(c) || !c->isInt || !constantOf(c->i))
        return failure();
      if (c->fromPositions) {
        piecewise = true;
        return failure();
      }
      return scalar(*constantOf(c->i) ? select.getTrueValue() : select.getFalseValue(), op,
                    loops, accs);
    }
    SmallVector<Num> args;
    for (Value v : def->getOperands()) {
      FailureOr<Num> a = scalar(v, op, loops, accs);
      if (failed(a))
        return failure();
      args.push_back(*a);
    }
    return propagate(def, apply(def, args), args);
  }

  /// The outcome of `x pred y` when one side is a non-negative position and
  /// the other a constant that decides it for every such position.
  static std::optional<bool> outcomeForNonNegative(arith::CmpIPredicate pred, const Num &x,
                                                   const Num &y) {
    if (x.fromPositions == y.fromPositions)
      return std::nullopt;
    const Num &k = x.fromPositions ? y : x;
    std::optional<int64_t> c = k.isInt ? constantOf(k.i) : std::nullopt;
    if (!c)
      return std::nullopt;
    // Evaluated at the two ends of [0, inf) against c: p = 0 and p = "large".
    auto at = [&](int64_t p) {
      int64_t l = x.fromPositions ? p : *c, r = x.fromPositions ? *c : p;
      return arith::applyCmpPredicate(pred, APInt(64, l, true), APInt(64, r, true));
    };
    int64_t large = int64_t(1) << 40;
    bool atZero = at(0);
    if (*c > 0 || atZero != at(large))
      return std::nullopt;
    return atZero;
  }

  /// A result computed from the positions is itself from the positions,
  /// except a comparison, which either has one outcome for all of them or
  /// failed (`apply`).
  static FailureOr<Num> propagate(Operation *op, FailureOr<Num> n, ArrayRef<Num> args) {
    if (succeeded(n) && !isa<arith::CmpIOp>(op))
      n->fromPositions = llvm::any_of(args, [](const Num &a) { return a.fromPositions; });
    return n;
  }

  FailureOr<Num> outside(Value s) {
    Attribute attr;
    if (!matchPattern(s, m_Constant(&attr))) {
      std::optional<double> c = scalarConstant(s);
      if (!c)
        return failure();
      return isa<FloatType>(s.getType()) ? fromDouble(*c) : fromInt((int64_t)*c);
    }
    if (auto f = dyn_cast<FloatAttr>(attr))
      return fromDouble(f.getValueAsDouble());
    if (auto i = dyn_cast<IntegerAttr>(attr))
      return fromInt(i.getValue().getSExtValue());
    return failure();
  }

  /// One scalar op of arith, math or complex on evaluated operands. Casts
  /// between floats keep the value: the raised op computes in f32 or better.
  FailureOr<Num> apply(Operation *op, ArrayRef<Num> a) {
    // Positions count from 0 (R6). A comparison of a position with a
    // constant that no non-negative position can change (torch-mlir's
    // negative-index wrap, `p < 0 ? p + n : p`) has that one outcome.
    if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
      std::optional<bool> fixed = outcomeForNonNegative(cmp.getPredicate(), a[0], a[1]);
      if (fixed)
        return fromInt(*fixed);
    }
    // On the positions, only what the probes can check everywhere: casts to
    // float, arithmetic, trig and gathers. A comparison, a rounding to an
    // integer, a narrowing, a division or remainder, a min or max would
    // make the tables piecewise in the positions, which probes only sample.
    if (llvm::any_of(a, [](const Num &n) { return n.fromPositions; }) &&
        isa<arith::CmpIOp, arith::CmpFOp, arith::FPToSIOp, arith::FPToUIOp, arith::TruncIOp,
            arith::DivSIOp, arith::DivUIOp, arith::FloorDivSIOp, arith::CeilDivSIOp,
            arith::CeilDivUIOp, arith::RemSIOp, arith::RemUIOp, arith::RemFOp,
            arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp,
            arith::MaxSIOp, arith::MinSIOp, arith::MaxUIOp, arith::MinUIOp, math::FloorOp,
            math::CeilOp, math::RoundOp, math::RoundEvenOp, math::TruncOp>(op)) {
      piecewise = true;
      return failure();
    }
    Attribute attr;
    if (op->getNumOperands() == 0 && matchPattern(op->getResult(0), m_Constant(&attr)))
      return outside(op->getResult(0));
    auto ints = [&](auto fn) -> FailureOr<Num> {
      if (!a[0].isInt || !a[1].isInt)
        return failure();
      std::optional<AffineExpr> r = fn(a[0].i, a[1].i);
      if (!r)
        return failure();
      return Num{true, *r, {}};
    };
    auto real1 = [&](double (*fn)(double)) -> FailureOr<Num> {
      FailureOr<double> x = toDouble(a[0]);
      if (failed(x))
        return failure();
      return fromDouble(fn(*x));
    };
    if (isa<arith::ExtFOp, arith::TruncFOp, arith::IndexCastOp, arith::ExtSIOp>(op))
      return a[0];
    // Integer casts that change the value's bits: on constants, with their
    // widths (positions never reach here but through index_cast/extsi).
    if (isa<arith::TruncIOp, arith::ExtUIOp, arith::IndexCastUIOp, arith::UIToFPOp>(op)) {
      std::optional<int64_t> v = a[0].isInt ? constantOf(a[0].i) : std::nullopt;
      Type from = op->getOperand(0).getType();
      if (!v || a[0].fromPositions)
        return failure();
      unsigned fromWidth = from.isIndex() ? 64 : from.getIntOrFloatBitWidth();
      APInt bits = APInt(64, *v, /*isSigned=*/true).trunc(fromWidth);
      if (auto trunc = dyn_cast<arith::TruncIOp>(op))
        return fromInt(bits.trunc(trunc.getType().getIntOrFloatBitWidth()).getSExtValue());
      if (isa<arith::UIToFPOp>(op))
        return fromDouble(double(bits.getZExtValue()));
      return fromInt((int64_t)bits.getZExtValue());
    }
    if (isa<arith::SIToFPOp>(op)) {
      FailureOr<double> x = toDouble(a[0]);
      if (failed(x))
        return failure();
      return fromDouble(*x);
    }
    if (isa<arith::FPToSIOp, arith::FPToUIOp>(op)) {
      if (a[0].isInt)
        return failure();
      return fromInt((int64_t)std::trunc(a[0].f.real()));
    }
    if (isa<arith::AddFOp, complex::AddOp>(op))
      return Num{false, AffineExpr(), a[0].f + a[1].f};
    if (isa<arith::SubFOp, complex::SubOp>(op))
      return Num{false, AffineExpr(), a[0].f - a[1].f};
    if (isa<arith::MulFOp, complex::MulOp>(op))
      return Num{false, AffineExpr(), a[0].f * a[1].f};
    if (isa<arith::DivFOp, complex::DivOp>(op))
      return Num{false, AffineExpr(), a[0].f / a[1].f};
    if (isa<arith::NegFOp, complex::NegOp>(op))
      return Num{false, AffineExpr(), -a[0].f};
    if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op))
      return fromDouble(std::max(a[0].f.real(), a[1].f.real()));
    if (isa<arith::MinimumFOp, arith::MinNumFOp>(op))
      return fromDouble(std::min(a[0].f.real(), a[1].f.real()));
    if (isa<math::CosOp>(op))
      return real1(std::cos);
    if (isa<math::SinOp>(op))
      return real1(std::sin);
    if (isa<math::ExpOp>(op))
      return real1(std::exp);
    if (isa<math::LogOp>(op))
      return real1(std::log);
    if (isa<math::SqrtOp>(op))
      return real1(std::sqrt);
    if (isa<math::RsqrtOp>(op))
      return fromDouble(1.0 / std::sqrt(a[0].f.real()));
    if (isa<math::PowFOp>(op))
      return fromDouble(std::pow(a[0].f.real(), a[1].f.real()));
    if (isa<complex::CreateOp>(op))
      return Num{false, AffineExpr(), {a[0].f.real(), a[1].f.real()}};
    if (isa<complex::ReOp>(op))
      return fromDouble(a[0].f.real());
    if (isa<complex::ImOp>(op))
      return fromDouble(a[0].f.imag());
    if (isa<complex::ExpOp>(op))
      return Num{false, AffineExpr(), std::exp(a[0].f)};
    if (isa<complex::ConjOp>(op))
      return Num{false, AffineExpr(), std::conj(a[0].f)};
    if (isa<arith::AddIOp>(op))
      return ints([](AffineExpr x, AffineExpr y) { return std::optional(x + y); });
    if (isa<arith::SubIOp>(op))
      return ints([](AffineExpr x, AffineExpr y) { return std::optional(x - y); });
    if (isa<arith::MulIOp>(op))
      return ints([](AffineExpr x, AffineExpr y) -> std::optional<AffineExpr> {
        if (!constantOf(x) && !constantOf(y))
          return std::nullopt;
        return x * y;
      });
    if (isa<arith::DivSIOp, arith::DivUIOp, arith::FloorDivSIOp, arith::RemSIOp,
            arith::RemUIOp>(op)) {
      bool rem = isa<arith::RemSIOp, arith::RemUIOp>(op);
      return ints([&](AffineExpr x, AffineExpr y) -> std::optional<AffineExpr> {
        std::optional<int64_t> k = constantOf(y);
        if (!k || *k <= 0)
          return std::nullopt;
        return rem ? x % *k : x.floorDiv(*k);
      });
    }
    if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
      std::optional<int64_t> x = a[0].isInt ? constantOf(a[0].i) : std::nullopt;
      std::optional<int64_t> y = a[1].isInt ? constantOf(a[1].i) : std::nullopt;
      if (!x || !y)
        return failure();
      return fromInt(arith::applyCmpPredicate(cmp.getPredicate(), APInt(64, *x, true),
                                              APInt(64, *y, true)));
    }
    if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
      FailureOr<double> x = toDouble(a[0]), y = toDouble(a[1]);
      if (failed(x) || failed(y))
        return failure();
      return fromInt(arith::applyCmpPredicate(cmp.getPredicate(), APFloat(*x), APFloat(*y)));
    }
    return failure();
  }

  /// TOSA elementwise ops (equal ranks, size-1 dims broadcast), matmul and
  /// gather.
  FailureOr<Num> tosaElement(Operation *op, const Index &idx) {
    auto out = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!out)
      return failure();
    auto at = [&](Value v, const Index &i) -> FailureOr<Num> {
      std::optional<Index> j = tosaOperandIndex(v, out, i);
      if (!j)
        return failure();
      return element(v, *j);
    };
    if (auto mul = dyn_cast<tosa::MulOp>(op); mul && !matchPattern(mul.getShift(), m_Zero()))
      return failure();
    if (auto mm = dyn_cast<tosa::MatMulOp>(op)) {
      auto a = dyn_cast<RankedTensorType>(mm.getA().getType());
      if (!a)
        return failure();
      int64_t c = a.getDimSize(2);
      if (ShapedType::isDynamic(c) || c > 64)
        return failure();
      std::complex<double> sum = 0.0;
      for (int64_t k = 0; k < c; ++k) {
        AffineExpr kk = getAffineConstantExpr(k, ctx);
        FailureOr<Num> x = element(mm.getA(), {idx[0], idx[1], kk});
        FailureOr<Num> y = element(mm.getB(), {idx[0], kk, idx[2]});
        if (failed(x) || failed(y))
          return failure();
        FailureOr<double> u = toDouble(*x), v = toDouble(*y);
        if (failed(u) || failed(v))
          return failure();
        sum += *u * *v;
      }
      return Num{false, AffineExpr(), sum};
    }
    if (auto gather = dyn_cast<tosa::GatherOp>(op)) {
      FailureOr<Num> row = element(gather.getIndices(), {idx[0], idx[1]});
      if (failed(row) || !row->isInt)
        return failure();
      return this->gather(gather.getValues(), {idx[0], row->i, idx[2]}, row->fromPositions);
    }
    if (isa<tosa::CosOp, tosa::SinOp, tosa::ReciprocalOp, tosa::ExpOp>(op)) {
      FailureOr<Num> x = at(op->getOperand(0), idx);
      if (failed(x))
        return failure();
      FailureOr<double> v = toDouble(*x);
      if (failed(v))
        return failure();
      if (isa<tosa::CosOp>(op))
        return fromDouble(std::cos(*v));
      if (isa<tosa::SinOp>(op))
        return fromDouble(std::sin(*v));
      if (isa<tosa::ExpOp>(op))
        return fromDouble(std::exp(*v));
      return fromDouble(1.0 / *v);
    }
    if (auto neg = dyn_cast<tosa::NegateOp>(op)) {
      FailureOr<Num> x = at(neg.getInput1(), idx);
      if (failed(x))
        return failure();
      FailureOr<double> v = toDouble(*x);
      if (failed(v))
        return failure();
      return fromDouble(-*v);
    }
    if (isa<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::PowOp>(op)) {
      FailureOr<Num> x = at(op->getOperand(0), idx), y = at(op->getOperand(1), idx);
      if (failed(x) || failed(y))
        return failure();
      FailureOr<double> u = toDouble(*x), v = toDouble(*y);
      if (failed(u) || failed(v))
        return failure();
      Num r = fromDouble(isa<tosa::AddOp>(op)   ? *u + *v
                         : isa<tosa::SubOp>(op) ? *u - *v
                         : isa<tosa::MulOp>(op) ? *u * *v
                                                : std::pow(*u, *v));
      r.fromPositions = x->fromPositions || y->fromPositions;
      return r;
    }
    if (isa<tosa::ConstOp>(op))
      return failure();
    return runtimeInput(op->getResult(0), idx);
  }
};

/// Probe positions: small ones fix each lane's frequency without wrapping,
/// large ones check it up to the 1M positions of SPEC R5.
constexpr int64_t kProbes[] = {0, 1, 2, 3, 5, 7, 12, 31, 100, 257, 1000, 4095, 32768, 65537,
                               1048575};
// A gather from a constant cache is checked at every position it holds, up
// to this many lane evaluations (a 4096-row cache of 128 lanes).
constexpr int64_t kMaxExhaustiveChecks = int64_t(1) << 19;

} // namespace

/// cos-side and sin-side values of lane `l` at `probe`.
static FailureOr<std::pair<double, double>> laneAt(ProbeEvaluator &ev, const LaneTables &lane,
                                                   int64_t probe) {
  ev.probe = probe;
  ev.accesses.clear();
  double c = lane.cosCoef, s = lane.sinCoef;
  for (const Factor &f : lane.cos) {
    FailureOr<double> v = ev.evaluate(f.leaf());
    if (failed(v))
      return failure();
    c *= *v;
  }
  for (const Factor &f : lane.sin) {
    FailureOr<double> v = ev.evaluate(f.leaf());
    if (failed(v))
      return failure();
    s *= *v;
  }
  return std::pair(c, s);
}

/// Runs `check(lane, probe)` on every lane at every probe; where a gather
/// from a constant cache ends before a probe, on every row it holds instead.
static LogicalResult checkProbes(ProbeEvaluator &ev, int64_t lanes,
                                 function_ref<LogicalResult(int64_t, int64_t)> check,
                                 std::string &why) {
  for (int64_t probe : kProbes) {
    for (int64_t l = 0; l < lanes; ++l) {
      ev.outOfRange = false;
      if (succeeded(check(l, probe)))
        continue;
      if (!ev.outOfRange) {
        if (why.empty())
          why = "the tables cannot be evaluated at every probe";
        return failure();
      }
      // Find the cache's first missing row: rows below `hi` exist.
      int64_t lo = 0, hi = probe;
      while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        ev.outOfRange = false;
        if (succeeded(check(l, mid))) {
          lo = mid;
          continue;
        }
        if (!ev.outOfRange)
          return failure();
        hi = mid;
      }
      if (hi * lanes > kMaxExhaustiveChecks)
        return why = "the cos/sin cache is too large to check", failure();
      why.clear();
      for (int64_t row = 0; row < hi; ++row)
        for (int64_t k = 0; k < lanes; ++k)
          if (failed(check(k, row)))
            return failure();
      return success();
    }
  }
  return success();
}

FailureOr<PositionsRope> RecoveryCache::recover(ArrayRef<LaneTables> lanes, Pairing pairing,
                                                ArrayRef<int64_t> rootShape, TablesKind &kind,
                                                std::string &why, ArrayRef<double> exactInv) {
  // The tables of every layer's q (and every layer's k) are the same
  // elements of the same values: evaluate them once.
  std::vector<uintptr_t> key = {uintptr_t(pairing)};
  auto add = [&](const void *p) { key.push_back(reinterpret_cast<uintptr_t>(p)); };
  for (int64_t d : rootShape)
    key.push_back(uintptr_t(d));
  for (double f : exactInv)
    key.push_back(llvm::bit_cast<uintptr_t>(f));
  key.push_back(~uintptr_t(0));
  for (const LaneTables &lane : lanes) {
    key.push_back(llvm::bit_cast<uintptr_t>(lane.cosCoef));
    key.push_back(llvm::bit_cast<uintptr_t>(lane.sinCoef));
    for (ArrayRef<Factor> side : {ArrayRef<Factor>(lane.cos), ArrayRef<Factor>(lane.sin)}) {
      key.push_back(side.size());
      for (const Factor &f : side) {
        const Elem &e = f.leaf();
        add(e.value.getAsOpaquePointer());
        key.push_back(uintptr_t(e.component + 1));
        key.push_back(e.idx.size());
        for (AffineExpr x : e.idx)
          add(x.getAsOpaquePointer());
      }
    }
  }
  auto it = entries.find(key);
  if (it == entries.end()) {
    Entry entry;
    FailureOr<PositionsRope> rope =
        recoverFromPositions(lanes, pairing, rootShape, entry.kind, entry.why, exactInv);
    if (succeeded(rope))
      entry.rope = *rope;
    it = entries.emplace(std::move(key), std::move(entry)).first;
  }
  kind = it->second.kind;
  why = it->second.why;
  if (!it->second.rope)
    return failure();
  return *it->second.rope;
}

FailureOr<PositionsRope> mlir::rope::raise::recoverFromPositions(ArrayRef<LaneTables> lanes,
                                                                 Pairing pairing,
                                                                 ArrayRef<int64_t> rootShape,
                                                                 TablesKind &kind,
                                                                 std::string &why,
                                                                 ArrayRef<double> exactInv) {
  int64_t r = lanes.size(), p = r / 2;
  kind = TablesKind::Other;
  if (lanes.empty() || lanes[0].cos.empty())
    return why = "the tables are constants", failure();
  MLIRContext *ctx = lanes[0].cos[0].leaf().value.getContext();
  ProbeEvaluator ev(ctx, rootShape);
  int64_t rootRank = rootShape.size();
  PositionsRope rope;
  SmallVector<int64_t> axisOfLane(r, 0);
  SmallVector<std::pair<double, double>> atZero(r);
  // Which positions element each lane reads, at probe 0.
  for (int64_t l = 0; l < r; ++l) {
    FailureOr<std::pair<double, double>> v = laneAt(ev, lanes[l], 0);
    if (failed(v) || !ev.source || ev.accesses.empty()) {
      why = ev.otherInput      ? "the tables read run-time values other than one positions tensor"
            : ev.piecewise     ? "the tables compare, round or select on the positions"
            : ev.readLoopIndex ? "the tables use a loop index (an in-graph iota, or a value per "
                                 "head), not positions alone"
                               : "the tables are not computed from positions alone";
      return failure();
    }
    atZero[l] = *v;
    auto posType = cast<RankedTensorType>(ev.source.getType());
    const Index &first = ev.accesses.front();
    if (llvm::any_of(ev.accesses, [&](const Index &a) { return a != first; }))
      return why = "a lane reads more than one position", failure();
    SmallVector<int64_t> dims;
    for (auto [d, e] : llvm::enumerate(first)) {
      if (auto dim = dyn_cast<AffineDimExpr>(e)) {
        if ((int64_t)dim.getPosition() >= rootRank - 1)
          return why = "positions are read along the head dim", failure();
        dims.push_back(dim.getPosition());
        continue;
      }
      std::optional<int64_t> c = constantOf(e);
      if (!c)
        return why = "positions are read at computed indices", failure();
      int64_t size = posType.getDimSize(d);
      if (size == 1 && *c == 0) {
        dims.push_back(-2);
      } else if (!ShapedType::isDynamic(size) && *c >= 0 && *c < size) {
        dims.push_back(-1);
        axisOfLane[l] = *c;
      } else {
        return why = "positions are read at an axis of unknown size", failure();
      }
    }
    if (llvm::count(dims, -1) > 1)
      return why = "positions have more than one axis dim", failure();
    if (l == 0)
      rope.positionDims = dims;
    else if (rope.positionDims != dims)
      return why = "lanes read positions at different token indices", failure();
  }
  rope.positions = ev.source;
  auto posType = cast<RankedTensorType>(rope.positions.getType());
  for (auto [d, kindOfDim] : llvm::enumerate(rope.positionDims))
    if (kindOfDim == -1)
      rope.numAxes = posType.getDimSize(d);

  // From here the tables are positions-only: what they compute decides,
  // except for a gather from a constant cache: any cache is a table.
  kind = ev.tabulatedEps > 0 ? TablesKind::Other : TablesKind::Positions;
  auto isFirst = [&](int64_t l) { return isFirstLane(pairing, l, r); };
  auto partner = [&](int64_t l) { return partnerLane(pairing, l, r); };
  double alpha = atZero[0].first;
  if (!(alpha > 0.0))
    return why = "at position 0 the cos-side factor is not positive (no cos table)", failure();
  // Values gathered from a cache are rounded: allow their rounding, and the
  // f32 angle they were made from.
  double eps = ev.tabulatedEps;
  SmallVector<double> omega(r);
  int inverse = -1; // unknown until a lane with a non-zero frequency
  for (int64_t l = 0; l < r; ++l) {
    if (std::fabs(atZero[l].first - alpha) > (1e-9 + 2 * eps) * alpha ||
        std::fabs(atZero[l].second) > (1e-9 + 2 * eps) * alpha)
      return why = "at position 0 the tables are not (scale, 0): not cos and sin of "
                   "position * inv_freq (an offset angle or position?)",
             failure();
    FailureOr<std::pair<double, double>> one = laneAt(ev, lanes[l], 1);
    if (failed(one))
      return why = "the tables cannot be evaluated at position 1", failure();
    double sigma = isFirst(l) ? -1.0 : 1.0;
    double angle = std::atan2(sigma * one->second, one->first);
    omega[l] = std::fabs(angle);
    if (std::fabs(angle) > 4 * eps) {
      int inv = angle < 0.0;
      if (inverse >= 0 && inverse != inv)
        return why = "the two lanes of a pair do not turn one way (the sin terms lack "
                     "rotate_half's opposite signs)",
               failure();
      inverse = inv;
    }
  }
  double turn = inverse == 1 ? -1.0 : 1.0;
  // Refine each frequency at doubling positions (a rounded cache fixes it
  // to eps / p), up to the end of a cache. Computed tables give it exactly
  // at position 1 already.
  for (int64_t probe = 2; eps > 0 && probe <= (1 << 20); probe *= 2) {
    bool ended = false;
    for (int64_t l = 0; l < r && !ended; ++l) {
      ev.outOfRange = false;
      FailureOr<std::pair<double, double>> v = laneAt(ev, lanes[l], probe);
      if (failed(v)) {
        if (!ev.outOfRange)
          return why = "the tables cannot be evaluated at position " + std::to_string(probe),
                 failure();
        ended = true;
        continue;
      }
      double sigma = isFirst(l) ? -1.0 : 1.0;
      double measured = std::atan2(turn * sigma * v->second, v->first);
      double predicted = double(probe) * omega[l];
      omega[l] += std::remainder(measured - predicted, 2 * M_PI) / double(probe);
    }
    if (ended)
      break;
  }
  for (int64_t l = 0; l < r; ++l)
    if (std::fabs(omega[l] - omega[partner(l)]) > 1e-12 * std::max(omega[l], 1e-300) + 4 * eps ||
        axisOfLane[l] != axisOfLane[partner(l)])
      return why = "the two lanes of a pair have different angles", failure();
  if (!exactInv.empty())
    for (int64_t l = 0; l < r; ++l)
      omega[l] = exactInv[pairOfLane(pairing, l, r)];

  // Every probe, every lane: scale * cos(p * inv) and -+ scale * sin(p * inv).
  int64_t checkedUpTo = 0;
  auto check = [&](int64_t l, int64_t probe) -> LogicalResult {
    FailureOr<std::pair<double, double>> v = laneAt(ev, lanes[l], probe);
    if (failed(v))
      return failure();
    double sigma = isFirst(l) ? -1.0 : 1.0;
    double phi = double(probe) * omega[l];
    double tol = alpha * (1e-6 + (eps > 0 ? 3 * eps + std::ldexp(phi, -23) : 0.0));
    if (std::fabs(v->first - alpha * std::cos(phi)) > tol ||
        std::fabs(sigma * v->second - turn * alpha * std::sin(phi)) > tol) {
      why = "lane " + std::to_string(l) + " at position " + std::to_string(probe) +
            " is not scale * cos/sin of one angle per position";
      return failure();
    }
    checkedUpTo = std::max(checkedUpTo, probe);
    return success();
  };
  if (failed(checkProbes(ev, r, check, why)))
    return failure();
  for (int64_t j = 0; j < p; ++j) {
    int64_t l = pairing == Pairing::half ? j : 2 * j;
    rope.inv.push_back(omega[l]);
    rope.axisOfPair.push_back(axisOfLane[l]);
  }
  rope.attention = alpha;
  rope.inverse = inverse == 1;
  rope.tabulatedEps = eps;
  rope.checkedUpTo = checkedUpTo;
  return rope;
}

/// Rounds to a few significant digits, the way bases and factors are
/// written (1e4, 5e5, 1e6, 8, 40).
static double roundSignificant(double v, int digits = 4) {
  double magnitude = std::pow(10.0, std::floor(std::log10(v)) - (digits - 1));
  return std::round(v / magnitude) * magnitude;
}

SmallVector<double> mlir::rope::raise::spectrumFrequencies(const RecoveredSpectrum &r,
                                                           int64_t numPairs, int64_t rotaryDim) {
  SmallVector<double> inv(numPairs);
  if (!r.perAxisSections.empty()) {
    int64_t j = 0;
    for (int64_t sec : r.perAxisSections)
      for (int64_t k = 0; k < sec; ++k)
        inv[j++] = std::pow(r.theta, -2.0 * k / (2.0 * sec));
  } else {
    for (int64_t j = 0; j < numPairs; ++j)
      inv[j] = std::pow(r.theta, -2.0 * j / rotaryDim);
  }
  if (auto scaling = dyn_cast_if_present<ScalingAttrInterface>(r.scaling))
    scaling.scaleFrequencies(inv, rotaryDim, r.theta);
  return inv;
}

/// Llama 3's scaling reproducing `inv` from `ext`: the ramp between the two
/// wavelength thresholds is linear in ext_j, which fixes both; written with
/// low_freq_factor 1, as Llama 3 configs do.
static Attribute fitLlama3(MLIRContext *ctx, ArrayRef<double> ext, ArrayRef<double> inv,
                          double factor) {
  SmallVector<std::pair<double, double>> ramp; // (ext_j, s_j) strictly inside
  for (auto [e, i] : llvm::zip(ext, inv)) {
    double s = (i / e - 1.0 / factor) / (1.0 - 1.0 / factor);
    if (s > 1e-6 && s < 1.0 - 1e-6)
      ramp.push_back({e, s});
  }
  if (ramp.size() < 2)
    return {};
  auto [e1, s1] = ramp.front();
  auto [e2, s2] = ramp.back();
  if (e1 == e2)
    return {};
  double a = (s2 - s1) / (e2 - e1), b = s1 - a * e1;
  if (!(b < 0.0))
    return {};
  double ratio = 1.0 - 1.0 / b; // high / low
  double l0 = std::round(a * 2.0 * M_PI * (ratio - 1.0));
  if (!(l0 > 0.0) || l0 > 1e12)
    return {};
  return Llama3ScalingAttr::get(ctx, Real(factor), Real(1.0), Real(roundSignificant(ratio)),
                                (int64_t)l0);
}

/// YaRN's scaling reproducing `inv`: the ramp is linear in j between lo and
/// hi, which fix the original context for the default betas (32, 1).
static Attribute fitYarn(MLIRContext *ctx, ArrayRef<double> ext, ArrayRef<double> inv,
                         double factor, double theta, int64_t rotaryDim) {
  SmallVector<std::pair<double, double>> ramp; // (j, ramp_j) strictly inside
  for (auto [j, e, i] : llvm::zip(llvm::seq<int64_t>(0, ext.size()), ext, inv)) {
    double r = (1.0 - i / e) / (1.0 - 1.0 / factor);
    if (r > 1e-6 && r < 1.0 - 1e-6)
      ramp.push_back({double(j), r});
  }
  if (ramp.size() < 2)
    return {};
  auto [j1, r1] = ramp.front();
  auto [j2, r2] = ramp.back();
  double slope = (r2 - r1) / (j2 - j1);
  if (!(slope > 0.0))
    return {};
  double lo = std::round(j1 - r1 / slope), hi = std::round(lo + 1.0 / slope);
  // floor(corr(32)) = lo and ceil(corr(1)) = hi bound the original context.
  double dim = rotaryDim, logTheta = std::log(theta);
  auto context = [&](double corr, double beta) {
    return 2.0 * M_PI * beta * std::exp(corr * 2.0 * logTheta / dim);
  };
  double from = std::max(context(lo, 32.0), context(hi - 1.0, 1.0));
  double to = std::min(context(lo + 1.0, 32.0), context(hi, 1.0));
  if (!(from < to))
    return {};
  // The roundest context in range: a power of two, else a multiple of the
  // largest power of ten that fits.
  for (int64_t p2 = 1; p2 < (int64_t(1) << 40); p2 *= 2)
    if (p2 > from && p2 <= to)
      return YarnScalingAttr::get(ctx, Real(factor), p2, Real(32.0), Real(1.0));
  for (double step = std::pow(10.0, std::floor(std::log10(to))); step >= 1.0; step /= 10.0) {
    double l0 = std::floor(to / step) * step;
    if (l0 > from)
      return YarnScalingAttr::get(ctx, Real(factor), (int64_t)l0, Real(32.0), Real(1.0));
  }
  return {};
}

FailureOr<RecoveredSpectrum> mlir::rope::raise::recoverSpectrum(MLIRContext *ctx,
                                                                ArrayRef<double> inv,
                                                                ArrayRef<int64_t> axisOfPair,
                                                                int64_t rotaryDim,
                                                                std::string &why,
                                                                double absTol) {
  int64_t p = inv.size();
  if (p < 2 || !(inv[0] > 0.0) || !(inv[1] > 0.0) || !(inv[1] < inv[0]))
    return why = "frequencies are not positive and decreasing", failure();
  if (llvm::any_of(inv, [](double v) { return !(v > 0.0); }))
    return why = "frequencies are not positive", failure();
  auto closeTo = [&](double a, double b) {
    return std::fabs(a - b) <= 4e-7 * std::fabs(b) + absTol;
  };
  auto reproduces = [&](const RecoveredSpectrum &r) {
    SmallVector<double> f = spectrumFrequencies(r, p, rotaryDim);
    return llvm::all_of(llvm::seq<int64_t>(0, p), [&](int64_t j) { return closeTo(inv[j], f[j]); });
  };
  RecoveredSpectrum r;
  // theta ** (-2 / R) = inv_1 / inv_0.
  r.theta = roundSignificant(std::pow(inv[0] / inv[1], rotaryDim / 2.0));
  if (!(r.theta > 1.0) || !std::isfinite(r.theta))
    return why = "the frequencies give no base above 1", failure();
  if (reproduces(r))
    return r;
  // Vision 2D (R2): each contiguous axis section restarts its own spectrum.
  SmallVector<int64_t> sections;
  for (int64_t j = 0; j < p; ++j) {
    if (j == 0 || axisOfPair[j] != axisOfPair[j - 1])
      sections.push_back(0);
    ++sections.back();
  }
  if (sections.size() > 1 && sections[0] > 1) {
    RecoveredSpectrum perAxis;
    perAxis.theta = roundSignificant(std::pow(inv[0] / inv[1], (double)sections[0]));
    perAxis.perAxisSections = sections;
    if (reproduces(perAxis))
      return perAxis;
  }
  SmallVector<double> ext = spectrumFrequencies(r, p, rotaryDim);
  double factor = roundSignificant(ext[p - 1] / inv[p - 1]);
  // Linear, then the long-context scalings of R4 that recover exactly.
  if (inv[0] < ext[0]) {
    r.scaling = LinearScalingAttr::get(ctx, Real(roundSignificant(ext[0] / inv[0])));
    if (reproduces(r))
      return r;
  }
  if (factor > 1.0) {
    for (Attribute candidate : {fitLlama3(ctx, ext, inv, factor),
                                fitYarn(ctx, ext, inv, factor, r.theta, rotaryDim)}) {
      r.scaling = candidate;
      if (candidate && reproduces(r))
        return r;
    }
  }
  // Any other spectrum is kept exactly: an explicit per-pair list.
  SmallVector<Real> factors;
  for (int64_t j = 0; j < p; ++j)
    factors.push_back(Real(ext[j] / inv[j]));
  r.scaling = FreqFactorsAttr::get(ctx, factors);
  return r;
}
