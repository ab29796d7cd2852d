// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|RopeVectorize|'vector.multi_reduction' op destination type 'fN' is incompatible with source type 'vector<NxNxfN>'
// FUZZ-DETAIL: after pass RopeVectorize: in.mlir:262:12: error: 'vector.multi_reduction' op destination type 'f32' is incompatible with source type 'vector<4x32xf32>' (with --verify-each=false the invocation crashes)
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0) -> (d0)>
#map2 = affine_map<(d0, d1) -> (d0, d1)>
#map3 = affine_map<(d0, d1) -> (d0, 0)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map5 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#map6 = affine_map<(d0, d1, d2) -> (d2)>
#map7 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map8 = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#map9 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
#map10 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#map11 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map12 = affine_map<(d0, d1, d2, d3) -> (d0, d0 * 2, d2, 0)>
func.func @llama31_decode_step(%arg0: tensor<256x256xf32>, %arg1: tensor<128x256xf32>, %arg2: tensor<128x256xf32>, %arg3: tensor<256x256xf32>, %arg4: tensor<512x256xf32>, %arg5: tensor<512x256xf32>, %arg6: tensor<256x512xf32>, %arg7: tensor<256xf32>, %arg8: tensor<256xf32>, %arg9: tensor<1x1x256xf32>, %arg10: tensor<1x2x32x64xf32>, %arg11: tensor<1x2x32x64xf32>, %arg12: tensor<1xi64>) -> (tensor<1x1x256xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant -3.40282347E+38 : f32
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c2_i64 = arith.constant 2 : i64
  %cst_1 = arith.constant 2.560000e+02 : f32
  %cst_2 = arith.constant 1.000000e-05 : f32
  %cst_3 = arith.constant 1.250000e-01 : f32
  %c0_i64 = arith.constant 0 : i64
  %cst_4 = arith.constant 0xFF800000 : f32
  %cst_5 = arith.constant 1.000000e+00 : f32
  %0 = tensor.expand_shape %arg12 [[0, 1]] output_shape [1, 1] : tensor<1xi64> into tensor<1x1xi64>
  %1 = arith.constant dense<[1.000000000e+00, 6.636012793e-01, 4.403666258e-01, 2.922278345e-01, 1.939227581e-01, 1.286873817e-01, 8.539710194e-02, 5.666961893e-02, 3.760603070e-02, 2.495540865e-02, 1.656044088e-02, 1.098952908e-02, 7.292665076e-03, 4.839421250e-03, 3.211446106e-03, 1.371893683e-03, 5.248460220e-04, 1.785077911e-04, 7.784655463e-05, 5.165906987e-05, 3.428102355e-05, 2.274892904e-05, 1.509621779e-05, 1.001786859e-05, 6.647869668e-06, 4.411534519e-06, 2.927499736e-06, 1.942692506e-06, 1.289173156e-06, 8.554969213e-07, 5.677088097e-07, 3.767322596e-07]> : tensor<32xf32>
  %2 = tensor.expand_shape %1 [[0, 1, 2]] output_shape [1, 32, 1] : tensor<32xf32> into tensor<1x32x1xf32>
  %3 = tensor.expand_shape %0 [[0, 1], [2]] output_shape [1, 1, 1] : tensor<1x1xi64> into tensor<1x1x1xi64>
  %4 = tensor.empty() : tensor<1x1x1xf32>
  %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%3 : tensor<1x1x1xi64>) outs(%4 : tensor<1x1x1xf32>) {
  ^bb0(%in: i64, %out: f32):
    %6 = arith.sitofp %in : i64 to f32
    linalg.yield %6 : f32
  } -> tensor<1x1x1xf32>
  %7 = tensor.empty() : tensor<1x32x1xf32>
  %8 = linalg.fill ins(%cst : f32) outs(%7 : tensor<1x32x1xf32>) -> tensor<1x32x1xf32>
  %9 = linalg.batch_matmul ins(%2, %5 : tensor<1x32x1xf32>, tensor<1x1x1xf32>) outs(%8 : tensor<1x32x1xf32>) -> tensor<1x32x1xf32>
  %10 = tensor.empty() : tensor<1x1x32xf32>
  %11 = linalg.transpose ins(%9 : tensor<1x32x1xf32>) outs(%10 : tensor<1x1x32xf32>) permutation = [0, 2, 1]
  %12 = tensor.concat dim(2) %11, %11 : (tensor<1x1x32xf32>, tensor<1x1x32xf32>) -> tensor<1x1x64xf32>
  %13 = tensor.empty() : tensor<1x1x64xf32>
  %14 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%12 : tensor<1x1x64xf32>) outs(%13 : tensor<1x1x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %15 = math.cos %in : f32
    linalg.yield %15 : f32
  } -> tensor<1x1x64xf32>
  %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%12 : tensor<1x1x64xf32>) outs(%13 : tensor<1x1x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %17 = math.sin %in : f32
    linalg.yield %17 : f32
  } -> tensor<1x1x64xf32>
  %18 = tensor.empty() : tensor<32xi64>
  %19 = linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel"]} outs(%18 : tensor<32xi64>) {
  ^bb0(%out: i64):
    %20 = linalg.index 0 : index
    %21 = arith.index_cast %20 : index to i64
    linalg.yield %21 : i64
  } -> tensor<32xi64>
  %22 = tensor.expand_shape %19 [[0, 1]] output_shape [1, 32] : tensor<32xi64> into tensor<1x32xi64>
  %23 = tensor.empty() : tensor<1x32xi1>
  %24 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel"]} ins(%22, %0 : tensor<1x32xi64>, tensor<1x1xi64>) outs(%23 : tensor<1x32xi1>) {
  ^bb0(%in: i64, %in_0: i64, %out: i1):
    %25 = arith.cmpi sle, %in, %in_0 : i64
    linalg.yield %25 : i1
  } -> tensor<1x32xi1>
  %26 = tensor.expand_shape %24 [[0, 1, 2], [3]] output_shape [1, 1, 1, 32] : tensor<1x32xi1> into tensor<1x1x1x32xi1>
  %27 = tensor.empty() : tensor<1x1x1x32xf32>
  %28 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%26 : tensor<1x1x1x32xi1>) outs(%27 : tensor<1x1x1x32xf32>) {
  ^bb0(%in: i1, %out: f32):
    %29 = arith.select %in, %cst, %cst_0 : f32
    linalg.yield %29 : f32
  } -> tensor<1x1x1x32xf32>
  %30 = tensor.extract %arg12[%c0] : tensor<1xi64>
  %31 = arith.index_cast %30 : i64 to index
  %32 = arith.cmpi slt, %31, %c0 : index
  %33 = arith.addi %31, %c32 : index
  %34 = arith.select %32, %33, %31 : index
  %35 = arith.cmpi sgt, %34, %c32 : index
  %36 = arith.select %35, %c32, %34 : index
  %37 = arith.cmpi slt, %36, %c0 : index
  %38 = arith.select %37, %c0, %36 : index
  %39 = tensor.empty() : tensor<1x1x256xf32>
  %40 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9 : tensor<1x1x256xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    %41 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %41 : f32
  } -> tensor<1x1x256xf32>
  %42 = linalg.fill ins(%cst : f32) outs(%4 : tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  %43 = linalg.generic {indexing_maps = [#map, #map5], iterator_types = ["parallel", "parallel", "reduction"]} ins(%40 : tensor<1x1x256xf32>) outs(%42 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %44 = arith.addf %in, %out : f32
    linalg.yield %44 : f32
  } -> tensor<1x1x1xf32>
  %45 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%43 : tensor<1x1x1xf32>) outs(%4 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %46 = arith.divf %in, %cst_1 : f32
    linalg.yield %46 : f32
  } -> tensor<1x1x1xf32>
  %47 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%45 : tensor<1x1x1xf32>) outs(%4 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %48 = arith.addf %in, %cst_2 : f32
    linalg.yield %48 : f32
  } -> tensor<1x1x1xf32>
  %49 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%47 : tensor<1x1x1xf32>) outs(%4 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %50 = math.rsqrt %in : f32
    linalg.yield %50 : f32
  } -> tensor<1x1x1xf32>
  %51 = linalg.generic {indexing_maps = [#map, #map5, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9, %49 : tensor<1x1x256xf32>, tensor<1x1x1xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %52 = arith.mulf %in, %in_0 : f32
    linalg.yield %52 : f32
  } -> tensor<1x1x256xf32>
  %53 = linalg.generic {indexing_maps = [#map6, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg7, %51 : tensor<256xf32>, tensor<1x1x256xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %54 = arith.mulf %in, %in_0 : f32
    linalg.yield %54 : f32
  } -> tensor<1x1x256xf32>
  %55 = tensor.empty() : tensor<256x256xf32>
  %56 = linalg.transpose ins(%arg0 : tensor<256x256xf32>) outs(%55 : tensor<256x256xf32>) permutation = [1, 0]
  %57 = tensor.empty() : tensor<1x256x256xf32>
  %58 = linalg.generic {indexing_maps = [#map7, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%56 : tensor<256x256xf32>) outs(%57 : tensor<1x256x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x256xf32>
  %59 = linalg.fill ins(%cst : f32) outs(%39 : tensor<1x1x256xf32>) -> tensor<1x1x256xf32>
  %60 = linalg.batch_matmul ins(%53, %58 : tensor<1x1x256xf32>, tensor<1x256x256xf32>) outs(%59 : tensor<1x1x256xf32>) -> tensor<1x1x256xf32>
  %61 = tensor.expand_shape %60 [[0], [1], [2, 3]] output_shape [1, 1, 4, 64] : tensor<1x1x256xf32> into tensor<1x1x4x64xf32>
  %62 = tensor.empty() : tensor<1x4x1x64xf32>
  %63 = linalg.transpose ins(%61 : tensor<1x1x4x64xf32>) outs(%62 : tensor<1x4x1x64xf32>) permutation = [0, 2, 1, 3]
  %64 = tensor.empty() : tensor<256x128xf32>
  %65 = linalg.transpose ins(%arg1 : tensor<128x256xf32>) outs(%64 : tensor<256x128xf32>) permutation = [1, 0]
  %66 = tensor.empty() : tensor<1x256x128xf32>
  %67 = linalg.generic {indexing_maps = [#map7, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%65 : tensor<256x128xf32>) outs(%66 : tensor<1x256x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x128xf32>
  %68 = tensor.empty() : tensor<1x1x128xf32>
  %69 = linalg.fill ins(%cst : f32) outs(%68 : tensor<1x1x128xf32>) -> tensor<1x1x128xf32>
  %70 = linalg.batch_matmul ins(%53, %67 : tensor<1x1x256xf32>, tensor<1x256x128xf32>) outs(%69 : tensor<1x1x128xf32>) -> tensor<1x1x128xf32>
  %71 = tensor.expand_shape %70 [[0], [1], [2, 3]] output_shape [1, 1, 2, 64] : tensor<1x1x128xf32> into tensor<1x1x2x64xf32>
  %72 = tensor.empty() : tensor<1x2x1x64xf32>
  %73 = linalg.transpose ins(%71 : tensor<1x1x2x64xf32>) outs(%72 : tensor<1x2x1x64xf32>) permutation = [0, 2, 1, 3]
  %74 = linalg.transpose ins(%arg2 : tensor<128x256xf32>) outs(%64 : tensor<256x128xf32>) permutation = [1, 0]
  %75 = linalg.generic {indexing_maps = [#map7, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%74 : tensor<256x128xf32>) outs(%66 : tensor<1x256x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x128xf32>
  %76 = linalg.batch_matmul ins(%53, %75 : tensor<1x1x256xf32>, tensor<1x256x128xf32>) outs(%69 : tensor<1x1x128xf32>) -> tensor<1x1x128xf32>
  %77 = tensor.expand_shape %76 [[0], [1], [2, 3]] output_shape [1, 1, 2, 64] : tensor<1x1x128xf32> into tensor<1x1x2x64xf32>
  %78 = linalg.transpose ins(%77 : tensor<1x1x2x64xf32>) outs(%72 : tensor<1x2x1x64xf32>) permutation = [0, 2, 1, 3]
  %79 = tensor.expand_shape %14 [[0, 1], [2], [3]] output_shape [1, 1, 1, 64] : tensor<1x1x64xf32> into tensor<1x1x1x64xf32>
  %80 = tensor.expand_shape %16 [[0, 1], [2], [3]] output_shape [1, 1, 1, 64] : tensor<1x1x64xf32> into tensor<1x1x1x64xf32>
  %81 = linalg.generic {indexing_maps = [#map4, #map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%63, %79 : tensor<1x4x1x64xf32>, tensor<1x1x1x64xf32>) outs(%62 : tensor<1x4x1x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %82 = arith.mulf %in, %in_0 : f32
    linalg.yield %82 : f32
  } -> tensor<1x4x1x64xf32>
  %83 = tensor.extract_slice %63[0, 0, 0, 0] [1, 4, 1, 32] [1, 1, 1, 1] : tensor<1x4x1x64xf32> to tensor<1x4x1x32xf32>
  %84 = tensor.extract_slice %63[0, 0, 0, 32] [1, 4, 1, 32] [1, 1, 1, 1] : tensor<1x4x1x64xf32> to tensor<1x4x1x32xf32>
  %85 = tensor.empty() : tensor<1x4x1x32xf32>
  %86 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%84 : tensor<1x4x1x32xf32>) outs(%85 : tensor<1x4x1x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %87 = arith.negf %in : f32
    linalg.yield %87 : f32
  } -> tensor<1x4x1x32xf32>
  %88 = tensor.concat dim(3) %86, %83 : (tensor<1x4x1x32xf32>, tensor<1x4x1x32xf32>) -> tensor<1x4x1x64xf32>
  %89 = linalg.generic {indexing_maps = [#map4, #map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%88, %80 : tensor<1x4x1x64xf32>, tensor<1x1x1x64xf32>) outs(%62 : tensor<1x4x1x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %90 = arith.mulf %in, %in_0 : f32
    linalg.yield %90 : f32
  } -> tensor<1x4x1x64xf32>
  %91 = linalg.generic {indexing_maps = [#map4, #map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%81, %89 : tensor<1x4x1x64xf32>, tensor<1x4x1x64xf32>) outs(%62 : tensor<1x4x1x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %92 = arith.addf %in, %in_0 : f32
    linalg.yield %92 : f32
  } -> tensor<1x4x1x64xf32>
  %93 = linalg.generic {indexing_maps = [#map4, #map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%73, %79 : tensor<1x2x1x64xf32>, tensor<1x1x1x64xf32>) outs(%72 : tensor<1x2x1x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %94 = arith.mulf %in, %in_0 : f32
    linalg.yield %94 : f32
  } -> tensor<1x2x1x64xf32>
  %95 = tensor.extract_slice %73[0, 0, 0, 0] [1, 2, 1, 32] [1, 1, 1, 1] : tensor<1x2x1x64xf32> to tensor<1x2x1x32xf32>
  %96 = tensor.extract_slice %73[0, 0, 0, 32] [1, 2, 1, 32] [1, 1, 1, 1] : tensor<1x2x1x64xf32> to tensor<1x2x1x32xf32>
  %97 = tensor.empty() : tensor<1x2x1x32xf32>
  %98 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%96 : tensor<1x2x1x32xf32>) outs(%97 : tensor<1x2x1x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %99 = arith.negf %in : f32
    linalg.yield %99 : f32
  } -> tensor<1x2x1x32xf32>
  %100 = tensor.concat dim(3) %98, %95 : (tensor<1x2x1x32xf32>, tensor<1x2x1x32xf32>) -> tensor<1x2x1x64xf32>
  %101 = linalg.generic {indexing_maps = [#map4, #map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%100, %80 : tensor<1x2x1x64xf32>, tensor<1x1x1x64xf32>) outs(%72 : tensor<1x2x1x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %102 = arith.mulf %in, %in_0 : f32
    linalg.yield %102 : f32
  } -> tensor<1x2x1x64xf32>
  %103 = linalg.generic {indexing_maps = [#map4, #map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%93, %101 : tensor<1x2x1x64xf32>, tensor<1x2x1x64xf32>) outs(%72 : tensor<1x2x1x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %104 = arith.addf %in, %in_0 : f32
    linalg.yield %104 : f32
  } -> tensor<1x2x1x64xf32>
  %105 = tensor.insert_slice %103 into %arg10[0, 0, %38, 0] [1, 2, 1, 64] [1, 1, 1, 1] : tensor<1x2x1x64xf32> into tensor<1x2x32x64xf32>
  %106 = tensor.insert_slice %78 into %arg11[0, 0, %38, 0] [1, 2, 1, 64] [1, 1, 1, 1] : tensor<1x2x1x64xf32> into tensor<1x2x32x64xf32>
  %107 = tensor.empty() : tensor<1x2x2x32x64xf32>
  %108 = linalg.generic {indexing_maps = [#map9, #map10], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%105 : tensor<1x2x32x64xf32>) outs(%107 : tensor<1x2x2x32x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x32x64xf32>
  %109 = tensor.collapse_shape %108 [[0], [1, 2], [3], [4]] : tensor<1x2x2x32x64xf32> into tensor<1x4x32x64xf32>
  %110 = linalg.generic {indexing_maps = [#map9, #map10], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%106 : tensor<1x2x32x64xf32>) outs(%107 : tensor<1x2x2x32x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x32x64xf32>
  %111 = tensor.collapse_shape %110 [[0], [1, 2], [3], [4]] : tensor<1x2x2x32x64xf32> into tensor<1x4x32x64xf32>
  %112 = tensor.empty() : tensor<1x4x64x32xf32>
  %113 = linalg.transpose ins(%109 : tensor<1x4x32x64xf32>) outs(%112 : tensor<1x4x64x32xf32>) permutation = [0, 1, 3, 2]
  %114 = tensor.collapse_shape %91 [[0, 1], [2], [3]] : tensor<1x4x1x64xf32> into tensor<4x1x64xf32>
  %115 = tensor.collapse_shape %113 [[0, 1], [2], [3]] : tensor<1x4x64x32xf32> into tensor<4x64x32xf32>
  %116 = tensor.empty() : tensor<4x1x32xf32>
  %117 = linalg.fill ins(%cst : f32) outs(%116 : tensor<4x1x32xf32>) -> tensor<4x1x32xf32>
  %118 = linalg.batch_matmul ins(%114, %115 : tensor<4x1x64xf32>, tensor<4x64x32xf32>) outs(%117 : tensor<4x1x32xf32>) -> tensor<4x1x32xf32>
  %119 = tensor.expand_shape %118 [[0, 1], [2], [3]] output_shape [1, 4, 1, 32] : tensor<4x1x32xf32> into tensor<1x4x1x32xf32>
  %120 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%119 : tensor<1x4x1x32xf32>) outs(%85 : tensor<1x4x1x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %121 = arith.mulf %in, %cst_3 : f32
    linalg.yield %121 : f32
  } -> tensor<1x4x1x32xf32>
  %122 = linalg.generic {indexing_maps = [#map4, #map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%120, %28 : tensor<1x4x1x32xf32>, tensor<1x1x1x32xf32>) outs(%85 : tensor<1x4x1x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %123 = arith.addf %in, %in_0 : f32
    linalg.yield %123 : f32
  } -> tensor<1x4x1x32xf32>
  %124 = tensor.empty() : tensor<1x4x1xi64>
  %125 = linalg.fill ins(%c0_i64 : i64) outs(%124 : tensor<1x4x1xi64>) -> tensor<1x4x1xi64>
  %126 = tensor.empty() : tensor<1x4x1xf32>
  %127 = linalg.fill ins(%cst_4 : f32) outs(%126 : tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %128:2 = linalg.generic {indexing_maps = [#map4, #map11, #map11], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%122 : tensor<1x4x1x32xf32>) outs(%127, %125 : tensor<1x4x1xf32>, tensor<1x4x1xi64>) {
  ^bb0(%in: f32, %out: f32, %out_1: i64):
    %129 = linalg.index 3 : index
    %130 = arith.index_cast %129 : index to i64
    %131 = arith.maximumf %in, %out : f32
    %132 = arith.cmpf ogt, %in, %out : f32
    %133 = arith.select %132, %130, %out_1 : i64
    linalg.yield %131, %133 : f32, i64
  } -> (tensor<1x4x1xf32>, tensor<1x4x1xi64>)
  %134 = tensor.expand_shape %128#0 [[0], [1], [2, 3]] output_shape [1, 4, 1, 1] : tensor<1x4x1xf32> into tensor<1x4x1x1xf32>
  %135 = linalg.generic {indexing_maps = [#map4, #map12, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%122, %134 : tensor<1x4x1x32xf32>, tensor<1x4x1x1xf32>) outs(%85 : tensor<1x4x1x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %136 = arith.subf %in, %in_0 : f32
    linalg.yield %136 : f32
  } -> tensor<1x4x1x32xf32>
  %137 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%135 : tensor<1x4x1x32xf32>) outs(%85 : tensor<1x4x1x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %138 = math.exp %in : f32
    linalg.yield %138 : f32
  } -> tensor<1x4x1x32xf32>
  %139 = tensor.empty() : tensor<1x4x1x1xf32>
  %140 = linalg.fill ins(%cst : f32) outs(%139 : tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %141 = linalg.generic {indexing_maps = [#map4, #map12], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%137 : tensor<1x4x1x32xf32>) outs(%140 : tensor<1x4x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %142 = arith.addf %in, %out : f32
    linalg.yield %142 : f32
  } -> tensor<1x4x1x1xf32>
  %143 = linalg.generic {indexing_maps = [#map4, #map12, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%137, %141 : tensor<1x4x1x32xf32>, tensor<1x4x1x1xf32>) outs(%85 : tensor<1x4x1x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %144 = arith.divf %in, %in_0 : f32
    linalg.yield %144 : f32
  } -> tensor<1x4x1x32xf32>
  %145 = tensor.collapse_shape %143 [[0, 1], [2], [3]] : tensor<1x4x1x32xf32> into tensor<4x1x32xf32>
  %146 = tensor.collapse_shape %111 [[0, 1], [2], [3]] : tensor<1x4x32x64xf32> into tensor<4x32x64xf32>
  %147 = tensor.empty() : tensor<4x1x64xf32>
  %148 = linalg.fill ins(%cst : f32) outs(%147 : tensor<4x1x64xf32>) -> tensor<4x1x64xf32>
  %149 = linalg.batch_matmul ins(%145, %146 : tensor<4x1x32xf32>, tensor<4x32x64xf32>) outs(%148 : tensor<4x1x64xf32>) -> tensor<4x1x64xf32>
  %150 = tensor.expand_shape %149 [[0, 1], [2], [3]] output_shape [1, 4, 1, 64] : tensor<4x1x64xf32> into tensor<1x4x1x64xf32>
  %151 = tensor.empty() : tensor<1x1x4x64xf32>
  %152 = linalg.transpose ins(%150 : tensor<1x4x1x64xf32>) outs(%151 : tensor<1x1x4x64xf32>) permutation = [0, 2, 1, 3]
  %153 = tensor.collapse_shape %152 [[0], [1], [2, 3]] : tensor<1x1x4x64xf32> into tensor<1x1x256xf32>
  %154 = linalg.transpose ins(%arg3 : tensor<256x256xf32>) outs(%55 : tensor<256x256xf32>) permutation = [1, 0]
  %155 = linalg.generic {indexing_maps = [#map7, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%154 : tensor<256x256xf32>) outs(%57 : tensor<1x256x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x256xf32>
  %156 = linalg.batch_matmul ins(%153, %155 : tensor<1x1x256xf32>, tensor<1x256x256xf32>) outs(%59 : tensor<1x1x256xf32>) -> tensor<1x1x256xf32>
  %157 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg9, %156 : tensor<1x1x256xf32>, tensor<1x1x256xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %158 = arith.addf %in, %in_0 : f32
    linalg.yield %158 : f32
  } -> tensor<1x1x256xf32>
  %159 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%157 : tensor<1x1x256xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    %160 = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %160 : f32
  } -> tensor<1x1x256xf32>
  %161 = linalg.generic {indexing_maps = [#map, #map5], iterator_types = ["parallel", "parallel", "reduction"]} ins(%159 : tensor<1x1x256xf32>) outs(%42 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %162 = arith.addf %in, %out : f32
    linalg.yield %162 : f32
  } -> tensor<1x1x1xf32>
  %163 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%161 : tensor<1x1x1xf32>) outs(%4 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %164 = arith.divf %in, %cst_1 : f32
    linalg.yield %164 : f32
  } -> tensor<1x1x1xf32>
  %165 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%163 : tensor<1x1x1xf32>) outs(%4 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %166 = arith.addf %in, %cst_2 : f32
    linalg.yield %166 : f32
  } -> tensor<1x1x1xf32>
  %167 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%165 : tensor<1x1x1xf32>) outs(%4 : tensor<1x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %168 = math.rsqrt %in : f32
    linalg.yield %168 : f32
  } -> tensor<1x1x1xf32>
  %169 = linalg.generic {indexing_maps = [#map, #map5, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%157, %167 : tensor<1x1x256xf32>, tensor<1x1x1xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %170 = arith.mulf %in, %in_0 : f32
    linalg.yield %170 : f32
  } -> tensor<1x1x256xf32>
  %171 = linalg.generic {indexing_maps = [#map6, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg8, %169 : tensor<256xf32>, tensor<1x1x256xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %172 = arith.mulf %in, %in_0 : f32
    linalg.yield %172 : f32
  } -> tensor<1x1x256xf32>
  %173 = tensor.empty() : tensor<256x512xf32>
  %174 = linalg.transpose ins(%arg4 : tensor<512x256xf32>) outs(%173 : tensor<256x512xf32>) permutation = [1, 0]
  %175 = tensor.empty() : tensor<1x256x512xf32>
  %176 = linalg.generic {indexing_maps = [#map7, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%174 : tensor<256x512xf32>) outs(%175 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x512xf32>
  %177 = tensor.empty() : tensor<1x1x512xf32>
  %178 = linalg.fill ins(%cst : f32) outs(%177 : tensor<1x1x512xf32>) -> tensor<1x1x512xf32>
  %179 = linalg.batch_matmul ins(%171, %176 : tensor<1x1x256xf32>, tensor<1x256x512xf32>) outs(%178 : tensor<1x1x512xf32>) -> tensor<1x1x512xf32>
  %180 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%179 : tensor<1x1x512xf32>) outs(%177 : tensor<1x1x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %181 = arith.negf %in : f32
    %182 = math.exp %181 : f32
    %183 = arith.addf %182, %cst_5 : f32
    %184 = arith.divf %cst_5, %183 : f32
    linalg.yield %184 : f32
  } -> tensor<1x1x512xf32>
  %185 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%180, %179 : tensor<1x1x512xf32>, tensor<1x1x512xf32>) outs(%177 : tensor<1x1x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %186 = arith.mulf %in, %in_0 : f32
    linalg.yield %186 : f32
  } -> tensor<1x1x512xf32>
  %187 = linalg.transpose ins(%arg5 : tensor<512x256xf32>) outs(%173 : tensor<256x512xf32>) permutation = [1, 0]
  %188 = linalg.generic {indexing_maps = [#map7, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%187 : tensor<256x512xf32>) outs(%175 : tensor<1x256x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x256x512xf32>
  %189 = linalg.batch_matmul ins(%171, %188 : tensor<1x1x256xf32>, tensor<1x256x512xf32>) outs(%178 : tensor<1x1x512xf32>) -> tensor<1x1x512xf32>
  %190 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%185, %189 : tensor<1x1x512xf32>, tensor<1x1x512xf32>) outs(%177 : tensor<1x1x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %191 = arith.mulf %in, %in_0 : f32
    linalg.yield %191 : f32
  } -> tensor<1x1x512xf32>
  %192 = tensor.empty() : tensor<512x256xf32>
  %193 = linalg.transpose ins(%arg6 : tensor<256x512xf32>) outs(%192 : tensor<512x256xf32>) permutation = [1, 0]
  %194 = tensor.empty() : tensor<1x512x256xf32>
  %195 = linalg.generic {indexing_maps = [#map7, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%193 : tensor<512x256xf32>) outs(%194 : tensor<1x512x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x512x256xf32>
  %196 = linalg.batch_matmul ins(%190, %195 : tensor<1x1x512xf32>, tensor<1x512x256xf32>) outs(%59 : tensor<1x1x256xf32>) -> tensor<1x1x256xf32>
  %197 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%157, %196 : tensor<1x1x256xf32>, tensor<1x1x256xf32>) outs(%39 : tensor<1x1x256xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %198 = arith.addf %in, %in_0 : f32
    linalg.yield %198 : f32
  } -> tensor<1x1x256xf32>
  return %197, %105, %106 : tensor<1x1x256xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>
}
