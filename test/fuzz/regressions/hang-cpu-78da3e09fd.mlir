// FUZZ-KIND: hang
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: hang|anon::RopePrefetchPass::runOnOperation|emitPrefetches
module {
  func.func @not_streamed(%arg0: memref<?x80xf32>, %arg1: memref<?x128xf32>, %arg2: memref<?x256xf32>, %arg3: index, %arg4: f32) {
    %c0 = arith.constant 0 : index
    scf.forall (%arg5) in (%arg3) {
      %subview = memref.subview %arg0[%arg5, 0] [1, 80] [1, 1] : memref<?x80xf32> to memref<1x80xf32, strided<[80, 1], offset: ?>>
      %subview_0 = memref.subview %arg1[%arg5, 0] [1, 128] [1, 1] : memref<?x128xf32> to memref<1x128xf32, strided<[128, 1], offset: ?>>
      %0 = vector.transfer_read %subview_0[%c0, %c0], %arg4 {in_bounds = [true]} : memref<1x128xf32, strided<[128, 1], offset: ?>>, vector<4294967297xf32>
      %subview_1 = memref.subview %arg2[%arg5, 0] [1, 128] [1, 2] : memref<?x256xf32> to memref<1x128xf32, strided<[256, 2], offset: ?>>
      vector.transfer_write %0, %subview_1[%c0, %c0] {in_bounds = [true]} : vector<4294967297xf32>, memref<1x128xf32, strided<[256, 2], offset: ?>>
      %alloca = memref.alloca() : memref<64xf32>
      %1 = vector.transfer_read %subview[%c0, %c0], %arg4 {in_bounds = [true]} : memref<1x80xf32, strided<[80, 1], offset: ?>>, vector<4294967297xf32>
      vector.transfer_write %1, %alloca[%c0] {in_bounds = [true]} : vector<4294967297xf32>, memref<64xf32>
    }
    return
  }
}
