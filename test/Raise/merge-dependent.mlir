// RUN: rope-opt %s -p 'builtin.module(func.func(rope-raise))' | FileCheck %s
// RUN: rope-opt %s -p 'builtin.module(func.func(rope-raise),func.func(rope-raise))' | FileCheck %s

// COM: A rotation of an existing rope.rotate's result by the same positions
// COM: (found by a new user running the pass on its own output): the two
// COM: are not merged into one op that would read its own result.
// CHECK-LABEL: func.func @rotate_a_rotation
// CHECK: %[[R1:.*]] = rope.rotate ins(%arg0 : tensor<1x2x4x16xf32>) positions(%[[P:.*]] : tensor<1x1x4xi64>)
// CHECK: %[[R2:.*]] = rope.rotate ins(%[[R1]] : tensor<1x2x4x16xf32>) positions(%[[P]] : tensor<1x1x4xi64>)
// CHECK: return %[[R2]]
#map = affine_map<(d0, d1, d2) -> (d0, d1)>
#map1 = affine_map<(d0, d1, d2) -> (d2)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
module {
  func.func @rotate_a_rotation(%arg0: tensor<1x2x4x16xf32>, %arg1: tensor<1x4xi64>) -> (tensor<1x2x4x16xf32>, tensor<1x4x16xf32>) {
    %cst = arith.constant dense<[1.000000e+00, 0.316227764, 1.000000e-01, 0.0316227749, 0.00999999977, 0.00316227763, 1.000000e-03, 3.16227757E-4]> : tensor<8xf32>
    %0 = tensor.empty() : tensor<1x4x8xf32>
    %1 = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1, %cst : tensor<1x4xi64>, tensor<8xf32>) outs(%0 : tensor<1x4x8xf32>) {
    ^bb0(%in: i64, %in_3: f32, %out: f32):
      %10 = arith.sitofp %in : i64 to f32
      %11 = arith.mulf %10, %in_3 : f32
      linalg.yield %11 : f32
    } -> tensor<1x4x8xf32>
    %concat = tensor.concat dim(2) %1, %1 : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x16xf32>
    %2 = math.cos %concat : tensor<1x4x16xf32>
    %3 = math.sin %concat : tensor<1x4x16xf32>
    %4 = tensor.empty() : tensor<1x2x4x16xf32>
    %broadcasted = linalg.broadcast ins(%2 : tensor<1x4x16xf32>) outs(%4 : tensor<1x2x4x16xf32>) dimensions = [1] 
    %broadcasted_0 = linalg.broadcast ins(%3 : tensor<1x4x16xf32>) outs(%4 : tensor<1x2x4x16xf32>) dimensions = [1] 
    %expanded = tensor.expand_shape %arg1 [[0, 1], [2]] output_shape [1, 1, 4] : tensor<1x4xi64> into tensor<1x1x4xi64>
    %5 = rope.rotate ins(%arg0 : tensor<1x2x4x16xf32>) positions(%expanded : tensor<1x1x4xi64>) outs(%4 : tensor<1x2x4x16xf32>) layout = bhsd pairing = half head_dim = 16 rotary_dim = 16 theta = 1.000000e+04 -> tensor<1x2x4x16xf32>
    %extracted_slice = tensor.extract_slice %5[0, 0, 0, 0] [1, 2, 4, 8] [1, 1, 1, 1] : tensor<1x2x4x16xf32> to tensor<1x2x4x8xf32>
    %extracted_slice_1 = tensor.extract_slice %5[0, 0, 0, 8] [1, 2, 4, 8] [1, 1, 1, 1] : tensor<1x2x4x16xf32> to tensor<1x2x4x8xf32>
    %6 = arith.negf %extracted_slice_1 : tensor<1x2x4x8xf32>
    %concat_2 = tensor.concat dim(3) %6, %extracted_slice : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x16xf32>
    %7 = arith.mulf %5, %broadcasted : tensor<1x2x4x16xf32>
    %8 = arith.mulf %concat_2, %broadcasted_0 : tensor<1x2x4x16xf32>
    %9 = arith.addf %7, %8 : tensor<1x2x4x16xf32>
    return %9, %2 : tensor<1x2x4x16xf32>, tensor<1x4x16xf32>
  }
}

