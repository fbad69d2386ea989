/**
 * Streaming request bodies as users give them: a FileHandle becomes a stream with its
 * Content-Length; a file ReadStream gets its length from the file. Nothing is buffered.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { setComputedContentLength } from './request.js';
import type { HttpRequest } from './types.js';
import { fsPromises, isReadable, nodeCrypto, nodeFs } from '../builtins.js';

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
    const stream = body.createReadStream({ start: 0, autoClose: false });
    FILE_SOURCES.set(stream, body);
    request.body = stream;
    if (request.headers['content-length'] === undefined) setComputedContentLength(request, size);
    return;
  }
  if (isReadable(body) && body instanceof nodeFs.ReadStream && request.headers['content-length'] === undefined) {
    const options = body as ReadStream & { start?: number; end?: number };
    // Node gives an unbounded stream end = Infinity (not undefined).
    if (typeof body.path === 'string' && options.start === undefined && (options.end === undefined || options.end === Infinity) && body.bytesRead === 0) {
      setComputedContentLength(request, (await fsPromises().stat(body.path)).size);
    }
  }
}

/** The FileHandle a request body stream was opened from (resolveRequestBody), if it was. */
const FILE_SOURCES = new WeakMap<Readable, FileHandle>();

export function fileSourceOf(body: unknown): FileHandle | undefined {
  return isReadable(body) ? FILE_SOURCES.get(body) : undefined;
}

/**
 * The hex SHA-256 of a whole file, read by position so the handle (and the stream opened on it
 * for sending) is not moved: what a SigV4 signer needs for a file body it must hash, as
 * botocore reads a seekable body, hashes it and seeks back.
 */
export async function sha256OfFile(handle: FileHandle): Promise<string> {
  const hash = nodeCrypto().createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  // Bounded by the file's size: each read moves on by what it read, and a read of 0 ends it.
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}

/**
 * How much of a one-shot stream inia reads into memory where a whole body must be known before
 * it is sent (a signature over plain http, Glacier's tree hash). botocore refuses such streams
 * there outright; inia takes the small ones and refuses a larger one rather than hold any size.
 */
export const MAX_BUFFERED_STREAM = 64 * 1024 * 1024;

/**
 * Reads a one-shot stream whole, up to `limit` bytes; past that the stream is destroyed and
 * `tooLarge()` thrown. `onChunk` sees each chunk as it comes (a hash computed on the way).
 */
export async function readStreamBounded(stream: Readable, limit: number, tooLarge: () => Error, onChunk?: (chunk: Buffer) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > limit) {
      stream.destroy();
      throw tooLarge();
    }
    onChunk?.(bytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

/** True when the body can only be read once (a retry could not resend it). */
export function isOneShotBody(body: unknown): boolean {
  return isReadable(body);
}
