// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-prefetch{distance-bytes=2048 prefetch-outputs=false}))' | FileCheck %s
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-prefetch{distance-bytes=2048}))' | FileCheck %s --check-prefix=OUT
// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-prefetch{distance-bytes=0}))' | FileCheck %s --check-prefix=NOPF
// RUN: not rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-prefetch{distance-bytes=-1}))' 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-codegen-prefetch{distance-bytes=2147483648}))' 2>&1 | FileCheck %s --check-prefix=BAD

// NOPF-NOT: memref.prefetch
// BAD: rope-codegen-prefetch: distance-bytes must be between 0 and 2^30

// COM: Each 1-D read of a token loop from a row-major argument gets one
// COM: prefetch per 64-byte line (bf16 vector<64>: 128 bytes, two), 2048
// COM: bytes (1024 elements) further on in the flattened argument, clamped
// COM: to its last element. The view's offset and strides give the read's
// COM: place in the argument.
// CHECK-LABEL: func.func @rows_bf16
// CHECK-SAME: (%[[X:.*]]: memref<?x16x128xbf16>, %[[Y:.*]]: memref<?x16x128xbf16>)
// CHECK-DAG: %[[FLAT:.*]] = memref.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : memref<?x16x128xbf16> into memref<?xbf16>
// CHECK-DAG: %[[SIZE:.*]] = memref.dim %[[FLAT]], %c0
// CHECK-DAG: %[[LAST:.*]] = arith.subi %[[SIZE]], %c1
// CHECK-NOT: memref.collapse_shape %[[Y]]
// CHECK: scf.for %[[H:.*]] =
// CHECK:   %[[BASE:.*]], %[[START:.*]], %{{.*}}:4, %[[STR:.*]]:4 = memref.extract_strided_metadata %[[S:.*]] :
// CHECK:   %[[I1:.*]] = arith.muli %[[H]], %[[STR]]#1
// CHECK:   %[[L1:.*]] = arith.addi %[[START]], %[[I1]]
// CHECK:   %[[A0:.*]] = arith.addi %[[L1]], %c1024
// CHECK:   %[[P0:.*]] = arith.minsi %[[A0]], %[[LAST]]
// CHECK:   memref.prefetch %[[FLAT]][%[[P0]]], read, locality<3>, data : memref<?xbf16>
// CHECK:   %[[A1:.*]] = arith.addi %[[L1]], %c1056
// CHECK:   %[[P1:.*]] = arith.minsi %[[A1]], %[[LAST]]
// CHECK:   memref.prefetch %[[FLAT]][%[[P1]]], read, locality<3>, data : memref<?xbf16>
// CHECK-NOT: memref.prefetch
// CHECK:   vector.transfer_read %[[S]][%{{.*}}, %[[H]], %{{.*}}]{{.*}}vector<64xbf16>
// COM: The second read (lane 1 of the pair dim) adds that dim's stride.
// CHECK:   %{{[^,]*}}, %[[OFF2:[^,]*]], %{{[^,]*}}:4, %[[STR2:[^:]*]]:4 = memref.extract_strided_metadata %[[S]] :
// CHECK:   %[[J1:.*]] = arith.muli %[[H]], %[[STR2]]#1
// CHECK:   %[[J2:.*]] = arith.addi %[[OFF2]], %[[J1]]
// CHECK:   %[[J3:.*]] = arith.addi %[[J2]], %[[STR2]]#2
// CHECK:   arith.addi %[[J3]], %c1024
// CHECK-COUNT-2: memref.prefetch
// CHECK-NOT: memref.prefetch
// CHECK:   vector.transfer_read %[[S]][%{{.*}}, %[[H]], %{{.*}}]{{.*}}vector<64xbf16>
// CHECK-NOT: memref.prefetch
// CHECK: return
// COM: With prefetch-outputs, the rows written to %y, an argument nothing
// COM: reads, are prefetched for writing the same distance ahead, one per
// COM: line, before each write; the reads' prefetches stay as they were.
// OUT-LABEL: func.func @rows_bf16
// OUT-SAME: (%[[X:.*]]: memref<?x16x128xbf16>, %[[Y:.*]]: memref<?x16x128xbf16>)
// OUT-DAG: %[[FLATY:.*]] = memref.collapse_shape %[[Y]] {{\[\[}}0, 1, 2]] : memref<?x16x128xbf16> into memref<?xbf16>
// OUT-DAG: %[[SIZEY:.*]] = memref.dim %[[FLATY]], %c0
// OUT-DAG: %[[LASTY:.*]] = arith.subi %[[SIZEY]], %c1
// OUT: scf.for %[[H:.*]] =
// OUT-COUNT-4: memref.prefetch %{{.*}}, read, locality<3>, data
// OUT: vector.transfer_read
// OUT: %{{[^,]*}}, %[[WOFF:[^,]*]], %{{[^,]*}}:4, %{{[^:]*}}:4 = memref.extract_strided_metadata %[[ROW:[^ ]*]] :
// OUT: %[[W0:.*]] = arith.addi %[[WOFF]], %c1024
// OUT: %[[WP0:.*]] = arith.minsi %[[W0]], %[[LASTY]]
// OUT: memref.prefetch %[[FLATY]][%[[WP0]]], write, locality<3>, data : memref<?xbf16>
// OUT: %[[W1:.*]] = arith.addi %[[WOFF]], %c1056
// OUT: %[[WP1:.*]] = arith.minsi %[[W1]], %[[LASTY]]
// OUT: memref.prefetch %[[FLATY]][%[[WP1]]], write, locality<3>, data : memref<?xbf16>
// OUT-NEXT: vector.transfer_write %{{.*}}, %[[ROW]]
// OUT: %{{[^,]*}}, %[[WOFF2:[^,]*]], %{{[^,]*}}:4, %[[WSTR2:[^:]*]]:4 = memref.extract_strided_metadata %[[ROW]] :
// OUT: %[[W2:.*]] = arith.addi %[[WOFF2]], %[[WSTR2]]#2
// OUT: arith.addi %[[W2]], %c1024
// OUT-COUNT-2: memref.prefetch %[[FLATY]][%{{.*}}], write, locality<3>, data
// OUT-NEXT: vector.transfer_write %{{.*}}, %[[ROW]]
// OUT-NOT: memref.prefetch
// OUT: return
func.func @rows_bf16(%x: memref<?x16x128xbf16>, %y: memref<?x16x128xbf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %pad = ub.poison : bf16
  %n = memref.dim %x, %c0 : memref<?x16x128xbf16>
  scf.forall (%t) in (%n) {
    %src = memref.subview %x[%t, 0, 0] [1, 16, 128] [1, 1, 1] : memref<?x16x128xbf16> to memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>>
    %dst = memref.subview %y[%t, 0, 0] [1, 16, 128] [1, 1, 1] : memref<?x16x128xbf16> to memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>>
    %s = memref.expand_shape %src [[0], [1], [2, 3]] output_shape [1, 16, 2, 64] : memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>> into memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
    %d = memref.expand_shape %dst [[0], [1], [2, 3]] output_shape [1, 16, 2, 64] : memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>> into memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
    scf.for %h = %c0 to %c16 step %c1 {
      %row = memref.subview %d[0, %h, 0, 0] [1, 1, 2, 64] [1, 1, 1, 1] : memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>> to memref<1x1x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
      %a = vector.transfer_read %s[%c0, %h, %c0, %c0], %pad {in_bounds = [true]} : memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>, vector<64xbf16>
      %b = vector.transfer_read %s[%c0, %h, %c1, %c0], %pad {in_bounds = [true]} : memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>, vector<64xbf16>
      vector.transfer_write %b, %row[%c0, %c0, %c0, %c0] {in_bounds = [true]} : vector<64xbf16>, memref<1x1x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
      vector.transfer_write %a, %row[%c0, %c0, %c1, %c0] {in_bounds = [true]} : vector<64xbf16>, memref<1x1x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
    }
  }
  return
}

