// RUN: rope-opt %s | rope-opt | FileCheck %s
// RUN: rope-opt %s --mlir-print-op-generic | rope-opt | FileCheck %s
// RUN: rope-opt %s -canonicalize | FileCheck %s --check-prefix=EFFECTS

// The buffer form: memref operands of any strided layout, no results, the
// outs written (as linalg ops on memrefs).

// CHECK-LABEL: func.func @rotate_buffers
// CHECK: rope.rotate ins(%{{.*}}, %{{.*}} : memref<2x16x?x64xf32>, memref<2x4x?x64xf32, strided<[?, ?, 64, 1], offset: ?>>) positions(%{{.*}} : memref<1x2x?xi32>) outs(%{{.*}}, %{{.*}} : memref<2x16x?x64xf32>, memref<2x4x?x64xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.000000e+04{{$}}
func.func @rotate_buffers(%q: memref<2x16x?x64xf32>,
                          %k: memref<2x4x?x64xf32, strided<[?, ?, 64, 1], offset: ?>>,
                          %pos: memref<1x2x?xi32>, %qo: memref<2x16x?x64xf32>,
                          %ko: memref<2x4x?x64xf32>) {
  rope.rotate ins(%q, %k : memref<2x16x?x64xf32>, memref<2x4x?x64xf32, strided<[?, ?, 64, 1], offset: ?>>)
      positions(%pos : memref<1x2x?xi32>)
      outs(%qo, %ko : memref<2x16x?x64xf32>, memref<2x4x?x64xf32>)
      layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
  return
}

// CHECK-LABEL: func.func @tables_in_place
// CHECK: rope.rotate_with_tables cos(%{{.*}} : memref<7x32xbf16>) sin(%{{.*}} : memref<7x32xbf16>) outs(%{{.*}} : memref<7x4x64xbf16>) layout = thd pairing = adjacent head_dim = 64 rotary_dim = 64{{$}}
func.func @tables_in_place(%x: memref<7x4x64xbf16>, %c: memref<7x32xbf16>, %s: memref<7x32xbf16>) {
  rope.rotate_with_tables cos(%c : memref<7x32xbf16>) sin(%s : memref<7x32xbf16>)
      outs(%x : memref<7x4x64xbf16>)
      layout = thd pairing = adjacent head_dim = 64 rotary_dim = 64
  return
}

// COM: The buffer form writes its outs: it stays without users. The tensor
// COM: form has no effects: an unused one goes.
// EFFECTS-LABEL: func.func @effects
// EFFECTS-NEXT: rope.rotate ins(%arg0 : memref<5x2x64xf32>)
// EFFECTS-NEXT: return
func.func @effects(%q: memref<5x2x64xf32>, %pos: memref<1x5xi64>, %o: memref<5x2x64xf32>,
                   %qt: tensor<5x2x64xf32>, %pt: tensor<1x5xi64>) {
  rope.rotate ins(%q : memref<5x2x64xf32>) positions(%pos : memref<1x5xi64>)
      outs(%o : memref<5x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4
  %unused = rope.rotate ins(%qt : tensor<5x2x64xf32>) positions(%pt : tensor<1x5xi64>)
      outs(%qt : tensor<5x2x64xf32>)
      layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<5x2x64xf32>
  return
}
