/**
 * CUBIC congestion control applied to a send rate (botocore's retries/throttling.py): after
 * a throttle the rate drops to beta times what it was, then grows back along a cubic curve
 * that flattens near the rate that was throttled, and probes beyond it afterwards.
 */
export class CubicCalculator {
  static readonly SCALE_CONSTANT = 0.4;
  static readonly BETA = 0.7;
  #wMax: number;
  #k: number;
  #lastFail: number;

  constructor(startingMaxRate: number, startTime: number) {
    this.#wMax = startingMaxRate;
    this.#k = this.#zeroPoint();
    this.#lastFail = startTime;
  }

  #zeroPoint(): number {
    return ((this.#wMax * (1 - CubicCalculator.BETA)) / CubicCalculator.SCALE_CONSTANT) ** (1 / 3);
  }

  /** The rate the curve allows at `timestamp` (seconds). */
  successReceived(timestamp: number): number {
    const dt = timestamp - this.#lastFail;
    return CubicCalculator.SCALE_CONSTANT * (dt - this.#k) ** 3 + this.#wMax;
  }

  /** A throttle at `currentRate`: remember it as the new ceiling and back off to beta of it. */
  errorReceived(currentRate: number, timestamp: number): number {
    this.#wMax = currentRate;
    this.#k = this.#zeroPoint();
    this.#lastFail = timestamp;
    return currentRate * CubicCalculator.BETA;
  }

  get params(): { wMax: number; k: number; lastFail: number } {
    return { wMax: this.#wMax, k: this.#k, lastFail: this.#lastFail };
  }
}
