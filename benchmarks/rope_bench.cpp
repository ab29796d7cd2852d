//===- rope_bench.cpp - rope kernels against copy and a hand-written loop -===//
//
// Loads the kernels that rope-opt's CPU pipeline compiled ahead of time into a
// shared object and times them, in the same run, against (a) a copy of the
// same bytes and (b) a hand-written fused loop with a cos/sin cache (what
// vLLM-style kernels do), both with the same OpenMP thread count. Checks every
// kernel's output against the hand-written loop before timing it. Then times
// each bf16 kernel against its f32 twin per byte, and where they stream their
// outputs, hand-written AVX-512 kernels of their shape without per-token work
// (StreamingBound) in the same rounds. Last, Qwen3-VL's QK-norm + RoPE +
// KV-cache write compiled with and without the pipeline's fuse option, each
// checked against float64 and timed against a copy of the fused pass's bytes.
//
// Usage: rope-bench KERNELS.so [--quick] [--filter SUBSTRING] [--tokens N]
//                   [--huge-pages]
// The fused-neighbours kernels (QK-norm + RoPE + KV-cache write, fused and
// unfused) are loaded from rope_neighbours_fused.so and
// rope_neighbours_unfused.so beside KERNELS.so.
//
//===----------------------------------------------------------------------===//

#include "mlir/ExecutionEngine/CRunnerUtils.h"

#include <immintrin.h>
#include <omp.h>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

using bf16 = uint16_t;
using f16 = _Float16;

float toFloat(float x) { return x; }
float toFloat(f16 x) { return float(x); }
float toFloat(bf16 x) {
  uint32_t bits = uint32_t(x) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
template <typename T> T fromFloat(float x);
template <> float fromFloat<float>(float x) { return x; }
template <> f16 fromFloat<f16>(float x) { return f16(x); } // to nearest even
template <> bf16 fromFloat<bf16>(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  bits += 0x7FFF + ((bits >> 16) & 1); // round to nearest even
  return bf16(bits >> 16);
}

/// What a kernel computes (SPEC R2, R3), for the hand-written loop.
struct Rope {
  int headDim;
  double theta;
  std::vector<int> axisOfPair;
  std::vector<double> invFreq;
  int numAxes;
};

Rope makeRope(const std::string &family, int headDim) {
  Rope r{headDim, 1e4, {}, {}, 1};
  int p = headDim / 2;
  r.axisOfPair.assign(p, 0);
  r.invFreq.resize(p);
  std::vector<int> vision = {20, 20};
  if (family == "qwen3vl") {
    r.theta = 5e6;
    r.numAxes = 3;
    for (int j = 0; j < p; ++j)
      r.axisOfPair[j] = (j % 3 == 1 && j < 60) ? 1 : (j % 3 == 2 && j < 60) ? 2 : 0;
  } else if (family == "qwen2vl") {
    r.theta = 1e6;
    r.numAxes = 3;
    for (int j = 0; j < p; ++j)
      r.axisOfPair[j] = j < 16 ? 0 : j < 40 ? 1 : 2;
  } else if (family == "vision") {
    r.numAxes = 2;
    for (int j = 0; j < p; ++j)
      r.axisOfPair[j] = j < 20 ? 0 : 1;
  }
  for (int j = 0; j < p; ++j) {
    if (family == "vision") {
      int k = j % 20;
      r.invFreq[j] = std::pow(r.theta, -2.0 * k / 40.0);
    } else {
      r.invFreq[j] = std::pow(r.theta, -2.0 * j / headDim);
    }
  }
  return r;
}

/// The element type of a case's q and k.
enum class Data { F32, BF16, F16 };
Data dataNamed(const std::string &name) {
  return name == "bf16" ? Data::BF16 : name == "f16" ? Data::F16 : Data::F32;
}

struct Case {
  std::string name, kernel, family;
  int qHeads, kHeads, headDim;
  Data data;
  bool inPlace;
  int64_t tokens;
  int threads;
};

/// `--huge-pages`: large buffers are mapped 2 MiB-aligned and advised onto
/// 2 MiB pages (MADV_HUGEPAGE), as on machines whose transparent huge pages
/// are "always", or PyTorch with THP_MEM_ALLOC_ENABLE=1.
bool useHugePages = false;
constexpr size_t kHugePage = size_t(2) << 20;

/// The process's anonymous memory on huge pages now (AnonHugePages), MiB.
double hugePageMiB() {
  FILE *f = std::fopen("/proc/self/smaps_rollup", "r");
  if (!f)
    return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "AnonHugePages: %lf kB", &kib) == 1)
      break;
  std::fclose(f);
  return kib / 1024;
}
double peakHugePageMiB = 0;

/// Fresh pages of their own for `bytes`, 2 MiB-aligned with --huge-pages.
void *mapOwnPages(size_t bytes) {
  size_t span = bytes + (useHugePages ? kHugePage : 0);
  void *raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    throw std::bad_alloc();
  if (!useHugePages)
    return raw;
  char *start = static_cast<char *>(raw);
  char *base = reinterpret_cast<char *>((reinterpret_cast<uintptr_t>(start) + kHugePage - 1) &
                                        ~uintptr_t(kHugePage - 1));
  if (base != start)
    munmap(start, base - start);
  if (start + span != base + bytes)
    munmap(base + bytes, start + span - (base + bytes));
  if (madvise(base, bytes, MADV_HUGEPAGE) != 0) {
    static bool warned = false;
    if (!warned)
      std::fprintf(stderr, "rope-bench: madvise(MADV_HUGEPAGE): %s; 4 KiB pages stay\n",
                   std::strerror(errno));
    warned = true;
  }
  return base;
}

/// 64-byte aligned storage, as framework allocators give (PyTorch's CPU
/// allocator aligns to 64): whole cache lines per head. A large buffer
/// always gets fresh pages of its own, 64 bytes into the first one (where
/// glibc puts a fresh large 64-byte-aligned allocation): left to malloc,
/// whether it comes from mmap or from reused heap pages, and at what offset
/// into a page, depends on its size and the heap's history, so an f32
/// kernel and its bf16 twin (half the bytes) were placed differently, and
/// the bf16 in-place kernel at 4096 tokens ran about 30 % slower in some
/// processes (2.5 ms per call instead of 1.9).
template <typename T> struct CacheLineAllocator {
  using value_type = T;
  static constexpr size_t kOwnPages = size_t(1) << 20;
  static constexpr size_t kOffset = 64;
  CacheLineAllocator() = default;
  template <typename U> CacheLineAllocator(const CacheLineAllocator<U> &) {}
  T *allocate(size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes < kOwnPages)
      return static_cast<T *>(::operator new(bytes, std::align_val_t(64)));
    return reinterpret_cast<T *>(static_cast<char *>(mapOwnPages(bytes + kOffset)) + kOffset);
  }
  void deallocate(T *p, size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes < kOwnPages)
      ::operator delete(p, std::align_val_t(64));
    else
      munmap(reinterpret_cast<char *>(p) - kOffset, bytes + kOffset);
  }
  bool operator==(const CacheLineAllocator &) const { return true; }
  bool operator!=(const CacheLineAllocator &) const { return false; }
};
template <typename T> using TensorData = std::vector<T, CacheLineAllocator<T>>;

