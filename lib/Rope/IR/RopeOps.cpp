//===- RopeOps.cpp - rope op verifiers, folds and interfaces --------------===//

#include "Rope/IR/RopeOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::rope;

/// `layout = bhsd`, `pairing = half`: enums as bare keywords in op syntax.
template <typename AttrT>
static ParseResult parseEnumKeyword(OpAsmParser &parser, AttrT &attr) {
  using EnumT = decltype(std::declval<AttrT>().getValue());
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<EnumT> value = symbolizeEnum<EnumT>(keyword);
  if (!value)
    return parser.emitError(loc, "unknown keyword '") << keyword << "'";
  attr = AttrT::get(parser.getContext(), *value);
  return success();
}

template <typename AttrT>
static void printEnumKeyword(OpAsmPrinter &printer, Operation *, AttrT attr) {
  printer << stringifyEnum(attr.getValue());
}

#define GET_OP_CLASSES
#include "Rope/IR/RopeOps.cpp.inc"

SmallVector<int64_t> mlir::rope::getTokenDims(Layout layout) {
  switch (layout) {
  case Layout::bhsd:
    return {0, 2};
  case Layout::bshd:
    return {0, 1};
  case Layout::thd:
  case Layout::packed:
    return {0};
  }
  llvm_unreachable("unknown layout");
}

int64_t mlir::rope::getDataRank(Layout layout) {
  switch (layout) {
  case Layout::bhsd:
  case Layout::bshd:
    return 4;
  case Layout::thd:
    return 3;
  case Layout::packed:
    return 2;
  }
  llvm_unreachable("unknown layout");
}

//===----------------------------------------------------------------------===//
// Verification shared by both rotations
//===----------------------------------------------------------------------===//

/// Equal types for tensors; equal shapes and element types for memrefs,
/// whose layouts may differ.
static bool haveSameShapeAndElement(ShapedType a, ShapedType b) {
  if (isa<RankedTensorType>(a))
    return a == b;
  return a.getShape() == b.getShape() && a.getElementType() == b.getElementType();
}

