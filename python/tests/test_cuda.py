"""CUDA tensors through RopeKernel and apply_rope_ (rope_mlir/cuda.py).

Without a GPU: the GPU objects are really built (rope-opt's GPU pipeline,
linked to librope_cuda_runtime.so) and carry the entry and only runtime
symbols the runtime exports; a machine without rope-opt uses objects built
ahead and says what is missing; a missing runtime or driver, and CUDA's stub
driver, give CudaError, not a crash; the CUDA dispatch (its checks, the
variant and descriptors it picks, copies and temporaries) runs on CPU tensors
with the GPU kernels as host loops (compiler.GPU_EMULATION) and is checked
against float64. With a GPU (skipped otherwise): numbers against float64 on
varied inputs, in place and out of place, HF views and vLLM slices,
apply_rope_, and a launch on a non-default stream without waiting."""

import ctypes
import glob
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from rope_mlir import RopeKernel, apply_rope_, compiler, cuda, memref, reference, tools
from rope_mlir.kernel import emit_module

from cuda_cases import CASES, NEOX, QWEN3_VL
from torch_cases import TOLERANCE, TORCH, f64, layout_shape, rel_err, tensor

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(2026)
GPU = torch.cuda.is_available()
needs_gpu = pytest.mark.skipif(not GPU, reason="needs a CUDA device visible to torch")


def _compiler():
    try:
        return tools.rope_opt()
    except tools.ToolError:
        return None


# A GPU machine has no MLIR: there the tests of the compile path and of the
# dispatch (which builds CPU and emulated objects) skip.
needs_compiler = pytest.mark.skipif(_compiler() is None, reason="needs rope-opt (a GPU machine runs kernels "
                                    "built ahead by scripts/gpu-python-check.sh --build)")
PACKAGE = os.path.dirname(os.path.abspath(cuda.__file__))


def symbols(path, flag):
    out = subprocess.run(["nm", "-D", flag, path], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


@needs_compiler
def test_gpu_objects_built_without_a_gpu():
    kern = RopeKernel(NEOX, "bhsd", q_heads=4, k_heads=2, dtype="bf16", device="cuda", gpu_chip="sm_90")
    runtime = cuda.runtime_path()
    for layout, strided in (("bhsd", False), ("bshd", False), ("bhsd", True)):
        so = kern.gpu_object(layout, strided)
        assert kern.gpu_object(layout, strided) == so  # cached
        assert "_mlir_ciface_rope_kernel" in symbols(so, "--defined-only")
        needed = {s for s in symbols(so, "--undefined-only") if s.startswith(("mgpu", "ropeCuda"))}
        assert {"mgpuLaunchKernel", "mgpuStreamCreate", "ropeCudaReportInvalidArgument"} <= needed
        assert needed <= symbols(runtime, "--defined-only")
        dynamic = subprocess.run(["readelf", "-d", so], check=True, capture_output=True, text=True).stdout
        assert "[librope_cuda_runtime.so]" in dynamic
    assert {"ropeCudaSetStream", "ropeCudaResetStream"} <= symbols(runtime, "--defined-only")
    with pytest.raises(ValueError, match="gpu_object needs a chip"):
        RopeKernel(NEOX, "thd", q_heads=1).gpu_object()


@needs_compiler
def test_bad_device_arguments():
    with pytest.raises(ValueError, match="device must be 'cpu' or 'cuda'"):
        RopeKernel(NEOX, "thd", q_heads=1, device="gpu")
    with pytest.raises(ValueError, match="gpu_chip must be an NVIDIA chip name"):
        RopeKernel(NEOX, "thd", q_heads=1, device="cuda", gpu_chip="90")
    if not GPU:
        with pytest.raises(ValueError, match="torch sees no CUDA device: pass gpu_chip"):
            RopeKernel(NEOX, "thd", q_heads=1, device="cuda")
    dynamic = NEOX.__class__(head_dim=64, rotary_dim=64, theta=1e4,
                             scaling={"kind": "dynamic_ntk", "factor": 2.0, "original_max_position": 64})
    kern = RopeKernel(dynamic, "thd", q_heads=1)
    with pytest.raises(ValueError, match="dynamic_ntk scaling has no GPU kernel"):
        kern._device_kind(kern._new_kind(torch.Tensor), torch.device("cuda", 0))


def run_python(code, env):
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    return proc.returncode, proc.stdout + proc.stderr


@needs_compiler
def test_without_rope_opt_objects_built_ahead(tmp_path):
    """A copy of the package where no rope-opt is found (a GPU machine):
    an object built ahead is used, a missing one is named; the runtime is
    found through ROPE_CUDA_RUNTIME, and its absence is named."""
    module = emit_module(NEOX, "thd", 2, 1, "f16", "i32", True)
    so, _ = cuda.compile_gpu(module, "sm_90")
    # Without the bin/ and lib/ an installed package carries (python/setup.py).
    shutil.copytree(PACKAGE, tmp_path / "rope_mlir", ignore=shutil.ignore_patterns("__pycache__", "bin", "lib"))
    # A cache holding only the object built ahead: the shared one may hold
    # the second variant from an earlier run.
    cache = tmp_path / "cache"
    cache.mkdir()
    for built in glob.glob(os.path.splitext(so)[0] + ".*"):
        shutil.copy2(built, cache)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "ROPE_MLIR_CACHE": str(cache),
           "ROPE_CUDA_RUNTIME": cuda.runtime_path()}
    code = ("from rope_mlir import cuda, tools\nfrom rope_mlir.kernel import emit_module\n"
            "from rope_mlir.spec import RopeSpec\nspec = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)\n"
            "try:\n    tools.rope_opt()\nexcept tools.ToolError:\n    print('no rope-opt')\n"
            "print(cuda.compile_gpu(emit_module(spec, 'thd', 2, 1, 'f16', 'i32', True), 'sm_90')[0])\n"
            "try:\n    cuda.compile_gpu(emit_module(spec, 'thd', 3, 1, 'f16', 'i32', True), 'sm_90')\n"
            "except tools.ToolError as e:\n    print(e)\n")
    rc, out = run_python(code, env)
    assert rc == 0, out
    assert out.startswith("no rope-opt\n%s\n" % (cache / os.path.basename(so))), out
    assert "no GPU kernel for this module and sm_90 was built ahead" in out
    assert "scripts/gpu-python-check.sh --build" in out
    env["ROPE_CUDA_RUNTIME"] = str(tmp_path / "nowhere.so")
    rc, out = run_python("from rope_mlir import cuda\ncuda.runtime()", env)
    assert rc == 1 and "CudaError: librope_cuda_runtime.so not found (tried %s" % env["ROPE_CUDA_RUNTIME"] in out


