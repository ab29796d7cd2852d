"""Finds and runs the project's tools: rope-opt, mlir-runner, clang."""

import os
import shutil
import subprocess

LLVM_BIN = os.environ.get("LLVM_TOOLS_DIR", "/usr/lib/llvm-22/bin")
MLIR_LIB = os.environ.get("MLIR_LIB_DIR", "/usr/lib/llvm-22/lib")


class ToolError(RuntimeError):
    """A tool exited non-zero; the message carries its stderr."""


def rope_opt():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.environ.get("ROPE_OPT"),
                  os.path.join(here, "..", "..", "build", "bin", "rope-opt"),
                  shutil.which("rope-opt")]
    for c in candidates:
        if c and os.path.exists(c):
            return os.path.abspath(c)
    raise ToolError("rope-opt not found: build the project or set ROPE_OPT")


def run(cmd, stdin_text=None, timeout=600):
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
