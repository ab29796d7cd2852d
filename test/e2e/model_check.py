#!/usr/bin/env python3
"""Runs one decoder-layer graph of test/Models (README there).

    model_check.py FILE.mlir [--pipeline rope|upstream] [--original-only]
                             [--seed N] [--perturb WHAT]

The file's header says which HF module the graph is (MODEL), which function
to run (FUNC), what each argument is (ARGS: HF parameter names, `hidden`,
`pos`, `k_cache`, `v_cache`, `cache_pos`), what it returns (RESULTS: `out`,
`k_cache`, `v_cache`), the model's config (CONFIG) and what `--rope-raise`
must make of it (EXPECT). This script

 1. makes inputs for every argument from its role: projection weights
    N(0, 1/sqrt(fan_in)), norm weights 1 + N(0, 0.1), hidden states N(0, 1),
    positions (MRoPE: half the tokens text-like, the rest with distinct t, h
    and w rows), a run-time cache position, caches holding random earlier
    entries; all rounded to the argument's type,
 2. computes the layer in float64 numpy from HF's math and the config alone
    (`reference`: it shares nothing with the graph),
 3. raises the graph with `rope-raise{report=true}` and checks that the
    rotary embedding became the one `rope.rotate` EXPECT says (q and k in one
    op, theta, axes, scaling),
 4. lowers the original and the raised graph with --rope-cpu-pipeline (or,
    with --pipeline upstream, with corpus_check.UPSTREAM, linalg.softmax
    first decomposed by mlir-opt's transform interpreter), runs both under
    mlir-runner and compares each with float64: max |y - ref| / max |ref| per
    result, the largest over the results,
 5. prints `PASS <file> ...` with the errors and the time of each step, or
    `FAIL <file>: <why>`; exit code 0 or 1.

Tolerances: the raised graph computes its angles in f64 and must be within
`tol` (f32 1e-5, bf16 2e-2 unless CONFIG says); the original graph forms
pos * inv_freq in f32 as HF does, which loses up to pos_max * max(inv) *
2^-22 of phase, so its bound adds that (`otol`, as corpus_check does).

`--perturb` changes the reference (not the graph) in one way, to show that
a wrong number fails: `sequential` (MRoPE sections in sequence instead of
interleaved), `unscaled` (no llama3 scaling), `theta` (theta * 1.001),
`mask` (the causal mask one position wider), `eps` (eps * 100).
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
sys.path.insert(0, HERE)
from rope_mlir import tools  # noqa: E402
import corpus_check as cc  # noqa: E402

HEADER_KEYS = ("MODEL", "FUNC", "ARGS", "RESULTS", "CONFIG", "EXPECT", "KNOWN")
LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
NORMS = ("q_norm", "k_norm", "input_layernorm", "post_attention_layernorm")
ROLES = LINEAR + NORMS + ("hidden", "pos", "k_cache", "v_cache", "cache_pos")
RESULT_ROLES = ("out", "k_cache", "v_cache")
DEFAULT_TOL = {"f32": 1e-5, "bf16": 2e-2}
PERTURB = ("sequential", "unscaled", "theta", "mask", "eps")

# linalg.softmax through the upstream pipeline: its AggregatedOpInterface
# decomposition, applied by the transform interpreter of the stock mlir-opt.
DECOMPOSE_SOFTMAX = """module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %sm = transform.structured.match ops{["linalg.softmax"]} in %root : (!transform.any_op) -> !transform.any_op
    %d = transform.structured.decompose_interface %sm : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
