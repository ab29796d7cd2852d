//===- Passes.h - X86 code generation (AVX-512, AVX512-BF16, streaming stores) -*- C++ -*-===//

#ifndef ROPE_TARGET_X86_PASSES_H
#define ROPE_TARGET_X86_PASSES_H

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
#include "Rope/Target/X86/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Rope/Target/X86/Passes.h.inc"

} // namespace mlir::rope

#endif // ROPE_TARGET_X86_PASSES_H
