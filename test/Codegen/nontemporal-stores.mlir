// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-nontemporal-stores{min-bytes=4096}))' | FileCheck %s
// RUN: not rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-nontemporal-stores{min-bytes=-1}))' 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-nontemporal-stores{min-bytes=4096 keep-bf16-truncf=true}))' | FileCheck %s --check-prefix=KEEP

// BAD: rope-codegen-nontemporal-stores: min-bytes must be >= 0

// COM: A token loop writing whole 64-byte lines of rows of a function-level
// COM: buffer is versioned on the buffer's alignment and size: the streaming
// COM: copy stores with nontemporal and 64-byte alignment, its iterations
// COM: run in chunks of 16 that each end in a fence; the other copy is the
// COM: loop unchanged.
// CHECK-LABEL: func.func @rows_f32
// CHECK-SAME: (%[[X:.*]]: memref<?x16x128xf32>, %[[Y:.*]]: memref<?x16x128xf32>)
// CHECK: %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK: %[[REM:.*]] = arith.remui %[[PTR]], %c64
// CHECK: %[[ALIGNED:.*]] = arith.cmpi eq, %[[REM]]
// CHECK: %[[BYTES:.*]] = arith.addi
// CHECK: %[[LARGE:.*]] = arith.cmpi sge, %[[BYTES]], %c4096
// CHECK: %[[COND:.*]] = arith.andi %{{.*}}, %[[LARGE]]
// CHECK: scf.if %[[COND]] {
// CHECK:   %[[CHUNKS:.*]] = arith.ceildivui %{{.*}}, %[[K:.*]] : index
// CHECK:   scf.forall (%[[C:.*]]) in (%[[CHUNKS]]) {
// CHECK:     %[[LO:.*]] = arith.muli %[[C]], %[[K]]
// CHECK:     %[[END:.*]] = arith.addi %[[LO]], %[[K]]
// CHECK:     %[[HI:.*]] = arith.minui %[[END]], %{{.*}}
// CHECK:     scf.for %{{.*}} = %[[LO]] to %[[HI]]
// CHECK:         vector.store %{{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x1x2x64xf32, {{.*}}>, vector<64xf32>
// CHECK:         vector.store %{{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x1x2x64xf32, {{.*}}>, vector<64xf32>
// CHECK:       }
// CHECK-NEXT:  }
// CHECK-NEXT:  rope.stream_fence
// CHECK-NEXT: }
// CHECK: } else {
// CHECK:   scf.forall
// CHECK:     vector.transfer_write
// CHECK:     vector.transfer_write
// CHECK-NOT: vector.store
func.func @rows_f32(%x: memref<?x16x128xf32>, %y: memref<?x16x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x16x128xf32>
  scf.forall (%t) in (%n) {
    %src = memref.subview %x[%t, 0, 0] [1, 16, 128] [1, 1, 1] : memref<?x16x128xf32> to memref<1x16x128xf32, strided<[2048, 128, 1], offset: ?>>
    %dst = memref.subview %y[%t, 0, 0] [1, 16, 128] [1, 1, 1] : memref<?x16x128xf32> to memref<1x16x128xf32, strided<[2048, 128, 1], offset: ?>>
    %s = memref.expand_shape %src [[0], [1], [2, 3]] output_shape [1, 16, 2, 64] : memref<1x16x128xf32, strided<[2048, 128, 1], offset: ?>> into memref<1x16x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>>
    %d = memref.expand_shape %dst [[0], [1], [2, 3]] output_shape [1, 16, 2, 64] : memref<1x16x128xf32, strided<[2048, 128, 1], offset: ?>> into memref<1x16x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>>
    scf.for %h = %c0 to %c16 step %c1 {
      %row = memref.subview %d[0, %h, 0, 0] [1, 1, 2, 64] [1, 1, 1, 1] : memref<1x16x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>> to memref<1x1x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>>
      %a = vector.transfer_read %s[%c0, %h, %c0, %c0], %pad {in_bounds = [true]} : memref<1x16x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>>, vector<64xf32>
      %b = vector.transfer_read %s[%c0, %h, %c1, %c0], %pad {in_bounds = [true]} : memref<1x16x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>>, vector<64xf32>
      vector.transfer_write %b, %row[%c0, %c0, %c0, %c0] {in_bounds = [true]} : vector<64xf32>, memref<1x1x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>>
      vector.transfer_write %a, %row[%c0, %c0, %c1, %c0] {in_bounds = [true]} : vector<64xf32>, memref<1x1x2x64xf32, strided<[2048, 128, 64, 1], offset: ?>>
    }
  }
  return
}

