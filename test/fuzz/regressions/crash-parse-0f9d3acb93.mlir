// FUZZ-KIND: crash
// FUZZ-ORIGIN: upstream-known (linalg.broadcast parse crash on malformed dimensions)
// FUZZ-INVOCATION: parse
// FUZZ-ARGS: []
// FUZZ-SIGNATURE: crash|mlir::Attribute::getContext
// FUZZ-DETAIL: SIGSEGV [found by binary: rope-opt built 17:22]
// FUZZ-STACK-0: mlir::Attribute::getContext
// FUZZ-STACK-1: mlir::NamedAttrList::set
// FUZZ-STACK-2: libMLIR.so.22.1+0x37b5254
// FUZZ-STACK-3: libMLIR.so.22.1+0x3666a96
 linalg.broadcast ins(%row : tensor<2xi64>) outs(%init : tensor<3xi64>) dimensions =