template <typename T> struct Buffers {
  TensorData<T> q, k, qOut, kOut;
  std::vector<int64_t> pos;
};

/// The hand-written fused loop: cos/sin gathered per token from a cache
/// computed once (outside the timed region), shared by all heads.
template <typename T>
void handRope(const Rope &r, const std::vector<float> &cosCache,
              const std::vector<float> &sinCache, const T *q, T *qOut,
              int qHeads, const T *k, T *kOut, int kHeads, const int64_t *pos,
              int64_t tokens, int threads) {
  const int d = r.headDim, p = d / 2;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t t = 0; t < tokens; ++t) {
    float c[256], s[256];
    for (int j = 0; j < p; ++j) {
      int64_t at = pos[r.axisOfPair[j] * tokens + t];
      c[j] = cosCache[at * p + j];
      s[j] = sinCache[at * p + j];
    }
    auto rotate = [&](const T *x, T *y, int heads) {
      for (int h = 0; h < heads; ++h) {
        const T *xi = x + (t * heads + h) * d;
        T *yi = y + (t * heads + h) * d;
#pragma omp simd
        for (int j = 0; j < p; ++j) {
          float a = toFloat(xi[j]), b = toFloat(xi[j + p]);
          yi[j] = fromFloat<T>(a * c[j] - b * s[j]);
          yi[j + p] = fromFloat<T>(b * c[j] + a * s[j]);
        }
      }
    };
    rotate(q, qOut, qHeads);
    if (kHeads)
      rotate(k, kOut, kHeads);
  }
}

/// A plain copy: vector loads and ordinary stores. The empty asm keeps the
/// compiler from turning the loop into a memcpy call, which switches to
/// non-temporal stores on large sizes.
void plainCopy(const void *src, void *dst, size_t bytes) {
  const char *s = static_cast<const char *>(src);
  char *d = static_cast<char *>(dst);
  size_t i = 0;
#if defined(__AVX512F__)
  for (; i + 64 <= bytes; i += 64) {
    _mm512_storeu_si512(d + i, _mm512_loadu_si512(s + i));
    asm volatile("" ::: "memory");
  }
#elif defined(__AVX__)
  for (; i + 32 <= bytes; i += 32) {
    _mm256_storeu_si256((__m256i *)(d + i), _mm256_loadu_si256((const __m256i *)(s + i)));
    asm volatile("" ::: "memory");
  }
#endif
  std::memcpy(d + i, s + i, bytes - i);
}

/// One tensor that a copy baseline moves: `rowBytes` per token from `src`
/// to `dst`.
struct CopyStream {
  const void *src;
  void *dst;
  size_t rowBytes;
};

/// Copies each stream's tokens: row by row with plain stores, as a kernel
/// would, or with one glibc memcpy per thread and stream (each thread's
/// share of the tokens), as a copy of these bytes would be written; glibc
/// streams such calls past the caches when they are large.
void copyBaseline(const std::vector<CopyStream> &streams, int64_t tokens, int threads,
                  bool useMemcpy) {
  auto src = [](const CopyStream &s, int64_t t) {
    return static_cast<const char *>(s.src) + t * s.rowBytes;
  };
  auto dst = [](const CopyStream &s, int64_t t) { return static_cast<char *>(s.dst) + t * s.rowBytes; };
  if (useMemcpy) {
#pragma omp parallel num_threads(threads)
    {
      int64_t n = omp_get_num_threads(), i = omp_get_thread_num();
      int64_t first = tokens * i / n, end = tokens * (i + 1) / n;
      for (const CopyStream &s : streams)
        std::memcpy(dst(s, first), src(s, first), (end - first) * s.rowBytes);
    }
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t t = 0; t < tokens; ++t)
    for (const CopyStream &s : streams)
      plainCopy(src(s, t), dst(s, t), s.rowBytes);
}

/// The largest error seen; a NaN error stays the largest (std::max would
/// drop it and let a kernel that writes NaN pass).
struct WorstError {
  double value = 0;
  void note(double error) {
    if (!std::isnan(value) && !(error <= value))
      value = error;
  }
  bool within(double tol) const { return value <= tol; }
};

// The streaming bound needs AVX512-BF16 (the benchmark builds with -march=native).
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512BF16__)
#define ROPE_BENCH_STREAMING_BOUND 1
#else
#define ROPE_BENCH_STREAMING_BOUND 0
#endif

#if ROPE_BENCH_STREAMING_BOUND
/// An upper bound for the streaming rows: hand-written AVX-512 kernels of
/// the compiled kernels' shape (per head of 128: 64-byte loads; multiplies
/// and fused multiply-adds; bf16 widened as even/odd lanes and rounded by
/// vcvtne2ps2bf16 + vpermw; streaming stores, fenced every 16 tokens;
/// reads prefetched into L2 2560 bytes ahead) without any per-token work:
/// cos/sin come from a table of 64 positions that stays in L1 (position
/// modulo 64). Their rates bound what that shape reaches, and their bf16/f32
/// ratio shows what bf16 loses per byte to the shape itself. Two variants
/// of the same code say where that loss comes from: its prefetches, loads
/// and streaming stores without the arithmetic (the memory side alone), and
/// all of it with plain stores on one token's rows, which stay in L1 (the
/// core side alone: bf16 does twice the arithmetic per byte, plus the
/// widening and rounding).
class StreamingBound {
public:
  enum class Variant { Rotate, LoadsAndStoresOnly, OneToken };

  static constexpr int kPairs = 64; // head_dim 128, rotate-half pairing
  static constexpr int kTable = 64;

  /// RoPE's angle (theta 10000) of pair `pair` at `position` modulo kTable.
  static double angle(int64_t position, int pair) {
    return double(position % kTable) * std::pow(1e4, -2.0 * pair / (2 * kPairs));
  }

  StreamingBound() {
    for (int at = 0; at < kTable; ++at)
      for (int j = 0; j < kPairs; ++j) {
        cosSin_[at][j] = float(std::cos(angle(at, j)));
        cosSin_[at][kPairs + j] = float(std::sin(angle(at, j)));
      }
    // bf16: lane i of a 32-value group holds values 2i (even) and 2i+1 (odd).
    for (int at = 0; at < kTable; ++at)
      for (int group = 0; group < 2; ++group)
        for (int i = 0; i < 16; ++i)
          for (int odd = 0; odd < 2; ++odd) {
            int j = 32 * group + 2 * i + odd;
            evenOdd_[at][group][odd][i] = cosSin_[at][j];         // cos
            evenOdd_[at][group][2 + odd][i] = cosSin_[at][kPairs + j]; // sin
          }
    for (int i = 0; i < 16; ++i) {
      interleave_[2 * i] = int16_t(i);       // words 0-15: even results
      interleave_[2 * i + 1] = int16_t(16 + i); // words 16-31: odd results
    }
  }

