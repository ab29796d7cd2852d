// RUN: not rope-opt %s -split-input-file -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu,canonicalize)' 2>/dev/null | FileCheck %s
// RUN: not rope-opt %s -split-input-file -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu,canonicalize)' 2>&1 >/dev/null | FileCheck %s --check-prefix=ERRORS
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

// COM: A tensor function that returns its result bufferizes to a host
// COM: allocation: refused, naming the operand (the kernel would get a host
// COM: pointer); test/Inputs/gpu-tensor-function.mlir passes its destination.
// ERRORS: error: 'rope.rotate' op outs #0 is host memory (memref.alloc; bufferization allocates one for a tensor.empty outs or a copy): the GPU kernel reads and writes device buffers, so pass every buffer in as an argument (destination-passing style)
// TENSOR: error: 'rope.rotate' op is in the tensor form: convert-rope-to-gpu lowers the buffer form (memref operands); bufferize first (one-shot-bufferize, as --rope-gpu-pipeline does)
func.func @returns_tensor(%q: tensor<11x3x64xf32>, %pos: tensor<1x11xi64>) -> tensor<11x3x64xf32> {
  %e = tensor.empty() : tensor<11x3x64xf32>
  %r = rope.rotate ins(%q : tensor<11x3x64xf32>) positions(%pos : tensor<1x11xi64>)
      outs(%e : tensor<11x3x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<11x3x64xf32>
  return %r : tensor<11x3x64xf32>
}

// -----

// COM: A transposed view (ggml's [D, H, T] read as [T, H, D]): rows are not
// COM: contiguous lanes.
// ERRORS: error: 'rope.rotate' op ins #0 has innermost stride 32 ('memref<8x4x64xf32, strided<[1, 8, 32]>>'): the GPU kernel needs contiguous innermost elements
func.func @transposed(%x: memref<64x4x8xf32>, %pos: memref<1x8xi64>, %o: memref<8x4x64xf32>) {
  %t = memref.transpose %x (d0, d1, d2) -> (d2, d1, d0) : memref<64x4x8xf32> to memref<8x4x64xf32, strided<[1, 8, 32]>>
  rope.rotate ins(%t : memref<8x4x64xf32, strided<[1, 8, 32]>>) positions(%pos : memref<1x8xi64>)
      outs(%o : memref<8x4x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
  return
}

// -----

// ERRORS: error: 'rope.rotate' op is in device code: convert-rope-to-gpu launches a kernel from host code
func.func @in_a_launch(%x: memref<8x4x64xf32>, %pos: memref<1x8xi64>) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    rope.rotate positions(%pos : memref<1x8xi64>) outs(%x : memref<8x4x64xf32>)
        layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
    gpu.terminator
  }
  return
}
