/**
 * Flexible checksums (botocore's httpchecksum.py and its handlers), as the client calls them.
 * One call, in makeApiCall's order:
 *
 *   params = prepareChecksumParams(operation, params, config)
 *       after the before-parameter-build event, before serialization: sets S3's ChecksumMode
 *       to ENABLED when responseChecksumValidation is 'when_supported' (the default).
 *
 *   resolveRequestChecksum(request, operation, params, config, context)
 *       once, on the request buildHttpRequest made (before the before-call event): decides the
 *       request checksum (algorithm, header or trailer) and the response algorithms, and keeps
 *       the decision in context.checksum (botocore's request_context['checksum']). Throws
 *       FlexibleChecksumError for an algorithm member naming an algorithm inia lacks.
 *
 *   await applyRequestChecksum(request, context)
 *       on every attempt, after resolveRequestBody and before signing: sets the checksum header,
 *       or the aws-chunked headers and an encoding body (a Transform over a stream, nothing
 *       buffered). A retry's reset body is wrapped again; the headers are set once.
 *
 *   checksumPayloadHash(context)
 *       the payload hash the signer must use (STREAMING-UNSIGNED-PAYLOAD-TRAILER for a trailer
 *       upload), or undefined for the signer's usual rules.
 *
 *   response = await handleResponseChecksum(response, context)
 *       on every response, before before-parse: checks a buffered body (FlexibleChecksumError)
 *       or returns the response with `stream` wrapped so the check happens as it is read.
 *
 * The functions are async where a digest is computed: @aws-sdk/crc64-nvme only has an async
 * digest, and one shape for every algorithm keeps the callers simple.
 */
export {
  FLEXIBLE_CHECKSUM_ALGORITHMS,
  base64Digest,
  computeBase64Checksum,
  computeChecksum,
  createChecksum,
  isChecksumAlgorithm,
  loadChecksum,
  newChecksum,
  toBase64,
  type Checksum,
  type ChecksumAlgorithmName,
} from './algorithms.js';
export { AWS_CHUNK_SIZE, AwsChunkedEncoder, AwsChunkedLengthError, awsChunkedLength, encodeAwsChunked } from './aws-chunked.js';
export { CHECKSUM_CONTEXT_KEY, checksumContext, type ChecksumContext, type RequestChecksumAlgorithm } from './context.js';
export {
  DEFAULT_CHECKSUM_ALGORITHM,
  applyRequestChecksum,
  checksumPayloadHash,
  finishRequestChecksum,
  hasBlobPayload,
  hasChecksumHeader,
  resolveRequestChecksumAlgorithm,
} from './request.js';
export {
  ChecksumValidatingStream,
  RESPONSE_ALGORITHM_PRIORITY,
  handleResponseChecksum,
  prepareChecksumParams,
  resolveResponseChecksumAlgorithms,
  validatingStream,
  verifyChecksum,
} from './response.js';

import type { Config } from '../config.js';
import type { HttpRequest } from '../http/types.js';
import type { OperationModel } from '../models/shapes.js';
import type { Params } from '../protocols/types.js';
import { resolveRequestChecksumAlgorithm } from './request.js';
import { resolveResponseChecksumAlgorithms } from './response.js';

/** botocore's resolve_checksum_context: the request's checksum and the response's algorithms. */
export function resolveRequestChecksum(
  request: Pick<HttpRequest, 'protocol' | 'headers' | 'body'>,
  operation: OperationModel,
  params: Params,
  config: Config | undefined,
  context: Record<string, unknown>,
): void {
  resolveRequestChecksumAlgorithm(request, operation, params, config, context);
  resolveResponseChecksumAlgorithms(operation, params, context);
}
