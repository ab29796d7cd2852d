// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: ubsan|lib/Rope/Transforms/Vectorize.cpp:302|signed integer overflow: N * N cannot be represented in type 'long int'
// FUZZ-DETAIL: /work/main/lib/Rope/Transforms/Vectorize.cpp:302:35: runtime error: signed integer overflow: 9223372036854775807 * 128 cannot be represented in type 'long int'
// FUZZ-STACK-0: runOnOperation /work/main/lib/Rope/Transforms/Vectorize.cpp:302
// FUZZ-STACK-1: mlir::detail::OpToOpPassAdaptor::run
// FUZZ-STACK-2: mlir::detail::OpToOpPassAdaptor::runPipeline
// FUZZ-STACK-3: mlir::detail::OpToOpPassAdaptor::runOnOperationImpl
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
module {
  func.func @rank_reduced_inserts(%arg0: tensor<1x128xf32>, %arg1: tensor<1x9223372036854775807x1x128xf32>) -> tensor<1x9223372036854775807x1x128xf32> {
    %0 = tensor.empty() : tensor<1x9223372036854775807x1x128xf32>
    %1 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg1, %arg0 : tensor<1x9223372036854775807x1x128xf32>, tensor<1x128xf32>) outs(%0 : tensor<1x9223372036854775807x1x128xf32>) {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %2 = arith.mulf %in, %in_0 : f32
      linalg.yield %2 : f32
    } -> tensor<1x9223372036854775807x1x128xf32>
    return %1 : tensor<1x9223372036854775807x1x128xf32>
  }
}
