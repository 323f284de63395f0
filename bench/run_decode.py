#!/usr/bin/env python3
"""Decode/validate throughput of wasmrun against wabt and V8, on a real module.

    bench/run_decode.py [--build BUILD_DIR] [--module M.wasm] [--json] [--quick]

Without --module it uses $WASMRUN_BENCH_MODULE, or fetches two large modules
from npm with bench/fetch_modules.sh into /tmp/wasmrun-bench-cache (esbuild.wasm,
11.9 MB of Go; swc's wasm_bg.wasm, 22.2 MB of Rust) and measures each.

wasmrun and wabt are measured by bench_decode (Google Benchmark, one process);
V8 by timing WebAssembly.validate inside node. Every engine must accept the
module: a rejection is a failure (exit status 1), never a fast time. Times are
CPU time by default (--clock=wall for elapsed time), the best of the runs.

Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = "wasmrun decode+validate"


def find_modules(args):
    if args.module:
        return [args.module]
    if os.environ.get("WASMRUN_BENCH_MODULE"):
        return [Path(os.environ["WASMRUN_BENCH_MODULE"])]
    out = subprocess.run([str(HERE / "fetch_modules.sh")], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"run_decode.py: fetch_modules.sh failed:\n{out.stderr}")
    return [Path(line) for line in out.stdout.split()]


def run_bench_decode(args, module, rows, problems):
    exe = args.build / "bench" / "bench_decode"
    if not exe.exists():
        problems.append(f"wasmrun, wabt: {exe} not built (ninja -C {args.build} bench_decode)")
        return
    cmd = [str(exe), str(module), "--benchmark_format=json"]
    if args.quick:
        cmd.append("--benchmark_min_time=0.1")
    else:
        # Repetitions give a spread; the table reports the best (minimum) time.
        cmd += ["--benchmark_repetitions=5", "--benchmark_report_aggregates_only=false"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        problems.append(f"bench_decode failed (exit {proc.returncode}): {proc.stderr.strip()[-300:]}")
        return
    best = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate":
            continue
        name = b["name"].split("/repeats:")[0].removesuffix("/real_time").replace("/", " ", 1)
        if b.get("error_occurred"):
            problems.append(f"{name}: {b.get('error_message', 'error')}")
            best[name] = None
            continue
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        seconds = b["cpu_time" if args.clock == "cpu" else "real_time"] * unit
        if name not in best or (best[name] is not None and seconds < best[name]):
            best[name] = seconds
    for name, seconds in best.items():
        if seconds is not None:
            rows.append((name, seconds))
    if proc.returncode != 0:
        problems.append(f"bench_decode exited with status {proc.returncode}: "
                        f"{proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ''}")


def run_node(args, module, rows, problems):
    cmd = ["node", str(HERE / "node_validate.mjs"), str(module), "3" if args.quick else "20"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired) as e:
        problems.append(f"V8 WebAssembly.validate: node failed: {e}")
        return
    if not data["valid"]:
        problems.append("V8 WebAssembly.validate: rejected the module")
        return
    rows.append(("V8 WebAssembly.validate",
                 min(data["cpu_times"] if args.clock == "cpu" else data["times"])))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", type=Path, default=HERE.parent / "build")
    p.add_argument("--module", type=Path)
    p.add_argument("--json", action="store_true")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                   help="CPU time (default; robust on a loaded machine) or elapsed time")
    args = p.parse_args()
    args.build = args.build.resolve()
    modules = find_modules(args)
    for module in modules:
        if not module.exists():
            sys.exit(f"run_decode.py: {module} does not exist")

    reports, failed = [], False
    for module in modules:
        size = module.stat().st_size
        rows, problems = [], []
        run_bench_decode(args, module, rows, problems)
        run_node(args, module, rows, problems)
        failed = failed or bool(problems)
        base = dict(rows).get(BASE)
        reports.append({
            "module": str(module), "bytes": size, "clock": args.clock,
            "results": [{"name": n, "seconds": t, "bytes_per_second": size / t,
                         "time_vs_wasmrun": t / base if base else None} for n, t in rows],
            "problems": problems})
        if args.json:
            continue
        print(f"module: {module} ({size / 1e6:.1f} MB), {args.clock} time, best of the runs\n")
        width = max([len(n) for n, _ in rows] + [10])
        print(f"{'':{width}}  {'time':>10}  {'MB/s':>8}  {'time / ' + BASE}")
        for name, seconds in rows:
            rel = f"{seconds / base:.2f}x" if base else "n/a"
            print(f"{name:{width}}  {seconds * 1e3:8.1f}ms  {size / seconds / 1e6:8.0f}  {rel}")
        if problems:
            print("\nProblems:")
            for line in problems:
                print(f"  {line}")
        print()
    if args.json:
        json.dump(reports, sys.stdout, indent=2)
        print()
    else:
        print("wabt read builds its whole IR (instructions included), so compare it with")
        print("wasmrun decode+validate; wasmrun decode leaves function bodies to the validator.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