static bool staticMismatch(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

/// Checks that the static sizes of an operand stay within the bounds that keep
/// every size computation of the lowerings exact (kMaxStaticDim,
/// kMaxStaticElements): dimensions positive, their product bounded.
template <typename OpTy>
static LogicalResult verifyStaticSizes(OpTy op, ShapedType type,
                                       const Twine &name) {
  int64_t elements = 1;
  for (auto [d, size] : llvm::enumerate(type.getShape())) {
    if (ShapedType::isDynamic(size))
      continue;
    if (size <= 0 || size > kMaxStaticDim)
      return op.emitOpError()
             << name << " dimension " << d << " is " << size
             << ": static dimensions must be in [1, 2^40] (dynamic ones may be "
                "empty at run time)";
    // elements <= 2^48 and size <= 2^40: the product cannot overflow.
    elements *= size;
    if (elements > kMaxStaticElements)
      return op.emitOpError() << name << " has more than 2^48 elements ("
                              << type << ")";
  }
  return success();
}

/// Checks q/k operands, results, layout and dimensions (R1, R5, R7).
template <typename OpTy>
static LogicalResult verifyRotation(OpTy op) {
  Layout layout = op.getLayout();
  int64_t rank = getDataRank(layout);
  int64_t headDim = op.getHeadDim(), rotaryDim = op.getRotaryDim();
  if (op.getInits().empty() || op.getInits().size() > 2)
    return op.emitOpError("rotates one or two tensors (q, or q and k), got ")
           << op.getInits().size() << " outs";
  if (!op.getInputs().empty() && op.getInputs().size() != op.getInits().size())
    return op.emitOpError("needs one 'outs' operand per 'ins' operand, got ")
           << op.getInputs().size() << " ins and " << op.getInits().size()
           << " outs";
  // Tensor form or buffer form, never a mix: bufferization rewrites every
  // operand at once, and the lowerings read one kind.
  bool bufferForm = op.isBufferForm();
  auto formError = [&](Value operand, const Twine &name) -> LogicalResult {
    if (isa<MemRefType>(operand.getType()) == bufferForm)
      return success();
    return op.emitOpError() << name << " is a " << (bufferForm ? "tensor" : "memref")
                            << " but outs #0 is a " << (bufferForm ? "memref" : "tensor")
                            << ": operands are all tensors (tensor form) or all memrefs "
                               "(buffer form)";
  };
  for (auto [i, v] : llvm::enumerate(op.getInputs()))
    if (failed(formError(v, "ins #" + Twine(i))))
      return failure();
  for (auto [i, v] : llvm::enumerate(op.getInits()))
    if (failed(formError(v, "outs #" + Twine(i))))
      return failure();
  if constexpr (std::is_same_v<OpTy, RotateOp>) {
    if (failed(formError(op.getPositions(), "operand 'positions'")))
      return failure();
  } else {
    if (failed(formError(op.getCos(), "operand 'cos'")) ||
        failed(formError(op.getSin(), "operand 'sin'")))
      return failure();
  }
  if (bufferForm && !op.getResults().empty())
    return op.emitOpError("has no results in the buffer form (memref outs), got ")
           << op.getResults().size();
  if (!bufferForm && op.getResults().size() != op.getInits().size())
    return op.emitOpError("needs one result per 'outs' operand");
  if (headDim <= 0 || headDim > kMaxHeadDim)
    return op.emitOpError("head_dim must be in [1, 65536], got ") << headDim;
  if (rotaryDim <= 0 || rotaryDim % 2 != 0)
    return op.emitOpError("rotary_dim must be positive and even (R1), got ")
           << rotaryDim;
  if (rotaryDim > headDim)
    return op.emitOpError("rotary_dim (")
           << rotaryDim << ") must not exceed head_dim (" << headDim << ")";

  SmallVector<int64_t> tokenDims = getTokenDims(layout);
  auto first = cast<ShapedType>(op.getInits().front().getType());
  for (auto [i, init] : llvm::enumerate(op.getInits())) {
    auto type = cast<ShapedType>(init.getType());
    if (!type.getElementType().isF32() && !type.getElementType().isF16() &&
        !type.getElementType().isBF16())
      return op.emitOpError("outs #")
             << i << " must have f32, f16 or bf16 elements (R5), got "
             << type.getElementType();
    if (type.getRank() != rank)
      return op.emitOpError("outs #")
             << i << " must have rank " << rank << " for layout "
             << stringifyLayout(layout) << " (R7), got " << type;
    if (failed(verifyStaticSizes(op, type, "outs #" + Twine(i))))
      return failure();
    // The lowerings split the last dimension into heads and lanes at compile
    // time: it is static (token and head dimensions may be dynamic).
    int64_t last = type.getShape().back();
    if (ShapedType::isDynamic(last))
      return op.emitOpError("outs #")
             << i << " must have a static last dimension ("
             << (layout == Layout::packed ? "heads * head_dim" : "head_dim")
             << ") (R7), got " << type;
    if (layout == Layout::packed ? last % headDim != 0 : last != headDim)
      return op.emitOpError("outs #")
             << i << " has last dimension " << last
             << (layout == Layout::packed ? ", not a multiple of head_dim "
                                          : ", not head_dim ")
             << headDim << " (R7)";
    if (!bufferForm && op.getResults()[i].getType() != type)
      return op.emitOpError("result #") << i << " must have the type of outs #" << i;
    // Buffers may differ in layout (a strided view read, a packed one written).
    if (!op.getInputs().empty() &&
        !haveSameShapeAndElement(cast<ShapedType>(op.getInputs()[i].getType()), type))
      return op.emitOpError("ins #")
             << i << " must have the " << (bufferForm ? "shape and element type" : "type")
             << " of outs #" << i;
    for (int64_t d : tokenDims)
      if (staticMismatch(type.getDimSize(d), first.getDimSize(d)))
        return op.emitOpError("outs #")
               << i << " must have the token dimensions of outs #0 (q and k "
                       "share positions)";
  }
  return success();
}

/// Checks that a tensor indexed by tokens (positions after their axis
/// dimension, or cos/sin tables before their last dimension) matches q.
template <typename OpTy>
static LogicalResult verifyTokenShape(OpTy op, ShapedType type,
                                      StringRef name, int64_t leading) {
  SmallVector<int64_t> tokenDims = getTokenDims(op.getLayout());
  int64_t expectedRank = tokenDims.size() + 1;
  if (type.getRank() != expectedRank)
    return op.emitOpError("operand '")
           << name << "' must have rank " << expectedRank << " for layout "
           << stringifyLayout(op.getLayout()) << " (R7), got " << type;
  if (failed(verifyStaticSizes(op, type, Twine("operand '") + name + "'")))
    return failure();
  auto q = cast<ShapedType>(op.getInits().front().getType());
  for (auto [i, d] : llvm::enumerate(tokenDims))
    if (staticMismatch(type.getDimSize(leading + i), q.getDimSize(d)))
      return op.emitOpError("operand '")
             << name << "' dimension " << leading + i << " ("
             << type.getDimSize(leading + i)
             << ") does not match the token dimension " << d << " of outs #0 ("
             << q.getDimSize(d) << ")";
  return success();
}

int64_t RotateOp::getNumAxes() {
  return cast<ShapedType>(getPositions().getType()).getDimSize(0);
}

SmallVector<int64_t> RotateOp::getAxisOfPair() {
  if (!getAxes())
    return SmallVector<int64_t>(getNumPairs(), 0);
  return getAxes()->getAxisOfPair(getNumPairs());
}

SmallVector<double> RotateOp::getInverseFrequencies() {
  int64_t numPairs = getNumPairs();
  double theta = getTheta().convertToDouble();
  SmallVector<double> inv(numPairs);
  AxesAttr axes = getAxesAttr();
  if (axes && axes.getPerAxisSpectrum()) {
    // R2 per-axis: each section restarts the spectrum over 2 * s_a lanes.
    int64_t j = 0;
    for (int64_t s : axes.getValues())
      for (int64_t k = 0; k < s; ++k)
        inv[j++] = std::pow(theta, -2.0 * k / (2.0 * s));
  } else {
    for (int64_t j = 0; j < numPairs; ++j)
      inv[j] = std::pow(theta, -2.0 * j / getRotaryDim());
  }
  if (auto scaling = dyn_cast_if_present<ScalingAttrInterface>(getScalingAttr()))
    scaling.scaleFrequencies(inv, getRotaryDim(), theta);
  return inv;
}

double RotateOp::getEffectiveAttentionFactor() {
  if (auto factor = getAttentionFactor())
    return factor->convertToDouble();
  if (auto scaling = dyn_cast_if_present<ScalingAttrInterface>(getScalingAttr()))
    return scaling.getDefaultAttentionFactor();
  return 1.0;
}

LogicalResult RotateOp::verify() {
  if (failed(verifyRotation(*this)))
    return failure();
  auto posType = cast<ShapedType>(getPositions().getType());
  Type posElt = posType.getElementType();
  // Signless integers only: the lowerings convert with arith, which takes no
  // si64/ui32 (isInteger(64) alone would accept them).
  if (!posElt.isSignlessInteger(32) && !posElt.isSignlessInteger(64) &&
      !posElt.isF32())
    return emitOpError("operand 'positions' must have i32, i64 or f32 "
                       "elements, got ")
           << posElt;
  if (failed(verifyTokenShape(*this, posType, "positions", 1)))
    return failure();
  int64_t numAxes = posType.getDimSize(0);
  if (ShapedType::isDynamic(numAxes))
    return emitOpError("operand 'positions' must have a static axis "
                       "dimension (dimension 0)");
  if (numAxes > kMaxHeadDim)
    return emitOpError("operand 'positions' has ")
           << numAxes << " axes; at most 65536 (R3)";
  double theta = getTheta().convertToDouble();
  if (!(theta > 1.0) || !std::isfinite(theta))
    return emitOpError("theta must be greater than 1 (R2), got ") << theta;
  int64_t numPairs = getNumPairs();
  AxesAttr axes = getAxesAttr();
  if (!axes) {
    if (numAxes != 1)
      return emitOpError("plain RoPE (no 'axes') needs 1 position row, "
                         "'positions' has ")
             << numAxes << " (R3)";
  } else if (axes.getLayout() == AxisLayout::custom) {
    if ((int64_t)axes.getValues().size() != numPairs)
      return emitOpError("custom axis map needs one axis per pair (")
             << numPairs << "), got " << axes.getValues().size() << " (R3)";
    if (axes.getNumAxes() > numAxes)
      return emitOpError("custom axis map names axis ")
             << axes.getNumAxes() - 1 << " but 'positions' has " << numAxes
             << " rows (R3)";
  } else {
    // AxesAttr bounds the sections (at most 2^15 of at most 2^15 each): the
    // sum cannot overflow.
    int64_t sum = 0;
    for (int64_t s : axes.getValues())
      sum += s;
    if (sum != numPairs)
      return emitOpError("sections sum to ")
             << sum << " but rotary_dim / 2 is " << numPairs << " (R3)";
    if ((int64_t)axes.getValues().size() != numAxes)
      return emitOpError("axes has ")
             << axes.getValues().size() << " sections but 'positions' has "
             << numAxes << " rows (R3)";
    if (axes.getLayout() == AxisLayout::interleaved) {
      SmallVector<int64_t> count(3, 0);
      for (int64_t a : axes.getAxisOfPair(numPairs))
        ++count[a];
      for (int64_t a = 0; a < 3; ++a)
        if (count[a] != axes.getValues()[a])
          return emitOpError("interleaved sections do not match a round-robin "
                             "layout: axis ")
                 << a << " gets " << count[a] << " pairs, section says "
                 << axes.getValues()[a] << " (R3)";
    }
  }
  Attribute scalingAttr = getScalingAttr();
  if (scalingAttr) {
    auto scaling = dyn_cast<ScalingAttrInterface>(scalingAttr);
    if (!scaling)
      return emitOpError("'scaling' must be a rope scaling attribute (R4), got ")
             << scalingAttr;
    if (failed(scaling.verifyFor([&]() { return emitOpError(); }, getRotaryDim())))
      return failure();
  }
  bool dynamicNtk = isa_and_present<DynamicNtkScalingAttr>(scalingAttr);
  if (dynamicNtk != (getSeqLen() != nullptr))
    return emitOpError("operand 'seq_len' is required by, and only by, "
                       "#rope.dynamic_ntk scaling (R4)");
  // The kernels scale in f32: a factor past f32's largest value would be inf
  // there, and 0 * inf = NaN.
  if (auto factor = getAttentionFactor())
    if (!(factor->convertToDouble() > 0.0) ||
        !(factor->convertToDouble() <= std::numeric_limits<float>::max()))
      return emitOpError("attention_factor must be positive and finite in f32 (R4), got ")
             << factor->convertToDouble();
  return success();
}

LogicalResult RotateWithTablesOp::verify() {
  if (failed(verifyRotation(*this)))
    return failure();
  auto tableType = cast<ShapedType>(getCos().getType());
  if (!haveSameShapeAndElement(tableType, cast<ShapedType>(getSin().getType())))
    return emitOpError("operands 'cos' and 'sin' must have the same ")
           << (isBufferForm() ? "shape and element type" : "type");
  // The element types the lowerings extend to f32 (or compute in, f64).
  Type tableElt = tableType.getElementType();
  if (!tableElt.isF16() && !tableElt.isBF16() && !tableElt.isF32() && !tableElt.isF64())
    return emitOpError("operand 'cos' must have f16, bf16, f32 or f64 elements, got ")
           << tableElt;
  if (failed(verifyTokenShape(*this, tableType, "cos", 0)))
    return failure();
  int64_t width = tableType.getShape().back();
  if (width != (int64_t)getRotaryDim() && width != getNumPairs()) {
    InFlightDiagnostic diag = emitOpError("operand 'cos' must have a static last dimension of "
                                          "rotary_dim (")
                              << getRotaryDim() << ") or rotary_dim / 2 (" << getNumPairs()
                              << "), got ";
    if (ShapedType::isDynamic(width))
      return diag << "a dynamic one";
    return diag << width;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Canonicalization
//===----------------------------------------------------------------------===//

AxesAttr mlir::rope::getAxesForMap(MLIRContext *ctx, ArrayRef<int64_t> axisOfPair,
                                   int64_t numAxes) {
  if (numAxes == 1)
    return {};
  SmallVector<int64_t> sections(numAxes, 0);
  for (int64_t a : axisOfPair)
    ++sections[a];
  if (!llvm::is_contained(sections, 0)) {
    for (AxisLayout layout : {AxisLayout::sequential, AxisLayout::interleaved}) {
      if (layout == AxisLayout::interleaved && numAxes != 3)
        continue;
      auto named = AxesAttr::get(ctx, layout, sections, false);
      if (named.getAxisOfPair(axisOfPair.size()) == axisOfPair)
        return named;
    }
  }
  return AxesAttr::get(ctx, AxisLayout::custom, axisOfPair, false);
}

namespace {
/// `ins(%x) outs(%x)` rotates %x: the same as rotating %x in place.
template <typename OpTy>
struct DropInputsEqualToInits : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (op.getInputs().empty() || op.getInputs() != op.getInits())
      return rewriter.notifyMatchFailure(op, "ins differ from outs");
    rewriter.modifyOpInPlace(op, [&]() { op.getInputsMutable().clear(); });
    return success();
  }
};

/// A single section, or a custom map that spells a named layout, is written in
/// its named form (R3): readers and lowerings see one spelling.
struct CanonicalizeAxes : OpRewritePattern<RotateOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RotateOp op, PatternRewriter &rewriter) const override {
    AxesAttr axes = op.getAxesAttr();
    if (!axes)
      return rewriter.notifyMatchFailure(op, "plain RoPE");
    if (axes.getValues().size() == 1 && axes.getLayout() != AxisLayout::custom) {
      // One section: shared and per-axis spectra coincide (s_0 = P).
      rewriter.modifyOpInPlace(op, [&]() { op.removeAxesAttr(); });
      return success();
    }
    if (axes.getLayout() != AxisLayout::custom)
      return rewriter.notifyMatchFailure(op, "already a named layout");
    AxesAttr named = getAxesForMap(op.getContext(), axes.getValues(), op.getNumAxes());
    if (named == axes)
      return rewriter.notifyMatchFailure(op, "custom map is not a named layout");
    rewriter.modifyOpInPlace(op, [&]() {
      if (named)
        op.setAxesAttr(named);
      else
        op.removeAxesAttr();
    });
    return success();
  }
};

