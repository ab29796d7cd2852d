// RUN: rope-opt %s -split-input-file -rope-x86-nontemporal-vector-stores | FileCheck %s
// RUN: rope-opt %s -split-input-file -rope-x86-nontemporal-vector-stores=vector-bits=256 | FileCheck %s --check-prefix=AVX2
// RUN: rope-opt %s -split-input-file -rope-x86-nontemporal-vector-stores=vector-bits=128 | FileCheck %s --check-prefix=SSE2
// RUN: not rope-opt %s -split-input-file -rope-x86-nontemporal-vector-stores=vector-bits=1024 2>&1 | FileCheck %s --check-prefix=BADBITS

// One vmovntdq per 512-bit register: a 64-lane bf16 store is two, the
// second 64 bytes further on.
// CHECK-LABEL: llvm.func @two_registers
// CHECK-SAME: (%[[P:.*]]: !llvm.ptr, %[[V:.*]]: vector<64xbf16>)
// CHECK: %[[LO:.*]] = llvm.shufflevector %[[V]], %[[V]] [0, 1, 2, {{.*}}, 31] : vector<64xbf16>
// CHECK: %[[LOI:.*]] = llvm.bitcast %[[LO]] : vector<32xbf16> to vector<16xi32>
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)", "r,v,~{memory}" %[[P]], %[[LOI]] : (!llvm.ptr, vector<16xi32>) -> ()
// CHECK: %[[HI:.*]] = llvm.shufflevector %[[V]], %[[V]] [32, 33, {{.*}}, 63] : vector<64xbf16>
// CHECK: %[[HII:.*]] = llvm.bitcast %[[HI]] : vector<32xbf16> to vector<16xi32>
// CHECK: %[[Q:.*]] = llvm.getelementptr %[[P]][64] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)", "r,v,~{memory}" %[[Q]], %[[HII]]
// CHECK-NOT: llvm.store
llvm.func @two_registers(%p: !llvm.ptr, %v: vector<64xbf16>) {
  llvm.store %v, %p {alignment = 64 : i64, nontemporal} : vector<64xbf16>, !llvm.ptr
  llvm.return
}

// -----

// f16 too; one register needs no shuffle. The register goes to the asm as
// i32 lanes, so that AVX-512F is all the constraint needs.
// CHECK-LABEL: llvm.func @one_f16_register
// CHECK-NEXT: %[[I:.*]] = llvm.bitcast %arg1 : vector<32xf16> to vector<16xi32>
// CHECK-NEXT: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)", "r,v,~{memory}" %arg0, %[[I]] : (!llvm.ptr, vector<16xi32>) -> ()
// CHECK-NEXT: llvm.return
llvm.func @one_f16_register(%p: !llvm.ptr, %v: vector<32xf16>) {
  llvm.store %v, %p {alignment = 128 : i64, nontemporal} : vector<32xf16>, !llvm.ptr
  llvm.return
}

// -----

// Narrower registers where a store fills no wider one whole, or its
// alignment reaches no wider one: 32-byte alignment gives two ymm stores, a
// 16-lane vector one, 16-byte alignment xmm. "x" (registers 0-15) for
// xmm and ymm; the encoding stays VEX (vmovntdq), as the code around it.
// CHECK-LABEL: llvm.func @narrower
// CHECK: llvm.bitcast %{{.*}} : vector<16xbf16> to vector<8xi32>
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)", "r,x,~{memory}" %arg0, %{{.*}} : (!llvm.ptr, vector<8xi32>) -> ()
// CHECK: llvm.getelementptr %arg0[32] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)", "r,x,~{memory}" %{{.*}}, %{{.*}} : (!llvm.ptr, vector<8xi32>) -> ()
// CHECK: llvm.bitcast %arg2 : vector<16xf16> to vector<8xi32>
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)", "r,x,~{memory}" %arg0, %{{.*}} : (!llvm.ptr, vector<8xi32>) -> ()
// CHECK: llvm.bitcast %{{.*}} : vector<8xbf16> to vector<4xi32>
// CHECK: llvm.inline_asm has_side_effects asm_dialect = att "vmovntdq $1, ($0)", "r,x,~{memory}" %arg0, %{{.*}} : (!llvm.ptr, vector<4xi32>) -> ()
// CHECK-COUNT-2: llvm.inline_asm {{.*}} vector<4xi32>
// CHECK-NOT: llvm.store
llvm.func @narrower(%p: !llvm.ptr, %b: vector<32xbf16>, %h: vector<16xf16>) {
  llvm.store %b, %p {alignment = 32 : i64, nontemporal} : vector<32xbf16>, !llvm.ptr
  llvm.store %h, %p {alignment = 64 : i64, nontemporal} : vector<16xf16>, !llvm.ptr
  llvm.store %b, %p {alignment = 16 : i64, nontemporal} : vector<32xbf16>, !llvm.ptr
  llvm.return
}

// -----

// Left alone: f32 (LLVM streams it), not non-temporal, less than 16-byte
// alignment, less than an xmm register, volatile, another address space (a
// segment on x86).
// CHECK-LABEL: llvm.func @left_alone
// CHECK-NOT: llvm.inline_asm
// CHECK-COUNT-6: llvm.store
// CHECK-NOT: llvm.inline_asm
llvm.func @left_alone(%p: !llvm.ptr, %f: vector<16xf32>, %b: vector<32xbf16>, %h: vector<4xbf16>, %gs: !llvm.ptr<256>) {
  llvm.store %b, %gs {alignment = 64 : i64, nontemporal} : vector<32xbf16>, !llvm.ptr<256>
  llvm.store %f, %p {alignment = 64 : i64, nontemporal} : vector<16xf32>, !llvm.ptr
  llvm.store %b, %p {alignment = 64 : i64} : vector<32xbf16>, !llvm.ptr
  llvm.store %b, %p {alignment = 8 : i64, nontemporal} : vector<32xbf16>, !llvm.ptr
  llvm.store %h, %p {alignment = 64 : i64, nontemporal} : vector<4xbf16>, !llvm.ptr
  llvm.store volatile %b, %p {alignment = 64 : i64, nontemporal} : vector<32xbf16>, !llvm.ptr
  llvm.return
}

// AVX2 (vector-bits=256): a 128-byte store is four ymm stores. SSE2 only
// (128): eight xmm stores, in the SSE encoding.
// AVX2-LABEL: llvm.func @two_registers
// AVX2-COUNT-4: "vmovntdq $1, ($0)", "r,x,~{memory}" {{.*}} : (!llvm.ptr, vector<8xi32>) -> ()
// AVX2-NOT: llvm.inline_asm
// AVX2-LABEL: llvm.func @one_f16_register
// SSE2-LABEL: llvm.func @two_registers
// SSE2-COUNT-8: "movntdq $1, ($0)", "r,x,~{memory}" {{.*}} : (!llvm.ptr, vector<4xi32>) -> ()
// SSE2-NOT: llvm.inline_asm
// SSE2-LABEL: llvm.func @one_f16_register

// BADBITS: rope-x86-nontemporal-vector-stores: vector-bits must be 128, 256 or 512, got 1024
