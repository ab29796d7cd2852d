//===- WidenBf16Arith.cpp - bf16 arithmetic as f32 between extf and truncf -===//
//
// CPUs have no bf16 arithmetic (AVX512-BF16 converts and takes dot
// products, nothing more), so LLVM's instruction selection widens each bf16
// add or multiply to f32 and rounds back. Done there, the widening is out of
// reach of the IR passes: a row multiplied by a norm's bf16 weight (HF's
// `weight * x.to(bf16)`) widened the weight again for every head of every
// token, and rope-codegen-bf16-even-odd-lanes, which rewrites rows from their
// `arith.extf`, never saw it. Done here, the weight's widening is loop
// invariant for LLVM to hoist, and the rows get the even/odd lane order.
// Same numbers: f32 holds a product of two bf16 exactly, and for a sum or
// quotient rounding to f32 first and then to bf16 is innocuous (24 >= 2 x 8
// + 2 bits, Figueroa 1995), as it is in LLVM's own widening.
//
//===----------------------------------------------------------------------===//

#include "Rope/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEWIDENBF16ARITH
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
/// `op` on bf16 (scalars, vectors or tensors) -> truncf(op(extf(a),
/// extf(b))) in f32.
template <typename Op> struct WidenBf16 : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;

  LogicalResult matchAndRewrite(Op op, PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isBF16())
      return failure();
    Location loc = op.getLoc();
    Type wide = cast<FloatType>(Float32Type::get(op.getContext()));
    if (auto shaped = dyn_cast<ShapedType>(type))
      wide = shaped.clone(wide);
    SmallVector<Value> operands;
    for (Value operand : op->getOperands())
      operands.push_back(arith::ExtFOp::create(rewriter, loc, wide, operand));
    Operation *widened = rewriter.create(loc, op->getName().getIdentifier(), operands,
                                         TypeRange{wide}, op->getAttrs());
    rewriter.replaceOpWithNewOp<arith::TruncFOp>(op, type, widened->getResult(0));
    return success();
  }
};

struct RopeWidenBf16ArithPass
    : public rope::impl::RopeWidenBf16ArithBase<RopeWidenBf16ArithPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<WidenBf16<arith::AddFOp>, WidenBf16<arith::SubFOp>, WidenBf16<arith::MulFOp>,
                 WidenBf16<arith::DivFOp>, WidenBf16<arith::MaximumFOp>,
                 WidenBf16<arith::MinimumFOp>, WidenBf16<arith::MaxNumFOp>,
                 WidenBf16<arith::MinNumFOp>>(&getContext());
    // One walk, no folding: nothing but the bf16 ops changes.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace
