// Times V8's WebAssembly.validate on one module: decode plus full validation of
// every function body, synchronously on this thread (no compilation).
// Usage: node node_validate.mjs MODULE.wasm [REPS]
// Prints one JSON object: {"valid": bool, "bytes": n, "times": [wall seconds...],
// "cpu_times": [process CPU seconds...]}
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [file, repsArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node node_validate.mjs MODULE.wasm [REPS]");
  process.exit(2);
}
const reps = Math.max(1, Number.parseInt(repsArg ?? "10", 10));
const bytes = new Uint8Array(readFileSync(file));

// One untimed call warms up the JS side (the validator itself is C++).
let valid = WebAssembly.validate(bytes);
const times = [];
const cpuTimes = [];
for (let i = 0; i < reps; i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  valid = WebAssembly.validate(bytes) && valid;
  times.push((performance.now() - t) / 1000);
  const dc = process.cpuUsage(c);
  cpuTimes.push((dc.user + dc.system) / 1e6);
}
console.log(JSON.stringify({ valid, bytes: bytes.length, times, cpu_times: cpuTimes }));
