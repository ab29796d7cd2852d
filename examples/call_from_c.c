/* Calls the Qwen3-VL rope kernel of examples/qwen3vl_text_rope.mlir, compiled
 * ahead of time by the CPU pipeline (README "Calling a compiled kernel from
 * C"), and checks q and k against a float64 reference of SPEC R3 (interleaved
 * MRoPE, sections [24, 20, 20], theta 5e6, half pairing).
 * Built with -DROPE_BF16 it calls the kernel compiled from the same file with
 * every f32 element type made bf16 (bits in uint16_t).
 * Exit status 0 when every element is within the bound, 1 otherwise. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef ROPE_BF16
typedef uint16_t elem_t;
static float to_float(elem_t v) {
  uint32_t bits = (uint32_t)v << 16;
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}
/* Round to nearest even (the inputs are finite). */
static elem_t from_float(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  bits += 0x7fff + ((bits >> 16) & 1);
  return (elem_t)(bits >> 16);
}
/* One rounding of the exact value (half a bf16 ulp: 2^-8 of the value at
 * most) after f32 arithmetic (a few f32 ulps, 2^-22 here). */
static const double kRelativeBound = 1.0 / 256.0 + 1.0 / (1 << 22);
#else
typedef float elem_t;
static float to_float(elem_t v) { return v; }
static elem_t from_float(float f) { return f; }
/* SPEC R4: f32 output within 1e-5 relative of float64. */
static const double kRelativeBound = 1e-5;
#endif

/* MLIR's C interface for a ranked memref (mlir/ExecutionEngine/CRunnerUtils.h):
 * allocated and aligned pointers, offset, sizes, strides in elements. */
typedef struct {
  elem_t *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
} MemRef4;
typedef struct {
  int64_t *allocated, *aligned;
  int64_t offset, sizes[3], strides[3];
} MemRef3I64;

void _mlir_ciface_qwen3vl_rope(MemRef4 *q, MemRef4 *k, MemRef3I64 *pos, MemRef4 *q_out,
                               MemRef4 *k_out);

enum { kHeadDim = 128, kHalf = 64, kQHeads = 32, kKHeads = 8, kTokens = 37 };

static MemRef4 memref4(elem_t *data, int64_t heads) {
  MemRef4 m = {data, data, 0, {1, heads, kTokens, kHeadDim},
               {heads * kTokens * kHeadDim, kTokens * kHeadDim, kHeadDim, 1}};
  return m;
}

/* SPEC R3, interleaved with sections [24, 20, 20]. */
static int axis_of(int j) {
  if (j % 3 == 1 && j < 3 * 20)
    return 1;
  if (j % 3 == 2 && j < 3 * 20)
    return 2;
  return 0;
}

/* Largest error of `out` against float64 rope of `in`, relative to the
 * largest |x| of each row pair. */
static double worst_error(const elem_t *in, const elem_t *out, int heads, const int64_t *pos) {
  double worst = 0;
  for (int h = 0; h < heads; ++h)
    for (int s = 0; s < kTokens; ++s) {
      const elem_t *x = in + ((int64_t)h * kTokens + s) * kHeadDim;
      const elem_t *y = out + ((int64_t)h * kTokens + s) * kHeadDim;
      for (int j = 0; j < kHalf; ++j) {
        double inv = pow(5.0e6, -2.0 * j / kHeadDim);
        double phi = (double)pos[axis_of(j) * kTokens + s] * inv;
        double x1 = to_float(x[j]), x2 = to_float(x[j + kHalf]);
        double r1 = x1 * cos(phi) - x2 * sin(phi), r2 = x2 * cos(phi) + x1 * sin(phi);
        double scale = fmax(fmax(fabs(r1), fabs(r2)), 1e-30);
        double e1 = fabs(to_float(y[j]) - r1) / scale, e2 = fabs(to_float(y[j + kHalf]) - r2) / scale;
        worst = fmax(worst, fmax(e1, e2));
      }
    }
  return worst;
}

int main(void) {
  size_t qn = (size_t)kQHeads * kTokens * kHeadDim, kn = (size_t)kKHeads * kTokens * kHeadDim;
  elem_t *q = malloc(qn * sizeof *q), *k = malloc(kn * sizeof *k);
  elem_t *q_out = malloc(qn * sizeof *q), *k_out = malloc(kn * sizeof *k);
  int64_t pos[3 * kTokens];
  if (!q || !k || !q_out || !k_out)
    return 1;
  srand(7);
  for (size_t i = 0; i < qn; ++i)
    q[i] = from_float((float)rand() / (float)RAND_MAX * 4.0f - 2.0f);
  for (size_t i = 0; i < kn; ++i)
    k[i] = from_float((float)rand() / (float)RAND_MAX * 4.0f - 2.0f);
  /* Three different axes per token (an image or video prompt), up to 60000. */
  for (int s = 0; s < kTokens; ++s) {
    pos[s] = 1621 * s;
    pos[kTokens + s] = (s * 7919) % 6000;
    pos[2 * kTokens + s] = 3 + (s * s) % 101;
  }
  MemRef4 mq = memref4(q, kQHeads), mk = memref4(k, kKHeads);
  MemRef4 mq_out = memref4(q_out, kQHeads), mk_out = memref4(k_out, kKHeads);
  MemRef3I64 mpos = {pos, pos, 0, {3, 1, kTokens}, {kTokens, kTokens, 1}};
  _mlir_ciface_qwen3vl_rope(&mq, &mk, &mpos, &mq_out, &mk_out);

  double eq = worst_error(q, q_out, kQHeads, pos), ek = worst_error(k, k_out, kKHeads, pos);
  printf("q: worst relative error %.3g, k: %.3g (bound %.3g)\n", eq, ek, kRelativeBound);
  int ok = eq <= kRelativeBound && ek <= kRelativeBound;
  puts(ok ? "PASS" : "FAIL");
  free(q), free(k), free(q_out), free(k_out);
  return ok ? 0 : 1;
}