// -----

// COM: bf16 rounded from f32 in the loop is rounded on its bits instead, so
// COM: that LLVM stores integer data (its X86 backend drops the hint on bf16
// COM: vectors); a row taken from a 2-D rounding is extracted from the f32.
// CHECK-LABEL: func.func @rows_bf16
// CHECK: scf.if
// CHECK:   %[[F:.*]] = vector.extract %[[WIDE:.*]][1] : vector<64xf32> from vector<2x64xf32>
// CHECK:   %[[BITS:.*]] = arith.bitcast %[[F]] : vector<64xf32> to vector<64xi32>
// CHECK:   arith.cmpf uno, %[[F]], %[[F]]
// CHECK:   %[[HI:.*]] = arith.trunci %{{.*}} : vector<64xi32> to vector<64xi16>
// CHECK:   %[[V:.*]] = arith.bitcast %[[HI]] : vector<64xi16> to vector<64xbf16>
// CHECK:   vector.store %[[V]], %{{.*}} {alignment = 64 : i64, nontemporal = true}
// CHECK:   }
// CHECK-NEXT: rope.stream_fence
// CHECK: } else {
// CHECK:   vector.transfer_write
// COM: keep-bf16-truncf: the row of the truncf itself is streamed (the CPU
// COM: pipeline then rounds with vcvtne2ps2bf16 and stores with vmovntdq).
// KEEP-LABEL: func.func @rows_bf16
// KEEP: scf.if
// KEEP:   %[[R:.*]] = arith.truncf %{{.*}} : vector<2x64xf32> to vector<2x64xbf16>
// KEEP:   %[[ROW:.*]] = vector.extract %[[R]][1] : vector<64xbf16> from vector<2x64xbf16>
// KEEP-NOT: arith.bitcast
// KEEP:   vector.store %[[ROW]], %{{.*}} {alignment = 64 : i64, nontemporal = true} : memref<{{.*}}xbf16{{.*}}>, vector<64xbf16>
// KEEP: } else {
func.func @rows_bf16(%x: memref<?x128xf32>, %y: memref<?x128xbf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x128xf32>
  scf.for %t = %c0 to %n step %c1 {
    %src = memref.subview %x[%t, 0] [1, 128] [1, 1] : memref<?x128xf32> to memref<1x128xf32, strided<[128, 1], offset: ?>>
    %dst = memref.subview %y[%t, 0] [1, 128] [1, 1] : memref<?x128xbf16> to memref<1x128xbf16, strided<[128, 1], offset: ?>>
    %s = memref.expand_shape %src [[0], [1, 2]] output_shape [1, 2, 64] : memref<1x128xf32, strided<[128, 1], offset: ?>> into memref<1x2x64xf32, strided<[128, 64, 1], offset: ?>>
    %d = memref.expand_shape %dst [[0], [1, 2]] output_shape [1, 2, 64] : memref<1x128xbf16, strided<[128, 1], offset: ?>> into memref<1x2x64xbf16, strided<[128, 64, 1], offset: ?>>
    %a = vector.transfer_read %s[%c0, %c0, %c0], %pad {in_bounds = [true, true]} : memref<1x2x64xf32, strided<[128, 64, 1], offset: ?>>, vector<2x64xf32>
    %r = arith.truncf %a : vector<2x64xf32> to vector<2x64xbf16>
    %hi = vector.extract %r[1] : vector<64xbf16> from vector<2x64xbf16>
    vector.transfer_write %hi, %d[%c0, %c1, %c0] {in_bounds = [true]} : vector<64xbf16>, memref<1x2x64xbf16, strided<[128, 64, 1], offset: ?>>
  }
  return
}

// -----

