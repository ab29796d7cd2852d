"""RopeSpec's IR text: every finite double reaches rope-opt and comes back
exactly; non-finite ones are refused (issue #17)."""

import math
import random
import re
import struct

import pytest

from rope_mlir import RopeSpec, tools
from rope_mlir.spec import F32_MAX, _real

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


YARN = {"kind": "yarn", "factor": 2.0, "original_max_position": 4096}
LLAMA3 = {"kind": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
          "original_max_position": 8192}


def _with(base, **changes):
    out = dict(base)
    for key, value in changes.items():
        if value is DROP:
            del out[key]
        else:
            out[key] = value
    return out


DROP = object()


@pytest.mark.parametrize("scaling, message", [
    # Printed with %d: 4096.7 was silently 4096.
    (_with(YARN, original_max_position=4096.7), "yarn scaling original_max_position must be an integer, got 4096.7"),
    (_with(LLAMA3, original_max_position=0.5), "llama3 scaling original_max_position must be an integer"),
    ({"kind": "dynamic_ntk", "factor": 2.0, "original_max_position": "4096"},
     "dynamic_ntk scaling original_max_position must be an integer"),
    (_with(YARN, original_max_position=True), "original_max_position must be an integer"),
    (_with(YARN, original_max_position=0), r"original_max_position must be in \[1, 2\^63 - 1\]"),
    (_with(YARN, original_max_position=2 ** 63), r"original_max_position must be in \[1, 2\^63 - 1\]"),
    (_with(YARN, original_max_position=1e300), r"original_max_position must be in \[1, 2\^63 - 1\]"),
    # Were KeyErrors.
    (_with(YARN, original_max_position=DROP), "yarn scaling needs 'original_max_position'"),
    ({"kind": "foo"}, "unknown scaling kind 'foo'"),
    ({"factor": 2.0}, "scaling needs a 'kind'"),
    (_with(LLAMA3, low_freq_factor=DROP, high_freq_factor=DROP),
     "llama3 scaling needs 'low_freq_factor', 'high_freq_factor'"),
    ({"kind": "freq_factors"}, "freq_factors scaling needs 'factors'"),
    # Silently ignored before.
    ({"kind": "linear", "factor": 2.0, "attention_factor": 1.2}, r"linear scaling has unknown keys \['attention_factor'\]"),
    # The verifiers' rules, before rope-opt runs: factors positive with a
    # finite reciprocal (1 / 1e-310 is inf: NaN at position 0), ...
    ({"kind": "linear", "factor": 1e-310}, "linear scaling factor = 1e-310 is too small: its reciprocal overflows"),
    (_with(LLAMA3, factor=1e-320), "llama3 scaling factor = 1e-320 is too small"),
    (_with(YARN, factor=5e-324), "yarn scaling factor = 5e-324 is too small"),
    ({"kind": "dynamic_ntk", "factor": 1e-309, "original_max_position": 4096}, "dynamic_ntk scaling factor"),
    ({"kind": "freq_factors", "factors": [1.0, 1e-320]}, r"freq_factors scaling factors\[1\] = 1e-320 is too small"),
    ({"kind": "linear", "factor": 0.0}, "linear scaling factor must be positive"),
    ({"kind": "linear", "factor": -2.0}, "linear scaling factor must be positive"),
    ({"kind": "freq_factors", "factors": [1.0, -1.0]}, r"factors\[1\] must be positive"),
    ({"kind": "freq_factors", "factors": [1.0, 2.0, 3.0]}, r"one factor per pair \(2\), got 3"),
    (_with(YARN, beta_slow=0.0), "yarn scaling beta_slow must be positive"),
    (_with(LLAMA3, low_freq_factor=4.0, high_freq_factor=1.0), "low_freq_factor <= high_freq_factor"),
])
def test_spec_refuses_bad_scaling(scaling, message):
    with pytest.raises(ValueError, match=message):
        RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, scaling=scaling)


def test_spec_accepts_limits():
    # The smallest factors with finite reciprocals, an integral float
    # original_max_position (as config.py reads JSON), i64's largest value.
    tiny = 5.56268464626801e-309
    assert math.isfinite(1 / tiny) and not math.isfinite(1 / math.nextafter(tiny, 0))
    RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, scaling={"kind": "linear", "factor": tiny})
    RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, scaling={"kind": "freq_factors", "factors": [tiny, 1.0]})
    spec = RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, scaling=_with(YARN, original_max_position=4096.0))
    assert "original_max_position = 4096," in spec.attributes("thd")
    spec = RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, scaling=_with(YARN, original_max_position=2 ** 63 - 1),
                    attention_factor=3.4028234663852886e38)
    assert "original_max_position = 9223372036854775807," in spec.attributes("thd")


@pytest.mark.parametrize("value", [3.4028235677973366e38, 1e39, 1e300, 0.0, -1.0])
def test_attention_factor_must_be_positive_f32(value):
    with pytest.raises(ValueError, match="attention_factor must be positive and finite in f32"):
        RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, attention_factor=value)


@pytest.mark.parametrize("kwargs, name", [({"head_dim": 64.5}, "head_dim"), ({"rotary_dim": "64"}, "rotary_dim"),
                                          ({"head_dim": True}, "head_dim")])
def test_spec_sizes_are_integers(kwargs, name):
    # Printed with %d: 64.5 was silently 64.
    args = dict(head_dim=64, rotary_dim=64, theta=1e4)
    args.update(kwargs)
    with pytest.raises(TypeError, match="%s must be an integer" % name):
        RopeSpec(**args)


def test_emission_rechecks_scaling():
    spec = RopeSpec(head_dim=4, rotary_dim=4, theta=1e4, scaling=dict(YARN))
    spec.scaling["original_max_position"] = 4096.7  # after construction
    with pytest.raises(ValueError, match="original_max_position must be an integer"):
        spec.attributes("thd")
    spec.scaling = {"kind": "linear", "factor": 1e-310}
    with pytest.raises(ValueError, match="too small"):
        spec.attributes("thd")


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
        # A scaling factor needs a finite reciprocal and the attention factor
        # an f32 value (the verifiers); such x travel in yarn's beta_slow below.
        factor = x if math.isfinite(1 / x) else 2.0
        specs.append(RopeSpec(head_dim=8, rotary_dim=8, theta=theta,
                              attention_factor=x if x <= F32_MAX else None,
                              scaling={"kind": "linear", "factor": factor}))
        specs.append(RopeSpec(head_dim=8, rotary_dim=8, theta=1e4,
                              scaling={"kind": "yarn", "factor": 1.0 + x, "original_max_position": 4096,
                                       "beta_fast": 32.0 + x, "beta_slow": x}))
    for x in SAMPLES:
        low, high = (x, math.nextafter(x, math.inf)) if x < 1e308 else (math.nextafter(x, 0), x)
        specs.append(RopeSpec(head_dim=8, rotary_dim=8, theta=1e4, pairing="adjacent",
                              scaling={"kind": "llama3", "factor": 1.0 + x, "low_freq_factor": low,
                                       "high_freq_factor": high, "original_max_position": 8192}))
    lines = _printed_ops(specs)
    assert len(lines) == len(specs)
    for spec, line in zip(specs, lines):
        if spec.scaling["kind"] == "linear":
            back, layout = RopeSpec.from_ir(line.replace(_scaling_text(line), ""))
            assert layout == "thd"
            assert bits(back.theta) == bits(spec.theta), line
            if spec.attention_factor is None:
                assert back.attention_factor is None, line
            else:
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
