"""Multimodal position ids (SPEC R6), as HF `get_rope_index` gives them.

A sequence is a list of segments: `("text", n)` for n text tokens, or
`("vision", T, H, W)` for an image or video block whose patch grid is
T x H x W before the spatial merge (HF's `grid_thw`); a video block may carry
`second_per_grid_t` as a fifth item (Qwen2.5-VL).

The arithmetic is that of transformers 4.x's `get_rope_index`
(`modeling_qwen2_vl.py`, `modeling_qwen2_5_vl.py`, `modeling_qwen3_vl.py`),
which is also Qwen's and vLLM's: a block starts at the largest position so
far plus one. transformers 5 rewrote it (`get_vision_position_ids`,
`mm_token_type_ids`) and there the text after a video starts at
`start + max(H, W) / merge` whatever the video's temporal extent, padding
gets position 0 and `rope_delta` counts unpadded tokens; this module does not
follow that.
"""


import math
import numbers

import numpy as np

FAMILIES = ("qwen2_vl", "qwen2_5_vl", "qwen3_vl")
# Qwen2.5-VL's time index (see rope_index).
TIME_ROUNDINGS = ("seconds", "product")
# Positions stay below 2^62: int64 with room for the next segments.
_LIMIT = 2 ** 62
# Float32 holds every integer up to 2^24 exactly: the largest time product
# the float32 paths accept.
_F32_EXACT = 2 ** 24


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


def _time_index(t, spgt, tps, rounding):
    """Qwen2.5-VL's temporal offsets [t] of frames 0 .. t-1, in the dtypes
    HF computes them in (see rope_index)."""
    t_idx = np.arange(t, dtype=np.int64)
    if rounding == "seconds":
        seconds = int(spgt)  # torch.as_tensor(s, dtype=int64) truncates
        if float(tps).is_integer():
            # int64 * int64 * Python int: exact in int64.
            return t_idx * seconds * int(tps)
        # int64 tensor * Python float: float32 product, then .long().
        product = (t_idx * seconds).astype(np.float32) * np.float32(tps)
        return product.astype(np.int64)
    # arange (int64) * s (a float32 tensor) * tokens_per_second: float32
    # products rounded after each step, then .long().
    product = (t_idx.astype(np.float32) * np.float32(spgt)) * np.float32(tps)
    return product.astype(np.int64)


def _check_time_range(t, spgt, tps, rounding, next_start):
    """The time offsets fit int64 (and stay exact where HF works in float32)."""
    if rounding == "seconds" and float(tps).is_integer():
        span = (t - 1) * int(spgt)  # exact; then at most 2^62 * a finite float
        if span > _LIMIT or span * tps >= _LIMIT - next_start:
            raise ValueError("time index %d * int(second_per_grid_t %r) * tokens_per_second %r "
                             "puts positions beyond 2^62 (int64)" % (t - 1, spgt, tps))
        return
    scale = int(spgt) if rounding == "seconds" else spgt
    if (t - 1) * scale * tps >= _F32_EXACT:
        raise ValueError("time index %d * second_per_grid_t %r * tokens_per_second %r reaches 2^24: HF "
                         "computes it in float32 there, whose rounding this module does not reproduce "
                         "beyond 2^24" % (t - 1, spgt, tps))


def _vision_blocks(seg, family):
    """The (T, H, W, second_per_grid_t) blocks of a vision segment: one, or
    for Qwen3-VL one per frame, as its get_rope_index splits video_grid_thw
    (each frame is its own block after a timestamp)."""
    if len(seg) not in (4, 5):
        raise ValueError("a vision segment is ('vision', T, H, W[, second_per_grid_t]), got %r" % (seg,))
    t, h, w = (_integer(v, "vision grid %s" % d, 1) for v, d in zip(seg[1:4], "THW"))
    spgt = _rate(seg[4], "second_per_grid_t") if len(seg) > 4 else 1.0
    if family == "qwen3_vl":
        return [(1, h, w, spgt)] * t
    return [(t, h, w, spgt)]


