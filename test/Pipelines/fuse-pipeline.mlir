// RUN: rope-opt %s --rope-cpu-pipeline --mlir-print-ir-after=convert-bufferization-to-memref -o /dev/null 2>&1 | FileCheck %s --check-prefix=FUSED --implicit-check-not=memref.copy
// RUN: rope-opt %s --rope-cpu-pipeline="threads=true min-parallel-tokens=1" --mlir-print-ir-after=convert-bufferization-to-memref -o /dev/null 2>&1 | FileCheck %s --check-prefix=FUSED --implicit-check-not=memref.copy
// RUN: rope-opt %s --rope-cpu-pipeline=fuse=false --mlir-print-ir-after=convert-bufferization-to-memref -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNFUSED
// RUN: rope-opt %s --rope-cpu-pipeline | FileCheck %s --check-prefix=LLVM --implicit-check-not=llvm.intr.memcpy --implicit-check-not=memrefCopy
// RUN: rope-opt %s --rope-cpu-pipeline=fuse=false | FileCheck %s --check-prefix=LLVM --implicit-check-not=llvm.intr.memcpy --implicit-check-not=memrefCopy
// RUN: rope-opt %s --rope-cpu-pipeline --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPE
// RUN: rope-opt %s --rope-cpu-pipeline=fuse=false --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOPIPE

// COM: The CPU pipeline fuses by default (fuse=true): rope-fuse-neighbours
// COM: before rope-tile-tokens, eliminate-empty-tensors before
// COM: one-shot-bufferize.
// PIPE: rope-fuse-neighbours{min-parallel-tokens=0 parallel=false tile-size=1}
// PIPE-NEXT: rope-tile-tokens
// PIPE: eliminate-empty-tensors
// PIPE-NEXT: one-shot-bufferize
// NOPIPE-NOT: rope-fuse-neighbours
// NOPIPE-NOT: eliminate-empty-tensors

// COM: QK-norm, RoPE and the write of k into a KV cache at a run-time
// COM: position, as a host compiler passes the buffers (vLLM's layout, the
// COM: cache written in place). Fused, the rotation writes the cache slice
// COM: itself: no buffer of the whole k and no copy of it into the cache.
// COM: Unfused, the rotated k is a buffer of its own, copied into the cache
// COM: (after bufferization); that copy then becomes a vector loop
// COM: (rope-codegen-vectorize-copies), not a memrefCopy call.
// FUSED-LABEL: func.func @qk_norm_rope_cache(
// UNFUSED-LABEL: func.func @qk_norm_rope_cache(
// UNFUSED: %[[SLOT:.*]] = memref.subview %arg4[%arg3, 0, 0]
// UNFUSED: memref.copy %{{.*}}, %[[SLOT]]
// LLVM-LABEL: llvm.func @qk_norm_rope_cache(
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#red3 = affine_map<(d0, d1, d2) -> (d0, d1)>
#w3 = affine_map<(d0, d1, d2) -> (d2)>
func.func @qk_norm_rope_cache(%k_proj: memref<?x512xf32>, %gamma: memref<128xf32>, %pos: memref<1x?xi64>, %start: index, %cache: memref<?x4x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant 1.0e-6 : f32
  %dim = arith.constant 128.0 : f32
  %c0 = arith.constant 0 : index
  %x2 = bufferization.to_tensor %k_proj restrict : memref<?x512xf32> to tensor<?x512xf32>
  %g = bufferization.to_tensor %gamma restrict : memref<128xf32> to tensor<128xf32>
  %p = bufferization.to_tensor %pos restrict : memref<1x?xi64> to tensor<1x?xi64>
  %c = bufferization.to_tensor %cache restrict writable : memref<?x4x128xf32> to tensor<?x4x128xf32>
  %t = tensor.dim %x2, %c0 : tensor<?x512xf32>
  %x = tensor.expand_shape %x2 [[0], [1, 2]] output_shape [%t, 4, 128] : tensor<?x512xf32> into tensor<?x4x128xf32>
  %se = tensor.empty(%t) : tensor<?x4xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%se : tensor<?x4xf32>) -> tensor<?x4xf32>
  %ss = linalg.generic {indexing_maps = [#id3, #red3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : tensor<?x4x128xf32>) outs(%sf : tensor<?x4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %sum = arith.addf %acc, %sq : f32
    linalg.yield %sum : f32
  } -> tensor<?x4xf32>
  %ne = tensor.empty(%t) : tensor<?x4x128xf32>
  %n = linalg.generic {indexing_maps = [#id3, #red3, #w3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %ss, %g : tensor<?x4x128xf32>, tensor<?x4xf32>, tensor<128xf32>) outs(%ne : tensor<?x4x128xf32>) {
  ^bb0(%in: f32, %sum: f32, %w: f32, %out: f32):
    %mean = arith.divf %sum, %dim : f32
    %v = arith.addf %mean, %eps : f32
    %r = math.rsqrt %v : f32
    %y = arith.mulf %in, %r : f32
    %z = arith.mulf %y, %w : f32
    linalg.yield %z : f32
  } -> tensor<?x4x128xf32>
  %re = tensor.empty(%t) : tensor<?x4x128xf32>
  %kr = rope.rotate ins(%n : tensor<?x4x128xf32>) positions(%p : tensor<1x?xi64>) outs(%re : tensor<?x4x128xf32>)
      layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e6 -> tensor<?x4x128xf32>
  %w = tensor.insert_slice %kr into %c[%start, 0, 0] [%t, 4, 128] [1, 1, 1] : tensor<?x4x128xf32> into tensor<?x4x128xf32>
  bufferization.materialize_in_destination %w in restrict writable %cache : (tensor<?x4x128xf32>, memref<?x4x128xf32>) -> ()
  return
}
