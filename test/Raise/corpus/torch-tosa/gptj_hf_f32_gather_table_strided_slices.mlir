// RUN: %python %rope_src/test/e2e/corpus_check.py %s | FileCheck %s
// CHECK: PASS
// STYLE: torch-tosa
// MODEL: GPT-J HF GPTJAttention rotary (rotary_dim 32 of head_dim 64, table of 16 positions, q/k as [B, S, H, D] before the permute), torch-mlir TOSA backend pipeline, f32
// FUNC: @gptj_rotary
// ARGS: x x pos
// REF: layout=bshd pairing=adjacent rotary_dim=32 theta=10000 pos_max=16
// EXPECT: tables
// PRE: func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor)
//
// GPT-J's rotary through torch-mlir's TorchToTosa + cleanup (small sizes: max_positions 16, rotary_dim 32):
// - embed_positions (create_sinusoidal_positions, a buffer: [max_pos, R] = cat(sin, cos)) is a literal;
//   .repeat(B, 1, 1) with B = 1 folds to a constant [1, max_pos, R];
// - position_ids.unsqueeze(-1).repeat(1, 1, R): tosa.reshape + tosa.tile [1, 1, R] (i64);
// - torch.gather(embed, 1, ids) is ConvertAtenOp<AtenGatherOp>: tosa.cast i64 -> i32, the torch index turned into
//   TF-style [B, S, R, 3] coordinates (tosa.concat of two constant iotas and the ids;
//   convertTorchIndexToTfIndices), flattened by tosa.mul with [max_pos*R, R, 1] and tosa.reduce_sum, then one
//   element-wise tosa.gather on the table reshaped to [1, K, 1] (convertGatherNdOp, TosaLegalizeCommon.cpp);
// - torch.split -> two tosa.slice: sin = [..., :P], cos = [..., P:];
// - sin[:, :, None, :] + repeat_interleave(2, dim=3): tosa.reshape to [B, S, 1, P, 1], tosa.tile [1, 1, 1, 1, 2],
//   tosa.reshape to [B, S, 1, R] (DecomposeAtenRepeatInterleaveSelfIntOp: unsqueeze, broadcast_to, flatten);
// - rotate_every_two: x[..., ::2] and x[..., 1::2] are step-2 aten.slice.Tensor, which TorchToTosa lowers to a
//   tosa.gather: x reshaped to [N, K, 1] (N = B*S*H), constant indices [0, 2, ...] / [1, 3, ...] reshaped to
//   [1, W] and tosa.tile'd to [N, W], tosa.gather, reshape back (ConvertAtenOp<AtenSliceTensorOp>, step != 1);
//   torch.stack((-x2, x1), -1) is two tosa.reshape (unsqueeze) + tosa.concat on the new last axis; flatten(-2) a
//   tosa.reshape; the stacked pair is [-odd, even] per pair;
// - partial rotary: q[..., :R] and q[..., R:] are tosa.slice, the result tosa.concat([rotated, pass]).

