// RUN: rope-opt %s -rope-codegen-set-target-features="features=+avx512f,-avx512fp16" | FileCheck %s
// RUN: not rope-opt %s -rope-codegen-set-target-features="features=avx512f" 2>&1 | FileCheck %s --check-prefix=BAD

// Definitions without features get them; declarations and functions that
// name their own are left alone.
// CHECK-LABEL: llvm.func @definition()
// CHECK-SAME: target_features = #llvm.target_features<["+avx512f", "-avx512fp16"]>
// CHECK-LABEL: llvm.func @declaration()
// CHECK-NOT: target_features
// CHECK-LABEL: llvm.func @own()
// CHECK-SAME: target_features = #llvm.target_features<["+sse4.2"]>
llvm.func @definition() {
  llvm.return
}
llvm.func @declaration()
llvm.func @own() attributes {target_features = #llvm.target_features<["+sse4.2"]>} {
  llvm.return
}

// BAD: error: rope-codegen-set-target-features: cpu-features: 'avx512f' is neither 'host' nor +name/-name
