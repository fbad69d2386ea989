/**
 * Request checksums (botocore's httpchecksum.resolve_request_checksum_algorithm and
 * apply_request_checksum): which algorithm a request carries, and whether its value travels
 * in a header (buffered bodies) or in an aws-chunked trailer (uploads).
 *
 * botocore 1.43's rules, reproduced:
 *  - any `x-amz-checksum-*` header already on the serialized request (the user's
 *    ChecksumCRC32 member, or even x-amz-checksum-mode) means no checksum is added;
 *  - the operation's `requestAlgorithmMember` set by the user (ChecksumAlgorithm: 'SHA256')
 *    picks the algorithm; an unknown one is a FlexibleChecksumError;
 *  - otherwise CRC32 when the operation requires a checksum (`httpChecksumRequired`, or
 *    `httpChecksum.requestChecksumRequired`), or when it merely supports one
 *    (`requestAlgorithmMember`) and requestChecksumCalculation is 'when_supported' (the
 *    default); the algorithm member's header (x-amz-sdk-checksum-algorithm) then says CRC32.
 *    Presigned requests get no default checksum;
 *  - the trailer is used for operations with a blob payload (botocore's has_streaming_input)
 *    over https unless the signature version is 's3'; anything else gets a header;
 *  - botocore 1.43 never adds Content-MD5 by itself any more: httpChecksumRequired means a
 *    CRC32 header (its 'conditional-md5' branch is unreachable), and so it is here.
 *
 * One deliberate difference: a body inia can read only once (a Readable, or a FileHandle the
 * transport streams) always goes with a trailer. botocore, over plain http, reads a seekable
 * file once to compute a header and again to send it; a one-shot stream cannot be read twice,
 * and buffering it would break "streams stay streams". The trailer sends the same bytes with a
 * checksum S3 verifies, without holding the body in memory. Over https the trailer upload is
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER, as botocore's; over plain http, where botocore signs every
 * payload, the S3 signer sends it as signed chunks with a signed trailer
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, auth/sigv4-streaming.ts), and a stream of
 * unknown length is read into memory first (it then gets botocore's header and payload hash).
 */
import { Readable, pipeline } from 'node:stream';
import { STREAMING_UNSIGNED_PAYLOAD_TRAILER } from '../auth/sigv4.js';
import type { Config } from '../config.js';
import { FlexibleChecksumError, IniaError } from '../errors.js';
import { setComputedContentLength } from '../http/request.js';
import type { HttpRequest } from '../http/types.js';
import type { OperationModel } from '../models/shapes.js';
import type { Params } from '../protocols/types.js';
import { FLEXIBLE_CHECKSUM_ALGORITHMS, UNIMPLEMENTED_CRT_ALGORITHMS, computeBase64Checksum, loadChecksum, type ChecksumAlgorithmName } from './algorithms.js';
import { AwsChunkedEncoder, awsChunkedLength, encodeAwsChunked } from './aws-chunked.js';
import { checksumContext, ensureChecksumContext, type ChecksumContext } from './context.js';

/** botocore's DEFAULT_CHECKSUM_ALGORITHM. */
export const DEFAULT_CHECKSUM_ALGORITHM = 'CRC32';

/** botocore's CHECKSUM_HEADER_PATTERN: x-amz-checksum-<letters/digits>, any case. */
const CHECKSUM_HEADER = /^x-amz-checksum-[a-z0-9]*$/i;

interface HttpChecksumTrait {
  requestAlgorithmMember?: string;
  requestChecksumRequired?: boolean;
  requestValidationModeMember?: string;
  responseAlgorithms?: string[];
}

export function httpChecksumTrait(operation: OperationModel): HttpChecksumTrait {
  return (operation.def.httpChecksum as HttpChecksumTrait | undefined) ?? {};
}

/** botocore's has_checksum_header. */
export function hasChecksumHeader(headers: Readonly<Record<string, string>>): boolean {
  for (const name of Object.keys(headers)) if (CHECKSUM_HEADER.test(name)) return true;
  return false;
}

/**
 * botocore's OperationModel.has_streaming_input: the input's payload member is a blob
 * (streaming trait or not). inia's OperationModel.hasStreamingInput also wants the streaming
 * trait; the checksum rules follow botocore's definition.
 */
