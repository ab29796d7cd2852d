//===- Pipelines.cpp - named rope pipelines -------------------------------===//

#include "Rope/Pipelines/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <cstdlib>

using namespace mlir;

int64_t rope::lastLevelCacheBytes() {
  static const int64_t bytes = [] {
    // The cache levels of cpu0, each with its level and a size such as
    // "32768K"; the highest level is the one shared by the most cores.
    int64_t best = 0, bestLevel = 0;
    for (int index = 0; index < 8; ++index) {
      std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
      auto level = llvm::MemoryBuffer::getFile(dir + "level");
      auto size = llvm::MemoryBuffer::getFile(dir + "size");
      if (!level || !size)
        break;
      int64_t levelValue = 0, sizeValue = 0;
      StringRef sizeText = (*size)->getBuffer().trim();
      int64_t unit = sizeText.consume_back("K") ? 1024 : sizeText.consume_back("M") ? 1 << 20 : 1;
      if ((*level)->getBuffer().trim().getAsInteger(10, levelValue) ||
          sizeText.getAsInteger(10, sizeValue) || sizeValue <= 0 || sizeValue > (int64_t(1) << 40) / unit)
        continue;
      if (levelValue >= bestLevel) {
        bestLevel = levelValue;
        best = sizeValue * unit;
      }
    }
    // 32 MiB: an L3 of current server and desktop parts.
    return best > 0 ? best : int64_t(32) << 20;
  }();
  return bytes;
}

/// The pipelines start and end with passes on builtin.module: a pass manager
/// nested on another op would abort on adding them.
static LogicalResult checkAnchor(const OpPassManager &pm, StringRef pipeline,
                                 raw_ostream &errors) {
  StringRef anchor = pm.getOpAnchorName();
  if (anchor == ModuleOp::getOperationName() || anchor == OpPassManager::getAnyOpAnchorName())
    return success();
  errors << "the " << pipeline << " runs on a builtin.module, not on a pass manager nested on '"
         << anchor << "'";
  return failure();
}

/// What a `cpu-features` value says of each feature it names: enabled or
/// disabled (later entries win).
static FailureOr<llvm::StringMap<bool>> namedCpuFeatures(StringRef features, raw_ostream &errors) {
  FailureOr<SmallVector<std::string>> entries = rope::parseCpuFeatures(features, errors);
  if (failed(entries))
    return failure();
  llvm::StringMap<bool> named;
  for (StringRef entry : *entries)
    named[entry.drop_front()] = entry.front() == '+';
  return named;
}

/// Checks the CPU pipeline's options before the passes that take them: a
/// pass's own error points at the first function, not at the option.
static LogicalResult checkCpuOptions(const rope::CpuPipelineOptions &options,
                                     raw_ostream &errors) {
  if (options.tileSize <= 0) {
    errors << "tile-size must be positive, got " << options.tileSize;
    return failure();
  }
  if (options.minParallelTokens < 0) {
    errors << "min-parallel-tokens must be >= 0, got " << options.minParallelTokens;
    return failure();
  }
  if (options.nontemporalMinBytes < -1) {
    errors << "nontemporal-min-bytes must be -1 (never stream) or >= 0, got "
           << options.nontemporalMinBytes;
    return failure();
  }
  if (options.prefetchDistance < 0 || options.prefetchDistance > (int64_t(1) << 30)) {
    errors << "prefetch-distance must be between 0 and 2^30, got " << options.prefetchDistance;
    return failure();
  }
  return success();
}

/// The token-tiling options shared by rope-fuse-neighbours and
/// rope-tile-tokens.
template <typename TileOptionsT>
static TileOptionsT tileOptions(const rope::CpuPipelineOptions &options) {
  TileOptionsT tile;
  tile.tileSize = options.tileSize;
  tile.parallel = options.threads;
  if (options.threads)
    tile.minParallelTokens = options.minParallelTokens;
  return tile;
}

