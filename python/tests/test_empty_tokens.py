"""No tokens (an empty prefill chunk, a batch with nothing scheduled): the
kernel and the float64 reference both return empty outputs of the inputs'
shapes, for every layout, and the reference still rotates non-empty
inputs as the 3-D [T, H, D] form does."""

import numpy as np
import pytest

from rope_mlir import RopeKernel, RopeSpec, reference

SPEC = RopeSpec(head_dim=16, rotary_dim=16, theta=1e4)
SHAPES = {"bhsd": lambda h: (2, h, 0, 16), "bshd": lambda h: (2, 0, h, 16), "thd": lambda h: (0, h, 16),
          "packed": lambda h: (0, h * 16)}
POSITIONS = {"bhsd": (1, 2, 0), "bshd": (1, 2, 0), "thd": (1, 0), "packed": (1, 0)}


@pytest.mark.parametrize("layout", sorted(SHAPES))
def test_zero_tokens(layout):
    q = np.zeros(SHAPES[layout](3), np.float32)
    k = np.zeros(SHAPES[layout](1), np.float32)
    pos = np.zeros(POSITIONS[layout], np.int64)
    q_out, k_out = RopeKernel(SPEC, layout, q_heads=3, k_heads=1)(q, k, pos)
    assert q_out.shape == q.shape and k_out.shape == k.shape
    assert reference.rotate(SPEC, layout, q, pos).shape == q.shape


def test_packed_reference_matches_thd():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((5, 3 * 16))
    pos = rng.integers(0, 1000, size=(1, 5))
    packed = reference.rotate(SPEC, "packed", x, pos)
    thd = reference.rotate(SPEC, "thd", x.reshape(5, 3, 16), pos)
    np.testing.assert_array_equal(packed, thd.reshape(5, 48))
