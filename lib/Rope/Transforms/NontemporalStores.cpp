//===- NontemporalStores.cpp - stream large outputs past the caches -------===//
//
// A kernel that writes an output much larger than the caches pays for every
// line twice with ordinary stores: the line is read (write-allocate) before
// it is written. Non-temporal stores write whole lines without reading them.
// They need 64-byte aligned addresses and are slower when the output would
// have stayed in cache, so each token loop whose vector stores are provably
// 64-byte aligned relative to their buffers is versioned on the buffers'
// run-time alignment and total size.
//
//===----------------------------------------------------------------------===//

#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallBitVector.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPENONTEMPORALSTORES
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
constexpr int64_t kLine = 64;

/// Whether `index * stride` elements of `eltBytes` is a multiple of a line,
/// for a stride known to be a multiple of `strideDivisor`.
bool lineMultiple(OpFoldResult index, int64_t strideDivisor, int64_t eltBytes) {
  if (std::optional<int64_t> c = getConstantIntValue(index))
    return (*c * strideDivisor * eltBytes) % kLine == 0;
  return (strideDivisor * eltBytes) % kLine == 0;
}

/// A number each stride of `view` is a multiple of, from its static strides
/// or, where they are dynamic (HF's [B, H, S, D] with a dynamic S), from the
/// static sizes they are products of in the buffer the view comes from.
std::optional<SmallVector<int64_t>> strideDivisors(Value view) {
  auto type = dyn_cast<MemRefType>(view.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || failed(type.getStridesAndOffset(strides, offset)))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> divisors;
  if (auto sub = view.getDefiningOp<memref::SubViewOp>()) {
    std::optional<SmallVector<int64_t>> src = strideDivisors(sub.getSource());
    if (!src)
      return std::nullopt;
    llvm::SmallBitVector dropped = sub.getDroppedDims();
    divisors.emplace();
    for (auto [d, step] : llvm::enumerate(sub.getStaticStrides()))
      if (!dropped.test(d))
        divisors->push_back((*src)[d] * (ShapedType::isDynamic(step) ? 1 : step));
  } else if (auto expand = view.getDefiningOp<memref::ExpandShapeOp>()) {
    std::optional<SmallVector<int64_t>> src = strideDivisors(expand.getSrc());
    if (!src)
      return std::nullopt;
    divisors.emplace(type.getRank(), 1);
    for (auto [d, group] : llvm::enumerate(expand.getReassociationIndices())) {
      int64_t inner = 1; // static sizes of the group's later dims
      for (int64_t r : llvm::reverse(group)) {
        (*divisors)[r] = (*src)[d] * inner;
        if (!type.isDynamicDim(r))
          inner *= type.getDimSize(r);
      }
    }
  } else if (auto collapse = view.getDefiningOp<memref::CollapseShapeOp>()) {
    std::optional<SmallVector<int64_t>> src = strideDivisors(collapse.getSrc());
    if (!src)
      return std::nullopt;
    divisors.emplace();
    for (const ReassociationIndices &group : collapse.getReassociationIndices())
      divisors->push_back((*src)[group.back()]);
  } else {
    // The buffer itself: row-major strides are products of later sizes.
    divisors.emplace(type.getRank(), 1);
    int64_t inner = 1;
    for (int64_t d = type.getRank() - 1; d >= 0; --d) {
      (*divisors)[d] = inner;
      if (!type.isDynamicDim(d))
        inner *= type.getDimSize(d);
    }
    if (!type.getLayout().isIdentity())
      return std::nullopt;
  }
  // Static strides are known exactly.
  for (auto [divisor, stride] : llvm::zip_equal(*divisors, strides))
    if (!ShapedType::isDynamic(stride))
      divisor = stride;
  return divisors;
}

