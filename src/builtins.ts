/**
 * Node builtins that only some paths use, required on first use instead of imported with the
 * package: a static import is loaded by `import('inia')` whether or not the path runs, and
 * node:assert, node:child_process and node:fs/promises (which brings node:readline) cost about
 * 1.7 ms together on a cold start that needs none of them.
 */
import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

function lazy<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(name) as T);
}

export const assertModule = lazy<typeof import('node:assert')>('node:assert');
export const childProcess = lazy<typeof import('node:child_process')>('node:child_process');
export const fsPromises = lazy<typeof import('node:fs/promises')>('node:fs/promises');
