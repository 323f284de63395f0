#!/usr/bin/env python3
"""Runs wasi-testsuite (wasm32-wasip1) through the wasmrun CLI.

Each test module runs as
    wasmrun run [--dir HOST::GUEST]... [--env K=V]... FILE.wasm ARGS...
and passes when its exit code and every expected stream match the .json next to
it (see /work/shared/wasi-testsuite/JSON-FORMAT.md: a stream is compared only
when its key is present, as a prefix). The fixture directory (`root`) is copied
to a scratch directory first, because the shared test data is read-only and
tests write into their root; `*.cleanup` files are removed before and after.

Prints one line per failure (all lines with -v) and ends with
"N passed, N failed". Exit status 0 only when nothing failed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULTS = {"args": [], "env": {}, "root": None, "exit_code": 0}


def find_cli(explicit):
    if explicit:
        return explicit
    here = Path(__file__).resolve().parents[2]
    for build in sorted(here.glob("build*")):
        cand = build / "cli" / "wasmrun"
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    sys.exit("wasmrun CLI not found; pass --cli PATH")


def remove_cleanup_files(root):
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in dirnames + filenames:
            if name.endswith(".cleanup"):
                p = Path(dirpath) / name
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)


def load_spec(wasm):
    spec = dict(DEFAULTS)
    js = wasm.with_suffix(".json")
    if js.exists():
        spec.update(json.loads(js.read_text()))
    return spec


def run_one(cli, wasm, scratch, timeout, extra, resolver):
    spec = load_spec(wasm)
    cmd = [cli, "run"] + extra
    root_copy = None
    if spec.get("root"):
        src = (wasm.parent / spec["root"]).resolve()
        root_copy = scratch / wasm.parent.parent.parent.name / spec["root"]
        if not root_copy.exists():
            shutil.copytree(src, root_copy, symlinks=True)
        remove_cleanup_files(root_copy)
        cmd += ["--dir", f"{root_copy}::/"]
    for k, v in spec.get("env", {}).items():
        cmd += ["--env", f"{k}={v}"]
    cmd += [str(wasm)] + list(spec.get("args", []))
    try:
        env = dict(os.environ)
        env.pop("WASMRUN_WASI_RESOLVER", None)
        if resolver != "auto":
            env["WASMRUN_WASI_RESOLVER"] = resolver
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout}s", cmd
    finally:
        if root_copy:
            remove_cleanup_files(root_copy)
    problems = []
    if p.returncode != spec.get("exit_code", 0):
        problems.append(f"exit code {p.returncode}, expected {spec.get('exit_code', 0)}")
    for stream, got in (("stdout", p.stdout), ("stderr", p.stderr)):
        if stream in spec:
            want = spec[stream].encode()
            if got[: len(want)] != want:
                problems.append(f"{stream} {got[:200]!r}, expected {want!r}")
    if problems:
        detail = "; ".join(problems)
        err = p.stderr.decode(errors="replace").strip().splitlines()
        if err:
            detail += " | stderr: " + " / ".join(err[-4:])
        return False, detail, cmd
    return True, "", cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", help="the wasmrun executable (default: build*/cli/wasmrun)")
    ap.add_argument("--suite", default=None, help="wasi-testsuite directory (default: ../shared/wasi-testsuite)")
    ap.add_argument("--filter", default="", help="only tests whose path contains this text")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--cli-arg", action="append", default=[], help="extra option for `wasmrun run`")
    ap.add_argument("--resolver", choices=["auto", "openat2", "components", "both"], default="both",
                    help="path resolver (WASMRUN_WASI_RESOLVER); 'both' runs every test with each")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    cli = find_cli(a.cli)
    suite = Path(a.suite) if a.suite else Path(__file__).resolve().parents[3] / "shared" / "wasi-testsuite"
    tests = sorted(p for p in (suite / "tests").glob("*/testsuite/wasm32-wasip1/*.wasm") if a.filter in str(p))
    if not tests:
        sys.exit(f"no tests found under {suite}")
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="wasmrun-wasi-testsuite-") as tmp:
        resolvers = ["openat2", "components"] if a.resolver == "both" else [a.resolver]
        runs = [(wasm, r) for wasm in tests for r in resolvers]
        for wasm, resolver in runs:
            ok, detail, cmd = run_one(cli, wasm, Path(tmp), a.timeout, a.cli_arg, resolver)
            name = f"{wasm.parent.parent.parent.name}/{wasm.stem}"
            if len(resolvers) > 1:
                name += f" [{resolver}]"
            if ok:
                passed += 1
                if a.verbose:
                    print(f"PASS {name}")
            else:
                failed += 1
                print(f"FAIL {name}: {detail}")
                if a.verbose:
                    print("     " + " ".join(cmd))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
