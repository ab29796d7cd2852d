// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu)' | FileCheck %s

// COM: One fused kernel: a block per token; 16 x-threads of 4 pairs each
// COM: cover the 64 pairs, 8 y-threads share out the heads. Threads of linear
// COM: id ty * 16 + tx < 64 compute cos/sin of pair "id" once (f64 angle
// COM: reduced mod 2*pi, f32 cos/sin) into workgroup memory; after a barrier
// COM: every thread rotates its pairs of its heads of q and of k with 16-byte
// COM: vector accesses.
// CHECK-DAG: memref.global "private" constant @__rope_axis : memref<64xi32> = dense<[0, 1, 2, 0, 1, 2
// CHECK-DAG: memref.global "private" constant @__rope_inv_freq : memref<64xf64>
// CHECK-LABEL: func.func @qwen3vl_rope
// COM: The launch runs only when the host guard passes (to-gpu-guard.mlir).
// CHECK: scf.if %{{.*}} {
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}}) threads(%[[TX:.*]], %[[TY:.*]], %{{.*}}) in ({{.*}} = %[[C16]], {{.*}} = %[[C8]], {{.*}}) workgroup(%[[COS:.*]] : memref<64xf32, #gpu.address_space<workgroup>>, %[[SIN:.*]] : memref<64xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[ROW:.*]] = arith.muli %[[TY]], %{{.*}} : index
// CHECK: %[[LID:.*]] = arith.addi %[[ROW]], %[[TX]] : index
// CHECK: scf.for %[[J:.*]] = %[[LID]] to %{{.*}} step %{{.*}} {
// CHECK: memref.get_global @__rope_inv_freq
// CHECK: math.cos {{.*}} : f32
// CHECK-NOT: math.cos
// CHECK: memref.store %{{.*}}, %[[COS]][%[[J]]]
// CHECK: gpu.barrier
// CHECK: vector.load %[[COS]][{{.*}}] : memref<64xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: scf.for %{{.*}} = %[[TY]] to %{{.*}} step %{{.*}} {
// CHECK-COUNT-2: vector.load %arg0{{.*}} {alignment = 16 : i64} : memref<1x32x?x128xf32>, vector<4xf32>
// CHECK-COUNT-2: vector.store {{.*}}, %arg3{{.*}} {alignment = 16 : i64} : memref<1x32x?x128xf32>, vector<4xf32>
// CHECK: scf.for %{{.*}} = %[[TY]] to
// CHECK-COUNT-2: vector.load %arg1{{.*}} : memref<1x8x?x128xf32>, vector<4xf32>
// CHECK: gpu.terminator
// CHECK-NOT: rope.rotate
// CHECK-NOT: materialize_in_destination