/// Built with typed passes, so that a host compiler needs no pass registered
/// globally; `--dump-pass-pipeline` prints it as text (README "Pipelines").
LogicalResult rope::buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options,
                                    std::string &error) {
  llvm::raw_string_ostream errors(error);
  if (failed(checkAnchor(pm, "CPU pipeline", errors)) || failed(checkCpuOptions(options, errors)))
    return failure();
  FailureOr<llvm::StringMap<bool>> features = namedCpuFeatures(options.cpuFeatures, errors);
  if (failed(features))
    return failure();
  auto enabled = [&](StringRef name) { return features->lookup(name); };
  auto disabled = [&](StringRef name) { return features->contains(name) && !enabled(name); };
  bool bf16Packed = enabled("avx512bf16");
  // The widest vector registers the features name, for streaming stores of
  // bf16 and f16 vectors as inline asm.
  int64_t vectorBits = (enabled("avx512f") || bf16Packed) && !disabled("avx512f") ? 512
                       : (enabled("avx") || enabled("avx2")) && !disabled("avx")  ? 256
                                                                                 : 128;
  // An x86 CPU with SSE (sfence): one of its vector extensions named, SSE
  // not turned off.
  bool x86 = llvm::any_of(std::initializer_list<StringRef>{"sse2", "avx", "avx2", "avx512f",
                                                           "avx512bf16"},
                          enabled) &&
             !disabled("sse") && !disabled("sse2");
  bool streaming = options.nontemporalMinBytes >= 0;

  pm.addPass(createRopeCheckDimIndices());
  // A TOSA graph (as TF/TFLite and torch-mlir's TOSA path export it) is
  // lowered to linalg first, as upstream's tosa-to-linalg-pipeline does for
  // the ops a model has; its control flow (cond_if, while_loop) becomes scf
  // first, so that the ops in its regions lower with the rest.
  OpPassManager &tosa = pm.nest<func::FuncOp>();
  tosa.addPass(createTosaToSCFPass());
  tosa.addPass(tosa::createTosaToLinalgNamed());
  tosa.addPass(tosa::createTosaToLinalg());
  tosa.addPass(createTosaToArithPass());
  tosa.addPass(createTosaToTensorPass());

  OpPassManager &graph = pm.nestAny();
  graph.addPass(createConvertElementwiseToLinalgPass());
  // A model graph's softmax is one op until rope-decompose-aggregate-ops
  // makes it generics; linalg's vectorizer turns their reductions (and
  // matmuls') into vector.multi_reduction, lowered below.
  graph.addPass(createRopeDecomposeAggregateOps());
  graph.addPass(createCanonicalizerPass());
  // Before rope-tile-tokens, which tiles the rope ops left with nothing to
  // fuse.
  if (options.fuse)
    graph.addPass(createRopeFuseNeighbours(tileOptions<RopeFuseNeighboursOptions>(options)));
  graph.addPass(createRopeTileTokens(tileOptions<RopeTileTokensOptions>(options)));
  graph.addPass(createRopeDecompose());
  graph.addPass(createCanonicalizerPass());
  graph.addPass(createCSEPass());
  if (options.vectorize) {
    graph.addPass(createRopeVectorize());
    graph.addPass(createCanonicalizerPass());
    graph.addPass(createCSEPass());
    pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass(
        vector::VectorMultiReductionLowering::InnerReduction));
  }
  // A rope result inserted into a larger tensor (a KV cache) is computed
  // in that tensor's slice: one-shot-bufferize then writes it in place.
  if (options.fuse)
    pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  // A loop whose iterations make new tensors (TOSA's while_loop, a loop
  // over layers) yields fresh buffers; without the option bufferization
  // rejects it.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  // The copies bufferization leaves that would be memrefCopy calls (v into
  // a KV cache slice) as loops the passes below stream and thread.
  RopeVectorizeCopiesOptions copies;
  copies.parallel = options.threads;
  pm.nestAny().addPass(createRopeVectorizeCopies(copies));
  pm.nestAny().addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createRopeUnrollOddVectors());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createConvertVectorToSCFPass(VectorTransferToSCFOptions().enableFullUnroll()));
  if (streaming) {
    RopeNontemporalStoresOptions stores;
    stores.minBytes = options.nontemporalMinBytes;
    stores.keepBF16TruncF = bf16Packed;
    pm.nestAny().addPass(createRopeNontemporalStores(stores));
  }
  if (options.prefetchDistance != 0) {
    RopePrefetchOptions prefetch;
    prefetch.distanceBytes = options.prefetchDistance;
    pm.nestAny().addPass(createRopePrefetch(prefetch));
  }
  // bf16 arithmetic widened in the IR, where LLVM hoists loop-invariant
  // widenings and the lane passes see the rows.
  pm.addPass(createRopeWidenBf16Arith());
  // Without AVX512-BF16, LLVM rounds f32 to bf16 with a call to
  // __truncsfbf2, which libgcc lacks: here the rounding becomes integer
  // arithmetic in the IR, so that a kernel links with libc and libm alone.
  if (!bf16Packed) {
    arith::ArithExpandOpsPassOptions expand;
    expand.includeBf16 = true;
    pm.addPass(arith::createArithExpandOpsPass(expand));
  }
  if (bf16Packed) {
    pm.addPass(createRopeBf16EvenOddLanes());
    pm.addPass(createCanonicalizerPass());
  }
  if (options.threads) {
    pm.addPass(createForallToParallelLoopPass());
    pm.addPass(createConvertSCFToOpenMPPass());
  }
  // After the OpenMP conversion, which makes a parallel loop's body a
  // thread's sequential loop; before canonicalize, which then inlines the
  // alloca scopes left empty.
  pm.addPass(createRopeLoopBuffersToStack());
  pm.addPass(createCanonicalizerPass());
  // After the OpenMP conversion: its memref.alloca_scope inlines only around
  // ops of known memory effects, which the intrinsic calls are not.
  if (bf16Packed)
    pm.addPass(createRopeAvx512Bf16TruncF());
  if (x86 && streaming)
    pm.addPass(createRopeX86StreamFences());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // Complex arithmetic (Meta Llama's freqs_cis form) as real arithmetic;
  // math with no LLVM intrinsic (f64 erf) as libm calls.
  pm.addPass(createConvertComplexToStandardPass());
  pm.addPass(math::createMathSincosFusionPass());
  pm.addPass(createRopeApproximateMath());
  // After rope-codegen-approximate-math, which marks sums reassociable and makes
  // pow(x, 2) a multiply.
  if (bf16Packed)
    pm.addPass(createRopeAvx512Bf16SumOfSquares());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertToLLVMPass());
  if (options.threads)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (x86 && streaming) {
    RopeX86NontemporalVectorStoresOptions vectorStores;
    vectorStores.vectorBits = vectorBits;
    pm.addPass(createRopeX86NontemporalVectorStores(vectorStores));
  }
  // With "host" the functions carry this machine's features, so that the
  // LLVM IR builds for it without -march=native. Not for an explicit list:
  // LLVM takes a function's features instead of -march's, not on top.
  if (StringRef(options.cpuFeatures).trim() == "host") {
    RopeSetTargetFeaturesOptions target;
    target.features = "host";
    pm.addPass(createRopeSetTargetFeatures(target));
  }
  // OpenMP's ops stay for mlir-translate (threads=true).
  RopeCheckLoweredOptions check;
  check.dialects = {"llvm", "omp"};
  pm.addPass(createRopeCheckLowered(check));
  return success();
}

