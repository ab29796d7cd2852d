func.func @qwen3vl_text(%q: tensor<1x32x?x128xbf16>, %pos: tensor<3x1x?xi64>,
                        %q0: tensor<1x32x?x128xbf16>) -> tensor<1x32x?x128xbf16> {
  %r = rope.rotate ins(%q : tensor<1x32x?x128xbf16>) positions(%pos : tensor<3x1x?xi64>)
      outs(%q0 : tensor<1x32x?x128xbf16>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6
      axes = <interleaved [24, 20, 20]> -> tensor<1x32x?x128xbf16>
  return %r : tensor<1x32x?x128xbf16>
}
