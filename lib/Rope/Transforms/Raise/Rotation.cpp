//===- Rotation.cpp - a rotation, lane by lane ----------------------------===//

#include "Rotation.h"

using namespace mlir;
using namespace mlir::rope;
using namespace mlir::rope::raise;

/// The root's own index with lane `lane`: (d0, ..., d_{r-2}, lane), with 0
/// for its unit dims.
static Index rootIndex(MLIRContext *ctx, ArrayRef<int64_t> shape, int64_t lane) {
  Index idx;
  for (int64_t d = 0; d + 1 < (int64_t)shape.size(); ++d)
    idx.push_back(shape[d] == 1 ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(d, ctx));
  idx.push_back(getAffineConstantExpr(lane, ctx));
  return idx;
}

/// The lane of `x` a factor reads when its path goes through x at the root's
/// own index but for the lane; -1 otherwise.
static int64_t laneOfX(const Factor &f, Value x, int64_t rank) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(x.getType()).getShape();
  for (const Elem &e : f.path) {
    if (e.value != x || e.component != -1 || (int64_t)e.idx.size() != rank)
      continue;
    bool same = true;
    for (int64_t d = 0; d + 1 < rank; ++d)
      same &= e.idx[d] == (shape[d] == 1 ? getAffineConstantExpr(0, x.getContext())
                                         : getAffineDimExpr(d, x.getContext()));
    std::optional<int64_t> lane = constantOf(e.idx.back());
    if (same && lane)
      return *lane;
  }
  return -1;
}

namespace {
/// One term split into the lane of x it reads and its other factors.
struct SplitTerm {
  int64_t lane = -1;
  double coef = 1.0;
  SmallVector<Factor, 1> tables;
};
} // namespace

/// Splits a term at its single factor that reads x; fails when none or
/// several do.
static FailureOr<SplitTerm> split(const Term &t, Value x, int64_t rank) {
  SplitTerm s;
  s.coef = t.coef;
  for (const Factor &f : t.factors) {
    int64_t lane = laneOfX(f, x, rank);
    if (lane < 0) {
      s.tables.push_back(f);
      continue;
    }
    if (s.lane >= 0)
      return failure();
    s.lane = lane;
  }
  if (s.lane < 0)
    return failure();
  return s;
}

/// matchRotation with `stop` a leaf of the flattening; `twoProducts` says
/// whether lane 0 is a sum of two products of at least two factors each.
static FailureOr<Rotation> matchRotationWith(Value root, Value stop, Candidate &candidate,
                                             std::string &why, bool &twoProducts) {
  candidate = Candidate::None;
  twoProducts = false;
  auto type = dyn_cast<RankedTensorType>(root.getType());
  if (!type || !isa<FloatType>(type.getElementType()) ||
      (type.getRank() != 3 && type.getRank() != 4))
    return failure();
  int64_t rank = type.getRank(), width = type.getShape().back();
  if (ShapedType::isDynamic(width) || width < 2)
    return failure();
  MLIRContext *ctx = root.getContext();
  Flattener flattener(type.getShape(), stop);
  FailureOr<CPoly> lane0 = flattener.element(root, rootIndex(ctx, type.getShape(), 0));
  // Two products, each of x and a table (x + x or x * x + y is no candidate).
  if (failed(lane0) || lane0->complex || lane0->re.size() != 2 ||
      llvm::any_of(lane0->re, [](const Term &t) { return t.factors.size() < 2; }))
    return failure();
  twoProducts = true;

  // x: a tensor of the root's shape (its element type may differ: a
  // rotation computed in f32 of bf16 or f16 inputs) read at the root's own
  // index in lane 0. Both terms read it for a candidate; one at lane 0 and
  // the other at another lane for a rotation.
  auto sameShape = [&](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.getShape() == type.getShape() && isa<FloatType>(t.getElementType());
  };
  SmallVector<Value> xs;
  for (const Term &t : lane0->re)
    for (const Factor &f : t.factors)
      for (const Elem &e : f.path)
        if (sameShape(e.value) && !llvm::is_contained(xs, e.value) &&
            laneOfX(f, e.value, rank) >= 0)
          xs.push_back(e.value);
  llvm::erase_if(xs, [&](Value x) {
    return failed(split(lane0->re[0], x, rank)) || failed(split(lane0->re[1], x, rank));
  });
  if (xs.empty())
    return failure();
  candidate = Candidate::LooksLikeRotation;
  llvm::erase_if(xs, [&](Value x) {
    return (split(lane0->re[0], x, rank)->lane == 0) == (split(lane0->re[1], x, rank)->lane == 0);
  });
  if (xs.empty()) {
    why = "lane 0 does not read x at lane 0 in one product and at another lane in the other";
    return failure();
  }

  SmallVector<Poly, 0> polys{lane0->re};
  for (int64_t l = 1; l < width; ++l) {
    FailureOr<CPoly> p = flattener.element(root, rootIndex(ctx, type.getShape(), l));
    if (failed(p) || p->complex) {
      why = "lane " + std::to_string(l) + " is not a sum of products of x and tables";
      return failure();
    }
    polys.push_back(p->re);
  }

  for (Value x : xs) {
    Rotation rot;
    rot.x = x;
    bool ok = true;
    SmallVector<int64_t> partner(width, -1);
    for (int64_t l = 0; l < width && ok; ++l) {
      const Poly &p = polys[l];
      if (p.size() == 1) {
        FailureOr<SplitTerm> s = split(p[0], x, rank);
        // A lane past the rotary dim: x itself.
        if (failed(s) || s->lane != l || !s->tables.empty() || s->coef != 1.0) {
          why = "lane " + std::to_string(l) + " is neither rotated nor x itself";
          ok = false;
        }
        continue;
      }
      FailureOr<SplitTerm> a = failure(), b = failure();
      if (p.size() == 2) {
        a = split(p[0], x, rank);
        b = split(p[1], x, rank);
      }
      if (failed(a) || failed(b)) {
        why = "lane " + std::to_string(l) + " is not x[l] * cos + x[l'] * sin";
        ok = false;
        continue;
      }
      if (b->lane == l)
        std::swap(a, b);
      if (a->lane != l || b->lane == l) {
        why = "lane " + std::to_string(l) + " does not read x at its own lane and at one other";
        ok = false;
        continue;
      }
      partner[l] = b->lane;
      if (l != (int64_t)rot.lanes.size()) {
        why = "rotated lanes are not a prefix of the head dim";
        ok = false;
        continue;
      }
      rot.lanes.push_back(LaneTables{a->coef, b->coef, a->tables, b->tables});
    }
    if (!ok)
      continue;
    int64_t r = rot.lanes.size();
    if (r < 2 || r % 2) {
      why = "the rotated lanes are not an even prefix";
      continue;
    }
    bool half = true, adjacent = true;
    for (int64_t l = 0; l < r; ++l) {
      half &= partner[l] == partnerLane(Pairing::half, l, r);
      adjacent &= partner[l] == partnerLane(Pairing::adjacent, l, r);
    }
    if (!half && !adjacent) {
      why = "lanes pair in neither rotate_half's (j, j + R/2) nor GPT-J's (2j, 2j + 1) way";
      continue;
    }
    rot.rotaryDim = r;
    rot.pairing = half ? Pairing::half : Pairing::adjacent;
    return rot;
  }
  return failure();
}

