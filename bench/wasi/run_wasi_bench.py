#!/usr/bin/env python3
"""WASI benchmarks: wasmrun against node:wasi (and `cat` for I/O), same run.

  bench/wasi/run_wasi_bench.py [--build DIR] [-n N] [--size-mb MB] [--io-runs N]
                               [--no-node] [--markdown]

Start-up: `wasmrun run hello.wasm` (default tier: the baseline JIT, lazily),
`wasmrun run --tier=interp hello.wasm` and `node node_wasi.mjs hello.wasm`, N runs
each, interleaved so both see the same machine load. Wall time is measured
around the child (time.perf_counter), peak RSS is the child's own ru_maxrss
from GNU time's %M (see run_measured for why not wait4). Wall time is not
time's %e, whose 10 ms resolution is coarser than what is measured.

I/O: copy.wasm copies a MB-sized file of random bytes through fd_read/fd_write
with 64 KiB buffers; the same file is copied by the host's `cat` (and by
node:wasi running copy.wasm). Every copy is checked byte for byte. The source
is read once first so every runner starts from the page cache. Reports MB/s
(1 MB = 10^6 bytes) of the median run.

Only the Python standard library is used. Modules come from the build
(BUILD/bench/wasi/*.wasm); when absent they are compiled here with clang-19.
"""

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_measured(cmd, stdout=subprocess.DEVNULL, rss=False):
    """Runs cmd; returns (wall seconds, peak RSS KiB or None, exit status, stderr).

    Peak RSS comes from GNU time's %M when /usr/bin/time exists. It cannot come
    from this script's own wait4()/RUSAGE_CHILDREN: Linux carries a process's
    peak RSS across execve, so a child forked from Python reports Python's
    footprint (about 19 MiB) whenever the program it runs is smaller. GNU time
    forks from a process of a few hundred KiB, which is below anything measured.
    Without it the fallback is wait4's value, reported only when it exceeds this
    interpreter's own peak (otherwise it is None: unknown).
    """
    rss_file = None
    if rss and GNU_TIME:
        fd, rss_file = tempfile.mkstemp(prefix="wasmrun-bench-rss-")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    # Reading stderr before waiting keeps a chatty child from blocking on a full pipe.
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    peak = None
    if rss_file:
        with open(rss_file) as f:
            peak = int(f.read().split()[-1])  # last line; a failing command adds one before it
        os.unlink(rss_file)
    elif rss and usage.ru_maxrss > resource.getrusage(resource.RUSAGE_SELF).ru_maxrss:
        peak = usage.ru_maxrss
    return wall, peak, p.returncode, err.decode(errors="replace")


def module(build, name, scratch):
    built = os.path.join(build, "bench", "wasi", name + ".wasm")
    if os.path.exists(built):
        return built
    out = os.path.join(scratch, name + ".wasm")
    clang = shutil.which("clang-19")
    if not clang:
        sys.exit(f"{built} is missing and clang-19 is not installed to build it")
    subprocess.run([clang, "--target=wasm32-wasi", "--sysroot=/usr", "-O2",
                    os.path.join(HERE, name + ".c"), "-o", out], check=True)
    return out


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def bench_startup(runners, n):
    """runners: {name: argv}. Returns {name: (median wall s, median RSS KiB)}."""
    samples = {name: [] for name in runners}
    for name, cmd in runners.items():  # one warm-up each: page cache, not timed
        run_measured(cmd)
    for _ in range(n):
        for name, cmd in runners.items():
            wall, rss, rc, err = run_measured(cmd, stdout=subprocess.PIPE, rss=True)
            if rc != 0:
                sys.exit(f"{name}: exit status {rc}\n{err}")
            samples[name].append((wall, rss))
    result = {}
    for name, s in samples.items():
        rss = [r for _, r in s if r is not None]
        result[name] = (statistics.median(w for w, _ in s), statistics.median(rss) if rss else None)
    return result


