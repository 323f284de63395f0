#!/usr/bin/env bash
# Quick start: install dependencies, build, and run a real module.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
echo "== wasmrun validate examples/fib.wat"
./build/cli/wasmrun validate examples/fib.wat && echo "valid"
if ./build/cli/wasmrun run --invoke fib examples/fib.wat 20 2>/dev/null; then :; fi