/// Returns a `[1, tokens...]` value equal to every row of `positions` when the
/// rows are provably one value (broadcast, concat of one value, splat).
static Value getSingleRow(PatternRewriter &rewriter, Location loc,
                          Value positions) {
  auto type = dyn_cast<RankedTensorType>(positions.getType());
  if (!type)
    return {};
  SmallVector<int64_t> rowShape(type.getShape());
  rowShape[0] = 1;
  auto rowType = RankedTensorType::get(rowShape, type.getElementType());
  DenseElementsAttr dense;
  if (matchPattern(positions, m_Constant(&dense)) && dense.isSplat())
    return arith::ConstantOp::create(rewriter, loc, rowType,
                                     dense.resizeSplat(rowType));
  if (auto concat = positions.getDefiningOp<tensor::ConcatOp>()) {
    if (concat.getDim() == 0 && llvm::all_equal(concat.getInputs()) &&
        concat.getInputs().front().getType() == rowType)
      return concat.getInputs().front();
    return {};
  }
  if (auto bcast = positions.getDefiningOp<linalg::BroadcastOp>()) {
    if (bcast.getDimensions() != ArrayRef<int64_t>{0})
      return {};
    SmallVector<ReassociationIndices> reassoc;
    reassoc.push_back({0, 1});
    for (int64_t d = 2; d < type.getRank(); ++d)
      reassoc.push_back({d});
    Value row = bcast.getInput();
    SmallVector<OpFoldResult> outShape =
        tensor::getMixedSizes(rewriter, loc, row);
    outShape.insert(outShape.begin(), rewriter.getIndexAttr(1));
    return tensor::ExpandShapeOp::create(rewriter, loc, rowType, row, reassoc,
                                         outShape);
  }
  return {};
}

