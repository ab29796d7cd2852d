//===- SetTargetFeatures.cpp - cpu-features onto the llvm.func definitions ===//
//
// The CPU pipeline may emit target-specific code (AVX512-BF16 intrinsic
// calls, AVX-512 inline asm) when told the CPU has it. Recording the features
// on the functions keeps that code compilable by LLVM without a matching
// -march, instead of failing instruction selection.
//
//===----------------------------------------------------------------------===//

#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPESETTARGETFEATURES
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
struct RopeSetTargetFeaturesPass
    : public rope::impl::RopeSetTargetFeaturesBase<RopeSetTargetFeaturesPass> {
  using Base::Base;

  void runOnOperation() override {
    std::string error;
    llvm::raw_string_ostream errors(error);
    FailureOr<SmallVector<std::string>> entries = rope::parseCpuFeatures(features, errors);
    if (failed(entries)) {
      getOperation()->emitError("rope-set-target-features: ") << error;
      return signalPassFailure();
    }
    if (entries->empty())
      return;
    SmallVector<StringRef> names(entries->begin(), entries->end());
    auto attr = LLVM::TargetFeaturesAttr::get(&getContext(), ArrayRef<StringRef>(names));
    getOperation()->walk([&](LLVM::LLVMFuncOp func) {
      if (!func.isExternal() && !func.getTargetFeaturesAttr())
        func.setTargetFeaturesAttr(attr);
    });
  }
};
} // namespace