/// Follows the views under `view` (indexed by `indices`) to the buffer they
/// come from, checking that every offset on the way is a whole number of
/// lines. Returns that buffer, or null.
Value alignedRoot(Value view, ArrayRef<OpFoldResult> indices, int64_t eltBytes) {
  std::optional<SmallVector<int64_t>> divisors = strideDivisors(view);
  if (!divisors)
    return nullptr;
  if (!indices.empty())
    for (auto [index, divisor] : llvm::zip_equal(indices, *divisors))
      if (!lineMultiple(index, divisor, eltBytes))
        return nullptr;
  if (auto sub = view.getDefiningOp<memref::SubViewOp>())
    return alignedRoot(sub.getSource(), sub.getMixedOffsets(), eltBytes);
  if (auto expand = view.getDefiningOp<memref::ExpandShapeOp>())
    return alignedRoot(expand.getSrc(), {}, eltBytes);
  if (auto collapse = view.getDefiningOp<memref::CollapseShapeOp>())
    return alignedRoot(collapse.getSrc(), {}, eltBytes);
  // A row-major buffer from outside every loop: its data starts at its
  // aligned pointer, which is checked at run time.
  Operation *scope = view.getParentRegion()->getParentOp();
  if (isa<LoopLikeOpInterface>(scope) || scope->getParentOfType<LoopLikeOpInterface>())
    return nullptr;
  return view;
}

/// The f32 -> bf16 rounding that produced `value` (directly, or one row of
/// it taken by a static vector.extract).
arith::TruncFOp roundedFromF32(Value value) {
  if (auto extract = value.getDefiningOp<vector::ExtractOp>()) {
    if (!extract.getDynamicPosition().empty())
      return nullptr;
    value = extract.getSource();
  }
  auto trunc = value.getDefiningOp<arith::TruncFOp>();
  if (!trunc || !getElementTypeOrSelf(trunc.getIn().getType()).isF32())
    return nullptr;
  return trunc;
}

/// The buffer a write streams into, when it can: a whole number of lines
/// at a line-aligned offset, f32, or bf16 rounded from f32 here (its bits
/// are then stored as integers: LLVM's X86 backend drops the non-temporal
/// hint on bf16 and f16 vectors).
Value streamableRoot(vector::TransferWriteOp write) {
  auto vecType = write.getVectorType();
  Type elt = vecType.getElementType();
  if (vecType.getRank() != 1 || write.getMask() || write.hasOutOfBoundsDim() ||
      !write.getPermutationMap().isMinorIdentity() || !isa<MemRefType>(write.getBase().getType()))
    return nullptr;
  int64_t eltBytes = elt.getIntOrFloatBitWidth() / 8;
  if ((vecType.getNumElements() * eltBytes) % kLine != 0)
    return nullptr;
  // vector.store writes contiguous elements.
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(cast<MemRefType>(write.getBase().getType()).getStridesAndOffset(strides, offset)) ||
      strides.empty() || strides.back() != 1)
    return nullptr;
  if (elt.isBF16()) {
    if (!roundedFromF32(write.getVector()))
      return nullptr;
  } else if (!elt.isF32()) {
    return nullptr;
  }
  SmallVector<OpFoldResult> indices = getAsOpFoldResult(write.getIndices());
  return alignedRoot(write.getBase(), indices, eltBytes);
}

/// The buffer a view is taken from.
Value viewRoot(Value view) {
  while (Operation *def = view.getDefiningOp()) {
    if (!isa<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
      break;
    view = def->getOperand(0);
  }
  return view;
}

Value cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// f32 -> bf16 rounding to nearest even on the bits (quiet NaNs stay NaN),
/// returned as bf16 whose producer is an integer vector.
Value roundToBF16Bits(OpBuilder &b, Location loc, Value f32Vec) {
  auto vt = cast<VectorType>(f32Vec.getType());
  auto i32 = vt.clone(b.getI32Type());
  auto splat = [&](uint32_t v) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i32, b.getI32IntegerAttr(static_cast<int32_t>(v))));
  };
  Value bits = arith::BitcastOp::create(b, loc, i32, f32Vec);
  Value sixteen = splat(16);
  Value lsb = arith::AndIOp::create(b, loc, arith::ShRUIOp::create(b, loc, bits, sixteen),
                                    splat(1));
  Value rounded = arith::AddIOp::create(
      b, loc, arith::AddIOp::create(b, loc, bits, splat(0x7FFF)), lsb);
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, f32Vec, f32Vec);
  Value quiet = arith::OrIOp::create(b, loc, bits, splat(0x00400000));
  Value chosen = arith::SelectOp::create(b, loc, isNan, quiet, rounded);
  Value high = arith::TruncIOp::create(
      b, loc, vt.clone(b.getI16Type()), arith::ShRUIOp::create(b, loc, chosen, sixteen));
  return arith::BitcastOp::create(b, loc, vt.clone(b.getBF16Type()), high);
}

