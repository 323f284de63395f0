#!/usr/bin/env bash
# Runs the whole test suite: unit tests, the spec suite (every .wast file), and the
# sanitizer pass. Installs what it needs first. Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
JOBS=${JOBS:-$(nproc)}

# 1. AddressSanitizer + UndefinedBehaviorSanitizer over the unit tests, the
#    decode/validate half of the spec suite (bad-input robustness) and the spec
#    suite under the baseline JIT (about 20 s).
if [[ "${WASMRUN_SKIP_SANITIZERS:-0}" != 1 ]]; then
  BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo bash scripts/build.sh -DWASMRUN_SANITIZE=ON -DWASMRUN_BUILD_BENCH=OFF
  # The baseline JIT turns guard-page faults into traps with its own SIGSEGV
  # handler, so ASan must leave SIGSEGV/SIGBUS to it. The JIT's tests run here
  # too, the short differential fuzz run included.
  ASAN_OPTIONS=detect_leaks=1:handle_segv=0:handle_sigbus=0:allow_user_segv_handler=1 \
    ctest --test-dir build-asan -j"$JOBS" --output-on-failure -L 'unit|spec-syntax|spec-baseline' \
    --timeout 600
fi

# 2. ThreadSanitizer over the multi-threaded tests (atomics, wait/notify,
#    wasi-threads): any data race fails the run.
if [[ "${WASMRUN_SKIP_SANITIZERS:-0}" != 1 ]]; then
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWASMRUN_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  ninja -C build-tsan test_threads wasmrun_cli
  TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/test_threads
fi

# 3. The full suite on the Release build (its summary is the last thing printed).
bash scripts/build.sh
ctest --test-dir build -j"$JOBS" --output-on-failure --timeout 900
