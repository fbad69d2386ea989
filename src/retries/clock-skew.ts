/**
 * Signing-clock correction. A request signed by a machine whose clock is off by more than
 * five minutes is refused (RequestTimeTooSkewed, InvalidSignatureException, ...). botocore
 * never corrects this (users must fix the host's clock); inia does what the AWS SDKs for
 * JavaScript, Java and Go do: when a skew error arrives with a Date header more than five
 * minutes from the client's (corrected) clock, it signs from then on with the server's time
 * and the retry mode may send the request once more (classify.ts isCorrectedClockSkew).
 * With a correct local clock nothing changes, so retries stay exactly botocore's.
 */
import { CLOCK_SKEW_ERROR_CODES } from './classify.js';

/** How far apart the clocks must be before the server's is believed (the SDKs' threshold). */
const SKEW_THRESHOLD_MS = 5 * 60 * 1000;

export class SigningClock {
  /** Milliseconds to add to the local clock. */
  offsetMs = 0;

  /** The time to sign with. */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /**
   * Looks at an answer; when it is a skew error whose Date header is far from our clock,
   * adopts the server's clock and returns true.
   */
  correctFrom(errorCode: string | undefined, headers: Record<string, string> | undefined): boolean {
    if (errorCode === undefined || !CLOCK_SKEW_ERROR_CODES.has(errorCode)) return false;
    const date = headers?.date;
    if (date === undefined) return false;
    const server = Date.parse(date);
    if (!Number.isFinite(server)) return false;
    const local = Date.now();
    if (Math.abs(server - (local + this.offsetMs)) < SKEW_THRESHOLD_MS) return false;
    this.offsetMs = server - local;
    return true;
  }
}
