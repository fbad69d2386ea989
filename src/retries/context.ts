/**
 * What a retry decision looks at: the arguments the client emits with `needs-retry` after
 * every attempt, and a read-only view over them (botocore's RetryContext), so that the
 * checkers of every mode ask the same questions the same way.
 */
import type { OperationModel } from '../models/shapes.js';
import type { Params, Parsed, RawResponse } from '../protocols/types.js';

/** The arguments of `needs-retry.<service>.<Operation>` (botocore's needs-retry kwargs, camelCased). */
export interface NeedsRetryArgs {
  /** The parsed answer (an error answer carries `Error`); undefined when the attempt threw. */
  response: Parsed | undefined;
  /** The HTTP answer; undefined when the attempt threw before one arrived. */
  httpResponse: RawResponse | undefined;
  /** What the attempt threw (a connection or timeout error), else undefined. */
  caughtException: unknown;
  operation: OperationModel;
  /** 1-based number of the attempt just made. */
  attempts: number;
  /** The call's request context; retry state (quota capacity) lives here across attempts. */
  context: Record<string, unknown>;
  params: Params;
}

export class RetryContext {
  readonly attemptNumber: number;
  readonly operation: OperationModel;
  readonly parsed: Parsed | undefined;
  readonly httpResponse: RawResponse | undefined;
  readonly caughtException: unknown;
  readonly requestContext: Record<string, unknown>;
  readonly #metadata: Record<string, unknown> = {};

  constructor(args: NeedsRetryArgs) {
    this.attemptNumber = args.attempts;
    this.operation = args.operation;
    this.parsed = args.response;
    this.httpResponse = args.httpResponse;
    this.caughtException = args.caughtException;
    this.requestContext = args.context;
  }

  /** The service's error code, when the answer was a parsed error. */
  errorCode(): string | undefined {
    const error = (this.parsed as { Error?: unknown } | undefined)?.Error;
    if (typeof error !== 'object' || error === null) return undefined;
    const code = (error as { Code?: unknown }).Code;
    return typeof code === 'string' ? code : undefined;
  }

  /** Facts a checker records for the caller (MaxAttemptsReached, RetryQuotaReached). */
  addRetryMetadata(values: Record<string, unknown>): void {
    Object.assign(this.#metadata, values);
  }

  /** Notes the attempt limit for the amz-sdk-request header (botocore's retries_context['max']). */
  noteMaxAttempts(max: number): void {
    const retries = this.requestContext.retries as { max?: number } | undefined;
    if (retries !== undefined) retries.max = Math.max(retries.max ?? 0, max);
  }

  /** Copies the recorded facts into the parsed answer's ResponseMetadata, as botocore does. */
  adaptResponse(): void {
    if (this.parsed === undefined || Object.keys(this.#metadata).length === 0) return;
    const parsed = this.parsed as { ResponseMetadata?: Record<string, unknown> };
    parsed.ResponseMetadata ??= {};
    Object.assign(parsed.ResponseMetadata, this.#metadata);
  }
}
