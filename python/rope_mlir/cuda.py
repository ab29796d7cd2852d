"""CUDA tensors: rope-opt's GPU kernels launched on PyTorch's current stream.

RopeKernel serves torch CUDA tensors through `TorchDevice`, an operand kind
like its numpy and CPU tensor kinds: the same memory rules (row-major, the
other layout's storage, the strided variant, copies for the rest) decide
what is launched, computed by the same code from numpy arrays that describe
the device memory (`device_array`: shape, strides and address, never read),
and whatever touches elements (temporaries, copies, outputs) is a torch
operation on the device, queued on the current stream like the kernel.

A launch sets librope_cuda_runtime.so's stream for the calling thread
(ropeCudaSetStream) to torch's current stream of the tensors' device, calls
the kernel's host code and returns once the kernel is queued: nothing waits
for the device. Errors the runtime records (a launch that failed, a buffer
the host code's guard refused) raise CudaError at once; errors of the
running kernel surface in the next synchronizing torch call, as with any
CUDA op.
"""

import ctypes
import os

import numpy as np

from . import compiler, tools

RUNTIME = "librope_cuda_runtime.so"
# Every address the kernels read 16 bytes at a time must be a multiple of
# 16 (README "GPU"): row-major operands are launched as they are when they
# start there (PyTorch's allocations do), others are copied first.
ALIGNMENT = 16
_TYPESTR = {"float32": "<f4", "float16": "<f2", "bfloat16": "<u2", "int32": "<i4", "int64": "<i8"}


class CudaError(RuntimeError):
    """The CUDA runtime or driver is missing, or refused or failed a launch;
    the message is the runtime's (the call and CUDA's error name)."""


def runtime_candidates():
    """Where librope_cuda_runtime.so is looked for, in order: $ROPE_CUDA_RUNTIME
    (the file), the package's lib/ (pip install copies it there), the lib/
    beside the rope-opt in use (a build or install tree), the source tree's
    build/lib."""
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.environ.get("ROPE_CUDA_RUNTIME"), os.path.join(here, "lib", RUNTIME)]
    try:
        # realpath: cmake --install's package links the prefix's rope-opt.
        found.append(os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(tools.rope_opt()))),
                                  "lib", RUNTIME))
    except tools.ToolError:
        pass  # a GPU machine without MLIR: the other places
    found.append(os.path.join(here, "..", "..", "build", "lib", RUNTIME))
    return list(dict.fromkeys(c for c in found if c))


def runtime_path():
    """The first of runtime_candidates() that exists; CudaError naming them
    all when none does."""
    candidates = runtime_candidates()
    for c in candidates:
        if os.path.exists(c):
            return os.path.abspath(c)
    raise CudaError("%s not found (tried %s): build the project with the CUDA toolkit (it builds "
                    "lib/%s) or set ROPE_CUDA_RUNTIME" % (RUNTIME, ", ".join(candidates), RUNTIME))


_RUNTIME = {}


def runtime():
    """librope_cuda_runtime.so, loaded once (kernels' objects link it by its
    soname and so use this copy). CudaError when it is missing or the CUDA
    driver it needs (libcuda.so.1) does not load."""
    lib = _RUNTIME.get("lib")
    if lib is None:
        path = runtime_path()
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            raise CudaError("%s does not load (%s): the GPU kernels need an NVIDIA driver "
                            "(libcuda.so.1)" % (path, e)) from None
        lib.ropeCudaSetStream.argtypes = [ctypes.c_void_p]
        lib.ropeCudaSetStream.restype = None
        lib.ropeCudaLastMessage.restype = ctypes.c_char_p
        _RUNTIME["lib"] = lib
    return lib


def chip(torch, index):
    """The GPU pipeline's chip for CUDA device `index`: sm_<major><minor>."""
    major, minor = torch.cuda.get_device_capability(index)
    return "sm_%d%d" % (major, minor)


def features(target):
    """The PTX version a chip needs (LLVM's default is too old for sm_90:
    TOOLCHAIN.md); PTX 8.0 serves up to sm_90, 8.6 Blackwell."""
    return "+ptx80" if int(target[3:]) < 100 else "+ptx86"


