/**
 * Node builtins that are not loaded with the package but on first use. A static import is
 * loaded by `import('inia')` whether or not its path runs, and these are not among the
 * modules Node has loaded by the time a program starts (fs, path, url, util, events, buffer
 * are): node:http, node:crypto, node:zlib and node:stream alone cost several milliseconds of
 * every cold start, paid now by the first client (zlib, for its model) and the first call
 * (http, crypto, stream), and not at all by a path that needs none of them (node:assert,
 * node:child_process, node:fs/promises with its node:readline).
 */
import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

/**
 * node:fs through require(), not an ES import: Node has it loaded at start, but the ES facade
 * reads every export, and fs.ReadStream's getter then loads the whole of node:stream.
 */
export const nodeFs: typeof import('node:fs') = requireBuiltin('node:fs') as typeof import('node:fs');

function lazy<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(name) as T);
}

export const assertModule = lazy<typeof import('node:assert')>('node:assert');
export const childProcess = lazy<typeof import('node:child_process')>('node:child_process');
export const fsPromises = lazy<typeof import('node:fs/promises')>('node:fs/promises');
export const nodeCrypto = lazy<typeof import('node:crypto')>('node:crypto');
export const nodeHttp = lazy<typeof import('node:http')>('node:http');
export const nodeHttps = lazy<typeof import('node:https')>('node:https');
export const nodeTls = lazy<typeof import('node:tls')>('node:tls');
export const nodeNet = lazy<typeof import('node:net')>('node:net');
export const nodeOs = lazy<typeof import('node:os')>('node:os');
export const nodeStream = lazy<typeof import('node:stream')>('node:stream');
export const nodeZlib = lazy<typeof import('node:zlib')>('node:zlib');
export const timersPromises = lazy<typeof import('node:timers/promises')>('node:timers/promises');

/**
 * `value instanceof Readable`, without loading node:stream for values that cannot be one: a
 * string, bytes or a plain object never needs it, so a JSON call's validation does not load it.
 */
export function isReadable(value: unknown): value is import('node:stream').Readable {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || Object.getPrototypeOf(value) === Object.prototype || Array.isArray(value)) return false;
  return value instanceof nodeStream().Readable;
}
