// FUZZ-KIND: verifier-gap
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: verifier-gap|RopeNontemporalStores|'vector.store' op base and valueToStore element type should match
// FUZZ-DETAIL: after pass RopeNontemporalStores: in.mlir:16:7: error: 'vector.store' op base and valueToStore element type should match (with --verify-each=false the invocation fails later: in.mlir:14:12: error: 'vector.transfer_read' is left after lowering, where only ops of the dialects [llvm, omp] may remain: t
module {
  func.func @rows_bf16(%arg0: memref<?x16x128xbf16>, %arg1: memref<?x16x128xbf16>, %arg2: index, %arg3: bf16) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    scf.forall (%arg4) in (%arg2) {
      %subview = memref.subview %arg0[%arg4, 0, 0] [1, 16, 128] [1, 1, 1] : memref<?x16x128xbf16> to memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>>
      %subview_0 = memref.subview %arg1[%arg4, 0, 0] [1, 16, 128] [1, 1, 1] : memref<?x16x128xbf16> to memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>>
      %expand_shape = memref.expand_shape %subview [[0], [1], [2, 3]] output_shape [1, 16, 2, 64] : memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>> into memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
      %expand_shape_1 = memref.expand_shape %subview_0 [[0], [1], [2, 3]] output_shape [1, 16, 2, 64] : memref<1x16x128xbf16, strided<[2048, 128, 1], offset: ?>> into memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
      scf.for %arg5 = %c0 to %c16 step %c1 {
        %subview_2 = memref.subview %expand_shape_1[0, %arg5, 0, 0] [1, 1, 2, 64] [1, 1, 1, 1] : memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>> to memref<1x1x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
        %0 = vector.transfer_read %expand_shape[%c0, %arg5, %c0, %c0], %arg3 {in_bounds = [true]} : memref<1x16x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>, vector<64xf16>
        vector.transfer_write %0, %subview_2[%c0, %c0, %c1, %c0] {in_bounds = [true]} : vector<64xf16>, memref<1x1x2x64xbf16, strided<[2048, 128, 64, 1], offset: ?>>
      }
    }
    return
  }
}