// -----

// COM: An f32 vector of 40 elements (160 bytes) spans three lines.
// CHECK-LABEL: func.func @vision_f32
// CHECK: %[[FLAT:.*]] = memref.collapse_shape
// CHECK: scf.for
// CHECK: arith.addi %{{.*}}, %c512 : index
// CHECK: memref.prefetch %[[FLAT]]
// CHECK: arith.addi %{{.*}}, %c528 : index
// CHECK: memref.prefetch %[[FLAT]]
// CHECK: arith.addi %{{.*}}, %c544 : index
// CHECK: memref.prefetch %[[FLAT]]
// CHECK-NOT: memref.prefetch
// CHECK: vector.transfer_read
func.func @vision_f32(%x: memref<?x80xf32>, %y: memref<?x80xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x80xf32>
  scf.for %t = %c0 to %n step %c1 {
    %a = vector.transfer_read %x[%t, %c0], %pad {in_bounds = [true]} : memref<?x80xf32>, vector<40xf32>
    vector.transfer_write %a, %y[%t, %c0] {in_bounds = [true]} : vector<40xf32>, memref<?x80xf32>
  }
  return
}

// -----

// COM: Left alone: reads outside loops, from buffers that are not
// COM: arguments, of a 0-D vector, possibly out of bounds, masked, of
// COM: elements that are not contiguous (a transposed read, every other
// COM: element of a row), and from an argument whose layout is not
// COM: row-major.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: memref.prefetch
// CHECK-NOT: memref.collapse_shape
// CHECK: return
func.func @left_alone(%x: memref<?x64xf32>, %pos: memref<?xi64>, %z: memref<?x64xf32, strided<[128, 1]>>, %m: vector<16xi1>) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %ipad = ub.poison : i64
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  %outside = vector.transfer_read %x[%c0, %c0], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
  %local = memref.alloca() : memref<64xf32>
  %r = scf.for %t = %c0 to %n step %c1 iter_args(%acc = %outside) -> vector<16xf32> {
    %l = vector.transfer_read %local[%c0], %pad {in_bounds = [true]} : memref<64xf32>, vector<16xf32>
    %p = vector.transfer_read %pos[%t], %ipad : memref<?xi64>, vector<i64>
    %oob = vector.transfer_read %x[%t, %c0], %pad : memref<?x64xf32>, vector<16xf32>
    %masked = vector.transfer_read %x[%t, %c0], %pad, %m {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
    %col = vector.transfer_read %x[%c0, %t], %pad {in_bounds = [true], permutation_map = affine_map<(d0, d1) -> (d0)>} : memref<?x64xf32>, vector<16xf32>
    %strided = vector.transfer_read %z[%t, %c0], %pad {in_bounds = [true]} : memref<?x64xf32, strided<[128, 1]>>, vector<16xf32>
    %evens = memref.subview %x[0, 0] [%n, 32] [1, 2] : memref<?x64xf32> to memref<?x32xf32, strided<[64, 2]>>
    %gapped = vector.transfer_read %evens[%t, %c0], %pad {in_bounds = [true]} : memref<?x32xf32, strided<[64, 2]>>, vector<16xf32>
    %s0 = arith.addf %l, %oob : vector<16xf32>
    %s1 = arith.addf %masked, %col : vector<16xf32>
    %s2 = arith.addf %s0, %s1 : vector<16xf32>
    %s3 = arith.addf %s2, %strided : vector<16xf32>
    %pi = vector.extract %p[] : i64 from vector<i64>
    %pf = arith.sitofp %pi : i64 to f32
    %pb = vector.broadcast %pf : f32 to vector<16xf32>
    %s4a = arith.addf %s3, %pb : vector<16xf32>
    %s4 = arith.addf %s4a, %gapped : vector<16xf32>
    %s5 = arith.addf %acc, %s4 : vector<16xf32>
    scf.yield %s5 : vector<16xf32>
  }
  return %r : vector<16xf32>
}

