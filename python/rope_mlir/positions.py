"""Multimodal position ids (SPEC R6), as HF `get_rope_index` gives them.

A sequence is a list of segments: `("text", n)` for n text tokens, or
`("vision", T, H, W)` for an image or video block whose patch grid is
T x H x W before the spatial merge (HF's `grid_thw`); a video block may carry
`second_per_grid_t` as a fifth item (Qwen2.5-VL).
"""


import numpy as np

FAMILIES = ("qwen2_vl", "qwen2_5_vl", "qwen3_vl")


def rope_index(segments, family, spatial_merge_size=2, tokens_per_second=2):
    """Returns (positions [3, L] int64, rope_delta).

    rope_delta is max(position) + 1 - L: decoding token i (0-based over the
    whole sequence) uses position i + rope_delta on every axis.
    """
    if family not in FAMILIES:
        raise ValueError("family must be one of %s, got %r" % (FAMILIES, family))
    rows = []
    next_start = 0
    for seg in segments:
        if not seg:
            raise ValueError("empty segment")
        kind = seg[0]
        if kind == "text":
            (n,) = seg[1:]
            if n < 0:
                raise ValueError("text length must be >= 0")
            ids = np.arange(n, dtype=np.int64) + next_start
            rows.append(np.stack([ids, ids, ids]))
        elif kind == "vision":
            t, h, w = seg[1:4]
            spgt = seg[4] if len(seg) > 4 else 1.0
            m = spatial_merge_size
            if h % m or w % m or min(t, h, w) <= 0:
                raise ValueError("grid (%d, %d, %d) must be positive with h, w multiples of %d"
                                 % (t, h, w, m))
            gh, gw = h // m, w // m
            t_idx = np.repeat(np.arange(t), gh * gw)
            h_idx = np.tile(np.repeat(np.arange(gh), gw), t)
            w_idx = np.tile(np.arange(gw), t * gh)
            if family == "qwen2_vl":
                tt = t_idx
            elif family == "qwen2_5_vl":
                tt = np.floor(t_idx * spgt * tokens_per_second).astype(np.int64)
            else:  # qwen3_vl: time comes from text timestamps
                tt = np.zeros_like(t_idx)
            rows.append(np.stack([tt, h_idx, w_idx]).astype(np.int64) + next_start)
        else:
            raise ValueError("unknown segment kind %r" % (kind,))
        if rows[-1].size:
            next_start = int(rows[-1].max()) + 1
    pos = np.concatenate(rows, axis=1) if rows else np.zeros((3, 0), dtype=np.int64)
    delta = next_start - pos.shape[1]
    return pos, delta


def decode_positions(start_index, count, rope_delta):
    """Positions [3, count] of decode tokens start_index .. start_index+count-1."""
    ids = np.arange(start_index, start_index + count, dtype=np.int64) + rope_delta
    return np.stack([ids, ids, ids])


__all__ = ["rope_index", "decode_positions"]
