/**
 * The aws-chunked content encoding with a checksum trailer (botocore's AwsChunkedWrapper):
 *
 *   <hex length>\r\n<bytes>\r\n ... 0\r\n<x-amz-checksum-name>:<base64 digest>\r\n\r\n
 *
 * botocore cuts the body into 1 MiB chunks. inia does the same, so a buffered body encodes to
 * botocore's bytes exactly, and when the decoded length is known the encoded length is too:
 * the request can carry a Content-Length instead of Transfer-Encoding: chunked. A stream of
 * unknown length gets one aws-chunk per piece the stream delivers (as the AWS SDK for
 * JavaScript does), sent with Transfer-Encoding: chunked.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { IniaError } from '../errors.js';
import { DIGEST_LENGTH, base64Digest, createChecksum, newChecksum, type Checksum, type ChecksumAlgorithmName } from './algorithms.js';

/** botocore's AwsChunkedWrapper._DEFAULT_CHUNK_SIZE. */
export const AWS_CHUNK_SIZE = 1024 * 1024;

const CRLF = Buffer.from('\r\n', 'latin1');
const LAST_CHUNK = Buffer.from('0\r\n', 'latin1');

/** A stream that delivered more or fewer bytes than the length it was announced with. */
export class AwsChunkedLengthError extends IniaError {}

function chunkHeader(size: number): Buffer {
  return Buffer.from(`${size.toString(16)}\r\n`, 'latin1');
}

function trailer(name: string, digest: string): Buffer {
  return Buffer.from(`${name}:${digest}\r\n\r\n`, 'latin1');
}

/** The encoded size of `decodedLength` bytes in `chunkSize` chunks, trailer included. */
export function awsChunkedLength(decodedLength: number, algorithm: ChecksumAlgorithmName, trailerName: string, chunkSize = AWS_CHUNK_SIZE): number {
  const full = Math.floor(decodedLength / chunkSize);
  const rest = decodedLength - full * chunkSize;
  let size = full * (chunkSize.toString(16).length + 4 + chunkSize);
  if (rest > 0) size += rest.toString(16).length + 4 + rest;
  const digestChars = Math.ceil(DIGEST_LENGTH[algorithm] / 3) * 4;
  return size + LAST_CHUNK.length + trailerName.length + 1 + digestChars + 4;
}

/** A whole buffered body, encoded (byte for byte what botocore sends for it). */
export async function encodeAwsChunked(body: Uint8Array, algorithm: ChecksumAlgorithmName, trailerName: string, chunkSize = AWS_CHUNK_SIZE): Promise<Uint8Array> {
  const checksum = await newChecksum(algorithm);
  checksum.update(body);
  const parts: Uint8Array[] = [];
  for (let offset = 0; offset < body.byteLength; offset += chunkSize) {
    const piece = body.subarray(offset, Math.min(offset + chunkSize, body.byteLength));
    parts.push(chunkHeader(piece.byteLength), piece, CRLF);
  }
  parts.push(LAST_CHUNK, trailer(trailerName, await base64Digest(checksum)));
  return Buffer.concat(parts);
}

/**
 * Encodes a stream as it flows; nothing is held back but the current piece. With a known
 * decoded length the chunk boundaries are fixed (each chunk's header goes out before its
 * bytes arrive), so the output length is awsChunkedLength() and a source that delivers another
 * length fails the request instead of sending a malformed body.
 * CRC32C and CRC64NVME need `await loadChecksum(algorithm)` before construction.
 */
export class AwsChunkedEncoder extends Transform {
  readonly #checksum: Checksum;
  readonly #trailerName: string;
  readonly #decodedLength: number | undefined;
  readonly #chunkSize: number;
  #seen = 0;
  /** Bytes still owed to the chunk whose header was sent (fixed framing only). */
  #openChunk = 0;

  constructor(algorithm: ChecksumAlgorithmName, trailerName: string, decodedLength?: number, chunkSize = AWS_CHUNK_SIZE) {
    super();
    this.#checksum = createChecksum(algorithm);
    this.#trailerName = trailerName;
    this.#decodedLength = decodedLength;
    this.#chunkSize = chunkSize;
  }

  override _transform(data: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const chunk = typeof data === 'string' ? Buffer.from(data, encoding) : data;
    // An empty aws-chunk would read as the last one: skip empty pieces.
    if (chunk.byteLength === 0) return callback();
    this.#checksum.update(chunk);
    this.#seen += chunk.byteLength;
    if (this.#decodedLength === undefined) {
      this.push(chunkHeader(chunk.byteLength));
      this.push(chunk);
      this.push(CRLF);
      return callback();
    }
    if (this.#seen > this.#decodedLength) return callback(this.#lengthError());
    let offset = 0;
    // Bounded: each pass consumes at least one byte of the chunk.
    while (offset < chunk.byteLength) {
      if (this.#openChunk === 0) {
        this.#openChunk = Math.min(this.#chunkSize, this.#decodedLength - (this.#seen - chunk.byteLength + offset));
        this.push(chunkHeader(this.#openChunk));
      }
      const take = Math.min(this.#openChunk, chunk.byteLength - offset);
      this.push(offset === 0 && take === chunk.byteLength ? chunk : chunk.subarray(offset, offset + take));
      offset += take;
      this.#openChunk -= take;
      if (this.#openChunk === 0) this.push(CRLF);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#decodedLength !== undefined && this.#seen !== this.#decodedLength) return callback(this.#lengthError());
    base64Digest(this.#checksum).then(
      (digest) => {
        this.push(LAST_CHUNK);
        this.push(trailer(this.#trailerName, digest));
        callback();
      },
      (err: unknown) => callback(err as Error),
    );
  }

  #lengthError(): AwsChunkedLengthError {
    const delivered = this.#seen > this.#decodedLength! ? `more than ${this.#decodedLength}` : `${this.#seen}`;
    return new AwsChunkedLengthError(`The request body stream delivered ${delivered} bytes, but its length was given as ${this.#decodedLength} (Content-Length)`);
  }
}
