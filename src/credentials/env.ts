/**
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (AWS_SECURITY_TOKEN), read as
 * botocore's EnvProvider does. With AWS_CREDENTIAL_EXPIRATION the credentials are
 * refreshable: a refresh reads the variables again (a process manager may rotate them).
 */
import { PartialCredentialsError } from '../errors.js';
import { RefreshableCredentials } from './refreshable.js';
import type { CredentialProvider, CredentialsData } from './types.js';

export class EnvCredentialProvider implements CredentialProvider {
  readonly method = 'env';

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async load(): Promise<CredentialsData | RefreshableCredentials | null> {
    // Only a set AWS_ACCESS_KEY_ID makes this provider answer; then the rest must be there.
    if (this.env.AWS_ACCESS_KEY_ID === undefined) return null;
    const data = this.#read();
    if (data.expiration === undefined) return data;
    const refresh = async (): Promise<CredentialsData & { expiration: Date }> => {
      const again = this.#read();
      if (again.expiration === undefined) throw new PartialCredentialsError(this.method, 'AWS_CREDENTIAL_EXPIRATION');
      return { ...again, expiration: again.expiration };
    };
    return new RefreshableCredentials({ ...data, expiration: data.expiration }, refresh, this.method);
  }

  #read(): CredentialsData {
    const env = this.env;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    if (!accessKeyId) throw new PartialCredentialsError(this.method, 'AWS_ACCESS_KEY_ID');
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!secretAccessKey) throw new PartialCredentialsError(this.method, 'AWS_SECRET_ACCESS_KEY');
    const sessionToken = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN || undefined;
    const expiry = env.AWS_CREDENTIAL_EXPIRATION;
    const expiration = expiry ? new Date(expiry) : undefined;
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      expiration: expiration && !Number.isNaN(expiration.getTime()) ? expiration : undefined,
      accountId: env.AWS_ACCOUNT_ID || undefined,
    };
  }
}
