// RUN: rope-opt %s -split-input-file -one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s

// The rotations' BufferizableOpInterface model: each result is written into
// its outs buffer. Out of place an outs is not read, so an outs still needed
// afterwards gets a fresh buffer and no copy; rotated in place it is read, so
// it is copied first.

// CHECK-LABEL: func.func @into_empty(
// CHECK-SAME: %[[Q:.*]]: memref<2x8x?x64xbf16>, %[[K:.*]]: memref<2x2x?x64xbf16>, %[[P:.*]]: memref<3x2x?xi64>)
// CHECK-DAG: %[[QO:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<2x8x?x64xbf16>
// CHECK-DAG: %[[KO:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<2x2x?x64xbf16>
// CHECK-NOT: memref.copy
// CHECK: rope.rotate ins(%[[Q]], %[[K]] : {{.*}}) positions(%[[P]] : memref<3x2x?xi64>) outs(%[[QO]], %[[KO]] : {{.*}}) layout = bhsd {{.*}} axes = <interleaved [12, 10, 10]>{{$}}
// CHECK: return %[[QO]], %[[KO]]
func.func @into_empty(%q: tensor<2x8x?x64xbf16>, %k: tensor<2x2x?x64xbf16>, %pos: tensor<3x2x?xi64>)
    -> (tensor<2x8x?x64xbf16>, tensor<2x2x?x64xbf16>) {
  %c2 = arith.constant 2 : index
  %s = tensor.dim %q, %c2 : tensor<2x8x?x64xbf16>
  %eq = tensor.empty(%s) : tensor<2x8x?x64xbf16>
  %ek = tensor.empty(%s) : tensor<2x2x?x64xbf16>
  %r:2 = rope.rotate ins(%q, %k : tensor<2x8x?x64xbf16>, tensor<2x2x?x64xbf16>)
      positions(%pos : tensor<3x2x?xi64>)
      outs(%eq, %ek : tensor<2x8x?x64xbf16>, tensor<2x2x?x64xbf16>)
      layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 5.0e6
      axes = <interleaved [12, 10, 10]>
      -> tensor<2x8x?x64xbf16>, tensor<2x2x?x64xbf16>
  return %r#0, %r#1 : tensor<2x8x?x64xbf16>, tensor<2x2x?x64xbf16>
}

// -----

// CHECK-LABEL: func.func @in_place_on_argument(
// CHECK-SAME: %[[X:.*]]: memref<9x4x128xf16>, %[[P:.*]]: memref<1x9xi32>)
// CHECK-NOT: memref.alloc
// CHECK: rope.rotate positions(%[[P]] : memref<1x9xi32>) outs(%[[X]] : memref<9x4x128xf16>) layout = thd pairing = adjacent head_dim = 128 rotary_dim = 64 theta = 1.000000e+04{{$}}
// CHECK: return %[[X]]
func.func @in_place_on_argument(%x: tensor<9x4x128xf16>, %pos: tensor<1x9xi32>) -> tensor<9x4x128xf16> {
  %r = rope.rotate positions(%pos : tensor<1x9xi32>) outs(%x : tensor<9x4x128xf16>)
      layout = thd pairing = adjacent head_dim = 128 rotary_dim = 64 theta = 1.0e4 -> tensor<9x4x128xf16>
  return %r : tensor<9x4x128xf16>
}

// -----

// COM: %o is returned after the rotation: the rotation writes a fresh buffer,
// COM: uninitialised (out of place nothing of %o is read).
// CHECK-LABEL: func.func @outs_still_needed(
// CHECK-SAME: %[[Q:.*]]: memref<9x4x64xf32>, %[[P:.*]]: memref<1x9xi64>, %[[O:.*]]: memref<9x4x64xf32>)
// CHECK: %[[NEW:.*]] = memref.alloc() {{.*}} : memref<9x4x64xf32>
// CHECK-NOT: memref.copy
// CHECK: rope.rotate ins(%[[Q]] : memref<9x4x64xf32>) positions(%[[P]] : memref<1x9xi64>) outs(%[[NEW]] : memref<9x4x64xf32>)
// CHECK: return %[[NEW]], %[[O]]
func.func @outs_still_needed(%q: tensor<9x4x64xf32>, %pos: tensor<1x9xi64>, %o: tensor<9x4x64xf32>)
    -> (tensor<9x4x64xf32>, tensor<9x4x64xf32>) {
  %r = rope.rotate ins(%q : tensor<9x4x64xf32>) positions(%pos : tensor<1x9xi64>) outs(%o : tensor<9x4x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<9x4x64xf32>
  return %r, %o : tensor<9x4x64xf32>, tensor<9x4x64xf32>
}

// -----

// COM: In place, the rotated tensor is read: a copy of %x when %x is still needed.
// CHECK-LABEL: func.func @in_place_still_needed(
// CHECK-SAME: %[[X:.*]]: memref<9x4x64xf32>, %[[C:.*]]: memref<9x32xf32>, %[[S:.*]]: memref<9x32xf32>)
// CHECK: %[[NEW:.*]] = memref.alloc() {{.*}} : memref<9x4x64xf32>
// CHECK: memref.copy %[[X]], %[[NEW]]
// CHECK: rope.rotate_with_tables cos(%[[C]] : memref<9x32xf32>) sin(%[[S]] : memref<9x32xf32>) outs(%[[NEW]] : memref<9x4x64xf32>)
// CHECK: return %[[NEW]], %[[X]]
func.func @in_place_still_needed(%x: tensor<9x4x64xf32>, %c: tensor<9x32xf32>, %s: tensor<9x32xf32>)
    -> (tensor<9x4x64xf32>, tensor<9x4x64xf32>) {
  %r = rope.rotate_with_tables cos(%c : tensor<9x32xf32>) sin(%s : tensor<9x32xf32>) outs(%x : tensor<9x4x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 -> tensor<9x4x64xf32>
  return %r, %x : tensor<9x4x64xf32>, tensor<9x4x64xf32>
}

// -----

// COM: dynamic_ntk's seq_len (an index) stays as it is.
// CHECK-LABEL: func.func @seq_len(
// CHECK: rope.rotate positions(%{{.*}} : memref<1x9xi64>) seq_len(%{{.*}}) outs(%{{.*}} : memref<9x4x64xf32>)
func.func @seq_len(%x: tensor<9x4x64xf32>, %pos: tensor<1x9xi64>, %n: index) -> tensor<9x4x64xf32> {
  %r = rope.rotate positions(%pos : tensor<1x9xi64>) seq_len(%n) outs(%x : tensor<9x4x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
      scaling = #rope.dynamic_ntk<factor = 2.0, original_max_position = 4096> -> tensor<9x4x64xf32>
  return %r : tensor<9x4x64xf32>
}
