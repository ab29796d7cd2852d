"""A rope configuration and the `rope.rotate` IR that states it."""

import math
import numbers
import re
import struct
from dataclasses import dataclass
from typing import Optional

# A float as rope-opt prints an F64Attr: decimal ("5.000000e+06", "1.0e-05",
# "1.7976931348623157E+308") or, when no short decimal reads back to the
# same double, its bits in hexadecimal ("0x419D6F3454000000").
_FLOAT = r"(?:0x[0-9A-Fa-f]+|[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)"

_OP = re.compile(
    r"rope\.rotate\b.*?layout = (?P<layout>\w+) pairing = (?P<pairing>\w+) "
    r"head_dim = (?P<head_dim>\d+) rotary_dim = (?P<rotary_dim>\d+) "
    r"theta = (?P<theta>" + _FLOAT + r")(?![\w.])"
    r"(?: axes = <(?P<kind>\w+) \[(?P<values>[-0-9, ]*)\](?P<per_axis> per_axis)?>)?"
    r"(?P<rest>[^\n]*)", re.S)
_ATTENTION = re.compile(r"\battention_factor = (" + _FLOAT + r")(?![\w.])")

def _real(v):
    """`v` as an MLIR float literal that reads back to the same double.

    Python's repr is the shortest decimal that round-trips, but spells
    1e-05, 1e+16 and 5e-324 without the '.' MLIR needs before an exponent
    (1.0e-05); inf and nan have no decimal spelling at all (and the
    verifiers reject them): ValueError.
    """
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise ValueError("a real attribute must be a number, got %r" % (v,))
    try:
        x = float(v)
    except OverflowError:
        raise ValueError("%r does not fit a double" % (v,)) from None
    if not math.isfinite(x):
        raise ValueError("%r has no MLIR float literal (attributes must be finite)" % (x,))
    mantissa, e, exponent = repr(x).partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + ("e" + exponent if e else "")


def _read_float(text):
    """A float printed by rope-opt, hexadecimal bit patterns included."""
    if text.lower().startswith("0x"):
        return struct.unpack(">d", bytes.fromhex(text[2:].zfill(16)))[0]
    return float(text)


