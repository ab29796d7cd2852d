// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir --rope-gpu-pipeline="chip=sm_90 features=+ptx80 format=isa" | %python %S/extract_ptx.py | FileCheck %s
// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir --rope-gpu-pipeline="chip=sm_80 features=+ptx80 format=isa" | %python %S/extract_ptx.py | FileCheck %s --check-prefix=SM80
// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir --rope-gpu-pipeline="chip=sm_90 format=isa" | FileCheck %s --check-prefix=HOST
// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir --rope-gpu-pipeline="chip=sm_90 features=+ptx80 format=isa" | %python %S/extract_ptx.py | grep -c "ld.global.v4.b32" | FileCheck %s --check-prefix=FOUR
// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir --rope-gpu-pipeline="chip=sm_90 features=+ptx80 format=isa" | %python %S/extract_ptx.py | grep -c "st.global.v4.b32" | FileCheck %s --check-prefix=FOUR

// COM: The PTX moves q and k with 16-byte vector accesses: two loads and two
// COM: stores (the two halves of a thread's pairs) for q and for k.
// CHECK: .target sm_90
// CHECK: .entry qwen3vl_rope_kernel
// CHECK: ld.global.v4.b32
// CHECK: st.global.v4.b32
// FOUR: 4
// SM80: .target sm_80
// COM: Host code: the kernel is launched through gpu.launch_func on the
// COM: embedded binary; the rest is the LLVM dialect.
// HOST: llvm.func @qwen3vl_rope(
// HOST: gpu.launch_func @qwen3vl_rope_kernel::@qwen3vl_rope_kernel
// HOST: llvm.func @_mlir_ciface_qwen3vl_rope(
// HOST: gpu.binary @qwen3vl_rope_kernel