  template <typename T>
  void run(Variant variant, const T *q, T *qOut, int qHeads, const T *k, T *kOut, int kHeads,
           const int64_t *pos, int64_t tokens, int threads) const {
    switch (variant) {
    case Variant::Rotate:
      return runAs<Variant::Rotate>(q, qOut, qHeads, k, kOut, kHeads, pos, tokens, threads);
    case Variant::LoadsAndStoresOnly:
      return runAs<Variant::LoadsAndStoresOnly>(q, qOut, qHeads, k, kOut, kHeads, pos, tokens,
                                                threads);
    case Variant::OneToken:
      return runAs<Variant::OneToken>(q, qOut, qHeads, k, kOut, kHeads, pos, tokens, threads);
    }
  }

private:
  template <Variant V, typename T>
  void runAs(const T *q, T *qOut, int qHeads, const T *k, T *kOut, int kHeads, const int64_t *pos,
             int64_t tokens, int threads) const {
    const char *qLast = reinterpret_cast<const char *>(q + tokens * qHeads * 2 * kPairs) - 64;
    const char *kLast = reinterpret_cast<const char *>(k + tokens * kHeads * 2 * kPairs) - 64;
#pragma omp parallel num_threads(threads)
    {
      int n = omp_get_num_threads(), id = omp_get_thread_num();
      int64_t first = tokens * id / n;
      for (int64_t t = first, end = tokens * (id + 1) / n; t < end; ++t) {
        int at = int(pos[t] % kTable);
        // OneToken: each thread on its own first token's rows.
        int64_t row = V == Variant::OneToken ? first : t;
        for (int h = 0; h < qHeads; ++h)
          head<V>(q + (row * qHeads + h) * 2 * kPairs, qOut + (row * qHeads + h) * 2 * kPairs, at,
                  qLast);
        for (int h = 0; h < kHeads; ++h)
          head<V>(k + (row * kHeads + h) * 2 * kPairs, kOut + (row * kHeads + h) * 2 * kPairs, at,
                  kLast);
        if (t % 16 == 15)
          _mm_sfence();
      }
      _mm_sfence();
    }
  }

  /// Streaming stores, or plain ones where the rows stay in L1.
  template <Variant V> static void store(float *to, __m512 v) {
    if constexpr (V == Variant::OneToken)
      _mm512_storeu_ps(to, v);
    else
      _mm512_stream_ps(to, v);
  }
  template <Variant V> static void store(bf16 *to, __m512i v) {
    if constexpr (V == Variant::OneToken)
      _mm512_storeu_si512(to, v);
    else
      _mm512_stream_si512(reinterpret_cast<__m512i *>(to), v);
  }

  static void prefetchLines(const void *row, int lines, const char *last) {
    // As integers: the unclamped address may lie past the buffer.
    uintptr_t p = reinterpret_cast<uintptr_t>(row), end = reinterpret_cast<uintptr_t>(last);
    for (int l = 0; l < lines; ++l)
      _mm_prefetch(reinterpret_cast<const char *>(std::min<uintptr_t>(p + 2560 + 64 * l, end)),
                   _MM_HINT_T1);
  }

  template <Variant V> void head(const float *x, float *y, int at, const char *last) const {
    prefetchLines(x, 8, last);
    const float *cs = cosSin_[at];
    for (int j = 0; j < kPairs; j += 16) {
      __m512 a = _mm512_loadu_ps(x + j), b = _mm512_loadu_ps(x + kPairs + j);
      if constexpr (V == Variant::LoadsAndStoresOnly) {
        store<V>(y + j, a);
        store<V>(y + kPairs + j, b);
      } else {
        __m512 c = _mm512_load_ps(cs + j), s = _mm512_load_ps(cs + kPairs + j);
        store<V>(y + j, _mm512_fmsub_ps(a, c, _mm512_mul_ps(b, s)));
        store<V>(y + kPairs + j, _mm512_fmadd_ps(b, c, _mm512_mul_ps(a, s)));
      }
    }
  }

  template <Variant V> void head(const bf16 *x, bf16 *y, int at, const char *last) const {
    prefetchLines(x, 4, last);
    const __m512i high = _mm512_set1_epi32(int(0xffff0000u));
    const __m512i interleave = _mm512_load_si512(interleave_);
    for (int group = 0; group < 2; ++group) {
      __m512i va = _mm512_loadu_si512(x + 32 * group), vb = _mm512_loadu_si512(x + kPairs + 32 * group);
      if constexpr (V == Variant::LoadsAndStoresOnly) {
        store<V>(y + 32 * group, va);
        store<V>(y + kPairs + 32 * group, vb);
      } else {
        __m512 aEven = _mm512_castsi512_ps(_mm512_slli_epi32(va, 16));
        __m512 aOdd = _mm512_castsi512_ps(_mm512_and_si512(va, high));
        __m512 bEven = _mm512_castsi512_ps(_mm512_slli_epi32(vb, 16));
        __m512 bOdd = _mm512_castsi512_ps(_mm512_and_si512(vb, high));
        const auto &t = evenOdd_[at][group];
        __m512 cEven = _mm512_load_ps(t[0]), cOdd = _mm512_load_ps(t[1]);
        __m512 sEven = _mm512_load_ps(t[2]), sOdd = _mm512_load_ps(t[3]);
        __m512 firstEven = _mm512_fmsub_ps(aEven, cEven, _mm512_mul_ps(bEven, sEven));
        __m512 firstOdd = _mm512_fmsub_ps(aOdd, cOdd, _mm512_mul_ps(bOdd, sOdd));
        __m512 secondEven = _mm512_fmadd_ps(bEven, cEven, _mm512_mul_ps(aEven, sEven));
        __m512 secondOdd = _mm512_fmadd_ps(bOdd, cOdd, _mm512_mul_ps(aOdd, sOdd));
        __m512i first = _mm512_permutexvar_epi16(
            interleave, (__m512i)_mm512_cvtne2ps_pbh(firstOdd, firstEven));
        __m512i second = _mm512_permutexvar_epi16(
            interleave, (__m512i)_mm512_cvtne2ps_pbh(secondOdd, secondEven));
        store<V>(y + 32 * group, first);
        store<V>(y + kPairs + 32 * group, second);
      }
    }
  }

  alignas(64) float cosSin_[kTable][2 * kPairs];
  alignas(64) float evenOdd_[kTable][2][4][16]; // [position][group][cos even, odd, sin even, odd]
  alignas(64) int16_t interleave_[32];
};
#endif

template <typename T> StridedMemRefType<T, 3> memref3(T *data, int64_t t, int64_t h, int64_t d) {
  StridedMemRefType<T, 3> m;
  m.basePtr = m.data = data;
  m.offset = 0;
  m.sizes[0] = t, m.sizes[1] = h, m.sizes[2] = d;
  m.strides[0] = h * d, m.strides[1] = d, m.strides[2] = 1;
  return m;
}

template <typename T> StridedMemRefType<T, 2> memref2(T *data, int64_t a, int64_t t) {
  StridedMemRefType<T, 2> m;
  m.basePtr = m.data = data;
  m.offset = 0;
  m.sizes[0] = a, m.sizes[1] = t;
  m.strides[0] = t, m.strides[1] = 1;
  return m;
}

