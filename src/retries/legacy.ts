/**
 * Legacy retry mode, botocore's default: the policies of `_retry.json` (bundled in models/),
 * the service's section merged over `__default__` (botocore's translate.build_retry_config),
 * checked in order (botocore's retryhandler.py):
 *  - a response policy matches on HTTP status, optionally with a service error code;
 *  - a `crc32body` policy raises ChecksumError when the body does not match its header;
 *  - a `socket_errors` policy re-raises the attempt's exception.
 * Before the last attempt a raised ChecksumError or connection-family error means "retry";
 * at the last attempt it propagates to the caller. The delay is base * growth ** (attempt - 1)
 * seconds, base 'rand' meaning rand(0, 1): no cap, exactly as botocore.
 */
import { ChecksumError, ConnectionClosedError, ConnectionError, ReadTimeoutError } from '../errors.js';
import { crc32Mismatch, isCorrectedClockSkew } from './classify.js';
import { RetryContext, type NeedsRetryArgs } from './context.js';

interface AppliesWhen {
  response?: { http_status_code?: number; service_error_code?: string; crc32body?: string };
  socket_errors?: string[];
}

interface PolicyConfig {
  applies_when: AppliesWhen;
}

interface SectionConfig {
  max_attempts?: number;
  delay?: { type: string; base: number | 'rand'; growth_factor: number };
  policies?: Record<string, PolicyConfig | { $ref: string }>;
}

/** The shape of models/_retry.json. */
export interface RetryModelData {
  definitions?: Record<string, PolicyConfig>;
  retry?: Record<string, Record<string, SectionConfig>>;
}

export interface LegacyRetryConfig {
  maxAttempts: number;
  base: number | 'rand';
  growthFactor: number;
  policies: Array<[name: string, policy: PolicyConfig]>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** {"$ref": name} becomes a copy of the definition (botocore shares it, and later mutates it). */
function resolveRefs(value: unknown, definitions: Record<string, PolicyConfig>): unknown {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$ref') return structuredClone(definitions[value.$ref as string]);
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolveRefs(v, definitions);
  return out;
}

/** botocore's merge_dicts: nested objects merge key by key, anything else is replaced. */
function mergeInto(target: Json, source: Json): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isObject(existing) && isObject(value)) mergeInto(existing, value);
    else target[key] = structuredClone(value);
  }
}

/**
 * The effective legacy configuration of a service (by endpoint prefix). `totalMaxAttempts`,
 * when the client configures one, replaces the file's max_attempts.
 */
export function buildLegacyRetryConfig(endpointPrefix: string, data: RetryModelData, totalMaxAttempts?: number): LegacyRetryConfig {
  const definitions = data.definitions ?? {};
  const retry = data.retry ?? {};
  const merged = { __default__: resolveRefs(retry.__default__ ?? {}, definitions) } as Json;
  const service = retry[endpointPrefix];
  if (service !== undefined) mergeInto(merged, resolveRefs(service, definitions) as Json);
  const section = merged.__default__ as SectionConfig;
  const policies = Object.entries(section.policies ?? {}) as Array<[string, PolicyConfig]>;
  const delay = section.delay ?? { type: 'exponential', base: 'rand', growth_factor: 2 };
  return {
    maxAttempts: totalMaxAttempts ?? section.max_attempts ?? 5,
    base: delay.base,
    growthFactor: delay.growth_factor,
    policies,
  };
}

/** botocore's EXCEPTION_MAP['GENERAL_CONNECTION_ERROR']. */
function isGeneralConnectionError(err: unknown): boolean {
  return err instanceof ConnectionError || err instanceof ConnectionClosedError || err instanceof ReadTimeoutError;
}

export class LegacyRetryHandler {
  readonly config: LegacyRetryConfig;
  readonly #retriesOnCrc32: boolean;
  readonly #retriesOnSocketErrors: boolean;

  constructor(config: LegacyRetryConfig) {
    this.config = config;
    this.#retriesOnCrc32 = config.policies.some(([, p]) => p.applies_when.response?.crc32body !== undefined);
    this.#retriesOnSocketErrors = config.policies.some(([, p]) => (p.applies_when.socket_errors ?? []).includes('GENERAL_CONNECTION_ERROR'));
  }

  /** The needs-retry handler: a delay in seconds, or null. May throw (see the module comment). */
  needsRetry(args: NeedsRetryArgs): number | null {
    const ctx = new RetryContext(args);
    const max = this.config.maxAttempts;
    ctx.noteMaxAttempts(max);
    let should: boolean;
    if (ctx.attemptNumber < max) {
      try {
        should = this.#anyPolicy(ctx);
      } catch (err) {
        if (!this.#isRetryableException(err)) throw err;
        should = true;
      }
    } else {
      should = this.#anyPolicy(ctx);
    }
    // inia's clock correction (see clock-skew.ts): a skew error it corrected is worth one more try.
    should ||= isCorrectedClockSkew(ctx);
    if (!should) return null;
    if (ctx.attemptNumber >= max) {
      const meta = (ctx.parsed as { ResponseMetadata?: Record<string, unknown> } | undefined)?.ResponseMetadata;
      if (meta !== undefined) meta.MaxAttemptsReached = true;
      return null;
    }
    const base = this.config.base === 'rand' ? Math.random() : this.config.base;
    return base * this.config.growthFactor ** (ctx.attemptNumber - 1);
  }

  #isRetryableException(err: unknown): boolean {
    return (this.#retriesOnCrc32 && err instanceof ChecksumError) || (this.#retriesOnSocketErrors && isGeneralConnectionError(err));
  }

  /** botocore's MultiChecker: the first policy that matches decides. */
  #anyPolicy(ctx: RetryContext): boolean {
    for (const [, policy] of this.config.policies) if (this.#matches(policy.applies_when, ctx)) return true;
    return false;
  }

  #matches(when: AppliesWhen, ctx: RetryContext): boolean {
    const http = ctx.httpResponse;
    if (when.response !== undefined) {
      if (http === undefined) return false;
      const rule = when.response;
      if (rule.service_error_code !== undefined) return http.statusCode === rule.http_status_code && ctx.errorCode() === rule.service_error_code;
      if (rule.http_status_code !== undefined) return http.statusCode === rule.http_status_code;
      if (rule.crc32body !== undefined) {
        const mismatch = crc32Mismatch(ctx, rule.crc32body.toLowerCase());
        if (mismatch !== undefined) throw new ChecksumError('crc32', mismatch.expected, mismatch.actual);
      }
      return false;
    }
    if (when.socket_errors !== undefined && http === undefined && ctx.caughtException !== undefined) {
      // botocore's ExceptionRaiser: the exception itself is the answer.
      throw ctx.caughtException;
    }
    return false;
  }
}
