import type { Credentials } from './credentials.js';

/** What a signer needs. Providers return these; the chain picks the first that answers. */
export interface CredentialsData {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** When temporary credentials stop working; undefined for long-lived keys. */
  expiration?: Date | undefined;
  /** The AWS account the credentials belong to, when the source says (botocore's account_id). */
  accountId?: string | undefined;
}

/** One link of the credential chain (env, shared files, IMDS, ...). */
export interface CredentialProvider {
  /** botocore's METHOD name: 'explicit', 'env', 'shared-credentials-file', ... */
  readonly method: string;
  /**
   * Resolves to credentials, or null when this provider has none to offer. Temporary
   * credentials that can be fetched again come back as a RefreshableCredentials.
   */
  load(): Promise<CredentialsData | Credentials | null>;
}

/** One section of the shared config file (nested values are sub-sections such as `s3 = ...`). */
export type ProfileData = Record<string, string | Record<string, string>>;
