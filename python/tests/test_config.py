import pytest

from rope_mlir import config


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
    ({"rope_scaling": {"type": "mrope", "mrope_section": [32, 32], "mrope_interleaved": True}}, "3 sections"),
    ({"rope_theta": 0.5}, "rope_theta"),
    ({"rope_scaling": {"rope_type": "longrope_v9"}}, "unsupported rope_type"),
    ({"partial_rotary_factor": 1.5}, "partial_rotary_factor"),
    ({"num_attention_heads": 0}, "num_attention_heads"),
])
def test_bad_configs(data_path, patch, message):
    import json
    cfg = json.load(open(data_path("qwen2_vl_7b.json")))
    cfg.update(patch)
    with pytest.raises(config.ConfigError, match=message):
        config.text_spec(cfg)


def test_no_vision(data_path):
    with pytest.raises(config.ConfigError, match="no vision_config"):
        config.vision_spec(data_path("llama_3_1_8b.json"))
