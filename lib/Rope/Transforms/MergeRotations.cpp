//===- MergeRotations.cpp - q and k rotated alike become one op -----------===//
//
// Two rotations sharing their positions or tables and attributes are one
// rotation of two tensors: one pass over memory, trigonometry shared.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Transforms.h"

using namespace mlir;
using namespace mlir::rope;

namespace {

/// Whether one of `values` is computed from `other`'s results, `other`
/// coming before `op` in their block: a scan of the ops between them.
bool computedFrom(ValueRange values, Operation *other, Operation *op) {
  llvm::SmallPtrSet<Operation *, 16> dependent = {other};
  for (Operation *o = other->getNextNode(); o && o != op; o = o->getNextNode()) {
    bool uses = false;
    o->walk([&](Operation *inner) {
      for (Value v : inner->getOperands())
        uses |= v.getDefiningOp() && dependent.contains(v.getDefiningOp());
    });
    if (uses)
      dependent.insert(o);
  }
  return llvm::any_of(values, [&](Value v) {
    return v.getDefiningOp() && dependent.contains(v.getDefiningOp());
  });
}

/// q and k rotated with the same tables or positions become one op (one
/// pass, shared trig).
template <typename OpTy>
struct MergeRotations : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  static SmallVector<Value> shared(RotateWithTablesOp op) { return {op.getCos(), op.getSin()}; }
  static SmallVector<Value> shared(RotateOp op) { return {op.getPositions(), op.getSeqLen()}; }
  static OpTy build(PatternRewriter &rewriter, OpTy op, TypeRange types, ValueRange inputs,
                    ValueRange inits) {
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
          !other->isBeforeInBlock(op) || other.getInits().size() != 1 || other.isInPlace() ||
          shared(other) != shared(op) ||
          other->getDiscardableAttrDictionary() != op->getDiscardableAttrDictionary() ||
          other.getProperties() != op.getProperties())
        continue;
      // The merged op sits where `op` is: `other`'s users must come later,
      // and `op`'s tensors must not be computed from `other` (a rotation of
      // a rotation).
      if (llvm::any_of(other->getUsers(),
                       [&](Operation *u) {
                         return u->getBlock() != op->getBlock() || u->isBeforeInBlock(op);
                       }) ||
          computedFrom(op->getOperands(), other, op))
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
} // namespace

void mlir::rope::populateMergeSiblingRotationsPatterns(RewritePatternSet &patterns) {
  patterns.add<MergeRotations<RotateOp>, MergeRotations<RotateWithTablesOp>>(patterns.getContext());
}
