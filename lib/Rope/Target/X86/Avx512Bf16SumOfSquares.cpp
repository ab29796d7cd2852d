//===- Avx512Bf16SumOfSquares.cpp - bf16 sums of squares as vdpbf16ps -----===//
//
// RMSNorm (Qwen3's QK-norm per head) sums the squares of a bf16 row in f32.
// Widened first, a 128-element row costs 8 widening loads, 8 shifts, 8
// multiplies and 7 adds before the horizontal sum; vdpbf16ps multiplies 32
// bf16 pairs and adds them into 16 f32 lanes in one instruction, from the
// row's own bf16 words. A bf16 square is exact in f32, so the sum differs
// from the widened one only in the order of its additions, which the
// reduction's reassoc flag already allows.
//
//===----------------------------------------------------------------------===//

#include "Rope/Target/X86/Passes.h"
#include "Rope/Target/X86/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEAVX512BF16SUMOFSQUARES
#include "Rope/Target/X86/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
constexpr int64_t kLanes = 16;
constexpr int64_t kPairs = 2 * kLanes;
constexpr llvm::StringLiteral kIntrinsic = "llvm.x86.avx512bf16.dpbf16ps.512";

/// A bf16 row whose widened square a sum reads: `x * x` of `arith.extf` of a
/// 1-D bf16 vector, or a static row (`vector.extract`) of that square of an
/// n-D one (a tile of several heads).
struct SquaredRow {
  Value bf16;
  SmallVector<int64_t> position;
};

std::optional<SquaredRow> squaredBf16Row(Value value) {
  SmallVector<int64_t> position;
  if (auto extract = value.getDefiningOp<vector::ExtractOp>()) {
    if (!extract.getDynamicPosition().empty())
      return std::nullopt;
    position = llvm::to_vector(extract.getStaticPosition());
    value = extract.getSource();
  }
  auto square = value.getDefiningOp<arith::MulFOp>();
  if (!square || square.getLhs() != square.getRhs() ||
      square.getFastmath() != arith::FastMathFlags::none)
    return std::nullopt;
  auto widen = square.getLhs().getDefiningOp<arith::ExtFOp>();
  if (!widen || !getElementTypeOrSelf(widen.getIn().getType()).isBF16())
    return std::nullopt;
  return SquaredRow{widen.getIn(), std::move(position)};
}

struct DotSumOfSquares : OpRewritePattern<vector::ReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ReductionOp op, PatternRewriter &rewriter) const override {
    if (op.getKind() != vector::CombiningKind::ADD || !op.getType().isF32())
      return rewriter.notifyMatchFailure(op, "not an f32 sum");
    if (cast<vector::MaskableOpInterface>(op.getOperation()).isMasked())
      return rewriter.notifyMatchFailure(op, "masked (its lanes are not all summed)");
    if (!bitEnumContainsAll(op.getFastmath(), arith::FastMathFlags::reassoc))
      return rewriter.notifyMatchFailure(op, "an ordered sum (no reassoc)");
    std::optional<SquaredRow> squared = squaredBf16Row(op.getVector());
    auto rowType = cast<VectorType>(op.getVector().getType());
    if (!squared || rowType.isScalable() || rowType.getNumElements() % kPairs != 0)
      return rewriter.notifyMatchFailure(op, "not a sum of squares of 32k bf16");
    Location loc = op.getLoc();
    Value row = squared->bf16;
    if (!squared->position.empty())
      row = vector::ExtractOp::create(rewriter, loc, row, squared->position);
    auto accType = VectorType::get({kLanes}, rewriter.getF32Type());
    StringAttr name = rewriter.getStringAttr(kIntrinsic);
    // Two accumulators, so that consecutive vdpbf16ps do not wait for each
    // other.
    int64_t chunks = rowType.getNumElements() / kPairs;
    SmallVector<Value, 2> accs(std::min<int64_t>(chunks, 2),
                               arith::ConstantOp::create(rewriter, loc, accType,
                                                         rewriter.getZeroAttr(accType)));
    for (int64_t chunk = 0; chunk < chunks; ++chunk) {
      Value pairs =
          vector::ExtractStridedSliceOp::create(rewriter, loc, row, chunk * kPairs, kPairs, 1);
      Value &acc = accs[chunk % accs.size()];
      acc = LLVM::CallIntrinsicOp::create(rewriter, loc, accType, name,
                                          ValueRange{acc, pairs, pairs})
                .getResult(0);
    }
    Value lanes = accs.front();
    if (accs.size() == 2)
      lanes = arith::AddFOp::create(rewriter, loc, accs[0], accs[1]);
    rewriter.replaceOpWithNewOp<vector::ReductionOp>(op, vector::CombiningKind::ADD, lanes,
                                                     op.getAcc(), op.getFastmath());
    return success();
  }
};

struct RopeAvx512Bf16SumOfSquaresPass
    : rope::impl::RopeAvx512Bf16SumOfSquaresBase<RopeAvx512Bf16SumOfSquaresPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    rope::populateX86Avx512Bf16SumOfSquaresPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void mlir::rope::populateX86Avx512Bf16SumOfSquaresPatterns(RewritePatternSet &patterns) {
  patterns.add<DotSumOfSquares>(patterns.getContext());
}
