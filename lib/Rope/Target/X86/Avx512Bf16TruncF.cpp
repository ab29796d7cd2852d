//===- Avx512Bf16TruncF.cpp - packed f32 -> bf16 rounding on AVX512-BF16 --===//
//
// A bf16 rotation converts every value twice; at 32 values per store, the
// backend's two vcvtneps2bf16 and a vinsertf64x4 (five vector uops) were a
// quarter of the work per head, and in place at memory speed the kernel ran
// out of vector ports before the copy rate. vcvtne2ps2bf16 rounds two
// registers into one in two uops, with the same rounding. Like
// vcvtneps2bf16 (what LLVM 22 itself emits for a vector fptrunc on these
// CPUs) it treats f32 denormal inputs as zero.
//
//===----------------------------------------------------------------------===//

#include "Rope/Target/X86/Passes.h"
#include "Rope/Target/X86/Transforms.h"
#include "Rope/Utils/VectorRows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEAVX512BF16TRUNCF
#include "Rope/Target/X86/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
constexpr int64_t kHalf = 16;
constexpr int64_t kPair = 2 * kHalf;
constexpr llvm::StringLiteral kIntrinsic = "llvm.x86.avx512bf16.cvtne2ps2bf16.512";

/// Rounds one 1-D vector of f32 (a multiple of 32 long) to bf16, 32 at a time.
Value packRow(PatternRewriter &rewriter, Location loc, Value row, int64_t size) {
  auto pairType = VectorType::get({kPair}, rewriter.getBF16Type());
  auto rowType = VectorType::get({size}, rewriter.getBF16Type());
  Value result = arith::ConstantOp::create(rewriter, loc, rowType, rewriter.getZeroAttr(rowType));
  StringAttr name = rewriter.getStringAttr(kIntrinsic);
  for (int64_t start = 0; start < size; start += kPair) {
    Value lo = vector::ExtractStridedSliceOp::create(rewriter, loc, row, start, kHalf, 1);
    Value hi = vector::ExtractStridedSliceOp::create(rewriter, loc, row, start + kHalf, kHalf, 1);
    // The second source fills the low half of the result.
    Value pair =
        LLVM::CallIntrinsicOp::create(rewriter, loc, pairType, name, ValueRange{hi, lo}).getResult(0);
    result = vector::InsertStridedSliceOp::create(rewriter, loc, pair, result, start, 1);
  }
  return result;
}

struct PackedTruncF : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::TruncFOp op, PatternRewriter &rewriter) const override {
    auto inType = dyn_cast<VectorType>(op.getIn().getType());
    auto outType = dyn_cast<VectorType>(op.getType());
    if (!inType || !outType || inType.isScalable() || inType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "not a fixed-size vector of rank >= 1");
    if (!inType.getElementType().isF32() || !outType.getElementType().isBF16())
      return rewriter.notifyMatchFailure(op, "not f32 to bf16");
    std::optional<arith::RoundingMode> mode = op.getRoundingmode();
    if (mode && *mode != arith::RoundingMode::to_nearest_even)
      return rewriter.notifyMatchFailure(op, "rounding other than to nearest even");
    if (op.getFastmathAttr() && op.getFastmathAttr().getValue() != arith::FastMathFlags::none)
      return rewriter.notifyMatchFailure(op, "fast-math flags would be dropped");
    int64_t size = inType.getShape().back();
    if (size % kPair != 0)
      return rewriter.notifyMatchFailure(op, "innermost size not a multiple of 32");
    // n-D: one row at a time (LLVM lowers n-D vectors as arrays of rows).
    Location loc = op.getLoc();
    Value result = rope::mapRows(rewriter, loc, op.getIn(), outType,
                                 [&](Value row) { return packRow(rewriter, loc, row, size); });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct RopeAvx512Bf16TruncFPass
    : rope::impl::RopeAvx512Bf16TruncFBase<RopeAvx512Bf16TruncFPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    rope::populateX86Avx512Bf16TruncFPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void mlir::rope::populateX86Avx512Bf16TruncFPatterns(RewritePatternSet &patterns) {
  patterns.add<PackedTruncF>(patterns.getContext());
}
