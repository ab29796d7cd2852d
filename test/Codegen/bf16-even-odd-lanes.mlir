// RUN: rope-opt %s -split-input-file -rope-codegen-bf16-even-odd-lanes -canonicalize | FileCheck %s

// A head loop: rows widened from their 32-bit words (even elements << 16,
// odd ones masked) into lane order (per 32: 16 even, 16 odd); cos, defined
// outside the loop, is shuffled to that order there; the rounded rows are put
// back in element order before the store.
// CHECK-LABEL: func.func @head_loop
// CHECK-SAME: %[[COS:[a-z0-9]+]]: vector<64xf32>
// CHECK: %[[PC:.*]] = vector.shuffle %[[COS]], %[[COS]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 1, 3, {{.*}}, 31, 32, 34, {{.*}}, 63] : vector<64xf32>, vector<64xf32>
// CHECK: scf.for
// CHECK:   %[[ROW:.*]] = vector.transfer_read {{.*}} : memref<?x64xbf16>, vector<64xbf16>
// CHECK:   %[[W:.*]] = vector.bitcast %[[ROW]] : vector<64xbf16> to vector<32xi32>
// CHECK-DAG:   %[[E:.*]] = arith.shli %[[W]], %{{.*}} : vector<32xi32>
// CHECK-DAG:   %[[O:.*]] = arith.andi %[[W]], %{{.*}} : vector<32xi32>
// CHECK:   %[[X:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, {{.*}}, 15, 32, 33, {{.*}}, 47, 16, 17, {{.*}}, 31, 48, {{.*}}, 63] : vector<32xf32>, vector<32xf32>
// CHECK:   %[[Y:.*]] = arith.mulf %[[X]], %[[PC]] : vector<64xf32>
// CHECK:   %[[R:.*]] = arith.truncf %[[Y]] : vector<64xf32> to vector<64xbf16>
// CHECK:   %[[N:.*]] = vector.shuffle %[[R]], %[[R]] [0, 16, 1, 17, 2, 18, {{.*}}, 15, 31, 32, 48, {{.*}}, 47, 63] : vector<64xbf16>, vector<64xbf16>
// CHECK:   vector.transfer_write %[[N]]
// CHECK-NOT: arith.extf
func.func @head_loop(%x: memref<?x64xbf16>, %y: memref<?x64xbf16>, %cos: vector<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : bf16
  %n = memref.dim %x, %c0 : memref<?x64xbf16>
  scf.for %h = %c0 to %n step %c1 {
    %row = vector.transfer_read %x[%h, %c0], %pad {in_bounds = [true]} : memref<?x64xbf16>, vector<64xbf16>
    %f = arith.extf %row : vector<64xbf16> to vector<64xf32>
    %m = arith.mulf %f, %cos : vector<64xf32>
    %r = arith.truncf %m : vector<64xf32> to vector<64xbf16>
    vector.transfer_write %r, %y[%h, %c0] {in_bounds = [true]} : vector<64xbf16>, memref<?x64xbf16>
  }
  return
}

// -----

// n-D: rows of a 2x32 value widened one by one, a leading-dim transpose and
// broadcast stay in the lane-order region, the result is restored per row.
// CHECK-LABEL: func.func @two_rows
// CHECK-COUNT-2: arith.shli {{.*}} : vector<16xi32>
// CHECK: arith.truncf {{.*}} : vector<2x2x32xf32> to vector<2x2x32xbf16>
// CHECK-COUNT-4: vector.shuffle {{.*}} [0, 16, 1, 17, {{.*}}, 15, 31] : vector<32xbf16>, vector<32xbf16>
// CHECK-NOT: arith.extf
func.func @two_rows(%x: vector<2x32xbf16>, %s: vector<2x2x32xf32>) -> vector<2x2x32xbf16> {
  %f = arith.extf %x : vector<2x32xbf16> to vector<2x32xf32>
  %b = vector.broadcast %f : vector<2x32xf32> to vector<2x2x32xf32>
  %t = vector.transpose %b, [1, 0, 2] : vector<2x2x32xf32> to vector<2x2x32xf32>
  %m = arith.mulf %t, %s : vector<2x2x32xf32>
  %r = arith.truncf %m : vector<2x2x32xf32> to vector<2x2x32xbf16>
  return %r : vector<2x2x32xbf16>
}

// -----

// Left alone: a value of the region also used elsewhere, no bf16 row widened
// in the region, an innermost size that is not a multiple of 32, a shuffle
// (not lane-wise) between the widening and the rounding.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: arith.shli
// CHECK-COUNT-4: arith.truncf
// CHECK-NOT: arith.shli
func.func @left_alone(%x: vector<64xbf16>, %c: vector<64xf32>, %z: vector<48xbf16>, %o: memref<64xf32>)
    -> (vector<64xbf16>, vector<64xbf16>, vector<48xbf16>, vector<64xbf16>) {
  %c0 = arith.constant 0 : index
  %f = arith.extf %x : vector<64xbf16> to vector<64xf32>
  %m = arith.mulf %f, %c : vector<64xf32>
  vector.transfer_write %m, %o[%c0] {in_bounds = [true]} : vector<64xf32>, memref<64xf32>
  %r0 = arith.truncf %m : vector<64xf32> to vector<64xbf16>
  %n = arith.mulf %c, %c : vector<64xf32>
  %r1 = arith.truncf %n : vector<64xf32> to vector<64xbf16>
  %g = arith.extf %z : vector<48xbf16> to vector<48xf32>
  %gg = arith.mulf %g, %g : vector<48xf32>
  %r2 = arith.truncf %gg : vector<48xf32> to vector<48xbf16>
  %s = vector.shuffle %f, %f [63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0] : vector<64xf32>, vector<64xf32>
  %r3 = arith.truncf %s : vector<64xf32> to vector<64xbf16>
  return %r0, %r1, %r2, %r3 : vector<64xbf16>, vector<64xbf16>, vector<48xbf16>, vector<64xbf16>
}

