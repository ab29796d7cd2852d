// RUN: not rope-opt %s --rope-cpu-pipeline 2>&1 | FileCheck %s
// RUN: not rope-opt %s --rope-gpu-pipeline="chip=sm_90 format=isa" 2>&1 | FileCheck %s

// A dim with a negative constant index verifies, and upstream folding crashed
// on it in the GPU pipeline (SIGSEGV, found by the fuzzer;
// docs/upstream-crashes.md): the pipelines reject it first.
// CHECK: error: 'memref.dim' op index -129 is outside the rank 2 of its operand (MLIR's folding would crash on it)
func.func @negative_dim(%m: memref<?x64xf32>) {
  %c = arith.constant -129 : index
  %c1 = arith.constant 1 : index
  %d = memref.dim %m, %c : memref<?x64xf32>
  scf.for %i = %c to %d step %c1 {
  }
  return
}

// A reassociation index past the rank verifies (MLIR 22): rope-raise's view
// walk read out of bounds on it (fuzzer); both pipelines reject it first.
// CHECK: error: 'tensor.expand_shape' op reassociation must group the 3 dims of its expanded side into consecutive runs, in order
func.func @reassociation_past_rank(%x: tensor<64xf32>) -> tensor<1x64x1xf32> {
  %e = tensor.expand_shape %x [[1099511627776, 1, 2]] output_shape [1, 64, 1] : tensor<64xf32> into tensor<1x64x1xf32>
  return %e : tensor<1x64x1xf32>
}
