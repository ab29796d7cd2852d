// RUN: rope-opt %s -split-input-file -p 'builtin.module(func.func(rope-raise))' | FileCheck %s

// COM: Inputs from the review of the lane-by-lane raiser, each of which made
// COM: it compute other numbers, emit invalid IR or touch an unraised graph.

// COM: a select on the positions (p == 2500 takes position 0) makes the tables
// COM: piecewise: probes would only sample it, so they stay tables
// CHECK-LABEL: func.func @select_window
// CHECK-NOT: theta
// CHECK: rope.rotate_with_tables
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @select_window(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>

  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %c2500 = arith.constant 2500 : i32
    %hit = arith.cmpi eq, %a, %c2500 : i32
    %g = arith.sitofp %a : i32 to f32
    %z = arith.constant 0.0 : f32
    %f = arith.select %hit, %z, %g : f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>

  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: f32 positions rounded to integers (fptosi) before the angle: piecewise,
// COM: tables
// CHECK-LABEL: func.func @fptosi_positions
// CHECK-NOT: theta
// CHECK: rope.rotate_with_tables
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @fptosi_positions(%q: tensor<2x4x8x8xf32>, %posf: tensor<2x8xf32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>

  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%posf : tensor<2x8xf32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %i = arith.fptosi %a : f32 to i32
    %f = arith.sitofp %i : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>

  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: an attention factor sitofp(trunci 300 to i8) is 44, not 300
// CHECK-LABEL: func.func @trunci_const
// CHECK: attention_factor = 4.400000e+01
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @trunci_const(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>

  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c300 = arith.constant 300 : i32
    %t = arith.trunci %c300 : i32 to i8
    %k = arith.sitofp %t : i8 to f32
    %cc = math.cos %a : f32
    %m = arith.mulf %cc, %k : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c300 = arith.constant 300 : i32
    %t = arith.trunci %c300 : i32 to i8
    %k = arith.sitofp %t : i8 to f32
    %ss = math.sin %a : f32
    %m = arith.mulf %ss, %k : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>

  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: positions narrowed to i16 wrap at 32768 in the graph: tables
// CHECK-LABEL: func.func @trunci_i16
// CHECK-NOT: theta
// CHECK: rope.rotate_with_tables
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @trunci_i16(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>

  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %t = arith.trunci %a : i32 to i16
    %f = arith.sitofp %t : i16 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>

  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: a max inside a small reduction: the accumulated value is not a leaf of
// COM: one step, the element is
// CHECK-LABEL: func.func @reduction_leaf
// CHECK-NOT: theta
// CHECK: rope.rotate_with_tables
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @reduction_leaf(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>

  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  // cos side: max over k of (cos(emb) * w[k] + b[k]) with w = [0, 1],
  // b = [5, 0]: the graph's value is max(5, cos) = 5 everywhere.
  %w = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %bk = arith.constant dense<[5.0, 0.0]> : tensor<2xf32>
  %lo = arith.constant -1.0e+30 : f32
  %cf = linalg.fill ins(%lo : f32) outs(%te : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%emb, %w, %bk : tensor<2x8x8xf32>, tensor<2xf32>, tensor<2xf32>) outs(%cf : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %wk: f32, %bb: f32, %acc: f32):
    %c = math.cos %a : f32
    %cw = arith.mulf %c, %wk : f32
    %cand = arith.addf %cw, %bb : f32
    %m = arith.maximumf %acc, %cand : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>

  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: a longer cache read through an offset-0 slice: the table is the slice,
// COM: not the cache
// CHECK-LABEL: func.func @sliced_cache
// CHECK: %[[C:.*]] = tensor.extract_slice %arg1[0, 0] [8, 64]
// CHECK: rope.rotate_with_tables
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#tb = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
func.func @sliced_cache(%q: tensor<2x4x8x64xf32>, %cosc: tensor<64x64xf32>, %sinc: tensor<64x64xf32>) -> tensor<2x4x8x64xf32> {
  %cos = tensor.extract_slice %cosc[0, 0] [8, 64] [1, 1] : tensor<64x64xf32> to tensor<8x64xf32>
  %sin = tensor.extract_slice %sinc[0, 0] [8, 64] [1, 1] : tensor<64x64xf32> to tensor<8x64xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 32] [2, 4, 8, 32] [1, 1, 1, 1] : tensor<2x4x8x64xf32> to tensor<2x4x8x32xf32>
  %n = arith.negf %x2 : tensor<2x4x8x32xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x32xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x64xf32>
  %e = tensor.empty() : tensor<2x4x8x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #tb, #id, #tb, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x64xf32>, tensor<8x64xf32>, tensor<2x4x8x64xf32>, tensor<8x64xf32>) outs(%e : tensor<2x4x8x64xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x64xf32>
  return %y : tensor<2x4x8x64xf32>
}

// -----

// COM: positions longer than x's sequence, read through a slice: not raised
// CHECK-LABEL: func.func @pos_sliced
// CHECK-NOT: rope.rotate
// CHECK: return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @pos_sliced(%q: tensor<2x4x8x8xf32>, %pos0: tensor<2x32xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>
  %pos = tensor.extract_slice %pos0[0, 0] [2, 8] [1, 1] : tensor<2x32xi32> to tensor<2x8xi32>
  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>

  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: f64 data: the ops take f32, f16 and bf16 only (R5)
// CHECK-LABEL: func.func @f64
// CHECK-NOT: rope.rotate
// CHECK: return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @f64(%q: tensor<2x4x8x8xf64>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf64> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf64>

  %pe = tensor.empty() : tensor<2x8xf64>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf64>) {
  ^bb0(%a: i32, %o: f64):
    %f = arith.sitofp %a : i32 to f64
    linalg.yield %f : f64
  } -> tensor<2x8xf64>
  %fe = tensor.empty() : tensor<2x8x4xf64>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf64>, tensor<4xf64>) outs(%fe : tensor<2x8x4xf64>) {
  ^bb0(%p: f64, %i: f64, %o: f64):
    %m = arith.mulf %p, %i : f64
    linalg.yield %m : f64
  } -> tensor<2x8x4xf64>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf64>, tensor<2x8x4xf64>) -> tensor<2x8x8xf64>
  %te = tensor.empty() : tensor<2x8x8xf64>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf64>) outs(%te : tensor<2x8x8xf64>) {
  ^bb0(%a: f64, %o: f64):
    %m = math.cos %a : f64
    linalg.yield %m : f64
  } -> tensor<2x8x8xf64>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf64>) outs(%te : tensor<2x8x8xf64>) {
  ^bb0(%a: f64, %o: f64):
    %m = math.sin %a : f64
    linalg.yield %m : f64
  } -> tensor<2x8x8xf64>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf64> to tensor<2x4x8x4xf64>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf64> to tensor<2x4x8x4xf64>
  %n = arith.negf %x2 : tensor<2x4x8x4xf64>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf64>, tensor<2x4x8x4xf64>) -> tensor<2x4x8x8xf64>
  %e = tensor.empty() : tensor<2x4x8x8xf64>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf64>, tensor<2x8x8xf64>, tensor<2x4x8x8xf64>, tensor<2x8x8xf64>) outs(%e : tensor<2x4x8x8xf64>) {
  ^bb0(%x: f64, %c: f64, %r: f64, %s: f64, %o: f64):
    %a = arith.mulf %x, %c : f64
    %b = arith.mulf %r, %s : f64
    %m = arith.addf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<2x4x8x8xf64>

  return %y : tensor<2x4x8x8xf64>
}

