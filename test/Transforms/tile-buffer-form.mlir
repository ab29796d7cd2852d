// RUN: rope-opt %s -transform-interpreter -canonicalize | FileCheck %s

// The TilingInterface of the buffer form: token tiles are subviews (upstream's
// tile_using_for drives it, as for linalg ops on memrefs).

// CHECK-LABEL: func.func @tile(
// CHECK-SAME: %[[Q:.*]]: memref<11x3x64xf32>, %[[P:.*]]: memref<1x11xi64>, %[[O:.*]]: memref<11x3x64xf32>)
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[N:.*]] = affine.min
// CHECK-DAG: %[[QT:.*]] = memref.subview %[[Q]][%[[T]], 0, 0] [%[[N]], 3, 64] [1, 1, 1]
// CHECK-DAG: %[[OT:.*]] = memref.subview %[[O]][%[[T]], 0, 0] [%[[N]], 3, 64] [1, 1, 1]
// CHECK-DAG: %[[PT:.*]] = memref.subview %[[P]][0, %[[T]]] [1, %[[N]]] [1, 1]
// CHECK: rope.rotate ins(%[[QT]] : memref<?x3x64xf32, strided<[192, 64, 1], offset: ?>>) positions(%[[PT]] : memref<1x?xi64, strided<[11, 1], offset: ?>>) outs(%[[OT]] : memref<?x3x64xf32, strided<[192, 64, 1], offset: ?>>)

func.func @tile(%q: memref<11x3x64xf32>, %pos: memref<1x11xi64>, %o: memref<11x3x64xf32>) {
  rope.rotate ins(%q : memref<11x3x64xf32>) positions(%pos : memref<1x11xi64>) outs(%o : memref<11x3x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
  return
}
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %op = transform.structured.match ops{["rope.rotate"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loop = transform.structured.tile_using_for %op tile_sizes [4] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
