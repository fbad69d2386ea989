/**
 * SigV4 signed streaming uploads (S3's aws-chunked with a signature per chunk), for stream
 * bodies sent over plain http.
 *
 * Why: botocore signs every payload over http (S3SigV4Auth._should_sha256_sign_payload is
 * true without https) and sends checksums there in a header (httpchecksum uses the trailer
 * only over https), which means reading the body twice: once to hash it, once to send it. A
 * Node stream can be read once. Rather than sending it as UNSIGNED-PAYLOAD or
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER (which botocore never does over http, and which servers
 * that verify payloads refuse there), inia signs it as it flows: the seed request is signed
 * with `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (or `...-PAYLOAD-TRAILER`
 * when a checksum travels in the trailer), and each chunk carries a signature chained to the
 * previous one (AWS's "Signature Calculations for the Authorization Header: Transferring
 * Payload in Multiple Chunks"):
 *
 *   <hex size>;chunk-signature=<sig>\r\n<bytes>\r\n ... 0;chunk-signature=<sig>\r\n
 *   then \r\n, or with a trailer: <name>:<base64>\r\nx-amz-trailer-signature:<sig>\r\n\r\n
 *
 * chunk string to sign:   AWS4-HMAC-SHA256-PAYLOAD \n date \n scope \n previous \n sha256('') \n sha256(bytes)
 * trailer string to sign: AWS4-HMAC-SHA256-TRAILER \n date \n scope \n previous \n sha256('<name>:<base64>\n')
 *
 * S3 needs the decoded length (x-amz-decoded-content-length) for these, so the body's length
 * must be known (a FileHandle, or a stream with ContentLength); chunks have a fixed size, so
 * the encoded length, signed as Content-Length, is known too. A stream of unknown length over
 * http is read into memory first instead (bufferUnsizedStream), and then signed the way
 * botocore signs any body: checksum header, hex SHA-256 of the payload.
 */
import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { IniaError } from '../errors.js';
import type { CredentialsData } from '../credentials/types.js';
import { MAX_BUFFERED_STREAM, readStreamBounded } from '../http/body.js';
import { setComputedContentLength } from '../http/request.js';
import type { HttpRequest } from '../http/types.js';
import { DIGEST_LENGTH, base64Digest, createChecksum, isChecksumAlgorithm, loadChecksum, type Checksum, type ChecksumAlgorithmName } from '../checksums/algorithms.js';
import { EMPTY_SHA256, SigningError, computeSignature, credentialScope, deriveSigningKey, sha256Hex, signRequest, type SignatureDetails, type SigV4Options } from './sigv4.js';

export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_PAYLOAD_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

/** 64 KiB, the chunk size of AWS's examples and of the AWS SDKs' signed uploads. */
export const SIGNED_CHUNK_SIZE = 64 * 1024;

const SIGNATURE_CHARS = 64;
const CHUNK_EXTENSION = ';chunk-signature=';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature:';
const CRLF = '\r\n';

export interface StreamingTrailer {
  algorithm: ChecksumAlgorithmName;
  /** The trailer header's name ('x-amz-checksum-crc32'). */
  name: string;
}

/** The aws-chunked length of `decodedLength` bytes in signed chunks of `chunkSize`, trailer included. */
export function signedChunkedLength(decodedLength: number, trailer?: StreamingTrailer, chunkSize = SIGNED_CHUNK_SIZE): number {
  const chunk = (size: number): number => size.toString(16).length + CHUNK_EXTENSION.length + SIGNATURE_CHARS + 2 + size + 2;
  const full = Math.floor(decodedLength / chunkSize);
  const rest = decodedLength - full * chunkSize;
  let length = full * chunk(chunkSize) + (rest > 0 ? chunk(rest) : 0);
  // The final chunk: '0;chunk-signature=<sig>\r\n'.
  length += 1 + CHUNK_EXTENSION.length + SIGNATURE_CHARS + 2;
  if (trailer === undefined) return length + 2;
  const digestChars = Math.ceil(DIGEST_LENGTH[trailer.algorithm] / 3) * 4;
  return length + trailer.name.length + 1 + digestChars + 2 + TRAILER_SIGNATURE.length + SIGNATURE_CHARS + 2 + 2;
}

