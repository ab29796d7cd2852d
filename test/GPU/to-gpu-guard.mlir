// RUN: rope-opt %s -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu,canonicalize,cse)' | FileCheck %s
// RUN: rope-opt %rope_src/examples/qwen3vl_text_rope.mlir -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu,canonicalize,cse)' | FileCheck %s --check-prefix=QWEN
// RUN: rope-opt %s -p 'builtin.module(one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu,test-rope-emulate-gpu-launch)' | FileCheck %s --check-prefix=EMU

// COM: The host guard of convert-rope-to-gpu. Before the launch, every buffer's
// COM: descriptor goes to a private helper (one per rank and element type,
// COM: taking the fully dynamic strided type, so nothing folds its fields to
// COM: what the caller's type claims): offset and static strides as the type
// COM: fixes them (kDynamic: free), innermost stride 1, first element and
// COM: outer strides multiples of 16 bytes for buffers moved as 16-byte
// COM: vectors (of the element size otherwise). The launch sits in an scf.if
// COM: on all of them; the first failing rule of a buffer goes to
// COM: @ropeCudaReportInvalidArgument(argument, rule, dim, value, required).

// CHECK-LABEL: func.func private @__rope_check_buffer_3d_bf16(
// CHECK-SAME: %arg0: memref<?x?x?xbf16, strided<[?, ?, ?], offset: ?>>, %arg1: i32, %arg2: index, %arg3: index, %arg4: index, %arg5: index, %arg6: index) -> i1
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK-DAG: %[[DYN:.*]] = arith.constant -9223372036854775808 : index
// CHECK: %{{.*}}, %[[OFF:.*]], %[[SIZES:.*]]:3, %[[STRIDES:.*]]:3 = memref.extract_strided_metadata %arg0
// CHECK: %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %arg0
// COM: Rule 1: the offset the type fixes.
// CHECK: arith.cmpi ne, %[[OFF]], %arg3 : index
// CHECK: arith.cmpi ne, %arg3, %[[DYN]] : index
// COM: Rule 2: innermost stride 1.
// CHECK: arith.cmpi ne, %[[STRIDES]]#2, %c1 : index
// CHECK: arith.cmpi ugt, %[[SIZES]]#2, %c1 : index
// COM: Rule 3: the strides the type fixes (dims of one element exempt).
// CHECK: arith.cmpi ne, %[[STRIDES]]#0, %arg4 : index
// CHECK: arith.cmpi ne, %[[STRIDES]]#1, %arg5 : index
// COM: Rule 4: first element (aligned pointer + offset * 2 bytes) aligned.
// CHECK: %[[OB:.*]] = arith.muli %[[OFF]], %c2 : index
// CHECK: %[[FIRST:.*]] = arith.addi %[[PTR]], %[[OB]] : index
// CHECK: arith.remui %[[FIRST]], %arg2 : index
// COM: Rule 5: outer strides in bytes aligned.
// CHECK: %[[S0:.*]] = arith.muli %[[STRIDES]]#0, %c2 : index
// CHECK: arith.remsi %[[S0]], %arg2 : index
// CHECK: %[[S1:.*]] = arith.muli %[[STRIDES]]#1, %c2 : index
// CHECK: arith.remsi %[[S1]], %arg2 : index
// COM: Buffers with no element pass.
// CHECK: arith.cmpi eq, %[[SIZES]]#0, %c0 : index
// CHECK: scf.if %[[BAD:.*]] {
// CHECK: func.call @ropeCudaReportInvalidArgument(%arg1, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i32, i32, i32, i64, i64) -> ()
// CHECK: %[[OK:.*]] = arith.xori %[[BAD]], %true : i1
// CHECK: return %[[OK]] : i1

// COM: In place: each buffer checked once; f16 rows moved as 16-byte vectors.
// CHECK-LABEL: func.func @thd_inplace
// CHECK: %[[Q:.*]] = memref.cast %arg0 : memref<?x4x128xf16> to memref<?x?x?xf16, strided<[?, ?, ?], offset: ?>>
// CHECK: %[[OKQ:.*]] = call @__rope_check_buffer_3d_f16(%[[Q]], %c0_i32, %c16, %c0, %c512, %c128, %c1) {no_inline}
// CHECK: %[[K:.*]] = memref.cast %arg1 : memref<?x2x128xf16> to memref<?x?x?xf16, strided<[?, ?, ?], offset: ?>>
// CHECK: %[[OKK:.*]] = call @__rope_check_buffer_3d_f16(%[[K]], %c1_i32, %c16, %c0, %c256, %c128, %c1) {no_inline}
// CHECK: %[[OK2:.*]] = arith.andi %[[OKQ]], %[[OKK]] : i1
// CHECK: %[[P:.*]] = memref.cast %arg2 : memref<1x?xi32> to memref<?x?xi32, strided<[?, ?], offset: ?>>
// CHECK: %[[OKP:.*]] = call @__rope_check_buffer_2d_i32(%[[P]], %c2_i32, %c4, %c0, %[[DYN2:.*]], %c1) {no_inline}
// CHECK: %[[ALL:.*]] = arith.andi %[[OK2]], %[[OKP]] : i1
// CHECK-NOT: call @__rope_check_buffer
// CHECK: scf.if %[[ALL]] {
// CHECK-NEXT: gpu.launch
// CHECK: vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<?x4x128xf16>, vector<8xf16>
// CHECK: gpu.terminator

