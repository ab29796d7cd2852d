"""numpy arrays as MLIR strided memref descriptors, for `_mlir_ciface_` calls."""

import ctypes

import numpy as np


def descriptor_type(rank):
    """StridedMemRefType<T, rank> from mlir/ExecutionEngine/CRunnerUtils.h."""
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64)]
    if rank > 0:
        fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
    return type("MemRef%dD" % rank, (ctypes.Structure,), {"_fields_": fields})


def as_memref(array):
    """A descriptor viewing `array` (any strides, no copy); keep `array` alive."""
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


def call(library, function, *arrays):
    """Calls `_mlir_ciface_<function>` of `library` (a path or a loaded
    ctypes.CDLL) with one memref descriptor per array."""
    lib = library if isinstance(library, ctypes.CDLL) else ctypes.CDLL(library)
    fn = getattr(lib, "_mlir_ciface_" + function)
    descs = [as_memref(a) for a in arrays]
    fn.restype = None
    fn.argtypes = [ctypes.POINTER(type(d)) for d in descs]
    fn(*[ctypes.byref(d) for d in descs])
