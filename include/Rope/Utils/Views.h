//===- Views.h - following memref views to their buffers --------*- C++ -*-===//
//
// Shared by the buffer-level passes (streaming stores, prefetch), which
// reason about where a view's elements sit in the buffer it comes from.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_UTILS_VIEWS_H
#define ROPE_UTILS_VIEWS_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/VectorInterfaces.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::rope {

/// The memref a subview, expand_shape or collapse_shape takes its view of,
/// or null for anything else.
inline Value viewSource(Value view) {
  Operation *def = view.getDefiningOp();
  if (!isa_and_present<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
    return nullptr;
  return def->getOperand(0);
}

/// The buffer a view is taken from.
inline Value viewRoot(Value view) {
  while (Value source = viewSource(view))
    view = source;
  return view;
}

/// The outermost loop around `op` inside its function, or null (the token
/// loop of the buffer-level passes).
inline Operation *outermostLoop(Operation *op) {
  Operation *outer = nullptr;
  for (Operation *p = op->getParentOp(); p && !isa<FunctionOpInterface>(p); p = p->getParentOp())
    if (isa<LoopLikeOpInterface>(p))
      outer = p;
  return outer;
}

/// Whether `xfer` moves one run of contiguous elements of a memref: a 1-D
/// vector, no mask, in bounds, minor identity map, unit innermost stride.
inline bool isContiguousRowTransfer(VectorTransferOpInterface xfer) {
  auto type = dyn_cast<MemRefType>(xfer.getShapedType());
  if (!type || xfer.getVectorType().getRank() != 1 || xfer.getMask() ||
      xfer.hasOutOfBoundsDim() || !xfer.getPermutationMap().isMinorIdentity())
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) && !strides.empty() &&
         strides.back() == 1;
}

/// What the ops nested in `scope` read: the buffers (view roots) of the
/// memory they name, whether one reads memory it does not name (a fence),
/// and whether one's effects are unknown (a call).
struct ReadRoots {
  llvm::DenseSet<Value> roots;
  bool unnamed = false;
  bool unknown = false;
};

inline ReadRoots readRoots(Operation *scope) {
  ReadRoots result;
  scope->walk([&](Operation *op) {
    if (op == scope || op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::advance();
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      result.unknown = true;
      return WalkResult::interrupt();
    }
    SmallVector<MemoryEffects::EffectInstance> reads;
    effects.getEffectsOnResource(SideEffects::DefaultResource::get(), reads);
    for (const MemoryEffects::EffectInstance &e : reads) {
      if (!isa<MemoryEffects::Read>(e.getEffect()))
        continue;
      if (e.getValue())
        result.roots.insert(viewRoot(e.getValue()));
      else
        result.unnamed = true;
    }
    return WalkResult::advance();
  });
  return result;
}

} // namespace mlir::rope

#endif // ROPE_UTILS_VIEWS_H
