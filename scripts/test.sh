#!/usr/bin/env bash
# Builds rope-mlir and runs every test: the lit suite (dialect, passes,
# plugin, end-to-end numerics), then the same suite on an AddressSanitizer +
# UBSan build. Usage: scripts/test.sh [--no-sanitizer]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lit=/usr/lib/llvm-22/bin/lit
sanitizer=1
[ "${1:-}" = "--no-sanitizer" ] && sanitizer=0

echo "== build (Release, -Werror)"
"$root/scripts/build.sh" "$root/build"
echo "== lit: $root/build/test"
"$lit" -sv "$root/build/test"

if [ "$sanitizer" = 1 ]; then
  echo "== build (ASan + UBSan)"
  "$root/scripts/build.sh" "$root/build-asan" -DROPE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  echo "== lit under ASan + UBSan: $root/build-asan/test"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$lit" -sv "$root/build-asan/test"
fi
echo "== all tests passed"
