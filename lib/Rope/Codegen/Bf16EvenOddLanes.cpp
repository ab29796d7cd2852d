//===- Bf16EvenOddLanes.cpp - bf16 rows widened as even and odd lanes ------===//
//
// Widening a row of bf16 to f32 in element order takes a cross-lane
// zero-extension per 16 values (vpmovzxwd: a load and a shuffle) and a
// shift; read as 32-bit words instead, the even elements are `word << 16`
// and the odd ones `word & 0xffff0000`, one operation each and no shuffle.
// Element-wise math does not care about lane order, so a rotation can run on
// that order from its loads to its bf16 rounding and restore element order
// once, on the 16-bit results (one word permutation per 32 values), with
// the other operands (cos/sin, computed once per token; constant masks)
// permuted to match outside the head loop. Per 32 values of a row: 4 uops of
// widening and a permutation instead of 6 uops of widening.
//
// The lane order, per group of 32 elements of the innermost dimension: the
// 16 even elements, then the 16 odd ones. It matches rope-x86-avx512bf16-truncf,
// which rounds each 32-lane group with one vcvtne2ps2bf16.
//
// A row rounded here and widened again in the same block (RMSNorm in HF's
// spelling rounds to bf16 before the weight multiply and again after it) is
// widened from its words in lane order, which puts it in a second lane
// order; the cone that uses it runs in that order instead of restoring
// element order in between (a word permutation per 32 values).
//
//===----------------------------------------------------------------------===//

#include "Rope/Codegen/Passes.h"
#include "Rope/Utils/VectorRows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEBF16EVENODDLANES
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
constexpr int64_t kGroup = 32;
constexpr int64_t kHalfGroup = kGroup / 2;
/// Rows an n-D value may have to be permuted row by row.
constexpr int64_t kMaxRows = 16;

/// Element order -> lane order: lane k holds element laneToElement(k).
int64_t laneToElement(int64_t k) {
  int64_t group = k / kGroup, j = k % kHalfGroup, odd = (k % kGroup) / kHalfGroup;
  return group * kGroup + 2 * j + odd;
}

/// A lane order of a row of n: lane k holds element order[k].
using LaneOrder = SmallVector<int64_t>;

/// The even/odd widening's order for rows of `n`.
LaneOrder evenOddOrder(int64_t n) {
  LaneOrder order;
  for (int64_t k = 0; k < n; ++k)
    order.push_back(laneToElement(k));
  return order;
}

/// Lane k of the result holds lane second[k] of a row whose lane j holds
/// element first[j]: first after second.
LaneOrder compose(ArrayRef<int64_t> first, ArrayRef<int64_t> second) {
  LaneOrder order;
  for (int64_t lane : second)
    order.push_back(first[lane]);
  return order;
}

/// The shuffle mask from a row in lane order `from` to lane order `to`.
LaneOrder reorderMask(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  LaneOrder laneOf(from.size());
  for (auto [lane, element] : llvm::enumerate(from))
    laneOf[element] = lane;
  LaneOrder mask;
  for (int64_t element : to)
    mask.push_back(laneOf[element]);
  return mask;
}

/// The element order.
LaneOrder identityOrder(int64_t n) { return llvm::to_vector(llvm::seq<int64_t>(0, n)); }

int64_t innermost(Value v) {
  auto type = dyn_cast<VectorType>(v.getType());
  return type && !type.isScalable() && type.getRank() > 0 ? type.getShape().back() : 0;
}

bool isWidenedBF16Row(Operation *op) {
  auto ext = dyn_cast<arith::ExtFOp>(op);
  if (!ext)
    return false;
  auto in = dyn_cast<VectorType>(ext.getIn().getType());
  return in && in.getRank() >= 1 && !in.isScalable() && in.getElementType().isBF16() &&
         getElementTypeOrSelf(ext.getType()).isF32() && in.getShape().back() % kGroup == 0 &&
         rope::rowCount(in) <= kMaxRows;
}