/// R3-text: MRoPE whose position rows are one value is plain RoPE.
struct EqualPositionRowsToPlain : OpRewritePattern<RotateOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RotateOp op, PatternRewriter &rewriter) const override {
    AxesAttr axes = op.getAxesAttr();
    if (!axes || op.getNumAxes() < 2)
      return rewriter.notifyMatchFailure(op, "not multi-axis");
    if (axes.getPerAxisSpectrum())
      return rewriter.notifyMatchFailure(
          op, "per-axis spectra differ even for equal positions (R2)");
    Value row = getSingleRow(rewriter, op.getLoc(), op.getPositions());
    if (!row)
      return rewriter.notifyMatchFailure(op, "position rows not provably equal");
    rewriter.modifyOpInPlace(op, [&]() {
      op.getPositionsMutable().assign(row);
      op.removeAxesAttr();
    });
    return success();
  }
};
} // namespace

void RotateOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<DropInputsEqualToInits<RotateOp>, CanonicalizeAxes,
              EqualPositionRowsToPlain>(context);
}

//===----------------------------------------------------------------------===//
// Memory effects and speculation
//===----------------------------------------------------------------------===//

/// The buffer form reads its sources, positions and tables and writes its
/// outs (read too when rotated in place); the tensor form has no effects.
template <typename OpTy>
static void rotationEffects(
    OpTy op, SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    bool init = op.isDpsInit(&operand);
    if (!init || op.isInPlace())
      effects.emplace_back(MemoryEffects::Read::get(), &operand, /*stage=*/0,
                           /*effectOnFullRegion=*/true, SideEffects::DefaultResource::get());
    if (init)
      effects.emplace_back(MemoryEffects::Write::get(), &operand, /*stage=*/0,
                           /*effectOnFullRegion=*/true, SideEffects::DefaultResource::get());
  }
}

void RotateOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  rotationEffects(*this, effects);
}
void RotateWithTablesOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  rotationEffects(*this, effects);
}

Speculation::Speculatability RotateOp::getSpeculatability() {
  return isBufferForm() ? Speculation::NotSpeculatable : Speculation::Speculatable;
}
Speculation::Speculatability RotateWithTablesOp::getSpeculatability() {
  return isBufferForm() ? Speculation::NotSpeculatable : Speculation::Speculatable;
}

//===----------------------------------------------------------------------===//
// Shapes and tiling over tokens
//===----------------------------------------------------------------------===//

/// Sizes of a tensor or memref, folded where static.
static SmallVector<OpFoldResult> mixedSizes(OpBuilder &b, Location loc, Value v) {
  if (isa<MemRefType>(v.getType()))
    return memref::getMixedSizes(b, loc, v);
  return tensor::getMixedSizes(b, loc, v);
}

template <typename OpTy>
static LogicalResult reifyRotation(OpTy op, OpBuilder &b,
                                   ReifiedRankedShapedTypeDims &shapes) {
  // The buffer form has no results to reify.
  if (op.isBufferForm())
    return success();
  for (Value init : op.getInits())
    shapes.push_back(tensor::getMixedSizes(b, op.getLoc(), init));
  return success();
}

