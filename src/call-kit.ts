/**
 * The request path's code: what a client needs only once it sends (signing, checksums,
 * validation, bodies, the error parser). It is imported by the client's first call, not with
 * the package, so that `import('inia')` and client creation compile none of it; the bundle
 * splits here (scripts/build.mjs). Nothing here keeps state of its own.
 */
export { randomUUID } from 'node:crypto';
export { Readable } from 'node:stream';
export { setTimeout as sleep } from 'node:timers/promises';
export { sign } from './auth/index.js';
export { UNSIGNED_PAYLOAD } from './auth/sigv4.js';
export { bufferUnsizedStream } from './auth/sigv4-streaming.js';
export { applyRequestChecksum, checksumPayloadHash, finishRequestChecksum, handleResponseChecksum, prepareChecksumParams, resolveRequestChecksum } from './checksums/index.js';
export { maybeCompressRequest } from './compression.js';
export { validateParams } from './validate.js';
export { fileSourceOf, isOneShotBody, resolveRequestBody, sha256OfFile } from './http/body.js';
export { readBody } from './http/transport.js';
export { parseErrorResponse } from './protocols/error-response.js';
