import copy
import json
import math

import numpy as np
import pytest

from rope_mlir import config, reference


def test_qwen2_vl(data_path):
    p = data_path("qwen2_vl_7b.json")
    spec = config.text_spec(p)
    assert (spec.head_dim, spec.rotary_dim, spec.theta) == (128, 128, 1e6)
    assert spec.axes == ("sequential", [16, 24, 24])
    v = config.vision_spec(p)
    assert (v.head_dim, v.axes, v.per_axis, v.theta) == (80, ("sequential", [20, 20]), True, 1e4)
    assert config.model_family(p) == "qwen2_vl"


def test_qwen2_5_vl(data_path):
    p = data_path("qwen2_5_vl_7b.json")
    assert config.text_spec(p).axes == ("sequential", [16, 24, 24])
    assert config.vision_spec(p).head_dim == 80
    assert config.tokens_per_second(p) == 2


def test_qwen3_vl(data_path):
    p = data_path("qwen3_vl_8b.json")
    spec = config.text_spec(p)
    assert (spec.head_dim, spec.rotary_dim, spec.theta) == (128, 128, 5e6)
    assert spec.axes == ("interleaved", [24, 20, 20])
    v = config.vision_spec(p)
    assert (v.head_dim, v.axes) == (72, ("sequential", [18, 18]))


def test_qwen3_5_partial_rotary(data_path):
    spec = config.text_spec(data_path("qwen3_5_text.json"))
    assert (spec.head_dim, spec.rotary_dim, spec.theta) == (256, 64, 1e7)
    assert spec.axes == ("interleaved", [11, 11, 10])
    assert config.model_family(data_path("qwen3_5_text.json")) == "qwen3_5"


def test_llama_3_1(data_path):
    spec = config.text_spec(data_path("llama_3_1_8b.json"))
    assert (spec.head_dim, spec.theta, spec.axes) == (128, 5e5, None)
    assert spec.scaling == {"kind": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                            "high_freq_factor": 4.0, "original_max_position": 8192}


def test_yarn(data_path):
    spec = config.text_spec(data_path("qwen3_vl_yarn.json"))
    assert spec.scaling["kind"] == "yarn" and spec.scaling["factor"] == 3.0
    assert spec.scaling["original_max_position"] == 262144


