// A mock of the CUDA driver (libcuda.so.1) for testing librope_cuda_runtime.so
// without a GPU: the entry points the runtime calls, with devices, primary
// and other contexts, a current context per thread, modules bound to the
// context they were loaded in, launches recorded rather than run, and sticky
// errors that poison a context as a real illegal or misaligned address does.
// Build: clang++ -shared -fPIC -Wl,-soname,libcuda.so.1 -I/usr/local/cuda/include
// The mockCuda* functions let a test inspect and steer it.

#include <cuda.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#define MOCK_EXPORT extern "C" __attribute__((visibility("default")))

struct CUctx_st {
  int device;
  unsigned long long id;
  CUresult sticky = CUDA_SUCCESS;
};
struct CUmod_st {
  CUctx_st *context;
  const void *data;
};
struct CUfunc_st {
  CUmod_st *module;
  std::string name;
};

namespace {
std::mutex mutex;
int initCalls = 0;
int moduleLoads = 0;
int launches = 0;
int64_t lastLaunch[8] = {};
CUstream lastStream = nullptr;
int streamSyncs = 0;
int streamDestroys = 0;
std::string lastKernel;
unsigned long long nextId = 1;
std::vector<CUctx_st *> primary;
std::vector<int> retains;
thread_local CUctx_st *current = nullptr;

int deviceCount() {
  const char *env = std::getenv("MOCK_CUDA_DEVICES");
  return env ? std::atoi(env) : 2;
}

/// Every call in a poisoned context fails with its sticky error.
CUresult sticky() { return current ? current->sticky : CUDA_SUCCESS; }
} // namespace

MOCK_EXPORT CUresult cuInit(unsigned int) {
  std::lock_guard<std::mutex> lock(mutex);
  ++initCalls;
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
  case CUDA_SUCCESS: *name = "CUDA_SUCCESS"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_VALUE: *name = "CUDA_ERROR_INVALID_VALUE"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_CONTEXT: *name = "CUDA_ERROR_INVALID_CONTEXT"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_DEVICE: *name = "CUDA_ERROR_INVALID_DEVICE"; return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_HANDLE: *name = "CUDA_ERROR_INVALID_HANDLE"; return CUDA_SUCCESS;
  case CUDA_ERROR_ILLEGAL_ADDRESS: *name = "CUDA_ERROR_ILLEGAL_ADDRESS"; return CUDA_SUCCESS;
  case CUDA_ERROR_MISALIGNED_ADDRESS: *name = "CUDA_ERROR_MISALIGNED_ADDRESS"; return CUDA_SUCCESS;
  default: *name = nullptr; return CUDA_ERROR_INVALID_VALUE;
  }
}