/// Ops whose lanes along the innermost dimension (of size n) map one to one
/// from operands to results: element-wise ops, broadcasts that only add
/// leading dimensions, static extractions and transpositions of leading
/// dimensions.
bool isLaneWise(Operation *op, int64_t n) {
  if (op->getNumResults() != 1 || innermost(op->getResult(0)) != n)
    return false;
  if (auto broadcast = dyn_cast<vector::BroadcastOp>(op))
    return innermost(broadcast.getSource()) == n;
  if (auto extract = dyn_cast<vector::ExtractOp>(op))
    return extract.getDynamicPosition().empty() && innermost(extract.getSource()) == n;
  if (auto transpose = dyn_cast<vector::TransposeOp>(op))
    return transpose.getPermutation().back() ==
           static_cast<int64_t>(transpose.getPermutation().size()) - 1;
  if (!OpTrait::hasElementwiseMappableTraits(op) || op->getNumRegions() != 0)
    return false;
  return llvm::all_of(op->getOperands(), [&](Value v) {
    return !isa<VectorType>(v.getType()) || innermost(v) == n;
  });
}

/// `value` with its innermost dimension shuffled: result lane k = lane
/// mask[k] of `value`; n-D values row by row.
Value shuffleInnermost(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> mask) {
  return rope::mapRows(b, loc, value, cast<VectorType>(value.getType()), [&](Value row) -> Value {
    return vector::ShuffleOp::create(b, loc, row, row, mask);
  });
}

/// f32 lanes of a bf16 row in lane order, from its 32-bit words.
Value widenRowEvenOdd(OpBuilder &b, Location loc, Value row) {
  int64_t n = innermost(row);
  auto words = VectorType::get({n / 2}, b.getI32Type());
  auto floats = VectorType::get({n / 2}, b.getF32Type());
  Value w = vector::BitCastOp::create(b, loc, words, row);
  auto splat = [&](int32_t v) {
    return arith::ConstantOp::create(b, loc, words, DenseElementsAttr::get(words, v));
  };
  Value even = vector::BitCastOp::create(b, loc, floats, arith::ShLIOp::create(b, loc, w, splat(16)));
  Value odd = vector::BitCastOp::create(
      b, loc, floats, arith::AndIOp::create(b, loc, w, splat(static_cast<int32_t>(0xffff0000u))));
  // Lane k: even word 16 * group + j, or odd word (offset n / 2) likewise.
  SmallVector<int64_t> mask;
  for (int64_t k = 0; k < n; ++k)
    mask.push_back((k % kGroup) / kHalfGroup * (n / 2) + k / kGroup * kHalfGroup + k % kHalfGroup);
  return vector::ShuffleOp::create(b, loc, even, odd, mask);
}

/// widenRowEvenOdd of each row of a bf16 vector.
Value widenEvenOdd(OpBuilder &b, Location loc, Value bf16) {
  auto type = cast<VectorType>(bf16.getType());
  return rope::mapRows(b, loc, bf16, type.clone(b.getF32Type()),
                       [&](Value row) { return widenRowEvenOdd(b, loc, row); });
}

/// A bf16 row computed in a lane order, and that order: what a rewritten
/// root's element-order result was shuffled from.
struct LaneOrderedRow {
  Value row;
  LaneOrder order;
};

