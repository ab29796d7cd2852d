// FUZZ-KIND: crash
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: heap-buffer-overflow|mlir::memref::SubViewOp::getDroppedDims
// FUZZ-DETAIL: ERROR: AddressSanitizer: heap-buffer-overflow on address 0x60f000010b28 at pc 0x7f7a6184814b bp 0x7ffc49444eb0 sp 0x7ffc49444660
// FUZZ-STACK-0: mlir::memref::SubViewOp::getDroppedDims
// FUZZ-STACK-1: libMLIR.so.22.1+0x4ac0c51
// FUZZ-STACK-2: libMLIR.so.22.1+0x4ac05e0
// FUZZ-STACK-3: libMLIR.so.22.1+0x61beea6
module {
  func.func @qwen2vl_rope(%arg0: tensor<1x16x24xf32>, %arg1: tensor<1x16x16xf32>, %arg2: tensor<1x16x24xf32>, %arg3: tensor<1x16x24xf32>, %arg4: tensor<1x16x16xf32>, %arg5: tensor<3x1x16x128xf32>) -> tensor<1x16x128xf32> {
    %extracted_slice = tensor.extract_slice %arg5[2, 0, 0, 104] [1, 1, 16, 24] [9223372036854775807, 1, 1, 1] : tensor<3x1x16x128xf32> to tensor<1x16x24xf32>
    %concat = tensor.concat dim(2) %arg4, %arg3, %arg2, %arg1, %arg0, %extracted_slice : (tensor<1x16x16xf32>, tensor<1x16x24xf32>, tensor<1x16x24xf32>, tensor<1x16x16xf32>, tensor<1x16x24xf32>, tensor<1x16x24xf32>) -> tensor<1x16x128xf32>
    return %concat : tensor<1x16x128xf32>
  }
}
