#ifndef ROPE_TRANSFORMS_PASSES_H
#define ROPE_TRANSFORMS_PASSES_H

#include "Rope/IR/RopeDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::rope {
#define GEN_PASS_DECL
#include "Rope/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Rope/Transforms/Passes.h.inc"

/// Options of `--rope-cpu-pipeline`.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<int64_t> tileSize{*this, "tile-size",
                                        llvm::cl::desc("Tokens per tile"),
                                        llvm::cl::init(1)};
  PassOptions::Option<bool> threads{
      *this, "threads",
      llvm::cl::desc("Run token tiles on OpenMP threads (link libomp)"),
      llvm::cl::init(false)};
  PassOptions::Option<int64_t> minParallelTokens{
      *this, "min-parallel-tokens",
      llvm::cl::desc("With threads: fewer tokens than this run serially"),
      llvm::cl::init(64)};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize", llvm::cl::desc("Vectorize the linalg tiles"),
      llvm::cl::init(true)};
};

/// rope ops (and linalg/tensor/arith around them) down to the LLVM dialect.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers the passes and the named pipelines.
void registerRopePassesAndPipelines();
} // namespace mlir::rope

#endif // ROPE_TRANSFORMS_PASSES_H
