#!/usr/bin/env python3
"""Runs the benchmark kernels on every runner, in one go, and prints a table.

    bench/run_kernels.py [--build BUILD_DIR] [--json] [--quick]
                         [--kernels fib,sieve] [--runners wasmrun-interp,native]

Runners: wasmrun's interpreter and baseline JIT (the CLI's --tier=interp and
--tier=baseline), wabt's wasm-interp, node (V8) with
Liftoff only and with default tiering (TurboFan), and the kernel compiled natively
by the same clang at -O2. Every result is compared with the kernel's known
checksum; a wrong result is reported as MISMATCH and makes the exit status 1.
A runner that cannot run at all (missing binary, unsupported feature, a crash)
is reported as n/a with the reason; --strict makes that an error too.

Timing (see docs/benchmarks.md): each measurement is repeated (3 times, 1 with
--quick) and the minimum is kept. node and native time the call inside the
process, after instantiation. The CLI runners (wasmrun, wasm-interp) are timed
as a whole process, minus a run with n=0 (start-up: process launch, decode,
validate, compile, instantiate), which is reported separately. The clock is CPU
time by default (user+system: immune to time spent descheduled on a busy
machine); --clock=wall uses elapsed time instead.

Standard library only.
"""

import argparse
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import wasm_patch  # noqa: E402


@dataclass
class Kernel:
    name: str
    n: int
    expected: int  # run(n), as a signed i32
    expected_startup: int  # run(STARTUP_N)
    what: str
    check_n: int  # a small n for --check




# n is chosen so that wabt's wasm-interp, the slowest runner, takes about 5-10 s
# per kernel (the whole suite stays under ~10 minutes with 3 repetitions) while
# the optimizing engines still take tens to hundreds of milliseconds.
# The checksums come from the native build and agree with V8 and wasm-interp.
KERNELS = [
    Kernel("fib", 37, 24157817, 0, "recursive fib(n): calls", 20),
    Kernel("sieve", 28, 798251065, -2128831035, "sieve of Eratosthenes, 1 MB, n rounds", 1),
    Kernel("matmul", 352, -1380671278, -2128831035, "f64 matrix multiply, n x n", 24),
    Kernel("nbody", 600000, -1593604979, -1571439284, "n-body simulation, n steps", 1000),
    Kernel("sha256", 1500, -374754517, 0, "SHA-256 of 4 KB, n times", 4),
    Kernel("crc32", 700, 1050052888, 0, "CRC-32 of 64 KB, n passes", 2),
    Kernel("quicksort", 1500000, -1018028998, -2128831035, "quicksort of n PRNG ints", 5000),
    Kernel("mandelbrot", 700, -1096187993, -2128831035, "mandelbrot, n x n, 200 iterations", 40),
    Kernel("bytecode_vm", 800000, 1802446419, 17, "switch-dispatch bytecode VM, n loop trips", 1000),
    Kernel("memops", 1500000, -1072672215, 696914123, "memcpy/memmove/memset, n rounds", 100),
    Kernel("simd", 5500, 1641140487, -1012351976, "i32x4 lane hash over 64 KB, n passes", 4),
]
STARTUP_N = 0

RUNNERS = ["wasmrun-interp", "wasmrun-baseline", "wasm-interp", "node-liftoff", "node-turbofan",
           "native"]
# The reference column the ratios are computed against.
BASE = "wasmrun-interp"


@dataclass
class Cell:
    status: str  # "ok", "n/a", "mismatch"
    time: float = None  # seconds, steady state
    times: list = field(default_factory=list)
    startup: float = None  # seconds
    result: int = None
    reason: str = ""


class RunnerError(Exception):
    """The runner could not produce a result (reported as n/a, not a mismatch)."""


