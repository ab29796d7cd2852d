//===- Transforms.h - x86 rewrite patterns, for hosts' own drivers -*- C++ -*-===//
//
// The patterns behind the rope-x86-* passes (Passes.h), for a host compiler
// that runs them in its own pattern sets. Each rewrites only what the
// target can do better; the IR stays target-neutral elsewhere.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TARGET_X86_TRANSFORMS_H
#define ROPE_TARGET_X86_TRANSFORMS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::rope {

/// `vector.reduction <add>` of a squared bf16 row (as RMSNorm sums x*x) as
/// AVX512-BF16 dot products (`vdpbf16ps`), as rope-x86-avx512bf16-sum-of-squares.
/// The result needs the avx512bf16 CPU feature.
void populateX86Avx512Bf16SumOfSquaresPatterns(RewritePatternSet &patterns);

/// `arith.truncf` of f32 vectors of 32 lanes or more to bf16 as packed
/// two-register conversions (`vcvtne2ps2bf16`), as rope-x86-avx512bf16-truncf.
/// The result needs the avx512bf16 CPU feature.
void populateX86Avx512Bf16TruncFPatterns(RewritePatternSet &patterns);

/// `rope.stream_fence` as `sfence` (orders streaming stores only), as
/// rope-x86-stream-fences.
void populateX86StreamFencePatterns(RewritePatternSet &patterns);

} // namespace mlir::rope

#endif // ROPE_TARGET_X86_TRANSFORMS_H
