// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: raise
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-raise{report=true}))"]
// FUZZ-SIGNATURE: crash|viewSourceOf|mlir::rope::raise::viewSource
// FUZZ-DETAIL: SIGSEGV (an expand_shape reassociation index of 2^40, which MLIR's verifier accepts)
// FUZZ-STACK-0: viewSourceOf
// FUZZ-STACK-1: mlir::rope::raise::viewSource
#map = affine_map<(d0, d1, d2) -> (d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
module {
  func.func @llama3_rope_global(%arg0: tensor<2x4x64xf32>, %arg1: tensor<2x64x4xf32>, %arg2: tensor<2x64x1xf32>, %arg3: tensor<2x1x4xf32>, %arg4: tensor<64xf32>) -> tensor<2x4x128xf32> {
    %expanded = tensor.expand_shape %arg4 [[1099511627776, 1, 2]] output_shape [1, 64, 1] : tensor<64xf32> into tensor<1x64x1xf32>
    %collapsed = tensor.collapse_shape %expanded [[0, 1], [2]] : tensor<1x64x1xf32> into tensor<64x1xf32>
    %0 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%collapsed : tensor<64x1xf32>) outs(%arg2 : tensor<2x64x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<2x64x1xf32>
    %1 = linalg.batch_matmul ins(%0, %arg3 : tensor<2x64x1xf32>, tensor<2x1x4xf32>) outs(%arg1 : tensor<2x64x4xf32>) -> tensor<2x64x4xf32>
    %transposed = linalg.transpose ins(%1 : tensor<2x64x4xf32>) outs(%arg0 : tensor<2x4x64xf32>) permutation = [0, 2, 1] 
    %concat = tensor.concat dim(2) %transposed, %transposed : (tensor<2x4x64xf32>, tensor<2x4x64xf32>) -> tensor<2x4x128xf32>
    return %concat : tensor<2x4x128xf32>
  }
}
