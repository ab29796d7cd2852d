// The ViT's 2D RoPE (Qwen2-VL, head_dim 80) written with outer products:
// h and w positions [2, T], each axis restarting its spectrum over 40 lanes
// (SPEC R2), freqs = cat(h x inv, w x inv), emb = cat(freqs, freqs).
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tok = affine_map<(d0, d1) -> (d0)>
#inv = affine_map<(d0, d1) -> (d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#tab = affine_map<(d0, d1, d2) -> (d0, d2)>
func.func @vision2d(%x: tensor<64x4x80xf32>, %hw: tensor<2x64xi64>) -> tensor<64x4x80xf32> {
  %inv = arith.constant dense<[1.000000000e+00, 6.309573650e-01, 3.981071711e-01, 2.511886358e-01, 1.584893167e-01, 1.000000015e-01, 6.309573352e-02, 3.981071711e-02, 2.511886507e-02, 1.584893279e-02, 9.999999776e-03, 6.309573539e-03, 3.981071524e-03, 2.511886414e-03, 1.584893209e-03, 1.000000047e-03, 6.309573655e-04, 3.981071641e-04, 2.511886414e-04, 1.584893180e-04]> : tensor<20xf32>
  %pe = tensor.empty() : tensor<2x64xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%hw : tensor<2x64xi64>) outs(%pe : tensor<2x64xf32>) {
  ^bb0(%a: i64, %o: f32):
    %f = arith.sitofp %a : i64 to f32
    linalg.yield %f : f32
  } -> tensor<2x64xf32>
  %ph = tensor.extract_slice %pf[0, 0] [1, 64] [1, 1] : tensor<2x64xf32> to tensor<64xf32>
  %pw = tensor.extract_slice %pf[1, 0] [1, 64] [1, 1] : tensor<2x64xf32> to tensor<64xf32>
  %fe = tensor.empty() : tensor<64x20xf32>
  %fh = linalg.generic {indexing_maps = [#tok, #inv, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%ph, %inv : tensor<64xf32>, tensor<20xf32>) outs(%fe : tensor<64x20xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<64x20xf32>
  %fw = linalg.generic {indexing_maps = [#tok, #inv, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%pw, %inv : tensor<64xf32>, tensor<20xf32>) outs(%fe : tensor<64x20xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<64x20xf32>
  %freqs = tensor.concat dim(1) %fh, %fw : (tensor<64x20xf32>, tensor<64x20xf32>) -> tensor<64x40xf32>
  %emb = tensor.concat dim(1) %freqs, %freqs : (tensor<64x40xf32>, tensor<64x40xf32>) -> tensor<64x80xf32>
  %te = tensor.empty() : tensor<64x80xf32>
  %cos = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%emb : tensor<64x80xf32>) outs(%te : tensor<64x80xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<64x80xf32>
  %sin = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%emb : tensor<64x80xf32>) outs(%te : tensor<64x80xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<64x80xf32>
  %x1 = tensor.extract_slice %x[0, 0, 0] [64, 4, 40] [1, 1, 1] : tensor<64x4x80xf32> to tensor<64x4x40xf32>
  %x2 = tensor.extract_slice %x[0, 0, 40] [64, 4, 40] [1, 1, 1] : tensor<64x4x80xf32> to tensor<64x4x40xf32>
  %n = arith.negf %x2 : tensor<64x4x40xf32>
  %rot = tensor.concat dim(2) %n, %x1 : (tensor<64x4x40xf32>, tensor<64x4x40xf32>) -> tensor<64x4x80xf32>
  %e = tensor.empty() : tensor<64x4x80xf32>
  %y = linalg.generic {indexing_maps = [#id3, #tab, #id3, #tab, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %cos, %rot, %sin : tensor<64x4x80xf32>, tensor<64x80xf32>, tensor<64x4x80xf32>, tensor<64x80xf32>) outs(%e : tensor<64x4x80xf32>) {
  ^bb0(%a: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %u = arith.mulf %a, %c : f32
    %v = arith.mulf %r, %s : f32
    %m = arith.addf %u, %v : f32
    linalg.yield %m : f32
  } -> tensor<64x4x80xf32>
  return %y : tensor<64x4x80xf32>
}
