"""RopeSpec's IR text: every finite double reaches rope-opt and comes back
exactly; non-finite ones are refused (issue #17)."""

import math
import random
import re
import struct

import pytest

from rope_mlir import RopeSpec, tools
from rope_mlir.spec import _real

# MLIR's float literal: [-+]?[0-9]+[.][0-9]*([eE][-+]?[0-9]+)?
MLIR_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*([eE][-+]?[0-9]+)?")

SAMPLES = [1e-05, 1e+16, 5e-324, 123456789.0, 0.1, 1.0, 10000.0, 5e6, 1e-7, 2.5e-300, 1e22, 1e23,
           0.30000000000000004, 1.0000000000000002, 1.7976931348623157e+308, 2.2250738585072014e-308,
           2.225073858507201e-308, 4.9406564584124654e-324, 9007199254740993.0, 3.141592653589793,
           1.3689253072485796, 0.707, 40.0, 32768.0, 1e100, 123456789012345678.0]


def bits(x):
    return struct.pack(">d", x)


def random_doubles(n, seed=17):
    """Positive finite doubles from random bit patterns (every exponent)."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        x = struct.unpack(">d", struct.pack(">Q", rng.getrandbits(63)))[0]
        if math.isfinite(x) and x > 0:
            out.append(x)
    return out


@pytest.mark.parametrize("x", SAMPLES)
def test_real_is_an_exact_mlir_literal(x):
    text = _real(x)
    assert MLIR_FLOAT.fullmatch(text), text
    assert bits(float(text)) == bits(x)
    assert bits(float(_real(-x))) == bits(-x)


def test_real_random_doubles():
    for x in random_doubles(20000) + [float(2 ** e) for e in range(-1074, 1024)]:
        text = _real(x)
        assert MLIR_FLOAT.fullmatch(text) and bits(float(text)) == bits(x), (x, text)


def test_real_spellings():
    assert _real(1e-05) == "1.0e-05"
    assert _real(1e+16) == "1.0e+16"
    assert _real(5e-324) == "5.0e-324"
    assert _real(123456789.0) == "123456789.0"
    assert _real(0.1) == "0.1"
    assert _real(10000) == "10000.0"
    assert _real(-0.0) == "-0.0"


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 10 ** 400, "1.0", True, None])
def test_real_refuses(bad):
    with pytest.raises(ValueError):
        _real(bad)


@pytest.mark.parametrize("kwargs", [
    {"theta": math.inf},
    {"theta": math.nan},
    {"attention_factor": math.inf},
    {"attention_factor": -math.nan},
    {"scaling": {"kind": "linear", "factor": math.inf}},
    {"scaling": {"kind": "yarn", "factor": 4.0, "original_max_position": 4096, "beta_fast": math.nan}},
    {"scaling": {"kind": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": math.inf,
                 "original_max_position": 8192}},
    {"scaling": {"kind": "freq_factors", "factors": [1.0, math.nan]}},
])
def test_spec_refuses_non_finite(kwargs):
    args = dict(head_dim=4, rotary_dim=4, theta=1e4)
    args.update(kwargs)
    with pytest.raises(ValueError, match="finite"):
        RopeSpec(**args)


def test_emission_refuses_non_finite():
    spec = RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, attention_factor=1.0)
    spec.attention_factor = math.nan  # after construction
    with pytest.raises(ValueError, match="nan"):
        spec.attributes("thd")
    spec = RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, scaling={"kind": "linear", "factor": 2.0})
    spec.scaling["factor"] = math.inf
    with pytest.raises(ValueError, match="inf"):
        spec.attributes("thd")


def _op(spec, name):
    t = "tensor<4x2x%dxf32>" % spec.head_dim
    return ("func.func @%s(%%x: %s, %%p: tensor<1x4xi64>) -> %s {\n"
            "  %%r = rope.rotate positions(%%p : tensor<1x4xi64>) outs(%%x : %s) %s -> %s\n"
            "  return %%r : %s\n}\n" % (name, t, t, t, spec.attributes("thd"), t, t))


def _printed_ops(specs):
    """rope-opt's printed form of one op per spec, in order."""
    module = "".join(_op(s, "f%d" % i) for i, s in enumerate(specs))
    out = tools.run([tools.rope_opt(), "-"], module)
    return [line for line in out.splitlines() if "rope.rotate" in line]


