// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: Qwen2-VL HF Qwen2VLRotaryEmbedding + apply_multimodal_rotary_pos_emb (mrope_section [16, 24, 24]), positions [3, B, S], GQA (4 q heads, 2 kv heads), S=8, torch-mlir TOSA backend pipeline, f32
// FUNC: @qwen2vl_mrope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=1000000 axes=sequential:16,24,24
// EXPECT: rotate
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// Qwen2-VL's MRoPE through torch-mlir's TorchToTosa + cleanup:
// - inv_freq[None, None, :, None].expand(3, B, -1, 1): a constant [1, 1, P, 1] and tosa.tile [3, B, 1, 1];
// - the rank-4 @ is reshaped to rank 3 ([3B, P, 1] x [3B, 1, S]) for tosa.matmul and reshaped back to
//   [3, B, P, S]; .transpose(2, 3) is tosa.transpose perms [0, 1, 3, 2];
// - cos.split(mrope_section * 2, -1) (split_with_sizes -> aten.slice.Tensor) and m[i % 3] (aten.select.int ->
//   slice + squeeze, DecomposeAtenSelectIntOp) are tosa.slice's: after canonicalize each chunk is one or two
//   tosa.slice [3, B, S, D] -> [1, B, S, n] (axis i % 3, lanes of chunk i) and a tosa.reshape to [B, S, n];
//   six chunks per table (t, h, w for each half) joined by one tosa.concat;
// - the rest is HF's apply_rotary_pos_emb (tosa.reshape unsqueeze, tosa.mul broadcast, tosa.slice/negate/concat).