def to_i32(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_process(cmd, timeout, clock="wall"):
    """Runs cmd, returns (stdout, seconds on `clock`). Raises RunnerError on failure."""
    cpu_start = children_cpu()
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RunnerError(f"timed out after {timeout:.0f} s") from None
    except OSError as e:
        raise RunnerError(str(e)) from None
    wall = time.perf_counter() - start
    # Children are run one at a time, so the growth of RUSAGE_CHILDREN is this one's.
    cpu = children_cpu() - cpu_start
    if proc.returncode != 0:
        err = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        detail = err[-1] if err else "no output"
        raise RunnerError(f"exit status {proc.returncode}: {detail[:160]}")
    return proc.stdout, cpu if clock == "cpu" else wall


class Runner:
    name = ""

    def __init__(self, args):
        self.args = args

    def unavailable(self):
        """None when the runner can run, else the reason it cannot."""
        return None

    def measure(self, kernel, reps):
        """Returns (results, steady-state times, startup seconds, n): every result
        the runner produced for run(n), for measure_cell to check."""
        raise NotImplementedError


class CliRunner(Runner):
    """A command-line engine, timed as a whole process minus a run with n=STARTUP_N."""

    def command(self, kernel, n):
        raise NotImplementedError

    def parse(self, stdout):
        raise NotImplementedError

    def once(self, kernel, n):
        stdout, seconds = run_process(self.command(kernel, n), self.args.timeout, self.args.clock)
        return self.parse(stdout), seconds

    def measure(self, kernel, reps):
        startup_times = []
        for _ in range(reps):
            result, seconds = self.once(kernel, STARTUP_N)
            if result != kernel.expected_startup:
                return [result], [], None, STARTUP_N
            startup_times.append(seconds)
        startup = min(startup_times)
        results, times = [], []
        for _ in range(reps):
            result, seconds = self.once(kernel, kernel.n)
            results.append(result)
            times.append(seconds - startup)
        return results, times, startup, kernel.n


class WasmrunInterp(CliRunner):
    name = "wasmrun-interp"
    tier = "interp"

    def __init__(self, args):
        super().__init__(args)
        self.exe = args.build / "cli" / "wasmrun"

    def unavailable(self):
        if not self.exe.exists():
            return f"{self.exe} not built"
        return None

    def command(self, kernel, n):
        return [str(self.exe), "run", f"--tier={self.tier}", "--invoke", "run",
                str(kernel_wasm(self.args, kernel)), str(n)]

    def parse(self, stdout):
        lines = [line.strip() for line in stdout.splitlines() if line.strip()]
        # The CLI prints each result on its own line; `run` has exactly one.
        if len(lines) != 1 or not re.fullmatch(r"-?\d+", lines[0]):
            raise RunnerError(f"expected one i32 result line, got {stdout.strip()[:80]!r}")
        return int(lines[0])


class WasmrunBaseline(WasmrunInterp):
    # The asmjit tier (jit/baseline/), the CLI's default.
    name = "wasmrun-baseline"
    tier = "baseline"


class WabtInterp(CliRunner):
    name = "wasm-interp"

    def __init__(self, args):
        super().__init__(args)
        self.exe = shutil.which("wasm-interp")

    def unavailable(self):
        if not self.exe:
            return "wasm-interp not on PATH"
        # wabt 1.0.33 added --run-export/--argument; older ones need a patched module.
        usage = subprocess.run([self.exe, "--help"], capture_output=True, text=True).stdout
        self.has_run_export = "--run-export" in usage
        return None

    def command(self, kernel, n):
        if self.has_run_export:
            return [self.exe, str(kernel_wasm(self.args, kernel)), "--run-export=run",
                    f"--argument=i32:{n}"]
        # wabt 1.0.32 cannot pass arguments to an export, so it runs a copy of
        # the kernel whose only export calls run(n) (see wasm_patch.py).
        cache = self.args.cache / "wasm-interp"
        cache.mkdir(parents=True, exist_ok=True)
        source = kernel_wasm(self.args, kernel)
        patched = cache / f"{kernel.name}.n{n}.wasm"
        if not patched.exists() or patched.stat().st_mtime < source.stat().st_mtime:
            patched.write_bytes(wasm_patch.add_entry(source.read_bytes(), arg=n))
        return [self.exe, str(patched), "--run-all-exports"]

    def parse(self, stdout):
        # "bench_main() => i32:4294967295" (or "run(i32:5) => ..." with
        # --run-export): wabt prints i32 results unsigned.
        m = re.search(r"^\w+\(.*\) => i32:(\d+)$", stdout, re.M)
        if not m:
            raise RunnerError(f"unexpected output {stdout.strip()[:80]!r}")
        return to_i32(int(m.group(1)))


class Node(Runner):
    flags = []

    def __init__(self, args):
        super().__init__(args)
        self.exe = shutil.which("node")

    def unavailable(self):
        if not self.exe:
            return "node not on PATH"
        return None

    def measure(self, kernel, reps):
        cmd = [self.exe, *self.flags, str(HERE / "node_runner.mjs"),
               str(kernel_wasm(self.args, kernel)), str(kernel.n), str(reps)]
        stdout, _ = run_process(cmd, self.args.timeout)
        try:
            data = json.loads(stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise RunnerError(f"unexpected output {stdout.strip()[:80]!r}") from None
        times = data["cpu_times"] if self.args.clock == "cpu" else data["times"]
        # node_runner.mjs itself fails if the calls disagree with each other.
        return [data["result"]], times, data["startup"], kernel.n


class NodeLiftoff(Node):
    name = "node-liftoff"
    # V8's baseline compiler only. Not `--liftoff --no-wasm-tier-up`: in node 20
    # dynamic tiering still moves hot functions to TurboFan with those flags
    # (sha256 ran at TurboFan speed, 8x faster than Liftoff); --liftoff-only
    # really forbids TurboFan.
    flags = ["--liftoff-only"]


class NodeTurbofan(Node):
    name = "node-turbofan"
    # Default tiering: Liftoff first, TurboFan for hot functions; the runner's
    # warm-up call lets the tier-up happen before the timed calls.
    flags = []


class Native(Runner):
    name = "native"

    def exe(self, kernel):
        return self.args.build / "bench" / "kernels" / f"{kernel.name}_native"

    def unavailable(self):
        missing = [k.name for k in self.args.kernel_list if not self.exe(k).exists()]
        return f"not built: {', '.join(missing)}" if missing else None

    def measure(self, kernel, reps):
        _, startup = run_process([str(self.exe(kernel)), str(STARTUP_N)], self.args.timeout,
                                 self.args.clock)
        stdout, _ = run_process([str(self.exe(kernel)), str(kernel.n), str(reps)],
                                self.args.timeout)
        # The driver itself fails if the repetitions disagree with each other.
        result = int(re.search(r"^result (-?\d+)$", stdout, re.M).group(1))
        column = 1 if self.args.clock == "cpu" else 0
        times = [float(t.split()[column]) for t in re.findall(r"^time (.+)$", stdout, re.M)]
        return [result], times, startup, kernel.n


RUNNER_CLASSES = {c.name: c for c in (WasmrunInterp, WasmrunBaseline, WabtInterp, NodeLiftoff,
                                       NodeTurbofan, Native)}


def kernel_wasm(args, kernel):
    return args.build / "bench" / "kernels" / f"{kernel.name}.wasm"


def check_kernels(args):
    """The kernels at their small check_n, expecting what the native build returns."""
    native = Native(args)
    reason = native.unavailable()
    if reason:
        sys.exit(f"run_kernels.py --check needs the native kernels: {reason}")
    kernels = []
    for k in args.kernel_list:
        small = Kernel(k.name, k.check_n, 0, k.expected_startup, k.what, k.check_n)
        try:
            small.expected = native.measure(small, 1)[0][0]
        except RunnerError as e:
            sys.exit(f"run_kernels.py --check: native {k.name} failed: {e}")
        kernels.append(small)
    return kernels


def measure_cell(runner, kernel, reps):
    try:
        results, times, startup, n = runner.measure(kernel, reps)
    except RunnerError as e:
        return Cell("n/a", reason=str(e))
    expected = kernel.expected if n == kernel.n else kernel.expected_startup
    for result in results:
        if result != expected:
            return Cell("mismatch", result=result,
                        reason=f"run({n}) returned {result}, expected {expected}")
    return Cell("ok", time=min(times), times=times, startup=startup, result=expected)


def fmt_time(seconds):
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f}s"
    if seconds >= 0.01:
        return f"{seconds * 1e3:.0f}ms"
    return f"{seconds * 1e3:.2f}ms"


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def ratio(cells, kernel, runner, base):
    a, b = cells[kernel][runner], cells[kernel][base]
    if a.status != "ok" or b.status != "ok" or not b.time or a.time <= 0:
        return None
    return a.time / b.time


def cell_text(cell):
    if cell.status == "ok":
        return fmt_time(cell.time)
    return "MISMATCH" if cell.status == "mismatch" else "n/a"


def print_table(title, header, rows, out):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    print(title, file=out)
    for r in [header] + rows:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))), file=out)
    print(file=out)


