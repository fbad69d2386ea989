/**
 * Temporary credentials that fetch themselves again before they expire, as botocore's
 * RefreshableCredentials: within the advisory window (15 minutes before expiry) one caller
 * refreshes while the others keep signing with the still-valid credentials, and a failed
 * refresh is only logged; within the mandatory window (10 minutes) every caller waits for the
 * refresh and a failure is raised. However many requests ask at once, one refresh runs.
 */
import { IniaError } from '../errors.js';
import { Credentials } from './credentials.js';
import type { CredentialsData } from './types.js';

/** Fetches a new set; `expiration` is required (that is what makes credentials refreshable). */
export type RefreshFunction = () => Promise<CredentialsData & { expiration: Date }>;

export interface RefreshOptions {
  /** Default 15 minutes (botocore's _advisory_refresh_timeout). */
  advisoryMs?: number;
  /** Default 10 minutes (botocore's _mandatory_refresh_timeout). */
  mandatoryMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** Where an advisory-window failure is reported (never with secrets). Default: nowhere. */
  onAdvisoryFailure?: (error: unknown) => void;
}

export const ADVISORY_REFRESH_MS = 15 * 60 * 1000;
export const MANDATORY_REFRESH_MS = 10 * 60 * 1000;

export class RefreshableCredentials extends Credentials {
  readonly #refresh: RefreshFunction;
  readonly #advisoryMs: number;
  readonly #mandatoryMs: number;
  readonly #now: () => number;
  readonly #onAdvisoryFailure: ((error: unknown) => void) | undefined;
  #pending: Promise<void> | undefined;

  constructor(initial: CredentialsData & { expiration: Date }, refresh: RefreshFunction, method: string, options: RefreshOptions = {}) {
    super(initial, method);
    this.#refresh = refresh;
    this.#advisoryMs = options.advisoryMs ?? ADVISORY_REFRESH_MS;
    this.#mandatoryMs = options.mandatoryMs ?? MANDATORY_REFRESH_MS;
    this.#now = options.now ?? Date.now;
    this.#onAdvisoryFailure = options.onAdvisoryFailure;
  }

  /** Fetches the first set, then refreshes with the same function. */
  static async create(refresh: RefreshFunction, method: string, options: RefreshOptions = {}): Promise<RefreshableCredentials> {
    return new RefreshableCredentials(await refresh(), refresh, method, options);
  }

  /** Whether fewer than `withinMs` milliseconds remain (default: the advisory window). */
  refreshNeeded(withinMs: number = this.#advisoryMs): boolean {
    const expiration = this.expiration;
    if (expiration === undefined) return false;
    return expiration.getTime() - this.#now() < withinMs;
  }

  override async getFrozenCredentials(): Promise<Credentials> {
    if (this.refreshNeeded(this.#advisoryMs)) {
      if (this.refreshNeeded(this.#mandatoryMs)) {
        await this.#startRefresh();
        // A refresh begun in the advisory window may have failed quietly: now it must succeed.
        if (this.refreshNeeded(this.#mandatoryMs)) await this.#startRefresh();
      } else {
        // Advisory: whoever asks keeps signing with the current set; the refresh runs aside.
        this.#startRefresh().catch(() => {});
      }
    }
    return new Credentials({ accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey, sessionToken: this.sessionToken, expiration: this.expiration, accountId: this.accountId }, this.method);
  }

  #startRefresh(): Promise<void> {
    this.#pending ??= this.#runRefresh().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #runRefresh(): Promise<void> {
    const mandatory = this.refreshNeeded(this.#mandatoryMs);
    let fresh: CredentialsData & { expiration: Date };
    try {
      fresh = await this.#refresh();
    } catch (err) {
      if (mandatory) throw err;
      this.#onAdvisoryFailure?.(err);
      return;
    }
    this.replace(fresh);
    if (this.refreshNeeded(this.#mandatoryMs)) {
      throw new IniaError('Credentials were refreshed, but the refreshed credentials are still expired.');
    }
  }
}
