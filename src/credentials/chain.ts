/**
 * The credential chain: providers asked in order, the first that answers wins (botocore's
 * CredentialResolver). The full set of providers (shared files, SSO, IMDS...) slots in here.
 */
import { NoCredentialsError } from '../errors.js';
import { Credentials } from './credentials.js';
import { EnvCredentialProvider } from './env.js';
import type { CredentialProvider } from './types.js';

export class CredentialChain {
  constructor(readonly providers: readonly CredentialProvider[]) {}

  /** The first provider's credentials, or null when none has any. */
  async resolve(): Promise<Credentials | null> {
    for (const provider of this.providers) {
      const data = await provider.load();
      if (data) return new Credentials(data, provider.method);
    }
    return null;
  }
}

export interface ChainOptions {
  env?: NodeJS.ProcessEnv;
}

/** botocore's default order, as far as inia implements it today. */
export function defaultCredentialChain(options: ChainOptions = {}): CredentialChain {
  return new CredentialChain([new EnvCredentialProvider(options.env ?? process.env)]);
}

/** How long before expiry temporary credentials are fetched again (botocore's advisory window). */
const REFRESH_WINDOW_MS = 15 * 60 * 1000;

/**
 * What a client holds: resolves once, lazily (so a client can be created without
 * credentials and fail only at its first call), and again when temporary ones near expiry.
 */
export class CredentialCache {
  private current: Credentials | null = null;
  private pending: Promise<Credentials> | null = null;

  constructor(private readonly chain: CredentialChain) {}

  get(): Promise<Credentials> {
    const current = this.current;
    if (current && !needsRefresh(current)) return Promise.resolve(current);
    if (!this.pending) {
      this.pending = this.chain.resolve().then(
        (creds) => {
          this.pending = null;
          if (!creds) throw new NoCredentialsError();
          this.current = creds;
          return creds;
        },
        (err: unknown) => {
          this.pending = null;
          throw err;
        },
      );
    }
    return this.pending;
  }
}

function needsRefresh(creds: Credentials): boolean {
  return creds.expiration !== undefined && creds.expiration.getTime() - Date.now() < REFRESH_WINDOW_MS;
}
