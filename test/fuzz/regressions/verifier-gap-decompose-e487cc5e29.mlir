// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: decompose
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-decompose))"]
// FUZZ-SIGNATURE: verifier-gap|RopeDecompose|'tensor.expand_shape' op expected dimension N of collapsed type to be static value of N
// FUZZ-DETAIL: after pass RopeDecompose: in.mlir:2:87: error: 'tensor.expand_shape' op expected dimension 3 of collapsed type to be static value of 64 (with --verify-each=false the invocation succeeds) [found by binary: rope-opt-asan]
module {
  func.func @dynamic_head_dim(%arg0: tensor<2x4x?x?xf32>, %arg1: tensor<1x2x?xi64>) { rope.rotate positions(%arg1 : tensor<1x2x?xi64>) outs(%arg0 : tensor<2x4x?x?xf32>) layout = bhsd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.000000e+04 -> tensor<2x4x?x?xf32>
    return
  }
}