def report_text(args, runners, cells, out):
    names = [r.name for r in runners]
    kernels = args.kernel_list
    rows = [[k.name, k.n] + [cell_text(cells[k.name][r]) for r in names] for k in kernels]
    reps = "1 run" if args.reps == 1 else f"min of {args.reps} runs"
    print_table(f"Steady-state {args.clock} time per kernel ({reps}):", ["kernel", "n"] + names,
                rows, out)

    rows = []
    for r in names:
        startups = [cells[k.name][r].startup for k in kernels if cells[k.name][r].status == "ok"]
        rows.append([r, fmt_time(statistics.median(startups)) if startups else "n/a",
                     f"whole process ({args.clock}), n=0" if not r.startswith("node")
                     else "instantiate, wall, in JS"])
    print_table("Start-up (median over kernels):", ["runner", "start-up", "measured as"], rows, out)

    for base, label in ((BASE, "wasmrun"), ("native", "native")):
        if base not in names:
            continue
        others = [r for r in names if r != base]
        header = ["kernel"] + [f"{r}/{label}" for r in others]
        rows = []
        for k in kernels:
            rows.append([k.name] + [
                f"{x:.2f}x" if (x := ratio(cells, k.name, r, base)) is not None else "n/a"
                for r in others])
        gm = []
        for r in others:
            g = geomean([ratio(cells, k.name, r, base) for k in kernels])
            gm.append(f"{g:.2f}x" if g is not None else "n/a")
        rows.append(["geomean"] + gm)
        print_table(f"Time ratios against {base} (>1: slower than {label}):", header, rows, out)

    problems = [(k.name, r, cells[k.name][r]) for k in kernels for r in names
                if cells[k.name][r].status != "ok"]
    if problems:
        print("Not measured:", file=out)
        for k, r, c in problems:
            print(f"  {r:15} {k:12} {c.status.upper()}: {c.reason}", file=out)


