// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: raise
// FUZZ-ARGS: ["-p", "builtin.module(func.func(rope-raise{report=true}))"]
// FUZZ-SIGNATURE: ubsan|/usr/include/c++/12/bits/std_abs.h:56|negation of N cannot be represented in type 'long int'; cast to an unsigned type to negate this value to itself|mlir::rope::raise::simplifyInBounds
// FUZZ-DETAIL: /usr/include/c++/12/bits/std_abs.h:56:44: runtime error: negation of -9223372036854775808 cannot be represented in type 'long int'; cast to an unsigned type to negate this value to itself
// FUZZ-STACK-0: std::abs /usr/include/c++/12/bits/std_abs.h:56
// FUZZ-STACK-1: mlir::rope::raise::simplifyInBounds /work/main/lib/Rope/Transforms/Raise/Views.cpp:327
// FUZZ-STACK-2: mlir::rope::raise::viewSource /work/main/lib/Rope/Transforms/Raise/Views.cpp:392
// FUZZ-STACK-3: mlir::rope::raise::Flattener::element /work/main/lib/Rope/Transforms/Raise/Flatten.cpp:152
module {
  func.func @tosa_rope(%arg0: tensor<1x4x8x64xf32>, %arg1: tensor<1x1x8x64xf32>, %arg2: tensor<1x1x8x64xf32>) -> tensor<1x4x8x64xf32> {
    %0 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %1 = tosa.const_shape  {values = dense<[0, 0, 0, -9223372036854775808]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %2 = tosa.const_shape  {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %3 = tosa.const_shape  {values = dense<[1, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %4 = tosa.slice %arg0, %1, %3 : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
    %5 = tosa.slice %arg0, %2, %3 : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
    %6 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %7 = tosa.negate %5, %6, %6 : (tensor<1x4x8x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8x32xf32>
    %8 = tosa.concat %7, %4 {axis = 3 : i32} : (tensor<1x4x8x32xf32>, tensor<1x4x8x32xf32>) -> tensor<1x4x8x64xf32>
    %9 = tosa.mul %arg1, %arg0, %0 : (tensor<1x1x8x64xf32>, tensor<1x4x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
    %10 = tosa.mul %8, %arg2, %0 : (tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
    %11 = tosa.add %10, %9 : (tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) -> tensor<1x4x8x64xf32>
    return %11 : tensor<1x4x8x64xf32>
  }
}
