// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f,+avx512bf16 nontemporal-min-bytes=0 threads=true min-parallel-tokens=1" | FileCheck %s --check-prefix=PIPE
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f,+avx512bf16 nontemporal-min-bytes=0" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="nontemporal-min-bytes=0" | FileCheck %s --check-prefix=NOBF16

// COM: rope-x86-nontemporal-vector-stores (test/Target/X86/x86-nontemporal-vector-stores.mlir) in the CPU pipeline.

// PIPE-LABEL: llvm.func @thd_bf16
// PIPE: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"
// PIPE: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)"
// PIPE: llvm.call_intrinsic "llvm.x86.sse.sfence"

// LLVM-LABEL: define void @thd_bf16(
// LLVM: call <32 x bfloat> @llvm.x86.avx512bf16.cvtne2ps2bf16.512(
// LLVM: call void asm sideeffect "vmovntdq $1, ($0)", "r,v,~{memory}"(ptr %{{.*}}, <16 x i32> %{{.*}})
// LLVM: call void @llvm.x86.sse.sfence()

// NOBF16-NOT: llvm.inline_asm
