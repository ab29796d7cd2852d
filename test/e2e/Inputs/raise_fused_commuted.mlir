// Fused mul/mul/add with commuted operands, -1 * x negation, insert_slice
// rotate_half, [B, S, D] tables through projected maps.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @fused_commuted(%q: tensor<1x2x16x128xf32>, %cos: tensor<1x16x128xf32>, %sin: tensor<1x16x128xf32>) -> tensor<1x2x16x128xf32> {
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x128xf32> to tensor<1x2x16x64xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 64] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x128xf32> to tensor<1x2x16x64xf32>
  %eh = tensor.empty() : tensor<1x2x16x64xf32>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x2 : tensor<1x2x16x64xf32>) outs(%eh : tensor<1x2x16x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m1 = arith.constant -1.0 : f32
    %m = arith.mulf %m1, %a : f32
    linalg.yield %m : f32
  } -> tensor<1x2x16x64xf32>
  %e = tensor.empty() : tensor<1x2x16x128xf32>
  %r0 = tensor.insert_slice %x1 into %e[0, 0, 0, 64] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x64xf32> into tensor<1x2x16x128xf32>
  %rot = tensor.insert_slice %n into %r0[0, 0, 0, 0] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x64xf32> into tensor<1x2x16x128xf32>
  %y = linalg.generic {indexing_maps = [#pj, #id, #pj, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sin, %rot, %cos, %q : tensor<1x16x128xf32>, tensor<1x2x16x128xf32>, tensor<1x16x128xf32>, tensor<1x2x16x128xf32>) outs(%e : tensor<1x2x16x128xf32>) {
  ^bb0(%sn: f32, %r: f32, %cs: f32, %x: f32, %o: f32):
    %a = arith.mulf %sn, %r : f32
    %b = arith.mulf %cs, %x : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x2x16x128xf32>
  return %y : tensor<1x2x16x128xf32>
}
