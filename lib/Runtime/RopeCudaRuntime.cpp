//===- RopeCudaRuntime.cpp - the mgpu* entry points over the CUDA driver --===//
//
// Host code lowered by MLIR's GPU pipeline calls these functions. Upstream
// ships them only in builds with CUDA; this is our implementation over the
// CUDA driver API.
//
// Streams: by default launches go to the legacy default stream and each call
// of the host code waits for its kernel (the host code synchronizes the
// stream it created), as MLIR's synchronous gpu.launch_func promises. A
// caller that orders work by stream instead, as PyTorch, vLLM and IREE's
// CUDA HAL do, names its stream with ropeCudaSetStream: from then on the
// calling thread's launches go to that stream, and the host code neither
// waits for it nor destroys it (see ropeCudaSetStream for why the stream is
// per thread rather than an argument).
//
// Context: every call works in the context current on the calling thread
// (PyTorch makes its device's primary context current); on a thread with
// none, in the primary context of the device ropeCudaSetDevice chose for the
// thread (device 0 by default), made current. Primary contexts are retained
// once per device and never released. Kernel modules are loaded lazily, once
// per context, by the first mgpuModuleGetFunction there: the global
// constructor of the kernels' object (mgpuModuleLoad) only records where the
// GPU binary is, so loading that object touches no GPU.
//
// Errors: the state is per calling thread. A failing driver call (or a
// kernel argument the generated host code refused, see
// ropeCudaReportInvalidArgument) is reported on stderr and recorded; until
// ropeCudaClearError(), later calls on that thread do nothing, and callers
// read the error with ropeCudaLastError()/ropeCudaLastCall()/
// ropeCudaLastMessage() instead of the process aborting. Clearing resets
// only this record: CUDA's own sticky errors (700 illegal address, 716
// misaligned address, 719 launch failure, ...) leave the context unusable,
// and every later call in it fails again, until the process exits.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <new>
#include <vector>

#define ROPE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

struct ErrorState {
  CUresult error = CUDA_SUCCESS;
  const char *call = "";
  char message[512] = "";
};
thread_local ErrorState state;

/// The device whose primary context a thread without a current context uses.
thread_local int chosenDevice = 0;

/// The caller's stream (ropeCudaSetStream), borrowed: its owner orders work
/// on it and destroys it. Without one, the legacy default stream, waited for.
struct StreamChoice {
  bool borrowed = false;
  CUstream stream = nullptr;
};
thread_local StreamChoice chosenStream;

/// Whether `stream` is the caller's (not ours to wait for or destroy).
bool isBorrowed(CUstream stream) {
  return chosenStream.borrowed && stream == chosenStream.stream;
}

/// Records `result` as this thread's error unless one is already pending
/// (the first error stands until ropeCudaClearError).
void record(CUresult result, const char *call, const char *detail = nullptr,
            const char *name = nullptr) {
  if (state.error != CUDA_SUCCESS)
    return;
  char code[32];
  if (!name && (cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)) {
    std::snprintf(code, sizeof(code), "CUDA error %d", static_cast<int>(result));
    name = code;
  }
  state.error = result;
  state.call = call;
  std::snprintf(state.message, sizeof(state.message), "%s failed: %s%s%s", call, name,
                detail ? ": " : "", detail ? detail : "");
  std::fprintf(stderr, "rope-cuda-runtime: %s\n", state.message);
}

bool check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  record(result, call);
  return false;
}

/// cuInit once per process (its failure is permanent).
CUresult initDriver() {
  static const CUresult result = cuInit(0);
  return result;
}

