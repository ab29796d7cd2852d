// RUN: not rope-opt %s --rope-gpu-pipeline="chip=sm_90 format=isa" 2>&1 | FileCheck %s

// COM: convert-rope-to-gpu's errors (test/GPU/to-gpu-errors.mlir) through the GPU pipeline.

// A rotation by given tables has no GPU lowering: named, exit 1 (it used to
// reach one-shot-bufferize's bare "op was not bufferized"; issue 17).
// CHECK: error: 'rope.rotate_with_tables' op has no GPU lowering: convert-rope-to-gpu lowers rope.rotate only (the CPU pipeline lowers its tensor form)
// CHECK-NOT: not bufferized
func.func @tables(%x: tensor<2x4x8x64xf32>, %c: tensor<2x8x64xf32>, %s: tensor<2x8x64xf32>) -> tensor<2x4x8x64xf32> {
  %e = tensor.empty() : tensor<2x4x8x64xf32>
  %r = rope.rotate_with_tables ins(%x : tensor<2x4x8x64xf32>) cos(%c : tensor<2x8x64xf32>) sin(%s : tensor<2x8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 -> tensor<2x4x8x64xf32>
  return %r : tensor<2x4x8x64xf32>
}
