/** A resolved set of credentials. The secret never shows in logs, JSON or util.inspect. */
import { inspect } from 'node:util';
import type { CredentialsData } from './types.js';

export class Credentials implements CredentialsData {
  /** Which provider found them (botocore's `method`): 'explicit', 'env', 'assume-role', ... */
  readonly method: string;
  // Private fields are invisible to JSON.stringify, Object.keys and console.log.
  #accessKeyId: string;
  #secretAccessKey: string;
  #sessionToken: string | undefined;
  #expiration: Date | undefined;
  #accountId: string | undefined;

  constructor(data: CredentialsData, method: string) {
    this.method = method;
    this.#accessKeyId = data.accessKeyId;
    this.#secretAccessKey = data.secretAccessKey;
    this.#sessionToken = data.sessionToken || undefined;
    this.#expiration = data.expiration;
    this.#accountId = data.accountId || undefined;
  }

  get accessKeyId(): string {
    return this.#accessKeyId;
  }

  get secretAccessKey(): string {
    return this.#secretAccessKey;
  }

  get sessionToken(): string | undefined {
    return this.#sessionToken;
  }

  /** When temporary credentials stop working; undefined for long-lived keys. */
  get expiration(): Date | undefined {
    return this.#expiration;
  }

  get accountId(): string | undefined {
    return this.#accountId;
  }

  /**
   * The credentials to sign one request with (botocore's get_frozen_credentials): these,
   * fixed; a RefreshableCredentials refreshes first when they are about to expire.
   */
  getFrozenCredentials(): Promise<Credentials> {
    return Promise.resolve(this);
  }

  /** For subclasses that refresh: replaces the values in place. */
  protected replace(data: CredentialsData): void {
    this.#accessKeyId = data.accessKeyId;
    this.#secretAccessKey = data.secretAccessKey;
    this.#sessionToken = data.sessionToken || undefined;
    this.#expiration = data.expiration;
    this.#accountId = data.accountId || undefined;
  }

  toJSON(): Record<string, unknown> {
    return {
      accessKeyId: this.accessKeyId,
      method: this.method,
      expiration: this.expiration,
      secretAccessKey: '***',
      ...(this.sessionToken ? { sessionToken: '***' } : {}),
    };
  }

  toString(): string {
    return this[inspect.custom]();
  }

  [inspect.custom](): string {
    return `Credentials { accessKeyId: '${this.accessKeyId}', secretAccessKey: '***'${this.sessionToken ? ", sessionToken: '***'" : ''}, method: '${this.method}' }`;
  }
}
