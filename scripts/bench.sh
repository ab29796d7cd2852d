#!/usr/bin/env bash
# Builds and runs the CPU benchmark: rope kernels compiled ahead of time by the
# project's pipeline against a same-run copy of the same bytes and a
# hand-written fused loop, on 1 and 2 threads; and QK-norm + RoPE + KV-cache
# write compiled with fuse=true and fuse=false against a copy of the fused
# pass's bytes. Also reports the compile time of the CPU pipeline for one rope
# op. Usage:
# scripts/bench.sh [--quick] [--filter S] [--tokens N] [--huge-pages]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ "${SKIP_SETUP:-0}" = 1 ] || "$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build" > "$root/build.log" 2>&1 || { tail -40 "$root/build.log"; exit 1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"
/usr/bin/python3 - "$root" <<'PY'
import subprocess, sys, time
root = sys.argv[1]
cmd = [root + "/build/bin/rope-opt", "--rope-cpu-pipeline", root + "/examples/qwen3vl_text_rope.mlir", "-o", "/dev/null"]
times = []
for _ in range(5):
    t = time.perf_counter(); subprocess.run(cmd, check=True); times.append(time.perf_counter() - t)
print("compile time, rope-opt --rope-cpu-pipeline on one rope op (examples/qwen3vl_text_rope.mlir): "
      "median %.3f s over 5 runs (process start included)" % sorted(times)[2])
PY
echo "== --rope-raise on generated decoder graphs"
ROPE_OPT="$root/build/bin/rope-opt" /usr/bin/python3 "$root/benchmarks/raise_scale.py"
echo "== kernels"
exec "$root/build/benchmarks/rope-bench" "$root/build/benchmarks/rope_kernels.so" "$@"
