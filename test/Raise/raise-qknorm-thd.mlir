// RUN: rope-opt %s -p 'builtin.module(func.func(rope-raise{report=true}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: rope-opt %s -p 'builtin.module(func.func(rope-raise))' | FileCheck %s
// RUN: rope-opt %s -p 'builtin.module(func.func(rope-raise),func.func(rope-fuse-neighbours))' | FileCheck %s --check-prefix=FUSED
// COM: Numbers (raised, then --rope-cpu-pipeline, against float64):
// COM: test/e2e/model_ops.test, case qk_norm_thd_raised_bf16.

// COM: Qwen3's QK-norm (bf16 RMSNorm per head with weight, HF/torch-mlir
// COM: spelling) in the rope layout [T, H, D], no transpose before
// COM: rotate_half. The norm's input has the root's shape, so the flattening
// COM: through the norm finds it as x with rsqrt(mean(x^2)) and the weight
// COM: among the tables, which no plan takes; the norm's output, kept whole,
// COM: is then tried as x and is rotated by positions-only tables.
// REPORT: remark: raised: rope.rotate, 2 tensor(s), layout thd, pairing half, rotary_dim 64, theta 1.000000e+06
// REPORT-NOT: not raised
// FUSED-LABEL: func.func @step
// FUSED: scf.for
// FUSED: iterator_types = ["parallel", "parallel", "reduction"]
// FUSED: math.rsqrt
// FUSED: iterator_types = ["parallel", "parallel", "reduction"]
// FUSED: math.rsqrt
// FUSED: rope.rotate
// FUSED: scf.yield
// CHECK-LABEL: func.func @step
// CHECK: math.rsqrt
// CHECK: rope.rotate ins({{.*}} : tensor<7x4x64xbf16>, tensor<7x2x64xbf16>) positions
// CHECK-NOT: math.cos

