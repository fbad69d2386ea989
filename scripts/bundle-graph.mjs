// Prints what `import('inia')` loads from the built ESM bundle (run `npm run build` first):
// the files reached from dist/inia.js by static imports, their sizes, and the Node builtins
// they import at once. A development aid for the cold start (bench/COLD-START.md).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
// Static import and re-export statements at the start of a line; `import(...)` calls are not.
const STATIC = /^(?:import|export)\s[^;'"]*?(?:from\s*)?['"]([^'"]+)['"]/gm;

const seen = new Set();
const builtins = new Set();
const stack = [join(dist, 'inia.js')];
while (stack.length > 0) {
  const file = stack.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC)) {
    if (specifier.startsWith('node:')) builtins.add(specifier);
    else if (specifier.startsWith('.')) stack.push(join(dirname(file), specifier));
  }
}
const size = (file) => statSync(file).size;
const all = [join(dist, 'inia.js'), ...readdirSync(join(dist, 'chunks')).map((n) => join(dist, 'chunks', n))];
const loaded = [...seen].reduce((n, f) => n + size(f), 0);
console.log(`import('inia') loads ${seen.size} file(s), ${loaded} bytes of ${all.reduce((n, f) => n + size(f), 0)} (${all.length} files)`);
console.log(`builtins imported at once: ${[...builtins].sort().join(' ') || 'none'}`);
for (const file of [...seen].sort()) console.log(String(size(file)).padStart(8), relative(dist, file));
