// RUN: rope-opt %s -split-input-file -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu,canonicalize)' | FileCheck %s
// RUN: not rope-opt %s -split-input-file -p 'builtin.module(convert-rope-to-gpu)' 2>&1 | FileCheck %s --check-prefix=TENSOR
// RUN: not rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-decompose))' 2>&1 | FileCheck %s --check-prefix=DECOMPOSE

// convert-rope-to-gpu lowers the buffer form wherever it is: a rotation written on
// memrefs in a loop over cache slices (strided views, dynamic offsets), and a
// tensor function returning its result, once bufferized. Numbers:
// python/tests/test_gpu_buffer_form.py.

// CHECK-LABEL: func.func @cache_slices(
// CHECK: scf.for
// CHECK: %[[SLOT:.*]] = memref.subview %{{.*}}[%{{.*}}, 2, 0, 0] [1, 11, 3, 64] [1, 1, 1, 1]
// CHECK: memref.cast %[[SLOT]] : memref<11x3x64xf32, strided<[192, 64, 1], offset: ?>> to memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>
// CHECK: scf.if
// CHECK: gpu.launch
// CHECK: vector.store %{{.*}}, %[[SLOT]][{{.*}}] {alignment = 16 : i64} : memref<11x3x64xf32, strided<[192, 64, 1], offset: ?>>, vector<4xf32>
// CHECK-NOT: rope.rotate
// DECOMPOSE: error: 'rope.rotate' op is in the buffer form (memref operands): rope-decompose lowers the tensor form, before bufferization (convert-rope-to-gpu lowers the buffer form)
func.func @cache_slices(%q: memref<11x3x64xf32>, %pos: memref<2x1x11xi64>,
                        %cache: memref<2x16x3x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %l = %c0 to %c2 step %c1 {
    %slot = memref.subview %cache[%l, 2, 0, 0] [1, 11, 3, 64] [1, 1, 1, 1]
        : memref<2x16x3x64xf32> to memref<11x3x64xf32, strided<[192, 64, 1], offset: ?>>
    %p = memref.subview %pos[%l, 0, 0] [1, 1, 11] [1, 1, 1]
        : memref<2x1x11xi64> to memref<1x11xi64, strided<[11, 1], offset: ?>>
    rope.rotate ins(%q : memref<11x3x64xf32>)
        positions(%p : memref<1x11xi64, strided<[11, 1], offset: ?>>)
        outs(%slot : memref<11x3x64xf32, strided<[192, 64, 1], offset: ?>>)
        layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
  }
  return
}

// -----

// CHECK-LABEL: func.func @returns_tensor(
// CHECK-SAME: %[[Q:.*]]: memref<11x3x64xf32>, %[[P:.*]]: memref<1x11xi64>) -> memref<11x3x64xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<11x3x64xf32>
// CHECK: gpu.launch
// CHECK: vector.load %[[Q]]
// CHECK: vector.store %{{.*}}, %[[OUT]]
// CHECK: return %[[OUT]]
// TENSOR: error: 'rope.rotate' op is in the tensor form: convert-rope-to-gpu lowers the buffer form (memref operands); bufferize first (one-shot-bufferize, as --rope-gpu-pipeline does)
func.func @returns_tensor(%q: tensor<11x3x64xf32>, %pos: tensor<1x11xi64>) -> tensor<11x3x64xf32> {
  %e = tensor.empty() : tensor<11x3x64xf32>
  %r = rope.rotate ins(%q : tensor<11x3x64xf32>) positions(%pos : tensor<1x11xi64>)
      outs(%e : tensor<11x3x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<11x3x64xf32>
  return %r : tensor<11x3x64xf32>
}