def report_json(args, runners, cells):
    names = [r.name for r in runners]
    doc = {
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                    "python": platform.python_version()},
        "repetitions": args.reps,
        "clock": args.clock,
        "kernels": [],
        "geomean": {},
    }
    for k in args.kernel_list:
        doc["kernels"].append({
            "name": k.name, "n": k.n, "expected": k.expected, "what": k.what,
            "runners": {r: vars(cells[k.name][r]) for r in names},
        })
    for base in (BASE, "native"):
        if base in names:
            doc["geomean"][base] = {
                r: geomean([ratio(cells, k.name, r, base) for k in args.kernel_list])
                for r in names if r != base}
    json.dump(doc, sys.stdout, indent=2)
    print()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", type=Path, default=HERE.parent / "build",
                   help="the CMake build directory (default: <repo>/build)")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--quick", action="store_true", help="one repetition instead of three")
    p.add_argument("--reps", type=int, help="repetitions per measurement (default 3)")
    p.add_argument("--kernels", help="comma-separated subset of kernels")
    p.add_argument("--runners", help=f"comma-separated subset of {','.join(RUNNERS)}")
    p.add_argument("--timeout", type=float, default=600,
                   help="wall seconds per process (generous: a busy machine stretches wall time)")
    p.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                   help="CPU time (default; robust on a loaded machine) or elapsed time")
    p.add_argument("--cache", type=Path, help="where patched modules go (default BUILD/bench/cache)")
    p.add_argument("--check", action="store_true",
                   help="correctness only: each kernel once at a small n, checked against "
                        "the native build's result (a few seconds; used by ctest)")
    p.add_argument("--strict", action="store_true",
                   help="a runner that cannot run (n/a) is an error, not just a note")
    args = p.parse_args()
    args.build = args.build.resolve()
    args.reps = args.reps or (1 if args.quick else 3)
    args.cache = args.cache or args.build / "bench" / "cache"

    by_name = {k.name: k for k in KERNELS}
    if args.kernels:
        unknown = [k for k in args.kernels.split(",") if k not in by_name]
        if unknown:
            p.error(f"unknown kernels {unknown}; known: {', '.join(by_name)}")
        args.kernel_list = [by_name[k] for k in args.kernels.split(",")]
    else:
        args.kernel_list = KERNELS
    names = args.runners.split(",") if args.runners else RUNNERS
    unknown = [r for r in names if r not in RUNNER_CLASSES]
    if unknown:
        p.error(f"unknown runners {unknown}; known: {', '.join(RUNNERS)}")

    if args.check:
        args.reps = 1
        args.kernel_list = check_kernels(args)
    missing = [k.name for k in args.kernel_list if not kernel_wasm(args, k).exists()]
    if missing:
        sys.exit(f"run_kernels.py: kernels not built in {args.build}: {', '.join(missing)}\n"
                 f"  build them with: ninja -C {args.build} bench_kernels")

    runners = [RUNNER_CLASSES[r](args) for r in names]
    cells = {k.name: {} for k in args.kernel_list}
    started = time.perf_counter()
    for runner in runners:
        reason = runner.unavailable()
        for k in args.kernel_list:
            if reason:
                cells[k.name][runner.name] = Cell("n/a", reason=reason)
                continue
            print(f"[{time.perf_counter() - started:6.1f}s] {runner.name:15} {k.name:12} n={k.n}",
                  end="", file=sys.stderr, flush=True)
            cell = measure_cell(runner, k, args.reps)
            cells[k.name][runner.name] = cell
            note = fmt_time(cell.time) if cell.status == "ok" else f"{cell.status}: {cell.reason}"
            print(f"  {note}", file=sys.stderr, flush=True)
            if cell.status == "mismatch":
                print(f"*** MISMATCH: {runner.name} on {k.name}: {cell.reason}", file=sys.stderr)
        if reason:
            print(f"[{time.perf_counter() - started:6.1f}s] {runner.name:15} n/a: {reason}",
                  file=sys.stderr)

    if args.json:
        report_json(args, runners, cells)
    elif args.check:
        # Times at these tiny n mean nothing; only the results are reported.
        names = [r.name for r in runners]
        rows = [[k.name, k.n, k.expected] + [
            "ok" if (c := cells[k.name][r]).status == "ok" else c.status.upper()
            for r in names] for k in args.kernel_list]
        print_table("Check (results against the native build):",
                    ["kernel", "n", "expected"] + names, rows, sys.stdout)
        for k in args.kernel_list:
            for r in names:
                if (c := cells[k.name][r]).status != "ok":
                    print(f"  {r:15} {k.name:12} {c.status.upper()}: {c.reason}")
    else:
        report_text(args, runners, cells, sys.stdout)

    statuses = [c.status for row in cells.values() for c in row.values()]
    if "mismatch" in statuses:
        print("run_kernels.py: FAILED: some runner computed a wrong checksum", file=sys.stderr)
        return 1
    if args.strict and "n/a" in statuses:
        print("run_kernels.py: FAILED (--strict): some measurements are n/a", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
