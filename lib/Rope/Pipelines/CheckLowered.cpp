//===- CheckLowered.cpp - nothing but the target dialects is left ---------===//

#include "Rope/Pipelines/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPECHECKLOWERED
#define GEN_PASS_DEF_ROPECHECKDIMINDICES
#include "Rope/Pipelines/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
struct RopeCheckLoweredPass : public rope::impl::RopeCheckLoweredBase<RopeCheckLoweredPass> {
  using RopeCheckLoweredBase::RopeCheckLoweredBase;

  void runOnOperation() override {
    // A host that registered the dialects but not the NVVM target model
    // (NVVM::registerNVVMTargetInterfaceExternalModels) would reach
    // upstream's gpu-module-to-binary with an attribute it dereferences as
    // a target: a crash, not an error.
    // The NVVM pipeline's passes load the dialect before any pass runs.
    if (nvvmTarget && getContext().getLoadedDialect<NVVM::NVVMDialect>() &&
        !isa<gpu::TargetAttrInterface>(NVVM::NVVMTargetAttr::get(&getContext()))) {
      getOperation().emitError("the NVVM target model is not registered (gpu-module-to-binary "
                               "needs it): call rope::registerGpuPipelineDependencies, "
                               "mlirRopeRegisterGpuPipelineDependencies or "
                               "NVVM::registerNVVMTargetInterfaceExternalModels");
      return signalPassFailure();
    }
    llvm::StringSet<> allowed;
    for (const std::string &dialect : dialects)
      allowed.insert(dialect);
    std::string expected = llvm::join(dialects, ", ");
    // Outer ops first, and nothing inside one that is left: the error names
    // the linalg.generic, not its linalg.yield.
    SmallVector<Operation *> left;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op == getOperation().getOperation() ||
          allowed.contains(op->getName().getDialectNamespace()))
        return WalkResult::advance();
      left.push_back(op);
      return WalkResult::skip();
    });
    // The conversions leave unrealized casts around the ops they could not
    // convert: name those ops, and the casts only when nothing else is left.
    bool onlyCasts = llvm::all_of(left, llvm::IsaPred<UnrealizedConversionCastOp>);
    llvm::StringSet<> reported;
    for (Operation *op : left) {
      if (!onlyCasts && isa<UnrealizedConversionCastOp>(op))
        continue;
      if (reported.insert(op->getName().getStringRef()).second)
        op->emitError() << "'" << op->getName()
                        << "' is left after lowering, where only ops of the dialects ["
                        << expected << "] may remain: the pipeline has no lowering for it";
    }
    if (!left.empty())
      signalPassFailure();
  }
};

constexpr int64_t kMaxVectorRows = 65536;

struct RopeCheckDimIndicesPass
    : public rope::impl::RopeCheckDimIndicesBase<RopeCheckDimIndicesPass> {
  void runOnOperation() override {
    bool bad = false;
    auto check = [&](Operation *op, Value source, Value index) {
      APInt value;
      auto type = dyn_cast<ShapedType>(source.getType());
      if (!type || !type.hasRank() || !matchPattern(index, m_ConstantInt(&value)))
        return;
      int64_t i = value.getSExtValue();
      if (i >= 0 && i < type.getRank())
        return;
      op->emitOpError() << "index " << i << " is outside the rank " << type.getRank()
                        << " of its operand (MLIR's folding would crash on it)";
      bad = true;
    };
    // The reassociation groups must split the expanded rank into
    // consecutive runs, in order: the verifiers let an index past the rank
    // through, which every pass that reads the groups indexes with.
    auto checkGroups = [&](Operation *op, ArrayRef<ReassociationIndices> groups,
                           int64_t expandedRank) {
      int64_t next = 0;
      bool contiguous = llvm::all_of(groups, [&](const ReassociationIndices &group) {
        return llvm::all_of(group, [&](int64_t r) { return r == next++; });
      });
      if (contiguous && next == expandedRank)
        return;
      op->emitOpError() << "reassociation must group the " << expandedRank
                        << " dims of its expanded side into consecutive runs, in order";
      bad = true;
    };
    // convert-vector-to-scf{full-unroll} makes an op per row of a vector
    // (its leading dims): a vector<1099511627776x48xf32> (fuzzer) never
    // finishes. The pipelines' own vectors have at most 512 lanes.
    auto checkVectorRows = [&](Operation *op) {
      for (Type type : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
        auto vector = dyn_cast<VectorType>(type);
        if (!vector || vector.getRank() < 2)
          continue;
        int64_t rows = 1;
        for (int64_t size : vector.getShape().drop_back()) {
          if (rows > kMaxVectorRows / std::max<int64_t>(size, 1)) {
            op->emitOpError() << "has a " << vector << " of more than " << kMaxVectorRows
                              << " rows, which the pipelines would unroll one op per row";
            bad = true;
            return;
          }
          rows *= size;
        }
      }
    };
    getOperation()->walk([&](Operation *op) {
      checkVectorRows(op);
      if (auto dim = dyn_cast<tensor::DimOp>(op))
        check(op, dim.getSource(), dim.getIndex());
      else if (auto dim = dyn_cast<memref::DimOp>(op))
        check(op, dim.getSource(), dim.getIndex());
      else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
        checkGroups(op, expand.getReassociationIndices(), expand.getResultType().getRank());
      else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
        checkGroups(op, collapse.getReassociationIndices(), collapse.getSrcType().getRank());
      else if (auto expand = dyn_cast<memref::ExpandShapeOp>(op))
        checkGroups(op, expand.getReassociationIndices(), expand.getResultType().getRank());
      else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(op))
        checkGroups(op, collapse.getReassociationIndices(), collapse.getSrcType().getRank());
    });
    if (bad)
      signalPassFailure();
  }
};
} // namespace
