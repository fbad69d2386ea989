/**
 * Session: where configuration, credentials and the model loader live, and where clients
 * are made (boto3's Session plus botocore's client creation). `client()` uses a default
 * session, as boto3.client does.
 */
import { BaseClient, clientClassFor, type OperationMethod } from './client.js';
import { registerRetries, SigningClock } from './retries/index.js';
import type { RetryModelData } from './retries/legacy.js';
import { registerCustomizations, registerSessionCustomizations } from './customizations/index.js';
import { defaultRegion, type LegacyEndpointsData } from './endpoints/default-region.js';
import { builtInValues } from './endpoints/params.js';
import { RulesEndpointResolver } from './endpoints/rules-resolver.js';
import { RuleSet, type PartitionsDocument, type RuleSetDocument } from './endpoints/ruleset.js';
import { CONFIG_DEFAULTS, Config } from './config.js';
import { resolveClientConfig, type SdkDefaultConfiguration } from './client-config.js';
import { expandPath } from './config-files.js';
import { SETTINGS, SharedConfig, type SettingName, type SettingValue } from './config-provider.js';
import type { MfaCodeProvider, StsClientLike } from './credentials/assume-role.js';
import { CredentialCache, CredentialChain, defaultCredentialChain } from './credentials/chain.js';
import type { SsoClientFactory } from './credentials/sso.js';
import type { Credentials } from './credentials/credentials.js';
import { StaticCredentialProvider } from './credentials/static.js';
import type { CredentialsData } from './credentials/types.js';
import { DataNotFoundError, InvalidOptionError, UnknownOptionError, UnknownServiceError } from './errors.js';
import { HierarchicalEmitter } from './events.js';
import { Partitions, type PartitionsData } from './endpoints/partitions.js';
import { StaticEndpointResolver } from './endpoints/resolver.js';
import { NodeHttpClient } from './http/transport.js';
import { Loader } from './models/loader.js';
import { ServiceModel, type ServiceDescription } from './models/shapes.js';
import { chooseProtocol, type SerializerOptions } from './protocols/choose.js';
import type { ServiceClient, ServiceName } from './typed-clients.js';
import { VERSION } from './version.js';
import { nodeOs } from './builtins.js';

/** Credentials given in code. */
export interface CredentialsInput {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface ClientOptions {
  region?: string;
  endpointUrl?: string;
  credentials?: CredentialsInput;
  config?: Config;
  apiVersion?: string;
  useSsl?: boolean;
  /** false disables TLS certificate checks; a string is a CA bundle path. */
  verify?: boolean | string;
}

export interface SessionOptions {
  /** The profile of the shared config files to use (else AWS_DEFAULT_PROFILE, AWS_PROFILE, 'default'). */
  profile?: string;
  region?: string;
  credentials?: CredentialsInput;
  /** Asked for the current code when an assumed role needs MFA (`mfa_serial`); botocore prompts on the terminal. */
  mfaCodeProvider?: MfaCodeProvider;
  /** Environment to read AWS_* variables from; defaults to process.env (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Model loader; defaults to one searching AWS_DATA_PATH, ~/.aws/models, then the bundled models. */
  loader?: Loader;
}

/**
 * A client: the BaseClient members plus one method per operation of the service.
 * (The package's types give each service its own typed client, see typed-clients.ts.)
 */
export type Client = BaseClient & { readonly [operation: string]: OperationMethod };

const CLIENT_OPTIONS: readonly (keyof ClientOptions)[] = ['region', 'endpointUrl', 'credentials', 'config', 'apiVersion', 'useSsl', 'verify'];
const SESSION_OPTIONS: readonly (keyof SessionOptions)[] = ['profile', 'region', 'credentials', 'env', 'loader', 'mfaCodeProvider'];

export class Session {
  /** Session-wide handlers; each client starts from a copy. */
  readonly events = new HierarchicalEmitter();
  readonly loader: Loader;
  readonly profileName: string | undefined;
  readonly #env: NodeJS.ProcessEnv;
  readonly #region: string | undefined;
  readonly #credentials: CredentialsInput | undefined;
  readonly #shared: SharedConfig;
  #sessionCredentials: CredentialCache | undefined;
  readonly #mfaCodeProvider: MfaCodeProvider | undefined;
  readonly #models = new Map<string, ServiceModel>();
  #partitions: Partitions | undefined;
  readonly #ruleSets = new Map<string, RuleSet>();
  readonly #extraData = new Map<string, Record<string, unknown>>();

