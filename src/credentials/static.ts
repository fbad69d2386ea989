/** Credentials given in code (the `credentials` client or Session option). */
import { PartialCredentialsError } from '../errors.js';
import type { CredentialProvider, CredentialsData } from './types.js';

export class StaticCredentialProvider implements CredentialProvider {
  readonly method = 'explicit';
  private readonly data: CredentialsData;

  constructor(data: Partial<CredentialsData>) {
    // botocore: both keys or an error naming the missing one; never half a pair.
    if (!data.accessKeyId) throw new PartialCredentialsError('explicit', 'accessKeyId');
    if (!data.secretAccessKey) throw new PartialCredentialsError('explicit', 'secretAccessKey');
    this.data = { accessKeyId: data.accessKeyId, secretAccessKey: data.secretAccessKey, sessionToken: data.sessionToken || undefined, expiration: data.expiration };
  }

  async load(): Promise<CredentialsData> {
    return this.data;
  }
}
