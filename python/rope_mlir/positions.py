"""Multimodal position ids (SPEC R6), as HF `get_rope_index` gives them.

A sequence is a list of segments: `("text", n)` for n text tokens, or
`("vision", T, H, W)` for an image or video block whose patch grid is
T x H x W before the spatial merge (HF's `grid_thw`); a video block may carry
`second_per_grid_t` as a fifth item (Qwen2.5-VL).
"""


import math
import numbers

import numpy as np

FAMILIES = ("qwen2_vl", "qwen2_5_vl", "qwen3_vl")
# Positions stay below 2^62: int64 with room for the next segments.
_LIMIT = 2 ** 62


def _integer(value, name, low):
    """A count: a Python or numpy integer (not a bool, float or string:
    TypeError) of at least `low` (ValueError)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("%s must be an integer, got %r" % (name, value))
    if value < low:
        raise ValueError("%s must be %s, got %d" % (name, "positive" if low == 1 else ">= %d" % low, value))
    return int(value)


def _rate(value, name):
    """A finite, non-negative real (not a bool or string)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("%s must be a number, got %r" % (name, value))
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not (math.isfinite(x) and x >= 0):
        raise ValueError("%s must be finite and non-negative, got %r" % (name, value))
    return x


def rope_index(segments, family, spatial_merge_size=2, tokens_per_second=2):
    """Returns (positions [3, L] int64, rope_delta).

    rope_delta is max(position) + 1 - L: decoding token i (0-based over the
    whole sequence) uses position i + rope_delta on every axis.

    Text lengths are integers >= 0; T, H, W and spatial_merge_size positive
    integers, with H and W multiples of spatial_merge_size (HF's ViT merges
    m x m patches); tokens_per_second and second_per_grid_t finite and
    non-negative. Qwen2.5-VL's time index is floor(t_idx * int(s) *
    tokens_per_second), with s = second_per_grid_t truncated to an integer
    first as HF does (SPEC R6); the other families ignore s and
    tokens_per_second. Anything else raises TypeError or ValueError.
    """
    if family not in FAMILIES:
        raise ValueError("family must be one of %s, got %r" % (FAMILIES, family))
    m = _integer(spatial_merge_size, "spatial_merge_size", 1)
    tps = _rate(tokens_per_second, "tokens_per_second")
    rows = []
    next_start = 0
    for seg in segments:
        if not isinstance(seg, (tuple, list)) or not seg:
            raise ValueError("a segment is ('text', n) or ('vision', T, H, W[, second_per_grid_t]), got %r"
                             % (seg,))
        kind = seg[0]
        if kind == "text":
            if len(seg) != 2:
                raise ValueError("a text segment is ('text', n), got %r" % (seg,))
            n = _integer(seg[1], "text length", 0)
            ids = np.arange(n, dtype=np.int64) + next_start
            rows.append(np.stack([ids, ids, ids]))
            top = next_start + n - 1
        elif kind == "vision":
            if len(seg) not in (4, 5):
                raise ValueError("a vision segment is ('vision', T, H, W[, second_per_grid_t]), got %r"
                                 % (seg,))
            t, h, w = (_integer(v, "vision grid %s" % d, 1) for v, d in zip(seg[1:4], "THW"))
            spgt = _rate(seg[4], "second_per_grid_t") if len(seg) > 4 else 1.0
            if h % m or w % m:
                raise ValueError("grid (%d, %d, %d): H and W must be multiples of %d (spatial_merge_size)"
                                 % (t, h, w, m))
            gh, gw = h // m, w // m
            if family == "qwen2_5_vl":
                span = (t - 1) * int(spgt)  # exact; then at most 2^62 * a finite float
                if span > _LIMIT or span * tps >= _LIMIT - next_start:
                    raise ValueError("time index %d * int(second_per_grid_t %r) * tokens_per_second %r "
                                     "puts positions beyond 2^62 (int64)" % (t - 1, spgt, tps))
            t_idx = np.repeat(np.arange(t, dtype=np.int64), gh * gw)
            h_idx = np.tile(np.repeat(np.arange(gh, dtype=np.int64), gw), t)
            w_idx = np.tile(np.arange(gw, dtype=np.int64), t * gh)
            if family == "qwen2_vl":
                tt, t_top = t_idx, t - 1
            elif family == "qwen2_5_vl":
                # HF: torch.as_tensor(second_per_grid_t, dtype=int64) truncates
                # s (0.5 becomes 0) before the product with tokens_per_second;
                # .long() then truncates the product (non-negative: floor).
                tt = np.floor((t_idx * int(spgt)).astype(np.float64) * tps).astype(np.int64)
                t_top = int(tt.max())
            else:  # qwen3_vl: time comes from text timestamps
                tt, t_top = np.zeros_like(t_idx), 0
            rows.append(np.stack([tt, h_idx, w_idx]) + next_start)
            top = next_start + max(t_top, gh - 1, gw - 1)
        else:
            raise ValueError("unknown segment kind %r" % (kind,))
        if rows[-1].size:
            next_start = top + 1
    pos = np.concatenate(rows, axis=1) if rows else np.zeros((3, 0), dtype=np.int64)
    delta = next_start - pos.shape[1]
    return pos, delta


def decode_positions(start_index, count, rope_delta):
    """Positions [3, count] of decode tokens start_index .. start_index+count-1."""
    ids = np.arange(start_index, start_index + count, dtype=np.int64) + rope_delta
    return np.stack([ids, ids, ids])


__all__ = ["rope_index", "decode_positions"]
