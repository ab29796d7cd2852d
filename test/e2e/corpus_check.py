#!/usr/bin/env python3
"""Runs one graph of the raising corpus (test/Raise/corpus, README there).

    corpus_check.py FILE.mlir [--original-only] [--seed N]
    corpus_check.py --summary DIR [--original-only] [-j N]

The file's header says what the graph is (STYLE, MODEL), which function to
run (FUNC), what each argument is (ARGS), which rotary embedding it computes
(REF), what `--rope-raise` must make of it (EXPECT) and what runs first
(PRE). This script

 1. makes inputs for every argument from its role (x, pos, inv, cos, sin,
    cis; see `make_inputs`),
 2. computes the float64 reference from REF alone (`reference`),
 3. runs the original graph under mlir-runner, lowered with the project's
    --rope-cpu-pipeline (or, with --upstream, a plain upstream pipeline,
    `UPSTREAM`), and measures its error,
 4. unless --original-only, raises the graph with `rope-raise{report=true}`,
    checks the raised IR against EXPECT (`check_expect`) and runs the raised
    graph the same way: its error must be no larger than the original's and
    within tolerance,
 5. prints `PASS <file> style=.. expect=.. original=<err> raised=<err>
    lowering=<rope|upstream>` or `FAIL <file>: <why>`; exit code 0 or 1.

Errors are max |y - ref| / max |ref| over each result, the largest over all
results. EXPECT none (a near miss): the original must differ from the REF
rope by more than its tolerance, and the "raised" graph must give exactly the
original's bits.
"""

import argparse
import concurrent.futures
import math
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
sys.path.insert(0, HERE)
from rope_mlir import reference, tools  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402
from harness import from_ints, parse_printed, print_bits, to_bits  # noqa: E402

HEADER_KEYS = ("STYLE", "MODEL", "FUNC", "ARGS", "REF", "EXPECT", "PRE")
ROLES = ("x", "pos", "inv", "cos", "sin", "cis")
HEAD_AXIS = {"bhsd": 1, "bshd": 2, "thd": 1}
DEFAULT_TOL = {"f32": 1e-5, "f16": 2e-3, "bf16": 1e-2}

# The comparison lowering (--upstream), upstream passes only (rope-decompose
# first, so that a raised graph lowers too).
UPSTREAM = ("builtin.module(any(rope-decompose),func.func(convert-elementwise-to-linalg),"
            "convert-complex-to-standard,"
            "one-shot-bufferize{bufferize-function-boundaries "
            "function-boundary-type-conversion=identity-layout-map},"
            "convert-bufferization-to-memref,func.func(convert-linalg-to-loops),"
            "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
            "convert-math-to-llvm,convert-math-to-libm,convert-complex-to-llvm,"
            "finalize-memref-to-llvm,convert-to-llvm,reconcile-unrealized-casts)")


class CheckFailure(Exception):
    """The graph fails the check; the message says why."""


# ----------------------------------------------------------------------------
# Header
# ----------------------------------------------------------------------------

def parse_header(text):
    """The KEY: value lines of the leading comment block. REF and PRE may
    repeat (REF tokens accumulate; PRE pipelines run in order)."""
    hdr = {"REF": [], "PRE": []}
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("//"):
            break
        m = re.match(r"//\s*([A-Z]+):\s*(.*?)\s*$", s)
        if not m or m.group(1) not in HEADER_KEYS:
            continue
        key, val = m.groups()
        if key == "REF":
            hdr["REF"].extend(val.split())
        elif key == "PRE":
            hdr["PRE"].append(val)
        else:
            hdr[key] = val
    for key in ("STYLE", "FUNC", "ARGS", "EXPECT"):
        if key not in hdr:
            raise CheckFailure("header has no %s line" % key)
    hdr["FUNC"] = hdr["FUNC"].split()[0].lstrip("@")
    hdr["ARGS"] = hdr["ARGS"].split()
    for r in hdr["ARGS"]:
        if r not in ROLES:
            raise CheckFailure("unknown ARGS role %r (one of %s)" % (r, ", ".join(ROLES)))
    hdr["EXPECT"] = hdr["EXPECT"].split()[0]
    if hdr["EXPECT"] not in ("rotate", "tables", "none"):
        raise CheckFailure("EXPECT must be rotate, tables or none")
    hdr["ref"] = parse_ref(hdr["REF"])
    return hdr


def _floats(s):
    return [float(v) for v in s.split(",") if v]


