# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "ROPE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.rope_obj_root, "test")
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "Inputs"]

llvm_config.use_default_substitutions()

tools_bin = os.path.join(config.rope_obj_root, "bin")
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", tools_bin, append_path=True)

python = "/usr/bin/python3"
config.substitutions.append(("%python", python))
config.substitutions.append(("%rope_src", config.rope_src_root))
config.substitutions.append(("%rope_obj", config.rope_obj_root))
config.substitutions.append(("%rope_libs", os.path.join(config.rope_obj_root, "lib")))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))
config.substitutions.append(("%mlir_opt", os.path.join(config.llvm_tools_dir, "mlir-opt")))
config.substitutions.append(
    ("%e2e", "%s %s" % (python, os.path.join(config.rope_src_root, "test", "e2e", "check.py")))
)
config.environment["PYTHONPATH"] = os.path.join(config.rope_src_root, "python")
config.environment["ROPE_OPT"] = os.path.join(tools_bin, "rope-opt")
config.environment["MLIR_LIB_DIR"] = config.mlir_lib_dir
config.environment["LLVM_TOOLS_DIR"] = config.llvm_tools_dir
for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

if config.rope_sanitize in ("ON", "1", "TRUE", "True"):
    # The stock mlir-opt is not instrumented and cannot load a sanitized plugin.
    config.available_features.add("asan")

# This CPU converts to bf16 in hardware (AVX512-BF16): the benchmark, built
# with -march=native, then has its hand-written streaming bound.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        if any(line.startswith("flags") and " avx512_bf16" in line for line in cpuinfo):
            config.available_features.add("avx512bf16")
except OSError:
    pass

# GPU features: ptxas (the CUDA toolkit), our runtime library, a real GPU.
import shutil
import subprocess

cuda_bin = "/usr/local/cuda/bin"
if os.path.exists(os.path.join(cuda_bin, "ptxas")):
    config.available_features.add("ptxas")
    llvm_config.with_environment("PATH", cuda_bin, append_path=True)
if os.path.exists(os.path.join(config.rope_obj_root, "lib", "librope_cuda_runtime.so")):
    config.available_features.add("cuda-runtime")
smi = shutil.which("nvidia-smi")
if smi and subprocess.run([smi, "-L"], capture_output=True).returncode == 0:
    config.available_features.add("cuda-gpu")
