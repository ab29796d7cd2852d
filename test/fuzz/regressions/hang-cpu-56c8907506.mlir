// FUZZ-KIND: hang
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: cpu
// FUZZ-ARGS: ["--rope-cpu-pipeline"]
// FUZZ-SIGNATURE: hang|anon::RopeUnrollOddVectorsPass::runOnOperation|anon::RopeUnrollOddVectorsPass::runOnOperation
// FUZZ-DETAIL: no exit within the timeout; no pass named
// FUZZ-STACK-0: libMLIR.so.22.1+0x609ed13
// FUZZ-STACK-1: libMLIR.so.22.1+0x609ec32
// FUZZ-STACK-2: libMLIR.so.22.1+0x61d5166
// FUZZ-STACK-3: mlir::ArrayAttr::get
#map = affine_map<(d0, d1) -> (d0, d1)>
"builtin.module"() ({
  "func.func"() <{function_type = (memref<2x48xf32>, vector<1099511627776x48xf32>) -> (), sym_name = "forty_eight_2d"}> ({
  ^bb0(%arg1: memref<2x48xf32>, %fz0: vector<1099511627776x48xf32>):
    %0 = "arith.constant"() <{value = 0 : index}> : () -> index
    "vector.transfer_write"(%fz0, %arg1, %0, %0) <{in_bounds = [true, true], operandSegmentSizes = array<i32: 1, 1, 2, 0>, permutation_map = #map}> : (vector<1099511627776x48xf32>, memref<2x48xf32>, index, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()

