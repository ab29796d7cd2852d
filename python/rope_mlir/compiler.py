"""Ahead-of-time compilation of rope modules into shared objects.

`load_shared(module_text)` runs rope-opt's CPU pipeline, mlir-translate and
clang once per module, options and rope-opt binary (the result cached on
disk under CACHE_DIR, checked before and after loading), and returns the
object's path and its ctypes.CDLL. `compile_gpu(module_text, chip)` does the
same through rope-opt's GPU pipeline: a host object with the GPU binary
embedded, linked to librope_cuda_runtime.so (`cuda.py` loads and calls it).
"""

import _ctypes
import ctypes
import functools
import hashlib
import json
import os
import re
import secrets

from . import tools

CACHE_DIR = os.environ.get("ROPE_MLIR_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "rope-mlir"))


def clang():
    """The clang that links kernels: LLVM_BIN's, else /usr/bin/clang-22
    (tools.ToolError when neither exists)."""
    for name in (os.path.join(tools.LLVM_BIN, "clang"), "/usr/bin/clang-22"):
        if os.path.exists(name):
            return name
    raise tools.ToolError("clang-22 not found: run scripts/setup.sh")


# The GPU kernels of convert-rope-to-gpu, run as host loops (checks without a GPU).
# test-rope-emulate-gpu-launch also defines the runtime entry the kernels' host
# guard calls (ropeCudaReportInvalidArgument): refused buffers are counted in
# the object's int64[6] `rope_emulated_gpu_error` (count, argument, rule,
# dim, value, required of the first), and nothing is computed.
GPU_EMULATION = ("builtin.module(one-shot-bufferize{bufferize-function-boundaries "
                 "function-boundary-type-conversion=identity-layout-map},convert-rope-to-gpu,test-rope-emulate-gpu-launch,canonicalize,cse,"
                 "convert-vector-to-scf{full-unroll=true},expand-strided-metadata,lower-affine,"
                 "convert-scf-to-cf,finalize-memref-to-llvm,convert-vector-to-llvm,"
                 "convert-math-to-llvm,convert-to-llvm,reconcile-unrealized-casts)")


@functools.lru_cache(maxsize=None)
def _host_cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return line
    except OSError:
        pass
    return os.uname().machine


# The object's own copy of its cache key, checked after loading.
KEY_SYMBOL = "rope_mlir_cache_key"


class CacheError(RuntimeError):
    """A freshly built object does not load, or does not carry its key."""


def _cache_key(module_text, pipeline_options, passes, opt):
    key = hashlib.sha256()
    key.update(module_text.encode())
    key.update(pipeline_options.encode())
    key.update((passes or "").encode())
    key.update(b"link: libc, libm" if not passes else b"link: c_runner_utils")
    # -march=native and cpu-features=host build for this CPU: a cache shared
    # between machines must not hand one CPU's object to another.
    key.update(_host_cpu_flags().encode())
    st = os.stat(opt)
    key.update(("%s:%d:%d" % (opt, st.st_size, st.st_mtime_ns)).encode())
    return key.hexdigest()


def _sidecar(so):
    return so[:-3] + ".json"


def _file_sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _intact(so, key):
    """Whether `so` is the object a build for `key` left: its sidecar names
    the key and the object's size and sha256 (a truncated object, or another
    key's copied over it, would crash or compute something else)."""
    try:
        with open(_sidecar(so)) as f:
            meta = json.load(f)
        return (isinstance(meta, dict) and meta.get("key") == key
                and meta.get("size") == os.path.getsize(so)
                and meta.get("sha256") == _file_sha256(so))
    except (OSError, ValueError):
        return False


def _temporary(path):
    """A name next to `path`, with its extension (clang reads the language
    from it), that no other process or thread picks: processes building the
    same key write their own intermediates, then rename them into place."""
    base, ext = os.path.splitext(path)
    return "%s.%d.%s.tmp%s" % (base, os.getpid(), secrets.token_hex(4), ext)


def _build(module_text, pipeline_options, passes, opt, so, key):
    if passes:
        llvm_dialect = tools.run([opt, "-p", passes, "-"], module_text)
    else:
        llvm_dialect = tools.lower_cpu(module_text, pipeline_options)
    llvm_ir = tools.run([os.path.join(tools.LLVM_BIN, "mlir-translate"), "--mlir-to-llvmir", "-"],
                        llvm_dialect)
    # The key travels inside the object too, where dlsym finds it.
    llvm_ir += '\n@%s = constant [%d x i8] c"%s\\00", align 1\n' % (KEY_SYMBOL, len(key) + 1, key)
    ll, tmp, meta = so[:-3] + ".ll", _temporary(so), _temporary(_sidecar(so))
    ll_tmp = _temporary(ll)
    try:
        with open(ll_tmp, "w") as f:
            f.write(llvm_ir)
        # The CPU pipeline's kernels need libc and libm alone (README "Calling
        # a compiled kernel from C"), and LLVM's OpenMP runtime with threads.
        # A pipeline of the caller's may leave memref.copy (a call into MLIR's
        # C runner utils) and f32 -> bf16 rounding (__truncsfbf2, which
        # Debian 12's libgcc lacks: compiler-rt has it).
        libs, runtime = ["-lm"], []
        if passes:
            libs = ["-lmlir_c_runner_utils", "-lm"]
            runtime = ["--rtlib=compiler-rt"]
        if re.search(r"(^|\s)threads=(true|1)(\s|$)", pipeline_options):
            libs.append("-lomp")
        tools.run([clang(), "-O3", "-march=native", "-fPIC", "-shared", "-Wno-override-module"]
                  + runtime + [ll_tmp, "-o", tmp, "-L" + tools.MLIR_LIB,
                               "-Wl,-rpath," + tools.MLIR_LIB, "-Wl,--no-undefined"] + libs)
        with open(meta, "w") as f:
            json.dump({"key": key, "size": os.path.getsize(tmp), "sha256": _file_sha256(tmp)}, f)
        # The object first, then its sidecar: a reader between the two
        # renames finds them disagreeing and builds again.
        os.replace(tmp, so)
        os.replace(meta, _sidecar(so))
        os.replace(ll_tmp, ll)
    finally:
        for path in (ll_tmp, tmp, meta):
            if os.path.exists(path):
                os.unlink(path)


def _compile(module_text, pipeline_options, cache_dir, passes, rebuild=False):
    if not re.search(r"(^|\s)cpu-features=", pipeline_options):
        pipeline_options = (pipeline_options + " cpu-features=host").strip()
    cache_dir = cache_dir or CACHE_DIR
    os.makedirs(cache_dir, exist_ok=True)
    opt = tools.rope_opt()
    key = _cache_key(module_text, pipeline_options, passes, opt)
    so = os.path.join(cache_dir, "rope_%s.so" % key[:24])
    if rebuild or not _intact(so, key):
        _build(module_text, pipeline_options, passes, opt, so, key)
    return so, key


def compile_shared(module_text, pipeline_options="", cache_dir=None, passes=None):
    """rope-opt --rope-cpu-pipeline | mlir-translate | clang -O3 -shared.

    `passes` replaces the CPU pipeline with a textual pass pipeline. Returns
    the path of the shared object; the result is cached by the content of the
    module, the options and the rope-opt binary. The object is built for this
    machine (clang -march=native), so the pipeline gets `cpu-features=host`
    unless the options name cpu-features themselves. A cached object is used
    only if its sidecar (`rope_<key>.json`: key, size, sha256) matches it;
    otherwise it is built again. Intermediates have per-process names and
    are renamed into place, so processes may build the same key at once.
    """
    return _compile(module_text, pipeline_options, cache_dir, passes)[0]


def _load_checked(so, key):
    """The loaded object if it loads and carries `key`, else None (unloaded)."""
    try:
        lib = ctypes.CDLL(so)
    except OSError:
        return None
    try:
        if (ctypes.c_char * (len(key) + 1)).in_dll(lib, KEY_SYMBOL).value == key.encode():
            return lib
    except ValueError:
        pass
    # dlopen hands out an object already loaded under the same name, so this
    # one must go before the rebuilt file can be loaded in its place.
    _ctypes.dlclose(lib._handle)
    return None


def load_shared(module_text, pipeline_options="", cache_dir=None, passes=None):
    """compile_shared, then loads the object: (path, ctypes.CDLL).

    The object must carry the key it is cached under (`KEY_SYMBOL`); one that
    does not, or does not load, is built again once, then CacheError."""
    so, key = _compile(module_text, pipeline_options, cache_dir, passes)
    lib = _load_checked(so, key)
    if lib is None:
        so, key = _compile(module_text, pipeline_options, cache_dir, passes, rebuild=True)
        lib = _load_checked(so, key)
        if lib is None:
            raise CacheError("%s does not load or does not carry its cache key %s"
                             % (so, key))
    return so, lib


def _gpu_content_key(module_text, chip, features):
    """What a GPU object computes: the module and the GPU target. Names the
    object, so a machine without rope-opt (the GPU machine) finds one built
    ahead by a machine with it."""
    key = hashlib.sha256()
    key.update(b"gpu fatbin\0%s\0%s\0" % (chip.encode(), features.encode()))
    key.update(module_text.encode())
    return key.hexdigest()


def _build_gpu(module_text, chip, features, opt, runtime_dir, so, key, content):
    options = "chip=%s features=%s format=fatbin" % (chip, features)
    llvm_dialect = tools.run([opt, "--rope-gpu-pipeline=" + options, "-"], module_text)
    llvm_ir = tools.run([os.path.join(tools.LLVM_BIN, "mlir-translate"), "--mlir-to-llvmir", "-"],
                        llvm_dialect)
    llvm_ir += '\n@%s = constant [%d x i8] c"%s\\00", align 1\n' % (KEY_SYMBOL, len(key) + 1, key)
    ll, tmp, meta = _temporary(so[:-3] + ".ll"), _temporary(so), _temporary(_sidecar(so))
    try:
        with open(ll, "w") as f:
            f.write(llvm_ir)
        # The host code calls the mgpu* runtime: linked by its soname, found
        # through the rpath or, as cuda.py arranges, already loaded.
        tools.run([clang(), "-O2", "-fPIC", "-shared", "-Wno-override-module", ll, "-o", tmp,
                   "-L" + runtime_dir, "-lrope_cuda_runtime", "-Wl,-rpath," + runtime_dir,
                   "-Wl,--no-undefined"])
        with open(meta, "w") as f:
            json.dump({"key": key, "content": content, "size": os.path.getsize(tmp),
                       "sha256": _file_sha256(tmp)}, f)
        os.replace(tmp, so)
        os.replace(meta, _sidecar(so))
    finally:
        for path in (ll, tmp, meta):
            if os.path.exists(path):
                os.unlink(path)


def compile_gpu(module_text, chip, runtime_dir, features="+ptx80", cache_dir=None):
    """rope-opt --rope-gpu-pipeline (fatbin for `chip`, e.g. "sm_90") |
    mlir-translate | clang -shared, linked to librope_cuda_runtime.so in
    `runtime_dir`; returns (path, key). Needs no GPU.

    Cached under `rope_gpu_<content>.so` by the module and target; its
    sidecar records the key (rope-opt binary included) and content. With
    rope-opt found, an object built by another rope-opt is built again;
    without one (a GPU machine has no MLIR) an intact object of the same
    content is used as it is, and a missing one raises tools.ToolError
    saying to build it ahead (scripts/gpu-python-check.sh --build)."""
    cache_dir = cache_dir or CACHE_DIR
    content = _gpu_content_key(module_text, chip, features)
    so = os.path.join(cache_dir, "rope_gpu_%s.so" % content[:24])
    try:
        opt = tools.rope_opt()
    except tools.ToolError as e:
        try:
            with open(_sidecar(so)) as f:
                meta = json.load(f)
            key = meta["key"] if meta.get("content") == content else None
        except (OSError, ValueError, KeyError, TypeError):
            key = None
        if key is None or not _intact(so, key):
            raise tools.ToolError("%s; and no GPU kernel for this module and %s was built ahead in %s "
                                  "(build it where rope-opt is: scripts/gpu-python-check.sh --build)"
                                  % (e, chip, cache_dir)) from None
        return so, key
    key = hashlib.sha256(content.encode())
    st = os.stat(opt)
    key.update(("%s:%d:%d" % (opt, st.st_size, st.st_mtime_ns)).encode())
    key = key.hexdigest()
    if not _intact(so, key):
        os.makedirs(cache_dir, exist_ok=True)
        _build_gpu(module_text, chip, features, opt, runtime_dir, so, key, content)
    return so, key
