#!/bin/sh
# Fetches the real-world modules the decode/validate benchmark reads, from the
# npm registry, into a cache directory (default: /tmp/wasmrun-bench-cache).
# Nothing fetched is committed. Prints the path of each module it provides.
#
#   bench/fetch_modules.sh [CACHE_DIR]
#
# esbuild-wasm ships esbuild.wasm (~12 MB, Go compiled to wasm): one very large
# code section with thousands of functions, the common shape of big modules.
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

# A pinned version keeps the measured bytes the same from run to run.
fetch esbuild-wasm 0.24.0 esbuild.wasm esbuild-0.24.0.wasm
