"""Kernels compiled from config specs (issue #17): DeepSeek-V3's rope part
against the float64 reference and HF's own DeepSeek-V3 rotation."""

import json

import numpy as np

from rope_mlir import RopeKernel, config, reference
from test_config import _hf_deepseek_v3_rope


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
