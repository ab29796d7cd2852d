// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: gpu-options
// FUZZ-ARGS: ["--rope-gpu-pipeline=chip=sm_100 format=isa"]
// FUZZ-SIGNATURE: crash|llvm-error|PTX version N does not support target 'sm_N'. Minimum required PTX version is N. Either remove the PTX version to use the default, or increase it to at least N.
func.func @vision(%q: memref<?x16x80xf32>, %pos: memref<2x?xi64>, %q_out: memref<?x16x80xf32>) {
  %q_t = bufferization.to_tensor %q restrict : memref<?x16x80xf32> to tensor<?x16x80xf32>
  %q_o = bufferization.to_tensor %q_out restrict writable : memref<?x16x80xf32> to tensor<?x16x80xf32>
  %pos_t = bufferization.to_tensor %pos restrict : memref<2x?xi64> to tensor<2x?xi64>
  %r = rope.rotate ins(%q_t : tensor<?x16x80xf32>) positions(%pos_t : tensor<2x?xi64>) outs(%q_o : tensor<?x16x80xf32>) layout = thd pairing = half head_dim = 80 rotary_dim = 80 theta = 10000.0 axes = <sequential [20, 20] per_axis> -> tensor<?x16x80xf32>
  bufferization.materialize_in_destination %r in restrict writable %q_out : (tensor<?x16x80xf32>, memref<?x16x80xf32>) -> ()
  return
}
