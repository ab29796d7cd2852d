// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu-options
// FUZZ-ARGS: ["--rope-cpu-pipeline=tile-size=5"]
// FUZZ-SIGNATURE: verifier-gap|Canonicalizer|'linalg.generic' op inferred input/output operand #N has shape's dimension #N to be N, but found N
// FUZZ-DETAIL: after pass Canonicalizer: in.mlir:2:8: error: 'linalg.generic' op inferred input/output operand #2 has shape's dimension #0 to be 2, but found 1 (with --verify-each=false the invocation succeeds) [found by binary: rope-opt-release]
func.func @tile_past_tokens(%x: tensor<1x2x4x16xf32>, %pos: tensor<1x1x4xi64>, %o: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  %0 = rope.rotate ins(%x : tensor<1x2x4x16xf32>) positions(%pos : tensor<1x1x4xi64>) outs(%o : tensor<1x2x4x16xf32>) layout = bhsd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.0e4 -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}