/** The trailer a request announces (x-amz-trailer: x-amz-checksum-<algorithm>), if any. */
export function announcedTrailer(headers: Readonly<Record<string, string>>): StreamingTrailer | undefined {
  const name = headers['x-amz-trailer'];
  if (name === undefined) return undefined;
  const algorithm = name.toLowerCase().replace(/^x-amz-checksum-/, '');
  if (!isChecksumAlgorithm(algorithm) || !name.toLowerCase().startsWith('x-amz-checksum-')) {
    throw new IniaError(`Cannot sign a streaming upload with the trailer ${name}: only x-amz-checksum-* trailers are supported`);
  }
  return { algorithm, name: name.toLowerCase() };
}

interface ChunkSigning {
  key: Buffer;
  timestamp: string;
  scope: string;
  seed: string;
}

/**
 * Re-frames a stream as signed aws-chunked data in fixed chunks (each chunk's bytes are
 * collected before it is signed, so at most one chunk is held). A source that delivers
 * another length than announced fails the request: its Content-Length was signed.
 * A trailer's CRC32C or CRC64NVME needs `await loadChecksum(algorithm)` before construction.
 */
export class SignedChunkEncoder extends Transform {
  readonly #signing: ChunkSigning;
  readonly #chunkSize: number;
  readonly #decodedLength: number;
  readonly #trailer: StreamingTrailer | undefined;
  readonly #checksum: Checksum | undefined;
  #previous: string;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #seen = 0;

  constructor(signing: ChunkSigning, decodedLength: number, trailer?: StreamingTrailer, chunkSize = SIGNED_CHUNK_SIZE) {
    super();
    this.#signing = signing;
    this.#previous = signing.seed;
    this.#decodedLength = decodedLength;
    this.#trailer = trailer;
    this.#chunkSize = chunkSize;
    this.#checksum = trailer !== undefined ? createChecksum(trailer.algorithm) : undefined;
  }