LogicalResult RotateOp::reifyResultShapes(OpBuilder &b,
                                          ReifiedRankedShapedTypeDims &shapes) {
  return reifyRotation(*this, b, shapes);
}
LogicalResult
RotateWithTablesOp::reifyResultShapes(OpBuilder &b,
                                      ReifiedRankedShapedTypeDims &shapes) {
  return reifyRotation(*this, b, shapes);
}

template <typename OpTy>
static SmallVector<Range> rotationDomain(OpTy op, OpBuilder &b) {
  SmallVector<Range> domain;
  Value q = op.getInits().front();
  for (int64_t d : getTokenDims(op.getLayout()))
    domain.push_back(Range{b.getIndexAttr(0), mixedSizes(b, op.getLoc(), q)[d],
                           b.getIndexAttr(1)});
  return domain;
}

/// Offsets and sizes of the part of a q/k tensor that a token tile touches.
static void dataTile(OpBuilder &b, Location loc, Value data, Layout layout,
                     ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes,
                     SmallVector<OpFoldResult> &tileOffsets,
                     SmallVector<OpFoldResult> &tileSizes) {
  tileSizes = mixedSizes(b, loc, data);
  tileOffsets.assign(tileSizes.size(), b.getIndexAttr(0));
  for (auto [i, d] : llvm::enumerate(getTokenDims(layout))) {
    tileOffsets[d] = offsets[i];
    tileSizes[d] = sizes[i];
  }
}

/// A unit-stride slice: extract_slice of a tensor, subview of a memref.
static Value slice(OpBuilder &b, Location loc, Value v, ArrayRef<OpFoldResult> offsets,
                   ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  if (isa<MemRefType>(v.getType()))
    return memref::SubViewOp::create(b, loc, v, offsets, sizes, strides);
  return tensor::ExtractSliceOp::create(b, loc, v, offsets, sizes, strides);
}

/// Slices a token-indexed operand whose token dims start at `leading`.
static Value sliceTokenOperand(OpBuilder &b, Location loc, Value v,
                               int64_t leading, ArrayRef<OpFoldResult> offsets,
                               ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> tileSizes = mixedSizes(b, loc, v);
  SmallVector<OpFoldResult> tileOffsets(tileSizes.size(), b.getIndexAttr(0));
  for (size_t i = 0; i < offsets.size(); ++i) {
    tileOffsets[leading + i] = offsets[i];
    tileSizes[leading + i] = sizes[i];
  }
  return slice(b, loc, v, tileOffsets, tileSizes);
}

template <typename OpTy>
static FailureOr<TilingResult>
tileRotation(OpTy op, OpBuilder &b, ArrayRef<OpFoldResult> offsets,
             ArrayRef<OpFoldResult> sizes) {
  Location loc = op.getLoc();
  IRMapping map;
  SmallVector<Operation *> slices;
  auto sliceData = [&](Value v) {
    SmallVector<OpFoldResult> o, s;
    dataTile(b, loc, v, op.getLayout(), offsets, sizes, o, s);
    Value tile = slice(b, loc, v, o, s);
    map.map(v, tile);
    slices.push_back(tile.getDefiningOp());
  };
  for (Value v : op.getInputs())
    sliceData(v);
  for (Value v : op.getInits())
    if (!map.contains(v))
      sliceData(v);
  if constexpr (std::is_same_v<OpTy, RotateOp>) {
    Value pos = sliceTokenOperand(b, loc, op.getPositions(), 1, offsets, sizes);
    map.map(op.getPositions(), pos);
    slices.push_back(pos.getDefiningOp());
  } else {
    for (Value table : {op.getCos(), op.getSin()}) {
      if (map.contains(table))
        continue;
      Value slice = sliceTokenOperand(b, loc, table, 0, offsets, sizes);
      map.map(table, slice);
      slices.push_back(slice.getDefiningOp());
    }
  }
  Operation *tiled = b.clone(*op.getOperation(), map);
  for (auto [result, init] : llvm::zip(tiled->getResults(),
                                       cast<OpTy>(tiled).getInits()))
    result.setType(init.getType());
  return TilingResult{{tiled}, SmallVector<Value>(tiled->getResults()), slices};
}

