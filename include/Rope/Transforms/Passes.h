//===- Passes.h - Op-level transforms on rope ops and the graphs around them -*- C++ -*-===//

#ifndef ROPE_TRANSFORMS_PASSES_H
#define ROPE_TRANSFORMS_PASSES_H

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
#include "Rope/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Rope/Transforms/Passes.h.inc"

/// Tiling of a rope op over its token dims, as rope-tile-tokens and
/// rope-fuse-neighbours tile: whole outer token dims by one, the innermost by
/// `tileSize` (the static token count when smaller), in scf.forall loops when
/// `parallel`.
scf::SCFTilingOptions tokenTilingOptions(TilingInterface op, int64_t tileSize, bool parallel);

} // namespace mlir::rope

#endif // ROPE_TRANSFORMS_PASSES_H
