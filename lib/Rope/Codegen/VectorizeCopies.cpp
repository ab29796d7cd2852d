//===- VectorizeCopies.cpp - strided memref.copy as vector loops ----------===//
//
// MemRefToLLVM lowers a memref.copy to llvm.memcpy only when both sides are
// contiguous by type (identity layout, or static and row-major); any other
// copy becomes a call to libmlir_c_runner_utils' `memrefCopy`, which moves
// one element per memcpy call. Bufferization makes such copies wherever a
// value is written into a slice of a larger buffer that nothing computed in
// place: v into a KV cache at `[start, 0, 0] [tokens, H, D]` is the common
// one. Here they become loop nests of vector transfers that the later passes
// stream, prefetch and thread as any other loop.
//
//===----------------------------------------------------------------------===//

#include "Rope/Codegen/Passes.h"
#include "Rope/Utils/VectorRows.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEVECTORIZECOPIES
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
/// Whether MemRefToLLVM copies a memref of `type` (on both sides) with
/// llvm.memcpy.
bool copiedByMemcpy(MemRefType type) {
  return type.getLayout().isIdentity() || memref::isStaticShapeAndContiguousRowMajor(type);
}

/// Whether the innermost dim of `type` has a static unit stride.
bool unitInnerStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) && strides.back() == 1;
}

/// The size of dim `d` of a copy between `a` and `b` (whose shapes are
/// compatible), static when either side's is.
int64_t staticSize(MemRefType a, MemRefType b, int64_t d) {
  return ShapedType::isDynamic(a.getDimSize(d)) ? b.getDimSize(d) : a.getDimSize(d);
}

/// The bytes of an element of `type`, or 0 where it is not a whole number
/// of bytes (i1: a byte per element in memory, a bit per lane in an LLVM
/// vector).
int64_t elementBytes(Type type) {
  if (auto complex = dyn_cast<ComplexType>(type))
    return 2 * elementBytes(complex.getElementType());
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.isScalable() ? 0 : vector.getNumElements() * elementBytes(vector.getElementType());
  if (type.isIndex())
    return 8;
  if (type.isIntOrFloat() && type.getIntOrFloatBitWidth() % 8 == 0)
    return type.getIntOrFloatBitWidth() / 8;
  return 0;
}

/// The lanes of the 1-D vectors that copy the innermost dim: its size, or
/// the largest divisor of it up to kMaxVectorElements; 0 when that dim is copied
/// element by element (dynamic, strided, or elements no vector holds
/// byte for byte: a vector of i1 is bit-packed, a memref of i1 is not).
int64_t innerLanes(MemRefType src, MemRefType dst) {
  int64_t n = staticSize(src, dst, src.getRank() - 1);
  Type elt = src.getElementType();
  if (ShapedType::isDynamic(n) || n == 0 || !VectorType::isValidElementType(elt) ||
      isa<VectorType>(elt) || elementBytes(elt) == 0 || !unitInnerStride(src) ||
      !unitInnerStride(dst))
    return 0;
  return rope::largestDivisorAtMost(n, rope::kMaxVectorElements);
}

