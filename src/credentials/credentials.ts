/** A resolved set of credentials. The secret never shows in logs, JSON or util.inspect. */
import { inspect } from 'node:util';
import type { CredentialsData } from './types.js';

export class Credentials implements CredentialsData {
  readonly accessKeyId: string;
  readonly sessionToken: string | undefined;
  readonly expiration: Date | undefined;
  /** Which provider found them (botocore's `method`): 'explicit', 'env', ... */
  readonly method: string;
  // A private field is invisible to JSON.stringify, Object.keys and console.log.
  readonly #secretAccessKey: string;

  constructor(data: CredentialsData, method: string) {
    this.accessKeyId = data.accessKeyId;
    this.#secretAccessKey = data.secretAccessKey;
    this.sessionToken = data.sessionToken;
    this.expiration = data.expiration;
    this.method = method;
  }

  get secretAccessKey(): string {
    return this.#secretAccessKey;
  }

  toJSON(): Record<string, unknown> {
    return { accessKeyId: this.accessKeyId, method: this.method, expiration: this.expiration, secretAccessKey: '***', ...(this.sessionToken ? { sessionToken: '***' } : {}) };
  }

  [inspect.custom](): string {
    return `Credentials { accessKeyId: '${this.accessKeyId}', secretAccessKey: '***'${this.sessionToken ? ", sessionToken: '***'" : ''}, method: '${this.method}' }`;
  }
}
