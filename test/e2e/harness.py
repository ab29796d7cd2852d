"""Shared pieces of the end-to-end harnesses: exact hex constants in, exact
integer bit patterns out, so no number is lost in printing."""

import re

import numpy as np


def to_bits(x, dtype):
    """Rounds float64 data to dtype; returns (raw little-endian bytes, exact f64 values)."""
    if dtype == "f32":
        v = x.astype(np.float32)
        return v.tobytes(), v.astype(np.float64)
    if dtype == "f16":
        v = x.astype(np.float16)
        return v.tobytes(), v.astype(np.float64)
    # bf16: round-to-nearest-even from f32.
    f = x.astype(np.float32).view(np.uint32)
    bits = ((f + 0x7FFF + ((f >> 16) & 1)) >> 16).astype(np.uint16)
    vals = (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return bits.tobytes(), vals


def from_ints(ints, dtype, shape):
    if dtype == "f32":
        return np.array(ints, dtype=np.int64).astype(np.uint32).view(np.float32).astype(np.float64).reshape(shape)
    u16 = np.array(ints, dtype=np.int64).astype(np.uint16)
    if dtype == "f16":
        return u16.view(np.float16).astype(np.float64).reshape(shape)
    return (u16.astype(np.uint32) << 16).view(np.float32).astype(np.float64).reshape(shape)


def ttype(shape, elt, dynamic_dims=()):
    dims = ["?" if i in dynamic_dims else str(s) for i, s in enumerate(shape)]
    return "tensor<%sx%s>" % ("x".join(dims), elt)


def dense(raw, shape, elt):
    return 'arith.constant dense<"0x%s"> : %s' % (raw.hex().upper(), ttype(shape, elt))


def print_bits(name, value, static_type, elt, ibits):
    """MLIR lines that print `value` (a tensor of `elt`) bit for bit."""
    shape = static_type[len("tensor<"):-1].rsplit("x", 1)[0]
    it = "tensor<%sxi%d>" % (shape, ibits)
    mt = "memref<%sxi%d>" % (shape, ibits)
    return (
        "    %%%s_z = tensor.empty() : %s\n" % (name, it) +
        "    %%%s_b = linalg.map ins(%s : %s) outs(%%%s_z : %s)\n" % (name, value, static_type, name, it) +
        "      (%%in: %s, %%init: i%d) {\n        %%v = arith.bitcast %%in : %s to i%d\n"
        "        linalg.yield %%v : i%d\n      }\n" % (elt, ibits, elt, ibits, ibits) +
        "    %%%s_m = bufferization.to_buffer %%%s_b : %s to %s\n" % (name, name, it, mt) +
        "    %%%s_u = memref.cast %%%s_m : %s to memref<*xi%d>\n" % (name, name, mt, ibits) +
        "    call @printMemrefI%d(%%%s_u) : (memref<*xi%d>) -> ()\n" % (ibits, name, ibits))


def parse_printed(out):
    """The integer payloads of every printMemref call, in order."""
    results = []
    for chunk in out.split("Unranked Memref")[1:]:
        data = chunk.split("data =", 1)[1]
        results.append([int(t) for t in re.findall(r"-?\d+", data)])
    return results
