// Qwen3-VL text attention rotary embedding (SPEC R3): Interleaved-MRoPE with
// sections [24, 20, 20], theta 5e6, q with 32 heads and k with 8 heads of
// head_dim 128, HF layout [batch, heads, seq, D] with a dynamic sequence.
//
// The entry point is in destination-passing style over memrefs, callable
// through the C interface (_mlir_ciface_qwen3vl_rope) once compiled with
//   rope-opt --rope-cpu-pipeline | mlir-translate --mlir-to-llvmir | clang -shared
func.func @qwen3vl_rope(%q: memref<1x32x?x128xf32>, %k: memref<1x8x?x128xf32>,
                        %pos: memref<3x1x?xi64>,
                        %q_out: memref<1x32x?x128xf32>, %k_out: memref<1x8x?x128xf32>)
    attributes {llvm.emit_c_interface} {
  %qt = bufferization.to_tensor %q restrict : memref<1x32x?x128xf32> to tensor<1x32x?x128xf32>
  %kt = bufferization.to_tensor %k restrict : memref<1x8x?x128xf32> to tensor<1x8x?x128xf32>
  %pt = bufferization.to_tensor %pos restrict : memref<3x1x?xi64> to tensor<3x1x?xi64>
  %qo = bufferization.to_tensor %q_out restrict writable : memref<1x32x?x128xf32> to tensor<1x32x?x128xf32>
  %ko = bufferization.to_tensor %k_out restrict writable : memref<1x8x?x128xf32> to tensor<1x8x?x128xf32>
  %r:2 = rope.rotate ins(%qt, %kt : tensor<1x32x?x128xf32>, tensor<1x8x?x128xf32>)
      positions(%pt : tensor<3x1x?xi64>)
      outs(%qo, %ko : tensor<1x32x?x128xf32>, tensor<1x8x?x128xf32>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6
      axes = <interleaved [24, 20, 20]>
      -> tensor<1x32x?x128xf32>, tensor<1x8x?x128xf32>
  bufferization.materialize_in_destination %r#0 in restrict writable %q_out
      : (tensor<1x32x?x128xf32>, memref<1x32x?x128xf32>) -> ()
  bufferization.materialize_in_destination %r#1 in restrict writable %k_out
      : (tensor<1x8x?x128xf32>, memref<1x8x?x128xf32>) -> ()
  return
}
