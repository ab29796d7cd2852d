#!/usr/bin/env bash
# The one-command device check, for a GPU machine with CUDA, PyTorch and
# transformers but no LLVM/MLIR. Build the artifacts first, on a machine with
# MLIR: scripts/build-gpu-artifacts.sh (then carry build/gpu-artifacts, or
# $ROPE_BUILD/gpu-artifacts where the build directory is elsewhere).
# Usage: scripts/gpu-device-check.sh [--quick]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nvidia-smi -L || true
exec python3 "$root/benchmarks/gpu_check.py" --artifacts "${ROPE_BUILD:-$root/build}/gpu-artifacts" "$@"
