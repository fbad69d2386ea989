/**
 * Streaming request bodies as users give them: a FileHandle becomes a stream with its
 * Content-Length; a file ReadStream gets its length from the file. Nothing is buffered.
 */
import { stat, type FileHandle } from 'node:fs/promises';
import { ReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { setComputedContentLength } from './request.js';
import type { HttpRequest } from './types.js';

export function isFileHandle(value: unknown): value is FileHandle {
  return (
    typeof value === 'object' && value !== null && typeof (value as FileHandle).fd === 'number' &&
    typeof (value as FileHandle).createReadStream === 'function' && typeof (value as FileHandle).stat === 'function'
  );
}

/** Makes request.body something the transport can send, and sets Content-Length when it can be known. */
export async function resolveRequestBody(request: HttpRequest): Promise<void> {
  const body: unknown = request.body;
  if (isFileHandle(body)) {
    const { size } = await body.stat();
    // The caller owns the handle: reading must not close it.
    request.body = body.createReadStream({ start: 0, autoClose: false });
    if (request.headers['content-length'] === undefined) setComputedContentLength(request, size);
    return;
  }
  if (body instanceof ReadStream && request.headers['content-length'] === undefined) {
    const options = body as ReadStream & { start?: number; end?: number };
    // Node gives an unbounded stream end = Infinity (not undefined).
    if (typeof body.path === 'string' && options.start === undefined && (options.end === undefined || options.end === Infinity) && body.bytesRead === 0) {
      setComputedContentLength(request, (await stat(body.path)).size);
    }
  }
}

/** True when the body can only be read once (a retry could not resend it). */
export function isOneShotBody(body: unknown): boolean {
  return body instanceof Readable;
}
