/**
 * Credentials from STS, as botocore's AssumeRoleProvider and AssumeRoleWithWebIdentityProvider:
 * a profile with `role_arn` and a `source_profile` (followed through chains of profiles, loops
 * refused) or a `credential_source` (Environment, Ec2InstanceMetadata, EcsContainer); or a web
 * identity token file with a role ARN, from the profile or from AWS_WEB_IDENTITY_TOKEN_FILE and
 * AWS_ROLE_ARN. The STS calls go through inia's own STS client, made by the session.
 */
import { readFileSync } from 'node:fs';
import type { ConfigSection } from '../config-files.js';
import { CredentialRetrievalError, IniaError, InvalidConfigError, PartialCredentialsError } from '../errors.js';
import { Credentials } from './credentials.js';
import { RefreshableCredentials } from './refreshable.js';
import type { CredentialProvider, CredentialsData } from './types.js';

type StsOperation = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The STS operations these providers call. */
export interface StsClientLike {
  assumeRole?: StsOperation;
  assumeRoleWithWebIdentity?: StsOperation;
  /** Closes the client's connections (a client is made per fetch). */
  destroy?: () => void;
}

/** Makes an STS client signing with `credentials` (none: AssumeRoleWithWebIdentity needs no signature). */
export type StsClientFactory = (credentials: Credentials | undefined) => StsClientLike;

/** Asked for the current MFA code when a role needs one (botocore prompts on the terminal). */
export type MfaCodeProvider = (mfaSerial: string) => string | Promise<string>;

/** The profile providers for one profile (web identity, SSO, shared file, process, config file), in botocore's order. */
export type ProfileProvidersFactory = (profileName: string) => CredentialProvider[];

/** credential_source names and the providers they stand for. */
export type CredentialSources = Readonly<Record<'Environment' | 'Ec2InstanceMetadata' | 'EcsContainer', CredentialProvider>>;

function text(section: ConfigSection | undefined, key: string): string | undefined {
  const v = section?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** The account id in an assumed-role ARN: arn:aws:sts::123456789012:assumed-role/... */
function accountIdOf(response: Record<string, unknown>): string | undefined {
  const user = response.AssumedRoleUser as { Arn?: string } | undefined;
  const parts = user?.Arn?.split(':');
  return parts && parts.length > 4 && parts[4] ? parts[4] : undefined;
}

/** The temporary credentials of an AssumeRole / AssumeRoleWithWebIdentity answer. */
function credentialsOf(response: Record<string, unknown>, provider: string): CredentialsData & { expiration: Date } {
  const c = response.Credentials as { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !(c.Expiration instanceof Date)) {
    throw new CredentialRetrievalError(provider, 'the STS answer has no complete Credentials');
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration, accountId: accountIdOf(response) };
}

/** botocore's default RoleSessionName: 'botocore-session-<epoch seconds>'. */
function defaultSessionName(): string {
  return `botocore-session-${Math.floor(Date.now() / 1000)}`;
}

function hasStaticCredentials(profile: ConfigSection): boolean {
  return 'aws_access_key_id' in profile || 'aws_secret_access_key' in profile;
}

function hasAssumeRoleConfig(profile: ConfigSection): boolean {
  // A profile with a web identity token file is web identity's, even with a role_arn.
  return 'role_arn' in profile && !('web_identity_token_file' in profile);
}

export interface AssumeRoleOptions {
  profileName: string;
  profiles: () => Record<string, ConfigSection>;
  sts: StsClientFactory;
  profileProviders: ProfileProvidersFactory;
  sources: CredentialSources;
  mfaCodeProvider?: MfaCodeProvider | undefined;
}

export class AssumeRoleProvider implements CredentialProvider {
  readonly method = 'assume-role';

  constructor(private readonly options: AssumeRoleOptions) {}

  async load(): Promise<RefreshableCredentials | null> {
    const profile = this.options.profiles()[this.options.profileName];
    if (profile === undefined || !hasAssumeRoleConfig(profile)) return null;
    return this.#assume(this.options.profileName, [this.options.profileName]);
  }

  async #assume(profileName: string, visited: string[]): Promise<RefreshableCredentials> {
    const profiles = this.options.profiles();
    const profile = profiles[profileName]!;
    const roleArn = text(profile, 'role_arn')!;
    const sourceProfile = text(profile, 'source_profile');
    const credentialSource = text(profile, 'credential_source');
    if (sourceProfile !== undefined && credentialSource !== undefined) {
      throw new InvalidConfigError(`The profile "${profileName}" contains both source_profile and credential_source.`);
    }
    if (sourceProfile === undefined && credentialSource === undefined) {
      throw new PartialCredentialsError(this.method, 'source_profile or credential_source');
    }
    const source = credentialSource !== undefined
      ? await this.#fromCredentialSource(credentialSource, profileName)
      : await this.#fromSourceProfile(profileName, sourceProfile!, visited);

    const params: Record<string, unknown> = { RoleArn: roleArn, RoleSessionName: text(profile, 'role_session_name') ?? defaultSessionName() };
    const externalId = text(profile, 'external_id');
    if (externalId !== undefined) params.ExternalId = externalId;
    const mfaSerial = text(profile, 'mfa_serial');
    if (mfaSerial !== undefined) params.SerialNumber = mfaSerial;
    const duration = text(profile, 'duration_seconds');
    // botocore drops a duration_seconds that is not an integer.
    if (duration !== undefined && /^\s*[+-]?\d+\s*$/.test(duration)) params.DurationSeconds = Number(duration);

    let fetched = false;
    const fetch = async (): Promise<CredentialsData & { expiration: Date }> => {
      const call: Record<string, unknown> = { ...params };
      if (mfaSerial !== undefined) {
        // botocore cannot ask for a second MFA code when the first credentials expire.
        if (fetched) throw new IniaError('Cannot refresh credentials: MFA token required.');
        const ask = this.options.mfaCodeProvider;
        if (ask === undefined) {
          throw new InvalidConfigError(`The profile "${profileName}" needs an MFA code for ${mfaSerial}: pass mfaCodeProvider to the Session`);
        }
        const code = await ask(mfaSerial);
        if (typeof code !== 'string' || code === '') throw new InvalidConfigError(`mfaCodeProvider gave no MFA code for ${mfaSerial} (expected a non-empty string)`);
        call.TokenCode = code;
      }
      const sts = this.options.sts(await source.getFrozenCredentials());
      try {
        const response = await sts.assumeRole!(call);
        fetched = true;
        return credentialsOf(response, this.method);
      } finally {
        sts.destroy?.();
      }
    };
    return RefreshableCredentials.create(fetch, this.method);
  }

  async #fromCredentialSource(name: string, profileName: string): Promise<Credentials> {
    const provider = (this.options.sources as Record<string, CredentialProvider | undefined>)[name];
    if (provider === undefined) throw new InvalidConfigError(`The credential source "${name}" referenced in profile "${profileName}" is not valid.`);
    const found = await provider.load();
    if (found === null) {
      throw new CredentialRetrievalError(name, `No credentials found in credential_source referenced in profile ${profileName}`);
    }
    return found instanceof Credentials ? found : new Credentials(found, provider.method);
  }

  async #fromSourceProfile(parentName: string, sourceName: string, visited: string[]): Promise<Credentials> {
    const profiles = this.options.profiles();
    const source = profiles[sourceName];
    if (source === undefined) {
      throw new InvalidConfigError(`The source_profile "${sourceName}" referenced in the profile "${parentName}" does not exist.`);
    }
    if (visited.includes(sourceName)) {
      // A profile may name itself only to take static keys from its own section.
      if (sourceName !== parentName || !hasStaticCredentials(source)) {
        throw new InvalidConfigError(`Infinite loop in credential configuration detected. Attempting to load from profile ${sourceName} which has already been visited. Visited profiles: ${visited.join(', ')}`);
      }
    }
    const chain = [...visited, sourceName];
    if (hasStaticCredentials(source) || !hasAssumeRoleConfig(source)) {
      for (const provider of this.options.profileProviders(sourceName)) {
        const found = await provider.load();
        if (found !== null) return found instanceof Credentials ? found : new Credentials(found, provider.method);
      }
      throw new InvalidConfigError(`The source profile "${sourceName}" must have credentials.`);
    }
    return this.#assume(sourceName, chain);
  }
}

