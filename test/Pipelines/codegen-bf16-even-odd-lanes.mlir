// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f,+avx512bf16" | FileCheck %s --check-prefix=PIPE
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline | FileCheck %s --check-prefix=NONE

// COM: rope-codegen-bf16-even-odd-lanes (test/Codegen/bf16-even-odd-lanes.mlir) in the CPU pipeline.

// In the CPU pipeline with AVX512-BF16: words shifted and masked, no extf of
// bf16 left; without it, the element order stays (each bf16 widened as
// upstream's arith-expand does it, one zext and shift per element).
// PIPE-LABEL: llvm.func @thd_bf16
// PIPE-NOT: llvm.fpext {{.*}}bf16
// PIPE: llvm.shl {{.*}} : vector<32xi32>
// PIPE: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"
// NONE-LABEL: llvm.func @thd_bf16
// NONE-NOT: llvm.shl {{.*}} : vector<32xi32>
// NONE: llvm.zext {{.*}} : vector<64xi16> to vector<64xi32>