@pytest.mark.parametrize("patch, message", [
    ({"rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 20]}}, "sums to 60"),
    ({"model_type": None,
      "rope_scaling": {"type": "mrope", "mrope_section": [32, 32], "mrope_interleaved": True}},
     "3 sections"),
    ({"rope_theta": 0.5}, "rope_theta"),
    ({"rope_scaling": {"rope_type": "longrope_v9"}}, "unsupported rope_type"),
    ({"partial_rotary_factor": 1.5}, "partial_rotary_factor"),
    ({"num_attention_heads": 0}, "num_attention_heads"),
])
def test_bad_configs(data_path, patch, message):
    cfg = json.load(open(data_path("qwen2_vl_7b.json")))
    cfg.update(patch)
    with pytest.raises(config.ConfigError, match=message):
        config.text_spec(cfg)


def test_no_vision(data_path):
    with pytest.raises(config.ConfigError, match="no vision_config"):
        config.vision_spec(data_path("llama_3_1_8b.json"))


# --- issue #17: nothing silently wrong -------------------------------------------------------

def _cfg(data_path, name, **patch):
    cfg = json.load(open(data_path(name)))
    cfg.update(patch)
    return cfg


DROP = object()


def _rope(cfg, **patch):
    """A copy of cfg with its rope_scaling dict patched (DROP deletes a key)."""
    cfg = copy.deepcopy(cfg)
    for key, value in patch.items():
        if value is DROP:
            cfg["rope_scaling"].pop(key, None)
        else:
            cfg["rope_scaling"][key] = value
    return cfg


def _hf_get_mscale(scale, mscale=1):
    if scale <= 1:
        return 1.0
    return 0.1 * mscale * math.log(scale) + 1.0


def _hf_deepseek_v3_rope(cfg, q, k, pos):
    """HF's DeepSeek-V3 rope in float64, step by step as transformers writes
    it: modeling_rope_utils._compute_yarn_parameters (head_dim =
    qk_rope_head_dim, mscale / mscale_all_dim), DeepseekV3RotaryEmbedding
    (cat(freqs, freqs) * attention_scaling) and, with rope_interleave,
    apply_rotary_pos_emb_interleave (view(d // 2, 2).transpose, then
    rotate_half). q, k: [B, H, S, D]; pos: [B, S]."""
    rs = cfg["rope_scaling"]
    base, dim = cfg["rope_theta"], cfg["qk_rope_head_dim"]
    factor, orig = rs["factor"], rs["original_max_position_embeddings"]
    mscale, mscale_all_dim = rs.get("mscale"), rs.get("mscale_all_dim")
    if mscale and mscale_all_dim:
        attention = _hf_get_mscale(factor, mscale) / _hf_get_mscale(factor, mscale_all_dim)
    else:
        attention = _hf_get_mscale(factor)
    beta_fast, beta_slow = rs.get("beta_fast") or 32, rs.get("beta_slow") or 1

    def find_correction_dim(n):
        return (dim * math.log(orig / (n * 2 * math.pi))) / (2 * math.log(base))

    low = max(math.floor(find_correction_dim(beta_fast)), 0)
    high = min(math.ceil(find_correction_dim(beta_slow)), dim - 1)
    if low == high:
        high += 0.001
    ramp = np.clip((np.arange(dim // 2) - low) / (high - low), 0, 1)
    pos_freqs = base ** (np.arange(0, dim, 2) / dim)
    extrapolation_factor = 1 - ramp
    inv = (1.0 / (factor * pos_freqs)) * (1 - extrapolation_factor) + (1.0 / pos_freqs) * extrapolation_factor
    freqs = pos[:, :, None].astype(np.float64) * inv  # [B, S, D/2]
    emb = np.concatenate([freqs, freqs], -1)
    cos, sin = (np.cos(emb) * attention)[:, None], (np.sin(emb) * attention)[:, None]

    def rotate_half(x):
        h = x.shape[-1] // 2
        return np.concatenate([-x[..., h:], x[..., :h]], -1)

    def apply(x):
        if cfg.get("rope_interleave", True):
            b, h, s, d = x.shape
            x = x.reshape(b, h, s, d // 2, 2).swapaxes(4, 3).reshape(b, h, s, d)
        return x * cos + rotate_half(x) * sin

    return apply(q.astype(np.float64)), apply(k.astype(np.float64)), attention


def test_deepseek_v3(data_path):
    spec = config.text_spec(data_path("deepseek_v3.json"))
    # The rope part of each MLA head (q_pe / k_pe), not hidden_size / heads = 56.
    assert (spec.head_dim, spec.rotary_dim, spec.theta) == (64, 64, 10000.0)
    assert spec.pairing == "adjacent"
    assert spec.scaling == {"kind": "yarn", "factor": 40.0, "original_max_position": 4096,
                            "beta_fast": 32.0, "beta_slow": 1.0}
    # get_mscale(40, 1.0) / get_mscale(40, 1.0), not 0.1 ln 40 + 1 = 1.37.
    assert spec.attention_factor == 1.0
    assert "attention_factor = 1.0" in spec.attributes("bhsd")


@pytest.mark.parametrize("interleave", [None, True, False])
def test_deepseek_v3_matches_hf(data_path, interleave):
    """Our spec through the float64 reference against HF's DeepSeek-V3 code.

    HF's interleave path rotates adjacent lanes (x[2i], x[2i+1]) -- our
    `adjacent` pairing -- and leaves the result de-interleaved; q.k is the
    same either way."""
    cfg = _cfg(data_path, "deepseek_v3.json")
    if interleave is not None:
        cfg["rope_interleave"] = interleave
    spec = config.text_spec(cfg)
    assert spec.pairing == ("half" if interleave is False else "adjacent")
    rng = np.random.default_rng(17)
    q, k = rng.normal(size=(1, 4, 12, 64)), rng.normal(size=(1, 1, 12, 64))
    pos = np.array([[0, 1, 2, 3, 100, 4095, 4096, 9000, 50000, 100000, 163839, 7]])
    hq, hk, attention = _hf_deepseek_v3_rope(cfg, q, k, pos)
    assert reference.attention_factor(spec) == attention == 1.0
    oq = reference.rotate(spec, "bhsd", q, pos[None])
    ok = reference.rotate(spec, "bhsd", k, pos[None])
    # The attention logits agree as they are (float64 both; angles up to
    # 1.6e5 rad differ in their last bits).
    np.testing.assert_allclose(oq @ np.swapaxes(ok, -1, -2), hq @ np.swapaxes(hk, -1, -2), rtol=0, atol=1e-8)
    if spec.pairing == "adjacent":
        perm = np.concatenate([np.arange(0, 64, 2), np.arange(1, 64, 2)])
        oq, ok = oq[..., perm], ok[..., perm]
    np.testing.assert_allclose(oq, hq, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ok, hk, rtol=0, atol=1e-9)


def test_deepseek_variants(data_path):
    base = _cfg(data_path, "deepseek_v3.json")
    # DeepSeek-V2: mscale = mscale_all_dim = 0.707 -> 1.0; complex multiplication -> adjacent.
    v2 = _rope(dict(base, model_type="deepseek_v2"), mscale=0.707, mscale_all_dim=0.707)
    spec = config.text_spec(v2)
    assert (spec.head_dim, spec.pairing, spec.attention_factor) == (64, "adjacent", 1.0)
    with pytest.raises(config.ConfigError, match="rope_interleave"):
        config.text_spec(dict(v2, rope_interleave=False))
    # Kimi K2 (DeepSeek-V3's code): beta_fast = beta_slow = 1.
    k2 = _rope(dict(base, model_type="kimi_k2", rope_theta=50000.0), beta_fast=1.0, factor=32.0)
    spec = config.text_spec(k2)
    assert (spec.pairing, spec.scaling["beta_fast"], spec.attention_factor) == ("adjacent", 1.0, 1.0)
    # An MLA model this module does not know.
    with pytest.raises(config.ConfigError, match="qk_rope_head_dim"):
        config.text_spec(dict(base, model_type="some_mla"))
    # rope_interleave must be a JSON boolean.
    with pytest.raises(config.ConfigError, match="rope_interleave must be a JSON boolean"):
        config.text_spec(dict(base, rope_interleave="false"))
    with pytest.raises(config.ConfigError, match="partial_rotary_factor"):
        config.text_spec(dict(base, partial_rotary_factor=0.5))


@pytest.mark.parametrize("mscale, mscale_all_dim, attention", [
    (1.0, 1.0, 1.0),              # DeepSeek-V3, Mistral-style yarn configs
    (0.707, 0.707, 1.0),          # DeepSeek-V2
    (1.0, 0.5, _hf_get_mscale(40, 1.0) / _hf_get_mscale(40, 0.5)),
    (1.0, None, None),            # HF and DeepSeek's code agree: the op's default
    (None, None, None),
])
def test_yarn_mscale(data_path, mscale, mscale_all_dim, attention):
    cfg = _rope(_cfg(data_path, "deepseek_v3.json"), mscale=DROP if mscale is None else mscale,
                mscale_all_dim=DROP if mscale_all_dim is None else mscale_all_dim)
    spec = config.text_spec(cfg)
    assert spec.attention_factor == attention
    assert reference.attention_factor(spec) == pytest.approx(
        attention if attention is not None else 0.1 * math.log(40) + 1, rel=1e-15)


@pytest.mark.parametrize("mscale, mscale_all_dim", [(0.707, None), (None, 1.0), (0.0, 0.0)])
def test_yarn_mscale_ambiguous(data_path, mscale, mscale_all_dim):
    """HF ignores a lone mscale / mscale_all_dim; DeepSeek's code does not."""
    cfg = _rope(_cfg(data_path, "deepseek_v3.json"), mscale=DROP if mscale is None else mscale,
                mscale_all_dim=DROP if mscale_all_dim is None else mscale_all_dim)
    with pytest.raises(config.ConfigError, match="give both or neither"):
        config.text_spec(cfg)


def test_yarn_explicit_attention_factor_wins(data_path):
    cfg = _rope(_cfg(data_path, "deepseek_v3.json"), attention_factor=0.8)
    assert config.text_spec(cfg).attention_factor == 0.8


# Families whose pairing or partial rotary differs from Llama's.
@pytest.mark.parametrize("cfg, dims", [
    # GLM-4 (modeling_glm: interleaved rotate_half on half of the head; GlmConfig default 0.5).
    ({"model_type": "glm", "hidden_size": 4096, "num_attention_heads": 32, "head_dim": 128,
      "rope_theta": 10000.0}, (128, 64, "adjacent")),
    ({"model_type": "glm4", "hidden_size": 5120, "num_attention_heads": 48, "head_dim": 128,
      "partial_rotary_factor": 0.5}, (128, 64, "adjacent")),
    ({"model_type": "glm4_moe", "hidden_size": 5120, "num_attention_heads": 96, "head_dim": 128},
     (128, 64, "half")),
    ({"model_type": "cohere", "hidden_size": 8192, "num_attention_heads": 64}, (128, 128, "adjacent")),
    ({"model_type": "llama4_text", "hidden_size": 5120, "num_attention_heads": 40, "head_dim": 128},
     (128, 128, "adjacent")),
    # Phi-2 (0.4 of 80), Phi default 0.5, StableLM default 0.25.
    ({"model_type": "phi", "hidden_size": 2560, "num_attention_heads": 32, "partial_rotary_factor": 0.4},
     (80, 32, "half")),
    ({"model_type": "phi", "hidden_size": 2048, "num_attention_heads": 32}, (64, 32, "half")),
    ({"model_type": "stablelm", "hidden_size": 2560, "num_attention_heads": 32}, (80, 20, "half")),
    # GPT-NeoX spells it rotary_pct / rotary_emb_base (default 0.25).
    ({"model_type": "gpt_neox", "hidden_size": 6144, "num_attention_heads": 64, "rotary_pct": 0.25,
      "rotary_emb_base": 10000}, (96, 24, "half")),
    ({"model_type": "gpt_neox", "hidden_size": 2048, "num_attention_heads": 16}, (128, 32, "half")),
    # HF truncates head_dim * partial_rotary_factor: int(128 * 0.3) = 38.
    ({"hidden_size": 4096, "num_attention_heads": 32, "partial_rotary_factor": 0.3}, (128, 38, "half")),
])
def test_families(cfg, dims):
    spec = config.text_spec(cfg)
    assert (spec.head_dim, spec.rotary_dim, spec.pairing) == dims


def test_gpt_neox_theta():
    spec = config.text_spec({"model_type": "gpt_neox", "hidden_size": 2048, "num_attention_heads": 16,
                             "rotary_emb_base": 1000000})
    assert spec.theta == 1e6


@pytest.mark.parametrize("cfg, message", [
    # int(64 * 0.3) = 19: HF would build 10 frequencies for 19 lanes.
    ({"hidden_size": 2048, "num_attention_heads": 32, "partial_rotary_factor": 0.3}, "must be even"),
    ({"hidden_size": 2048, "num_attention_heads": 32, "partial_rotary_factor": 0.01}, "at least 2"),
    # GPT-J is read (test_gptj_codegen), but needs its head count.
    ({"model_type": "gptj", "n_embd": 4096, "rotary_dim": 64}, r"n_head \(or num_attention_heads\) is missing"),
    ({"hidden_size": 4096, "num_attention_heads": 16, "rotary_dim": 64}, "rotary_dim"),
    ({"model_type": "chatglm", "hidden_size": 4096, "num_attention_heads": 32}, "chatglm"),
    # Gemma 3n's rope_theta defaults to 1e6 in its class, not 10000.
    ({"model_type": "gemma3n", "text_config": {"model_type": "gemma3n_text", "hidden_size": 2048,
                                               "num_attention_heads": 8, "head_dim": 256}}, "gemma3n"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_ratio": 50}, "rope_ratio"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rotary_pct": 0.5}, "rotary_pct"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_interleave": True}, "rope_interleave"),
    ({"model_type": "gemma3_text", "hidden_size": 2560, "num_attention_heads": 8, "head_dim": 256,
      "rope_theta": 1e6, "rope_local_base_freq": 10000.0}, "rope_local_base_freq"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_parameters": {
        "full_attention": {"rope_type": "default", "rope_theta": 1e6},
        "sliding_attention": {"rope_type": "default", "rope_theta": 1e4}}}, "per-layer"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_scaling": {"rope_type": "linear", "factor": 2.0},
      "rope_parameters": {"rope_type": "default", "rope_theta": 1e6}}, "both given and differ"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_theta": 1e6,
      "rope_parameters": {"rope_type": "default", "rope_theta": 1e4}}, "disagree"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "partial_rotary_factor": 0.5,
      "rope_parameters": {"rope_type": "default", "partial_rotary_factor": 0.25}}, "disagree"),
    ({"hidden_size": 4096, "num_attention_heads": 32,
      "rope_scaling": {"rope_type": "default", "type": "yarn", "factor": 2.0}}, "disagree"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_scaling": [1, 2]}, "must be an object"),
    ({"model_type": "llama4_text", "hidden_size": 5120, "num_attention_heads": 40, "head_dim": 128,
      "rope_scaling": {"rope_type": "linear", "factor": 8.0}}, "Llama 4"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_theta": float("nan")}, "rope_theta"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_theta": float("inf")}, "rope_theta"),
    ({"hidden_size": 4096, "num_attention_heads": 32, "rope_theta": True}, "rope_theta"),
])
def test_bad_conventions(cfg, message):
    with pytest.raises(config.ConfigError, match=message):
        config.text_spec(cfg)


def test_rope_type_spellings(data_path):
    # HF: rope_type wins over the older `type`; Qwen2-VL's "mrope" is the default rope.
    cfg = _cfg(data_path, "qwen2_vl_7b.json")
    cfg["rope_scaling"]["rope_type"] = "default"
    assert config.text_spec(cfg).axes == ("sequential", [16, 24, 24])
    llama = _cfg(data_path, "llama_3_1_8b.json")
    llama["rope_scaling"]["type"] = llama["rope_scaling"].pop("rope_type")
    assert config.text_spec(llama).scaling["kind"] == "llama3"


def test_mrope_layouts(data_path):
    # Qwen3-VL's HF code interleaves whatever the config says; without the
    # key it is still interleaved, and `false` contradicts it.
    cfg = _cfg(data_path, "qwen3_vl_8b.json")
    del cfg["text_config"]["rope_scaling"]["mrope_interleaved"]
    assert config.text_spec(cfg).axes == ("interleaved", [24, 20, 20])
    cfg["text_config"]["rope_scaling"]["mrope_interleaved"] = False
    with pytest.raises(config.ConfigError, match="interleaved MRoPE"):
        config.text_spec(cfg)
    # Qwen2-VL's sections are sequential.
    cfg = _cfg(data_path, "qwen2_vl_7b.json")
    cfg["rope_scaling"]["mrope_interleaved"] = True
    with pytest.raises(config.ConfigError, match="sequential MRoPE"):
        config.text_spec(cfg)
    # A model type whose MRoPE layout is unknown (GLM-4.1V pairs lanes its own way).
    with pytest.raises(config.ConfigError, match="mrope_section"):
        config.text_spec({"model_type": "glm4v_text", "hidden_size": 4096, "num_attention_heads": 32,
                          "rope_parameters": {"rope_type": "default", "mrope_section": [8, 12, 12]}})


def _yarn_llama(**rope):
    cfg = {"hidden_size": 4096, "num_attention_heads": 32, "max_position_embeddings": 131072,
           "rope_theta": 1e6, "rope_scaling": {"rope_type": "yarn", "factor": 4.0,
                                               "original_max_position_embeddings": 32768}}
    return _rope(cfg, **rope)


def _llama3(data_path, **rope):
    return _rope(_cfg(data_path, "llama_3_1_8b.json"), **rope)


def test_yarn_defaults():
    # HF: beta_fast / beta_slow `or` 32 / 1, so absent and null both give the default.
    for cfg in (_yarn_llama(), _yarn_llama(beta_fast=None, beta_slow=None),
                _yarn_llama(beta_fast=DROP, beta_slow=None)):
        sc = config.text_spec(cfg).scaling
        assert (sc["beta_fast"], sc["beta_slow"]) == (32.0, 1.0)
    # original_max_position_embeddings (absent or null) defaults to max_position_embeddings.
    for value in (DROP, None):
        sc = config.text_spec(_yarn_llama(original_max_position_embeddings=value)).scaling
        assert sc["original_max_position"] == 131072
    sc = config.text_spec(_yarn_llama(original_max_position_embeddings=None)).scaling
    assert sc["original_max_position"] == 131072
    # Integral floats are integers; truncate = true is R4's rounding.
    sc = config.text_spec(_yarn_llama(original_max_position_embeddings=32768.0, truncate=True)).scaling
    assert sc["original_max_position"] == 32768 and isinstance(sc["original_max_position"], int)


@pytest.mark.parametrize("make, message", [
    # Missing required values: were KeyErrors.
    (lambda d: _yarn_llama(factor=DROP), r"rope_scaling\.factor is missing"),
    (lambda d: _llama3(d, low_freq_factor=DROP), r"rope_scaling\.low_freq_factor is missing"),
    (lambda d: _llama3(d, high_freq_factor=DROP), r"rope_scaling\.high_freq_factor is missing"),
    (lambda d: _llama3(d, original_max_position_embeddings=DROP),
     r"rope_scaling\.original_max_position_embeddings is missing"),
    (lambda d: _rope({"hidden_size": 4096, "num_attention_heads": 32, "max_position_embeddings": 4096,
                      "rope_scaling": {"rope_type": "linear"}}), r"rope_scaling\.factor is missing"),
    # null values: were TypeErrors (llama3 has no defaults in HF; yarn's factor neither).
    (lambda d: _yarn_llama(factor=None), r"rope_scaling\.factor must be a number >= 1, got None"),
    (lambda d: _llama3(d, factor=None), r"rope_scaling\.factor must be a number >= 1, got None"),
    (lambda d: _llama3(d, low_freq_factor=None), r"rope_scaling\.low_freq_factor must be a positive number"),
    (lambda d: _llama3(d, high_freq_factor=None),
     r"rope_scaling\.high_freq_factor must be a positive number"),
    (lambda d: _llama3(d, original_max_position_embeddings=None),
     r"rope_scaling\.original_max_position_embeddings is missing"),
    (lambda d: _cfg(d, "qwen2_vl_7b.json", rope_scaling={"type": "mrope", "mrope_section": None,
                                                           "mrope_interleaved": None}), None),
    # Non-finite, strings, booleans, out of range.
    (lambda d: _rope(_yarn_llama(), factor=float("nan")), r"rope_scaling\.factor must be a number >= 1"),
    (lambda d: _llama3(d, factor=float("inf")), r"rope_scaling\.factor must be a number >= 1"),
    (lambda d: _yarn_llama(factor="4.0"), r"rope_scaling\.factor must be a number >= 1, got '4.0'"),
    (lambda d: _yarn_llama(factor=True), r"rope_scaling\.factor must be a number >= 1, got True"),
    (lambda d: _yarn_llama(factor=0.5), r"rope_scaling\.factor must be a number >= 1"),
    (lambda d: _llama3(d, high_freq_factor=0.5), "must not be below low_freq_factor"),
    (lambda d: _yarn_llama(beta_fast=0), r"rope_scaling\.beta_fast must be a positive number"),
    (lambda d: _yarn_llama(beta_slow="1"), r"rope_scaling\.beta_slow must be a positive number"),
    (lambda d: _yarn_llama(attention_factor=-1.0), r"rope_scaling\.attention_factor must be a positive"),
    # Fractions where an integer is needed: int() made 0.5 a silent 0.
    (lambda d: _yarn_llama(original_max_position_embeddings=0.5),
     r"rope_scaling\.original_max_position_embeddings must be a positive integer, got 0\.5"),
    (lambda d: _llama3(d, original_max_position_embeddings=8192.5),
     r"rope_scaling\.original_max_position_embeddings must be a positive integer"),
    (lambda d: _rope({"hidden_size": 4096, "num_attention_heads": 32, "max_position_embeddings": 0.5,
                      "rope_scaling": {"rope_type": "dynamic", "factor": 2.0}}),
     "max_position_embeddings must be a positive integer, got 0.5"),
    (lambda d: dict(_yarn_llama(original_max_position_embeddings=None), max_position_embeddings=None),
     "max_position_embeddings must be a positive integer, got None"),
    (lambda d: _cfg(d, "qwen2_vl_7b.json", rope_scaling={"type": "mrope", "mrope_section": [16, 24.5, 23.5]}),
     r"rope_scaling\.mrope_section must be a list of positive integers"),
    (lambda d: _cfg(d, "qwen2_vl_7b.json", head_dim=127.5), "head_dim must be a positive integer"),
    # Booleans must be JSON booleans: "false" was read as true.
    (lambda d: _cfg(d, "qwen2_vl_7b.json", rope_scaling={"type": "mrope", "mrope_section": [16, 24, 24],
                                                           "mrope_interleaved": "false"}),
     r"rope_scaling\.mrope_interleaved must be a JSON boolean"),
    (lambda d: _yarn_llama(truncate="true"), r"rope_scaling\.truncate must be a JSON boolean"),
    # What the op cannot state, or HF reads otherwise.
    (lambda d: _yarn_llama(truncate=False), "truncate = false"),
    (lambda d: _llama3(d, attention_factor=1.2), r"\['attention_factor'\].*'llama3'"),
    (lambda d: _rope({"hidden_size": 4096, "num_attention_heads": 32,
                      "rope_scaling": {"rope_type": "default", "factor": 2.0}}), r"\['factor'\]"),
    (lambda d: _rope({"hidden_size": 4096, "num_attention_heads": 32, "max_position_embeddings": 8192,
                      "rope_scaling": {"rope_type": "dynamic", "factor": 2.0,
                                       "original_max_position_embeddings": 4096}}), "dynamic rope scales"),
    (lambda d: dict(_yarn_llama(original_max_position_embeddings=DROP),
                    original_max_position_embeddings=4096),
     "top level"),
    (lambda d: dict(_yarn_llama(), original_max_position_embeddings=4096), "disagrees"),
    (lambda d: _rope({"hidden_size": 4096, "num_attention_heads": 32, "max_position_embeddings": 4096,
                      "rope_theta": 2.0, "rope_scaling": {"rope_type": "yarn", "factor": 2.0}}),
     "correction range is empty"),
    # The op's bounds (issue #17): these failed later inside rope-opt.
    (lambda d: _yarn_llama(original_max_position_embeddings=2 ** 70),
     r"rope_scaling\.original_max_position_embeddings must be a positive integer below 2\^63"),
    (lambda d: _yarn_llama(original_max_position_embeddings=1e300),
     r"rope_scaling\.original_max_position_embeddings must be a positive integer below 2\^63 \(an i64\), "
     r"got 1e\+300"),
    (lambda d: _llama3(d, original_max_position_embeddings=2 ** 63),
     r"rope_scaling\.original_max_position_embeddings must be a positive integer below 2\^63"),
    (lambda d: dict(_yarn_llama(original_max_position_embeddings=None), max_position_embeddings=2 ** 64),
     r"max_position_embeddings must be a positive integer below 2\^63"),
    (lambda d: _cfg(d, "qwen2_vl_7b.json", head_dim=2 ** 20), "head_dim must be at most 65536 \\(the op's head_dim bound\\), got 1048576"),
    (lambda d: {"hidden_size": 2 ** 30, "num_attention_heads": 2},
     r"head_dim \(hidden_size 1073741824 / num_attention_heads 2\) must be at most 65536"),
    (lambda d: _yarn_llama(attention_factor=1e39),
     r"rope_scaling\.attention_factor must be a positive number at most 3\.4028234663852886e\+38"),
    # A non-string model_type read as a plain rope.
    (lambda d: _cfg(d, "qwen2_vl_7b.json", model_type=5), "model_type must be a string, got 5"),
    (lambda d: {"model_type": "qwen3_vl", "text_config": {"model_type": ["qwen3_vl_text"], "hidden_size": 4096,
                                                           "num_attention_heads": 32}},
     r"text_config\.model_type must be a string"),
])
def test_bad_values(data_path, make, message):
    if message is None:  # null means absent here (HF's .get): no error
        config.text_spec(make(data_path))
        return
    with pytest.raises(config.ConfigError, match=message):
        config.text_spec(make(data_path))


def test_other_readers_are_typed(data_path):
    with pytest.raises(config.ConfigError, match="vision num_heads"):
        config.vision_spec({"vision_config": {"embed_dim": 1280, "num_heads": 16.5}})
    with pytest.raises(config.ConfigError, match="not a multiple"):
        config.vision_spec({"vision_config": {"embed_dim": 1280, "num_heads": 12}})
    with pytest.raises(config.ConfigError, match="tokens_per_second"):
        config.tokens_per_second({"vision_config": {"tokens_per_second": "2"}})
    with pytest.raises(config.ConfigError, match="spatial_merge_size"):
        config.spatial_merge_size({"vision_config": {"spatial_merge_size": 2.5}})
    assert config.tokens_per_second(data_path("qwen2_5_vl_7b.json")) == 2
    assert config.spatial_merge_size(data_path("qwen2_5_vl_7b.json")) == 2


def test_what_a_config_is(tmp_path):
    # Was a TypeError about os.PathLike from open().
    for bad in ([1, 2], 5, None, object()):
        with pytest.raises(TypeError, match="config must be a path to a config.json .* or a dict, got"):
            config.text_spec(bad)
    with pytest.raises(TypeError, match="got list"):
        config.vision_spec([1, 2])
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    with pytest.raises(config.ConfigError, match="a config must be a JSON object, got 'list'"):
        config.text_spec(listed)  # a pathlib.Path
    with pytest.raises(config.ConfigError, match="a config must be a JSON object"):
        config.vision_spec(str(listed))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(config.ConfigError, match="broken.json is not JSON"):
        config.text_spec(broken)
    with pytest.raises(config.ConfigError, match="vision_config must be an object"):
        config.tokens_per_second({"vision_config": [2]})
    with pytest.raises(config.ConfigError, match="vision_config must be an object"):
        config.spatial_merge_size({"vision_config": "x"})
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"hidden_size": 4096, "num_attention_heads": 32}))
    assert config.text_spec(good).head_dim == config.text_spec(str(good).encode()).head_dim == 128


