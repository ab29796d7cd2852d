// RUN: rope-opt %s -p 'builtin.module(rope-codegen-widen-bf16-arith)' | FileCheck %s

// COM: bf16 arithmetic becomes f32 arithmetic between extf and truncf (its
// COM: attributes kept, none added to the conversions); f32, f16 and
// COM: integer ops, and bf16 conversions and comparisons, are left alone.
// COM: The numbers: test/e2e/model_ops.test (rmsnorm_bf16_reshape, HF's
// COM: bf16 weight multiply) and test/benchmarks/fused-neighbours.test (the
// COM: fused QK-norm in bf16, every token against float64).
// CHECK-LABEL: func.func @norm_weight
// CHECK-SAME: (%[[X:[^:]*]]: vector<128xbf16>, %[[W:[^:]*]]: vector<128xbf16>, %[[S:[^:]*]]: bf16,
// CHECK: %[[XW:.*]] = arith.extf %[[X]] : vector<128xbf16> to vector<128xf32>
// CHECK: %[[WW:.*]] = arith.extf %[[W]] : vector<128xbf16> to vector<128xf32>
// CHECK: %[[M:.*]] = arith.mulf %[[XW]], %[[WW]] fastmath<nnan> : vector<128xf32>
// CHECK: %[[MB:.*]] = arith.truncf %[[M]] : vector<128xf32> to vector<128xbf16>
// CHECK: %[[SW:.*]] = arith.extf %[[S]] : bf16 to f32
// CHECK: arith.divf %{{.*}}, %[[SW]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.maximumf %{{.*}} : vector<128xf32>
// CHECK: arith.addf %{{.*}} : vector<128xf16>
// CHECK: arith.subf %{{.*}} : vector<128xf32>
// CHECK: arith.cmpf olt, %{{.*}} : vector<128xbf16>
// CHECK-NOT: arith.mulf {{.*}} : vector<128xbf16>
// CHECK: return
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

// COM: Nothing else changes: no folding, no dead-code removal.
// CHECK-LABEL: func.func @others_untouched
// CHECK-NEXT: arith.constant 1.0
// CHECK-NEXT: arith.constant 2.0
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: return
func.func @others_untouched() -> f32 {
  %a = arith.constant 1.0 : f32
  %b = arith.constant 2.0 : f32
  %c = arith.addf %a, %b : f32
  %dead = arith.mulf %c, %c : f32
  return %c : f32
}
