/**
 * StreamingBody: a streaming output member (S3 GetObject's Body). Nothing is buffered until
 * the caller asks: `read()`/`text()`/`json()` collect it, async iteration and `.stream`
 * hand out the bytes as they arrive.
 */
import type { Readable } from 'node:stream';
import { ConnectionClosedError, IncompleteReadError, ResponseParserError, ResponseStreamingError } from '../errors.js';

export class StreamingBody implements AsyncIterable<Uint8Array> {
  #consumed = false;

  /**
   * @param stream the response body, untouched
   * @param contentLength the Content-Length the server announced, checked when the body is read whole
   */
  constructor(
    readonly stream: Readable,
    readonly contentLength?: number,
  ) {}

  /** The whole body. A body shorter than its Content-Length is an error, never a silent truncation. */
  async read(): Promise<Uint8Array> {
    this.#claim();
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of this.stream) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        chunks.push(buf);
        size += buf.length;
      }
    } catch (err) {
      // As botocore's StreamingBody.read: a lost connection mid-body is ResponseStreamingError;
      // a read timeout and a checksum mismatch keep their own classes.
      if (err instanceof ConnectionClosedError) throw new ResponseStreamingError(err.endpointUrl, err);
      throw err;
    }
    if (this.contentLength !== undefined && size !== this.contentLength) throw new IncompleteReadError(size, this.contentLength);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  }

  async text(encoding: BufferEncoding = 'utf8'): Promise<string> {
    const bytes = await this.read();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  /**
   * The stream's own iterator, not a generator around it: a second layer of async iteration
   * cost about a tenth of the throughput of a 64 MiB download (bench/, get64m). The chunks are
   * Buffers: inia never sets an encoding on the response stream.
   */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#claim();
    return this.stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  }

  /** Discards the rest of the body (the connection goes back to the pool when it ends). */
  close(): void {
    this.stream.resume();
  }

  #claim(): void {
    if (this.#consumed) throw new ResponseParserError('The streaming body has already been read');
    this.#consumed = true;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `StreamingBody { contentLength: ${this.contentLength ?? 'unknown'} }`;
  }
}
