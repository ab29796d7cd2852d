#!/usr/bin/env python3
"""GPU device check for the ahead-of-time artifacts of scripts/build-gpu-artifacts.sh.

On a machine with an NVIDIA GPU, CUDA, PyTorch and transformers (no LLVM or
MLIR needed): loads librope_gpu_kernels.so (GPU binary embedded, our mgpu*
runtime beside it), checks it against transformers' own Qwen3-VL and Qwen2-VL
rotary functions on the GPU (f32 and bf16, random inputs, multimodal position
ids) and against the float64 reference, then times it with CUDA events against
a device-to-device copy of the same bytes, PyTorch eager on the HF path, and
torch.compile of the same function. Prints a final table.

  python3 benchmarks/gpu_check.py [--artifacts DIR] [--quick] [--dry-run]
"""

import argparse
import ctypes
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "python", "tests"))
import numpy as np  # noqa: E402

from rope_mlir import positions, reference  # noqa: E402
from rope_mlir.memref import descriptor_type  # noqa: E402
from rope_mlir.spec import RopeSpec  # noqa: E402

FAMILIES = {
    # family: (kernel stem, theta, sections, interleaved, q heads, k heads)
    "qwen3vl": ("qwen3vl", 5e6, [24, 20, 20], True, 32, 8),
    "qwen2vl": ("qwen2vl", 1e6, [16, 24, 24], False, 28, 4),
}


def torch_memref(t):
    """A strided memref descriptor over a torch tensor's (device) storage."""
    desc = descriptor_type(t.dim())()
    desc.allocated = desc.aligned = t.data_ptr()
    desc.offset = 0
    for i, (n, s) in enumerate(zip(t.shape, t.stride())):
        desc.sizes[i] = n
        desc.strides[i] = s
    return desc


class Kernels:
    def __init__(self, directory):
        self.runtime = ctypes.CDLL(os.path.join(directory, "librope_cuda_runtime.so"))
        self.lib = ctypes.CDLL(os.path.join(directory, "librope_gpu_kernels.so"))
        self.runtime.ropeCudaLastCall.restype = ctypes.c_char_p
        self.runtime.ropeCudaLastMessage.restype = ctypes.c_char_p

    def __call__(self, name, *tensors):
        """Runs kernel `name` on its operands in signature order (q, [k],
        positions, q_out, [k_out])."""
        fn = getattr(self.lib, "_mlir_ciface_" + name)
        descs = [torch_memref(t) for t in tensors]
        fn.argtypes = [ctypes.POINTER(type(d)) for d in descs]
        fn.restype = None
        fn(*[ctypes.byref(d) for d in descs])
        err = self.runtime.ropeCudaLastError()
        if err:
            # The runtime's error state is per thread and stays until cleared
            # (calls do nothing meanwhile); a CUDA sticky error (700, 716, ...)
            # stays in the context whatever we clear.
            message = self.runtime.ropeCudaLastMessage().decode()
            self.runtime.ropeCudaClearError()
            raise RuntimeError("CUDA error %d: %s" % (err, message))