/// Checks the GPU pipeline's options before they reach passes that would
/// misread them: gpu-module-to-binary reports an unknown format without
/// failing, and NVPTX emits `.target foo` for an unknown chip.
static LogicalResult checkGpuOptions(const rope::GpuPipelineOptions &options,
                                     raw_ostream &errors) {
  StringRef format = options.format;
  if (!llvm::is_contained({"isa", "bin", "fatbin", "offload"}, format)) {
    errors << "format must be isa, bin, fatbin or offload, got '" << format << "'";
    return failure();
  }
  // The chips LLVM 22's NVPTX knows, with the oldest PTX each needs
  // (NVPTX.td): NVPTX aborts the process on a PTX too old for the chip, and
  // emits `.target` for a chip it does not know.
  static const llvm::StringMap<unsigned> minPtx = {
      {"sm_50", 40},  {"sm_52", 41},  {"sm_53", 42},   {"sm_60", 50},   {"sm_61", 50},
      {"sm_62", 50},  {"sm_70", 60},  {"sm_72", 61},   {"sm_75", 63},   {"sm_80", 70},
      {"sm_86", 71},  {"sm_87", 74},  {"sm_89", 78},   {"sm_90", 78},   {"sm_90a", 80},
      {"sm_100", 86}, {"sm_100a", 86}, {"sm_101", 86}, {"sm_101a", 86}, {"sm_120", 87},
      {"sm_120a", 87}};
  StringRef chip = options.chip;
  auto known = minPtx.find(chip);
  if (known == minPtx.end()) {
    errors << "chip must be one NVPTX knows (sm_80, sm_90, sm_90a, sm_100, ...), got '" << chip
           << "'";
    return failure();
  }
  // The PTX versions LLVM 22's NVPTX knows: it warns about any other, ignores
  // it and emits its default version.
  static const unsigned knownPtx[] = {32, 40, 41, 42, 43, 50, 60, 61, 62, 63, 64, 65, 70,
                                      71, 72, 73, 74, 75, 76, 77, 78, 80, 81, 82, 83, 84,
                                      85, 86, 87, 88, 90};
  SmallVector<StringRef> features;
  if (!StringRef(options.features).empty())
    StringRef(options.features).split(features, ',');
  for (StringRef feature : features) {
    unsigned version = 0;
    StringRef digits = feature.trim();
    if (!digits.consume_front("+ptx") || digits.getAsInteger(10, version)) {
      errors << "features must be comma-separated +ptx<N> entries (+ptx80), got '" << feature
             << "'";
      return failure();
    }
    if (!llvm::is_contained(knownPtx, version)) {
      errors << "features: '" << feature << "' is not a PTX version NVPTX knows (+ptx32 ... +ptx90)";
      return failure();
    }
    if (version < known->second) {
      errors << "features: " << chip << " needs PTX " << known->second << " or newer, got '"
             << feature << "'";
      return failure();
    }
  }
  return success();
}

