// FUZZ-KIND: round-trip
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: raise
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-raise{report=true}))"]
// FUZZ-SIGNATURE: round-trip|raise output|expected floating point literal
// FUZZ-DETAIL: output of raise does not parse: out.mlir:3:254: error: expected floating point literal [found by binary: rope-opt-asan]
func.func @infinite_beta(%x: tensor<2x4x8x128xf32>, %pos: tensor<1x2x8xi64>) { rope.rotate positions(%pos : tensor<1x2x8xi64>) outs(%x : tensor<2x4x8x128xf32>) layout = bhsd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.0e4 scaling = #rope.yarn<factor = 4.0, original_max_position = 4096, beta_fast = 0x7FF0000000000000> -> tensor<2x4x8x128xf32>
  return
}
