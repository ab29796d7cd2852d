// The HF rotation in TOSA: tosa.slice halves, tosa.negate, tosa.concat,
// tosa.mul with the implicit broadcast of [B, 1, S, D] tables, tosa.add.
func.func @tosa_rope(%q: tensor<1x4x8x64xf32>, %cos: tensor<1x1x8x64xf32>, %sin: tensor<1x1x8x64xf32>) -> tensor<1x4x8x64xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s32 = tosa.const_shape {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %sz = tosa.const_shape {values = dense<[1, 4, 8, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %x1 = tosa.slice %q, %s0, %sz : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
  %x2 = tosa.slice %q, %s32, %sz : (tensor<1x4x8x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x32xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %n = tosa.negate %x2, %zp, %zp : (tensor<1x4x8x32xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8x32xf32>
  %rot = tosa.concat %n, %x1 {axis = 3 : i32} : (tensor<1x4x8x32xf32>, tensor<1x4x8x32xf32>) -> tensor<1x4x8x64xf32>
  %a = tosa.mul %q, %cos, %shift : (tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
  %b = tosa.mul %rot, %sin, %shift : (tensor<1x4x8x64xf32>, tensor<1x1x8x64xf32>, tensor<1xi8>) -> tensor<1x4x8x64xf32>
  %y = tosa.add %a, %b : (tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) -> tensor<1x4x8x64xf32>
  return %y : tensor<1x4x8x64xf32>
}