struct RopeNontemporalStoresPass
    : public rope::impl::RopeNontemporalStoresBase<RopeNontemporalStoresPass> {
  using Base::Base;

  void runOnOperation() override {
    if (minBytes < 0) {
      getOperation()->emitError("rope-nontemporal-stores: min-bytes must be >= 0");
      return signalPassFailure();
    }
    // Outermost loops (token loops) and the writes in them that can stream.
    llvm::MapVector<Operation *, SmallVector<Value>> loops;
    getOperation()->walk([&](vector::TransferWriteOp write) {
      Value root = streamableRoot(write);
      Operation *loop = nullptr;
      for (Operation *p = write->getParentOp(); p; p = p->getParentOp())
        if (isa<LoopLikeOpInterface>(p))
          loop = p;
      if (!root || !loop || loop->getNumResults() != 0)
        return;
      SmallVector<Value> &roots = loops[loop];
      if (!llvm::is_contained(roots, root))
        roots.push_back(root);
    });
    for (auto &[loop, roots] : loops) {
      // Rotating in place reads each line just before writing it: the line
      // is in cache already, and streaming it out measured slower (f32 at
      // 32768 tokens: 167 % of a copy with ordinary stores, 126 % streamed).
      loop->walk([&](Operation *op) {
        if (auto read = dyn_cast<vector::TransferReadOp>(op))
          llvm::erase(roots, viewRoot(read.getBase()));
        else if (auto load = dyn_cast<memref::LoadOp>(op))
          llvm::erase(roots, viewRoot(load.getMemref()));
        else if (auto load = dyn_cast<vector::LoadOp>(op))
          llvm::erase(roots, viewRoot(load.getBase()));
      });
      if (!roots.empty())
        version(loop, roots);
    }
  }

  /// if (outputs aligned and large) { copy of `loop` with streaming stores }
  /// else { `loop` }.
  void version(Operation *loop, ArrayRef<Value> roots) {
    Location loc = loop->getLoc();
    OpBuilder b(loop);
    Value zero = cst(b, loc, 0), line = cst(b, loc, kLine);
    Value aligned = arith::ConstantIntOp::create(b, loc, 1, 1);
    Value bytes = zero;
    for (Value root : roots) {
      auto type = cast<MemRefType>(root.getType());
      Value ptr = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, root);
      Value rem = arith::RemUIOp::create(b, loc, ptr, line);
      aligned = arith::AndIOp::create(
          b, loc, aligned,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rem, zero));
      Value size = cst(b, loc, type.getElementTypeBitWidth() / 8);
      for (int64_t d = 0; d < type.getRank(); ++d)
        size = arith::MulIOp::create(b, loc, size,
                                     memref::DimOp::create(b, loc, root, d));
      bytes = arith::AddIOp::create(b, loc, bytes, size);
    }
    Value large = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, bytes,
                                        cst(b, loc, minBytes));
    Value cond = arith::AndIOp::create(b, loc, aligned, large);
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, cond, /*withElseRegion=*/true);
    loop->moveBefore(ifOp.elseBlock()->getTerminator());
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    Operation *streaming = b.clone(*loop);
    streaming->walk([&](vector::TransferWriteOp write) {
      if (llvm::is_contained(roots, streamableRoot(write)))
        stream(write);
    });
    // Streaming stores are weakly ordered: fence them before anything that
    // follows (worker threads reach the OpenMP join barrier, an atomic).
    LLVM::FenceOp::create(b, loc, LLVM::AtomicOrdering::seq_cst);
  }

  void stream(vector::TransferWriteOp write) {
    OpBuilder b(write);
    Value value = write.getVector();
    if (getElementTypeOrSelf(value.getType()).isBF16()) {
      Value f32 = roundedFromF32(value).getIn();
      if (auto extract = value.getDefiningOp<vector::ExtractOp>())
        f32 = vector::ExtractOp::create(b, write.getLoc(), f32, extract.getStaticPosition());
      value = roundToBF16Bits(b, write.getLoc(), f32);
    }
    vector::StoreOp::create(b, write.getLoc(), value, write.getBase(), write.getIndices(),
                            /*nontemporal=*/true, llvm::MaybeAlign(kLine));
    write.erase();
  }
};
} // namespace
