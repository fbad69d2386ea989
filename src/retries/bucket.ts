/**
 * The adaptive mode's client-side token bucket (botocore's retries/bucket.py): sends take a
 * token; tokens refill at `maxRate` per second up to a capacity of max(1, maxRate). Where
 * botocore blocks a thread on a condition variable, callers here await their turn in a FIFO
 * queue, so waiting callers are served in order and a cancelled one leaves the queue.
 */
import { timersPromises } from '../builtins.js';

export interface RetryClock {
  /** Seconds, monotonic. */
  now(): number;
  sleep(seconds: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: RetryClock = {
  now: () => performance.now() / 1000,
  sleep: (seconds, signal) => timersPromises().setTimeout(Math.max(0, seconds * 1000), undefined, signal ? { signal } : undefined),
};

/** The longest single wait before the bucket is looked at again (rates change while waiting). */
const MAX_WAIT_SLICE = 1;

export class TokenBucket {
  static readonly MIN_RATE = 0.5;
  readonly #clock: RetryClock;
  readonly #minRate: number;
  #fillRate = 0;
  #maxCapacity = 1;
  #capacity = 0;
  #lastTimestamp: number | undefined;
  /** The tail of the queue of waiting acquirers. */
  #queue: Promise<void> = Promise.resolve();

  constructor(maxRate: number, clock: RetryClock = systemClock, minRate = TokenBucket.MIN_RATE) {
    this.#clock = clock;
    this.#minRate = minRate;
    this.maxRate = maxRate;
  }

  get maxRate(): number {
    return this.#fillRate;
  }

  set maxRate(value: number) {
    this.#refill();
    this.#fillRate = Math.max(value, this.#minRate);
    this.#maxCapacity = value >= 1 ? value : 1;
    this.#capacity = Math.min(this.#capacity, this.#maxCapacity);
  }

  get maxCapacity(): number {
    return this.#maxCapacity;
  }

  get availableCapacity(): number {
    return this.#capacity;
  }

  /** Takes `amount` tokens, waiting (in turn) until they have refilled. */
  acquire(amount = 1, signal?: AbortSignal): Promise<void> {
    // Fast path: nobody waiting and tokens available.
    this.#refill();
    const idle = this.#waiting === 0;
    if (idle && amount <= this.#capacity) {
      this.#capacity -= amount;
      return Promise.resolve();
    }
    this.#waiting++;
    const turn = this.#queue.then(() => this.#take(amount, signal));
    // The next in line waits for this one to finish, however it finishes.
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn.finally(() => {
      this.#waiting--;
    });
  }

  #waiting = 0;

  async #take(amount: number, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    // Bounded: each slice is at most MAX_WAIT_SLICE seconds and the bucket refills at at least
    // MIN_RATE tokens per second, so a token is at most 1 / MIN_RATE seconds away.
    for (let i = 0; i < 10_000; i++) {
      this.#refill();
      if (amount <= this.#capacity) {
        this.#capacity -= amount;
        return;
      }
      const wait = (amount - this.#capacity) / this.#fillRate;
      await this.#clock.sleep(Math.min(wait, MAX_WAIT_SLICE), signal);
    }
    // Unreachable in practice; take the token rather than spin forever.
    this.#capacity -= amount;
  }

  #refill(): void {
    const now = this.#clock.now();
    if (this.#lastTimestamp === undefined) {
      this.#lastTimestamp = now;
      return;
    }
    const fill = (now - this.#lastTimestamp) * this.#fillRate;
    this.#capacity = Math.min(this.#maxCapacity, this.#capacity + fill);
    this.#lastTimestamp = now;
  }
}
