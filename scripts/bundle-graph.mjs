// Prints what `import('inia')` loads from the split ESM bundle: the files reached from
// dist/inia.js by static imports, their sizes, the Node builtins they import, and the
// largest source modules in them. A development aid for the cold start (bench/COLD-START.md).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const result = await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: { inia: 'dist/src/index.js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  splitting: true,
  outdir: '/tmp/inia-bundle-graph',
  chunkNames: 'chunks/[name]-[hash]',
  keepNames: true,
  metafile: true,
  write: false,
  logLevel: 'error',
});
const outputs = result.metafile.outputs;
const entry = Object.keys(outputs).find((k) => k.endsWith('/inia.js'));
const seen = new Set();
const builtins = new Set();
const stack = [entry];
while (stack.length > 0) {
  const file = stack.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  for (const imp of outputs[file].imports) {
    if (imp.kind !== 'import-statement') continue;
    if (imp.external) builtins.add(imp.path);
    else stack.push(imp.path);
  }
}
let total = 0;
const modules = [];
for (const file of seen) {
  total += outputs[file].bytes;
  for (const [input, { bytesInOutput }] of Object.entries(outputs[file].inputs)) modules.push([bytesInOutput, input]);
}
const all = Object.values(outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`static graph of import('inia'): ${seen.size} files, ${total} bytes of ${all} in all`);
console.log(`builtins: ${[...builtins].sort().join(' ')}`);
const limit = Number(process.argv[2] ?? 40);
for (const [bytes, input] of modules.sort((a, b) => b[0] - a[0]).slice(0, limit)) console.log(String(bytes).padStart(8), input);

// Which source modules of the static graph import which builtins.
if (process.argv.includes('--builtins')) {
  const inputs = result.metafile.inputs;
  const inGraph = new Set(modules.map(([, input]) => input));
  for (const input of [...inGraph].sort()) {
    const names = inputs[input].imports.filter((i) => i.external && i.kind === 'import-statement' && i.path !== '<runtime>').map((i) => i.path);
    if (names.length > 0) console.log(input, names.join(' '));
  }
}
