/**
 * The error classes every retry mode shares: transient answers, throttling (fixed codes and
 * the model's `retryable` trait), and the special cases botocore still carries from legacy
 * mode (STS's IDPCommunicationError, DynamoDB's x-amz-crc32). botocore: retries/standard.py
 * and retries/special.py.
 */
import { nodeZlib } from '../builtins.js';
import { ConnectionError, ConnectTimeoutError, HTTPClientError, ReadTimeoutError } from '../errors.js';
import type { RetryContext } from './context.js';

const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set(['RequestTimeout', 'RequestTimeoutException', 'PriorRequestNotComplete']);
const TRANSIENT_STATUS_CODES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** The union of the codes AWS services use for "slow down" (botocore's _THROTTLED_ERROR_CODES). */
export const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

export function isTransient(ctx: RetryContext): boolean {
  const code = ctx.errorCode();
  if (code !== undefined && TRANSIENT_ERROR_CODES.has(code)) return true;
  if (ctx.httpResponse !== undefined && TRANSIENT_STATUS_CODES.has(ctx.httpResponse.statusCode)) return true;
  const err = ctx.caughtException;
  return err !== undefined && (err instanceof ConnectionError || err instanceof HTTPClientError);
}

export function isThrottlingCode(ctx: RetryContext): boolean {
  const code = ctx.errorCode();
  return code !== undefined && THROTTLING_ERROR_CODES.has(code);
}

/** 'throttling' or 'transient' when the operation models the error as retryable, else undefined. */
export function modeledRetryType(ctx: RetryContext): 'throttling' | 'transient' | undefined {
  const code = ctx.errorCode();
  if (code === undefined) return undefined;
  for (const shape of ctx.operation.errorShapes) {
    const retryable = shape.def.retryable as { throttling?: boolean } | undefined;
    if (retryable === undefined || retryable === null) continue;
    const shapeCode = (shape.def.error as { code?: string } | undefined)?.code || shape.name;
    if (shapeCode === code) return retryable.throttling === true ? 'throttling' : 'transient';
  }
  return undefined;
}

/** botocore's ThrottlingErrorDetector: a fixed throttling code or a modeled throttling error. */
export function isThrottling(ctx: RetryContext): boolean {
  return isThrottlingCode(ctx) || modeledRetryType(ctx) === 'throttling';
}

export function isTimeout(ctx: RetryContext): boolean {
  return ctx.caughtException instanceof ConnectTimeoutError || ctx.caughtException instanceof ReadTimeoutError;
}

/** STS answers IDPCommunicationError when the identity provider was briefly unreachable. */
export function isIdpCommunicationError(ctx: RetryContext): boolean {
  return ctx.operation.serviceModel.serviceName === 'sts' && ctx.errorCode() === 'IDPCommunicationError';
}

export interface Crc32Mismatch {
  expected: number;
  actual: number;
}

/**
 * DynamoDB sends the CRC32 of every body in x-amz-crc32; a body that does not match was
 * damaged on the way. undefined when there is no header or it matches.
 */
export function dynamoDbCrc32Mismatch(ctx: RetryContext): Crc32Mismatch | undefined {
  if (ctx.operation.serviceModel.serviceName !== 'dynamodb') return undefined;
  return crc32Mismatch(ctx, 'x-amz-crc32');
}

export function crc32Mismatch(ctx: RetryContext, header: string): Crc32Mismatch | undefined {
  const response = ctx.httpResponse;
  const value = response?.headers[header];
  if (response === undefined || value === undefined) return undefined;
  const actual = nodeZlib().crc32(response.body) >>> 0;
  // botocore compares with int(header): a header that is not a number counts as a mismatch
  // (int() would raise there; refusing the body is the safe reading).
  const expected = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return expected === actual ? undefined : { expected, actual };
}

/** Skew errors: the request's signing time was too far from the server's clock. */
export const CLOCK_SKEW_ERROR_CODES: ReadonlySet<string> = new Set([
  'RequestTimeTooSkewed',
  'RequestExpired',
  'RequestInTheFuture',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
]);

/** A skew error after which the client corrected its signing clock (see clock-skew.ts). */
export function isCorrectedClockSkew(ctx: RetryContext): boolean {
  const code = ctx.errorCode();
  return code !== undefined && CLOCK_SKEW_ERROR_CODES.has(code) && ctx.requestContext.clockSkewCorrected === true;
}
