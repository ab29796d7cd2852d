//===- Flatten.cpp - elements as sums of products -------------------------===//

#include "Flatten.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::rope::raise;

namespace {
// A rotation lane has two products; graphs that spell it with a few more
// (a multiply by 1, a 2x2 matrix with zero entries) stay well below these.
constexpr int kStepBudget = 600;
constexpr size_t kMaxTerms = 16;
constexpr size_t kMaxFactors = 6;
} // namespace

static Poly constantPoly(double v) {
  if (v == 0.0)
    return {};
  Term t;
  t.coef = v;
  return {t};
}

static CPoly real(Poly p) { return CPoly{std::move(p), {}, false}; }

static Poly add(Poly a, const Poly &b, double sign = 1.0) {
  for (Term t : b) {
    t.coef *= sign;
    a.push_back(std::move(t));
  }
  return a;
}

static Poly scale(Poly a, double k) {
  if (k == 0.0)
    return {};
  for (Term &t : a)
    t.coef *= k;
  return a;
}

static FailureOr<Poly> mul(const Poly &a, const Poly &b) {
  if (a.size() * b.size() > kMaxTerms)
    return failure();
  Poly out;
  for (const Term &x : a)
    for (const Term &y : b) {
      Term t;
      t.coef = x.coef * y.coef;
      if (t.coef == 0.0)
        continue;
      if (x.factors.size() + y.factors.size() > kMaxFactors)
        return failure();
      t.factors = x.factors;
      t.factors.append(y.factors.begin(), y.factors.end());
      out.push_back(std::move(t));
    }
  return out;
}

static CPoly cadd(const CPoly &a, const CPoly &b, double sign) {
  return CPoly{add(a.re, b.re, sign), add(a.im, b.im, sign), a.complex || b.complex};
}

static FailureOr<CPoly> cmul(const CPoly &a, const CPoly &b) {
  if (!a.complex && !b.complex) {
    FailureOr<Poly> re = mul(a.re, b.re);
    if (failed(re))
      return failure();
    return real(*re);
  }
  // (ar + i ai)(br + i bi) = (ar br - ai bi) + i (ar bi + ai br)
  FailureOr<Poly> rr = mul(a.re, b.re), ii = mul(a.im, b.im), ri = mul(a.re, b.im),
                  ir = mul(a.im, b.re);
  if (failed(rr) || failed(ii) || failed(ri) || failed(ir))
    return failure();
  return CPoly{add(*rr, *ii, -1.0), add(*ri, *ir), true};
}

/// A float or complex constant element, if `v` is a constant readable at idx.
static std::optional<std::pair<double, double>> constantElement(Value v,
                                                                ArrayRef<AffineExpr> idx) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto toPair = [](Attribute a) -> std::optional<std::pair<double, double>> {
    if (auto f = dyn_cast<FloatAttr>(a))
      return std::pair(f.getValueAsDouble(), 0.0);
    if (auto arr = dyn_cast<ArrayAttr>(a); arr && arr.size() == 2) {
      auto re = dyn_cast<FloatAttr>(arr[0]), im = dyn_cast<FloatAttr>(arr[1]);
      if (re && im)
        return std::pair(re.getValueAsDouble(), im.getValueAsDouble());
    }
    return std::nullopt;
  };
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    Type elt = dense.getElementType();
    if (!isa<FloatType, ComplexType>(elt))
      return std::nullopt;
    SmallVector<uint64_t> at;
    if (!dense.isSplat()) {
      for (auto [d, e] : llvm::enumerate(idx)) {
        std::optional<int64_t> c = constantOf(e);
        if (!c || *c < 0 || *c >= dense.getType().getDimSize(d))
          return std::nullopt;
        at.push_back(*c);
      }
    }
    if (isa<FloatType>(elt)) {
      APFloat f = dense.isSplat() ? dense.getSplatValue<APFloat>()
                                  : dense.getValues<APFloat>()[at];
      return std::pair(f.convertToDouble(), 0.0);
    }
    std::complex<APFloat> c = dense.isSplat() ? dense.getSplatValue<std::complex<APFloat>>()
                                              : dense.getValues<std::complex<APFloat>>()[at];
    return std::pair(c.real().convertToDouble(), c.imag().convertToDouble());
  }
  return toPair(attr);
}

