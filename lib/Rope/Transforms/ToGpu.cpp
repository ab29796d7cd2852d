//===- ToGpu.cpp - rope ops to fused NVIDIA GPU kernels -------------------===//
//
// Lowers a positions-driven rope op whose operands live in caller buffers
// (bufferization.to_tensor of memrefs, results materialized into memrefs: the
// ahead-of-time entry form) to one gpu.launch:
//   - tokens across blocks (and the y dim of a block),
//   - pairs across the x dim: each thread owns V consecutive pairs, V = 16
//     bytes / element size, so both halves of its pairs move as 16-byte
//     vector loads and stores,
//   - cos/sin computed once per (token, pair) in registers, then every q and
//     k head of the token is rotated with them (heads loop in the thread).
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

#include <cmath>

namespace mlir::rope {
#define GEN_PASS_DEF_ROPETOGPU
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {

/// Tokens handled by one block along its y dim.
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
static Value f64c(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
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
    Value blocks = arith::CeilDivUIOp::create(b, loc, tokens, cst(b, loc, threadsY));
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
    auto launch = gpu::LaunchOp::create(b, loc, blocks, one, one, cst(b, loc, threadsX),
                                        cst(b, loc, threadsY), one);
    OpBuilder k = OpBuilder::atBlockBegin(&launch.getBody().front());
    Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
    Value t = arith::AddIOp::create(
        k, loc, arith::MulIOp::create(k, loc, launch.getBlockIds().x, cst(k, loc, threadsY)), ty);
    Value inRange = arith::CmpIOp::create(k, loc, arith::CmpIPredicate::ult, t, tokens);
    auto guard = scf::IfOp::create(k, loc, inRange, /*withElse=*/false);
    k.setInsertionPointToStart(&guard.getThenRegion().front());

    // Token indices: (b, s) for bhsd/bshd, t otherwise.
    SmallVector<Value> tok;
    if (tokenDims.size() == 2) {
      tok.push_back(arith::DivUIOp::create(k, loc, t, tokenSizes[1]));
      tok.push_back(arith::RemUIOp::create(k, loc, t, tokenSizes[1]));
    } else {
      tok.push_back(t);
    }

    // cos/sin of this thread's V pairs, once for every head.
    Value invTable = memref::GetGlobalOp::create(k, loc, invGlobal.getType(), invGlobal.getSymName());
    Value axisTable = memref::GetGlobalOp::create(k, loc, axisGlobal.getType(), axisGlobal.getSymName());
    Type posElt = cast<MemRefType>(buffers->positions.getType()).getElementType();
    const double twoPi = 2.0 * M_PI;
    const double hi = static_cast<float>(twoPi), lo = twoPi - hi;
    SmallVector<Value> cosLanes, sinLanes;
    Value pairBase = arith::MulIOp::create(k, loc, tx, cst(k, loc, v));
    for (int64_t i = 0; i < v; ++i) {
      Value j = arith::AddIOp::create(k, loc, pairBase, cst(k, loc, i));
      Value invJ = memref::LoadOp::create(k, loc, invTable, ValueRange{j});
      Value axis = arith::IndexCastOp::create(
          k, loc, k.getIndexType(), memref::LoadOp::create(k, loc, axisTable, ValueRange{j}));
      SmallVector<Value> posIdx = {axis};
      posIdx.append(tok.begin(), tok.end());
      Value pos = memref::LoadOp::create(k, loc, buffers->positions, posIdx);
      Value posF = isa<FloatType>(posElt)
                       ? arith::ExtFOp::create(k, loc, k.getF64Type(), pos).getResult()
                       : arith::SIToFPOp::create(k, loc, k.getF64Type(), pos).getResult();
      Value angle = arith::MulFOp::create(k, loc, posF, invJ);
      Value turns = math::RoundEvenOp::create(
          k, loc, arith::MulFOp::create(k, loc, angle, f64c(k, loc, 1.0 / twoPi)));
      Value r = arith::SubFOp::create(k, loc, angle,
                                      arith::MulFOp::create(k, loc, turns, f64c(k, loc, hi)));
      r = arith::SubFOp::create(k, loc, r, arith::MulFOp::create(k, loc, turns, f64c(k, loc, lo)));
      Value rf = arith::TruncFOp::create(k, loc, k.getF32Type(), r);
      Value c = math::CosOp::create(k, loc, rf);
      Value s = math::SinOp::create(k, loc, rf);
      if (attention != 1.0) {
        Value f = arith::ConstantOp::create(k, loc, k.getF32FloatAttr(static_cast<float>(attention)));
        c = arith::MulFOp::create(k, loc, c, f);
        s = arith::MulFOp::create(k, loc, s, f);
      }
      if (inverse)
        s = arith::NegFOp::create(k, loc, s);
      cosLanes.push_back(c);
      sinLanes.push_back(s);
    }
    auto vecF32 = VectorType::get({v}, k.getF32Type());
    Value cosV = vector::FromElementsOp::create(k, loc, vecF32, cosLanes);
    Value sinV = vector::FromElementsOp::create(k, loc, vecF32, sinLanes);

    for (auto [src, dst, h] : llvm::zip(buffers->src, buffers->dst, heads)) {
      auto headLoop = scf::ForOp::create(k, loc, cst(k, loc, 0), h, cst(k, loc, 1));
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
      // Lanes [R, D) pass through when rotating out of place.
      if (rotaryDim < headDim && src != dst) {
        auto pass = scf::ForOp::create(hb, loc, tx, cst(hb, loc, headDim - rotaryDim),
                                       cst(hb, loc, threadsX));
        OpBuilder pb = OpBuilder::atBlockBegin(pass.getBody());
        Value lane = arith::AddIOp::create(pb, loc, pass.getInductionVar(), cst(pb, loc, rotaryDim));
        Value x = memref::LoadOp::create(pb, loc, src, index(pb, lane));
        memref::StoreOp::create(pb, loc, x, dst, index(pb, lane));
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
/// in order. Exact for kernels without barriers or shared memory, such as the
/// ones rope-to-gpu emits; it lets CI run those kernels against the float64
/// reference on a machine without a GPU.
struct RopeEmulateGpuLaunchPass
    : public rope::impl::RopeEmulateGpuLaunchBase<RopeEmulateGpuLaunchPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation()->walk([&](gpu::LaunchOp op) { launches.push_back(op); });
    for (gpu::LaunchOp launch : launches) {
      bool synchronizes = false;
      launch.getBody().walk([&](gpu::BarrierOp) { synchronizes = true; });
      if (synchronizes || !launch.getWorkgroupAttributions().empty() ||
          launch.getAsyncToken()) {
        launch.emitError("rope-emulate-gpu-launch: only synchronous launches without "
                         "barriers or shared memory run sequentially");
        return signalPassFailure();
      }
      OpBuilder b(launch);
      Location loc = launch.getLoc();
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      SmallVector<Value> bounds = {launch.getGridSizeX(),  launch.getGridSizeY(),
                                   launch.getGridSizeZ(),  launch.getBlockSizeX(),
                                   launch.getBlockSizeY(), launch.getBlockSizeZ()};
      SmallVector<Value> ivs;
      for (Value bound : bounds) {
        auto loop = scf::ForOp::create(b, loc, zero, bound, one);
        ivs.push_back(loop.getInductionVar());
        b.setInsertionPoint(loop.getBody()->getTerminator());
      }
      Block &body = launch.getBody().front();
      IRMapping map;
      gpu::KernelDim3 blockIds = launch.getBlockIds(), threadIds = launch.getThreadIds();
      gpu::KernelDim3 gridSize = launch.getGridSize(), blockSize = launch.getBlockSize();
      Value ids[] = {blockIds.x, blockIds.y, blockIds.z, threadIds.x, threadIds.y, threadIds.z};
      Value sizes[] = {gridSize.x, gridSize.y, gridSize.z, blockSize.x, blockSize.y, blockSize.z};
      for (int i = 0; i < 6; ++i) {
        map.map(ids[i], ivs[i]);
        map.map(sizes[i], bounds[i]);
      }
      for (Operation &op : body.without_terminator())
        b.clone(op, map);
      launch.erase();
    }
  }
};
} // namespace
