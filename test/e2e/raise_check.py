#!/usr/bin/env python3
"""Raising preserves numbers (SPEC R5): runs a graph before and after
`--rope-raise`, both through `--rope-cpu-pipeline` under mlir-runner, on
varied inputs, and compares both with the float64 value of
`x * cos + rotate_half(x) * sin`. The raised graph must contain a rope op and
its error must be no larger than the original's.

The graph is `func.func @NAME(%x, %cos, %sin) -> y` with static shapes.
"""

import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
sys.path.insert(0, os.path.dirname(__file__))
from rope_mlir import tools  # noqa: E402
from harness import dense, from_ints, parse_printed, print_bits, to_bits  # noqa: E402

HEAD_AXIS = {"bhsd": 1, "bshd": 2, "thd": 1}


def parse_type(t):
    m = re.fullmatch(r"tensor<([0-9x]+)x(f32|f16|bf16)>", t.strip())
    if not m:
        raise SystemExit("raise_check: unsupported type %r (static float tensors only)" % t)
    return tuple(int(d) for d in m.group(1).split("x")), m.group(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file")
    ap.add_argument("--func", required=True)
    ap.add_argument("--layout", required=True, choices=sorted(HEAD_AXIS))
    ap.add_argument("--tol", type=float, default=None)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    text = open(a.file).read()
    m = re.search(r"func\.func @%s\((.*?)\)\s*->\s*(tensor<[^>]*>)" % re.escape(a.func), text, re.S)
    if not m:
        raise SystemExit("raise_check: no func @%s" % a.func)
    arg_types = [t.split(":", 1)[1].strip() for t in re.split(r",\s*(?=%)", m.group(1))]
    (xs, elt), (cs, celt), (ss, selt) = (parse_type(t) for t in arg_types)
    rng = np.random.default_rng(a.seed)
    x = rng.uniform(-2, 2, size=xs)
    x[np.abs(x) < 1e-3] = 0.5
    d = xs[-1]
    phi = rng.uniform(0, 2000, size=cs[:-1] + (d // 2,))
    phi = np.concatenate([phi, phi], axis=-1)
    x_raw, x_val = to_bits(x, elt)
    c_raw, c_val = to_bits(np.cos(phi), celt)
    s_raw, s_val = to_bits(np.sin(phi), selt)

    def bcast(t):
        return t if t.ndim == x_val.ndim else np.expand_dims(t, HEAD_AXIS[a.layout])

    rot = np.concatenate([-x_val[..., d // 2:], x_val[..., :d // 2]], axis=-1)
    ref = x_val * bcast(c_val) + rot * bcast(s_val)

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
    for name, raw, shape, e in (("x", x_raw, xs, elt), ("c", c_raw, cs, celt), ("s", s_raw, ss, selt)):
        main_fn += "    %%%s = %s\n" % (name, dense(raw, shape, e))
    yt = "tensor<%sx%s>" % ("x".join(map(str, xs)), elt)
    main_fn += "    %%y = call @%s(%%x, %%c, %%s) : (%s) -> %s\n" % (a.func, ", ".join(arg_types), yt)
    main_fn += print_bits("p", "%y", yt, elt, ibits) + "    return\n  }\n"
    module = prelude + "\nmodule {\n" + body[:end] + "\n" + main_fn + "}\n"

    raised = tools.run([tools.rope_opt(), "-p", "builtin.module(func.func(rope-raise))", "-"], module)
    if "rope.rotate_with_tables" not in raised:
        print("FAIL %s: --rope-raise left the graph unchanged" % a.func)
        return 1
    errors = {}
    for label, mod in (("original", module), ("raised", raised)):
        try:
            out = tools.run_main(tools.lower_cpu(mod))
        except tools.ToolError as e:
            print("FAIL %s (%s): %s" % (a.func, label, e))
            return 1
        got = from_ints(parse_printed(out)[0], elt, xs)
        errors[label] = float(np.max(np.abs(got - ref)) / np.max(np.abs(ref)))
    tol = a.tol if a.tol is not None else {"f32": 1e-5, "f16": 2e-3, "bf16": 1e-2}[elt]
    ok = errors["raised"] <= errors["original"] + 1e-12 and errors["raised"] <= tol
    print("%s %s: raised; error vs float64: original %.3e, raised %.3e (must be <= original, tol %.0e)"
          % ("PASS" if ok else "FAIL", a.func, errors["original"], errors["raised"], tol))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
