// An esbuild plugin for the ESM bundle: Node builtins are loaded with require() (the bundle's
// banner defines one) instead of `import ... from 'node:x'`. An ES import of a builtin builds
// its ES facade, which reads every export, lazy getters included: `import 'node:crypto'` loads
// WebCrypto, `import 'node:fs'` loads fs/promises and readline, `import 'node:util'` loads
// parseArgs and MIME. That costs about 7 ms of `import('inia')` for modules inia never uses.
// Through require() the bundle sees the builtin as a CommonJS module whose exports it reads
// only where the code uses them.
import { builtinModules } from 'node:module';

const NAMESPACE = 'inia-node-builtin';
const builtins = new Set(builtinModules);

/** @type {import('esbuild').Plugin} */
export const requireBuiltins = {
  name: 'require-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      // Only imports from the bundled sources; the require() in the stub below stays external.
      if (!builtins.has(name) || args.namespace === NAMESPACE || args.kind !== 'import-statement') return undefined;
      return { path: `node:${name}`, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^node:/, namespace: NAMESPACE }, (args) => ({ path: args.path, external: true }));
  },
};
