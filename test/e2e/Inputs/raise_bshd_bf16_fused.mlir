// COM: [B, S, H, D] (before HF's transpose): tables broadcast over dim 2.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
func.func @bshd_bf16_casts(%q: tensor<1x8x2x64xbf16>, %cos: tensor<1x8x1x64xbf16>, %sin: tensor<1x8x1x64xbf16>) -> tensor<1x8x2x64xbf16> {
  %q1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 8, 2, 32] [1, 1, 1, 1] : tensor<1x8x2x64xbf16> to tensor<1x8x2x32xbf16>
  %q2 = tensor.extract_slice %q[0, 0, 0, 32] [1, 8, 2, 32] [1, 1, 1, 1] : tensor<1x8x2x64xbf16> to tensor<1x8x2x32xbf16>
  %eh = tensor.empty() : tensor<1x8x2x32xbf16>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q2 : tensor<1x8x2x32xbf16>) outs(%eh : tensor<1x8x2x32xbf16>) {
  ^bb0(%a: bf16, %o: bf16):
    %m = arith.negf %a : bf16
    linalg.yield %m : bf16
  } -> tensor<1x8x2x32xbf16>
  %rot = tensor.concat dim(3) %n, %q1 : (tensor<1x8x2x32xbf16>, tensor<1x8x2x32xbf16>) -> tensor<1x8x2x64xbf16>
  %e = tensor.empty() : tensor<1x8x2x64xbf16>
  %y = linalg.generic {indexing_maps = [#id, #bc, #id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<1x8x2x64xbf16>, tensor<1x8x1x64xbf16>, tensor<1x8x2x64xbf16>, tensor<1x8x1x64xbf16>) outs(%e : tensor<1x8x2x64xbf16>) {
  ^bb0(%x: bf16, %c: bf16, %r: bf16, %s: bf16, %o: bf16):
    %xf = arith.extf %x : bf16 to f32
    %cf = arith.extf %c : bf16 to f32
    %rf = arith.extf %r : bf16 to f32
    %sf = arith.extf %s : bf16 to f32
    %a = arith.mulf %xf, %cf : f32
    %b = arith.mulf %rf, %sf : f32
    %m = arith.addf %a, %b : f32
    %t = arith.truncf %m : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<1x8x2x64xbf16>
  return %y : tensor<1x8x2x64xbf16>
}
