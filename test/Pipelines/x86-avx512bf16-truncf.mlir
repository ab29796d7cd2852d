// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512f,+avx512bf16" | FileCheck %s --check-prefix=PIPE
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline | FileCheck %s --check-prefix=NONE
// RUN: rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=+avx512bf16,-avx512bf16" | FileCheck %s --check-prefix=NONE
// RUN: not rope-opt %rope_src/test/Inputs/thd_rope.mlir --rope-cpu-pipeline="cpu-features=avx512bf16" 2>&1 | FileCheck %s --check-prefix=BAD

// COM: rope-x86-avx512bf16-truncf (test/Target/X86/avx512bf16-truncf.mlir) in the CPU pipeline.

// PIPE: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"(%{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xf32>) -> vector<32xbf16>
// NONE-NOT: llvm.call_intrinsic
// BAD: error: rope-cpu-pipeline: cpu-features: 'avx512bf16' is neither 'host' nor +name/-name
