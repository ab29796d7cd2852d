"""A rope configuration and the `rope.rotate` IR that states it."""

import re
from dataclasses import dataclass, field
from typing import Optional

_OP = re.compile(
    r"rope\.rotate\b.*?layout = (?P<layout>\w+) pairing = (?P<pairing>\w+) "
    r"head_dim = (?P<head_dim>\d+) rotary_dim = (?P<rotary_dim>\d+) "
    r"theta = (?P<theta>[-+0-9.eE]+)"
    r"(?: axes = <(?P<kind>\w+) \[(?P<values>[-0-9, ]*)\](?P<per_axis> per_axis)?>)?"
    r"(?P<rest>[^\n]*)", re.S)


def _real(v):
    text = repr(float(v))
    return text


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

    @staticmethod
    def from_ir(text):
        """(spec, layout) of the first `rope.rotate` in printed IR (rope-opt's form).

        Scaling attributes are not read back; such ops raise ValueError.
        """
        m = _OP.search(" ".join(text.split()))
        if not m:
            raise ValueError("no rope.rotate op found")
        if "scaling =" in m.group("rest").split("->")[0]:
            raise ValueError("from_ir does not read scaling attributes")
        axes = None
        if m.group("kind"):
            axes = (m.group("kind"), [int(v) for v in m.group("values").split(",")])
        spec = RopeSpec(head_dim=int(m.group("head_dim")), rotary_dim=int(m.group("rotary_dim")),
                        theta=float(m.group("theta")), pairing=m.group("pairing"), axes=axes,
                        per_axis=bool(m.group("per_axis")))
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