def parse_ref(tokens):
    ref = {"layout": "bhsd", "pairing": "half", "rotary_dim": None, "theta": None, "axes": None,
           "per_axis": False, "scaling": None, "attention": None, "inverse": False,
           "pos_max": 4096, "tol": None, "otol": None, "head_dim": None, "deinterleave": False}
    for tok in tokens:
        key, eq, val = tok.partition("=")
        if not eq:
            if key in ("per_axis", "inverse", "deinterleave"):
                ref[key] = True
                continue
            raise CheckFailure("REF: unknown flag %r" % tok)
        if key in ("layout", "pairing"):
            ref[key] = val
        elif key in ("rotary_dim", "head_dim", "pos_max"):
            ref[key] = int(val)
        elif key in ("theta", "attention", "tol", "otol"):
            ref[key] = float(val)
        elif key == "axes":
            kind, _, sec = val.partition(":")
            ref["axes"] = (kind, [int(v) for v in sec.split(",")])
        elif key == "scaling":
            kind, _, vals = val.partition(":")
            v = _floats(vals)
            if kind == "linear":
                ref["scaling"] = {"kind": "linear", "factor": v[0]}
            elif kind == "llama3":
                ref["scaling"] = {"kind": "llama3", "factor": v[0], "low_freq_factor": v[1],
                                  "high_freq_factor": v[2], "original_max_position": int(v[3])}
            elif kind == "yarn":
                sc = {"kind": "yarn", "factor": v[0], "original_max_position": int(v[1])}
                if len(v) > 2:
                    sc["beta_fast"], sc["beta_slow"] = v[2], v[3]
                ref["scaling"] = sc
            elif kind == "freq":
                ref["scaling"] = {"kind": "freq_factors", "factors": v}
            else:
                raise CheckFailure("REF: unknown scaling %r" % kind)
        else:
            raise CheckFailure("REF: unknown key %r" % key)
    if ref["layout"] not in HEAD_AXIS:
        raise CheckFailure("REF: layout must be one of %s" % ", ".join(HEAD_AXIS))
    if ref["pairing"] not in ("half", "adjacent"):
        raise CheckFailure("REF: pairing must be half or adjacent")
    return ref


# ----------------------------------------------------------------------------
# The function's signature and the module to run
# ----------------------------------------------------------------------------

def split_top(s, sep=","):
    """Splits at `sep` outside <>, (), [], {}."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [p.strip() for p in out]


def parse_type(t):
    m = re.fullmatch(r"tensor<((?:\d+x)*)(f32|f16|bf16|i1|i32|i64|complex<f32>)>", t.strip())
    if not m:
        raise CheckFailure("unsupported type %r (static tensors of f32, f16, bf16, i1, i32, i64, "
                           "complex<f32>)" % t)
    dims = m.group(1)
    return tuple(int(d) for d in dims.split("x") if d), m.group(2)


def matching(text, start, open_ch, close_ch):
    """Index just past the bracket closing the one at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == open_ch:
            depth += 1
        elif text[i] == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    raise CheckFailure("unbalanced %s%s" % (open_ch, close_ch))


def signature(text, func):
    """(argument types, result types) of func.func @func."""
    m = re.search(r"func\.func\s+(?:public\s+|private\s+)?@%s\s*\(" % re.escape(func), text)
    if not m:
        raise CheckFailure("no func.func @%s" % func)
    close = matching(text, m.end() - 1, "(", ")")
    args = [a.split(":", 1)[1].strip() for a in split_top(text[m.end():close - 1])]
    args = [re.sub(r"\s*\{.*\}\s*$", "", a) for a in args]  # argument attributes
    rest = text[close:]
    mr = re.match(r"\s*->\s*", rest)
    if not mr:
        return args, []
    rest = rest[mr.end():]
    if rest.startswith("("):
        results = split_top(rest[1:matching(rest, 0, "(", ")") - 1])
    else:
        results = [re.match(r"tensor<[^>]*(?:<[^>]*>)?[^>]*>", rest).group(0)]
    return args, results


def function_body(text, func):
    """The text of func.func @func, up to its closing brace."""
    m = re.search(r"func\.func\s+(?:public\s+|private\s+)?@%s\s*\(" % re.escape(func), text)
    if not m:
        raise CheckFailure("no func.func @%s in the output" % func)
    brace = text.index("{", matching(text, m.end() - 1, "(", ")"))
    return text[m.start():matching(text, brace, "{", "}")]


def dense(raw, shape, elt):
    return 'arith.constant dense<"0x%s"> : tensor<%s%s>' % (
        raw.hex().upper(), "".join("%dx" % d for d in shape), elt)


