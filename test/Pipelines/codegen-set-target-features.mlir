// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="threads=true cpu-features=+avx512f,+avx512bf16 nontemporal-min-bytes=0" -rope-codegen-set-target-features="features=+avx512f,+avx512bf16" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ASM
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=host" | FileCheck %s --check-prefix=HOST
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f,+avx512bf16" | FileCheck %s --check-prefix=NONE
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline | FileCheck %s --check-prefix=NONE

// COM: rope-codegen-set-target-features (test/Codegen/set-target-features.mlir) in and after the CPU pipeline.

// With the features on the functions, the pipeline's AVX512-BF16 intrinsics
// and AVX-512 inline asm compile with a plain llc (no -mcpu or -mattr),
// OpenMP's outlined bodies included. The CPU pipeline adds the pass for
// cpu-features=host only (LLVM takes a function's features instead of
// -march's, so an explicit list would switch the rest off).
// ASM-LABEL: thd_bf16..omp_par
// ASM: vcvtne2ps2bf16
// ASM: vmovntdq
// HOST: llvm.func @thd_f32({{.*}} target_features = #llvm.target_features<["+
// NONE-NOT: target_features
