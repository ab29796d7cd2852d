#!/usr/bin/env python3
"""The main job on a shipped example, end to end.

Takes examples/qwen3vl_text_attention_torch.mlir (Qwen3-VL text attention's
rotary embedding as torch-mlir emits it: positions in, q and k out), raises it
with `rope-opt --rope-raise`, shows the recovered rope op, lowers the raised
and the original graph through `--rope-cpu-pipeline` into shared objects, runs
both on varied q, k and multimodal position ids (SPEC R6), checks them against
the float64 reference of the model's config (SPEC R1-R3, R5), and reports.
"""

import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
from rope_mlir import compiler, config, memref, positions, reference, tools  # noqa: E402


def dps_wrapper(text, func):
    """A C-interface entry point writing the graph's results into buffers."""
    m = re.search(r"func\.func @%s\((.*?)\)\s*->\s*\((.*?)\)\s*\{" % func, text, re.S)
    arg_types = [t.split(":", 1)[1].strip() for t in re.split(r",\s*(?=%)", m.group(1))]
    res_types = [t.strip() for t in re.split(r",\s*(?=tensor)", m.group(2))]
    mem = lambda t: t.replace("tensor", "memref")  # noqa: E731
    args = ["%%a%d: %s" % (i, mem(t)) for i, t in enumerate(arg_types)]
    args += ["%%o%d: %s" % (i, mem(t)) for i, t in enumerate(res_types)]
    lines = ["  %%t%d = bufferization.to_tensor %%a%d restrict : %s to %s" % (i, i, mem(t), t)
             for i, t in enumerate(arg_types)]
    lines.append("  %%r:%d = call @%s(%s) : (%s) -> (%s)" % (
        len(res_types), func, ", ".join("%%t%d" % i for i in range(len(arg_types))),
        ", ".join(arg_types), ", ".join(res_types)))
    lines += ["  bufferization.materialize_in_destination %%r#%d in restrict writable %%o%d : (%s, %s) -> ()"
              % (i, i, t, mem(t)) for i, t in enumerate(res_types)]
    return "func.func @run(%s) attributes {llvm.emit_c_interface} {\n%s\n  return\n}\n" % (
        ", ".join(args), "\n".join(lines))


def with_wrapper(module_text, wrapper):
    body = module_text.strip()
    if body.startswith("module {"):
        return body[:body.rindex("}")] + wrapper + "}\n"
    return body + "\n" + wrapper


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--example", default=os.path.join(ROOT, "examples", "qwen3vl_text_attention_torch.mlir"))
    ap.add_argument("--config", default=os.path.join(ROOT, "python", "tests", "data", "qwen3_vl_8b.json"))
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    text = open(a.example).read()
    opt = tools.rope_opt()
    generic = tools.run([opt, "--mlir-print-op-generic", a.example])
    n_ops = len(re.findall(r'"[a-z_]+\.[a-z_.]+"\(', generic))
    print("example:  %s (%d ops: inv_freq x positions, interleave, cat, cos, sin, rotate_half, mul, add)"
          % (os.path.relpath(a.example), n_ops))

    t0 = time.time()
    proc = subprocess.run([opt, a.example, "-p",
                           "builtin.module(func.func(rope-raise{report=true}),canonicalize,cse)"],
                          capture_output=True, text=True, check=True)
    raised = proc.stdout
    n_raised = len(re.findall(r'"[a-z_]+\.[a-z_.]+"\(',
                              tools.run([opt, "--mlir-print-op-generic", "-"], raised)))
    print("raised:   rope-opt --rope-raise: %d ops -> %d ops (%.2f s)" % (n_ops, n_raised, time.time() - t0))
    for line in proc.stderr.splitlines():
        if "remark:" in line:
            print("  | " + line.split("remark: ", 1)[1])
    for line in raised.splitlines():
        if "rope.rotate" in line:
            print("  | " + line.strip())

    wrapper = dps_wrapper(text, "qwen3vl_rope")
    t0 = time.time()
    cache = os.path.join(ROOT, "build", "example-cache")
    so_raised = compiler.compile_shared(with_wrapper(raised, wrapper), cache_dir=cache)
    so_original = compiler.compile_shared(with_wrapper(text, wrapper), cache_dir=cache)
    print("lowered:  both graphs through --rope-cpu-pipeline | mlir-translate | clang -O3 (%.2f s)"
          % (time.time() - t0))

    rng = np.random.default_rng(a.seed)
    q = rng.uniform(-2, 2, size=(1, 32, 16, 128)).astype(np.float32)
    k = rng.uniform(-2, 2, size=(1, 8, 16, 128)).astype(np.float32)
    # 4 text tokens, a 1 x 4 x 8 image grid (2 x 4 after the 2x2 merge), 4 text tokens,
    # then continue as if 5000 tokens of context came before.
    pos, _ = positions.rope_index([("text", 4), ("vision", 1, 4, 8), ("text", 4)], "qwen3_vl")
    pos = np.ascontiguousarray((pos + 5000)[:, None, :])
    spec = config.text_spec(a.config)
    refs = [reference.rotate(spec, "bhsd", q, pos), reference.rotate(spec, "bhsd", k, pos)]
    errors = {}
    for label, so in (("original graph", so_original), ("raised rope op", so_raised)):
        qo, ko = np.empty_like(q), np.empty_like(k)
        memref.call(so, "run", q, k, pos, qo, ko)
        errors[label] = max(float(np.max(np.abs(o - r)) / np.max(np.abs(r)))
                            for o, r in ((qo, refs[0]), (ko, refs[1])))
    print("ran:      q %s, k %s, positions t/h/w %s..." % (q.shape, k.shape, pos[:, 0, 4:8].tolist()))
    ok = errors["raised rope op"] <= errors["original graph"] and errors["raised rope op"] < 1e-5
    print("checked:  max relative error vs float64 (%s: theta %g, %s %s): original graph %.2e, "
          "raised %.2e: %s" % (os.path.basename(a.config), spec.theta, spec.axes[0], spec.axes[1],
                               errors["original graph"], errors["raised rope op"], "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
