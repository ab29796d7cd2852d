#!/usr/bin/env bash
# Installs everything rope-mlir needs on a fresh Debian 12 machine (as root,
# or with sudo). The single source of truth for dependencies.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 libclang-rt-22-dev \
  libomp-22-dev cmake ninja-build ccache g++ python3 python3-numpy python3-pytest \
  python3-pip python3-setuptools python3-venv python3-torch \
  > /dev/null
echo "setup: LLVM/MLIR $(/usr/lib/llvm-22/bin/llvm-config --version), $(cmake --version | head -1)"