module {
  func.func @qwen2vl_mrope(%arg0: tensor<1x4x8x128xf32>, %arg1: tensor<1x2x8x128xf32>, %arg2: tensor<3x1x8xi64>) -> (tensor<1x4x8x128xf32>, tensor<1x2x8x128xf32>) {
    %0 = tosa.const_shape  {values = dense<[1, 2, 8, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %1 = tosa.const_shape  {values = dense<[1, 4, 8, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %2 = tosa.const_shape  {values = dense<[1, 1, 8, 128]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %3 = tosa.const_shape  {values = dense<[0, 0, 0, 104]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %4 = tosa.const_shape  {values = dense<[0, 0, 0, 80]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %5 = tosa.const_shape  {values = dense<[0, 0, 0, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %6 = tosa.const_shape  {values = dense<[2, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %7 = tosa.const_shape  {values = dense<[0, 0, 0, 40]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %8 = tosa.const_shape  {values = dense<[1, 8, 24]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %9 = tosa.const_shape  {values = dense<[1, 1, 8, 24]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %10 = tosa.const_shape  {values = dense<[1, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %11 = tosa.const_shape  {values = dense<[3, 1, 8, 24]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %12 = tosa.const_shape  {values = dense<[0, 0, 0, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %13 = tosa.const_shape  {values = dense<[1, 8, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %14 = tosa.const_shape  {values = dense<[1, 1, 8, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %15 = tosa.const_shape  {values = dense<[3, 1, 8, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %16 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %17 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %18 = tosa.const_shape  {values = dense<[3, 1, 64, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %19 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %20 = tosa.const_shape  {values = dense<[3, 64, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %21 = tosa.const_shape  {values = dense<[3, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %22 = tosa.const_shape  {values = dense<[3, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %23 = tosa.const_shape  {values = dense<[3, 1, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %24 = "tosa.const"() <{values = dense<[[[[1.000000e+00], [0.80584222], [0.649381638], [0.523299158], [0.421696514], [0.339820832], [0.273841977], [0.220673397], [0.177827939], [0.143301263], [0.115478203], [9.305720e-02], [0.0749894157], [0.0604296438], [0.0486967526], [3.924190e-02], [0.0316227786], [0.0254829675], [0.0205352511], [0.0165481716], [0.0133352149], [0.0107460786], [0.00865964312], [0.00697830599], [0.00562341325], [0.00453158375], [0.00365174143], [0.00294272718], [0.00237137382], [0.00191095285], [0.00153992651], [0.00124093785], [1.000000e-03], [8.05842225E-4], [6.49381662E-4], [5.23299095E-4], [4.21696488E-4], [3.39820806E-4], [2.73841957E-4], [2.20673421E-4], [1.7782794E-4], [1.43301266E-4], [1.15478193E-4], [9.30572059E-5], [7.49894243E-5], [6.04296365E-5], [4.86967547E-5], [3.924190e-05], [3.16227743E-5], [2.54829665E-5], [2.05352499E-5], [1.65481706E-5], [1.33352141E-5], [1.07460783E-5], [8.65964375E-6], [6.97830637E-6], [5.62341347E-6], [4.53158373E-6], [3.65174128E-6], [2.94272718E-6], [2.37137374E-6], [1.91095296E-6], [1.53992653E-6], [1.24093776E-6]]]]> : tensor<1x1x64x1xf32>}> : () -> tensor<1x1x64x1xf32>
    %25 = tosa.tile %24, %23 : (tensor<1x1x64x1xf32>, !tosa.shape<4>) -> tensor<3x1x64x1xf32>
    %26 = tosa.reshape %arg2, %21 : (tensor<3x1x8xi64>, !tosa.shape<4>) -> tensor<3x1x1x8xi64>
    %27 = tosa.cast %26 : (tensor<3x1x1x8xi64>) -> tensor<3x1x1x8xf32>
    %28 = tosa.reshape %25, %20 : (tensor<3x1x64x1xf32>, !tosa.shape<3>) -> tensor<3x64x1xf32>
    %29 = tosa.reshape %27, %22 : (tensor<3x1x1x8xf32>, !tosa.shape<3>) -> tensor<3x1x8xf32>
    %30 = tosa.matmul %28, %29, %19, %19 : (tensor<3x64x1xf32>, tensor<3x1x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<3x64x8xf32>
    %31 = tosa.reshape %30, %18 : (tensor<3x64x8xf32>, !tosa.shape<4>) -> tensor<3x1x64x8xf32>
    %32 = tosa.transpose %31 {perms = array<i32: 0, 1, 3, 2>} : (tensor<3x1x64x8xf32>) -> tensor<3x1x8x64xf32>
    %33 = tosa.concat %32, %32 {axis = 3 : i32} : (tensor<3x1x8x64xf32>, tensor<3x1x8x64xf32>) -> tensor<3x1x8x128xf32>
    %34 = tosa.cos %33 : (tensor<3x1x8x128xf32>) -> tensor<3x1x8x128xf32>
    %35 = tosa.sin %33 : (tensor<3x1x8x128xf32>) -> tensor<3x1x8x128xf32>
    %36 = tosa.slice %34, %16, %15 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x16xf32>
    %37 = tosa.slice %36, %16, %14 : (tensor<3x1x8x16xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x16xf32>
    %38 = tosa.reshape %37, %13 : (tensor<1x1x8x16xf32>, !tosa.shape<3>) -> tensor<1x8x16xf32>
    %39 = tosa.slice %34, %12, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %40 = tosa.slice %39, %10, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %41 = tosa.reshape %40, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %42 = tosa.slice %34, %7, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %43 = tosa.slice %42, %6, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %44 = tosa.reshape %43, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %45 = tosa.slice %34, %5, %15 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x16xf32>
    %46 = tosa.slice %45, %16, %14 : (tensor<3x1x8x16xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x16xf32>
    %47 = tosa.reshape %46, %13 : (tensor<1x1x8x16xf32>, !tosa.shape<3>) -> tensor<1x8x16xf32>
    %48 = tosa.slice %34, %4, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %49 = tosa.slice %48, %10, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %50 = tosa.reshape %49, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %51 = tosa.slice %34, %3, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %52 = tosa.slice %51, %6, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %53 = tosa.reshape %52, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %54 = tosa.concat %38, %41, %44, %47, %50, %53 {axis = 2 : i32} : (tensor<1x8x16xf32>, tensor<1x8x24xf32>, tensor<1x8x24xf32>, tensor<1x8x16xf32>, tensor<1x8x24xf32>, tensor<1x8x24xf32>) -> tensor<1x8x128xf32>
    %55 = tosa.slice %35, %16, %15 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x16xf32>
    %56 = tosa.slice %55, %16, %14 : (tensor<3x1x8x16xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x16xf32>
    %57 = tosa.reshape %56, %13 : (tensor<1x1x8x16xf32>, !tosa.shape<3>) -> tensor<1x8x16xf32>
    %58 = tosa.slice %35, %12, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %59 = tosa.slice %58, %10, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %60 = tosa.reshape %59, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %61 = tosa.slice %35, %7, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %62 = tosa.slice %61, %6, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %63 = tosa.reshape %62, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %64 = tosa.slice %35, %5, %15 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x16xf32>
    %65 = tosa.slice %64, %16, %14 : (tensor<3x1x8x16xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x16xf32>
    %66 = tosa.reshape %65, %13 : (tensor<1x1x8x16xf32>, !tosa.shape<3>) -> tensor<1x8x16xf32>
    %67 = tosa.slice %35, %4, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %68 = tosa.slice %67, %10, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %69 = tosa.reshape %68, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %70 = tosa.slice %35, %3, %11 : (tensor<3x1x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<3x1x8x24xf32>
    %71 = tosa.slice %70, %6, %9 : (tensor<3x1x8x24xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x8x24xf32>
    %72 = tosa.reshape %71, %8 : (tensor<1x1x8x24xf32>, !tosa.shape<3>) -> tensor<1x8x24xf32>
    %73 = tosa.concat %57, %60, %63, %66, %69, %72 {axis = 2 : i32} : (tensor<1x8x16xf32>, tensor<1x8x24xf32>, tensor<1x8x24xf32>, tensor<1x8x16xf32>, tensor<1x8x24xf32>, tensor<1x8x24xf32>) -> tensor<1x8x128xf32>
    %74 = tosa.reshape %54, %2 : (tensor<1x8x128xf32>, !tosa.shape<4>) -> tensor<1x1x8x128xf32>
    %75 = tosa.reshape %73, %2 : (tensor<1x8x128xf32>, !tosa.shape<4>) -> tensor<1x1x8x128xf32>
    %76 = tosa.mul %arg0, %74, %17 : (tensor<1x4x8x128xf32>, tensor<1x1x8x128xf32>, tensor<1xi8>) -> tensor<1x4x8x128xf32>
    %77 = tosa.slice %arg0, %16, %1 : (tensor<1x4x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x64xf32>
    %78 = tosa.slice %arg0, %5, %1 : (tensor<1x4x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x8x64xf32>
    %79 = tosa.negate %78, %19, %19 : (tensor<1x4x8x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8x64xf32>
    %80 = tosa.concat %79, %77 {axis = 3 : i32} : (tensor<1x4x8x64xf32>, tensor<1x4x8x64xf32>) -> tensor<1x4x8x128xf32>
    %81 = tosa.mul %80, %75, %17 : (tensor<1x4x8x128xf32>, tensor<1x1x8x128xf32>, tensor<1xi8>) -> tensor<1x4x8x128xf32>
    %82 = tosa.add %76, %81 : (tensor<1x4x8x128xf32>, tensor<1x4x8x128xf32>) -> tensor<1x4x8x128xf32>
    %83 = tosa.mul %arg1, %74, %17 : (tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>, tensor<1xi8>) -> tensor<1x2x8x128xf32>
    %84 = tosa.slice %arg1, %16, %0 : (tensor<1x2x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x8x64xf32>
    %85 = tosa.slice %arg1, %5, %0 : (tensor<1x2x8x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x8x64xf32>
    %86 = tosa.negate %85, %19, %19 : (tensor<1x2x8x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x8x64xf32>
    %87 = tosa.concat %86, %84 {axis = 3 : i32} : (tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) -> tensor<1x2x8x128xf32>
    %88 = tosa.mul %87, %75, %17 : (tensor<1x2x8x128xf32>, tensor<1x1x8x128xf32>, tensor<1xi8>) -> tensor<1x2x8x128xf32>
    %89 = tosa.add %83, %88 : (tensor<1x2x8x128xf32>, tensor<1x2x8x128xf32>) -> tensor<1x2x8x128xf32>
    return %82, %89 : tensor<1x4x8x128xf32>, tensor<1x2x8x128xf32>
  }
}
