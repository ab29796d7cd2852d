// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: decompose
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-decompose))"]
// FUZZ-SIGNATURE: crash|llvm::SmallVectorBase<>::grow_pod|mlir::rope::RotateOp::getInverseFrequencies
// FUZZ-DETAIL: SmallVector unable to grow. Requested capacity (549755813888) is larger than maximum value for size type (4294967295) [found by binary: rope-opt-asan]
// FUZZ-STACK-0: llvm::SmallVectorBase<>::grow_pod
// FUZZ-STACK-1: llvm::SmallVectorTemplateCommon<>::grow_pod /usr/lib/llvm-22/include/llvm/ADT/SmallVector.h:140:19
// FUZZ-STACK-2: llvm::SmallVectorTemplateBase<>::grow /usr/lib/llvm-22/include/llvm/ADT/SmallVector.h:528:49
// FUZZ-STACK-3: llvm::SmallVectorImpl<>::reserve /usr/lib/llvm-22/include/llvm/ADT/SmallVector.h:668:17
module {
  func.func @huge_rotary_dim(%arg0: tensor<2x4x8x?xf32>, %arg1: tensor<1x2x8xi64>) { rope.rotate positions(%arg1 : tensor<1x2x8xi64>) outs(%arg0 : tensor<2x4x8x?xf32>) layout = bhsd pairing = half head_dim = 1099511627776 rotary_dim = 1099511627776 theta = 1.000000e+04 -> tensor<2x4x8x?xf32>
    return
  }
}