/// The positions of `t` tokens, [axis][token]: text positions with a 16x16
/// image grid in the middle (SPEC R6), a 64-wide grid for the vision
/// family. Returns the largest.
int64_t fillPositions(const std::string &family, int numAxes, int64_t t, std::vector<int64_t> &pos) {
  pos.resize(numAxes * t);
  int64_t maxPos = 0;
  for (int a = 0; a < numAxes; ++a)
    for (int64_t i = 0; i < t; ++i) {
      int64_t v = (i >= t / 4 && i < t / 4 + 256) ? t / 4 + (a == 1 ? (i - t / 4) / 16 : a == 2 ? (i - t / 4) % 16 : 0)
                                                   : i;
      if (family == "vision")
        v = a == 0 ? i / 64 : i % 64;
      pos[a * t + i] = v;
      maxPos = std::max(maxPos, v);
    }
  return maxPos;
}

/// Median seconds of each function, timed in interleaved rounds (kernel,
/// copy, ..., kernel, copy, ...) so that drifting machine noise hits all of
/// them alike: at least 7 rounds, then more up to `maxRounds` until the
/// timed calls add up to a second. `beforeEach`, when given, runs untimed
/// before every call.
std::vector<double> medianSeconds(const std::vector<std::function<void()>> &fns,
                                  bool quick, const std::function<void()> &beforeEach = {},
                                  int maxRounds = 60) {
  for (const auto &fn : fns) { // warm up (page faults, caches)
    fn();
    fn();
  }
  std::vector<std::vector<double>> times(fns.size());
  double total = 0;
  if (quick)
    maxRounds = 1;
  for (int round = 0; round < maxRounds && (total < 1.0 || round < 7); ++round) {
    for (size_t i = 0; i < fns.size(); ++i) {
      if (beforeEach)
        beforeEach();
      auto start = std::chrono::steady_clock::now();
      fns[i]();
      double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      times[i].push_back(sec);
      total += sec;
    }
  }
  std::vector<double> medians;
  for (auto &t : times) {
    std::sort(t.begin(), t.end());
    medians.push_back(t[t.size() / 2]);
  }
  return medians;
}

/// A case set up for timing: inputs, positions, the kernel call checked
/// against the hand-written loop, and the baselines over the same bytes.
/// Lives where it was made (the memref descriptors point into it).
template <typename T> struct PreparedCase {
  PreparedCase() = default;
  PreparedCase(const PreparedCase &) = delete;
  PreparedCase &operator=(const PreparedCase &) = delete;

  Case c;
  Rope r;
  Buffers<T> b;
  TensorData<T> qIn, kIn;
  std::vector<float> cosCache, sinCache;
  T *qData = nullptr, *kData = nullptr;
  StridedMemRefType<T, 3> mq, mk, mqo, mko;
  StridedMemRefType<int64_t, 2> mp;
  void *fn = nullptr;
  std::vector<CopyStream> copyStreams; // q, and k where there is one
  double bytes = 0; // q and k read plus written, positions read

  void kernel() {
    using F2 = void (*)(void *, void *);
    using F3 = void (*)(void *, void *, void *);
    using F4 = void (*)(void *, void *, void *, void *);
    using F5 = void (*)(void *, void *, void *, void *, void *);
    if (c.inPlace)
      c.kHeads ? ((F3)fn)(&mq, &mk, &mp) : ((F2)fn)(&mq, &mp);
    else
      c.kHeads ? ((F5)fn)(&mq, &mk, &mp, &mqo, &mko) : ((F4)fn)(&mq, &mp, &mqo, &mko);
  }
  void copy(bool useMemcpy) { copyBaseline(copyStreams, c.tokens, c.threads, useMemcpy); }
  void hand() {
    handRope(r, cosCache, sinCache, qData, c.inPlace ? qData : b.qOut.data(), c.qHeads, kData,
             c.inPlace ? kData : b.kOut.data(), c.kHeads, b.pos.data(), c.tokens, c.threads);
  }
};

/// Sets up case `c` and checks one kernel call against the hand-written
/// loop; null (with the reason printed) when the kernel is missing or wrong.
template <typename T>
std::unique_ptr<PreparedCase<T>> prepareCase(void *lib, const Case &c) {
  auto pc = std::make_unique<PreparedCase<T>>();
  PreparedCase<T> &x = *pc;
  x.c = c;
  x.r = makeRope(c.family, c.headDim);
  const Rope &r = x.r;
  Buffers<T> &b = x.b;
  const int64_t t = c.tokens, d = c.headDim, p = d / 2;
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(-2.f, 2.f);
  auto fill = [&](TensorData<T> &v, int64_t n) {
    v.resize(n);
    for (auto &e : v)
      e = fromFloat<T>(dist(rng));
  };
  fill(b.q, t * c.qHeads * d);
  fill(b.k, t * c.kHeads * d);
  b.qOut.assign(b.q.size(), T{});
  b.kOut.assign(b.k.size(), T{});
  int64_t maxPos = fillPositions(c.family, r.numAxes, t, b.pos);
  x.cosCache.resize((maxPos + 1) * p);
  x.sinCache.resize((maxPos + 1) * p);
  for (int64_t pos = 0; pos <= maxPos; ++pos)
    for (int j = 0; j < p; ++j) {
      double angle = double(pos) * r.invFreq[j];
      x.cosCache[pos * p + j] = float(std::cos(angle));
      x.sinCache[pos * p + j] = float(std::sin(angle));
    }

  x.fn = dlsym(lib, ("_mlir_ciface_" + c.kernel).c_str());
  if (!x.fn) {
    std::fprintf(stderr, "missing kernel %s\n", c.kernel.c_str());
    return nullptr;
  }
  // Every timed function reads qData/kData, so each finds its input in the
  // same cache state; out-of-place ones also share qOut/kOut. In-place kernels
  // rotate b.q/b.k; qIn/kIn stay pristine for the correctness check.
  x.qIn = b.q;
  x.kIn = b.k;
  x.qData = c.inPlace ? b.q.data() : x.qIn.data();
  x.kData = c.inPlace ? b.k.data() : x.kIn.data();
  x.mq = memref3(x.qData, t, c.qHeads, d);
  x.mk = memref3(x.kData, t, c.kHeads, d);
  x.mqo = memref3(b.qOut.data(), t, c.qHeads, d);
  x.mko = memref3(b.kOut.data(), t, c.kHeads, d);
  x.mp = memref2(b.pos.data(), r.numAxes, t);
  x.copyStreams = {{x.qData, b.qOut.data(), c.qHeads * d * sizeof(T)}};
  if (c.kHeads)
    x.copyStreams.push_back({x.kData, b.kOut.data(), c.kHeads * d * sizeof(T)});
  omp_set_num_threads(c.threads);

  // Correctness first: one kernel call against the hand-written loop.
  std::vector<T> qRef(b.q.size()), kRef(b.k.size());
  handRope(r, x.cosCache, x.sinCache, x.qIn.data(), qRef.data(), c.qHeads, x.kIn.data(),
           kRef.data(), c.kHeads, b.pos.data(), t, 1);
  x.kernel();
  const TensorData<T> &qGot = c.inPlace ? b.q : b.qOut;
  const TensorData<T> &kGot = c.inPlace ? b.k : b.kOut;
  WorstError worst;
  for (size_t i = 0; i < qRef.size(); ++i)
    worst.note(std::fabs(toFloat(qGot[i]) - toFloat(qRef[i])));
  for (size_t i = 0; i < kRef.size(); ++i)
    worst.note(std::fabs(toFloat(kGot[i]) - toFloat(kRef[i])));
  if (!worst.within(sizeof(T) == 2 ? 2e-2 : 2e-5)) {
    std::printf("%-28s %6lld %3d  WRONG: max |kernel - hand loop| = %.3g\n", c.name.c_str(),
                (long long)t, c.threads, worst.value);
    return nullptr;
  }
  x.bytes = 2.0 * (b.q.size() + b.k.size()) * sizeof(T) + b.pos.size() * sizeof(int64_t);
  if (useHugePages)
    peakHugePageMiB = std::max(peakHugePageMiB, hugePageMiB());
  return pc;
}

