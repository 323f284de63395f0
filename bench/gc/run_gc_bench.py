#!/usr/bin/env python3
"""GC benchmarks: allocation-heavy WAT programs timed on wasmrun (interpreter and
baseline JIT tiers) and on V8.

V8 is Chromium's (Debian package `chromium`, headless): it implements the final
Wasm GC encoding, which node 20 does not. Each program runs once per engine in
this script's run, --reps times (default 3, interleaved: every engine once per
round); the table shows the median per runner: wasmrun's process CPU time
(user + system, which a loaded machine inflates less than wall time) and wall
time, V8's in-page time, the results (they must agree) and the ratio of
wasmrun's median CPU time to V8's median in-page time. The min-max spread of
each median is printed below the table.

  bench/gc/run_gc_bench.py [--build build-gci] [--quick] [--reps N]

wasmrun is timed as a whole process (`wasmrun run --tier=T --invoke run FILE ARGS`, so
start-up and lowering are included, a few ms); V8 is timed inside the page with
performance.now() around the exported call (compilation excluded, tier-up
included). The modules are converted to binary with wasmrun's own text parser
(wat2wasm.cc, compiled here against the build's static libraries), because the
Debian wabt and binaryen predate the final GC encoding.
"""
import argparse
import base64
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# name, file, args (i32 unless noted), quick args
BENCHES = [
    ("binary-trees depth 20", "binary_trees.wat", [20], [14]),
    ("array merge sort 1M x 5", "array_sort.wat", [1000000, 5], [20000, 2]),
    ("struct field churn 100K x 300", "field_churn.wat", [100000, 300], [10000, 20]),
]


def build_wat2wasm(build, out_dir):
    exe = os.path.join(out_dir, "wat2wasm")
    libs = [os.path.join(build, "engine", l) for l in ("libwasmrun_text.a", "libwasmrun_core.a")]
    for l in libs:
        if not os.path.exists(l):
            sys.exit(f"missing {l}: build the engine first (ninja -C {build} wasmrun_cli)")
    cxx = shutil.which("clang++-19") or shutil.which("clang++") or "c++"
    subprocess.run([cxx, "-std=c++20", "-O1", f"-I{ROOT}", f"-I{ROOT}/include",
                    os.path.join(HERE, "wat2wasm.cc"), *libs, "-lpthread", "-o", exe], check=True)
    return exe


TIERS = ["interp", "baseline"]


def run_wasmrun(wasmrun, tier, path, args):
    """Wall seconds, CPU seconds (user + system of the child) and the printed result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run([wasmrun, "run", f"--tier={tier}", "--invoke", "run", path,
                        *map(str, args)],
                       capture_output=True, text=True)
    secs = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if p.returncode != 0:
        return secs, cpu, "error: " + p.stderr.strip().splitlines()[0]
    return secs, cpu, p.stdout.strip()


PAGE = """<!doctype html><html><body><pre id="out">pending</pre><script>
const benches = %s;
const results = [];
for (const b of benches) {
  const bytes = Uint8Array.from(atob(b.wasm), c => c.charCodeAt(0));
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const t0 = performance.now();
    const r = inst.exports.run(...b.args);
    const t1 = performance.now();
    results.push({name: b.name, secs: (t1 - t0) / 1000, result: String(r)});
  } catch (e) {
    results.push({name: b.name, secs: 0, result: "error: " + e});
  }
}
document.getElementById("out").textContent = "RESULTS" + JSON.stringify(results) + "END";
</script></body></html>
"""


def run_v8(chromium, modules):
    benches = [{"name": n, "args": a, "wasm": base64.b64encode(open(p, "rb").read()).decode()}
               for n, p, a in modules]
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "bench.html")
        with open(page, "w") as f:
            f.write(PAGE % json.dumps(benches))
        profile = os.path.join(tmp, "profile")
        p = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                            "--dump-dom", "file://" + page],
                           capture_output=True, text=True, timeout=3600)
    m = re.search(r"RESULTS(.*)END", p.stdout)
    if not m:
        sys.exit("chromium produced no results:\n" + p.stderr[-2000:])
    return {r["name"]: r for r in json.loads(m.group(1).replace("&quot;", '"'))}


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-gci"))
    ap.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    ap.add_argument("--reps", type=int, default=3, help="runs per engine (median reported)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    opts = ap.parse_args()
    wasmrun = os.path.join(opts.build, "cli", "wasmrun")
    have_v8 = shutil.which(opts.chromium) is not None
    with tempfile.TemporaryDirectory() as tmp:
        w2w = build_wat2wasm(opts.build, tmp)
        modules = []
        for name, file, args, quick in BENCHES:
            args = quick if opts.quick else args
            wasm = os.path.join(tmp, file.replace(".wat", ".wasm"))
            subprocess.run([w2w, os.path.join(HERE, file), wasm], check=True)
            modules.append((name, file, wasm, args))
        # runs[name][tier] = [(wall, cpu, result)], v8runs[name] = [(secs, result)]
        runs = {n: {t: [] for t in TIERS} for n, _, _, _ in modules}
        v8runs = {n: [] for n, _, _, _ in modules}
        for rep in range(opts.reps):
            for name, file, _, args in modules:
                for t in TIERS:
                    runs[name][t].append(run_wasmrun(wasmrun, t, os.path.join(HERE, file), args))
            if have_v8:
                v8 = run_v8(opts.chromium, [(n, w, a) for n, _, w, a in modules])
                for name in v8runs:
                    r = v8.get(name)
                    if r:
                        v8runs[name].append((r["secs"], r["result"]))
            print(f"round {rep + 1}/{opts.reps} done", file=sys.stderr)
    head = "".join(f" {t + ' cpu':>12} {'(wall)':>7}" for t in TIERS)
    ratios = "".join(f" {t + ' cpu/V8':>16}" for t in TIERS)
    print(f"medians of {opts.reps} runs (seconds)")
    print(f"{'benchmark':32}{head} {'V8 in-page':>10}{ratios}  result")
    spreads = []
    for name, _, _, _ in modules:
        per = runs[name]
        result = per[TIERS[0]][0][2]
        notes = ""
        for t in TIERS:
            for _, _, r in per[t]:
                if r != result:
                    notes += f"  MISMATCH ({t}: {r})"
                    break
        cpu = {t: median([c for _, c, _ in per[t]]) for t in TIERS}
        wall = {t: median([w for w, _, _ in per[t]]) for t in TIERS}
        times = "".join(f" {cpu[t]:12.2f} {wall[t]:7.2f}" for t in TIERS)
        spread = "  ".join(f"{t} cpu {min(c for _, c, _ in per[t]):.2f}-{max(c for _, c, _ in per[t]):.2f}"
                           for t in TIERS)
        v = [x for x in v8runs[name] if x[0] > 0]
        if v:
            if any(r != result for _, r in v):
                notes += f"  MISMATCH (V8: {v[0][1]})"
            v8m = median([x for x, _ in v])
            rel = "".join(f" {cpu[t] / v8m:15.1f}x" for t in TIERS)
            print(f"{name:32}{times} {v8m:10.2f}{rel}  {result}{notes}")
            spread += f"  V8 {min(x for x, _ in v):.2f}-{max(x for x, _ in v):.2f}"
        else:
            rel = "".join(f" {'-':>16}" for _ in TIERS)
            print(f"{name:32}{times} {'-':>10}{rel}  {result}{notes}"
                  + ("" if have_v8 else "  (chromium not found)"))
        spreads.append(f"  {name}: {spread}")
    print("min-max over the runs:")
    print("\n".join(spreads))


if __name__ == "__main__":
    main()
