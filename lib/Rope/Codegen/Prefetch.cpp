//===- Prefetch.cpp - prefetch streamed rows a fixed distance ahead -------===//
//
// Between two loads of a rotation kernel sit conversions, multiplies and,
// once per token, the trig; a copy has nothing. The out-of-order core then
// has fewer loads in its window, so fewer lines in flight from memory, and
// in place (where a line is read and written back, and no store-side fill
// overlaps the reads) that shows as a lower rate than a copy's. Software
// prefetches a fixed number of bytes ahead of each read bring the lines in
// without waiting on the work in between. Out of place, each output line is
// first read for ownership by the store that writes it; a write prefetch
// the same distance ahead starts that read early. Loops that stream their
// outputs past the caches prefetch their inputs into L2 only, leaving the
// fill buffers the streaming stores also use to them.
//
//===----------------------------------------------------------------------===//

#include "Rope/Codegen/Passes.h"
#include "Rope/Utils/Views.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/Sequence.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEPREFETCH
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
constexpr int64_t kLine = 64;
/// Vectors past this many bytes get no prefetches: above the largest that
/// rope-codegen-vectorize makes (512 lanes of f32 or f64), far below a hand-written
/// vector whose prefetches would not end.
constexpr int64_t kMaxPrefetchedVectorBytes = 4096;
/// Far beyond any useful distance, and small enough that index arithmetic
/// cannot overflow.
constexpr int64_t kMaxDistance = int64_t(1) << 30;
/// Arguments of at most this many bytes stay in L1 once read.
constexpr int64_t kSmallArgumentBytes = 4096;

/// A function argument seen as one flat run of elements, and the index of
/// its last element (prefetch indices are clamped to it).
struct FlatBuffer {
  Value flat;
  Value last;
};

/// The bytes of a static memref type, or 0.
int64_t staticBytes(Type type) {
  auto memref = cast<MemRefType>(type);
  if (!memref.hasStaticShape() || memref.getElementTypeBitWidth() % 8 != 0)
    return 0;
  int64_t bytes = memref.getElementTypeBitWidth() / 8;
  for (int64_t size : memref.getShape())
    if (llvm::MulOverflow(bytes, size, bytes))
      return 0;
  return bytes;
}

/// The row-major function argument `xfer` reads or writes through views,
/// when it is a plain 1-D in-bounds transfer of contiguous elements inside a
/// loop; else null.
BlockArgument streamedArgument(VectorTransferOpInterface xfer, Block &entry) {
  auto vecType = xfer.getVectorType();
  if (!rope::isContiguousRowTransfer(xfer) || !vecType.getElementType().isIntOrFloat() ||
      xfer.getShapedType().getElementType() != vecType.getElementType() ||
      vecType.getElementTypeBitWidth() % 8 != 0)
    return nullptr;
  if (!xfer->getParentOfType<LoopLikeOpInterface>())
    return nullptr;
  auto arg = dyn_cast<BlockArgument>(rope::viewRoot(xfer.getBase()));
  if (!arg || arg.getOwner() != &entry)
    return nullptr;
  auto argType = dyn_cast<MemRefType>(arg.getType());
  if (!argType || argType.getRank() == 0 || !argType.getLayout().isIdentity())
    return nullptr;
  // A small argument of static size (a norm's weight) is read again by
  // every iteration and stays in L1: its prefetches would only cost.
  if (int64_t bytes = staticBytes(argType); bytes > 0 && bytes <= kSmallArgumentBytes)
    return nullptr;
  return arg;
}

/// The bytes one run of `loop` reads through `reads` (transfers directly in
/// its body): their vectors times its static trip count; 0 when that count
/// is not static.
int64_t bytesPerRun(scf::ForOp loop, ArrayRef<VectorTransferOpInterface> reads) {
  std::optional<int64_t> lo = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> hi = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lo || !hi || !step || *step <= 0 || *hi <= *lo)
    return 0;
  int64_t span = 0, bytes = 0;
  if (llvm::SubOverflow(*hi, *lo, span))
    return 0;
  int64_t trips = llvm::divideCeil(span, *step);
  for (VectorTransferOpInterface read : reads) {
    auto type = read.getVectorType();
    int64_t readBytes = 0;
    if (llvm::MulOverflow(type.getNumElements(), int64_t(type.getElementTypeBitWidth() / 8),
                          readBytes) ||
        llvm::MulOverflow(readBytes, trips, readBytes) ||
        llvm::AddOverflow(bytes, readBytes, bytes))
      return 0;
  }
  return bytes;
}