@needs_compiler
@pytest.mark.skipif(GPU, reason="checks the error where no CUDA driver is installed")
def test_missing_driver_is_a_clear_error():
    with pytest.raises(cuda.CudaError, match=r"does not load .*libcuda\.so\.1.*the GPU kernels need an NVIDIA"):
        cuda.runtime()
    kern = RopeKernel(NEOX, "thd", q_heads=2, k_heads=1, in_place=True, gpu_chip="sm_90")
    with pytest.raises(cuda.CudaError, match="libcuda.so.1"):
        kern.gpu_function()


@needs_compiler
def test_stub_driver_launch_error(tmp_path):
    """CUDA's stub libcuda.so as the driver (every call fails with 34): the
    kernel's call records the error, CudaError carries it, and it is
    cleared for the next call."""
    stub = "/usr/local/cuda/lib64/stubs/libcuda.so"
    if not os.path.exists(stub):
        pytest.skip("no CUDA stub driver")
    os.symlink(stub, tmp_path / "libcuda.so.1")
    so, _ = cuda.compile_gpu(emit_module(NEOX, "thd", 2, 1, "f32", "i64", True), "sm_90")
    code = ("import ctypes, numpy as np\nfrom rope_mlir import cuda, memref\n"
            "lib = cuda.runtime()\nk = ctypes.CDLL(%r)\n"
            "q, kk = np.zeros((3, 2, 64), np.float32), np.zeros((3, 1, 64), np.float32)\n"
            "p = np.zeros((1, 3), np.int64)\n"
            "lib.ropeCudaSetStream(0)\nmemref.call(k, 'rope_kernel', q, kk, p)\n"
            "try:\n    cuda.raise_pending(lib)\nexcept cuda.CudaError as e:\n    print(e)\n"
            "print('after:', lib.ropeCudaLastError())\n" % so)
    env = dict(os.environ, LD_LIBRARY_PATH=str(tmp_path))
    rc, out = run_python(code, env)
    assert rc == 0, out
    assert "CUDA error 34: cuInit failed" in out and "after: 0" in out, out


# --- The CUDA dispatch on CPU tensors, GPU kernels as host loops ------------

