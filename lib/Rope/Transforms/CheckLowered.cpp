//===- CheckLowered.cpp - nothing but the target dialects is left ---------===//

#include "Rope/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPECHECKLOWERED
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
} // namespace