  constructor(options: SessionOptions = {}) {
    checkOptions('Session', options, SESSION_OPTIONS);
    this.#env = options.env ?? process.env;
    this.loader = options.loader ?? new Loader({ env: this.#env });
    if (options.profile !== undefined && (typeof options.profile !== 'string' || options.profile === '')) {
      throw new InvalidOptionError('Session', 'profile', 'expected a non-empty string');
    }
    if (options.mfaCodeProvider !== undefined && typeof options.mfaCodeProvider !== 'function') {
      throw new InvalidOptionError('Session', 'mfaCodeProvider', 'expected a function (mfaSerial) => code');
    }
    this.#mfaCodeProvider = options.mfaCodeProvider;
    this.#shared = new SharedConfig(this.#env, options.profile);
    registerSessionCustomizations(this.events);
    // As boto3: a profile someone named (option, AWS_DEFAULT_PROFILE or AWS_PROFILE) must exist now.
    if (this.#shared.namedProfile !== undefined) this.#shared.scoped();
    this.profileName = this.#shared.profileName;
    if (options.region !== undefined && (typeof options.region !== 'string' || options.region === '')) {
      throw new InvalidOptionError('Session', 'region', 'expected a non-empty string');
    }
    this.#region = options.region;
    if (options.credentials !== undefined) new StaticCredentialProvider(options.credentials); // validates now
    this.#credentials = options.credentials;
  }

  /** The region clients get when they name none: option > AWS_DEFAULT_REGION > AWS_REGION > the profile's `region`. */
  get regionName(): string | undefined {
    const region = this.#shared.resolve('region', this.#region);
    return typeof region === 'string' && region !== '' ? region : undefined;
  }

  /** Every profile in the shared config and credentials files. */
  get availableProfiles(): string[] {
    return this.#shared.availableProfiles();
  }

  /**
   * A setting by botocore's name ('retry_mode', 'max_attempts', 's3_addressing_style', ...):
   * the Session option, the environment, the profile, the default (botocore's get_config_variable).
   */
  getConfigVariable(name: SettingName): SettingValue | undefined {
    if (!(name in SETTINGS)) throw new UnknownOptionError('getConfigVariable', String(name), Object.keys(SETTINGS));
    return this.#shared.resolve(name, name === 'region' ? this.#region : undefined);
  }

  /** Every service inia has a model for. */
  getAvailableServices(): string[] {
    return this.loader.listAvailableServices('service-2');
  }

  /** Resolves the credential chain now; null when nothing provides credentials. */
  async getCredentials(): Promise<Credentials | null> {
    // The session's own credentials, the ones its clients sign with (botocore caches them on the session).
    return this.#credentialCache(undefined).source();
  }

  /**
   * A client for one service. With the package's types, `client('s3')` is typed as an
   * S3Client (see typed-clients.ts); a service chosen at run time (`name as ServiceName`)
   * gives the untyped Client.
   */
  client<S extends ServiceName>(serviceName: S, options: ClientOptions = {}): ServiceClient<S> {
    checkOptions('client', options, CLIENT_OPTIONS);
    if (options.config !== undefined && !(options.config instanceof Config)) {
      throw new InvalidOptionError('client', 'config', 'expected a Config instance (new Config({...}))');
    }
    if (options.useSsl !== undefined && typeof options.useSsl !== 'boolean') throw new InvalidOptionError('client', 'useSsl', 'expected a boolean');
    if (options.verify !== undefined && typeof options.verify !== 'boolean' && typeof options.verify !== 'string') {
      throw new InvalidOptionError('client', 'verify', 'expected false, true or a CA bundle path');
    }
    const model = this.#serviceModel(chooseServiceName(this.events, serviceName), options.apiVersion);
    const userConfig = options.config ?? new Config();
    let region = options.region ?? userConfig.get('region') ?? this.regionName;
    if (region !== undefined && (typeof region !== 'string' || !/^[a-z0-9-]+$/i.test(region))) {
      throw new InvalidOptionError('client', 'region', `not a valid region name: ${JSON.stringify(region)}`);
    }
    // The transport's routing and TLS identity: Config.proxies, else the session's environment
    // (HTTP_PROXY/HTTPS_PROXY/NO_PROXY, botocore's get_environ_proxies); Config.clientCert.
    const proxies = userConfig.get('proxies');
    const proxiesConfig = userConfig.get('proxiesConfig');
    const clientCert = userConfig.get('clientCert');
    // What the user's Config leaves unset comes from the environment, the profile and the defaults.
    const config = resolveClientConfig(userConfig, {
      shared: this.#shared,
      env: this.#env,
      region,
      sdkDefaults: () => this.loader.loadData('sdk-default-configuration') as unknown as SdkDefaultConfiguration,
    });
    const endpointUrl = options.endpointUrl ?? (config.get('ignoreConfiguredEndpointUrls') ? undefined : this.#shared.configuredEndpointUrl(snakeServiceId(model)));
    const partitions = this.#partitionData();
    const useSsl = options.useSsl ?? true;
    // No region anywhere: a global service's partition endpoint (aws-global; us-east-1 for S3),
    // else NoRegionError, even with an endpoint URL (botocore's rule, see default-region.ts).
    let signingRegion = region;
    let globalHost: string | undefined;
    if (region === undefined) {
      const s3 = config.get('s3');
      const fallback = defaultRegion(this.loader.loadData('endpoints') as unknown as LegacyEndpointsData, {
        endpointPrefix: model.endpointPrefix,
        endpointUrl,
        s3UsEast1RegionalEndpoint: s3?.usEast1RegionalEndpoint,
        s3UseDualstack: (s3?.useDualstackEndpoint ?? config.get('useDualstackEndpoint')) === true,
      });
      region = fallback.region;
      signingRegion = endpointUrl === undefined || region !== undefined ? fallback.signingRegion : undefined;
      globalHost = fallback.hostname;
    }
    // client.meta.endpointUrl, as botocore's: the given endpoint, else the service's regional
    // one (or the global service's host).
    const resolvedUrl =
      endpointUrl === undefined && globalHost !== undefined
        ? `${useSsl ? 'https' : 'http'}://${globalHost}`
        : new StaticEndpointResolver(model, { region, endpointUrl, useSsl }, partitions).resolve().url;
    const ruleSet = this.#ruleSet(model, options.apiVersion);
    const builtIns = builtInValues({ region, endpointUrl, config, stsRegionalEndpoints: this.#shared.resolve('sts_regional_endpoints') as string | undefined });
    const events = this.events.copy();
    // Retries first: botocore registers them before the service's customizations, and the
    // order decides whose needs-retry answer wins (S3's redirect comes after the retry mode).
    const retries = registerRetries(events, model, config, () => this.loader.loadData('_retry') as RetryModelData);
    registerCustomizations(model.serviceName, events, { env: this.#env, serviceModel: model, config, userConfig });
    const endpointResolver = new RulesEndpointResolver(ruleSet, {
      builtIns,
      clientContext: config.get('clientContextParams') ?? {},
      signingName: model.signingName,
      signingRegion,
      useSsl,
      events,
      eventName: `before-endpoint-resolution.${model.hyphenizedServiceId}`,
    });
    const caBundle = this.#shared.resolve('ca_bundle');
    const verify = options.verify ?? (typeof caBundle === 'string' && caBundle !== '' ? expandPath(caBundle, this.#env) : undefined);
    const http = new NodeHttpClient({
      connectTimeout: config.get('connectTimeout') ?? CONFIG_DEFAULTS.connectTimeout,
      readTimeout: config.get('readTimeout') ?? CONFIG_DEFAULTS.readTimeout,
      maxPoolConnections: config.get('maxPoolConnections') ?? CONFIG_DEFAULTS.maxPoolConnections,
      tcpKeepalive: config.get('tcpKeepalive') ?? CONFIG_DEFAULTS.tcpKeepalive,
      ...(verify !== undefined ? { verify } : {}),
      ...(proxies !== undefined ? { proxies } : { env: this.#env }),
      ...(proxiesConfig !== undefined ? { proxiesConfig } : {}),
      ...(clientCert !== undefined ? { clientCert } : {}),
    });
    const ClientClass = clientClassFor(model, this.events);
    // An unsupported protocol fails now; the protocol's code is loaded by the first call.
    const protocolName = chooseProtocol(model);
    const client = new ClientClass({
      serviceModel: model,
      protocolName,
      serializerOptions: serializerOptions(events, model),
      region,
      endpointResolver,
      endpointUrl: resolvedUrl,
      partition: partitions.lookup(region ?? 'us-east-1').name,
      credentials: this.#credentialCache(options.credentials),
      http,
      config,
      events,
      injectHostPrefix: config.get('injectHostPrefix') ?? CONFIG_DEFAULTS.injectHostPrefix,
      userAgent: userAgent(model, config),
      signingClock: new SigningClock(),
      loadServiceData: (type) => this.#serviceData(model, type, options.apiVersion),
      // Room for S3's region redirect on top of the retry mode's attempts.
      maxSends: retries.maxAttempts + 2,
    });
    return client as unknown as ServiceClient<S>;
  }

  #credentialChain(explicit: CredentialsInput | undefined): CredentialChain {
    const given = explicit ?? this.#credentials;
    if (given !== undefined) return new CredentialChain([new StaticCredentialProvider(given as Partial<CredentialsData>)]);
    return defaultCredentialChain({
      env: this.#env,
      shared: this.#shared,
      // STS for assume role and web identity: the session's region, else us-east-1 (botocore's global STS).
      sts: (credentials) =>
        this.client('sts', {
          region: this.regionName ?? 'us-east-1',
          ...(credentials ? { credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken } } : {}),
        }) as StsClientLike,
      sso: (service, region) => this.client(service, { region }) as ReturnType<SsoClientFactory>,
      mfaCodeProvider: this.#mfaCodeProvider,
    });
  }

  /**
   * The credentials a client signs with. Clients of one session share the default chain's
   * result (and its refreshes), as botocore's session caches its credentials; explicit
   * credentials given to one client are that client's.
   */
  #credentialCache(explicit: CredentialsInput | undefined): CredentialCache {
    if (explicit !== undefined) return new CredentialCache(this.#credentialChain(explicit));
    this.#sessionCredentials ??= new CredentialCache(this.#credentialChain(undefined));
    return this.#sessionCredentials;
  }

  /** The service's endpoint rule set (endpoint-rule-set-1 beside its model), one per session and service. */
  #ruleSet(model: ServiceModel, apiVersion: string | undefined): RuleSet {
    const key = `${model.serviceName}@${apiVersion ?? ''}`;
    let ruleSet = this.#ruleSets.get(key);
    if (ruleSet === undefined) {
      const document = this.loader.loadServiceModel(model.serviceName, 'endpoint-rule-set-1', apiVersion) as unknown as RuleSetDocument;
      ruleSet = new RuleSet(document, this.loader.loadData('partitions') as unknown as PartitionsDocument);
      this.#ruleSets.set(key, ruleSet);
    }
    return ruleSet;
  }

  /** A service's paginators-1 or waiters-2 document, once per session; {} when the service has none. */
  #serviceData(model: ServiceModel, type: 'paginators-1' | 'waiters-2', apiVersion: string | undefined): Record<string, unknown> {
    const key = `${model.serviceName}@${apiVersion ?? ''}#${type}`;
    let data = this.#extraData.get(key);
    if (data === undefined) {
      try {
        data = this.loader.loadServiceModel(model.serviceName, type, apiVersion) as Record<string, unknown>;
      } catch (err) {
        if (!(err instanceof DataNotFoundError) && !(err instanceof UnknownServiceError)) throw err;
        data = {};
      }
      this.#extraData.set(key, data);
    }
    return data;
  }

  #serviceModel(serviceName: string, apiVersion: string | undefined): ServiceModel {
    if (typeof serviceName !== 'string' || serviceName === '') throw new InvalidOptionError('client', 'serviceName', 'expected a service name such as "s3"');
    const key = `${serviceName}@${apiVersion ?? ''}`;
    let model = this.#models.get(key);
    if (model === undefined) {
      const description = this.loader.loadServiceModel(serviceName, 'service-2', apiVersion) as unknown as ServiceDescription;
      // Customizations may change the session's copy of the data (botocore's service-data-loaded).
      const data = { ...description };
      this.events.emitSync(`service-data-loaded.${serviceName}`, { serviceData: data, serviceName });
      model = new ServiceModel(data, serviceName);
      this.#models.set(key, model);
    }
    return model;
  }

  #partitionData(): Partitions {
    this.#partitions ??= new Partitions(this.loader.loadData('partitions') as unknown as PartitionsData);
    return this.#partitions;
  }
}

/**
 * botocore's choose-service-name (ClientCreator.create_client): the first handler's answer
 * names the service to load (utils.SERVICE_NAME_ALIASES: 'runtime.sagemaker' -> 'sagemaker-runtime').
 */
function chooseServiceName(events: HierarchicalEmitter, serviceName: string): string {
  if (!events.hasHandlers('choose-service-name')) return serviceName;
  for (const [, answer] of events.emitSync('choose-service-name', { serviceName })) {
    if (answer === null || answer === undefined) continue;
    if (typeof answer !== 'string' || answer === '') throw new InvalidOptionError('client', 'serviceName', `a choose-service-name handler answered ${JSON.stringify(answer)} for '${serviceName}'; expected a service name`);
    return answer;
  }
  return serviceName;
}

/** botocore's creating-serializer.<service>: handlers change the serializer's kwargs (timestamp precision). */
function serializerOptions(events: HierarchicalEmitter, model: ServiceModel): SerializerOptions | undefined {
  const name = `creating-serializer.${model.serviceName}`;
  if (!events.hasHandlers(name)) return undefined;
  const serializerKwargs: SerializerOptions = { timestampPrecision: 'default' };
  events.emitSync(name, { protocolName: model.protocols[0], serviceModel: model, serializerKwargs });
  return serializerKwargs;
}

function checkOptions(where: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(where, 'options', 'expected an object');
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new UnknownOptionError(where, key, known);
}

/** The model's service id as botocore's configured endpoints spell it: 'Secrets Manager' -> 'secrets_manager'. */
function snakeServiceId(model: ServiceModel): string {
  return model.hyphenizedServiceId.replace(/-/g, '_');
}

/** A User-Agent component value as AWS's format allows it: other characters become '-' (botocore's sanitize). */
function uaValue(value: string): string {
  return value.replace(/[^a-zA-Z0-9!$%&'*+\-.^_`|~]/g, '-');
}

/**
 * The User-Agent in AWS's format, as botocore builds it: SDK, ua/2.1, os, arch, language and
 * runtime, the service API, the retry mode (cfg/retry-mode#), the application id (app/, from
 * Config.userAgentAppid, AWS_SDK_UA_APP_ID or the profile's sdk_ua_app_id, at most 50
 * characters), then userAgentExtra. Config.userAgent replaces the generated part.
 */
function userAgent(model: ServiceModel, config: Config): string {
  const parts = [
    config.get('userAgent') ??
      `inia/${VERSION} ua/2.1 os/${process.platform}#${uaValue(nodeOs().release())} md/arch#${process.arch} lang/js md/nodejs#${process.versions.node} api/${model.hyphenizedServiceId}#${model.apiVersion}`,
  ];
  const mode = config.get('retries')?.mode;
  if (mode !== undefined && config.get('userAgent') === undefined) parts.push(`cfg/retry-mode#${mode}`);
  const appId = config.get('userAgentAppid');
  if (appId) parts.push(`app/${uaValue(appId.slice(0, 50))}`);
  const extra = config.get('userAgentExtra');
  if (extra) parts.push(extra);
  return parts.join(' ');
}

let defaultSession: Session | undefined;

/** boto3.setup_default_session: replaces the session that `client()` uses. */
export function setupDefaultSession(options: SessionOptions = {}): Session {
  defaultSession = new Session(options);
  return defaultSession;
}

export function getDefaultSession(): Session {
  defaultSession ??= new Session();
  return defaultSession;
}

/** boto3.client: a client from the default session. */
export function client<S extends ServiceName>(serviceName: S, options: ClientOptions = {}): ServiceClient<S> {
  return getDefaultSession().client(serviceName, options);
}
