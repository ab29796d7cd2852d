//===- Flatten.h - elements as sums of products -----------------*- C++ -*-===//
//
// One element of a candidate root, flattened into a sum of signed products
// of leaf elements: arithmetic (add, sub, neg, mul, division by constants,
// complex create/re/im/mul, casts between floats) is expanded through
// tensors, fused linalg bodies (with selects on index arithmetic, extracts
// at affine indices and small static reductions such as a 2x2 rotation
// matrix), arith on tensors and TOSA's broadcasting elementwise ops; data
// movement is looked through with `viewSource`. Everything else (cos, a
// function argument, a large reduction) is a leaf. Each factor remembers
// the tensors it was read through since the last arithmetic op, so that the
// rotation's x and tables can be named as values of the graph.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TRANSFORMS_RAISE_FLATTEN_H
#define ROPE_TRANSFORMS_RAISE_FLATTEN_H

#include "Views.h"

namespace mlir::rope::raise {

using Path = SmallVector<Elem, 4>;

/// A factor: the elements it was read through, outermost first; the last is
/// the leaf.
struct Factor {
  Path path;
  const Elem &leaf() const { return path.back(); }
};
struct Term {
  double coef = 1.0;
  SmallVector<Factor, 2> factors;
};
using Poly = SmallVector<Term, 2>;

/// A real element (`re`), or a complex one (`re` + i `im`).
struct CPoly {
  Poly re, im;
  bool complex = false;
};

class Flattener {
public:
  /// `stop`, when given, is a leaf wherever it is read: the tensor a
  /// rotation rotates, when it is itself computed by arithmetic (QK-norm's
  /// weight * x) that the flattening would otherwise expand.
  explicit Flattener(ArrayRef<int64_t> rootShape, Value stop = {})
      : rootShape(rootShape), stop(stop) {}

  /// `t[idx]` as a sum of products, or failure when it needs more than the
  /// step budget or more terms than a rotation has.
  FailureOr<CPoly> element(Value t, ArrayRef<AffineExpr> idx) {
    steps = 0;
    return element(t, Index(idx.begin(), idx.end()), Path());
  }

private:
  struct Body {
    linalg::LinalgOp op;
    Index loops;
    ArrayRef<CPoly> accumulators; // init block args inside a reduction
  };
  FailureOr<CPoly> element(Value t, Index idx, Path path);
  FailureOr<CPoly> scalar(Value s, const Body &body, Path path);
  FailureOr<CPoly> linalgElement(linalg::LinalgOp op, unsigned resultNo, const Index &idx,
                                 Path path);
  FailureOr<CPoly> tosaElementwise(Operation *op, const Index &idx);
  FailureOr<bool> condition(Value c, const Body &body);
  FailureOr<CPoly> leaf(Path path);

  SmallVector<int64_t> rootShape;
  Value stop;
  int steps = 0;
  /// Body values left unexpanded so far (see linalgElement).
  int opaqueLeaves = 0;
};

} // namespace mlir::rope::raise

#endif // ROPE_TRANSFORMS_RAISE_FLATTEN_H
