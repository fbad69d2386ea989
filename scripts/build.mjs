// Bundles the compiled sources (dist/src, written by `tsc` before this runs) into the files the
// package ships: dist/inia.js with its lazy chunks dist/chunks/*.js (ESM, what `import 'inia'`
// loads), dist/inia.cjs (CommonJS, what `require('inia')` loads: Node 20.15 cannot require() an
// ES module), and the 'inia/stub' entries beside them. Each step is a small function so that a
// step can change on its own.
//
// Both bundles are loaded by the installed-package test (test/unit/package-install.test.ts),
// which also checks that the tarball ships exactly the chunks built here.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import { writeStubEntries } from './write-stub-entry.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'dist/src/index.js';

/**
 * Drops the sources' comments from each chunk (esbuild's transform, nothing renamed): V8 scans
 * every byte of a module it compiles, and the comments are a fifth of the bundle.
 */
const stripComments = {
  name: 'inia-strip-comments',
  async renderChunk(code) {
    const result = await transform(code, { format: 'esm', platform: 'node', legalComments: 'none' });
    return { code: result.code, map: null };
  },
};

/**
 * dist/inia.js and its chunks, by rollup. The sources' dynamic imports are where it splits:
 * what only a call needs (the request path, each protocol, presigning, the credential providers
 * the chain may never reach) is a chunk the first use imports. Rollup, not esbuild, because
 * it keeps everything `import('inia')` needs in one chunk, which dist/inia.js re-exports the
 * public names of (so the entry exports nothing else): esbuild's splitting spreads that code
 * over a dozen shared chunks, and each file the ES loader resolves, reads and links cost the
 * cold start more than the code it holds (the import took about 36 ms split that way, 20 ms
 * in one file).
 * Rollup renames a top-level name only when two modules clash; the bundled-entry test checks
 * that exported classes keep theirs.
 */
async function bundleEsm() {
  const bundle = await rollup({
    input: { inia: ENTRY },
    preserveEntrySignatures: 'strict',
    external: (id) => id.startsWith('node:'),
    plugins: [nodeResolve({ preferBuiltins: true }), commonjs()],
    onwarn(warning, warn) {
      // tsc's output has import cycles that are safe (client.ts <-> paginate.ts, waiter.ts: each
      // uses the other only inside functions); anything else is worth a look.
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      warn(warning);
    },
  });
  await bundle.write({
    dir: `${ROOT}dist`,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    plugins: [stripComments],
  });
  await bundle.close();
}

/**
 * dist/inia.cjs, one file (dynamic imports become require() calls). The sources find models/
 * and builtins from `import.meta.url`, which CommonJS lacks: it is defined as this file's own
 * URL, computed once in the banner.
 */
async function bundleCjs() {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    logLevel: 'warning',
    // Without it esbuild renames classes whose names clash inside the bundle (ClientError became
    // _ClientError), and users see the new name in `err.name` and stack traces.
    keepNames: true,
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
