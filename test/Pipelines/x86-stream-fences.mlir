// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f nontemporal-min-bytes=0 threads=true min-parallel-tokens=1" | FileCheck %s --check-prefix=X86 --implicit-check-not=llvm.fence
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f nontemporal-min-bytes=0" | mlir-translate --mlir-to-llvmir | llc -O2 -mattr=+avx512f | FileCheck %s --check-prefix=ASM --implicit-check-not=mfence --implicit-check-not='{{^[[:space:]]*lock}}'
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="nontemporal-min-bytes=0" | FileCheck %s --check-prefix=PORTABLE --implicit-check-not=llvm.x86.sse.sfence
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f,-avx512f nontemporal-min-bytes=0" | FileCheck %s --check-prefix=PORTABLE --implicit-check-not=llvm.x86.sse.sfence
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx2,-sse nontemporal-min-bytes=0" | FileCheck %s --check-prefix=PORTABLE --implicit-check-not=llvm.x86.sse.sfence
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f nontemporal-min-bytes=-1" | FileCheck %s --check-prefix=NOSTREAM --implicit-check-not=llvm.x86.sse.sfence --implicit-check-not=llvm.fence
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f" | FileCheck %s --check-prefix=X86

// COM: rope-x86-stream-fences (test/Target/X86/x86-stream-fences.mlir) in the CPU pipeline.

// x86 features named, streaming stores on (by default, from outputs the
// size of the last-level cache): the fences in the streaming versions of
// both kernels are sfence, and no full fence is left.
// X86-LABEL: llvm.func @thd_f32
// X86:       llvm.call_intrinsic "llvm.x86.sse.sfence"
// X86-LABEL: llvm.func @thd_bf16
// X86:       llvm.call_intrinsic "llvm.x86.sse.sfence"

// ASM-LABEL: thd_f32:
// ASM:       vmovntps
// ASM:       sfence
// ASM-LABEL: thd_bf16:
// ASM:       sfence

// No x86 CPU named (or its features, or SSE, turned off): the portable
// full fence.
// PORTABLE:     llvm.fence seq_cst

// No streaming stores, no fences of either kind.
// NOSTREAM: llvm.func @thd_bf16