template <typename OpTy>
static LogicalResult rotationResultTile(OpTy op, OpBuilder &b, unsigned number,
                                        ArrayRef<OpFoldResult> offsets,
                                        ArrayRef<OpFoldResult> sizes,
                                        SmallVector<OpFoldResult> &resultOffsets,
                                        SmallVector<OpFoldResult> &resultSizes) {
  dataTile(b, op.getLoc(), op.getInits()[number], op.getLayout(), offsets,
           sizes, resultOffsets, resultSizes);
  return success();
}

/// The dims of operand `number` that the token dims of the iteration domain
/// index, in domain order; failure for an operand that is not token-indexed
/// (seq_len). Data operands keep heads and head_dim whole; positions lead
/// with the axis dim, tables end with the lane dim.
template <typename OpTy>
static FailureOr<SmallVector<int64_t>> operandTokenDims(OpTy op,
                                                        unsigned number) {
  OpOperand &operand = op->getOpOperand(number);
  SmallVector<int64_t> tokenDims = getTokenDims(op.getLayout());
  if (!isa<ShapedType>(operand.get().getType()))
    return failure();
  if (llvm::is_contained(op.getInputs(), operand.get()) ||
      op.isDpsInit(&operand))
    return tokenDims;
  int64_t leading = 0;
  if constexpr (std::is_same_v<OpTy, RotateOp>)
    leading = 1;
  return llvm::to_vector(llvm::seq<int64_t>(leading, leading + tokenDims.size()));
}

/// Whether a tile of `dim` of `value` is the whole dim: offset 0 and the
/// dim's full size (proved through value bounds when the size is dynamic).
static bool isWholeDim(Value value, int64_t dim, OpFoldResult offset,
                       OpFoldResult size) {
  if (!isZeroInteger(offset))
    return false;
  int64_t extent = cast<ShapedType>(value.getType()).getDimSize(dim);
  if (!ShapedType::isDynamic(extent))
    return isConstantIntValue(size, extent);
  FailureOr<bool> equal = ValueBoundsConstraintSet::areEqual(
      ValueBoundsConstraintSet::Variable(size),
      ValueBoundsConstraintSet::Variable(value, dim));
  return succeeded(equal) && *equal;
}

/// The iteration domain tile that a tile of `value` (indexed by the domain
/// through `tokenDims`) needs; failure when the tile splits a dim other than
/// a token dim (heads, head_dim, the axis dim of positions, table lanes): a
/// rotation reads the whole pair and every axis of its token.
static LogicalResult domainTileOf(Value value, ArrayRef<int64_t> tokenDims,
                                  ArrayRef<OpFoldResult> offsets,
                                  ArrayRef<OpFoldResult> sizes,
                                  SmallVectorImpl<OpFoldResult> &domainOffsets,
                                  SmallVectorImpl<OpFoldResult> &domainSizes) {
  for (int64_t d = 0, e = offsets.size(); d < e; ++d)
    if (!llvm::is_contained(tokenDims, d) &&
        !isWholeDim(value, d, offsets[d], sizes[d]))
      return failure();
  domainOffsets.clear();
  domainSizes.clear();
  for (int64_t d : tokenDims) {
    domainOffsets.push_back(offsets[d]);
    domainSizes.push_back(sizes[d]);
  }
  return success();
}

template <typename OpTy>
static LogicalResult
rotationDomainFromResultTile(OpTy op, unsigned number,
                             ArrayRef<OpFoldResult> offsets,
                             ArrayRef<OpFoldResult> sizes,
                             SmallVectorImpl<OpFoldResult> &domainOffsets,
                             SmallVectorImpl<OpFoldResult> &domainSizes) {
  return domainTileOf(op->getResult(number),
                      getTokenDims(op.getLayout()), offsets, sizes,
                      domainOffsets, domainSizes);
}

/// The domain tile that every given operand tile agrees on; failure when an
/// operand is not token-indexed, a tile splits a whole dim, or two tiles
/// disagree on the tokens.
template <typename OpTy>
static LogicalResult rotationDomainFromOperandTiles(
    OpTy op, ArrayRef<unsigned> numbers,
    ArrayRef<SmallVector<OpFoldResult>> allOffsets,
    ArrayRef<SmallVector<OpFoldResult>> allSizes,
    SmallVectorImpl<OpFoldResult> &domainOffsets,
    SmallVectorImpl<OpFoldResult> &domainSizes) {
  if (numbers.empty())
    return failure();
  for (auto [i, number] : llvm::enumerate(numbers)) {
    FailureOr<SmallVector<int64_t>> tokenDims = operandTokenDims(op, number);
    if (failed(tokenDims))
      return failure();
    SmallVector<OpFoldResult> o, s;
    if (failed(domainTileOf(op->getOperand(number), *tokenDims, allOffsets[i],
                            allSizes[i], o, s)))
      return failure();
    if (i == 0) {
      domainOffsets.assign(o);
      domainSizes.assign(s);
      continue;
    }
    for (size_t d = 0; d < o.size(); ++d)
      if (!isEqualConstantIntOrValue(o[d], domainOffsets[d]) ||
          !isEqualConstantIntOrValue(s[d], domainSizes[d]))
        return failure();
  }
  return success();
}

