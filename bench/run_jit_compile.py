#!/usr/bin/env python3
"""Compile throughput of the baseline JIT against V8's Liftoff, same run.

  bench/run_jit_compile.py [--build DIR] [--reps N] [MODULE.wasm ...]

For each module (default: esbuild and swc from bench/fetch_modules.sh, in
/tmp/wasmrun-bench-cache/), CPU time of:
  * wasmrun compile: every function compiled by the baseline tier from the
    validated module (bench_jit_compile's BaselineCompile), the issue's figure;
  * wasmrun whole: decode + validate + compile every function from the bytes
    (DecodeValidateCompile);
  * V8 Liftoff: `new WebAssembly.Module(bytes)` under node --liftoff
    --no-wasm-tier-up --no-wasm-lazy-compilation --single-threaded (decode,
    validate and compile every function eagerly on one thread; bench/node_compile.mjs
    defeats V8's module cache).
MB/s are of the code section (10^6 bytes); medians of N repetitions.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_MODULES = ["/tmp/wasmrun-bench-cache/esbuild-0.24.0.wasm",
                   "/tmp/wasmrun-bench-cache/swc-1.7.0.wasm"]
NODE_FLAGS = ["--liftoff", "--no-wasm-tier-up", "--no-wasm-lazy-compilation", "--single-threaded"]


def wasmrun_times(build, module, reps):
    exe = os.path.join(build, "jit", "bench_jit_compile")
    if not os.access(exe, os.X_OK):
        sys.exit(f"{exe} not found: build the bench_jit_compile target first")
    out = subprocess.run([exe, "--benchmark_format=json", f"--benchmark_repetitions={reps}",
                          "--benchmark_min_time=0.5"],
                         env=dict(os.environ, WASMRUN_BENCH_MODULES=module),
                         capture_output=True, text=True, check=True).stdout
    runs = {}
    code_bytes = None
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        kind = b["name"].split("/")[0]
        if "error_occurred" in b:
            sys.exit(f"{module}: {b.get('error_message')}")
        secs = b["cpu_time"] / 1e3  # kMillisecond
        runs.setdefault(kind, []).append(secs)
        code_bytes = b["bytes_per_second"] * secs
    return {k: statistics.median(v) for k, v in runs.items()}, code_bytes


def node_time(node, module, reps):
    out = subprocess.run([node, *NODE_FLAGS, os.path.join(HERE, "node_compile.mjs"), module,
                          str(reps)], capture_output=True, text=True, check=True).stdout
    return statistics.median(json.loads(out)["cpu_times"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("modules", nargs="*")
    args = ap.parse_args()
    modules = args.modules or [m for m in DEFAULT_MODULES if os.path.exists(m)]
    if not modules:
        sys.exit("no modules: run bench/fetch_modules.sh or name some")
    node = shutil.which("node")
    print(f"CPU time, median of {args.reps}; MB/s of code section; V8: node {' '.join(NODE_FLAGS)}")
    rows = [("module", "code MB", "wasmrun compile", "wasmrun whole", "V8 Liftoff whole",
             "whole: V8 time / wasmrun time")]
    for m in modules:
        w, code = wasmrun_times(args.build, m, args.reps)
        v8 = node_time(node, m, args.reps) if node else None
        mb = code / 1e6
        rows.append((os.path.basename(m), f"{mb:.1f}",
                     f"{w['BaselineCompile'] * 1e3:.0f} ms ({mb / w['BaselineCompile']:.1f} MB/s)",
                     f"{w['DecodeValidateCompile'] * 1e3:.0f} ms ({mb / w['DecodeValidateCompile']:.1f} MB/s)",
                     f"{v8 * 1e3:.0f} ms ({mb / v8:.1f} MB/s)" if v8 else "n/a",
                     f"{v8 / w['DecodeValidateCompile']:.2f}x" if v8 else "n/a"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())


if __name__ == "__main__":
    main()
