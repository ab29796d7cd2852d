// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: Llama-3-8B style HF LlamaRotaryEmbedding + apply_rotary_pos_emb, torch-mlir TOSA backend pipeline, f32, GQA (4 q heads, 2 kv heads), decode: one token (S=1), head_dim 128
// FUNC: @llama3_decode
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=500000
// EXPECT: rotate
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// Decode step through torch-mlir's TOSA backend pipeline: S = 1 changes the shapes of everything the pipeline
// canonicalizes:
// - tosa.matmul [1, 64, 1] x [1, 1, 1] -> [1, 64, 1] (K = 1 and N = 1);
// - .transpose(1, 2) of [1, 64, 1] only moves unit dims, so canonicalize turns the tosa.transpose into a
//   tosa.reshape [1, 64, 1] -> [1, 1, 64] (upstream TOSA canonicalization TransposeIsReshape);
// - position_ids [1, 1] i64 reshaped to [1, 1, 1] before the cast;
// - cos/sin [1, 1, 128] reshaped to [1, 1, 1, 128], broadcast by tosa.mul over heads (and the unit S).

module {
  func.func @llama3_decode(%arg0: tensor<1x4x1x128xf32>, %arg1: tensor<1x2x1x128xf32>, %arg2: tensor<1x1xi64>) -> (tensor<1x4x1x128xf32>, tensor<1x2x1x128xf32>) {
    %0 = tosa.const_shape  {values = dense<[1, 1, 64]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %1 = tosa.const_shape  {values = dense<[1, 2, 1, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %2 = tosa.const_shape  {values = dense<[0, 0, 0, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %3 = tosa.const_shape  {values = dense<[1, 4, 1, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %4 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %5 = tosa.const_shape  {values = dense<[1, 1, 1, 128]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %6 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %7 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %8 = tosa.const_shape  {values = dense<1> : tensor<3xindex>} : () -> !tosa.shape<3>
    %9 = "tosa.const"() <{values = dense<[[[1.000000e+00], [0.814617216], [0.663601279], [5.405810e-01], [0.440366626], [0.358730227], [0.292227834], [0.238053814], [0.193922758], [0.157972813], [0.128687382], [0.10483095], [8.539710e-02], [0.0695659518], [0.0566696189], [0.0461640507], [0.0376060307], [0.0306345206], [0.0249554086], [0.0203291047], [0.0165604409], [0.0134904198], [0.0109895291], [0.00895225909], [0.00729266508], [0.00594073068], [0.00483942125], [0.00394227589], [0.00321144611], [0.00261609908], [0.0021311196], [0.00173604675], [0.00141421345], [0.00115204265], [9.38473851E-4], [7.64496973E-4], [6.22772437E-4], [5.07321151E-4], [4.13272559E-4], [3.36658937E-4], [2.74248188E-4], [2.23407274E-4], [1.81991432E-4], [1.48253355E-4], [1.20769742E-4], [9.83811114E-5], [8.01429487E-5], [6.52858216E-5], [5.31829573E-5], [4.33237547E-5], [3.52922762E-5], [2.8749695E-5], [2.34199979E-5], [1.90783339E-5], [1.55415401E-5], [1.26604064E-5], [1.03133852E-5], [8.40146095E-6], [6.84397537E-6], [5.57522026E-6], [4.54167048E-6], [3.69972304E-6], [3.01385808E-6], [2.4551407E-6]]]> : tensor<1x64x1xf32>}> : () -> tensor<1x64x1xf32>
    %10 = tosa.reshape %arg2, %8 : (tensor<1x1xi64>, !tosa.shape<3>) -> tensor<1x1x1xi64>
    %11 = tosa.cast %10 : (tensor<1x1x1xi64>) -> tensor<1x1x1xf32>
    %12 = tosa.matmul %9, %11, %7, %7 : (tensor<1x64x1xf32>, tensor<1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x64x1xf32>
    %13 = tosa.reshape %12, %0 : (tensor<1x64x1xf32>, !tosa.shape<3>) -> tensor<1x1x64xf32>
    %14 = tosa.concat %13, %13 {axis = 2 : i32} : (tensor<1x1x64xf32>, tensor<1x1x64xf32>) -> tensor<1x1x128xf32>
    %15 = tosa.cos %14 : (tensor<1x1x128xf32>) -> tensor<1x1x128xf32>
    %16 = tosa.sin %14 : (tensor<1x1x128xf32>) -> tensor<1x1x128xf32>
    %17 = tosa.reshape %15, %5 : (tensor<1x1x128xf32>, !tosa.shape<4>) -> tensor<1x1x1x128xf32>
    %18 = tosa.reshape %16, %5 : (tensor<1x1x128xf32>, !tosa.shape<4>) -> tensor<1x1x1x128xf32>
    %19 = tosa.mul %arg0, %17, %6 : (tensor<1x4x1x128xf32>, tensor<1x1x1x128xf32>, tensor<1xi8>) -> tensor<1x4x1x128xf32>
    %20 = tosa.slice %arg0, %4, %3 : (tensor<1x4x1x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x1x64xf32>
    %21 = tosa.slice %arg0, %2, %3 : (tensor<1x4x1x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x1x64xf32>
    %22 = tosa.negate %21, %7, %7 : (tensor<1x4x1x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x1x64xf32>
    %23 = tosa.concat %22, %20 {axis = 3 : i32} : (tensor<1x4x1x64xf32>, tensor<1x4x1x64xf32>) -> tensor<1x4x1x128xf32>
    %24 = tosa.mul %23, %18, %6 : (tensor<1x4x1x128xf32>, tensor<1x1x1x128xf32>, tensor<1xi8>) -> tensor<1x4x1x128xf32>
    %25 = tosa.add %19, %24 : (tensor<1x4x1x128xf32>, tensor<1x4x1x128xf32>) -> tensor<1x4x1x128xf32>
    %26 = tosa.mul %arg1, %17, %6 : (tensor<1x2x1x128xf32>, tensor<1x1x1x128xf32>, tensor<1xi8>) -> tensor<1x2x1x128xf32>
    %27 = tosa.slice %arg1, %4, %1 : (tensor<1x2x1x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x1x64xf32>
    %28 = tosa.slice %arg1, %2, %1 : (tensor<1x2x1x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x1x64xf32>
    %29 = tosa.negate %28, %7, %7 : (tensor<1x2x1x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x1x64xf32>
    %30 = tosa.concat %29, %27 {axis = 3 : i32} : (tensor<1x2x1x64xf32>, tensor<1x2x1x64xf32>) -> tensor<1x2x1x128xf32>
    %31 = tosa.mul %30, %18, %6 : (tensor<1x2x1x128xf32>, tensor<1x1x1x128xf32>, tensor<1xi8>) -> tensor<1x2x1x128xf32>
    %32 = tosa.add %26, %31 : (tensor<1x2x1x128xf32>, tensor<1x2x1x128xf32>) -> tensor<1x2x1x128xf32>
    return %25, %32 : tensor<1x4x1x128xf32>, tensor<1x2x1x128xf32>
  }
}