// -----

// COM: Sub-byte elements have no byte distance: left alone.
// CHECK-LABEL: func.func @sub_byte
// CHECK-NOT: memref.prefetch
func.func @sub_byte(%x: memref<?x64xi4>) -> vector<32xi4> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0 : i4
  %zero = arith.constant dense<0> : vector<32xi4>
  %n = memref.dim %x, %c0 : memref<?x64xi4>
  %r = scf.for %t = %c0 to %n step %c1 iter_args(%acc = %zero) -> vector<32xi4> {
    %v = vector.transfer_read %x[%t, %c0], %pad {in_bounds = [true]} : memref<?x64xi4>, vector<32xi4>
    %s = arith.addi %acc, %v : vector<32xi4>
    scf.yield %s : vector<32xi4>
  }
  return %r : vector<32xi4>
}

// -----

// COM: In place, the written argument is also read: its lines are already
// COM: prefetched for the read, so no write prefetch.
// CHECK-LABEL: func.func @in_place
// OUT-LABEL: func.func @in_place
// OUT: memref.prefetch %{{.*}}, read, locality<3>, data
// OUT-NOT: memref.prefetch
// OUT: return
func.func @in_place(%x: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  scf.for %t = %c0 to %n step %c1 {
    %a = vector.transfer_read %x[%t, %c0], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
    vector.transfer_write %a, %x[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
  }
  return
}

// -----

// COM: A loop nest that streams its outputs (non-temporal vector.store)
// COM: prefetches its reads into L2 only (locality 2), and its streamed
// COM: stores get no write prefetch; the ordinary loop beside it is as
// COM: before.
// CHECK-LABEL: func.func @streaming
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.prefetch %{{.*}}, read, locality<2>, data
// CHECK: vector.store
// CHECK: scf.for
// CHECK: memref.prefetch %{{.*}}, read, locality<3>, data
// OUT-LABEL: func.func @streaming
// OUT: scf.for
// OUT: scf.for
// OUT: memref.prefetch %{{.*}}, read, locality<2>, data
// OUT-NOT: write
// OUT: vector.store
// OUT: scf.for
// OUT: memref.prefetch %{{.*}}, read, locality<3>, data
// OUT: memref.prefetch %{{.*}}, write, locality<3>, data
// OUT-NEXT: vector.transfer_write
func.func @streaming(%x: memref<?x64xf32>, %y: memref<?x64xf32>, %z: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  scf.for %t = %c0 to %n step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      %col = arith.muli %j, %c4 : index
      %a = vector.transfer_read %x[%t, %col], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
      vector.store %a, %y[%t, %col] {nontemporal = true} : memref<?x64xf32>, vector<16xf32>
    }
  }
  scf.for %t = %c0 to %n step %c1 {
    %a = vector.transfer_read %x[%t, %c0], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
    vector.transfer_write %a, %z[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
  }
  return
}

