//===- SetTargetFeatures.cpp - cpu-features onto the llvm.func definitions ===//
//
// The CPU pipeline may emit target-specific code (AVX512-BF16 intrinsic
// calls, AVX-512 inline asm) when told the CPU has it. Recording the features
// on the functions keeps that code compilable by LLVM without a matching
// -march, instead of failing instruction selection.
//
//===----------------------------------------------------------------------===//

#include "Rope/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPESETTARGETFEATURES
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

FailureOr<SmallVector<std::string>> rope::parseCpuFeatures(StringRef features,
                                                           raw_ostream &errors) {
  SmallVector<std::string> entries;
  if (features.trim() == "host") {
    for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
      if (enabled)
        entries.push_back(("+" + name).str());
    llvm::sort(entries);
    return entries;
  }
  SmallVector<StringRef> parts;
  llvm::SplitString(features, parts, ", ");
  for (StringRef entry : parts) {
    if (entry == "host") {
      errors << "cpu-features: 'host' stands alone (this machine's features), got '"
             << features << "'";
      return failure();
    }
    if ((!entry.starts_with("+") && !entry.starts_with("-")) || entry.size() < 2) {
      errors << "cpu-features: '" << entry << "' is neither 'host' nor +name/-name";
      return failure();
    }
    entries.push_back(entry.str());
  }
  return entries;
}

namespace {
struct RopeSetTargetFeaturesPass
    : public rope::impl::RopeSetTargetFeaturesBase<RopeSetTargetFeaturesPass> {
  using Base::Base;

  void runOnOperation() override {
    std::string error;
    llvm::raw_string_ostream errors(error);
    FailureOr<SmallVector<std::string>> entries = rope::parseCpuFeatures(features, errors);
    if (failed(entries)) {
      getOperation()->emitError("rope-codegen-set-target-features: ") << error;
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
