#!/bin/sh
# Fetches the real-world modules the decode/validate benchmark reads, from the
# npm registry, into a cache directory (default: /tmp/wasmrun-bench-cache).
# Nothing fetched is committed. Prints the path of each module it provides.
#
#   bench/fetch_modules.sh [CACHE_DIR]
#
# Two compilers' output, both large:
# - esbuild-wasm's esbuild.wasm (11.9 MB, Go): 4,400 functions of 1.9 KB on
#   average, Go's code shape (its own stack in linear memory, big br_tables);
# - @swc/wasm's wasm_bg.wasm (22.2 MB, Rust via LLVM): 17,800 functions and a
#   5 MB data section, the shape of most LLVM-produced modules.
set -eu

cache=${1:-/tmp/wasmrun-bench-cache}
mkdir -p "$cache"

fetch() { # package version file-in-package output-name
  pkg=$1 version=$2 inner=$3 out=$4
  if [ -s "$cache/$out" ]; then
    echo "$cache/$out"
    return
  fi
  command -v npm >/dev/null 2>&1 || { echo "fetch_modules.sh: npm not found" >&2; exit 1; }
  tmp=$(mktemp -d "$cache/fetch.XXXXXX")
  # npm pack downloads the package tarball without installing anything.
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" "package/$inner"
  mv "$tmp/package/$inner" "$cache/$out"
  rm -rf "$tmp"
  echo "$cache/$out"
}

# Pinned versions keep the measured bytes the same from run to run.
fetch esbuild-wasm 0.24.0 esbuild.wasm esbuild-0.24.0.wasm
fetch @swc/wasm 1.7.0 wasm_bg.wasm swc-1.7.0.wasm