template <typename T>
bool runCase(void *lib, const Case &c, bool quick) {
  auto pc = prepareCase<T>(lib, c);
  if (!pc)
    return false;
  PreparedCase<T> &x = *pc;
  std::vector<double> t4 = medianSeconds({[&] { x.kernel(); }, [&] { x.copy(false); },
                                          [&] { x.copy(true); }, [&] { x.hand(); }},
                                         quick);
  double tKernel = t4[0], tCopy = t4[1], tMemcpy = t4[2], tHand = t4[3];
  std::printf("%-28s %6lld %3d %10.1f %7.2f %9.2f %7.0f%% %9.2f %8.2fx %8.2f %8.0f%%\n",
              c.name.c_str(), (long long)c.tokens, c.threads, tKernel * 1e6,
              x.bytes / tKernel / 1e9, x.bytes / tCopy / 1e9, 100.0 * tCopy / tKernel,
              x.bytes / tHand / 1e9, tHand / tKernel, x.bytes / tMemcpy / 1e9,
              100.0 * tMemcpy / tKernel);
  return true;
}

/// Reads a buffer twice the size of the last-level cache, on as many threads
/// as the timed kernel uses (so each core's own caches are swept too), so
/// that the next timed call finds none of its data cached and no dirty lines
/// of the previous call left to write back.
class CacheSweep {
public:
  CacheSweep() {
    long llc = sysconf(_SC_LEVEL3_CACHE_SIZE);
    size_t bytes = std::max<size_t>(2 * size_t(std::max(llc, 0L)), size_t(256) << 20);
    data_.assign(bytes / sizeof(uint64_t), 1);
  }
  void operator()(int threads) {
    uint64_t sum = 0;
    const int64_t words = int64_t(data_.size());
#pragma omp parallel for num_threads(threads) schedule(static) reduction(+ : sum)
    for (int64_t i = 0; i < words; i += 8) // one word per 64-byte line
      sum += data_[i];
    sink_ = sum;
  }
  size_t bytes() const { return data_.size() * sizeof(uint64_t); }

private:
  TensorData<uint64_t> data_;
  volatile uint64_t sink_ = 0;
};

#if ROPE_BENCH_STREAMING_BOUND
/// Output bytes from which the benchmark's kernels stream: the CPU
/// pipeline's default `nontemporal-min-bytes`, this machine's last-level
/// cache (the kernels are compiled here) as Linux's sysfs gives it for cpu0,
/// which is what the pipeline reads. Not sysconf's: glibc adds up the L3 of
/// the whole socket on AMD parts (320 MiB for 32 MiB per core complex here).
double streamingMinBytes() {
  double bytes = 0;
  int bestLevel = 0;
  for (int index = 0; index < 8; ++index) {
    std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    std::ifstream levelFile(dir + "level"), sizeFile(dir + "size");
    int level = 0;
    long long size = 0;
    std::string unit;
    if (!(levelFile >> level) || !(sizeFile >> size))
      break;
    std::getline(sizeFile, unit);
    if (level >= bestLevel && size > 0) {
      bestLevel = level;
      bytes = double(size) * (unit == "K" ? 1024 : unit == "M" ? 1 << 20 : 1);
    }
  }
  return bytes > 0 ? bytes : 32.0 * (1 << 20);
}

/// The bound's `variant` on a prepared case's inputs and outputs.
template <typename T>
void runBound(const StreamingBound &bound, PreparedCase<T> &x, StreamingBound::Variant variant) {
  bound.run(variant, x.qData, x.b.qOut.data(), x.c.qHeads, x.kData, x.b.kOut.data(), x.c.kHeads,
            x.b.pos.data(), x.c.tokens, x.c.threads);
}

/// Whether the bound, run on outputs filled with NaN (so that they hold
/// nothing but its own results), matches a float64 rotation (cos/sin of
/// StreamingBound::angle, not the bound's float tables) on every token.
template <typename T> bool checkBound(const StreamingBound &bound, PreparedCase<T> &x) {
  const T nan = fromFloat<T>(std::numeric_limits<float>::quiet_NaN());
  std::fill(x.b.qOut.begin(), x.b.qOut.end(), nan);
  std::fill(x.b.kOut.begin(), x.b.kOut.end(), nan);
  runBound(bound, x, StreamingBound::Variant::Rotate);
  constexpr int P = StreamingBound::kPairs;
  double cosines[StreamingBound::kTable][P], sines[StreamingBound::kTable][P];
  for (int at = 0; at < StreamingBound::kTable; ++at)
    for (int j = 0; j < P; ++j) {
      cosines[at][j] = std::cos(StreamingBound::angle(at, j));
      sines[at][j] = std::sin(StreamingBound::angle(at, j));
    }
  const Case &c = x.c;
  const double tol = sizeof(T) == 2 ? 1.0 / 128 : 1e-6; // relative to |a| + |b|
  WorstError worst;
  auto check = [&](const T *in, const T *out, int heads) {
    for (int64_t t = 0; t < c.tokens; ++t) {
      int at = int(x.b.pos[t] % StreamingBound::kTable);
      for (int h = 0; h < heads; ++h)
        for (int j = 0; j < P; ++j) {
          int64_t i = (t * heads + h) * 2 * P + j;
          double a = toFloat(in[i]), b = toFloat(in[i + P]);
          double scale = std::fabs(a) + std::fabs(b) + 1e-30;
          worst.note(std::fabs(toFloat(out[i]) - (a * cosines[at][j] - b * sines[at][j])) / scale);
          worst.note(std::fabs(toFloat(out[i + P]) - (b * cosines[at][j] + a * sines[at][j])) / scale);
        }
    }
  };
  check(x.qData, x.b.qOut.data(), c.qHeads);
  check(x.kData, x.b.kOut.data(), c.kHeads);
  if (worst.within(tol))
    return true;
  std::printf("  bound (%s) WRONG: max |bound - float64| / (|a| + |b|) = %.3g\n",
              sizeof(T) == 2 ? "bf16" : "f32", worst.value);
  return false;
}
#endif

