// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-tile-tokens,rope-decompose,canonicalize,cse,rope-vectorize,canonicalize,cse))' | FileCheck %s
// RUN: rope-opt %s -split-input-file --rope-cpu-pipeline="cpu-features=+avx512f,+avx512bw,+avx512bf16" | FileCheck %s --check-prefix=LLVM

// ViT's 40 pairs of bf16 (head_dim 80): every row is split into 32 + 8
// lanes, so that the 32-lane part has whole groups for the packed bf16 paths.
// The per-token cos/sin pieces reach the head loop as vectors (no tensor in
// between), and no 40-lane vector is left.
// CHECK-LABEL: func @vit_bf16
// CHECK-NOT: vector<40x
// CHECK-NOT: vector<2x40x
// CHECK: %[[COS32:.*]] = math.cos %{{.*}} : vector<32xf32>
// CHECK: %[[SIN32:.*]] = math.sin %{{.*}} : vector<32xf32>
// CHECK: %[[COS8:.*]] = math.cos %{{.*}} : vector<8xf32>
// CHECK: %[[SIN8:.*]] = math.sin %{{.*}} : vector<8xf32>
// CHECK: scf.for
// CHECK:   vector.transfer_read {{.*}} vector<32xbf16>
// CHECK:   vector.broadcast %[[COS32]] : vector<32xf32> to vector<2x32xf32>
// CHECK:   vector.broadcast %[[SIN32]] : vector<32xf32> to vector<2x32xf32>
// CHECK:   vector.transfer_write {{.*}} : vector<2x32xbf16>, tensor<1x1x2x32xbf16>
// CHECK:   vector.transfer_read {{.*}}, %c32], {{.*}} vector<8xbf16>
// CHECK:   vector.broadcast %[[COS8]] : vector<8xf32> to vector<2x8xf32>
// CHECK:   vector.broadcast %[[SIN8]] : vector<8xf32> to vector<2x8xf32>
// CHECK:   vector.transfer_write {{.*}} : vector<2x8xbf16>, tensor<1x1x2x8xbf16>
// CHECK-NOT: vector<40x
// CHECK-NOT: vector<2x40x
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
// CHECK-LABEL: func @vit_bf16_in_place
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(%[[ROW:.*]] =
// CHECK:   vector.transfer_read %[[ROW]]{{.*}} vector<32xbf16>
// CHECK:   vector.transfer_read %[[ROW]]{{.*}} vector<32xbf16>
// CHECK:   vector.transfer_read %[[ROW]]{{.*}}, %c32], {{.*}} vector<8xbf16>
// CHECK:   vector.transfer_read %[[ROW]]{{.*}}, %c32], {{.*}} vector<8xbf16>
// CHECK:   vector.transfer_write {{.*}} : vector<2x32xbf16>
// CHECK:   vector.transfer_write {{.*}} : vector<2x8xbf16>
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

// -----

// f32 rows stay whole here (rope-unroll-odd-vectors slices them later):
// 8-lane slices keep each access inside a line.
// CHECK-LABEL: func @vit_f32
// CHECK: math.cos %{{.*}} : vector<40xf32>
// CHECK: vector.transfer_write {{.*}} : vector<2x40xf32>
// CHECK-NOT: vector<32xf32>
func.func @vit_f32(%q: tensor<?x16x80xf32>, %pos: tensor<2x?xi64>, %out: tensor<?x16x80xf32>) -> tensor<?x16x80xf32> {
  %r = rope.rotate ins(%q : tensor<?x16x80xf32>) positions(%pos : tensor<2x?xi64>) outs(%out : tensor<?x16x80xf32>) layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 10000.0 axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xf32>
  return %r : tensor<?x16x80xf32>
}

// -----

// A read of a tensor built by insert_slice reads the slice's source when it
// lies inside the slice, the destination when disjoint from it, and is left
// alone across the slice's edge or at an unknown index.
// CHECK-LABEL: func @read_through_insert_slice
// CHECK-SAME: (%[[SRC:[^:]*]]: tensor<1x32xf32>, %[[DST:[^:]*]]: tensor<1x40xf32>, %[[I:[^:]*]]: index)
// CHECK: %[[INS:.*]] = tensor.insert_slice %[[SRC]] into %[[DST]][0, 8] [1, 32] [1, 1]
// CHECK: vector.transfer_read %[[SRC]][%c0, %c8], {{.*}} vector<16xf32>
// CHECK: vector.transfer_read %[[DST]][%c0, %c0], {{.*}} vector<8xf32>
// CHECK: vector.transfer_read %[[INS]][%c0, %c4], {{.*}} vector<8xf32>
// CHECK: vector.transfer_read %[[INS]][%c0, %[[I]]], {{.*}} vector<8xf32>
func.func @read_through_insert_slice(%src: tensor<1x32xf32>, %dst: tensor<1x40xf32>, %i: index) -> (vector<16xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %pad = ub.poison : f32
  %t = tensor.insert_slice %src into %dst[0, 8] [1, 32] [1, 1] : tensor<1x32xf32> into tensor<1x40xf32>
  %inside = vector.transfer_read %t[%c0, %c16], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<16xf32>
  %disjoint = vector.transfer_read %t[%c0, %c0], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<8xf32>
  %edge = vector.transfer_read %t[%c0, %c4], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<8xf32>
  %unknown = vector.transfer_read %t[%c0, %i], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<8xf32>
  return %inside, %disjoint, %edge, %unknown : vector<16xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>
}
