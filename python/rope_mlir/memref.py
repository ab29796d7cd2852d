"""Strided memref descriptors for `_mlir_ciface_` functions of compiled kernels.

- `descriptor_type(rank)`: the ctypes struct of MLIR's StridedMemRefType.
- `as_memref(array)`: such a struct viewing a numpy array.
- `call(library, function, *args)`: one call, descriptors built for it (simple,
  a few microseconds of Python per call).
- `Function`: a function resolved once, with preallocated descriptors filled
  by one `struct.pack_into` per call (what RopeKernel uses on its hot path);
  `Function.bind` fills them once for repeated calls on the same buffers.
"""

import ctypes
import functools
import numbers
import struct
import threading

import numpy as np


@functools.lru_cache(maxsize=None)
def descriptor_type(rank):
    """StridedMemRefType<T, rank> from mlir/ExecutionEngine/CRunnerUtils.h:
    allocated and aligned pointers, offset, then `rank` sizes and strides
    (in elements). One class per rank."""
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank > 0:
        fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
    return type("MemRef%dD" % rank, (ctypes.Structure,), {"_fields_": fields})


def as_memref(array):
    """A descriptor viewing `array` (a numpy array of any strides; no copy).
    The descriptor holds a raw pointer: keep `array` alive while it is used.
    Strides that are not multiples of the item size raise ValueError."""
    if not isinstance(array, np.ndarray):
        raise TypeError("expected a numpy array, got %s" % type(array).__name__)
    item = array.itemsize
    if any(s % item for s in array.strides):
        raise ValueError("array strides must be multiples of its item size")
    desc = descriptor_type(array.ndim)()
    ptr = array.ctypes.data
    desc.allocated = ptr
    desc.aligned = ptr
    desc.offset = 0
    for i, (n, s) in enumerate(zip(array.shape, array.strides)):
        desc.sizes[i] = n
        desc.strides[i] = s // item
    return desc


def call(library, function, *args):
    """Calls `_mlir_ciface_<function>` of `library` (a path or a loaded
    ctypes.CDLL): one memref descriptor per numpy array in `args`, integers
    (`index` arguments) passed as int64."""
    lib = library if isinstance(library, ctypes.CDLL) else ctypes.CDLL(library)
    # A fresh function object (CDLL's [] does not cache it): argument types
    # set here cannot clash with a Function's on the same symbol.
    fn = lib["_mlir_ciface_" + function]
    fn.restype = None
    argtypes, values, keep = [], [], []
    for a in args:
        if isinstance(a, numbers.Integral) and not isinstance(a, bool):
            argtypes.append(ctypes.c_int64)
            values.append(int(a))
        else:
            desc = as_memref(a)
            keep.append(desc)
            argtypes.append(ctypes.POINTER(type(desc)))
            values.append(ctypes.byref(desc))
    fn.argtypes = argtypes
    fn(*values)


class Function:
    """`_mlir_ciface_<function>` of a loaded library, resolved once.

    `ranks` lists the memref arguments' ranks in order; `index_args` int64
    arguments (MLIR `index`) follow them. A call takes, per memref, its
    fields flattened: (allocated, aligned, offset, *sizes, *strides), sizes
    and strides in elements, and then the index values:

        fn = Function(lib, "rope_kernel", ranks=(3, 2))
        fn((qp, qp, 0, 5, 4, 64, 256, 64, 1,  pp, pp, 0, 1, 5, 5, 1))

    The fields are packed with one struct.pack_into into descriptors that
    are allocated once per thread (the foreign call releases the GIL, so
    threads calling the same function must not share them). The caller keeps
    the buffers the pointers point to alive during the call; nothing here
    checks them.
    """

    def __init__(self, library, function, ranks, index_args=0):
        fn = library["_mlir_ciface_" + function]
        fn.restype = None
        fn.argtypes = [ctypes.c_void_p] * len(ranks) + [ctypes.c_int64] * index_args
        self._fn = fn
        self.ranks = tuple(ranks)
        self.index_args = index_args
        # Pointers unsigned, offsets, sizes and strides signed int64.
        fmt = "=" + "".join("QQq" + "q" * (2 * r) for r in self.ranks)
        self._packer = struct.Struct(fmt)
        self._words = [3 + 2 * r for r in self.ranks]
        self._local = threading.local()

    def _descriptors(self):
        """New descriptor storage: (buffer, address of each descriptor)."""
        buffer = (ctypes.c_int64 * sum(self._words))()
        base, addresses, offset = ctypes.addressof(buffer), [], 0
        for words in self._words:
            addresses.append(base + 8 * offset)
            offset += words
        return buffer, tuple(addresses)

    def __call__(self, fields, index_values=()):
        """Fills this thread's descriptors from `fields` and calls."""
        try:
            buffer, addresses = self._local.storage
        except AttributeError:
            buffer, addresses = self._local.storage = self._descriptors()
        self._packer.pack_into(buffer, 0, *fields)
        self._fn(*addresses, *index_values)

    def bind(self, fields, index_values=()):
        """A callable without arguments that calls the function on
        descriptors filled once from `fields`: the least Python a call can
        cost (benchmarks/python_dispatch.py times kernels so). The buffers
        the fields point to must outlive it."""
        buffer, addresses = self._descriptors()
        self._packer.pack_into(buffer, 0, *fields)
        bound = functools.partial(self._fn, *addresses, *index_values)
        bound.descriptors = buffer  # alive as long as the callable
        return bound
