"""Ahead-of-time compilation of rope modules into shared objects."""

import functools
import hashlib
import os
import re

from . import tools

CACHE_DIR = os.environ.get("ROPE_MLIR_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "rope-mlir"))


def clang():
    for name in (os.path.join(tools.LLVM_BIN, "clang"), "/usr/bin/clang-22"):
        if os.path.exists(name):
            return name
    raise tools.ToolError("clang-22 not found: run scripts/setup.sh")


# The GPU kernels of rope-to-gpu, run as host loops (checks without a GPU).
GPU_EMULATION = ("builtin.module(rope-to-gpu,rope-emulate-gpu-launch,canonicalize,cse,"
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


def compile_shared(module_text, pipeline_options="", cache_dir=None, passes=None):
    """rope-opt --rope-cpu-pipeline | mlir-translate | clang -O3 -shared.

    `passes` replaces the CPU pipeline with a textual pass pipeline. Returns
    the path of the shared object; the result is cached by the content of the
    module, the options and the rope-opt binary. The object is built for this
    machine (clang -march=native), so the pipeline gets `cpu-features=host`
    unless the options name cpu-features themselves.
    """
    if not re.search(r"(^|\s)cpu-features=", pipeline_options):
        pipeline_options = (pipeline_options + " cpu-features=host").strip()
    cache_dir = cache_dir or CACHE_DIR
    os.makedirs(cache_dir, exist_ok=True)
    opt = tools.rope_opt()
    key = hashlib.sha256()
    key.update(module_text.encode())
    key.update(pipeline_options.encode())
    key.update((passes or "").encode())
    key.update(b"link: c_runner_utils")
    # -march=native and cpu-features=host build for this CPU: a cache shared
    # between machines must not hand one CPU's object to another.
    key.update(_host_cpu_flags().encode())
    st = os.stat(opt)
    key.update(("%s:%d:%d" % (opt, st.st_size, st.st_mtime_ns)).encode())
    so = os.path.join(cache_dir, "rope_%s.so" % key.hexdigest()[:24])
    if os.path.exists(so):
        return so
    if passes:
        llvm_dialect = tools.run([opt, "-p", passes, "-"], module_text)
    else:
        llvm_dialect = tools.lower_cpu(module_text, pipeline_options)
    llvm_ir = tools.run([os.path.join(tools.LLVM_BIN, "mlir-translate"), "--mlir-to-llvmir", "-"],
                        llvm_dialect)
    ll = so[:-3] + ".ll"
    with open(ll, "w") as f:
        f.write(llvm_ir)
    tmp = so + ".tmp%d" % os.getpid()
    # memref.copy lowers to a call into MLIR's C runner utils; threads=true to
    # calls into LLVM's OpenMP runtime.
    libs = ["-lmlir_c_runner_utils", "-lm"]
    if re.search(r"(^|\s)threads=(true|1)(\s|$)", pipeline_options):
        libs.append("-lomp")
    # compiler-rt's builtins: on a CPU without bf16 conversions, clang lowers
    # f32 -> bf16 rounding to __truncsfbf2, which Debian 12's libgcc lacks.
    tools.run([clang(), "-O3", "-march=native", "-fPIC", "-shared", "-Wno-override-module",
               "--rtlib=compiler-rt", ll, "-o", tmp, "-L" + tools.MLIR_LIB, "-Wl,-rpath," + tools.MLIR_LIB] + libs)
    os.replace(tmp, so)
    return so
