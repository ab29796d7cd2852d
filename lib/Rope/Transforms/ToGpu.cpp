//===- ToGpu.cpp - rope ops to fused NVIDIA GPU kernels -------------------===//
//
// Lowers a positions-driven rope op whose operands live in caller buffers
// (bufferization.to_tensor of memrefs, results materialized into memrefs: the
// ahead-of-time entry form) to one gpu.launch:
//   - one token per block,
//   - pairs across the x dim of the block: each thread owns V consecutive
//     pairs, V = 16 bytes / element size, so both halves of its pairs move as
//     16-byte vector loads and stores,
//   - heads across the y dim (a head group per row of threads),
//   - cos/sin computed once per (token, pair), the pairs spread over all
//     threads of the block, shared through workgroup memory after a barrier,
//     and used for every q and k head of the token.
// Angles are formed and reduced modulo 2*pi in f64, as on the CPU (R5).
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPETOGPU
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {

/// Threads per block: pair groups along x, head groups along y.
constexpr int64_t kThreadsPerBlock = 128;

struct Buffers {
  SmallVector<Value> src, dst;
  Value positions;
  SmallVector<Operation *> materializations;
};

static Value bufferOf(Value tensor) {
  if (auto toTensor = tensor.getDefiningOp<bufferization::ToTensorOp>())
    return toTensor.getBuffer();
  return {};
}

static FailureOr<Buffers> getBuffers(RotateOp op) {
  Buffers b;
  b.positions = bufferOf(op.getPositions());
  if (!b.positions)
    return failure();
  for (auto [i, result] : llvm::enumerate(op.getResults())) {
    if (!result.hasOneUse())
      return failure();
    auto mat = dyn_cast<bufferization::MaterializeInDestinationOp>(*result.getUsers().begin());
    if (!mat || !isa<BaseMemRefType>(mat.getDest().getType()))
      return failure();
    b.dst.push_back(mat.getDest());
    b.materializations.push_back(mat);
    Value src = op.isInPlace() ? bufferOf(op.getInits()[i]) : bufferOf(op.getInputs()[i]);
    if (!src)
      return failure();
    b.src.push_back(src);
  }
  return b;
}

static Value cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// A private constant table in the module (copied into the GPU module when
/// the kernel is outlined).
static memref::GlobalOp makeTable(SymbolTable &symbols, ModuleOp module, Location loc,
                                  StringRef stem, DenseElementsAttr values) {
  OpBuilder b(module.getContext());
  auto type = MemRefType::get(cast<ShapedType>(values.getType()).getShape(),
                              values.getElementType());
  auto global = memref::GlobalOp::create(b, loc, stem, b.getStringAttr("private"),
                                         type, values, /*constant=*/true, IntegerAttr());
  symbols.insert(global, module.getBody()->begin()); // uniquifies the name
  return global;
}

struct RopeToGpuPass : public rope::impl::RopeToGpuBase<RopeToGpuPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<RotateOp> ops;
    module.walk([&](RotateOp op) { ops.push_back(op); });
    for (RotateOp op : ops)
      if (failed(lower(op, module, symbols)))
        return signalPassFailure();
  }

  LogicalResult lower(RotateOp op, ModuleOp module, SymbolTable &symbols) {
    if (op.getSeqLen())
      return op.emitError("rope-to-gpu: dynamic_ntk scaling is not supported on the GPU path");
    FailureOr<Buffers> buffers = getBuffers(op);
    if (failed(buffers))
      return op.emitError("rope-to-gpu: operands must be bufferization.to_tensor of "
                          "buffers and results materialized into buffers (the "
                          "ahead-of-time entry form)");
    Location loc = op.getLoc();
    OpBuilder b(op);
    Layout layout = op.getLayout();
    int64_t headDim = op.getHeadDim(), rotaryDim = op.getRotaryDim();
    int64_t p = op.getNumPairs();
    Type elt = cast<RankedTensorType>(op.getInits()[0].getType()).getElementType();
    int64_t eltBytes = elt.getIntOrFloatBitWidth() / 8;
    int64_t v = 16 / eltBytes;
    if (p % v != 0)
      v = 1;
    bool half = op.getPairing() == Pairing::half;
    int64_t threadsX = p / v;
    int64_t threadsY = std::max<int64_t>(1, kThreadsPerBlock / threadsX);

    // Per-pair constant tables: inverse frequencies (f64) and axes (i32).
    SmallVector<double> inv = op.getInverseFrequencies();
    SmallVector<int32_t> axes;
    for (int64_t a : op.getAxisOfPair())
      axes.push_back(a);
    auto invGlobal = makeTable(symbols, module, loc, "__rope_inv_freq",
        DenseElementsAttr::get(RankedTensorType::get({p}, b.getF64Type()), ArrayRef<double>(inv)));
    auto axisGlobal = makeTable(symbols, module, loc, "__rope_axis",
        DenseElementsAttr::get(RankedTensorType::get({p}, b.getI32Type()), ArrayRef<int32_t>(axes)));

    // Token count and sizes, outside the kernel.
    Value dst0 = buffers->dst[0];
    SmallVector<int64_t> tokenDims = getTokenDims(layout);
    SmallVector<Value> tokenSizes;
    Value tokens = cst(b, loc, 1);
    for (int64_t d : tokenDims) {
      tokenSizes.push_back(memref::DimOp::create(b, loc, dst0, d));
      tokens = arith::MulIOp::create(b, loc, tokens, tokenSizes.back());
    }
    SmallVector<Value> heads;
    for (Value dst : buffers->dst) {
      int64_t headDimIndex = layout == Layout::bshd ? 2 : 1;
      Value h = memref::DimOp::create(b, loc, dst, headDimIndex);
      if (layout == Layout::packed)
        h = arith::DivUIOp::create(b, loc, h, cst(b, loc, headDim));
      heads.push_back(h);
    }
    double attention = op.getEffectiveAttentionFactor();
    bool inverse = op.getInverse();

    Value one = cst(b, loc, 1);
    auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
    auto tableType = MemRefType::get({p}, b.getF32Type(), MemRefLayoutAttrInterface(), workgroup);
    auto launch = gpu::LaunchOp::create(b, loc, tokens, one, one, cst(b, loc, threadsX),
                                        cst(b, loc, threadsY), one, Value(), Type(),
                                        ValueRange(), TypeRange{tableType, tableType});
    Value cosShared = launch.getWorkgroupAttributions()[0];
    Value sinShared = launch.getWorkgroupAttributions()[1];
    OpBuilder k = OpBuilder::atBlockBegin(&launch.getBody().front());
    Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
    Value t = launch.getBlockIds().x;

    // Token indices: (b, s) for bhsd/bshd, t otherwise.
    auto tokenIndices = [&](OpBuilder &ib) {
      SmallVector<Value> tok;
      if (tokenDims.size() == 2) {
        tok.push_back(arith::DivUIOp::create(ib, loc, t, tokenSizes[1]));
        tok.push_back(arith::RemUIOp::create(ib, loc, t, tokenSizes[1]));
      } else {
        tok.push_back(t);
      }
      return tok;
    };

    // Phase 1, every thread of the block: cos/sin of pairs lid, lid + block size, ...
    // (lid = its linear id), so the trig of a token takes one pair's latency
    // per thread rather than V pairs' on one row while the others wait.
    {
      Value lid = arith::AddIOp::create(
          k, loc, arith::MulIOp::create(k, loc, ty, cst(k, loc, threadsX)), tx);
      auto pairs = scf::ForOp::create(k, loc, lid, cst(k, loc, p), cst(k, loc, threadsX * threadsY));
      OpBuilder f = OpBuilder::atBlockBegin(pairs.getBody());
      SmallVector<Value> tok = tokenIndices(f);
      Value invTable = memref::GetGlobalOp::create(f, loc, invGlobal.getType(), invGlobal.getSymName());
      Value axisTable = memref::GetGlobalOp::create(f, loc, axisGlobal.getType(), axisGlobal.getSymName());
      Value j = pairs.getInductionVar();
      Value invJ = memref::LoadOp::create(f, loc, invTable, ValueRange{j});
      Value axis = arith::IndexCastOp::create(
          f, loc, f.getIndexType(), memref::LoadOp::create(f, loc, axisTable, ValueRange{j}));
      SmallVector<Value> posIdx = {axis};
      posIdx.append(tok.begin(), tok.end());
      Value pos = memref::LoadOp::create(f, loc, buffers->positions, posIdx);
      auto [c, sn] = rope::buildCosSin(f, loc, pos, invJ, attention, inverse);
      memref::StoreOp::create(f, loc, c, cosShared, ValueRange{j});
      memref::StoreOp::create(f, loc, sn, sinShared, ValueRange{j});
    }
    gpu::BarrierOp::create(k, loc);

    // Phase 2, every thread: its pairs of the heads of its head group.
    SmallVector<Value> tok = tokenIndices(k);
    Value pairBase = arith::MulIOp::create(k, loc, tx, cst(k, loc, v));
    auto vecF32 = VectorType::get({v}, k.getF32Type());
    Value cosV = vector::LoadOp::create(k, loc, vecF32, cosShared, ValueRange{pairBase});
    Value sinV = vector::LoadOp::create(k, loc, vecF32, sinShared, ValueRange{pairBase});

    for (auto [src, dst, h] : llvm::zip(buffers->src, buffers->dst, heads)) {
      auto headLoop = scf::ForOp::create(k, loc, ty, h, cst(k, loc, threadsY));
      OpBuilder hb = OpBuilder::atBlockBegin(headLoop.getBody());
      Value head = headLoop.getInductionVar();
      auto index = [&](OpBuilder &ib, Value lane) -> SmallVector<Value> {
        switch (layout) {
        case Layout::bhsd:
          return {tok[0], head, tok[1], lane};
        case Layout::bshd:
          return {tok[0], tok[1], head, lane};
        case Layout::thd:
          return {tok[0], head, lane};
        case Layout::packed:
          return {tok[0], arith::AddIOp::create(
                              ib, loc, arith::MulIOp::create(ib, loc, head, cst(ib, loc, headDim)),
                              lane)};
        }
        llvm_unreachable("unknown layout");
      };
      auto toF32 = [&](Value x) -> Value {
        auto t = VectorType::get({cast<VectorType>(x.getType()).getNumElements()}, hb.getF32Type());
        return elt.isF32() ? x : arith::ExtFOp::create(hb, loc, t, x).getResult();
      };
      auto fromF32 = [&](Value x, int64_t n) -> Value {
        return elt.isF32() ? x
                           : arith::TruncFOp::create(hb, loc, VectorType::get({n}, elt), x).getResult();
      };
      // 16-byte accesses need 16-byte aligned rows: buffers must start at a
      // multiple of 16 bytes (CUDA and PyTorch allocations do).
      llvm::MaybeAlign align(v * eltBytes);
      Value a, c;
      if (half) {
        auto vt = VectorType::get({v}, elt);
        a = vector::LoadOp::create(hb, loc, vt, src, index(hb, pairBase), false, align);
        Value hiLane = arith::AddIOp::create(hb, loc, pairBase, cst(hb, loc, p));
        c = vector::LoadOp::create(hb, loc, vt, src, index(hb, hiLane), false, align);
      } else {
        auto vt = VectorType::get({2 * v}, elt);
        Value lane0 = arith::MulIOp::create(hb, loc, pairBase, cst(hb, loc, 2));
        Value both = vector::LoadOp::create(hb, loc, vt, src, index(hb, lane0), false, align);
        SmallVector<int64_t> even, odd;
        for (int64_t i = 0; i < v; ++i) {
          even.push_back(2 * i);
          odd.push_back(2 * i + 1);
        }
        a = vector::ShuffleOp::create(hb, loc, both, both, even);
        c = vector::ShuffleOp::create(hb, loc, both, both, odd);
      }
      Value af = toF32(a), cf = toF32(c);
      // R1: y[a] = x[a] cos - x[b] sin; y[b] = x[b] cos + x[a] sin.
      Value ya = arith::SubFOp::create(hb, loc, arith::MulFOp::create(hb, loc, af, cosV),
                                       arith::MulFOp::create(hb, loc, cf, sinV));
      Value yb = arith::AddFOp::create(hb, loc, arith::MulFOp::create(hb, loc, cf, cosV),
                                       arith::MulFOp::create(hb, loc, af, sinV));
      if (half) {
        vector::StoreOp::create(hb, loc, fromF32(ya, v), dst, index(hb, pairBase), false, align);
        Value hiLane = arith::AddIOp::create(hb, loc, pairBase, cst(hb, loc, p));
        vector::StoreOp::create(hb, loc, fromF32(yb, v), dst, index(hb, hiLane), false, align);
      } else {
        SmallVector<int64_t> interleave;
        for (int64_t i = 0; i < v; ++i) {
          interleave.push_back(i);
          interleave.push_back(v + i);
        }
        Value both = vector::ShuffleOp::create(hb, loc, ya, yb, interleave);
        Value lane0 = arith::MulIOp::create(hb, loc, pairBase, cst(hb, loc, 2));
        vector::StoreOp::create(hb, loc, fromF32(both, 2 * v), dst, index(hb, lane0), false,
                                align);
      }
      // Lanes [R, D) pass through when rotating out of place: 16-byte
      // vectors when R and D - R allow (element by element, GPT-J rotating
      // 64 of 128 ran at 82-90 % of a copy on an H200).
      if (rotaryDim < headDim && src != dst) {
        int64_t width = 16 / eltBytes;
        if (rotaryDim % width != 0 || (headDim - rotaryDim) % width != 0)
          width = 1;
        auto pass = scf::ForOp::create(
            hb, loc, arith::MulIOp::create(hb, loc, tx, cst(hb, loc, width)),
            cst(hb, loc, headDim - rotaryDim), cst(hb, loc, threadsX * width));
        OpBuilder pb = OpBuilder::atBlockBegin(pass.getBody());
        Value lane = arith::AddIOp::create(pb, loc, pass.getInductionVar(), cst(pb, loc, rotaryDim));
        if (width == 1) {
          Value x = memref::LoadOp::create(pb, loc, src, index(pb, lane));
          memref::StoreOp::create(pb, loc, x, dst, index(pb, lane));
        } else {
          auto vt = VectorType::get({width}, elt);
          Value x = vector::LoadOp::create(pb, loc, vt, src, index(pb, lane), false, align);
          vector::StoreOp::create(pb, loc, x, dst, index(pb, lane), false, align);
        }
      }
    }
    k.setInsertionPointToEnd(&launch.getBody().front());
    gpu::TerminatorOp::create(k, loc);

    for (Operation *mat : buffers->materializations)
      mat->erase();
    op->dropAllUses();
    op->erase();
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// Emulating launches on the host (tests without a GPU)
//===----------------------------------------------------------------------===//

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEEMULATEGPULAUNCH
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

namespace {
/// Replaces each gpu.launch by loops over blocks and threads running its body
/// in order: per block, the body is cut at its top-level barriers and each
/// piece runs for every thread before the next; workgroup memory becomes a
/// buffer per block. Exact for kernels whose values do not cross a barrier
/// except through memory, such as the ones rope-to-gpu emits; it lets CI run
/// those kernels against the float64 reference on a machine without a GPU.
struct RopeEmulateGpuLaunchPass
    : public rope::impl::RopeEmulateGpuLaunchBase<RopeEmulateGpuLaunchPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation()->walk([&](gpu::LaunchOp op) { launches.push_back(op); });
    for (gpu::LaunchOp launch : launches)
      if (failed(emulate(launch)))
        return signalPassFailure();
  }

  LogicalResult emulate(gpu::LaunchOp launch) {
    Block &body = launch.getBody().front();
    // Pieces of the body between top-level barriers.
    SmallVector<SmallVector<Operation *>> phases(1);
    for (Operation &op : body.without_terminator()) {
      if (isa<gpu::BarrierOp>(op)) {
        phases.emplace_back();
        continue;
      }
      bool nestedBarrier = false;
      op.walk([&](gpu::BarrierOp) { nestedBarrier = true; });
      if (nestedBarrier)
        return launch.emitError("rope-emulate-gpu-launch: barriers must be at the top level");
      phases.back().push_back(&op);
    }
    DenseMap<Operation *, size_t> phaseOf;
    for (auto [i, ops] : llvm::enumerate(phases))
      for (Operation *op : ops)
        phaseOf[op] = i;
    for (auto [i, ops] : llvm::enumerate(phases))
      for (Operation *op : ops) {
        bool crosses = false;
        op->walk([&](Operation *inner) {
          for (Value v : inner->getOperands())
            if (Operation *def = v.getDefiningOp(); def && phaseOf.count(def) && phaseOf[def] != i)
              crosses = true;
        });
        if (crosses)
          return launch.emitError("rope-emulate-gpu-launch: a value crosses a barrier");
      }
    if (!launch.getPrivateAttributions().empty() || launch.getAsyncToken())
      return launch.emitError("rope-emulate-gpu-launch: only synchronous launches "
                              "without private memory run sequentially");

    OpBuilder b(launch);
    Location loc = launch.getLoc();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    gpu::KernelDim3 blockIds = launch.getBlockIds(), threadIds = launch.getThreadIds();
    gpu::KernelDim3 gridSize = launch.getGridSize(), blockSize = launch.getBlockSize();
    Value gridBounds[] = {launch.getGridSizeX(), launch.getGridSizeY(), launch.getGridSizeZ()};
    Value blockBounds[] = {launch.getBlockSizeX(), launch.getBlockSizeY(), launch.getBlockSizeZ()};
    IRMapping map;
    Value blockIdArgs[] = {blockIds.x, blockIds.y, blockIds.z};
    Value threadIdArgs[] = {threadIds.x, threadIds.y, threadIds.z};
    Value gridArgs[] = {gridSize.x, gridSize.y, gridSize.z};
    Value blockArgs[] = {blockSize.x, blockSize.y, blockSize.z};
    for (int i = 0; i < 3; ++i) {
      map.map(gridArgs[i], gridBounds[i]);
      map.map(blockArgs[i], blockBounds[i]);
      auto loop = scf::ForOp::create(b, loc, zero, gridBounds[i], one);
      map.map(blockIdArgs[i], loop.getInductionVar());
      b.setInsertionPoint(loop.getBody()->getTerminator());
    }
    // Workgroup memory: a host buffer per block.
    SmallVector<Value> buffers;
    for (BlockArgument attribution : launch.getWorkgroupAttributions()) {
      auto type = cast<MemRefType>(attribution.getType());
      Value buffer = memref::AllocOp::create(
          b, loc, MemRefType::get(type.getShape(), type.getElementType()));
      map.map(attribution, buffer);
      buffers.push_back(buffer);
    }
    for (ArrayRef<Operation *> ops : phases) {
      OpBuilder::InsertionGuard guard(b);
      for (int i = 0; i < 3; ++i) {
        auto loop = scf::ForOp::create(b, loc, zero, blockBounds[i], one);
        map.map(threadIdArgs[i], loop.getInductionVar());
        b.setInsertionPoint(loop.getBody()->getTerminator());
      }
      for (Operation *op : ops)
        b.clone(*op, map);
    }
    for (Value buffer : buffers)
      memref::DeallocOp::create(b, loc, buffer);
    launch.erase();
    return success();
  }
};
} // namespace
