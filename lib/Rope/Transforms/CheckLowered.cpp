//===- CheckLowered.cpp - nothing but the target dialects is left ---------===//

#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPECHECKLOWERED
#define GEN_PASS_DEF_ROPECHECKDIMINDICES
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
struct RopeCheckLoweredPass : public rope::impl::RopeCheckLoweredBase<RopeCheckLoweredPass> {
  using RopeCheckLoweredBase::RopeCheckLoweredBase;

  void runOnOperation() override {
    llvm::StringSet<> allowed;
    for (const std::string &dialect : dialects)
      allowed.insert(dialect);
    std::string expected = llvm::join(dialects, ", ");
    llvm::StringSet<> reported;
    // Outer ops first, and nothing inside one that is reported: the error
    // names the linalg.generic, not its linalg.yield.
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op == getOperation().getOperation() ||
          allowed.contains(op->getName().getDialectNamespace()))
        return WalkResult::advance();
      if (reported.insert(op->getName().getStringRef()).second)
        op->emitError() << "'" << op->getName()
                        << "' is left after lowering, where only ops of the dialects ["
                        << expected << "] may remain: the pipeline has no lowering for it";
      return WalkResult::skip();
    });
    if (!reported.empty())
      signalPassFailure();
  }
};

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
    getOperation()->walk([&](Operation *op) {
      if (auto dim = dyn_cast<tensor::DimOp>(op))
        check(op, dim.getSource(), dim.getIndex());
      else if (auto dim = dyn_cast<memref::DimOp>(op))
        check(op, dim.getSource(), dim.getIndex());
    });
    if (bad)
      signalPassFailure();
  }
};
} // namespace
