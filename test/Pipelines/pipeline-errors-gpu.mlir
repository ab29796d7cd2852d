// RUN: not rope-opt %s --rope-gpu-pipeline="chip=sm_90 format=isa" 2>&1 | FileCheck %s --check-prefix=GPU
// The GPU pipeline lowers no linalg: it names the op instead of handing it to
// the NVVM pipeline, which left invalid IR (found by the fuzzer).
// GPU: error: 'linalg.batch_matmul' is left after lowering, where only ops of the dialects [func, arith, math, memref, gpu, scf, cf, vector, index, affine, llvm, nvvm, ub] may remain
func.func @bmm(%a: tensor<1x64x1xf32>, %b: tensor<1x1x1xf32>, %c: tensor<1x64x1xf32>) -> tensor<1x64x1xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<1x64x1xf32>, tensor<1x1x1xf32>) outs(%c : tensor<1x64x1xf32>) -> tensor<1x64x1xf32>
  return %0 : tensor<1x64x1xf32>
}