"""


class CheckFailure(Exception):
    """The graph fails the check; the message says why."""


# ----------------------------------------------------------------------------
# Header
# ----------------------------------------------------------------------------

def parse_header(text):
    hdr = {}
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("//"):
            break
        m = re.match(r"//\s*([A-Z]+):\s*(.*?)\s*$", s)
        if m and m.group(1) in HEADER_KEYS:
            hdr[m.group(1)] = (hdr[m.group(1)] + " " + m.group(2)) if m.group(1) in hdr else m.group(2)
    for key in ("FUNC", "ARGS", "RESULTS", "CONFIG", "EXPECT"):
        if key not in hdr:
            raise CheckFailure("header has no %s line" % key)
    hdr["FUNC"] = hdr["FUNC"].split()[0].lstrip("@")
    hdr["ARGS"] = hdr["ARGS"].split()
    hdr["RESULTS"] = hdr["RESULTS"].split()
    for r in hdr["ARGS"]:
        if r not in ROLES:
            raise CheckFailure("unknown ARGS role %r (one of %s)" % (r, ", ".join(ROLES)))
    for r in hdr["RESULTS"]:
        if r not in RESULT_ROLES:
            raise CheckFailure("unknown RESULTS role %r (one of %s)" % (r, ", ".join(RESULT_ROLES)))
    hdr["EXPECT"] = hdr["EXPECT"].split()[0]
    if hdr["EXPECT"] not in ("rotate", "none"):
        raise CheckFailure("EXPECT must be rotate or none")
    hdr["cfg"] = parse_config(hdr["CONFIG"].split())
    return hdr


def parse_config(tokens):
    cfg = {"arch": None, "eps": 1e-6, "theta": None, "mrope": None, "scaling": None,
           "pos_max": 4096, "cache": None, "tol": None, "otol": None}
    ints = ("hidden", "heads", "kv_heads", "head_dim", "intermediate", "pos_max", "cache")
    for tok in tokens:
        key, eq, val = tok.partition("=")
        if not eq:
            raise CheckFailure("CONFIG: %r is not key=value" % tok)
        if key in ints:
            cfg[key] = int(val)
        elif key in ("eps", "theta", "tol", "otol"):
            cfg[key] = float(val)
        elif key == "arch":
            if val not in ("qwen3vl", "llama"):
                raise CheckFailure("CONFIG: arch must be qwen3vl or llama")
            cfg[key] = val
        elif key == "mrope":
            kind, _, sec = val.partition(":")
            if kind not in ("interleaved", "sequential"):
                raise CheckFailure("CONFIG: mrope must be interleaved:... or sequential:...")
            cfg[key] = (kind, [int(v) for v in sec.split(",")])
        elif key == "scaling":
            kind, _, vals = val.partition(":")
            v = [float(x) for x in vals.split(",")]
            if kind != "llama3" or len(v) != 4:
                raise CheckFailure("CONFIG: scaling must be llama3:factor,low,high,original")
            cfg[key] = {"kind": "llama3", "factor": v[0], "low_freq_factor": v[1],
                        "high_freq_factor": v[2], "original_max_position": int(v[3])}
        else:
            raise CheckFailure("CONFIG: unknown key %r" % key)
    for key in ("arch", "hidden", "heads", "kv_heads", "head_dim", "intermediate", "theta"):
        if cfg.get(key) is None:
            raise CheckFailure("CONFIG has no %s" % key)
    if cfg["mrope"] and sum(cfg["mrope"][1]) != cfg["head_dim"] // 2:
        raise CheckFailure("CONFIG: mrope sections must add up to head_dim / 2")
    return cfg


# ----------------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------------

def make_inputs(hdr, args, seed):
    """(raw bytes per argument, exact float64 values by role)."""
    cfg = hdr["cfg"]
    roles = hdr["ARGS"]
    if len(roles) != len(args):
        raise CheckFailure("ARGS names %d roles, @%s has %d arguments"
                           % (len(roles), hdr["FUNC"], len(args)))
    rng = np.random.default_rng(seed)
    raws, vals = [], {}
    for role, (shape, elt) in zip(roles, args):
        if role in LINEAR:
            v = rng.normal(0.0, 1.0 / np.sqrt(shape[1]), size=shape)
        elif role in NORMS:
            v = 1.0 + rng.normal(0.0, 0.1, size=shape)
        elif role in ("hidden", "k_cache", "v_cache"):
            v = rng.normal(0.0, 1.0, size=shape)
        elif role == "pos":
            ref = {"pos_max": cfg["pos_max"], "axes": cfg["mrope"]}
            v = cc.make_positions(rng, shape, ref)
        elif role == "cache_pos":
            if not cfg["cache"]:
                raise CheckFailure("a cache_pos argument needs CONFIG cache=")
            v = rng.integers(cfg["cache"] // 4, cfg["cache"], size=shape)
        raw, exact = cc.encode(v, elt)
        raws.append(raw)
        vals[role] = exact
    return raws, vals


# ----------------------------------------------------------------------------
# The float64 reference, from HF's modeling code and the config
# ----------------------------------------------------------------------------

def inv_freq(cfg, perturb=None):
    """_compute_default_rope_parameters (base ** (arange(0, dim, 2) / dim))
    and _compute_llama3_parameters, in float64."""
    d = cfg["head_dim"]
    theta = cfg["theta"] * (1.001 if perturb == "theta" else 1.0)
    inv = 1.0 / theta ** (np.arange(0, d, 2, dtype=np.float64) / d)
    sc = cfg["scaling"]
    if sc is None or perturb == "unscaled":
        return inv
    factor, low, high, l0 = (sc["factor"], sc["low_freq_factor"], sc["high_freq_factor"],
                             sc["original_max_position"])
    low_wavelen, high_wavelen = l0 / low, l0 / high
    wavelen = 2 * np.pi / inv
    llama = np.where(wavelen > low_wavelen, inv / factor, inv)
    smooth = (l0 / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * llama / factor + smooth * llama
    medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
    return np.where(medium, smoothed, llama)


def cos_sin(cfg, pos, perturb=None):
    """cos, sin [B, S, D]: HF's rotary embedding (cat((freqs, freqs), -1)).
    pos: [3, B, S] with MRoPE (apply_interleaved_mrope, or Qwen2-VL's
    sections in sequence), else [B, S]."""
    inv = inv_freq(cfg, perturb)
    freqs = pos[..., None] * inv
    if cfg["mrope"]:
        kind, sec = cfg["mrope"]
        if perturb == "sequential":
            kind = "sequential"
        if kind == "interleaved":
            ft = freqs[0].copy()
            for dim, offset in ((1, 1), (2, 2)):
                length = sec[dim] * 3
                ft[..., offset:length:3] = freqs[dim, ..., offset:length:3]
        else:
            bounds = np.cumsum([0] + list(sec))
            ft = np.concatenate([freqs[i, ..., bounds[i]:bounds[i + 1]] for i in range(3)], -1)
        freqs = ft
    emb = np.concatenate([freqs, freqs], -1)
    return np.cos(emb), np.sin(emb)


def rms_norm(x, w, eps):
    return w * (x / np.sqrt(np.mean(x * x, -1, keepdims=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], -1)


def softmax(x):
    e = np.exp(x - np.max(x, -1, keepdims=True))
    return e / np.sum(e, -1, keepdims=True)


def reference(hdr, v, perturb=None):
    """The decoder layer in float64: {result role: array}."""
    cfg = hdr["cfg"]
    h, kvh, d = cfg["heads"], cfg["kv_heads"], cfg["head_dim"]
    eps = cfg["eps"] * (100 if perturb == "eps" else 1)
    hs = v["hidden"]
    b, s, _ = hs.shape
    decode = "cache_pos" in v
    if decode:
        p = int(v["cache_pos"].reshape(-1)[0])
        pos = np.full((b, s), p, dtype=np.float64)
    else:
        pos = v["pos"]
    cos, sin = cos_sin(cfg, pos, perturb)
    cos, sin = cos[:, None], sin[:, None]  # unsqueeze(1): [B, 1, S, D]

    def linear(x, name):
        return x @ v[name].T

    x = rms_norm(hs, v["input_layernorm"], eps)
    q = linear(x, "q_proj").reshape(b, s, h, d)
    k = linear(x, "k_proj").reshape(b, s, kvh, d)
    val = linear(x, "v_proj").reshape(b, s, kvh, d)
    if cfg["arch"] == "qwen3vl":
        q = rms_norm(q, v["q_norm"], eps)
        k = rms_norm(k, v["k_norm"], eps)
    q, k, val = (t.transpose(0, 2, 1, 3) for t in (q, k, val))
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    out = {}
    if decode:
        kc, vc = v["k_cache"].copy(), v["v_cache"].copy()
        kc[:, :, p:p + s] = k
        vc[:, :, p:p + s] = val
        out["k_cache"], out["v_cache"] = kc, vc
        k, val = kc, vc
        q_pos = np.arange(p, p + s)
    else:
        q_pos = np.arange(s)
    kv_pos = np.arange(k.shape[2])
    allowed = kv_pos[None, :] <= q_pos[:, None] + (1 if perturb == "mask" else 0)
    mask = np.where(allowed, 0.0, -np.inf)
    k = np.repeat(k, h // kvh, axis=1)
    val = np.repeat(val, h // kvh, axis=1)
    scores = (q @ k.transpose(0, 1, 3, 2)) * d ** -0.5 + mask
    attn = softmax(scores) @ val
    attn = attn.transpose(0, 2, 1, 3).reshape(b, s, h * d)
    hs = hs + linear(attn, "o_proj")
    x = rms_norm(hs, v["post_attention_layernorm"], eps)
    gate = linear(x, "gate_proj")
    act = gate / (1.0 + np.exp(-gate))
    out["out"] = hs + linear(act * linear(x, "up_proj"), "down_proj")
    return out


# ----------------------------------------------------------------------------
# Raising
# ----------------------------------------------------------------------------

def check_raised(body, cfg):
    """The one rope.rotate EXPECT rotate asks for; returns its summary."""
    lines = [" ".join(l.split()) for l in body.splitlines()]
    if any("rope.rotate_with_tables" in l for l in lines):
        raise CheckFailure("--rope-raise made rope.rotate_with_tables, not rope.rotate")
    ops = [l for l in lines if re.search(r"rope\.rotate\s", l)]
    if not ops:
        raise CheckFailure("--rope-raise made no rope.rotate")
    if len(ops) != 1:
        raise CheckFailure("%d rope.rotate ops: q and k must be one op" % len(ops))
    m = cc._ROTATE.search(ops[0])
    if not m:
        raise CheckFailure("cannot read the rope.rotate: %s" % ops[0][:300])
    if (m.group("ins") or "").count("%") != 2:
        raise CheckFailure("the rope.rotate does not rotate q and k together: %s" % ops[0][:300])
    d = cfg["head_dim"]
    if m.group("pairing") != "half" or int(m.group("head_dim")) != d or int(m.group("rotary_dim")) != d:
        raise CheckFailure("rope.rotate has pairing %s head_dim %s rotary_dim %s, the model half %d %d"
                           % (m.group("pairing"), m.group("head_dim"), m.group("rotary_dim"), d, d))
    if m.group("layout") not in ("bhsd", "bshd"):
        raise CheckFailure("rope.rotate has layout %s" % m.group("layout"))
    if not cc._close(float(m.group("theta")), cfg["theta"]):
        raise CheckFailure("rope.rotate has theta %s, the model %g" % (m.group("theta"), cfg["theta"]))
    rest = m.group("rest").strip()
    ma = re.search(r"axes = <(\w+) \[([-0-9, ]*)\]( per_axis)?>", rest)
    got_axes = (ma.group(1), [int(x) for x in ma.group(2).split(",")]) if ma else None
    want_axes = (cfg["mrope"][0], list(cfg["mrope"][1])) if cfg["mrope"] else None
    if got_axes != want_axes or (ma and ma.group(3)):
        raise CheckFailure("rope.rotate has axes %s, the model %s" % (got_axes, want_axes))
    ms = re.search(r"scaling = (#rope\.\w+<.*?>)(?= attention_factor| inverse| \{| ->|$)", rest)
    got = cc._scaling_params(ms.group(1)) if ms else None
    sc = cfg["scaling"]
    if (got is None) != (sc is None):
        raise CheckFailure("rope.rotate scaling %s, the model %s"
                           % (ms.group(1) if ms else "none", sc["kind"] if sc else "none"))
    if sc is not None:
        if got["kind"] != sc["kind"]:
            raise CheckFailure("rope.rotate scaling is %s, the model %s" % (got["kind"], sc["kind"]))
        for key, want in sc.items():
            if key != "kind" and not cc._close(float(got.get(key, float("nan"))), float(want)):
                raise CheckFailure("rope.rotate scaling %s = %s, the model %s" % (key, got.get(key), want))
    if "attention_factor" in rest or " inverse" in rest:
        raise CheckFailure("rope.rotate has an attention factor or inverse: %s" % rest.strip())
    summary = "rope.rotate(layout=%s" % m.group("layout")
    if got_axes:
        summary += " axes=%s:%s" % (got_axes[0], ",".join(str(x) for x in got_axes[1]))
    if got:
        summary += " scaling=%s" % got["kind"]
    return summary + ")"


# ----------------------------------------------------------------------------
# Lowering and running
# ----------------------------------------------------------------------------

class Timer:
    def __init__(self):
        self.t = {}

    def run(self, key, fn, *a):
        t0 = time.perf_counter()
        try:
            return fn(*a)
        finally:
            self.t[key] = self.t.get(key, 0.0) + time.perf_counter() - t0


def lower(module, pipeline):
    if pipeline == "rope":
        return tools.lower_cpu(module)
    if "linalg.softmax" in module:
        module = tools.run([tools.rope_opt(), "-p", "builtin.module(any(rope-decompose))", "-"], module)
        with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
            f.write(DECOMPOSE_SOFTMAX)
        try:
            module = tools.run([os.path.join(tools.LLVM_BIN, "mlir-opt"),
                                "--transform-preload-library=transform-library-paths=" + f.name,
                                "--transform-interpreter", "-"], module)
        finally:
            os.unlink(f.name)
    return tools.run([tools.rope_opt(), "-p", cc.UPSTREAM, "-"], module)


def run_graph(module, pipeline, timer, tag, result_types):
    try:
        lowered = timer.run("lower " + tag, lower, module, pipeline)
    except tools.ToolError as e:
        raise CheckFailure("%s graph: %s does not lower it:\n%s" % (
            tag, "--rope-cpu-pipeline" if pipeline == "rope" else "the upstream pipeline", e))
    try:
        out = timer.run("run " + tag, tools.run_main, lowered)
    except tools.ToolError as e:
        raise CheckFailure("%s graph: mlir-runner fails:\n%s" % (tag, e))
    return cc.outputs(out, result_types)


def errors(ys, refs, roles):
    return {r: float(np.max(np.abs(y - refs[r])) / max(np.max(np.abs(refs[r])), 1e-30))
            for r, y in zip(roles, ys)}


# ----------------------------------------------------------------------------
# One file
# ----------------------------------------------------------------------------

def check(path, pipeline="rope", original_only=False, seed=0, perturb=None):
    res = {"ok": False, "original": None, "raised": None}
    timer = Timer()
    t_start = time.perf_counter()
    try:
        text = open(path).read()
        hdr = parse_header(text)
        cfg = hdr["cfg"]
        arg_types, result_types = cc.signature(text, hdr["FUNC"])
        args = [cc.parse_type(t) for t in arg_types]
        if len(result_types) != len(hdr["RESULTS"]):
            raise CheckFailure("@%s has %d results, RESULTS names %d"
                               % (hdr["FUNC"], len(result_types), len(hdr["RESULTS"])))
        out_elt = cc.parse_type(result_types[0])[1]
        tol = cfg["tol"] if cfg["tol"] is not None else DEFAULT_TOL[out_elt]
        inv = inv_freq(cfg)
        slack = cfg["pos_max"] * float(np.max(inv)) * 2.0 ** -22 if "pos" in hdr["ARGS"] else (
            (cfg["cache"] or 0) * float(np.max(inv)) * 2.0 ** -22)
        otol = cfg["otol"] if cfg["otol"] is not None else tol + slack
        raws, vals = make_inputs(hdr, args, seed)
        refs = reference(hdr, vals, perturb)
        module = cc.with_main(text, hdr["FUNC"], arg_types, result_types, raws)

        summary = "skipped"
        raised = None
        if not original_only:
            try:
                raised, remarks = timer.run("raise", cc.run_tool, [
                    tools.rope_opt(), "-p", "builtin.module(func.func(rope-raise{report=true}))", "-"],
                    module)
            except tools.ToolError as e:
                raise CheckFailure("--rope-raise failed:\n%s" % e)
            body = cc.function_body(raised, hdr["FUNC"])
            if hdr["EXPECT"] == "rotate" and "KNOWN" in hdr:
                # A known raising limitation: nothing may be raised yet, and
                # the day it is, this says to drop the KNOWN line.
                if re.search(r"rope\.rotate(_with_tables)?\s", body):
                    try:
                        summary = check_raised(body, cfg)
                    except CheckFailure as e:
                        raise CheckFailure("KNOWN says not raised, but --rope-raise made a rope op "
                                           "that EXPECT does not accept either: %s" % e)
                    raise CheckFailure("raised as EXPECT says (%s): the KNOWN limitation is gone, "
                                       "drop the KNOWN line" % summary)
                summary = "not-raised(KNOWN)"
                raised = None
            elif hdr["EXPECT"] == "rotate":
                try:
                    summary = check_raised(body, cfg)
                except CheckFailure as e:
                    notes = [l.strip() for l in remarks.splitlines() if "not raised" in l or "remark" in l]
                    raise CheckFailure("%s%s" % (e, ("\n--rope-raise remarks:\n" + "\n".join(notes[:20]))
                                                 if notes else "\n(--rope-raise gave no remark)"))
            else:
                if re.search(r"rope\.rotate(_with_tables)?\s", body):
                    raise CheckFailure("EXPECT none, but --rope-raise made a rope op")
                summary = "none"

        ys = run_graph(module, pipeline, timer, "original", result_types)
        res["original"] = errors(ys, refs, hdr["RESULTS"])
        if raised is not None:
            ys2 = run_graph(raised, pipeline, timer, "raised", result_types)
            res["raised"] = errors(ys2, refs, hdr["RESULTS"])
            scale = {r: max(np.max(np.abs(refs[r])), 1e-30) for r in hdr["RESULTS"]}
            res["diff"] = max(float(np.max(np.abs(a - b))) / scale[r]
                              for r, a, b in zip(hdr["RESULTS"], ys, ys2))
        worst_o = max(res["original"].values())
        problems = []
        if worst_o > otol:
            problems.append("original error %.3e > %.1e" % (worst_o, otol))
        if res["raised"] is not None:
            worst_r = max(res["raised"].values())
            if worst_r > tol:
                problems.append("raised error %.3e > %.1e" % (worst_r, tol))
        if problems:
            raise CheckFailure("; ".join(problems) + " (%s)" % fmt_errors(res))
        res["ok"] = True
        res["line"] = "PASS %s dtype=%s %s %s tol=%.0e otol=%.1e lowering=%s time=%.1fs (%s)" % (
            path, out_elt, summary, fmt_errors(res), tol, otol, pipeline,
            time.perf_counter() - t_start, fmt_times(timer))
    except (CheckFailure, cc.CheckFailure, tools.ToolError, OSError, subprocess.TimeoutExpired) as e:
        detail = str(e).strip()
        res["detail"] = detail
        first = detail.splitlines()[0] if detail else type(e).__name__
        res["line"] = "FAIL %s: %s" % (path, first)
    return res


def fmt_errors(res):
    def one(d):
        if len(d) == 1:
            return "%.3e" % next(iter(d.values()))
        return "max %.3e (%s)" % (max(d.values()), " ".join("%s %.2e" % kv for kv in d.items()))
    out = ["original=" + one(res["original"])] if res.get("original") else []
    if res.get("raised"):
        out.append("raised=" + one(res["raised"]))
        out.append("raised-vs-original=%.3e" % res["diff"])
    return " ".join(out)


def fmt_times(timer):
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return ", ".join("%s %.1fs" % kv for kv in timer.t.items()) + ", peak tool RSS %.0f MiB" % rss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--pipeline", choices=("rope", "upstream"), default="rope",
                    help="lower with --rope-cpu-pipeline (default) or corpus_check.UPSTREAM")
    ap.add_argument("--original-only", action="store_true", help="run the original graph only")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--perturb", choices=PERTURB, help="change the reference: a wrong number must FAIL")
    a = ap.parse_args()
    r = check(a.file, a.pipeline, a.original_only, a.seed, a.perturb)
    print(r["line"])
    if not r["ok"] and "\n" in r.get("detail", ""):
        print("\n".join("  | " + l for l in r["detail"].splitlines()[1:60]))
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
