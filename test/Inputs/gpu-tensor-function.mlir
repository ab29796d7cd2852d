// A rope op in a function over tensors, as a host compiler's graph has it
// before bufferization (not the ahead-of-time entry form): the GPU pipeline
// bufferizes it and lowers the buffer form (test/Install/consumer.test).
// Input only: no RUN line.
func.func @rotate(%q: tensor<1x16x?x128xbf16>, %pos: tensor<3x1x?xi64>,
                  %out: tensor<1x16x?x128xbf16>) -> tensor<1x16x?x128xbf16> {
  %r = rope.rotate ins(%q : tensor<1x16x?x128xbf16>) positions(%pos : tensor<3x1x?xi64>)
      outs(%out : tensor<1x16x?x128xbf16>)
      layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 5.0e6
      axes = <interleaved [24, 20, 20]> -> tensor<1x16x?x128xbf16>
  return %r : tensor<1x16x?x128xbf16>
}
