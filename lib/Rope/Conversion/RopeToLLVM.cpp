//===- RopeToLLVM.cpp - rope ops to the LLVM dialect ----------------------===//
//
// rope.stream_fence becomes `llvm.fence seq_cst`, the portable fence (on x86
// the CPU pipeline makes it sfence before: rope-x86-stream-fences). Here, not
// in the dialect library, so that the IR does not depend on the LLVM
// conversion, as upstream keeps arith's lowering in ArithToLLVM.
//
//===----------------------------------------------------------------------===//

#include "Rope/Conversion/RopeToLLVM.h"
#include "Rope/IR/RopeOps.h"

#include "mlir/Conversion/ConvertToLLVM/ToLLVMInterface.h"
#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::rope;

namespace {
struct StreamFenceToLLVM : public ConvertOpToLLVMPattern<StreamFenceOp> {
  using ConvertOpToLLVMPattern::ConvertOpToLLVMPattern;
  LogicalResult matchAndRewrite(StreamFenceOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<LLVM::FenceOp>(op, LLVM::AtomicOrdering::seq_cst);
    return success();
  }
};

/// Lets `convert-to-llvm` lower the rope ops that survive to it.
struct RopeToLLVMInterface : public ConvertToLLVMPatternInterface {
  using ConvertToLLVMPatternInterface::ConvertToLLVMPatternInterface;
  void populateConvertToLLVMConversionPatterns(ConversionTarget &target,
                                               LLVMTypeConverter &typeConverter,
                                               RewritePatternSet &patterns) const final {
    populateRopeToLLVMConversionPatterns(typeConverter, patterns);
  }
};
} // namespace

void rope::populateRopeToLLVMConversionPatterns(const LLVMTypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<StreamFenceToLLVM>(converter);
}

void rope::registerConvertRopeToLLVMInterface(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *, RopeDialect *dialect) {
    dialect->addInterfaces<RopeToLLVMInterface>();
  });
}
