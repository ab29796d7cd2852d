//===- RopeToGPU.h - The runtime entry of convert-rope-to-gpu's host guard -*- C++ -*-===//
//
// convert-rope-to-gpu's host code checks each buffer before a launch and, on a
// refused one, calls this entry instead of launching. The GPU runtime
// (lib/Runtime/RopeCudaRuntime.cpp) defines it; the test pass
// test-rope-emulate-gpu-launch (test/lib/Conversion) gives it a host body.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_CONVERSION_ROPETOGPU_H
#define ROPE_CONVERSION_ROPETOGPU_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::rope {
/// The symbol of the entry: ropeCudaReportInvalidArgument(argument number,
/// rule, dim, value, required).
inline constexpr llvm::StringLiteral kReportInvalidArgument = "ropeCudaReportInvalidArgument";

/// Its type: (i32, i32, i32, i64, i64) -> ().
FunctionType getReportInvalidArgumentType(MLIRContext *context);
} // namespace mlir::rope

#endif // ROPE_CONVERSION_ROPETOGPU_H
