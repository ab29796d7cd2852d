// Errors from the named pipelines are diagnostics and a non-zero exit, never
// exit 0 (issue 17).
// RUN: not rope-opt %s --rope-cpu-pipeline 2>&1 | FileCheck %s --check-prefix=LEFT
// RUN: not rope-opt %s --rope-gpu-pipeline=format=garbage 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not rope-opt %s --rope-gpu-pipeline="chip=foo format=isa" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not rope-opt %s --rope-gpu-pipeline="chip=sm_10 format=isa" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not rope-opt %s --rope-gpu-pipeline="chip=sm_90 features=bogus format=isa" 2>&1 | FileCheck %s --check-prefix=FEATURES
// RUN: not rope-opt %s --rope-gpu-pipeline="chip=sm_90 features=+ptx60 format=isa" 2>&1 | FileCheck %s --check-prefix=PTX
// RUN: rope-opt %s --rope-check-lowered=dialects=llvm,func,arith,vector 2>&1 | FileCheck %s --check-prefix=ALLOWED

// A softmax-style reduction: the CPU pipeline lowers no vector.multi_reduction
// left by a function it does not vectorize itself; it used to leave it in the
// output with exit status 0.
// LEFT: error: 'vector.multi_reduction' is left after lowering, where only ops of the dialects [llvm, omp] may remain: the pipeline has no lowering for it
// FORMAT: rope-gpu-pipeline: format must be isa, bin, fatbin or offload, got 'garbage'
// CHIP: rope-gpu-pipeline: chip must be one NVPTX knows (sm_80, sm_90, sm_90a, sm_100, ...), got
// FEATURES: rope-gpu-pipeline: features must be comma-separated +ptx<N> entries (+ptx80), got 'bogus'
// PTX: rope-gpu-pipeline: features: sm_90 needs PTX 78 or newer, got '+ptx60'
// ALLOWED-NOT: error
func.func @row_sum(%v: vector<4x8xf32>) -> vector<4xf32> {
  %zero = arith.constant dense<0.0> : vector<4xf32>
  %s = vector.multi_reduction <add>, %v, %zero [1] : vector<4x8xf32> to vector<4xf32>
  return %s : vector<4xf32>
}

