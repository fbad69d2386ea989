// Bundles the compiled sources (dist/src, written by `tsc` before this runs) into the files the
// package ships: dist/inia.js with its lazy chunks dist/chunks/*.js (ESM, what `import 'inia'`
// loads), dist/inia.cjs (CommonJS, what `require('inia')` loads: Node 20.15 cannot require() an
// ES module), and the 'inia/stub' entries beside them. Each step is a small function so that a
// step can change on its own.
//
// Both bundles are loaded by the installed-package test (test/unit/package-install.test.ts),
// which also checks that the tarball ships exactly the chunks built here. Beside them,
// dist/vendor/ holds the third-party libraries the bundles require on first use (src/vendor.ts).
import { rmSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import { VENDORED_PACKAGES } from '../dist/src/vendor.js';
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
 * Tells src/vendor.ts, in each chunk that holds it, where dist/vendor/ is from that chunk:
 * `__INIA_VENDOR_DIR__` (a global the sources only test with `typeof`) becomes the relative
 * path, './vendor/' from dist/inia.js, '../vendor/' from dist/chunks/. A plugin rather than a
 * constant: which file rollup puts vendor.ts in is its choice.
 */
const defineVendorDir = {
  name: 'inia-vendor-dir',
  renderChunk(code, chunk) {
    if (!code.includes('__INIA_VENDOR_DIR__')) return null;
    const dir = posix.relative(posix.dirname(chunk.fileName), 'vendor');
    return { code: code.replaceAll(/\b__INIA_VENDOR_DIR__\b/g, JSON.stringify(`${dir.startsWith('.') ? dir : `./${dir}`}/`)), map: null };
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
    plugins: [stripComments, defineVendorDir],
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
    // dist/vendor/ from this file, for src/vendor.ts (see defineVendorDir).
    define: { 'import.meta.url': '__iniaImportMetaUrl', __INIA_VENDOR_DIR__: JSON.stringify('./vendor/') },
    banner: { js: "const __iniaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
}

/**
 * dist/vendor/<file>.cjs: each library src/vendor.ts names (VENDORED_PACKAGES), bundled on its
 * own as CommonJS, which both bundles can require(). They hold no state shared with inia's
 * code, so a copy of their own is safe. Minified: fewer bytes for V8 to scan when a paginator or
 * a CRC32C first loads one, and what users see of them (their error messages and names, set as
 * strings) does not change. Their ES builds first ('module'), which lets esbuild drop what they
 * import and never use (most of tslib).
 */
async function bundleVendor() {
  await Promise.all(Object.entries(VENDORED_PACKAGES).map(([file, pkg]) => build({
    absWorkingDir: ROOT,
    entryPoints: [pkg],
    bundle: true,
    platform: 'node',
    logLevel: 'warning',
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: true,
    outfile: `dist/vendor/${file}`,
  })));
}

// Chunk names carry a content hash: last build's chunks would otherwise stay beside the new ones
// and ship; so would a vendored file no longer in the list.
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../dist/vendor', import.meta.url), { recursive: true, force: true });
await Promise.all([bundleEsm(), bundleCjs(), bundleVendor()]);
writeStubEntries();