/// The primary context of `device`, retained on first use.
bool primaryContext(int device, CUcontext *context, const char *call) {
  static std::mutex mutex;
  static std::vector<CUcontext> retained;
  std::lock_guard<std::mutex> lock(mutex);
  if (device >= 0 && static_cast<size_t>(device) < retained.size() && retained[device]) {
    *context = retained[device];
    return true;
  }
  int count = 0;
  if (!check(cuDeviceGetCount(&count), "cuDeviceGetCount"))
    return false;
  if (device < 0 || device >= count) {
    char detail[64];
    std::snprintf(detail, sizeof(detail), "device %d, %d visible", device, count);
    record(CUDA_ERROR_INVALID_DEVICE, call, detail, "CUDA_ERROR_INVALID_DEVICE");
    return false;
  }
  CUdevice handle;
  CUcontext primary = nullptr;
  if (!check(cuDeviceGet(&handle, device), "cuDeviceGet") ||
      !check(cuDevicePrimaryCtxRetain(&primary, handle), "cuDevicePrimaryCtxRetain"))
    return false;
  if (retained.size() <= static_cast<size_t>(device))
    retained.resize(device + 1, nullptr);
  retained[device] = primary;
  *context = primary;
  return true;
}

/// The context calls of this thread run in (see the file comment), current
/// on return; false with an error recorded, or while one is pending.
bool ensureContext(CUcontext *out = nullptr) {
  if (state.error != CUDA_SUCCESS || !check(initDriver(), "cuInit"))
    return false;
  CUcontext context = nullptr;
  if (!check(cuCtxGetCurrent(&context), "cuCtxGetCurrent"))
    return false;
  if (!context && (!primaryContext(chosenDevice, &context, "ensureContext") ||
                   !check(cuCtxSetCurrent(context), "cuCtxSetCurrent")))
    return false;
  if (out)
    *out = context;
  return true;
}

/// What mgpuModuleLoad returns: the GPU binary and its module in each
/// context it has been used in.
struct LazyModule {
  const void *data;
  int jitOptLevel; // -1: cuModuleLoadData; else cuModuleLoadDataEx with this level
  std::mutex mutex;
  struct Loaded {
    unsigned long long context;
    CUmodule module;
  };
  std::vector<Loaded> loaded;

  /// The module in the current context `context`, loaded on first use.
  CUmodule get(CUcontext context) {
    unsigned long long id = 0;
    if (!check(cuCtxGetId(context, &id), "cuCtxGetId"))
      return nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    for (const Loaded &l : loaded)
      if (l.context == id)
        return l.module;
    CUmodule module = nullptr;
    if (jitOptLevel < 0) {
      if (!check(cuModuleLoadData(&module, data), "cuModuleLoadData"))
        return nullptr;
    } else {
      CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL};
      void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(jitOptLevel))};
      if (!check(cuModuleLoadDataEx(&module, data, 1, options, values), "cuModuleLoadDataEx"))
        return nullptr;
    }
    loaded.push_back({id, module});
    return module;
  }
};
} // namespace

ROPE_EXPORT int32_t ropeCudaLastError() { return static_cast<int32_t>(state.error); }
ROPE_EXPORT const char *ropeCudaLastCall() { return state.call; }
ROPE_EXPORT const char *ropeCudaLastMessage() { return state.message; }

/// Resets this thread's error record and returns the error it held. CUDA's
/// sticky errors stay in their context: the next call there fails again.
ROPE_EXPORT int32_t ropeCudaClearError() {
  int32_t previous = static_cast<int32_t>(state.error);
  state.error = CUDA_SUCCESS;
  state.call = "";
  state.message[0] = '\0';
  return previous;
}

/// Chooses the device whose primary context this thread uses, and makes
/// that context current (as cudaSetDevice does). Returns the CUresult, also
/// recorded when it is an error.
ROPE_EXPORT int32_t ropeCudaSetDevice(int32_t device) {
  // This call's own result is returned even while an older error is
  // pending; that one stays the thread's record.
  ErrorState pending = state;
  state = ErrorState();
  CUcontext context = nullptr;
  bool ok = check(initDriver(), "cuInit") &&
            primaryContext(device, &context, "ropeCudaSetDevice") &&
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
  CUresult result = state.error;
  if (pending.error != CUDA_SUCCESS)
    state = pending;
  if (ok)
    chosenDevice = device;
  return static_cast<int32_t>(result);
}

