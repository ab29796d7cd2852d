#ifndef ROPE_IR_ROPEDIALECT_H
#define ROPE_IR_ROPEDIALECT_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "Rope/IR/RopeDialect.h.inc"

namespace mlir::rope {
/// Adds the rope dialect to `registry`, linking only this library (MLIRRope,
/// RopeMLIR::IR). The dialect promises two interfaces whose models live in
/// other layers: rope::registerBufferizableOpInterfaceExternalModels
/// (Rope/Transforms/BufferizableOpInterfaceImpl.h) for one-shot-bufferize and
/// rope::registerConvertRopeToLLVMInterface (Rope/Conversion/RopeToLLVM.h)
/// for convert-to-llvm; rope::registerRopeInterfaceModels
/// (Rope/Pipelines/Passes.h) adds both.
void registerRopeDialect(DialectRegistry &registry);
} // namespace mlir::rope

#endif // ROPE_IR_ROPEDIALECT_H
