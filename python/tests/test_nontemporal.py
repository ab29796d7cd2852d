"""Streaming (non-temporal) stores: the same numbers on 64-byte aligned
outputs (streaming copy of the loop) and on unaligned ones (ordinary copy),
with and without threads."""

import numpy as np
import pytest

from rope_mlir import RopeKernel, RopeSpec, reference

from bf16 import from_bf16, to_bf16

RNG = np.random.default_rng(77)
QWEN3VL = RopeSpec(head_dim=128, rotary_dim=128, theta=5e6, axes=("interleaved", [24, 20, 20]))
# dtype: (numpy storage, from float64, back to float64)
DTYPES = {"f32": (np.float32, lambda a: a.astype(np.float32), lambda a: a.astype(np.float64)),
          "bf16": (np.uint16, to_bf16, from_bf16)}


def placed(shape, dtype, offset_bytes):
    """An empty C-contiguous array whose data starts offset_bytes past a
    64-byte boundary."""
    n = int(np.prod(shape))
    item = np.dtype(dtype).itemsize
    raw = np.empty(n * item + 128, np.uint8)
    start = (-raw.ctypes.data) % 64 + offset_bytes
    return raw[start:start + n * item].view(dtype).reshape(shape)


@pytest.mark.parametrize("dtype", ["f32", "bf16"])
@pytest.mark.parametrize("offset", [0, 16])
@pytest.mark.parametrize("threads", [False, True])
def test_streaming_matches_reference(dtype, offset, threads):
    tokens, hq, hk = 150, 4, 2  # above min-parallel-tokens with threads
    opts = "nontemporal-min-bytes=0" + (" threads=true" if threads else "")
    kern = RopeKernel(QWEN3VL, "thd", q_heads=hq, k_heads=hk, dtype=dtype, pipeline_options=opts)
    q64 = RNG.uniform(-2, 2, (tokens, hq, 128))
    k64 = RNG.uniform(-2, 2, (tokens, hk, 128))
    pos = np.stack([np.arange(tokens), np.arange(tokens) // 3, np.arange(tokens) % 7]).astype(np.int64)
    storage, conv, back = DTYPES[dtype]
    q, k = conv(q64), conv(k64)
    qo, ko = placed(q.shape, storage, offset), placed(k.shape, storage, offset)
    kern(q, k, pos, out=(qo, ko))
    tol = 1e-5 if dtype == "f32" else 8e-3
    for x, y in ((q, qo), (k, ko)):
        ref = reference.rotate(QWEN3VL, "thd", back(x), pos)
        err = np.max(np.abs(back(y) - ref)) / np.max(np.abs(ref))
        assert err < tol


@pytest.mark.parametrize("dtype", ["f32", "bf16"])
@pytest.mark.parametrize("threads", [False, True])
def test_streaming_same_bits_as_ordinary_stores(dtype, threads):
    # Aligned outputs take the streaming copy (on AVX512-BF16 CPUs bf16 is
    # rounded by vcvtne2ps2bf16 and stored by vmovntdq in inline asm), the
    # unaligned ones the ordinary loop: the bits must agree.
    tokens, hq, hk = 97, 8, 4
    opts = "nontemporal-min-bytes=0" + (" threads=true min-parallel-tokens=1" if threads else "")
    kern = RopeKernel(QWEN3VL, "thd", q_heads=hq, k_heads=hk, dtype=dtype, pipeline_options=opts)
    storage, conv, _ = DTYPES[dtype]
    q, k = conv(RNG.uniform(-3, 3, (tokens, hq, 128))), conv(RNG.uniform(-3, 3, (tokens, hk, 128)))
    pos = RNG.integers(0, 30000, (3, tokens)).astype(np.int64)
    outs = []
    for offset in (0, 16):
        qo, ko = placed(q.shape, storage, offset), placed(k.shape, storage, offset)
        kern(q, k, pos, out=(qo, ko))
        outs.append((qo.copy(), ko.copy()))
    for streamed, ordinary in zip(*outs):
        assert streamed.tobytes() == ordinary.tobytes()
