// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: GPT-J HF TFGPTJAttention rotary (TF port; rotary_dim 32 of head_dim 64, table of 16 positions, [B, S, H, D]) as TensorFlow's TF/TFL-to-TOSA legalization spells it (not torch-mlir; kept here with the other TOSA graphs), f32
// FUNC: @tf_gptj_rotary
// ARGS: x x pos
// REF: layout=bshd pairing=adjacent rotary_dim=32 theta=10000 pos_max=16
// EXPECT: rotate
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// tensorflow/compiler/mlir/tosa/transforms/legalize_common.cc, as read (graph written by hand after it, uncleaned):
// - tf.gather(embed_positions, position_ids, axis=0) -> one row gather: table reshaped [1, max_pos, R], i32 ids
//   reshaped [1, B*S], tosa.gather, reshape [B, S, R]; tf.split -> two tosa.slice;
// - tf.repeat(sin[:, :, None, :], 2, 3): tosa.reshape, tosa.tile [.., 2], tosa.reshape;
// - strided slices (convertStridedSliceOp): no gather, but slice the range, reshape [..., n, stride], slice index 0
//   of the stride dim, reshape. x[..., ::2]: tosa.slice (the full range), tosa.reshape [.., P, 2], tosa.slice
//   [.., 0:1], tosa.reshape. x[..., 1::2]: the range 1..R has R-1 lanes, not a multiple of 2, so the input is
//   first tosa.pad'ded by one zero at the end of the last dim (TOSA 1.0 pad: !tosa.shape padding + pad_const);
// - tf.stack((-odd, even), axis=-1) (convertPackOp, axis == rank): tosa.concat on axis 0 ([2B, S, H, P]),
//   tosa.reshape [2, B, S, H, P], tosa.transpose perms [1, 2, 3, 4, 0]; then reshape [B, S, H, R];
// - partial rotary by tosa.slice and tosa.concat; TF's add has no alpha, so no extra multiply.