// -----

// COM: frequencies whose base rounds to 1: not raised
// CHECK-LABEL: func.func @theta_one
// CHECK-NOT: rope.rotate
// CHECK: return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @theta_one(%q: tensor<2x4x8x8xf32>, %pos: tensor<2x8xi32>) -> tensor<2x4x8x8xf32> {
  %inv = arith.constant dense<[1.0, 0.99999, 0.99998, 0.99997]> : tensor<4xf32>

  %pe = tensor.empty() : tensor<2x8xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<2x8xi32>) outs(%pe : tensor<2x8xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<2x8xf32>
  %fe = tensor.empty() : tensor<2x8x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<2x8xf32>, tensor<4xf32>) outs(%fe : tensor<2x8x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<2x8x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x8x8xf32>
  %te = tensor.empty() : tensor<2x8x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<2x8x8xf32>) outs(%te : tensor<2x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<2x8x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [2, 4, 8, 4] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<2x4x8x4xf32>
  %n = arith.negf %x2 : tensor<2x4x8x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<2x4x8x4xf32>, tensor<2x4x8x4xf32>) -> tensor<2x4x8x8xf32>
  %e = tensor.empty() : tensor<2x4x8x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<2x4x8x8xf32>, tensor<2x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x8x8xf32>) outs(%e : tensor<2x4x8x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<2x4x8x8xf32>

  return %y : tensor<2x4x8x8xf32>
}

