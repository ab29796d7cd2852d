// RUN: rope-opt %s -split-input-file --rope-cpu-pipeline="cpu-features=+avx512f,+avx512bw,+avx512bf16" | FileCheck %s --check-prefix=LLVM

// COM: rope-codegen-vectorize's split rows (test/Codegen/vectorize-split-rows.mlir) in the CPU pipeline.

// ViT's 40 pairs of bf16 (head_dim 80): every row is split into 32 + 8
// lanes, so that the 32-lane part has whole groups for the packed bf16 paths.
// Through the pipeline with AVX512-BF16 the 32-lane part is rounded packed.
// LLVM-LABEL: llvm.func @vit_bf16
// LLVM: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"
func.func @vit_bf16(%q: tensor<?x16x80xbf16>, %pos: tensor<2x?xi64>, %out: tensor<?x16x80xbf16>) -> tensor<?x16x80xbf16> {
  %r = rope.rotate ins(%q : tensor<?x16x80xbf16>) positions(%pos : tensor<2x?xi64>) outs(%out : tensor<?x16x80xbf16>) layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 10000.0 axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xbf16>
  return %r : tensor<?x16x80xbf16>
}

// -----

// In place, the 8-lane piece reads its lanes of the row before the 32-lane
// piece writes the row, so bufferization needs no copy of the row (a copy
// would be a malloc per head).
// LLVM-LABEL: llvm.func @vit_bf16_in_place
// LLVM-NOT: malloc
// LLVM: llvm.return
func.func @vit_bf16_in_place(%q: memref<?x16x80xbf16>, %pos: memref<2x?xi64>) {
  %q_t = bufferization.to_tensor %q restrict writable : memref<?x16x80xbf16> to tensor<?x16x80xbf16>
  %pos_t = bufferization.to_tensor %pos restrict : memref<2x?xi64> to tensor<2x?xi64>
  %r = rope.rotate positions(%pos_t : tensor<2x?xi64>) outs(%q_t : tensor<?x16x80xbf16>) layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 10000.0 axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xbf16>
  bufferization.materialize_in_destination %r in restrict writable %q : (tensor<?x16x80xbf16>, memref<?x16x80xbf16>) -> ()
  return
}
