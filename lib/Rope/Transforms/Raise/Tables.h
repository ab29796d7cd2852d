//===- Tables.h - what a rotation's tables compute --------------*- C++ -*-===//
//
// A rotation's cos and sin factors are recovered by what they compute, not
// by the ops that compute them: the table subgraph is evaluated in the
// compiler (in f64, roundings to bf16/f16 skipped, since the raised op may
// only move rounding toward the exact value) with its one run-time input,
// the positions, set to probe values. The positions element each lane
// reads gives its axis and the token dims; the values at the probes give
// the lane's frequency and scale, and must equal scale * cos(p * inv) and
// scale * sin(p * inv) at every probe, lane by lane, or nothing is raised.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TRANSFORMS_RAISE_TABLES_H
#define ROPE_TRANSFORMS_RAISE_TABLES_H

#include "Flatten.h"

#include "Rope/IR/RopeOps.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir::rope::raise {

/// Lanes of R rotated lanes under each pairing of R1: the pair of lane l,
/// whether l is the pair's first lane (whose sin term is subtracted), and
/// its partner.
inline int64_t pairOfLane(Pairing pairing, int64_t l, int64_t r) {
  return pairing == Pairing::half ? l % (r / 2) : l / 2;
}
inline bool isFirstLane(Pairing pairing, int64_t l, int64_t r) {
  return pairing == Pairing::half ? l < r / 2 : l % 2 == 0;
}
inline int64_t partnerLane(Pairing pairing, int64_t l, int64_t r) {
  if (pairing == Pairing::adjacent)
    return l ^ 1;
  return l < r / 2 ? l + r / 2 : l - r / 2;
}

/// What multiplies x[l] (cos side) and x[pair(l)] (sin side) in lane l.
struct LaneTables {
  double cosCoef = 1.0, sinCoef = 1.0;
  SmallVector<Factor, 1> cos, sin;
};

/// A rotation whose tables are functions of one positions tensor.
struct PositionsRope {
  Value positions;
  /// For each dim of `positions`: the root dim it follows, -1 for the axis
  /// dim, -2 for a unit dim read at 0.
  SmallVector<int64_t> positionDims;
  int64_t numAxes = 1;
  SmallVector<int64_t> axisOfPair;
  SmallVector<double> inv;
  double attention = 1.0;
  bool inverse = false;
  /// The relative rounding of a gathered cos/sin cache (0: computed
  /// tables), and the largest position checked.
  double tabulatedEps = 0.0;
  int64_t checkedUpTo = 0;
};

enum class TablesKind {
  /// The tables read no run-time value but the positions: a rope.rotate, or
  /// (when the values are no rotation) nothing.
  Positions,
  /// They read something else (tables, inv_freq passed in): the rotation
  /// keeps them as tables.
  Other,
};

/// Evaluates the tables of every rotated lane (`lanes[l]`, l < R) at probe
/// positions. Fails with `why` set and `kind` saying which case applies.
/// With `exactInv` (one per pair), checks the tables against those
/// frequencies instead of the ones they show.
FailureOr<PositionsRope> recoverFromPositions(ArrayRef<LaneTables> lanes, Pairing pairing,
                                              ArrayRef<int64_t> rootShape, TablesKind &kind,
                                              std::string &why,
                                              ArrayRef<double> exactInv = {});

/// `recoverFromPositions` remembered for the tables it has seen (every
/// layer rotates by the same tables).
class RecoveryCache {
public:
  FailureOr<PositionsRope> recover(ArrayRef<LaneTables> lanes, Pairing pairing,
                                   ArrayRef<int64_t> rootShape, TablesKind &kind,
                                   std::string &why, ArrayRef<double> exactInv = {});

private:
  struct Entry {
    std::optional<PositionsRope> rope;
    TablesKind kind = TablesKind::Other;
    std::string why;
  };
  std::map<std::vector<uintptr_t>, Entry> entries;
};

/// theta, spectrum layout and scaling of a recovered rotation.
struct RecoveredSpectrum {
  double theta = 0.0;
  SmallVector<int64_t> perAxisSections; // set for a per-axis spectrum (R2)
  Attribute scaling;
};
/// `absTol` widens the match of a frequency to the spectrum (frequencies
/// read from a rounded cache).
FailureOr<RecoveredSpectrum> recoverSpectrum(MLIRContext *ctx, ArrayRef<double> inv,
                                             ArrayRef<int64_t> axisOfPair, int64_t rotaryDim,
                                             std::string &why, double absTol = 0.0);

/// inv_j of a recovered spectrum, scaling applied.
SmallVector<double> spectrumFrequencies(const RecoveredSpectrum &s, int64_t numPairs,
                                        int64_t rotaryDim);

} // namespace mlir::rope::raise

#endif // ROPE_TRANSFORMS_RAISE_TABLES_H
