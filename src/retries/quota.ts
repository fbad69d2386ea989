/**
 * The standard mode's retry quota (botocore's retries/quota.py): a client-wide budget that
 * retries draw on and successes refill, so that a service in trouble gets fewer retries from
 * every caller at once instead of a retry storm.
 */
export class RetryQuota {
  static readonly INITIAL_CAPACITY = 500;
  readonly #max: number;
  #available: number;

  constructor(initialCapacity = RetryQuota.INITIAL_CAPACITY) {
    this.#max = initialCapacity;
    this.#available = initialCapacity;
  }

  get availableCapacity(): number {
    return this.#available;
  }

  /** Takes `amount` when there is that much left; false (taking nothing) otherwise. */
  acquire(amount: number): boolean {
    if (amount > this.#available) return false;
    this.#available -= amount;
    return true;
  }

  /** Gives back up to `amount`, never beyond the initial capacity. */
  release(amount: number): void {
    this.#available += Math.min(this.#max - this.#available, amount);
  }
}
