// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: Qwen3-VL HF Qwen3VLTextRotaryEmbedding.apply_interleaved_mrope (transformers 5; mrope_section [24, 20, 20]) + apply_rotary_pos_emb, positions [3, B, S], GQA (4 q heads, 2 kv heads), S=4, torch-mlir TOSA backend pipeline, f32
// FUNC: @qwen3vl_mrope
// ARGS: x x pos
// REF: layout=bhsd pairing=half rotary_dim=128 theta=5000000 axes=interleaved:24,20,20
// EXPECT: rotate
// PRE: func.func(tosa-to-scf,tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// apply_interleaved_mrope writes in place: freqs_t = freqs[0]; freqs_t[..., 1:60:3] = freqs[1, ..., 1:60:3];
// freqs_t[..., 2:60:3] = freqs[2, ..., 2:60:3]. torch.export functionalizes the writes through the view into
// select / slice / slice_scatter / select_scatter, and torch-mlir lowers them so:
// - freqs[dim, ..., off:60:3], a step-3 aten.slice.Tensor: tosa.reshape to [B*S, P, 1], constant indices
//   [off, off+3, ...] reshaped [1, 20] and tosa.tile'd to [B*S, 20], tosa.gather, tosa.reshape to [B, S, 20];
// - aten.slice_scatter(freqs[0], src, -1, off, 60, 3): ConvertAtenOp<AtenSliceScatterOp> ->
//   convertScatterNdOp: an element-wise tosa.scatter on freqs[0] reshaped to [1, B*S*P, 1] with the update
//   reshaped to [1, B*S*20, 1]; its flattened indices (tosa.mul by strides + tosa.reduce_sum of constants)
//   fold to one constant [1, B*S*20];
// - aten.select_scatter(freqs, freqs_t, 0, 0) is unsqueeze + slice_scatter (DecomposeAtenSelectScatterOp):
//   another element-wise tosa.scatter of all B*S*P values into freqs reshaped to [1, 3*B*S*P, 1] (indices 0 ..
//   B*S*P-1), once per write;
// - then freqs[0] (tosa.slice + tosa.reshape), cat, cos, sin and HF's apply_rotary_pos_emb.
// tosa.scatter is lowered by tosa-to-scf (an scf.for of tensor.insert_slice), so PRE runs it first.

