/**
 * Request compression (the `requestcompression` trait), as botocore's compress.py: gzip a
 * buffered body of at least `requestMinCompressionSizeBytes` unless the user disabled it.
 */
import { nodeZlib } from './builtins.js';
import type { Config } from './config.js';
import type { OperationModel } from './models/shapes.js';
import type { SerializedRequest } from './protocols/types.js';

/** botocore's default for request_min_compression_size_bytes. */
export const DEFAULT_MIN_COMPRESSION_SIZE = 10240;

const ENCODERS: Record<string, (body: Uint8Array | string) => Uint8Array> = {
  gzip: (body) => nodeZlib().gzipSync(body),
};

export function maybeCompressRequest(request: SerializedRequest, operation: OperationModel, config: Config | undefined): void {
  const trait = operation.def.requestcompression as { encodings?: string[] } | undefined;
  if (!trait?.encodings || config?.get('disableRequestCompression') === true || config?.get('signatureVersion') === 'v2') return;
  const body = request.body;
  // Streams are compressed only once streaming compression exists; until then they go as they are.
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size < (config?.get('requestMinCompressionSizeBytes') ?? DEFAULT_MIN_COMPRESSION_SIZE)) return;
  for (const encoding of trait.encodings) {
    const encode = ENCODERS[encoding];
    if (!encode) continue;
    request.body = encode(body);
    const existing = request.headers['content-encoding'];
    request.headers['content-encoding'] = existing ? `${existing},${encoding}` : encoding;
    return;
  }
}