def with_main(text, func, arg_types, result_types, raws):
    """The file's module with a @main that calls @func on `raws` and prints its results."""
    args = [parse_type(t) for t in arg_types]
    outs = [parse_type(t) for t in result_types]
    main = ("  func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}\n"
            "  func.func private @printMemrefI16(memref<*xi16>) attributes {llvm.emit_c_interface}\n"
            "  func.func @main() {\n")
    for i, ((shape, elt), raw) in enumerate(zip(args, raws)):
        main += "    %%a%d = %s\n" % (i, dense(raw, shape, elt))
    main += "    %%y:%d = call @%s(%s) : (%s) -> (%s)\n" % (
        len(outs), func, ", ".join("%%a%d" % i for i in range(len(args))),
        ", ".join(arg_types), ", ".join(result_types))
    for i, (shape, elt) in enumerate(outs):
        main += print_bits("p%d" % i, "%%y#%d" % i, "tensor<%s%s>" % (
            "".join("%dx" % d for d in shape), elt), elt, 32 if elt == "f32" else 16)
    main += "    return\n  }\n"
    code = [l for l in text.splitlines() if not l.lstrip().startswith("//")]
    if any(re.match(r"\s*module\b", l) for l in code):  # explicit module: main goes inside
        end = text.rindex("}")
        return text[:end] + main + text[end:]
    return text + "\n" + main


# ----------------------------------------------------------------------------
# Inputs and the float64 reference
# ----------------------------------------------------------------------------

def make_spec(ref, head_dim):
    return RopeSpec(head_dim=head_dim, rotary_dim=ref["rotary_dim"] or head_dim,
                    theta=ref["theta"] if ref["theta"] is not None else 1e4,
                    pairing=ref["pairing"], axes=ref["axes"], per_axis=ref["per_axis"],
                    scaling=ref["scaling"], attention_factor=ref["attention"])


def num_axes(ref):
    return len(ref["axes"][1]) if ref["axes"] and ref["axes"][0] != "custom" else (
        max(ref["axes"][1]) + 1 if ref["axes"] else 1)


def encode(values, elt):
    """(raw bytes, exact float64 values) of values in elt."""
    if elt in ("i32", "i64"):
        v = np.asarray(values).astype(np.int32 if elt == "i32" else np.int64)
        return v.tobytes(), v.astype(np.float64)
    if elt == "complex<f32>":
        v = np.asarray(values).astype(np.complex64)
        return v.tobytes(), v.astype(np.complex128)
    return to_bits(np.asarray(values, dtype=np.float64), elt)