def _check_finite(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError("%s must be a number, got %r" % (name, value))
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise ValueError("%s must be finite, got %r" % (name, value))


def _check_int(value, name):
    """An integer argument: int or numpy integer, never a bool, a float or a
    string (TypeError); returned as a Python int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError("%s must be an integer, got %r" % (name, value))
    return int(value)


# The largest finite f32: the verifier holds attention_factor to it (cos and
# sin are scaled in f32).
F32_MAX = 3.4028234663852886e38
# original_max_position is an i64 attribute.
I64_MAX = 2 ** 63 - 1

# Keys of each scaling kind: (required, optional), as #rope.<kind> states them.
SCALING_KEYS = {
    "linear": (("factor",), ()),
    "yarn": (("factor", "original_max_position"), ("beta_fast", "beta_slow")),
    "llama3": (("factor", "low_freq_factor", "high_freq_factor", "original_max_position"), ()),
    "freq_factors": (("factors",), ()),
    "dynamic_ntk": (("factor", "original_max_position"), ()),
}


def _check_divisor(value, name):
    """A scaling factor (R4 divides by it): positive and finite, with a
    finite reciprocal (1 / 1e-310 overflows to inf, and inf * 0 at position
    0 is NaN), as the verifier requires."""
    _check_finite(value, name)
    if not value > 0:
        raise ValueError("%s must be positive, got %r" % (name, value))
    if not math.isfinite(1.0 / float(value)):
        raise ValueError("%s = %r is too small: its reciprocal overflows a double" % (name, value))


def _original_max_position(value, kind):
    """original_max_position of a scaling dict as the i64 it is printed as:
    an int, or a float without a fraction (4096.0, as config.py reads JSON);
    4096.7 would print as 4096 with %d."""
    name = "%s scaling original_max_position" % kind
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError("%s must be an integer, got %r" % (name, value))
    if not 0 < value <= I64_MAX:
        raise ValueError("%s must be in [1, 2^63 - 1], got %r" % (name, value))
    return int(value)


def check_scaling(sc, rotary_dim=None):
    """Refuses, with a ValueError naming the kind and key, a scaling dict
    that rope-opt's verifier would reject or that the emitter cannot print
    exactly: an unknown kind, a missing or unknown key, a non-finite real, a
    factor that is not positive or whose reciprocal overflows, a fractional
    or out-of-range original_max_position (SPEC R4; RopeDialect.cpp)."""
    if not isinstance(sc, dict):
        raise TypeError("scaling must be a dict such as {'kind': 'linear', 'factor': 2.0}, got %r" % (sc,))
    if "kind" not in sc:
        raise ValueError("scaling needs a 'kind' (one of %s)" % ", ".join(SCALING_KEYS))
    kind = sc["kind"]
    if not isinstance(kind, str) or kind not in SCALING_KEYS:
        raise ValueError("unknown scaling kind %r: one of %s" % (kind, ", ".join(SCALING_KEYS)))
    required, optional = SCALING_KEYS[kind]
    missing = [k for k in required if k not in sc]
    if missing:
        raise ValueError("%s scaling needs %s" % (kind, ", ".join(repr(k) for k in missing)))
    unknown = sorted(str(k) for k in sc if k != "kind" and k not in required + optional)
    if unknown:
        raise ValueError("%s scaling has unknown keys %s (it takes %s)"
                         % (kind, unknown, ", ".join(required + optional)))
    # Non-finite values first: their message names them as such.
    for key in required + optional:
        if key == "factors" and key in sc:
            if isinstance(sc[key], (str, bytes)) or not hasattr(sc[key], "__iter__"):
                raise ValueError("freq_factors scaling factors must be a list of numbers, got %r" % (sc[key],))
            for i, f in enumerate(sc[key]):
                _check_finite(f, "scaling factors[%d]" % i)
        elif key in sc and key != "original_max_position":
            _check_finite(sc[key], "scaling %s" % key)
    if kind == "freq_factors":
        factors = list(sc["factors"])
        for i, f in enumerate(factors):
            _check_divisor(f, "freq_factors scaling factors[%d]" % i)
        if rotary_dim is not None and len(factors) != rotary_dim // 2:
            raise ValueError("freq_factors scaling needs one factor per pair (%d), got %d"
                             % (rotary_dim // 2, len(factors)))
        return
    _check_divisor(sc["factor"], "%s scaling factor" % kind)
    if "original_max_position" in required:
        _original_max_position(sc["original_max_position"], kind)
    for key in optional:  # yarn's betas
        if key in sc and not sc[key] > 0:
            raise ValueError("%s scaling %s must be positive, got %r" % (kind, key, sc[key]))
    if kind == "llama3":
        low, high = sc["low_freq_factor"], sc["high_freq_factor"]
        if not (0 < low <= high):
            raise ValueError("llama3 scaling needs 0 < low_freq_factor <= high_freq_factor, got %r and %r"
                             % (low, high))


def check_attention_factor(value):
    """Raises ValueError unless value is a finite attention factor in
    (0, f32 max]."""
    _check_finite(value, "attention_factor")
    if not 0 < value <= F32_MAX:
        raise ValueError("attention_factor must be positive and finite in f32 (at most %r), got %r"
                         % (F32_MAX, value))


@dataclass
class RopeSpec:
    """One rotary embedding, as `rope.rotate` states it (SPEC R1-R5).

    head_dim: lanes per head; rotary_dim: the first lanes rotated (even,
      at most head_dim; the rest pass through: partial rotary).
    theta: the base of inv_freq[j] = theta^(-2j / rotary_dim).
    pairing: "half" (NeoX / Llama rotate_half: lane j with j + rotary_dim/2)
      or "adjacent" (GPT-J: lanes 2j and 2j + 1).
    axes: None for one position axis, else (kind, values) for several:
      ("sequential", sections) as Qwen2-VL's mrope_section, ("interleaved",
      sections) as Qwen3-VL's, ("custom", axis of each pair).
    per_axis: each axis's section of s pairs has its own spectrum
      theta^(-k / s), k < s (the ViTs' 2D rope), instead of the shared one.
    scaling: None, or a dict with "kind" and its keys:
      {"kind": "linear", "factor": f},
      {"kind": "dynamic_ntk", "factor": f, "original_max_position": L0},
      {"kind": "yarn", "factor": f, "original_max_position": L0,
       optional "beta_fast" (32), "beta_slow" (1)},
      {"kind": "llama3", "factor", "low_freq_factor", "high_freq_factor",
       "original_max_position"},
      {"kind": "freq_factors", "factors": one divisor per pair} (LongRoPE).
    attention_factor: the scale of cos and sin (YaRN's 0.1 ln(f) + 1 when
      None and kind is yarn, else 1).
    max_position: None, or the largest position the spec holds for; kernels
      refuse larger ones. config.text_spec sets it for LongRoPE's short
      factors, which HF uses only while max(position_ids) + 1 is at most
      original_max_position_embeddings (beyond it, the long factors).

    `config.text_spec` and `config.vision_spec` build one from a HF
    config.json; anything inconsistent raises ValueError naming the field.
    """
    head_dim: int
    rotary_dim: int
    theta: float
    pairing: str = "half"  # "half" (NeoX) or "adjacent" (GPT-J)
    axes: Optional[tuple] = None  # ("sequential"|"interleaved"|"custom", [ints])
    per_axis: bool = False
    scaling: Optional[dict] = None  # {"kind": "yarn", "factor": 3.0, ...}
    attention_factor: Optional[float] = None
    max_position: Optional[int] = None

    def __post_init__(self):
        # Sizes print with %d: 64.5 would silently be 64.
        _check_int(self.head_dim, "head_dim")
        _check_int(self.rotary_dim, "rotary_dim")
        # The verifiers reject non-finite reals, and no MLIR float literal
        # spells them: refused here rather than in rope-opt, with the rest of
        # what the verifiers require of the scaling and attention factor.
        _check_finite(self.theta, "theta")
        if self.attention_factor is not None:
            check_attention_factor(self.attention_factor)
        if self.scaling is not None:
            check_scaling(self.scaling, self.rotary_dim)
        if self.max_position is not None and _check_int(self.max_position, "max_position") < 0:
            raise ValueError("max_position must be at least 0, got %d" % self.max_position)

    @staticmethod
    def from_ir(text):
        """(spec, layout) of the first `rope.rotate` in printed IR (rope-opt's form).

        Reads theta and attention_factor as rope-opt prints them (decimal or
        hexadecimal bits). Scaling attributes and `inverse` are not read
        back; such ops raise ValueError.
        """
        m = _OP.search(" ".join(text.split()))
        if not m:
            raise ValueError("no rope.rotate op found")
        clause = m.group("rest").split("->")[0]
        if "scaling =" in clause:
            raise ValueError("from_ir does not read scaling attributes")
        if re.search(r"\binverse\b", clause):
            raise ValueError("from_ir does not read inverse rotations")
        axes = None
        if m.group("kind"):
            axes = (m.group("kind"), [int(v) for v in m.group("values").split(",")])
        attention = _ATTENTION.search(clause)
        spec = RopeSpec(head_dim=int(m.group("head_dim")), rotary_dim=int(m.group("rotary_dim")),
                        theta=_read_float(m.group("theta")), pairing=m.group("pairing"), axes=axes,
                        per_axis=bool(m.group("per_axis")),
                        attention_factor=_read_float(attention.group(1)) if attention else None)
        return spec, m.group("layout")

    @property
    def num_axes(self):
        """The number of position axes the kernel takes (3 for MRoPE)."""
        if self.axes is None:
            return 1
        kind, values = self.axes
        return max(values) + 1 if kind == "custom" else len(values)

    def scaling_attr(self):
        """The scaling as a #rope attribute in MLIR syntax, None without one."""
        sc = self.scaling
        if sc is None:
            return None
        check_scaling(sc)  # again: the dict may have changed since construction
        kind = sc["kind"]
        if kind == "linear":
            return "#rope.linear<factor = %s>" % _real(sc["factor"])
        if kind == "yarn":
            return "#rope.yarn<factor = %s, original_max_position = %d, beta_fast = %s, beta_slow = %s>" % (
                _real(sc["factor"]), _original_max_position(sc["original_max_position"], kind),
                _real(sc.get("beta_fast", 32.0)), _real(sc.get("beta_slow", 1.0)))
        if kind == "llama3":
            return ("#rope.llama3<factor = %s, low_freq_factor = %s, high_freq_factor = %s, "
                    "original_max_position = %d>") % (
                _real(sc["factor"]), _real(sc["low_freq_factor"]),
                _real(sc["high_freq_factor"]), _original_max_position(sc["original_max_position"], kind))
        if kind == "freq_factors":
            return "#rope.freq_factors<[%s]>" % ", ".join(_real(f) for f in sc["factors"])
        # dynamic_ntk (check_scaling knows no other kind)
        return "#rope.dynamic_ntk<factor = %s, original_max_position = %d>" % (
            _real(sc["factor"]), _original_max_position(sc["original_max_position"], kind))

    def attributes(self, layout, inverse=False):
        """The op's attribute clause, as printed by rope-opt."""
        parts = ["layout = %s" % layout, "pairing = %s" % self.pairing,
                 "head_dim = %d" % _check_int(self.head_dim, "head_dim"),
                 "rotary_dim = %d" % _check_int(self.rotary_dim, "rotary_dim"),
                 "theta = %s" % _real(self.theta)]
        if self.axes is not None:
            kind, values = self.axes
            parts.append("axes = <%s [%s]%s>" % (
                kind, ", ".join(str(v) for v in values), " per_axis" if self.per_axis else ""))
        if self.scaling is not None:
            parts.append("scaling = " + self.scaling_attr())
        if self.attention_factor is not None:
            check_attention_factor(self.attention_factor)
            parts.append("attention_factor = %s" % _real(self.attention_factor))
        if inverse:
            parts.append("inverse")
        return " ".join(parts)
