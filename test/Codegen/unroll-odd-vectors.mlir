// RUN: rope-opt %s -split-input-file -rope-codegen-unroll-odd-vectors -canonicalize | FileCheck %s

// 40 lanes: five slices of 8 (the largest power of two dividing 40), no
// 40-lane value left (those were broken into scalars between LLVM blocks).
// CHECK-LABEL: func.func @forty
// CHECK-NOT: vector<40xf32>
// CHECK-COUNT-5: vector.transfer_read {{.*}} : memref<40xf32>, vector<8xf32>
// CHECK-NOT: vector<40xf32>
// CHECK-COUNT-5: math.cos {{.*}} : vector<8xf32>
// CHECK-NOT: vector<40xf32>
// CHECK-COUNT-5: math.fma {{.*}} : vector<8xf32>
// CHECK-NOT: vector<40xf32>
// CHECK-COUNT-5: vector.transfer_write {{.*}} : vector<8xf32>, memref<40xf32>
// CHECK-NOT: vector<40xf32>
// CHECK: return
func.func @forty(%a: memref<40xf32>, %o: memref<40xf32>) {
  %c0 = arith.constant 0 : index
  %p = ub.poison : f32
  %x = vector.transfer_read %a[%c0], %p {in_bounds = [true]} : memref<40xf32>, vector<40xf32>
  %c = math.cos %x : vector<40xf32>
  %y = math.fma %x, %c, %c : vector<40xf32>
  vector.transfer_write %y, %o[%c0] {in_bounds = [true]} : vector<40xf32>, memref<40xf32>
  return
}

// -----

// 48 lanes: three slices of 16; n-D vectors split on the innermost dim only.
// CHECK-LABEL: func.func @forty_eight_2d
// CHECK-COUNT-6: vector.transfer_read {{.*}} : memref<2x48xf32>, vector<1x16xf32>
// CHECK-COUNT-6: arith.mulf {{.*}} : vector<1x16xf32>
// CHECK-COUNT-6: vector.transfer_write {{.*}} : vector<1x16xf32>, memref<2x48xf32>
func.func @forty_eight_2d(%a: memref<2x48xf32>, %o: memref<2x48xf32>) {
  %c0 = arith.constant 0 : index
  %p = ub.poison : f32
  %x = vector.transfer_read %a[%c0, %c0], %p {in_bounds = [true, true]} : memref<2x48xf32>, vector<2x48xf32>
  %y = arith.mulf %x, %x : vector<2x48xf32>
  vector.transfer_write %y, %o[%c0, %c0] {in_bounds = [true, true]} : vector<2x48xf32>, memref<2x48xf32>
  return
}

// -----

// Powers of two, scalable vectors and ops outside the unroll interface stay.
// CHECK-LABEL: func.func @left_alone
// CHECK: arith.addf {{.*}} : vector<64xf32>
// CHECK: arith.addf {{.*}} : vector<[12]xf32>
// CHECK: vector.shuffle {{.*}} : vector<40xf32>, vector<40xf32>
func.func @left_alone(%a: vector<64xf32>, %b: vector<[12]xf32>, %c: vector<40xf32>)
    -> (vector<64xf32>, vector<[12]xf32>, vector<2xf32>) {
  %x = arith.addf %a, %a : vector<64xf32>
  %y = arith.addf %b, %b : vector<[12]xf32>
  %z = vector.shuffle %c, %c [0, 39] : vector<40xf32>, vector<40xf32>
  return %x, %y, %z : vector<64xf32>, vector<[12]xf32>, vector<2xf32>
}

// -----

// The pattern's affine.apply needs no dialect loaded beforehand: a write of a
// 40-lane argument at a dynamic index.
// CHECK-LABEL: func.func @dynamic_index
// CHECK-COUNT-5: vector.transfer_write {{.*}} : vector<8xf32>, memref<?xf32>
func.func @dynamic_index(%v: vector<40xf32>, %o: memref<?xf32>, %i: index) {
  vector.transfer_write %v, %o[%i] {in_bounds = [true]} : vector<40xf32>, memref<?xf32>
  return
}

// -----

// Also left alone: reductions (unrolled, they would be reassociated, and
// upstream drops vector.reduction's accumulator), scalable results, an op
// masked by vector.mask, odd sizes (single lanes), and vector.load/store
// whose alignment or non-temporal hint unrolling would drop.
// CHECK-LABEL: func.func @not_unrolled
// CHECK: vector.reduction <add>, %{{.*}}, %{{.*}} : vector<40xf32> into f32
// CHECK: vector.transfer_read {{.*}} : memref<?xf32>, vector<[6]xf32>
// CHECK: vector.mask %{{.*}} { vector.transfer_read {{.*}} : memref<?xf32>, vector<40xf32> }
// CHECK: arith.addf {{.*}} : vector<7xf32>
// CHECK: vector.load {{.*}} {alignment = 64 : i64, nontemporal = true} : memref<?xf32>, vector<40xf32>
func.func @not_unrolled(%v: vector<40xf32>, %a: f32, %m: memref<?xf32>, %mask: vector<40xi1>, %w: vector<7xf32>)
    -> (f32, vector<[6]xf32>, vector<40xf32>, vector<7xf32>, vector<40xf32>) {
  %c0 = arith.constant 0 : index
  %p = ub.poison : f32
  %r = vector.reduction <add>, %v, %a : vector<40xf32> into f32
  %s = vector.transfer_read %m[%c0], %p {in_bounds = [true]} : memref<?xf32>, vector<[6]xf32>
  %t = vector.mask %mask { vector.transfer_read %m[%c0], %p {in_bounds = [true]} : memref<?xf32>, vector<40xf32> } : vector<40xi1> -> vector<40xf32>
  %o = arith.addf %w, %w : vector<7xf32>
  %l = vector.load %m[%c0] {alignment = 64 : i64, nontemporal = true} : memref<?xf32>, vector<40xf32>
  return %r, %s, %t, %o, %l : f32, vector<[6]xf32>, vector<40xf32>, vector<7xf32>, vector<40xf32>
}
