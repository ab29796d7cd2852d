// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|ConvertMathToLLVMPass|'llvm.intr.sincos' op operand #N must be floating point LLVM type or LLVM dialect-compatible vector of floating point LLVM type, but got '!llvm.array<N x array<
// FUZZ-DETAIL: after pass ConvertMathToLLVMPass: in.mlir:8:12: error: 'llvm.intr.sincos' op operand #0 must be floating point LLVM type or LLVM dialect-compatible vector of floating point LLVM type, but got '!llvm.array<2 x array<8 x vector<8xf64>>>' (with --verify-each=false the invocation succeeds) [found by bin
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
module {
  func.func @f64(%arg0: tensor<2x4x8x8xf64>, %arg1: tensor<2x4x8x8xf64>, %arg2: tensor<2x4x8x8xf64>, %arg3: tensor<2x8x8xf64>, %arg4: tensor<2x8x8xf64>) -> tensor<2x4x8x8xf64> {
    %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg4 : tensor<2x8x8xf64>) outs(%arg3 : tensor<2x8x8xf64>) {
    ^bb0(%in: f64, %out: f64):
      %3 = math.cos %in : f64
      linalg.yield %3 : f64
    } -> tensor<2x8x8xf64>
    %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg4 : tensor<2x8x8xf64>) outs(%arg3 : tensor<2x8x8xf64>) {
    ^bb0(%in: f64, %out: f64):
      %3 = math.sin %in : f64
      linalg.yield %3 : f64
    } -> tensor<2x8x8xf64>
    %2 = linalg.generic {indexing_maps = [#map1, #map2, #map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %0, %arg2, %1 : tensor<2x4x8x8xf64>, tensor<2x8x8xf64>, tensor<2x4x8x8xf64>, tensor<2x8x8xf64>) outs(%arg1 : tensor<2x4x8x8xf64>) {
    ^bb0(%in: f64, %in_0: f64, %in_1: f64, %in_2: f64, %out: f64):
      %3 = arith.mulf %in, %in_0 : f64
      %4 = arith.mulf %in_1, %in_2 : f64
      %5 = arith.addf %3, %4 : f64
      linalg.yield %5 : f64
    } -> tensor<2x4x8x8xf64>
    return %2 : tensor<2x4x8x8xf64>
  }
}
