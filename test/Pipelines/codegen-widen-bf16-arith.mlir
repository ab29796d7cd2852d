// RUN: rope-opt %s --rope-cpu-pipeline | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM

// COM: rope-codegen-widen-bf16-arith (test/Codegen/widen-bf16-arith.mlir) in the CPU pipeline.

// COM: Through the CPU pipeline the conversions reach LLVM IR that
// COM: mlir-translate reads (upstream's arith-emulate-unsupported-floats
// COM: leaves an #arith.fastmath attribute on llvm.fptrunc it cannot parse);
// COM: without AVX512-BF16 the rounding is integer arithmetic (arith-expand),
// COM: not LLVM's call to __truncsfbf2.
// LLVM-LABEL: define {{.*}} @norm_weight(
// LLVM: fmul nnan <128 x float>
// LLVM: add <128 x i32> %{{.*}}, splat (i32 32767)
// LLVM: trunc <128 x i32> %{{.*}} to <128 x i16>
// LLVM-NOT: fptrunc {{.*}} to <128 x bfloat>
func.func @norm_weight(%x: vector<128xbf16>, %w: vector<128xbf16>, %s: bf16, %h: vector<128xf16>, %f: vector<128xf32>) -> (vector<128xbf16>, bf16, vector<128xbf16>, vector<128xf16>, vector<128xf32>, vector<128xi1>) {
  %m = arith.mulf %x, %w fastmath<nnan> : vector<128xbf16>
  %one = arith.constant 1.0 : bf16
  %d = arith.divf %one, %s : bf16
  %mx = arith.maximumf %m, %x : vector<128xbf16>
  %hh = arith.addf %h, %h : vector<128xf16>
  %ff = arith.subf %f, %f : vector<128xf32>
  %c = arith.cmpf olt, %m, %x : vector<128xbf16>
  return %m, %d, %mx, %hh, %ff, %c : vector<128xbf16>, bf16, vector<128xbf16>, vector<128xf16>, vector<128xf32>, vector<128xi1>
}