// COM: f16 rows stream as f16 (on x86, rope-x86-nontemporal-vector-stores
// COM: writes them as movntdq, since LLVM drops the hint on f16 vectors).
// CHECK-LABEL: func.func @rows_f16
// CHECK: scf.if
// CHECK:   vector.store %{{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x128xf16, {{.*}}>, vector<64xf16>
// CHECK:   vector.store %{{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x128xf16, {{.*}}>, vector<64xf16>
// CHECK:   rope.stream_fence
// CHECK: } else {
func.func @rows_f16(%x: memref<?x128xf16>, %y: memref<?x128xf16>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %pad = ub.poison : f16
  %n = memref.dim %x, %c0 : memref<?x128xf16>
  scf.forall (%t) in (%n) {
    %src = memref.subview %x[%t, 0] [1, 128] [1, 1] : memref<?x128xf16> to memref<1x128xf16, strided<[128, 1], offset: ?>>
    %dst = memref.subview %y[%t, 0] [1, 128] [1, 1] : memref<?x128xf16> to memref<1x128xf16, strided<[128, 1], offset: ?>>
    %a = vector.transfer_read %src[%c0, %c0], %pad {in_bounds = [true]} : memref<1x128xf16, strided<[128, 1], offset: ?>>, vector<64xf16>
    %b = vector.transfer_read %src[%c0, %c64], %pad {in_bounds = [true]} : memref<1x128xf16, strided<[128, 1], offset: ?>>, vector<64xf16>
    %na = arith.negf %a : vector<64xf16>
    vector.transfer_write %b, %dst[%c0, %c0] {in_bounds = [true]} : vector<64xf16>, memref<1x128xf16, strided<[128, 1], offset: ?>>
    vector.transfer_write %na, %dst[%c0, %c64] {in_bounds = [true]} : vector<64xf16>, memref<1x128xf16, strided<[128, 1], offset: ?>>
  }
  return
}

// -----

// COM: bf16 copied rather than rounded here (v into a KV cache, from
// COM: rope-codegen-vectorize-copies) streams as it is, in both modes: there are no
// COM: f32 bits to round, and on x86 rope-x86-nontemporal-vector-stores
// COM: writes it as movntdq.
// CHECK-LABEL: func.func @copy_bf16
// CHECK: scf.if
// CHECK:   %[[V:.*]] = vector.transfer_read
// CHECK-NEXT: vector.store %[[V]], %{{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x8x128xbf16, {{.*}}>, vector<128xbf16>
// CHECK:   rope.stream_fence
// CHECK: } else {
// KEEP-LABEL: func.func @copy_bf16
// KEEP: %[[V:.*]] = vector.transfer_read
// KEEP-NEXT: vector.store %[[V]], %{{.*}} {alignment = 64 : i64, nontemporal = true} : memref<1x8x128xbf16, {{.*}}>, vector<128xbf16>
func.func @copy_bf16(%v: memref<?x8x128xbf16>, %cache: memref<?x8x128xbf16>, %start: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %pad = ub.poison : bf16
  %n = memref.dim %v, %c0 : memref<?x8x128xbf16>
  %slot = memref.subview %cache[%start, 0, 0] [%n, 8, 128] [1, 1, 1] : memref<?x8x128xbf16> to memref<?x8x128xbf16, strided<[1024, 128, 1], offset: ?>>
  scf.forall (%t) in (%n) {
    %row = memref.subview %slot[%t, 0, 0] [1, 8, 128] [1, 1, 1] : memref<?x8x128xbf16, strided<[1024, 128, 1], offset: ?>> to memref<1x8x128xbf16, strided<[1024, 128, 1], offset: ?>>
    scf.for %h = %c0 to %c8 step %c1 {
      %x = vector.transfer_read %v[%t, %h, %c0], %pad {in_bounds = [true]} : memref<?x8x128xbf16>, vector<128xbf16>
      vector.transfer_write %x, %row[%c0, %h, %c0] {in_bounds = [true]} : vector<128xbf16>, memref<1x8x128xbf16, strided<[1024, 128, 1], offset: ?>>
    }
  }
  return
}

// -----