// -----

// HF's RMSNorm rounds twice (x * rstd to bf16, then the bf16 weight
// multiply): the first rounding's row is widened from its words as it was
// computed, in lane order, which puts it in a second order (per 32: elements
// 0, 4, .., 28, 1, 5, .., 29, 2, .., 30, 3, .., 31); the weight is shuffled
// to that order and only the last rounding is put back in element order.
// CHECK-LABEL: func.func @norm_two_roundings
// CHECK-SAME: %[[X:[a-z0-9]+]]: vector<32xbf16>, %[[S:[a-z0-9]+]]: vector<32xf32>, %[[W:[a-z0-9]+]]: vector<32xbf16>
// CHECK: vector.shuffle %[[S]], %[[S]] [0, 2, 4, {{.*}}, 30, 1, 3, {{.*}}, 31]
// CHECK: %[[R1:.*]] = arith.truncf {{.*}} : vector<32xf32> to vector<32xbf16>
// CHECK-NOT: vector.shuffle %[[R1]]
// CHECK: %[[RW:.*]] = vector.bitcast %[[R1]] : vector<32xbf16> to vector<16xi32>
// CHECK: %[[WW:.*]] = vector.bitcast %[[W]] : vector<32xbf16> to vector<16xi32>
// CHECK: %[[WL:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, {{.*}}, 31] : vector<16xf32>, vector<16xf32>
// CHECK: %[[WQ:.*]] = vector.shuffle %[[WL]], %[[WL]] [0, 2, 4, {{.*}}, 30, 1, 3, {{.*}}, 31] : vector<32xf32>, vector<32xf32>
// CHECK: %[[Z:.*]] = arith.mulf %{{.*}}, %[[WQ]] : vector<32xf32>
// CHECK: %[[R2:.*]] = arith.truncf %[[Z]] : vector<32xf32> to vector<32xbf16>
// CHECK: %[[OUT:.*]] = vector.shuffle %[[R2]], %[[R2]] [0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27, 4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31] : vector<32xbf16>, vector<32xbf16>
// CHECK: return %[[OUT]]
func.func @norm_two_roundings(%x: vector<32xbf16>, %s: vector<32xf32>, %w: vector<32xbf16>) -> vector<32xbf16> {
  %f = arith.extf %x : vector<32xbf16> to vector<32xf32>
  %y = arith.mulf %f, %s : vector<32xf32>
  %yb = arith.truncf %y : vector<32xf32> to vector<32xbf16>
  %yw = arith.extf %yb : vector<32xbf16> to vector<32xf32>
  %ww = arith.extf %w : vector<32xbf16> to vector<32xf32>
  %z = arith.mulf %yw, %ww : vector<32xf32>
  %zb = arith.truncf %z : vector<32xf32> to vector<32xbf16>
  return %zb : vector<32xbf16>
}

// -----

// The first rounding also used in element order elsewhere (stored): that
// use keeps the restored row; the widening still reads the lane-order one.
// CHECK-LABEL: func.func @rounded_row_also_stored
// CHECK: %[[R1:.*]] = arith.truncf {{.*}} : vector<32xf32> to vector<32xbf16>
// CHECK: %[[E1:.*]] = vector.shuffle %[[R1]], %[[R1]] [0, 16, 1, 17, {{.*}}, 15, 31] : vector<32xbf16>, vector<32xbf16>
// CHECK: vector.transfer_write %[[E1]]
// CHECK: vector.bitcast %[[R1]] : vector<32xbf16> to vector<16xi32>
// CHECK: arith.truncf
// CHECK: vector.shuffle {{.*}} [0, 8, 16, 24, {{.*}}, 7, 15, 23, 31] : vector<32xbf16>, vector<32xbf16>
func.func @rounded_row_also_stored(%x: vector<32xbf16>, %s: vector<32xf32>, %m: memref<32xbf16>) -> vector<32xbf16> {
  %c0 = arith.constant 0 : index
  %f = arith.extf %x : vector<32xbf16> to vector<32xf32>
  %y = arith.mulf %f, %s : vector<32xf32>
  %yb = arith.truncf %y : vector<32xf32> to vector<32xbf16>
  vector.transfer_write %yb, %m[%c0] {in_bounds = [true]} : vector<32xbf16>, memref<32xbf16>
  %yw = arith.extf %yb : vector<32xbf16> to vector<32xf32>
  %z = arith.mulf %yw, %s : vector<32xf32>
  %zb = arith.truncf %z : vector<32xf32> to vector<32xbf16>
  return %zb : vector<32xbf16>
}
