// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir -p 'builtin.module(rope-to-gpu)' | FileCheck %s

// COM: One fused kernel: tokens across blocks (and 8 per block along y),
// COM: 16 threads x 4 pairs each = 64 pairs; cos/sin of a thread's 4 pairs
// COM: computed once (f64 angle, reduced mod 2*pi, f32 cos/sin), then every
// COM: q head and every k head rotated with 16-byte vector loads/stores.
// CHECK-DAG: memref.global "private" constant @__rope_axis : memref<64xi32> = dense<[0, 1, 2, 0, 1, 2
// CHECK-DAG: memref.global "private" constant @__rope_inv_freq : memref<64xf64>
// CHECK-LABEL: func.func @qwen3vl_rope
// CHECK: %[[C16:.*]] = arith.constant 16 : index
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %{{.*}}, {{.*}} = %{{.*}}, {{.*}} = %{{.*}}) threads({{.*}}) in ({{.*}} = %[[C16]], {{.*}} = %{{.*}}, {{.*}} = %{{.*}})
// CHECK: scf.if
// CHECK: memref.get_global @__rope_inv_freq
// CHECK-COUNT-4: math.cos {{.*}} : f32
// CHECK: vector.from_elements {{.*}} : vector<4xf32>
// CHECK: scf.for
// CHECK-COUNT-2: vector.load %arg0{{.*}} {alignment = 16 : i64} : memref<1x32x?x128xf32>, vector<4xf32>
// CHECK-COUNT-2: vector.store {{.*}}, %arg3{{.*}} {alignment = 16 : i64} : memref<1x32x?x128xf32>, vector<4xf32>
// CHECK: scf.for
// CHECK-COUNT-2: vector.load %arg1{{.*}} : memref<1x8x?x128xf32>, vector<4xf32>
// CHECK: gpu.terminator
// CHECK-NOT: rope.rotate
// CHECK-NOT: materialize_in_destination