def test_head_dim_bounds():
    # 65536 is the op's largest head_dim; the vision head too.
    assert config.text_spec({"head_dim": 65536, "hidden_size": 64, "num_attention_heads": 1}).head_dim == 65536
    with pytest.raises(config.ConfigError, match=r"vision head_dim \(hidden size 262144 / num_heads 2\) must be "
                                                 r"at most 65536"):
        config.vision_spec({"vision_config": {"embed_dim": 2 ** 18, "num_heads": 2}})
    with pytest.raises(config.ConfigError, match="qk_rope_head_dim must be a positive even integer at most 65536"):
        config.text_spec({"model_type": "deepseek_v3", "qk_rope_head_dim": 2 ** 17, "hidden_size": 64,
                          "num_attention_heads": 1})


def test_llama4_equal_band_factors(data_path):
    # Llama 4 Scout's rope_scaling sets low_freq_factor = high_freq_factor = 1:
    # HF has no smoothed band then; long wavelengths are divided by the factor,
    # the others kept.
    cfg = {"model_type": "llama4_text", "hidden_size": 5120, "num_attention_heads": 40,
           "head_dim": 128, "rope_theta": 500000.0,
           "rope_scaling": {"factor": 16.0, "high_freq_factor": 1.0, "low_freq_factor": 1.0,
                            "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
    spec = config.text_spec(cfg)
    assert spec.scaling["low_freq_factor"] == spec.scaling["high_freq_factor"] == 1.0
    inv = reference.scaled_inv_freq(spec)
    base = 500000.0 ** (-np.arange(64) * 2.0 / 128)
    wavelen = 2 * np.pi / base
    expect = np.where(wavelen > 8192, base / 16.0, base)
    np.testing.assert_array_equal(inv, expect)


# --- issue #20: LongRoPE, GPT-J / CodeGen, GPT-NeoX, Falcon, Gemma 1-3, Phi, heads ---------------
#
# The configs in data/ are written in the spellings of the released config.json
# files (Phi-3-mini-128k / Phi-3.5-mini, Phi-4-mini, GPT-J-6B, CodeGen-350M-mono,
# Falcon-7B / 40B / RW-1B, Gemma-2-9B, Gemma-3-1B / 4B, Phi-2); LongRoPE factor
# values are ours. Every number is checked against float64 code written here
# from transformers' own: modeling_rope_utils (_compute_longrope_parameters in
# transformers 4 and 5, _compute_dynamic_ntk_parameters, dynamic_rope_update),
# modeling_gptj / modeling_codegen (create_sinusoidal_positions,
# rotate_every_two), and the rotate_half models' apply_rotary_pos_emb with
# partial rotary (Phi-3, Phi, GPT-NeoX, Falcon, Gemma).

def _load(data_path, name):
    return json.load(open(data_path(name)))


def _hf_head_dim(cfg):
    text = cfg.get("text_config", cfg)
    return text.get("head_dim") or text["hidden_size"] // text["num_attention_heads"]


def _hf_longrope(cfg, seq_len, transformers):
    """(inv_freq, attention_factor, rotary dim) as HF's
    _compute_longrope_parameters computes them after dynamic_rope_update
    picked the factors for a call with max(position_ids) + 1 = seq_len."""
    rs = dict(cfg.get("rope_scaling") or cfg.get("rope_parameters"))
    dim = int(_hf_head_dim(cfg) * cfg.get("partial_rotary_factor", 1.0))
    base = rs.get("rope_theta", cfg.get("rope_theta", 10000.0))
    max_pos = cfg["max_position_embeddings"]
    # Phi3Config.original_max_position_embeddings defaults to 4096.
    top = cfg.get("original_max_position_embeddings", 4096 if cfg.get("model_type") == "phi3" else None)
    if transformers == 4:
        if top is not None:
            original, factor = top, max_pos / top
        else:
            original, factor = max_pos, rs.get("factor")
    else:  # standardize_rope_params: top level first, then the dict, then max_position_embeddings
        original = top if top is not None else rs.get("original_max_position_embeddings", max_pos)
        factor = rs.get("factor")
        if factor is None:
            factor = max_pos / original
    attention = rs.get("attention_factor")
    if attention is None:
        attention = 1.0 if factor <= 1.0 else math.sqrt(1 + math.log(factor) / math.log(original))
    ext = np.asarray(rs["long_factor"] if seq_len > original else rs["short_factor"], dtype=np.float64)
    inv = 1.0 / (ext * base ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    return inv, attention, dim


def _hf_rotate_half(x, pos, inv, attention, dim):
    """HF's rotate_half models in float64: cos/sin = cat(freqs, freqs) *
    attention_scaling on the first `dim` lanes, the rest passed through.
    x: [B, H, S, D]; pos: [B, S]."""
    freqs = pos[:, :, None].astype(np.float64) * inv
    emb = np.concatenate([freqs, freqs], -1)
    cos, sin = (np.cos(emb) * attention)[:, None], (np.sin(emb) * attention)[:, None]
    rot, rest = x[..., :dim].astype(np.float64), x[..., dim:].astype(np.float64)
    half = np.concatenate([-rot[..., dim // 2:], rot[..., :dim // 2]], -1)
    return np.concatenate([rot * cos + half * sin, rest], -1)


def _hf_gptj(x, pos, rotary_dim):
    """modeling_gptj in float64: create_sinusoidal_positions(_, rotary_dim)
    (base 10000), sin and cos repeat_interleave'd, rotate_every_two on the
    first rotary_dim lanes. x: [B, H, S, D] (HF's [B, S, H, D] transposed)."""
    inv = 1.0 / (10000 ** (np.arange(0, rotary_dim, 2, dtype=np.float64) / rotary_dim))
    sinusoid = pos[:, :, None].astype(np.float64) * inv
    sin = np.repeat(np.sin(sinusoid), 2, axis=-1)[:, None]
    cos = np.repeat(np.cos(sinusoid), 2, axis=-1)[:, None]
    rot, rest = x[..., :rotary_dim].astype(np.float64), x[..., rotary_dim:].astype(np.float64)
    every_two = np.stack([-rot[..., 1::2], rot[..., ::2]], -1).reshape(rot.shape)
    return np.concatenate([rot * cos + every_two * sin, rest], -1)


def _random(shape, seed):
    return np.random.default_rng(seed).uniform(-2, 2, size=shape)


PHI_SEQ_LENS = [1, 17, 4095, 4096, 4097, 8000, 131072]


@pytest.mark.parametrize("name", ["phi3_mini_128k.json", "phi4_mini.json"])
@pytest.mark.parametrize("seq_len", PHI_SEQ_LENS)
def test_longrope_phi(data_path, name, seq_len):
    cfg = _load(data_path, name)
    spec = config.text_spec(cfg, seq_len=seq_len)
    inv, attention, dim = _hf_longrope(cfg, seq_len, 4)
    # Phi-3's configs read the same in transformers 4 and 5.
    inv5, attention5, _ = _hf_longrope(cfg, seq_len, 5)
    np.testing.assert_array_equal(inv, inv5)
    assert attention == attention5
    assert (spec.head_dim, spec.rotary_dim, spec.pairing, spec.theta) == (_hf_head_dim(cfg), dim, "half", 1e4)
    # seq_len picks the list: long past original_max_position_embeddings (4096).
    key = "long_factor" if seq_len > 4096 else "short_factor"
    assert spec.scaling == {"kind": "freq_factors", "factors": cfg["rope_scaling"][key]}
    # sqrt(1 + ln(131072 / 4096) / ln(4096)) = sqrt(1 + 5 / 12).
    assert attention == pytest.approx(math.sqrt(17 / 12), rel=1e-15)
    assert reference.attention_factor(spec) == pytest.approx(attention, rel=1e-15)
    np.testing.assert_allclose(reference.scaled_inv_freq(spec), inv, rtol=1e-14, atol=0)
    # The whole rotation, at positions below seq_len as HF's call has them.
    pos = np.array([[0, 1, 2, 7, seq_len // 2, seq_len - 1]])
    q = _random((1, 3, pos.shape[1], spec.head_dim), seq_len)
    np.testing.assert_allclose(reference.rotate(spec, "bhsd", q, pos[None]),
                               _hf_rotate_half(q, pos, inv, attention, dim), rtol=0, atol=1e-9)


@pytest.mark.parametrize("pos_dtype", [np.int32, np.int64])
def test_longrope_short_spec_holds_below_original_max(data_path, pos_dtype):
    """HF rotates a call whose max(position_ids) + 1 exceeds 4096 with the
    long factors: the short spec refuses such positions instead of rotating
    them with the short ones (found by a new-user trial)."""
    from rope_mlir import RopeKernel, apply_rope_
    short = config.text_spec(data_path("phi3_mini_128k.json"), seq_len=100)
    long = config.text_spec(data_path("phi3_mini_128k.json"), seq_len=5000)
    assert (short.max_position, long.max_position) == (4095, None)
    kern = RopeKernel(short, "thd", q_heads=2, pos_dtype="i32" if pos_dtype is np.int32 else "i64")
    q = _random((2, 2, short.head_dim), 1).astype(np.float32)
    pos = np.array([[4094, 4095]], pos_dtype)
    np.testing.assert_allclose(kern(q, positions=pos), reference.rotate(short, "thd", q, pos), atol=1e-5)
    with pytest.raises(ValueError, match=r"\|pos\| <= 4095 \(the spec's max_position: a LongRoPE spec "
                                         r"with short factors .* seq_len=max position \+ 1\)\).* to 4096"):
        kern(q, positions=np.array([[5, 4096]], pos_dtype))
    rows = q.reshape(2, -1).copy()
    with pytest.raises(ValueError, match="max_position"):
        apply_rope_(np.array([5000, 5001], pos_dtype), rows, None, short)
    # An equal spec without the bound is another kernel for apply_rope_.
    unbounded = copy.deepcopy(short)
    unbounded.max_position = None
    apply_rope_(np.array([5000, 5001], pos_dtype), rows, None, unbounded)
    np.testing.assert_allclose(rows, reference.rotate(unbounded, "packed", q.reshape(2, -1),
                                                      np.array([[5000, 5001]])), atol=1e-5)


def test_longrope_needs_seq_len(data_path):
    with pytest.raises(config.ConfigError, match=r"seq_len is missing: a longrope config .* long_factor .* "
                                                 r"original_max_position_embeddings = 4096"):
        config.text_spec(data_path("phi3_mini_128k.json"))
    with pytest.raises(TypeError, match="seq_len must be an integer"):
        config.text_spec(data_path("phi3_mini_128k.json"), seq_len=4096.0)
    with pytest.raises(ValueError, match="seq_len must be positive"):
        config.text_spec(data_path("phi3_mini_128k.json"), seq_len=0)
    # Other rope types do not need it.
    assert config.text_spec(data_path("llama_3_1_8b.json"), seq_len=100).scaling["kind"] == "llama3"


def _phi3_variant(data_path, **patch):
    cfg = _load(data_path, "phi3_mini_128k.json")
    rope = cfg["rope_scaling"]
    for key, value in patch.items():
        if key.startswith("top_"):
            key = key[4:]
            if value is DROP:
                cfg.pop(key, None)
            else:
                cfg[key] = value
        elif value is DROP:
            rope.pop(key, None)
        else:
            rope[key] = value
    return cfg


@pytest.mark.parametrize("patch", [
    # Phi-3's first 128k configs said "su"; Phi3Config renames "su" and "yarn" to longrope.
    {"type": "su"},
    {"type": "yarn"},
    # transformers 5 spelling.
    {"type": DROP, "rope_type": "longrope"},
    # A factor that agrees with max / original, an original in the dict that agrees.
    {"factor": 32.0},
    {"original_max_position_embeddings": 4096},
    # Phi3Config's defaults: original_max_position_embeddings 4096.
    {"top_original_max_position_embeddings": DROP},
    # An explicit attention factor wins in both versions.
    {"attention_factor": 1.25},
])
def test_longrope_spellings(data_path, patch):
    cfg = _phi3_variant(data_path, **patch)
    for seq_len in (4096, 4097):
        spec = config.text_spec(cfg, seq_len=seq_len)
        for version in (4, 5):
            inv, attention, _ = _hf_longrope(cfg, seq_len, version)
            np.testing.assert_allclose(reference.scaled_inv_freq(spec), inv, rtol=1e-14, atol=0)
            assert reference.attention_factor(spec) == pytest.approx(attention, rel=1e-15)
    assert spec.attention_factor == patch.get("attention_factor", math.sqrt(17 / 12))


def test_longrope_without_top_level_original(data_path):
    # A non-Phi-3 config (no class default): original = max_position_embeddings,
    # the factor from the dict.
    cfg = _phi3_variant(data_path, top_original_max_position_embeddings=DROP, factor=8.0,
                        top_model_type="llama", top_max_position_embeddings=32768)
    for seq_len in (32768, 32769):
        spec = config.text_spec(cfg, seq_len=seq_len)
        for version in (4, 5):
            inv, attention, _ = _hf_longrope(cfg, seq_len, version)
            np.testing.assert_allclose(reference.scaled_inv_freq(spec), inv, rtol=1e-14, atol=0)
            assert spec.attention_factor == pytest.approx(attention, rel=1e-15)
    assert spec.attention_factor == pytest.approx(math.sqrt(1 + math.log(8) / math.log(32768)), rel=1e-15)
    # factor <= 1: no attention scaling.
    spec = config.text_spec(_phi3_variant(data_path, top_original_max_position_embeddings=DROP, factor=1.0,
                                          top_model_type="llama"), seq_len=5)
    assert spec.attention_factor is None and reference.attention_factor(spec) == 1.0


@pytest.mark.parametrize("patch, message", [
    # transformers 4 uses max / original = 32, 5 the factor.
    ({"factor": 16.0}, r"rope_scaling\.factor = 16\.0, but max_position_embeddings / "
                       r"original_max_position_embeddings = 131072 / 4096 = 32\.0"),
    ({"original_max_position_embeddings": 8192}, "disagrees"),
    ({"top_original_max_position_embeddings": DROP, "top_model_type": "llama",
      "original_max_position_embeddings": 4096}, "without a top-level one: transformers 4 reads"),
    ({"top_original_max_position_embeddings": DROP, "top_model_type": "llama"}, r"rope_scaling\.factor is missing"),
    ({"short_factor": DROP}, r"rope_scaling\.short_factor is missing"),
    ({"long_factor": [1.0] * 47}, r"rope_scaling\.long_factor has 47 entries; the rotary dim has 48 pairs"),
    ({"long_factor": "1.0"}, r"rope_scaling\.long_factor must be a list of numbers"),
    ({"short_factor": [1.0] * 47 + [0.0]}, r"rope_scaling\.short_factor\[47\] must be a positive number"),
    ({"short_factor": [1.0] * 47 + [True]}, r"rope_scaling\.short_factor\[47\] must be a positive number"),
    ({"long_factor": [1.0] * 47 + [float("nan")]}, r"long_factor\[47\]"),
    ({"attention_factor": -1.0}, r"rope_scaling\.attention_factor must be a positive number"),
    # Phi-3.5-MoE's short_mscale / long_mscale scale cos and sin in HF's PhiMoE code.
    ({"short_mscale": 1.243, "long_mscale": 1.243}, r"\['long_mscale', 'short_mscale'\]"),
    # Only Phi-3's config renames "su"; "yarn" elsewhere is YaRN.
    ({"type": "su", "top_model_type": "llama"}, r"'su' \(Phi-3's old name for longrope\)"),
    ({"type": DROP, "rope_type": "su"}, r"rope_scaling\.rope_type = 'su'"),
])
def test_longrope_refused(data_path, patch, message):
    with pytest.raises(config.ConfigError, match=message):
        config.text_spec(_phi3_variant(data_path, **patch), seq_len=10)


def test_gptj_codegen(data_path):
    for name, dims in (("gptj_6b.json", (256, 64)), ("codegen_350m_mono.json", (64, 32))):
        cfg = _load(data_path, name)
        spec = config.text_spec(cfg)
        assert (spec.head_dim, spec.rotary_dim, spec.theta, spec.pairing) == dims + (1e4, "adjacent")
        assert spec.scaling is None and spec.attention_factor is None
        pos = np.array([[0, 1, 5, 100, 2047, 30000]])
        x = _random((1, 2, 6, spec.head_dim), spec.rotary_dim)
        np.testing.assert_allclose(reference.rotate(spec, "bhsd", x, pos[None]),
                                   _hf_gptj(x, pos, spec.rotary_dim), rtol=0, atol=1e-9)
        assert config.text_heads(cfg) == (cfg["n_head"],) * 2
    # hidden_size / num_attention_heads stand for n_embd / n_head (attribute_map);
    # GPTJConfig's rotary_dim default is 64.
    spec = config.text_spec({"model_type": "gptj", "hidden_size": 2048, "num_attention_heads": 16})
    assert (spec.head_dim, spec.rotary_dim) == (128, 64)


@pytest.mark.parametrize("patch, message", [
    ({"rotary_dim": None}, "rotary_dim is null"),
    ({"rotary_dim": 65}, "rotary_dim must be an even integer in"),
    ({"rotary_dim": 512}, r"rotary_dim must be an even integer in \[2, head_dim 256\]"),
    ({"rotary": False}, "rotary = false"),
    ({"rope_theta": 50000.0}, "rope_theta = 50000.0: HF's gptj code does not read it"),
    ({"rope_scaling": {"type": "linear", "factor": 2.0}}, "rope_scaling"),
    ({"hidden_size": 2048}, "n_embd = 4096 and hidden_size = 2048 disagree"),
    ({"n_head": 12}, "n_embd 4096 is not a multiple of n_head 12"),
    ({"rotary_pct": 0.5}, "rotary_pct"),
])
def test_gptj_refused(data_path, patch, message):
    cfg = dict(_load(data_path, "gptj_6b.json"), **patch)
    with pytest.raises(config.ConfigError, match=message):
        config.text_spec(cfg)


@pytest.mark.parametrize("name, dims, heads", [
    # Falcon-7B: 4544 / 71 = 64 lanes, multi-query: one key head.
    ("falcon_7b.json", (64, 64), (71, 1)),
    # Falcon-40B: new decoder architecture, num_kv_heads 8.
    ("falcon_40b.json", (64, 64), (128, 8)),
    # Phi-2: partial_rotary_factor 0.4 of 80 lanes.
    ("phi_2.json", (80, 32), (32, 32)),
    ("gemma2_9b.json", (256, 256), (16, 8)),
    # Phi-3 / Phi-4-mini (grouped-query attention).
    ("phi4_mini.json", (128, 96), (24, 8)),
    ("phi3_mini_128k.json", (96, 96), (32, 32)),
])
def test_rotate_half_families(data_path, name, dims, heads):
    cfg = _load(data_path, name)
    spec = config.text_spec(cfg, seq_len=100)
    assert (spec.head_dim, spec.rotary_dim, spec.pairing) == dims + ("half",)
    assert config.text_heads(cfg) == heads
    if spec.scaling is None:
        theta = cfg.get("rope_theta", 10000.0)
        inv = 1.0 / (theta ** (np.arange(0, dims[1], 2, dtype=np.float64) / dims[1]))
        attention = 1.0
    else:
        inv, attention, _ = _hf_longrope(cfg, 100, 4)
    pos = np.array([[0, 1, 3, 99, 1000, 2047]])
    x = _random((1, 2, 6, spec.head_dim), len(name))
    np.testing.assert_allclose(reference.rotate(spec, "bhsd", x, pos[None]),
                               _hf_rotate_half(x, pos, inv, attention, dims[1]), rtol=0, atol=1e-9)


def test_falcon_refused(data_path):
    # Falcon-RW: ALiBi, no rope (FalconConfig.rotary = not alibi).
    with pytest.raises(config.ConfigError, match="alibi = true"):
        config.text_spec(data_path("falcon_rw_1b.json"))
    with pytest.raises(config.ConfigError, match="alibi = true"):
        config.text_heads(data_path("falcon_rw_1b.json"))
    with pytest.raises(config.ConfigError, match="alibi must be a JSON boolean"):
        config.text_spec(dict(_load(data_path, "falcon_7b.json"), alibi="false"))
    # The pre-HF remote-code spelling (n_head, n_head_kv) is not FalconConfig's.
    with pytest.raises(config.ConfigError, match="RefinedWeb"):
        config.text_spec({"model_type": "RefinedWeb", "hidden_size": 8192, "n_head": 128, "n_head_kv": 8})
    with pytest.raises(config.ConfigError, match="n_head_kv is not read"):
        config.text_heads(dict(_load(data_path, "falcon_40b.json"), n_head_kv=8))
    # Falcon's own non-multi-query default: num_kv_heads = num_attention_heads.
    cfg = dict(_load(data_path, "falcon_7b.json"), multi_query=False)
    assert config.text_heads(cfg) == (71, 71)


def _gemma_inv(theta, dim, factor=1.0):
    return 1.0 / (theta ** (np.arange(0, dim, 2, dtype=np.float64) / dim)) / factor


@pytest.mark.parametrize("name, full, sliding, heads", [
    # Gemma-3-1B: rope_theta 1e6 unscaled / rope_local_base_freq 1e4.
    ("gemma3_1b.json", (1e6, 1.0), 1e4, (4, 1)),
    # Gemma-3-4B: Gemma3TextConfig defaults (8 heads, 4 kv, head_dim 256, both
    # thetas) and linear scaling 8 on the full-attention layers only.
    ("gemma3_4b.json", (1e6, 8.0), 1e4, (8, 4)),
])
def test_gemma3_layer_types(data_path, name, full, sliding, heads):
    cfg = _load(data_path, name)
    with pytest.raises(config.ConfigError, match="rope_local_base_freq .* pass layer_type"):
        config.text_spec(cfg)
    assert config.text_heads(cfg) == heads
    pos = np.array([[0, 1, 2, 511, 512, 30000]])
    x = _random((1, 2, 6, 256), 3)
    for layer, theta, factor in (("full_attention",) + full, ("sliding_attention", sliding, 1.0)):
        spec = config.text_spec(cfg, layer_type=layer)
        assert (spec.head_dim, spec.rotary_dim, spec.theta, spec.pairing) == (256, 256, theta, "half")
        assert spec.scaling == (None if factor == 1.0 else {"kind": "linear", "factor": factor})
        np.testing.assert_allclose(reference.rotate(spec, "bhsd", x, pos[None]),
                                   _hf_rotate_half(x, pos, _gemma_inv(theta, 256, factor), 1.0, 256),
                                   rtol=0, atol=1e-9)
    with pytest.raises(config.ConfigError, match="layer_type must be one of"):
        config.text_spec(cfg, layer_type="local")


def test_per_layer_rope_parameters():
    # transformers 5 writes Gemma 3's two ropes per layer type.
    cfg = {"model_type": "gemma3_text", "head_dim": 256, "num_attention_heads": 4, "hidden_size": 1152,
           "layer_types": ["sliding_attention"] * 5 + ["full_attention"],
           "rope_parameters": {"full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1e6},
                               "sliding_attention": {"rope_type": "default", "rope_theta": 1e4}}}
    full = config.text_spec(cfg, layer_type="full_attention")
    assert (full.theta, full.scaling) == (1e6, {"kind": "linear", "factor": 8.0})
    local = config.text_spec(cfg, layer_type="sliding_attention")
    assert (local.theta, local.scaling) == (1e4, None)
    with pytest.raises(config.ConfigError, match="per-layer entries .* pass layer_type"):
        config.text_spec(cfg)
    with pytest.raises(config.ConfigError, match="not all in layer_types"):
        config.text_spec(dict(cfg, layer_types=["full_attention"]), layer_type="full_attention")
    with pytest.raises(config.ConfigError, match="mixes per-layer entries"):
        config.text_spec(dict(cfg, rope_parameters=dict(cfg["rope_parameters"], rope_theta=1e4)),
                         layer_type="full_attention")
    with pytest.raises(config.ConfigError, match="not in this config's layer_types"):
        config.text_spec(dict(cfg, layer_types=["full_attention"] * 6), layer_type="sliding_attention")
    with pytest.raises(TypeError, match="layer_type must be a string"):
        config.text_spec(cfg, layer_type=0)
    # A config with one rope takes either layer type.
    assert config.text_spec({"hidden_size": 4096, "num_attention_heads": 32},
                            layer_type="sliding_attention").theta == 1e4


def test_gemma_head_dim_default():
    # GemmaConfig / Gemma2Config: head_dim 256 when config.json omits it
    # (hidden_size / num_attention_heads would be 192 here).
    for t in ("gemma", "gemma2"):
        spec = config.text_spec({"model_type": t, "hidden_size": 3072, "num_attention_heads": 16})
        assert spec.head_dim == 256


def _hf_dynamic_ntk(theta, dim, factor, max_pos, seq_len):
    """_compute_dynamic_ntk_parameters for a call of length seq_len (HF grows
    it from max_position_embeddings on)."""
    seq_len = seq_len if seq_len > max_pos else max_pos
    base = theta * ((factor * seq_len / max_pos) - (factor - 1)) ** (dim / (dim - 2))
    return 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.float64) / dim))


@pytest.mark.parametrize("cfg", [
    {"hidden_size": 4096, "num_attention_heads": 32, "max_position_embeddings": 4096, "rope_theta": 10000.0,
     "rope_scaling": {"type": "dynamic", "factor": 2.0}},
    # Falcon and GPT-NeoX spell it with `type` too; NeoX's rotary_pct makes it partial.
    {"model_type": "gpt_neox", "hidden_size": 2048, "num_attention_heads": 16, "max_position_embeddings": 2048,
     "rotary_pct": 0.25, "rotary_emb_base": 10000, "rope_scaling": {"type": "dynamic", "factor": 4.0}},
    {"model_type": "falcon", "hidden_size": 4544, "num_attention_heads": 71, "max_position_embeddings": 2048,
     "alibi": False, "rope_scaling": {"rope_type": "dynamic", "factor": 1.5}},
])
def test_dynamic_ntk(cfg):
    spec = config.text_spec(cfg)
    rs = cfg["rope_scaling"]
    max_pos = cfg["max_position_embeddings"]
    assert spec.scaling == {"kind": "dynamic_ntk", "factor": rs["factor"], "original_max_position": max_pos}
    assert spec.attention_factor is None and reference.attention_factor(spec) == 1.0
    theta = cfg.get("rope_theta", cfg.get("rotary_emb_base", 10000.0))
    for seq_len in (1, max_pos - 1, max_pos, max_pos + 1, 3 * max_pos, 100000):
        np.testing.assert_allclose(reference.scaled_inv_freq(spec, seq_len),
                                   _hf_dynamic_ntk(theta, spec.rotary_dim, rs["factor"], max_pos, seq_len),
                                   rtol=1e-13, atol=0)


def test_deepseek_v3_released_spelling():
    """DeepSeek-V3's config.json as released (HF's DeepseekV3Config reads it,
    rope_interleave defaulting to true)."""
    cfg = {
        "architectures": ["DeepseekV3ForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
        "auto_map": {"AutoConfig": "configuration_deepseek.DeepseekV3Config",
                     "AutoModel": "modeling_deepseek.DeepseekV3Model",
                     "AutoModelForCausalLM": "modeling_deepseek.DeepseekV3ForCausalLM"},
        "aux_loss_alpha": 0.001, "bos_token_id": 0, "eos_token_id": 1, "ep_size": 1, "first_k_dense_replace": 3,
        "hidden_act": "silu", "hidden_size": 7168, "initializer_range": 0.02, "intermediate_size": 18432,
        "kv_lora_rank": 512, "max_position_embeddings": 163840, "model_type": "deepseek_v3",
        "moe_intermediate_size": 2048, "moe_layer_freq": 1, "n_group": 8, "n_routed_experts": 256,
        "n_shared_experts": 1, "norm_topk_prob": True, "num_attention_heads": 128, "num_experts_per_tok": 8,
        "num_hidden_layers": 61, "num_key_value_heads": 128, "num_nextn_predict_layers": 1, "pretraining_tp": 1,
        "q_lora_rank": 1536, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "rms_norm_eps": 1e-06,
        "rope_scaling": {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0,
                         "original_max_position_embeddings": 4096, "type": "yarn"},
        "rope_theta": 10000, "routed_scaling_factor": 2.5, "scoring_func": "sigmoid", "seq_aux": True,
        "tie_word_embeddings": False, "topk_group": 4, "topk_method": "noaux_tc", "torch_dtype": "bfloat16",
        "transformers_version": "4.33.1", "use_cache": True, "v_head_dim": 128, "vocab_size": 129280}
    spec = config.text_spec(cfg)
    assert (spec.head_dim, spec.rotary_dim, spec.theta, spec.pairing) == (64, 64, 10000.0, "adjacent")
    assert spec.scaling == {"kind": "yarn", "factor": 40.0, "original_max_position": 4096,
                            "beta_fast": 32.0, "beta_slow": 1.0}
    assert spec.attention_factor == 1.0
    # q_pe has 128 heads; k_pe is one head, broadcast after the rotation.
    assert config.text_heads(cfg) == (128, 1)
    rng = np.random.default_rng(5)
    q, k = rng.normal(size=(1, 4, 7, 64)), rng.normal(size=(1, 1, 7, 64))
    pos = np.array([[0, 1, 2, 4095, 4096, 100000, 163839]])
    hq, hk, _ = _hf_deepseek_v3_rope(cfg, q, k, pos)
    perm = np.concatenate([np.arange(0, 64, 2), np.arange(1, 64, 2)])
    np.testing.assert_allclose(reference.rotate(spec, "bhsd", q, pos[None])[..., perm], hq, rtol=0, atol=1e-8)
    np.testing.assert_allclose(reference.rotate(spec, "bhsd", k, pos[None])[..., perm], hk, rtol=0, atol=1e-8)


@pytest.mark.parametrize("name, heads", [
    ("qwen2_vl_7b.json", (28, 4)),
    ("qwen3_vl_8b.json", (32, 8)),
    ("llama_3_1_8b.json", (32, 8)),
    ("deepseek_v3.json", (128, 1)),
])
def test_text_heads(data_path, name, heads):
    cfg = _load(data_path, name)
    assert config.text_heads(cfg) == heads
    assert config.text_heads(data_path(name)) == heads


@pytest.mark.parametrize("cfg, message", [
    ({"hidden_size": 4096}, "num_attention_heads must be a positive integer, got None"),
    ({"num_attention_heads": 32, "num_key_value_heads": 0}, "num_key_value_heads must be a positive integer"),
    ({"num_attention_heads": 32, "num_key_value_heads": 5},
     "num_attention_heads 32 is not a multiple of num_key_value_heads 5"),
    ({"num_attention_heads": 32.5}, "num_attention_heads must be a positive integer"),
    ({"n_head": 32, "hidden_size": 4096}, "n_head is not read"),
    ({"model_type": "gpt_neox", "num_attention_heads": 32, "num_key_value_heads": 8}, "GPT-NeoX"),
    ({"model_type": "falcon", "num_attention_heads": 32, "num_key_value_heads": 8},
     "num_key_value_heads is not read by HF's Falcon config"),
    ({"model_type": "chatglm", "num_attention_heads": 32}, "chatglm"),
])
def test_text_heads_refused(cfg, message):
    with pytest.raises(config.ConfigError, match=message):
        config.text_heads(cfg)


def test_text_heads_defaults():
    # num_key_value_heads absent or null: as many as the heads (LlamaConfig).
    assert config.text_heads({"num_attention_heads": 32}) == (32, 32)
    assert config.text_heads({"num_attention_heads": 32, "num_key_value_heads": None}) == (32, 32)
    # Vision-language configs: the text_config's heads.
    assert config.text_heads({"model_type": "x", "num_attention_heads": 16,
                              "text_config": {"num_attention_heads": 40, "num_key_value_heads": 8}}) == (40, 8)
