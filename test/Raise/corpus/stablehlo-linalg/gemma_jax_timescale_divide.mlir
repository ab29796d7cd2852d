// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: stablehlo-linalg
// MODEL: Gemma JAX apply_rope (flax examples/gemma positional_embeddings.py: positions / max_wavelength**fraction, split halves, x1*cos - x2*sin ++ x2*cos + x1*sin) via jax.export StableHLO, stablehlo-legalize-to-linalg (default), f32, prefill
// FUNC: @gemma_apply_rope
// ARGS: x pos
// REF: layout=bshd pairing=half rotary_dim=128 theta=10000 pos_max=2048
// EXPECT: rotate
//
// Nothing is constant-folded by the exporter, so the spectrum is in the graph:
// - fraction = 2 * jnp.arange(0, H // 2) / H: stablehlo.iota -> an output-only
//   generic with linalg.index + arith.index_cast (i32), a muli by the captured
//   splat 2, convert (arith.sitofp) and a divf by 128.0;
// - timescale = max_wavelength ** fraction: stablehlo.power -> math.powf;
// - the angles DIVIDE the positions by the timescale (no inv_freq anywhere):
//   positions[..., None] / timescale[None, None, :] broadcasts both sides with
//   yield-only generics, maps (d0, d1, 0) and (0, 0, d2);
// - sinusoid_inp[..., None, :] is a reshape, "/= scale_factor" a divf by 1.0;
// - the rotation is the split-halves (trig identity) form, no rotate_half:
//   concatenate(x1*cos - x2*sin, x2*cos + x1*sin) on the last dim, the
//   concatenate lowered to the index / scf.if / tensor.extract generic;
// - cos and sin [B, T, 1, P] are broadcast over the heads once each, map
//   (d0, d1, 0, d3), and read by both products that need them.
#id1 = affine_map<(d0) -> (d0)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#posb = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#tsb = affine_map<(d0, d1, d2) -> (0, 0, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#hb = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
func.func @gemma_apply_rope(%inputs: tensor<2x8x2x128xf32>, %positions: tensor<2x8xi32>) -> tensor<2x8x2x128xf32> {
  %c2_i32 = arith.constant 2 : i32
  %cst_128 = arith.constant 1.280000e+02 : f32
  %cst_wl = arith.constant 1.000000e+04 : f32
  %cst_one = arith.constant 1.000000e+00 : f32
  %c64 = arith.constant 64 : index
  // fraction = 2 * arange(64) / 128 ; timescale = 10000 ** fraction
  %e0 = tensor.empty() : tensor<64xi32>
  %iota = linalg.generic {indexing_maps = [#id1], iterator_types = ["parallel"]} outs(%e0 : tensor<64xi32>) {
  ^bb0(%out: i32):
    %i = linalg.index 0 : index
    %0 = arith.index_cast %i : index to i32
    linalg.yield %0 : i32
  } -> tensor<64xi32>
  %twice = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%iota : tensor<64xi32>) outs(%e0 : tensor<64xi32>) {
  ^bb0(%in: i32, %out: i32):
    %0 = arith.muli %in, %c2_i32 : i32
    linalg.yield %0 : i32
  } -> tensor<64xi32>
  %e1 = tensor.empty() : tensor<64xf32>
  %twicef = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%twice : tensor<64xi32>) outs(%e1 : tensor<64xf32>) {
  ^bb0(%in: i32, %out: f32):
    %0 = arith.sitofp %in : i32 to f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  %fraction = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%twicef : tensor<64xf32>) outs(%e1 : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.divf %in, %cst_128 : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  %timescale = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%fraction : tensor<64xf32>) outs(%e1 : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.powf %cst_wl, %in : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  // sinusoid_inp = positions[..., None] / timescale[None, None, :]
  %e2 = tensor.empty() : tensor<2x8xf32>
  %posf = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%positions : tensor<2x8xi32>) outs(%e2 : tensor<2x8xf32>) {
  ^bb0(%in: i32, %out: f32):
    %0 = arith.sitofp %in : i32 to f32
    linalg.yield %0 : f32
  } -> tensor<2x8xf32>
  %pos3 = tensor.expand_shape %posf [[0], [1, 2]] output_shape [2, 8, 1] : tensor<2x8xf32> into tensor<2x8x1xf32>
  %ts3 = tensor.expand_shape %timescale [[0, 1, 2]] output_shape [1, 1, 64] : tensor<64xf32> into tensor<1x1x64xf32>
  %e3 = tensor.empty() : tensor<2x8x64xf32>
  %posb = linalg.generic {indexing_maps = [#posb, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pos3 : tensor<2x8x1xf32>) outs(%e3 : tensor<2x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x64xf32>
  %tsb = linalg.generic {indexing_maps = [#tsb, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%ts3 : tensor<1x1x64xf32>) outs(%e3 : tensor<2x8x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x64xf32>
  %sinusoid = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%posb, %tsb : tensor<2x8x64xf32>, tensor<2x8x64xf32>) outs(%e3 : tensor<2x8x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.divf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x64xf32>
  %sin4 = tensor.expand_shape %sinusoid [[0], [1], [2, 3]] output_shape [2, 8, 1, 64] : tensor<2x8x64xf32> into tensor<2x8x1x64xf32>
  %e4 = tensor.empty() : tensor<2x8x1x64xf32>
  %scaled = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sin4 : tensor<2x8x1x64xf32>) outs(%e4 : tensor<2x8x1x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.divf %in, %cst_one : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x1x64xf32>
  %sin = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scaled : tensor<2x8x1x64xf32>) outs(%e4 : tensor<2x8x1x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.sin %in : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x1x64xf32>
  %cos = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%scaled : tensor<2x8x1x64xf32>) outs(%e4 : tensor<2x8x1x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.cos %in : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x1x64xf32>
  // first_half, second_half = jnp.split(inputs, 2, axis=-1)
  %x1 = tensor.extract_slice %inputs[0, 0, 0, 0] [2, 8, 2, 64] [1, 1, 1, 1] : tensor<2x8x2x128xf32> to tensor<2x8x2x64xf32>
  %x2 = tensor.extract_slice %inputs[0, 0, 0, 64] [2, 8, 2, 64] [1, 1, 1, 1] : tensor<2x8x2x128xf32> to tensor<2x8x2x64xf32>
  %e5 = tensor.empty() : tensor<2x8x2x64xf32>
  %cosb = linalg.generic {indexing_maps = [#hb, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cos : tensor<2x8x1x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x2x64xf32>
  %sinb = linalg.generic {indexing_maps = [#hb, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sin : tensor<2x8x1x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x8x2x64xf32>
  %m1 = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x1, %cosb : tensor<2x8x2x64xf32>, tensor<2x8x2x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x2x64xf32>
  %m2 = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x2, %sinb : tensor<2x8x2x64xf32>, tensor<2x8x2x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x2x64xf32>
  %first = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%m1, %m2 : tensor<2x8x2x64xf32>, tensor<2x8x2x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.subf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x2x64xf32>
  %m3 = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x2, %cosb : tensor<2x8x2x64xf32>, tensor<2x8x2x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x2x64xf32>
  %m4 = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x1, %sinb : tensor<2x8x2x64xf32>, tensor<2x8x2x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x2x64xf32>
  %second = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%m3, %m4 : tensor<2x8x2x64xf32>, tensor<2x8x2x64xf32>) outs(%e5 : tensor<2x8x2x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.addf %in, %in_0 : f32
    linalg.yield %0 : f32
  } -> tensor<2x8x2x64xf32>
  %e6 = tensor.empty() : tensor<2x8x2x128xf32>
  %out = linalg.generic {indexing_maps = [#id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%e6 : tensor<2x8x2x128xf32>) {
  ^bb0(%o: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %lt = arith.cmpi ult, %i3, %c64 : index
    %v = scf.if %lt -> (f32) {
      %x = tensor.extract %first[%i0, %i1, %i2, %i3] : tensor<2x8x2x64xf32>
      scf.yield %x : f32
    } else {
      %j = arith.subi %i3, %c64 : index
      %x = tensor.extract %second[%i0, %i1, %i2, %j] : tensor<2x8x2x64xf32>
      scf.yield %x : f32
    }
    linalg.yield %v : f32
  } -> tensor<2x8x2x128xf32>
  return %out : tensor<2x8x2x128xf32>
}
