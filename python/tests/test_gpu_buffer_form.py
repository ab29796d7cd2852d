"""convert-rope-to-gpu on the buffer form, from functions that are not the
ahead-of-time entry form: a rope.rotate written on memrefs inside a loop
that writes slices of a cache (strided views with a dynamic offset), and a
tensor function in destination-passing style, called from another function
(a tensor.empty destination would be host memory: refused, see
test/GPU/to-gpu-buffer-form.mlir).
one-shot-bufferize makes the buffer form; the kernels run as host loops
(test-rope-emulate-gpu-launch) and are checked against the float64 reference."""

import ctypes

import numpy as np

from rope_mlir import RopeSpec, compiler, memref, reference

RNG = np.random.default_rng(19)
SPEC = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
ROTATION_ATTRS = "layout = thd pairing = half head_dim = 64 rotary_dim = 64 theta = 1.0e4"

CACHE_LOOP = """
func.func @k(%q: memref<11x3x64xf32>, %pos: memref<2x1x11xi64>,
             %cache: memref<2x16x3x64xf32>) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %l = %c0 to %c2 step %c1 {
    %slot = memref.subview %cache[%l, 2, 0, 0] [1, 11, 3, 64] [1, 1, 1, 1]
        : memref<2x16x3x64xf32> to memref<11x3x64xf32, strided<[192, 64, 1], offset: ?>>
    %p = memref.subview %pos[%l, 0, 0] [1, 1, 11] [1, 1, 1]
        : memref<2x1x11xi64> to memref<1x11xi64, strided<[11, 1], offset: ?>>
    rope.rotate ins(%q : memref<11x3x64xf32>)
        positions(%p : memref<1x11xi64, strided<[11, 1], offset: ?>>)
        outs(%slot : memref<11x3x64xf32, strided<[192, 64, 1], offset: ?>>)
        %ATTRS%
  }
  return
}
""".replace("%ATTRS%", ROTATION_ATTRS)

TENSOR_CALLEE = """
func.func private @rotate(%q: tensor<11x3x64xf32>, %pos: tensor<1x11xi64>,
                          %dst: tensor<11x3x64xf32>) -> tensor<11x3x64xf32> {
  %r = rope.rotate ins(%q : tensor<11x3x64xf32>) positions(%pos : tensor<1x11xi64>)
      outs(%dst : tensor<11x3x64xf32>) %ATTRS% -> tensor<11x3x64xf32>
  return %r : tensor<11x3x64xf32>
}

func.func @k(%q: memref<11x3x64xf32>, %pos: memref<1x11xi64>, %out: memref<11x3x64xf32>)
    attributes {llvm.emit_c_interface} {
  %qt = bufferization.to_tensor %q restrict : memref<11x3x64xf32> to tensor<11x3x64xf32>
  %pt = bufferization.to_tensor %pos restrict : memref<1x11xi64> to tensor<1x11xi64>
  %ot = bufferization.to_tensor %out restrict writable : memref<11x3x64xf32> to tensor<11x3x64xf32>
  %r = func.call @rotate(%qt, %pt, %ot)
      : (tensor<11x3x64xf32>, tensor<1x11xi64>, tensor<11x3x64xf32>) -> tensor<11x3x64xf32>
  bufferization.materialize_in_destination %r in restrict writable %out
      : (tensor<11x3x64xf32>, memref<11x3x64xf32>) -> ()
  return
}
""".replace("%ATTRS%", ROTATION_ATTRS)


def guard_reports(lib):
    return (ctypes.c_int64 * 6).in_dll(lib, "rope_emulated_gpu_error")[0]


def check(got, q, pos):
    ref = reference.rotate(SPEC, "thd", q.astype(np.float64), pos)
    assert float(np.max(np.abs(got - ref)) / np.max(np.abs(ref))) < 1e-5


def test_buffer_form_in_a_loop_over_cache_slices():
    lib = ctypes.CDLL(compiler.compile_shared(CACHE_LOOP, passes=compiler.GPU_EMULATION))
    q = RNG.uniform(-2, 2, size=(11, 3, 64)).astype(np.float32)
    pos = RNG.integers(0, 40000, size=(2, 1, 11)).astype(np.int64)
    cache = np.full((2, 16, 3, 64), 7.0, dtype=np.float32)
    memref.call(lib, "k", q, pos, cache)
    assert guard_reports(lib) == 0
    for layer in range(2):
        check(cache[layer, 2:13], q, pos[layer])
    # Slots outside each layer's slice keep their contents.
    assert np.all(cache[:, :2] == 7.0) and np.all(cache[:, 13:] == 7.0)


def test_tensor_function_called_from_another():
    lib = ctypes.CDLL(compiler.compile_shared(TENSOR_CALLEE, passes=compiler.GPU_EMULATION))
    q = RNG.uniform(-2, 2, size=(11, 3, 64)).astype(np.float32)
    pos = RNG.integers(0, 40000, size=(1, 11)).astype(np.int64)
    out = np.zeros_like(q)
    memref.call(lib, "k", q, pos, out)
    assert guard_reports(lib) == 0
    check(out, q, pos)
