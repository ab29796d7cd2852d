// FUZZ-KIND: crash
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: parse
// FUZZ-ARGS: []
// FUZZ-SIGNATURE: crash|MLIR Parser: custom op parser 'linalg.batch_matmul'
// FUZZ-DETAIL: SIGSEGV [found by binary: rope-opt built 17:22]
// FUZZ-STACK-0: MLIR Parser: custom op parser 'linalg.batch_matmul'
 linalg.batch_matmul ins(%9, %10 : tensor<6x64x1xf32>, tensor<6x1x8xcomplex<f32>>) outs(%12 : tensor<6x64x8xf32>)