// COM: head_dim 100 in bf16: rows 200 bytes apart, so every other row is not
// COM: 16-byte aligned: no 16-byte vectors, and the guard asks 2 bytes.
// CHECK-LABEL: func.func @rows_200_bytes
// CHECK: call @__rope_check_buffer_3d_bf16(%{{.*}}, %c0_i32, %c2, %c0, %c400, %c100, %c1) {no_inline}
// CHECK: call @__rope_check_buffer_2d_i64(%{{.*}}, %c1_i32, %c8, %c0, %{{.*}}, %c1) {no_inline}
// CHECK: call @__rope_check_buffer_3d_bf16(%{{.*}}, %c2_i32, %c2, %c0, %c400, %c100, %c1) {no_inline}
// CHECK: scf.if
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c32, {{.*}} = %c4, {{.*}})
// CHECK-NOT: vector<8xbf16>
// CHECK: vector.load %arg0[{{.*}}] {alignment = 2 : i64} : memref<?x4x100xbf16>, vector<1xbf16>
// CHECK-NOT: vector<8xbf16>
// CHECK: gpu.terminator
// CHECK: func.func private @ropeCudaReportInvalidArgument(i32, i32, i32, i64, i64)

// COM: Out of place, bhsd: q, k, positions, q_out, k_out in argument order;
// COM: the type fixes strides 128 and 1 of the 4-D buffers, not the outer two.
// QWEN-LABEL: func.func @qwen3vl_rope
// QWEN: call @__rope_check_buffer_4d_f32(%{{.*}}, %c0_i32, %c16, %c0, %[[DYN:.*]], %[[DYN]], %c128, %c1)
// QWEN: call @__rope_check_buffer_4d_f32(%{{.*}}, %c1_i32, %c16, %c0, %[[DYN]], %[[DYN]], %c128, %c1)
// QWEN: call @__rope_check_buffer_3d_i64(%{{.*}}, %c2_i32, %c8, %c0, %[[DYN]], %[[DYN]], %c1)
// QWEN: call @__rope_check_buffer_4d_f32(%{{.*}}, %c3_i32, %c16, %c0, %[[DYN]], %[[DYN]], %c128, %c1)
// QWEN: call @__rope_check_buffer_4d_f32(%{{.*}}, %c4_i32, %c16, %c0, %[[DYN]], %[[DYN]], %c128, %c1)
// QWEN: scf.if %{{.*}} {
// QWEN-NEXT: gpu.launch

// COM: test-rope-emulate-gpu-launch gives the runtime entry a host body that
// COM: records reports in a public global.
// EMU: memref.global @rope_emulated_gpu_error : memref<6xi64> = dense<0>
// EMU-NOT: gpu.launch
// EMU: func.func private @ropeCudaReportInvalidArgument(%arg0: i32, %arg1: i32, %arg2: i32, %arg3: i64, %arg4: i64) {
// EMU: memref.get_global @rope_emulated_gpu_error : memref<6xi64>

func.func @thd_inplace(%q: memref<?x4x128xf16>, %k: memref<?x2x128xf16>, %pos: memref<1x?xi32>) attributes {llvm.emit_c_interface} {
  %q_t = bufferization.to_tensor %q restrict writable : memref<?x4x128xf16> to tensor<?x4x128xf16>
  %k_t = bufferization.to_tensor %k restrict writable : memref<?x2x128xf16> to tensor<?x2x128xf16>
  %pos_t = bufferization.to_tensor %pos restrict : memref<1x?xi32> to tensor<1x?xi32>
  %r:2 = rope.rotate positions(%pos_t : tensor<1x?xi32>) outs(%q_t, %k_t : tensor<?x4x128xf16>, tensor<?x2x128xf16>) layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 10000.0 -> tensor<?x4x128xf16>, tensor<?x2x128xf16>
  bufferization.materialize_in_destination %r#0 in restrict writable %q : (tensor<?x4x128xf16>, memref<?x4x128xf16>) -> ()
  bufferization.materialize_in_destination %r#1 in restrict writable %k : (tensor<?x2x128xf16>, memref<?x2x128xf16>) -> ()
  return
}

func.func @rows_200_bytes(%q: memref<?x4x100xbf16>, %pos: memref<1x?xi64>, %q_out: memref<?x4x100xbf16>) attributes {llvm.emit_c_interface} {
  %q_t = bufferization.to_tensor %q restrict : memref<?x4x100xbf16> to tensor<?x4x100xbf16>
  %q_o = bufferization.to_tensor %q_out restrict writable : memref<?x4x100xbf16> to tensor<?x4x100xbf16>
  %pos_t = bufferization.to_tensor %pos restrict : memref<1x?xi64> to tensor<1x?xi64>
  %r = rope.rotate ins(%q_t : tensor<?x4x100xbf16>) positions(%pos_t : tensor<1x?xi64>) outs(%q_o : tensor<?x4x100xbf16>) layout = thd pairing = half head_dim = 100 rotary_dim = 64 theta = 10000.0 -> tensor<?x4x100xbf16>
  bufferization.materialize_in_destination %r in restrict writable %q_out : (tensor<?x4x100xbf16>, memref<?x4x100xbf16>) -> ()
  return
}
