"""Rope specs straight from HuggingFace `config.json` files.

Reads `rope_theta`, `rope_parameters` (transformers 5) or `rope_scaling`,
`mrope_section`, `mrope_interleaved`, `partial_rotary_factor` and `head_dim`
of the text part, and the vision part's head size for its 2D RoPE (SPEC R2).
Covers Qwen2-VL, Qwen2.5-VL, Qwen3-VL, Qwen3.5, Llama-3.1, DeepSeek-V2/V3
(MLA: the rope part of each head), Phi-3 / Phi-3.5 / Phi-4-mini LongRoPE,
GPT-J and CodeGen (`rotary_dim`), GPT-NeoX (`rotary_pct`), Falcon, Gemma 1-3
(Gemma 3: one spec per layer type), and the families in `_FAMILIES` whose
pairing or partial rotary differs from Llama's. `text_heads` gives the
query and key head counts the rope rotates.

The values are read as transformers computes them (`modeling_rope_utils`:
`_compute_*_parameters`, `standardize_rope_params`, the `_validate_*` checks):
HF's defaults apply where HF has one (`rope_theta` 10000, yarn `beta_fast` 32
/ `beta_slow` 1 / `original_max_position_embeddings` = `max_position_embeddings`,
the config classes' `partial_rotary_factor`), and everything else that HF
would read differently, or that the op cannot state, is a `ConfigError` that
names the key: a missing or `null` required value, a string or a fraction
where a number or an integer is needed, `"false"` where a JSON boolean is,
keys that the rope type does not use, and conventions this module does not
know (`rope_ratio`, ALiBi, ...). Where transformers 4 and 5 read a config
differently (LongRoPE's factor, `original_max_position_embeddings`), a
config on which they disagree is refused.
"""

import json
import math
import numbers
import os

from .spec import F32_MAX, RopeSpec


class ConfigError(ValueError):
    """A config that does not describe a rope this package supports."""


# The op's bounds (include/Rope/IR/RopeOps.h, RopeAttrs.td): head_dim at
# most 2^16; original_max_position an i64.
MAX_HEAD_DIM = 2 ** 16
I64_MAX = 2 ** 63 - 1


def _load(config):
    """The config as a dict: a dict itself, or the JSON object in the file at
    a path (str, bytes or os.PathLike)."""
    if isinstance(config, dict):
        return config
    if not isinstance(config, (str, bytes, os.PathLike)):
        raise TypeError("config must be a path to a config.json (str or os.PathLike) or a dict, got %s"
                        % type(config).__name__)
    with open(config) as f:
        try:
            cfg = json.load(f)
        except ValueError as e:
            raise ConfigError("%s is not JSON: %s" % (os.fsdecode(config), e)) from None
    if not isinstance(cfg, dict):
        raise ConfigError("a config must be a JSON object, got %r" % (type(cfg).__name__,))
    return cfg


def _text_part(cfg):
    text = cfg.get("text_config")
    if text is None:
        return cfg
    if not isinstance(text, dict):
        raise ConfigError("text_config must be an object, got %r" % (text,))
    return text


# ---------------------------------------------------------------------------
# Typed reads: every value is checked, nothing is coerced by truncation.
# ---------------------------------------------------------------------------

