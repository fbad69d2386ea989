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

/** Codes that name the clock themselves; the others below also mean "bad signature". */
const TIME_CODES: ReadonlySet<string> = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture']);
/** How services word a signature refused for its time (DynamoDB's InvalidSignatureException, ...). */
const TIME_MESSAGE = /signature (?:expired|not yet current)/i;

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
   * Looks at an answer; when it is a skew error (a time code, or a signature error whose message
   * says the signature expired or is not yet current) whose Date header is far from our clock,
   * adopts the server's clock and returns true.
   */
  correctFrom(errorCode: string | undefined, message: string | undefined, headers: Record<string, string> | undefined): boolean {
    if (errorCode === undefined || !CLOCK_SKEW_ERROR_CODES.has(errorCode)) return false;
    // A bad signature is a skew only when the service says so: a wrong secret key must not move the clock.
    if (!TIME_CODES.has(errorCode) && !TIME_MESSAGE.test(message ?? '')) return false;
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