def make_positions(rng, shape, ref):
    """Integer positions in [0, pos_max). With A > 1 axes and a leading dim
    A: half the tokens text-like (all rows equal), the rest distinct rows."""
    pos = rng.integers(0, ref["pos_max"], size=shape)
    a = num_axes(ref)
    if a > 1 and len(shape) >= 2 and shape[0] == a:
        flat = pos.reshape(a, -1)
        n = flat.shape[1]
        text_like = rng.permutation(n)[: n // 2]
        flat[:, text_like] = flat[0, text_like][None, :]
        pos = flat.reshape(shape)
    return pos


def token_positions(pos, ref, x_shape):
    """Positions [A, tokens...] (as reference.rotate wants) from a pos argument."""
    layout = ref["layout"]
    a = num_axes(ref)
    tokens = (x_shape[0], x_shape[2]) if layout == "bhsd" else (
        (x_shape[0], x_shape[1]) if layout == "bshd" else (x_shape[0],))
    p = np.asarray(pos, dtype=np.float64)
    if p.ndim == len(tokens) + 1:  # [A, tokens...]
        pass
    elif a == 1 and p.ndim <= len(tokens):  # [B, S], [S], [T]
        p = p[None]
    elif p.ndim == len(tokens) and p.shape[0] == a:  # [A, S] for bhsd/bshd
        p = p[:, None, :]
    else:
        raise CheckFailure("positions of shape %s do not fit layout %s with %d axes"
                           % (p.shape, layout, a))
    while p.ndim < len(tokens) + 1:
        p = p[:, None]
    return np.broadcast_to(p, (p.shape[0],) + tokens)


def to_x(table, x_ndim, layout):
    """Broadcasts a table [tdims..., W] against x [..., D]: a table with x's
    rank is used as it is (its head dim is 1); a shorter one is left-padded
    with 1s to x's rank - 1 and gets a head dim of 1 inserted where the
    layout has its heads (bhsd: 1, bshd: 2, thd: 1)."""
    if table.ndim == x_ndim:
        return table
    while table.ndim < x_ndim - 1:
        table = table[None]
    return np.expand_dims(table, HEAD_AXIS[layout])


def ref_x(x, ref, r):
    """x as the reference rotates it: with `deinterleave`, the rotary lanes
    reordered x[0:R:2] ++ x[1:R:2] (DeepSeek-V3's view/transpose/reshape)."""
    if not ref["deinterleave"]:
        return x
    return np.concatenate([x[..., 0:r:2], x[..., 1:r:2], x[..., r:]], axis=-1)


def make_inputs(hdr, args, seed):
    """(raws, values, references, description) for the graph."""
    ref = hdr["ref"]
    roles = hdr["ARGS"]
    if len(roles) != len(args):
        raise CheckFailure("ARGS names %d roles, @%s has %d arguments"
                           % (len(roles), hdr["FUNC"], len(args)))
    rng = np.random.default_rng(seed)
    xs = [i for i, r in enumerate(roles) if r == "x"]
    if not xs:
        raise CheckFailure("ARGS has no x")
    x_shape = args[xs[0]][0]
    d = ref["head_dim"] or x_shape[-1]
    r = ref["rotary_dim"] or d
    p = r // 2
    spec = make_spec(ref, d)
    raws, vals = [None] * len(args), [None] * len(args)
    for i, role in enumerate(roles):
        shape, elt = args[i]
        if role == "x":
            v = rng.uniform(-2, 2, size=shape)
            v[np.abs(v) < 1e-3] = 0.5
        elif role == "pos":
            v = make_positions(rng, shape, ref)
        elif role == "inv":
            inv = reference.scaled_inv_freq(spec)
            if int(np.prod(shape)) != p:
                raise CheckFailure("inv argument of shape %s, REF has %d pairs" % (shape, p))
            v = inv.reshape(shape)
        else:
            continue
        raws[i], vals[i] = encode(v, elt)
    # Tables: random angles [tdims..., P] per table shape, shared by cos and sin
    # (and by every table argument of the same leading shape).
    angles = {}

    def angle(tdims):
        if tdims not in angles:
            angles[tdims] = rng.uniform(0, 2000, size=tdims + (p,))
        return angles[tdims]

    tables = {}
    for i, role in enumerate(roles):
        shape, elt = args[i]
        if role in ("cos", "sin"):
            w = shape[-1]
            phi = angle(shape[:-1])
            f = np.cos(phi) if role == "cos" else np.sin(phi)
            if w == r:  # one entry per lane
                lanes = np.concatenate([f, f], -1) if ref["pairing"] == "half" else np.repeat(f, 2, -1)
            elif w == p:  # one entry per pair
                lanes = f
            else:
                raise CheckFailure("%s table of width %d: rotary_dim %d takes %d (lanes) or %d (pairs)"
                                   % (role, w, r, r, p))
            raws[i], vals[i] = encode(lanes, elt)
            pv = vals[i][..., :p] if (w == p or ref["pairing"] == "half") else vals[i][..., 0::2]
            tables[role] = pv
        elif role == "cis":
            if shape[-1] != p:
                raise CheckFailure("cis table of width %d, rotary_dim %d has %d pairs" % (shape[-1], r, p))
            phi = angle(shape[:-1])
            raws[i], vals[i] = encode(np.exp(1j * phi), elt)
            tables["cos"], tables["sin"] = vals[i].real, vals[i].imag

    # The float64 reference, from REF and the inputs alone.
    refs = []
    inv_i = [i for i, role in enumerate(roles) if role == "inv"]
    pos_i = [i for i, role in enumerate(roles) if role == "pos"]
    att = reference.attention_factor(spec)
    if tables:
        if "cos" not in tables or "sin" not in tables:
            raise CheckFailure("tables need both cos and sin (or cis)")
        kind = "tables"
        for i in xs:
            xv = vals[i]
            xv = ref_x(xv, ref, r)
            c = to_x(tables["cos"], xv.ndim, ref["layout"]) * att
            s = to_x(tables["sin"], xv.ndim, ref["layout"]) * att
            refs.append(reference.rotate_pairs(xv, c, -s if ref["inverse"] else s, ref["pairing"], r))
    elif pos_i and inv_i:
        kind = "inv-argument"
        inv = vals[inv_i[0]].reshape(-1)
        for i in xs:
            pos = token_positions(vals[pos_i[0]], ref, args[i][0])
            phi = np.moveaxis(pos[reference.axis_of_pair(spec)], 0, -1) * inv
            if ref["inverse"]:
                phi = -phi
            c = to_x(np.cos(phi) * att, vals[i].ndim, ref["layout"])
            s = to_x(np.sin(phi) * att, vals[i].ndim, ref["layout"])
            refs.append(reference.rotate_pairs(ref_x(vals[i], ref, r), c, s, ref["pairing"], r))
    elif pos_i:
        kind = "positions"
        if ref["theta"] is None:
            raise CheckFailure("REF has no theta for a positions-driven graph")
        for i in xs:
            pos = token_positions(vals[pos_i[0]], ref, args[i][0])
            refs.append(reference.rotate(spec, ref["layout"], ref_x(vals[i], ref, r), pos,
                                         inverse=ref["inverse"]))
    else:
        raise CheckFailure("ARGS has neither pos nor tables (cos/sin/cis)")
    return raws, vals, refs, kind, spec


def phase_slack(hdr, kind, spec):
    """What the graph's own f32 angles may lose: pos_max * max(inv) * 2^-22,
    for graphs that compute their angles from positions."""
    if kind == "tables":
        return 0.0
    inv = reference.scaled_inv_freq(spec)
    return hdr["ref"]["pos_max"] * float(np.max(inv)) * 2.0 ** -22 * reference.attention_factor(spec)


# ----------------------------------------------------------------------------
# Running
# ----------------------------------------------------------------------------

def run_tool(cmd, stdin_text):
    proc = subprocess.run(cmd, input=stdin_text, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise tools.ToolError("%s failed (exit %d):\n%s" % (
            os.path.basename(cmd[0]), proc.returncode, proc.stderr[-3000:]))
    return proc.stdout, proc.stderr


def inline_global_consts(module):
    """Replaces `ml_program.global_load_const @g` by an arith.constant of the
    global's value and drops such globals: no upstream pass bufferizes
    global_load_const, and this is what constant folding of an exported
    graph does. Other ml_program ops are left alone."""
    values = {}
    for m in re.finditer(r"^\s*ml_program\.global\s+(?:private\s+|public\s+)?@([\w.$]+)\s*\(", module, re.M):
        close = matching(module, m.end() - 1, "(", ")")
        values[m.group(1)] = (m.start(), module.index("\n", close) + 1 if "\n" in module[close:] else len(module),
                              module[m.end():close - 1].strip())
    if not values:
        return module

    def repl(m):
        name, ty = m.group(2), m.group(3)
        if name not in values:
            return m.group(0)
        value = re.sub(r"\s*:\s*tensor<[^>]*>\s*$", "", values[name][2])
        return "%s = arith.constant %s : %s" % (m.group(1), value, ty)
    out = re.sub(r"(%[\w.$#]+)\s*=\s*ml_program\.global_load_const\s+@([\w.$]+)\s*:\s*(tensor<[^>]*>)",
                 repl, module)
    for name, (start, end, _) in sorted(values.items(), key=lambda kv: -kv[1][0]):
        if "@" + name not in out[:start] + out[end:]:
            out = out[:start] + out[end:]
    return out


FORCE_UPSTREAM = False


def lower_and_run(module, pre):
    """(stdout of @main, 'rope' or 'upstream'): --rope-cpu-pipeline, which
    lowers every op of the corpus; the plain upstream pipeline with --upstream,
    to compare against."""
    module = inline_global_consts(module)
    for pipeline in pre:
        module = tools.run([tools.rope_opt(), "-p", "builtin.module(%s)" % pipeline, "-"], module)
    try:
        if FORCE_UPSTREAM:
            return tools.run_main(tools.run([tools.rope_opt(), "-p", UPSTREAM, "-"], module)), "upstream"
        return tools.run_main(tools.lower_cpu(module)), "rope"
    except tools.ToolError as e:
        raise CheckFailure("lowering and running failed: %s" % short(e))


def short(err, n=600):
    s = str(err).strip()
    return s if len(s) <= n else s[:n] + " ..."


def outputs(out, result_types):
    printed = parse_printed(out)
    if len(printed) != len(result_types):
        raise CheckFailure("main printed %d results, expected %d" % (len(printed), len(result_types)))
    return [from_ints(printed[i], parse_type(t)[1], parse_type(t)[0])
            for i, t in enumerate(result_types)]


def error(ys, refs):
    return max(float(np.max(np.abs(y - ref)) / max(np.max(np.abs(ref)), 1e-30))
               for y, ref in zip(ys, refs))


# ----------------------------------------------------------------------------
# EXPECT
# ----------------------------------------------------------------------------

_ROTATE = re.compile(r"rope\.rotate\s+(?:ins\((?P<ins>[^:]*):[^)]*\)\s*)?positions\(.*?"
                     r"layout = (?P<layout>\w+) pairing = (?P<pairing>\w+) "
                     r"head_dim = (?P<head_dim>\d+) rotary_dim = (?P<rotary_dim>\d+) "
                     r"theta = (?P<theta>[-+0-9.eE]+)(?P<rest>.*?)->")
_TABLES = re.compile(r"rope\.rotate_with_tables\s+(?:ins\((?P<ins>[^:]*):[^)]*\)\s*)?cos\(.*?"
                     r"layout = (?P<layout>\w+) pairing = (?P<pairing>\w+) "
                     r"head_dim = (?P<head_dim>\d+) rotary_dim = (?P<rotary_dim>\d+)")


def _close(a, b, rel=1e-6):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-30)


def _scaling_params(text):
    """{'kind': .., name: value} of a printed #rope.<kind><...>."""
    m = re.match(r"#rope\.(\w+)<(.*)>$", text)
    if not m:
        return None
    kind, body = m.groups()
    if kind == "freq_factors":
        return {"kind": kind, "factors": _floats(body.strip("[] ").replace(" ", ""))}
    out = {"kind": kind}
    for part in body.split(","):
        k, _, v = part.partition("=")
        out[k.strip()] = float(v)
    if kind == "yarn":  # parameters at their defaults are not printed
        out.setdefault("beta_fast", 32.0)
        out.setdefault("beta_slow", 1.0)
    return out


def check_rotate(func_text, hdr, spec, n_x):
    ref = hdr["ref"]
    lines = [" ".join(l.split()) for l in func_text.splitlines()]
    ops = [l for l in lines if re.search(r"rope\.rotate\s", l)]
    if not ops:
        raise CheckFailure("--rope-raise made no rope.rotate%s" % (
            " (made rope.rotate_with_tables)" if "rope.rotate_with_tables" in func_text else ""))
    if len(ops) != 1:
        raise CheckFailure("%d rope.rotate ops: q and k must be one op" % len(ops))
    m = _ROTATE.search(ops[0])
    if not m:
        raise CheckFailure("cannot read the rope.rotate: %s" % ops[0][:300])
    ins = (m.group("ins") or "").count("%")
    if n_x > 1 and ins != n_x:
        raise CheckFailure("rope.rotate rotates %d tensor(s), the graph %d: q and k not merged"
                           % (ins, n_x))
    want = {"layout": ref["layout"], "rotary_dim": str(spec.rotary_dim)}
    # With `deinterleave` the permutation may stay in front of a half-paired op
    # or be folded into an adjacent-paired one: either is right.
    pairings = ("half", "adjacent") if ref["deinterleave"] else (spec.pairing,)
    if m.group("pairing") not in pairings:
        raise CheckFailure("rope.rotate has pairing = %s, REF %s" % (m.group("pairing"), spec.pairing))
    for k, v in want.items():
        if m.group(k) != v:
            raise CheckFailure("rope.rotate has %s = %s, REF %s" % (k, m.group(k), v))
    if not _close(float(m.group("theta")), spec.theta):
        raise CheckFailure("rope.rotate has theta = %s, REF %g" % (m.group("theta"), spec.theta))
    rest = m.group("rest").strip()
    ma = re.search(r"axes = <(\w+) \[([-0-9, ]*)\]( per_axis)?>", rest)
    got_axes = (ma.group(1), [int(v) for v in ma.group(2).split(",")]) if ma else None
    if got_axes != (tuple(spec.axes) if spec.axes else None) and got_axes != spec.axes:
        if not (got_axes and spec.axes and got_axes[0] == spec.axes[0]
                and list(got_axes[1]) == list(spec.axes[1])):
            raise CheckFailure("rope.rotate has axes %s, REF %s" % (got_axes, spec.axes))
    if bool(ma and ma.group(3)) != spec.per_axis:
        raise CheckFailure("rope.rotate per_axis is %s, REF %s" % (bool(ma and ma.group(3)), spec.per_axis))
    ms = re.search(r"scaling = (#rope\.\w+<.*?>)(?= attention_factor| inverse| \{| ->|$)", rest)
    got = _scaling_params(ms.group(1)) if ms else None
    sc = spec.scaling
    if (got is None) != (sc is None):
        raise CheckFailure("rope.rotate scaling %s, REF %s" % (ms.group(1) if ms else "none",
                                                                sc["kind"] if sc else "none"))
    if sc is not None:
        if got["kind"] != sc["kind"]:
            raise CheckFailure("rope.rotate scaling is %s, REF %s" % (got["kind"], sc["kind"]))
        for k, v in sc.items():
            if k == "kind":
                continue
            g = got.get(k)
            if k == "factors":
                if len(g) != len(v) or not all(_close(a, b) for a, b in zip(g, v)):
                    raise CheckFailure("rope.rotate freq_factors differ from REF")
            elif g is None or not _close(float(g), float(v)):
                raise CheckFailure("rope.rotate scaling %s = %s, REF %s" % (k, g, v))
    mf = re.search(r"attention_factor = ([-+0-9.eE]+)", rest)
    if mf:
        eff = float(mf.group(1))
    else:
        eff = 0.1 * math.log(sc["factor"]) + 1.0 if sc and sc["kind"] == "yarn" else 1.0
    if not _close(eff, reference.attention_factor(spec)):
        raise CheckFailure("rope.rotate scales cos and sin by %g, REF by %g"
                           % (eff, reference.attention_factor(spec)))
    if bool(re.search(r"\binverse\b", rest)) != ref["inverse"]:
        raise CheckFailure("rope.rotate inverse is %s, REF %s"
                           % (bool(re.search(r"\binverse\b", rest)), ref["inverse"]))


def check_tables(func_text, hdr, spec):
    lines = [" ".join(l.split()) for l in func_text.splitlines()]
    ops = [l for l in lines if "rope.rotate_with_tables" in l]
    if not ops:
        raise CheckFailure("--rope-raise made no rope.rotate_with_tables%s" % (
            " (made rope.rotate)" if re.search(r"rope\.rotate\s", func_text) else ""))
    for op in ops:
        m = _TABLES.search(op)
        if not m:
            raise CheckFailure("cannot read the rope.rotate_with_tables: %s" % op[:300])
        pairings = ("half", "adjacent") if hdr["ref"]["deinterleave"] else (spec.pairing,)
        if m.group("layout") != hdr["ref"]["layout"] or m.group("pairing") not in pairings:
            raise CheckFailure("rope.rotate_with_tables has layout %s pairing %s, REF %s %s" % (
                m.group("layout"), m.group("pairing"), hdr["ref"]["layout"], spec.pairing))


def check_none(func_text, remarks):
    if re.search(r"rope\.rotate(_with_tables)?\s", func_text):
        raise CheckFailure("a near miss was raised")
    if "not raised:" not in remarks:
        raise CheckFailure("report=true gave no 'not raised:' remark")


# ----------------------------------------------------------------------------
# One file
# ----------------------------------------------------------------------------

def check(path, original_only=False, seed=0):
    """A result dict: ok, line, style, expect, original, raised, lowering, why."""
    res = {"file": path, "ok": False, "style": "?", "expect": "?", "original": None,
           "raised": None, "lowering": None, "as_expected": False}
    try:
        text = open(path).read()
        hdr = parse_header(text)
        res["style"], res["expect"] = hdr["STYLE"].split()[0], hdr["EXPECT"]
        arg_types, result_types = signature(text, hdr["FUNC"])
        args = [parse_type(t) for t in arg_types]
        raws, vals, refs, kind, spec = make_inputs(hdr, args, seed)
        if len(result_types) != len(refs):
            raise CheckFailure("@%s has %d results, ARGS %d x" % (hdr["FUNC"], len(result_types), len(refs)))
        out_elt = parse_type(result_types[0])[1]
        ref = hdr["ref"]
        tol = ref["tol"] if ref["tol"] is not None else DEFAULT_TOL[out_elt]
        otol = ref["otol"] if ref["otol"] is not None else tol + phase_slack(hdr, kind, spec)
        module = with_main(text, hdr["FUNC"], arg_types, result_types, raws)
        out, lowering = lower_and_run(module, hdr["PRE"])
        ys = outputs(out, result_types)
        res["original"], res["lowering"] = error(ys, refs), lowering
        near_miss = hdr["EXPECT"] == "none"
        if near_miss and res["original"] <= otol:
            raise CheckFailure("original error %.3e is within tolerance %.0e of the REF rope: "
                               "not a near miss" % (res["original"], otol))
        if not near_miss and res["original"] > otol:
            raise CheckFailure("original error %.3e > %.1e: the graph does not compute its REF "
                               "(lowering %s)" % (res["original"], otol, lowering))
        if not original_only:
            try:
                raised, remarks = run_tool([tools.rope_opt(), "-p",
                                            "builtin.module(func.func(rope-raise{report=true}))", "-"],
                                           module)
            except tools.ToolError as e:
                msg = str(e).split("\n", 1)[-1].strip()
                errors = [l.strip() for l in msg.splitlines() if "error:" in l]
                raise CheckFailure("--rope-raise failed: %s\n%s" % (errors[0] if errors else msg, msg))
            body = function_body(raised, hdr["FUNC"])
            try:
                if hdr["EXPECT"] == "rotate":
                    check_rotate(body, hdr, spec, len(refs))
                elif hdr["EXPECT"] == "tables":
                    check_tables(body, hdr, spec)
                else:
                    check_none(body, remarks)
                res["as_expected"] = True
            except CheckFailure as e:
                res["why_expect"] = str(e)
            out2, _ = lower_and_run(raised, hdr["PRE"])
            ys2 = outputs(out2, result_types)
            res["raised"] = error(ys2, refs)
            if not res["as_expected"]:
                raise CheckFailure(res["why_expect"])
            if near_miss:
                if any(not np.array_equal(a, b) for a, b in zip(ys, ys2)):
                    raise CheckFailure("the untouched near miss gives other numbers after --rope-raise")
            elif res["raised"] > res["original"] + 1e-12 or res["raised"] > tol:
                raise CheckFailure("raised error %.3e (original %.3e, tol %.0e)"
                                   % (res["raised"], res["original"], tol))
        res["ok"] = True
        res["line"] = "PASS %s style=%s expect=%s original=%.3e raised=%s lowering=%s" % (
            path, res["style"], res["expect"], res["original"],
            "skipped" if original_only else "%.3e" % res["raised"], res["lowering"])
    except (CheckFailure, tools.ToolError, OSError, subprocess.TimeoutExpired) as e:
        detail = str(e).strip()
        extra = []
        if res["original"] is not None:
            extra.append("original=%.3e" % res["original"])
        if res["raised"] is not None:
            extra.append("raised=%.3e" % res["raised"])
        res["why"] = one_line(detail) if detail else type(e).__name__
        res["detail"] = detail
        res["line"] = "FAIL %s: %s%s" % (path, res["why"], (" [" + " ".join(extra) + "]") if extra else "")
    return res


def one_line(detail, n=400):
    """The first error line of a tool's message (or its first line), shortened."""
    lines = [l.strip() for l in detail.splitlines() if l.strip()]
    errors = [l for l in lines if "error:" in l]
    first = lines[0]
    if errors and first.endswith(":"):
        first = first + " " + errors[0]
    return first if len(first) <= n else first[:n] + " ..."


def summary(directory, original_only, seed, jobs):
    files = sorted(os.path.join(root, f) for root, _, names in os.walk(directory)
                   for f in names if f.endswith(".mlir"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda f: check(f, original_only, seed), files))
    for r in results:
        print(r["line"])
    styles = sorted({r["style"] for r in results})

    def fmt(v):
        return "%.2e" % v if v is not None else "-"

    print()
    print("Errors vs float64 (relative to max |ref|), near misses (EXPECT none) left out:")
    print("%-18s %6s %5s %6s %9s %10s %10s" % ("style", "graphs", "near", "pass", "as-expect",
                                            "max orig", "max raised"))
    for st in styles + ["all"]:
        rs = [r for r in results if st in ("all", r["style"])]
        real = [r for r in rs if r["expect"] != "none"]
        origs = [r["original"] for r in real if r["original"] is not None]
        raised = [r["raised"] for r in real if r["raised"] is not None]
        print("%-18s %6d %5d %6d %9s %10s %10s" % (
            st, len(rs), len(rs) - len(real), sum(r["ok"] for r in rs),
            "-" if original_only else str(sum(r["as_expected"] for r in rs)),
            fmt(max(origs) if origs else None), fmt(max(raised) if raised else None)))
    return 0 if all(r["ok"] for r in results) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?")
    ap.add_argument("--summary", metavar="DIR")
    ap.add_argument("--original-only", action="store_true",
                    help="run the original graph only (validates the header's REF)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--upstream", action="store_true",
                    help="lower with the upstream pipeline only (not --rope-cpu-pipeline)")
    ap.add_argument("-j", "--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    a = ap.parse_args()
    global FORCE_UPSTREAM
    FORCE_UPSTREAM = a.upstream
    if a.summary:
        return summary(a.summary, a.original_only, a.seed, a.jobs)
    if not a.file:
        ap.error("give a FILE or --summary DIR")
    r = check(a.file, a.original_only, a.seed)
    print(r["line"])
    if not r["ok"] and r.get("detail", "") != r.get("why", ""):
        print("\n".join("  | " + l for l in r["detail"].splitlines()))
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
