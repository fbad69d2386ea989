/** Glacier's quirks, as botocore's handlers treat them (registered by glacier-events.ts). */
import type { FileHandle } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ParamValidationError, SigningError } from '../errors.js';
import type { EventArgs } from '../events.js';
import { MAX_BUFFERED_STREAM, isFileHandle, readStreamBounded } from '../http/body.js';
import type { HttpRequest } from '../http/types.js';
import type { OperationModel } from '../models/shapes.js';
import { fsPromises, isReadable, nodeCrypto, nodeFs } from '../builtins.js';


/** botocore's inject_account_id: every operation needs accountId; '-' means the caller's own account. */
export function injectAccountId(args: EventArgs): void {
  const params = args.params as Record<string, unknown>;
  if (params.accountId === undefined || params.accountId === null) params.accountId = '-';
}

/** botocore's add_glacier_version: Glacier wants the API version in a header on every request. */
export function addGlacierVersion(args: EventArgs): void {
  (args.request as HttpRequest).headers['x-amz-glacier-version'] = (args.model as OperationModel).metadata.apiVersion;
}

const MIB = 1024 * 1024;

/**
 * Glacier's two checksums of a body, in one pass: the SHA-256 of the whole body, and the
 * tree hash (the SHA-256 of each 1 MiB piece, then of each pair of those, up to one root,
 * an odd one out carried up as it is).
 * https://docs.aws.amazon.com/amazonglacier/latest/dev/checksum-calculations.html
 */
export class GlacierHasher {
  readonly #whole = nodeCrypto().createHash('sha256');
  #piece = nodeCrypto().createHash('sha256');
  #pieceLength = 0;
  readonly #pieces: Buffer[] = [];

  update(bytes: Uint8Array): void {
    this.#whole.update(bytes);
    let offset = 0;
    while (offset < bytes.byteLength) {
      const take = Math.min(MIB - this.#pieceLength, bytes.byteLength - offset);
      this.#piece.update(bytes.subarray(offset, offset + take));
      this.#pieceLength += take;
      offset += take;
      if (this.#pieceLength === MIB) this.#endPiece();
    }
  }

  #endPiece(): void {
    this.#pieces.push(this.#piece.digest());
    this.#piece = nodeCrypto().createHash('sha256');
    this.#pieceLength = 0;
  }

  /** Hex digests: [sha256 of the whole body, tree hash]. The hasher is spent afterwards. */
  digest(): { sha256: string; treeHash: string } {
    if (this.#pieceLength > 0) this.#endPiece();
    const sha256 = this.#whole.digest('hex');
    // An empty body has no pieces; its tree hash is the SHA-256 of nothing, as botocore's.
    if (this.#pieces.length === 0) return { sha256, treeHash: nodeCrypto().createHash('sha256').digest('hex') };
    let level = this.#pieces;
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const second = level[i + 1];
        next.push(second === undefined ? level[i]! : nodeCrypto().createHash('sha256').update(level[i]!).update(second).digest());
      }
      level = next;
    }
    return { sha256, treeHash: level[0]!.toString('hex') };
  }
}

/** The tree hash of bytes (botocore.utils.calculate_tree_hash), for callers that compute CompleteMultipartUpload's checksum. */
export function calculateTreeHash(bytes: Uint8Array | string): string {
  const hasher = new GlacierHasher();
  hasher.update(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  return hasher.digest().treeHash;
}

/**
 * botocore's add_glacier_checksums: UploadArchive and UploadMultipartPart carry
 * x-amz-content-sha256 (which the signature then uses) and x-amz-sha256-tree-hash, each
 * computed from the body unless already there (the `checksum` parameter is the tree hash
 * header). botocore reads a file-like body and seeks back; here a body is read without being
 * used up: bytes and strings directly, a FileHandle by position, an unread fs.ReadStream by
 * opening its file; any other stream is buffered. Synchronous for bytes and strings.
 */
export function addGlacierChecksums(args: EventArgs): Promise<void> | void {
  const request = args.request as HttpRequest;
  const headers = request.headers;
  if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-sha256-tree-hash'] !== undefined) return;
  const body = request.body;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    const hasher = new GlacierHasher();
    if (body !== undefined) hasher.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    setChecksums(headers, hasher);
    return;
  }
  if (isFileHandle(body)) return hashFile(body, 0, Infinity).then((hasher) => setChecksums(headers, hasher));
  const file = unreadFileStream(body);
  if (file !== undefined) return hashPath(file.path, file.start, file.end).then((hasher) => setChecksums(headers, hasher));
  if (isReadable(body)) return bufferStream(request, body);
  throw new ParamValidationError(`Invalid body for Glacier checksums: expected a Uint8Array, a string, a Readable or a FileHandle`);
}

/**
 * Any other stream can be read only once, and the headers need the whole body before it is
 * sent (botocore cannot hash a stream it cannot seek either): it is read into memory (up to
 * MAX_BUFFERED_STREAM), hashed, and the bytes are sent instead (so a retry can send them again).
 */
async function bufferStream(request: HttpRequest, stream: Readable): Promise<void> {
  const hasher = new GlacierHasher();
  const tooLarge = (): Error =>
    new SigningError(
      `A Glacier upload body that is a one-shot stream is read into memory for its tree hash, and this one is larger than ${MAX_BUFFERED_STREAM} bytes: ` +
        'pass a FileHandle or an fs.ReadStream of the file (hashed from the file), or bytes',
    );
  const body = await readStreamBounded(stream, MAX_BUFFERED_STREAM, tooLarge, (bytes) => hasher.update(bytes));
  request.body = body;
  request.headers['content-length'] ??= String(body.byteLength);
  setChecksums(request.headers, hasher);
}

function setChecksums(headers: Record<string, string>, hasher: GlacierHasher): void {
  const { sha256, treeHash } = hasher.digest();
  headers['x-amz-content-sha256'] ??= sha256;
  headers['x-amz-sha256-tree-hash'] ??= treeHash;
}

/** A ReadStream of a named file nothing has read from yet: its file and byte range (end inclusive). */
function unreadFileStream(body: unknown): { path: string; start: number; end: number } | undefined {
  if (!(body instanceof nodeFs.ReadStream) || typeof body.path !== 'string' || body.bytesRead !== 0 || body.readableLength !== 0) return undefined;
  const range = body as ReadStream & { start?: number; end?: number };
  return { path: body.path, start: range.start ?? 0, end: range.end ?? Infinity };
}

async function hashPath(path: string, start: number, end: number): Promise<GlacierHasher> {
  const handle = await fsPromises().open(path, 'r');
  try {
    return await hashFile(handle, start, end);
  } finally {
    await handle.close();
  }
}

/** Reads [start, end] (inclusive) by position, so the handle's own position is untouched. */
async function hashFile(handle: FileHandle, start: number, end: number): Promise<GlacierHasher> {
  const hasher = new GlacierHasher();
  const buffer = Buffer.allocUnsafe(MIB);
  let position = start;
  // Bounded: each pass reads at least one byte or ends.
  while (position <= end) {
    const length = Math.min(MIB, end - position + 1);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    if (bytesRead === 0) break;
    hasher.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hasher;
}
