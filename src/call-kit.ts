/**
 * The request path's code: what a client needs only once it sends (signing, checksums,
 * validation, bodies, the error parser). It is imported by the client's first call, not with
 * the package, so that `import('inia')` and client creation compile none of it; the bundle
 * splits here (scripts/build.mjs). Nothing here keeps state of its own.
 */
import { nodeCrypto, timersPromises } from './builtins.js';

// Builtins through require (builtins.ts): an ES import of node:crypto builds a facade that reads
// every export, WebCrypto's included, which costs the first call more than the module itself.
export const randomUUID = (): string => nodeCrypto().randomUUID();
export const sleep = (ms: number, options?: { signal?: AbortSignal }): Promise<void> => timersPromises().setTimeout(ms, undefined, options);
export { sign } from './auth/index.js';
export { UNSIGNED_PAYLOAD } from './auth/sigv4.js';
export { bufferUnsizedStream } from './auth/sigv4-streaming.js';
export { applyRequestChecksum, checksumPayloadHash, finishRequestChecksum, handleResponseChecksum, prepareChecksumParams, resolveRequestChecksum } from './checksums/index.js';
export { maybeCompressRequest } from './compression.js';
export { validateParams } from './validate.js';
export { fileSourceOf, isOneShotBody, resolveRequestBody, sha256OfFile } from './http/body.js';
export { readBody } from './http/transport.js';
export { parseErrorResponse } from './protocols/error-response.js';
