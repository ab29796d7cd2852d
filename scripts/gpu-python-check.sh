#!/usr/bin/env bash
# CUDA tensors from Python (issue 20 item 2). Not yet run on a device: the
# first GPU session runs it and records the table in docs/benchmarks.md.
#
#   scripts/gpu-python-check.sh --build [CHIP]   where rope-opt is (no GPU needed)
#   scripts/gpu-python-check.sh                  on the GPU machine
#
# --build compiles the GPU objects the CUDA tests and the timing use
# (python/tests/cuda_cases.py, chip sm_90 by default) into
# BUILD/gpu-python-cache; carry that folder and BUILD/lib/librope_cuda_runtime.so
# to the GPU machine, which has no MLIR. There, with a CUDA PyTorch, the
# script runs python/tests/test_cuda.py (the tests that need rope-opt skip)
# and prints the timing table of benchmarks/gpu_python_timing.py. BUILD is
# $ROPE_BUILD, else build/ in the source tree; PYTHON picks the interpreter
# on the device (python3 by default).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROPE_BUILD:-$root/build}
export PYTHONPATH="$root/python/tests:$root/python"
export ROPE_MLIR_CACHE="$build/gpu-python-cache"
export ROPE_CUDA_RUNTIME="$build/lib/librope_cuda_runtime.so"
if [[ ${1:-} == --build ]]; then
  export ROPE_OPT="${ROPE_OPT:-$build/bin/rope-opt}"
  /usr/bin/python3 "$root/python/tests/cuda_cases.py" "${2:-sm_90}"
  du -sh "$ROPE_MLIR_CACHE"
  exit 0
fi
for f in "$ROPE_CUDA_RUNTIME" "$ROPE_MLIR_CACHE"; do
  if [[ ! -e $f ]]; then
    echo "gpu-python-check: $f missing: run scripts/gpu-python-check.sh --build where rope-opt is, and carry it" >&2
    exit 1
  fi
done
python=${PYTHON:-python3}
nvidia-smi -L || true
"$python" -m pytest -q -rs "$root/python/tests/test_cuda.py"
exec "$python" "$root/benchmarks/gpu_python_timing.py"