def rope_index(segments, family, spatial_merge_size=2, tokens_per_second=2, time_rounding="seconds"):
    """Returns (positions [3, L] int64, rope_delta) of one unpadded sequence.

    rope_delta is max(position) + 1 - L: decoding token i (0-based over the
    whole sequence) uses position i + rope_delta on every axis.

    Text lengths are integers >= 0; T, H, W and spatial_merge_size positive
    integers, with H and W multiples of spatial_merge_size (HF's ViT merges
    m x m patches); tokens_per_second and second_per_grid_t finite and
    non-negative. A block (text run or vision block) starts one past the
    largest position so far.

    Per family (HF's get_rope_index):
    - qwen2_vl: a vision block's t is its frame index.
    - qwen2_5_vl: t = trunc(t_idx * s * tokens_per_second) with s the
      block's second_per_grid_t (1.0 when not given); `time_rounding` says
      which transformers arithmetic:
        "seconds" (default, SPEC R6; transformers 4.49 to 4.57): s is first
          truncated to an integer (`torch.as_tensor(s, dtype=int64)`), so
          0.5 s per grid gives t = 0 for every frame; with an integer
          tokens_per_second the rest is exact int64, with a fractional one
          float32 (`.long()` of int64 * float).
        "product" (transformers 4.48 and earlier, vLLM): s stays a float32
          and t is `.long()` of the float32 product, so 0.5 s per grid at 2
          tokens per second gives t = t_idx.
      transformers 5 after PR #48669 also keeps s fractional but multiplies
      s * tokens_per_second first; the two agree whenever the products are
      exact in float32 (s = 0.25, 0.5, 1, 2, ...) and can differ by one
      otherwise (s = 1/3 at 25 tokens per second, frame 15: 125 here, 124
      there).
    - qwen3_vl: every frame of a video is its own block with t = 0
      (`video_grid_thw` split with repeat_interleave); time comes from the
      timestamp text the processor puts before each frame
      ("<t seconds><vision_start>"), which the caller gives as text
      segments between one-frame vision segments. A T-frame segment is T
      such blocks with no text between them.
    Anything else raises TypeError or ValueError.
    """
    if family not in FAMILIES:
        raise ValueError("family must be one of %s, got %r" % (FAMILIES, family))
    if time_rounding not in TIME_ROUNDINGS:
        raise ValueError("time_rounding must be one of %s, got %r" % (TIME_ROUNDINGS, time_rounding))
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
            if n:
                ids = np.arange(n, dtype=np.int64) + next_start
                rows.append(np.stack([ids, ids, ids]))
                next_start += n
            continue
        if kind != "vision":
            raise ValueError("unknown segment kind %r" % (kind,))
        for t, h, w, spgt in _vision_blocks(seg, family):
            if h % m or w % m:
                raise ValueError("grid (%d, %d, %d): H and W must be multiples of %d (spatial_merge_size)"
                                 % (t, h, w, m))
            gh, gw = h // m, w // m
            if family == "qwen2_5_vl":
                _check_time_range(t, spgt, tps, time_rounding, next_start)
                tt = _time_index(t, spgt, tps, time_rounding)
            elif family == "qwen2_vl":
                tt = np.arange(t, dtype=np.int64)
            else:  # qwen3_vl: one frame, t = 0
                tt = np.zeros(1, dtype=np.int64)
            t_idx = np.repeat(tt, gh * gw)
            h_idx = np.tile(np.repeat(np.arange(gh, dtype=np.int64), gw), t)
            w_idx = np.tile(np.arange(gw, dtype=np.int64), t * gh)
            rows.append(np.stack([t_idx, h_idx, w_idx]) + next_start)
            next_start += max(int(tt.max()), gh - 1, gw - 1) + 1
    pos = np.concatenate(rows, axis=1) if rows else np.zeros((3, 0), dtype=np.int64)
    delta = next_start - pos.shape[1]
    return pos, delta


PADDING_SIDES = ("left", "right")


def batch_rope_index(batch, family, spatial_merge_size=2, tokens_per_second=2, time_rounding="seconds",
                     padding_side="left"):
    """Returns (positions [3, B, L] int64, rope_deltas [B] int64) of a padded
    batch, as transformers 4.x's get_rope_index gives them with an
    attention mask: `batch` is a list of B segment lists (see rope_index),
    padded to the longest one, L, on `padding_side` ("left", as for
    generation, or "right").

    Real tokens get rope_index's positions. Padding gets position 1 on every
    axis (HF fills position_ids with ones). rope_deltas[b] is
    max(positions of b's real tokens) + 1 - L, L the padded length, so a
    decode step at padded index i (HF's cache_position) uses position
    i + rope_deltas[b]; decode_positions(L, n, rope_deltas[b]) gives them.

    When no sequence of the batch has a vision segment, HF takes its
    text-only path (position = cumsum(mask) - 1, padding 1), whose delta is
    the row's largest position *including* its padding: it differs from
    the above for a padded row of at most one real token, and is returned
    as HF gives it. A sequence without tokens raises ValueError when the
    batch has a vision segment (HF's torch.cat of an empty list fails).
    """
    if padding_side not in PADDING_SIDES:
        raise ValueError("padding_side must be 'left' or 'right', got %r" % (padding_side,))
    if isinstance(batch, (str, bytes)) or not hasattr(batch, "__iter__"):
        raise TypeError("batch must be a list of segment lists, got %r" % (batch,))
    rows = [rope_index(segs, family, spatial_merge_size, tokens_per_second, time_rounding)[0]
            for segs in batch]
    if not rows:
        raise ValueError("batch has no sequences")
    has_vision = any(isinstance(seg, (tuple, list)) and seg and seg[0] == "vision"
                     for segs in batch for seg in segs)
    length = max(r.shape[1] for r in rows)
    if not length:
        raise ValueError("batch has no tokens")
    positions = np.ones((3, len(rows), length), dtype=np.int64)
    deltas = np.empty(len(rows), dtype=np.int64)
    for b, row in enumerate(rows):
        n = row.shape[1]
        cols = slice(length - n, length) if padding_side == "left" else slice(0, n)
        positions[:, b, cols] = row
        if has_vision:
            if not n:
                raise ValueError("sequence %d has no tokens: HF's get_rope_index fails on it" % b)
            top = int(row.max())
        else:
            top = int(positions[:, b].max())
        deltas[b] = top + 1 - length
    return positions, deltas


def decode_positions(start_index, count, rope_delta):
    """Positions [3, count] of decode tokens start_index .. start_index+count-1
    (indices counted as rope_index / batch_rope_index count them): index +
    rope_delta on every axis."""
    ids = np.arange(start_index, start_index + count, dtype=np.int64) + rope_delta
    return np.stack([ids, ids, ids])


__all__ = ["rope_index", "batch_rope_index", "decode_positions", "FAMILIES", "TIME_ROUNDINGS"]
