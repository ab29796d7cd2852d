//===- UnrollOddVectors.cpp - vectors of 2^k lanes for LLVM's register copies --===//
//
// LLVM's SelectionDAG passes a value between basic blocks in registers it
// breaks down by type, and a vector whose lane count is not a power of two is
// broken down to its scalars (getVectorTypeBreakdown). Head dims such as
// ViT's 80 (40 pairs) give `vector<40xf32>` cos/sin computed once per token
// and used in the head loop: each crossing cost ~170 inserts and extracts per
// token, a third of the token's instructions. Unrolling such ops into slices
// of the largest power of two dividing the size (40 -> 5 x 8) leaves only
// power-of-two vectors to cross blocks. Upstream's unroll patterns do the
// work; this pass only picks the native shapes.
//
//===----------------------------------------------------------------------===//

#include "Rope/Codegen/Passes.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Interfaces/VectorInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEUNROLLODDVECTORS
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
constexpr int64_t kMaxPieces = 4096;

/// [1, ..., 1, 2^k] with 2^k the largest power of two dividing the innermost
/// size, for ops whose unroll shape has a static innermost size that is not
/// a power of two; nothing otherwise.
std::optional<SmallVector<int64_t>> nativeShape(Operation *op) {
  auto unrollable = dyn_cast<VectorUnrollOpInterface>(op);
  if (!unrollable)
    return std::nullopt;
  // Reductions and contractions would be reassociated (and upstream's
  // vector.reduction unrolling drops the accumulator); a masked op must stay
  // the one op of its vector.mask; the unrolled vector.load/store would lose
  // their alignment and non-temporal hints.
  if (isa<vector::ReductionOp, vector::MultiDimReductionOp, vector::ContractionOp>(op) ||
      isa_and_nonnull<vector::MaskOp>(op->getParentOp()) ||
      op->hasAttr("nontemporal") || op->hasAttr("alignment"))
    return std::nullopt;
  // A transfer between vectors and a buffer of another element type (f32
  // lanes over f80 memory, fuzzer) must keep whole source elements per
  // slice, which a power-of-two slice of lanes need not.
  if (auto transfer = dyn_cast<VectorTransferOpInterface>(op))
    if (transfer.getVectorType().getElementType() !=
        getElementTypeOrSelf(transfer.getBase().getType()))
      return std::nullopt;
  std::optional<SmallVector<int64_t, 4>> shape = unrollable.getShapeForUnroll();
  if (!shape || shape->empty())
    return std::nullopt;
  int64_t inner = shape->back();
  if (inner <= 0 || llvm::isPowerOf2_64(static_cast<uint64_t>(inner)))
    return std::nullopt;
  auto scalable = [](Type t) {
    auto vt = dyn_cast<VectorType>(t);
    return vt && vt.isScalable();
  };
  if (llvm::any_of(op->getOperandTypes(), scalable) || llvm::any_of(op->getResultTypes(), scalable))
    return std::nullopt;
  // An odd size would become single lanes: no better than what LLVM does.
  if ((inner & -inner) == 1)
    return std::nullopt;
  SmallVector<int64_t> native(shape->size(), 1);
  native.back() = inner & -inner;
  // Vectors of the CPU pipeline have at most 512 lanes (rope-codegen-vectorize); a
  // larger one (the fuzzer's vector<1099511627776x48xf32>) would unroll into
  // as many ops as it has slices, so it is left to fail where it is lowered.
  int64_t pieces = inner / native.back();
  for (int64_t size : ArrayRef<int64_t>(*shape).drop_back())
    if (size <= 0 || pieces > kMaxPieces / size)
      return std::nullopt;
    else
      pieces *= size;
  if (pieces > kMaxPieces)
    return std::nullopt;
  return native;
}

struct RopeUnrollOddVectorsPass
    : public rope::impl::RopeUnrollOddVectorsBase<RopeUnrollOddVectorsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    vector::populateVectorUnrollPatterns(patterns,
                                         vector::UnrollVectorOptions().setNativeShapeFn(nativeShape));
    vector::ExtractStridedSliceOp::getCanonicalizationPatterns(patterns, ctx);
    vector::InsertStridedSliceOp::getCanonicalizationPatterns(patterns, ctx);
    vector::BroadcastOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