class Emulated:
    """`functions` for a device kind: each variant's GPU kernel run as host
    loops (the same convert-rope-to-gpu lowering, host guard included),
    recording (layout, strided, fields) of every call."""

    def __init__(self, kern):
        self.kern, self.calls, self._fns = kern, [], {}

    def __call__(self, layout, strided):
        layout = layout or self.kern.layout
        if (layout, strided) not in self._fns:
            k = self.kern
            module = emit_module(k.spec, layout, k.q_heads, k.k_heads, k.dtype, k.pos_dtype, k.in_place,
                                 strided=strided)
            lib = ctypes.CDLL(compiler.compile_shared(module, passes=compiler.GPU_EMULATION))
            fn = memref.Function(lib, "rope_kernel", k._ranks)
            record = (ctypes.c_int64 * 6).in_dll(lib, "rope_emulated_gpu_error")

            def call(fields, index=(), fn=fn, record=record, variant=(layout, strided)):
                self.calls.append(variant + (tuple(fields),))
                fn(fields, index)
                assert record[0] == 0, "the host guard refused: %s" % list(record)
            self._fns[(layout, strided)] = call
        return self._fns[(layout, strided)]


def device_kernel(spec, layout, hq, hk, **kw):
    """A kernel and its device kind over CPU tensors (cuda.TorchDevice), the
    GPU kernels emulated; run(q, k, pos, out=None) dispatches as a CUDA call."""
    kern = RopeKernel(spec, layout, q_heads=hq, k_heads=hk, **kw)
    emulated = Emulated(kern)
    kind = kern._device_kind(kern._new_kind(torch.Tensor), torch.device("cpu"), functions=emulated)

    def run(q, k, pos, out=None):
        result = kern._fast(kind, q, k, pos, out, None)
        return kern._call(kind, q, k, pos, out, None) if result is None else result
    return run, emulated


@needs_compiler
@pytest.mark.parametrize("case", range(len(CASES)))
def test_dispatch_against_reference(case):
    spec, layout, dtype, pos_dtype, in_place, hq, hk, tokens = CASES[case]
    run, emulated = device_kernel(spec, layout, hq, hk, dtype=dtype, pos_dtype=pos_dtype, in_place=in_place)
    q = tensor(RNG, layout_shape(layout, tokens, hq, spec.head_dim), dtype)
    k = tensor(RNG, layout_shape(layout, tokens, hk, spec.head_dim), dtype) if hk else None
    pos = torch.from_numpy(RNG.integers(0, 60000, (spec.num_axes,) + tokens)).to(
        {"i32": torch.int32, "i64": torch.int64, "f32": torch.float32}[pos_dtype])
    given = [x.clone() for x in (q, k) if x is not None]
    expect = [reference.rotate(spec, layout, f64(x), pos.numpy()) for x in given]
    result = run(given[0], given[1] if hk else None, pos)
    got = result if hk else (result,)
    for g, x, ref in zip(got, given, expect):
        assert g.dtype is TORCH[dtype] and (g is x) == in_place
        assert rel_err(g, ref) < TOLERANCE[dtype]
    # Row-major and aligned: the kernel's own variant on the tensors themselves.
    layout_used, strided, fields = emulated.calls[-1]
    assert (layout_used, strided) == (layout, False)
    assert given[0].data_ptr() in fields and pos.data_ptr() in fields


