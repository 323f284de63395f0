// Runs one kernel in node (V8) and times the call inside JS, after compilation
// and instantiation, so the number is steady-state execution only.
// Usage: node [V8 flags] node_runner.mjs KERNEL.wasm N REPS
// Prints one JSON object: {"result": i32, "times": [wall seconds...],
// "cpu_times": [process CPU seconds...], "warmup": s, "startup": s}
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [file, nArg, repsArg] = process.argv.slice(2);
if (!file || nArg === undefined) {
  console.error("usage: node node_runner.mjs KERNEL.wasm N [REPS]");
  process.exit(2);
}
const n = Number.parseInt(nArg, 10);
const reps = Math.max(1, Number.parseInt(repsArg ?? "1", 10));

const t0 = performance.now();
const { instance } = await WebAssembly.instantiate(readFileSync(file));
const startup = (performance.now() - t0) / 1000;
const run = instance.exports.run;

// One untimed call first: with default tiering V8 starts in Liftoff and
// compiles hot functions with TurboFan in the background; the code switches at
// the next call (there is no on-stack replacement for wasm). The pause lets the
// background compile finish. With --no-wasm-tier-up the warm-up changes nothing.
let t = performance.now();
const first = run(n);
const warmup = (performance.now() - t) / 1000;
await new Promise((resolve) => setTimeout(resolve, 100));

const times = [];
// CPU time too: on a busy machine wall time also counts time spent descheduled.
// It is process-wide, but after the warm-up no compile threads are busy.
const cpuTimes = [];
for (let i = 0; i < reps; i++) {
  const c = process.cpuUsage();
  t = performance.now();
  const result = run(n);
  times.push((performance.now() - t) / 1000);
  const dc = process.cpuUsage(c);
  cpuTimes.push((dc.user + dc.system) / 1e6);
  if (result !== first) {
    console.error(`result changed between calls: ${first} then ${result}`);
    process.exit(1);
  }
}
console.log(JSON.stringify({ result: first, times, cpu_times: cpuTimes, warmup, startup }));
