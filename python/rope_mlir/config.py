"""Rope specs straight from HuggingFace `config.json` files.

Reads `rope_theta`, `rope_parameters` (transformers 5) or `rope_scaling`,
`mrope_section`, `mrope_interleaved`, `partial_rotary_factor` and `head_dim`
of the text part, and the vision part's head size for its 2D RoPE (SPEC R2).
Covers Qwen2-VL, Qwen2.5-VL, Qwen3-VL, Qwen3.5, Llama-3.1, DeepSeek-V2/V3
(MLA: the rope part of each head), and the families in `_FAMILIES` whose
pairing or partial rotary differs from Llama's.

The values are read as transformers computes them (`modeling_rope_utils`:
`_compute_*_parameters`, `standardize_rope_params`, the `_validate_*` checks):
HF's defaults apply where HF has one (`rope_theta` 10000, yarn `beta_fast` 32
/ `beta_slow` 1 / `original_max_position_embeddings` = `max_position_embeddings`,
the config classes' `partial_rotary_factor`), and everything else that HF
would read differently, or that the op cannot state, is a `ConfigError` that
names the key: a missing or `null` required value, a string or a fraction
where a number or an integer is needed, `"false"` where a JSON boolean is,
keys that the rope type does not use, and conventions this module does not
know (`rotary_dim`, `rope_ratio`, per-layer rope, ...).
"""

import json
import math
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


def _rope_params(text):
    """(params, name): the rope dict and its key in the config.

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
        return {}, "rope_parameters"
    nested = sorted(k for k, v in params.items() if isinstance(v, dict))
    if nested:
        raise ConfigError("%s has per-layer entries %s: one spec cannot state several ropes" % (name, nested))
    return dict(params), name


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


def _scaling(kind, params, src, text, rotary_dim, theta):
    """(scaling dict or None, attention factor or None)."""
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

def _rope_type(params, src):
    """HF: `rope_type`, else the older `type`, else "default"; Qwen2-VL's
    "mrope" is the default rope. Two that disagree are refused."""
    def read(key, value):
        if not isinstance(value, str):
            raise ConfigError("%s.%s must be a string, got %r" % (src, key, value))
        return "default" if value == "mrope" else value
    _, kind = _either_key(params, ("rope_type", "type"), read,
                          "%s.rope_type %r and %s.type %r disagree"
                          % (src, params.get("rope_type"), src, params.get("type")))
    return "default" if kind is None else kind


def _theta(cfg, text, params, src, neox):
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


def text_spec(config):
    """The RopeSpec of a model's text attention.

    For MLA models (DeepSeek-V2/V3, Kimi K2) the spec is the rope part of
    each head, `qk_rope_head_dim` lanes (q_pe / k_pe), as HF rotates it.
    DeepSeek's attention also multiplies its softmax scale by
    `yarn_get_mscale(factor, mscale_all_dim) ** 2`; that belongs to the
    attention, not to RoPE, and is not in the spec.
    """
    cfg = _load(config)
    text = _text_part(cfg)
    types = _model_types(cfg, text)
    if any(t in ("chatglm", "gptj", "codegen") for t in types):
        raise ConfigError("model_type %r: its rotary convention is not supported" % (types[0],))
    params, src = _rope_params(text)
    family = _family(types)
    mla = "qk_rope_head_dim" in text
    for key, what in _FOREIGN_KEYS.items():
        if key not in text:
            continue
        if key in ("rotary_pct", "rotary_emb_base") and family == "gpt_neox":
            continue
        if key in ("qk_rope_head_dim", "rope_interleave") and mla:
            continue
        raise ConfigError("%s (%s) is not read by rope_mlir: this config's rope is not supported"
                          % (key, what))

    theta = _theta(cfg, text, params, src, family == "gpt_neox")
    if mla:
        head_dim, rotary_dim, pairing = _mla_dims(text, types, src, params)
    else:
        head_dim, rotary_dim, pairing = _dims(text, family, src, params)
    axes = _axes(text, types, params, src, rotary_dim)

    kind = _rope_type(params, src)
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
    scaling, attention = _scaling(kind, params, src, text, rotary_dim, theta)
    return RopeSpec(head_dim=head_dim, rotary_dim=rotary_dim, theta=theta, pairing=pairing,
                    axes=axes, scaling=scaling, attention_factor=attention)


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
    cfg = _load(config)
    vision = _vision_part(cfg)
    value = vision.get("tokens_per_second", cfg.get("tokens_per_second", 2))
    _number(value, "tokens_per_second", "a positive number", lambda x: x > 0)
    return value


def spatial_merge_size(config):
    cfg = _load(config)
    vision = _vision_part(cfg)
    return _integer(vision.get("spatial_merge_size", 2), "spatial_merge_size")


__all__ = ["ConfigError", "text_spec", "vision_spec", "model_family", "tokens_per_second",
           "spatial_merge_size"]
