// GPT-J's rotate_every_two in TOSA: x reshaped to [..., P, 2], the odd and
// even lanes sliced, the odd negated, concatenated on the last axis and
// reshaped back; per-lane [B, 1, S, D] tables broadcast by tosa.mul.
func.func @tosa_gptj(%q: tensor<1x4x8x16xf32>, %cos: tensor<1x1x8x16xf32>, %sin: tensor<1x1x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %pairs = tosa.const_shape {values = dense<[1, 4, 8, 8, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %flat = tosa.const_shape {values = dense<[1, 4, 8, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s1 = tosa.const_shape {values = dense<[0, 0, 0, 0, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %sz = tosa.const_shape {values = dense<[1, 4, 8, 8, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %pv = tosa.reshape %q, %pairs : (tensor<1x4x8x16xf32>, !tosa.shape<5>) -> tensor<1x4x8x8x2xf32>
  %ev = tosa.slice %pv, %s0, %sz : (tensor<1x4x8x8x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x4x8x8x1xf32>
  %od = tosa.slice %pv, %s1, %sz : (tensor<1x4x8x8x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x4x8x8x1xf32>
  %n = tosa.negate %od, %zp, %zp : (tensor<1x4x8x8x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8x8x1xf32>
  %st = tosa.concat %n, %ev {axis = 4 : i32} : (tensor<1x4x8x8x1xf32>, tensor<1x4x8x8x1xf32>) -> tensor<1x4x8x8x2xf32>
  %rot = tosa.reshape %st, %flat : (tensor<1x4x8x8x2xf32>, !tosa.shape<4>) -> tensor<1x4x8x16xf32>
  %a = tosa.mul %q, %cos, %shift : (tensor<1x4x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1xi8>) -> tensor<1x4x8x16xf32>
  %b = tosa.mul %rot, %sin, %shift : (tensor<1x4x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1xi8>) -> tensor<1x4x8x16xf32>
  %y = tosa.add %a, %b : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return %y : tensor<1x4x8x16xf32>
}