// -----

// COM: Writes left alone: outside loops, possibly out of bounds, masked,
// COM: 0-D, to an argument that is not row-major, to an argument something
// COM: else reads (a memref.load, a read outside the loop), and every write
// COM: of a function with an op of unknown effects (the call in
// COM: @unknown_reader). A fence reads no particular memory: @fenced's
// COM: output keeps its write prefetch.
// OUT-LABEL: func.func @writes_left_alone
// OUT-NOT: write,
// OUT: return
func.func @writes_left_alone(%a: memref<?x64xf32>, %b: memref<?x64xf32>, %c: memref<?xf32>, %d: memref<?x64xf32, strided<[128, 1]>>, %e: memref<?x64xf32>, %g: memref<?x64xf32>, %m: vector<16xi1>, %v: vector<16xf32>) -> (f32, vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %n = memref.dim %a, %c0 : memref<?x64xf32>
  vector.transfer_write %v, %a[%c0, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
  %s0 = vector.broadcast %pad : f32 to vector<f32>
  scf.for %t = %c0 to %n step %c1 {
    vector.transfer_write %v, %b[%t, %c0] : vector<16xf32>, memref<?x64xf32>
    vector.transfer_write %v, %b[%t, %c0], %m {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
    vector.transfer_write %s0, %c[%t] : vector<f32>, memref<?xf32>
    vector.transfer_write %v, %d[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32, strided<[128, 1]>>
    vector.transfer_write %v, %e[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
    vector.transfer_write %v, %g[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
  }
  %l = memref.load %e[%c0, %c0] : memref<?x64xf32>
  %r = vector.transfer_read %g[%c0, %c0], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
  return %l, %r : f32, vector<16xf32>
}

// -----

func.func private @opaque(memref<?x64xf32>)

// OUT-LABEL: func.func @unknown_reader
// OUT: memref.prefetch %{{.*}}, read, locality<3>, data
// OUT-NOT: write,
// OUT: return
func.func @unknown_reader(%x: memref<?x64xf32>, %y: memref<?x64xf32>, %z: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  scf.for %t = %c0 to %n step %c1 {
    %a = vector.transfer_read %x[%t, %c0], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
    vector.transfer_write %a, %y[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
  }
  func.call @opaque(%z) : (memref<?x64xf32>) -> ()
  return
}

// -----

// COM: Streaming is decided by the outermost loop: a streamed store in one
// COM: inner loop makes the reads of its sibling prefetch into L2 too.
// CHECK-LABEL: func.func @sibling_loops
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.store
// CHECK: scf.for
// CHECK: memref.prefetch %{{.*}}, read, locality<2>, data
// CHECK-NOT: locality<3>
// CHECK: return
func.func @sibling_loops(%x: memref<?x64xf32>, %y: memref<?x64xf32>, %z: memref<?x64xf32>, %v: vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  scf.for %t = %c0 to %n step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      %col = arith.muli %j, %c4 : index
      vector.store %v, %y[%t, %col] {nontemporal = true} : memref<?x64xf32>, vector<16xf32>
    }
    scf.for %j = %c0 to %c4 step %c1 {
      %col = arith.muli %j, %c4 : index
      %a = vector.transfer_read %x[%t, %col], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
      vector.transfer_write %a, %z[%t, %col] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
    }
  }
  return
}

// -----

// OUT-LABEL: func.func @fenced
// OUT: memref.prefetch %{{.*}}, read, locality<3>, data
// OUT: memref.prefetch %{{.*}}, write, locality<3>, data
// OUT-NEXT: vector.transfer_write
func.func @fenced(%x: memref<?x64xf32>, %y: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  scf.for %t = %c0 to %n step %c1 {
    %a = vector.transfer_read %x[%t, %c0], %pad {in_bounds = [true]} : memref<?x64xf32>, vector<16xf32>
    vector.transfer_write %a, %y[%t, %c0] {in_bounds = [true]} : vector<16xf32>, memref<?x64xf32>
  }
  rope.stream_fence
  return
}

// -----

// COM: A norm in a token loop (as rope-fuse-neighbours makes QK-norm): the
// COM: first loop reads each token's rows whole (8 heads x 512 bytes), the
// COM: second reads them again to scale them. Both prefetch a whole run of
// COM: the first ahead, 4096 bytes (1024 f32), the next token's rows,
// COM: instead of distance-bytes (2048); the weight (512 bytes, static),
// COM: read in every iteration, gets none.
// CHECK-LABEL: func.func @norm_rows
// CHECK-SAME: (%[[X:.*]]: memref<?x8x128xf32>, %[[W:.*]]: memref<128xf32>
// CHECK-NOT: memref.collapse_shape %[[W]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.addi %{{.*}}, %c1024 : index
// CHECK-COUNT-8: memref.prefetch %{{.*}}, read, locality<3>, data : memref<?xf32>
// CHECK-NOT: memref.prefetch
// CHECK: vector.reduction
// CHECK: scf.for
// CHECK: arith.addi %{{.*}}, %c1024 : index
// CHECK-COUNT-8: memref.prefetch %{{.*}}, read, locality<3>, data : memref<?xf32>
// CHECK-NOT: memref.prefetch
// CHECK: vector.transfer_read %[[W]]
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @norm_rows(%x: memref<?x8x128xf32>, %w: memref<128xf32>, %y: memref<?x8x128xf32>, %sums: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x8x128xf32>
  scf.for %t = %c0 to %n step %c1 {
    %rows = memref.subview %x[%t, 0, 0] [1, 8, 128] [1, 1, 1] : memref<?x8x128xf32> to memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>
    %flat = memref.collapse_shape %rows [[0, 1], [2]] : memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>> into memref<8x128xf32, strided<[128, 1], offset: ?>>
    scf.for %h = %c0 to %c8 step %c1 {
      %v = vector.transfer_read %rows[%c0, %h, %c0], %pad {in_bounds = [true]} : memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>, vector<128xf32>
      %sq = arith.mulf %v, %v : vector<128xf32>
      %s = vector.reduction <add>, %sq, %zero : vector<128xf32> into f32
      memref.store %s, %sums[%h] : memref<8xf32>
    }
    scf.for %h = %c0 to %c8 step %c1 {
      %v = vector.transfer_read %flat[%h, %c0], %pad {in_bounds = [true]} : memref<8x128xf32, strided<[128, 1], offset: ?>>, vector<128xf32>
      %g = vector.transfer_read %w[%c0], %pad {in_bounds = [true]} : memref<128xf32>, vector<128xf32>
      %s = memref.load %sums[%h] : memref<8xf32>
      %b = vector.broadcast %s : f32 to vector<128xf32>
      %m = arith.mulf %v, %b : vector<128xf32>
      %o = arith.mulf %m, %g : vector<128xf32>
      vector.transfer_write %o, %y[%t, %h, %c0] {in_bounds = [true]} : vector<128xf32>, memref<?x8x128xf32>
    }
  }
  return
}

// -----

// COM: A first loop that reads only part of the rows (a rotary prefix of
// COM: 64 of 128 lanes, the rest copied by a second loop): no re-read, the
// COM: distance stays distance-bytes (2048 bytes, 512 f32).
// CHECK-LABEL: func.func @partial_rows
// CHECK: scf.for
// CHECK: arith.addi %{{.*}}, %c512 : index
// CHECK-NOT: %c1024
// CHECK: scf.for
// CHECK: arith.addi %{{.*}}, %c512 : index
// CHECK: return
func.func @partial_rows(%x: memref<?x8x128xf32>, %y: memref<?x8x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x8x128xf32>
  scf.for %t = %c0 to %n step %c1 {
    %rows = memref.subview %x[%t, 0, 0] [1, 8, 128] [1, 1, 1] : memref<?x8x128xf32> to memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>
    scf.for %h = %c0 to %c8 step %c1 {
      %v = vector.transfer_read %rows[%c0, %h, %c0], %pad {in_bounds = [true]} : memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>, vector<64xf32>
      %n2 = arith.negf %v : vector<64xf32>
      vector.transfer_write %n2, %y[%t, %h, %c0] {in_bounds = [true]} : vector<64xf32>, memref<?x8x128xf32>
    }
    scf.for %h = %c0 to %c8 step %c1 {
      %v = vector.transfer_read %rows[%c0, %h, %c64], %pad {in_bounds = [true]} : memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>, vector<64xf32>
      vector.transfer_write %v, %y[%t, %h, %c64] {in_bounds = [true]} : vector<64xf32>, memref<?x8x128xf32>
    }
  }
  return
}

// -----

// COM: A first loop whose trip count does not fit in 64 bits (from the
// COM: fuzzer-style review: its bound difference overflowed) gets no run:
// COM: the distance stays distance-bytes (2048 bytes, 512 f32).
// CHECK-LABEL: func.func @huge_trip
// CHECK: scf.for
// CHECK: arith.addi %{{.*}}, %c512 : index
// CHECK: scf.for
// CHECK: arith.addi %{{.*}}, %c512 : index
// CHECK: return
func.func @huge_trip(%x: memref<?x8x128xf32>, %y: memref<?x8x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %lo = arith.constant -9223372036854775807 : index
  %hi = arith.constant 9223372036854775807 : index
  %pad = ub.poison : f32
  %n = memref.dim %x, %c0 : memref<?x8x128xf32>
  scf.for %t = %c0 to %n step %c1 {
    %rows = memref.subview %x[%t, 0, 0] [1, 8, 128] [1, 1, 1] : memref<?x8x128xf32> to memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>
    scf.for %h = %lo to %hi step %c1 {
      %v = vector.transfer_read %rows[%c0, %c0, %c0], %pad {in_bounds = [true]} : memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>, vector<128xf32>
      vector.transfer_write %v, %y[%t, %c0, %c0] {in_bounds = [true]} : vector<128xf32>, memref<?x8x128xf32>
    }
    scf.for %h = %c0 to %c1 step %c1 {
      %v = vector.transfer_read %rows[%c0, %c0, %c0], %pad {in_bounds = [true]} : memref<1x8x128xf32, strided<[1024, 128, 1], offset: ?>>, vector<128xf32>
      vector.transfer_write %v, %y[%t, %c0, %c0] {in_bounds = [true]} : vector<128xf32>, memref<?x8x128xf32>
    }
  }
  return
}
