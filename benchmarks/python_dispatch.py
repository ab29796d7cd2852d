"""What a rope call costs from Python on CPU, beside the kernel's own time.

For a decode step (1 token, 32 q heads + 8 k heads, head_dim 128) and a
prefill (512 tokens), bf16 and f32, int64 positions, it prints in one run:
- the kernel alone: its memref.Function bound to descriptors filled once
  (`Function.bind`: one ctypes call, nothing checked);
- RopeKernel.__call__ on HF's layout [B, H, S, D], numpy and torch, in
  place and out of place (outputs allocated by the call);
- apply_rope_ on vLLM's [T, H * D] rows, numpy and torch (in place);
- torch eager, HF's formula: apply_rotary_pos_emb (q * cos +
  rotate_half(q) * sin) on cos and sin given, and with the rotary
  embedding's forward (inv_freq @ position_ids, cat, cos, sin) before it.
"overhead" is a call's time minus its kernel's own time. Each number is the
best of 7 runs of the mean over a loop of calls. The decode rows measure
dispatch; in the prefill rows the difference also holds memory effects (an
out-of-place call writes freshly allocated outputs, the kernel alone the
same warm ones, whose alignment may also pick streaming stores) and the
machine's noise, and can come out negative.

    ROPE_OPT=build/bin/rope-opt PYTHONPATH=python python3 benchmarks/python_dispatch.py
"""

import os
import platform
import sys
import timeit

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from rope_mlir import RopeKernel, RopeSpec, apply_rope_  # noqa: E402

SPEC = RopeSpec(head_dim=128, rotary_dim=128, theta=5e5)  # Llama-3 without its scaling
Q_HEADS, K_HEADS, D = 32, 8, 128
TORCH_DTYPES = {"bf16": torch.bfloat16, "f32": torch.float32}


