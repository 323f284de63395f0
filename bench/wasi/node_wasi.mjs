// Runs a WASI preview1 command under Node's built-in node:wasi, with the same
// command-line shape as `wasmrun run`, so the benchmark can time both alike:
//   node node_wasi.mjs [--dir HOST::GUEST]... FILE.wasm [ARGS...]
// The guest gets no environment variables (as wasmrun without --env) and
// exits with the guest's status.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const argv = process.argv.slice(2);
const preopens = {};
while (argv.length && argv[0] === '--dir') {
  const spec = argv[1];
  const sep = spec.indexOf('::');
  const host = sep < 0 ? spec : spec.slice(0, sep);
  const guest = sep < 0 ? spec : spec.slice(sep + 2);
  preopens[guest] = host;
  argv.splice(0, 2);
}
if (argv.length === 0) {
  process.stderr.write('usage: node node_wasi.mjs [--dir HOST::GUEST]... FILE.wasm [ARGS...]\n');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: argv, env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(argv[0]));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
