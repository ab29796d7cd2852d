// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|RopeVectorize|'vector.multi_reduction' op destination type 'vector<NxNxNxfN>' is incompatible with source type 'vector<NxNxNxNxfN>'
// FUZZ-DETAIL: after pass RopeVectorize: in.mlir:7:10: error: 'vector.multi_reduction' op destination type 'vector<1x1x8xf32>' is incompatible with source type 'vector<1x1x8x2xf32>' (with --verify-each=false the invocation fails later: in.mlir:4:8: error: 'builtin.unrealized_conversion_cast' is left after lowering
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d3)>
func.func @reduction_dim_in_output(%x: tensor<2x8x8xf32>, %c: tensor<2xf32>, %o: tensor<2x8x8xf32>) -> tensor<2x8x8xf32> {
  %0 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "reduction", "parallel", "reduction"]} ins(%x, %c : tensor<2x8x8xf32>, tensor<2xf32>) outs(%o : tensor<2x8x8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %1 = arith.mulf %in, %in_1 : f32
    %2 = arith.maximumf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<2x8x8xf32>
  return %0 : tensor<2x8x8xf32>
}
