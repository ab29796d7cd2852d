// RUN: rope-opt %s -resolve-ranked-shaped-type-result-dims | FileCheck %s

// COM: ReifyRankedShapedTypeOpInterface: a result's dims are its init's, so
// COM: tensor.dim of a rope result folds to tensor.dim of the destination.
// CHECK-LABEL: func @dims
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x?x64xf32>, %{{.*}}: tensor<1x?x?xi64>, %[[O:.*]]: tensor<?x4x?x64xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[B:.*]] = tensor.dim %[[O]], %[[C0]]
// CHECK-DAG: %[[S:.*]] = tensor.dim %[[O]], %[[C2]]
// CHECK: return %[[B]], %[[S]]
func.func @dims(%x: tensor<?x4x?x64xf32>, %pos: tensor<1x?x?xi64>, %o: tensor<?x4x?x64xf32>) -> (index, index) {
  %r = rope.rotate ins(%x : tensor<?x4x?x64xf32>) positions(%pos : tensor<1x?x?xi64>) outs(%o : tensor<?x4x?x64xf32>)
      layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4 -> tensor<?x4x?x64xf32>
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %r, %c0 : tensor<?x4x?x64xf32>
  %s = tensor.dim %r, %c2 : tensor<?x4x?x64xf32>
  return %b, %s : index, index
}
