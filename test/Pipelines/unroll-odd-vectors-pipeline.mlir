// RUN: rope-opt %s --rope-cpu-pipeline | FileCheck %s
// RUN: rope-opt %s --rope-cpu-pipeline="threads=true" | FileCheck %s

// ViT's head_dim 80 (40 pairs): after --rope-cpu-pipeline no 40-lane f32 or
// f64 vector is left for LLVM, which would pass one between blocks as 40
// scalars. (A constant 40-lane i1 mask stays; mlir-translate folds it.)
// CHECK-LABEL: llvm.func @vision
// CHECK-NOT: vector<40xf
// CHECK: llvm.intr.fma({{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK-NOT: vector<40xf
func.func @vision(%q: memref<?x16x80xf32>, %pos: memref<2x?xi64>, %q_out: memref<?x16x80xf32>) {
  %q_t = bufferization.to_tensor %q restrict : memref<?x16x80xf32> to tensor<?x16x80xf32>
  %q_o = bufferization.to_tensor %q_out restrict writable : memref<?x16x80xf32> to tensor<?x16x80xf32>
  %pos_t = bufferization.to_tensor %pos restrict : memref<2x?xi64> to tensor<2x?xi64>
  %r = rope.rotate ins(%q_t : tensor<?x16x80xf32>) positions(%pos_t : tensor<2x?xi64>) outs(%q_o : tensor<?x16x80xf32>) layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 10000.0 axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xf32>
  bufferization.materialize_in_destination %r in restrict writable %q_out : (tensor<?x16x80xf32>, memref<?x16x80xf32>) -> ()
  return
}
