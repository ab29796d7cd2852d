// COM: HF apply_rotary_pos_emb as torch-mlir lowers it: slices, a negf
// COM: generic, tensor.concat, cos/sin unsqueezed to [B, 1, S, D] and read
// COM: through constant-0 maps, separate mul/mul/add generics.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
func.func @hf_unfused(%q: tensor<2x4x8x64xf32>, %cos: tensor<2x8x64xf32>, %sin: tensor<2x8x64xf32>) -> tensor<2x4x8x64xf32> {
  %c = tensor.expand_shape %cos [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %s = tensor.expand_shape %sin [[0], [1, 2], [3]] output_shape [2, 1, 8, 64] : tensor<2x8x64xf32> into tensor<2x1x8x64xf32>
  %e = tensor.empty() : tensor<2x4x8x64xf32>
  %qc = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %c : tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 32] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %eh = tensor.empty() : tensor<2x4x8x32xf32>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x2 : tensor<2x4x8x32xf32>) outs(%eh : tensor<2x4x8x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.negf %a : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x32xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x64xf32>
  %rs = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%rot, %s : tensor<2x4x8x64xf32>, tensor<2x1x8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%qc, %rs : tensor<2x4x8x64xf32>, tensor<2x4x8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  return %y : tensor<2x4x8x64xf32>
}