/// The CUDA toolkit gpu-module-to-binary is to use: the option, else the
/// environment's CUDA_ROOT, CUDA_HOME or CUDA_PATH, else /usr/local/cuda.
static std::string cudaToolkit(const rope::GpuPipelineOptions &options) {
  if (!options.toolkit.empty())
    return options.toolkit;
  for (const char *name : {"CUDA_ROOT", "CUDA_HOME", "CUDA_PATH"})
    if (const char *value = ::getenv(name); value && *value)
      return value;
  return "/usr/local/cuda";
}

LogicalResult rope::buildGpuPipeline(OpPassManager &pm, const GpuPipelineOptions &options,
                                     std::string &error) {
  llvm::raw_string_ostream errors(error);
  if (failed(checkAnchor(pm, "GPU pipeline", errors)) || failed(checkGpuOptions(options, errors)))
    return failure();
  std::string toolkit = cudaToolkit(options);
  // The path goes to the pass as an option value: braces keep a path with
  // spaces, commas or '=' whole, and no path holds both braces.
  if (StringRef(toolkit).contains('{') || StringRef(toolkit).contains('}')) {
    errors << "toolkit: a path with '{' or '}' is not supported, got '" << toolkit << "'";
    return failure();
  }
  pm.addPass(createRopeCheckDimIndices());
  // convert-rope-to-gpu lowers the buffer form: caller buffers reach it as memrefs
  // (to_tensor folds away, results are written into their outs buffers).
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createRopeToGpu());
  // Also drops the self-copies of results materialized into their own buffer.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createGpuKernelOutliningPass());
  // The NVVM pipeline lowers no linalg or tensor op: left to it, a graph's
  // linalg op comes out as invalid IR (its region broken up by
  // convert-scf-to-cf, its body by convert-arith-to-llvm).
  RopeCheckLoweredOptions beforeNvvm;
  beforeNvvm.nvvmTarget = true;
  beforeNvvm.dialects = {"func", "arith", "math", "memref", "gpu", "scf", "cf",    "vector",
                         "index", "affine", "llvm", "nvvm", "ub"};
  pm.addPass(createRopeCheckLowered(beforeNvvm));
  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = options.features;
  nvvm.cubinFormat = options.format;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
  // Upstream's NVVM pipeline has no toolkit option: its gpu-module-to-binary
  // (one per pipeline) gets the toolkit here, not through the environment.
  for (Pass &pass : pm.getPasses()) {
    if (pass.getArgument() != "gpu-module-to-binary")
      continue;
    if (failed(pass.initializeOptions("toolkit={" + toolkit + "}", [&](const Twine &message) {
          errors << "toolkit: " << message;
          return failure();
        })))
      return failure();
  }
  // Host code is LLVM; the kernels sit in gpu.binary ops, launched with
  // gpu.launch_func (mlir-translate lowers both).
  RopeCheckLoweredOptions afterNvvm;
  afterNvvm.dialects = {"llvm", "gpu"};
  pm.addPass(createRopeCheckLowered(afterNvvm));
  return success();
}

/// Registers a named pipeline whose bad options are a diagnostic and an exit
/// code, not an abort (PassPipelineRegistration aborts on a builder's error).
template <typename OptionsT>
static void registerCheckedPipeline(
    StringRef name, StringRef description,
    LogicalResult (*build)(OpPassManager &, const OptionsT &, std::string &)) {
  registerPassPipeline(
      name, description,
      [name, build](OpPassManager &pm, StringRef text,
                    function_ref<LogicalResult(const Twine &)> onError) {
        OptionsT options;
        if (failed(options.parseFromString(text)))
          return failure();
        std::string error;
        if (failed(build(pm, options, error)))
          return onError(name + ": " + error);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optionHandler) {
        optionHandler(OptionsT());
      });
}

void rope::registerRopePassesAndPipelines() {
  registerRopeTransformsPasses();
  registerRopeConversionPasses();
  registerRopeCodegenPasses();
  registerRopeX86Passes();
  registerRopePipelinesPasses();
  registerCheckedPipeline<CpuPipelineOptions>(
      "rope-cpu-pipeline",
      "Tile rope ops over tokens, lower them to linalg, vectorize, bufferize "
      "and lower everything to the LLVM dialect",
      buildCpuPipeline);
  registerCheckedPipeline<GpuPipelineOptions>(
      "rope-gpu-pipeline",
      "Bufferize, lower rope ops to fused NVIDIA GPU kernels "
      "through gpu, NVVM and gpu-module-to-binary; host code to LLVM",
      buildGpuPipeline);
}