FailureOr<CPoly> Flattener::leaf(Path path) {
  Type type = getElementTypeOrSelf(path.back().value.getType());
  if (!isa<ComplexType>(type)) {
    Term t;
    t.factors.push_back(Factor{std::move(path)});
    return real({t});
  }
  CPoly out;
  out.complex = true;
  for (int component : {0, 1}) {
    Term t;
    t.factors.push_back(Factor{path});
    t.factors.back().path.back().component = component;
    (component ? out.im : out.re).push_back(t);
  }
  return out;
}

FailureOr<CPoly> Flattener::element(Value t, Index idx, Path path) {
  if (++steps > kStepBudget)
    return failure();
  path.push_back(Elem{t, idx});
  if (t == stop)
    return leaf(std::move(path));
  if (std::optional<Elem> src = viewSource(t, idx, rootShape))
    return element(src->value, src->idx, std::move(path));
  if (std::optional<std::pair<double, double>> c = constantElement(t, idx))
    return CPoly{constantPoly(c->first), constantPoly(c->second),
                 isa<ComplexType>(getElementTypeOrSelf(t.getType()))};
  Operation *op = t.getDefiningOp();
  if (!op)
    return leaf(std::move(path));
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return linalgElement(linalgOp, cast<OpResult>(t).getResultNumber(), idx, std::move(path));
  if (isa<arith::ExtFOp, arith::TruncFOp>(op))
    return element(op->getOperand(0), idx, std::move(path));
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::NegFOp>(op)) {
    FailureOr<CPoly> a = element(op->getOperand(0), idx, Path());
    if (failed(a))
      return failure();
    if (isa<arith::NegFOp>(op))
      return real(scale(a->re, -1.0));
    FailureOr<CPoly> b = element(op->getOperand(1), idx, Path());
    if (failed(b))
      return failure();
    if (isa<arith::MulFOp>(op))
      return cmul(*a, *b);
    return real(add(a->re, b->re, isa<arith::SubFOp>(op) ? -1.0 : 1.0));
  }
  if (isa<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::NegateOp>(op) &&
      isa<RankedTensorType>(t.getType()))
    return tosaElementwise(op, idx);
  return leaf(std::move(path));
}

static bool isZeroConstant(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return false;
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().isZero();
  if (isa<IntegerType>(dense.getElementType()))
    return dense.getSplatValue<APInt>().isZero();
  return false;
}

FailureOr<CPoly> Flattener::tosaElementwise(Operation *op, const Index &idx) {
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  auto operandAt = [&](Value v) -> FailureOr<CPoly> {
    std::optional<Index> at = tosaOperandIndex(v, out, idx);
    if (!at)
      return failure();
    return element(v, *at, Path());
  };
  if (auto neg = dyn_cast<tosa::NegateOp>(op)) {
    if (!isZeroConstant(neg.getInput1Zp()) || !isZeroConstant(neg.getOutputZp()))
      return failure();
    FailureOr<CPoly> a = operandAt(neg.getInput1());
    if (failed(a))
      return failure();
    return real(scale(a->re, -1.0));
  }
  if (auto m = dyn_cast<tosa::MulOp>(op); m && !isZeroConstant(m.getShift()))
    return failure();
  FailureOr<CPoly> a = operandAt(op->getOperand(0));
  FailureOr<CPoly> b = operandAt(op->getOperand(1));
  if (failed(a) || failed(b))
    return failure();
  if (isa<tosa::MulOp>(op))
    return cmul(*a, *b);
  return real(add(a->re, b->re, isa<tosa::SubOp>(op) ? -1.0 : 1.0));
}

