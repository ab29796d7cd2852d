// UNSUPPORTED: asan
// RUN: %mlir_opt %s --load-dialect-plugin=%rope_libs/libRopePlugin.so --load-pass-plugin=%rope_libs/libRopePlugin.so | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: %mlir_opt %s --load-dialect-plugin=%rope_libs/libRopePlugin.so --load-pass-plugin=%rope_libs/libRopePlugin.so --pass-pipeline='builtin.module(rope-cpu-pipeline)' | FileCheck %s --check-prefix=LOWERED

// COM: The stock mlir-opt loads the rope dialect, its passes and pipeline.
// ROUNDTRIP: rope.rotate positions(%arg1 : tensor<1x8xi64>) outs(%arg0 : tensor<8x2x64xf32>) layout = thd
// LOWERED: llvm.func @f(
// LOWERED-NOT: rope.rotate
func.func @f(%x: tensor<8x2x64xf32>, %pos: tensor<1x8xi64>) -> tensor<8x2x64xf32> {
  %r = rope.rotate positions(%pos : tensor<1x8xi64>) outs(%x : tensor<8x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<8x2x64xf32>
  return %r : tensor<8x2x64xf32>
}
