// RUN: rope-opt %S/../e2e/Inputs/raise_llama_complex.mlir -p 'builtin.module(func.func(rope-raise),canonicalize,cse)' | FileCheck %s

// COM: The complex multiply by freqs_cis = complex(cos, sin) is the adjacent
// COM: rotation with per-pair tables; [S, P] tables shared by the batch are
// COM: broadcast to [B, S, P] for the op.
// CHECK-LABEL: func.func @llama_complex
// CHECK: %[[C:.*]] = linalg.broadcast ins(%arg1 : tensor<8x8xf32>) outs(%{{.*}} : tensor<2x8x8xf32>) dimensions = [0]
// CHECK: %[[S:.*]] = linalg.broadcast ins(%arg2 : tensor<8x8xf32>)
// CHECK: rope.rotate_with_tables ins(%arg0 : tensor<2x8x4x16xf32>) cos(%[[C]] : tensor<2x8x8xf32>) sin(%[[S]] : tensor<2x8x8xf32>) {{.*}} layout = bshd pairing = adjacent head_dim = 16 rotary_dim = 16
// CHECK-NOT: complex.
