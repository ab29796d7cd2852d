"""From a spec to a callable kernel: emit MLIR, compile it, and call it on
numpy arrays, torch CPU tensors or torch CUDA tensors (cuda.py)."""

import copy
import math
import numbers
import operator
import re
import sys

import numpy as np

from . import compiler, cuda, memref
from .spec import RopeSpec, check_attention_factor, check_scaling

_ELEMENT = {"f32": "f32", "f16": "f16", "bf16": "bf16"}
_NUMPY_STORAGE = {"f32": np.float32, "f16": np.float16, "bf16": np.uint16}
_TORCH_STORAGE = {"f32": "float32", "f16": "float16", "bf16": "bfloat16"}
_POSITIONS = {np.dtype(np.int32): "i32", np.dtype(np.int64): "i64", np.dtype(np.float32): "f32"}
_POSITION_STORAGE = {name: dtype for dtype, name in _POSITIONS.items()}
_TORCH_POSITIONS = {"i32": "int32", "i64": "int64", "f32": "float32"}
LAYOUTS = ("bhsd", "bshd", "thd", "packed")
_RANK = {"bhsd": 4, "bshd": 4, "thd": 3, "packed": 2}
_TOKEN_RANK = {"bhsd": 2, "bshd": 2, "thd": 1, "packed": 1}
# The token dims of each layout, and its static ones (heads, head_dim).
_TOKENS = {"bhsd": operator.itemgetter(0, 2), "bshd": operator.itemgetter(slice(0, 2)),
           "thd": operator.itemgetter(slice(0, 1)), "packed": operator.itemgetter(slice(0, 1))}
_STATIC = {"bhsd": operator.itemgetter(1, 3), "bshd": operator.itemgetter(2, 3),
           "thd": operator.itemgetter(1, 2), "packed": operator.itemgetter(1)}
# HF's q.view(B, S, H, D).transpose(1, 2) is a bhsd view of bshd storage:
# swapping dims 1 and 2 of such a view gives the other layout, row-major.
_SWAPPED = {"bhsd": "bshd", "bshd": "bhsd"}
# The kernel forms each angle pos * inv_j in f64 and reduces it modulo 2*pi
# with f64(2*pi), whose error (2.4e-16) it multiplies by the angle's number of
# turns: up to |angle| = 2^32 results stay at f32 rounding against float64,
# at 2^38 they are 1e-5 off and from 2^56 garbage (docs/design.md, "Angles
# in f64"). Calls with positions beyond the bound raise instead.
ANGLE_BOUND = 2.0 ** 32
# The verifier's size bounds (include/Rope/IR/RopeOps.h): head_dim at most
# 2^16, static dimensions in [1, 2^40], static shapes at most 2^48 elements.
MAX_HEAD_DIM = 2 ** 16
MAX_STATIC_DIM = 2 ** 40
MAX_STATIC_ELEMENTS = 2 ** 48
# An `index` argument is an int64 on the 64-bit hosts the pipeline targets.
MAX_SEQ_LEN = 2 ** 63 - 1
# Positions up to this many are scanned as a Python list: a numpy or torch
# reduction costs microseconds, a decode step's few positions nanoseconds.
_SCANNED_IN_PYTHON = 64


def _size(value, name, low=1, high=MAX_STATIC_DIM):
    """A size argument: a Python or numpy integer (not a bool, a float or a
    string: TypeError) in [low, high] (ValueError); returned as an int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("%s must be an integer, got %r" % (name, value))
    if not low <= value <= high:
        top = "2^%d" % (high.bit_length() - 1) if high & (high - 1) == 0 else "%d" % high
        raise ValueError("%s must be in [%d, %s], got %d" % (name, low, top, value))
    return int(value)


def position_bound(spec):
    """The largest |position| the kernel takes: the spec's max_position
    where it has one, and at most the one whose angles stay within
    ANGLE_BOUND (inv_j is at most 1, or 1 / factor where a scaling factor
    below 1 raises it)."""
    sc = spec.scaling
    if sc is None or sc["kind"] == "dynamic_ntk":
        # Dynamic NTK only grows theta, which lowers every inv_j.
        bound = ANGLE_BOUND
    else:
        smallest = min(sc["factors"]) if sc["kind"] == "freq_factors" else sc["factor"]
        bound = ANGLE_BOUND * min(1.0, smallest)
    if spec.max_position is not None:
        bound = min(bound, spec.max_position)
    return bound


def is_dynamic(spec):
    """Whether the spec's frequencies depend on a run-time seq_len (dynamic NTK)."""
    return spec.scaling is not None and spec.scaling["kind"] == "dynamic_ntk"


def _shape(layout, heads, head_dim):
    """Memref shape with dynamic token dims."""
    if layout == "bhsd":
        return ["?", str(heads), "?", str(head_dim)]
    if layout == "bshd":
        return ["?", "?", str(heads), str(head_dim)]
    if layout == "thd":
        return ["?", str(heads), str(head_dim)]
    return ["?", str(heads * head_dim)]


def _static_dims(layout, heads, head_dim):
    """What _STATIC[layout] reads from a fitting shape."""
    return heads * head_dim if layout == "packed" else (heads, head_dim)