func.func @step(%arg_q: tensor<7x256xbf16>, %arg_k: tensor<7x128xbf16>, %arg_wq: tensor<64xbf16>, %arg_wk: tensor<64xbf16>, %arg_pos: tensor<1x7xi64>, %arg_start: tensor<1xi64>, %arg_cache: tensor<36x2x64xbf16>) -> (tensor<7x4x64xbf16>, tensor<36x2x64xbf16>) {
  %czero = arith.constant 0.0 : f32
  %c2_i64 = arith.constant 2 : i64
  %c2_f32 = arith.constant 2.0 : f32
  %cD = arith.constant 64.0 : f32
  %cinvD = arith.constant 1.562500000e-02 : f32
  %ceps = arith.constant 1.000000000e-06 : f32
  %ceps64 = arith.constant 9.99999999999999955e-07 : f64
  %c0 = arith.constant 0 : index
  %q3 = tensor.expand_shape %arg_q [[0], [1, 2]] output_shape [7, 4, 64] : tensor<7x256xbf16> into tensor<7x4x64xbf16>
  %k3 = tensor.expand_shape %arg_k [[0], [1, 2]] output_shape [7, 2, 64] : tensor<7x128xbf16> into tensor<7x2x64xbf16>
  %invf = arith.constant dense<[1.000000000e+00, 6.493816376e-01, 4.216965139e-01, 2.738419771e-01, 1.778279394e-01, 1.154781953e-01, 7.498942316e-02, 4.869675264e-02, 3.162277490e-02, 2.053525113e-02, 1.333521400e-02, 8.659643121e-03, 5.623413250e-03, 3.651741194e-03, 2.371373819e-03, 1.539926510e-03, 1.000000047e-03, 6.493816036e-04, 4.216965172e-04, 2.738419571e-04, 1.778279402e-04, 1.154782003e-04, 7.498942432e-05, 4.869675104e-05, 3.162277790e-05, 2.053524986e-05, 1.333521413e-05, 8.659642845e-06, 5.623413472e-06, 3.651741281e-06, 2.371373739e-06, 1.539926529e-06]> : tensor<32xf32>
  %fe = tensor.empty() : tensor<7x32xf32>
  %freqs = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (0, d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg_pos, %invf : tensor<1x7xi64>, tensor<32xf32>) outs(%fe : tensor<7x32xf32>) {
  ^bb0(%in: i64, %in_0: f32, %out: f32):
    %pf = arith.sitofp %in : i64 to f32
    %q = arith.mulf %pf, %in_0 : f32
    linalg.yield %q : f32
  } -> tensor<7x32xf32>
  %emb = tensor.concat dim(1) %freqs, %freqs : (tensor<7x32xf32>, tensor<7x32xf32>) -> tensor<7x64xf32>
  %cbe = tensor.empty() : tensor<7x64xbf16>
  %cosb = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%emb : tensor<7x64xf32>) outs(%cbe : tensor<7x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %c = math.cos %in : f32
    %q = arith.truncf %c : f32 to bf16
    linalg.yield %q : bf16
  } -> tensor<7x64xbf16>
  %sinb = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%emb : tensor<7x64xf32>) outs(%cbe : tensor<7x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %c = math.sin %in : f32
    %q = arith.truncf %c : f32 to bf16
    linalg.yield %q : bf16
  } -> tensor<7x64xbf16>
  %qn_x32e = tensor.empty() : tensor<7x4x64xf32>
  %qn_x32 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%q3 : tensor<7x4x64xbf16>) outs(%qn_x32e : tensor<7x4x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %v = arith.extf %in : bf16 to f32
    linalg.yield %v : f32
  } -> tensor<7x4x64xf32>
  %qn_sq = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qn_x32 : tensor<7x4x64xf32>) outs(%qn_x32e : tensor<7x4x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %sq = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %sq : f32
  } -> tensor<7x4x64xf32>
  %qn_re = tensor.empty() : tensor<7x4x1xf32>
  %qn_rf = linalg.fill ins(%czero : f32) outs(%qn_re : tensor<7x4x1xf32>) -> tensor<7x4x1xf32>
  %qn_sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%qn_sq : tensor<7x4x64xf32>) outs(%qn_rf : tensor<7x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  } -> tensor<7x4x1xf32>
  %qn_mean = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qn_sum : tensor<7x4x1xf32>) outs(%qn_re : tensor<7x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.divf %in, %cD : f32
    linalg.yield %m : f32
  } -> tensor<7x4x1xf32>
  %qn_var = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qn_mean : tensor<7x4x1xf32>) outs(%qn_re : tensor<7x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %ep = arith.addf %in, %ceps : f32
    linalg.yield %ep : f32
  } -> tensor<7x4x1xf32>
  %qn_rs = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qn_var : tensor<7x4x1xf32>) outs(%qn_re : tensor<7x4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %q = math.rsqrt %in : f32
    linalg.yield %q : f32
  } -> tensor<7x4x1xf32>
  %qn_y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qn_x32, %qn_rs : tensor<7x4x64xf32>, tensor<7x4x1xf32>) outs(%qn_x32e : tensor<7x4x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %q = arith.mulf %in, %in_0 : f32
    linalg.yield %q : f32
  } -> tensor<7x4x64xf32>
  %qn_be = tensor.empty() : tensor<7x4x64xbf16>
  %qn_yb = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qn_y : tensor<7x4x64xf32>) outs(%qn_be : tensor<7x4x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %q = arith.truncf %in : f32 to bf16
    linalg.yield %q : bf16
  } -> tensor<7x4x64xbf16>
  %qn_n = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg_wq, %qn_yb : tensor<64xbf16>, tensor<7x4x64xbf16>) outs(%qn_be : tensor<7x4x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.mulf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x4x64xbf16>
  %kn_x32e = tensor.empty() : tensor<7x2x64xf32>
  %kn_x32 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%k3 : tensor<7x2x64xbf16>) outs(%kn_x32e : tensor<7x2x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %v = arith.extf %in : bf16 to f32
    linalg.yield %v : f32
  } -> tensor<7x2x64xf32>
  %kn_sq = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kn_x32 : tensor<7x2x64xf32>) outs(%kn_x32e : tensor<7x2x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %sq = math.fpowi %in, %c2_i64 : f32, i64
    linalg.yield %sq : f32
  } -> tensor<7x2x64xf32>
  %kn_re = tensor.empty() : tensor<7x2x1xf32>
  %kn_rf = linalg.fill ins(%czero : f32) outs(%kn_re : tensor<7x2x1xf32>) -> tensor<7x2x1xf32>
  %kn_sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%kn_sq : tensor<7x2x64xf32>) outs(%kn_rf : tensor<7x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  } -> tensor<7x2x1xf32>
  %kn_mean = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kn_sum : tensor<7x2x1xf32>) outs(%kn_re : tensor<7x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.divf %in, %cD : f32
    linalg.yield %m : f32
  } -> tensor<7x2x1xf32>
  %kn_var = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kn_mean : tensor<7x2x1xf32>) outs(%kn_re : tensor<7x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %ep = arith.addf %in, %ceps : f32
    linalg.yield %ep : f32
  } -> tensor<7x2x1xf32>
  %kn_rs = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kn_var : tensor<7x2x1xf32>) outs(%kn_re : tensor<7x2x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %q = math.rsqrt %in : f32
    linalg.yield %q : f32
  } -> tensor<7x2x1xf32>
  %kn_y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kn_x32, %kn_rs : tensor<7x2x64xf32>, tensor<7x2x1xf32>) outs(%kn_x32e : tensor<7x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %q = arith.mulf %in, %in_0 : f32
    linalg.yield %q : f32
  } -> tensor<7x2x64xf32>
  %kn_be = tensor.empty() : tensor<7x2x64xbf16>
  %kn_yb = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kn_y : tensor<7x2x64xf32>) outs(%kn_be : tensor<7x2x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %q = arith.truncf %in : f32 to bf16
    linalg.yield %q : bf16
  } -> tensor<7x2x64xbf16>
  %kn_n = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg_wk, %kn_yb : tensor<64xbf16>, tensor<7x2x64xbf16>) outs(%kn_be : tensor<7x2x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.mulf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x2x64xbf16>
  %qr_e = tensor.empty() : tensor<7x4x64xbf16>
  %qr_qc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qn_n, %cosb : tensor<7x4x64xbf16>, tensor<7x64xbf16>) outs(%qr_e : tensor<7x4x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.mulf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x4x64xbf16>
  %qr_x1 = tensor.extract_slice %qn_n[0, 0, 0] [7, 4, 32] [1, 1, 1] : tensor<7x4x64xbf16> to tensor<7x4x32xbf16>
  %qr_x2 = tensor.extract_slice %qn_n[0, 0, 32] [7, 4, 32] [1, 1, 1] : tensor<7x4x64xbf16> to tensor<7x4x32xbf16>
  %qr_he = tensor.empty() : tensor<7x4x32xbf16>
  %qr_nx2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qr_x2 : tensor<7x4x32xbf16>) outs(%qr_he : tensor<7x4x32xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %q = arith.negf %in : bf16
    linalg.yield %q : bf16
  } -> tensor<7x4x32xbf16>
  %qr_rh = tensor.concat dim(2) %qr_nx2, %qr_x1 : (tensor<7x4x32xbf16>, tensor<7x4x32xbf16>) -> tensor<7x4x64xbf16>
  %qr_rs = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qr_rh, %sinb : tensor<7x4x64xbf16>, tensor<7x64xbf16>) outs(%qr_e : tensor<7x4x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.mulf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x4x64xbf16>
  %qr_rot = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%qr_qc, %qr_rs : tensor<7x4x64xbf16>, tensor<7x4x64xbf16>) outs(%qr_e : tensor<7x4x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.addf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x4x64xbf16>
  %kr_e = tensor.empty() : tensor<7x2x64xbf16>
  %kr_qc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kn_n, %cosb : tensor<7x2x64xbf16>, tensor<7x64xbf16>) outs(%kr_e : tensor<7x2x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.mulf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x2x64xbf16>
  %kr_x1 = tensor.extract_slice %kn_n[0, 0, 0] [7, 2, 32] [1, 1, 1] : tensor<7x2x64xbf16> to tensor<7x2x32xbf16>
  %kr_x2 = tensor.extract_slice %kn_n[0, 0, 32] [7, 2, 32] [1, 1, 1] : tensor<7x2x64xbf16> to tensor<7x2x32xbf16>
  %kr_he = tensor.empty() : tensor<7x2x32xbf16>
  %kr_nx2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kr_x2 : tensor<7x2x32xbf16>) outs(%kr_he : tensor<7x2x32xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    %q = arith.negf %in : bf16
    linalg.yield %q : bf16
  } -> tensor<7x2x32xbf16>
  %kr_rh = tensor.concat dim(2) %kr_nx2, %kr_x1 : (tensor<7x2x32xbf16>, tensor<7x2x32xbf16>) -> tensor<7x2x64xbf16>
  %kr_rs = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kr_rh, %sinb : tensor<7x2x64xbf16>, tensor<7x64xbf16>) outs(%kr_e : tensor<7x2x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.mulf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x2x64xbf16>
  %kr_rot = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kr_qc, %kr_rs : tensor<7x2x64xbf16>, tensor<7x2x64xbf16>) outs(%kr_e : tensor<7x2x64xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %q = arith.addf %in, %in_0 : bf16
    linalg.yield %q : bf16
  } -> tensor<7x2x64xbf16>
  %s64 = tensor.extract %arg_start[%c0] : tensor<1xi64>
  %s = arith.index_cast %s64 : i64 to index
  %newc = tensor.insert_slice %kr_rot into %arg_cache[%s, 0, 0] [7, 2, 64] [1, 1, 1] : tensor<7x2x64xbf16> into tensor<36x2x64xbf16>
  return %qr_rot, %newc : tensor<7x4x64xbf16>, tensor<36x2x64xbf16>
}