// COM: Left alone: writes of 40 f32 (160 bytes, not whole lines), f16 and
// COM: bf16 rows written in place,
// COM: a row offset that is not a whole number of lines, a row stride only
// COM: known at run time, elements that are not contiguous, rows collapsed
// COM: over a unit dim whose stride is not theirs, a buffer made inside the
// COM: loop, and any buffer the loop also reads (in place).
// CHECK-LABEL: func.func @not_streamed
// CHECK-NOT: scf.if
// CHECK-NOT: vector.store
func.func @not_streamed(%x: memref<?x80xf32>, %h: memref<?x128xf16>, %b: memref<?x128xbf16>, %o: memref<?x136xf32>, %io: memref<?x128xf32>, %dyn: memref<?x?xf32>, %gap: memref<?x256xf32>, %unit: memref<?x?x1x24xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %padf = ub.poison : f32
  %padh = ub.poison : f16
  %padb = ub.poison : bf16
  %n = memref.dim %x, %c0 : memref<?x80xf32>
  scf.forall (%t) in (%n) {
    %r = memref.subview %x[%t, 0] [1, 80] [1, 1] : memref<?x80xf32> to memref<1x80xf32, strided<[80, 1], offset: ?>>
    %v = vector.transfer_read %r[%c0, %c0], %padf {in_bounds = [true]} : memref<1x80xf32, strided<[80, 1], offset: ?>>, vector<40xf32>
    vector.transfer_write %v, %r[%c0, %c0] {in_bounds = [true]} : vector<40xf32>, memref<1x80xf32, strided<[80, 1], offset: ?>>
    %rh = memref.subview %h[%t, 0] [1, 128] [1, 1] : memref<?x128xf16> to memref<1x128xf16, strided<[128, 1], offset: ?>>
    %vh = vector.transfer_read %rh[%c0, %c0], %padh {in_bounds = [true]} : memref<1x128xf16, strided<[128, 1], offset: ?>>, vector<64xf16>
    vector.transfer_write %vh, %rh[%c0, %c0] {in_bounds = [true]} : vector<64xf16>, memref<1x128xf16, strided<[128, 1], offset: ?>>
    %rb = memref.subview %b[%t, 0] [1, 128] [1, 1] : memref<?x128xbf16> to memref<1x128xbf16, strided<[128, 1], offset: ?>>
    %vb = vector.transfer_read %rb[%c0, %c0], %padb {in_bounds = [true]} : memref<1x128xbf16, strided<[128, 1], offset: ?>>, vector<64xbf16>
    vector.transfer_write %vb, %rb[%c0, %c0] {in_bounds = [true]} : vector<64xbf16>, memref<1x128xbf16, strided<[128, 1], offset: ?>>
    %ro = memref.subview %o[%t, 0] [1, 136] [1, 1] : memref<?x136xf32> to memref<1x136xf32, strided<[136, 1], offset: ?>>
    %vo = vector.transfer_read %ro[%c0, %c0], %padf {in_bounds = [true]} : memref<1x136xf32, strided<[136, 1], offset: ?>>, vector<16xf32>
    vector.transfer_write %vo, %ro[%c0, %c8] {in_bounds = [true]} : vector<16xf32>, memref<1x136xf32, strided<[136, 1], offset: ?>>
    %rio = memref.subview %io[%t, 0] [1, 128] [1, 1] : memref<?x128xf32> to memref<1x128xf32, strided<[128, 1], offset: ?>>
    %vio = vector.transfer_read %rio[%c0, %c0], %padf {in_bounds = [true]} : memref<1x128xf32, strided<[128, 1], offset: ?>>, vector<64xf32>
    vector.transfer_write %vio, %rio[%c0, %c0] {in_bounds = [true]} : vector<64xf32>, memref<1x128xf32, strided<[128, 1], offset: ?>>
    %rd = memref.subview %dyn[%t, 0] [1, 64] [1, 1] : memref<?x?xf32> to memref<1x64xf32, strided<[?, 1], offset: ?>>
    vector.transfer_write %vio, %rd[%c0, %c0] {in_bounds = [true]} : vector<64xf32>, memref<1x64xf32, strided<[?, 1], offset: ?>>
    %rg = memref.subview %gap[%t, 0] [1, 128] [1, 2] : memref<?x256xf32> to memref<1x128xf32, strided<[256, 2], offset: ?>>
    vector.transfer_write %vio, %rg[%c0, %c0] {in_bounds = [true]} : vector<64xf32>, memref<1x128xf32, strided<[256, 2], offset: ?>>
    %c2 = arith.constant 2 : index
    %m = memref.dim %unit, %c1 : memref<?x?x1x24xf32>
    %su = memref.subview %unit[0, 0, 0, 0] [%n, %m, 1, 16] [1, 1, 8, 1] : memref<?x?x1x24xf32> to memref<?x?x1x16xf32, strided<[?, 24, 192, 1]>>
    %cu = memref.collapse_shape %su [[0, 1, 2], [3]] : memref<?x?x1x16xf32, strided<[?, 24, 192, 1]>> into memref<?x16xf32, strided<[?, 1]>>
    %v16 = vector.transfer_read %r[%c0, %c0], %padf {in_bounds = [true]} : memref<1x80xf32, strided<[80, 1], offset: ?>>, vector<16xf32>
    vector.transfer_write %v16, %cu[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x16xf32, strided<[?, 1]>>
    %tmp = memref.alloca() : memref<64xf32>
    %vt = vector.transfer_read %r[%c0, %c0], %padf {in_bounds = [true]} : memref<1x80xf32, strided<[80, 1], offset: ?>>, vector<64xf32>
    vector.transfer_write %vt, %tmp[%c0] {in_bounds = [true]} : vector<64xf32>, memref<64xf32>
  }
  return
}
