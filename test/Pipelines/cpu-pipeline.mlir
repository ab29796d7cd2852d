// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir --rope-cpu-pipeline | FileCheck %s
// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir -p 'builtin.module(func.func(rope-tile-tokens,rope-decompose,canonicalize,cse,rope-codegen-vectorize,canonicalize,cse),one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize)' | FileCheck %s --check-prefix=BUF

// COM: The whole pipeline reaches the LLVM dialect with the C interface;
// COM: sin/cos are vector polynomials, not libm calls; nothing is allocated.
// CHECK: llvm.func @qwen3vl_rope(
// CHECK-NOT: llvm.call @sinf
// CHECK-NOT: llvm.call @cosf
// CHECK-NOT: llvm.intr.sin
// CHECK-NOT: llvm.intr.cos
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.alloca
// CHECK: llvm.store {{.*}} : vector<64xf32>, !llvm.ptr
// CHECK: llvm.func @_mlir_ciface_qwen3vl_rope(

// COM: Bufferized in place: outputs are written straight into the caller's
// COM: buffers, with no allocation and no copy.
// BUF-LABEL: func.func @qwen3vl_rope
// BUF-NOT: memref.alloc
// BUF-NOT: memref.copy
// BUF: vector.transfer_write {{.*}} : vector<2x64xf32>, memref<1x1x1x2x64xf32
// BUF-NOT: memref.alloc
// BUF-NOT: memref.copy
// BUF: return
