"""The same values laid out in memory in different ways, as callers hand
arrays to kernels: views of a base array that tests can inspect around them."""

import numpy as np

# Kinds a writeable view can have; "broadcast" (read-only, zero strides) is
# for inputs only.
WRITEABLE = ("c", "fortran", "transposed", "step", "negative", "unaligned")


def laid_out(rng, values, kind, fill=0):
    """(view, base, select): `view` holds `values` (its dtype and shape; for
    "broadcast" their first slice along one axis, repeated) and is
    `select(base)`; `select` applied to a copy of `base` gives the same view
    of the copy. Elements of `base` outside the view hold `fill`."""
    shape, nd = values.shape, values.ndim
    if kind == "c":
        base = values.copy()
        return base, base, lambda b: b
    if kind == "fortran":
        base = np.asfortranarray(values)
        return base, base, lambda b: b
    if kind == "transposed":
        # HF's q.view(B, S, H, D).transpose(1, 2), for any permutation.
        perm = rng.permutation(nd)
        while nd > 1 and np.all(perm == np.arange(nd)):
            perm = rng.permutation(nd)
        base = np.ascontiguousarray(values.transpose(perm))

        def select(b):
            return b.transpose(np.argsort(perm))
    elif kind == "step":
        steps = rng.integers(1, 4, nd)
        steps[rng.integers(nd)] = 2
        base = np.full(tuple(n * s for n, s in zip(shape, steps)), fill, values.dtype)

        def select(b):
            return b[tuple(slice(0, n * s, s) for n, s in zip(shape, steps))]
        select(base)[...] = values
    elif kind == "negative":
        flips = rng.integers(0, 2, nd).astype(bool)
        flips[rng.integers(nd)] = True
        index = tuple(slice(None, None, -1) if f else slice(None) for f in flips)
        base = np.ascontiguousarray(values[index])

        def select(b):
            return b[index]
    elif kind == "unaligned":
        # One byte past an allocation's start: misaligned for every dtype.
        base = np.full(values.nbytes + 1, fill, np.uint8)

        def select(b):
            return b[1:1 + values.nbytes].view(values.dtype).reshape(shape)
        select(base)[...] = values
    elif kind == "broadcast":
        # np.broadcast_to along one dimension: read-only, a zero stride.
        axis = int(rng.choice([a for a in range(nd) if shape[a] > 1] or [0]))
        base = np.take(values, [0], axis=axis)

        def select(b):
            return np.broadcast_to(b, shape)
    else:
        raise ValueError(kind)
    return select(base), base, select


def misaligned(a, by):
    """A copy of `a` whose first element is `by` bytes past a multiple of 16."""
    raw = np.empty(a.nbytes + 32, np.uint8)
    start = (-raw.ctypes.data) % 16 + by
    view = raw[start:start + a.nbytes].view(a.dtype).reshape(a.shape)
    view[...] = a
    assert view.ctypes.data % 16 == by
    return view


def untouched_around(base, before, select):
    """Whether `base` equals `before` everywhere outside `select`'s view."""
    expect = before.copy()
    select(expect)[...] = select(base)
    return expect.tobytes() == base.tobytes()
