// RUN: rope-opt %s -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu)' | FileCheck %s

// COM: Partial rotary out of place: lanes [R, D) are copied with 16-byte vectors
// COM: when R and D - R are whole vectors (GPT-J, 64 of 128 f32: 4 lanes a
// COM: thread, 8 threads across), element by element otherwise (36 of 128).
// CHECK-LABEL: func.func @gptj_partial
// CHECK: scf.for %{{.*}} = %{{.*}} to %c64 step %c32
// CHECK-NEXT: arith.constant 64 : index
// CHECK-NEXT: arith.addi
// CHECK-NEXT: %[[X:.*]] = vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<?x?x4x128xf32>, vector<4xf32>
// CHECK-NEXT: vector.store %[[X]], %arg2[{{.*}}] {alignment = 16 : i64} : memref<?x?x4x128xf32>, vector<4xf32>
// CHECK-LABEL: func.func @odd_partial
// CHECK: scf.for %{{.*}} = %{{.*}} to %c92 step %c18
// CHECK: %[[E:.*]] = memref.load %arg0
// CHECK-NEXT: memref.store %[[E]], %arg2

func.func @gptj_partial(%q: memref<?x?x4x128xf32>, %pos: memref<1x?x?xi64>, %q_out: memref<?x?x4x128xf32>) attributes {llvm.emit_c_interface} {
  %q_t = bufferization.to_tensor %q restrict : memref<?x?x4x128xf32> to tensor<?x?x4x128xf32>
  %q_o = bufferization.to_tensor %q_out restrict writable : memref<?x?x4x128xf32> to tensor<?x?x4x128xf32>
  %pos_t = bufferization.to_tensor %pos restrict : memref<1x?x?xi64> to tensor<1x?x?xi64>
  %r = rope.rotate ins(%q_t : tensor<?x?x4x128xf32>) positions(%pos_t : tensor<1x?x?xi64>) outs(%q_o : tensor<?x?x4x128xf32>) layout = bshd pairing = adjacent head_dim = 128 rotary_dim = 64 theta = 10000.0 -> tensor<?x?x4x128xf32>
  bufferization.materialize_in_destination %r in restrict writable %q_out : (tensor<?x?x4x128xf32>, memref<?x?x4x128xf32>) -> ()
  return
}

func.func @odd_partial(%q: memref<?x4x128xbf16>, %pos: memref<1x?xi64>, %q_out: memref<?x4x128xbf16>) attributes {llvm.emit_c_interface} {
  %q_t = bufferization.to_tensor %q restrict : memref<?x4x128xbf16> to tensor<?x4x128xbf16>
  %q_o = bufferization.to_tensor %q_out restrict writable : memref<?x4x128xbf16> to tensor<?x4x128xbf16>
  %pos_t = bufferization.to_tensor %pos restrict : memref<1x?xi64> to tensor<1x?xi64>
  %r = rope.rotate ins(%q_t : tensor<?x4x128xbf16>) positions(%pos_t : tensor<1x?xi64>) outs(%q_o : tensor<?x4x128xbf16>) layout = thd pairing = half head_dim = 128 rotary_dim = 36 theta = 10000.0 -> tensor<?x4x128xbf16>
  bufferization.materialize_in_destination %r in restrict writable %q_out : (tensor<?x4x128xbf16>, memref<?x4x128xbf16>) -> ()
  return
}

