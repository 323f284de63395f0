#!/usr/bin/env python3
"""GC benchmarks: allocation-heavy WAT programs timed on wasmrun (interpreter and
baseline JIT tiers) and on V8.

V8 is Chromium's (Debian package `chromium`, headless): it implements the final
Wasm GC encoding, which node 20 does not. Each program runs once per engine in
this script's run; the table shows seconds per runner (wall, and for wasmrun
also the process's CPU time, which a loaded machine inflates less), the results
(they must agree) and the wall-time ratios against V8.

  bench/gc/run_gc_bench.py [--build build-gci] [--quick]

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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-gci"))
    ap.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    opts = ap.parse_args()
    wasmrun = os.path.join(opts.build, "cli", "wasmrun")
    with tempfile.TemporaryDirectory() as tmp:
        w2w = build_wat2wasm(opts.build, tmp)
        modules, rows = [], []
        for name, file, args, quick in BENCHES:
            args = quick if opts.quick else args
            src = os.path.join(HERE, file)
            wasm = os.path.join(tmp, file.replace(".wat", ".wasm"))
            subprocess.run([w2w, src, wasm], check=True)
            modules.append((name, wasm, args))
            runs = [run_wasmrun(wasmrun, t, src, args) for t in TIERS]
            rows.append((name, runs))
        v8 = run_v8(opts.chromium, modules) if shutil.which(opts.chromium) else {}
    head = "".join(f" {t + ' s':>10} {'(cpu)':>6}" for t in TIERS)
    ratios = "".join(f" {t + '/V8':>12}" for t in TIERS)
    print(f"{'benchmark':32}{head} {'V8 s':>8}{ratios}  result")
    for name, runs in rows:
        result = runs[0][2]
        notes = "".join(f"  MISMATCH ({t}: {r})" for t, (_, _, r) in zip(TIERS, runs) if r != result)
        r = v8.get(name)
        times = "".join(f" {secs:10.2f} {cpu:6.2f}" for secs, cpu, _ in runs)
        if r and r["secs"] > 0:
            if r["result"] != result:
                notes += f"  MISMATCH (V8: {r['result']})"
            rel = "".join(f" {secs / r['secs']:11.1f}x" for secs, _, _ in runs)
            print(f"{name:32}{times} {r['secs']:8.2f}{rel}  {result}{notes}")
        else:
            rel = "".join(f" {'-':>12}" for _ in runs)
            print(f"{name:32}{times} {'-':>8}{rel}  {result}{notes}"
                  + (f"  (V8: {r['result']})" if r else "  (chromium not found)"))


if __name__ == "__main__":
    main()
