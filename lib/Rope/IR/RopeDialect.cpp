//===- RopeDialect.cpp - rope dialect and attributes ----------------------===//

#include "Rope/IR/RopeOps.h"

#include "mlir/Conversion/ConvertToLLVM/ToLLVMInterface.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::rope;

#include "Rope/IR/RopeDialect.cpp.inc"
#include "Rope/IR/RopeEnums.cpp.inc"
#include "Rope/IR/RopeAttrInterfaces.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "Rope/IR/RopeAttrs.cpp.inc"

void RopeDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Rope/IR/RopeAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Rope/IR/RopeOps.cpp.inc"
      >();
  // The lowering to LLVM lives in Conversion (RopeToLLVM.cpp), registered
  // by registerConvertRopeToLLVMInterface: an MLIR built with assertions
  // then names the missing registration instead of leaving rope ops behind.
  declarePromisedInterface<ConvertToLLVMPatternInterface, RopeDialect>();
  // The bufferization model lives with the transforms
  // (BufferizableOpInterfaceImpl.cpp), registered by
  // registerBufferizableOpInterfaceExternalModels.
  declarePromisedInterfaces<bufferization::BufferizableOpInterface, RotateOp,
                            RotateWithTablesOp>();
}

void rope::registerRopeDialect(DialectRegistry &registry) {
  registry.insert<RopeDialect>();
}

AsmPrinter &mlir::rope::operator<<(AsmPrinter &printer, Real r) {
  // No decimal spells inf or nan: their bits, as MLIR's float parser reads
  // hexadecimal literals (the verifiers reject them, the text round trips).
  if (!std::isfinite(r.value)) {
    printer << llvm::format("0x%016llX",
                            (unsigned long long)llvm::bit_cast<uint64_t>(r.value));
    return printer;
  }
  // Shortest decimal that reads back to the same double.
  for (int precision = 1; precision <= 17; ++precision) {
    std::string text = llvm::formatv("{0}", llvm::format("%.*g", precision, r.value)).str();
    if (std::strtod(text.c_str(), nullptr) == r.value) {
      // MLIR's float literals need a '.' before any exponent (4e+01 is not
      // one, 4.0e+01 is).
      size_t exponent = text.find('e');
      if (text.find('.') == std::string::npos)
        text.insert(exponent == std::string::npos ? text.size() : exponent, ".0");
      printer << text;
      return printer;
    }
  }
  return printer;
}

//===----------------------------------------------------------------------===//
// AxesAttr
//===----------------------------------------------------------------------===//

Attribute AxesAttr::parse(AsmParser &parser, Type) {
  StringRef keyword;
  SmallVector<int64_t> values;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<AxisLayout> layout = symbolizeAxisLayout(keyword);
  if (!layout) {
    parser.emitError(parser.getCurrentLocation(),
                     "expected 'sequential', 'interleaved' or 'custom'");
    return {};
  }
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
        return parser.parseInteger(values.emplace_back());
      }))
    return {};
  bool perAxis = succeeded(parser.parseOptionalKeyword("per_axis"));
  if (parser.parseGreater())
    return {};
  return AxesAttr::getChecked(
      [&]() { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), *layout, values, perAxis);
}

void AxesAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyAxisLayout(getLayout()) << " [";
  llvm::interleaveComma(getValues(), printer);
  printer << "]";
  if (getPerAxisSpectrum())
    printer << " per_axis";
  printer << ">";
}

