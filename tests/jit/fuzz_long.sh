#!/bin/sh
# Long differential fuzz run: N random modules (default 5000) on the interpreter
# and the baseline tier. Prints the number of modules and divergences; divergent
# modules are kept in ./fuzz-divergences/.
#   tests/jit/fuzz_long.sh [N] [BUILD_DIR] [FIRST_SEED]
n=${1:-5000}
build=${2:-build}
mkdir -p fuzz-divergences
WASMRUN_FUZZ_COUNT=$n WASMRUN_FUZZ_SEED=${3:-$(date +%s)} WASMRUN_FUZZ_KEEP=$(pwd)/fuzz-divergences \
  "$build/tests/test_jit" --gtest_filter=FuzzDiff.* 2>&1 | grep -E "^fuzz:|seed .* diverges|interp:|baseline:"
