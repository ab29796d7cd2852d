//===- Passes.h - The named pipelines and their guards -*- C++ -*-===//

#ifndef ROPE_PIPELINES_PASSES_H
#define ROPE_PIPELINES_PASSES_H

#include "Rope/Codegen/Passes.h"
#include "Rope/Conversion/Passes.h"
#include "Rope/IR/RopeDialect.h"
#include "Rope/Target/X86/Passes.h"
#include "Rope/Transforms/Passes.h"

namespace mlir::rope {
#define GEN_PASS_DECL
#include "Rope/Pipelines/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Rope/Pipelines/Passes.h.inc"

/// The size of this machine's last-level cache in bytes (Linux sysfs), or
/// 32 MiB where it is not known: the CPU pipeline's default threshold for
/// streaming stores.
int64_t lastLevelCacheBytes();

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
  PassOptions::Option<bool> fuse{
      *this, "fuse",
      llvm::cl::desc("Fuse rope ops with their neighbours (QK-norm, casts, "
                     "reshapes, KV-cache writes) into one token loop"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize", llvm::cl::desc("Vectorize the linalg tiles"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> nontemporalMinBytes{
      *this, "nontemporal-min-bytes",
      llvm::cl::desc("Stream outputs of at least this many bytes past the "
                     "caches when 64-byte aligned (-1: never; default: the "
                     "size of this machine's last-level cache)"),
      llvm::cl::init(lastLevelCacheBytes())};
  PassOptions::Option<int64_t> prefetchDistance{
      *this, "prefetch-distance",
      llvm::cl::desc("Prefetch streamed inputs this many bytes ahead of "
                     "each read (0: no prefetches)"),
      llvm::cl::init(2560)};
  PassOptions::Option<std::string> cpuFeatures{
      *this, "cpu-features",
      llvm::cl::desc("Target CPU features the code may use, as LLVM names "
                     "them (\"+avx512bf16,+avx512f\"), or \"host\" for this "
                     "machine's; empty: none beyond what LLVM picks itself"),
      llvm::cl::init("")};
};

/// Options of `--rope-gpu-pipeline`.
struct GpuPipelineOptions : public PassPipelineOptions<GpuPipelineOptions> {
  PassOptions::Option<std::string> chip{*this, "chip",
                                        llvm::cl::desc("GPU architecture (sm_80, sm_90, ...)"),
                                        llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features", llvm::cl::desc("PTX features (+ptx80 for sm_90)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<std::string> format{
      *this, "format", llvm::cl::desc("Binary format: isa (PTX), bin (cubin), fatbin or offload "
                                       "(LLVM IR for a later link)"),
      llvm::cl::init("fatbin")};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit (ptxas, fatbinary, libdevice); default: "
                     "$CUDA_ROOT/$CUDA_HOME/$CUDA_PATH, else /usr/local/cuda"),
      llvm::cl::init("")};
};

/// rope ops (bufferized first) to GPU kernels, host code to the LLVM dialect.
/// Fails, with the reason in `error`, on a format, chip or features value
/// the NVVM pipeline would misread.
LogicalResult buildGpuPipeline(OpPassManager &pm, const GpuPipelineOptions &options,
                               std::string &error);

/// rope ops (and linalg/tensor/arith around them) down to the LLVM dialect.
/// `pm` runs on a builtin.module (or any op, checked when run). Fails, with
/// the reason in `error`, on options it cannot honour or another anchor.
LogicalResult buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options,
                               std::string &error);

/// Adds the external models of the rope dialect's interfaces to `registry`:
/// how one-shot-bufferize bufferizes its ops and how convert-to-llvm lowers
/// rope.stream_fence. The dialect promises both: an MLIR built with
/// assertions names a missing registration.
void registerRopeInterfaceModels(DialectRegistry &registry);

/// Adds the rope dialect and what buildCpuPipeline needs of upstream to
/// `registry`: the dialects its passes create ops of and the interface
/// models (bufferization, tiling, subsets, value bounds, convert-to-llvm)
/// they use, for hosts that do not register every dialect.
void registerCpuPipelineDependencies(DialectRegistry &registry);

/// The same for buildGpuPipeline: the rope dialect and its models, the
/// dialects and bufferization models one-shot-bufferize and
/// convert-rope-to-gpu need, and the NVVM pipeline's convert-to-llvm
/// interfaces, NVVM target model and LLVM IR translations.
void registerGpuPipelineDependencies(DialectRegistry &registry);

/// Registers the passes and the named pipelines with MLIR's global registry
/// (mlir-opt-style tools); building the pipelines needs no registration.
void registerRopePassesAndPipelines();
} // namespace mlir::rope

#endif // ROPE_PIPELINES_PASSES_H
