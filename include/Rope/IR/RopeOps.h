#ifndef ROPE_IR_ROPEOPS_H
#define ROPE_IR_ROPEOPS_H

#include "Rope/IR/RopeDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace mlir::rope {
/// A double attribute parameter: hashable and printable in the shortest form
/// that reads back exactly.
struct Real {
  double value;
  Real(double v = 0.0) : value(v) {}
  operator double() const { return value; }
  bool operator==(const Real &other) const {
    return llvm::bit_cast<uint64_t>(value) == llvm::bit_cast<uint64_t>(other.value);
  }
  bool operator==(double other) const { return *this == Real(other); }
};
inline llvm::hash_code hash_value(Real r) {
  return llvm::hash_value(llvm::bit_cast<uint64_t>(r.value));
}
AsmPrinter &operator<<(AsmPrinter &printer, Real r);
} // namespace mlir::rope

namespace mlir {
/// Lets ODS `struct(params)` formats parse `Real` parameters.
template <>
struct FieldParser<rope::Real> {
  static FailureOr<rope::Real> parse(AsmParser &parser) {
    double value;
    if (parser.parseFloat(value))
      return failure();
    return rope::Real(value);
  }
};
} // namespace mlir

#include "Rope/IR/RopeEnums.h.inc"
#include "Rope/IR/RopeAttrInterfaces.h.inc"
#define GET_ATTRDEF_CLASSES
#include "Rope/IR/RopeAttrs.h.inc"
#define GET_OP_CLASSES
#include "Rope/IR/RopeOps.h.inc"

namespace mlir::rope {
/// Size bounds the verifiers enforce so that no size computation downstream
/// (frequency tables, vector shapes, byte offsets) overflows or explodes:
/// head_dim, and so rotary_dim and the number of pairs, at most 2^16 (real
/// models use 64 to 512); every static dimension positive and at most 2^40,
/// and every static shape at most 2^48 elements (2^50 bytes of f32).
constexpr int64_t kMaxHeadDim = int64_t(1) << 16;
constexpr int64_t kMaxStaticDim = int64_t(1) << 40;
constexpr int64_t kMaxStaticElements = int64_t(1) << 48;

/// Dimensions of a q/k tensor that index tokens, for a layout: the dims that
/// follow the axis dimension in `positions` and lead in cos/sin tables.
SmallVector<int64_t> getTokenDims(Layout layout);
/// Rank of a q/k tensor in a layout.
int64_t getDataRank(Layout layout);
/// The axes attribute for a per-pair axis map: null for one axis, the named
/// layout (sequential or interleaved) that spells it, or a custom map.
AxesAttr getAxesForMap(MLIRContext *ctx, ArrayRef<int64_t> axisOfPair,
                       int64_t numAxes);
/// Scalar cos and sin (f32) of one pair's angle, `position * invFreq` taken
/// in f64 and reduced mod 2*pi before narrowing (SPEC R5: f32 would lose
/// the phase at long-context positions), scaled by the
/// attention factor and with sin negated for the inverse rotation. Shared by
/// the linalg decomposition and the GPU kernels so both compute one table.
std::pair<Value, Value> buildCosSin(OpBuilder &b, Location loc, Value position,
                                    Value invFreq, double attentionFactor,
                                    bool inverse);
} // namespace mlir::rope

#endif // ROPE_IR_ROPEOPS_H
