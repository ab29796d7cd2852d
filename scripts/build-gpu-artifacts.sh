#!/usr/bin/env bash
# Builds, on a machine with MLIR (no GPU needed), the small artifacts the GPU
# device check runs: a host shared object with the kernels' GPU binary
# embedded (rope-opt --rope-gpu-pipeline, mlir-translate, clang) and the
# mgpu* runtime it links.
# Usage: scripts/build-gpu-artifacts.sh [OUT] [CHIP] [BUILD]
#   BUILD: the build directory holding bin/rope-opt and
#   lib/librope_cuda_runtime.so; default $ROPE_BUILD, else build/ in the
#   source tree. OUT defaults to BUILD/gpu-artifacts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-${ROPE_BUILD:-$root/build}}
out=${1:-$build/gpu-artifacts}
chip=${2:-sm_90}
for f in "$build/bin/rope-opt" "$build/lib/librope_cuda_runtime.so"; do
  if [[ ! -e $f ]]; then
    echo "build-gpu-artifacts: $f missing (build directory $build; pass it as the third argument or ROPE_BUILD)" >&2
    exit 1
  fi
done
mkdir -p "$out"
/usr/bin/python3 "$root/benchmarks/gen_gpu_kernels.py" "$out/rope_gpu_kernels.mlir"
"$build/bin/rope-opt" "$out/rope_gpu_kernels.mlir" \
  --rope-gpu-pipeline="chip=$chip features=+ptx80 format=fatbin" -o "$out/rope_gpu_kernels.llvm.mlir"
/usr/lib/llvm-22/bin/mlir-translate --mlir-to-llvmir "$out/rope_gpu_kernels.llvm.mlir" -o "$out/rope_gpu_kernels.ll"
cp "$build/lib/librope_cuda_runtime.so" "$out/"
/usr/lib/llvm-22/bin/clang -O2 -fPIC -shared -Wno-override-module "$out/rope_gpu_kernels.ll" \
  -o "$out/librope_gpu_kernels.so" -L"$out" -lrope_cuda_runtime -Wl,-rpath,'$ORIGIN'
rm -f "$out/rope_gpu_kernels.llvm.mlir" "$out/rope_gpu_kernels.ll"
echo "gpu artifacts ($chip) in $out: $(du -sh "$out" | cut -f1)"
