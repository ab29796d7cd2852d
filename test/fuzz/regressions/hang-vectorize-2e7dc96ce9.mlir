// FUZZ-KIND: hang
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: vectorize
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-decompose,canonicalize,rope-codegen-vectorize,canonicalize,cse))"]
// FUZZ-SIGNATURE: hang|parse?
// FUZZ-DETAIL: no exit within the timeout; no pass named
#map = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map3 = affine_map<(d0) -> (d0)>
#map4 = affine_map<(d0, d1) -> (0, d1)>
#map5 = affine_map<(d0, d1) -> (d0, 0)>
#map6 = affine_map<(d0, d1) -> (d0, d1)>
#map7 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#map8 = affine_map<(d0, d1, d2) -> (d2)>
#map9 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#map10 = affine_map<(d0, d1, d2, d3) -> (d3)>
#map11 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#map12 = affine_map<(d0, d1, d2, d3, d4) -> (0, d1, d3, d4)>
#map13 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map14 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
func.func @qwen3vl_text_decoder_layer_large(%arg0: tensor<512x512xf32>, %arg1: tensor<128x512xf32>, %arg2: tensor<128x512xf32>, %arg3: tensor<512x512xf32>, %arg4: tensor<64xf32>, %arg5: tensor<64xf32>, %arg6: tensor<1024x512xf32>, %arg7: tensor<1024x512xf32>, %arg8: tensor<512x1024xf32>, %arg9: tensor<512xf32>, %arg10: tensor<512xf32>, %arg11: tensor<1x256x512xf32>, %arg12: tensor<3x1x256xi64>) -> tensor<1x256x512xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant -3.40282347E+38 : f32
  %c2_i64 = arith.constant 2 : i64
  %cst_1 = arith.constant 5.120000e+02 : f32
  %cst_2 = arith.constant 1.000000e-06 : f32
  %cst_3 = arith.constant 6.400000e+01 : f32
  %cst_4 = arith.constant 1.250000e-01 : f32
  %c0_i64 = arith.constant 0 : i64
  %cst_5 = arith.constant 0xFF800000 : f32
  %cst_6 = arith.constant 1.000000e+00 : f32
  %0 = arith.constant dense<[1.000000000e+00, 6.175287366e-01, 3.813417554e-01, 2.354895025e-01, 1.454215497e-01, 8.980198205e-02, 5.545530841e-02, 3.424524888e-02, 2.114742622e-02, 1.305914391e-02, 8.064396679e-03, 4.979996942e-03, 3.075291170e-03, 1.899080700e-03, 1.172736986e-03, 7.241988205e-04, 4.472136206e-04, 2.761672658e-04, 1.705412142e-04, 1.053141023e-04, 6.503448822e-05, 4.016066669e-05, 2.480036710e-05, 1.531494127e-05, 9.457416127e-06, 5.840226549e-06, 3.606507789e-06, 2.227122195e-06, 1.375312081e-06, 8.492947927e-07, 5.244639283e-07, 3.238715465e-07]> : tensor<32xf32>
  %1 = tensor.expand_shape %0 [[0, 1, 2]] output_shape [1, 32, 1] : tensor<32xf32> into tensor<1x32x1xf32>
  %2 = tensor.empty() : tensor<3x1x32x1xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<1x32x1xf32>) outs(%2 : tensor<3x1x32x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<3x1x32x1xf32>
  %4 = tensor.expand_shape %arg12 [[0], [1, 2], [3]] output_shape [3, 1, 1, 256] : tensor<3x1x256xi64> into tensor<3x1x1x256xi64>
  %5 = tensor.empty() : tensor<3x1x1x256xf32>
  %6 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%4 : tensor<3x1x1x256xi64>) outs(%5 : tensor<3x1x1x256xf32>) {
  ^bb0(%in: i64, %out: f32):
    %7 = arith.sitofp %in : i64 to f32
    linalg.yield %7 : f32
  } -> tensor<3x1x1x256xf32>
  %8 = tensor.collapse_shape %3 [[0, 1], [2], [3]] : tensor<3x1x32x1xf32> into tensor<3x32x1xf32>
  %9 = tensor.collapse_shape %6 [[0, 1], [2], [3]] : tensor<3x1x1x256xf32> into tensor<3x1x256xf32>
  %10 = tensor.empty() : tensor<3x32x256xf32>
  %11 = linalg.fill ins(%cst : f32) outs(%10 : tensor<3x32x256xf32>) -> tensor<3x32x256xf32>
  %12 = linalg.batch_matmul ins(%8, %9 : tensor<3x32x1xf32>, tensor<3x1x256xf32>) outs(%11 : tensor<3x32x256xf32>) -> tensor<3x32x256xf32>
  %13 = tensor.expand_shape %12 [[0, 1], [2], [3]] output_shape [3, 1, 32, 256] : tensor<3x32x256xf32> into tensor<3x1x32x256xf32>
  %14 = tensor.empty() : tensor<3x1x256x32xf32>
  %15 = linalg.transpose ins(%13 : tensor<3x1x32x256xf32>) outs(%14 : tensor<3x1x256x32xf32>) permutation = [0, 1, 3, 2]
  %16 = tensor.extract_slice %15[0, 0, 0, 0] [1, 1, 256, 32] [1, 1, 1, 1] : tensor<3x1x256x32xf32> to tensor<1x256x32xf32>
  %17 = tensor.extract_slice %15[1, 0, 0, 1] [1, 1, 256, 10] [1, 1, 1, 3] : tensor<3x1x256x32xf32> to tensor<1x256x10xf32>
  %18 = tensor.insert_slice %17 into %16[0, 0, 1] [1, 256, 10] [1, 1, 3] : tensor<1x256x10xf32> into tensor<1x256x32xf32>
  %19 = tensor.extract_slice %15[2, 0, 0, 2] [1, 1, 256, 10] [1, 1, 1, 3] : tensor<3x1x256x32xf32> to tensor<1x256x10xf32>
  %20 = tensor.insert_slice %19 into %18[0, 0, 2] [1, 256, 10] [1, 1, 3] : tensor<1x256x10xf32> into tensor<1x256x32xf32>
  %21 = tensor.concat dim(2) %20, %20 : (tensor<1x256x32xf32>, tensor<1x256x32xf32>) -> tensor<1x256x64xf32>
  %22 = tensor.empty() : tensor<1x256x64xf32>
  %23 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%21 : tensor<1x256x64xf32>) outs(%22 : tensor<1x256x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %24 = math.cos %in : f32
    linalg.yield %24 : f32
  } -> tensor<1x256x64xf32>
  %25 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%21 : tensor<1x256x64xf32>) outs(%22 : tensor<1x256x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %26 = math.sin %in : f32
    linalg.yield %26 : f32
  } -> tensor<1x256x64xf32>
  %27 = tensor.empty() : tensor<256xi64>
  %28 = linalg.generic {indexing_maps = [#map3], iterator_types = ["parallel"]} outs(%27 : tensor<256xi64>) {
  ^bb0(%out: i64):
    %29 = linalg.index 0 : index
    %30 = arith.index_cast %29 : index to i64
    linalg.yield %30 : i64
  } -> tensor<256xi64>
  %31 = tensor.expand_shape %28 [[0, 1]] output_shape [1, 256] : tensor<256xi64> into tensor<1x256xi64>
  %32 = tensor.expand_shape %28 [[0, 1]] output_shape [256, 1] : tensor<256xi64> into tensor<256x1xi64>
  %33 = tensor.empty() : tensor<256x256xi1>
  %34 = linalg.generic {indexing_maps = [#map4, #map5, #map6], iterator_types = ["parallel", "parallel"]} ins(%31, %32 : tensor<1x256xi64>, tensor<256x1xi64>) outs(%33 : tensor<256x256xi1>) {
  ^bb0(%in: i64, %in_0: i64, %out: i1):
    %35 = arith.cmpi sle, %in, %in_0 : i64
    linalg.yield %35 : i1
  } -> tensor<256x256xi1>
  %36 = tensor.expand_shape %34 [[0, 1, 2], [3]] output_shape [1, 1, 65535, 256] : tensor<256x256xi1> into tensor<1x1x256x256xi1>
  %37 = tensor.empty() : tensor<1x1x256x256xf32>
  %38 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%36 : tensor<1x1x256x256xi1>) outs(%37 : tensor<1x1x256x256xf32>) {
  ^bb0(%in: i1, %out: f32):
    %39 = arith.select %in, %cst, %cst_0 : f32
    linalg.yield %39 : f32
  } -> tensor<1x1x256x256xf32>
  %40 = tensor.empty() : tensor<1x256x512xf32>
  %41 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11 : tensor<1x256x512xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %42 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %42 : f32
  } -> tensor<1x256x512xf32>
  %43 = tensor.empty() : tensor<1x256x4611686018427387904xf32>
  %44 = linalg.fill ins(%cst : f32) outs(%43 : tensor<1x256x4611686018427387904xf32>) -> tensor<1x256x4611686018427387904xf32>
  %45 = linalg.generic {indexing_maps = [#map2, #map7], iterator_types = ["parallel", "parallel", "reduction"]} ins(%41 : tensor<1x256x512xf32>) outs(%44 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %46 = arith.addf %in, %out : f32
    linalg.yield %46 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %47 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%45 : tensor<1x256x4611686018427387904xf32>) outs(%43 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %48 = arith.divf %in, %cst_1 : f32
    linalg.yield %48 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %49 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%47 : tensor<1x256x4611686018427387904xf32>) outs(%43 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %50 = arith.addf %in, %cst_2 : f32
    linalg.yield %50 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %51 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%49 : tensor<1x256x4611686018427387904xf32>) outs(%43 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %52 = math.rsqrt %in : f32
    linalg.yield %52 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %53 = linalg.generic {indexing_maps = [#map2, #map7, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11, %51 : tensor<1x256x512xf32>, tensor<1x256x4611686018427387904xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %54 = arith.mulf %in, %in_0 : f32
    linalg.yield %54 : f32
  } -> tensor<1x256x512xf32>
  %55 = linalg.generic {indexing_maps = [#map8, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9, %53 : tensor<512xf32>, tensor<1x256x512xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %56 = arith.mulf %in, %in_0 : f32
    linalg.yield %56 : f32
  } -> tensor<1x256x512xf32>
  %57 = tensor.empty() : tensor<512x512xf32>
  %58 = linalg.transpose ins(%arg0 : tensor<512x512xf32>) outs(%57 : tensor<512x512xf32>) permutation = [1, 0]
  %59 = tensor.collapse_shape %55 [[0, 1], [2]] : tensor<1x256x512xf32> into tensor<256x512xf32>
  %60 = tensor.empty() : tensor<256x512xf32>
  %61 = linalg.fill ins(%cst : f32) outs(%60 : tensor<256x512xf32>) -> tensor<256x512xf32>
  %62 = linalg.matmul ins(%59, %58 : tensor<256x512xf32>, tensor<512x512xf32>) outs(%61 : tensor<256x512xf32>) -> tensor<256x512xf32>
  %63 = tensor.expand_shape %62 [[0, 1], [2, 3]] output_shape [1, 256, 8, 64] : tensor<256x512xf32> into tensor<1x256x8x64xf32>
  %64 = tensor.empty() : tensor<1x256x8x64xf32>
  %65 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%63 : tensor<1x256x8x64xf32>) outs(%64 : tensor<1x256x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %66 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %66 : f32
  } -> tensor<1x256x8x64xf32>
  %67 = tensor.empty() : tensor<1x256x8x1xf32>
  %68 = linalg.fill ins(%cst : f32) outs(%67 : tensor<1x256x8x1xf32>) -> tensor<1x256x8x1xf32>
  %69 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%65 : tensor<1x256x8x64xf32>) outs(%68 : tensor<1x256x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %70 = arith.addf %in, %out : f32
    linalg.yield %70 : f32
  } -> tensor<1x256x8x1xf32>
  %71 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%69 : tensor<1x256x8x1xf32>) outs(%67 : tensor<1x256x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %72 = arith.divf %in, %cst_3 : f32
    linalg.yield %72 : f32
  } -> tensor<1x256x8x1xf32>
  %73 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%71 : tensor<1x256x8x1xf32>) outs(%67 : tensor<1x256x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %74 = arith.addf %in, %cst_2 : f32
    linalg.yield %74 : f32
  } -> tensor<1x256x8x1xf32>
  %75 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%73 : tensor<1x256x8x1xf32>) outs(%67 : tensor<1x256x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %76 = math.rsqrt %in : f32
    linalg.yield %76 : f32
  } -> tensor<1x256x8x1xf32>
  %77 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%63, %75 : tensor<1x256x8x64xf32>, tensor<1x256x8x1xf32>) outs(%64 : tensor<1x256x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %78 = arith.mulf %in, %in_0 : f32
    linalg.yield %78 : f32
  } -> tensor<1x256x8x64xf32>
  %79 = linalg.generic {indexing_maps = [#map10, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg4, %77 : tensor<64xf32>, tensor<1x256x8x64xf32>) outs(%64 : tensor<1x256x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %80 = arith.mulf %in, %in_0 : f32
    linalg.yield %80 : f32
  } -> tensor<1x256x8x64xf32>
  %81 = tensor.empty() : tensor<1x8x256x64xf32>
  %82 = linalg.transpose ins(%79 : tensor<1x256x8x64xf32>) outs(%81 : tensor<1x8x256x64xf32>) permutation = [0, 2, 1, 3]
  %83 = tensor.empty() : tensor<512x128xf32>
  %84 = linalg.transpose ins(%arg1 : tensor<128x512xf32>) outs(%83 : tensor<512x128xf32>) permutation = [1, 0]
  %85 = tensor.empty() : tensor<256x128xf32>
  %86 = linalg.fill ins(%cst : f32) outs(%85 : tensor<256x128xf32>) -> tensor<256x128xf32>
  %87 = linalg.matmul ins(%59, %84 : tensor<256x512xf32>, tensor<512x128xf32>) outs(%86 : tensor<256x128xf32>) -> tensor<256x128xf32>
  %88 = tensor.expand_shape %87 [[0, 1], [2, 3]] output_shape [1, 256, 2, 64] : tensor<256x128xf32> into tensor<1x256x2x64xf32>
  %89 = tensor.empty() : tensor<1x256x2x64xf32>
  %90 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%88 : tensor<1x256x2x64xf32>) outs(%89 : tensor<1x256x2x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %91 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %91 : f32
  } -> tensor<1x256x2x64xf32>
  %92 = tensor.empty() : tensor<1x256x2x1xf32>
  %93 = linalg.fill ins(%cst : f32) outs(%92 : tensor<1x256x2x1xf32>) -> tensor<1x256x2x1xf32>
  %94 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%90 : tensor<1x256x2x64xf32>) outs(%93 : tensor<1x256x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %95 = arith.addf %in, %out : f32
    linalg.yield %95 : f32
  } -> tensor<1x256x2x1xf32>
  %96 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%94 : tensor<1x256x2x1xf32>) outs(%92 : tensor<1x256x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %97 = arith.divf %in, %cst_3 : f32
    linalg.yield %97 : f32
  } -> tensor<1x256x2x1xf32>
  %98 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%96 : tensor<1x256x2x1xf32>) outs(%92 : tensor<1x256x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %99 = arith.addf %in, %cst_2 : f32
    linalg.yield %99 : f32
  } -> tensor<1x256x2x1xf32>
  %100 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%98 : tensor<1x256x2x1xf32>) outs(%92 : tensor<1x256x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %101 = math.rsqrt %in : f32
    linalg.yield %101 : f32
  } -> tensor<1x256x2x1xf32>
  %102 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%88, %100 : tensor<1x256x2x64xf32>, tensor<1x256x2x1xf32>) outs(%89 : tensor<1x256x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %103 = arith.mulf %in, %in_0 : f32
    linalg.yield %103 : f32
  } -> tensor<1x256x2x64xf32>
  %104 = linalg.generic {indexing_maps = [#map10, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg5, %102 : tensor<64xf32>, tensor<1x256x2x64xf32>) outs(%89 : tensor<1x256x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %105 = arith.mulf %in, %in_0 : f32
    linalg.yield %105 : f32
  } -> tensor<1x256x2x64xf32>
  %106 = tensor.empty() : tensor<1x2x256x64xf32>
  %107 = linalg.transpose ins(%104 : tensor<1x256x2x64xf32>) outs(%106 : tensor<1x2x256x64xf32>) permutation = [0, 2, 1, 3]
  %108 = linalg.transpose ins(%arg2 : tensor<128x512xf32>) outs(%83 : tensor<512x128xf32>) permutation = [1, 0]
  %109 = linalg.matmul ins(%59, %108 : tensor<256x512xf32>, tensor<512x128xf32>) outs(%86 : tensor<256x128xf32>) -> tensor<256x128xf32>
  %110 = tensor.expand_shape %109 [[0, 1], [2, 3]] output_shape [1, 256, 2, 64] : tensor<256x128xf32> into tensor<1x256x2x64xf32>
  %111 = linalg.transpose ins(%110 : tensor<1x256x2x64xf32>) outs(%106 : tensor<1x2x256x64xf32>) permutation = [0, 2, 1, 3]
  %112 = tensor.expand_shape %23 [[0, 1], [2], [3]] output_shape [1, 1, 256, 64] : tensor<1x256x64xf32> into tensor<1x1x256x64xf32>
  %113 = tensor.expand_shape %25 [[0, 1], [2], [3]] output_shape [1, 1, 256, 64] : tensor<1x256x64xf32> into tensor<1x1x256x64xf32>
  %114 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%82, %112 : tensor<1x8x256x64xf32>, tensor<1x1x256x64xf32>) outs(%81 : tensor<1x8x256x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %115 = arith.mulf %in, %in_0 : f32
    linalg.yield %115 : f32
  } -> tensor<1x8x256x64xf32>
  %116 = tensor.extract_slice %82[0, 0, 0, 0] [1, 8, 256, 32] [1, 1, 1, 1] : tensor<1x8x256x64xf32> to tensor<1x8x256x32xf32>
  %117 = tensor.extract_slice %82[0, 0, 0, 32] [1, 8, 256, 32] [1, 1, 1, 1] : tensor<1x8x256x64xf32> to tensor<1x8x256x32xf32>
  %118 = tensor.empty() : tensor<1x8x256x32xf32>
  %119 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%117 : tensor<1x8x256x32xf32>) outs(%118 : tensor<1x8x256x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %120 = arith.negf %in : f32
    linalg.yield %120 : f32
  } -> tensor<1x8x256x32xf32>
  %121 = tensor.concat dim(3) %119, %116 : (tensor<1x8x256x32xf32>, tensor<1x8x256x32xf32>) -> tensor<1x8x256x64xf32>
  %122 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%121, %113 : tensor<1x8x256x64xf32>, tensor<1x1x256x64xf32>) outs(%81 : tensor<1x8x256x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %123 = arith.mulf %in, %in_0 : f32
    linalg.yield %123 : f32
  } -> tensor<1x8x256x64xf32>
  %124 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%114, %122 : tensor<1x8x256x64xf32>, tensor<1x8x256x64xf32>) outs(%81 : tensor<1x8x256x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %125 = arith.addf %in, %in_0 : f32
    linalg.yield %125 : f32
  } -> tensor<1x8x256x64xf32>
  %126 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%107, %112 : tensor<1x2x256x64xf32>, tensor<1x1x256x64xf32>) outs(%106 : tensor<1x2x256x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %127 = arith.mulf %in, %in_0 : f32
    linalg.yield %127 : f32
  } -> tensor<1x2x256x64xf32>
  %128 = tensor.extract_slice %107[0, 0, 0, 0] [1, 2, 256, 32] [1, 1, 1, 1] : tensor<1x2x256x64xf32> to tensor<1x2x256x32xf32>
  %129 = tensor.extract_slice %107[0, 0, 0, 32] [1, 2, 256, 32] [1, 1, 1, 1] : tensor<1x2x256x64xf32> to tensor<1x2x256x32xf32>
  %130 = tensor.empty() : tensor<1x2x256x32xf32>
  %131 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%129 : tensor<1x2x256x32xf32>) outs(%130 : tensor<1x2x256x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %132 = arith.negf %in : f32
    linalg.yield %132 : f32
  } -> tensor<1x2x256x32xf32>
  %133 = tensor.concat dim(3) %131, %128 : (tensor<1x2x256x32xf32>, tensor<1x2x256x32xf32>) -> tensor<1x2x256x64xf32>
  %134 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%133, %113 : tensor<1x2x256x64xf32>, tensor<1x1x256x64xf32>) outs(%106 : tensor<1x2x256x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %135 = arith.mulf %in, %in_0 : f32
    linalg.yield %135 : f32
  } -> tensor<1x2x256x64xf32>
  %136 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%126, %134 : tensor<1x2x256x64xf32>, tensor<1x2x256x64xf32>) outs(%106 : tensor<1x2x256x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %137 = arith.addf %in, %in_0 : f32
    linalg.yield %137 : f32
  } -> tensor<1x2x256x64xf32>
  %138 = tensor.empty() : tensor<1x2x4x256x64xf32>
  %139 = linalg.generic {indexing_maps = [#map12, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%136 : tensor<1x2x256x64xf32>) outs(%138 : tensor<1x2x4x256x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x4x256x64xf32>
  %140 = tensor.collapse_shape %139 [[0], [1, 2], [3], [4]] : tensor<1x2x4x256x64xf32> into tensor<1x8x256x64xf32>
  %141 = linalg.generic {indexing_maps = [#map12, #map13], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%111 : tensor<1x2x256x64xf32>) outs(%138 : tensor<1x2x4x256x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x4x256x64xf32>
  %142 = tensor.collapse_shape %141 [[0], [1, 2], [3], [4]] : tensor<1x2x4x256x64xf32> into tensor<1x8x256x64xf32>
  %143 = tensor.empty() : tensor<1x8x64x256xf32>
  %144 = linalg.transpose ins(%140 : tensor<1x8x256x64xf32>) outs(%143 : tensor<1x8x64x256xf32>) permutation = [0, 1, 3, 2]
  %145 = tensor.collapse_shape %124 [[0, 1], [2], [3]] : tensor<1x8x256x64xf32> into tensor<8x256x64xf32>
  %146 = tensor.collapse_shape %144 [[0, 1], [2], [3]] : tensor<1x8x64x256xf32> into tensor<8x64x256xf32>
  %147 = tensor.empty() : tensor<8x256x256xf32>
  %148 = linalg.fill ins(%cst : f32) outs(%147 : tensor<8x256x256xf32>) -> tensor<8x256x256xf32>
  %149 = linalg.batch_matmul ins(%145, %146 : tensor<8x256x64xf32>, tensor<8x64x256xf32>) outs(%148 : tensor<8x256x256xf32>) -> tensor<8x256x256xf32>
  %150 = tensor.expand_shape %149 [[0, 1], [2], [3]] output_shape [1, 8, 256, 256] : tensor<8x256x256xf32> into tensor<1x8x256x256xf32>
  %151 = tensor.empty() : tensor<1x8x256x256xf32>
  %152 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%150 : tensor<1x8x256x256xf32>) outs(%151 : tensor<1x8x256x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    %153 = arith.mulf %in, %cst_4 : f32
    linalg.yield %153 : f32
  } -> tensor<1x8x256x256xf32>
  %154 = linalg.generic {indexing_maps = [#map1, #map11, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%152, %38 : tensor<1x8x256x256xf32>, tensor<1x1x256x256xf32>) outs(%151 : tensor<1x8x256x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %155 = arith.addf %in, %in_0 : f32
    linalg.yield %155 : f32
  } -> tensor<1x8x256x256xf32>
  %156 = tensor.empty() : tensor<1x8x256xi64>
  %157 = linalg.fill ins(%c0_i64 : i64) outs(%156 : tensor<1x8x256xi64>) -> tensor<1x8x256xi64>
  %158 = tensor.empty() : tensor<1x8x256xf32>
  %159 = linalg.fill ins(%cst_5 : f32) outs(%158 : tensor<1x8x256xf32>) -> tensor<1x8x256xf32>
  %160:2 = linalg.generic {indexing_maps = [#map1, #map14, #map14], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%154 : tensor<1x8x256x256xf32>) outs(%159, %157 : tensor<1x8x256xf32>, tensor<1x8x256xi64>) {
  ^bb0(%in: f32, %out: f32, %out_1: i64):
    %161 = linalg.index 3 : index
    %162 = arith.index_cast %161 : index to i64
    %163 = arith.maximumf %in, %out : f32
    %164 = arith.cmpf ogt, %in, %out : f32
    %165 = arith.select %164, %162, %out_1 : i64
    linalg.yield %163, %165 : f32, i64
  } -> (tensor<1x8x256xf32>, tensor<1x8x256xi64>)
  %166 = tensor.expand_shape %160#0 [[0], [1], [2, 3]] output_shape [1, 8, 256, 1] : tensor<1x8x256xf32> into tensor<1x8x256x1xf32>
  %167 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%154, %166 : tensor<1x8x256x256xf32>, tensor<1x8x256x1xf32>) outs(%151 : tensor<1x8x256x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %168 = arith.subf %in, %in_0 : f32
    linalg.yield %168 : f32
  } -> tensor<1x8x256x256xf32>
  %169 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%167 : tensor<1x8x256x256xf32>) outs(%151 : tensor<1x8x256x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    %170 = math.exp %in : f32
    linalg.yield %170 : f32
  } -> tensor<1x8x256x256xf32>
  %171 = tensor.empty() : tensor<1x8x256x1xf32>
  %172 = linalg.fill ins(%cst : f32) outs(%171 : tensor<1x8x256x1xf32>) -> tensor<1x8x256x1xf32>
  %173 = linalg.generic {indexing_maps = [#map1, #map9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%169 : tensor<1x8x256x256xf32>) outs(%172 : tensor<1x8x256x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %174 = arith.addf %in, %out : f32
    linalg.yield %174 : f32
  } -> tensor<1x8x256x1xf32>
  %175 = linalg.generic {indexing_maps = [#map1, #map9, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%169, %173 : tensor<1x8x256x256xf32>, tensor<1x8x256x1xf32>) outs(%151 : tensor<1x8x256x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %176 = arith.divf %in, %in_0 : f32
    linalg.yield %176 : f32
  } -> tensor<1x8x256x256xf32>
  %177 = tensor.collapse_shape %175 [[0, 1], [2], [3]] : tensor<1x8x256x256xf32> into tensor<8x256x256xf32>
  %178 = tensor.collapse_shape %142 [[0, 1], [2], [3]] : tensor<1x8x256x64xf32> into tensor<8x256x64xf32>
  %179 = tensor.empty() : tensor<8x256x64xf32>
  %180 = linalg.fill ins(%cst : f32) outs(%179 : tensor<8x256x64xf32>) -> tensor<8x256x64xf32>
  %181 = linalg.batch_matmul ins(%177, %178 : tensor<8x256x256xf32>, tensor<8x256x64xf32>) outs(%180 : tensor<8x256x64xf32>) -> tensor<8x256x64xf32>
  %182 = tensor.expand_shape %181 [[0, 1], [2], [3]] output_shape [1, 8, 256, 64] : tensor<8x256x64xf32> into tensor<1x8x256x64xf32>
  %183 = linalg.transpose ins(%182 : tensor<1x8x256x64xf32>) outs(%64 : tensor<1x256x8x64xf32>) permutation = [0, 2, 1, 3]
  %184 = tensor.collapse_shape %183 [[0], [1], [2, 3]] : tensor<1x256x8x64xf32> into tensor<1x256x512xf32>
  %185 = linalg.transpose ins(%arg3 : tensor<512x512xf32>) outs(%57 : tensor<512x512xf32>) permutation = [1, 0]
  %186 = tensor.collapse_shape %184 [[0, 1], [2]] : tensor<1x256x512xf32> into tensor<256x512xf32>
  %187 = linalg.matmul ins(%186, %185 : tensor<256x512xf32>, tensor<512x512xf32>) outs(%61 : tensor<256x512xf32>) -> tensor<256x512xf32>
  %188 = tensor.expand_shape %187 [[0, 1], [2]] output_shape [1, 256, 512] : tensor<256x512xf32> into tensor<1x256x512xf32>
  %189 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg11, %188 : tensor<1x256x512xf32>, tensor<1x256x512xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %190 = arith.addf %in, %in_0 : f32
    linalg.yield %190 : f32
  } -> tensor<1x256x512xf32>
  %191 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%189 : tensor<1x256x512xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %192 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %192 : f32
  } -> tensor<1x256x512xf32>
  %193 = linalg.generic {indexing_maps = [#map2, #map7], iterator_types = ["parallel", "parallel", "reduction"]} ins(%191 : tensor<1x256x512xf32>) outs(%44 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %194 = arith.addf %in, %out : f32
    linalg.yield %194 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %195 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%193 : tensor<1x256x4611686018427387904xf32>) outs(%43 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %196 = arith.divf %in, %cst_1 : f32
    linalg.yield %196 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %197 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%195 : tensor<1x256x4611686018427387904xf32>) outs(%43 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %198 = arith.addf %in, %cst_2 : f32
    linalg.yield %198 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %199 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%197 : tensor<1x256x4611686018427387904xf32>) outs(%43 : tensor<1x256x4611686018427387904xf32>) {
  ^bb0(%in: f32, %out: f32):
    %200 = math.rsqrt %in : f32
    linalg.yield %200 : f32
  } -> tensor<1x256x4611686018427387904xf32>
  %201 = linalg.generic {indexing_maps = [#map2, #map7, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%189, %199 : tensor<1x256x512xf32>, tensor<1x256x4611686018427387904xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %202 = arith.mulf %in, %in_0 : f32
    linalg.yield %202 : f32
  } -> tensor<1x256x512xf32>
  %203 = linalg.generic {indexing_maps = [#map8, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg10, %201 : tensor<512xf32>, tensor<1x256x512xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %204 = arith.mulf %in, %in_0 : f32
    linalg.yield %204 : f32
  } -> tensor<1x256x512xf32>
  %205 = tensor.empty() : tensor<512x1024xf32>
  %206 = linalg.transpose ins(%arg6 : tensor<1024x512xf32>) outs(%205 : tensor<512x1024xf32>) permutation = [1, 0]
  %207 = tensor.collapse_shape %203 [[0, 1], [2]] : tensor<1x256x512xf32> into tensor<256x512xf32>
  %208 = tensor.empty() : tensor<256x1024xf32>
  %209 = linalg.fill ins(%cst : f32) outs(%208 : tensor<256x1024xf32>) -> tensor<256x1024xf32>
  %210 = linalg.matmul ins(%207, %206 : tensor<256x512xf32>, tensor<512x1024xf32>) outs(%209 : tensor<256x1024xf32>) -> tensor<256x1024xf32>
  %211 = tensor.expand_shape %210 [[0, 1], [2]] output_shape [1, 256, 1024] : tensor<256x1024xf32> into tensor<1x256x1024xf32>
  %212 = tensor.empty() : tensor<1x256x1024xf32>
  %213 = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%211 : tensor<1x256x1024xf32>) outs(%212 : tensor<1x256x1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    %214 = arith.negf %in : f32
    %215 = math.exp %214 : f32
    %216 = arith.addf %215, %cst_6 : f32
    %217 = arith.divf %cst_6, %216 : f32
    linalg.yield %217 : f32
  } -> tensor<1x256x1024xf32>
  %218 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%213, %211 : tensor<1x256x1024xf32>, tensor<1x256x1024xf32>) outs(%212 : tensor<1x256x1024xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %219 = arith.mulf %in, %in_0 : f32
    linalg.yield %219 : f32
  } -> tensor<1x256x1024xf32>
  %220 = linalg.transpose ins(%arg7 : tensor<1024x512xf32>) outs(%205 : tensor<512x1024xf32>) permutation = [1, 0]
  %221 = linalg.matmul ins(%207, %220 : tensor<256x512xf32>, tensor<512x1024xf32>) outs(%209 : tensor<256x1024xf32>) -> tensor<256x1024xf32>
  %222 = tensor.expand_shape %221 [[0, 1], [2]] output_shape [1, 256, 1024] : tensor<256x1024xf32> into tensor<1x256x1024xf32>
  %223 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%218, %222 : tensor<1x256x1024xf32>, tensor<1x256x1024xf32>) outs(%212 : tensor<1x256x1024xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %224 = arith.mulf %in, %in_0 : f32
    linalg.yield %224 : f32
  } -> tensor<1x256x1024xf32>
  %225 = tensor.empty() : tensor<1024x512xf32>
  %226 = linalg.transpose ins(%arg8 : tensor<512x1024xf32>) outs(%225 : tensor<1024x512xf32>) permutation = [1, 0]
  %227 = tensor.collapse_shape %223 [[0, 1], [2]] : tensor<1x256x1024xf32> into tensor<256x1024xf32>
  %228 = linalg.matmul ins(%227, %226 : tensor<256x1024xf32>, tensor<1024x512xf32>) outs(%61 : tensor<256x512xf32>) -> tensor<256x512xf32>
  %229 = tensor.expand_shape %228 [[0, 1], [2]] output_shape [1, 256, 512] : tensor<256x512xf32> into tensor<1x256x512xf32>
  %230 = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%189, %229 : tensor<1x256x512xf32>, tensor<1x256x512xf32>) outs(%40 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %231 = arith.addf %in, %in_0 : f32
    linalg.yield %231 : f32
  } -> tensor<1x256x512xf32>
  return %230 : tensor<1x256x512xf32>
}
