//===- Views.h - data movement as index functions ---------------*- C++ -*-===//
//
// The raiser reads every tensor element by element: an element is a tensor
// and one index per dim, each an affine function of the candidate root's
// dims in which the lane (last) dim is a constant. Data-movement ops
// (slices with strides, inserts, concatenations, reshapes, broadcasts in any
// form, transposes, tiles, casts between tensor types) then become index
// functions: one element of the result is one element of one source. Any
// composition of them is understood by composing those functions, whatever
// op sequence the exporter chose.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TRANSFORMS_RAISE_VIEWS_H
#define ROPE_TRANSFORMS_RAISE_VIEWS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::rope::raise {

using Index = SmallVector<AffineExpr, 4>;

/// One element: of a tensor at `idx`, or a scalar computed in a linalg body
/// with the body's loops at `idx`. `component` picks the real (0) or
/// imaginary (1) part of a complex element; -1 for a real one.
struct Elem {
  Value value;
  Index idx;
  int component = -1;
  bool operator==(const Elem &o) const {
    return value == o.value && idx == o.idx && component == o.component;
  }
};

/// The element of a data-movement op's source that `t[idx]` is, or nothing
/// when `t` is not produced by one (or the element cannot be located
/// statically: a dynamic offset, a concatenation along a dim whose index is
/// not a constant, a partial insert along such a dim).
/// The source's indices are simplified with the root's dim sizes
/// (`rootShape`), so that reshapes of unit and exactly divided dims fold.
std::optional<Elem> viewSource(Value t, ArrayRef<AffineExpr> idx, ArrayRef<int64_t> rootShape);

/// `e` with every floordiv and mod whose operand provably stays within one
/// multiple of the divisor (the root's dim d ranges over [0, rootShape[d]))
/// folded away.
AffineExpr simplifyInBounds(AffineExpr e, ArrayRef<int64_t> rootShape);

/// The loop values of a linalg op for element `idx` of result `resultNo`:
/// each loop the result's map names gets its index; reduction loops are left
/// null (the caller enumerates them). Fails for maps that are not projected
/// permutations and for parallel loops the result does not name.
FailureOr<Index> loopsForResult(linalg::LinalgOp op, unsigned resultNo,
                                ArrayRef<AffineExpr> idx);

/// Applies `map` to `loops`.
Index applyMap(AffineMap map, ArrayRef<AffineExpr> loops);

/// An integer or index scalar of a linalg body as an affine function of the
/// root's dims (linalg.index, constants, +, -, * and / by constants, casts),
/// or nothing.
std::optional<AffineExpr> indexValue(Value s, ArrayRef<AffineExpr> loops);

/// A scalar computed from constants only (a cast or arithmetic of constants
/// an exporter left unfolded), as a double.
std::optional<double> scalarConstant(Value s);

/// The index of a TOSA elementwise operand at the result's `idx`: TOSA
/// broadcasts operands of equal rank along their size-1 dims. Nothing for an
/// unranked operand or another rank.
std::optional<Index> tosaOperandIndex(Value operand, RankedTensorType result,
                                      ArrayRef<AffineExpr> idx);

/// `c`'s value when it is a constant affine expression.
std::optional<int64_t> constantOf(AffineExpr c);

} // namespace mlir::rope::raise

#endif // ROPE_TRANSFORMS_RAISE_VIEWS_H
