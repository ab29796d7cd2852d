//===- RopeToLLVM.h - rope ops to the LLVM dialect -*- C++ -*-===//
//
// The lowering of the rope ops that reach the LLVM dialect (rope.stream_fence
// to `llvm.fence seq_cst`), as patterns and as the dialect's
// ConvertToLLVMPatternInterface, which convert-to-llvm uses. The dialect
// promises the interface: a host registers it here, as upstream's
// arith::registerConvertArithToLLVMInterface does for arith.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_CONVERSION_ROPETOLLVM_H
#define ROPE_CONVERSION_ROPETOLLVM_H

namespace mlir {
class DialectRegistry;
class LLVMTypeConverter;
class RewritePatternSet;

namespace rope {
/// Adds the patterns lowering rope ops to the LLVM dialect.
void populateRopeToLLVMConversionPatterns(const LLVMTypeConverter &converter,
                                          RewritePatternSet &patterns);

/// Attaches the rope dialect's ConvertToLLVMPatternInterface when the dialect
/// is loaded.
void registerConvertRopeToLLVMInterface(DialectRegistry &registry);
} // namespace rope
} // namespace mlir

#endif // ROPE_CONVERSION_ROPETOLLVM_H
