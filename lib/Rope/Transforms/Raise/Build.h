//===- Build.h - the raised ops ---------------------------------*- C++ -*-===//
//
// `layoutFor` and `findTable` check; the build functions only create, and run
// once the raising pass has checked everything (RaisePass.cpp, `plan`).
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TRANSFORMS_RAISE_BUILD_H
#define ROPE_TRANSFORMS_RAISE_BUILD_H

#include "Rotation.h"

#include "mlir/IR/Builders.h"

namespace mlir::rope::raise {

/// The layout whose token dims contain `tokenDims` (root dims the tables
/// follow; the others are broadcast), or failure.
/// When the tables follow neither the batch nor the sequence (unit dims,
/// one position for all), the dim of x that is not 1 is the heads dim.
FailureOr<Layout> layoutFor(ArrayRef<int64_t> rootShape, ArrayRef<int64_t> tokenDims);

/// A tensor of the graph that holds one side's table: lane l of the rotation
/// reads `value` at `idx` with its last index l (or l's pair, `perPair`).
struct TableSource {
  Value value;
  Index idx;
  int component = -1;
  bool perPair = false;
  SmallVector<int64_t> tokenDims;
};
FailureOr<TableSource> findTable(const Rotation &rot, bool sinSide, ArrayRef<int64_t> rootShape,
                                 std::string &why);

/// `[tokens..., W]` for rope.rotate_with_tables.
Value buildTable(OpBuilder &b, Location loc, const TableSource &src, Value x, Layout layout);

/// `[A, tokens...]` positions for rope.rotate.
Value buildPositions(OpBuilder &b, Location loc, const PositionsRope &rope, Value x,
                     Layout layout);

} // namespace mlir::rope::raise

#endif // ROPE_TRANSFORMS_RAISE_BUILD_H