LogicalResult AxesAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               AxisLayout layout, ArrayRef<int64_t> values,
                               bool perAxis) {
  // An op has at most kMaxHeadDim / 2 pairs: no map needs more entries, no
  // section more pairs, no custom map an axis past kMaxHeadDim (the op's
  // positions bound). Sums and max + 1 over these cannot overflow.
  constexpr int64_t maxPairs = kMaxHeadDim / 2;
  if (values.empty())
    return emitError() << "axes: needs at least one section or axis (R3)";
  if ((int64_t)values.size() > maxPairs)
    return emitError() << "axes: at most " << maxPairs << " entries, got "
                       << values.size() << " (R3)";
  if (layout == AxisLayout::custom) {
    if (llvm::any_of(values, [](int64_t a) { return a < 0 || a >= kMaxHeadDim; }))
      return emitError() << "axes: custom axis numbers must be in [0, "
                         << kMaxHeadDim << ") (R3)";
  } else if (llvm::any_of(values, [](int64_t s) { return s <= 0 || s > maxPairs; })) {
    return emitError() << "axes: sections must be in [1, " << maxPairs << "] (R3)";
  }
  if (layout == AxisLayout::interleaved && values.size() != 3)
    return emitError() << "axes: interleaved MRoPE needs exactly 3 sections "
                          "(t, h, w), got "
                       << values.size() << " (R3)";
  if (perAxis && layout != AxisLayout::sequential)
    return emitError() << "axes: a per-axis spectrum needs contiguous "
                          "(sequential) sections (R2)";
  return success();
}

int64_t AxesAttr::getNumAxes() const {
  if (getLayout() == AxisLayout::custom)
    return *llvm::max_element(getValues()) + 1;
  return getValues().size();
}

SmallVector<int64_t> AxesAttr::getAxisOfPair(int64_t numPairs) const {
  SmallVector<int64_t> axis(numPairs, 0);
  ArrayRef<int64_t> v = getValues();
  switch (getLayout()) {
  case AxisLayout::custom:
    for (int64_t j = 0; j < numPairs && j < (int64_t)v.size(); ++j)
      axis[j] = v[j];
    break;
  case AxisLayout::sequential: {
    int64_t a = 0, end = v[0];
    for (int64_t j = 0; j < numPairs; ++j) {
      while (j >= end && a + 1 < (int64_t)v.size())
        end += v[++a];
      axis[j] = a;
    }
    break;
  }
  case AxisLayout::interleaved:
    for (int64_t j = 0; j < numPairs; ++j) {
      if (j % 3 == 1 && j < 3 * v[1])
        axis[j] = 1;
      else if (j % 3 == 2 && j < 3 * v[2])
        axis[j] = 2;
    }
    break;
  }
  return axis;
}

//===----------------------------------------------------------------------===//
// Scaling attributes (SPEC R4)
//===----------------------------------------------------------------------===//

static LogicalResult checkFactor(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef name, double factor) {
  // Frequencies are divided by the factor: a subnormal one (1e-310) makes
  // them infinite, and position 0 then rotates by 0 * inf = NaN.
  if (!(factor > 0.0) || !std::isfinite(factor) || !std::isfinite(1.0 / factor))
    return emitError() << name
                       << " scaling: factor must be positive and finite, with a finite "
                          "reciprocal (R4)";
  return success();
}

void LinearScalingAttr::scaleFrequencies(MutableArrayRef<double> inv, int64_t,
                                         double) const {
  for (double &f : inv)
    f /= getFactor();
}
double LinearScalingAttr::getDefaultAttentionFactor() const { return 1.0; }
LogicalResult LinearScalingAttr::verifyFor(
    function_ref<InFlightDiagnostic()> emitError, int64_t) const {
  return checkFactor(emitError, "linear", getFactor());
}

void YarnScalingAttr::scaleFrequencies(MutableArrayRef<double> inv,
                                       int64_t rotaryDim, double theta) const {
  double r = rotaryDim, l0 = getOriginalMaxPosition();
  auto corr = [&](double n) {
    return r * std::log(l0 / (2.0 * M_PI * n)) / (2.0 * std::log(theta));
  };
  double lo = std::max(std::floor(corr(getBetaFast())), 0.0);
  double hi = std::min(std::ceil(corr(getBetaSlow())), r - 1.0);
  for (size_t j = 0; j < inv.size(); ++j) {
    double ramp = std::clamp((double(j) - lo) / std::max(hi - lo, 0.001), 0.0, 1.0);
    inv[j] = (inv[j] / getFactor()) * ramp + inv[j] * (1.0 - ramp);
  }
}
// HF's get_mscale: no attention scaling for a factor up to 1.
double YarnScalingAttr::getDefaultAttentionFactor() const {
  return getFactor() <= 1.0 ? 1.0 : 0.1 * std::log(getFactor()) + 1.0;
}
LogicalResult
YarnScalingAttr::verifyFor(function_ref<InFlightDiagnostic()> emitError,
                           int64_t) const {
  if (failed(checkFactor(emitError, "yarn", getFactor())))
    return failure();
  if (getOriginalMaxPosition() <= 0)
    return emitError() << "yarn scaling: original_max_position must be positive (R4)";
  if (!(getBetaFast() > 0.0 && getBetaSlow() > 0.0) || !std::isfinite(getBetaFast()) ||
      !std::isfinite(getBetaSlow()))
    return emitError() << "yarn scaling: beta_fast and beta_slow must be positive "
                          "and finite (R4)";
  return success();
}

