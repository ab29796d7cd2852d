// RUN: rope-opt %s --pass-pipeline="builtin.module(func.func(rope-codegen-vectorize-copies))" | FileCheck %s
// RUN: rope-opt %s --pass-pipeline="builtin.module(func.func(rope-codegen-vectorize-copies{parallel=true}))" | FileCheck %s --check-prefix=PAR
// RUN: not rope-opt %s --pass-pipeline="builtin.module(func.func(rope-codegen-vectorize-copies{min-parallel-bytes=-1}))" 2>&1 | FileCheck %s --check-prefix=ERR

// Copies that MemRefToLLVM would send to memrefCopy (one memcpy call per
// element) become loops of vector transfers, or of scalar loads and stores
// where the innermost dim is strided or dynamic; copies it lowers to
// llvm.memcpy, and unranked ones, are left alone. The numbers:
// test/e2e/model_ops.test (kv_cache_write_dynamic, wide_row_cache_write,
// strided_lanes_write) and test/benchmarks/fused-neighbours.test (v into
// the cache, threaded).

// v into a KV cache slice of run-time size: a row of D lanes per transfer.
// CHECK-LABEL: func.func @rows
// CHECK-NOT: memref.copy
// CHECK: %[[T:.*]] = memref.dim %arg0, %c0
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[T]]
// CHECK: scf.for %[[H:.*]] = %{{.*}} to %c8
// CHECK: %[[V:.*]] = vector.transfer_read %arg0[%[[I]], %[[H]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<?x8x128xf32>, vector<128xf32>
// CHECK: vector.transfer_write %[[V]], %arg1[%[[I]], %[[H]], %{{.*}}] {in_bounds = [true]}
// With threads: the token dim in an scf.forall when the copy moves 1 MiB
// or more (4 * 8 * 128 bytes a token), serial otherwise.
// PAR-LABEL: func.func @rows
// PAR: %[[T:.*]] = memref.dim %arg0, %c0
// PAR: %[[B:.*]] = arith.muli %{{.*}}, %c128
// PAR: %[[L:.*]] = arith.cmpi sge, %[[B]], %c1048576
// PAR: scf.if %[[L]] {
// PAR-NEXT: scf.forall (%{{.*}}) in (%[[T]]) {
// PAR: vector.transfer_read {{.*}} vector<128xf32>
// PAR: } else {
// PAR-NEXT: %{{.*}} = arith.constant
// PAR-NOT: scf.forall
// PAR: vector.transfer_read {{.*}} vector<128xf32>
// PAR-LABEL: func.func @wide
func.func @rows(%src: memref<?x8x128xf32>, %dst: memref<?x8x128xf32, strided<[1024, 128, 1], offset: ?>>) {
  memref.copy %src, %dst : memref<?x8x128xf32> to memref<?x8x128xf32, strided<[1024, 128, 1], offset: ?>>
  return
}

// A row wider than 512 lanes: equal pieces of its largest divisor up to 512.
// CHECK-LABEL: func.func @wide
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %c1024{{.*}} step %c512
// CHECK: vector.transfer_read %arg0[%{{.*}}, %[[J]]], %{{.*}} {in_bounds = [true]} : memref<?x1024xbf16>, vector<512xbf16>
// CHECK: vector.transfer_write
func.func @wide(%src: memref<?x1024xbf16>, %dst: memref<?x1024xbf16, strided<[2048, 1], offset: ?>>) {
  memref.copy %src, %dst : memref<?x1024xbf16> to memref<?x1024xbf16, strided<[2048, 1], offset: ?>>
  return
}

// An inner stride (every other lane): element by element.
// CHECK-LABEL: func.func @strided
// CHECK-NOT: vector.
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[E:.*]] = memref.load %arg0
// CHECK: memref.store %[[E]], %arg1
// CHECK: return
func.func @strided(%src: memref<?x8xf32>, %dst: memref<?x8xf32, strided<[16, 2], offset: ?>>) {
  memref.copy %src, %dst : memref<?x8xf32> to memref<?x8xf32, strided<[16, 2], offset: ?>>
  return
}

// A dynamic innermost dim: element by element.
// CHECK-LABEL: func.func @dynamic_inner
// CHECK-NOT: vector.
// CHECK: memref.load
// CHECK: memref.store
// CHECK: return
func.func @dynamic_inner(%src: memref<4x?xf32>, %dst: memref<4x?xf32, strided<[64, 1], offset: ?>>) {
  memref.copy %src, %dst : memref<4x?xf32> to memref<4x?xf32, strided<[64, 1], offset: ?>>
  return
}