#define ROPE_TILING_METHODS(OP)                                                \
  SmallVector<utils::IteratorType> OP::getLoopIteratorTypes() {                \
    return SmallVector<utils::IteratorType>(                                   \
        getTokenDims(getLayout()).size(), utils::IteratorType::parallel);      \
  }                                                                            \
  SmallVector<Range> OP::getIterationDomain(OpBuilder &b) {                    \
    return rotationDomain(*this, b);                                           \
  }                                                                            \
  FailureOr<TilingResult> OP::getTiledImplementation(                          \
      OpBuilder &b, ArrayRef<OpFoldResult> offsets,                            \
      ArrayRef<OpFoldResult> sizes) {                                          \
    return tileRotation(*this, b, offsets, sizes);                             \
  }                                                                            \
  LogicalResult OP::getResultTilePosition(                                     \
      OpBuilder &b, unsigned resultNumber, ArrayRef<OpFoldResult> offsets,     \
      ArrayRef<OpFoldResult> sizes, SmallVector<OpFoldResult> &resultOffsets,  \
      SmallVector<OpFoldResult> &resultSizes) {                                \
    return rotationResultTile(*this, b, resultNumber, offsets, sizes,          \
                              resultOffsets, resultSizes);                     \
  }                                                                            \
  LogicalResult OP::getIterationDomainTileFromResultTile(                      \
      OpBuilder &, unsigned resultNumber, ArrayRef<OpFoldResult> offsets,      \
      ArrayRef<OpFoldResult> sizes,                                            \
      SmallVectorImpl<OpFoldResult> &iterDomainOffsets,                        \
      SmallVectorImpl<OpFoldResult> &iterDomainSizes) {                        \
    return rotationDomainFromResultTile(*this, resultNumber, offsets, sizes,   \
                                        iterDomainOffsets, iterDomainSizes);   \
  }                                                                            \
  FailureOr<TilingResult> OP::generateResultTileValue(                         \
      OpBuilder &b, unsigned resultNumber, ArrayRef<OpFoldResult> offsets,     \
      ArrayRef<OpFoldResult> sizes) {                                          \
    SmallVector<OpFoldResult> domainOffsets, domainSizes;                      \
    if (failed(rotationDomainFromResultTile(*this, resultNumber, offsets,      \
                                            sizes, domainOffsets,              \
                                            domainSizes)))                     \
      return failure();                                                        \
    FailureOr<TilingResult> tiled =                                            \
        tileRotation(*this, b, domainOffsets, domainSizes);                    \
    if (failed(tiled))                                                         \
      return failure();                                                        \
    tiled->tiledValues = {tiled->tiledValues[resultNumber]};                   \
    return tiled;                                                              \
  }                                                                            \
  LogicalResult OP::getIterationDomainTileFromOperandTiles(                    \
      OpBuilder &, ArrayRef<unsigned> operandNumbers,                          \
      ArrayRef<SmallVector<OpFoldResult>> allOffsets,                          \
      ArrayRef<SmallVector<OpFoldResult>> allSizes,                            \
      SmallVectorImpl<OpFoldResult> &iterDomainOffsets,                        \
      SmallVectorImpl<OpFoldResult> &iterDomainSizes) {                        \
    return rotationDomainFromOperandTiles(*this, operandNumbers, allOffsets,   \
                                          allSizes, iterDomainOffsets,         \
                                          iterDomainSizes);                    \
  }                                                                            \
  FailureOr<TilingResult> OP::getTiledImplementationFromOperandTiles(          \
      OpBuilder &b, ArrayRef<unsigned> operandNumbers,                         \
      ArrayRef<SmallVector<OpFoldResult>> allOffsets,                          \
      ArrayRef<SmallVector<OpFoldResult>> allSizes) {                          \
    SmallVector<OpFoldResult> domainOffsets, domainSizes;                      \
    if (failed(rotationDomainFromOperandTiles(*this, operandNumbers,           \
                                              allOffsets, allSizes,            \
                                              domainOffsets, domainSizes)))    \
      return failure();                                                        \
    return tileRotation(*this, b, domainOffsets, domainSizes);                 \
  }

ROPE_TILING_METHODS(RotateOp)
ROPE_TILING_METHODS(RotateWithTablesOp)
#undef ROPE_TILING_METHODS
