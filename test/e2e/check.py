#!/usr/bin/env python3
"""End-to-end numeric check of one rope configuration on the CPU.

Builds a module whose @kernel holds a `rope.rotate`, whose @main feeds it
varied inputs (as exact hex constants) and prints the results bit-exactly;
compiles it with `rope-opt --rope-cpu-pipeline`, runs it with mlir-runner,
and compares against the float64 reference of python/rope_mlir/reference.py.
Exits 1 when the numbers are off. Prints one PASS/FAIL line with the error.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from rope_mlir import reference, tools  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402
from harness import dense, from_ints, parse_printed, print_bits, to_bits, ttype  # noqa: E402

TOL = {"f32": 1e-5, "f16": 1.5e-3, "bf16": 8e-3}


def parse_kv(text):
    kind, _, rest = text.partition(":")
    out = {"kind": kind}
    for item in filter(None, rest.split(",")):
        k, _, v = item.partition("=")
        out[k] = [float(t) for t in v.split("/")] if "/" in v else float(v)
        if k == "original_max_position":
            out[k] = int(out[k])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--name", default="case")
    ap.add_argument("--layout", default="bhsd", choices=["bhsd", "bshd", "thd", "packed"])
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--seq", type=int, default=8, help="sequence length (tokens for thd/packed)")
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2, help="0: rotate q only")
    ap.add_argument("--head-dim", type=int, default=128)
    ap.add_argument("--rotary-dim", type=int, default=0, help="0: head_dim")
    ap.add_argument("--theta", type=float, default=10000.0)
    ap.add_argument("--pairing", default="half", choices=["half", "adjacent"])
    ap.add_argument("--axes", default="", help="kind:s0,s1,... e.g. interleaved:24,20,20")
    ap.add_argument("--per-axis", action="store_true")
    ap.add_argument("--scaling", default="", help="kind:k=v,... e.g. yarn:factor=3,original_max_position=32768")
    ap.add_argument("--attention-factor", type=float, default=None)
    ap.add_argument("--seq-len", type=int, default=0, help="seq_len operand (dynamic NTK)")
    ap.add_argument("--dtype", default="f32", choices=["f32", "f16", "bf16"])
    ap.add_argument("--pos-dtype", default="i64", choices=["i32", "i64", "f32"])
    ap.add_argument("--pos-max", type=int, default=4096)
    ap.add_argument("--text-positions", action="store_true", help="all axes equal (R3-text)")
    ap.add_argument("--compare-plain", action="store_true",
                    help="also run plain RoPE on row 0 and require identical bits (R3-text)")
    ap.add_argument("--dynamic", action="store_true", help="dynamic sequence dimension")
    ap.add_argument("--in-place", action="store_true")
    ap.add_argument("--roundtrip", action="store_true", help="rotate, then rotate inverse (R1-inverse)")
    ap.add_argument("--report-hf-error", action="store_true",
                    help="also report HF's float32 angle error (R5)")
    ap.add_argument("--tol", type=float, default=None)
    ap.add_argument("--pipeline-options", default="")
    ap.add_argument("--mutate-reference", default="",
                    choices=["", "sequential", "adjacent", "theta", "ggml-imrope"],
                    help="check against a deliberately wrong reference (must fail)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dump", default="", help="write the generated module here")
    a = ap.parse_args()

    rotary = a.rotary_dim or a.head_dim
    axes = None
    if a.axes:
        kind, _, vals = a.axes.partition(":")
        axes = (kind, [int(v) for v in vals.split(",")])
    spec = RopeSpec(head_dim=a.head_dim, rotary_dim=rotary, theta=a.theta, pairing=a.pairing,
                    axes=axes, per_axis=a.per_axis,
                    scaling=parse_kv(a.scaling) if a.scaling else None,
                    attention_factor=a.attention_factor)
    num_axes = spec.num_axes
    rng = np.random.default_rng(a.seed)

    if a.layout in ("bhsd", "bshd"):
        tok_shape = (a.batch, a.seq)
        seq_dim = 2 if a.layout == "bhsd" else 1

        def xshape(h):
            return (a.batch, h, a.seq, a.head_dim) if a.layout == "bhsd" else (a.batch, a.seq, h, a.head_dim)
    else:
        tok_shape = (a.seq,)
        seq_dim = 0

        def xshape(h):
            return (a.seq, h, a.head_dim) if a.layout == "thd" else (a.seq, h * a.head_dim)

    heads = [a.heads] + ([a.kv_heads] if a.kv_heads else [])
    shapes = [xshape(h) for h in heads]
    xs_raw, xs = [], []
    for s in shapes:
        x = rng.uniform(-2.0, 2.0, size=s)
        x[np.abs(x) < 1e-3] = 0.5
        raw, vals = to_bits(x, a.dtype)
        xs_raw.append(raw)
        xs.append(vals)

    pos_shape = (num_axes,) + tok_shape
    if a.text_positions:
        row = rng.integers(0, a.pos_max, size=tok_shape)
        pos = np.broadcast_to(row, pos_shape).copy()
    else:
        pos = rng.integers(0, a.pos_max, size=pos_shape)
    np_pos = {"i32": np.int32, "i64": np.int64, "f32": np.float32}[a.pos_dtype]
    pos = pos.astype(np_pos)

    elt = a.dtype
    dyn_x = (seq_dim,) if a.dynamic else ()
    dyn_p = (1 + (1 if a.layout in ("bhsd", "bshd") else 0),) if a.dynamic else ()
    xt = [ttype(s, elt, dyn_x) for s in shapes]
    pt = ttype(pos_shape, a.pos_dtype, dyn_p)
    n = len(shapes)
    xargs = ["%%x%d" % i for i in range(n)]

    def rope_call(res, srcs, dests, positions, inverse, axes_spec):
        ins = "" if srcs is None else "ins(%s : %s) " % (", ".join(srcs), ", ".join(xt))
        seq_len = " seq_len(%L)" if spec.scaling and spec.scaling["kind"] == "dynamic_ntk" else ""
        return "    %s = rope.rotate %spositions(%s : %s)%s outs(%s : %s) %s -> %s\n" % (
            res, ins, positions, pt if axes_spec is spec else ptype_plain, seq_len,
            ", ".join(dests), ", ".join(xt), axes_spec.attributes(a.layout, inverse), ", ".join(xt))

    plain = RopeSpec(head_dim=spec.head_dim, rotary_dim=rotary, theta=spec.theta, pairing=spec.pairing,
                     scaling=spec.scaling, attention_factor=spec.attention_factor)
    ptype_plain = ttype((1,) + tok_shape, a.pos_dtype, dyn_p)

    def kernel(name, kspec, posarg_type):
        body = "  func.func @%s(%s, %%pos: %s) -> (%s) {\n" % (
            name, ", ".join("%s: %s" % (v, t) for v, t in zip(xargs, xt)), posarg_type, ", ".join(xt))
        body += "    %%L = arith.constant %d : index\n" % a.seq_len
        dests = xargs
        srcs = xargs
        if not a.in_place:
            dests = []
            for i, v in enumerate(xargs):
                dyn = ""
                if a.dynamic:
                    body += "    %%c%d_%d = arith.constant %d : index\n" % (i, seq_dim, seq_dim)
                    body += "    %%d%d = tensor.dim %s, %%c%d_%d : %s\n" % (i, v, i, seq_dim, xt[i])
                    dyn = "%%d%d" % i
                body += "    %%e%d = tensor.empty(%s) : %s\n" % (i, dyn, xt[i])
                dests.append("%%e%d" % i)
        else:
            srcs = None
        res = "%%r:%d" % n
        body += rope_call(res, srcs, dests, "%pos", False, kspec)
        outs = ["%%r#%d" % i for i in range(n)]
        if a.roundtrip:
            body += rope_call("%%t:%d" % n, None, outs, "%pos", True, kspec)
            outs = ["%%t#%d" % i for i in range(n)]
        body += "    return %s : %s\n  }\n" % (", ".join(outs), ", ".join(xt))
        return body

    ibits = 32 if elt == "f32" else 16
    module = "module {\n"
    module += kernel("kernel", spec, pt)
    if a.compare_plain:
        module += kernel("plain", plain, ptype_plain)
    module += "  func.func private @printMemrefI%d(memref<*xi%d>) attributes {llvm.emit_c_interface}\n" % (ibits, ibits)
    module += "  func.func @main() {\n"
    static_t = [ttype(s, elt) for s in shapes]
    for i, (raw, s) in enumerate(zip(xs_raw, shapes)):
        module += "    %%s%d = %s\n" % (i, dense(raw, s, elt))
        module += "    %%x%d = tensor.cast %%s%d : %s to %s\n" % (i, i, static_t[i], xt[i])
    module += "    %%ps = %s\n" % dense(pos.tobytes(), pos_shape, a.pos_dtype)
    module += "    %%pos = tensor.cast %%ps : %s to %s\n" % (ttype(pos_shape, a.pos_dtype), pt)
    calls = [("kernel", "%pos")]
    if a.compare_plain:
        prow_static = ttype((1,) + tok_shape, a.pos_dtype)
        zeros = ", ".join(["0"] * (len(tok_shape) + 1))
        sizes = ", ".join(["1"] + [str(t) for t in tok_shape])
        ones = ", ".join(["1"] * (len(tok_shape) + 1))
        module += "    %%prow = tensor.extract_slice %%ps[%s] [%s] [%s] : %s to %s\n" % (
            zeros, sizes, ones, ttype(pos_shape, a.pos_dtype), prow_static)
        module += "    %%prowc = tensor.cast %%prow : %s to %s\n" % (prow_static, ptype_plain)
        calls.append(("plain", "%prowc"))
    for c, (fn, parg) in enumerate(calls):
        module += "    %%o%d:%d = call @%s(%s, %s) : (%s, %s) -> (%s)\n" % (
            c, n, fn, ", ".join(xargs), parg, ", ".join(xt), pt if fn == "kernel" else ptype_plain,
            ", ".join(xt))
        for i, s in enumerate(shapes):
            module += "    %%c%d_%d = tensor.cast %%o%d#%d : %s to %s\n" % (c, i, c, i, xt[i], static_t[i])
            module += print_bits("p%d_%d" % (c, i), "%%c%d_%d" % (c, i), static_t[i], elt, ibits)
    module += "    return\n  }\n}\n"
    if a.dump:
        with open(a.dump, "w") as f:
            f.write(module)

    try:
        out = tools.run_main(tools.lower_cpu(module, a.pipeline_options))
    except tools.ToolError as e:
        print("FAIL %s: %s" % (a.name, e))
        return 1
    results = parse_printed(out)
    expect_chunks = n * len(calls)
    if len(results) != expect_chunks:
        print("FAIL %s: expected %d printed tensors, got %d" % (a.name, expect_chunks, len(results)))
        return 1

    ref_spec = spec
    if a.mutate_reference == "sequential":
        ref_spec = RopeSpec(**{**spec.__dict__, "axes": ("sequential", spec.axes[1])})
    elif a.mutate_reference == "adjacent":
        ref_spec = RopeSpec(**{**spec.__dict__, "pairing": "adjacent" if spec.pairing == "half" else "half"})
    elif a.mutate_reference == "theta":
        ref_spec = RopeSpec(**{**spec.__dict__, "theta": spec.theta * 1.001})
    elif a.mutate_reference == "ggml-imrope":
        # ggml sends Qwen3-VL pairs 61 and 62 to a fourth position, 0 for text
        # (SPEC R3, known divergence); model that with a fourth, zero row.
        p = rotary // 2
        axis_map = list(reference.axis_of_pair(spec))
        axis_map[61], axis_map[62] = 3, 3
        ref_spec = RopeSpec(**{**spec.__dict__, "axes": ("custom", axis_map)})
        pos = np.concatenate([pos, np.zeros((1,) + pos.shape[1:], dtype=pos.dtype)])
        assert p == 64
    seq_len = a.seq_len or None
    worst = 0.0
    tol = a.tol if a.tol is not None else TOL[elt]
    for i, (x, s) in enumerate(zip(xs, shapes)):
        if a.roundtrip:
            ref = x
        else:
            ref = reference.rotate(ref_spec, a.layout, x, pos, seq_len)
        got = from_ints(results[i], elt, s)
        err = float(np.max(np.abs(got - ref)) / np.max(np.abs(ref)))
        worst = max(worst, err)
    if a.compare_plain:
        for i in range(n):
            if results[i] != results[n + i]:
                print("FAIL %s: MRoPE with equal position rows differs from plain RoPE (R3-text)" % a.name)
                return 1
        print("R3-text: MRoPE output is bit-identical to plain RoPE")
    extra = ""
    if a.report_hf_error:
        extra = " hf_f32_sin_error=%.3e" % reference.hf_f32_angle_error(spec, pos)
    status = "PASS" if worst <= tol else "FAIL"
    print("%s %s: max_rel_err=%.3e tol=%.1e%s" % (status, a.name, worst, tol, extra))
    return 0 if status == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
