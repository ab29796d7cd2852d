// FUZZ-KIND: crash
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: parse
// FUZZ-ARGS: []
// FUZZ-SIGNATURE: crash|mlir::AffineExpr::getContext
// FUZZ-DETAIL: SIGSEGV [found by binary: rope-opt-release2]
// FUZZ-STACK-0: mlir::AffineExpr::getContext
// FUZZ-STACK-1: mlir::getSymbolLessAffineMaps
// FUZZ-STACK-2: mlir::tensor::ExpandShapeOp::verify
// FUZZ-STACK-3: libMLIR.so.22.1+0x58e3674
func.func @expand_empty_groups(%x: tensor<1x4x4x128xf32>) -> tensor<1x4x4x64x2xf32> {
  %0 = tensor.expand_shape %x [[], [], [], []] output_shape [1, 4, 4, 64, 2] : tensor<1x4x4x128xf32> into tensor<1x4x4x64x2xf32>
  return %0 : tensor<1x4x4x64x2xf32>
}
