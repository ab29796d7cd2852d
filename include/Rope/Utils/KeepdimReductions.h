//===- KeepdimReductions.h - linalg generics without their unit dims -*- C++ -*-===//
//
// torch-mlir writes a keepdim reduction (`x.pow(2).mean(-1, keepdim=True)`,
// RMSNorm's) as a linalg.generic whose output map has a constant 0. Tiling
// cannot slice such a map (rope-fuse-neighbours) and vectorizing it makes
// writes that upstream's cleanup patterns rewrite back and forth
// (rope-codegen-vectorize); without its unit dims (linalg::dropUnitDims) the op is
// an ordinary reduction. Shared by the two passes.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_UTILS_KEEPDIMREDUCTIONS_H
#define ROPE_UTILS_KEEPDIMREDUCTIONS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"

namespace mlir::rope {

/// Whether a tensor generic indexes one of `operands` (of its own) with a
/// constant.
inline bool indexesWithConstant(linalg::GenericOp op, MutableArrayRef<OpOperand> operands) {
  return op.hasPureTensorSemantics() && llvm::any_of(operands, [&](OpOperand &operand) {
           return llvm::any_of(op.getMatchingIndexingMap(&operand).getResults(),
                               llvm::IsaPred<AffineConstantExpr>);
         });
}

/// Replaces `op` by its form without unit dims; leaves it where
/// linalg::dropUnitDims cannot.
inline void replaceWithoutUnitDims(RewriterBase &rewriter, linalg::GenericOp op) {
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::DropUnitDimsResult> dropped =
      linalg::dropUnitDims(rewriter, op, linalg::ControlDropUnitDims());
  if (succeeded(dropped))
    rewriter.replaceOp(op, dropped->replacements);
}

} // namespace mlir::rope

#endif // ROPE_UTILS_KEEPDIMREDUCTIONS_H
