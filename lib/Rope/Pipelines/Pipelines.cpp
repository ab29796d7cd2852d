//===- Pipelines.cpp - named rope pipelines -------------------------------===//

#include "Rope/Pipelines/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
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

/// The CPU pipeline as text, so that it is printable, documented and reusable
/// from other tools verbatim (README "Pipelines").
static FailureOr<std::string> getCpuPipelineText(const rope::CpuPipelineOptions &options,
                                                 raw_ostream &errors) {
  // Checked here, before the passes that take them: a pass's own error
  // points at the first function, not at the option.
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
  std::string text;
  llvm::raw_string_ostream os(text);
  // A model graph's softmax is one op until rope-decompose-aggregate-ops
  // makes it generics; linalg's vectorizer turns their reductions (and
  // matmuls') into vector.multi_reduction, which convert-vector-to-llvm does
  // not lower.
  // A TOSA graph (as TF/TFLite and torch-mlir's TOSA path export it) is
  // lowered to linalg first, as upstream's tosa-to-linalg-pipeline does for
  // the ops a model has.
  // TOSA's control flow (cond_if, while_loop) becomes scf first, so that the
  // ops in its regions lower with the rest.
  os << "rope-check-dim-indices,func.func(tosa-to-scf,tosa-to-linalg-named,tosa-to-linalg,"
        "tosa-to-arith,tosa-to-tensor),any(convert-elementwise-to-linalg,"
        "rope-decompose-aggregate-ops,"
        "canonicalize,";
  // Before rope-tile-tokens, which tiles the rope ops left with nothing to
  // fuse.
  if (options.fuse) {
    os << "rope-fuse-neighbours{tile-size=" << options.tileSize;
    if (options.threads)
      os << " parallel=true min-parallel-tokens=" << options.minParallelTokens;
    os << "},";
  }
  os << "rope-tile-tokens{tile-size=" << options.tileSize;
  if (options.threads)
    os << " parallel=true min-parallel-tokens=" << options.minParallelTokens;
  os << "},rope-decompose,canonicalize,cse";
  if (options.vectorize)
    os << ",rope-vectorize,canonicalize,cse";
  os << ")";
  if (options.vectorize)
    os << ",func.func(lower-vector-multi-reduction{lowering-strategy=inner-reduction})";
  // A rope result inserted into a larger tensor (a KV cache) is computed
  // in that tensor's slice: one-shot-bufferize then writes it in place.
  if (options.fuse)
    os << ",eliminate-empty-tensors";
  // A loop whose iterations make new tensors (TOSA's while_loop, a loop
  // over layers) yields fresh buffers; without the option bufferization
  // rejects it.
  os << ",one-shot-bufferize{allow-return-allocs-from-loops bufferize-function-boundaries "
        "function-boundary-type-conversion=identity-layout-map},"
        "canonicalize,cse,canonicalize,"
        "buffer-deallocation-pipeline,convert-bufferization-to-memref,";
  // The copies bufferization leaves that would be memrefCopy calls (v into
  // a KV cache slice) as loops the passes below stream and thread.
  os << "any(rope-vectorize-copies" << (options.threads ? "{parallel=true}" : "") << "),"
        "any(convert-linalg-to-loops),rope-unroll-odd-vectors,canonicalize,cse,"
        "convert-vector-to-scf{full-unroll=true},";
  if (options.nontemporalMinBytes >= 0)
    os << "any(rope-nontemporal-stores{min-bytes=" << options.nontemporalMinBytes
       << (bf16Packed ? " keep-bf16-truncf=true" : "") << "}),";
  if (options.prefetchDistance != 0)
    os << "any(rope-prefetch{distance-bytes=" << options.prefetchDistance << "}),";
  // bf16 arithmetic widened in the IR, where LLVM hoists loop-invariant
  // widenings and the lane passes see the rows.
  os << "rope-widen-bf16-arith,";
  if (bf16Packed)
    os << "rope-bf16-even-odd-lanes,canonicalize,";
  if (options.threads)
    os << "scf-forall-to-parallel,convert-scf-to-openmp,";
  // After the OpenMP conversion, which makes a parallel loop's body a
  // thread's sequential loop; before canonicalize, which then inlines the
  // alloca scopes left empty.
  os << "rope-loop-buffers-to-stack,canonicalize,";
  // After the OpenMP conversion: its memref.alloca_scope inlines only around
  // ops of known memory effects, which the intrinsic calls are not.
  if (bf16Packed)
    os << "rope-avx512bf16-truncf,";
  if (x86 && options.nontemporalMinBytes >= 0)
    os << "rope-x86-stream-fences,";
  os << "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
        // Complex arithmetic (Meta Llama's freqs_cis form) as real
        // arithmetic; math with no LLVM intrinsic (f64 erf) as libm calls.
        "convert-complex-to-standard,math-sincos-fusion,rope-approximate-math,";
  // After rope-approximate-math, which marks sums reassociable and makes
  // pow(x, 2) a multiply.
  if (bf16Packed)
    os << "rope-avx512bf16-sum-of-squares,";
  os << "finalize-memref-to-llvm,convert-vector-to-llvm,convert-math-to-llvm,convert-math-to-libm,"
        "convert-to-llvm,";
  if (options.threads)
    os << "convert-openmp-to-llvm,";
  os << "reconcile-unrealized-casts";
  if (x86 && options.nontemporalMinBytes >= 0)
    os << ",rope-x86-nontemporal-vector-stores{vector-bits=" << vectorBits << "}";
  // With "host" the functions carry this machine's features, so that the
  // LLVM IR builds for it without -march=native. Not for an explicit list:
  // LLVM takes a function's features instead of -march's, not on top.
  if (StringRef(options.cpuFeatures).trim() == "host")
    os << ",rope-set-target-features{features=host}";
  // OpenMP's ops stay for mlir-translate (threads=true).
  os << ",rope-check-lowered{dialects=llvm,omp}";
  return text;
}

