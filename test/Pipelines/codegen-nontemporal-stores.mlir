// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="nontemporal-min-bytes=1048576" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=DEFAULT
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="nontemporal-min-bytes=-1" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=NEVER --implicit-check-not=!nontemporal --implicit-check-not=fence
// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir --rope-cpu-pipeline="nontemporal-min-bytes=1048576" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=BHSD

// COM: rope-codegen-nontemporal-stores (test/Codegen/nontemporal-stores.mlir) in the CPU pipeline.

// COM: Through the CPU pipeline the streaming stores reach LLVM IR as
// COM: !nontemporal 64-byte aligned vector stores, next to the ordinary ones;
// COM: bf16 ones store the rounded bits as i16 (instcombine then folds the
// COM: bitcast toward the integer type, which the X86 backend streams).
// LLVM-LABEL: define void @thd_f32(
// LLVM: store <64 x float> %{{.*}}, ptr %{{.*}}, align 64, !nontemporal
// LLVM: fence seq_cst
// LLVM: store <64 x float> %{{.*}}, ptr %{{.*}}, align 4
// LLVM-NOT: !nontemporal
// LLVM-LABEL: define void @thd_bf16(
// LLVM: trunc <64 x i32> %{{.*}} to <64 x i16>
// LLVM: store <64 x bfloat> %{{.*}}, ptr %{{.*}}, align 64, !nontemporal
// LLVM: fence seq_cst
// LLVM: store <64 x bfloat> %{{.*}}, ptr %{{.*}}, align 2

// COM: By default the pipeline streams outputs as large as this machine's
// COM: last-level cache (decided at run time for these dynamic shapes);
// COM: nontemporal-min-bytes=-1 never streams.
// DEFAULT-LABEL: define void @thd_f32(
// DEFAULT: icmp sge i64 %{{.*}}, {{[1-9][0-9]*}}
// DEFAULT: store <64 x float> %{{.*}}, ptr %{{.*}}, align 64, !nontemporal
// DEFAULT-LABEL: define void @thd_bf16(
// DEFAULT: store <64 x bfloat> %{{.*}}, ptr %{{.*}}, align 64, !nontemporal
// NEVER-LABEL: define void @thd_f32(
// NEVER-LABEL: define void @thd_bf16(

// COM: HF's [B, H, S, D] with a dynamic S: the head stride is dynamic but a
// COM: multiple of S * 128 elements, so the rows stream too.
// BHSD-LABEL: define void @qwen3vl_rope(
// BHSD: store <64 x float> %{{.*}}, ptr %{{.*}}, align 64, !nontemporal
