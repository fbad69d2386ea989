/**
 * Response checksum validation (botocore's _handle_request_validation_mode_member,
 * resolve_response_checksum_algorithms and handle_checksum_body):
 *  - with responseChecksumValidation 'when_supported' (the default) the operation's
 *    `requestValidationModeMember` (S3's ChecksumMode) is set to ENABLED unless the user set it;
 *    with 'when_required' only a ChecksumMode the user set asks for validation;
 *  - the response is checked with the first of botocore's priority list the operation's
 *    `responseAlgorithms` names, inia implements and the response carries a header for;
 *  - a value with a '-' (S3's composite checksum of a multipart object, `xxx-12`) is not a
 *    checksum of these bytes and is skipped, as botocore skips it;
 *  - a buffered body is checked at once; a streamed body (S3 GetObject) is checked as it flows
 *    and its stream fails with FlexibleChecksumError at the end on a mismatch. Like botocore's
 *    StreamingChecksumBody, only a body read to its end is checked.
 */
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import type { Config } from '../config.js';
import { FlexibleChecksumError } from '../errors.js';
import type { OperationModel } from '../models/shapes.js';
import type { Params, RawResponse } from '../protocols/types.js';
import { FLEXIBLE_CHECKSUM_ALGORITHMS, createChecksum, loadChecksum, newChecksum, toBase64, type Checksum, type ChecksumAlgorithmName } from './algorithms.js';
import { checksumContext, ensureChecksumContext } from './context.js';
import { httpChecksumTrait } from './request.js';

/** botocore's _ALGORITHMS_PRIORITY_LIST. */
export const RESPONSE_ALGORITHM_PRIORITY: readonly string[] = ['xxhash128', 'xxhash3', 'crc64nvme', 'xxhash64', 'crc32c', 'crc32', 'sha1', 'sha256', 'sha512'];

/**
 * botocore's _handle_request_validation_mode_member (a before-parameter-build handler): the
 * params to serialize, with the validation mode member set to ENABLED when the config asks for
 * validation whenever supported. The caller's object is never changed.
 */
export function prepareChecksumParams(operation: OperationModel, params: Params, config: Config | undefined): Params {
  const member = httpChecksumTrait(operation).requestValidationModeMember;
  if (member === undefined || (config?.get('responseChecksumValidation') ?? 'when_supported') !== 'when_supported') return params;
  if (params[member] !== undefined) return params;
  return { ...params, [member]: 'ENABLED' };
}

/** botocore's resolve_response_checksum_algorithms: records the usable algorithms, best first. */
export function resolveResponseChecksumAlgorithms(operation: OperationModel, params: Params, context: Record<string, unknown>): void {
  const trait = httpChecksumTrait(operation);
  const member = trait.requestValidationModeMember;
  if (member === undefined || params[member] === undefined) return;
  const offered = new Set((trait.responseAlgorithms ?? []).map((a) => a.toLowerCase()));
  const usable = RESPONSE_ALGORITHM_PRIORITY.filter(
    (a): a is ChecksumAlgorithmName => offered.has(a) && (FLEXIBLE_CHECKSUM_ALGORITHMS as readonly string[]).includes(a),
  );
  ensureChecksumContext(context).responseAlgorithms = usable;
}

function mismatch(algorithm: ChecksumAlgorithmName, expected: string, calculated: string): FlexibleChecksumError {
  return new FlexibleChecksumError(`Expected checksum ${expected} did not match calculated checksum: ${calculated}`, { algorithm, expected, calculated });
}

async function verify(checksum: Checksum, algorithm: ChecksumAlgorithmName, expected: string): Promise<void> {
  const digest = await checksum.digest();
  // As botocore: the digest against the header's base64 decoded (leniently).
  if (!Buffer.from(digest).equals(Buffer.from(expected, 'base64'))) throw mismatch(algorithm, expected, toBase64(digest));
}

/** Checks a whole body against an expected base64 checksum; throws FlexibleChecksumError on a mismatch. */
export async function verifyChecksum(algorithm: ChecksumAlgorithmName, body: Uint8Array, expected: string): Promise<void> {
  const checksum = await newChecksum(algorithm);
  checksum.update(body);
  await verify(checksum, algorithm, expected);
}

/**
 * Passes the bytes through unchanged while checksumming them; at the end, a mismatch destroys
 * the stream with FlexibleChecksumError (a consumer sees it as the stream's error), so the data
 * is never reported as complete. CRC32C and CRC64NVME need `await loadChecksum(algorithm)` first.
 */
export class ChecksumValidatingStream extends Transform {
  readonly #checksum: Checksum;

  constructor(
    readonly algorithm: ChecksumAlgorithmName,
    readonly expected: string,
  ) {
    super();
    this.#checksum = createChecksum(algorithm);
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.#checksum.update(bytes);
    callback(null, bytes);
  }

  override _flush(callback: TransformCallback): void {
    verify(this.#checksum, this.algorithm, this.expected).then(() => callback(), (err: unknown) => callback(err as Error));
  }
}

/** Wraps a response stream (a source error, or destroying the wrapper, reaches the other side). */
export async function validatingStream(source: Readable, algorithm: ChecksumAlgorithmName, expected: string): Promise<ChecksumValidatingStream> {
  await loadChecksum(algorithm);
  const wrapper = new ChecksumValidatingStream(algorithm, expected);
  pipeline(source, wrapper, () => {});
  return wrapper;
}

/**
 * botocore's handle_checksum_body: validates a buffered body (throws FlexibleChecksumError) or
 * returns the response with its stream wrapped. Responses without a usable checksum header are
 * returned as they are.
 */
export async function handleResponseChecksum(response: RawResponse, context: Record<string, unknown>): Promise<RawResponse> {
  const ck = checksumContext(context);
  const algorithms = ck?.responseAlgorithms;
  if (ck === undefined || algorithms === undefined || algorithms.length === 0) return response;
  for (const algorithm of algorithms) {
    const expected = response.headers[`x-amz-checksum-${algorithm}`];
    if (expected === undefined || expected.includes('-')) continue;
    let result = response;
    if (response.stream !== undefined) result = { ...response, stream: await validatingStream(response.stream, algorithm, expected) };
    else await verifyChecksum(algorithm, response.body, expected);
    ck.responseAlgorithm = algorithm;
    return result;
  }
  return response;
}
