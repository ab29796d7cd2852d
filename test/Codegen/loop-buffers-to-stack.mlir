// RUN: rope-opt %s -split-input-file -rope-codegen-loop-buffers-to-stack -verify-diagnostics | FileCheck %s
// RUN: rope-opt %s -split-input-file -rope-codegen-loop-buffers-to-stack="max-scope-bytes=100" | FileCheck %s --check-prefix=BUDGET
// RUN: not rope-opt %s -rope-codegen-loop-buffers-to-stack="max-bytes=-1" 2>&1 | FileCheck %s --check-prefix=NEG

// NEG: rope-codegen-loop-buffers-to-stack: max-bytes and max-scope-bytes must not be negative

// A buffer allocated and freed in each iteration of a serial loop: one
// stack buffer at the function's entry, its alignment kept, no dealloc.
// CHECK-LABEL: func.func @serial_loop
// CHECK-NEXT: %[[A:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %[[A]]
// CHECK-NOT: memref.alloc()
// CHECK-NOT: memref.dealloc
// BUDGET-LABEL: func.func @serial_loop
// BUDGET: memref.alloca() {alignment = 64 : i64} : memref<16xf32>
func.func @serial_loop(%n: index, %m: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
    %v = memref.load %m[%i] : memref<?xf32>
    memref.store %v, %a[%c0] : memref<16xf32>
    %w = memref.load %a[%c0] : memref<16xf32>
    memref.store %w, %m[%i] : memref<?xf32>
    memref.dealloc %a : memref<16xf32>
  }
  return
}

// -----

// The OpenMP form of a parallel token loop (convert-scf-to-openmp): a
// buffer per thread at the entry of the omp.parallel region, out of the
// wsloop, its loop nest and the alloca scope; nested loops too. With
// max-scope-bytes=100 only the first (64 bytes) fits the thread's budget.
// CHECK-LABEL: func.func @openmp_loop
// CHECK: omp.parallel {
// CHECK-NEXT: %[[B:.*]] = memref.alloca() : memref<2x8xf32>
// CHECK-NEXT: %[[A:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: omp.wsloop
// CHECK: memref.alloca_scope
// CHECK: memref.store %{{.*}}, %[[A]]
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %[[B]]
// CHECK-NOT: memref.dealloc
// BUDGET-LABEL: func.func @openmp_loop
// BUDGET: omp.parallel {
// BUDGET-NEXT: memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// BUDGET: memref.alloc() : memref<2x8xf32>
// BUDGET: memref.dealloc
func.func @openmp_loop(%n: index, %m: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.alloca_scope {
          %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
          %v = memref.load %m[%i] : memref<?xf32>
          memref.store %v, %a[%c0] : memref<16xf32>
          scf.for %j = %c0 to %c2 step %c1 {
            %b = memref.alloc() : memref<2x8xf32>
            memref.store %v, %b[%j, %c0] : memref<2x8xf32>
            memref.dealloc %b : memref<2x8xf32>
          }
          memref.dealloc %a : memref<16xf32>
        }
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Left alone: iterations of scf.forall and scf.parallel run concurrently
// (a buffer per iteration); a buffer that outlives its iteration (no
// dealloc in its block: freed after the loop); a dynamic size; one larger
// than max-bytes; another memory space; a buffer in no loop.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: memref.alloca()
// CHECK-COUNT-8: memref.alloc(
// CHECK-NOT: memref.alloca()
func.func @left_alone(%n: index, %m: memref<?xf32>, %d: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 1.0 : f32
  scf.forall (%i) in (%n) {
    %a = memref.alloc() : memref<16xf32>
    memref.store %f, %a[%c0] : memref<16xf32>
    memref.dealloc %a : memref<16xf32>
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %a = memref.alloc() : memref<16xf32>
    memref.store %f, %a[%c0] : memref<16xf32>
    memref.dealloc %a : memref<16xf32>
    scf.reduce
  }
  %s0 = memref.alloc() : memref<16xf32>
  %last = scf.for %i = %c0 to %n step %c1 iter_args(%prev = %s0) -> (memref<16xf32>) {
    %a = memref.alloc() : memref<16xf32>
    memref.store %f, %a[%c0] : memref<16xf32>
    scf.yield %a : memref<16xf32>
  }
  scf.for %i = %c0 to %n step %c1 {
    %dyn = memref.alloc(%d) : memref<?xf32>
    memref.store %f, %dyn[%c0] : memref<?xf32>
    memref.dealloc %dyn : memref<?xf32>
    %big = memref.alloc() : memref<32768xf32>
    memref.store %f, %big[%c0] : memref<32768xf32>
    memref.dealloc %big : memref<32768xf32>
    %s = memref.alloc() : memref<16xf32, 1>
    memref.store %f, %s[%c0] : memref<16xf32, 1>
    memref.dealloc %s : memref<16xf32, 1>
  }
  %once = memref.alloc() : memref<16xf32>
  memref.store %f, %once[%c0] : memref<16xf32>
  memref.dealloc %once : memref<16xf32>
  return
}

// -----

// Left alone: a layout with a symbol (the alloc's symbol operand may be
// defined in the loop; an alloca at the entry would have none).
// CHECK-LABEL: func.func @layout_symbol
// CHECK-NOT: memref.alloca
// CHECK: memref.alloc()[%{{.*}}] : memref<4xf32, #{{.*}}>
#offset = affine_map<(d0)[s0] -> (d0 + s0)>
func.func @layout_symbol(%n: index, %m: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.alloc()[%i] : memref<4xf32, #offset>
    memref.store %f, %a[%c0] : memref<4xf32, #offset>
    memref.dealloc %a : memref<4xf32, #offset>
  }
  return
}
