/**
 * Adaptive retry mode (botocore's retries/adaptive.py): standard mode's retries plus a
 * client-side rate limiter. It stays off until the first throttle; from then on every send
 * waits for a token, and the token rate follows CUBIC: cut to 0.7x the measured send rate at
 * each throttle, grown back along the cubic curve on successes, never above twice the
 * measured rate.
 */
import { TokenBucket, systemClock, type RetryClock } from './bucket.js';
import { isThrottling } from './classify.js';
import { RetryContext, type NeedsRetryArgs } from './context.js';
import { CubicCalculator } from './cubic.js';

/** Measures the client's send rate, smoothed over half-second buckets (botocore's RateClocker). */
export class RateClocker {
  static readonly SMOOTHING = 0.8;
  static readonly TIME_BUCKET_RANGE = 0.5;
  readonly #clock: RetryClock;
  #measuredRate = 0;
  #lastBucket: number;
  #count = 0;

  constructor(clock: RetryClock) {
    this.#clock = clock;
    this.#lastBucket = Math.floor(clock.now());
  }

  get measuredRate(): number {
    return this.#measuredRate;
  }

  record(amount = 1): number {
    const scale = 1 / RateClocker.TIME_BUCKET_RANGE;
    const bucket = Math.floor(this.#clock.now() * scale) / scale;
    this.#count += amount;
    if (bucket > this.#lastBucket) {
      const currentRate = this.#count / (bucket - this.#lastBucket);
      this.#measuredRate = currentRate * RateClocker.SMOOTHING + this.#measuredRate * (1 - RateClocker.SMOOTHING);
      this.#count = 0;
      this.#lastBucket = bucket;
    }
    return this.#measuredRate;
  }
}

export class ClientRateLimiter {
  static readonly MAX_RATE_ADJUST_SCALE = 2;
  readonly #clock: RetryClock;
  readonly #cubic: CubicCalculator;
  readonly #clocker: RateClocker;
  readonly bucket: TokenBucket;
  #enabled = false;

  constructor(clock: RetryClock = systemClock) {
    this.#clock = clock;
    this.#cubic = new CubicCalculator(0, clock.now());
    this.bucket = new TokenBucket(1, clock);
    this.#clocker = new RateClocker(clock);
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** before-send: once a throttle has been seen, every send waits for a token. */
  async onSendingRequest(signal?: AbortSignal): Promise<void> {
    if (this.#enabled) await this.bucket.acquire(1, signal);
  }

  /** needs-retry: every answer (or failure) adjusts the rate. Never asks for a retry itself. */
  onReceivingResponse(args: NeedsRetryArgs): void {
    const measured = this.#clocker.record();
    const now = this.#clock.now();
    let rate: number;
    if (!isThrottling(new RetryContext(args))) {
      rate = this.#cubic.successReceived(now);
    } else {
      const current = this.#enabled ? Math.min(measured, this.bucket.maxRate) : measured;
      rate = this.#cubic.errorReceived(current, now);
      this.#enabled = true;
    }
    this.bucket.maxRate = Math.min(rate, ClientRateLimiter.MAX_RATE_ADJUST_SCALE * measured);
  }
}
