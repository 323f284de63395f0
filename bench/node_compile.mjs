// Times V8 compiling one module: `new WebAssembly.Module(bytes)` (decode,
// validate, compile every function with whatever tier node's flags select).
// Run it with `--liftoff --no-wasm-tier-up --no-wasm-lazy-compilation
// --single-threaded` for V8's baseline compiler, eagerly, on this thread only.
// Usage: node [FLAGS] node_compile.mjs MODULE.wasm [REPS]
// Prints one JSON object: {"bytes": n, "times": [wall s...], "cpu_times": [process CPU s...]}
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [file, repsArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node node_compile.mjs MODULE.wasm [REPS]");
  process.exit(2);
}
const reps = Math.max(1, Number.parseInt(repsArg ?? "5", 10));
const bytes = new Uint8Array(readFileSync(file));

// V8 caches compiled modules by their bytes: every compile gets distinct bytes,
// the module plus a trailing custom section named by the repetition.
function variant(i) {
  const name = new TextEncoder().encode(`wasmrun-bench-${i}`);
  const out = new Uint8Array(bytes.length + 3 + name.length);
  out.set(bytes);
  out.set([0, name.length + 1, name.length], bytes.length);
  out.set(name, bytes.length + 3);
  return out;
}

new WebAssembly.Module(variant(-1));  // warm-up
const times = [];
const cpuTimes = [];
for (let i = 0; i < reps; i++) {
  const input = variant(i);
  const c = process.cpuUsage();
  const t = performance.now();
  const m = new WebAssembly.Module(input);
  times.push((performance.now() - t) / 1000);
  const dc = process.cpuUsage(c);
  cpuTimes.push((dc.user + dc.system) / 1e6);
  if (WebAssembly.Module.exports(m).length < 0) throw new Error("unreachable");
}
console.log(JSON.stringify({ bytes: bytes.length, times, cpu_times: cpuTimes }));
