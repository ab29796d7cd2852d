"""Finds and runs the project's tools: rope-opt, mlir-runner, clang."""

import os
import shutil
import subprocess

LLVM_BIN = os.environ.get("LLVM_TOOLS_DIR", "/usr/lib/llvm-22/bin")
MLIR_LIB = os.environ.get("MLIR_LIB_DIR", "/usr/lib/llvm-22/lib")


class ToolError(RuntimeError):
    """A tool exited non-zero; the message carries its stderr."""


def rope_opt():
    """The rope-opt that compiles kernels, the first that exists of:
    $ROPE_OPT; the package's own bin/rope-opt (copied there by
    `pip install`, linked there by `cmake --install`); the source tree's
    build/bin/rope-opt (the package used from python/); rope-opt on PATH.
    ToolError naming them when none does."""
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [("$ROPE_OPT", os.environ.get("ROPE_OPT")),
                  ("the package's", os.path.join(here, "bin", "rope-opt")),
                  ("the source tree's", os.path.join(here, "..", "..", "build", "bin", "rope-opt")),
                  ("PATH's", shutil.which("rope-opt"))]
    for _, c in candidates:
        if c and os.path.exists(c):
            return os.path.abspath(c)
    tried = ", ".join("%s %s" % (what, c) for what, c in candidates if c) or "nothing"
    raise ToolError("rope-opt not found (tried %s): build the project and install the package from it, "
                    "or set ROPE_OPT" % tried)


def run(cmd, stdin_text=None, timeout=600):
    """Runs cmd with stdin_text on stdin and returns its stdout; ToolError
    with its stderr when it exits non-zero."""
    proc = subprocess.run(cmd, input=stdin_text, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise ToolError("%s failed (exit %d):\n%s" % (os.path.basename(cmd[0]),
                                                     proc.returncode, proc.stderr[-4000:]))
    return proc.stdout


def lower_cpu(module_text, pipeline_options=""):
    """Runs --rope-cpu-pipeline and returns LLVM-dialect IR."""
    flag = "--rope-cpu-pipeline"
    if pipeline_options:
        flag += "=" + pipeline_options
    return run([rope_opt(), flag, "-"], module_text)


def run_main(llvm_dialect_text):
    """Runs @main of lowered IR under mlir-runner and returns its stdout.
    IR with OpenMP ops (threads=true, a parallel loop left to run time) also
    gets LLVM's libomp."""
    names = ["libmlir_runner_utils.so", "libmlir_c_runner_utils.so"]
    if "omp.parallel" in llvm_dialect_text:
        names.append("libomp.so")
    libs = ",".join(os.path.join(MLIR_LIB, lib) for lib in names)
    return run([os.path.join(LLVM_BIN, "mlir-runner"), "-e", "main",
                "-entry-point-result=void", "--shared-libs=" + libs, "-"],
               llvm_dialect_text)
