#!/usr/bin/env python3
"""Raising preserves numbers (SPEC R5): runs a graph before and after
`--rope-raise`, both through `--rope-cpu-pipeline` under mlir-runner, on
varied inputs, and compares both with the float64 value of
`x * cos + rotate_half(x) * sin`. The raised graph must contain a rope op and
its error must be no larger than the original's.

The graph is either `@NAME(%x, %cos, %sin) -> y` (tables given), or, with
`--theta` (and `--axes`), `@NAME(%q, %k, %positions) -> (q', k')` whose
tables are computed in the graph; the reference then comes from SPEC.md's
rope with that theta and those sections, stated on the command line.
Static shapes.
"""

import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(__file__))
from rope_mlir import reference, tools  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402
from harness import dense, from_ints, parse_printed, print_bits, to_bits  # noqa: E402

HEAD_AXIS = {"bhsd": 1, "bshd": 2, "thd": 1}


def parse_type(t):
    m = re.fullmatch(r"tensor<([0-9x]+)x(f32|f16|bf16|i32|i64)>", t.strip())
    if not m:
        raise SystemExit("raise_check: unsupported type %r (static tensors only)" % t)
    return tuple(int(d) for d in m.group(1).split("x")), m.group(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file")
    ap.add_argument("--func", required=True)
    ap.add_argument("--layout", required=True, choices=sorted(HEAD_AXIS))
    ap.add_argument("--tol", type=float, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--theta", type=float, default=None, help="positions-driven graph: its base")
    ap.add_argument("--axes", default="", help="positions-driven graph: kind:s0,s1,...")
    ap.add_argument("--pos-max", type=int, default=4096)
    ap.add_argument("--pairing", default="half", choices=["half", "adjacent"])
    ap.add_argument("--per-axis", action="store_true", help="positions-driven: per-axis spectrum (R2)")
    ap.add_argument("--pre", default="", help="passes run on both graphs before the CPU "
                    "pipeline, e.g. TOSA's lowering to linalg")
    a = ap.parse_args()

    text = open(a.file).read()
    m = re.search(r"func\.func @%s\((.*?)\)\s*->\s*\(?(.*?)\)?\s*\{" % re.escape(a.func), text, re.S)
    if not m:
        raise SystemExit("raise_check: no func @%s" % a.func)
    arg_types = [t.split(":", 1)[1].strip() for t in re.split(r",\s*(?=%)", m.group(1))]
    result_types = [t.strip() for t in re.split(r",\s*(?=tensor)", m.group(2))]
    args = [parse_type(t) for t in arg_types]
    rng = np.random.default_rng(a.seed)
    raws, vals = [], []
    for shape, elt in args:
        if elt in ("i32", "i64"):
            v = rng.integers(0, a.pos_max, size=shape).astype(np.int64 if elt == "i64" else np.int32)
            raws.append(v.tobytes())
            vals.append(v)
        else:
            raws.append(None)
            vals.append(None)
    if a.theta is None:
        # Tables given: x, cos, sin with cos/sin = cos/sin of cat(phi, phi).
        xs, elt = args[0]
        x = rng.uniform(-2, 2, size=xs)
        x[np.abs(x) < 1e-3] = 0.5
        d = xs[-1]
        per_pair = args[1][0][-1] == d // 2  # [..., P] tables, else [..., D]
        phi = rng.uniform(0, 2000, size=args[1][0][:-1] + (d // 2,))
        if not per_pair:
            phi = np.concatenate([phi, phi], axis=-1)
        raws[0], vals[0] = to_bits(x, elt)
        raws[1], vals[1] = to_bits(np.cos(phi), args[1][1])
        raws[2], vals[2] = to_bits(np.sin(phi), args[2][1])

        def bcast(t):
            if per_pair:  # each pair's value on both of its lanes
                t = (np.repeat(t, 2, axis=-1) if a.pairing == "adjacent"
                     else np.concatenate([t, t], axis=-1))
            if t.ndim == vals[0].ndim - 2:  # no batch dim either
                t = t[None]
            return t if t.ndim == vals[0].ndim else np.expand_dims(t, HEAD_AXIS[a.layout])

        x_val = vals[0]
        if a.pairing == "half":
            rot = np.concatenate([-x_val[..., d // 2:], x_val[..., :d // 2]], axis=-1)
        else:
            rot = np.stack([-x_val[..., 1::2], x_val[..., 0::2]], axis=-1).reshape(x_val.shape)
        refs = [x_val * bcast(vals[1]) + rot * bcast(vals[2])]
    else:
        axes = None
        if a.axes:
            kind, _, sec = a.axes.partition(":")
            axes = (kind, [int(v) for v in sec.split(",")])
        pos_index = [i for i, (_, e) in enumerate(args) if e in ("i32", "i64")][0]
        refs = []
        for i, (shape, elt) in enumerate(args):
            if i == pos_index:
                continue
            x = rng.uniform(-2, 2, size=shape)
            x[np.abs(x) < 1e-3] = 0.5
            raws[i], vals[i] = to_bits(x, elt)
            spec = RopeSpec(head_dim=shape[-1], rotary_dim=shape[-1], theta=a.theta, axes=axes,
                            pairing=a.pairing, per_axis=a.per_axis)
            pos = vals[pos_index]
            tokens = 2 if a.layout in ("bhsd", "bshd") else 1
            if pos.ndim == tokens:  # [tokens...] positions of plain RoPE
                pos = pos[None]
            refs.append(reference.rotate(spec, a.layout, vals[i], pos))
    out_types = [parse_type(t) for t in result_types]
    if len(out_types) != len(refs):
        raise SystemExit("raise_check: %d results, %d references" % (len(out_types), len(refs)))

    elt = out_types[0][1]
    ibits = 32 if elt == "f32" else 16
    body = text[text.index("func.func @%s" % a.func):]
    depth, end = 0, 0
    for i, ch in enumerate(body):  # the function up to its closing brace
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "}" and depth == 0:
            end = i + 1
            break
    prelude = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    main_fn = ("  func.func private @printMemrefI%d(memref<*xi%d>) attributes {llvm.emit_c_interface}\n"
               "  func.func @main() {\n" % (ibits, ibits))
    for i, ((shape, e), raw) in enumerate(zip(args, raws)):
        main_fn += "    %%a%d = %s\n" % (i, dense(raw, shape, e))
    main_fn += "    %%y:%d = call @%s(%s) : (%s) -> (%s)\n" % (
        len(out_types), a.func, ", ".join("%%a%d" % i for i in range(len(args))),
        ", ".join(arg_types), ", ".join(result_types))
    for i, t in enumerate(result_types):
        main_fn += print_bits("p%d" % i, "%%y#%d" % i, t, elt, ibits)
    main_fn += "    return\n  }\n"
    module = prelude + "\nmodule {\n" + body[:end] + "\n" + main_fn + "}\n"

    raised = tools.run([tools.rope_opt(), "-p", "builtin.module(func.func(rope-raise))", "-"], module)
    kind = "rope.rotate_with_tables" if a.theta is None else "rope.rotate "
    if kind not in raised:
        print("FAIL %s: --rope-raise did not produce %s" % (a.func, kind.strip()))
        return 1
    errors = {}
    for label, mod in (("original", module), ("raised", raised)):
        try:
            if a.pre:
                mod = tools.run([tools.rope_opt(), "-p", "builtin.module(%s)" % a.pre, "-"], mod)
            out = tools.run_main(tools.lower_cpu(mod))
        except tools.ToolError as e:
            print("FAIL %s (%s): %s" % (a.func, label, e))
            return 1
        printed = parse_printed(out)
        errors[label] = max(
            float(np.max(np.abs(from_ints(printed[i], elt, out_types[i][0]) - ref)) / np.max(np.abs(ref)))
            for i, ref in enumerate(refs))
    tol = a.tol if a.tol is not None else {"f32": 1e-5, "f16": 2e-3, "bf16": 1e-2}[elt]
    ok = errors["raised"] <= errors["original"] + 1e-12 and errors["raised"] <= tol
    print("%s %s: raised to %s; error vs float64: original %.3e, raised %.3e (must be <= original, tol %.0e)"
          % ("PASS" if ok else "FAIL", a.func, kind.strip(), errors["original"], errors["raised"], tol))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
