"""HF-style torch implementations of the rotary functions, written after
transformers' modeling code (rotate_half, Qwen2-VL's section split, Qwen3-VL's
interleaved frequency merge, the ViT's 2D table), to compare against."""

import torch


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def inv_freq(theta, dim):
    return 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))


def llama3_inv_freq(theta, dim, factor, low_ff, high_ff, old_len):
    inv = inv_freq(theta, dim)
    low_wavelen = old_len / low_ff
    high_wavelen = old_len / high_ff
    wavelen = 2 * torch.pi / inv
    inv_l = torch.where(wavelen > low_wavelen, inv / factor, inv)
    smooth = (old_len / wavelen - low_ff) / (high_ff - low_ff)
    smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
    medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(medium, smoothed, inv_l)


def mrope_cos_sin(position_ids, inv, dtype):
    """position_ids [3, B, S] -> per-axis freqs [3, B, S, P] (HF computes in f32)."""
    inv_exp = inv[None, None, :, None].float().expand(3, position_ids.shape[1], -1, 1)
    pos = position_ids[:, :, None, :].float()
    return (inv_exp @ pos).transpose(2, 3)


def qwen2vl_apply(q, k, position_ids, theta, mrope_section, dtype=torch.float32):
    """Qwen2-VL: cat(freqs) per axis, split by sections*2, axis i % 3."""
    d = q.shape[-1]
    freqs = mrope_cos_sin(position_ids, inv_freq(theta, d), dtype)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().to(dtype), emb.sin().to(dtype)
    sections = mrope_section * 2
    cos = torch.cat([m[i % 3] for i, m in enumerate(cos.split(sections, dim=-1))], dim=-1).unsqueeze(1)
    sin = torch.cat([m[i % 3] for i, m in enumerate(sin.split(sections, dim=-1))], dim=-1).unsqueeze(1)
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def interleaved_freqs(freqs, mrope_section):
    """Qwen3-VL: t everywhere, then h and w written at strided offsets."""
    freqs_t = freqs[0].clone()
    for dim, offset in enumerate((1, 2), start=1):
        length = mrope_section[dim] * 3
        idx = slice(offset, length, 3)
        freqs_t[..., idx] = freqs[dim, ..., idx]
    return freqs_t


def qwen3vl_apply(q, k, position_ids, theta, mrope_section, rotary_dim=None, dtype=torch.float32,
                  attention_scaling=1.0, inv=None):
    """Qwen3-VL / Qwen3.5: interleaved MRoPE, optionally partial rotary."""
    r = rotary_dim or q.shape[-1]
    inv = inv_freq(theta, r) if inv is None else inv
    freqs = interleaved_freqs(mrope_cos_sin(position_ids, inv, dtype), mrope_section)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos = (emb.cos() * attention_scaling).to(dtype).unsqueeze(1)
    sin = (emb.sin() * attention_scaling).to(dtype).unsqueeze(1)

    def apply(x):
        rot, rest = x[..., :r], x[..., r:]
        return torch.cat((rot * cos + rotate_half(rot) * sin, rest), dim=-1)

    return apply(q), apply(k)


def text_apply(q, k, position_ids, inv, dtype=torch.float32):
    """Llama-style 1D RoPE; position_ids [B, S]."""
    freqs = (position_ids[:, :, None].float() * inv[None, None, :].float())
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().to(dtype).unsqueeze(1), emb.sin().to(dtype).unsqueeze(1)
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def vision_apply(x, hw_ids, theta, head_dim):
    """Qwen2-VL ViT: x [N, H, D], hw_ids [N, 2]; table over head_dim / 2."""
    dim = head_dim // 2
    inv = inv_freq(theta, dim)
    seq = torch.arange(int(hw_ids.max()) + 1, dtype=inv.dtype)
    full = torch.outer(seq, inv)
    rotary = full[hw_ids].flatten(1)
    emb = torch.cat((rotary, rotary), dim=-1)
    cos, sin = emb.cos().unsqueeze(1), emb.sin().unsqueeze(1)
    return x * cos + rotate_half(x) * sin
