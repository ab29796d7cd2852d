// RUN: rope-opt %s -rope-x86-stream-fences | FileCheck %s
// The same rewrites from the public pattern set (Rope/Target/X86/Transforms.h).
// RUN: rope-opt %s -test-rope-patterns='x86-stream-fences' | FileCheck %s

// Each streaming-store fence becomes one sfence, where it was; nothing else
// changes.
// CHECK-LABEL: func.func @fences
// CHECK:       memref.store
// CHECK-NEXT:  llvm.call_intrinsic "llvm.x86.sse.sfence"() : () -> ()
// CHECK-NEXT:  scf.for
// CHECK-NEXT:    llvm.call_intrinsic "llvm.x86.sse.sfence"() : () -> ()
// CHECK-NEXT:  }
// CHECK-NEXT:  llvm.fence seq_cst
// CHECK-NOT:   rope.stream_fence
func.func @fences(%m: memref<4xf32>, %v: f32, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  memref.store %v, %m[%c0] {nontemporal = true} : memref<4xf32>
  rope.stream_fence
  scf.for %i = %c0 to %n step %c1 {
    rope.stream_fence
  }
  llvm.fence seq_cst
  return
}