FailureOr<CPoly> Flattener::linalgElement(linalg::LinalgOp op, unsigned resultNo,
                                          const Index &idx, Path path) {
  if (!op.hasPureTensorSemantics() || op->getNumRegions() != 1 ||
      op.getBlock()->getNumArguments() != op->getNumOperands())
    return leaf(std::move(path));
  FailureOr<Index> loops = loopsForResult(op, resultNo, idx);
  if (failed(loops))
    return leaf(std::move(path));
  Value yielded = op.getBlock()->getTerminator()->getOperand(resultNo);
  SmallVector<int64_t> reductions;
  int64_t combinations = 1;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (auto [l, e] : llvm::enumerate(*loops)) {
    if (e)
      continue;
    if (ShapedType::isDynamic(ranges[l]))
      return leaf(std::move(path));
    reductions.push_back(l);
    combinations *= ranges[l];
  }
  if (reductions.empty())
    return scalar(yielded, Body{op, *loops, {}}, std::move(path));
  // A small static reduction (a 2x2 rotation matrix, HF's matmul of inv_freq
  // by positions with K = 1) with one result is a sum of its iterations.
  if (combinations > 4 || op.getNumDpsInits() != 1)
    return leaf(std::move(path));
  // A step this flattening cannot expand (a max, say) would be a leaf of
  // one iteration without the value accumulated before it: then the whole
  // element is the leaf.
  int opaqueBefore = opaqueLeaves;
  OpOperand *init = op.getDpsInitOperand(resultNo);
  FailureOr<CPoly> acc = element(init->get(), idx, Path());
  if (failed(acc))
    return failure();
  MLIRContext *ctx = op->getContext();
  for (int64_t c = 0; c < combinations; ++c) {
    Index at = *loops;
    int64_t rest = c;
    for (int64_t l : llvm::reverse(reductions)) {
      at[l] = getAffineConstantExpr(rest % ranges[l], ctx);
      rest /= ranges[l];
    }
    SmallVector<CPoly, 1> accs(op.getNumDpsInits());
    accs[resultNo] = *acc;
    acc = scalar(yielded, Body{op, at, accs}, Path());
    if (failed(acc))
      return failure();
  }
  if (opaqueLeaves != opaqueBefore)
    return leaf(std::move(path));
  return acc;
}

FailureOr<bool> Flattener::condition(Value c, const Body &body) {
  IntegerAttr k;
  if (matchPattern(c, m_Constant(&k)))
    return k.getValue().getBoolValue();
  if (auto cmp = c.getDefiningOp<arith::CmpIOp>()) {
    std::optional<AffineExpr> a = indexValue(cmp.getLhs(), body.loops);
    std::optional<AffineExpr> b = indexValue(cmp.getRhs(), body.loops);
    std::optional<int64_t> x = a ? constantOf(*a) : std::nullopt;
    std::optional<int64_t> y = b ? constantOf(*b) : std::nullopt;
    if (!x || !y)
      return failure();
    return arith::applyCmpPredicate(cmp.getPredicate(), APInt(64, *x, true),
                                    APInt(64, *y, true));
  }
  if (isa_and_present<arith::AndIOp, arith::OrIOp, arith::XOrIOp>(c.getDefiningOp())) {
    Operation *op = c.getDefiningOp();
    FailureOr<bool> a = condition(op->getOperand(0), body);
    FailureOr<bool> b = condition(op->getOperand(1), body);
    if (failed(a) || failed(b))
      return failure();
    if (isa<arith::AndIOp>(op))
      return *a && *b;
    if (isa<arith::OrIOp>(op))
      return *a || *b;
    return *a != *b;
  }
  return failure();
}

