"""Rope specs straight from HuggingFace `config.json` files.

Reads `rope_theta`, `rope_parameters` (transformers 5) or `rope_scaling`,
`mrope_section`, `mrope_interleaved`, `partial_rotary_factor` and `head_dim`
of the text part, and the vision part's head size for its 2D RoPE (SPEC R2).
Covers Qwen2-VL, Qwen2.5-VL, Qwen3-VL, Qwen3.5 and Llama-3.1.
"""

import json

from .spec import RopeSpec


class ConfigError(ValueError):
    """A config that does not describe a rope this package supports."""


def _load(config):
    if isinstance(config, dict):
        return config
    with open(config) as f:
        return json.load(f)


def _text_part(cfg):
    return cfg.get("text_config", cfg)


def _rope_params(text):
    params = dict(text.get("rope_scaling") or {})
    params.update(text.get("rope_parameters") or {})
    return params


def _positive_int(value, name):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConfigError("%s must be a positive integer, got %r" % (name, value))
    return value


def text_spec(config):
    """The RopeSpec of a model's text attention."""
    cfg = _load(config)
    text = _text_part(cfg)
    params = _rope_params(text)
    theta = params.get("rope_theta", text.get("rope_theta", cfg.get("rope_theta", 10000.0)))
    if not isinstance(theta, (int, float)) or theta <= 1:
        raise ConfigError("rope_theta must be a number above 1, got %r" % (theta,))
    if "head_dim" in text and text["head_dim"] is not None:
        head_dim = _positive_int(text["head_dim"], "head_dim")
    else:
        hidden = _positive_int(text.get("hidden_size"), "hidden_size")
        heads = _positive_int(text.get("num_attention_heads"), "num_attention_heads")
        if hidden % heads:
            raise ConfigError("hidden_size %d is not a multiple of num_attention_heads %d" % (hidden, heads))
        head_dim = hidden // heads
    factor = params.get("partial_rotary_factor", text.get("partial_rotary_factor", 1.0))
    if not isinstance(factor, (int, float)) or not 0 < factor <= 1:
        raise ConfigError("partial_rotary_factor must be in (0, 1], got %r" % (factor,))
    rotary_dim = int(head_dim * factor)
    if rotary_dim % 2:
        raise ConfigError("rotary dim %d (head_dim * partial_rotary_factor) must be even" % rotary_dim)

    axes = None
    section = params.get("mrope_section")
    if section is not None:
        if (not isinstance(section, list) or not section
                or not all(isinstance(s, int) and s > 0 for s in section)):
            raise ConfigError("mrope_section must be a list of positive integers, got %r" % (section,))
        if sum(section) != rotary_dim // 2:
            raise ConfigError("mrope_section %r sums to %d, but the rotary dim %d has %d pairs" % (
                section, sum(section), rotary_dim, rotary_dim // 2))
        interleaved = bool(params.get("mrope_interleaved", text.get("mrope_interleaved", False)))
        if interleaved and len(section) != 3:
            raise ConfigError("interleaved MRoPE needs 3 sections, got %r" % (section,))
        axes = ("interleaved" if interleaved else "sequential", list(section))

    kind = params.get("rope_type", params.get("type", "default"))
    scaling = None
    if kind in ("default", "mrope", None):
        pass
    elif kind == "linear":
        scaling = {"kind": "linear", "factor": float(params["factor"])}
    elif kind == "yarn":
        scaling = {"kind": "yarn", "factor": float(params["factor"]),
                   "original_max_position": int(params.get(
                       "original_max_position_embeddings", text.get("max_position_embeddings"))),
                   "beta_fast": float(params.get("beta_fast", 32.0)),
                   "beta_slow": float(params.get("beta_slow", 1.0))}
    elif kind == "llama3":
        scaling = {"kind": "llama3", "factor": float(params["factor"]),
                   "low_freq_factor": float(params["low_freq_factor"]),
                   "high_freq_factor": float(params["high_freq_factor"]),
                   "original_max_position": int(params["original_max_position_embeddings"])}
    elif kind == "dynamic":
        scaling = {"kind": "dynamic_ntk", "factor": float(params["factor"]),
                   "original_max_position": int(text.get("max_position_embeddings"))}
    else:
        raise ConfigError("unsupported rope_type %r" % (kind,))
    attention = params.get("attention_factor")
    return RopeSpec(head_dim=head_dim, rotary_dim=rotary_dim, theta=float(theta), pairing="half",
                    axes=axes, scaling=scaling,
                    attention_factor=float(attention) if attention is not None else None)


def vision_spec(config):
    """The 2D RoPE of the ViT (Qwen2-VL, Qwen2.5-VL, Qwen3-VL): per-axis
    spectrum, theta 1e4, half of the head's pairs for h and half for w."""
    cfg = _load(config)
    vision = cfg.get("vision_config")
    if vision is None:
        raise ConfigError("config has no vision_config")
    width = vision.get("embed_dim", vision.get("hidden_size"))
    heads = vision.get("num_heads", vision.get("num_attention_heads"))
    width = _positive_int(width, "vision hidden size")
    heads = _positive_int(heads, "vision num_heads")
    head_dim = width // heads
    if head_dim % 4:
        raise ConfigError("vision head_dim %d must be a multiple of 4 for 2D RoPE" % head_dim)
    per_axis = head_dim // 4
    return RopeSpec(head_dim=head_dim, rotary_dim=head_dim, theta=10000.0, pairing="half",
                    axes=("sequential", [per_axis, per_axis]), per_axis=True)


def model_family(config):
    cfg = _load(config)
    model_type = cfg.get("model_type", "")
    families = {"qwen2_vl": "qwen2_vl", "qwen2_5_vl": "qwen2_5_vl", "qwen3_vl": "qwen3_vl",
                "qwen3_vl_moe": "qwen3_vl", "llama": "llama"}
    if model_type in families:
        return families[model_type]
    if model_type.startswith("qwen3_5"):
        return "qwen3_5"
    raise ConfigError("unknown model_type %r" % (model_type,))


def tokens_per_second(config):
    cfg = _load(config)
    vision = cfg.get("vision_config", {})
    return vision.get("tokens_per_second", cfg.get("tokens_per_second", 2))


def spatial_merge_size(config):
    cfg = _load(config)
    return cfg.get("vision_config", {}).get("spatial_merge_size", 2)


__all__ = ["ConfigError", "text_spec", "vision_spec", "model_family", "tokens_per_second",
           "spatial_merge_size"]
