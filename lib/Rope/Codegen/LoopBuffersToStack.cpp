//===- LoopBuffersToStack.cpp - per-iteration buffers on the stack --------===//
//
// A fused token loop computes per-head temporaries (a norm's sums of
// squares, the normalised rows) into buffers that bufferization allocates
// and frees in every iteration: four malloc/free pairs per token in the
// fused QK-norm + RoPE kernel. The buffers also come from malloc through an
// aligning ptrtoint/inttoptr, so LLVM cannot tell that the loop's stores to
// them leave the norm weight alone, and it reloads and re-widens the weight
// for every head. A buffer allocated and freed within one iteration holds
// nothing from one iteration to the next, so one stack buffer per thread
// serves every iteration.
//
//===----------------------------------------------------------------------===//

#include "Rope/Codegen/Passes.h"

#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPELOOPBUFFERSTOSTACK
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
/// The bytes of a buffer of `type`, or 0 where not static, not whole bytes
/// or past int64_t.
int64_t staticBytes(MemRefType type) {
  Type elt = type.getElementType();
  if (!type.hasStaticShape() || !elt.isIntOrIndexOrFloat())
    return 0;
  int64_t bits = elt.isIndex() ? 64 : elt.getIntOrFloatBitWidth();
  if (bits % 8 != 0)
    return 0;
  int64_t bytes = bits / 8;
  for (int64_t size : type.getShape())
    if (llvm::MulOverflow(bytes, size, bytes))
      return 0;
  return bytes;
}

/// Ops whose regions the thread that reaches them runs, each time it
/// reaches them, zero or more times in sequence: a buffer that lives
/// within one run of their body can be allocated once outside them.
bool runsBodyOnSameThread(Operation *op) {
  return isa<scf::ForOp, scf::WhileOp, scf::IfOp, scf::IndexSwitchOp, scf::ExecuteRegionOp,
             memref::AllocaScopeOp, affine::AffineForOp, affine::AffineIfOp, omp::WsloopOp,
             omp::LoopNestOp>(op);
}

/// The allocation scope whose entry the buffer of `alloc` can move to: the
/// nearest enclosing function or `omp.parallel`, reached through
/// same-thread control flow only: never out of an scf.forall or
/// scf.parallel body, whose iterations run concurrently. Null where there
/// is none, and where `alloc` is in no loop (it runs once per scope
/// anyway).
Operation *hoistScope(memref::AllocOp alloc) {
  bool inLoop = false;
  for (Operation *op = alloc->getParentOp(); op; op = op->getParentOp()) {
    if (runsBodyOnSameThread(op)) {
      inLoop |= isa<LoopLikeOpInterface, omp::LoopNestOp>(op);
      continue;
    }
    // A function or a thread's region of a parallel construct: run once per
    // call or per thread. (scf.forall and scf.parallel have the trait too,
    // but become loops whose stack the lowering never restores.)
    return inLoop && isa<FunctionOpInterface, omp::ParallelOp>(op) ? op : nullptr;
  }
  return nullptr;
}

/// The one memref.dealloc of `alloc`, when it is in the alloc's block: the
/// buffer then dies in the iteration that made it. Null otherwise.
memref::DeallocOp deallocInSameBlock(memref::AllocOp alloc) {
  memref::DeallocOp found;
  for (Operation *user : alloc->getUsers()) {
    auto dealloc = dyn_cast<memref::DeallocOp>(user);
    if (!dealloc)
      continue;
    if (found || dealloc->getBlock() != alloc->getBlock())
      return {};
    found = dealloc;
  }
  return found;
}

struct RopeLoopBuffersToStackPass
    : public rope::impl::RopeLoopBuffersToStackBase<RopeLoopBuffersToStackPass> {
  using Base::Base;

  void runOnOperation() override {
    if (maxBytes < 0 || maxScopeBytes < 0) {
      getOperation()->emitError("rope-codegen-loop-buffers-to-stack: max-bytes and max-scope-bytes "
                                "must not be negative");
      return signalPassFailure();
    }
    SmallVector<memref::AllocOp> allocs;
    getOperation()->walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    llvm::DenseMap<Operation *, int64_t> scopeBytes;
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      int64_t bytes = staticBytes(type);
      // Symbol operands (a layout's offset) may be defined in the loop.
      if (bytes == 0 || bytes > maxBytes || type.getMemorySpace() ||
          !alloc.getSymbolOperands().empty())
        continue;
      Operation *scope = hoistScope(alloc);
      memref::DeallocOp dealloc = scope ? deallocInSameBlock(alloc) : memref::DeallocOp();
      if (!dealloc || scopeBytes[scope] + bytes > maxScopeBytes)
        continue;
      scopeBytes[scope] += bytes;
      OpBuilder b = OpBuilder::atBlockBegin(&scope->getRegion(0).front());
      auto alloca =
          memref::AllocaOp::create(b, alloc.getLoc(), type, alloc.getAlignmentAttr());
      alloc.replaceAllUsesWith(alloca.getResult());
      dealloc.erase();
      alloc.erase();
    }
  }
};
} // namespace
