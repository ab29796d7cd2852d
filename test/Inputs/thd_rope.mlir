// Qwen3-VL rotations in vLLM's layout (thd), f32 and bf16, out of place:
// inputs for the CPU pipeline's streaming-store tests.
func.func @thd_f32(%q: memref<?x4x128xf32>, %k: memref<?x2x128xf32>, %pos: memref<3x?xi64>, %q_out: memref<?x4x128xf32>, %k_out: memref<?x2x128xf32>) attributes {llvm.emit_c_interface} {
  %q_t = bufferization.to_tensor %q restrict : memref<?x4x128xf32> to tensor<?x4x128xf32>
  %q_o = bufferization.to_tensor %q_out restrict writable : memref<?x4x128xf32> to tensor<?x4x128xf32>
  %k_t = bufferization.to_tensor %k restrict : memref<?x2x128xf32> to tensor<?x2x128xf32>
  %k_o = bufferization.to_tensor %k_out restrict writable : memref<?x2x128xf32> to tensor<?x2x128xf32>
  %pos_t = bufferization.to_tensor %pos restrict : memref<3x?xi64> to tensor<3x?xi64>
  %r:2 = rope.rotate ins(%q_t, %k_t : tensor<?x4x128xf32>, tensor<?x2x128xf32>) positions(%pos_t : tensor<3x?xi64>) outs(%q_o, %k_o : tensor<?x4x128xf32>, tensor<?x2x128xf32>) layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 5000000.0 axes = <interleaved [24, 20, 20]> -> tensor<?x4x128xf32>, tensor<?x2x128xf32>
  bufferization.materialize_in_destination %r#0 in restrict writable %q_out : (tensor<?x4x128xf32>, memref<?x4x128xf32>) -> ()
  bufferization.materialize_in_destination %r#1 in restrict writable %k_out : (tensor<?x2x128xf32>, memref<?x2x128xf32>) -> ()
  return
}

func.func @thd_bf16(%q: memref<?x4x128xbf16>, %k: memref<?x2x128xbf16>, %pos: memref<3x?xi64>, %q_out: memref<?x4x128xbf16>, %k_out: memref<?x2x128xbf16>) attributes {llvm.emit_c_interface} {
  %q_t = bufferization.to_tensor %q restrict : memref<?x4x128xbf16> to tensor<?x4x128xbf16>
  %q_o = bufferization.to_tensor %q_out restrict writable : memref<?x4x128xbf16> to tensor<?x4x128xbf16>
  %k_t = bufferization.to_tensor %k restrict : memref<?x2x128xbf16> to tensor<?x2x128xbf16>
  %k_o = bufferization.to_tensor %k_out restrict writable : memref<?x2x128xbf16> to tensor<?x2x128xbf16>
  %pos_t = bufferization.to_tensor %pos restrict : memref<3x?xi64> to tensor<3x?xi64>
  %r:2 = rope.rotate ins(%q_t, %k_t : tensor<?x4x128xbf16>, tensor<?x2x128xbf16>) positions(%pos_t : tensor<3x?xi64>) outs(%q_o, %k_o : tensor<?x4x128xbf16>, tensor<?x2x128xbf16>) layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 5000000.0 axes = <interleaved [24, 20, 20]> -> tensor<?x4x128xbf16>, tensor<?x2x128xbf16>
  bufferization.materialize_in_destination %r#0 in restrict writable %q_out : (tensor<?x4x128xbf16>, memref<?x4x128xbf16>) -> ()
  bufferization.materialize_in_destination %r#1 in restrict writable %k_out : (tensor<?x2x128xbf16>, memref<?x2x128xbf16>) -> ()
  return
}
