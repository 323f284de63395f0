#!/usr/bin/env bash
# Installs every Debian 12 package wasmrun needs to build, test and benchmark.
# Idempotent: packages already present are not downloaded again.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build git python3
  clang-19 lld-19 llvm-19-dev libclang-rt-19-dev libclang-rt-19-dev-wasm32 wasi-libc
  libasmjit-dev libxxhash-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libfmt-dev
  wabt binaryen nodejs time
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
