"""Kernels compiled from config specs, against the float64 reference and
float64 code written from HF's: DeepSeek-V3's rope part (issue #17); Phi-3
and Phi-4-mini LongRoPE, GPT-J, Gemma 3's two layer types (issue #20)."""

import json

import numpy as np
import pytest

from rope_mlir import RopeKernel, config, reference
from test_config import _gemma_inv, _hf_deepseek_v3_rope, _hf_gptj, _hf_longrope, _hf_rotate_half


def rel_err(got, ref):
    return float(np.max(np.abs(np.asarray(got, np.float64) - ref)) / np.max(np.abs(ref)))


def test_deepseek_v3_kernel(data_path):
    cfg = json.load(open(data_path("deepseek_v3.json")))
    spec = config.text_spec(cfg)
    kern = RopeKernel(spec, "bhsd", q_heads=4, k_heads=1)
    rng = np.random.default_rng(3)
    q = rng.uniform(-2, 2, size=(1, 4, 10, 64)).astype(np.float32)
    k = rng.uniform(-2, 2, size=(1, 1, 10, 64)).astype(np.float32)
    pos = np.array([[[0, 1, 2, 500, 4095, 4096, 20000, 65535, 100000, 163839]]], dtype=np.int64)
    qo, ko = kern(q, k, pos)
    # R5: f32 output within 1e-5 of float64 for positions below 65536.
    near = pos[0, 0] < 65536
    for x, y in ((q, qo), (k, ko)):
        ref = reference.rotate(spec, "bhsd", x, pos)
        assert rel_err(y[:, :, near], ref[:, :, near]) < 1e-5
        assert rel_err(y, ref) < 1e-4
    # HF's rope_interleave output is ours with the rotary lanes de-interleaved.
    hq, hk, _ = _hf_deepseek_v3_rope(cfg, q, k, pos[0])
    perm = np.concatenate([np.arange(0, 64, 2), np.arange(1, 64, 2)])
    assert rel_err(qo[..., perm][:, :, near], hq[:, :, near]) < 1e-5
    assert rel_err(ko[..., perm][:, :, near], hk[:, :, near]) < 1e-5


def _run(spec, q_heads, k_heads, pos, seed):
    kern = RopeKernel(spec, "bhsd", q_heads=q_heads, k_heads=k_heads)
    rng = np.random.default_rng(seed)
    q = rng.uniform(-2, 2, size=(2, q_heads, pos.shape[-1], spec.head_dim)).astype(np.float32)
    k = rng.uniform(-2, 2, size=(2, k_heads, pos.shape[-1], spec.head_dim)).astype(np.float32)
    qo, ko = kern(q, k, pos)
    for x, y in ((q, qo), (k, ko)):
        # R5: f32 output within 1e-5 of float64 (positions below 65536).
        assert rel_err(y, reference.rotate(spec, "bhsd", x, pos)) < 1e-5
    return q, k, qo, ko


@pytest.mark.parametrize("name, seq_len", [("phi3_mini_128k.json", 4096), ("phi4_mini.json", 60000)])
def test_longrope_kernel(data_path, name, seq_len):
    cfg = json.load(open(data_path(name)))
    spec = config.text_spec(cfg, seq_len=seq_len)
    heads = config.text_heads(cfg)
    pos = np.array([[[0, 1, 2, 100, 4095, seq_len // 3, seq_len - 1]] * 2], dtype=np.int64)
    q, k, qo, ko = _run(spec, min(heads[0], 6), min(heads[1], 2), pos, seq_len)
    inv, attention, dim = _hf_longrope(cfg, seq_len, 4)
    assert attention > 1.18
    for x, y in ((q, qo), (k, ko)):
        assert rel_err(y, _hf_rotate_half(x, pos[0], inv, attention, dim)) < 1e-5


def test_gptj_kernel(data_path):
    cfg = json.load(open(data_path("gptj_6b.json")))
    spec = config.text_spec(cfg)
    pos = np.array([[[0, 1, 7, 300, 2047], [5, 4, 3, 2, 1]]], dtype=np.int64)
    q, k, qo, ko = _run(spec, 3, 3, pos, 11)
    for x, y in ((q, qo), (k, ko)):
        assert rel_err(y, _hf_gptj(x, pos[0], 64)) < 1e-5


def test_gemma3_kernels(data_path):
    cfg = json.load(open(data_path("gemma3_4b.json")))
    heads = config.text_heads(cfg)
    pos = np.array([[[0, 1, 1023, 1024, 9000, 60000]] * 2], dtype=np.int64)
    for layer, theta, factor in (("full_attention", 1e6, 8.0), ("sliding_attention", 1e4, 1.0)):
        spec = config.text_spec(cfg, layer_type=layer)
        q, k, qo, ko = _run(spec, heads[0], heads[1], pos, int(theta))
        for x, y in ((q, qo), (k, ko)):
            assert rel_err(y, _hf_rotate_half(x, pos[0], _gemma_inv(theta, 256, factor), 1.0, 256)) < 1e-5
