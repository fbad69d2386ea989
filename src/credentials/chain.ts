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
      if (data) return data instanceof Credentials ? data : new Credentials(data, provider.method);
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

/**
 * What a client holds: resolves once, lazily (so a client can be created without
 * credentials and fail only at its first call), and again when temporary ones near expiry.
 */
export class CredentialCache {
  private current: Credentials | null = null;
  private pending: Promise<Credentials> | null = null;

  constructor(private readonly chain: CredentialChain) {}

  /** The credentials for one request: the chain runs once (one run however many ask), then they refresh themselves. */
  get(): Promise<Credentials> {
    const current = this.current;
    if (current) return current.getFrozenCredentials();
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
    return this.pending.then((creds) => creds.getFrozenCredentials());
  }
}