def emit_module(spec, layout, q_heads, k_heads=0, dtype="f32", pos_dtype="i64",
                in_place=False, name="rope_kernel", strided=False):
    """A module whose @name rotates q (and k) through memrefs, C interface on.

    Arguments in order: q, (k,) positions, (q_out, k_out when not in place,)
    and, for a dynamic NTK spec, `seq_len: index` (R4's L). q, k and the
    outs are row-major (identity layout), or with `strided` any strides
    whose last is 1 (`strided<[?, ..., ?, 1], offset: ?>`); positions are
    always row-major.
    """
    elt = _ELEMENT[dtype]
    pos_t = "memref<%dx%sx%s>" % (spec.num_axes, "x".join(["?"] * _TOKEN_RANK[layout]), pos_dtype)
    pos_tt = pos_t.replace("memref", "tensor")
    heads = [q_heads] + ([k_heads] if k_heads else [])
    strides = ", strided<[%s1], offset: ?>" % ("?, " * (_RANK[layout] - 1)) if strided else ""
    dims = ["x".join(_shape(layout, h, spec.head_dim)) for h in heads]
    mts = ["memref<%sx%s%s>" % (d, elt, strides) for d in dims]
    tts = ["tensor<%sx%s>" % (d, elt) for d in dims]
    names = ["q", "k"][:len(heads)]
    args = ["%%%s: %s" % (n, t) for n, t in zip(names, mts)] + ["%%pos: %s" % pos_t]
    if not in_place:
        args += ["%%%s_out: %s" % (n, t) for n, t in zip(names, mts)]
    seq_len = ""
    if is_dynamic(spec):
        args.append("%seq_len: index")
        seq_len = " seq_len(%seq_len)"
    body = []
    for n, mt, tt in zip(names, mts, tts):
        writable = " writable" if in_place else ""
        body.append("  %%%s_t = bufferization.to_tensor %%%s restrict%s : %s to %s" % (n, n, writable, mt, tt))
        if not in_place:
            body.append("  %%%s_o = bufferization.to_tensor %%%s_out restrict writable : %s to %s" % (n, n, mt, tt))
    body.append("  %%pos_t = bufferization.to_tensor %%pos restrict : %s to %s" % (pos_t, pos_tt))
    if in_place:
        ins, outs = "", ", ".join("%%%s_t" % n for n in names)
    else:
        ins = "ins(%s : %s) " % (", ".join("%%%s_t" % n for n in names), ", ".join(tts))
        outs = ", ".join("%%%s_o" % n for n in names)
    res = "%r" if len(names) == 1 else "%%r:%d" % len(names)
    body.append("  %s = rope.rotate %spositions(%%pos_t : %s)%s outs(%s : %s) %s -> %s" % (
        res, ins, pos_tt, seq_len, outs, ", ".join(tts), spec.attributes(layout), ", ".join(tts)))
    for i, (n, mt, tt) in enumerate(zip(names, mts, tts)):
        r = "%r" if len(names) == 1 else "%%r#%d" % i
        dest = "%%%s" % n if in_place else "%%%s_out" % n
        body.append("  bufferization.materialize_in_destination %s in restrict writable %s : (%s, %s) -> ()"
                    % (r, dest, tt, mt))
    return ("func.func @%s(%s) attributes {llvm.emit_c_interface} {\n%s\n  return\n}\n"
            % (name, ", ".join(args), "\n".join(body)))


_DIMS = {}


def _row_major_dims(shape):
    """The sizes and row-major strides (in elements) of `shape`, as a
    descriptor of an identity-layout memref holds them. Cached: a decode
    loop sees the same few shapes on every call."""
    dims = _DIMS.get(shape)
    if dims is None:
        strides, step = [], 1
        for n in reversed(shape):
            strides.append(step)
            step *= n
        dims = tuple(shape) + tuple(reversed(strides))
        if len(_DIMS) >= 4096:
            _DIMS.clear()
        _DIMS[tuple(shape)] = dims
    return dims


def _row_major(a):
    """Whether the row-major kernels address numpy array `a` as it is:
    C-contiguous, each element at its natural alignment."""
    return a.flags.c_contiguous and a.flags.aligned


def _strided_fits(a, written):
    """Whether the strided variant addresses numpy array `a` as it is:
    aligned, its last dim of stride 1 (the kernel's vector loads), no
    negative stride and, when written, no two elements at one address (a
    sufficient test: sorted by stride, each dim steps past the span of the
    smaller ones)."""
    if not a.flags.aligned or a.strides[-1] != a.itemsize:
        return False
    dims = sorted((s, n) for n, s in zip(a.shape, a.strides) if n > 1)
    if dims and dims[0][0] < 0:
        return False
    if written:
        span = a.itemsize
        for s, n in dims:
            if s < span:
                return False
            span += s * (n - 1)
    return True


