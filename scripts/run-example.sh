#!/usr/bin/env bash
# The main job on the shipped Qwen3-VL example, from a fresh machine: install,
# build, compile the example through the CPU pipeline, run it, check it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ "${SKIP_SETUP:-0}" = 1 ] || "$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build" > "$root/build.log" 2>&1 || { tail -40 "$root/build.log"; exit 1; }
exec /usr/bin/python3 "$root/examples/run_example.py" "$@"