export interface WebIdentityOptions {
  profileName: string;
  profiles: () => Record<string, ConfigSection>;
  env: NodeJS.ProcessEnv;
  /** An explicitly chosen profile turns the environment variables off (botocore's disable_env_vars). */
  disableEnvVars: boolean;
  sts: StsClientFactory;
}

const WEB_IDENTITY_ENV: Record<string, string> = {
  web_identity_token_file: 'AWS_WEB_IDENTITY_TOKEN_FILE',
  role_arn: 'AWS_ROLE_ARN',
  role_session_name: 'AWS_ROLE_SESSION_NAME',
};

export class WebIdentityProvider implements CredentialProvider {
  readonly method = 'assume-role-with-web-identity';

  constructor(private readonly options: WebIdentityOptions) {}

  /** The environment variable first (unless disabled), then the profile, as botocore's _get_config. */
  #setting(key: string): string | undefined {
    if (!this.options.disableEnvVars) {
      const fromEnv = this.options.env[WEB_IDENTITY_ENV[key]!];
      if (fromEnv !== undefined) return fromEnv;
    }
    return text(this.options.profiles()[this.options.profileName], key);
  }

  async load(): Promise<RefreshableCredentials | null> {
    const tokenFile = this.#setting('web_identity_token_file');
    if (!tokenFile) return null;
    const roleArn = this.#setting('role_arn');
    if (!roleArn) {
      throw new InvalidConfigError(
        'The provided profile or the current environment is configured to assume role with web identity but has no role ARN configured. Ensure that the profile has the role_arn configuration set or the AWS_ROLE_ARN env var is set.',
      );
    }
    const sessionName = this.#setting('role_session_name') ?? defaultSessionName();
    const fetch = async (): Promise<CredentialsData & { expiration: Date }> => {
      let token: string;
      try {
        // Read on every fetch: the orchestrator (EKS, ...) rotates the file.
        token = readFileSync(tokenFile, 'utf8');
      } catch (err) {
        throw new CredentialRetrievalError(this.method, `cannot read the web identity token file ${tokenFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      const sts = this.options.sts(undefined);
      try {
        const response = await sts.assumeRoleWithWebIdentity!({ RoleArn: roleArn, RoleSessionName: sessionName, WebIdentityToken: token });
        return credentialsOf(response, this.method);
      } finally {
        sts.destroy?.();
      }
    };
    return RefreshableCredentials.create(fetch, this.method);
  }
}
