/**
 * Static keys from the shared files, as botocore's SharedCredentialProvider (the credentials
 * file) and ConfigProvider (the config file): `aws_access_key_id`, `aws_secret_access_key`,
 * `aws_session_token` (or the older `aws_security_token`) and `aws_account_id` of one profile.
 */
import type { ConfigSection } from '../config-files.js';
import { PartialCredentialsError } from '../errors.js';
import type { CredentialProvider, CredentialsData } from './types.js';

function text(section: ConfigSection, key: string): string | undefined {
  const v = section[key];
  return typeof v === 'string' ? v : undefined;
}

/** The static keys of a profile section, or null when it has no access key id. */
export function staticCredentialsOf(section: ConfigSection | undefined, method: string): CredentialsData | null {
  if (section === undefined) return null;
  const accessKeyId = text(section, 'aws_access_key_id');
  if (accessKeyId === undefined) return null;
  const secretAccessKey = text(section, 'aws_secret_access_key');
  // botocore: an access key id without its secret is an error, never half a pair.
  if (secretAccessKey === undefined) throw new PartialCredentialsError(method, 'aws_secret_access_key');
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: text(section, 'aws_session_token') ?? text(section, 'aws_security_token'),
    accountId: text(section, 'aws_account_id'),
  };
}

/** The credentials file's section for the profile. */
export class SharedCredentialsProvider implements CredentialProvider {
  readonly method = 'shared-credentials-file';

  constructor(private readonly profileName: string, private readonly credentialsFile: () => Record<string, ConfigSection>) {}

  async load(): Promise<CredentialsData | null> {
    return staticCredentialsOf(this.credentialsFile()[this.profileName], this.method);
  }
}

/** The config file's profile (`[profile x]` / `[default]`). */
export class ConfigFileProvider implements CredentialProvider {
  readonly method = 'config-file';

  constructor(private readonly profileName: string, private readonly configProfiles: () => Record<string, ConfigSection>) {}

  async load(): Promise<CredentialsData | null> {
    return staticCredentialsOf(this.configProfiles()[this.profileName], this.method);
  }
}