MOCK_EXPORT CUresult cuDeviceGetCount(int *count) {
  *count = deviceCount();
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  if (ordinal < 0 || ordinal >= deviceCount())
    return CUDA_ERROR_INVALID_DEVICE;
  *device = ordinal;
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice device) {
  std::lock_guard<std::mutex> lock(mutex);
  if (device < 0 || device >= deviceCount())
    return CUDA_ERROR_INVALID_DEVICE;
  if (primary.size() <= static_cast<size_t>(device)) {
    primary.resize(device + 1, nullptr);
    retains.resize(device + 1, 0);
  }
  if (!primary[device])
    primary[device] = new CUctx_st{device, nextId++};
  ++retains[device];
  *context = primary[device];
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuCtxGetCurrent(CUcontext *context) {
  *context = current;
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuCtxSetCurrent(CUcontext context) {
  current = context;
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuCtxGetId(CUcontext context, unsigned long long *id) {
  if (!context)
    return CUDA_ERROR_INVALID_CONTEXT;
  *id = context->id;
  return CUDA_SUCCESS;
}

static CUresult loadModule(CUmodule *module, const void *data) {
  if (CUresult s = sticky())
    return s;
  if (!current)
    return CUDA_ERROR_INVALID_CONTEXT;
  std::lock_guard<std::mutex> lock(mutex);
  ++moduleLoads;
  *module = new CUmod_st{current, data};
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuModuleLoadData(CUmodule *module, const void *data) {
  return loadModule(module, data);
}

MOCK_EXPORT CUresult cuModuleLoadDataEx(CUmodule *module, const void *data, unsigned int,
                                        CUjit_option *, void **) {
  return loadModule(module, data);
}

MOCK_EXPORT CUresult cuModuleUnload(CUmodule module) {
  delete module;
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuModuleGetFunction(CUfunction *function, CUmodule module,
                                         const char *name) {
  if (CUresult s = sticky())
    return s;
  if (!current || module->context != current)
    return CUDA_ERROR_INVALID_HANDLE; // a module of another context
  *function = new CUfunc_st{module, name}; // leaked: a test runs briefly
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz,
                                    unsigned bx, unsigned by, unsigned bz, unsigned smem,
                                    CUstream stream, void **, void **) {
  if (CUresult s = sticky())
    return s;
  if (!current || f->module->context != current)
    return CUDA_ERROR_INVALID_HANDLE;
  std::lock_guard<std::mutex> lock(mutex);
  ++launches;
  int64_t record[8] = {gx, gy, gz, bx, by, bz, smem, current->device};
  std::memcpy(lastLaunch, record, sizeof(record));
  lastKernel = f->name;
  lastStream = stream;
  return CUDA_SUCCESS;
}

MOCK_EXPORT CUresult cuStreamSynchronize(CUstream) {
  std::lock_guard<std::mutex> lock(mutex);
  ++streamSyncs;
  return sticky();
}
MOCK_EXPORT CUresult cuStreamDestroy(CUstream) {
  std::lock_guard<std::mutex> lock(mutex);
  ++streamDestroys;
  return sticky();
}
MOCK_EXPORT CUresult cuStreamWaitEvent(CUstream, CUevent, unsigned int) { return sticky(); }
MOCK_EXPORT CUresult cuEventCreate(CUevent *event, unsigned int) {
  *event = nullptr;
  return sticky();
}
MOCK_EXPORT CUresult cuEventDestroy(CUevent) { return CUDA_SUCCESS; }
MOCK_EXPORT CUresult cuEventRecord(CUevent, CUstream) { return sticky(); }
MOCK_EXPORT CUresult cuEventSynchronize(CUevent) { return sticky(); }
MOCK_EXPORT CUresult cuMemAlloc(CUdeviceptr *ptr, size_t) {
  *ptr = 0;
  return sticky();
}
MOCK_EXPORT CUresult cuMemAllocManaged(CUdeviceptr *ptr, size_t, unsigned int) {
  *ptr = 0;
  return sticky();
}
MOCK_EXPORT CUresult cuMemFree(CUdeviceptr) { return CUDA_SUCCESS; }
MOCK_EXPORT CUresult cuMemcpyAsync(CUdeviceptr, CUdeviceptr, size_t, CUstream) {
  return sticky();
}
MOCK_EXPORT CUresult cuMemsetD32Async(CUdeviceptr, unsigned int, size_t, CUstream) {
  return sticky();
}

// --- For tests -------------------------------------------------------------

MOCK_EXPORT int mockCudaInitCalls() { return initCalls; }
MOCK_EXPORT int mockCudaModuleLoads() { return moduleLoads; }
MOCK_EXPORT int mockCudaLaunches() { return launches; }
/// grid x/y/z, block x/y/z, shared memory, device of the last launch.
MOCK_EXPORT void mockCudaLastLaunch(int64_t *out) { std::memcpy(out, lastLaunch, sizeof(lastLaunch)); }
MOCK_EXPORT const char *mockCudaLastKernel() { return lastKernel.c_str(); }
/// The stream of the last launch.
MOCK_EXPORT void *mockCudaLastStream() { return lastStream; }
/// How many cuStreamSynchronize and cuStreamDestroy calls there were.
MOCK_EXPORT int mockCudaStreamSyncs() { return streamSyncs; }
MOCK_EXPORT int mockCudaStreamDestroys() { return streamDestroys; }
MOCK_EXPORT int mockCudaPrimaryRetains(int device) {
  std::lock_guard<std::mutex> lock(mutex);
  return static_cast<size_t>(device) < retains.size() ? retains[device] : 0;
}
/// The device of the calling thread's current context, -1 without one.
MOCK_EXPORT int mockCudaCurrentDevice() { return current ? current->device : -1; }
/// Makes a new (non-primary) context of `device` current on this thread,
/// as a framework that created its own would.
MOCK_EXPORT void mockCudaCreateContext(int device) {
  std::lock_guard<std::mutex> lock(mutex);
  current = new CUctx_st{device, nextId++};
}
MOCK_EXPORT void mockCudaClearCurrent() { current = nullptr; }
/// Poisons the current context: every later call in it fails with `error`.
MOCK_EXPORT void mockCudaPoisonCurrent(int error) {
  if (current)
    current->sticky = static_cast<CUresult>(error);
}
