#ifndef ROPE_OPS_TD
#define ROPE_OPS_TD

include "Rope/IR/RopeDialect.td"
include "Rope/IR/RopeAttrs.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/TilingInterface.td"
include "mlir/Dialect/Linalg/IR/LinalgInterfaces.td"

// A q/k, positions or table operand: a tensor in the tensor form, a memref
// (any strided layout) in the buffer form that bufferization makes.
def Rope_ShapedOperand : AnyTypeOf<[AnyRankedTensor, AnyStridedMemRef],
                                    "ranked tensor or strided memref">;

// Traits and interfaces shared by both rotations: destination-passing style
// (tensor form with results, buffer form without, as linalg ops have),
// memory effects on the buffer form only, tiling over tokens (and fusion with
// producers and consumers on token tiles), decomposition into linalg, shape
// reification.
class Rope_RotationOp<string mnemonic> : Rope_Op<mnemonic, [
    AttrSizedOperandSegments,
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DeclareOpInterfaceMethods<ConditionallySpeculatable>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface, ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<AggregatedOpInterface, ["decomposeOperation"]>,
    DeclareOpInterfaceMethods<TilingInterface,
      ["getIterationDomain", "getLoopIteratorTypes", "getResultTilePosition",
       "getTiledImplementation", "generateResultTileValue",
       "getIterationDomainTileFromResultTile",
       "getIterationDomainTileFromOperandTiles",
       "getTiledImplementationFromOperandTiles"]>]> {
  code commonExtraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getInitsMutable(); }
    /// True when the op has no separate inputs and rotates its inits in place.
    bool isInPlace() { return getInputs().empty(); }
    /// True for the buffer form: memref operands, no results.
    bool isBufferForm() {
      return ::llvm::isa<::mlir::MemRefType>(getInits().front().getType());
    }
    /// Number of pairs P = rotary_dim / 2.
    int64_t getNumPairs() { return static_cast<int64_t>(getRotaryDim()) / 2; }
  }];
  let hasVerifier = 1;
}

def Rope_RotateOp : Rope_RotationOp<"rotate"> {
  let summary = "Rotary position embedding driven by positions (SPEC R1-R4, R7)";
  let description = [{
    Rotates one or two tensors (q, and k sharing its positions) by the angles
    `phi_j = pos[axis(j)] * inv_j`. cos and sin are computed once per
    (token, pair) and shared by every head of every rotated tensor.

    - `ins` holds q (and k); without `ins` the `outs` are rotated in place.
    - `positions` is `[A, batch, seq]` (`bhsd`, `bshd`) or `[A, tokens]`
      (`thd`, `packed`), with i32, i64 or f32 elements.
    - `axes` picks the axis map (absent: plain RoPE, `A = 1`).
    - `scaling` is one of `#rope.linear`, `#rope.yarn`, `#rope.llama3`,
      `#rope.freq_factors`, `#rope.dynamic_ntk` (which needs `seq_len`).
    - `attention_factor` multiplies cos and sin (YaRN's default applies
      when absent); `inverse` rotates by `-phi` (R1-inverse).

    The op has a tensor form (results, one per `outs`) and a buffer form
    (memref operands of any strided layout, no results: the `outs` are
    written), as linalg ops have; one-shot-bufferize turns the first into the
    second once `rope::registerBufferizableOpInterfaceExternalModels` is
    registered. The CPU pipeline tiles and decomposes the tensor form (before
    bufferization); `convert-rope-to-gpu` lowers the buffer form.

    Qwen3-VL text attention, HF layout:

    ```mlir
    %q2, %k2 = rope.rotate ins(%q, %k : tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>)
        positions(%pos : tensor<3x1x?xi64>)
        outs(%q0, %k0 : tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>)
        layout = bhsd pairing = half head_dim = 128 rotary_dim = 128
        theta = 5.000000e+06 axes = <interleaved [24, 20, 20]>
        -> tensor<1x32x?x128xbf16>, tensor<1x8x?x128xbf16>
    ```
  }];
  let arguments = (ins Variadic<Rope_ShapedOperand>:$inputs,
                       Rope_ShapedOperand:$positions,
                       Optional<Index>:$seq_len,
                       Variadic<Rope_ShapedOperand>:$inits,
                       Rope_LayoutAttr:$layout,
                       I64Attr:$head_dim,
                       I64Attr:$rotary_dim,
                       Rope_PairingAttr:$pairing,
                       F64Attr:$theta,
                       OptionalAttr<Rope_AxesAttr>:$axes,
                       OptionalAttr<AnyAttr>:$scaling,
                       OptionalAttr<F64Attr>:$attention_factor,
                       UnitAttr:$inverse);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `positions` `(` $positions `:` type($positions) `)`
    (`seq_len` `(` $seq_len^ `)`)?
    `outs` `(` $inits `:` type($inits) `)`
    `layout` `=` custom<EnumKeyword>($layout) `pairing` `=` custom<EnumKeyword>($pairing)
    `head_dim` `=` $head_dim `rotary_dim` `=` $rotary_dim `theta` `=` $theta
    (`axes` `=` $axes^)?
    (`scaling` `=` $scaling^)?
    (`attention_factor` `=` $attention_factor^)?
    (`inverse` $inverse^)?
    attr-dict (`->` type($results)^)?
  }];
  let extraClassDeclaration = commonExtraClassDeclaration # [{
    /// Number of position axes A.
    int64_t getNumAxes();
    /// Axis of each pair (all zero for plain RoPE).
    ::llvm::SmallVector<int64_t> getAxisOfPair();
    /// inv_j for every pair, with the spectrum and static scaling applied.
    ::llvm::SmallVector<double> getInverseFrequencies();
    /// The factor multiplying cos and sin.
    double getEffectiveAttentionFactor();
  }];
  let hasCanonicalizer = 1;
}

