//===- TestRopePatterns.cpp - rope's populate*Patterns in a plain driver ---===//
//
// Applies the public pattern sets (Rope/Transforms/Transforms.h,
// Rope/Target/X86/Transforms.h) with applyPatternsGreedily, as a host's own
// pass would, so that tests check them apart from the passes that use them.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeDialect.h"
#include "Rope/Target/X86/Transforms.h"
#include "Rope/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {
struct TestRopePatternsPass : public PassWrapper<TestRopePatternsPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestRopePatternsPass)

  TestRopePatternsPass() = default;
  TestRopePatternsPass(const TestRopePatternsPass &pass) : PassWrapper(pass) {}

  StringRef getArgument() const final { return "test-rope-patterns"; }
  StringRef getDescription() const final {
    return "Apply the chosen public rope pattern sets greedily, all in one set";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<rope::RopeDialect, arith::ArithDialect, complex::ComplexDialect,
                    linalg::LinalgDialect, tensor::TensorDialect, vector::VectorDialect,
                    LLVM::LLVMDialect>();
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    if (raise)
      rope::populateRaiseRotaryEmbeddingPatterns(patterns);
    if (merge)
      rope::populateMergeSiblingRotationsPatterns(patterns);
    if (x86SumOfSquares)
      rope::populateX86Avx512Bf16SumOfSquaresPatterns(patterns);
    if (x86TruncF)
      rope::populateX86Avx512Bf16TruncFPatterns(patterns);
    if (x86StreamFences)
      rope::populateX86StreamFencePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }

  Option<bool> raise{*this, "raise", llvm::cl::desc("populateRaiseRotaryEmbeddingPatterns")};
  Option<bool> merge{*this, "merge", llvm::cl::desc("populateMergeSiblingRotationsPatterns")};
  Option<bool> x86SumOfSquares{*this, "x86-sum-of-squares",
                               llvm::cl::desc("populateX86Avx512Bf16SumOfSquaresPatterns")};
  Option<bool> x86TruncF{*this, "x86-truncf",
                         llvm::cl::desc("populateX86Avx512Bf16TruncFPatterns")};
  Option<bool> x86StreamFences{*this, "x86-stream-fences",
                               llvm::cl::desc("populateX86StreamFencePatterns")};
};
} // namespace

namespace mlir::rope::test {
void registerTestRopePatternsPass() { PassRegistration<TestRopePatternsPass>(); }
} // namespace mlir::rope::test