  override _transform(data: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, encoding) : data;
    this.#seen += bytes.byteLength;
    if (this.#seen > this.#decodedLength) return callback(this.#lengthError());
    this.#checksum?.update(bytes);
    let offset = 0;
    // Bounded: each pass takes at least one byte, or emits a full chunk.
    while (offset < bytes.byteLength) {
      const take = Math.min(this.#chunkSize - this.#pendingBytes, bytes.byteLength - offset);
      this.#pending.push(bytes.subarray(offset, offset + take));
      this.#pendingBytes += take;
      offset += take;
      if (this.#pendingBytes === this.#chunkSize) this.#emitChunk();
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#seen !== this.#decodedLength) return callback(this.#lengthError());
    if (this.#pendingBytes > 0) this.#emitChunk();
    this.push(this.#chunkHeader(0, EMPTY_BYTES));
    const trailer = this.#trailer;
    if (trailer === undefined) {
      this.push(CRLF);
      return callback();
    }
    base64Digest(this.#checksum!).then(
      (digest) => {
        const line = `${trailer.name}:${digest}`;
        const toSign = `AWS4-HMAC-SHA256-TRAILER\n${this.#signing.timestamp}\n${this.#signing.scope}\n${this.#previous}\n${sha256Hex(`${line}\n`)}`;
        const signature = computeSignature(this.#signing.key, toSign);
        this.push(`${line}${CRLF}${TRAILER_SIGNATURE}${signature}${CRLF}${CRLF}`);
        callback();
      },
      (err: unknown) => callback(err as Error),
    );
  }

  #emitChunk(): void {
    const bytes = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.push(this.#chunkHeader(bytes.byteLength, bytes));
    this.push(bytes);
    this.push(CRLF);
  }

  /** '<hex size>;chunk-signature=<signature>\r\n', the signature chained to the previous one. */
  #chunkHeader(size: number, bytes: Uint8Array): string {
    const s = this.#signing;
    const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${s.timestamp}\n${s.scope}\n${this.#previous}\n${EMPTY_SHA256}\n${sha256Hex(bytes)}`;
    this.#previous = computeSignature(s.key, toSign);
    return `${size.toString(16)}${CHUNK_EXTENSION}${this.#previous}${CRLF}`;
  }

  #lengthError(): IniaError {
    const delivered = this.#seen > this.#decodedLength ? `more than ${this.#decodedLength}` : `${this.#seen}`;
    return new IniaError(`The request body stream delivered ${delivered} bytes, but its length was given as ${this.#decodedLength} (Content-Length)`);
  }
}

const EMPTY_BYTES = new Uint8Array(0);

export interface StreamingSignOptions extends Omit<SigV4Options, 'payloadHash' | 'addContentSha256Header'> {
  decodedLength: number;
  trailer?: StreamingTrailer | undefined;
  chunkSize?: number;
}

/**
 * Signs a stream-bodied S3 request as a signed streaming upload and replaces its body with the
 * signed aws-chunked encoding of it. Sets the headers the seed signature covers:
 * content-encoding (aws-chunked added), x-amz-decoded-content-length, content-length (the
 * encoded length), x-amz-content-sha256; x-amz-trailer stays as announced.
 */
export function signStreamingRequest(request: HttpRequest, credentials: CredentialsData, options: StreamingSignOptions): SignatureDetails {
  const body = request.body;
  if (!(body instanceof Readable)) throw new IniaError('signStreamingRequest needs a stream body');
  const { decodedLength, trailer } = options;
  const chunkSize = options.chunkSize ?? SIGNED_CHUNK_SIZE;
  const headers = request.headers;
  const encoding = headers['content-encoding'];
  if (encoding === undefined || encoding === '') headers['content-encoding'] = 'aws-chunked';
  else if (!encoding.split(',').some((e) => e.trim() === 'aws-chunked')) headers['content-encoding'] = `${encoding},aws-chunked`;
  headers['x-amz-decoded-content-length'] = String(decodedLength);
  delete headers['transfer-encoding'];
  headers['content-length'] = String(signedChunkedLength(decodedLength, trailer, chunkSize));
  const details = signRequest(request, credentials, {
    ...options,
    addContentSha256Header: true,
    payloadHash: trailer !== undefined ? STREAMING_PAYLOAD_TRAILER : STREAMING_PAYLOAD,
  });
  const timestamp = headers['x-amz-date'] ?? details.stringToSign.split('\n')[1]!;
  const dateStamp = timestamp.slice(0, 8);
  const encoder = new SignedChunkEncoder(
    { key: deriveSigningKey(credentials.secretAccessKey, dateStamp, options.region, options.service), timestamp, scope: credentialScope(dateStamp, options.region, options.service), seed: details.signature },
    decodedLength,
    trailer,
    chunkSize,
  );
  // pipeline carries a source error to the encoder (the transport fails the request with it),
  // and the transport destroying the encoder destroys the source.
  pipeline(body, encoder, () => {});
  request.body = encoder;
  return details;
}

/** The decoded length of a stream body: x-amz-decoded-content-length, else Content-Length; undefined when unknown. */
export function streamLength(headers: Readonly<Record<string, string>>): number | undefined {
  const value = headers['x-amz-decoded-content-length'] ?? (headers['content-encoding']?.includes('aws-chunked') ? undefined : headers['content-length']);
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The checksum algorithms' code (CRC32C, CRC64NVME) a trailer needs, loaded before the synchronous signer runs. */
export async function prepareStreamingTrailer(headers: Readonly<Record<string, string>>): Promise<void> {
  const trailer = announcedTrailer(headers);
  if (trailer !== undefined) await loadChecksum(trailer.algorithm);
}

/**
 * A one-shot stream of unknown length going over plain http, read into memory: it can then be
 * signed (and checksummed in a header) the way botocore signs every body over http, and sent
 * again on a retry. Streams whose length is known are signed in chunks instead (no copy).
 */
export async function bufferUnsizedStream(request: HttpRequest, limit = MAX_BUFFERED_STREAM): Promise<boolean> {
  const body = request.body;
  if (!(body instanceof Readable) || request.protocol !== 'http:' || streamLength(request.headers) !== undefined) return false;
  const tooLarge = (): Error =>
    new SigningError(
      `A stream of unknown length sent over plain http is read into memory to be signed, and this one is larger than ${limit} bytes: ` +
        'give its ContentLength (it is then signed chunk by chunk as it is sent), pass a FileHandle, or use https',
    );
  const bytes = await readStreamBounded(body, limit, tooLarge);
  request.body = bytes;
  delete request.headers['transfer-encoding'];
  setComputedContentLength(request, bytes.byteLength);
  return true;
}
