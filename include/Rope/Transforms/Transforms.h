//===- Transforms.h - rope's rewrite patterns, for hosts' own drivers -*- C++ -*-===//
//
// The patterns behind rope-raise, for a host compiler that runs them in its
// own pattern sets and drivers (as upstream's populate*Patterns). The passes
// in Passes.h remain the simplest way in; these give the same rewrites one
// match at a time.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TRANSFORMS_TRANSFORMS_H
#define ROPE_TRANSFORMS_TRANSFORMS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::rope {

/// Raises a rotary embedding to `rope.rotate` or `rope.rotate_with_tables`,
/// one candidate root (a sum, a fused body, or the concat/insert/reshape that
/// assembles lanes) per match, exactly as rope-raise decides: the rotation
/// and its tables are matched and proven before any IR is built; a candidate
/// that is not proven is left alone (the reason is the match failure's
/// message). Matched against any op, benefit 1. Drivers that visit users
/// before producers (applyPatternsGreedily's default bottom-up order, as
/// rope-raise) raise the widest rotation (a partial rotary's whole head, not
/// its rotated slice). The rewrites create ops of the rope, tensor, linalg,
/// arith and complex dialects: load them first (a pass lists them in its
/// getDependentDialects, as rope-raise does); ops of an unloaded dialect
/// cannot be built.
void populateRaiseRotaryEmbeddingPatterns(RewritePatternSet &patterns);

/// Merges two rotations of one block that share their positions (and
/// seq_len) or their cos/sin tables and all attributes (q and k rotated
/// alike) into one op with two inputs: one pass over memory, trigonometry
/// shared. Run CSE first where the shared operands come from separate but
/// identical ops (rope-raise runs it between raising and merging).
void populateMergeSiblingRotationsPatterns(RewritePatternSet &patterns);

} // namespace mlir::rope

#endif // ROPE_TRANSFORMS_TRANSFORMS_H