def _fields(a, strided):
    """Descriptor fields of numpy array `a` for memref.Function."""
    p = a.ctypes.data
    if strided:
        return (p, p, 0) + a.shape + tuple(s // a.itemsize for s in a.strides)
    return (p, p, 0) + _row_major_dims(a.shape)


def _has_zero_stride(a):
    """A zero stride over more than one element: several elements at one
    address (np.broadcast_to, torch's expand)."""
    return any(s == 0 and n > 1 for n, s in zip(a.shape, a.strides))


class _Host:
    """What RopeKernel._run does to host operands (numpy arrays, or CPU
    tensors' memory as numpy arrays); cuda.TorchDevice does the same on a
    device. `function(layout, strided)` is the kernel's CPU variant,
    `launch` its own one, compiled when the kind is made."""
    on_device = False
    devices = None

    def __init__(self, kernel):
        self.function = kernel.function
        self.launch = kernel.function()

    row_major = staticmethod(_row_major)
    strided_fits = staticmethod(_strided_fits)

    @staticmethod
    def require(a):
        """`a`, or a row-major aligned copy of it if it is not one."""
        return np.require(a, requirements=["C", "A"])

    @staticmethod
    def copy(a):
        return np.array(a, order="C")

    @staticmethod
    def temporary(a):
        return np.empty(a.shape, a.dtype)

    @staticmethod
    def assign(dst, src):
        dst[...] = src


class _Numpy(_Host):
    """numpy arrays as kernel operands."""
    array_type = np.ndarray
    name = "numpy array"

    def __init__(self, kernel, data_dtype, positions_dtype):
        super().__init__(kernel)
        self.data = data_dtype
        self.positions = positions_dtype

    @staticmethod
    def pointer(x, dtype, written):
        """x's address if x is a row-major, aligned (and, when written,
        writeable) array of `dtype`, else None."""
        if type(x) is np.ndarray and x.dtype is dtype:
            flags = x.flags
            if flags.c_contiguous and flags.aligned and (flags.writeable or not written):
                return x.ctypes.data
        return None

    @staticmethod
    def empty(x):
        """A new row-major array of x's shape and dtype."""
        return np.empty(x.shape, x.dtype)

    @staticmethod
    def values(positions):
        return positions.ravel().tolist()

    @staticmethod
    def array(x, name):
        return x

    @staticmethod
    def dtype_name(dtype):
        return np.dtype(dtype).name


class _Torch(_Host):
    """torch CPU tensors as kernel operands, through numpy arrays sharing
    their memory (bf16 as uint16) where a numpy array is needed. CUDA
    tensors go to the kind of their device in `devices`
    (RopeKernel._device_kind)."""
    name = "torch tensor"

    def __init__(self, kernel, torch, data_name, positions_name):
        super().__init__(kernel)
        self.devices = {}
        self.torch = torch
        self.array_type = torch.Tensor
        self.data = getattr(torch, data_name)
        self.positions = getattr(torch, positions_name)
        self._strided = torch.strided

    def pointer(self, x, dtype, written):
        """x's address if x is a plain (not a subclass) row-major CPU tensor
        of `dtype` at its natural alignment, outside autograd, else None."""
        if (type(x) is self.array_type and x.dtype is dtype and x.is_cpu and x.layout is self._strided
                and not x.requires_grad and x.is_contiguous()):
            p = x.data_ptr()
            if p % x.element_size() == 0:
                return p
        return None

    def empty(self, x):
        """A new tensor like x: with its strides where x is dense (a
        transposed view stays one), else row-major."""
        return self.torch.empty_like(x)

    @staticmethod
    def values(positions):
        values = positions.tolist()
        for _ in range(positions.dim() - 1):
            values = [v for row in values for v in row]
        return values

    def array(self, x, name):
        """A numpy array sharing x's memory, after the checks a tensor the
        kernel reads or writes must pass."""
        if x.layout is not self._strided:
            raise TypeError("%s is a %s tensor; the kernel takes strided (dense) tensors" % (name, x.layout))
        if x.device.type == "cuda":
            raise ValueError("%s is on %s and q on the CPU: every tensor of a call must be on q's device"
                             % (name, x.device))
        if x.device.type != "cpu":
            raise ValueError("%s is on %s; rope_mlir runs CPU and CUDA tensors" % (name, x.device))
        if x.requires_grad:
            raise ValueError("%s requires grad; the kernels have no backward: pass %s.detach()" % (name, name))
        if x.dtype is self.torch.bfloat16:
            return x.view(self.torch.int16).numpy().view(np.uint16)
        return x.numpy()

    @staticmethod
    def dtype_name(dtype):
        return str(dtype)


def _extremes(kind, positions, count, floating):
    """(smallest, largest) position, NaN for both if any is NaN; None when
    there are none."""
    if not count or kind.values is None:
        return None
    if count <= _SCANNED_IN_PYTHON:
        values = kind.values(positions)
        if floating and any(v != v for v in values):
            return math.nan, math.nan
        return min(values), max(values)
    a = kind.array(positions, "positions")
    # numpy's min and max propagate NaN.
    return a.min(), a.max()


class RopeKernel:
    """A compiled rope kernel for one spec, layout, head counts and dtype.

    kernel = RopeKernel(spec, layout="bhsd", q_heads=32, k_heads=8,
                        dtype="bf16", pos_dtype="i64", in_place=False)

    - layout: "bhsd" (HF, q [B, H, S, D]), "bshd" ([B, S, H, D]), "thd"
      (vLLM, [T, H, D]) or "packed" ([T, H * D]).
    - q_heads, k_heads: head counts (k_heads=0: q only), integers
      (TypeError otherwise) that keep q's and k's static dims within the
      verifier's bounds (each at most 2^40, at most 2^48 elements;
      ValueError).
    - dtype: "f32", "f16" or "bf16"; pos_dtype: "i32", "i64" or "f32".
    - in_place: the kernel rotates q and k themselves instead of writing
      outputs.
    - pipeline_options: options of rope-opt's --rope-cpu-pipeline.
    - device: "cpu" compiles the CPU object now, "cuda" the GPU object
      (rope-opt --rope-gpu-pipeline, for `gpu_chip`, by default the chip
      of CUDA device 0); the other is compiled on first use. Either kernel
      takes tensors of either device.
    - gpu_chip: the GPU kernels' target, "sm_90" say; None: each CUDA
      device's own. Given, objects build here without a GPU (ahead of
      time, for a GPU machine without rope-opt: compiler.compile_gpu).

    The spec is checked against the verifier's rules (head_dim at most
    2^16, scaling, axes) before rope-opt runs; the object is compiled once
    and cached on disk (compiler.load_shared). A dynamic NTK spec is served
    too: its kernels take the sequence length per call (`seq_len`).

    Data: numpy arrays (float32, float16, bf16 stored as uint16) or torch
    CPU or CUDA tensors (torch.float32, torch.float16, torch.bfloat16), all
    of one kind (and device) in a call; results are of that kind.

    CUDA tensors run the GPU kernels on torch's current stream of their
    device, without waiting for them (cuda.py): positions must be on the
    device too, and are not scanned for position_bound (that would wait
    for the device); dynamic NTK has no GPU kernel (ValueError). The
    memory rules below hold, with operands the kernel reads 16 bytes at a
    time (first element and row strides multiples of 16 bytes) used as
    they are and others copied on the device; every copy, temporary and
    output is a torch operation queued on the same stream. Positions: numpy arrays or
    torch tensors of `pos_dtype` (int32, int64 or float32), in the forms
    `__call__` lists.

    Memory: the kernel reads and writes row-major buffers, or through a
    strided variant any buffers whose head_dim lanes are contiguous.
    Variants are compiled on first use and kept:
    - q, k and outs all row-major and aligned: the kernel of `layout`.
    - all of them bhsd views of bshd storage (HF's
      x.view(B, S, H, D).transpose(1, 2)) or the reverse: the kernel of the
      other layout on the storage, no copy.
    - otherwise those that are aligned, have a last stride of one element,
      no negative stride and, when written, no two elements at one address
      (vLLM's q and k slices of one qkv buffer, token slices with steps) are
      used as they are by the strided variant; the others are copied into
      row-major arrays (inputs) or computed into temporaries and copied
      back (outs, and in place q and k), writing only their own elements.
    - positions that are not row-major and aligned (np.broadcast_to, a
      batch of 1 broadcast) are copied; they are small.
    - out arrays must be writeable and of the inputs' kind, shapes and
      dtypes, and out[0] and out[1] must not share memory (ValueError). An
      out that may share memory with q, k or positions is computed into a
      temporary and copied into.
    - In place, q and k must be writeable and must not share memory
      (ValueError).
    Torch tensors must be on the CPU or a CUDA device (all of one call on
    one device), dense (torch.strided) and outside
    autograd (requires_grad False: the kernels have no backward); written
    ones must not have a zero stride over several elements (expand).

    Positions must be finite with |pos| <= `position_bound` (2^32 unless a
    scaling factor below 1 lowers it): beyond it the kernel's f64 angle
    reduction drifts from f32 accuracy, so such calls raise ValueError.
    int32 positions are not scanned for it when the bound is 2^31 or more
    (they cannot exceed it); int64 and float32 ones are, by a Python scan
    for a few positions and numpy's min and max for more.
    """

    def __init__(self, spec, layout="bhsd", q_heads=1, k_heads=0, dtype="f32",
                 pos_dtype="i64", in_place=False, pipeline_options="", device="cpu", gpu_chip=None):
        if not isinstance(spec, RopeSpec):
            raise TypeError("spec must be a RopeSpec")
        if layout not in LAYOUTS:
            raise ValueError("layout must be one of %s, got %r" % (LAYOUTS, layout))
        if dtype not in _ELEMENT:
            raise ValueError("dtype must be f32, f16 or bf16, got %r" % (dtype,))
        if pos_dtype not in ("i32", "i64", "f32"):
            raise ValueError("pos_dtype must be i32, i64 or f32, got %r" % (pos_dtype,))
        q_heads = _size(q_heads, "q_heads")
        k_heads = _size(k_heads, "k_heads (0: no k)", low=0)
        if not isinstance(in_place, bool):
            raise TypeError("in_place must be True or False, got %r" % (in_place,))
        if not isinstance(pipeline_options, str):
            raise TypeError("pipeline_options must be a string, got %r" % (pipeline_options,))
        if device not in ("cpu", "cuda"):
            raise ValueError("device must be 'cpu' or 'cuda', got %r" % (device,))
        if gpu_chip is not None and not (isinstance(gpu_chip, str) and re.fullmatch(r"sm_[1-9][0-9]+a?", gpu_chip)):
            raise ValueError("gpu_chip must be an NVIDIA chip name such as 'sm_90', got %r" % (gpu_chip,))
        _check_spec(spec)
        for name, heads in (("q_heads", q_heads), ("k_heads", k_heads)):
            if heads:
                _check_static_shape(name, layout, heads, spec.head_dim)
        # A copy: variants compiled later must state the same rotation even
        # if the caller changes the spec afterwards.
        spec = copy.deepcopy(spec)
        self.spec, self.layout, self.dtype = spec, layout, dtype
        self.q_heads, self.k_heads, self.in_place = q_heads, k_heads, in_place
        self.pos_dtype = pos_dtype
        self.pipeline_options = pipeline_options
        self.gpu_chip = gpu_chip
        self.position_bound = position_bound(spec)
        self.dynamic = is_dynamic(spec)
        self.module = emit_module(spec, layout, q_heads, k_heads, dtype, pos_dtype, in_place)
        rank, data = _RANK[layout], 2 if k_heads else 1
        self._ranks = (rank,) * data + (1 + _TOKEN_RANK[layout],) + (() if in_place else (rank,) * data)
        self._functions = {}
        if device == "cpu":
            self.function()
        else:
            self.gpu_object(chip=gpu_chip or self._device_chip(0))
        self._rank, self._static, self._tokens = rank, _STATIC[layout], _TOKENS[layout]
        self._q_static = _static_dims(layout, q_heads, spec.head_dim)
        self._k_static = _static_dims(layout, k_heads, spec.head_dim)
        self._num_axes = spec.num_axes
        self._item = np.dtype(_NUMPY_STORAGE[dtype]).itemsize
        self._pos_item = _POSITION_STORAGE[pos_dtype].itemsize
        # int32 positions cannot exceed 2^31: below that bound only.
        self._bounded = pos_dtype != "i32" or self.position_bound < 2 ** 31
        # Scanned: for the bound, or for dynamic NTK's default seq_len.
        self._scanned = self._bounded or self.dynamic
        self._plans = {}
        # Operand kinds by type, made on first use (the numpy one compiles
        # the CPU object of a device="cuda" kernel).
        self._kinds = {}

    def __call__(self, q, k=None, positions=None, out=None, *, seq_len=None):
        """Rotates q (and k) by `positions`.

        kernel(q, k, positions) -> (q_out, k_out)   new arrays or tensors
        kernel(q, positions=positions) -> q_out    a kernel without k
        kernel(q, k, positions, out=(q_out, k_out)) writes into given ones
        kernel(q, k, positions) -> (q, k)          an in_place kernel

        q and k have the kernel's layout, head counts and dtype, with the
        same tokens: (B, S) for bhsd and bshd, (T,) for thd and packed.
        positions, for A = spec.num_axes position axes (3 for MRoPE):
        - [A, *tokens]: [A, B, S] or [A, T] (HF's and vLLM's MRoPE forms);
        - [*tokens] when A == 1: [B, S] or [T];
        - bhsd and bshd also take a batch of one for every batch:
          [A, 1, S], and [1, S] when A == 1 (HF's position_ids of shape
          [1, S] with B sequences).
        Any other shape raises ValueError naming positions.

        seq_len: the sequence length L of dynamic NTK scaling (SPEC R4;
        theta grows once L exceeds original_max_position). Given per call,
        an integer >= 0; by default max(positions) + 1, as transformers'
        dynamic_rope_update computes it for each forward (HF also keeps the
        largest L seen until one falls below original_max_position: pass
        seq_len to follow that). Float positions must then be integers, or
        seq_len given. Refused (ValueError) for specs without dynamic NTK.

        Returns the outputs: a tuple (q_out, k_out) for a kernel with k,
        else q_out; in place, q and k themselves.
        """
        kind = self._kinds.get(type(q)) or self._new_kind(type(q))
        if kind is not None:
            if kind.devices is not None and q.is_cuda:
                kind = kind.devices.get(q.get_device()) or self._device_kind(kind, q.device)
            result = self._fast(kind, q, k, positions, out, seq_len)
            if result is not None:
                return result
        return self._call(kind, q, k, positions, out, seq_len)

    def _new_kind(self, cls):
        """The operand kind of numpy arrays, or of torch tensors once torch
        is loaded and `cls` is its Tensor; None otherwise (torch is never
        imported here: a tensor argument means the caller has)."""
        if cls is np.ndarray:
            kind = _Numpy(self, np.dtype(_NUMPY_STORAGE[self.dtype]), _POSITION_STORAGE[self.pos_dtype])
        else:
            torch = sys.modules.get("torch")
            if torch is None or cls is not getattr(torch, "Tensor", None):
                return None
            kind = _Torch(self, torch, _TORCH_STORAGE[self.dtype], _TORCH_POSITIONS[self.pos_dtype])
        self._kinds[cls] = kind
        return kind

    def _device_kind(self, torch_kind, device, functions=None):
        """The operand kind of torch tensors on `device` (kept in
        torch_kind.devices): the GPU objects for its chip (gpu_chip, else
        the device's), called on torch's current stream there (cuda.Launcher).
        `functions(layout, strided)` replaces those: the tests give the GPU
        kernels run as host loops (compiler.GPU_EMULATION) on CPU tensors."""
        if self.dynamic:
            raise ValueError("dynamic_ntk scaling has no GPU kernel (convert-rope-to-gpu refuses it): rotate on "
                             "the CPU, or use a spec without it")
        torch = torch_kind.torch
        if functions is None:
            index = device.index if device.index is not None else torch.cuda.current_device()
            chip = self.gpu_chip or cuda.chip(torch, index)
            launchers = {}

            def functions(layout, strided):
                layout = layout or self.layout
                launcher = launchers.get((layout, strided))
                if launcher is None:
                    launcher = cuda.Launcher(self.gpu_function(layout, strided, chip), torch, index)
                    launchers[(layout, strided)] = launcher
                return launcher
        kind = cuda.TorchDevice(torch, _TORCH_STORAGE[self.dtype], _TORCH_POSITIONS[self.pos_dtype], device,
                                functions, _strided_fits)
        torch_kind.devices[kind.index] = kind
        return kind

    @staticmethod
    def _device_chip(index):
        """The chip of CUDA device `index`, through torch (ValueError when
        torch has no CUDA device: gpu_chip must then be given)."""
        torch = sys.modules.get("torch")
        if torch is None or not torch.cuda.is_available():
            raise ValueError("device='cuda' without gpu_chip reads the chip from CUDA device %d, and %s: "
                             "pass gpu_chip (e.g. 'sm_90')" % (index, "torch is not imported" if torch is None
                                                                else "torch sees no CUDA device"))
        return cuda.chip(torch, index)

    def _fast(self, kind, q, k, positions, out, seq_len):
        """The common call, checked and run with as little Python as it
        takes: q, k, positions and outs all plain arrays (or all plain CPU
        tensors) of the kernel's dtypes, row-major, aligned, of fitting
        shapes, positions in a form needing no copy, written buffers apart
        from each other and from what is read. None when any of that fails:
        `_call` then serves the call or says what is wrong."""
        dtype, written = kind.data, self.in_place
        qp = kind.pointer(q, dtype, written)
        pp = kind.pointer(positions, kind.positions, False)
        if self.k_heads:
            kp = kind.pointer(k, dtype, written)
            if kp is None:
                return None
            ks = k.shape
        elif k is not None:
            return None
        else:
            kp, ks = 0, None
        if qp is None or pp is None:
            return None
        shapes = (q.shape, ks, positions.shape)
        plan = self._plans.get(shapes)
        if plan is None:
            plan = self._plan(*shapes)
        if not plan:
            return None
        qd, kd, pd, qn, kn, pn, count = plan
        if written:
            if out is not None or _overlap(qp, qn, pp, pn) or _overlap(kp, kn, pp, pn) or _overlap(qp, qn, kp, kn):
                return None
            index = self._index_values(kind, positions, count, seq_len) if self._scanned else ()
            if seq_len is not None and not index:
                return None
            kind.launch((qp, qp, 0) + qd + ((kp, kp, 0) + kd if kd else ()) + (pp, pp, 0) + pd, index)
            return (q, k) if kd else q
        if out is None:
            qo = kind.empty(q)
            ko = kind.empty(k) if kd else None
        else:
            outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
            if len(outs) != 1 + bool(kd):
                return None
            qo, ko = outs[0], outs[1] if kd else None
        qop = kind.pointer(qo, dtype, True)
        kop = kind.pointer(ko, dtype, True) if kd else 0
        if qop is None or kop is None:
            return None
        if out is not None:
            if qo.shape != q.shape or (kd and ko.shape != k.shape):
                return None
            for p, n in ((qop, qn), (kop, kn)):
                if _overlap(p, n, qp, qn) or _overlap(p, n, kp, kn) or _overlap(p, n, pp, pn):
                    return None
            if _overlap(qop, qn, kop, kn):
                return None
        index = self._index_values(kind, positions, count, seq_len) if self._scanned else ()
        if seq_len is not None and not index:
            return None
        if kd:
            kind.launch((qp, qp, 0) + qd + (kp, kp, 0) + kd + (pp, pp, 0) + pd
                        + (qop, qop, 0) + qd + (kop, kop, 0) + kd, index)
            return qo, ko
        kind.launch((qp, qp, 0) + qd + (pp, pp, 0) + pd + (qop, qop, 0) + qd, index)
        return qo

    def _plan(self, q_shape, k_shape, positions_shape):
        """What `_fast` needs of these shapes: the descriptors' sizes and
        strides of q, k (() without k) and positions, their sizes in bytes
        and the number of positions; False where `_call` must handle them.
        Cached per shapes, so a decode loop checks them once."""
        plan = False
        rank, tokens = self._rank, None
        if len(q_shape) == rank and self._static(q_shape) == self._q_static:
            tokens = tuple(self._tokens(q_shape))
        fits_k = k_shape is None or (len(k_shape) == rank and self._static(k_shape) == self._k_static
                                    and tuple(self._tokens(k_shape)) == tokens)
        if tokens is not None and fits_k:
            rows = (self._num_axes,) + tokens
            if tuple(positions_shape) == rows or (self._num_axes == 1 and tuple(positions_shape) == tokens):
                qd = _row_major_dims(tuple(q_shape))
                kd = _row_major_dims(tuple(k_shape)) if k_shape is not None else ()
                pd = _row_major_dims(rows)
                count = pd[0] * pd[len(rows)]
                plan = (qd, kd, pd, qd[0] * qd[rank] * self._item, kd[0] * kd[rank] * self._item if kd else 0,
                        count * self._pos_item, count)
        if len(self._plans) >= 256:
            self._plans.clear()
        self._plans[(q_shape, k_shape, positions_shape)] = plan
        return plan

    def _index_values(self, kind, positions, count, seq_len):
        """The kernel's index arguments: (seq_len,) for dynamic NTK, else ().
        Checks the positions against position_bound on the way (the scan
        also gives the default seq_len)."""
        if seq_len is not None:
            if not self.dynamic:
                raise ValueError("seq_len is read by dynamic_ntk scaling only; this kernel's spec has "
                                 "scaling %r" % (self.spec.scaling,))
            seq_len = _size(seq_len, "seq_len", low=0, high=MAX_SEQ_LEN)
        if not (self._bounded or (self.dynamic and seq_len is None)):
            return (seq_len,) if self.dynamic else ()
        extremes = _extremes(kind, positions, count, self.pos_dtype == "f32")
        if extremes is not None and self._bounded:
            lo, hi = extremes
            # NaN fails both comparisons.
            if not (lo >= -self.position_bound and hi <= self.position_bound):
                why = ""
                if self.spec.max_position is not None and self.position_bound == self.spec.max_position:
                    why = (" (the spec's max_position: a LongRoPE spec with short factors holds while "
                           "max(positions) + 1 <= original_max_position_embeddings; build one for the "
                           "longer sequence with config.text_spec(config, seq_len=max position + 1))")
                raise ValueError("positions must be finite with |pos| <= %.17g%s (see position_bound), "
                                 "got values from %s to %s" % (self.position_bound, why, lo, hi))
        if not self.dynamic:
            return ()
        if seq_len is None:
            seq_len = 0 if extremes is None else _default_seq_len(extremes[1])
        return (seq_len,)

    def _call(self, kind, q, k, positions, out, seq_len):
        """Any call `__call__` takes, with every check and its message; the
        memory rules are RopeKernel's. `kind`: q's operand kind (None: q is
        of no kind: found here for numpy subclasses, else TypeError)."""
        kind = kind or self._kind("q", q)
        arrays, originals, names = [self._data("q", q, kind, self.q_heads)], [q], ["q"]
        if self.k_heads:
            if k is None:
                raise ValueError("this kernel rotates k too: pass k")
            arrays.append(self._data("k", k, kind, self.k_heads))
            originals.append(k)
            names.append("k")
            tq, tk = tuple(self._tokens(arrays[0].shape)), tuple(self._tokens(arrays[1].shape))
            if tq != tk:
                raise ValueError("q and k must have the same tokens, got %s and %s" % (tq, tk))
        elif k is not None:
            raise ValueError("this kernel was built without k (k_heads=0)")
        rows = self._positions(positions, tuple(self._tokens(arrays[0].shape)), kind)
        index = self._index_values(kind if kind.on_device else _Numpy, rows, rows.size, seq_len)
        if self.in_place:
            if out is not None:
                raise ValueError("an in-place kernel takes no out arrays")
            for n, a in zip(names, arrays):
                _check_writable(n, a, "in-place rotation")
            if len(arrays) == 2 and np.shares_memory(arrays[0], arrays[1]):
                raise ValueError("q and k share memory: in-place rotation would rotate it twice")
            self._run(kind, [], arrays, rows, index)
            return tuple(originals) if len(originals) > 1 else originals[0]
        if out is None:
            outs = tuple(kind.empty(x) for x in originals)
        else:
            outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        if len(outs) != len(arrays):
            raise ValueError("expected %d out arrays" % len(arrays))
        targets = []
        for i, (o, n, a) in enumerate(zip(outs, names, arrays)):
            if not isinstance(o, kind.array_type):
                raise TypeError("out[%d] must be a %s like %s, got %s" % (i, kind.name, n, type(o).__name__))
            t = kind.array(o, "out[%d]" % i)
            if t.shape != a.shape or t.dtype != a.dtype:
                raise ValueError("out[%d] has shape %s and dtype %s; it must match %s's %s and %s"
                                 % (i, tuple(o.shape), o.dtype, n, tuple(a.shape), originals[i].dtype))
            _check_writable("out[%d]" % i, t, "the kernel")
            targets.append(t)
        if len(targets) == 2 and np.shares_memory(targets[0], targets[1]):
            raise ValueError("out[0] and out[1] share memory")
        self._run(kind, arrays, targets, rows, index)
        return outs if len(outs) > 1 else outs[0]

    def _kind(self, name, x):
        """The operand kind of q (or of positions): numpy or torch."""
        kind = self._kinds.get(type(x))
        if kind is None:
            if isinstance(x, np.ndarray):
                return self._kinds.get(np.ndarray) or self._new_kind(np.ndarray)
            torch = sys.modules.get("torch")
            if torch is not None and isinstance(x, torch.Tensor):
                return self._kinds.get(torch.Tensor) or self._new_kind(torch.Tensor)
            raise TypeError("%s must be a numpy array or a torch tensor, got %s" % (name, type(x).__name__))
        return kind

    def _data(self, name, x, kind, heads):
        """q or k as a numpy array (a torch tensor's memory), checked."""
        if not isinstance(x, kind.array_type):
            raise TypeError("%s must be a %s like q, got %s" % (name, kind.name, type(x).__name__))
        if x.dtype != kind.data:
            raise TypeError("%s must have dtype %s for %s data, got %s"
                            % (name, kind.dtype_name(kind.data), self.dtype, kind.dtype_name(x.dtype)))
        a = kind.array(x, name)
        d = self.spec.head_dim
        expect = {"bhsd": (None, heads, None, d), "bshd": (None, None, heads, d),
                  "thd": (None, heads, d), "packed": (None, heads * d)}[self.layout]
        if a.ndim != len(expect) or any(e is not None and e != s for e, s in zip(expect, a.shape)):
            raise ValueError("%s has shape %s; layout %s with %d heads of %d needs %s"
                             % (name, a.shape, self.layout, heads, d,
                                tuple("*" if e is None else e for e in expect)))
        return a

    def _positions(self, positions, tokens, data_kind):
        """positions as a numpy array [A, *tokens] (a view where it can be).
        On a device they must be tensors there (`data_kind`); on the host,
        numpy or torch whatever q is."""
        kind = data_kind if data_kind.on_device else self._kind("positions", positions)
        if not isinstance(positions, kind.array_type):
            raise TypeError("positions must be a %s on %s like q, got %s"
                            % (kind.name, kind.device, type(positions).__name__))
        if positions.dtype != kind.positions:
            raise TypeError("positions must have dtype %s, got %s"
                            % (self.pos_dtype if kind.array_type is np.ndarray
                               else "%s (%s)" % (self.pos_dtype, kind.positions), positions.dtype))
        p = kind.array(positions, "positions")
        axes, shape = self._num_axes, p.shape
        if len(shape) == len(tokens) + 1 and shape[0] == axes:
            rows = p
        elif len(shape) == len(tokens) and axes == 1:
            rows = p[None]
        else:
            rows = None
        if rows is not None and rows.shape[1:] != tokens:
            # HF's position_ids [1, S] serve every sequence of the batch.
            one_batch = len(tokens) == 2 and rows.shape[1:] == (1, tokens[1])
            rows = np.broadcast_to(rows, (axes,) + tokens, subok=True) if one_batch else None
        if rows is None:
            forms = [(axes,) + tokens] + ([tokens] if axes == 1 else [])
            if len(tokens) == 2 and tokens[0] != 1:
                forms += [(axes, 1, tokens[1])] + ([(1, tokens[1])] if axes == 1 else [])
            raise ValueError("positions has shape %s; for %d position axes and tokens %s it must be %s"
                             % (tuple(shape), axes, tokens, " or ".join(str(f) for f in forms)))
        return rows

    def gpu_object(self, layout=None, strided=False, chip=None):
        """The path of the GPU object of a variant (as `function`'s) for
        `chip` (default gpu_chip), built or found in the cache
        (compiler.compile_gpu: rope-opt's GPU pipeline, linked to
        librope_cuda_runtime.so); nothing is loaded, no GPU needed."""
        chip = chip or self.gpu_chip
        if chip is None:
            raise ValueError("gpu_object needs a chip (e.g. 'sm_90'): pass chip or gpu_chip")
        module = emit_module(self.spec, self._variant(layout), self.q_heads, self.k_heads, self.dtype,
                             self.pos_dtype, self.in_place, strided=strided)
        return cuda.compile_gpu(module, chip)[0]

    def gpu_function(self, layout=None, strided=False, chip=None):
        """The memref.Function of a variant's GPU object (gpu_object),
        loaded with the CUDA runtime and kept. Its arguments are
        `function`'s, holding device pointers; a call launches on the
        stream set in the runtime (ropeCudaSetStream) and checks nothing
        but what the host code checks. cuda.CudaError when the runtime or
        the driver is missing."""
        chip = chip or self.gpu_chip
        layout = self._variant(layout)
        fn = self._functions.get((layout, strided, chip))
        if fn is None:
            if chip is None:
                raise ValueError("gpu_function needs a chip (e.g. 'sm_90'): pass chip or gpu_chip")
            module = emit_module(self.spec, layout, self.q_heads, self.k_heads, self.dtype, self.pos_dtype,
                                 self.in_place, strided=strided)
            _, lib = cuda.load_gpu(module, chip)
            fn = memref.Function(lib, "rope_kernel", self._ranks, int(self.dynamic))
            self._functions[(layout, strided, chip)] = fn
        return fn

    def _variant(self, layout):
        """`layout` checked against the variants this kernel has (None: its own)."""
        layout = layout or self.layout
        if layout != self.layout and layout != _SWAPPED.get(self.layout):
            raise ValueError("a %s kernel has no %s variant" % (self.layout, layout))
        return layout

    def function(self, layout=None, strided=False):
        """The memref.Function of a variant of this kernel: `layout` (by
        default the kernel's; bhsd and bshd kernels also run the other one,
        same head counts) with row-major or, with `strided`, strided
        buffers; compiled on first use. Its arguments are q, (k,)
        positions, (q_out, k_out,) then seq_len for dynamic NTK, as
        emit_module writes them; nothing checks them: a caller that fills
        descriptors itself (to time the kernel alone, say) owns their
        correctness."""
        layout = self._variant(layout)
        fn = self._functions.get((layout, strided))
        if fn is None:
            module = emit_module(self.spec, layout, self.q_heads, self.k_heads, self.dtype, self.pos_dtype,
                                 self.in_place, strided=strided)
            _, lib = compiler.load_shared(module, self.pipeline_options)
            fn = memref.Function(lib, "rope_kernel", self._ranks, int(self.dynamic))
            self._functions[(layout, strided)] = fn
        return fn

    def _run(self, kind, reads, writes, rows, index):
        """Runs a variant of the kernel (RopeKernel's memory rules) on numpy
        arrays: `reads` (q, k out of place; none in place), `writes` (the
        outs, or q and k in place) and positions `rows` [A, *tokens]. The
        arrays describe host memory, or device memory for a device `kind`,
        whose operations then copy and allocate there."""
        pos = kind.require(rows)
        back = []  # (array, temporary computed in its place)
        if reads:
            # The module declares its buffers restrict: an out that may share
            # memory with what the kernel reads is computed into a temporary.
            for i, w in enumerate(writes):
                if any(np.may_share_memory(w, r) for r in reads + [pos]):
                    back.append((w, kind.temporary(w)))
                    writes[i] = back[-1][1]
        elif any(np.may_share_memory(pos, w) for w in writes):
            pos = kind.copy(pos)
        arrays, written = reads + writes, [False] * len(reads) + [True] * len(writes)
        layout, strided = self.layout, False
        if not all(kind.row_major(a) for a in arrays):
            swapped = [a.swapaxes(1, 2) for a in arrays] if self.layout in _SWAPPED else []
            if swapped and all(kind.row_major(a) for a in swapped):
                layout, arrays = _SWAPPED[self.layout], swapped
            else:
                for i, (a, w) in enumerate(zip(arrays, written)):
                    if kind.strided_fits(a, w):
                        continue
                    if not w:
                        arrays[i] = kind.require(a)
                    else:
                        # In place the temporary starts from a's values.
                        temporary = kind.temporary(a) if reads else kind.copy(a)
                        back.append((a, temporary))
                        arrays[i] = temporary
                strided = not all(kind.row_major(a) for a in arrays)
        data = len(reads) or len(writes)  # q (and k): before the positions
        fields = ()
        for a in arrays[:data]:
            fields += _fields(a, strided)
        fields += _fields(pos, False)
        for a in arrays[data:]:
            fields += _fields(a, strided)
        kind.function(layout, strided)(fields, index)
        for a, temporary in back:
            kind.assign(a, temporary)


def _overlap(p, n, p2, n2):
    """Whether the byte ranges [p, p + n) and [p2, p2 + n2) overlap."""
    return p < p2 + n2 and p2 < p + n


def _default_seq_len(largest):
    """HF's seq_len = max(position_ids) + 1 (dynamic_rope_update), at least
    0 (an unsigned index; every L <= original_max_position is unscaled)."""
    if isinstance(largest, (float, np.floating)):
        if not float(largest).is_integer():
            raise ValueError("dynamic_ntk needs an integer seq_len, and the largest position %r is not an "
                             "integer: pass seq_len" % (float(largest),))
    return max(int(largest) + 1, 0)


def _check_writable(name, a, writer):
    """A numpy array the kernel writes: writeable, no element twice."""
    if not a.flags.writeable:
        raise ValueError("%s is read-only: %s writes it" % (name, writer))
    if _has_zero_stride(a):
        raise ValueError("%s has a zero stride over several elements (np.broadcast_to, torch's expand): "
                         "writing it would write one element several times" % name)


def _check_static_shape(name, layout, heads, head_dim):
    """The static dims of q or k's memref within the verifier's bounds."""
    static = [int(d) for d in _shape(layout, heads, head_dim) if d != "?"]
    elements = 1
    for d in static:
        elements *= d
    if max(static) > MAX_STATIC_DIM or elements > MAX_STATIC_ELEMENTS:
        raise ValueError("%s = %d with head_dim %d gives static dims %s in layout %s: each must be at most "
                         "2^40 and their product at most 2^48" % (name, heads, head_dim, static, layout))


def _check_spec(spec):
    """What rope-opt's verifier requires of the spec (RopeOps.cpp,
    RopeDialect.cpp), checked before it runs; the spec may have been changed
    since construction, so its own checks run again."""
    head_dim = _size(spec.head_dim, "head_dim", high=MAX_HEAD_DIM)
    rotary_dim = _size(spec.rotary_dim, "rotary_dim", high=MAX_HEAD_DIM)
    if rotary_dim % 2 or rotary_dim > head_dim:
        raise ValueError("rotary_dim must be even and in (0, head_dim], got %d" % rotary_dim)
    if not isinstance(spec.per_axis, bool):
        raise TypeError("per_axis must be True or False, got %r" % (spec.per_axis,))
    if spec.scaling is not None:
        check_scaling(spec.scaling, rotary_dim)
        if spec.scaling["kind"] == "dynamic_ntk" and rotary_dim <= 2:
            raise ValueError("dynamic_ntk scaling needs rotary_dim > 2")
    if spec.attention_factor is not None:
        check_attention_factor(spec.attention_factor)
    if spec.pairing not in ("half", "adjacent"):
        raise ValueError("pairing must be 'half' or 'adjacent', got %r" % (spec.pairing,))
    if not spec.theta > 1:
        raise ValueError("theta must be above 1")
    if spec.axes is not None:
        if not isinstance(spec.axes, (tuple, list)) or len(spec.axes) != 2:
            raise ValueError("axes must be (kind, [ints]), got %r" % (spec.axes,))
        kind, values = spec.axes
        if kind not in ("sequential", "interleaved", "custom"):
            raise ValueError("unknown axes kind %r" % (kind,))
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or not len(values):
            raise ValueError("axes values must be a non-empty list of integers, got %r" % (values,))
        if kind == "custom":
            values = [_size(v, "custom axes entry", low=0, high=MAX_HEAD_DIM - 1) for v in values]
        else:
            values = [_size(v, "axes section", high=MAX_HEAD_DIM // 2) for v in values]
        if kind != "custom" and sum(values) != rotary_dim // 2:
            raise ValueError("sections %r must sum to rotary_dim / 2 = %d" % (values, rotary_dim // 2))
        if kind == "interleaved" and len(values) != 3:
            raise ValueError("interleaved MRoPE needs 3 sections")
        if kind == "custom" and len(values) != rotary_dim // 2:
            raise ValueError("a custom map needs one axis per pair")
    if spec.per_axis and (spec.axes is None or spec.axes[0] != "sequential"):
        raise ValueError("per_axis (a per-axis spectrum) needs sequential axes sections, got axes %r"
                         % (spec.axes,))
