#ifndef ROPE_ATTRS_TD
#define ROPE_ATTRS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "Rope/IR/RopeDialect.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Rope_Pairing : I32EnumAttr<"Pairing", "which two lanes rotate together (SPEC R1)", [
    I32EnumAttrCase<"half", 0>, I32EnumAttrCase<"adjacent", 1>]> {
  let cppNamespace = "::mlir::rope";
  let genSpecializedAttr = 0;
}
def Rope_PairingAttr : EnumAttr<Rope_Dialect, Rope_Pairing, "pairing"> {
  let summary = "`half` (NeoX, HF rotate_half) or `adjacent` (GPT-J) pairing";
}

def Rope_Layout : I32EnumAttr<"Layout", "layout of q/k and positions (SPEC R7)", [
    I32EnumAttrCase<"bhsd", 0>, I32EnumAttrCase<"bshd", 1>,
    I32EnumAttrCase<"thd", 2>, I32EnumAttrCase<"packed", 3>]> {
  let cppNamespace = "::mlir::rope";
  let genSpecializedAttr = 0;
}
def Rope_LayoutAttr : EnumAttr<Rope_Dialect, Rope_Layout, "layout"> {
  let summary = "Data layout of the rotated tensors";
  let description = [{
    - `bhsd`: `[batch, heads, seq, D]` (HF), positions `[A, batch, seq]`.
    - `bshd`: `[batch, seq, heads, D]` (before HF's transpose), positions `[A, batch, seq]`.
    - `thd`: `[tokens, heads, D]` (vLLM), positions `[A, tokens]`.
    - `packed`: `[tokens, heads * D]` (vLLM, SGLang), positions `[A, tokens]`.
  }];
}

def Rope_AxisLayout : I32EnumAttr<"AxisLayout", "how pairs are assigned to position axes (SPEC R3)", [
    I32EnumAttrCase<"sequential", 0>, I32EnumAttrCase<"interleaved", 1>,
    I32EnumAttrCase<"custom", 2>]> {
  let cppNamespace = "::mlir::rope";
}

//===----------------------------------------------------------------------===//
// Axis map
//===----------------------------------------------------------------------===//

def Rope_Real : AttrOrTypeParameter<"::mlir::rope::Real", "a real number">;

class Rope_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Rope_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Rope_AxesAttr : Rope_Attr<"Axes", "axes"> {
  let summary = "Which position axis drives each frequency pair (SPEC R2, R3)";
  let description = [{
    `#rope.axes<sequential [16, 24, 24]>` (Qwen2-VL MRoPE),
    `#rope.axes<interleaved [24, 20, 20]>` (Qwen3-VL Interleaved-MRoPE),
    `#rope.axes<sequential [20, 20] per_axis>` (vision 2D RoPE: every axis
    restarts its own spectrum), or `#rope.axes<custom [0, 1, 2, 0, ...]>`
    (one axis number per pair). Without this attribute the op is plain RoPE
    driven by a single position axis.
  }];
  let parameters = (ins "AxisLayout":$layout,
                        ArrayRefParameter<"int64_t">:$values,
                        "bool":$perAxisSpectrum);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of position axes this map needs (sections, or max axis + 1).
    int64_t getNumAxes() const;
    /// The axis that drives each of the `numPairs` pairs.
    ::llvm::SmallVector<int64_t> getAxisOfPair(int64_t numPairs) const;
  }];
}

//===----------------------------------------------------------------------===//
// Frequency scaling (SPEC R4)
//===----------------------------------------------------------------------===//

def Rope_ScalingAttrInterface : AttrInterface<"ScalingAttrInterface"> {
  let cppNamespace = "::mlir::rope";
  let description = "A long-context rescaling of the inverse frequencies (SPEC R4).";
  let methods = [
    InterfaceMethod<"Rescales the unscaled inverse frequencies in place.",
      "void", "scaleFrequencies",
      (ins "::llvm::MutableArrayRef<double>":$invFreq, "int64_t":$rotaryDim,
           "double":$theta)>,
    InterfaceMethod<"Factor applied to cos and sin unless the op gives one.",
      "double", "getDefaultAttentionFactor", (ins), "", "return 1.0;">,
    InterfaceMethod<"Checks the parameters against the op's rotary dim.",
      "::llvm::LogicalResult", "verifyFor",
      (ins "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError,
           "int64_t":$rotaryDim)>,
  ];
}

class Rope_ScalingAttr<string name, string mnemonic>
    : Rope_Attr<name, mnemonic, [DeclareAttrInterfaceMethods<Rope_ScalingAttrInterface,
                                  ["getDefaultAttentionFactor"]>]>;

def Rope_LinearScalingAttr : Rope_ScalingAttr<"LinearScaling", "linear"> {
  let summary = "Position interpolation: inv_j / factor";
  let parameters = (ins Rope_Real:$factor);
  let assemblyFormat = "`<` struct(params) `>`";
}

def Rope_YarnScalingAttr : Rope_ScalingAttr<"YarnScaling", "yarn"> {
  let summary = "YaRN: ramp between interpolated and original frequencies";
  let parameters = (ins Rope_Real:$factor, "int64_t":$original_max_position,
                        DefaultValuedParameter<"::mlir::rope::Real", "32.0">:$beta_fast,
                        DefaultValuedParameter<"::mlir::rope::Real", "1.0">:$beta_slow);
  let assemblyFormat = "`<` struct(params) `>`";
}

def Rope_Llama3ScalingAttr : Rope_ScalingAttr<"Llama3Scaling", "llama3"> {
  let summary = "Llama 3.1 wavelength-banded scaling";
  let parameters = (ins Rope_Real:$factor, Rope_Real:$low_freq_factor,
                        Rope_Real:$high_freq_factor, "int64_t":$original_max_position);
  let assemblyFormat = "`<` struct(params) `>`";
}

def Rope_FreqFactorsAttr : Rope_ScalingAttr<"FreqFactors", "freq_factors"> {
  let summary = "LongRoPE / ggml per-pair divisors: inv_j / f_j";
  let parameters = (ins ArrayRefParameter<"::mlir::rope::Real">:$factors);
  let assemblyFormat = "`<` `[` $factors `]` `>`";
}

def Rope_DynamicNtkScalingAttr : Rope_ScalingAttr<"DynamicNtkScaling", "dynamic_ntk"> {
  let summary = "Dynamic NTK: theta grows with the run-time sequence length";
  let description = [{
    The sequence length `L` is the op's `seq_len` operand; for `L <= L0` the
    frequencies are unscaled.
  }];
  let parameters = (ins Rope_Real:$factor, "int64_t":$original_max_position);
  let assemblyFormat = "`<` struct(params) `>`";
}

#endif // ROPE_ATTRS_TD