def load_gpu(module_text, target, cache_dir=None):
    """The object compiler.compile_gpu builds for `module_text` and chip
    `target`, loaded with the runtime before it: (path, ctypes.CDLL)."""
    runtime()  # first: the object finds it by its soname
    so, key = compile_gpu(module_text, target, cache_dir)
    loaded = compiler._load_checked(so, key)
    if loaded is None:
        raise compiler.CacheError("%s does not load or does not carry its cache key %s" % (so, key))
    return so, loaded


def compile_gpu(module_text, target, cache_dir=None):
    """compiler.compile_gpu for chip `target`, linked to the runtime
    runtime_path() finds: (path, key). Needs no GPU or driver."""
    return compiler.compile_gpu(module_text, target, os.path.dirname(runtime_path()), features(target),
                                cache_dir)


def raise_pending(lib):
    """CudaError with the runtime's message if this thread has an error
    recorded (cleared first: the next call starts afresh; a sticky CUDA error
    stays in its context whatever we clear)."""
    code = lib.ropeCudaLastError()
    if code:
        message = lib.ropeCudaLastMessage().decode(errors="replace")
        lib.ropeCudaClearError()
        raise CudaError("CUDA error %d: %s" % (code, message))


class _DeviceMemory:
    """A tensor's memory as numpy sees it through __array_interface__:
    address, shape and strides only. numpy never reads elements for the
    checks made on it (flags, strides, np.shares_memory); `tensor_of` turns
    any view of it back into a tensor view for the operations that do."""

    def __init__(self, tensor, address):
        self.tensor = tensor
        item = tensor.element_size()
        self.__array_interface__ = {
            "version": 3, "shape": tuple(tensor.shape), "typestr": _TYPESTR[str(tensor.dtype)[6:]],
            "data": (address, False), "strides": tuple(s * item for s in tensor.stride())}


def device_array(tensor):
    """A numpy array describing `tensor`'s memory (dtype as RopeKernel's
    numpy operands: bf16 as uint16), for the memory rules only: reading or
    writing its elements would touch device memory from the host. A tensor
    without elements may have address 0, which numpy refuses: any aligned
    address stands in (nothing is read or written there)."""
    return np.asarray(_DeviceMemory(tensor, tensor.data_ptr() or ALIGNMENT))


