#!/usr/bin/env bash
# Builds rope-mlir and runs every test: the lit suite (dialect, passes,
# plugin, end-to-end numerics), the Python package's pytest suite (installed
# with pip into a venv), then the lit suite on an AddressSanitizer + UBSan
# build, then fuzzes that build for FUZZ_SECONDS (default 180, test/fuzz/).
# Installs dependencies first (scripts/setup.sh) unless SKIP_SETUP=1.
# Usage: scripts/test.sh [--no-sanitizer]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lit=/usr/lib/llvm-22/bin/lit
sanitizer=1
[ "${1:-}" = "--no-sanitizer" ] && sanitizer=0

[ "${SKIP_SETUP:-0}" = 1 ] || { echo "== setup"; "$root/scripts/setup.sh"; }
echo "== build (Release, -Werror)"
"$root/scripts/build.sh" "$root/build"
echo "== lit: $root/build/test"
"$lit" -sv "$root/build/test"

echo "== python: pip install ./python into a venv, then pytest"
venv="$root/build/venv"
/usr/bin/python3 -m venv --system-site-packages "$venv"
"$venv/bin/pip" install -q --no-build-isolation --no-index "$root/python"
# Run from outside the source tree, without ROPE_OPT, so that the installed
# package is tested with the rope-opt it carries (python/setup.py).
(cd "$root/build" && env -u ROPE_OPT "$venv/bin/python" -c \
  'from rope_mlir import tools; p = tools.rope_opt(); assert "/site-packages/rope_mlir/bin/" in p, p; print("rope-opt:", p)')
(cd "$root/build" && env -u ROPE_OPT PYTHONPATH="$root/python/tests" \
  ROPE_MLIR_CACHE="$root/build/kernel-cache" "$venv/bin/python" -m pytest -q "$root/python/tests")

if [ "$sanitizer" = 1 ]; then
  echo "== build (ASan + UBSan)"
  "$root/scripts/build.sh" "$root/build-asan" -DROPE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  echo "== lit under ASan + UBSan: $root/build-asan/test"
  # Our code inlines LLVM's allocators with ASan annotations while libMLIR.so
  # runs them without: their manual poisoning then reports false positives.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allow_user_poisoning=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$lit" -sv "$root/build-asan/test"
  # Bounded fuzzing of the sanitized rope-opt (test/fuzz/fuzz.py): fails on a
  # new finding in our code; FUZZ_SECONDS=0 skips it; FUZZ_SEED (default 1, so that a CI failure reproduces) picks the mutants.
  if [ "${FUZZ_SECONDS:-180}" != 0 ]; then
    echo "== fuzz under ASan + UBSan: ${FUZZ_SECONDS:-180} s, report in $root/build-asan/fuzz"
    rm -rf "$root/build-asan/fuzz"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allow_user_poisoning=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      /usr/bin/python3 "$root/test/fuzz/fuzz.py" --rope-opt "$root/build-asan/bin/rope-opt" \
      --seconds "${FUZZ_SECONDS:-180}" --seed "${FUZZ_SEED:-1}" --out "$root/build-asan/fuzz" --minimize-total 60
  fi
fi
echo "== all tests passed"
