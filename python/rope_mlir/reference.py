"""Float64 reference for the RoPE family, written from SPEC.md (R1-R4, R7).

This module is what the tests trust. It shares no code with the compiler.
"""

import math

import numpy as np


def unscaled_inv_freq(spec):
    """inv_j before scaling (R2): shared spectrum or per-axis restart."""
    p = spec.rotary_dim // 2
    if spec.axes is not None and spec.per_axis:
        inv = []
        for s in spec.axes[1]:
            inv.extend(spec.theta ** (-2.0 * k / (2.0 * s)) for k in range(s))
        return np.array(inv, dtype=np.float64)
    j = np.arange(p, dtype=np.float64)
    return spec.theta ** (-2.0 * j / spec.rotary_dim)


def scaled_inv_freq(spec, seq_len=None):
    """inv_j with the R4 scaling applied."""
    ext = unscaled_inv_freq(spec)
    r = spec.rotary_dim
    sc = spec.scaling
    if sc is None:
        return ext
    kind = sc["kind"]
    if kind == "linear":
        return ext / sc["factor"]
    if kind == "yarn":
        factor, l0 = sc["factor"], sc["original_max_position"]
        beta_fast, beta_slow = sc.get("beta_fast", 32.0), sc.get("beta_slow", 1.0)

        def corr(n):
            return r * math.log(l0 / (2 * math.pi * n)) / (2 * math.log(spec.theta))

        lo = max(math.floor(corr(beta_fast)), 0)
        hi = min(math.ceil(corr(beta_slow)), r - 1)
        j = np.arange(len(ext), dtype=np.float64)
        ramp = np.clip((j - lo) / max(hi - lo, 0.001), 0.0, 1.0)
        return (ext / factor) * ramp + ext * (1.0 - ramp)
    if kind == "llama3":
        factor, lo_ff, hi_ff = sc["factor"], sc["low_freq_factor"], sc["high_freq_factor"]
        l0 = sc["original_max_position"]
        out = ext.copy()
        for i, f in enumerate(ext):
            wavelen = 2 * math.pi / f
            if wavelen > l0 / lo_ff:
                out[i] = f / factor
            elif wavelen >= l0 / hi_ff and hi_ff > lo_ff:  # Llama 4: lo_ff = hi_ff, no band
                s = (l0 / wavelen - lo_ff) / (hi_ff - lo_ff)
                out[i] = (1 - s) * f / factor + s * f
        return out
    if kind == "freq_factors":
        return ext / np.asarray(sc["factors"], dtype=np.float64)
    if kind == "dynamic_ntk":
        factor, l0 = sc["factor"], sc["original_max_position"]
        if seq_len is None or seq_len <= l0:
            return ext
        base = spec.theta * ((factor * seq_len / l0) - (factor - 1)) ** (r / (r - 2))
        # Same exponents as ext, new base.
        expo = np.log(ext) / math.log(spec.theta)
        return base ** expo
    raise ValueError("unknown scaling " + kind)


def attention_factor(spec):
    """The factor cos and sin are scaled by: the spec's attention_factor,
    else YaRN's default 0.1 * ln(factor) + 1, else 1."""
    if spec.attention_factor is not None:
        return spec.attention_factor
    if spec.scaling is not None and spec.scaling["kind"] == "yarn":
        return 0.1 * math.log(spec.scaling["factor"]) + 1.0
    return 1.0


def axis_of_pair(spec):
    """R3: which position axis drives pair j."""
    p = spec.rotary_dim // 2
    if spec.axes is None:
        return np.zeros(p, dtype=np.int64)
    kind, values = spec.axes
    if kind == "custom":
        return np.asarray(values, dtype=np.int64)
    if kind == "sequential":
        bounds = np.cumsum(values)
        return np.array([int(np.searchsorted(bounds, j, side="right")) for j in range(p)])
    if kind == "interleaved":
        out = np.zeros(p, dtype=np.int64)
        for j in range(p):
            if j % 3 == 1 and j < 3 * values[1]:
                out[j] = 1
            elif j % 3 == 2 and j < 3 * values[2]:
                out[j] = 2
        return out
    raise ValueError(kind)


TOKEN_DIMS = {"bhsd": (0, 2), "bshd": (0, 1), "thd": (0,), "packed": (0,)}


def angles(spec, positions, seq_len=None):
    """phi[tokens..., j] in float64 from positions [A, tokens...]."""
    pos = np.asarray(positions, dtype=np.float64)
    inv = scaled_inv_freq(spec, seq_len)
    axis = axis_of_pair(spec)
    # pos[axis[j], tokens...] -> [tokens..., P]
    chosen = np.moveaxis(pos[axis], 0, -1)
    return chosen * inv


def rotate_pairs(x, cos_p, sin_p, pairing, r):
    """R1 on float64 x [..., D] with per-pair tables [..., P] broadcast against
    it; lanes from r on pass through."""
    p = r // 2
    y = x.copy()
    if pairing == "half":
        a, b = x[..., :p], x[..., p:r]
        y[..., :p] = a * cos_p - b * sin_p
        y[..., p:r] = b * cos_p + a * sin_p
    else:
        a, b = x[..., 0:r:2], x[..., 1:r:2]
        y[..., 0:r:2] = a * cos_p - b * sin_p
        y[..., 1:r:2] = b * cos_p + a * sin_p
    return y


def rotate(spec, layout, x, positions, seq_len=None, inverse=False):
    """Applies R1 to x (any float array) and returns float64."""
    x = np.asarray(x, dtype=np.float64)
    d, r = spec.head_dim, spec.rotary_dim
    phi = angles(spec, positions, seq_len)
    if inverse:
        phi = -phi
    scale = attention_factor(spec)
    cos, sin = np.cos(phi) * scale, np.sin(phi) * scale
    if layout == "packed":
        # The head count from the row width: -1 cannot be inferred for T = 0.
        x = x.reshape(x.shape[0], x.shape[1] // d, d)
        layout_view = "thd"
    else:
        layout_view = layout
    # Broadcast the [tokens..., P] tables against x's head axis.
    if layout_view == "bhsd":
        cos, sin = cos[:, None, :, :], sin[:, None, :, :]
    elif layout_view == "bshd":
        cos, sin = cos[:, :, None, :], sin[:, :, None, :]
    else:
        cos, sin = cos[:, None, :], sin[:, None, :]
    y = rotate_pairs(x, cos, sin, spec.pairing, r)
    if layout == "packed":
        y = y.reshape(y.shape[0], y.shape[1] * d)
    return y


def hf_f32_angle_error(spec, positions):
    """Max |phi_f32 - phi_f64| of HF's own path (pos * inv in float32), for R5."""
    inv32 = scaled_inv_freq(spec).astype(np.float32)
    axis = axis_of_pair(spec)
    pos32 = np.moveaxis(np.asarray(positions, dtype=np.float32)[axis], 0, -1)
    phi32 = (pos32 * inv32).astype(np.float64)
    phi64 = angles(spec, positions)
    return float(np.max(np.abs(np.sin(phi32) - np.sin(phi64))))
