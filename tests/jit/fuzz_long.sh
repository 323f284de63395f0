#!/bin/sh
# Long differential fuzz run: N random modules (default 5000) on the interpreter
# and the baseline tier, split over JOBS processes (default 1) with distinct,
# consecutive seed ranges. Divergent or rejected modules are kept in
# ./fuzz-divergences/ (replay one with WASMRUN_FUZZ_FILE=that.wasm
# WASMRUN_FUZZ_SEED=its-seed BUILD/tests/test_jit --gtest_filter=FuzzDiff.*).
# The last line is the total: `fuzz: N modules, D divergences (seeds A..B)`,
# where D also counts modules from wasm-opt that we reject.
#   tests/jit/fuzz_long.sh [N] [BUILD_DIR] [FIRST_SEED] [JOBS]
# Run it under `nice -n 10` on a shared machine.
set -eu
n=${1:-5000}
build=${2:-build}
first=${3:-$(date +%s)}
jobs=${4:-1}
bin="$build/tests/test_jit"
[ -x "$bin" ] || { echo "fuzz_long.sh: $bin not built" >&2; exit 2; }
mkdir -p fuzz-divergences
keep=$(pwd)/fuzz-divergences
logs=$(mktemp -d /tmp/wasmrun-fuzz-long-XXXXXX)
chunk=$(((n + jobs - 1) / jobs))
j=0
while [ "$j" -lt "$jobs" ]; do
  start=$((first + j * chunk))
  count=$chunk
  [ $((j * chunk + count)) -gt "$n" ] && count=$((n - j * chunk))
  if [ "$count" -gt 0 ]; then
    WASMRUN_FUZZ_COUNT=$count WASMRUN_FUZZ_SEED=$start WASMRUN_FUZZ_KEEP=$keep \
      "$bin" --gtest_filter=FuzzDiff.* >"$logs/job$j.log" 2>&1 &
  fi
  j=$((j + 1))
done
wait
cat "$logs"/job*.log | grep -E "^fuzz:|^seed .*(diverges|rejected)|interp:|baseline:" || true
# Sum the per-job summaries (a job that crashed has none: count it as a failure).
summaries=$(cat "$logs"/job*.log | grep -c "^fuzz:" || true)
expected=$(((n + chunk - 1) / chunk))
status=0
cat "$logs"/job*.log | grep "^fuzz:" | awk -v first="$first" -v n="$n" -v missing=$((expected - summaries)) '
  { modules += $2; div += $4; rej += $6 }
  END {
    d = div + rej + missing
    if (missing > 0) printf "fuzz: %d job(s) crashed (see logs)\n", missing
    printf "fuzz: %d modules, %d divergences (seeds %d..%d)\n", modules, d, first, first + n - 1
    exit d > 0
  }' || status=$?
[ "$summaries" -lt "$expected" ] && echo "logs kept in $logs" || rm -rf "$logs"
exit $status