def _number(value, key, need="a finite number", ok=None):
    """A JSON number (not a boolean) that is finite and satisfies `ok`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError("%s must be %s, got %r" % (key, need, value))
    try:
        x = float(value)
    except OverflowError:
        raise ConfigError("%s must be %s, got %r" % (key, need, value)) from None
    if not math.isfinite(x) or (ok is not None and not ok(x)):
        raise ConfigError("%s must be %s, got %r" % (key, need, value))
    return x


def _integer(value, key, need="a positive integer", ok=lambda n: n > 0):
    """A JSON integer (a float only when it has no fraction, 4096.0)."""
    n = value
    if isinstance(n, float) and math.isfinite(n) and n.is_integer():
        n = int(n)
    if isinstance(n, bool) or not isinstance(n, int) or not ok(n):
        raise ConfigError("%s must be %s, got %r" % (key, need, value))
    return n


def _head_dim(value, key):
    n = _integer(value, key)
    if n > MAX_HEAD_DIM:
        raise ConfigError("%s must be at most 65536 (the op's head_dim bound), got %r" % (key, value))
    return n


def _position_count(value, key):
    """original_max_position_embeddings (or the max_position_embeddings
    standing in for it): the op stores it as an i64."""
    n = _integer(value, key)
    if n > I64_MAX:
        raise ConfigError("%s must be a positive integer below 2^63 (an i64), got %r" % (key, value))
    return n


def _boolean(value, key):
    if value is True or value is False:
        return value
    raise ConfigError("%s must be a JSON boolean (true or false), got %r" % (key, value))


def _given(*candidates):
    """The first of `(name, value)` whose value is not None, or (None, None);
    two given values that differ are a ConfigError (transformers versions
    disagree on which one wins)."""
    given = [(n, v) for n, v in candidates if v is not None]
    for n, v in given[1:]:
        if v != given[0][1]:
            raise ConfigError("%s = %r and %s = %r disagree; give one" % (given[0][0], given[0][1], n, v))
    return given[0] if given else (None, None)


def _either_key(obj, keys, read, disagree):
    """(key, value) of a setting `obj` may give under either of two `keys`:
    `read(key, raw)` checks a given raw value and returns what it means (None:
    as if not given). Both meaning different things is the ConfigError
    `disagree`, since transformers versions differ in which one they read; of
    two that agree, the second key is named. Neither given: (None, None)."""
    found = []
    for key in keys:
        raw = obj.get(key)
        if raw is None:
            continue
        value = read(key, raw)
        if value is not None:
            found.append((key, value))
    if len(found) == 2 and found[0][1] != found[1][1]:
        raise ConfigError(disagree)
    return found[-1] if found else (None, None)


# ---------------------------------------------------------------------------
# Families: what HF's modeling code does that a config.json does not say.
# ---------------------------------------------------------------------------

# model_type -> (pairing, default partial_rotary_factor): the families whose
# rotation differs from Llama's rotate_half over the whole head.
#   adjacent: modeling_glm / glm4 `apply_rotary_pos_emb` (rotate_half over
#     x[..., 0::2] / x[..., 1::2], cos and sin `repeat_interleave`d),
#     modeling_cohere / cohere2 (`repeat_interleave(freqs, 2)`), modeling_llama4
#     (`view_as_complex` of adjacent lanes): GPT-J pairs, in place.
#   The partial factors are the config classes' defaults (GlmConfig,
#   Glm4Config, Glm4MoeConfig, PhiConfig, StableLmConfig, PersimmonConfig,
#   GPTNeoXConfig's `rotary_pct`), which apply when config.json omits them.
_FAMILIES = {
    "glm": ("adjacent", 0.5),
    "glm4": ("adjacent", 0.5),
    "cohere": ("adjacent", 1.0),
    "cohere2": ("adjacent", 1.0),
    "llama4": ("adjacent", 1.0),
    "llama4_text": ("adjacent", 1.0),
    "glm4_moe": ("half", 0.5),
    "phi": ("half", 0.5),
    "stablelm": ("half", 0.25),
    "persimmon": ("half", 0.5),
    "gpt_neox": ("half", 0.25),
}

# GPT-J and CodeGen (modeling_gptj / modeling_codegen): sin and cos of
# `create_sinusoidal_positions(n_positions, rotary_dim)`, base 10000 written
# in the code, applied by `rotate_every_two` (GPT-J's adjacent pairs) to the
# first `rotary_dim` lanes of each head of n_embd / n_head lanes.
_GPTJ = ("gptj", "codegen")
# GPTJConfig / CodeGenConfig default rotary_dim.
_GPTJ_ROTARY_DIM = 64

# Config-class defaults HF applies to keys a config.json omits, for the
# families whose released configs rely on them: Gemma3TextConfig (the
# multimodal Gemma 3 checkpoints give only a few text keys), GemmaConfig and
# Gemma2Config's head_dim, Phi3Config's context lengths.
_CLASS_DEFAULTS = {
    "gemma3_text": {"head_dim": 256, "hidden_size": 2304, "num_attention_heads": 8, "num_key_value_heads": 4,
                    "rope_theta": 1000000.0, "rope_local_base_freq": 10000.0,
                    "max_position_embeddings": 131072},
    "gemma": {"head_dim": 256},
    "gemma2": {"head_dim": 256},
    "phi3": {"max_position_embeddings": 4096, "original_max_position_embeddings": 4096},
}
# The multimodal Gemma 3 config's text part is a Gemma3TextConfig.
_CLASS_DEFAULTS["gemma3"] = _CLASS_DEFAULTS["gemma3_text"]
_GEMMA3 = ("gemma3", "gemma3_text")
# HF's layer types (config.layer_types, rope_parameters' per-layer keys).
LAYER_TYPES = ("full_attention", "sliding_attention")

# Multi-head latent attention: RoPE runs on a separate `qk_rope_head_dim`
# slice of each head (q_pe / k_pe; HF's DeepseekV3Config sets head_dim =
# qk_rope_head_dim). deepseek_v3 pairs adjacent lanes when `rope_interleave`
# (default true) and rotate_half otherwise; deepseek_v2 (complex
# multiplication) and kimi_k2 (DeepSeek-V3's own modeling code) always pair
# adjacent lanes.
_MLA = {"deepseek_v3": "rope_interleave", "deepseek_v2": "adjacent", "kimi_k2": "adjacent"}

# Keys of other rotary conventions that this module does not read: accepting
# a config that has them would silently rotate the wrong lanes or by the
# wrong angles. (GPT-NeoX's rotary_pct / rotary_emb_base, DeepSeek's
# rope_interleave and qk_rope_head_dim are read for their own families.)
_FOREIGN_KEYS = {
    "rotary_dim": "GPT-J / CodeGen rotary_dim",
    "rotary_pct": "GPT-NeoX rotary_pct",
    "rotary_emb_base": "GPT-NeoX rotary_emb_base",
    "rotary_emb_fraction": "Nomic BERT rotary_emb_fraction",
    "rotary_emb_interleaved": "rotary_emb_interleaved",
    "rope_ratio": "ChatGLM rope_ratio",
    "rope_interleave": "rope_interleave",
    "qk_rope_head_dim": "MLA qk_rope_head_dim",
    "rope_local_base_freq": "a second rope for local layers (Gemma 3)",
}
# The foreign keys a family's own code reads.
_FAMILY_KEYS = {
    "gpt_neox": {"rotary_pct", "rotary_emb_base"},
    "gptj": {"rotary_dim"},
    "codegen": {"rotary_dim"},
    "gemma3": {"rope_local_base_freq"},
    "gemma3_text": {"rope_local_base_freq"},
}
# Model types whose rotary convention is not supported: ChatGLM's rope_ratio
# and half-rotary layout; Falcon's pre-HF remote-code configs (n_head,
# n_head_kv), which FalconConfig does not read; Gemma 3n, whose class
# defaults (rope_theta 1e6 for full layers, rope_local_base_freq 1e4 for
# sliding ones) would be missed by the generic default of 10000.
_REFUSED_TYPES = ("chatglm", "RefinedWeb", "RefinedWebModel", "gemma3n", "gemma3n_text")

# Keys a rope_scaling / rope_parameters dict may carry for each rope type
# (HF's `_validate_<type>_rope_parameters` required and optional keys, plus
# the multimodal ones), and keys HF's rope ignores.
_COMMON_KEYS = {"rope_type", "type", "rope_theta", "partial_rotary_factor", "mrope_section",
                "mrope_interleaved"}
_IGNORED_KEYS = {
    # Mistral / Ministral 3: a position-dependent scale of the queries in the
    # attention (outside RoPE); HF's rope does not read it.
    "llama_4_scaling_beta",
    # Unused by HF's rope; the post-scaling length is the top-level one.
    "max_position_embeddings",
}
_KIND_KEYS = {
    "default": set(),
    "linear": {"factor"},
    "dynamic": {"factor", "original_max_position_embeddings"},
    "yarn": {"factor", "original_max_position_embeddings", "attention_factor", "beta_fast",
             "beta_slow", "mscale", "mscale_all_dim", "truncate"},
    "llama3": {"factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"},
    "longrope": {"short_factor", "long_factor", "factor", "attention_factor", "original_max_position_embeddings"},
}


def _model_types(cfg, text):
    # A non-string type must not read as a plain (Llama-like) rope.
    for key, obj in (("model_type", cfg), ("text_config.model_type", text)):
        t = obj.get("model_type")
        if t is not None and not isinstance(t, str):
            raise ConfigError("%s must be a string, got %r" % (key, t))
    return [t for t in (text.get("model_type"), cfg.get("model_type")) if isinstance(t, str) and t]


def _family(types):
    for t in types:
        if t in _FAMILIES:
            return t
    return None


def _mrope_layout(types):
    """HF's fixed MRoPE layout per family: Qwen2-VL / Qwen2.5-VL
    (`apply_multimodal_rotary_pos_emb`) sections, Qwen3-VL / Qwen3.5
    (`apply_interleaved_mrope`, whatever mrope_interleaved says) interleaved."""
    for t in types:
        if t.startswith(("qwen2_vl", "qwen2_5_vl")):
            return "sequential"
        if t.startswith(("qwen3_vl", "qwen3_5")):
            return "interleaved"
    return None


def _rope_params(text, layer_type):
    """(params, name, nested): the rope dict, its key in the config, and
    whether it was the `layer_type` entry of transformers 5's per-layer form
    ({"full_attention": {...}, "sliding_attention": {...}}).

    transformers 5 replaces rope_parameters by rope_scaling when both are
    given and older versions read only rope_scaling: two that differ are
    an error rather than merged."""
    def read(name, value):
        if not isinstance(value, dict):
            raise ConfigError("%s must be an object, got %r" % (name, value))
        return value or None  # an empty dict is as if not given
    name, params = _either_key(text, ("rope_scaling", "rope_parameters"), read,
                               "rope_scaling and rope_parameters are both given and differ; give one")
    if name is None:
        return {}, "rope_parameters", False
    nested = sorted(k for k, v in params.items() if isinstance(v, dict))
    if not nested:
        return dict(params), name, False
    if len(nested) != len(params):
        raise ConfigError("%s mixes per-layer entries %s with other keys %s" % (
            name, nested, sorted(set(params) - set(nested))))
    if layer_type is None:
        raise ConfigError("%s has per-layer entries %s: one spec cannot state several ropes; pass "
                          "layer_type (one of %s)" % (name, nested, nested))
    layers = text.get("layer_types")
    if layers is not None and not (isinstance(layers, list) and set(nested) <= set(layers)):
        # transformers 5 reads the dict as per-layer only then.
        raise ConfigError("%s's per-layer keys %s are not all in layer_types %r" % (name, nested, layers))
    if layer_type not in params:
        raise ConfigError("layer_type %r is not among %s's per-layer entries %s" % (layer_type, name, nested))
    return dict(params[layer_type]), "%s.%s" % (name, layer_type), True


# ---------------------------------------------------------------------------
# Scaling (SPEC R4) as HF's _compute_<type>_parameters reads it.
# ---------------------------------------------------------------------------

def _factor(params, src, kind):
    if "factor" not in params:
        raise ConfigError("%s.factor is missing: rope_type %r needs it" % (src, kind))
    # HF's _validate_*_rope_parameters: "factor field must be a float or int >= 1".
    return _number(params["factor"], src + ".factor", "a number >= 1", lambda x: x >= 1.0)


def _original_max(params, src, text, kind, fallback):
    """original_max_position_embeddings of yarn / llama3.

    transformers 5's standardize_rope_params prefers a top-level value,
    older versions read only the rope dict: a top-level value must agree
    with the dict's. Without either, yarn falls back to
    max_position_embeddings (both versions); llama3 needs it."""
    key = src + ".original_max_position_embeddings"
    inner = params.get("original_max_position_embeddings")
    top = text.get("original_max_position_embeddings")
    if top is not None:
        top = _position_count(top, "original_max_position_embeddings")
        if inner is None:
            raise ConfigError("original_max_position_embeddings = %d is given at the top level but not "
                              "in %s: transformers versions read it differently; put it in %s"
                              % (top, src, src))
    if inner is not None:
        inner = _position_count(inner, key)
        if top is not None and top != inner:
            raise ConfigError("original_max_position_embeddings = %d disagrees with %s = %d"
                              % (top, key, inner))
        return inner
    if not fallback:
        raise ConfigError("%s is missing: rope_type %r needs it" % (key, kind))
    return _position_count(text.get("max_position_embeddings"), "max_position_embeddings")


def _get_mscale(scale, mscale=1.0):
    # HF's get_mscale (modeling_rope_utils._compute_yarn_parameters) and
    # DeepSeek's yarn_get_mscale.
    if scale <= 1:
        return 1.0
    return 0.1 * mscale * math.log(scale) + 1.0


def _yarn(params, src, text, rotary_dim, theta):
    """(scaling, attention_factor or None when the op's default is HF's)."""
    factor = _factor(params, src, "yarn")
    original = _original_max(params, src, text, "yarn", fallback=True)
    betas = {}
    for key, default in (("beta_fast", 32.0), ("beta_slow", 1.0)):
        value = params.get(key)
        # HF: `rope_parameters.get(key) or default`; a 0 would also read as
        # the default there, so it is refused rather than guessed.
        betas[key] = default if value is None else _number(
            value, "%s.%s" % (src, key), "a positive number (omit it for HF's default %g)" % default,
            lambda x: x > 0)
    truncate = params.get("truncate")
    if truncate is not None and not _boolean(truncate, src + ".truncate"):
        raise ConfigError("%s.truncate = false (an unrounded correction range, as gpt-oss uses) is not "
                          "expressible in #rope.yarn (SPEC R4 floors and ceils it)" % src)
    # SPEC R4 / HF's find_correction_range: an empty range (hi < lo) makes
    # HF's ramp divide by a negative width where R4 clamps it: refused.
    def corr(n):
        return rotary_dim * math.log(original / (2 * math.pi * n)) / (2 * math.log(theta))
    lo = max(math.floor(corr(betas["beta_fast"])), 0)
    hi = min(math.ceil(corr(betas["beta_slow"])), rotary_dim - 1)
    if hi < lo:
        raise ConfigError("yarn correction range is empty (low %d > high %d for beta_fast %g, beta_slow %g, "
                          "original_max_position_embeddings %d): HF's ramp and SPEC R4 differ there" % (
                              lo, hi, betas["beta_fast"], betas["beta_slow"], original))
    scaling = {"kind": "yarn", "factor": factor, "original_max_position": original,
               "beta_fast": betas["beta_fast"], "beta_slow": betas["beta_slow"]}

    explicit = params.get("attention_factor")
    if explicit is not None:
        # HF: an explicit attention_factor wins over mscale / mscale_all_dim.
        # The op holds it to f32 (cos and sin are scaled in f32).
        return scaling, _number(explicit, src + ".attention_factor", "a positive number at most %r" % F32_MAX,
                                lambda x: 0 < x <= F32_MAX)
    mscale, mscale_all_dim = params.get("mscale"), params.get("mscale_all_dim")
    if mscale is not None:
        mscale = _number(mscale, src + ".mscale", "a number >= 0", lambda x: x >= 0)
    if mscale_all_dim is not None:
        mscale_all_dim = _number(mscale_all_dim, src + ".mscale_all_dim", "a number >= 0", lambda x: x >= 0)
    # HF (_compute_yarn_parameters): get_mscale(factor, mscale) /
    # get_mscale(factor, mscale_all_dim) when both are non-zero, else
    # get_mscale(factor) = 0.1 ln(factor) + 1 (the op's default, factor >= 1).
    if mscale and mscale_all_dim:
        hf = float(_get_mscale(factor, mscale) / _get_mscale(factor, mscale_all_dim))
    else:
        hf = _get_mscale(factor)
    # DeepSeek's own code divides the two with defaults mscale = 1,
    # mscale_all_dim = 0, which differs from HF when only one is given.
    deepseek = _get_mscale(factor, 1.0 if mscale is None else mscale) / _get_mscale(
        factor, 0.0 if mscale_all_dim is None else mscale_all_dim)
    if hf != deepseek:
        raise ConfigError("%s.mscale = %r and mscale_all_dim = %r give attention factor %r in HF but %r "
                          "in DeepSeek's code; give both or neither"
                          % (src, mscale, mscale_all_dim, hf, deepseek))
    if not (hf > 0 and math.isfinite(hf)):
        raise ConfigError("yarn attention factor %r from mscale %r / mscale_all_dim %r must be positive" % (
            hf, mscale, mscale_all_dim))
    default = 0.1 * math.log(factor) + 1.0
    return scaling, (None if hf == default else hf)


def _factor_list(params, key, src, pairs):
    """LongRoPE's short_factor / long_factor: one positive number per pair
    (HF divides the inverse frequencies by them)."""
    name = "%s.%s" % (src, key)
    values = params.get(key)
    if values is None:
        raise ConfigError("%s is missing: rope_type 'longrope' needs it" % name)
    if not isinstance(values, list):
        raise ConfigError("%s must be a list of numbers, got %r" % (name, values))
    factors = [_number(v, "%s[%d]" % (name, i), "a positive number with a finite reciprocal",
                       lambda x: x > 0 and math.isfinite(1.0 / x)) for i, v in enumerate(values)]
    if len(factors) != pairs:
        raise ConfigError("%s has %d entries; the rotary dim has %d pairs" % (name, len(factors), pairs))
    return factors


def _longrope(params, src, text, rotary_dim, seq_len):
    """(scaling, attention factor or None, max_position or None) of
    LongRoPE (Phi-3, Phi-3.5, Phi-4-mini), as HF's _compute_longrope_parameters and the longrope
    branch of dynamic_rope_update give them for a forward call whose
    max(position_ids) + 1 is seq_len.

    The context length L0 against which seq_len is compared, and the factor
    of the default attention factor sqrt(1 + ln(factor) / ln(L0)):
    - transformers 4: L0 is the top-level original_max_position_embeddings
      (Phi3Config's default 4096 for phi3) and factor = max_position_embeddings
      / L0, whatever rope_scaling says; without a top-level one, L0 is
      max_position_embeddings and factor is rope_scaling.factor.
    - transformers 5 (standardize_rope_params): L0 is the top-level value,
      else rope_scaling's, else max_position_embeddings; factor is
      rope_scaling.factor, else max_position_embeddings / L0.
    Configs on which they disagree are refused."""
    pairs = rotary_dim // 2
    short = _factor_list(params, "short_factor", src, pairs)
    long = _factor_list(params, "long_factor", src, pairs)
    max_pos = _position_count(text.get("max_position_embeddings"), "max_position_embeddings")
    factor = params.get("factor")
    if factor is not None:
        factor = _number(factor, src + ".factor", "a positive number", lambda x: x > 0)
    inner = params.get("original_max_position_embeddings")
    if inner is not None:
        inner = _position_count(inner, src + ".original_max_position_embeddings")
    top = text.get("original_max_position_embeddings")
    if top is not None:
        original = _position_count(top, "original_max_position_embeddings")
        if inner is not None and inner != original:
            raise ConfigError("original_max_position_embeddings = %d disagrees with %s.original_max_position_"
                              "embeddings = %d" % (original, src, inner))
        ratio = max_pos / original
        if factor is not None and factor != ratio:
            raise ConfigError("%s.factor = %r, but max_position_embeddings / original_max_position_embeddings "
                              "= %d / %d = %r: transformers 4 uses the ratio, 5 the factor; give one or make "
                              "them agree" % (src, factor, max_pos, original, ratio))
        factor = ratio
    else:
        if inner is not None and inner != max_pos:
            raise ConfigError("%s.original_max_position_embeddings = %d without a top-level one: transformers 4 "
                              "reads max_position_embeddings (%d) instead, 5 this value; give it at the top "
                              "level as Phi-3 does" % (src, inner, max_pos))
        original = max_pos
    attention = params.get("attention_factor")
    if attention is not None:
        attention = _number(attention, src + ".attention_factor", "a positive number at most %r" % F32_MAX,
                            lambda x: 0 < x <= F32_MAX)
    elif factor is None:
        raise ConfigError("%s.factor is missing (and there is no top-level original_max_position_embeddings "
                          "or attention_factor): transformers 4 then fails, 5 uses an attention factor of 1"
                          % src)
    elif factor <= 1.0:
        attention = 1.0
    elif original < 2:
        raise ConfigError("original_max_position_embeddings = %d: HF's attention factor divides by its log"
                          % original)
    else:
        attention = math.sqrt(1 + math.log(factor) / math.log(original))
    if seq_len is None:
        raise ConfigError("seq_len is missing: a longrope config (%s) rotates with its long_factor when the "
                          "call's max(position_ids) + 1 exceeds original_max_position_embeddings = %d and "
                          "with its short_factor otherwise (HF's dynamic_rope_update); pass text_spec(config, "
                          "seq_len=...)" % (src, original))
    if seq_len > original:
        return {"kind": "freq_factors", "factors": long}, (None if attention == 1.0 else attention), None
    # HF switches to the long factors once a call's positions reach L0.
    return {"kind": "freq_factors", "factors": short}, (None if attention == 1.0 else attention), original - 1


def _scaling(kind, params, src, text, rotary_dim, theta):
    """(scaling dict or None, attention factor or None) of every rope type
    but longrope (_longrope)."""
    if kind == "default":
        return None, None
    if kind == "linear":
        return {"kind": "linear", "factor": _factor(params, src, kind)}, None
    if kind == "dynamic":
        # HF's _compute_dynamic_ntk_parameters grows theta past
        # config.max_position_embeddings; it does not read
        # original_max_position_embeddings, so one that differs is refused.
        factor = _factor(params, src, kind)
        l0 = _position_count(text.get("max_position_embeddings"), "max_position_embeddings")
        inner = params.get("original_max_position_embeddings")
        if inner is not None and _position_count(inner, src + ".original_max_position_embeddings") != l0:
            raise ConfigError("%s.original_max_position_embeddings = %r: HF's dynamic rope scales from "
                              "max_position_embeddings = %d instead" % (src, inner, l0))
        return {"kind": "dynamic_ntk", "factor": factor, "original_max_position": l0}, None
    if kind == "yarn":
        return _yarn(params, src, text, rotary_dim, theta)
    if kind == "llama3":
        # HF's _compute_llama3_parameters indexes all four: no defaults.
        factor = _factor(params, src, kind)
        found = {}
        for key in ("low_freq_factor", "high_freq_factor"):
            if key not in params:
                raise ConfigError("%s.%s is missing: rope_type 'llama3' needs it" % (src, key))
            found[key] = _number(params[key], "%s.%s" % (src, key), "a positive number", lambda x: x > 0)
        # Llama 4 sets both to 1: no smoothed band, as in HF.
        if not found["high_freq_factor"] >= found["low_freq_factor"]:
            raise ConfigError("%s.high_freq_factor (%r) must not be below low_freq_factor (%r)" % (
                src, found["high_freq_factor"], found["low_freq_factor"]))
        original = _original_max(params, src, text, kind, fallback=False)
        return {"kind": "llama3", "factor": factor, "low_freq_factor": found["low_freq_factor"],
                "high_freq_factor": found["high_freq_factor"], "original_max_position": original}, None
    raise ConfigError("unsupported rope_type %r" % (kind,))


# ---------------------------------------------------------------------------
# Specs
# ---------------------------------------------------------------------------

def _rope_type(params, src, types):
    """HF: `rope_type`, else the older `type`, else "default"; Qwen2-VL's
    "mrope" is the default rope. Two that disagree are refused.

    Phi3Config._rope_scaling_adjustment renames an old `type` "su" or "yarn"
    (Phi-3's first 128k configs) to "longrope"; no other config class knows
    "su", and "yarn" elsewhere is YaRN."""
    phi3 = "phi3" in types

    def read(key, value):
        if not isinstance(value, str):
            raise ConfigError("%s.%s must be a string, got %r" % (src, key, value))
        if value == "mrope":
            return "default"
        if phi3 and key == "type" and value in ("su", "yarn"):
            return "longrope"
        if value == "su":
            raise ConfigError("%s.%s = 'su' (Phi-3's old name for longrope) is renamed only by HF's Phi-3 "
                              "config (model_type phi3, key 'type'); give rope_type 'longrope'" % (src, key))
        return value
    _, kind = _either_key(params, ("rope_type", "type"), read,
                          "%s.rope_type %r and %s.type %r disagree"
                          % (src, params.get("rope_type"), src, params.get("type")))
    return "default" if kind is None else kind


def _theta(cfg, text, params, src, neox, nested):
    if nested and params.get("rope_theta") is not None:
        # transformers 5: a per-layer entry's rope_theta wins (setdefault).
        name, theta = src + ".rope_theta", params["rope_theta"]
    else:
        name, theta = _given((src + ".rope_theta", params.get("rope_theta")),
                             ("rope_theta", text.get("rope_theta")),
                             ("rotary_emb_base", text.get("rotary_emb_base") if neox else None))
    if theta is None and text is not cfg:
        name, theta = "rope_theta", cfg.get("rope_theta")
    if theta is None:
        return 10000.0  # HF's RotaryEmbeddingConfigMixin.default_theta
    return _number(theta, name or "rope_theta", "a number above 1", lambda x: x > 1)


def _mla_dims(text, types, src, params):
    """(head_dim, rotary_dim, pairing) of an MLA model's rope part."""
    mla = next((t for t in types if t in _MLA), None)
    if mla is None:
        raise ConfigError("qk_rope_head_dim (multi-head latent attention) of model_type %r is not supported; "
                          "known: %s" % (types[0] if types else None, sorted(_MLA)))
    dim = _integer(text.get("qk_rope_head_dim"), "qk_rope_head_dim", "a positive even integer at most 65536",
                   lambda n: 0 < n <= MAX_HEAD_DIM and n % 2 == 0)
    _, factor = _given((src + ".partial_rotary_factor", params.get("partial_rotary_factor")),
                       ("partial_rotary_factor", text.get("partial_rotary_factor")))
    if factor is not None and factor != 1:
        raise ConfigError("partial_rotary_factor %r with qk_rope_head_dim: the rope part is already "
                          "qk_rope_head_dim lanes" % (factor,))
    interleave = text.get("rope_interleave")
    if _MLA[mla] == "rope_interleave":
        # DeepseekV3Config(rope_interleave=True): apply_rotary_pos_emb_interleave
        # rotates (x[2i], x[2i+1]) by pair i's angle -- our `adjacent` pairing --
        # but writes the rotated pairs de-interleaved (all first lanes, then all
        # second lanes), HF's q_rot = view(d // 2, 2).transpose. q and k are
        # permuted alike, so every q.k (the attention) is the same as with the
        # in-place rotation of DeepSeek's own code, vLLM and this op.
        pairing = "adjacent" if (interleave is None or _boolean(interleave, "rope_interleave")) else "half"
    else:
        if interleave is not None and not _boolean(interleave, "rope_interleave"):
            raise ConfigError("rope_interleave = false: %s's code always pairs adjacent lanes" % mla)
        pairing = "adjacent"
    return dim, dim, pairing


def _dims(text, family, src, params):
    """(head_dim, rotary_dim, pairing) of an ordinary attention head."""
    if text.get("head_dim") is not None:
        head_dim = _head_dim(text["head_dim"], "head_dim")
    else:
        hidden = _integer(text.get("hidden_size"), "hidden_size")
        heads = _integer(text.get("num_attention_heads"), "num_attention_heads")
        if hidden % heads:
            raise ConfigError("hidden_size %d is not a multiple of num_attention_heads %d" % (hidden, heads))
        head_dim = _head_dim(hidden // heads, "head_dim (hidden_size %d / num_attention_heads %d)"
                             % (hidden, heads))
    pairing, default_factor = _FAMILIES.get(family, ("half", 1.0))
    name, factor = _given((src + ".partial_rotary_factor", params.get("partial_rotary_factor")),
                          ("partial_rotary_factor", text.get("partial_rotary_factor")),
                          ("rotary_pct", text.get("rotary_pct") if family == "gpt_neox" else None))
    if factor is None:
        name, factor = "partial_rotary_factor", default_factor
    factor = _number(factor, name, "a number in (0, 1]", lambda x: 0 < x <= 1)
    # HF: dim = int(head_dim * partial_rotary_factor), truncated.
    rotary_dim = int(head_dim * factor)
    if rotary_dim < 2 or rotary_dim % 2:
        raise ConfigError("rotary dim %d (int(head_dim %d * partial_rotary_factor %r)) must be even and "
                          "at least 2" % (rotary_dim, head_dim, factor))
    return head_dim, rotary_dim, pairing


def _axes(text, types, params, src, rotary_dim):
    section = params.get("mrope_section")
    if section is None:
        return None
    key = src + ".mrope_section"
    if not isinstance(section, list) or not section:
        raise ConfigError("%s must be a list of positive integers, got %r" % (key, section))
    section = [_integer(s, key, "a list of positive integers") for s in section]
    if sum(section) != rotary_dim // 2:
        raise ConfigError("mrope_section %r sums to %d, but the rotary dim %d has %d pairs" % (
            section, sum(section), rotary_dim, rotary_dim // 2))
    name, flag = _given((src + ".mrope_interleaved", params.get("mrope_interleaved")),
                        ("mrope_interleaved", text.get("mrope_interleaved")))
    if flag is not None:
        flag = _boolean(flag, name)
    layout = _mrope_layout(types)
    if layout is None:
        if types:
            raise ConfigError("mrope_section for model_type %r: only the Qwen2-VL, Qwen2.5-VL, Qwen3-VL and "
                              "Qwen3.5 layouts are known" % (types[0],))
        layout = "interleaved" if flag else "sequential"
    elif flag is not None and flag != (layout == "interleaved"):
        raise ConfigError("%s = %s, but HF's %s code applies %s MRoPE" % (
            name, json.dumps(flag), types[0], layout))
    if layout == "interleaved" and len(section) != 3:
        raise ConfigError("interleaved MRoPE needs 3 sections, got %r" % (section,))
    return (layout, section)


def _seq_len(seq_len):
    """text_spec's seq_len: None or a positive integer (not a bool)."""
    if seq_len is None:
        return None
    if isinstance(seq_len, bool) or not isinstance(seq_len, numbers.Integral):
        raise TypeError("seq_len must be an integer (max(position_ids) + 1 of the call), got %r" % (seq_len,))
    if seq_len < 1:
        raise ValueError("seq_len must be positive, got %d" % seq_len)
    return int(seq_len)


def _prepare(config):
    """(cfg, text part with HF's class defaults filled in, model types),
    refusing what no spec of this module describes."""
    cfg = _load(config)
    raw = _text_part(cfg)
    types = _model_types(cfg, raw)
    refused = [t for t in types if t in _REFUSED_TYPES]
    if refused:
        raise ConfigError("model_type %r: its rotary convention is not supported" % (refused[0],))
    text = dict(raw)
    for t in types:
        for key, value in _CLASS_DEFAULTS.get(t, {}).items():
            text.setdefault(key, value)
    alibi = text.get("alibi")
    if alibi is not None and _boolean(alibi, "alibi"):
        # FalconConfig.rotary is `not alibi`: an ALiBi model has no rope.
        raise ConfigError("alibi = true: this model adds ALiBi biases to its attention and has no rotary "
                          "position embedding")
    return cfg, text, types


def _gptj_spec(text, model_type):
    """GPT-J / CodeGen: adjacent pairs on the first rotary_dim lanes, base
    10000, no scaling (HF's code reads no rope_theta or rope_scaling)."""
    for key in ("rope_theta", "rope_scaling", "rope_parameters", "partial_rotary_factor"):
        if text.get(key) is not None:
            raise ConfigError("%s = %r: HF's %s code does not read it (base 10000, rotary_dim lanes, no "
                              "scaling)" % (key, text[key], model_type))
    rotary = text.get("rotary")
    if rotary is not None and not _boolean(rotary, "rotary"):
        raise ConfigError("rotary = false: HF's %s code ignores it and rotates anyway" % model_type)
    hidden, heads = _gptj_sizes(text)
    if hidden % heads:
        raise ConfigError("n_embd %d is not a multiple of n_head %d" % (hidden, heads))
    head_dim = _head_dim(hidden // heads, "head_dim (n_embd %d / n_head %d)" % (hidden, heads))
    if "rotary_dim" in text and text["rotary_dim"] is None:
        raise ConfigError("rotary_dim is null: HF's %s code then builds sin and cos for n_embd lanes, "
                          "which do not fit a head" % model_type)
    rotary_dim = _integer(text.get("rotary_dim", _GPTJ_ROTARY_DIM), "rotary_dim",
                          "an even integer in [2, head_dim %d]" % head_dim,
                          lambda n: 2 <= n <= head_dim and n % 2 == 0)
    return RopeSpec(head_dim=head_dim, rotary_dim=rotary_dim, theta=10000.0, pairing="adjacent")


def _gptj_sizes(text):
    """(n_embd, n_head): GPTJConfig / CodeGenConfig's attribute_map lets
    hidden_size and num_attention_heads stand for them."""
    def one(short, long):
        def read(key, raw):
            return _integer(raw, key)
        key, value = _either_key(text, (short, long), read, "%s = %r and %s = %r disagree" % (
            short, text.get(short), long, text.get(long)))
        if key is None:
            raise ConfigError("%s (or %s) is missing" % (short, long))
        return value
    return one("n_embd", "hidden_size"), one("n_head", "num_attention_heads")


def _check_layer_type(text, layer_type):
    """layer_type: None, or one of HF's layer types (and of the config's
    layer_types when it lists them)."""
    if layer_type is not None and layer_type not in LAYER_TYPES:
        raise ConfigError("layer_type must be one of %s, got %r" % (LAYER_TYPES, layer_type))
    layers = text.get("layer_types")
    if layer_type is not None and isinstance(layers, list) and layer_type not in layers:
        raise ConfigError("layer_type %r is not in this config's layer_types" % (layer_type,))


def _layer_rope(text, types, layer_type):
    """(params, src, nested, theta override (name, value) or None) of the
    layer type asked for.

    Gemma 3 (Gemma3TextModel, transformers 4) rotates its sliding-window
    layers with theta = rope_local_base_freq and no scaling
    (rotary_emb_local), its full-attention layers with rope_theta and
    rope_scaling (rotary_emb); transformers 5 writes the two as per-layer
    rope_parameters, which _rope_params selects."""
    _check_layer_type(text, layer_type)
    params, src, nested = _rope_params(text, layer_type)
    if nested or not any(t in _GEMMA3 for t in types):
        return params, src, nested, None
    local = text["rope_local_base_freq"]
    if layer_type is None:
        raise ConfigError("rope_local_base_freq = %r: Gemma 3's sliding-window layers rotate with that base "
                          "and no scaling, its full-attention layers with rope_theta and rope_scaling; one "
                          "spec cannot state both: pass layer_type='sliding_attention' or 'full_attention'"
                          % (local,))
    if layer_type == "sliding_attention":
        return {}, src, False, ("rope_local_base_freq", local)
    return params, src, False, None


def text_spec(config, seq_len=None, layer_type=None):
    """The RopeSpec of a model's text attention, from a config.json path or
    dict.

    seq_len: LongRoPE (Phi-3, Phi-3.5, Phi-4-mini: rope_type "longrope", or
    Phi-3's old "su") switches between two factor lists with the length of
    each forward call: HF rotates with long_factor when max(position_ids) + 1
    of the call exceeds original_max_position_embeddings and with
    short_factor otherwise. Pass that max(position_ids) + 1 as seq_len; a
    longrope config without it raises ConfigError. The short spec has
    max_position = original_max_position_embeddings - 1: kernels refuse
    positions past it (HF would switch to long_factor there). Other rope
    types do not depend on seq_len (dynamic NTK's length is the kernel's
    run-time argument).

    layer_type: "full_attention" or "sliding_attention", for models whose
    layer types rotate differently (Gemma 3's rope_local_base_freq,
    transformers 5's per-layer rope_parameters); those raise ConfigError
    without it. A config with one rope accepts either (checked against its
    layer_types when it lists them).

    For MLA models (DeepSeek-V2/V3, Kimi K2) the spec is the rope part of
    each head, `qk_rope_head_dim` lanes (q_pe / k_pe), as HF rotates it.
    DeepSeek's attention also multiplies its softmax scale by
    `yarn_get_mscale(factor, mscale_all_dim) ** 2`; that belongs to the
    attention, not to RoPE, and is not in the spec.
    """
    seq_len = _seq_len(seq_len)
    if layer_type is not None and not isinstance(layer_type, str):
        raise TypeError("layer_type must be a string, got %r" % (layer_type,))
    cfg, text, types = _prepare(config)
    gptj = next((t for t in types if t in _GPTJ), None)
    family = gptj or _family(types)
    mla = "qk_rope_head_dim" in text
    allowed = set().union(*(_FAMILY_KEYS.get(t, set()) for t in types))
    for key, what in _FOREIGN_KEYS.items():
        if key not in text or key in allowed:
            continue
        if key in ("qk_rope_head_dim", "rope_interleave") and mla:
            continue
        raise ConfigError("%s (%s) is not read by rope_mlir: this config's rope is not supported"
                          % (key, what))
    if gptj:
        _check_layer_type(text, layer_type)
        return _gptj_spec(text, gptj)

    params, src, nested, theta_from = _layer_rope(text, types, layer_type)
    if theta_from is not None:
        theta = _number(theta_from[1], theta_from[0], "a number above 1", lambda x: x > 1)
    else:
        theta = _theta(cfg, text, params, src, family == "gpt_neox", nested)
    if mla:
        head_dim, rotary_dim, pairing = _mla_dims(text, types, src, params)
    else:
        head_dim, rotary_dim, pairing = _dims(text, family, src, params)
    axes = _axes(text, types, params, src, rotary_dim)

    kind = _rope_type(params, src, types)
    if kind not in _KIND_KEYS:
        raise ConfigError("unsupported rope_type %r" % (kind,))
    if family in ("llama4", "llama4_text") and text.get("rope_scaling") and kind != "llama3":
        # Llama4TextRotaryEmbedding: rope_type = "llama3" whenever rope_scaling is given.
        raise ConfigError("rope_scaling.rope_type %r: HF's Llama 4 code applies llama3 scaling "
                          "whatever the type says" % (kind,))
    unused = sorted(set(params) - _COMMON_KEYS - _IGNORED_KEYS - _KIND_KEYS[kind])
    if unused:
        raise ConfigError("%s has keys %s that rope_type %r does not use (HF ignores them)"
                          % (src, unused, kind))
    if kind == "longrope":
        scaling, attention, max_position = _longrope(params, src, text, rotary_dim, seq_len)
    else:
        (scaling, attention), max_position = _scaling(kind, params, src, text, rotary_dim, theta), None
    return RopeSpec(head_dim=head_dim, rotary_dim=rotary_dim, theta=theta, pairing=pairing,
                    axes=axes, scaling=scaling, attention_factor=attention, max_position=max_position)


def text_heads(config):
    """(q_heads, k_heads): how many query and key heads the text rope
    rotates, to size RopeKernel(spec, q_heads=..., k_heads=...) for
    text_spec(config)'s head_dim.

    Read as HF's modeling code reads them: num_attention_heads and
    num_key_value_heads (default: num_attention_heads), with the config
    classes' defaults (Gemma 3's sparse text configs); GPT-J and CodeGen's
    n_head (every head is a key head); Falcon's num_kv_heads when
    new_decoder_architecture, else 1 with multi_query (the default), else
    num_kv_heads; MLA models (DeepSeek-V2/V3, Kimi K2) rotate one shared
    k_pe head, broadcast to all heads after the rotation, so k_heads is 1
    whatever num_key_value_heads says. A missing or non-integer count, or
    query heads that are not a multiple of the key heads, is a ConfigError
    naming the key.
    """
    _, text, types = _prepare(config)
    if any(t in _GPTJ for t in types):
        _, heads = _gptj_sizes(text)
        return heads, heads
    for alias in ("n_head", "num_heads", "n_heads", "n_head_kv"):
        if alias in text:
            raise ConfigError("%s is not read by HF's %s config (it reads num_attention_heads and "
                              "num_key_value_heads)" % (alias, types[0] if types else "Llama-like"))
    heads = _integer(text.get("num_attention_heads"), "num_attention_heads")
    if "qk_rope_head_dim" in text:
        return heads, 1
    if "falcon" in types:
        new = _boolean(text.get("new_decoder_architecture", False), "new_decoder_architecture")
        multi = _boolean(text.get("multi_query", True), "multi_query")
        kv_key, kv = "num_kv_heads", text.get("num_kv_heads")
        if "num_key_value_heads" in text:
            raise ConfigError("num_key_value_heads is not read by HF's Falcon config (num_kv_heads is)")
        if not new and multi:
            return heads, 1
    else:
        kv_key, kv = "num_key_value_heads", text.get("num_key_value_heads")
    kv = heads if kv is None else _integer(kv, kv_key)
    if "gpt_neox" in types and kv != heads:
        raise ConfigError("%s = %d: HF's GPT-NeoX attention has as many key heads as heads (%d)"
                          % (kv_key, kv, heads))
    if heads % kv:
        raise ConfigError("num_attention_heads %d is not a multiple of %s %d" % (heads, kv_key, kv))
    return heads, kv


def vision_spec(config):
    """The 2D RoPE of the ViT (Qwen2-VL, Qwen2.5-VL, Qwen3-VL): per-axis
    spectrum, theta 1e4, half of the head's pairs for h and half for w."""
    cfg = _load(config)
    vision = cfg.get("vision_config")
    if vision is None:
        raise ConfigError("config has no vision_config")
    if not isinstance(vision, dict):
        raise ConfigError("vision_config must be an object, got %r" % (vision,))
    width = vision.get("embed_dim", vision.get("hidden_size"))
    heads = vision.get("num_heads", vision.get("num_attention_heads"))
    width = _integer(width, "vision hidden size")
    heads = _integer(heads, "vision num_heads")
    if width % heads:
        raise ConfigError("vision hidden size %d is not a multiple of num_heads %d" % (width, heads))
    head_dim = _head_dim(width // heads, "vision head_dim (hidden size %d / num_heads %d)" % (width, heads))
    if head_dim % 4:
        raise ConfigError("vision head_dim %d must be a multiple of 4 for 2D RoPE" % head_dim)
    per_axis = head_dim // 4
    return RopeSpec(head_dim=head_dim, rotary_dim=head_dim, theta=10000.0, pairing="half",
                    axes=("sequential", [per_axis, per_axis]), per_axis=True)


def model_family(config):
    """The positions family of a config (path or dict) for
    positions.rope_index: "qwen2_vl", "qwen2_5_vl", "qwen3_vl", "qwen3_5" or
    "llama"; ConfigError for any other model_type."""
    cfg = _load(config)
    model_type = cfg.get("model_type", "")
    families = {"qwen2_vl": "qwen2_vl", "qwen2_5_vl": "qwen2_5_vl", "qwen3_vl": "qwen3_vl",
                "qwen3_vl_moe": "qwen3_vl", "llama": "llama"}
    if model_type in families:
        return families[model_type]
    if isinstance(model_type, str) and model_type.startswith("qwen3_5"):
        return "qwen3_5"
    raise ConfigError("unknown model_type %r" % (model_type,))


def _vision_part(cfg):
    vision = cfg.get("vision_config")
    if vision is None:
        return {}
    if not isinstance(vision, dict):
        raise ConfigError("vision_config must be an object, got %r" % (vision,))
    return vision


def tokens_per_second(config):
    """The vision config's tokens_per_second (Qwen2.5-VL temporal
    positions; HF's default 2), checked positive."""
    cfg = _load(config)
    vision = _vision_part(cfg)
    value = vision.get("tokens_per_second", cfg.get("tokens_per_second", 2))
    _number(value, "tokens_per_second", "a positive number", lambda x: x > 0)
    return value


def spatial_merge_size(config):
    """The vision config's spatial_merge_size (patches merged per side
    into one token; HF's default 2)."""
    cfg = _load(config)
    vision = _vision_part(cfg)
    return _integer(vision.get("spatial_merge_size", 2), "spatial_merge_size")


__all__ = ["ConfigError", "text_spec", "text_heads", "vision_spec", "model_family", "tokens_per_second",
           "spatial_merge_size", "LAYER_TYPES"]