// -----

// COM: a dynamic batch times 16 tokens: the index range check no longer wraps
// COM: (every batch read batch 0's positions)
// CHECK-LABEL: func.func @dyn_batch_positions
// CHECK-NOT: theta
// CHECK: rope.rotate_with_tables
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#pos = affine_map<(d0, d1, d2) -> (d0, d1)>
#inv = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#pj = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
func.func @dyn_batch_positions(%q: tensor<?x4x16x8xf32>, %posf: tensor<?xi32>, %b: index) -> tensor<?x4x16x8xf32> {
  %inv = arith.constant dense<[1.0, 0.1, 0.01, 0.001]> : tensor<4xf32>
  %pos = tensor.expand_shape %posf [[0, 1]] output_shape [%b, 16] : tensor<?xi32> into tensor<?x16xi32>
  %pe = tensor.empty(%b) : tensor<?x16xf32>
  %pf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%pos : tensor<?x16xi32>) outs(%pe : tensor<?x16xf32>) {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    linalg.yield %f : f32
  } -> tensor<?x16xf32>
  %fe = tensor.empty(%b) : tensor<?x16x4xf32>
  %freqs = linalg.generic {indexing_maps = [#pos, #inv, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%pf, %inv : tensor<?x16xf32>, tensor<4xf32>) outs(%fe : tensor<?x16x4xf32>) {
  ^bb0(%p: f32, %i: f32, %o: f32):
    %m = arith.mulf %p, %i : f32
    linalg.yield %m : f32
  } -> tensor<?x16x4xf32>
  %emb = tensor.concat dim(2) %freqs, %freqs : (tensor<?x16x4xf32>, tensor<?x16x4xf32>) -> tensor<?x16x8xf32>
  %te = tensor.empty(%b) : tensor<?x16x8xf32>
  %cos = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<?x16x8xf32>) outs(%te : tensor<?x16x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.cos %a : f32
    linalg.yield %m : f32
  } -> tensor<?x16x8xf32>
  %sin = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%emb : tensor<?x16x8xf32>) outs(%te : tensor<?x16x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.sin %a : f32
    linalg.yield %m : f32
  } -> tensor<?x16x8xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [%b, 4, 16, 4] [1, 1, 1, 1] : tensor<?x4x16x8xf32> to tensor<?x4x16x4xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 4] [%b, 4, 16, 4] [1, 1, 1, 1] : tensor<?x4x16x8xf32> to tensor<?x4x16x4xf32>
  %n = arith.negf %x2 : tensor<?x4x16x4xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<?x4x16x4xf32>, tensor<?x4x16x4xf32>) -> tensor<?x4x16x8xf32>
  %e = tensor.empty(%b) : tensor<?x4x16x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #pj, #id4, #pj, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cos, %rot, %sin : tensor<?x4x16x8xf32>, tensor<?x16x8xf32>, tensor<?x4x16x8xf32>, tensor<?x16x8xf32>) outs(%e : tensor<?x4x16x8xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %bq = arith.mulf %r, %s : f32
    %m = arith.addf %a, %bq : f32
    linalg.yield %m : f32
  } -> tensor<?x4x16x8xf32>

  return %y : tensor<?x4x16x8xf32>
}