export function hasBlobPayload(operation: OperationModel): boolean {
  const input = operation.inputShape;
  const payload = input?.serialization.payload;
  if (!input || !payload) return false;
  return input.members.get(payload)?.typeName === 'blob';
}

function isBuffered(body: HttpRequest['body']): body is string | Uint8Array | undefined {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * Decides the request checksum and records it in the context (botocore's
 * resolve_request_checksum_algorithm). Runs on the serialized request: the checksum headers
 * the user's members produced and the endpoint's scheme are part of the decision.
 */
export function resolveRequestChecksumAlgorithm(
  request: Pick<HttpRequest, 'protocol' | 'headers' | 'body'>,
  operation: OperationModel,
  params: Params,
  config: Config | undefined,
  context: Record<string, unknown>,
): void {
  if (hasChecksumHeader(request.headers)) return;
  const trait = httpChecksumTrait(operation);
  const required = operation.def.httpChecksumRequired === true || trait.requestChecksumRequired === true;
  const member = trait.requestAlgorithmMember;
  const calculation = config?.get('requestChecksumCalculation') ?? 'when_supported';
  let algorithm: ChecksumAlgorithmName;
  let algorithmHeader: ChecksumContext['requestAlgorithmHeader'];
  if (member !== undefined && params[member] !== undefined && params[member] !== null) {
    const name = String(params[member]).toLowerCase();
    if (!(FLEXIBLE_CHECKSUM_ALGORITHMS as readonly string[]).includes(name)) {
      // botocore without the CRT says "pip install botocore[crt]" for these; inia has no such extra.
      const hint = UNIMPLEMENTED_CRT_ALGORITHMS.includes(name) ? ' (inia does not implement the xxhash family)' : '';
      throw new FlexibleChecksumError(`Unsupported checksum algorithm: ${name}${hint}`, { algorithm: name });
    }
    algorithm = name as ChecksumAlgorithmName;
  } else if (required || (member !== undefined && calculation === 'when_supported')) {
    if (context.isPresignRequest === true) return;
    algorithm = 'crc32';
    const header = member === undefined ? undefined : operation.inputShape?.members.get(member)?.serialization.name;
    if (header !== undefined) algorithmHeader = { name: header.toLowerCase(), value: DEFAULT_CHECKSUM_ALGORITHM };
  } else {
    return;
  }
  const trailer =
    !isBuffered(request.body) ||
    (hasBlobPayload(operation) && request.protocol === 'https:' && config?.get('signatureVersion') !== 's3');
  const ck = ensureChecksumContext(context);
  ck.requestAlgorithm = { algorithm, in: trailer ? 'trailer' : 'header', name: `x-amz-checksum-${algorithm}` };
  if (algorithmHeader !== undefined) ck.requestAlgorithmHeader = algorithmHeader;
}

/**
 * Puts the decided checksum on the request (botocore's apply_request_checksum). Call it after
 * http/body.ts resolveRequestBody and before signing, on every attempt: the first pass sets
 * the headers, every pass (re)wraps the body, which a retry resets to the original.
 */
export async function applyRequestChecksum(request: HttpRequest, context: Record<string, unknown>): Promise<void> {
  const ck = checksumContext(context);
  const algorithm = ck?.requestAlgorithm;
  if (ck === undefined || algorithm === undefined) return;
  // A body that became a stream after the decision (a before-call handler) cannot get a header.
  if (algorithm.in === 'header' && !isBuffered(request.body)) algorithm.in = 'trailer';
  if (algorithm.in === 'header') {
    if (request.headers[algorithm.name] === undefined) {
      const body = request.body as string | Uint8Array | undefined;
      request.headers[algorithm.name] = await computeBase64Checksum(algorithm.algorithm, body ?? new Uint8Array(0));
    }
  } else if (!(await applyTrailer(request, ck, algorithm.algorithm, algorithm.name))) {
    return;
  }
  if (ck.requestAlgorithmHeader !== undefined) request.headers[ck.requestAlgorithmHeader.name] = ck.requestAlgorithmHeader.value;
}

/** botocore's _apply_request_trailer_checksum. False when the user's own value is already there. */
async function applyTrailer(request: HttpRequest, ck: ChecksumContext, algorithm: ChecksumAlgorithmName, name: string): Promise<boolean> {
  const headers = request.headers;
  let applied = ck.applied;
  if (applied === undefined) {
    if (headers[name] !== undefined) {
      // botocore leaves such a request as it is but still signs it as a trailer upload; the
      // body is not aws-chunked, so inia forgets the trailer and signs it normally.
      delete ck.requestAlgorithm;
      return false;
    }
    const body = request.body;
    const decodedLength = isBuffered(body) ? byteLength(body) : declaredLength(headers['content-length']);
    headers['content-encoding'] = headers['content-encoding'] ? `${headers['content-encoding']},aws-chunked` : 'aws-chunked';
    headers['x-amz-trailer'] = name;
    if (decodedLength !== undefined) headers['x-amz-decoded-content-length'] = String(decodedLength);
    // S3 wants this on unsigned requests too (botocore's _set_extra_headers_for_unsigned_request);
    // a signer that hashes the payload itself must use the same value (see checksumPayloadHash).
    headers['x-amz-content-sha256'] = STREAMING_UNSIGNED_PAYLOAD_TRAILER;
    // botocore always switches to Transfer-Encoding: chunked. With a known decoded length the
    // encoded length is known too (fixed 1 MiB chunks), and a Content-Length is the more widely
    // accepted framing (proxies, S3-compatible servers); otherwise chunked it is.
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    // Not signed: botocore sends no Content-Length here at all (chunked), so its signature has none.
    if (decodedLength !== undefined) setComputedContentLength(request, awsChunkedLength(decodedLength, algorithm, name));
    else headers['transfer-encoding'] = 'chunked';
    applied = { decodedLength };
    ck.applied = applied;
  }
  const body = request.body;
  if (isBuffered(body)) {
    if (applied.source !== body || applied.encoded === undefined) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body ?? new Uint8Array(0);
      applied.encoded = await encodeAwsChunked(bytes, algorithm, name);
      applied.source = body;
    }
    request.body = applied.encoded;
  } else if (body instanceof Readable) {
    await loadChecksum(algorithm);
    if (request.protocol === 'http:' && applied.decodedLength !== undefined) {
      // Over plain http the payload is signed, as botocore signs every payload there: the S3
      // signer sends this stream as signed chunks and writes the trailer (auth/sigv4-streaming.ts).
      ck.pendingStream = body;
      return true;
    }
    const encoder = new AwsChunkedEncoder(algorithm, name, applied.decodedLength);
    // pipeline carries a source error to the encoder (the transport fails the request with it),
    // and the transport destroying the encoder destroys the source.
    pipeline(body, encoder, () => {});
    request.body = encoder;
  } else {
    throw new IniaError('applyRequestChecksum needs the body as resolveRequestBody leaves it (a FileHandle must be opened as a stream first)');
  }
  return true;
}

function byteLength(body: string | Uint8Array | undefined): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * After signing, on every attempt: a stream left for the signer to chunk (see
 * ChecksumContext.pendingStream) that no signer took is wrapped in the unsigned aws-chunked
 * encoding its headers announce.
 */
export function finishRequestChecksum(request: HttpRequest, context: Record<string, unknown>): void {
  const ck = checksumContext(context);
  const pending = ck?.pendingStream;
  if (pending === undefined) return;
  delete ck!.pendingStream;
  const algorithm = ck!.requestAlgorithm;
  if (request.body !== pending || algorithm === undefined) return;
  const encoder = new AwsChunkedEncoder(algorithm.algorithm, algorithm.name, ck!.applied?.decodedLength);
  pipeline(pending, encoder, () => {});
  request.body = encoder;
}

/**
 * The payload hash a SigV4 signer must use for this request when the checksum decides it:
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER for a trailer upload (botocore's SigV4Auth.payload),
 * undefined otherwise (the signer's usual rules apply).
 */
export function checksumPayloadHash(context: Record<string, unknown>): string | undefined {
  return checksumContext(context)?.requestAlgorithm?.in === 'trailer' ? STREAMING_UNSIGNED_PAYLOAD_TRAILER : undefined;
}
