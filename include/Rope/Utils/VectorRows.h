//===- VectorRows.h - n-D vectors one 1-D row at a time ---------*- C++ -*-===//
//
// LLVM lowers an n-D vector as an array of 1-D rows, so rewrites that emit
// target row operations (packed rounding, lane shuffles, even/odd widening)
// apply them row by row.
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_UTILS_VECTORROWS_H
#define ROPE_UTILS_VECTORROWS_H

#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::rope {

/// The most elements of one vector the CPU passes make (rope-codegen-vectorize's
/// tiles: a pair row of both lanes; rope-codegen-vectorize-copies' transfers):
/// vectors stay bounded whatever a graph's static sizes.
constexpr int64_t kMaxVectorElements = 512;

/// The largest divisor of `n` (> 0) that is at most `bound`: a dim cut into
/// equal pieces, with no remainder piece (which would not vectorize).
inline int64_t largestDivisorAtMost(int64_t n, int64_t bound) {
  int64_t divisor = std::min(n, bound);
  while (n % divisor != 0)
    --divisor;
  return divisor;
}

/// Number of 1-D rows of `type` (the product of its leading dimensions).
inline int64_t rowCount(VectorType type) { return computeProduct(type.getShape().drop_back()); }

/// `rowFn` of each 1-D row of `value`, assembled into a vector of
/// `resultType` (whose leading dimensions are `value`'s); `rowFn(value)`
/// itself for a 1-D value.
inline Value mapRows(OpBuilder &b, Location loc, Value value, VectorType resultType,
                     function_ref<Value(Value)> rowFn) {
  auto type = cast<VectorType>(value.getType());
  if (type.getRank() == 1)
    return rowFn(value);
  ArrayRef<int64_t> leading = type.getShape().drop_back();
  Value result = ub::PoisonOp::create(b, loc, resultType);
  SmallVector<int64_t> strides = computeStrides(leading);
  for (int64_t linear = 0, rows = rowCount(type); linear < rows; ++linear) {
    SmallVector<int64_t> position = delinearize(linear, strides);
    Value row = vector::ExtractOp::create(b, loc, value, position);
    result = vector::InsertOp::create(b, loc, rowFn(row), result, position);
  }
  return result;
}

} // namespace mlir::rope

#endif // ROPE_UTILS_VECTORROWS_H
