// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-tile-tokens,rope-decompose,canonicalize,cse,rope-codegen-vectorize,canonicalize,cse))' | FileCheck %s --implicit-check-not='vector<40x' --implicit-check-not='vector<2x40x'

// ViT's 40 pairs of bf16 (head_dim 80): every row is split into 32 + 8
// lanes, so that the 32-lane part has whole groups for the packed bf16 paths.
// The per-token cos/sin pieces reach the head loop as vectors (no tensor in
// between), and no 40-lane vector is left.
// CHECK-LABEL: func @vit_bf16
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
func.func @vit_bf16_in_place(%q: memref<?x16x80xbf16>, %pos: memref<2x?xi64>) {
  %q_t = bufferization.to_tensor %q restrict writable : memref<?x16x80xbf16> to tensor<?x16x80xbf16>
  %pos_t = bufferization.to_tensor %pos restrict : memref<2x?xi64> to tensor<2x?xi64>
  %r = rope.rotate positions(%pos_t : tensor<2x?xi64>) outs(%q_t : tensor<?x16x80xbf16>) layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 10000.0 axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xbf16>
  bufferization.materialize_in_destination %r in restrict writable %q : (tensor<?x16x80xbf16>, memref<?x16x80xbf16>) -> ()
  return
}

// -----

// A read of a tensor built by insert_slice reads the slice's source when it
// lies inside the slice, the destination when disjoint from it (in any one
// dim), and is left alone across the slice's edge, at an unknown index,
// masked, or through a strided or rank-reducing slice. Here no row is
// split: the rewrite applies in any function.
// CHECK-LABEL: func @read_through_insert_slice
// CHECK-SAME: (%[[SRC:[^:]*]]: tensor<1x32xf32>, %[[DST:[^:]*]]: tensor<1x40xf32>, %[[I:[^:]*]]: index, %[[M:[^:]*]]: vector<8xi1>)
// The disjoint read, now of the destination, moves before the insert_slice
// that overwrites the destination (no copy of it when bufferized).
// CHECK: %[[OUT:.*]] = vector.transfer_read %[[DST]][%c0, %c0], {{.*}} vector<8xf32>
// CHECK: %[[INS:.*]] = tensor.insert_slice %[[SRC]] into %[[DST]][0, 8] [1, 32] [1, 1]
// CHECK: %[[IN:.*]] = vector.transfer_read %[[SRC]][%c0, %c8], {{.*}} vector<16xf32>
// CHECK: vector.transfer_read %[[INS]][%c0, %c4], {{.*}} vector<8xf32>
// CHECK: vector.transfer_read %[[INS]][%c0, %[[I]]], {{.*}} vector<8xf32>
// CHECK: vector.transfer_read %[[INS]][%c0, %c16], {{.*}}, %[[M]]
// CHECK: return %[[IN]], %[[OUT]],
func.func @read_through_insert_slice(%src: tensor<1x32xf32>, %dst: tensor<1x40xf32>, %i: index, %m: vector<8xi1>)
    -> (vector<16xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %pad = ub.poison : f32
  %t = tensor.insert_slice %src into %dst[0, 8] [1, 32] [1, 1] : tensor<1x32xf32> into tensor<1x40xf32>
  %inside = vector.transfer_read %t[%c0, %c16], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<16xf32>
  %disjoint = vector.transfer_read %t[%c0, %c0], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<8xf32>
  %edge = vector.transfer_read %t[%c0, %c4], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<8xf32>
  %unknown = vector.transfer_read %t[%c0, %i], %pad {in_bounds = [true]} : tensor<1x40xf32>, vector<8xf32>
  %masked = vector.transfer_read %t[%c0, %c16], %pad, %m {in_bounds = [true]} : tensor<1x40xf32>, vector<8xf32>
  return %inside, %disjoint, %edge, %unknown, %masked : vector<16xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// -----

// Slices in an outer dim: a 1-D read of row 2 lies inside a slice of rows
// 1-2 (read from the source's row 1) and outside a slice of row 0 even
// where the columns overlap; strided and rank-reducing slices are left alone.
// CHECK-LABEL: func @read_through_outer_slices
// CHECK-SAME: (%[[ROWS:[^:]*]]: tensor<2x16xf32>, %[[ROW:[^:]*]]: tensor<1x16xf32>, %[[VEC:[^:]*]]: tensor<16xf32>, %[[DST:[^:]*]]: tensor<4x16xf32>)
// CHECK: vector.transfer_read %[[ROWS]][%c1, %c0], {{.*}} vector<16xf32>
// CHECK: vector.transfer_read %[[DST]][%c2, %c0], {{.*}} vector<16xf32>
// CHECK: %[[S2:.*]] = tensor.insert_slice %[[ROWS]] into %[[DST]][0, 0] [2, 16] [2, 1]
// CHECK: vector.transfer_read %[[S2]][%c2, %c0], {{.*}} vector<16xf32>
// CHECK: %[[S3:.*]] = tensor.insert_slice %[[VEC]] into %[[DST]][3, 0] [1, 16] [1, 1]
// CHECK: vector.transfer_read %[[S3]][%c3, %c0], {{.*}} vector<16xf32>
func.func @read_through_outer_slices(%rows: tensor<2x16xf32>, %row: tensor<1x16xf32>, %vec: tensor<16xf32>, %dst: tensor<4x16xf32>)
    -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c0 = arith.constant 0 : index
  %pad = ub.poison : f32
  %s0 = tensor.insert_slice %rows into %dst[1, 0] [2, 16] [1, 1] : tensor<2x16xf32> into tensor<4x16xf32>
  %inside = vector.transfer_read %s0[%c2, %c0], %pad {in_bounds = [true]} : tensor<4x16xf32>, vector<16xf32>
  %s1 = tensor.insert_slice %row into %dst[0, 0] [1, 16] [1, 1] : tensor<1x16xf32> into tensor<4x16xf32>
  %other_row = vector.transfer_read %s1[%c2, %c0], %pad {in_bounds = [true]} : tensor<4x16xf32>, vector<16xf32>
  %s2 = tensor.insert_slice %rows into %dst[0, 0] [2, 16] [2, 1] : tensor<2x16xf32> into tensor<4x16xf32>
  %strided = vector.transfer_read %s2[%c2, %c0], %pad {in_bounds = [true]} : tensor<4x16xf32>, vector<16xf32>
  %s3 = tensor.insert_slice %vec into %dst[3, 0] [1, 16] [1, 1] : tensor<16xf32> into tensor<4x16xf32>
  %reduced = vector.transfer_read %s3[%c3, %c0], %pad {in_bounds = [true]} : tensor<4x16xf32>, vector<16xf32>
  return %inside, %other_row, %strided, %reduced : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
}