@needs_compiler
def test_dispatch_views_slices_and_copies():
    # HF's transposed views: the bshd variant on their storage, no copy.
    run, emulated = device_kernel(NEOX, "bhsd", 4, 2, dtype="f32")
    qs, ks = tensor(RNG, (2, 5, 4, 64), "f32"), tensor(RNG, (2, 5, 2, 64), "f32")
    q, k = qs.transpose(1, 2), ks.transpose(1, 2)
    pos = torch.arange(5).repeat(2, 1)[None]
    qo, ko = run(q, k, pos)
    assert emulated.calls[-1][:2] == ("bshd", False) and qs.data_ptr() in emulated.calls[-1][2]
    assert qo.stride() == q.stride()
    assert rel_err(qo, reference.rotate(NEOX, "bhsd", f64(q), pos.numpy())) < 1e-5
    # A batch of one for every sequence: positions copied on the device.
    one = torch.arange(5)[None, None]
    qo, _ = run(q, k, one)
    assert rel_err(qo, reference.rotate(NEOX, "bhsd", f64(q), pos.numpy())) < 1e-5
    # An out that is q itself: computed into a temporary, copied back.
    expect = reference.rotate(NEOX, "bhsd", f64(q), pos.numpy())
    q2 = q.clone()
    run(q2, k, pos, out=(q2, torch.empty_like(k)))
    assert rel_err(q2, expect) < 1e-5

    # vLLM's q and k column slices of one qkv buffer: the strided variant.
    run, emulated = device_kernel(NEOX, "packed", 4, 2, dtype="f32", in_place=True)
    qkv = tensor(RNG, (7, (4 + 2 + 2) * 64), "f32")
    q, k = qkv[:, :256], qkv[:, 256:384]
    expect = [reference.rotate(NEOX, "packed", f64(x), np.arange(7)[None]) for x in (q, k)]
    run(q, k, torch.arange(7))
    assert emulated.calls[-1][:2] == ("packed", True) and k.data_ptr() in emulated.calls[-1][2]
    assert rel_err(q, expect[0]) < 1e-5 and rel_err(k, expect[1]) < 1e-5

    # One element past an aligned start (4 bytes): fine on the CPU, not for
    # the GPU's 16-byte accesses: q is copied, rotated there and copied back.
    flat = tensor(RNG, (1 + 7 * 256,), "f32")
    q = flat[1:].view(7, 256)
    k = tensor(RNG, (7, 128), "f32")
    expect = reference.rotate(NEOX, "packed", f64(q), np.arange(7)[None])
    run(q, k, torch.arange(7))
    layout_used, strided, fields = emulated.calls[-1]
    assert q.data_ptr() not in fields and k.data_ptr() in fields and not strided
    assert rel_err(q, expect) < 1e-5


@needs_compiler
def test_dispatch_errors():
    kern = RopeKernel(NEOX, "thd", q_heads=2, k_heads=1, dtype="bf16")
    kind = kern._device_kind(kern._new_kind(torch.Tensor), torch.device("cuda", 0),
                             functions=lambda layout, strided: None)
    q = tensor(RNG, (3, 2, 64), "bf16")
    with pytest.raises(ValueError, match=r"positions is on cpu and q on cuda:0: .*positions.to\(q.device\)"):
        kern._positions(torch.arange(3), (3,), kind)
    with pytest.raises(TypeError, match="positions must be a torch tensor on cuda:0 like q, got ndarray"):
        kern._positions(np.arange(3), (3,), kind)
    with pytest.raises(ValueError, match="k is on cpu and q on cuda:0"):
        kind.array(q, "k")
    with pytest.raises(TypeError, match="q must have dtype torch.bfloat16 for bf16 data, got torch.float32"):
        kern._data("q", q.float(), kind, 2)
    with pytest.raises(TypeError, match="k is a torch.sparse_coo tensor"):
        kind.array(q.float().to_sparse(), "k")
    # q on the CPU with a tensor elsewhere (CUDA: here the same check, meta).
    with pytest.raises(ValueError, match="positions is on meta; rope_mlir runs CPU and CUDA tensors"):
        kern(q, tensor(RNG, (3, 1, 64), "bf16"), torch.arange(3, device="meta"))


@needs_compiler
def test_device_positions_are_not_scanned():
    """Reading CUDA positions for the bound would wait for the device: not
    done (the CPU path refuses these)."""
    run, _ = device_kernel(NEOX, "thd", 2, 0, dtype="f32")
    q = tensor(RNG, (3, 2, 64), "f32")
    far = torch.full((3,), 2 ** 40, dtype=torch.int64)
    assert run(q, None, far).shape == q.shape
    with pytest.raises(ValueError, match="positions must be finite"):
        RopeKernel(NEOX, "thd", q_heads=2)(q, positions=far)


# --- On a GPU ----------------------------------------------------------------

def cuda_kernel(spec, layout, hq, hk, **kw):
    return RopeKernel(spec, layout, q_heads=hq, k_heads=hk, device="cuda", **kw)


