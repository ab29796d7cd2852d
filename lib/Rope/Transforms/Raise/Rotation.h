//===- Rotation.h - a rotation, lane by lane --------------------*- C++ -*-===//
//
// A root is a rotation of some tensor x of its own type when, for every lane
// l of its last dim, its element is either x[.., l] (a lane past the rotary
// dim) or the sum of two products: x[.., l] times a cos-side factor and
// x[.., l'] times a sin-side factor, where l' is l's partner in one of the
// pairings of R1. The lane-by-lane flattening makes this independent of how
// rotate_half, the halves, the pairs or the complex numbers were spelled.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TRANSFORMS_RAISE_ROTATION_H
#define ROPE_TRANSFORMS_RAISE_ROTATION_H

#include "Tables.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::rope::raise {

struct Rotation {
  Value x;
  int64_t rotaryDim = 0;
  Pairing pairing = Pairing::half;
  /// The factors of each rotated lane.
  SmallVector<LaneTables, 0> lanes;
};

/// What `matchRotation` found at a root.
enum class Candidate {
  /// Not shaped like a rotation at all: nothing to report.
  None,
  /// Lane 0 is x * a + x' * b for some x of the root's type: a rotation, or a
  /// near miss whose reason is worth reporting.
  LooksLikeRotation,
};

/// The first rotation at `root` that `accept` takes (it sets its own `why`
/// when it does not). The tensor read at the rotated lanes after expanding
/// all arithmetic is tried first; then, nearest first, the tensors of the
/// root's shape it is computed from, each kept whole (Qwen3's QK-norm, whose
/// rsqrt(mean(x^2)) and weight are no tables). When none is taken, `why` and
/// `candidate` are those of the nearest try that matched a rotation (the
/// planner's reason), else of the first try.
FailureOr<Rotation>
matchRotation(Value root, Candidate &candidate, std::string &why,
              llvm::function_ref<bool(const Rotation &, std::string &)> accept);

} // namespace mlir::rope::raise

#endif // ROPE_TRANSFORMS_RAISE_ROTATION_H
