// RUN: rope-opt %s -split-input-file -rope-x86-avx512bf16-truncf | FileCheck %s
// The same rewrites from the public pattern set (Rope/Target/X86/Transforms.h).
// RUN: rope-opt %s -split-input-file -test-rope-patterns='x86-truncf' | FileCheck %s

// COM: 64 values: two packed conversions of 32; the second source (lanes
// COM: 0-15 of each pair) fills the low half of the result.
// CHECK-LABEL: func.func @row
// CHECK-SAME: (%[[X:.*]]: vector<64xf32>)
// CHECK: %[[L0:.*]] = vector.extract_strided_slice %[[X]] {offsets = [0], sizes = [16], strides = [1]}
// CHECK: %[[H0:.*]] = vector.extract_strided_slice %[[X]] {offsets = [16], sizes = [16], strides = [1]}
// CHECK: %[[P0:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"(%[[H0]], %[[L0]]) : (vector<16xf32>, vector<16xf32>) -> vector<32xbf16>
// CHECK: %[[R0:.*]] = vector.insert_strided_slice %[[P0]], %{{.*}} {offsets = [0], strides = [1]} : vector<32xbf16> into vector<64xbf16>
// CHECK: %[[L1:.*]] = vector.extract_strided_slice %[[X]] {offsets = [32], sizes = [16], strides = [1]}
// CHECK: %[[H1:.*]] = vector.extract_strided_slice %[[X]] {offsets = [48], sizes = [16], strides = [1]}
// CHECK: %[[P1:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"(%[[H1]], %[[L1]])
// CHECK: %[[R1:.*]] = vector.insert_strided_slice %[[P1]], %[[R0]] {offsets = [32], strides = [1]} : vector<32xbf16> into vector<64xbf16>
// CHECK-NOT: arith.truncf
// CHECK: return %[[R1]]
func.func @row(%x: vector<64xf32>) -> vector<64xbf16> {
  %y = arith.truncf %x : vector<64xf32> to vector<64xbf16>
  return %y : vector<64xbf16>
}

// -----

// COM: n-D vectors go row by row.
// CHECK-LABEL: func.func @rows
// CHECK: vector.extract %{{.*}}[0] : vector<32xf32> from vector<2x32xf32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"
// CHECK: vector.insert %{{.*}}, %{{.*}} [0] : vector<32xbf16> into vector<2x32xbf16>
// CHECK: vector.extract %{{.*}}[1] : vector<32xf32> from vector<2x32xf32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512bf16.cvtne2ps2bf16.512"
// CHECK: vector.insert %{{.*}}, %{{.*}} [1] : vector<32xbf16> into vector<2x32xbf16>
// CHECK-NOT: arith.truncf
func.func @rows(%x: vector<2x32xf32>) -> vector<2x32xbf16> {
  %y = arith.truncf %x : vector<2x32xf32> to vector<2x32xbf16>
  return %y : vector<2x32xbf16>
}

// -----

// COM: Left alone: a size that is not a multiple of 32, another rounding
// COM: mode, f16, fast-math flags, scalars, 0-D and scalable vectors.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: llvm.call_intrinsic
// CHECK-COUNT-7: arith.truncf
func.func @left_alone(%a: vector<40xf32>, %b: vector<32xf32>, %c: f32, %d: vector<f32>, %e: vector<[32]xf32>) -> (vector<40xbf16>, vector<32xbf16>, vector<32xf16>, vector<32xbf16>, bf16, vector<bf16>, vector<[32]xbf16>) {
  %0 = arith.truncf %a : vector<40xf32> to vector<40xbf16>
  %1 = arith.truncf %b toward_zero : vector<32xf32> to vector<32xbf16>
  %2 = arith.truncf %b : vector<32xf32> to vector<32xf16>
  %3 = arith.truncf %b fastmath<afn> : vector<32xf32> to vector<32xbf16>
  %4 = arith.truncf %c : f32 to bf16
  %5 = arith.truncf %d : vector<f32> to vector<bf16>
  %6 = arith.truncf %e : vector<[32]xf32> to vector<[32]xbf16>
  return %0, %1, %2, %3, %4, %5, %6 : vector<40xbf16>, vector<32xbf16>, vector<32xf16>, vector<32xbf16>, bf16, vector<bf16>, vector<[32]xbf16>
}