module {
  func.func @qwen3vl_mrope(%arg0: tensor<1x4x4x128xf32>, %arg1: tensor<1x2x4x128xf32>, %arg2: tensor<3x1x4xi64>) -> (tensor<1x4x4x128xf32>, tensor<1x2x4x128xf32>) {
    %0 = "tosa.const"() <{values = dense<[[2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44, 47, 50, 53, 56, 59]]> : tensor<1x20xi32>}> : () -> tensor<1x20xi32>
    %1 = "tosa.const"() <{values = dense<[[1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43, 46, 49, 52, 55, 58]]> : tensor<1x20xi32>}> : () -> tensor<1x20xi32>
    %2 = tosa.const_shape  {values = dense<[1, 2, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %3 = tosa.const_shape  {values = dense<[0, 0, 0, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %4 = tosa.const_shape  {values = dense<[1, 4, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %5 = tosa.const_shape  {values = dense<[1, 1, 4, 128]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %6 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %7 = "tosa.const"() <{values = dense<[[2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44, 47, 50, 53, 56, 59, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 102, 105, 108, 111, 114, 117, 120, 123, 130, 133, 136, 139, 142, 145, 148, 151, 154, 157, 160, 163, 166, 169, 172, 175, 178, 181, 184, 187, 194, 197, 200, 203, 206, 209, 212, 215, 218, 221, 224, 227, 230, 233, 236, 239, 242, 245, 248, 251]]> : tensor<1x80xi32>}> : () -> tensor<1x80xi32>
    %8 = tosa.const_shape  {values = dense<[2, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %9 = tosa.const_shape  {values = dense<[3, 1, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %10 = "tosa.const"() <{values = dense<"0x000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000200000002100000022000000230000002400000025000000260000002700000028000000290000002A0000002B0000002C0000002D0000002E0000002F000000300000003100000032000000330000003400000035000000360000003700000038000000390000003A0000003B0000003C0000003D0000003E0000003F000000400000004100000042000000430000004400000045000000460000004700000048000000490000004A0000004B0000004C0000004D0000004E0000004F000000500000005100000052000000530000005400000055000000560000005700000058000000590000005A0000005B0000005C0000005D0000005E0000005F000000600000006100000062000000630000006400000065000000660000006700000068000000690000006A0000006B0000006C0000006D0000006E0000006F000000700000007100000072000000730000007400000075000000760000007700000078000000790000007A0000007B0000007C0000007D0000007E0000007F000000800000008100000082000000830000008400000085000000860000008700000088000000890000008A0000008B0000008C0000008D0000008E0000008F000000900000009100000092000000930000009400000095000000960000009700000098000000990000009A0000009B0000009C0000009D0000009E0000009F000000A0000000A1000000A2000000A3000000A4000000A5000000A6000000A7000000A8000000A9000000AA000000AB000000AC000000AD000000AE000000AF000000B0000000B1000000B2000000B3000000B4000000B5000000B6000000B7000000B8000000B9000000BA000000BB000000BC000000BD000000BE000000BF000000C0000000C1000000C2000000C3000000C4000000C5000000C6000000C7000000C8000000C9000000CA000000CB000000CC000000CD000000CE000000CF000000D0000000D1000000D2000000D3000000D4000000D5000000D6000000D7000000D8000000D9000000DA000000DB000000DC000000DD000000DE000000DF000000E0000000E1000000E2000000E3000000E4000000E5000000E6000000E7000000E8000000E9000000EA000000EB000000EC000000ED000000EE000000EF000000F0000000F1000000F2000000F3000000F4000000F5000000F6000000F7000000F8000000F9000000FA000000FB000000FC000000FD000000FE000000FF000000"> : tensor<1x256xi32>}> : () -> tensor<1x256xi32>
    %11 = tosa.const_shape  {values = dense<[1, 768, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %12 = tosa.const_shape  {values = dense<[1, 80, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %13 = "tosa.const"() <{values = dense<[[1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43, 46, 49, 52, 55, 58, 65, 68, 71, 74, 77, 80, 83, 86, 89, 92, 95, 98, 101, 104, 107, 110, 113, 116, 119, 122, 129, 132, 135, 138, 141, 144, 147, 150, 153, 156, 159, 162, 165, 168, 171, 174, 177, 180, 183, 186, 193, 196, 199, 202, 205, 208, 211, 214, 217, 220, 223, 226, 229, 232, 235, 238, 241, 244, 247, 250]]> : tensor<1x80xi32>}> : () -> tensor<1x80xi32>
    %14 = tosa.const_shape  {values = dense<[1, 256, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %15 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %16 = tosa.const_shape  {values = dense<[4, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %17 = tosa.const_shape  {values = dense<[4, 64, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %18 = tosa.const_shape  {values = dense<[1, 4, 64]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %19 = tosa.const_shape  {values = dense<[1, 1, 4, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %20 = tosa.const_shape  {values = dense<[1, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %21 = tosa.const_shape  {values = dense<[3, 1, 64, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %22 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %23 = tosa.const_shape  {values = dense<[3, 64, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %24 = tosa.const_shape  {values = dense<[3, 1, 1, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %25 = tosa.const_shape  {values = dense<[3, 1, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %26 = tosa.const_shape  {values = dense<[3, 1, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %27 = "tosa.const"() <{values = dense<[[[[1.000000e+00], [7.858300e-01], [0.617528736], [0.485272616], [0.381341755], [0.299669802], [0.235489503], [0.185054719], [0.14542155], [0.11427661], [0.089801982], [0.0705690905], [0.0554553084], [0.0435784459], [0.0342452489], [0.026910942], [0.0211474262], [0.0166182797], [0.0130591439], [0.0102622658], [0.00806439668], [0.00633724453], [0.00497999694], [0.00391343096], [0.00307529117], [0.00241665612], [0.0018990807], [0.00149235455], [0.00117273699], [9.21571918E-4], [7.24198821E-4], [5.69097116E-4], [4.47213621E-4], [3.51433875E-4], [2.76167266E-4], [2.17020512E-4], [1.70541214E-4], [1.34016402E-4], [1.05314102E-4], [8.27589829E-5], [6.50344882E-5], [5.11060534E-5], [4.01606667E-5], [3.15594589E-5], [2.48003671E-5], [1.94888726E-5], [1.53149413E-5], [1.20349387E-5], [9.45741612E-6], [7.43192049E-6], [5.84022655E-6], [4.58942486E-6], [3.60650779E-6], [2.83410191E-6], [2.2271222E-6], [1.7501394E-6], [1.37531208E-6], [1.08076142E-6], [8.49294792E-7], [6.67401252E-7], [5.24463928E-7], [4.12139485E-7], [3.23871546E-7], [2.54507967E-7]]]]> : tensor<1x1x64x1xf32>}> : () -> tensor<1x1x64x1xf32>
    %28 = tosa.tile %27, %26 : (tensor<1x1x64x1xf32>, !tosa.shape<4>) -> tensor<3x1x64x1xf32>
    %29 = tosa.reshape %arg2, %24 : (tensor<3x1x4xi64>, !tosa.shape<4>) -> tensor<3x1x1x4xi64>
    %30 = tosa.cast %29 : (tensor<3x1x1x4xi64>) -> tensor<3x1x1x4xf32>
    %31 = tosa.reshape %28, %23 : (tensor<3x1x64x1xf32>, !tosa.shape<3>) -> tensor<3x64x1xf32>
    %32 = tosa.reshape %30, %25 : (tensor<3x1x1x4xf32>, !tosa.shape<3>) -> tensor<3x1x4xf32>
    %33 = tosa.matmul %31, %32, %22, %22 : (tensor<3x64x1xf32>, tensor<3x1x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<3x64x4xf32>
    %34 = tosa.reshape %33, %21 : (tensor<3x64x4xf32>, !tosa.shape<4>) -> tensor<3x1x64x4xf32>
    %35 = tosa.transpose %34 {perms = array<i32: 0, 1, 3, 2>} : (tensor<3x1x64x4xf32>) -> tensor<3x1x4x64xf32>
    %36 = tosa.slice %35, %20, %19 : (tensor<3x1x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x4x64xf32>
    %37 = tosa.reshape %36, %17 : (tensor<1x1x4x64xf32>, !tosa.shape<3>) -> tensor<4x64x1xf32>
    %38 = tosa.tile %1, %16 : (tensor<1x20xi32>, !tosa.shape<2>) -> tensor<4x20xi32>
    %39 = tosa.gather %37, %38 : (tensor<4x64x1xf32>, tensor<4x20xi32>) -> tensor<4x20x1xf32>
    %40 = tosa.slice %35, %15, %19 : (tensor<3x1x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x4x64xf32>
    %41 = tosa.reshape %40, %14 : (tensor<1x1x4x64xf32>, !tosa.shape<3>) -> tensor<1x256x1xf32>
    %42 = tosa.reshape %39, %12 : (tensor<4x20x1xf32>, !tosa.shape<3>) -> tensor<1x80x1xf32>
    %43 = tosa.scatter %41, %13, %42 : (tensor<1x256x1xf32>, tensor<1x80xi32>, tensor<1x80x1xf32>) -> tensor<1x256x1xf32>
    %44 = tosa.reshape %35, %11 : (tensor<3x1x4x64xf32>, !tosa.shape<3>) -> tensor<1x768x1xf32>
    %45 = tosa.scatter %44, %10, %43 : (tensor<1x768x1xf32>, tensor<1x256xi32>, tensor<1x256x1xf32>) -> tensor<1x768x1xf32>
    %46 = tosa.reshape %45, %9 : (tensor<1x768x1xf32>, !tosa.shape<4>) -> tensor<3x1x4x64xf32>
    %47 = tosa.slice %46, %8, %19 : (tensor<3x1x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x4x64xf32>
    %48 = tosa.reshape %47, %17 : (tensor<1x1x4x64xf32>, !tosa.shape<3>) -> tensor<4x64x1xf32>
    %49 = tosa.tile %0, %16 : (tensor<1x20xi32>, !tosa.shape<2>) -> tensor<4x20xi32>
    %50 = tosa.gather %48, %49 : (tensor<4x64x1xf32>, tensor<4x20xi32>) -> tensor<4x20x1xf32>
    %51 = tosa.slice %46, %15, %19 : (tensor<3x1x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x4x64xf32>
    %52 = tosa.reshape %51, %14 : (tensor<1x1x4x64xf32>, !tosa.shape<3>) -> tensor<1x256x1xf32>
    %53 = tosa.reshape %50, %12 : (tensor<4x20x1xf32>, !tosa.shape<3>) -> tensor<1x80x1xf32>
    %54 = tosa.scatter %52, %7, %53 : (tensor<1x256x1xf32>, tensor<1x80xi32>, tensor<1x80x1xf32>) -> tensor<1x256x1xf32>
    %55 = tosa.scatter %45, %10, %54 : (tensor<1x768x1xf32>, tensor<1x256xi32>, tensor<1x256x1xf32>) -> tensor<1x768x1xf32>
    %56 = tosa.reshape %55, %9 : (tensor<1x768x1xf32>, !tosa.shape<4>) -> tensor<3x1x4x64xf32>
    %57 = tosa.slice %56, %15, %19 : (tensor<3x1x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x1x4x64xf32>
    %58 = tosa.reshape %57, %18 : (tensor<1x1x4x64xf32>, !tosa.shape<3>) -> tensor<1x4x64xf32>
    %59 = tosa.concat %58, %58 {axis = 2 : i32} : (tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x128xf32>
    %60 = tosa.cos %59 : (tensor<1x4x128xf32>) -> tensor<1x4x128xf32>
    %61 = tosa.sin %59 : (tensor<1x4x128xf32>) -> tensor<1x4x128xf32>
    %62 = tosa.reshape %60, %5 : (tensor<1x4x128xf32>, !tosa.shape<4>) -> tensor<1x1x4x128xf32>
    %63 = tosa.reshape %61, %5 : (tensor<1x4x128xf32>, !tosa.shape<4>) -> tensor<1x1x4x128xf32>
    %64 = tosa.mul %arg0, %62, %6 : (tensor<1x4x4x128xf32>, tensor<1x1x4x128xf32>, tensor<1xi8>) -> tensor<1x4x4x128xf32>
    %65 = tosa.slice %arg0, %15, %4 : (tensor<1x4x4x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x64xf32>
    %66 = tosa.slice %arg0, %3, %4 : (tensor<1x4x4x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x64xf32>
    %67 = tosa.negate %66, %22, %22 : (tensor<1x4x4x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x64xf32>
    %68 = tosa.concat %67, %65 {axis = 3 : i32} : (tensor<1x4x4x64xf32>, tensor<1x4x4x64xf32>) -> tensor<1x4x4x128xf32>
    %69 = tosa.mul %68, %63, %6 : (tensor<1x4x4x128xf32>, tensor<1x1x4x128xf32>, tensor<1xi8>) -> tensor<1x4x4x128xf32>
    %70 = tosa.add %64, %69 : (tensor<1x4x4x128xf32>, tensor<1x4x4x128xf32>) -> tensor<1x4x4x128xf32>
    %71 = tosa.mul %arg1, %62, %6 : (tensor<1x2x4x128xf32>, tensor<1x1x4x128xf32>, tensor<1xi8>) -> tensor<1x2x4x128xf32>
    %72 = tosa.slice %arg1, %15, %2 : (tensor<1x2x4x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x4x64xf32>
    %73 = tosa.slice %arg1, %3, %2 : (tensor<1x2x4x128xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x2x4x64xf32>
    %74 = tosa.negate %73, %22, %22 : (tensor<1x2x4x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x4x64xf32>
    %75 = tosa.concat %74, %72 {axis = 3 : i32} : (tensor<1x2x4x64xf32>, tensor<1x2x4x64xf32>) -> tensor<1x2x4x128xf32>
    %76 = tosa.mul %75, %63, %6 : (tensor<1x2x4x128xf32>, tensor<1x1x4x128xf32>, tensor<1xi8>) -> tensor<1x2x4x128xf32>
    %77 = tosa.add %71, %76 : (tensor<1x2x4x128xf32>, tensor<1x2x4x128xf32>) -> tensor<1x2x4x128xf32>
    return %70, %77 : tensor<1x4x4x128xf32>, tensor<1x2x4x128xf32>
  }
}
