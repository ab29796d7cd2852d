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

#endif // ROPE_IR_ROPEDIALECT_H
