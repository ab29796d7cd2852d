"""A rope configuration and the `rope.rotate` IR that states it."""

import math
import numbers
import re
import struct
from dataclasses import dataclass, field
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


@dataclass
class RopeSpec:
    head_dim: int
    rotary_dim: int
    theta: float
    pairing: str = "half"  # "half" (NeoX) or "adjacent" (GPT-J)
    axes: Optional[tuple] = None  # ("sequential"|"interleaved"|"custom", [ints])
    per_axis: bool = False
    scaling: Optional[dict] = None  # {"kind": "yarn", "factor": 3.0, ...}
    attention_factor: Optional[float] = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        # The verifiers reject non-finite reals, and no MLIR float literal
        # spells them: refused here rather than in rope-opt.
        _check_finite(self.theta, "theta")
        if self.attention_factor is not None:
            _check_finite(self.attention_factor, "attention_factor")
        if self.scaling is not None:
            for key, value in self.scaling.items():
                if key == "factors":
                    for i, f in enumerate(value):
                        _check_finite(f, "scaling factors[%d]" % i)
                elif key not in ("kind", "original_max_position"):
                    _check_finite(value, "scaling %s" % key)

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
        if self.axes is None:
            return 1
        kind, values = self.axes
        return max(values) + 1 if kind == "custom" else len(values)

    def scaling_attr(self):
        sc = self.scaling
        if sc is None:
            return None
        kind = sc["kind"]
        if kind == "linear":
            return "#rope.linear<factor = %s>" % _real(sc["factor"])
        if kind == "yarn":
            return "#rope.yarn<factor = %s, original_max_position = %d, beta_fast = %s, beta_slow = %s>" % (
                _real(sc["factor"]), sc["original_max_position"],
                _real(sc.get("beta_fast", 32.0)), _real(sc.get("beta_slow", 1.0)))
        if kind == "llama3":
            return ("#rope.llama3<factor = %s, low_freq_factor = %s, high_freq_factor = %s, "
                    "original_max_position = %d>") % (
                _real(sc["factor"]), _real(sc["low_freq_factor"]),
                _real(sc["high_freq_factor"]), sc["original_max_position"])
        if kind == "freq_factors":
            return "#rope.freq_factors<[%s]>" % ", ".join(_real(f) for f in sc["factors"])
        if kind == "dynamic_ntk":
            return "#rope.dynamic_ntk<factor = %s, original_max_position = %d>" % (
                _real(sc["factor"]), sc["original_max_position"])
        raise ValueError("unknown scaling " + kind)

    def attributes(self, layout, inverse=False):
        """The op's attribute clause, as printed by rope-opt."""
        parts = ["layout = %s" % layout, "pairing = %s" % self.pairing,
                 "head_dim = %d" % self.head_dim, "rotary_dim = %d" % self.rotary_dim,
                 "theta = %s" % _real(self.theta)]
        if self.axes is not None:
            kind, values = self.axes
            parts.append("axes = <%s [%s]%s>" % (
                kind, ", ".join(str(v) for v in values), " per_axis" if self.per_axis else ""))
        if self.scaling is not None:
            parts.append("scaling = " + self.scaling_attr())
        if self.attention_factor is not None:
            parts.append("attention_factor = %s" % _real(self.attention_factor))
        if inverse:
            parts.append("inverse")
        return " ".join(parts)