def Rope_RotateWithTablesOp : Rope_RotationOp<"rotate_with_tables"> {
  let summary = "Rotary embedding with cos/sin tables given as operands (SPEC R1)";
  let description = [{
    The rotation of `rope.rotate` for graphs whose cos/sin tables come from
    outside. `cos` and `sin` are `[batch, seq, W]` (`bhsd`, `bshd`) or
    `[tokens, W]` (`thd`, `packed`), where `W` is `rotary_dim` (one entry per
    lane, as HF's `cat(freqs, freqs)` gives them) or `rotary_dim / 2` (one per
    pair). Lane `l` of the rotated part becomes
    `x[l] * cos[l] + rot(x)[l] * sin[l]`, with `rot(x)[a] = -x[b]`,
    `rot(x)[b] = x[a]` for each pair `(a, b)`.

    Like `rope.rotate`, it has a tensor and a buffer form.

    ```mlir
    %q2 = rope.rotate_with_tables ins(%q : tensor<2x16x?x64xf32>)
        cos(%c : tensor<2x?x64xf32>) sin(%s : tensor<2x?x64xf32>)
        outs(%q0 : tensor<2x16x?x64xf32>)
        layout = bhsd pairing = half head_dim = 64 rotary_dim = 64
        -> tensor<2x16x?x64xf32>
    ```
  }];
  let arguments = (ins Variadic<Rope_ShapedOperand>:$inputs,
                       Rope_ShapedOperand:$cos,
                       Rope_ShapedOperand:$sin,
                       Variadic<Rope_ShapedOperand>:$inits,
                       Rope_LayoutAttr:$layout,
                       I64Attr:$head_dim,
                       I64Attr:$rotary_dim,
                       Rope_PairingAttr:$pairing);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `cos` `(` $cos `:` type($cos) `)`
    `sin` `(` $sin `:` type($sin) `)`
    `outs` `(` $inits `:` type($inits) `)`
    `layout` `=` custom<EnumKeyword>($layout) `pairing` `=` custom<EnumKeyword>($pairing)
    `head_dim` `=` $head_dim `rotary_dim` `=` $rotary_dim
    attr-dict (`->` type($results)^)?
  }];
  let extraClassDeclaration = commonExtraClassDeclaration;
}

def Rope_StreamFenceOp : Rope_Op<"stream_fence", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Orders this thread's streaming stores before what follows";
  let description = [{
    Non-temporal stores are weakly ordered: a thread that wrote with them
    fences before its results are read elsewhere. `rope-codegen-nontemporal-stores`
    puts one at the end of each parallel iteration and after each sequential
    loop it streams. Lowers to `llvm.fence seq_cst` (through
    `convert-to-llvm`, with the interface `registerConvertRopeToLLVMInterface`
    of `Rope/Conversion/RopeToLLVM.h` attaches), or to `sfence` on x86
    (`rope-x86-stream-fences`);
    unlike an `llvm.fence` written earlier, it declares
    its memory effects, so it neither moves nor keeps a
    `memref.alloca_scope` (as `convert-scf-to-openmp` makes) from being
    inlined.
  }];
  let assemblyFormat = "attr-dict";
}

#endif // ROPE_OPS_TD