// -----

// COM: cos + i sin packed from transposed tables: the sin table is im, the cos
// COM: table re
// CHECK-LABEL: func.func @complex_component
// CHECK: complex.re
// CHECK: complex.im
// CHECK: rope.rotate_with_tables
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#tb = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr2 = affine_map<(d0, d1) -> (d1, d0)>
func.func @complex_component(%q: tensor<1x8x4x64xf32>, %cosTT: tensor<32x8xf32>, %sinTT: tensor<32x8xf32>) -> tensor<1x8x4x64xf32> {
  %ce = tensor.empty() : tensor<8x32xcomplex<f32>>
  %C = linalg.generic {indexing_maps = [#tr2, #tr2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%cosTT, %sinTT : tensor<32x8xf32>, tensor<32x8xf32>) outs(%ce : tensor<8x32xcomplex<f32>>) {
  ^bb0(%c: f32, %s: f32, %o: complex<f32>):
    %z = complex.create %c, %s : complex<f32>
    linalg.yield %z : complex<f32>
  } -> tensor<8x32xcomplex<f32>>
  %CC = tensor.concat dim(1) %C, %C : (tensor<8x32xcomplex<f32>>, tensor<8x32xcomplex<f32>>) -> tensor<8x64xcomplex<f32>>
  %te = tensor.empty() : tensor<8x64xf32>
  %cosR = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%CC : tensor<8x64xcomplex<f32>>) outs(%te : tensor<8x64xf32>) {
  ^bb0(%z: complex<f32>, %o: f32):
    %r = complex.re %z : complex<f32>
    linalg.yield %r : f32
  } -> tensor<8x64xf32>
  %sinR = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%CC : tensor<8x64xcomplex<f32>>) outs(%te : tensor<8x64xf32>) {
  ^bb0(%z: complex<f32>, %o: f32):
    %r = complex.im %z : complex<f32>
    linalg.yield %r : f32
  } -> tensor<8x64xf32>
  %x1 = tensor.extract_slice %q[0, 0, 0, 0] [1, 8, 4, 32] [1, 1, 1, 1] : tensor<1x8x4x64xf32> to tensor<1x8x4x32xf32>
  %x2 = tensor.extract_slice %q[0, 0, 0, 32] [1, 8, 4, 32] [1, 1, 1, 1] : tensor<1x8x4x64xf32> to tensor<1x8x4x32xf32>
  %n = arith.negf %x2 : tensor<1x8x4x32xf32>
  %rot = tensor.concat dim(3) %n, %x1 : (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) -> tensor<1x8x4x64xf32>
  %e = tensor.empty() : tensor<1x8x4x64xf32>
  %y = linalg.generic {indexing_maps = [#id4, #tb, #id4, #tb, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%q, %cosR, %rot, %sinR : tensor<1x8x4x64xf32>, tensor<8x64xf32>, tensor<1x8x4x64xf32>, tensor<8x64xf32>) outs(%e : tensor<1x8x4x64xf32>) {
  ^bb0(%x: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %a = arith.mulf %x, %c : f32
    %b = arith.mulf %r, %s : f32
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x64xf32>
  return %y : tensor<1x8x4x64xf32>
}

// -----

// COM: nothing raised: the function is left exactly as it was (no CSE, no DCE)
// CHECK-LABEL: func.func @no_rotation
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.addf
func.func @no_rotation(%a: tensor<2x4x8x8xf32>) -> (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>) {
  %dead = arith.mulf %a, %a : tensor<2x4x8x8xf32>
  %b = arith.addf %a, %a : tensor<2x4x8x8xf32>
  %c = arith.addf %a, %a : tensor<2x4x8x8xf32>
  return %b, %c : tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>
}
