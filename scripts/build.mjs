// Bundles the compiled sources (dist/src, written by `tsc` before this runs) into the files the
// package ships: dist/inia.js (ESM, what `import 'inia'` loads), dist/inia.cjs (CommonJS, what
// `require('inia')` loads: Node 20.15 cannot require() an ES module), and the 'inia/stub' entries
// beside them. Each step is a small function so that a step can change on its own.
//
// Both bundles are loaded by the installed-package test (test/unit/package-install.test.ts),
// which also lists the JavaScript files the tarball may hold: a new output file (a lazy chunk)
// goes into package.json "files" and into that list. esbuild splits chunks only for ESM, so
// the CommonJS bundle stays one file.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeStubEntries } from './write-stub-entry.mjs';

const ENTRY = 'dist/src/index.js';

/** Options both bundles share. */
const common = {
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  bundle: true,
  platform: 'node',
  logLevel: 'warning',
  // Without it esbuild renames classes whose names clash inside the bundle (ClientError became
  // _ClientError), and users see the new name in `err.name` and stack traces.
  keepNames: true,
};

/**
 * dist/inia.js and its chunks (dist/chunks/*.js). Split at the sources' dynamic imports: what
 * only a call needs (the request path, each protocol, presigning, the credential providers the
 * chain may never reach) is a chunk that the first use imports, so `import('inia')` compiles
 * only what a client needs to be made. Bundled CommonJS libraries call require() (of Node
 * builtins): ESM has none, so the banner makes one in each file.
 */
async function bundleEsm() {
  await build({
    ...common,
    entryPoints: { inia: ENTRY },
    format: 'esm',
    splitting: true,
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: "import { createRequire as __iniaCreateRequire } from 'node:module'; const require = __iniaCreateRequire(import.meta.url);" },
  });
}

/**
 * dist/inia.cjs. The sources find models/ and builtins from `import.meta.url`, which CommonJS
 * lacks: it is defined as this file's own URL, computed once in the banner.
 */
async function bundleCjs() {
  await build({
    ...common,
    entryPoints: [ENTRY],
    format: 'cjs',
    outfile: 'dist/inia.cjs',
    define: { 'import.meta.url': '__iniaImportMetaUrl' },
    banner: { js: "const __iniaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
}

// Chunk names carry a content hash: last build's chunks would otherwise stay beside the new ones and ship.
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });
await Promise.all([bundleEsm(), bundleCjs()]);
writeStubEntries();