FailureOr<CPoly> Flattener::scalar(Value s, const Body &body, Path path) {
  if (++steps > kStepBudget)
    return failure();
  linalg::LinalgOp linalgOp = body.op;
  Block *block = linalgOp.getBlock();
  if (auto arg = dyn_cast<BlockArgument>(s); arg && arg.getOwner() == block) {
    OpOperand &operand = linalgOp->getOpOperand(arg.getArgNumber());
    int64_t init = linalgOp.isDpsInit(&operand)
                       ? (int64_t)operand.getOperandNumber() - linalgOp.getNumDpsInputs()
                       : -1;
    if (init >= 0 && !body.accumulators.empty())
      return body.accumulators[init];
    if (!isa<RankedTensorType>(operand.get().getType()))
      return scalar(operand.get(), Body{linalgOp, {}, {}}, std::move(path));
    return element(operand.get(), applyMap(linalgOp.getMatchingIndexingMap(&operand), body.loops),
                   std::move(path));
  }
  if (std::optional<std::pair<double, double>> c = constantElement(s, {}))
    return CPoly{constantPoly(c->first), constantPoly(c->second),
                 isa<ComplexType>(s.getType())};
  if (isa<FloatType>(s.getType()))
    if (std::optional<double> c = scalarConstant(s))
      return real(constantPoly(*c));
  Operation *op = s.getDefiningOp();
  // A value from outside the body, or an op this flattening does not expand:
  // a leaf of this body's iteration.
  auto opaque = [&]() -> FailureOr<CPoly> {
    ++opaqueLeaves;
    path.push_back(Elem{s, op && op->getBlock() == block ? body.loops : Index()});
    return leaf(std::move(path));
  };
  if (!op || !linalgOp->isProperAncestor(op))
    return opaque();
  auto operand = [&](unsigned i, bool keepPath = false) {
    return scalar(op->getOperand(i), body, keepPath ? path : Path());
  };
  if (isa<arith::ExtFOp, arith::TruncFOp>(op))
    return operand(0, true);
  if (isa<arith::NegFOp, complex::NegOp>(op)) {
    FailureOr<CPoly> a = operand(0);
    if (failed(a))
      return failure();
    return CPoly{scale(a->re, -1.0), scale(a->im, -1.0), a->complex};
  }
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, complex::AddOp, complex::SubOp,
          complex::MulOp>(op)) {
    FailureOr<CPoly> a = operand(0), b = operand(1);
    if (failed(a) || failed(b))
      return failure();
    if (isa<arith::MulFOp, complex::MulOp>(op))
      return cmul(*a, *b);
    return cadd(*a, *b, isa<arith::SubFOp, complex::SubOp>(op) ? -1.0 : 1.0);
  }
  if (auto div = dyn_cast<arith::DivFOp>(op)) {
    std::optional<std::pair<double, double>> k = constantElement(div.getRhs(), {});
    if (!k || k->first == 0.0)
      return opaque();
    FailureOr<CPoly> a = operand(0);
    if (failed(a))
      return failure();
    return real(scale(a->re, 1.0 / k->first));
  }
  if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
    // A branch on index arithmetic (a concatenation written as a generic).
    FailureOr<bool> c = condition(ifOp.getCondition(), body);
    if (failed(c) || ifOp.getElseRegion().empty())
      return opaque();
    Block &taken = *c ? ifOp.getThenRegion().front() : ifOp.getElseRegion().front();
    return scalar(taken.getTerminator()->getOperand(cast<OpResult>(s).getResultNumber()), body,
                  path);
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    FailureOr<bool> c = condition(select.getCondition(), body);
    if (failed(c))
      return opaque();
    return scalar(*c ? select.getTrueValue() : select.getFalseValue(), body, path);
  }
  if (auto create = dyn_cast<complex::CreateOp>(op)) {
    FailureOr<CPoly> re = operand(0, true), im = operand(1, true);
    if (failed(re) || failed(im))
      return failure();
    return CPoly{re->re, im->re, true};
  }
  if (isa<complex::ReOp, complex::ImOp>(op)) {
    FailureOr<CPoly> c = operand(0, true);
    if (failed(c))
      return failure();
    return real(isa<complex::ReOp>(op) ? c->re : c->im);
  }
  if (auto extract = dyn_cast<tensor::ExtractOp>(op)) {
    Index at;
    for (Value i : extract.getIndices()) {
      std::optional<AffineExpr> e = indexValue(i, body.loops);
      if (!e)
        return opaque();
      at.push_back(*e);
    }
    return element(extract.getTensor(), at, path);
  }
  return opaque();
}