func.func @tf_gptj_rotary(%query: tensor<1x8x4x64xf32>, %key: tensor<1x8x4x64xf32>, %position_ids: tensor<1x8xi32>) -> (tensor<1x8x4x64xf32>, tensor<1x8x4x64xf32>) {
  // embed_positions [max_pos, R] = concat(sin, cos) (create_sinusoidal_positions), a constant
  %embed_positions1 = "tosa.const"() <{values = dense<[[0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 0.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00, 1.000000000e+00], [8.414710164e-01, 5.331684351e-01, 3.109835982e-01, 1.768921912e-01, 9.983342141e-02, 5.620449781e-02, 3.161750361e-02, 1.778185740e-02, 9.999833070e-03, 5.623383448e-03, 3.162272274e-03, 1.778278500e-03, 9.999999311e-04, 5.623412435e-04, 3.162277571e-04, 1.778279402e-04, 5.403022766e-01, 8.460091352e-01, 9.504152536e-01, 9.842302203e-01, 9.950041771e-01, 9.984192848e-01, 9.995000362e-01, 9.998418689e-01, 9.999499917e-01, 9.999842048e-01, 9.999949932e-01, 9.999983907e-01, 9.999995232e-01, 9.999998212e-01, 9.999999404e-01, 1.000000000e+00], [9.092974067e-01, 9.021307230e-01, 5.911270976e-01, 3.482052684e-01, 1.986693293e-01, 1.122313142e-01, 6.320339441e-02, 3.555808961e-02, 1.999866590e-02, 1.124658901e-02, 6.324512884e-03, 3.556551412e-03, 1.999998698e-03, 1.124682371e-03, 6.324554561e-04, 3.556558804e-04, -4.161468148e-01, 4.314628243e-01, 8.065783978e-01, 9.374182820e-01, 9.800665975e-01, 9.936820865e-01, 9.980006814e-01, 9.993675947e-01, 9.998000264e-01, 9.999367595e-01, 9.999799728e-01, 9.999936819e-01, 9.999979734e-01, 9.999993443e-01, 9.999998212e-01, 9.999999404e-01], [1.411200017e-01, 9.932531714e-01, 8.126488924e-01, 5.085361004e-01, 2.955202162e-01, 1.679033041e-01, 9.472608566e-02, 5.332308263e-02, 2.999549918e-02, 1.686943881e-02, 9.486690164e-03, 5.334813148e-03, 2.999995602e-03, 1.687023090e-03, 9.486831259e-04, 5.334838061e-04, -9.899924994e-01, -1.159661636e-01, 5.827535987e-01, 8.610406518e-01, 9.553365111e-01, 9.858034849e-01, 9.955033660e-01, 9.985772967e-01, 9.995500445e-01, 9.998577237e-01, 9.999549985e-01, 9.999857545e-01, 9.999955297e-01, 9.999985695e-01, 9.999995232e-01, 9.999998808e-01], [-7.568024993e-01, 7.784717083e-01, 9.535807371e-01, 6.528279781e-01, 3.894183338e-01, 2.230444849e-01, 1.261540651e-01, 7.107120752e-02, 3.998933360e-02, 2.249175683e-02, 1.264877338e-02, 7.113057654e-03, 3.999989480e-03, 2.249363344e-03, 1.264910679e-03, 7.113117026e-04, -6.536436081e-01, -6.276797056e-01, 3.011374772e-01, 7.575061917e-01, 9.210609794e-01, 9.748082757e-01, 9.920106530e-01, 9.974712729e-01, 9.992001057e-01, 9.997470379e-01, 9.999200106e-01, 9.999747276e-01, 9.999920130e-01, 9.999974966e-01, 9.999992251e-01, 9.999997616e-01], [-9.589242935e-01, 3.239352703e-01, 9.999465346e-01, 7.765299678e-01, 4.794255495e-01, 2.774805427e-01, 1.574558765e-01, 8.879686147e-02, 4.997916520e-02, 2.811336145e-02, 1.581072807e-02, 8.891279809e-03, 4.999979399e-03, 2.811702900e-03, 1.581138116e-03, 8.891395992e-04, 2.836621702e-01, -9.460792542e-01, -1.034233812e-02, 6.300802827e-01, 8.775825500e-01, 9.607312679e-01, 9.875259995e-01, 9.960497618e-01, 9.987502694e-01, 9.996047616e-01, 9.998750091e-01, 9.999604821e-01, 9.999874830e-01, 9.999960661e-01, 9.999987483e-01, 9.999995828e-01], [-2.794154882e-01, -2.303675264e-01, 9.471482038e-01, 8.757405281e-01, 5.646424890e-01, 3.310393095e-01, 1.886002719e-01, 1.064944416e-01, 5.996400490e-02, 3.373407945e-02, 1.897252724e-02, 1.066947449e-02, 5.999964196e-03, 3.374041524e-03, 1.897365320e-03, 1.066967379e-03, 9.601702690e-01, -9.731037021e-01, -3.207963705e-01, 4.827820063e-01, 8.253356218e-01, 9.436169863e-01, 9.820539355e-01, 9.943132997e-01, 9.982005358e-01, 9.994308352e-01, 9.998199940e-01, 9.999430776e-01, 9.999819994e-01, 9.999943376e-01, 9.999982119e-01, 9.999994040e-01], [6.569865942e-01, -7.137212753e-01, 8.004215956e-01, 9.473307133e-01, 6.442176700e-01, 3.835515678e-01, 2.195560932e-01, 1.241583377e-01, 6.994284689e-02, 3.935372457e-02, 2.213413455e-02, 1.244763471e-02, 6.999942940e-03, 3.936378751e-03, 2.213592408e-03, 1.244795276e-03, 7.539022565e-01, -7.004297972e-01, -5.994374752e-01, 3.202570081e-01, 7.648422122e-01, 9.235194325e-01, 9.755998850e-01, 9.922624230e-01, 9.975510240e-01, 9.992253184e-01, 9.997550249e-01, 9.999225140e-01, 9.999755025e-01, 9.999922514e-01, 9.999975562e-01, 9.999992251e-01], [9.893582463e-01, -9.772617817e-01, 5.743178129e-01, 9.890424609e-01, 7.173560858e-01, 4.348512292e-01, 2.502923310e-01, 1.417829692e-01, 7.991468906e-02, 4.497213289e-02, 2.529552206e-02, 1.422575582e-02, 7.999914698e-03, 4.498715047e-03, 2.529819263e-03, 1.422623056e-03, -1.455000341e-01, -2.120364457e-01, -8.186324239e-01, 1.476312131e-01, 6.967067122e-01, 9.005023241e-01, 9.681702852e-01, 9.898977876e-01, 9.968017340e-01, 9.989882708e-01, 9.996800423e-01, 9.998987913e-01, 9.999679923e-01, 9.999898672e-01, 9.999967813e-01, 9.999989867e-01], [4.121184647e-01, -9.398235083e-01, 2.912592292e-01, 9.995602965e-01, 7.833269238e-01, 4.847761393e-01, 2.807783186e-01, 1.593627781e-01, 8.987854421e-02, 5.058911815e-02, 2.845665626e-02, 1.600383036e-02, 8.999879472e-03, 5.061050411e-03, 2.846045885e-03, 1.600450720e-03, -9.111302495e-01, 3.416602314e-01, -9.566441774e-01, -2.965079620e-02, 6.216099262e-01, 8.746382594e-01, 9.597726464e-01, 9.872201085e-01, 9.959527254e-01, 9.987195730e-01, 9.995950460e-01, 9.998719096e-01, 9.999595284e-01, 9.999871850e-01, 9.999959469e-01, 9.999987483e-01], [-5.440210700e-01, -6.129369140e-01, -2.068356983e-02, 9.785524607e-01, 8.414710164e-01, 5.331684351e-01, 3.109835684e-01, 1.768921912e-01, 9.983341396e-02, 5.620449781e-02, 3.161750361e-02, 1.778185740e-02, 9.999834001e-03, 5.623383448e-03, 3.162272274e-03, 1.778278500e-03, -8.390715122e-01, 7.901318669e-01, -9.997860789e-01, -2.059976310e-01, 5.403022766e-01, 8.460091352e-01, 9.504153132e-01, 9.842302203e-01, 9.950041771e-01, 9.984192848e-01, 9.995000362e-01, 9.998418689e-01, 9.999499917e-01, 9.999842048e-01, 9.999949932e-01, 9.999983907e-01], [-9.999902248e-01, -9.727646410e-02, -3.305749595e-01, 9.266815782e-01, 8.912073374e-01, 5.798751712e-01, 3.408778608e-01, 1.943656504e-01, 1.097782999e-01, 6.181810424e-02, 3.477803990e-02, 1.955982670e-02, 1.099977922e-02, 6.185714621e-03, 3.478498431e-03, 1.956106164e-03, 4.425697960e-03, 9.952573776e-01, -9.437797070e-01, -3.758473992e-01, 4.535961151e-01, 8.147053123e-01, 9.401075840e-01, 9.809291363e-01, 9.939560890e-01, 9.980874062e-01, 9.993950725e-01, 9.998086691e-01, 9.999395013e-01, 9.999808669e-01, 9.999939203e-01, 9.999980927e-01], [-5.365729332e-01, 4.483429790e-01, -6.076834202e-01, 8.455836177e-01, 9.320390821e-01, 6.247486472e-01, 3.704312742e-01, 2.117776722e-01, 1.197122037e-01, 6.742975861e-02, 3.793822229e-02, 2.133773454e-02, 1.199971233e-02, 6.748044398e-03, 3.794723889e-03, 2.133933594e-03, 8.438539505e-01, 8.938615918e-01, -7.941793799e-01, -5.338430405e-01, 3.623577356e-01, 7.808259130e-01, 9.288598895e-01, 9.773178697e-01, 9.928086400e-01, 9.977239966e-01, 9.992800951e-01, 9.997723103e-01, 9.999279976e-01, 9.999772310e-01, 9.999927878e-01, 9.999977350e-01], [4.201670587e-01, 8.558809757e-01, -8.245284557e-01, 7.378162146e-01, 9.635581970e-01, 6.676470041e-01, 3.996143043e-01, 2.291227132e-01, 1.296341419e-01, 7.303927839e-02, 4.109803215e-02, 2.311557345e-02, 1.299963426e-02, 7.310371846e-03, 4.110949114e-03, 2.311761025e-03, 9.074468017e-01, 5.171728134e-01, -5.658205152e-01, -6.750016809e-01, 2.674987614e-01, 7.444779873e-01, 9.166833758e-01, 9.733975530e-01, 9.915618896e-01, 9.973290563e-01, 9.991551042e-01, 9.997327924e-01, 9.999154806e-01, 9.999732971e-01, 9.999915361e-01, 9.999973178e-01], [9.906073809e-01, 9.998233318e-01, -9.596053958e-01, 6.067786217e-01, 9.854497313e-01, 7.084347010e-01, 4.283977747e-01, 2.463953048e-01, 1.395431161e-01, 7.864648104e-02, 4.425742477e-02, 2.489333972e-02, 1.399954315e-02, 7.872696966e-03, 4.427174106e-03, 2.489588689e-03, 1.367372274e-01, -1.879615150e-02, -2.813494802e-01, -7.948708534e-01, 1.699671596e-01, 7.057763338e-01, 9.035902619e-01, 9.691694379e-01, 9.902160168e-01, 9.969025850e-01, 9.990201592e-01, 9.996901155e-01, 9.999020100e-01, 9.999690056e-01, 9.999902248e-01, 9.999969006e-01], [6.502878666e-01, 8.358384371e-01, -9.995186925e-01, 4.566032588e-01, 9.974949956e-01, 7.469826937e-01, 4.567528665e-01, 2.635899782e-01, 1.494381279e-01, 8.425120264e-02, 4.741638154e-02, 2.667102963e-02, 1.499943808e-02, 8.435020223e-03, 4.743398633e-03, 2.667415887e-03, -7.596879005e-01, -5.489754677e-01, 3.102234937e-02, -8.896704316e-01, 7.073719800e-02, 6.648434997e-01, 8.895936012e-01, 9.646348357e-01, 9.887710810e-01, 9.964445233e-01, 9.988752007e-01, 9.996442795e-01, 9.998875260e-01, 9.999644160e-01, 9.999887347e-01, 9.999964237e-01]]> : tensor<16x32xf32>}> : () -> tensor<16x32xf32>
  // tf.gather(embed_positions, position_ids, axis=0): values [1, max_pos, R], indices [1, B*S], tosa.gather
  %s2 = tosa.const_shape {values = dense<[1, 16, 32]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v3 = tosa.reshape %embed_positions1, %s2 : (tensor<16x32xf32>, !tosa.shape<3>) -> tensor<1x16x32xf32>
  %s4 = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %v5 = tosa.reshape %position_ids, %s4 : (tensor<1x8xi32>, !tosa.shape<2>) -> tensor<1x8xi32>
  %v6 = tosa.gather %v3, %v5 : (tensor<1x16x32xf32>, tensor<1x8xi32>) -> tensor<1x8x32xf32>
  %s7 = tosa.const_shape {values = dense<[1, 8, 32]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v8 = tosa.reshape %v6, %s7 : (tensor<1x8x32xf32>, !tosa.shape<3>) -> tensor<1x8x32xf32>
  // tf.split(sincos, 2, axis=-1) -> sin, cos
  %s9 = tosa.const_shape {values = dense<[0, 0, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s10 = tosa.const_shape {values = dense<[1, 8, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v11 = tosa.slice %v8, %s9, %s10 : (tensor<1x8x32xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x8x16xf32>
  %s12 = tosa.const_shape {values = dense<[0, 0, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s13 = tosa.const_shape {values = dense<[1, 8, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %v14 = tosa.slice %v8, %s12, %s13 : (tensor<1x8x32xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x8x16xf32>
  %s15 = tosa.const_shape {values = dense<[1, 8, 1, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v16 = tosa.reshape %v11, %s15 : (tensor<1x8x16xf32>, !tosa.shape<4>) -> tensor<1x8x1x16xf32>
  %s17 = tosa.const_shape {values = dense<[1, 8, 1, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v18 = tosa.reshape %v16, %s17 : (tensor<1x8x1x16xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x1xf32>
  %s19 = tosa.const_shape {values = dense<[1, 1, 1, 1, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v20 = tosa.tile %v18, %s19 : (tensor<1x8x1x16x1xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x2xf32>
  %s21 = tosa.const_shape {values = dense<[1, 8, 1, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v22 = tosa.reshape %v20, %s21 : (tensor<1x8x1x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x1x32xf32>
  %s23 = tosa.const_shape {values = dense<[1, 8, 1, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v24 = tosa.reshape %v14, %s23 : (tensor<1x8x16xf32>, !tosa.shape<4>) -> tensor<1x8x1x16xf32>
  %s25 = tosa.const_shape {values = dense<[1, 8, 1, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v26 = tosa.reshape %v24, %s25 : (tensor<1x8x1x16xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x1xf32>
  %s27 = tosa.const_shape {values = dense<[1, 1, 1, 1, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v28 = tosa.tile %v26, %s27 : (tensor<1x8x1x16x1xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x2xf32>
  %s29 = tosa.const_shape {values = dense<[1, 8, 1, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v30 = tosa.reshape %v28, %s29 : (tensor<1x8x1x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x1x32xf32>
  // k_rot = k[:, :, :, :R]; k_pass = k[:, :, :, R:]
  %s31 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s32 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v33 = tosa.slice %key, %s31, %s32 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %s34 = tosa.const_shape {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s35 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v36 = tosa.slice %key, %s34, %s35 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %shift37 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v38 = tosa.mul %v33, %v30, %shift37 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
  // rotate_every_two: tf.stack((-x[..., 1::2], x[..., ::2]), axis=-1), reshape to [..., R]
  %s39 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0, 0, 0, 1]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %padc40 = "tosa.const"() <{values = dense<[0.000000000e+00]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %v41 = tosa.pad %v33, %s39, %padc40 : (tensor<1x8x4x32xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x8x4x33xf32>
  %s42 = tosa.const_shape {values = dense<[0, 0, 0, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s43 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v44 = tosa.slice %v41, %s42, %s43 : (tensor<1x8x4x33xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %s45 = tosa.const_shape {values = dense<[1, 8, 4, 16, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v46 = tosa.reshape %v44, %s45 : (tensor<1x8x4x32xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x2xf32>
  %s47 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s48 = tosa.const_shape {values = dense<[1, 8, 4, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v49 = tosa.slice %v46, %s47, %s48 : (tensor<1x8x4x16x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
  %s50 = tosa.const_shape {values = dense<[1, 8, 4, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v51 = tosa.reshape %v49, %s50 : (tensor<1x8x4x16x1xf32>, !tosa.shape<4>) -> tensor<1x8x4x16xf32>
  %s52 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s53 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v54 = tosa.slice %v33, %s52, %s53 : (tensor<1x8x4x32xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %s55 = tosa.const_shape {values = dense<[1, 8, 4, 16, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v56 = tosa.reshape %v54, %s55 : (tensor<1x8x4x32xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x2xf32>
  %s57 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s58 = tosa.const_shape {values = dense<[1, 8, 4, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v59 = tosa.slice %v56, %s57, %s58 : (tensor<1x8x4x16x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
  %s60 = tosa.const_shape {values = dense<[1, 8, 4, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v61 = tosa.reshape %v59, %s60 : (tensor<1x8x4x16x1xf32>, !tosa.shape<4>) -> tensor<1x8x4x16xf32>
  %zp62 = "tosa.const"() <{values = dense<[0.000000000e+00]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %v63 = tosa.negate %v51, %zp62, %zp62 : (tensor<1x8x4x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x4x16xf32>
  // tfl.pack on the new last axis (convertPackOp): concat on axis 0, reshape [2, ...], transpose [1, .., 0]
  %v64 = tosa.concat %v63, %v61 {axis = 0 : i32} : (tensor<1x8x4x16xf32>, tensor<1x8x4x16xf32>) -> tensor<2x8x4x16xf32>
  %s65 = tosa.const_shape {values = dense<[2, 1, 8, 4, 16]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v66 = tosa.reshape %v64, %s65 : (tensor<2x8x4x16xf32>, !tosa.shape<5>) -> tensor<2x1x8x4x16xf32>
  %v67 = tosa.transpose %v66 {perms = array<i32: 1, 2, 3, 4, 0>} : (tensor<2x1x8x4x16xf32>) -> tensor<1x8x4x16x2xf32>
  %s68 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v69 = tosa.reshape %v67, %s68 : (tensor<1x8x4x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %shift70 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v71 = tosa.mul %v69, %v22, %shift70 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
  %v72 = tosa.add %v38, %v71 : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x32xf32>
  %v73 = tosa.concat %v72, %v36 {axis = 3 : i32} : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x64xf32>
  // q_rot = q[:, :, :, :R]; q_pass = q[:, :, :, R:]
  %s74 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s75 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v76 = tosa.slice %query, %s74, %s75 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %s77 = tosa.const_shape {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s78 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v79 = tosa.slice %query, %s77, %s78 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %shift80 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v81 = tosa.mul %v76, %v30, %shift80 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
  // rotate_every_two: tf.stack((-x[..., 1::2], x[..., ::2]), axis=-1), reshape to [..., R]
  %s82 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0, 0, 0, 1]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %padc83 = "tosa.const"() <{values = dense<[0.000000000e+00]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %v84 = tosa.pad %v76, %s82, %padc83 : (tensor<1x8x4x32xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x8x4x33xf32>
  %s85 = tosa.const_shape {values = dense<[0, 0, 0, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s86 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v87 = tosa.slice %v84, %s85, %s86 : (tensor<1x8x4x33xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %s88 = tosa.const_shape {values = dense<[1, 8, 4, 16, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v89 = tosa.reshape %v87, %s88 : (tensor<1x8x4x32xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x2xf32>
  %s90 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s91 = tosa.const_shape {values = dense<[1, 8, 4, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v92 = tosa.slice %v89, %s90, %s91 : (tensor<1x8x4x16x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
  %s93 = tosa.const_shape {values = dense<[1, 8, 4, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v94 = tosa.reshape %v92, %s93 : (tensor<1x8x4x16x1xf32>, !tosa.shape<4>) -> tensor<1x8x4x16xf32>
  %s95 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s96 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v97 = tosa.slice %v76, %s95, %s96 : (tensor<1x8x4x32xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %s98 = tosa.const_shape {values = dense<[1, 8, 4, 16, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v99 = tosa.reshape %v97, %s98 : (tensor<1x8x4x32xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x2xf32>
  %s100 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s101 = tosa.const_shape {values = dense<[1, 8, 4, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v102 = tosa.slice %v99, %s100, %s101 : (tensor<1x8x4x16x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
  %s103 = tosa.const_shape {values = dense<[1, 8, 4, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v104 = tosa.reshape %v102, %s103 : (tensor<1x8x4x16x1xf32>, !tosa.shape<4>) -> tensor<1x8x4x16xf32>
  %zp105 = "tosa.const"() <{values = dense<[0.000000000e+00]> : tensor<1xf32>}> : () -> tensor<1xf32>
  %v106 = tosa.negate %v94, %zp105, %zp105 : (tensor<1x8x4x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x4x16xf32>
  // tfl.pack on the new last axis (convertPackOp): concat on axis 0, reshape [2, ...], transpose [1, .., 0]
  %v107 = tosa.concat %v106, %v104 {axis = 0 : i32} : (tensor<1x8x4x16xf32>, tensor<1x8x4x16xf32>) -> tensor<2x8x4x16xf32>
  %s108 = tosa.const_shape {values = dense<[2, 1, 8, 4, 16]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %v109 = tosa.reshape %v107, %s108 : (tensor<2x8x4x16xf32>, !tosa.shape<5>) -> tensor<2x1x8x4x16xf32>
  %v110 = tosa.transpose %v109 {perms = array<i32: 1, 2, 3, 4, 0>} : (tensor<2x1x8x4x16xf32>) -> tensor<1x8x4x16x2xf32>
  %s111 = tosa.const_shape {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %v112 = tosa.reshape %v110, %s111 : (tensor<1x8x4x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
  %shift113 = "tosa.const"() <{values = dense<[0]> : tensor<1xi8>}> : () -> tensor<1xi8>
  %v114 = tosa.mul %v112, %v22, %shift113 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
  %v115 = tosa.add %v81, %v114 : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x32xf32>
  %v116 = tosa.concat %v115, %v79 {axis = 3 : i32} : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x64xf32>
  return %v116, %v73 : tensor<1x8x4x64xf32>, tensor<1x8x4x64xf32>
}