def _attr(line, name):
    m = re.search(r"\b%s = (0x[0-9A-Fa-f]+|[-+]?[0-9][-+0-9.eE]*)" % name, line)
    return m.group(1)


def test_rope_opt_round_trip():
    """Values through rope-opt's parser and printer come back as the same
    doubles: theta and attention_factor (F64Attr, read by RopeSpec.from_ir)
    and the scaling attributes' reals."""
    values = SAMPLES + random_doubles(300, seed=5)
    specs = []
    for x in values:
        theta = x if x > 1 else _inverse_above_one(x)  # the verifier wants theta > 1
        specs.append(RopeSpec(head_dim=8, rotary_dim=8, theta=theta, attention_factor=x,
                              scaling={"kind": "linear", "factor": x}))
    for x in SAMPLES:
        low, high = (x, math.nextafter(x, math.inf)) if x < 1e308 else (math.nextafter(x, 0), x)
        specs.append(RopeSpec(head_dim=8, rotary_dim=8, theta=1e4, pairing="adjacent",
                              scaling={"kind": "llama3", "factor": 1.0 + x, "low_freq_factor": low,
                                       "high_freq_factor": high, "original_max_position": 8192}))
        specs.append(RopeSpec(head_dim=8, rotary_dim=8, theta=1e4,
                              scaling={"kind": "yarn", "factor": 1.0 + x, "original_max_position": 4096,
                                       "beta_fast": 32.0 + x, "beta_slow": x}))
    lines = _printed_ops(specs)
    assert len(lines) == len(specs)
    for spec, line in zip(specs, lines):
        if spec.scaling["kind"] == "linear":
            back, layout = RopeSpec.from_ir(line.replace(_scaling_text(line), ""))
            assert layout == "thd"
            assert bits(back.theta) == bits(spec.theta), line
            assert bits(back.attention_factor) == bits(spec.attention_factor), line
            assert bits(float(_attr(line, "factor"))) == bits(spec.scaling["factor"]), line
        else:
            for key in ("factor", "low_freq_factor", "high_freq_factor", "beta_fast", "beta_slow"):
                if key in spec.scaling and spec.scaling[key] not in (32.0, 1.0):
                    assert bits(float(_attr(line, key))) == bits(spec.scaling[key]), (key, line)


def _inverse_above_one(x):
    try:
        y = 1.0 / x
    except (OverflowError, ZeroDivisionError):
        return 2.0
    return y if 1 < y < math.inf else 2.0


def _scaling_text(line):
    return re.search(r" scaling = #rope\.\w+<[^>]*>", line).group(0)


@pytest.mark.parametrize("printed, theta, attention", [
    ("theta = 5.000000e+06", 5e6, None),
    ("theta = 1.000000e+04 attention_factor = 1.0e-05", 1e4, 1e-05),
    ("theta = 1.000000e+04 attention_factor = 1.000000e-05", 1e4, 1e-05),
    ("theta = 1.7976931348623157E+308", 1.7976931348623157e+308, None),
    # No short decimal reads back: MLIR prints the bits.
    ("theta = 0x419D6F3454000000", 123456789.0, None),
    ("theta = 1.0e+04 attention_factor = 0x3FB999999999999A", 1e4, 0.1),
    ("theta = 1.000000e+04 attention_factor = 4.940660e-324", 1e4, 5e-324),
])
def test_from_ir_reads_printed_floats(printed, theta, attention):
    line = ("%%r = rope.rotate positions(%%p : tensor<1x4xi64>) outs(%%x : tensor<4x2x8xf32>) "
            "layout = thd pairing = half head_dim = 8 rotary_dim = 8 %s -> tensor<4x2x8xf32>" % printed)
    spec, layout = RopeSpec.from_ir(line)
    assert layout == "thd"
    assert bits(spec.theta) == bits(theta)
    assert spec.attention_factor == attention


def test_from_ir_refuses_what_it_cannot_read():
    base = ("%r = rope.rotate positions(%p : tensor<1x4xi64>) outs(%x : tensor<4x2x8xf32>) "
            "layout = thd pairing = half head_dim = 8 rotary_dim = 8 theta = 1.0e+04")
    with pytest.raises(ValueError, match="scaling"):
        RopeSpec.from_ir(base + " scaling = #rope.linear<factor = 2.0> -> tensor<4x2x8xf32>")
    with pytest.raises(ValueError, match="inverse"):
        RopeSpec.from_ir(base + " inverse -> tensor<4x2x8xf32>")