module {
  func.func @gptj_rotary(%arg0: tensor<1x8x4x64xf32>, %arg1: tensor<1x8x4x64xf32>, %arg2: tensor<1x8xi64>) -> (tensor<1x8x4x64xf32>, tensor<1x8x4x64xf32>) {
    %0 = "tosa.const"() <{values = dense<"0x000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803FA56A573FBA7D083F3E399F3E3A23353E7775CC3DB036663D5B81013D42AB913C57D6233C5C44B83B203E4F3B2015E93A6E12833A156A133A5FCBA53953773A3940510A3F0E94583F6A4E733F83F67B3F98B87E3F68987F3F3CDF7F3FA3F57F3FB9FC7F3FF7FE7F3FACFF7F3FE5FF7F3FF8FF7F3FFDFF7F3FFFFF7F3F0000803FB7C7683F0AF2663F1B54173FF647B23EF96F4B3E88D9E53DC870813D5CA5113D3ED4A33C9D43383CDC3DCF3B0815693B6912033B146A933A5ECB253A5377BA393211D5BEB2E8DC3EEC7B4E3FA5FA6F3FA5E57A3FF3617E3FF97C7F3F8ED67F3FE5F27F3FDBFB7F3FB0FE7F3F96FF7F3FDEFF7F3FF5FF7F3FFDFF7F3FFFFF7F3FC381103ED7457E3FC209503F6C2F023F6D4E973ED8EE2B3EC0FFC13D4E695A3D1FB9F53CC7318A3C106E1B3CA8CFAE3B939B443B1A1FDD3A0CB1783A7ED90B3A26707DBFAB7FEDBD572F153F296D5C3FEF90743F9E5D7C3F4FD97E3FC3A27F3F83E27F3FADF67F3F0DFD7F3F11FF7F3FB5FF7F3FE8FF7F3FF8FF7F3FFEFF7F3FCFBD41BFEC49473FDE1D743FBC1F273FD761C73EC665643E882E013EC88D913DDBCB233DA240B83CCD3C4F3CA714E93B5812833B0E6A133B5CCBA53A52773A3A305527BF9EAF20BFB12E9A3EEDEB413FA7CA6B3F098D793F69F47D3F475A7F3F94CB7F3F6CEF7F3FC2FA7F3F58FE7F3F7AFF7F3FD6FF7F3FF3FF7F3FFCFF7F3F107C75BFD8DAA53E7FFC7F3FABCA463F4477F53EEE118E3E1D3C213E21DBB53DF4B64C3DFE4DE63C8085813CBBAC113CDED6A33B8C44383B313ECF3A2615693A2B3C913E403272BFE97229BCF14C213F40A9603F7CF2753F81CE7C3F1EFD7E3F19AE7F3F19E67F3FCFF77F3F69FD7F3F2EFF7F3FBEFF7F3FEBFF7F3FF9FF7F3F8C0F8FBE77E56BBE4E78723F8830603F698C103FFC7DA93E6E20413EC219DA3DD19C753DBF2C0A3D466C9B3C05CF2E3C599BC43B061F5D3B04B1F83A7CD98B3AB8CD753F531D79BF6C3FA4BE342FF73E3249533FE290713FE3677B3F518B7E3F128A7F3FB3DA7F3F34F47F3F45FC7F3FD2FE7F3FA1FF7F3FE2FF7F3FF6FF7F3F4630283F70B636BF6EE84C3F4484723F73EB243FDF60C43E50D3603EBA46FE3D323E8F3D5F31213DA552B53C2AF14B3CC75FE53BBDFC803BEB11113B6628A33ABDFF403F5E4F33BFBC7419BFBAF8A33EB3CC433FC56B6C3FEAC0793FE9047E3F815F7F3F3BCD7F3FF2EF7F3FECFA7F3F65FE7F3F7EFF7F3FD7FF7F3FF3FF7F3F95467D3FD42D7ABF7E06133FE3317D3FA6A4373FD2A4DE3E5126803E8E2F113E50AAA33DB334383D8E38CF3C2513693C1312033CF569933B53CB253B4F77BA3AF6FD14BE152059BEE59151BFA32C173E5F5B323F5287663F02DA773FF1697D3F662E7F3FB2BD7F3F08EB7F3F5EF97F3FE7FD7F3F56FF7F3FCAFF7F3FEFFF7F3F3101D33E469870BFEE1F953E2FE37F3F1D88483F9434F83E2DC28F3EFF2F233E3E12B83D89364F3DEF1DE93C771A833C3B74133C2BD7A53BBA843A3B37C6D13AD53F69BF17EEAE3EA2E674BF3AE6F2BCD4211F3F4BE85F3FA9B3753F75BA7C3FC2F67E3F16AC7F3F76E57F3F9BF77F3F59FD7F3F29FF7F3FBCFF7F3FEBFF7F3FF7440BBF6FE91CBF9770A9BC6A827A3FA56A573FBA7D083F3D399F3E3A23353E7675CC3DB036663D5B81013D42AB913C58D6233C5C44B83B203E4F3B2015E93A64CD56BF15464A3FFBF17FBF0BF152BE40510A3F0E94583F6B4E733F83F67B3F98B87E3F68987F3F3CDF7F3FA3F57F3FB9FC7F3FF7FE7F3FACFF7F3FE5FF7F3F5CFF7FBFE238C7BD1F41A9BE013B6D3F2A26643FB372143F8B87AE3ECA07473E72D3E03DFB347D3D6B730E3DEE3BA03C6B38343C89B1CA3B85F7633B0432003B7205913B30C97E3F8C9B71BF126FC0BEC03DE83E8790503FE4AA703F2C1E7B3FE8737E3FA8827F3F5BD87F3F76F37F3F09FC7F3FBFFE7F3F9AFF7F3FE0FF7F3FD85C09BF368DE53E24911BBF2B78583F1D9A6E3F87EF1F3F2BA9BD3E3FDC583EAC2BF53D9D188A3D1C651B3D79CCAE3C719A443CB31EDD3BE7B0783B77D90B3BD006583F1DD4643F574F4BBFF0A908BFF486B93E35E4473FC3C96D3F81317A3FB5287E3FD76A7F3FD2D07F3F14F17F3F48FB7F3F82FE7F3F87FF7F3FDAFF7F3F2320D73E041B5B3F4C1453BF86E13C3FC0AB763FEAEA2A3F3F9ACC3E259F6A3ED0BE043E9E95953D6956283DDF5CBD3C6BFC543CD88BEF3B24B5863BEA80173B6F4E683F7065043F9DD910BFE9CC2CBF99F5883E1C963E3FC3AB6A3F9530793F00D77D3FF5507F3FA1C87F3F7DEE7F3F76FA7F3F40FE7F3F72FF7F3FD3FF7F3F72987D3F6CF47F3FB3A875BFD8551B3F6F467C3FFA5B353FF456DB3E0D4F7C3E64E40E3E6811A13D4647353D1EEDCB3C575E653C7CFC003CD411913B5E28233BD8040C3E63FA99BC0A0D90BEA87C4BBFDF0B2E3EC2AD343FB151673F7D1B783FCC7E7D3F02357F3FC9BF7F3FB1EB7F3F94F97F3FF8FD7F3F5CFF7F3FCCFF7F3F4479263F82F9553F75E07FBFE7C7E93ED55B7F3F423A3F3F83DBE93E44F5863E4F06193EE58BAC3DAE37423D347DDA3C34C0753C0A330A3C836E9B3BD0CF2E3BE87A42BFA8890CBF9522FE3C71C163BFAADE903D2F332A3F68BC633F4FF2763F1A207D3FFD167F3F49B67F3FB0E87F3FA1F87F3FABFD7F3F43FF7F3FC4FF7F3F"> : tensor<1x512x1xf32>}> : () -> tensor<1x512x1xf32>
    %1 = "tosa.const"() <{values = dense<[[512, 32, 1]]> : tensor<1x3xi32>}> : () -> tensor<1x3xi32>
    %2 = tosa.const_shape  {values = dense<[1, 8, 4, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
    %3 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %4 = "tosa.const"() <{values = dense<[1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]> : tensor<16xi32>}> : () -> tensor<16xi32>
    %5 = tosa.const_shape  {values = dense<[1, 8, 4, 16]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %6 = tosa.const_shape  {values = dense<[32, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %7 = tosa.const_shape  {values = dense<[1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %8 = "tosa.const"() <{values = dense<[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]> : tensor<16xi32>}> : () -> tensor<16xi32>
    %9 = tosa.const_shape  {values = dense<[32, 32, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %10 = tosa.const_shape  {values = dense<[1, 8, 1, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %11 = tosa.const_shape  {values = dense<[1, 1, 1, 1, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
    %12 = tosa.const_shape  {values = dense<[1, 8, 1, 16, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
    %13 = tosa.const_shape  {values = dense<[0, 0, 0, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %14 = tosa.const_shape  {values = dense<[1, 8, 4, 32]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %15 = tosa.const_shape  {values = dense<0> : tensor<4xindex>} : () -> !tosa.shape<4>
    %16 = tosa.const_shape  {values = dense<[0, 0, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %17 = tosa.const_shape  {values = dense<[1, 8, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %18 = tosa.const_shape  {values = dense<0> : tensor<3xindex>} : () -> !tosa.shape<3>
    %19 = tosa.const_shape  {values = dense<[1, 8, 32]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %20 = tosa.const_shape  {values = dense<[1, 256]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %21 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %22 = tosa.const_shape  {values = dense<[256, 3]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %23 = "tosa.const"() <{values = dense<"0x000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000000000000100000002000000030000000400000005000000060000000700000008000000090000000A0000000B0000000C0000000D0000000E0000000F000000100000001100000012000000130000001400000015000000160000001700000018000000190000001A0000001B0000001C0000001D0000001E0000001F000000"> : tensor<1x8x32x1xi32>}> : () -> tensor<1x8x32x1xi32>
    %24 = "tosa.const"() <{values = dense<0> : tensor<1x8x32x1xi32>}> : () -> tensor<1x8x32x1xi32>
    %25 = tosa.const_shape  {values = dense<[1, 8, 32, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %26 = tosa.const_shape  {values = dense<[1, 1, 32]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %27 = tosa.const_shape  {values = dense<[1, 8, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %28 = tosa.reshape %arg2, %27 : (tensor<1x8xi64>, !tosa.shape<3>) -> tensor<1x8x1xi64>
    %29 = tosa.tile %28, %26 : (tensor<1x8x1xi64>, !tosa.shape<3>) -> tensor<1x8x32xi64>
    %30 = tosa.cast %29 : (tensor<1x8x32xi64>) -> tensor<1x8x32xi32>
    %31 = tosa.reshape %30, %25 : (tensor<1x8x32xi32>, !tosa.shape<4>) -> tensor<1x8x32x1xi32>
    %32 = tosa.concat %24, %31, %23 {axis = 3 : i32} : (tensor<1x8x32x1xi32>, tensor<1x8x32x1xi32>, tensor<1x8x32x1xi32>) -> tensor<1x8x32x3xi32>
    %33 = tosa.reshape %32, %22 : (tensor<1x8x32x3xi32>, !tosa.shape<2>) -> tensor<256x3xi32>
    %34 = tosa.mul %33, %1, %21 : (tensor<256x3xi32>, tensor<1x3xi32>, tensor<1xi8>) -> tensor<256x3xi32>
    %35 = tosa.reduce_sum %34 {axis = 1 : i32} : (tensor<256x3xi32>) -> tensor<256x1xi32>
    %36 = tosa.reshape %35, %20 : (tensor<256x1xi32>, !tosa.shape<2>) -> tensor<1x256xi32>
    %37 = tosa.gather %0, %36 : (tensor<1x512x1xf32>, tensor<1x256xi32>) -> tensor<1x256x1xf32>
    %38 = tosa.reshape %37, %19 : (tensor<1x256x1xf32>, !tosa.shape<3>) -> tensor<1x8x32xf32>
    %39 = tosa.slice %38, %18, %17 : (tensor<1x8x32xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x8x16xf32>
    %40 = tosa.slice %38, %16, %17 : (tensor<1x8x32xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x8x16xf32>
    %41 = tosa.slice %arg1, %15, %14 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
    %42 = tosa.slice %arg1, %13, %14 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
    %43 = tosa.reshape %39, %12 : (tensor<1x8x16xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x1xf32>
    %44 = tosa.tile %43, %11 : (tensor<1x8x1x16x1xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x2xf32>
    %45 = tosa.reshape %44, %10 : (tensor<1x8x1x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x1x32xf32>
    %46 = tosa.reshape %40, %12 : (tensor<1x8x16xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x1xf32>
    %47 = tosa.tile %46, %11 : (tensor<1x8x1x16x1xf32>, !tosa.shape<5>) -> tensor<1x8x1x16x2xf32>
    %48 = tosa.reshape %47, %10 : (tensor<1x8x1x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x1x32xf32>
    %49 = tosa.mul %41, %48, %21 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
    %50 = tosa.reshape %41, %9 : (tensor<1x8x4x32xf32>, !tosa.shape<3>) -> tensor<32x32x1xf32>
    %51 = tosa.reshape %8, %7 : (tensor<16xi32>, !tosa.shape<2>) -> tensor<1x16xi32>
    %52 = tosa.tile %51, %6 : (tensor<1x16xi32>, !tosa.shape<2>) -> tensor<32x16xi32>
    %53 = tosa.gather %50, %52 : (tensor<32x32x1xf32>, tensor<32x16xi32>) -> tensor<32x16x1xf32>
    %54 = tosa.reshape %4, %7 : (tensor<16xi32>, !tosa.shape<2>) -> tensor<1x16xi32>
    %55 = tosa.tile %54, %6 : (tensor<1x16xi32>, !tosa.shape<2>) -> tensor<32x16xi32>
    %56 = tosa.gather %50, %55 : (tensor<32x32x1xf32>, tensor<32x16xi32>) -> tensor<32x16x1xf32>
    %57 = tosa.reshape %56, %5 : (tensor<32x16x1xf32>, !tosa.shape<4>) -> tensor<1x8x4x16xf32>
    %58 = tosa.negate %57, %3, %3 : (tensor<1x8x4x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x4x16xf32>
    %59 = tosa.reshape %58, %2 : (tensor<1x8x4x16xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
    %60 = tosa.reshape %53, %2 : (tensor<32x16x1xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
    %61 = tosa.concat %59, %60 {axis = 4 : i32} : (tensor<1x8x4x16x1xf32>, tensor<1x8x4x16x1xf32>) -> tensor<1x8x4x16x2xf32>
    %62 = tosa.reshape %61, %14 : (tensor<1x8x4x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
    %63 = tosa.mul %62, %45, %21 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
    %64 = tosa.add %49, %63 : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x32xf32>
    %65 = tosa.concat %64, %42 {axis = 3 : i32} : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x64xf32>
    %66 = tosa.slice %arg0, %15, %14 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
    %67 = tosa.slice %arg0, %13, %14 : (tensor<1x8x4x64xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
    %68 = tosa.mul %66, %48, %21 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
    %69 = tosa.reshape %66, %9 : (tensor<1x8x4x32xf32>, !tosa.shape<3>) -> tensor<32x32x1xf32>
    %70 = tosa.gather %69, %52 : (tensor<32x32x1xf32>, tensor<32x16xi32>) -> tensor<32x16x1xf32>
    %71 = tosa.gather %69, %55 : (tensor<32x32x1xf32>, tensor<32x16xi32>) -> tensor<32x16x1xf32>
    %72 = tosa.reshape %71, %5 : (tensor<32x16x1xf32>, !tosa.shape<4>) -> tensor<1x8x4x16xf32>
    %73 = tosa.negate %72, %3, %3 : (tensor<1x8x4x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x4x16xf32>
    %74 = tosa.reshape %73, %2 : (tensor<1x8x4x16xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
    %75 = tosa.reshape %70, %2 : (tensor<32x16x1xf32>, !tosa.shape<5>) -> tensor<1x8x4x16x1xf32>
    %76 = tosa.concat %74, %75 {axis = 4 : i32} : (tensor<1x8x4x16x1xf32>, tensor<1x8x4x16x1xf32>) -> tensor<1x8x4x16x2xf32>
    %77 = tosa.reshape %76, %14 : (tensor<1x8x4x16x2xf32>, !tosa.shape<4>) -> tensor<1x8x4x32xf32>
    %78 = tosa.mul %77, %45, %21 : (tensor<1x8x4x32xf32>, tensor<1x8x1x32xf32>, tensor<1xi8>) -> tensor<1x8x4x32xf32>
    %79 = tosa.add %68, %78 : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x32xf32>
    %80 = tosa.concat %79, %67 {axis = 3 : i32} : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x64xf32>
    return %80, %65 : tensor<1x8x4x64xf32>, tensor<1x8x4x64xf32>
  }
}