/// The f32 and bf16 kernels of one case, timed in the same rounds (f32,
/// bf16, f32, ...) with the caches swept before each call: per-byte rates
/// that neither drift between cases measured minutes apart nor depend on
/// what the previous call left in the caches. Where the kernels stream
/// their outputs, the streaming bound and its two variants run in the same
/// rounds.
bool runPair(void *lib, const Case &f32Case, const Case &bf16Case, CacheSweep &sweep,
             bool quick) {
  auto f = prepareCase<float>(lib, f32Case);
  auto h = prepareCase<bf16>(lib, bf16Case);
  if (!f || !h)
    return false;
  std::vector<std::function<void()>> fns = {[&] { f->kernel(); }, [&] { h->kernel(); }};
#if ROPE_BENCH_STREAMING_BOUND
  static const StreamingBound bound;
  const Case &c = bf16Case;
  bool streams = c.family == "qwen3vl" && !c.inPlace && c.headDim == 2 * StreamingBound::kPairs &&
                 double(h->b.qOut.size() + h->b.kOut.size()) * sizeof(bf16) >= streamingMinBytes();
  using Variant = StreamingBound::Variant;
  const std::pair<Variant, const char *> variants[] = {
      {Variant::Rotate, "  bound: AVX-512, no trig"},
      {Variant::LoadsAndStoresOnly, "  its loads and stores only"},
      {Variant::OneToken, "  it on one token's rows"}};
  if (streams)
    for (const auto &variant : variants) {
      fns.push_back([&, v = variant.first] { runBound(bound, *f, v); });
      fns.push_back([&, v = variant.first] { runBound(bound, *h, v); });
    }
#endif
  std::vector<double> t = medianSeconds(fns, quick, [&] { sweep(f32Case.threads); },
                                        /*maxRounds=*/15);
  // f32 and bf16 GB/s of the functions timed at t[first], t[first + 1].
  auto printRow = [&](const char *name, size_t first) {
    double f32Rate = f->bytes / t[first] / 1e9, bf16Rate = h->bytes / t[first + 1] / 1e9;
    std::printf("%-28s %6lld %3d %9.2f %9.2f %9.2f\n", name, (long long)bf16Case.tokens,
                bf16Case.threads, f32Rate, bf16Rate, bf16Rate / f32Rate);
  };
  printRow(bf16Case.name.c_str(), 0);
  bool ok = true;
#if ROPE_BENCH_STREAMING_BOUND
  if (streams) {
    for (size_t i = 0; i < std::size(variants); ++i)
      printRow(variants[i].second, 2 + 2 * i);
    bool f32Right = checkBound(bound, *f), bf16Right = checkBound(bound, *h);
    ok = f32Right && bf16Right;
  }
#endif
  return ok;
}

/// Qwen3-VL's QK-norm + RoPE + KV-cache write (issue #18, item 4;
/// gen_fused_kernels.py): the same MLIR compiled with the CPU pipeline's
/// `fuse=true` (one pass over memory) and `fuse=false` (each op its own),
/// timed in the same rounds against a copy of the bytes the fused pass must
/// move: q, k and v projections read; q_out, the k cache slice and the v
/// cache slice written.
constexpr int kNbQHeads = 32, kNbKvHeads = 8, kNbHeadDim = 128;
constexpr double kNbEps = 1e-6; // Qwen3-VL's rms_norm_eps, as the kernels have it
constexpr int64_t kNbCacheStart = 128, kNbCacheTail = 128; // cache rows before and after the write

template <typename T> StridedMemRefType<T, 1> memref1(T *data, int64_t n) {
  StridedMemRefType<T, 1> m;
  m.basePtr = m.data = data;
  m.offset = 0;
  m.sizes[0] = n;
  m.strides[0] = 1;
  return m;
}

/// The two shared objects of the fused-neighbours kernels, beside KERNELS.so.
struct NeighboursLibs {
  void *fused = nullptr, *unfused = nullptr;
};

template <typename T> struct NeighboursCase {
  NeighboursCase() = default;
  NeighboursCase(const NeighboursCase &) = delete;
  NeighboursCase &operator=(const NeighboursCase &) = delete;

  Case c;
  Rope r;
  TensorData<T> qProj, kProj, vProj, qOut, kCache, vCache;
  std::vector<T> qWeight, kWeight;
  std::vector<int64_t> pos;
  StridedMemRefType<T, 2> mq, mk, mv;
  StridedMemRefType<T, 1> mqw, mkw;
  StridedMemRefType<int64_t, 2> mp;
  StridedMemRefType<T, 3> mqo, mkc, mvc;
  void *fused = nullptr, *unfused = nullptr;
  std::vector<CopyStream> copyStreams;
  double bytes = 0; // q, k, v read plus written, positions read

  void call(void *fn) {
    using F = void (*)(void *, void *, void *, void *, void *, void *, int64_t, void *, void *,
                       void *);
    ((F)fn)(&mq, &mk, &mv, &mqw, &mkw, &mp, kNbCacheStart, &mqo, &mkc, &mvc);
  }
  void copy(bool useMemcpy) { copyBaseline(copyStreams, c.tokens, c.threads, useMemcpy); }
};