struct RopeBf16EvenOddLanesPass
    : rope::impl::RopeBf16EvenOddLanesBase<RopeBf16EvenOddLanesPass> {
  /// The rewritten roots' results in element order -> their lane-order rows.
  DenseMap<Value, LaneOrderedRow> restored;

  void runOnOperation() override {
    restored.clear();
    SmallVector<arith::TruncFOp> roots;
    getOperation()->walk([&](arith::TruncFOp op) {
      int64_t n = innermost(op.getIn());
      if (n > 0 && n % kGroup == 0 && getElementTypeOrSelf(op.getIn().getType()).isF32() &&
          getElementTypeOrSelf(op.getType()).isBF16())
        roots.push_back(op);
    });
    for (arith::TruncFOp root : roots)
      rewrite(root);
  }

  /// The lane-wise ops in root's block on the paths from widened bf16 rows
  /// to root's input, in block order; empty unless there is one and every
  /// value they make is used only by them or the root.
  static SmallVector<Operation *> cone(arith::TruncFOp root, int64_t n) {
    // Lane-wise ops root's input is computed by...
    llvm::SetVector<Operation *> upstream;
    SmallVector<Value> work = {root.getIn()};
    while (!work.empty()) {
      Operation *op = work.pop_back_val().getDefiningOp();
      if (!op || op->getBlock() != root->getBlock() || upstream.contains(op) ||
          isWidenedBF16Row(op) || !isLaneWise(op, n))
        continue;
      upstream.insert(op);
      for (Value operand : op->getOperands())
        if (isa<VectorType>(operand.getType()))
          work.push_back(operand);
    }
    // ...that depend on a widened row (cos/sin and masks stay operands).
    SmallVector<Operation *> ordered(upstream.begin(), upstream.end());
    llvm::sort(ordered, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    llvm::SetVector<Operation *> ops;
    for (Operation *op : ordered)
      if (llvm::any_of(op->getOperands(), [&](Value v) {
            Operation *def = v.getDefiningOp();
            return def && (ops.contains(def) || (isWidenedBF16Row(def) && def->getBlock() == op->getBlock()));
          }))
        ops.insert(op);
    for (Operation *op : ops)
      for (Operation *user : op->getUsers())
        if (user != root && !ops.contains(user))
          return {};
    return SmallVector<Operation *>(ops.begin(), ops.end());
  }

  /// The bf16 row a widening reads and the lane order of its even/odd
  /// widening: a rewritten root's row in its lane order when there is one.
  std::pair<Value, LaneOrder> widenedSource(arith::ExtFOp ext, int64_t n) const {
    auto it = restored.find(ext.getIn());
    if (it == restored.end())
      return {ext.getIn(), evenOddOrder(n)};
    return {it->second.row, compose(it->second.order, evenOddOrder(n))};
  }

  void rewrite(arith::TruncFOp root) {
    int64_t n = innermost(root.getIn());
    SmallVector<Operation *> ops = cone(root, n);
    Operation *inDef = root.getIn().getDefiningOp();
    if (ops.empty() && !(inDef && isWidenedBF16Row(inDef)))
      return;
    for (Value v : {root.getIn(), root.getResult()})
      if (rope::rowCount(cast<VectorType>(v.getType())) > kMaxRows)
        return;
    for (Operation *op : ops)
      for (Value operand : op->getOperands())
        if (auto type = dyn_cast<VectorType>(operand.getType()); type && rope::rowCount(type) > kMaxRows)
          return;

    // The cone's lane order: the even/odd one, or the order in which a
    // row rounded by an earlier root widens with no shuffle.
    LaneOrder order = evenOddOrder(n);
    SmallVector<Value> operands(root->getOperands());
    for (Operation *op : ops)
      llvm::append_range(operands, op->getOperands());
    for (Value v : operands)
      if (Operation *def = v.getDefiningOp();
          def && isWidenedBF16Row(def) && restored.contains(cast<arith::ExtFOp>(def).getIn())) {
        order = widenedSource(cast<arith::ExtFOp>(def), n).second;
        break;
      }
    // Operands from outside the cone, in lane order: widened rows from their
    // words (shuffled if their widening's order is another), anything else
    // shuffled right after its definition (outside the loop for cos/sin).
    DenseMap<Value, Value> inLaneOrder;
    auto laneOrder = [&](Value v) -> Value {
      if (!isa<VectorType>(v.getType()))
        return v; // a scalar is the same in every lane
      auto [it, inserted] = inLaneOrder.try_emplace(v, Value());
      if (!inserted)
        return it->second;
      OpBuilder b(v.getContext());
      if (Operation *def = v.getDefiningOp())
        b.setInsertionPointAfter(def);
      else
        b.setInsertionPointToStart(cast<BlockArgument>(v).getOwner());
      Operation *def = v.getDefiningOp();
      if (!def || !isWidenedBF16Row(def))
        return it->second = shuffleInnermost(b, v.getLoc(), v, order);
      auto [source, widenedOrder] = widenedSource(cast<arith::ExtFOp>(def), n);
      Value widened = widenEvenOdd(b, v.getLoc(), source);
      if (widenedOrder != order)
        widened = shuffleInnermost(b, v.getLoc(), widened, reorderMask(widenedOrder, order));
      return it->second = widened;
    };
    IRMapping map;
    for (Operation *op : ops) {
      OpBuilder b(op);
      for (Value operand : op->getOperands())
        if (!map.contains(operand))
          map.map(operand, laneOrder(operand));
      Operation *clone = b.clone(*op, map);
      map.map(op->getResults(), clone->getResults());
    }
    OpBuilder b(root);
    Value in = map.lookupOrNull(root.getIn());
    if (!in)
      in = laneOrder(root.getIn());
    auto rounded = cast<arith::TruncFOp>(b.clone(*root));
    rounded.getInMutable().assign(in);
    Value inElementOrder =
        shuffleInnermost(b, root.getLoc(), rounded, reorderMask(order, identityOrder(n)));
    restored[inElementOrder] = {rounded.getResult(), order};
    root.replaceAllUsesWith(inElementOrder);
    root.erase();
    for (Operation *op : llvm::reverse(ops))
      if (op->use_empty())
        op->erase();
  }
};
} // namespace
