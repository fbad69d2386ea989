/**
 * Standard retry mode, as botocore's retries/standard.py with its default settings:
 *  - retry while attempts < max (3 unless configured) and the answer is transient (500, 502,
 *    503, 504, RequestTimeout..., a connection or HTTP client error), throttling (fixed
 *    codes), modeled as retryable, STS's IDPCommunicationError or a DynamoDB body whose
 *    x-amz-crc32 does not match;
 *  - each retry draws on the client's retry quota (5, or 10 after a timeout); a call that
 *    succeeds gives back what its last retry took (1 when it needed none);
 *  - the delay is rand(0, 1) * min(2 ** (attempt - 1), 20) seconds (full jitter).
 *
 * One difference on purpose: when no retry is left and the DynamoDB body still fails its
 * CRC32, botocore hands the damaged data back; inia raises ChecksumError instead (API.md).
 */
import { ChecksumError } from '../errors.js';
import type { RawResponse } from '../protocols/types.js';
import {
  dynamoDbCrc32Mismatch,
  isCorrectedClockSkew,
  isIdpCommunicationError,
  isThrottlingCode,
  isTimeout,
  isTransient,
  modeledRetryType,
} from './classify.js';
import { RetryContext, type NeedsRetryArgs } from './context.js';
import { RetryQuota } from './quota.js';

export const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_BACKOFF = 20;
const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;
const NO_RETRY_INCREMENT = 1;
/** Where the capacity the call's last retry took is kept, in the call's request context. */
const QUOTA_KEY = 'retry_quota_capacity';

export interface StandardRetryOptions {
  /** Every attempt, the first included (botocore's total_max_attempts). */
  maxAttempts?: number;
}

export class StandardRetryHandler {
  readonly maxAttempts: number;
  readonly quota = new RetryQuota();

  constructor(options: StandardRetryOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** The needs-retry handler: a delay in seconds to retry after, or null. */
  needsRetry(args: NeedsRetryArgs): number | null {
    const ctx = new RetryContext(args);
    let delay: number | null = null;
    if (this.#shouldRetry(ctx)) {
      if (this.#acquireQuota(ctx)) delay = Math.random() * Math.min(2 ** (ctx.attemptNumber - 1), MAX_BACKOFF);
    }
    ctx.adaptResponse();
    if (delay === null) refuseDamagedBody(ctx);
    return delay;
  }

  /** The after-call handler: a successful call refills the quota. */
  releaseQuota(args: { httpResponse?: RawResponse | undefined; context: Record<string, unknown> }): void {
    const status = args.httpResponse?.statusCode;
    if (status === undefined || status < 200 || status >= 300) return;
    const taken = args.context[QUOTA_KEY];
    this.quota.release(typeof taken === 'number' ? taken : NO_RETRY_INCREMENT);
  }

  #shouldRetry(ctx: RetryContext): boolean {
    // The attempt limit is checked (and MaxAttemptsReached recorded) first, even for a success.
    const underMax = ctx.attemptNumber < this.maxAttempts;
    ctx.noteMaxAttempts(this.maxAttempts);
    if (!underMax) ctx.addRetryMetadata({ MaxAttemptsReached: true });
    return (
      underMax &&
      (isTransient(ctx) ||
        isThrottlingCode(ctx) ||
        modeledRetryType(ctx) !== undefined ||
        isIdpCommunicationError(ctx) ||
        dynamoDbCrc32Mismatch(ctx) !== undefined ||
        isCorrectedClockSkew(ctx))
    );
  }

  #acquireQuota(ctx: RetryContext): boolean {
    const cost = isTimeout(ctx) ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.quota.acquire(cost)) {
      ctx.requestContext[QUOTA_KEY] = cost;
      return true;
    }
    ctx.addRetryMetadata({ RetryQuotaReached: true });
    return false;
  }
}

/** A successful DynamoDB answer whose body fails its CRC32 is never returned. */
export function refuseDamagedBody(ctx: RetryContext): void {
  const status = ctx.httpResponse?.statusCode;
  if (status === undefined || status >= 300) return;
  const mismatch = dynamoDbCrc32Mismatch(ctx);
  if (mismatch !== undefined) throw new ChecksumError('crc32', mismatch.expected, mismatch.actual);
}