/// The tokens checked against float64: all of them up to 4096, else about
/// 1024 spread over the range, the image grid's 256 (where the three axes
/// differ) and the last.
std::vector<int64_t> checkedTokens(int64_t t) {
  std::vector<int64_t> tokens;
  int64_t step = t <= 4096 ? 1 : t / 1024;
  for (int64_t i = 0; i < t; i += step)
    tokens.push_back(i);
  for (int64_t i = t / 4; step > 1 && i < std::min(t, t / 4 + 256); ++i)
    tokens.push_back(i);
  tokens.push_back(t - 1);
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

/// One call of `fn` (the fused or the unfused kernel) on outputs filled with
/// NaN and cache rows outside the write filled with a sentinel, checked:
/// q_out and the k cache slice against a float64 RMSNorm (HF's, per head
/// over head_dim) and MRoPE (SPEC R1-R3: makeRope's axis map and
/// frequencies, float64 cos/sin) on checkedTokens, relative to |a| + |b| of
/// the pair; every written row free of NaN; the v cache slice equal to v_proj;
/// the rows outside [start, start + tokens) untouched.
template <typename T> bool checkNeighbours(NeighboursCase<T> &x, void *fn, const char *which) {
  const Case &c = x.c;
  const int64_t t = c.tokens, kvRow = kNbKvHeads * kNbHeadDim, qRow = kNbQHeads * kNbHeadDim;
  const T nan = fromFloat<T>(std::numeric_limits<float>::quiet_NaN());
  const T sentinel = fromFloat<T>(-1234.5f);
  std::fill(x.qOut.begin(), x.qOut.end(), nan);
  for (TensorData<T> *cache : {&x.kCache, &x.vCache}) {
    std::fill(cache->begin(), cache->end(), sentinel);
    std::fill(cache->begin() + kNbCacheStart * kvRow, cache->begin() + (kNbCacheStart + t) * kvRow,
              nan);
  }
  x.call(fn);

  const T *kSlice = x.kCache.data() + kNbCacheStart * kvRow;
  const T *vSlice = x.vCache.data() + kNbCacheStart * kvRow;
  bool written = true, vEqual = true, outsideKept = true;
  for (int64_t i = 0; i < t * qRow; ++i)
    written &= !std::isnan(toFloat(x.qOut[i]));
  for (int64_t i = 0; i < t * kvRow; ++i)
    written &= !std::isnan(toFloat(kSlice[i]));
  vEqual = std::memcmp(vSlice, x.vProj.data(), t * kvRow * sizeof(T)) == 0;
  for (const TensorData<T> *cache : {&x.kCache, &x.vCache})
    for (int64_t row = 0; row < int64_t(cache->size()) / kvRow; ++row)
      if (row < kNbCacheStart || row >= kNbCacheStart + t)
        for (int64_t i = 0; i < kvRow; ++i)
          outsideKept &= std::memcmp(&(*cache)[row * kvRow + i], &sentinel, sizeof(T)) == 0;

  constexpr int P = kNbHeadDim / 2;
  WorstError worst;
  auto check = [&](const T *in, const std::vector<T> &weight, const T *out, int heads, int64_t tok,
                   const double *cosines, const double *sines) {
    for (int h = 0; h < heads; ++h) {
      const T *xi = in + (tok * heads + h) * kNbHeadDim;
      const T *yi = out + (tok * heads + h) * kNbHeadDim;
      double sumSquares = 0;
      for (int i = 0; i < kNbHeadDim; ++i)
        sumSquares += double(toFloat(xi[i])) * toFloat(xi[i]);
      double scale = 1.0 / std::sqrt(sumSquares / kNbHeadDim + kNbEps);
      for (int j = 0; j < P; ++j) {
        double a = toFloat(xi[j]) * scale * toFloat(weight[j]);
        double b = toFloat(xi[j + P]) * scale * toFloat(weight[j + P]);
        double size = std::fabs(a) + std::fabs(b) + 1e-30;
        worst.note(std::fabs(toFloat(yi[j]) - (a * cosines[j] - b * sines[j])) / size);
        worst.note(std::fabs(toFloat(yi[j + P]) - (b * cosines[j] + a * sines[j])) / size);
      }
    }
  };
  for (int64_t tok : checkedTokens(t)) {
    double cosines[P], sines[P];
    for (int j = 0; j < P; ++j) {
      double angle = double(x.pos[x.r.axisOfPair[j] * t + tok]) * x.r.invFreq[j];
      cosines[j] = std::cos(angle);
      sines[j] = std::sin(angle);
    }
    check(x.qProj.data(), x.qWeight, x.qOut.data(), kNbQHeads, tok, cosines, sines);
    check(x.kProj.data(), x.kWeight, kSlice, kNbKvHeads, tok, cosines, sines);
  }
  // bf16: HF's graph rounds to bf16 three times on the way (the norm cast
  // back, the weight multiply, the rotation), each up to 2^-8 relative.
  const double tol = sizeof(T) == 2 ? 3.0 / 256 : 1e-5;
  if (written && vEqual && outsideKept && worst.within(tol))
    return true;
  std::printf("%-28s %6lld %3d  WRONG (%s): max |kernel - float64| / (|a| + |b|) = %.3g%s%s%s\n",
              c.name.c_str(), (long long)t, c.threads, which, worst.value,
              written ? "" : "; rows left unwritten (NaN)", vEqual ? "" : "; v cache slice != v_proj",
              outsideKept ? "" : "; cache rows outside the write changed");
  return false;
}

/// Sets up case `c`, checks the fused and the unfused kernel, times both in
/// the same rounds as the copy baselines and prints the row.
template <typename T> bool runNeighbours(const NeighboursLibs &libs, const Case &c, bool quick) {
  auto pc = std::make_unique<NeighboursCase<T>>();
  NeighboursCase<T> &x = *pc;
  x.c = c;
  x.r = makeRope(c.family, kNbHeadDim);
  const int64_t t = c.tokens, qRow = kNbQHeads * kNbHeadDim, kvRow = kNbKvHeads * kNbHeadDim;
  const int64_t cacheRows = kNbCacheStart + t + kNbCacheTail;
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> dist(-2.f, 2.f), weightDist(0.5f, 1.5f);
  auto fill = [&](auto &v, int64_t n, std::uniform_real_distribution<float> &d) {
    v.resize(n);
    for (auto &e : v)
      e = fromFloat<T>(d(rng));
  };
  fill(x.qProj, t * qRow, dist);
  fill(x.kProj, t * kvRow, dist);
  fill(x.vProj, t * kvRow, dist);
  fill(x.qWeight, kNbHeadDim, weightDist);
  fill(x.kWeight, kNbHeadDim, weightDist);
  x.qOut.assign(t * qRow, T{});
  x.kCache.assign(cacheRows * kvRow, T{});
  x.vCache.assign(cacheRows * kvRow, T{});
  fillPositions(c.family, x.r.numAxes, t, x.pos);
  x.mq = memref2(x.qProj.data(), t, qRow);
  x.mk = memref2(x.kProj.data(), t, kvRow);
  x.mv = memref2(x.vProj.data(), t, kvRow);
  x.mqw = memref1(x.qWeight.data(), kNbHeadDim);
  x.mkw = memref1(x.kWeight.data(), kNbHeadDim);
  x.mp = memref2(x.pos.data(), x.r.numAxes, t);
  x.mqo = memref3(x.qOut.data(), t, kNbQHeads, kNbHeadDim);
  x.mkc = memref3(x.kCache.data(), cacheRows, kNbKvHeads, kNbHeadDim);
  x.mvc = memref3(x.vCache.data(), cacheRows, kNbKvHeads, kNbHeadDim);
  x.copyStreams = {{x.qProj.data(), x.qOut.data(), qRow * sizeof(T)},
                   {x.kProj.data(), x.kCache.data() + kNbCacheStart * kvRow, kvRow * sizeof(T)},
                   {x.vProj.data(), x.vCache.data() + kNbCacheStart * kvRow, kvRow * sizeof(T)}};
  x.bytes = 2.0 * t * (qRow + 2 * kvRow) * sizeof(T) + x.pos.size() * sizeof(int64_t);
  std::string symbol = "_mlir_ciface_" + c.kernel;
  x.fused = dlsym(libs.fused, symbol.c_str());
  x.unfused = dlsym(libs.unfused, symbol.c_str());
  if (!x.fused || !x.unfused) {
    std::fprintf(stderr, "missing kernel %s\n", c.kernel.c_str());
    return false;
  }
  omp_set_num_threads(c.threads);
  bool fusedRight = checkNeighbours(x, x.fused, "fused");
  bool unfusedRight = checkNeighbours(x, x.unfused, "unfused");
  if (!fusedRight || !unfusedRight)
    return false;

  std::vector<double> s = medianSeconds({[&] { x.call(x.fused); }, [&] { x.call(x.unfused); },
                                         [&] { x.copy(false); }, [&] { x.copy(true); }},
                                        quick);
  auto rate = [&](double sec) { return x.bytes / sec / 1e9; };
  std::printf("%-28s %6lld %3d %9.1f %6.2f %10.1f %6.2f %9.1f %6.2f %9.1f %6.2f %7.0f%% %9.2fx\n",
              c.name.c_str(), (long long)t, c.threads, s[0] * 1e6, rate(s[0]), s[1] * 1e6,
              rate(s[1]), s[2] * 1e6, rate(s[2]), s[3] * 1e6, rate(s[3]), 100.0 * s[2] / s[0],
              s[1] / s[0]);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s KERNELS.so [--quick] [--filter S] [--tokens N] [--huge-pages]\n",
                 argv[0]);
    return 2;
  }
  bool quick = false;
  std::string filter;
  int64_t tokens = 0; // 0: the sizes
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick"))
      quick = true;
    else if (!std::strcmp(argv[i], "--filter") && i + 1 < argc)
      filter = argv[++i];
    else if (!std::strcmp(argv[i], "--tokens") && i + 1 < argc)
      tokens = std::strtoll(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--huge-pages"))
      useHugePages = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (tokens < 0) {
    std::fprintf(stderr, "--tokens must be positive\n");
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    std::fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 2;
  }
  std::vector<Case> cases;
  std::vector<int64_t> sizes = quick ? std::vector<int64_t>{300} : std::vector<int64_t>{512, 4096, 32768};
  std::vector<int64_t> mid = quick ? std::vector<int64_t>{300} : std::vector<int64_t>{4096, 32768};
  if (tokens)
    sizes = mid = {tokens};
  for (int threads : {1, 2}) {
    for (int64_t t : sizes)
      for (const char *dt : {"f32", "bf16", "f16"})
        for (int hq : {16, 32})
          cases.push_back({"qwen3vl q" + std::to_string(hq) + " k8 " + dt, "qwen3vl_q" + std::to_string(hq) + "_" + dt,
                           "qwen3vl", hq, 8, 128, dataNamed(dt), false, t, threads});
    for (int64_t t : mid)
      for (const char *dt : {"f32", "bf16"})
        cases.push_back({std::string("qwen3vl q16 k8 ") + dt + " inplace", std::string("qwen3vl_q16_") + dt + "_inplace",
                         "qwen3vl", 16, 8, 128, dataNamed(dt), true, t, threads});
    for (int64_t t : mid)
      for (const char *dt : {"f32", "bf16"}) {
        cases.push_back({std::string("qwen2vl q28 k4 ") + dt, std::string("qwen2vl_q28_") + dt, "qwen2vl",
                         28, 4, 128, dataNamed(dt), false, t, threads});
        cases.push_back({std::string("neox q32 k8 ") + dt, std::string("neox_q32_") + dt, "neox", 32, 8,
                         128, dataNamed(dt), false, t, threads});
        cases.push_back({std::string("vision2d q16 D80 ") + dt, std::string("vision_q16_") + dt,
                         "vision", 16, 0, 80, dataNamed(dt), false, t, threads});
      }
    cases.push_back({"decode qwen3vl q32 k8 f32", "qwen3vl_q32_f32", "qwen3vl", 32, 8, 128, Data::F32, false, 1, threads});
  }
  std::vector<Case> neighbours;
  for (int threads : {1, 2})
    for (int64_t t : mid)
      for (const char *dt : {"f32", "bf16"})
        neighbours.push_back({std::string("qk-norm rope kv q32 k8 ") + dt, std::string("qk_norm_rope_cache_") + dt,
                              "qwen3vl", kNbQHeads, kNbKvHeads, kNbHeadDim, dataNamed(dt), false, t, threads});
  std::printf("buffers of 1 MiB and more on pages of their own, 64 bytes in; %s\n",
              useHugePages ? "2 MiB pages asked for (--huge-pages)" : "4 KiB pages");
  std::printf("%-28s %6s %3s %10s %7s %9s %8s %9s %9s %8s %9s\n", "case", "tokens", "thr",
              "kernel us", "GB/s", "copy GB/s", "of copy", "hand GB/s", "vs hand", "memcpy", "of memcpy");
  bool ok = true;
  std::vector<std::pair<Case, Case>> pairs; // (f32, bf16) of the same shape
  for (const Case &c : cases) {
    if (!filter.empty() && c.name.find(filter) == std::string::npos)
      continue;
    ok &= c.data == Data::BF16  ? runCase<bf16>(lib, c, quick)
          : c.data == Data::F16 ? runCase<f16>(lib, c, quick)
                                : runCase<float>(lib, c, quick);
    size_t kernelAt = c.kernel.find("_bf16"), nameAt = c.name.find(" bf16");
    if (c.data == Data::BF16 && (quick || c.tokens >= 4096) && kernelAt != std::string::npos &&
        nameAt != std::string::npos) {
      Case f = c;
      f.data = Data::F32;
      f.kernel.replace(kernelAt, 5, "_f32");
      f.name.replace(nameAt, 5, " f32");
      pairs.push_back({f, c});
    }
  }
  if (!pairs.empty()) {
    CacheSweep sweep;
    std::printf("\nbf16 against f32 per byte, same run: the two kernels timed in the same rounds,\n"
                "each call after a %zu MiB read that sweeps the caches (medians of 7-15).\n"
                "Below a streaming row, in the same rounds: hand-written AVX-512 kernels of the\n"
                "same shape without per-token work (cos/sin from L1), the bound for that shape;\n"
                "then its prefetches, loads and streaming stores without the arithmetic, and all\n"
                "of it with plain stores on one token's rows, which stay in L1\n",
                sweep.bytes() >> 20);
    std::printf("%-28s %6s %3s %9s %9s %9s\n", "case", "tokens", "thr", "f32 GB/s", "bf16 GB/s",
                "bf16/f32");
    for (const auto &[f, h] : pairs)
      ok &= runPair(lib, f, h, sweep, quick);
  }
  neighbours.erase(std::remove_if(neighbours.begin(), neighbours.end(),
                                  [&](const Case &c) {
                                    return !filter.empty() && c.name.find(filter) == std::string::npos;
                                  }),
                   neighbours.end());
  if (!neighbours.empty()) {
    std::string dir = argv[1];
    size_t slash = dir.find_last_of('/');
    dir = slash == std::string::npos ? "./" : dir.substr(0, slash + 1);
    NeighboursLibs libs;
    for (auto [handle, name] : {std::pair{&libs.fused, "rope_neighbours_fused.so"},
                                std::pair{&libs.unfused, "rope_neighbours_unfused.so"}})
      if (!(*handle = dlopen((dir + name).c_str(), RTLD_NOW))) {
        std::fprintf(stderr, "cannot load %s: %s\n", (dir + name).c_str(), dlerror());
        return 2;
      }
    std::printf("\nQK-norm + RoPE + KV-cache write (Qwen3-VL, q 32 k 8 v 8 heads of 128, thd), same run:\n"
                "the same MLIR compiled with fuse=true and fuse=false, timed in the same rounds as a copy\n"
                "of the bytes the fused pass moves (q, k, v projections to q_out and the k and v cache\n"
                "slices), with plain stores and with glibc memcpy; both kernels checked against float64\n");
    std::printf("%-28s %6s %3s %9s %6s %10s %6s %9s %6s %9s %6s %8s %10s\n", "case", "tokens", "thr",
                "fused us", "GB/s", "unfused us", "GB/s", "copy us", "GB/s", "memcpy us", "GB/s",
                "of copy", "vs unfused");
    for (const Case &c : neighbours)
      ok &= c.data == Data::BF16 ? runNeighbours<bf16>(libs, c, quick)
                                 : runNeighbours<float>(libs, c, quick);
  }
  if (useHugePages)
    std::printf("\n2 MiB pages: at most %.0f MiB of the process on them (AnonHugePages)\n",
                peakHugePageMiB);
  return ok ? 0 : 1;
}
