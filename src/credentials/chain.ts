/**
 * The credential chain: providers asked in order, the first that answers wins (botocore's
 * CredentialResolver), and the client-side cache that resolves it once.
 */
import type { ConfigSection } from '../config-files.js';
import type { SharedConfig } from '../config-provider.js';
import { NoCredentialsError } from '../errors.js';
// Types only: the providers that only some machines reach (assume role and web identity, SSO,
// credential_process, containers, IMDS) are imported when the chain first asks them (lazy.ts).
import type { MfaCodeProvider, StsClientFactory } from './assume-role.js';
import { Credentials } from './credentials.js';
import { EnvCredentialProvider } from './env.js';
import { InvalidIMDSEndpointModeError, resolveImdsSettings, type ImdsOptions } from './imds-settings.js';
import { DeferredProvider, PerLoadProvider } from './lazy.js';
import { ConfigFileProvider, SharedCredentialsProvider } from './profile.js';
import type { SsoClientFactory } from './sso.js';
import type { CredentialProvider } from './types.js';

export class CredentialChain {
  /** @param searched where each provider looks, for the NoCredentialsError message (default: their method names) */
  constructor(readonly providers: readonly CredentialProvider[], readonly searched: readonly string[] = providers.map((p) => p.method)) {}

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
  env: NodeJS.ProcessEnv;
  shared: SharedConfig;
  /** STS clients for assume role and web identity, made by the session. */
  sts: StsClientFactory;
  /** SSO and SSO OIDC clients, made by the session. */
  sso: SsoClientFactory;
  mfaCodeProvider?: MfaCodeProvider | undefined;
}

/**
 * botocore's default chain (create_credential_resolver), in its order: environment, assume
 * role, then the profile's own sources (web identity, SSO, credentials file, credential_process,
 * config file), then the container endpoint and the instance metadata service. A profile
 * chosen in code (the Session option) turns the environment keys off, as in botocore.
 */
export function defaultCredentialChain(options: ChainOptions): CredentialChain {
  const { env, shared } = options;
  const profileName = shared.profileName;
  const disableEnvVars = shared.explicitProfile !== undefined;
  const profiles = (): Record<string, ConfigSection> => shared.full().profiles;
  // The IMDS settings are resolved (and refused, as botocore does) now, at client creation,
  // reading the environment now; only the provider itself waits for the first load.
  const imdsOpts = imdsOptions(shared, env);
  const imdsSettings = resolveImdsSettings(imdsOpts);
  // One instance each, shared by the chain and assume role's credential_source.
  const imds = new DeferredProvider('iam-role', async () => new (await import('./imds.js')).InstanceMetadataProvider(imdsOpts, imdsSettings));
  const container = new DeferredProvider('container-role', async () => new (await import('./container.js')).ContainerProvider({ env }));
  const envProvider = new EnvCredentialProvider(env);

  const profileProviders = (name: string, envDisabled: boolean): CredentialProvider[] => [
    new DeferredProvider(
      'assume-role-with-web-identity',
      async () => new (await import('./assume-role.js')).WebIdentityProvider({ profileName: name, profiles, env, disableEnvVars: envDisabled, sts: options.sts }),
    ),
    // Built at each load: it needs the profile, which is read only then.
    new PerLoadProvider('sso', async () => {
      const profile = profiles()[name];
      if (profile === undefined) return null;
      const ssoSessions = shared.configFile().ssoSessions;
      const { SSOProvider } = await import('./sso.js');
      return new SSOProvider({ profileName: name, profile, ssoSessions, clients: options.sso, env });
    }),
    new SharedCredentialsProvider(name, () => shared.credentialsFile()),
    new PerLoadProvider('custom-process', async () => {
      const profile = profiles()[name];
      if (profile === undefined) return null;
      const { ProcessProvider } = await import('./process.js');
      return new ProcessProvider({ profileName: name, profile, env });
    }),
    new ConfigFileProvider(name, () => shared.configFile().profiles),
  ];

  const assumeRole = new DeferredProvider('assume-role', async () => {
    const { AssumeRoleProvider } = await import('./assume-role.js');
    return new AssumeRoleProvider({
      profileName,
      profiles,
      sts: options.sts,
      profileProviders: (name) => profileProviders(name, true),
      sources: { Environment: envProvider, Ec2InstanceMetadata: imds, EcsContainer: container },
      mfaCodeProvider: options.mfaCodeProvider,
    });
  });
  const { config, credentials } = shared.paths;
  const searched = [
    ...(disableEnvVars ? [] : ['environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)']),
    `profile "${profileName}": role_arn, web_identity_token_file${disableEnvVars ? '' : ' (or AWS_WEB_IDENTITY_TOKEN_FILE)'}, sso_*, credential_process and aws_access_key_id in ${config} and ${credentials}`,
    'the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)',
    env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true' ? 'not the instance metadata service (AWS_EC2_METADATA_DISABLED)' : 'the EC2 instance metadata service',
  ];
  return new CredentialChain(
    [...(disableEnvVars ? [] : [envProvider]), assumeRole, ...profileProviders(profileName, disableEnvVars), container, imds],
    searched,
  );
}

/** The IMDS settings a session resolves (environment, then profile, then default); resolveImdsSettings validates them. */
function imdsOptions(shared: SharedConfig, env: NodeJS.ProcessEnv): ImdsOptions {
  const mode = shared.resolve('ec2_metadata_service_endpoint_mode');
  const endpoint = shared.resolve('ec2_metadata_service_endpoint');
  let endpointMode: 'ipv4' | 'ipv6' | undefined;
  if (typeof mode === 'string') {
    const lower = mode.toLowerCase();
    if (lower !== 'ipv4' && lower !== 'ipv6') throw new InvalidIMDSEndpointModeError(mode);
    endpointMode = lower;
  } else if (shared.resolve('imds_use_ipv6') === true) {
    // botocore's resolve_imds_endpoint_mode: imds_use_ipv6 when no mode is set.
    endpointMode = 'ipv6';
  }
  return {
    env,
    timeoutSeconds: shared.resolve('metadata_service_timeout') as number,
    attempts: shared.resolve('metadata_service_num_attempts') as number,
    ...(typeof endpoint === 'string' ? { endpoint } : {}),
    ...(endpointMode !== undefined ? { endpointMode } : {}),
    v1Disabled: shared.resolve('ec2_metadata_v1_disabled') === true,
  };
}

/**
 * What a client holds: resolves once, lazily (so a client can be created without
 * credentials and fail only at its first call), and again when temporary ones near expiry.
 */
export class CredentialCache {
  private current: Credentials | null = null;
  private pending: Promise<Credentials | null> | null = null;

  constructor(private readonly chain: CredentialChain) {}

  /**
   * The chain's credentials (the refreshable object itself), resolved once however many ask
   * at the same time; null when no provider has any (then the next call asks again, as botocore).
   */
  source(): Promise<Credentials | null> {
    if (this.current) return Promise.resolve(this.current);
    this.pending ??= this.chain.resolve().then(
      (creds) => {
        this.pending = null;
        this.current = creds;
        return creds;
      },
      (err: unknown) => {
        this.pending = null;
        throw err;
      },
    );
    return this.pending;
  }

  /** The credentials for one request, refreshed first when they are about to expire. */
  get(): Promise<Credentials> {
    const current = this.current;
    if (current) return current.getFrozenCredentials();
    return this.source().then((creds) => {
      if (!creds) throw new NoCredentialsError(this.chain.searched);
      return creds.getFrozenCredentials();
    });
  }
}
