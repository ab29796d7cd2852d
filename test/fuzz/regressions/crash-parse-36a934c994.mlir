// FUZZ-KIND: crash
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: parse
// FUZZ-ARGS: []
// FUZZ-SIGNATURE: crash|mlir::tensor::ConcatOp::verify
// FUZZ-DETAIL: SIGSEGV [found by binary: rope-opt-release2]
// FUZZ-STACK-0: mlir::tensor::ConcatOp::verify
// FUZZ-STACK-1: libMLIR.so.22.1+0x58df953
// FUZZ-STACK-2: libMLIR.so.22.1+0x58de44f
// FUZZ-STACK-3: libMLIR.so.22.1+0x6149ea1
func.func @concat_dim_max(%a: tensor<2x1xf16>, %b: tensor<2x1xf16>) -> tensor<2x2xf16> {
  %0 = tensor.concat dim(18446744073709551615) %a, %b : (tensor<2x1xf16>, tensor<2x1xf16>) -> tensor<2x2xf16>
  return %0 : tensor<2x2xf16>
}