// -----

// A read that follows a write into a slice of the tensor it reads moves
// before the write, but not above the definition of its own operands.
// CHECK-LABEL: func @read_before_slice_writes
// CHECK-SAME: (%[[T:[^:]*]]: tensor<2x16xf32>, %[[V:[^:]*]]: vector<16xf32>, %[[J:[^:]*]]: index)
// CHECK: %[[EARLY:.*]] = vector.transfer_read %[[T]][%c1, %c0]
// CHECK: %[[W:.*]] = vector.transfer_write %[[V]], %[[T]][%c0, %c0]
// CHECK: %[[K:.*]] = arith.addi %[[J]], %c1
// CHECK: %[[LATE:.*]] = vector.transfer_read %[[T]][%[[K]], %c0]
func.func @read_before_slice_writes(%t: tensor<2x16xf32>, %v: vector<16xf32>, %j: index) -> (tensor<2x16xf32>, vector<16xf32>, vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %w = vector.transfer_write %v, %t[%c0, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<2x16xf32>
  %early = vector.transfer_read %t[%c1, %c0], %pad {in_bounds = [true]} : tensor<2x16xf32>, vector<16xf32>
  %k = arith.addi %j, %c1 : index
  %late = vector.transfer_read %t[%k, %c0], %pad {in_bounds = [true]} : tensor<2x16xf32>, vector<16xf32>
  return %w, %early, %late : tensor<2x16xf32>, vector<16xf32>, vector<16xf32>
}
