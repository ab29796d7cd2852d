// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: hand-linalg
// MODEL: Qwen3 text rotary embedding (theta 1e6, head_dim 128, NeoX halves) as a hand-written fused linalg kernel: one generic computes the angle from the position and reads the partner lane with tensor.extract, f32, prefill
// FUNC: @fused_rope_qwen3
// ARGS: x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=1000000 pos_max=4096
// EXPECT: rotate
//
// What a kernel author (or a compiler emitting one fused loop nest) writes:
// lane d pairs with d + 64 (d < 64) or d - 64, found by linalg.index 3 and
// arith.select; the partner value is tensor.extract'ed from x itself; the
// frequency index j = d mod 64 gives inv = theta ** (-2 j / 128) by math.powf
// (the exponent as j * -1/64); the position comes in through a (d0, d2) map
// of position_ids [B, S]; cos and sin are computed per element.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pos = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
func.func @fused_rope_qwen3(%x: tensor<1x2x8x128xf32>, %position_ids: tensor<1x8xi64>) -> tensor<1x2x8x128xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %theta = arith.constant 1.000000e+06 : f32
  %m2overd = arith.constant -1.562500e-02 : f32
  %e = tensor.empty() : tensor<1x2x8x128xf32>
  %y = linalg.generic {indexing_maps = [#id, #pos, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %position_ids : tensor<1x2x8x128xf32>, tensor<1x8xi64>) outs(%e : tensor<1x2x8x128xf32>) {
  ^bb0(%xv: f32, %p: i64, %out: f32):
    %b = linalg.index 0 : index
    %h = linalg.index 1 : index
    %s = linalg.index 2 : index
    %d = linalg.index 3 : index
    %lt = arith.cmpi ult, %d, %c64 : index
    %dm = arith.subi %d, %c64 : index
    %dp = arith.addi %d, %c64 : index
    %partner = arith.select %lt, %dp, %dm : index
    %j = arith.remui %d, %c64 : index
    %neg = arith.cmpi ult, %d, %c64 : index
    %xp = tensor.extract %x[%b, %h, %s, %partner] : tensor<1x2x8x128xf32>
    %jint = arith.index_cast %j : index to i64
    %jf = arith.uitofp %jint : i64 to f32
    %ex = arith.mulf %jf, %m2overd : f32
    %inv = math.powf %theta, %ex : f32
    %pf = arith.sitofp %p : i64 to f32
    %ang = arith.mulf %pf, %inv : f32
    %cv = math.cos %ang : f32
    %sv = math.sin %ang : f32
    %nxp = arith.negf %xp : f32
    %rot = arith.select %neg, %nxp, %xp : f32
    %a = arith.mulf %xv, %cv : f32
    %r = arith.mulf %rot, %sv : f32
    %o = arith.addf %a, %r : f32
    linalg.yield %o : f32
  } -> tensor<1x2x8x128xf32>
  return %y : tensor<1x2x8x128xf32>
}