def check_guard(torch, kernels, device="cuda"):
    """The host guard on the device: views the kernel would misread or fault
    on (a base 4 bytes past 16-byte alignment, a permuted view, a strided
    innermost dim) are refused with CUDA_ERROR_INVALID_VALUE naming the
    argument, nothing is written, and the context stays usable: a good call
    afterwards gives what one gave before (a misaligned 16-byte access would
    have killed the context, 716)."""
    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    g = torch.Generator(device=device).manual_seed(5)
    s = 64
    q = torch.rand(1, 32, s, 128, device=device, generator=g)
    k = torch.rand(1, 8, s, 128, device=device, generator=g)
    pos = torch.randint(0, 4096, (3, 1, s), device=device, generator=g, dtype=torch.int64)
    qo, ko = torch.empty_like(q), torch.empty_like(k)
    kernels("qwen3vl_f32", q, k, pos, qo, ko)
    sync()
    before = (qo.clone(), ko.clone())
    flat = torch.zeros(q.numel() + 4, device=device)
    wide = torch.zeros(*ko.shape[:-1], 256, device=device)
    cases = [
        ("misaligned q", (flat[1:1 + q.numel()].view(q.shape), k, pos, qo, ko),
         "memref argument #0: first element at"),
        ("permuted q", (q.transpose(1, 2).contiguous().transpose(1, 2), k, pos, qo, ko),
         "memref argument #0: stride 4096 of dim 2"),
        ("strided k_out", (q, k, pos, qo, wide[..., ::2]), "memref argument #4: innermost stride 2"),
    ]
    ok = True
    for name, args, expect in cases:
        for out in args[3:]:
            out.fill_(7.0)
        sync()
        try:
            kernels("qwen3vl_f32", *args)
            refused = "not refused"
        except RuntimeError as e:
            refused = str(e)
        sync()
        untouched = all(bool((out == 7.0).all()) for out in args[3:])
        good = refused.startswith("CUDA error 1:") and expect in refused and untouched
        ok &= good
        print("guard %s: %s, outputs %s: %s" % (name, refused, "untouched" if untouched else "WRITTEN",
                                                "ok" if good else "WRONG"), flush=True)
    qo2, ko2 = torch.empty_like(q), torch.empty_like(k)
    kernels("qwen3vl_f32", q, k, pos, qo2, ko2)
    sync()
    same = torch.equal(qo2, before[0]) and torch.equal(ko2, before[1])
    ok &= same
    print("guard: good call afterwards %s" % ("as before: ok" if same else "DIFFERS: WRONG"), flush=True)
    return ok


def hf_functions(family, torch, dtype):
    """(rotary(x, position_ids) -> cos, sin; apply(q, k, cos, sin)) from transformers,
    or the project's HF-style copies when transformers is not importable."""
    _, theta, sections, interleaved, hq, _ = FAMILIES[family]
    params = {"rope_type": "default", "rope_theta": theta, "mrope_section": sections}
    if interleaved:
        params["mrope_interleaved"] = True
    try:
        if family == "qwen3vl":
            from transformers.models.qwen3_vl import modeling_qwen3_vl as m
            from transformers.models.qwen3_vl.configuration_qwen3_vl import Qwen3VLTextConfig as C
            rot_cls, apply = m.Qwen3VLTextRotaryEmbedding, m.apply_rotary_pos_emb
        else:
            from transformers.models.qwen2_vl import modeling_qwen2_vl as m
            from transformers.models.qwen2_vl.configuration_qwen2_vl import Qwen2VLTextConfig as C
            rot_cls = m.Qwen2VLRotaryEmbedding
            if hasattr(m, "apply_multimodal_rotary_pos_emb"):
                def apply(q, k, cos, sin):
                    return m.apply_multimodal_rotary_pos_emb(q, k, cos, sin, sections)
            else:
                # transformers 5.x: the rotary module recomposes the sections itself.
                apply = m.apply_rotary_pos_emb
        kwargs = dict(hidden_size=hq * 128, num_attention_heads=hq, head_dim=128)
        try:
            cfg = C(rope_parameters=params, **kwargs)
        except TypeError:
            cfg = C(rope_theta=theta, rope_scaling=dict(params, type="mrope"), **kwargs)
        rotary = rot_cls(config=cfg, device="cuda")
        return (lambda x, p: rotary(x, p)), apply, "transformers"
    except Exception as e:  # noqa: BLE001 - report and fall back
        import hf_style
        print("note: transformers' %s rotary not importable (%s): using the HF-style copy"
              % (family, type(e).__name__))

        def rotary(x, p):
            inv = hf_style.inv_freq(theta, 128).to(x.device)
            freqs = hf_style.mrope_cos_sin(p, inv, torch.float32)
            if interleaved:
                freqs = hf_style.interleaved_freqs(freqs, sections)
                emb = torch.cat((freqs, freqs), dim=-1)
            else:
                emb = torch.cat((freqs, freqs), dim=-1)
            return emb.cos().to(x.dtype), emb.sin().to(x.dtype)

        def apply(q, k, cos, sin):
            if interleaved:
                c, s = cos.unsqueeze(1), sin.unsqueeze(1)
            else:
                split = sections * 2
                c = torch.cat([t[i % 3] for i, t in enumerate(cos.split(split, dim=-1))], -1).unsqueeze(1)
                s = torch.cat([t[i % 3] for i, t in enumerate(sin.split(split, dim=-1))], -1).unsqueeze(1)
            return (q * c + hf_style.rotate_half(q) * s, k * c + hf_style.rotate_half(k) * s)

        return rotary, apply, "hf-style copy"


