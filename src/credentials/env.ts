/** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, read as botocore's EnvProvider does. */
import { PartialCredentialsError } from '../errors.js';
import type { CredentialProvider, CredentialsData } from './types.js';

export class EnvCredentialProvider implements CredentialProvider {
  readonly method = 'env';

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async load(): Promise<CredentialsData | null> {
    const env = this.env;
    // Only a set AWS_ACCESS_KEY_ID makes this provider answer; then the rest must be there.
    if (env.AWS_ACCESS_KEY_ID === undefined) return null;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    if (!accessKeyId) throw new PartialCredentialsError('env', 'AWS_ACCESS_KEY_ID');
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!secretAccessKey) throw new PartialCredentialsError('env', 'AWS_SECRET_ACCESS_KEY');
    const sessionToken = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN || undefined;
    const expiry = env.AWS_CREDENTIAL_EXPIRATION;
    const expiration = expiry ? new Date(expiry) : undefined;
    return { accessKeyId, secretAccessKey, sessionToken, expiration: expiration && !Number.isNaN(expiration.getTime()) ? expiration : undefined };
  }
}
