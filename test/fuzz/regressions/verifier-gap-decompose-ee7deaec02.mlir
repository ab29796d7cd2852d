// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: decompose
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-decompose))"]
// FUZZ-SIGNATURE: verifier-gap|RopeDecompose|'arith.sitofp' op operand #N must be signless-fixed-width-integer-like, but got 'uiN'
// FUZZ-DETAIL: after pass RopeDecompose: in.mlir:2:83: error: 'arith.sitofp' op operand #0 must be signless-fixed-width-integer-like, but got 'ui32' (with --verify-each=false the invocation succeeds) [found by binary: rope-opt-asan]
module {
  func.func @ui32_positions(%arg0: tensor<?x4x64xf16>, %arg1: tensor<1x?xui32>) { rope.rotate positions(%arg1 : tensor<1x?xui32>) outs(%arg0 : tensor<?x4x64xf16>) layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.000000e+04 -> tensor<?x4x64xf16>
    return
  }
}
