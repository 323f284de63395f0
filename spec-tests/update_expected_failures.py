#!/usr/bin/env python3
"""Regenerates spec-tests/expected-failures.txt from a run of the spec suite.

Usage: spec-tests/update_expected_failures.py BUILD_DIR [SPEC_ROOT]

Runs `wasmrun wast` on every .wast file and lists each failing command as
`PATH:LINE reason`. The reason comes from REASONS below (first match on the
path or on the failure text); a failure that matches none is printed and the
script exits 1, because every expected failure must have a known reason.
"""
import os
import re
import subprocess
import sys

# (regex on "path: failure text", reason). Order matters: the first match wins.
REASONS = [
    (r"proposals/threads/(imports|memory)\.wast.*multiple (memories|tables)",
     "pre-3.0 threads test: multiple memories/tables are valid since Wasm 3.0"),
    (r"proposals/threads/memory\.wast.*constant out of range",
     "pre-3.0 threads test: memory limits above 2^32 are invalid (memory64), not malformed, in 3.0"),
]


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    build = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "shared", "spec-testsuite")
    cli = os.path.join(build, "cli", "wasmrun")
    entries, unknown = [], []
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".wast"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            proc = subprocess.run([cli, "wast", path], capture_output=True, text=True, timeout=600)
            for line in proc.stderr.splitlines():
                m = re.match(r"^(.*\.wast):(\d+): (.*)$", line)
                if not m:
                    continue
                text = f"{rel}: {m.group(3)}"
                reason = next((r for pat, r in REASONS if re.search(pat, text)), None)
                if reason is None:
                    unknown.append(f"{rel}:{m.group(2)}: {m.group(3)}")
                else:
                    entries.append(f"{rel}:{m.group(2)} {reason}")
    out = os.path.join(os.path.dirname(__file__), "expected-failures.txt")
    with open(out) as f:
        header = [l for l in f.read().splitlines() if l.startswith("#")]
    with open(out, "w") as f:
        f.write("\n".join(header + sorted(entries, key=sort_key)) + "\n")
    print(f"{len(entries)} expected failures written to {out}")
    if unknown:
        print(f"{len(unknown)} failures without a known reason:")
        print("\n".join(unknown))
        return 1
    return 0


def sort_key(entry):
    path, rest = entry.split(":", 1)
    return (path, int(rest.split(" ", 1)[0]))


if __name__ == "__main__":
    sys.exit(main())