def seconds_per_call(fn, budget=0.05):
    """Best of 7 runs of the mean time of `fn()` over a loop of ~budget s."""
    fn()
    number = max(1, int(budget / max(timeit.timeit(fn, number=1), 1e-7)))
    number = min(number, 20000)
    return min(timeit.repeat(fn, number=number, repeat=7)) / number


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin):
    """HF's apply_rotary_pos_emb with unsqueeze_dim=1 (q, k [B, H, S, D])."""
    cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def rotary_embedding(inv_freq, position_ids, dtype):
    """HF's LlamaRotaryEmbedding.forward: cos and sin [B, S, D] in `dtype`."""
    inv = inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1)
    freqs = (inv @ position_ids[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def kernel_alone(kern, layout, arrays, positions):
    """Seconds per call of kern's variant for `layout` on numpy `arrays`
    (q, k, then the outs) and positions, descriptors filled once."""
    q, k, outs = arrays[0], arrays[1], arrays[2:]
    fields = _row_major_fields(q) + _row_major_fields(k) + _row_major_fields(positions)
    for a in outs:
        fields += _row_major_fields(a)
    return seconds_per_call(kern.function(layout).bind(fields))


def _row_major_fields(a):
    p = a.ctypes.data
    strides = tuple(s // a.itemsize for s in a.strides)
    return (p, p, 0) + a.shape + strides


def case(tokens, dtype):
    rows = []
    rng = np.random.default_rng(0)
    tdt = TORCH_DTYPES[dtype]
    q_t = torch.from_numpy(rng.uniform(-1, 1, (1, Q_HEADS, tokens, D)).astype(np.float32)).to(tdt)
    k_t = torch.from_numpy(rng.uniform(-1, 1, (1, K_HEADS, tokens, D)).astype(np.float32)).to(tdt)
    pos_t = torch.arange(1000, 1000 + tokens, dtype=torch.int64)[None]  # [B=1, S]

    def as_numpy(t):
        return t.view(torch.int16).numpy().view(np.uint16) if t.dtype is torch.bfloat16 else t.numpy()

    q_n, k_n, pos_n = as_numpy(q_t), as_numpy(k_t), pos_t.numpy()
    in_place = RopeKernel(SPEC, "bhsd", Q_HEADS, K_HEADS, dtype=dtype, in_place=True)
    out_of_place = RopeKernel(SPEC, "bhsd", Q_HEADS, K_HEADS, dtype=dtype)
    q_o, k_o = np.empty_like(q_n), np.empty_like(k_n)
    own_in = kernel_alone(in_place, "bhsd", [q_n, k_n], pos_n[None])
    own_out = kernel_alone(out_of_place, "bhsd", [q_n, k_n, q_o, k_o], pos_n[None])
    rows.append(("kernel alone, in place (bhsd)", own_in, None))
    rows.append(("kernel alone, out of place (bhsd)", own_out, None))
    rows.append(("RopeKernel numpy, in place", seconds_per_call(lambda: in_place(q_n, k_n, pos_n)), own_in))
    rows.append(("RopeKernel numpy, out of place", seconds_per_call(lambda: out_of_place(q_n, k_n, pos_n)),
                 own_out))
    rows.append(("RopeKernel torch, in place", seconds_per_call(lambda: in_place(q_t, k_t, pos_t)), own_in))
    rows.append(("RopeKernel torch, out of place", seconds_per_call(lambda: out_of_place(q_t, k_t, pos_t)),
                 own_out))

    # vLLM: rows [T, H * D], positions [T].
    q_rows_t = torch.from_numpy(rng.uniform(-1, 1, (tokens, Q_HEADS * D)).astype(np.float32)).to(tdt)
    k_rows_t = torch.from_numpy(rng.uniform(-1, 1, (tokens, K_HEADS * D)).astype(np.float32)).to(tdt)
    pos_rows_t = pos_t[0].clone()
    q_rows_n, k_rows_n, pos_rows_n = as_numpy(q_rows_t), as_numpy(k_rows_t), pos_rows_t.numpy()
    apply_rope_(pos_rows_t, q_rows_t, k_rows_t, SPEC)
    packed = RopeKernel(SPEC, "packed", Q_HEADS, K_HEADS, dtype=dtype, in_place=True)
    own_packed = kernel_alone(packed, "packed", [q_rows_n, k_rows_n], pos_rows_n[None])
    rows.append(("kernel alone, in place (packed)", own_packed, None))
    rows.append(("apply_rope_ numpy [T, H*D]",
                 seconds_per_call(lambda: apply_rope_(pos_rows_n, q_rows_n, k_rows_n, SPEC)), own_packed))
    rows.append(("apply_rope_ torch [T, H*D]",
                 seconds_per_call(lambda: apply_rope_(pos_rows_t, q_rows_t, k_rows_t, SPEC)), own_packed))

    inv_freq = 1.0 / (SPEC.theta ** (torch.arange(0, D, 2, dtype=torch.int64).float() / D))
    with torch.no_grad():
        cos, sin = rotary_embedding(inv_freq, pos_t, tdt)
        rows.append(("torch eager apply_rotary_pos_emb",
                     seconds_per_call(lambda: apply_rotary_pos_emb(q_t, k_t, cos, sin)), None))
        rows.append(("torch eager rotary_emb + apply",
                     seconds_per_call(lambda: apply_rotary_pos_emb(q_t, k_t, *rotary_embedding(inv_freq, pos_t, tdt))),
                     None))
    return rows


def main():
    print("machine: %s, %d CPUs (%s); python %s, numpy %s, torch %s (%d threads)"
          % (platform.processor() or platform.machine(), os.cpu_count(), _cpu_model(),
             platform.python_version(), np.__version__, torch.__version__, torch.get_num_threads()))
    for name, tokens in (("decode", 1), ("prefill", 512)):
        for dtype in ("bf16", "f32"):
            print("\n%s: %d token%s, %d q + %d k heads, head_dim %d, %s, int64 positions"
                  % (name, tokens, "" if tokens == 1 else "s", Q_HEADS, K_HEADS, D, dtype))
            print("  %-40s %12s %12s" % ("", "us/call", "overhead us"))
            for label, seconds, own in case(tokens, dtype):
                overhead = "" if own is None else "%.2f" % ((seconds - own) * 1e6)
                print("  %-40s %12.2f %12s" % (label, seconds * 1e6, overhead))


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
