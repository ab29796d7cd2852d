//===- TestEmulateGpuLaunch.cpp - gpu.launch as host loops (tests only) ---===//
//
// test-rope-emulate-gpu-launch replaces each synchronous gpu.launch by loops over
// its blocks and threads: per block, the body is cut at its top-level
// barriers and each piece runs for every thread before the next; workgroup
// memory becomes a buffer per block. The kernels convert-rope-to-gpu emits qualify,
// so their numbers can be checked on any CPU. On a module, a declaration of
// the runtime's ropeCudaReportInvalidArgument (convert-rope-to-gpu's host guard calls
// it) gets a host body: it counts reports in element 0 of the public
// `memref.global @rope_emulated_gpu_error : memref<6xi64>` and keeps the
// first one's arguments in elements 1-5, so tests of the emulated object
// read what the guard refused.
//
// A test pass: no compiler wants a GPU kernel run as host loops, so it lives
// here, registered by rope-opt only (ROPE_MLIR_INCLUDE_TESTS), as MLIR's
// mlir/test/lib passes are by mlir-opt.
//
//===----------------------------------------------------------------------===//

#include "Rope/Conversion/RopeToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace {
/// The host stand-in for the runtime's ropeCudaReportInvalidArgument: a
/// declaration of it in `module` gets a body that counts the reports in
/// element 0 of the public global
///   memref.global @rope_emulated_gpu_error : memref<6xi64>
/// and keeps the first one's (argument, rule, dim, value, required) in
/// elements 1-5, as the runtime keeps a thread's first error. Tests read
/// (and reset) the symbol in the shared object.
static LogicalResult defineEmulatedReport(ModuleOp module) {
  auto fn = module.lookupSymbol<func::FuncOp>(rope::kReportInvalidArgument);
  if (!fn || !fn.isExternal())
    return success();
  if (fn.getFunctionType() != rope::getReportInvalidArgumentType(module.getContext()))
    return fn.emitError("test-rope-emulate-gpu-launch: unexpected type of @")
           << rope::kReportInvalidArgument;
  Location loc = fn.getLoc();
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Type i64 = b.getI64Type();
  auto type = MemRefType::get({6}, i64);
  constexpr StringLiteral kGlobal = "rope_emulated_gpu_error";
  if (module.lookupSymbol(kGlobal))
    return module.emitError("test-rope-emulate-gpu-launch: @") << kGlobal << " exists already";
  memref::GlobalOp::create(b, loc, kGlobal, StringAttr(), type,
                           DenseElementsAttr::get(RankedTensorType::get({6}, i64),
                                                  ArrayRef<Attribute>{b.getI64IntegerAttr(0)}),
                           /*constant=*/false, IntegerAttr());
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  auto idx = [&](int64_t v) -> Value { return arith::ConstantIndexOp::create(b, loc, v); };
  Value record = memref::GetGlobalOp::create(b, loc, type, kGlobal);
  Value count = memref::LoadOp::create(b, loc, record, ValueRange{idx(0)});
  Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
  Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count, zero);
  auto ifFirst = scf::IfOp::create(b, loc, first, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifFirst.thenBlock()->getTerminator());
    for (auto [i, arg] : llvm::enumerate(entry->getArguments())) {
      Value v = arg.getType() == i64 ? Value(arg) : arith::ExtSIOp::create(b, loc, i64, arg);
      memref::StoreOp::create(b, loc, v, record, ValueRange{idx(i + 1)});
    }
  }
  Value next = arith::AddIOp::create(b, loc, count, arith::ConstantIntOp::create(b, loc, i64, 1));
  memref::StoreOp::create(b, loc, next, record, ValueRange{idx(0)});
  func::ReturnOp::create(b, loc);
  return success();
}

/// Replaces each gpu.launch by loops over blocks and threads running its body
/// in order: per block, the body is cut at its top-level barriers and each
/// piece runs for every thread before the next; workgroup memory becomes a
/// buffer per block. Exact for kernels whose values do not cross a barrier
/// except through memory, such as the ones convert-rope-to-gpu emits; it lets CI run
/// those kernels against the float64 reference on a machine without a GPU.
/// On a module, the runtime entry of convert-rope-to-gpu's host guard is defined too
/// (defineEmulatedReport), so the guard runs on the host as it would on the
/// GPU path.
struct TestEmulateGpuLaunchPass
    : public PassWrapper<TestEmulateGpuLaunchPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestEmulateGpuLaunchPass)

  StringRef getArgument() const final { return "test-rope-emulate-gpu-launch"; }
  StringRef getDescription() const final {
    return "Run gpu.launch bodies as sequential host loops (testing without a GPU)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<scf::SCFDialect, arith::ArithDialect, memref::MemRefDialect,
                    func::FuncDialect>();
  }

  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation()->walk([&](gpu::LaunchOp op) { launches.push_back(op); });
    for (gpu::LaunchOp launch : launches)
      if (failed(emulate(launch)))
        return signalPassFailure();
    if (auto module = dyn_cast<ModuleOp>(getOperation()))
      if (failed(defineEmulatedReport(module)))
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
        return launch.emitError("test-rope-emulate-gpu-launch: barriers must be at the top level");
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
          return launch.emitError("test-rope-emulate-gpu-launch: a value crosses a barrier");
      }
    if (!launch.getPrivateAttributions().empty() || launch.getAsyncToken())
      return launch.emitError("test-rope-emulate-gpu-launch: only synchronous launches "
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

namespace mlir::rope::test {
void registerTestEmulateGpuLaunchPass() { PassRegistration<TestEmulateGpuLaunchPass>(); }
} // namespace mlir::rope::test
