// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline | FileCheck %s --check-prefix=PIPE
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="prefetch-distance=0" | FileCheck %s --check-prefix=PIPE-OFF
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="nontemporal-min-bytes=0" | FileCheck %s --check-prefix=PIPE-NT

// COM: rope-codegen-prefetch (test/Codegen/prefetch.mlir) in the CPU pipeline.

// PIPE: "llvm.intr.prefetch"(%{{.*}}) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}>
// PIPE: "llvm.intr.prefetch"(%{{.*}}) <{cache = 1 : i32, hint = 3 : i32, rw = 1 : i32}>
// PIPE-NT: "llvm.intr.prefetch"(%{{.*}}) <{cache = 1 : i32, hint = 2 : i32, rw = 0 : i32}>
// PIPE-OFF-NOT: llvm.intr.prefetch
