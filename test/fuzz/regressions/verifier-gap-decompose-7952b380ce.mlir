// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: decompose
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-decompose))"]
// FUZZ-SIGNATURE: verifier-gap|RopeDecompose|offset N is out-of-bounds: N >= N
// FUZZ-DETAIL: after pass RopeDecompose: in.mlir:3:10: error: offset 1 is out-of-bounds: 0 >= 0 (with --verify-each=false the invocation succeeds) [found by binary: rope-opt-asan]
module {
  func.func @concat_rows_are_text(%arg0: tensor<8x0x128xf32>, %arg1: tensor<3x8xi32>) -> tensor<8x0x128xf32> {
    %0 = rope.rotate positions(%arg1 : tensor<3x8xi32>) outs(%arg0 : tensor<8x0x128xf32>) layout = thd pairing = half head_dim = 128 rotary_dim = 128 theta = 1.000000e+06 axes = <sequential [16, 24, 24]> -> tensor<8x0x128xf32>
    return %0 : tensor<8x0x128xf32>
  }
}