/// Sends the calling thread's launches (and the other stream-ordered calls
/// of the host code) to `stream`, a stream of the context the calls run in,
/// and makes them asynchronous: the host code's stream synchronization and
/// destruction skip it, so a call returns once its kernel is queued, ordered
/// after the work already on `stream` and before the work queued there
/// later. 0 names the legacy default stream (PyTorch's default stream) and
/// is honoured the same way. Launch errors are still recorded at once;
/// errors of the running kernel surface in the caller's next synchronizing
/// call, as with any asynchronous CUDA work.
///
/// Per thread, not an argument of the kernels, because that is how the
/// frameworks that own the stream hold it: PyTorch's current stream is per
/// thread and device (vLLM's custom ops read getCurrentCUDAStream() at each
/// launch, as Triton's launcher does), IREE's HAL hands its stream to each
/// dispatch it issues. The caller sets it before each call, a thread-local
/// store; the kernels keep the memref signature MLIR's C interface gives
/// them, and the lowered host code needs no stream operand (upstream's
/// gpu.launch_func only takes a stream from mgpuStreamCreate).
ROPE_EXPORT void ropeCudaSetStream(CUstream stream) {
  chosenStream.borrowed = true;
  chosenStream.stream = stream;
}

/// Returns the calling thread to the default: launches on the legacy
/// default stream, each call waiting for its kernel.
ROPE_EXPORT void ropeCudaResetStream() { chosenStream = StreamChoice(); }

// The rules the host code convert-rope-to-gpu emits checks before each launch
// (lib/Rope/Conversion/RopeToGPU.cpp, GuardRule).
enum GuardRule : int32_t {
  kGuardOffset = 1,
  kGuardInnerStride = 2,
  kGuardTypeStride = 3,
  kGuardBaseAlign = 4,
  kGuardRowAlign = 5,
};

/// Called by the generated host code instead of launching when a buffer
/// breaks a rule of the kernel: `argument` is its position among the entry
/// function's arguments (-1: not an argument), `dim` the dimension at fault
/// (-1: none). Records CUDA_ERROR_INVALID_VALUE with a message naming both.
ROPE_EXPORT void ropeCudaReportInvalidArgument(int32_t argument, int32_t rule, int32_t dim,
                                               int64_t value, int64_t required) {
  char detail[384];
  int n = argument >= 0 ? std::snprintf(detail, sizeof(detail), "memref argument #%d: ", argument)
                        : std::snprintf(detail, sizeof(detail), "a memref operand: ");
  char *rest = detail + n;
  size_t room = sizeof(detail) - n;
  switch (rule) {
  case kGuardOffset:
    std::snprintf(rest, room,
                  "descriptor offset %" PRId64 ", but its memref type fixes it at %" PRId64, value,
                  required);
    break;
  case kGuardInnerStride:
    std::snprintf(rest, room,
                  "innermost stride %" PRId64 " (dim %d): the kernel needs a contiguous innermost "
                  "dimension (stride 1)",
                  value, dim);
    break;
  case kGuardTypeStride:
    std::snprintf(rest, room,
                  "stride %" PRId64 " of dim %d, but its memref type fixes it at %" PRId64
                  " (a permuted or sliced view?)",
                  value, dim, required);
    break;
  case kGuardBaseAlign:
    std::snprintf(rest, room,
                  "first element at 0x%" PRIx64 ", not a multiple of %" PRId64
                  " bytes (the kernel accesses it %" PRId64 " bytes at a time)",
                  static_cast<uint64_t>(value), required, required);
    break;
  case kGuardRowAlign:
    std::snprintf(rest, room,
                  "stride of dim %d is %" PRId64 " bytes, not a multiple of %" PRId64
                  " (every row must start %" PRId64 "-byte aligned)",
                  dim, value, required, required);
    break;
  default:
    std::snprintf(rest, room, "rule %d (dim %d, %" PRId64 ", %" PRId64 ")", rule, dim, value,
                  required);
    break;
  }
  record(CUDA_ERROR_INVALID_VALUE, "kernel argument check (not launched)", detail,
         "CUDA_ERROR_INVALID_VALUE");
}

ROPE_EXPORT CUmodule mgpuModuleLoad(void *data, size_t /*gpuBlobSize*/) {
  return reinterpret_cast<CUmodule>(new (std::nothrow) LazyModule{data, -1, {}, {}});
}

ROPE_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  return reinterpret_cast<CUmodule>(
      new (std::nothrow) LazyModule{data, optLevel < 0 ? 0 : optLevel, {}, {}});
}