def position_ids(tokens, family):
    # Text, an image grid, text: Qwen-VL's multimodal ids (SPEC R6).
    side = 32 if tokens >= 2048 else 8
    vis = side * side // 4
    text = (tokens - vis) // 2
    fam = "qwen3_vl" if family == "qwen3vl" else "qwen2_vl"
    pos, _ = positions.rope_index([("text", text), ("vision", 1, side, side),
                                   ("text", tokens - text - vis)], fam)
    return pos


def cuda_time(torch, fn, reps):
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(reps):
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return sorted(times)[len(times) // 2]


def kernel_time(torch, fn, reps, kernel_name):
    """Median device time of the kernels named kernel_name, read by the
    profiler (CUPTI sees driver-API launches too), so the host's part of a
    call (ctypes, descriptors, the synchronization) is not counted."""
    from torch.profiler import ProfilerActivity, profile
    fn()
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(reps):
            fn()
        torch.cuda.synchronize()
    times = sorted(e.time_range.elapsed_us() for e in prof.events() if e.name == kernel_name)
    if len(times) != reps:
        raise RuntimeError("profiler saw %d launches of %s, expected %d" % (len(times), kernel_name, reps))
    return times[len(times) // 2] / 1e6


# Our own bounds on the error against float64 (f32: a few ulps; bf16: one
# rounding of the result), so a broken HF reference cannot excuse a wrong kernel.
TOLERANCE = {"f32": 1e-5, "bf16": 8e-3}


def time_against_copy(torch, kernels, baseline, name, xs, pos, outs, reps):
    """Device times of kernel `name` on inputs xs -> outs, of the baseline
    build's kernel (nan without one) and of a copy of the same tensors, and
    the bytes the kernel moves (inputs read, outputs written, positions)."""
    t_kernel = kernel_time(torch, lambda: kernels(name, *xs, pos, *outs), reps, name + "_kernel")
    t_base = (kernel_time(torch, lambda: baseline(name, *xs, pos, *outs), reps, name + "_kernel")
              if baseline else float("nan"))
    t_copy = cuda_time(torch, lambda: [o.copy_(x) for o, x in zip(outs, xs)], reps)
    nbytes = 2 * sum(x.numel() for x in xs) * xs[0].element_size() + pos.numel() * 8
    return t_kernel, t_base, t_copy, nbytes


def check_other_kernels(torch, kernels, baseline, token_counts, reps):
    """Other layouts and families: error against float64, time against a copy."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gen_gpu_kernels import OTHER_KERNELS
    shapes = {"thd": lambda t, h, d: (t, h, d), "bshd": lambda t, h, d: (1, t, h, d),
              "bhsd": lambda t, h, d: (1, h, t, d)}
    rows, ok = [], True
    for name, (spec, layout, hq, hk, dtype_name) in OTHER_KERNELS.items():
        dtype = torch.float32 if dtype_name == "f32" else torch.bfloat16
        for tokens in token_counts:
            g = torch.Generator(device="cuda").manual_seed(tokens + 1)
            xs = [(torch.rand(shapes[layout](tokens, h, spec.head_dim), device="cuda", generator=g) * 4 - 2)
                  .to(dtype) for h in (hq, hk) if h]
            pos_shape = (spec.num_axes, tokens) if layout == "thd" else (spec.num_axes, 1, tokens)
            pos = torch.randint(0, 8192, pos_shape, device="cuda", generator=g, dtype=torch.int64)
            outs = [torch.empty_like(x) for x in xs]
            kernels(name, *xs, pos, *outs)
            torch.cuda.synchronize()
            # The first 1024 tokens against float64 (the token dim is 0 in thd, 1 otherwise).
            sl = (slice(0, 1024),) if layout == "thd" else (slice(None), slice(0, 1024))
            psl = (slice(None),) + sl  # positions lead with the axis dim
            err = 0.0
            for x, y in zip(xs, outs):
                ref = reference.rotate(spec, layout, x[sl].double().cpu().numpy(), pos[psl].cpu().numpy())
                err = max(err, float(np.max(np.abs(y[sl].double().cpu().numpy() - ref)) / np.max(np.abs(ref))))
            good = err <= TOLERANCE[dtype_name]
            ok &= good
            t_kernel, t_base, t_copy, nbytes = time_against_copy(torch, kernels, baseline, name, xs, pos,
                                                                 outs, reps)
            rows.append((name, tokens, t_kernel, nbytes / t_kernel / 1e9, nbytes / t_copy / 1e9,
                         t_copy / t_kernel, err, t_base / t_kernel, "ok" if good else "WRONG"))
            print("measured %s %d: %.1f us, copy %.0f%%, %s" % (name, tokens, t_kernel * 1e6,
                                                                  100 * t_copy / t_kernel, rows[-1][-1]), flush=True)
    print("%-24s %6s %9s %8s %9s %7s %9s %6s" % ("other kernels", "tokens", "kernel us", "GB/s", "copy GB/s",
                                                   "%copy", "err ours", "x base"))
    for r in rows:
        print("%-24s %6d %9.1f %8.1f %9.1f %6.0f%% %9.2e %6.2f %s" % (r[0], r[1], r[2] * 1e6, r[3], r[4],
                                                                     100 * r[5], r[6], r[7], r[8]))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--artifacts", default=os.path.join(os.environ.get("ROPE_BUILD", os.path.join(ROOT, "build")),
                                                        "gpu-artifacts"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--baseline", help="artifacts of another build, timed beside these (A/B)")
    ap.add_argument("--dry-run", action="store_true", help="check the setup without a GPU")
    a = ap.parse_args()

    for f in ("librope_gpu_kernels.so", "librope_cuda_runtime.so"):
        if not os.path.exists(os.path.join(a.artifacts, f)):
            sys.exit("gpu_check: %s missing in %s: run scripts/build-gpu-artifacts.sh" % (f, a.artifacts))
    import torch
    token_counts = [4096] if a.quick else [4096, 16384, 32768]
    if a.dry_run:
        t = torch.zeros(2, 3, 4)
        d = torch_memref(t)
        assert list(d.sizes) == [2, 3, 4] and list(d.strides) == [12, 4, 1]
        ids = position_ids(4096, "qwen3vl")
        print("dry run: artifacts present, torch %s, memref descriptors ok, position ids %s; "
              "would check %s at %s tokens" % (torch.__version__, ids.shape, sorted(FAMILIES), token_counts))
        print("PASS dry run")
        return 0
    if not torch.cuda.is_available():
        sys.exit("gpu_check: no CUDA device visible to PyTorch")
    kernels = Kernels(a.artifacts)
    baseline = Kernels(a.baseline) if a.baseline else None
    dev = torch.cuda.get_device_name(0)
    print("device: %s, torch %s" % (dev, torch.__version__))
    rows, ok = [], True
    ok &= check_guard(torch, kernels)
    for family, (stem, theta, sections, interleaved, hq, hk) in FAMILIES.items():
        spec = RopeSpec(head_dim=128, rotary_dim=128, theta=theta,
                        axes=("interleaved" if interleaved else "sequential", sections))
        for dtype_name, dtype in (("f32", torch.float32), ("bf16", torch.bfloat16)):
            rotary, apply, source = hf_functions(family, torch, dtype)

            def hf_path(q, k, p):
                cos, sin = rotary(q, p)
                return apply(q, k, cos, sin)

            compiled = torch.compile(hf_path)
            for tokens in token_counts:
                g = torch.Generator(device="cuda").manual_seed(tokens)
                q = (torch.rand(1, hq, tokens, 128, device="cuda", generator=g) * 4 - 2).to(dtype)
                k = (torch.rand(1, hk, tokens, 128, device="cuda", generator=g) * 4 - 2).to(dtype)
                pos = torch.from_numpy(position_ids(tokens, family)[:, None, :].copy()).cuda()
                qo, ko = torch.empty_like(q), torch.empty_like(k)
                torch.cuda.synchronize()
                kernels(stem + "_" + dtype_name, q, k, pos, qo, ko)
                hq_ref, hk_ref = hf_path(q, k, pos)
                # Exact value: float64 reference on the CPU, on a slice of tokens.
                sl = slice(0, min(tokens, 1024))
                ref = reference.rotate(spec, "bhsd", q[:, :, sl].float().cpu().numpy(),
                                       pos[:, :, sl].cpu().numpy())
                scale = np.max(np.abs(ref))
                ours_err = float(np.max(np.abs(qo[:, :, sl].float().cpu().numpy() - ref)) / scale)
                hf_err = float(np.max(np.abs(hq_ref[:, :, sl].float().cpu().numpy() - ref)) / scale)
                vs_hf = float((qo.float() - hq_ref.float()).abs().max() / hq_ref.float().abs().max())
                good = ours_err <= TOLERANCE[dtype_name]
                ok &= good
                reps = 20 if a.quick else 50
                name = stem + "_" + dtype_name
                t_call = cuda_time(torch, lambda: kernels(name, q, k, pos, qo, ko), reps)
                t_ours, t_base, t_copy, nbytes = time_against_copy(torch, kernels, baseline, name, [q, k], pos,
                                                                   [qo, ko], reps)
                t_eager = cuda_time(torch, lambda: hf_path(q, k, pos), reps)
                t_comp = cuda_time(torch, lambda: compiled(q, k, pos), reps)
                rows.append((family, dtype_name, tokens, t_ours, nbytes / t_ours / 1e9, nbytes / t_copy / 1e9,
                             t_copy / t_ours, t_eager / t_ours, t_comp / t_ours, ours_err, hf_err, vs_hf,
                             t_call, t_base / t_ours, source, "ok" if good else "WRONG"))
                # A row as soon as it is measured, so a run cut short still reports.
                print("measured %s %s %d: %.1f us, copy %.0f%%, %s" % (
                    family, dtype_name, tokens, t_ours * 1e6, 100 * t_copy / t_ours, rows[-1][-1]), flush=True)
    print("%-8s %-5s %6s %9s %8s %9s %7s %8s %8s %9s %9s %9s %8s %6s %s" % (
        "family", "dtype", "tokens", "kernel us", "GB/s", "copy GB/s", "%copy", "x eager", "x compile",
        "err ours", "err HF", "vs HF", "call us", "x base", "reference"))
    for r in rows:
        print("%-8s %-5s %6d %9.1f %8.1f %9.1f %6.0f%% %8.2f %8.2f %9.2e %9.2e %9.2e %8.1f %6.2f %s %s" % (
            r[0], r[1], r[2], r[3] * 1e6, r[4], r[5], 100 * r[6], r[7], r[8], r[9], r[10], r[11],
            r[12] * 1e6, r[13], r[14], r[15]))
    ok &= check_other_kernels(torch, kernels, baseline, token_counts, 20 if a.quick else 50)
    print("PASS" if ok else "FAIL: a kernel is off the float64 reference")
    return 0 if ok else 1


if __name__ == "__main__":
    start = time.time()
    code = main()
    print("gpu_check: %.1f s" % (time.time() - start))
    sys.exit(code)
