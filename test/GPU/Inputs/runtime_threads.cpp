// Many threads through the runtime at once (built with the mock driver,
// under ThreadSanitizer): each thread's errors are its own, a module is
// loaded once per context however many threads ask for it first, and a
// device's primary context is retained once.

#include <cuda.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

extern "C" {
int32_t ropeCudaLastError();
int32_t ropeCudaClearError();
int32_t ropeCudaSetDevice(int32_t);
void ropeCudaReportInvalidArgument(int32_t, int32_t, int32_t, int64_t, int64_t);
CUmodule mgpuModuleLoad(void *, size_t);
void mgpuModuleUnload(CUmodule);
CUfunction mgpuModuleGetFunction(CUmodule, const char *);
CUstream mgpuStreamCreate();
void mgpuLaunchKernel(CUfunction, intptr_t, intptr_t, intptr_t, intptr_t, intptr_t, intptr_t,
                      int32_t, CUstream, void **, void **, size_t);
void mgpuStreamSynchronize(CUstream);
void mgpuStreamDestroy(CUstream);
int mockCudaModuleLoads();
int mockCudaLaunches();
int mockCudaPrimaryRetains(int);
}

int main() {
  static char binary[] = "not a real module";
  CUmodule module = mgpuModuleLoad(binary, sizeof(binary));
  constexpr int kThreads = 8, kCalls = 200;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      if (t >= kThreads / 2 && ropeCudaSetDevice(1) != 0)
        ++wrong;
      for (int i = 0; i < kCalls; ++i) {
        CUfunction f = mgpuModuleGetFunction(module, "k");
        CUstream s = mgpuStreamCreate();
        mgpuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, s, nullptr, nullptr, 0);
        mgpuStreamSynchronize(s);
        mgpuStreamDestroy(s);
        if (ropeCudaLastError() != 0)
          ++wrong;
        // Odd threads refuse an argument now and then: only they see it.
        if (t % 2 && i % 10 == 0) {
          ropeCudaReportInvalidArgument(0, 4, -1, 4, 16);
          if (ropeCudaLastError() != CUDA_ERROR_INVALID_VALUE || ropeCudaClearError() != 1)
            ++wrong;
        }
      }
    });
  for (std::thread &t : threads)
    t.join();
  mgpuModuleUnload(module);
  std::printf("threads: wrong %d modules %d retains %d %d launches %d\n", wrong.load(),
              mockCudaModuleLoads(), mockCudaPrimaryRetains(0), mockCudaPrimaryRetains(1),
              mockCudaLaunches());
  return wrong.load() != 0;
}