FailureOr<Rotation> mlir::rope::raise::matchRotation(
    Value root, Candidate &candidate, std::string &why,
    llvm::function_ref<bool(const Rotation &, std::string &)> accept) {
  bool twoProducts = false;
  FailureOr<Rotation> rot = matchRotationWith(root, Value(), candidate, why, twoProducts);
  if (succeeded(rot) && accept(*rot, why))
    return rot;
  // Whether `candidate` and `why` already tell of a rotation that matched
  // (and whose tables no plan took): the reason to report.
  bool matched = succeeded(rot);
  if (!twoProducts)
    return failure();
  // The flattening expanded x itself when x is computed by arithmetic
  // (Qwen3's QK-norm: weight * normalized): no single tensor is then read at
  // the rotated lanes, or one is (the norm's input, when it has the root's
  // shape) but with the norm's factors, computed from x, among its tables,
  // which no plan takes. Try, nearest first, the tensors of the root's shape
  // that the root is computed from, each kept whole; the lane-by-lane check
  // and the tables' plan are the same, so a rotation found this way is a
  // rotation of that tensor.
  constexpr int kMaxDepth = 8;
  constexpr size_t kMaxTries = 8;
  auto type = cast<RankedTensorType>(root.getType());
  SmallVector<Value> tries;
  SmallVector<std::pair<Operation *, int>> frontier;
  llvm::SmallPtrSet<Operation *, 16> seen;
  if (Operation *def = root.getDefiningOp())
    frontier.push_back({def, 0});
  for (size_t i = 0; i < frontier.size() && tries.size() < kMaxTries; ++i) {
    auto [op, depth] = frontier[i];
    for (Value v : op->getOperands()) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      if (t && t.getShape() == type.getShape() && isa<FloatType>(t.getElementType()) &&
          v != root && !llvm::is_contained(tries, v) && tries.size() < kMaxTries)
        tries.push_back(v);
      Operation *def = v.getDefiningOp();
      if (def && depth + 1 < kMaxDepth && seen.insert(def).second)
        frontier.push_back({def, depth + 1});
    }
  }
  for (Value stop : tries) {
    Candidate c;
    std::string w;
    bool two;
    FailureOr<Rotation> r = matchRotationWith(root, stop, c, w, two);
    if (failed(r))
      continue;
    bool accepted = accept(*r, w);
    if (accepted || !matched) {
      candidate = c;
      why = w;
      matched = true;
    }
    if (accepted)
      return r;
  }
  return failure();
}
