// RUN: rope-opt %s -split-input-file -rope-x86-avx512bf16-sum-of-squares | FileCheck %s
// The same rewrites from the public pattern set (Rope/Target/X86/Transforms.h).
// RUN: rope-opt %s -split-input-file -test-rope-patterns='x86-sum-of-squares' | FileCheck %s

// An RMSNorm row of 128 bf16: four vdpbf16ps on the bf16 row itself, 32
// elements each, alternating between two accumulators, then the reduction
// of their sum with the original accumulator and flags.
// CHECK-LABEL: func.func @row_of_128
// CHECK-SAME: %[[X:[a-z0-9]+]]: vector<128xbf16>, %[[ACC:[a-z0-9]+]]: f32
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: %[[C0:.*]] = vector.extract_strided_slice %[[X]] {offsets = [0], sizes = [32], strides = [1]}
// CHECK: %[[A0:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"(%[[Z]], %[[C0]], %[[C0]]) : (vector<16xf32>, vector<32xbf16>, vector<32xbf16>) -> vector<16xf32>
// CHECK: %[[C1:.*]] = vector.extract_strided_slice %[[X]] {offsets = [32]
// CHECK: %[[B0:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"(%[[Z]], %[[C1]], %[[C1]])
// CHECK: %[[C2:.*]] = vector.extract_strided_slice %[[X]] {offsets = [64]
// CHECK: %[[A1:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"(%[[A0]], %[[C2]], %[[C2]])
// CHECK: %[[C3:.*]] = vector.extract_strided_slice %[[X]] {offsets = [96]
// CHECK: %[[B1:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"(%[[B0]], %[[C3]], %[[C3]])
// CHECK: %[[S:.*]] = arith.addf %[[A1]], %[[B1]] : vector<16xf32>
// CHECK: %[[R:.*]] = vector.reduction <add>, %[[S]], %[[ACC]] fastmath<reassoc> : vector<16xf32> into f32
// CHECK: return %[[R]]
func.func @row_of_128(%x: vector<128xbf16>, %acc: f32) -> f32 {
  %w = arith.extf %x : vector<128xbf16> to vector<128xf32>
  %sq = arith.mulf %w, %w : vector<128xf32>
  %s = vector.reduction <add>, %sq, %acc fastmath<reassoc> : vector<128xf32> into f32
  return %s : f32
}

// -----

// 32 elements: one dot product, no accumulator of its own.
// CHECK-LABEL: func.func @row_of_32
// CHECK: %[[D:.*]] = llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.reduction <add>, %[[D]] fastmath<reassoc,nnan> : vector<16xf32> into f32
func.func @row_of_32(%x: vector<32xbf16>) -> f32 {
  %w = arith.extf %x : vector<32xbf16> to vector<32xf32>
  %sq = arith.mulf %w, %w : vector<32xf32>
  %s = vector.reduction <add>, %sq fastmath<reassoc,nnan> : vector<32xf32> into f32
  return %s : f32
}

// -----

// A tile of two heads: each head's row of the square is read from its own
// row of the bf16 tile.
// CHECK-LABEL: func.func @tile_of_two_heads
// CHECK-SAME: %[[X:[a-z0-9]+]]: vector<2x64xbf16>
// CHECK: %[[R1:.*]] = vector.extract %[[X]][1] : vector<64xbf16> from vector<2x64xbf16>
// CHECK: vector.extract_strided_slice %[[R1]] {offsets = [0]
// CHECK: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"
// CHECK: vector.extract_strided_slice %[[R1]] {offsets = [32]
// CHECK: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"
// CHECK: vector.reduction <add>, %{{.*}} fastmath<reassoc> : vector<16xf32> into f32
func.func @tile_of_two_heads(%x: vector<2x64xbf16>) -> f32 {
  %w = arith.extf %x : vector<2x64xbf16> to vector<2x64xf32>
  %sq = arith.mulf %w, %w : vector<2x64xf32>
  %row = vector.extract %sq[1] : vector<64xf32> from vector<2x64xf32>
  %s = vector.reduction <add>, %row fastmath<reassoc> : vector<64xf32> into f32
  return %s : f32
}

// -----

// Left alone: an ordered sum (no reassoc: the order of its additions is
// the program's), a product of two rows (flushing a bf16 denormal factor
// would change it), a row of 48, f16 rows, a product with flags of its
// own, a maximum.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: llvm.call_intrinsic
func.func @left_alone(%x: vector<64xbf16>, %y: vector<64xbf16>, %z: vector<48xbf16>, %h: vector<64xf16>) -> (f32, f32, f32, f32, f32, f32) {
  %w = arith.extf %x : vector<64xbf16> to vector<64xf32>
  %sq = arith.mulf %w, %w : vector<64xf32>
  %ordered = vector.reduction <add>, %sq : vector<64xf32> into f32
  %v = arith.extf %y : vector<64xbf16> to vector<64xf32>
  %xy = arith.mulf %w, %v : vector<64xf32>
  %dot = vector.reduction <add>, %xy fastmath<reassoc> : vector<64xf32> into f32
  %u = arith.extf %z : vector<48xbf16> to vector<48xf32>
  %usq = arith.mulf %u, %u : vector<48xf32>
  %odd = vector.reduction <add>, %usq fastmath<reassoc> : vector<48xf32> into f32
  %hw = arith.extf %h : vector<64xf16> to vector<64xf32>
  %hsq = arith.mulf %hw, %hw : vector<64xf32>
  %half = vector.reduction <add>, %hsq fastmath<reassoc> : vector<64xf32> into f32
  %fsq = arith.mulf %w, %w fastmath<fast> : vector<64xf32>
  %flags = vector.reduction <add>, %fsq fastmath<reassoc> : vector<64xf32> into f32
  %max = vector.reduction <maximumf>, %sq fastmath<reassoc> : vector<64xf32> into f32
  return %ordered, %dot, %odd, %half, %flags, %max : f32, f32, f32, f32, f32, f32
}

// -----

// Left alone: a masked sum (the masked-off lanes are not summed).
// CHECK-LABEL: func.func @masked
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.mask
func.func @masked(%x: vector<32xbf16>, %m: vector<32xi1>, %acc: f32) -> f32 {
  %w = arith.extf %x : vector<32xbf16> to vector<32xf32>
  %sq = arith.mulf %w, %w : vector<32xf32>
  %r = vector.mask %m { vector.reduction <add>, %sq, %acc fastmath<reassoc> : vector<32xf32> into f32 } : vector<32xi1> -> f32
  return %r : f32
}