@needs_gpu
@pytest.mark.parametrize("case", range(len(CASES)))
def test_cuda_against_reference(case):
    spec, layout, dtype, pos_dtype, in_place, hq, hk, tokens = CASES[case]
    kern = cuda_kernel(spec, layout, hq, hk, dtype=dtype, pos_dtype=pos_dtype, in_place=in_place)
    for trial in range(3):
        q = tensor(RNG, layout_shape(layout, tokens, hq, spec.head_dim), dtype).cuda()
        k = tensor(RNG, layout_shape(layout, tokens, hk, spec.head_dim), dtype).cuda() if hk else None
        pos = torch.from_numpy(RNG.integers(0, 60000 * (trial + 1), (spec.num_axes,) + tokens)).to(
            {"i32": torch.int32, "i64": torch.int64, "f32": torch.float32}[pos_dtype]).cuda()
        given = [x for x in (q, k) if x is not None]
        expect = [reference.rotate(spec, layout, f64(x.cpu()), pos.cpu().numpy()) for x in given]
        result = kern(q, k, pos) if hk else kern(q, positions=pos)
        got = result if hk else (result,)
        torch.cuda.synchronize()
        for g, x, ref in zip(got, given, expect):
            assert g.is_cuda and g.dtype is TORCH[dtype] and g.shape == x.shape and (g is x) == in_place
            assert rel_err(g.cpu(), ref) < TOLERANCE[dtype]


@needs_gpu
def test_cuda_views_slices_and_apply_rope():
    kern = cuda_kernel(NEOX, "bhsd", 4, 2, dtype="f32")
    qs, ks = tensor(RNG, (2, 5, 4, 64), "f32").cuda(), tensor(RNG, (2, 5, 2, 64), "f32").cuda()
    q, k = qs.transpose(1, 2), ks.transpose(1, 2)
    pos = torch.arange(5, device="cuda")[None, None]
    expect = reference.rotate(NEOX, "bhsd", f64(q.cpu()), np.broadcast_to(np.arange(5), (1, 2, 5)))
    qo, ko = kern(q, k, pos)
    out = (torch.empty_like(q), torch.empty_like(k))
    kern(q, k, pos, out=out)
    torch.cuda.synchronize()
    assert rel_err(qo.cpu(), expect) < 1e-5 and rel_err(out[0].cpu(), expect) < 1e-5

    qkv = tensor(RNG, (7, 8 * 64), "f32").cuda()
    q, k = qkv[:, :256], qkv[:, 256:384]
    expect = [reference.rotate(NEOX, "packed", f64(x.cpu()), np.arange(7)[None]) for x in (q, k)]
    apply_rope_(torch.arange(7, device="cuda"), q, k, NEOX)
    torch.cuda.synchronize()
    assert rel_err(q.cpu(), expect[0]) < 1e-5 and rel_err(k.cpu(), expect[1]) < 1e-5

    q, k = tensor(RNG, (2, 6, 4, 64), "f16").cuda(), tensor(RNG, (2, 6, 2, 64), "f16").cuda()
    pos = torch.from_numpy(RNG.integers(0, 9000, (3, 2, 6))).cuda()
    expect = [reference.rotate(QWEN3_VL, "bshd", f64(x.cpu()), pos.cpu().numpy()) for x in (q, k)]
    apply_rope_(pos, q, k, QWEN3_VL)
    torch.cuda.synchronize()
    assert rel_err(q.cpu(), expect[0]) < 2e-3 and rel_err(k.cpu(), expect[1]) < 2e-3

    with pytest.raises(ValueError, match="positions is on cpu and q on cuda:0"):
        apply_rope_(torch.arange(7), qkv[:, :256], qkv[:, 256:384], NEOX)


@needs_gpu
def test_cuda_launches_on_the_current_stream_without_waiting():
    """On a side stream, behind a long sleep and the copy that fills q: the
    call returns while the stream is still busy (no wait), and the kernel
    runs after the copy (on that stream: on another it would rotate q
    before the copy fills it)."""
    kern = cuda_kernel(NEOX, "thd", 4, 2, dtype="bf16", in_place=True)
    src_q = tensor(RNG, (4096, 4, 64), "bf16").cuda()
    src_k = tensor(RNG, (4096, 2, 64), "bf16").cuda()
    pos = torch.arange(4096, device="cuda")
    expect = [reference.rotate(NEOX, "thd", f64(x.cpu()), np.arange(4096)[None]) for x in (src_q, src_k)]
    q, k = torch.zeros_like(src_q), torch.zeros_like(src_k)
    side = torch.cuda.Stream()
    torch.cuda.synchronize()
    with torch.cuda.stream(side):
        torch.cuda._sleep(200_000_000)
        q.copy_(src_q)
        k.copy_(src_k)
        kern(q, k, pos)
        busy = not side.query()
    assert busy, "the call waited for its stream"
    side.synchronize()
    assert rel_err(q.cpu(), expect[0]) < 8e-3 and rel_err(k.cpu(), expect[1]) < 8e-3
