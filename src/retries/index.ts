/**
 * Retries: registers the client's retry mode on its event emitter, the way botocore's
 * ClientCreator._register_retries does, so that the client's send loop only ever asks
 * `needs-retry` and sleeps for the answer.
 *  - legacy:   `_retry.json` policies (legacy.ts) on needs-retry.<service>
 *  - standard: standard.ts on needs-retry.<service>, its quota refilled on after-call.<service>
 *  - adaptive: standard, plus the rate limiter (adaptive.ts) on before-send and needs-retry
 * Each client gets its own handler state (quota, rate limiter), as in botocore.
 */
import type { Config } from '../config.js';
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { ServiceModel } from '../models/shapes.js';
import type { RawResponse } from '../protocols/types.js';
import { ClientRateLimiter } from './adaptive.js';
import type { NeedsRetryArgs } from './context.js';
import { LegacyRetryHandler, buildLegacyRetryConfig, type RetryModelData } from './legacy.js';
import { StandardRetryHandler } from './standard.js';

export { SigningClock } from './clock-skew.js';
export type { NeedsRetryArgs } from './context.js';
export { LegacyRetryHandler, StandardRetryHandler, ClientRateLimiter };

export interface RegisteredRetries {
  mode: 'legacy' | 'standard' | 'adaptive';
  /** Attempts per call at most, the first included. */
  maxAttempts: number;
  legacy?: LegacyRetryHandler;
  standard?: StandardRetryHandler;
  limiter?: ClientRateLimiter;
}

/**
 * The total attempts the user configured, if any: totalMaxAttempts wins over maxAttempts
 * (retries after the first), as botocore's _compute_retry_max_attempts.
 */
function configuredTotalAttempts(config: Config): number | undefined {
  const retries = config.get('retries');
  if (retries?.totalMaxAttempts !== undefined) return retries.totalMaxAttempts;
  if (retries?.maxAttempts !== undefined) return retries.maxAttempts + 1;
  return undefined;
}

export function registerRetries(
  events: HierarchicalEmitter,
  model: ServiceModel,
  config: Config,
  retryData: () => RetryModelData,
): RegisteredRetries {
  const mode = config.get('retries')?.mode ?? 'legacy';
  const service = model.hyphenizedServiceId;
  const uniqueId = `retry-config-${service}`;
  const total = configuredTotalAttempts(config);
  if (mode === 'legacy') {
    const handler = new LegacyRetryHandler(buildLegacyRetryConfig(model.endpointPrefix, retryData(), total));
    events.register(`needs-retry.${service}`, (args: EventArgs) => handler.needsRetry(args as unknown as NeedsRetryArgs), uniqueId);
    return { mode, maxAttempts: handler.config.maxAttempts, legacy: handler };
  }
  const standard = new StandardRetryHandler(total !== undefined ? { maxAttempts: total } : {});
  events.register(`after-call.${service}`, (args: EventArgs) => {
    standard.releaseQuota(args as unknown as { httpResponse?: RawResponse; context: Record<string, unknown> });
  });
  events.register(`needs-retry.${service}`, (args: EventArgs) => standard.needsRetry(args as unknown as NeedsRetryArgs), uniqueId);
  if (mode !== 'adaptive') return { mode, maxAttempts: standard.maxAttempts, standard };
  const limiter = new ClientRateLimiter();
  events.register('before-send', (args: EventArgs) => limiter.onSendingRequest(args.signal as AbortSignal | undefined));
  events.register('needs-retry', (args: EventArgs) => {
    limiter.onReceivingResponse(args as unknown as NeedsRetryArgs);
  });
  return { mode, maxAttempts: standard.maxAttempts, standard, limiter };
}