// Lowered code unloads only from global destructors: at process exit, where
// the driver may already be shutting down (seen on an H200: an error without
// a name) and the modules go with the process anyway, or when the kernels'
// object is unloaded. Nothing to report.
ROPE_EXPORT void mgpuModuleUnload(CUmodule handle) {
  auto *lazy = reinterpret_cast<LazyModule *>(handle);
  if (!lazy)
    return;
  for (const LazyModule::Loaded &l : lazy->loaded)
    (void)cuModuleUnload(l.module);
  delete lazy;
}

ROPE_EXPORT CUfunction mgpuModuleGetFunction(CUmodule handle, const char *name) {
  CUcontext context = nullptr;
  if (!ensureContext(&context))
    return nullptr;
  auto *lazy = reinterpret_cast<LazyModule *>(handle);
  if (!lazy) {
    record(CUDA_ERROR_OUT_OF_MEMORY, "mgpuModuleLoad", "no module handle");
    return nullptr;
  }
  CUmodule module = lazy->get(context);
  CUfunction function = nullptr;
  if (module)
    check(cuModuleGetFunction(&function, module, name), "cuModuleGetFunction");
  return function;
}

ROPE_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY,
                                  intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                                  intptr_t blockZ, int32_t smem, CUstream stream,
                                  void **params, void **extra, size_t /*paramsCount*/) {
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0 || !ensureContext())
    return;
  if (!function) {
    record(CUDA_ERROR_INVALID_HANDLE, "mgpuLaunchKernel", "no kernel function");
    return;
  }
  check(cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, smem, stream,
                       params, extra),
        "cuLaunchKernel");
}

// The caller's stream, else the legacy default stream: creating and
// destroying either costs nothing.
ROPE_EXPORT CUstream mgpuStreamCreate() {
  ensureContext();
  return chosenStream.borrowed ? chosenStream.stream : nullptr;
}
ROPE_EXPORT void mgpuStreamDestroy(CUstream stream) {
  if (stream && !isBorrowed(stream))
    check(cuStreamDestroy(stream), "cuStreamDestroy");
}
ROPE_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  if (!isBorrowed(stream) && ensureContext())
    check(cuStreamSynchronize(stream), "cuStreamSynchronize");
}
ROPE_EXPORT void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  if (ensureContext())
    check(cuStreamWaitEvent(stream, event, 0), "cuStreamWaitEvent");
}

ROPE_EXPORT CUevent mgpuEventCreate() {
  CUevent event = nullptr;
  if (ensureContext())
    check(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  return event;
}
ROPE_EXPORT void mgpuEventDestroy(CUevent event) {
  if (event)
    check(cuEventDestroy(event), "cuEventDestroy");
}
ROPE_EXPORT void mgpuEventSynchronize(CUevent event) {
  if (event)
    check(cuEventSynchronize(event), "cuEventSynchronize");
}
ROPE_EXPORT void mgpuEventRecord(CUevent event, CUstream stream) {
  if (event)
    check(cuEventRecord(event, stream), "cuEventRecord");
}

ROPE_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/, bool isHostShared) {
  CUdeviceptr ptr = 0;
  if (sizeBytes && ensureContext()) {
    if (isHostShared)
      check(cuMemAllocManaged(&ptr, sizeBytes, CU_MEM_ATTACH_GLOBAL), "cuMemAllocManaged");
    else
      check(cuMemAlloc(&ptr, sizeBytes), "cuMemAlloc");
  }
  return reinterpret_cast<void *>(ptr);
}
ROPE_EXPORT void mgpuMemFree(void *ptr, CUstream /*stream*/) {
  if (ptr)
    check(cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)), "cuMemFree");
}
ROPE_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, CUstream stream) {
  if (ensureContext())
    check(cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst), reinterpret_cast<CUdeviceptr>(src),
                        sizeBytes, stream),
          "cuMemcpyAsync");
}
ROPE_EXPORT void mgpuMemset32(void *dst, unsigned int value, size_t count, CUstream stream) {
  if (ensureContext())
    check(cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count, stream),
          "cuMemsetD32Async");
}