void Llama3ScalingAttr::scaleFrequencies(MutableArrayRef<double> inv, int64_t,
                                         double) const {
  double l0 = getOriginalMaxPosition(), lowFF = getLowFreqFactor(),
         highFF = getHighFreqFactor(), factor = getFactor();
  for (double &f : inv) {
    double wavelen = 2.0 * M_PI / f;
    if (wavelen > l0 / lowFF) {
      f /= factor;
    } else if (wavelen >= l0 / highFF && highFF > lowFF) {
      // Llama 4 sets low_freq_factor = high_freq_factor: no smoothed band.
      double s = (l0 / wavelen - lowFF) / (highFF - lowFF);
      f = (1.0 - s) * f / factor + s * f;
    }
  }
}
double Llama3ScalingAttr::getDefaultAttentionFactor() const { return 1.0; }
LogicalResult
Llama3ScalingAttr::verifyFor(function_ref<InFlightDiagnostic()> emitError,
                             int64_t) const {
  if (failed(checkFactor(emitError, "llama3", getFactor())))
    return failure();
  if (!(getLowFreqFactor() > 0.0) || !(getHighFreqFactor() >= getLowFreqFactor()) ||
      !std::isfinite(getHighFreqFactor()))
    return emitError() << "llama3 scaling: needs 0 < low_freq_factor <= "
                          "high_freq_factor < inf (R4)";
  if (getOriginalMaxPosition() <= 0)
    return emitError() << "llama3 scaling: original_max_position must be positive (R4)";
  return success();
}

void FreqFactorsAttr::scaleFrequencies(MutableArrayRef<double> inv, int64_t,
                                       double) const {
  for (auto [f, d] : llvm::zip(inv, getFactors()))
    f /= d.value;
}
double FreqFactorsAttr::getDefaultAttentionFactor() const { return 1.0; }
LogicalResult
FreqFactorsAttr::verifyFor(function_ref<InFlightDiagnostic()> emitError,
                           int64_t rotaryDim) const {
  if ((int64_t)getFactors().size() != rotaryDim / 2)
    return emitError() << "freq_factors scaling: needs one factor per pair ("
                       << rotaryDim / 2 << "), got " << getFactors().size()
                       << " (R4)";
  if (llvm::any_of(getFactors(), [](Real d) {
        return !(d.value > 0.0) || !std::isfinite(d.value) || !std::isfinite(1.0 / d.value);
      }))
    return emitError() << "freq_factors scaling: factors must be positive and finite, with "
                          "finite reciprocals (R4)";
  return success();
}

// Applied at run time from the op's seq_len operand, not here.
void DynamicNtkScalingAttr::scaleFrequencies(MutableArrayRef<double>, int64_t,
                                             double) const {}
double DynamicNtkScalingAttr::getDefaultAttentionFactor() const { return 1.0; }
LogicalResult DynamicNtkScalingAttr::verifyFor(
    function_ref<InFlightDiagnostic()> emitError, int64_t rotaryDim) const {
  if (failed(checkFactor(emitError, "dynamic_ntk", getFactor())))
    return failure();
  if (getOriginalMaxPosition() <= 0)
    return emitError() << "dynamic_ntk scaling: original_max_position must be positive (R4)";
  if (rotaryDim <= 2)
    return emitError() << "dynamic_ntk scaling: needs rotary_dim > 2 (R4)";
  return success();
}