/// The first subview on the way from `view` to its buffer (a token's rows
/// of a function argument), or null.
Value bufferSubview(Value view) {
  Value found;
  for (Value source = rope::viewSource(view); source;
       view = source, source = rope::viewSource(view))
    if (isa<memref::SubViewOp>(view.getDefiningOp()))
      found = view;
  return found;
}

/// Whether the outermost loop around `op` writes with non-temporal stores
/// (a token loop `rope-codegen-nontemporal-stores` made streaming).
bool inStreamingLoop(Operation *op, llvm::DenseMap<Operation *, bool> &known) {
  Operation *outer = rope::outermostLoop(op);
  if (!outer)
    return false;
  auto [it, inserted] = known.try_emplace(outer, false);
  if (inserted)
    it->second = outer->walk([](vector::StoreOp store) {
                        return store.getNontemporal() ? WalkResult::interrupt()
                                                      : WalkResult::advance();
                      }).wasInterrupted();
  return it->second;
}

FlatBuffer flatten(BlockArgument arg, OpBuilder &b) {
  Location loc = arg.getLoc();
  auto type = cast<MemRefType>(arg.getType());
  Value flat = arg;
  if (type.getRank() > 1) {
    ReassociationIndices all = llvm::to_vector<2>(llvm::seq<int64_t>(0, type.getRank()));
    flat = memref::CollapseShapeOp::create(b, loc, arg, ArrayRef<ReassociationIndices>{all});
  }
  Value size = memref::DimOp::create(b, loc, flat, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  return {flat, arith::SubIOp::create(b, loc, size, one)};
}

struct RopePrefetchPass : rope::impl::RopePrefetchBase<RopePrefetchPass> {
  using Base::Base;

  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    if (distanceBytes < 0 || distanceBytes > kMaxDistance) {
      func->emitError("rope-codegen-prefetch: distance-bytes must be between 0 and 2^30");
      return signalPassFailure();
    }
    if (distanceBytes == 0 || func.isExternal())
      return;
    Block &entry = func.getFunctionBody().front();
    struct Stream {
      VectorTransferOpInterface xfer;
      BlockArgument arg;
      bool isWrite;
      int64_t distance;
    };
    SmallVector<Stream> streams;
    // Reads of one argument, per outermost loop, grouped by the loop
    // directly around them (in program order).
    llvm::MapVector<std::pair<Operation *, Value>,
                    llvm::MapVector<Operation *, SmallVector<VectorTransferOpInterface>>>
        readsByLoop;
    func.walk([&](vector::TransferReadOp read) {
      BlockArgument arg = streamedArgument(read, entry);
      if (!arg)
        return;
      readsByLoop[{rope::outermostLoop(read), arg}][read->getParentOp()].push_back(read);
    });
    // An argument whose rows one loop of an outer iteration reads whole and
    // later loops read again (a norm's sum of squares over a token's rows,
    // then its scale over the same rows): with the reduction's work between
    // a prefetch and its use, these loops prefetch a whole run of the first
    // ahead, the next iteration's rows (fused QK-norm + RoPE + KV write,
    // 4096 tokens, one thread: f32 11.2 -> 8.6 ms, bf16 7.6 -> 6.9 ms; the
    // same distance everywhere slowed the rope-only kernels by a third).
    for (auto &[key, loops] : readsByLoop) {
      auto &[firstLoop, firstReads] = loops.front();
      Value rows = bufferSubview(firstReads.front().getBase());
      auto readsOnlyRows = [&](ArrayRef<VectorTransferOpInterface> reads) {
        return rows && llvm::all_of(reads, [&](VectorTransferOpInterface read) {
                 return bufferSubview(read.getBase()) == rows;
               });
      };
      auto first = dyn_cast<scf::ForOp>(firstLoop);
      int64_t run = first && readsOnlyRows(firstReads) ? bytesPerRun(first, firstReads) : 0;
      // Only rows the first loop reads whole and a later loop reads again.
      if (run > 0 && (run != staticBytes(rows.getType()) ||
                      llvm::none_of(llvm::drop_begin(loops), [&](auto &entryLoop) {
                        return readsOnlyRows(entryLoop.second);
                      })))
        run = 0;
      for (auto &[loop, reads] : loops) {
        int64_t distance = run > 0 && readsOnlyRows(reads)
                               ? std::min(std::max<int64_t>(distanceBytes, run), kMaxDistance)
                               : int64_t(distanceBytes);
        for (VectorTransferOpInterface read : reads)
          streams.push_back({read, cast<BlockArgument>(key.second), false, distance});
      }
    }
    // Outputs the function does not also read (in place, the read's
    // prefetch already brings the line; a second one only costs). A fence
    // reads no particular memory; an op of unknown effects might read any.
    if (prefetchOutputs) {
      rope::ReadRoots read = rope::readRoots(func);
      if (!read.unknown)
        func.walk([&](vector::TransferWriteOp write) {
          BlockArgument arg = streamedArgument(write, entry);
          if (arg && !read.roots.contains(arg))
            streams.push_back({write, arg, true, distanceBytes});
        });
    }
    llvm::DenseMap<Value, FlatBuffer> flats;
    llvm::DenseMap<Operation *, bool> streamingLoops;
    OpBuilder entryBuilder = OpBuilder::atBlockBegin(&entry);
    for (const Stream &stream : streams) {
      auto [it, inserted] = flats.try_emplace(stream.arg);
      if (inserted)
        it->second = flatten(stream.arg, entryBuilder);
      bool toL2 = !stream.isWrite && inStreamingLoop(stream.xfer, streamingLoops);
      emitPrefetches(stream.xfer, it->second, stream.isWrite, /*locality=*/toL2 ? 2 : 3,
                     stream.distance);
    }
  }

  /// One prefetch per line of the vector, `distanceBytes` past the
  /// transfer's elements in the flat buffer. The argument has an identity
  /// layout (offset 0), so a view's offset is its distance from the first
  /// element.
  void emitPrefetches(VectorTransferOpInterface xfer, const FlatBuffer &buffer, bool isWrite,
                      unsigned locality, int64_t distance) {
    auto vecType = xfer.getVectorType();
    int64_t eltBytes = vecType.getElementTypeBitWidth() / 8;
    // Only vectors of whole bytes that fit a few registers: a sub-byte
    // element has no byte distance, and a hand-written vector of 2^32 lanes
    // would take 2^28 prefetches (and overflow the byte count).
    if (eltBytes == 0 || vecType.isScalable() ||
        vecType.getNumElements() > kMaxPrefetchedVectorBytes / eltBytes)
      return;
    OpBuilder b(xfer);
    Location loc = xfer.getLoc();
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, xfer.getBase());
    Value linear = meta.getOffset();
    for (auto [index, stride] : llvm::zip_equal(xfer.getIndices(), meta.getStrides()))
      linear = b.createOrFold<arith::AddIOp>(loc, linear,
                                             b.createOrFold<arith::MulIOp>(loc, index, stride));
    int64_t vecBytes = vecType.getNumElements() * eltBytes;
    for (int64_t line = 0; line * kLine < vecBytes; ++line) {
      int64_t ahead = (distance + line * kLine) / eltBytes;
      Value index = arith::AddIOp::create(b, loc, linear, arith::ConstantIndexOp::create(b, loc, ahead));
      index = arith::MinSIOp::create(b, loc, index, buffer.last);
      memref::PrefetchOp::create(b, loc, buffer.flat, index, isWrite, locality,
                                 /*isDataCache=*/true);
    }
  }
};
} // namespace
