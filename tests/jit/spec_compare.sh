#!/bin/sh
# Runs every spec .wast file under the interpreter and the baseline tier and prints
# the files whose per-file counts differ, then the totals of both tiers.
#   tests/jit/spec_compare.sh [WASMRUN_BINARY] [SPEC_ROOT]
bin=${1:-build/cli/wasmrun}
root=${2:-$(dirname "$0")/../../../shared/spec-testsuite}
bin=$(realpath "$bin")
out=$(mktemp -d)
cd "$root" || exit 2
find . -name '*.wast' | sort > "$out/files"
run() {  # tier
  xargs -P "$(nproc)" -I{} sh -c "r=\$(timeout 300 '$bin' wast --tier=$1 {} 2>/dev/null | tail -1); echo \"{}: \${r:-crashed or timed out}\"" \
    < "$out/files" | sort > "$out/$1"
}
run interp
run baseline
diff "$out/interp" "$out/baseline" > "$out/diff"
echo "files: $(wc -l < "$out/files"), differing: $(grep -c '^<' "$out/diff")"
cat "$out/diff"
for t in interp baseline; do
  awk -v t=$t '{p+=$2; f+=$4; s+=$6} END {print t": "p" passed, "f" failed, "s" skipped"}' "$out/$t"
done
echo "per suite (passed/failed, interp | baseline):"
for t in interp baseline; do
  awk '{split($1, d, "/"); k = d[2]; if (k == "proposals") k = k "/" d[3]; p[k] += $2; f[k] += $4}
       END {for (k in p) print k, p[k] "/" f[k]}' "$out/$t" | sort > "$out/$t.suites"
done
join "$out/interp.suites" "$out/baseline.suites" | awk '{printf "  %-28s %12s | %s\n", $1, $2, $3}'
rm -rf "$out"
