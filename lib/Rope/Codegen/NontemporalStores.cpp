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

#include "Rope/IR/RopeOps.h"
#include "Rope/Codegen/Passes.h"
#include "Rope/Utils/Views.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/MathExtras.h"

#include <numeric>

namespace mlir::rope {
#define GEN_PASS_DEF_ROPENONTEMPORALSTORES
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using rope::viewRoot;
using rope::viewSource;

namespace {
constexpr int64_t kLine = 64;

/// Divisibility by a line is all that matters, so divisors are kept as
/// their gcd with the line size (which also keeps the products small).
int64_t lineGcd(int64_t a, int64_t b = 1) {
  return std::gcd(std::gcd(a, kLine) * std::gcd(b, kLine), kLine);
}

/// Whether `index * stride` elements of `eltBytes` is a multiple of a line,
/// for a stride known to be a multiple of `strideDivisor`.
bool lineMultiple(OpFoldResult index, int64_t strideDivisor, int64_t eltBytes) {
  int64_t factor = 1; // a dynamic index can be anything
  // The index modulo a line decides, and negates safely (INT64_MIN: fuzzer).
  if (std::optional<int64_t> c = getConstantIntValue(index)) {
    int64_t rest = *c % kLine;
    factor = rest == 0 ? kLine : lineGcd(rest < 0 ? -rest : rest);
  }
  return (factor * strideDivisor * eltBytes) % kLine == 0;
}

/// A number each stride of `view` is a multiple of (as a gcd with the line
/// size), from its static strides or, where they are dynamic (HF's
/// [B, H, S, D] with a dynamic S), from the static sizes they are products
/// of in the row-major buffer the view comes from.
std::optional<SmallVector<int64_t>> strideDivisors(Value view) {
  auto type = dyn_cast<MemRefType>(view.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || failed(type.getStridesAndOffset(strides, offset)))
    return std::nullopt;
  auto sizeGcd = [&](int64_t dim) {
    return type.isDynamicDim(dim) ? 1 : lineGcd(type.getDimSize(dim));
  };
  std::optional<SmallVector<int64_t>> divisors;
  if (auto sub = view.getDefiningOp<memref::SubViewOp>()) {
    std::optional<SmallVector<int64_t>> src = strideDivisors(sub.getSource());
    if (!src)
      return std::nullopt;
    llvm::SmallBitVector dropped = sub.getDroppedDims();
    divisors.emplace();
    for (auto [d, step] : llvm::enumerate(sub.getStaticStrides()))
      if (!dropped.test(d))
        divisors->push_back(lineGcd((*src)[d], ShapedType::isDynamic(step) ? 1 : step));
  } else if (auto expand = view.getDefiningOp<memref::ExpandShapeOp>()) {
    std::optional<SmallVector<int64_t>> src = strideDivisors(expand.getSrc());
    if (!src)
      return std::nullopt;
    divisors.emplace(type.getRank(), 1);
    for (auto [d, group] : llvm::enumerate(expand.getReassociationIndices())) {
      int64_t inner = 1; // static sizes of the group's later dims
      for (int64_t r : llvm::reverse(group)) {
        (*divisors)[r] = lineGcd((*src)[d], inner);
        inner = lineGcd(inner, sizeGcd(r));
      }
    }
  } else if (auto collapse = view.getDefiningOp<memref::CollapseShapeOp>()) {
    std::optional<SmallVector<int64_t>> src = strideDivisors(collapse.getSrc());
    if (!src)
      return std::nullopt;
    // The merged stride is that of the group's last dim of size other than
    // 1 (unit dims may carry any stride); any dim not statically 1 may be
    // that one, so take what they all share.
    auto srcType = cast<MemRefType>(collapse.getSrc().getType());
    divisors.emplace();
    for (const ReassociationIndices &group : collapse.getReassociationIndices()) {
      int64_t shared = 0;
      for (int64_t d : group)
        if (srcType.getDimSize(d) != 1)
          shared = std::gcd(shared, (*src)[d]);
      divisors->push_back(shared == 0 ? 1 : shared);
    }
  } else {
    // The buffer itself: row-major strides are products of later sizes.
    if (!type.getLayout().isIdentity())
      return std::nullopt;
    divisors.emplace(type.getRank(), 1);
    int64_t inner = 1;
    for (int64_t d = type.getRank() - 1; d >= 0; --d) {
      (*divisors)[d] = inner;
      inner = lineGcd(inner, sizeGcd(d));
    }
  }
  // Static strides are known exactly.
  for (auto [divisor, stride] : llvm::zip_equal(*divisors, strides))
    if (!ShapedType::isDynamic(stride))
      divisor = lineGcd(stride);
  return divisors;
}

/// Follows the views under `view` (indexed by `indices`; none for a view
/// whose offset is its source's) to the buffer they come from, checking
/// that every offset on the way is a whole number of lines. Returns that
/// buffer, or null.
Value alignedRoot(Value view, ArrayRef<OpFoldResult> indices, int64_t eltBytes) {
  std::optional<SmallVector<int64_t>> divisors = strideDivisors(view);
  if (!divisors)
    return nullptr;
  if (!indices.empty())
    for (auto [index, divisor] : llvm::zip_equal(indices, *divisors))
      if (!lineMultiple(index, divisor, eltBytes))
        return nullptr;
  // Only a subview moves the offset; reshapes keep their source's.
  if (auto sub = view.getDefiningOp<memref::SubViewOp>())
    return alignedRoot(sub.getSource(), sub.getMixedOffsets(), eltBytes);
  if (Value source = viewSource(view))
    return alignedRoot(source, {}, eltBytes);
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
  std::optional<arith::RoundingMode> mode = trunc.getRoundingmode();
  if (mode && *mode != arith::RoundingMode::to_nearest_even)
    return nullptr;
  return trunc;
}

/// The buffer a write streams into, when it can: a whole number of lines
/// at a line-aligned offset of f32, f16 or bf16. bf16 rounded from f32 here
/// is rounded again on its bits when streamed, so that after instcombine
/// LLVM stores i16 data (its X86 backend drops the non-temporal hint on bf16
/// and f16 vectors; without instcombine the store is only not streamed).
/// Other bf16 (a copy's) and f16 stay as they are: on x86,
/// `rope-x86-nontemporal-vector-stores` streams them, elsewhere they may be
/// stored ordinarily.
Value streamableRoot(vector::TransferWriteOp write) {
  auto vecType = write.getVectorType();
  Type elt = vecType.getElementType();
  // vector.store writes contiguous elements, of the buffer's own type (a
  // transfer may write f16 lanes into bf16 memory: fuzzer).
  if (!rope::isContiguousRowTransfer(write) || !(elt.isF32() || elt.isF16() || elt.isBF16()) ||
      elt != getElementTypeOrSelf(write.getBase().getType()))
    return nullptr;
  int64_t eltBytes = elt.getIntOrFloatBitWidth() / 8, bytes = 0;
  // A vector of 2^62 lanes (fuzzer) has no byte count in int64_t.
  if (llvm::MulOverflow(vecType.getNumElements(), eltBytes, bytes) || bytes % kLine != 0)
    return nullptr;
  SmallVector<OpFoldResult> indices = getAsOpFoldResult(write.getIndices());
  return alignedRoot(write.getBase(), indices, eltBytes);
}

Value cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// f32 -> bf16 rounding to nearest even on the bits (quiet NaNs stay NaN),
/// returned as bf16 whose producer is an integer vector. IEEE-exact, also
/// for subnormal results, which a conversion instruction that flushes
/// denormals (as the ordinary path may compile to) would zero.
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
      getOperation()->emitError("rope-codegen-nontemporal-stores: min-bytes must be >= 0");
      return signalPassFailure();
    }
    // Outermost loops (token loops) and the writes in them that can stream.
    llvm::MapVector<Operation *, SmallVector<Value>> loops;
    getOperation()->walk([&](vector::TransferWriteOp write) {
      Value root = streamableRoot(write);
      Operation *loop = rope::outermostLoop(write);
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
      // Unknown reads (a call) or reads of memory not named: any root.
      rope::ReadRoots read = rope::readRoots(loop);
      if (read.unknown || read.unnamed)
        roots.clear();
      llvm::erase_if(roots, [&](Value root) { return read.roots.contains(root); });
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
    // Streaming stores are weakly ordered: each thread fences its own before
    // anything that follows. Parallel loops fence per chunk of iterations
    // (a fence per token cost a third of the gain), sequential ones after.
    if (auto forall = dyn_cast<scf::ForallOp>(streaming)) {
      if (forall.getRank() == 1 && forall.isNormalized() && forall.getOutputs().empty()) {
        fenceInChunks(forall);
      } else {
        OpBuilder inBody = OpBuilder::atBlockTerminator(forall.getBody());
        rope::StreamFenceOp::create(inBody, loc);
      }
    } else if (auto parallel = dyn_cast<scf::ParallelOp>(streaming)) {
      OpBuilder inBody = OpBuilder::atBlockTerminator(parallel.getBody());
      rope::StreamFenceOp::create(inBody, loc);
    } else {
      rope::StreamFenceOp::create(b, loc);
    }
  }

  /// scf.forall (%i) in (%n) { body } ->
  /// scf.forall (%c) in (ceil(n / k)) {
  ///   scf.for %i = %c * k to min(%c * k + k, %n) { body }
  ///   rope.stream_fence }
  static void fenceInChunks(scf::ForallOp forall) {
    constexpr int64_t kChunk = 16;
    Location loc = forall.getLoc();
    OpBuilder b(forall);
    Value n = getValueOrCreateConstantIndexOp(b, loc, forall.getMixedUpperBound()[0]);
    Value chunk = cst(b, loc, kChunk);
    Value chunks = arith::CeilDivUIOp::create(b, loc, n, chunk);
    auto chunked = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{chunks}, ValueRange{},
                                         forall.getMapping());
    b.setInsertionPointToStart(chunked.getBody());
    Value lo = arith::MulIOp::create(b, loc, chunked.getInductionVar(0), chunk);
    Value hi = arith::MinUIOp::create(b, loc, arith::AddIOp::create(b, loc, lo, chunk), n);
    auto inner = scf::ForOp::create(b, loc, lo, hi, cst(b, loc, 1));
    rope::StreamFenceOp::create(b, loc);
    Block *body = forall.getBody();
    body->getArgument(0).replaceAllUsesWith(inner.getInductionVar());
    inner.getBody()->getOperations().splice(inner.getBody()->begin(), body->getOperations(),
                                            body->begin(), std::prev(body->end()));
    forall.erase();
  }

  void stream(vector::TransferWriteOp write) {
    OpBuilder b(write);
    Value value = write.getVector();
    arith::TruncFOp rounded =
        getElementTypeOrSelf(value.getType()).isBF16() ? roundedFromF32(value) : nullptr;
    if (rounded && !keepBF16TruncF) {
      Value f32 = rounded.getIn();
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