def tensor_of(a):
    """The tensor view that device_array view `a` describes."""
    owner = a
    while isinstance(owner, np.ndarray):
        owner = owner.base
    t = owner.tensor
    item = a.itemsize
    offset = t.storage_offset() + (a.ctypes.data - (t.data_ptr() or ALIGNMENT)) // item
    return t.as_strided(a.shape, [s // item for s in a.strides], offset)


def aligned(a):
    """Whether the GPU kernels address device_array `a` as it is: its first
    element and every stride of a dim with several elements, but the last,
    multiples of ALIGNMENT bytes."""
    return (a.ctypes.data % ALIGNMENT == 0
            and all(s % ALIGNMENT == 0 for n, s in zip(a.shape[:-1], a.strides[:-1]) if n > 1))


class TorchDevice:
    """torch tensors on one device as operands of a RopeKernel's GPU
    variants (RopeKernel's operand kind for CUDA tensors).

    `functions(layout, strided)` calls a variant (layout None: the
    kernel's own) on descriptor fields: RopeKernel gives Launchers of its
    GPU objects on torch's current stream. `host_fits` is RopeKernel's rule
    for the strided variant on host memory, which the device adds its
    alignment to.
    """
    name = "torch tensor"
    on_device = True
    devices = None
    values = None  # positions on the device are not scanned: that would wait for the device

    def __init__(self, torch, data_name, positions_name, device, functions, host_fits):
        self.torch = torch
        self.array_type = torch.Tensor
        self.data = getattr(torch, data_name)
        self.positions = getattr(torch, positions_name)
        self.device = device
        self.index = -1 if device.index is None else device.index
        self.function = functions
        self._host_fits = host_fits
        self._strided = torch.strided
        self._main = None

    def pointer(self, x, dtype, written):
        """x's address if x is a plain row-major tensor of `dtype` on this
        device, outside autograd, starting ALIGNMENT-aligned, else None."""
        if (type(x) is self.array_type and x.dtype is dtype and x.get_device() == self.index
                and x.layout is self._strided and not x.requires_grad and x.is_contiguous()):
            p = x.data_ptr()
            if p % ALIGNMENT == 0:
                return p
        return None

    def empty(self, x):
        """A new tensor like x on the device (empty_like: x's strides where x
        is dense), allocated on the current stream."""
        return self.torch.empty_like(x)

    def array(self, x, name):
        """device_array(x), after the checks a tensor the kernel reads or
        writes must pass: a strided tensor on this device, outside autograd."""
        if not isinstance(x, self.array_type):
            raise TypeError("%s must be a torch tensor on %s like q, got %s" % (name, self.device, type(x).__name__))
        if x.layout is not self._strided:
            raise TypeError("%s is a %s tensor; the kernel takes strided (dense) tensors" % (name, x.layout))
        if x.get_device() != self.index:
            raise ValueError("%s is on %s and q on %s: every tensor of a call must be on q's device (positions "
                             "too: copy them there, e.g. positions.to(q.device))" % (name, x.device, self.device))
        if x.requires_grad:
            raise ValueError("%s requires grad; the kernels have no backward: pass %s.detach()" % (name, name))
        return device_array(x)

    @staticmethod
    def dtype_name(dtype):
        return str(dtype)

    def row_major(self, a):
        """Whether the row-major variant addresses `a` as it is."""
        return a.flags.c_contiguous and aligned(a)

    def strided_fits(self, a, written):
        """The host rule (last stride one element, no negative stride, no
        element twice when written) and aligned for the GPU."""
        return self._host_fits(a, written) and aligned(a)

    def require(self, a):
        """`a` if the row-major variant addresses it as it is, else a
        row-major copy on the device."""
        return a if self.row_major(a) else self.copy(a)

    def copy(self, a):
        """A new row-major copy of `a` on the device (queued)."""
        return device_array(tensor_of(a).clone(memory_format=self.torch.contiguous_format))

    def temporary(self, a):
        """A new row-major tensor of a's shape and dtype on the device."""
        t = tensor_of(a)
        return device_array(self.torch.empty(t.shape, dtype=t.dtype, device=t.device))

    def assign(self, dst, src):
        """dst[...] = src on the device (queued)."""
        tensor_of(dst).copy_(tensor_of(src))

    def launch(self, fields, index=()):
        """The kernel's own variant on descriptor `fields` (RopeKernel._fast)."""
        if self._main is None:
            self._main = self.function(None, False)
        self._main(fields, index)


class Launcher:
    """A GPU variant's memref.Function called on torch's current stream of
    device `index`: sets the thread's stream in the runtime, calls with that
    device current (torch's device guard where another is), raises what
    the runtime recorded. Nothing waits for the kernel."""

    def __init__(self, fn, torch, index):
        self._fn, self._lib, self._index = fn, runtime(), index
        self._stream = current_stream(torch, index)
        self._current = torch.cuda.current_device
        self._guard = torch.cuda.device

    def __call__(self, fields, index=()):
        """Launches the variant on descriptor `fields` (memref.Function's),
        queued on the current stream; CudaError for what the runtime
        recorded."""
        if self._current() != self._index:
            # The runtime launches in the thread's current context: torch's
            # primary context of the tensors' device.
            with self._guard(self._index):
                return self(fields, index)
        self._lib.ropeCudaSetStream(self._stream())
        self._fn(fields, index)
        if self._lib.ropeCudaLastError():
            raise_pending(self._lib)
        return None


def current_stream(torch, index):
    """A function giving torch's current stream of device `index` as a
    CUstream address: torch._C._cuda_getCurrentRawStream where torch has it
    (what torch.compile's generated code calls), else
    torch.cuda.current_stream(index).cuda_stream."""
    raw = getattr(torch._C, "_cuda_getCurrentRawStream", None)
    if raw is not None:
        return lambda: raw(index)
    return lambda: torch.cuda.current_stream(index).cuda_stream