def bench_copy(runners, src, dst, runs):
    """runners: {name: argv copying src to dst}. Returns {name: (median s, MB/s)}."""
    size = os.path.getsize(src)
    want = sha256(src)
    times = {name: [] for name in runners}
    for i in range(runs):
        for name, cmd in runners.items():
            if os.path.exists(dst):
                os.unlink(dst)
            if name == "cat":  # cat writes to stdout: redirect into dst
                with open(dst, "wb") as out:
                    wall, _, rc, err = run_measured(cmd, stdout=out)
            else:
                wall, _, rc, err = run_measured(cmd)
            if rc != 0:
                sys.exit(f"{name}: exit status {rc}\n{err}")
            if i == 0 and (os.path.getsize(dst) != size or sha256(dst) != want):
                sys.exit(f"{name}: the copy differs from the source")
            times[name].append(wall)
    return {name: (statistics.median(t), size / 1e6 / statistics.median(t))
            for name, t in times.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="CMake build directory")
    ap.add_argument("-n", type=int, default=30, help="start-up repetitions per runner")
    ap.add_argument("--size-mb", type=int, default=100, help="size of the copied file in MB")
    ap.add_argument("--io-runs", type=int, default=5, help="copies per runner")
    ap.add_argument("--no-node", action="store_true", help="leave out node:wasi")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = ap.parse_args()

    wasmrun = os.path.join(args.build, "cli", "wasmrun")
    if not os.access(wasmrun, os.X_OK):
        sys.exit(f"{wasmrun} not found: build the wasmrun_cli target first")
    node = None if args.no_node else shutil.which("node")
    if not args.no_node and not node:
        print("node not found: measuring wasmrun alone", file=sys.stderr)
    runner_js = os.path.join(HERE, "node_wasi.mjs")

    scratch = tempfile.mkdtemp(prefix="wasmrun-wasi-bench-")
    try:
        hello = module(args.build, "hello", scratch)
        copy = module(args.build, "copy", scratch)

        # --- Start-up ---
        # The default tier (the baseline JIT, compiling each function at its first
        # call) against the interpreter: lazy compilation must keep start-up as is.
        runners = {"wasmrun": [wasmrun, "run", hello],
                   "wasmrun --tier=interp": [wasmrun, "run", "--tier=interp", hello]}
        if node:
            runners["node:wasi"] = [node, "--no-warnings", runner_js, hello]
        for name, cmd in runners.items():
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode != 0 or out.stdout != "hello, world\n":
                sys.exit(f"{name} did not print hello, world: {out.stdout!r} {out.stderr}")
        timed = dict(runners)
        if node:
            # Node's own start-up with no WebAssembly, to tell it apart from node:wasi's.
            timed["node (empty script)"] = [node, "-e", "0"]
        start = bench_startup(timed, args.n)

        # --- I/O ---
        src = os.path.join(scratch, "src.bin")
        dst = os.path.join(scratch, "dst.bin")
        with open(src, "wb") as f:
            for _ in range(args.size_mb):
                f.write(os.urandom(1000 * 1000))
        sha256(src)  # into the page cache
        d = scratch + "::/d"
        copiers = {"cat": ["cat", src],
                   "wasmrun": [wasmrun, "run", "--dir", d, copy, "/d/src.bin", "/d/dst.bin"]}
        if node:
            copiers["node:wasi"] = [node, "--no-warnings", runner_js, "--dir", d, copy,
                                    "/d/src.bin", "/d/dst.bin"]
        io = bench_copy(copiers, src, dst, args.io_runs)
    finally:
        shutil.rmtree(scratch)

    nver = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else "-"
    print(f"machine: {os.cpu_count()} CPUs, {os.uname().release}; node {nver}")
    how = "GNU time %M" if GNU_TIME else "wait4 (no /usr/bin/time)"
    print(f"\nstart-up: hello.wasm, median of {args.n} runs; peak RSS from {how}")
    rows = [("runner", "wall ms", "peak RSS MiB", "wall vs wasmrun", "RSS vs wasmrun")]
    base_w, base_r = start["wasmrun"]
    for name, (w, r) in start.items():
        known = r is not None and base_r is not None
        rows.append((name, f"{w * 1e3:.2f}", f"{r / 1024:.1f}" if r is not None else "n/a",
                     f"{w / base_w:.2f}x", f"{r / base_r:.2f}x" if known else "n/a"))
    table(rows, args.markdown)
    print(f"\nI/O: copy {args.size_mb} MB, 64 KiB buffers, median of {args.io_runs} runs")
    rows = [("copier", "seconds", "MB/s", "MB/s vs cat")]
    cat_bw = io["cat"][1]
    for name, (t, bw) in io.items():
        rows.append((name, f"{t:.3f}", f"{bw:.0f}", f"{bw / cat_bw:.2f}x"))
    table(rows, args.markdown)


def table(rows, markdown):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        if markdown:
            print("| " + " | ".join(r) + " |")
            if k == 0:
                print("|" + "|".join("---" for _ in r) + "|")
        else:
            print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))


if __name__ == "__main__":
    main()
