#!/usr/bin/env python3
"""Drives the host code of rope-gpu-pipeline (qwen3vl_rope, the kernels'
object linked to librope_cuda_runtime.so) over a mock CUDA driver
(Inputs/mock_libcuda.cpp, loaded as libcuda.so.1) or CUDA's stub libcuda.so:
the host guard, the runtime's per-thread error state, its context choice and
lazily loaded modules. numpy arrays stand in for device memory (the mock
never touches it). Prints one line per fact, for FileCheck.

  runtime_mock.py mock KERNELS_SO MOCK_SO
  runtime_mock.py stub KERNELS_SO
"""

import ctypes
import os
import sys
import threading

import numpy as np

# The pytest suite's array helpers (python/tests: not on lit's PYTHONPATH).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "tests"))
from layouts import misaligned  # noqa: E402
from rope_mlir.memref import as_memref  # noqa: E402

MODE, KERNELS = sys.argv[1], sys.argv[2]
if MODE == "mock":
    mock = ctypes.CDLL(sys.argv[3], mode=ctypes.RTLD_GLOBAL)
    mock.mockCudaLastKernel.restype = ctypes.c_char_p
    mock.mockCudaLastStream.restype = ctypes.c_void_p
lib = ctypes.CDLL(KERNELS)  # dlsym through it finds the runtime it links
lib.ropeCudaLastCall.restype = ctypes.c_char_p
lib.ropeCudaLastMessage.restype = ctypes.c_char_p

S = 7


def tensors(s=S):
    q = np.ones((1, 32, s, 128), np.float32)
    k = np.ones((1, 8, s, 128), np.float32)
    pos = np.zeros((3, 1, s), np.int64)
    return [q, k, pos, np.zeros_like(q), np.zeros_like(k)]


def call(arrays, offsets=None):
    descs = [as_memref(a) for a in arrays]
    for i, off in (offsets or {}).items():
        descs[i].offset = off
    fn = lib._mlir_ciface_qwen3vl_rope
    fn.restype = None
    fn.argtypes = [ctypes.POINTER(type(d)) for d in descs]
    fn(*[ctypes.byref(d) for d in descs])


def error():
    return lib.ropeCudaLastError(), lib.ropeCudaLastCall().decode(), lib.ropeCudaLastMessage().decode()


def in_thread(fn):
    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0]


def launches():
    return mock.mockCudaLaunches()


def guard_cases():
    """(name, arrays, offsets): each breaks one rule of the kernel."""
    q, k, pos, qo, ko = tensors()
    permuted = np.ascontiguousarray(q.transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3)
    wide = np.zeros(ko.shape[:-1] + (256,), np.float32)
    rows = np.lib.stride_tricks.as_strided(
        np.zeros(32 * (S * 128 + 2), np.float32), shape=qo.shape,
        strides=(32 * (S * 128 + 2) * 4, (S * 128 + 2) * 4, 512, 4))
    return [
        ("base", [misaligned(q, 4), k, pos, qo, ko], None),
        ("positions", [q, k, misaligned(pos, 4), qo, ko], None),
        ("permuted", [permuted, k, pos, qo, ko], None),
        ("inner", [q, k, pos, qo, wide[..., ::2]], None),
        ("rows", [q, k, pos, rows, ko], None),
        ("offset", [q, k, pos, qo, ko], {1: 16}),
    ]


