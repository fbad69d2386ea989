/**
 * Chain links whose provider is built when the chain first asks them. Most machines find
 * credentials in the environment or a shared file, so the modules for IMDS, containers,
 * assume role, SSO and credential_process are loaded (a dynamic import in `make`) only when
 * resolution gets that far, and are not compiled at `import('inia')`. The method name is
 * known up front: the chain and error messages read it before any load.
 */
import type { Credentials } from './credentials.js';
import type { CredentialProvider, CredentialsData } from './types.js';

/**
 * Built once, at the first load, then asked at every load: the provider's state (an IMDS
 * fetcher and its connections, say) lives as long as the chain, as if built with it.
 */
export class DeferredProvider implements CredentialProvider {
  #provider: Promise<CredentialProvider> | undefined;

  constructor(
    readonly method: string,
    private readonly make: () => Promise<CredentialProvider>,
  ) {}

  async load(): Promise<CredentialsData | Credentials | null> {
    // Loads that overlap before the first build finishes share that build.
    this.#provider ??= this.make().catch((err: unknown) => {
      // A failed build (a module that would not load) is tried again at the next load.
      this.#provider = undefined;
      throw err;
    });
    return (await this.#provider).load();
  }
}

/**
 * Built afresh at every load (null: nothing to ask), for providers that read the profile at
 * construction and so must see it as it is now.
 */
export class PerLoadProvider implements CredentialProvider {
  constructor(
    readonly method: string,
    private readonly make: () => Promise<CredentialProvider | null>,
  ) {}

  async load(): Promise<CredentialsData | Credentials | null> {
    const provider = await this.make();
    return provider === null ? null : provider.load();
  }
}