LogicalResult rope::buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options,
                                    std::string &error) {
  llvm::raw_string_ostream os(error);
  FailureOr<std::string> text = getCpuPipelineText(options, os);
  return failure(failed(text) || failed(parsePassPipeline(*text, pm, os)));
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

LogicalResult rope::buildGpuPipeline(OpPassManager &pm, const GpuPipelineOptions &options,
                                     std::string &error) {
  llvm::raw_string_ostream es(error);
  if (failed(checkGpuOptions(options, es)))
    return failure();
  // gpu-module-to-binary finds ptxas, fatbinary and libdevice through
  // CUDA_ROOT (the bundled NVVM pipeline has no toolkit option): point it at
  // the chosen toolkit unless the environment already names one.
  if (!options.toolkit.empty())
    ::setenv("CUDA_ROOT", options.toolkit.c_str(), /*overwrite=*/1);
  else if (!::getenv("CUDA_ROOT") && !::getenv("CUDA_HOME") && !::getenv("CUDA_PATH"))
    ::setenv("CUDA_ROOT", "/usr/local/cuda", /*overwrite=*/0);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "rope-check-dim-indices,rope-to-gpu,canonicalize,cse,"
        "one-shot-bufferize{bufferize-function-boundaries "
        "function-boundary-type-conversion=identity-layout-map},"
        "gpu-kernel-outlining,"
        // The NVVM pipeline lowers no linalg or tensor op: left to it, a
        // graph's linalg op comes out as invalid IR (its region broken up
        // by convert-scf-to-cf, its body by convert-arith-to-llvm).
        "rope-check-lowered{dialects=func,arith,math,memref,gpu,scf,cf,vector,index,affine,"
        "llvm,nvvm,ub},"
        "gpu-lower-to-nvvm-pipeline{cubin-chip="
     << options.chip << " cubin-features=" << options.features
     << " cubin-format=" << options.format << "},"
     // Host code is LLVM; the kernels sit in gpu.binary ops, launched with
     // gpu.launch_func (mlir-translate lowers both).
     << "rope-check-lowered{dialects=llvm,gpu}";
  return parsePassPipeline(text, pm, es);
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
      "Lower rope ops (ahead-of-time entry form) to fused NVIDIA GPU kernels "
      "through gpu, NVVM and gpu-module-to-binary; host code to LLVM",
      buildGpuPipeline);
}