def run_mock():
    print("load: init %d modules %d" % (mock.mockCudaInitCalls(), mock.mockCudaModuleLoads()))
    arrays = tensors()
    call(arrays)
    last = (ctypes.c_int64 * 8)()
    mock.mockCudaLastLaunch(last)
    print("launch %d: grid %d %d %d block %d %d %d device %d kernel %s error %d" % (
        launches(), *last[:6], last[7], mock.mockCudaLastKernel().decode(), lib.ropeCudaLastError()))
    call(arrays)
    print("again: launches %d modules %d retains %d current %d" % (
        launches(), mock.mockCudaModuleLoads(), mock.mockCudaPrimaryRetains(0),
        mock.mockCudaCurrentDevice()))

    # The guard: no launch, one error naming the argument and the rule.
    for name, bad, offsets in guard_cases():
        before = launches()
        call(bad, offsets)
        code, where, message = error()
        print("guard %s: launched %d error %d in %s: %s" % (name, launches() - before, code, where,
                                                           message.split(": ", 2)[2]))
        # Pending: the next (good) call does nothing until cleared.
        call(arrays)
        print("pending %s: launched %d cleared %d" % (name, launches() - before, lib.ropeCudaClearError()))
        call(arrays)
        print("after clear %s: launched %d error %d" % (name, launches() - before, lib.ropeCudaLastError()))

    # Good views the guard lets through: a dim of one element has any stride;
    # rows padded to a multiple of 16 bytes keep their dynamic stride.
    q, k, pos, qo, ko = tensors()
    odd = np.lib.stride_tricks.as_strided(q.copy(), shape=q.shape, strides=(12345 * 4,) + q.strides[1:])
    padded = np.lib.stride_tricks.as_strided(np.zeros(8 * (S * 128 + 4), np.float32), shape=ko.shape,
                                             strides=(8 * (S * 128 + 4) * 4, (S * 128 + 4) * 4, 512, 4))
    before = launches()
    call([odd, k, pos, qo, padded])
    print("good views: launched %d error %d" % (launches() - before, lib.ropeCudaLastError()))
    before = launches()
    call(tensors(0))
    print("no tokens: launched %d error %d" % (launches() - before, lib.ropeCudaLastError()))

    # Errors are per thread.
    def failing():
        call(guard_cases()[0][1])
        return error()[0]
    print("thread error %d, main error %d" % (in_thread(failing), lib.ropeCudaLastError()))

    # A thread with no current context uses device 0's primary context, retained once.
    def fresh():
        before = launches()
        call(tensors())
        mock.mockCudaLastLaunch(last)
        return launches() - before, last[7], mock.mockCudaPrimaryRetains(0), lib.ropeCudaLastError()
    print("fresh thread: launched %d device %d retains %d error %d" % in_thread(fresh))

    # ropeCudaSetDevice: device 1's primary context, current; its module loaded there.
    def device1():
        rc = lib.ropeCudaSetDevice(1)
        current = mock.mockCudaCurrentDevice()
        call(tensors())
        mock.mockCudaLastLaunch(last)
        return rc, current, last[7], mock.mockCudaModuleLoads(), mock.mockCudaPrimaryRetains(1)
    print("set device 1: rc %d current %d launch device %d modules %d retains %d" % in_thread(device1))

    def device5():
        rc = lib.ropeCudaSetDevice(5)
        return rc, error()[2]
    print("set device 5: rc %d: %s" % in_thread(device5))

    # A context already current (not a primary one) is used as it is.
    def own():
        mock.mockCudaCreateContext(1)
        call(tensors())
        mock.mockCudaLastLaunch(last)
        return (last[7], mock.mockCudaModuleLoads(), mock.mockCudaPrimaryRetains(0),
                mock.mockCudaPrimaryRetains(1), lib.ropeCudaLastError())
    print("own context: device %d modules %d retains %d %d error %d" % in_thread(own))

    # ropeCudaSetStream: launches go to the caller's stream, which the host
    # code neither waits for nor destroys; 0 (the legacy default stream,
    # PyTorch's default) is honoured the same way; the choice is per thread;
    # ropeCudaResetStream returns to the legacy stream, waited for.
    def streams():
        syncs, destroys = mock.mockCudaStreamSyncs(), mock.mockCudaStreamDestroys()
        call(tensors())
        return mock.mockCudaLastStream() or 0, mock.mockCudaStreamSyncs() - syncs, \
            mock.mockCudaStreamDestroys() - destroys
    lib.ropeCudaSetStream.argtypes = [ctypes.c_void_p]
    lib.ropeCudaSetStream(0x5000)
    print("set stream: launch stream %#x syncs %d destroys %d" % streams())
    print("other thread: launch stream %#x syncs %d destroys %d" % in_thread(streams))
    lib.ropeCudaSetStream(0)
    print("set legacy stream: launch stream %#x syncs %d destroys %d" % streams())
    lib.ropeCudaResetStream()
    print("reset stream: launch stream %#x syncs %d destroys %d error %d" % (*streams(), lib.ropeCudaLastError()))

    # CUDA's sticky errors: clearing our record does not repair the context.
    mock.mockCudaPoisonCurrent(716)
    call(arrays)
    first = error()
    cleared = lib.ropeCudaClearError()
    call(arrays)
    print("sticky: %d in %s, cleared %d, again %d in %s" % (first[0], first[1], cleared, *error()[:2]))


def run_stub():
    arrays = tensors()
    call(arrays)
    code, where, message = error()
    print("stub: error %d in %s: %s" % (code, where, message))
    print("stub: cleared %d, now %d" % (lib.ropeCudaClearError(), lib.ropeCudaLastError()))
    print("stub: set device rc %d" % lib.ropeCudaSetDevice(0))
    lib.ropeCudaClearError()
    call(guard_cases()[0][1])
    print("stub guard: error %d in %s" % error()[:2])


if __name__ == "__main__":
    run_mock() if MODE == "mock" else run_stub()
