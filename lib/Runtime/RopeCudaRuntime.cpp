//===- RopeCudaRuntime.cpp - the mgpu* entry points over the CUDA driver --===//
//
// Host code lowered by MLIR's GPU pipeline calls these functions. Upstream
// ships them only in builds with CUDA; this is our implementation over the
// CUDA driver API. Launches go to the legacy default stream, so they are
// ordered with PyTorch's default stream. A failing driver call is reported
// once on stderr and recorded: later calls become no-ops, and callers read
// the error with ropeCudaLastError() instead of the process aborting.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <cstdint>
#include <cstdio>
#include <mutex>

#define ROPE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {
CUresult lastError = CUDA_SUCCESS;
const char *lastCall = "";

bool check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  if (lastError == CUDA_SUCCESS) {
    const char *name = nullptr;
    cuGetErrorName(result, &name);
    std::fprintf(stderr, "rope-cuda-runtime: %s failed: %s\n", call, name ? name : "unknown");
    lastError = result;
    lastCall = call;
  }
  return false;
}

/// Makes device 0's primary context current (the one PyTorch uses).
bool ensureContext() {
  static std::once_flag once;
  static CUcontext context = nullptr;
  std::call_once(once, [] {
    CUdevice device;
    if (check(cuInit(0), "cuInit") && check(cuDeviceGet(&device, 0), "cuDeviceGet"))
      check(cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
  });
  return context && lastError == CUDA_SUCCESS &&
         check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
}
} // namespace

ROPE_EXPORT int32_t ropeCudaLastError() { return static_cast<int32_t>(lastError); }
ROPE_EXPORT const char *ropeCudaLastCall() { return lastCall; }

ROPE_EXPORT CUmodule mgpuModuleLoad(void *data, size_t /*gpuBlobSize*/) {
  CUmodule module = nullptr;
  if (ensureContext())
    check(cuModuleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

ROPE_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  CUmodule module = nullptr;
  CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  if (ensureContext())
    check(cuModuleLoadDataEx(&module, data, 1, options, values), "cuModuleLoadDataEx");
  return module;
}

// Lowered code unloads only from global destructors, at process exit, where
// the driver may already be shutting down (seen on an H200: an error without
// a name) and the module goes with the process anyway: nothing to report.
ROPE_EXPORT void mgpuModuleUnload(CUmodule module) {
  if (module)
    (void)cuModuleUnload(module);
}

ROPE_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module, const char *name) {
  CUfunction function = nullptr;
  if (module && ensureContext())
    check(cuModuleGetFunction(&function, module, name), "cuModuleGetFunction");
  return function;
}

ROPE_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY,
                                  intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                                  intptr_t blockZ, int32_t smem, CUstream stream,
                                  void **params, void **extra, size_t /*paramsCount*/) {
  if (function && ensureContext() && gridX > 0)
    check(cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, smem, stream,
                         params, extra),
          "cuLaunchKernel");
}

// The legacy default stream: creating and destroying one costs nothing.
ROPE_EXPORT CUstream mgpuStreamCreate() {
  ensureContext();
  return nullptr;
}
ROPE_EXPORT void mgpuStreamDestroy(CUstream stream) {
  if (stream)
    check(cuStreamDestroy(stream), "cuStreamDestroy");
}
ROPE_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  if (ensureContext())
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
