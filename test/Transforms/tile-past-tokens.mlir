// RUN: rope-opt %s -p "builtin.module(func.func(rope-tile-tokens{tile-size=1024 parallel=true}))" | FileCheck %s --check-prefix=TILE

// A tile past a static token count (16 here) is the count (found by the
// fuzzer): the tile size used to fold only after decomposition, and upstream's
// extract_slice folding then re-inferred the pair-lane slices' types (q's
// single head, batch 1) dropping the wrong unit dim, leaving an invalid
// linalg.generic (issue 17).
// TILE: tensor.extract_slice {{.*}} [1, 1, 16, 16] [1, 1, 1, 1] : tensor<1x1x16x16xf32> to tensor<1x1x16x16xf32>
func.func @q1_k2(%q: tensor<1x1x16x16xf32>, %k: tensor<1x2x16x16xf32>, %pos: tensor<1x1x16xi64>,
                 %qo: tensor<1x1x16x16xf32>, %ko: tensor<1x2x16x16xf32>) -> (tensor<1x1x16x16xf32>, tensor<1x2x16x16xf32>) {
  %r:2 = rope.rotate ins(%q, %k : tensor<1x1x16x16xf32>, tensor<1x2x16x16xf32>) positions(%pos : tensor<1x1x16xi64>) outs(%qo, %ko : tensor<1x1x16x16xf32>, tensor<1x2x16x16xf32>) layout = bhsd pairing = half head_dim = 16 rotary_dim = 8 theta = 1.5 scaling = #rope.linear<factor = 0.5> -> tensor<1x1x16x16xf32>, tensor<1x2x16x16xf32>
  return %r#0, %r#1 : tensor<1x1x16x16xf32>, tensor<1x2x16x16xf32>
}
