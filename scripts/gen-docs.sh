#!/usr/bin/env bash
# Regenerates docs/generated/ (ops, attributes, passes) from the ODS sources.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cmake --build "$build" --target mlir-doc
mkdir -p "$root/docs/generated"
cp "$build"/docs/Rope/*.md "$root/docs/generated/"
echo "docs/generated/ updated"
