// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: upstream
// FUZZ-INVOCATION: gpu
// FUZZ-ARGS: ["--rope-gpu-pipeline=chip=sm_90 format=isa"]
// FUZZ-SIGNATURE: verifier-gap|SCFToControlFlowPass|'linalg.generic' op expects region #N to have N or N blocks
// FUZZ-DETAIL: after pass SCFToControlFlowPass: in.mlir:5:10: error: 'linalg.generic' op expects region #0 to have 0 or 1 blocks (with --verify-each=false the invocation fails later: in.mlir:3:33: error: 'builtin.unrealized_conversion_cast' is left after lowering, where only ops of the dialects [llvm, gpu] may rem
#map = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
module {
  func.func @meta_llama_complex(%arg0: tensor<2x8x4x32x2xf32>, %arg1: tensor<2x8x4x32x1xf32>, %arg2: tensor<2x8x4x32x1xf32>) -> tensor<2x8x4x32x2xf32> {
    %c1 = arith.constant 1 : index
    %0 = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%arg0 : tensor<2x8x4x32x2xf32>) {
    ^bb0(%out: f32):
      %1 = linalg.index 0 : index
      %2 = linalg.index 1 : index
      %3 = linalg.index 2 : index
      %4 = linalg.index 3 : index
      %5 = linalg.index 4 : index
      %6 = arith.cmpi ult, %5, %c1 : index
      %7 = scf.if %6 -> (f32) {
        %extracted = tensor.extract %arg2[%1, %2, %3, %4, %5] : tensor<2x8x4x32x1xf32>
        scf.yield %extracted : f32
      } else {
        %8 = arith.subi %5, %c1 : index
        %extracted = tensor.extract %arg1[%1, %2, %3, %4, %8] : tensor<2x8x4x32x1xf32>
        scf.yield %extracted : f32
      }
      linalg.yield %7 : f32
    } -> tensor<2x8x4x32x2xf32>
    return %0 : tensor<2x8x4x32x2xf32>
  }
}