// i1 (a byte per element in memory, a bit per lane in an LLVM vector):
// element by element.
// CHECK-LABEL: func.func @mask_rows
// CHECK-NOT: vector.
// CHECK: %[[E:.*]] = memref.load %arg0{{.*}} : memref<?x8xi1>
// CHECK: memref.store %[[E]], %arg1
// CHECK: return
func.func @mask_rows(%src: memref<?x8xi1>, %dst: memref<?x8xi1, strided<[16, 1], offset: ?>>) {
  memref.copy %src, %dst : memref<?x8xi1> to memref<?x8xi1, strided<[16, 1], offset: ?>>
  return
}

// A copy inside a parallel loop stays serial: no forall in a forall.
// PAR-LABEL: func.func @in_parallel_loop
// PAR: scf.forall
// PAR-NOT: scf.forall
// PAR-NOT: scf.if
// PAR: vector.transfer_read {{.*}} vector<128xf32>
// PAR: return
func.func @in_parallel_loop(%src: memref<4x?x128xf32>, %dst: memref<4x?x128xf32, strided<[?, 256, 1], offset: ?>>) {
  scf.forall (%b) in (4) {
    %s = memref.subview %src[%b, 0, 0] [1, 4096, 128] [1, 1, 1] : memref<4x?x128xf32> to memref<4096x128xf32, strided<[128, 1], offset: ?>>
    %d = memref.subview %dst[%b, 0, 0] [1, 4096, 128] [1, 1, 1] : memref<4x?x128xf32, strided<[?, 256, 1], offset: ?>> to memref<4096x128xf32, strided<[256, 1], offset: ?>>
    memref.copy %s, %d : memref<4096x128xf32, strided<[128, 1], offset: ?>> to memref<4096x128xf32, strided<[256, 1], offset: ?>>
  }
  return
}

// Unit dims get no loop; the first other dim is the threaded one.
// PAR-LABEL: func.func @unit_outer
// PAR: scf.if
// PAR-NEXT: %[[U:.*]] = arith.constant 0 : index
// PAR-NEXT: scf.forall (%[[S:.*]]) in
// PAR-NEXT: %[[Z:.*]] = arith.constant 0 : index
// PAR: vector.transfer_read %arg0[%[[U]], %[[S]], %[[Z]]]{{.*}} vector<64xf16>
func.func @unit_outer(%src: memref<1x?x64xf16>, %dst: memref<1x?x64xf16, strided<[?, 128, 1], offset: ?>>) {
  memref.copy %src, %dst : memref<1x?x64xf16> to memref<1x?x64xf16, strided<[?, 128, 1], offset: ?>>
  return
}

// Static and small: serial even with threads, no run-time test.
// PAR-LABEL: func.func @static_small
// PAR-NOT: scf.if
// PAR-NOT: scf.forall
// PAR: scf.for
// PAR: vector.transfer_read {{.*}} vector<16xf32>
// PAR: return
func.func @static_small(%src: memref<4x16xf32>, %dst: memref<4x16xf32, strided<[32, 1], offset: ?>>) {
  memref.copy %src, %dst : memref<4x16xf32> to memref<4x16xf32, strided<[32, 1], offset: ?>>
  return
}

// Contiguous by type on both sides (llvm.memcpy), and unranked: unchanged.
// CHECK-LABEL: func.func @left_alone
// CHECK-NEXT: memref.copy %arg0, %arg1
// CHECK-NEXT: memref.copy %arg3, %arg2
// CHECK-NEXT: memref.copy %arg4, %arg5
// CHECK-NEXT: return
func.func @left_alone(%a: memref<?x16xf32>, %b: memref<?x16xf32>, %c: memref<4x16xf32, strided<[16, 1], offset: ?>>, %d: memref<4x16xf32>, %u: memref<*xf32>, %v: memref<*xf32>) {
  memref.copy %a, %b : memref<?x16xf32> to memref<?x16xf32>
  memref.copy %d, %c : memref<4x16xf32> to memref<4x16xf32, strided<[16, 1], offset: ?>>
  memref.copy %u, %v : memref<*xf32> to memref<*xf32>
  return
}

// ERR: rope-codegen-vectorize-copies: min-parallel-bytes must be >= 0