struct RopeVectorizeCopiesPass
    : public rope::impl::RopeVectorizeCopiesBase<RopeVectorizeCopiesPass> {
  using Base::Base;

  void runOnOperation() override {
    if (minParallelBytes < 0) {
      getOperation()->emitError("rope-codegen-vectorize-copies: min-parallel-bytes must be >= 0");
      return signalPassFailure();
    }
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp copy) {
      auto src = dyn_cast<MemRefType>(copy.getSource().getType());
      auto dst = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (src && dst && src.getRank() > 0 && !(copiedByMemcpy(src) && copiedByMemcpy(dst)))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies)
      lower(copy);
  }

  /// Replaces `copy` by its loop nest (two, under an scf.if on its size,
  /// when the parallel one is taken only for large copies).
  void lower(memref::CopyOp copy) {
    auto src = cast<MemRefType>(copy.getSource().getType());
    auto dst = cast<MemRefType>(copy.getTarget().getType());
    OpBuilder b(copy);
    Location loc = copy.getLoc();
    int64_t rank = src.getRank();
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = staticSize(src, dst, d);
      sizes.push_back(ShapedType::isDynamic(size)
                          ? OpFoldResult(memref::DimOp::create(b, loc, copy.getSource(), d).getResult())
                          : OpFoldResult(b.getIndexAttr(size)));
    }
    int64_t lanes = innerLanes(src, dst);
    // The innermost dim stays in each thread: its vectors are the unit of
    // work. A copy already on threads (in a parallel loop) stays serial.
    bool threaded = parallel && !copy->getParentOfType<scf::ForallOp>() &&
                    !copy->getParentOfType<scf::ParallelOp>();
    int64_t parallelDim = -1;
    for (int64_t d = 0; threaded && d + 1 < rank && parallelDim < 0; ++d)
      if (!isConstantIntValue(sizes[d], 1))
        parallelDim = d;
    // Only to weigh the copy against min-parallel-bytes (a sub-byte element
    // counts as a byte).
    int64_t eltBytes = std::max<int64_t>(elementBytes(src.getElementType()), 1);

    auto nest = [&](int64_t threadedDim) {
      SmallVector<Value> ivs;
      buildNest(b, loc, copy.getSource(), copy.getTarget(), sizes, lanes, threadedDim, ivs);
    };
    if (parallelDim < 0) {
      nest(-1);
    } else if (std::optional<int64_t> bytes = staticBytes(sizes, eltBytes)) {
      nest(*bytes >= minParallelBytes ? parallelDim : -1);
    } else {
      Value bytesValue = arith::ConstantIndexOp::create(b, loc, eltBytes);
      for (OpFoldResult size : sizes)
        bytesValue = arith::MulIOp::create(b, loc, bytesValue,
                                           getValueOrCreateConstantIndexOp(b, loc, size));
      Value large = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, bytesValue,
                                          arith::ConstantIndexOp::create(b, loc, minParallelBytes));
      auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, large, /*withElseRegion=*/true);
      b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      nest(parallelDim);
      b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
      nest(-1);
    }
    copy.erase();
  }

  /// The bytes a copy of static `sizes` moves (saturating), or none when a
  /// size is dynamic.
  static std::optional<int64_t> staticBytes(ArrayRef<OpFoldResult> sizes, int64_t eltBytes) {
    int64_t bytes = eltBytes;
    for (OpFoldResult size : sizes) {
      std::optional<int64_t> n = getConstantIntValue(size);
      if (!n)
        return std::nullopt;
      if (llvm::MulOverflow(bytes, *n, bytes))
        return std::numeric_limits<int64_t>::max();
    }
    return bytes;
  }

  /// Emits the loops over dims ivs.size() .. rank-2 (dim `threadedDim` an
  /// scf.forall, the others of size other than 1 scf.for), then the
  /// innermost dim's copy.
  static void buildNest(OpBuilder &b, Location loc, Value src, Value dst,
                        ArrayRef<OpFoldResult> sizes, int64_t lanes, int64_t threadedDim,
                        SmallVector<Value> &ivs) {
    OpBuilder::InsertionGuard guard(b);
    int64_t d = ivs.size();
    if (d + 1 == static_cast<int64_t>(sizes.size()))
      return copyInnermost(b, loc, src, dst, sizes.back(), lanes, ivs);
    // A unit dim needs no loop.
    if (isConstantIntValue(sizes[d], 1)) {
      ivs.push_back(arith::ConstantIndexOp::create(b, loc, 0));
      buildNest(b, loc, src, dst, sizes, lanes, threadedDim, ivs);
      ivs.pop_back();
      return;
    }
    Block *body;
    if (d == threadedDim) {
      auto forall =
          scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{sizes[d]}, ValueRange{}, std::nullopt);
      body = forall.getBody();
      ivs.push_back(forall.getInductionVar(0));
    } else {
      auto loop = scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                                     getValueOrCreateConstantIndexOp(b, loc, sizes[d]),
                                     arith::ConstantIndexOp::create(b, loc, 1));
      body = loop.getBody();
      ivs.push_back(loop.getInductionVar());
    }
    b.setInsertionPointToStart(body);
    buildNest(b, loc, src, dst, sizes, lanes, threadedDim, ivs);
    ivs.pop_back();
  }

  /// Copies the innermost dim at `outer`: whole `lanes`-wide vectors, or
  /// element by element when lanes is 0.
  static void copyInnermost(OpBuilder &b, Location loc, Value src, Value dst, OpFoldResult size,
                            int64_t lanes, ArrayRef<Value> outer) {
    auto at = [&](Value inner) {
      SmallVector<Value> indices(outer);
      indices.push_back(inner);
      return indices;
    };
    int64_t n = getConstantIntValue(size).value_or(ShapedType::kDynamic);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    if (lanes == 0 || lanes < n) {
      auto loop = scf::ForOp::create(b, loc, zero, getValueOrCreateConstantIndexOp(b, loc, size),
                                     arith::ConstantIndexOp::create(b, loc, lanes ? lanes : 1));
      b.setInsertionPointToStart(loop.getBody());
      zero = loop.getInductionVar();
    }
    SmallVector<Value> indices = at(zero);
    if (lanes == 0) {
      Value element = memref::LoadOp::create(b, loc, src, indices);
      memref::StoreOp::create(b, loc, element, dst, indices);
      return;
    }
    auto type = VectorType::get({lanes}, cast<MemRefType>(src.getType()).getElementType());
    SmallVector<bool> inBounds = {true};
    Value vector = vector::TransferReadOp::create(b, loc, type, src, indices,
                                                  /*padding=*/std::nullopt, inBounds);
    vector::TransferWriteOp::create(b, loc, vector, dst, indices, inBounds);
  }
};
} // namespace
