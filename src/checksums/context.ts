/**
 * What a call decided about checksums, kept in the call's context under `checksum` (botocore's
 * request_context['checksum']): written when the request is resolved, read when it is sent,
 * signed and answered.
 */
import type { Readable } from 'node:stream';
import type { ChecksumAlgorithmName } from './algorithms.js';

export interface RequestChecksumAlgorithm {
  algorithm: ChecksumAlgorithmName;
  /** Where the value travels: a header computed up front, or an aws-chunked trailer. */
  in: 'header' | 'trailer';
  /** The header or trailer name, `x-amz-checksum-<algorithm>`. */
  name: string;
}

export interface ChecksumContext {
  requestAlgorithm?: RequestChecksumAlgorithm;
  /** The algorithm member's header when inia chose the default (x-amz-sdk-checksum-algorithm: CRC32). */
  requestAlgorithmHeader?: { name: string; value: string };
  /** Algorithms a response may be validated with, best first. */
  responseAlgorithms?: ChecksumAlgorithmName[];
  /** The algorithm the response was validated with, once it was. */
  responseAlgorithm?: ChecksumAlgorithmName;
  /** The trailer's first application: later attempts only wrap the body again. */
  applied?: { decodedLength: number | undefined; source?: string | Uint8Array | undefined; encoded?: Uint8Array };
  /**
   * A stream of known length going over plain http, left unwrapped for the S3 signer to send as
   * signed chunks with this trailer (auth/sigv4-streaming.ts); finishRequestChecksum wraps it
   * unsigned when no signer took it (an unsigned request, another signer).
   */
  pendingStream?: Readable;
}

export const CHECKSUM_CONTEXT_KEY = 'checksum';

export function checksumContext(context: Record<string, unknown>): ChecksumContext | undefined {
  const value = context[CHECKSUM_CONTEXT_KEY];
  return typeof value === 'object' && value !== null ? (value as ChecksumContext) : undefined;
}

export function ensureChecksumContext(context: Record<string, unknown>): ChecksumContext {
  let value = checksumContext(context);
  if (value === undefined) {
    value = {};
    context[CHECKSUM_CONTEXT_KEY] = value;
  }
  return value;
}
