//===- Passes.h - Target-neutral code generation on vectors and buffers -*- C++ -*-===//

#ifndef ROPE_CODEGEN_PASSES_H
#define ROPE_CODEGEN_PASSES_H

#include "Rope/IR/RopeDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::rope {
#define GEN_PASS_DECL
#include "Rope/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Rope/Codegen/Passes.h.inc"

/// The entries of a `cpu-features` value: "host" becomes this machine's
/// enabled features, otherwise each comma-separated +name/-name as given.
/// Fails, with the reason in `errors`, on an entry that is neither.
FailureOr<SmallVector<std::string>> parseCpuFeatures(StringRef features, raw_ostream &errors);

} // namespace mlir::rope

#endif // ROPE_CODEGEN_PASSES_H
