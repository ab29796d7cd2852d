#!/usr/bin/env python3
"""Times CUDA tensors through rope_mlir from Python (issue 20 item 2) on a
GPU machine: Qwen3-VL-8B's text rope (interleaved MRoPE, 32 + 8 heads of
128, bf16), decode (1 token) and prefill (4096 tokens), as

- RopeKernel, HF's layout [B, H, S, D] out of place (positions [3, 1, S]);
- apply_rope_, vLLM's packed rows [T, H * D] in place (positions [3, T]);
- torch eager: transformers-style cos/sin from the position ids and
  apply_rotary_pos_emb (python/tests/hf_style.py's Qwen3-VL path);
- torch.compile of that function, where it compiles.

Each is the wall time per call of 200 calls queued back to back, then one
synchronize: what a decode loop pays, Python included. The GPU objects
come from scripts/gpu-python-check.sh --build (the machine has no rope-opt).

  python3 benchmarks/gpu_python_timing.py
"""

import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "python", "tests"))
import torch  # noqa: E402

import hf_style  # noqa: E402
from cuda_cases import QWEN3_VL_8B  # noqa: E402
from rope_mlir import RopeKernel, apply_rope_  # noqa: E402

SECTIONS = list(QWEN3_VL_8B.axes[1])
CALLS = 200


def per_call(fn):
    """Wall seconds per call, calls queued back to back."""
    for _ in range(10):
        fn()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(CALLS):
        fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / CALLS


def main():
    if not torch.cuda.is_available():
        sys.exit("gpu_python_timing: no CUDA device visible to torch")
    print("device: %s, torch %s" % (torch.cuda.get_device_name(0), torch.__version__))
    hf = RopeKernel(QWEN3_VL_8B, "bhsd", q_heads=32, k_heads=8, dtype="bf16", device="cuda")
    inv = hf_style.inv_freq(QWEN3_VL_8B.theta, 128).cuda()

    def eager(q, k, pos):
        return hf_style.qwen3vl_apply(q, k, pos, QWEN3_VL_8B.theta, SECTIONS, dtype=torch.bfloat16, inv=inv)
    try:
        compiled = torch.compile(eager)
    except Exception as e:  # noqa: BLE001 - reported, the row is left out
        print("torch.compile unavailable: %s" % e)
        compiled = None
    rows = []
    for name, tokens in (("decode", 1), ("prefill", 4096)):
        g = torch.Generator(device="cuda").manual_seed(tokens)
        q = (torch.rand(1, 32, tokens, 128, device="cuda", generator=g) * 4 - 2).to(torch.bfloat16)
        k = (torch.rand(1, 8, tokens, 128, device="cuda", generator=g) * 4 - 2).to(torch.bfloat16)
        pos = torch.randint(0, 8192, (3, 1, tokens), device="cuda", generator=g)
        qkv = (torch.rand(tokens, 48 * 128, device="cuda", generator=g) * 4 - 2).to(torch.bfloat16)
        vq, vk, vpos = qkv[:, :32 * 128], qkv[:, 32 * 128:40 * 128], pos[:, 0]
        times = {"RopeKernel (bhsd)": per_call(lambda: hf(q, k, pos)),
                 "apply_rope_ (packed)": per_call(lambda: apply_rope_(vpos, vq, vk, QWEN3_VL_8B)),
                 "torch eager": per_call(lambda: eager(q, k, pos))}
        if compiled is not None:
            try:
                times["torch.compile"] = per_call(lambda: compiled(q, k, pos))
            except Exception as e:  # noqa: BLE001 - reported, the row is left out
                print("torch.compile failed: %s" % type(e).__name__)
        for what, t in times.items():
            rows.append((name, tokens, what, t, times["torch eager"] / t))
    print("%-8s %6s %-22s %10s %9s" % ("case", "tokens", "path", "us / call", "x eager"))
    for r in rows:
        print("%-8s %6d %-22s %10.1f %9.2f" % (r[0], r[1], r[2], r[3] * 1e6, r[4]))


if __name__ == "__main__":
    main()
