/**
 * Session: where configuration, credentials and the model loader live, and where clients
 * are made (boto3's Session plus botocore's client creation). `client()` uses a default
 * session, as boto3.client does.
 */
import { release } from 'node:os';
import { BaseClient, clientClassFor, type OperationMethod } from './client.js';
import { registerCustomizations } from './customizations/index.js';
import { CONFIG_DEFAULTS, Config } from './config.js';
import { CredentialCache, CredentialChain, defaultCredentialChain } from './credentials/chain.js';
import type { Credentials } from './credentials/credentials.js';
import { StaticCredentialProvider } from './credentials/static.js';
import type { CredentialsData } from './credentials/types.js';
import { IniaError, InvalidOptionError, UnknownOptionError } from './errors.js';
import { HierarchicalEmitter } from './events.js';
import { Partitions, type PartitionsData } from './endpoints/partitions.js';
import { StaticEndpointResolver } from './endpoints/resolver.js';
import { NodeHttpClient } from './http/transport.js';
import { Loader } from './models/loader.js';
import { ServiceModel, type ServiceDescription } from './models/shapes.js';
import { protocolFor } from './protocols/index.js';
import { VERSION } from './version.js';

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
  profile?: string;
  region?: string;
  credentials?: CredentialsInput;
  /** Environment to read AWS_* variables from; defaults to process.env (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Model loader; defaults to one searching AWS_DATA_PATH, ~/.aws/models, then the bundled models. */
  loader?: Loader;
}

/**
 * A client: the BaseClient members plus one method per operation of the service.
 * (Per-service typed clients are generated from the models separately.)
 */
export type Client = BaseClient & { readonly [operation: string]: OperationMethod };

const CLIENT_OPTIONS: readonly (keyof ClientOptions)[] = ['region', 'endpointUrl', 'credentials', 'config', 'apiVersion', 'useSsl', 'verify'];
const SESSION_OPTIONS: readonly (keyof SessionOptions)[] = ['profile', 'region', 'credentials', 'env', 'loader'];

export class Session {
  /** Session-wide handlers; each client starts from a copy. */
  readonly events = new HierarchicalEmitter();
  readonly loader: Loader;
  readonly profileName: string | undefined;
  readonly #env: NodeJS.ProcessEnv;
  readonly #region: string | undefined;
  readonly #credentials: CredentialsInput | undefined;
  readonly #models = new Map<string, ServiceModel>();
  #partitions: Partitions | undefined;

  constructor(options: SessionOptions = {}) {
    checkOptions('Session', options, SESSION_OPTIONS);
    this.#env = options.env ?? process.env;
    this.loader = options.loader ?? new Loader({ env: this.#env });
    if (options.profile !== undefined) {
      // Profiles need the shared config files, which inia does not read yet: refuse rather
      // than silently use other settings than the ones asked for.
      throw new IniaError(`Session option 'profile' (${JSON.stringify(options.profile)}) needs ~/.aws/config support, which is not implemented yet`);
    }
    this.profileName = undefined;
    if (options.region !== undefined && (typeof options.region !== 'string' || options.region === '')) {
      throw new InvalidOptionError('Session', 'region', 'expected a non-empty string');
    }
    this.#region = options.region;
    if (options.credentials !== undefined) new StaticCredentialProvider(options.credentials); // validates now
    this.#credentials = options.credentials;
  }

  /** The region clients get when they name none: option > AWS_DEFAULT_REGION > AWS_REGION. */
  get regionName(): string | undefined {
    return this.#region ?? (this.#env.AWS_DEFAULT_REGION || undefined) ?? (this.#env.AWS_REGION || undefined);
  }

  /** Every service inia has a model for. */
  getAvailableServices(): string[] {
    return this.loader.listAvailableServices('service-2');
  }

  /** Resolves the credential chain now; null when nothing provides credentials. */
  async getCredentials(): Promise<Credentials | null> {
    return this.#credentialChain(undefined).resolve();
  }

  client(serviceName: string, options: ClientOptions = {}): Client {
    checkOptions('client', options, CLIENT_OPTIONS);
    if (options.config !== undefined && !(options.config instanceof Config)) {
      throw new InvalidOptionError('client', 'config', 'expected a Config instance (new Config({...}))');
    }
    if (options.useSsl !== undefined && typeof options.useSsl !== 'boolean') throw new InvalidOptionError('client', 'useSsl', 'expected a boolean');
    if (options.verify !== undefined && typeof options.verify !== 'boolean' && typeof options.verify !== 'string') {
      throw new InvalidOptionError('client', 'verify', 'expected false, true or a CA bundle path');
    }
    const model = this.#serviceModel(serviceName, options.apiVersion);
    const config = options.config ?? new Config();
    const env = this.#env;
    const region = options.region ?? config.get('region') ?? this.regionName;
    if (region !== undefined && (typeof region !== 'string' || !/^[a-z0-9-]+$/i.test(region))) {
      throw new InvalidOptionError('client', 'region', `not a valid region name: ${JSON.stringify(region)}`);
    }
    const endpointUrl = options.endpointUrl ?? configuredEndpointUrl(model, env, config);
    const partitions = this.#partitionData();
    const endpointResolver = new StaticEndpointResolver(model, { region, endpointUrl, useSsl: options.useSsl ?? true }, partitions);
    const resolvedUrl = endpointResolver.resolve().url;
    const http = new NodeHttpClient({
      connectTimeout: config.get('connectTimeout') ?? CONFIG_DEFAULTS.connectTimeout,
      readTimeout: config.get('readTimeout') ?? CONFIG_DEFAULTS.readTimeout,
      maxPoolConnections: config.get('maxPoolConnections') ?? CONFIG_DEFAULTS.maxPoolConnections,
      tcpKeepalive: config.get('tcpKeepalive') ?? CONFIG_DEFAULTS.tcpKeepalive,
      ...(options.verify !== undefined ? { verify: options.verify } : {}),
    });
    const events = this.events.copy();
    registerCustomizations(model.serviceName, events);
    const ClientClass = clientClassFor(model);
    const client = new ClientClass({
      serviceModel: model,
      protocol: protocolFor(model),
      region,
      endpointResolver,
      endpointUrl: resolvedUrl,
      partition: partitions.lookup(region ?? 'us-east-1').name,
      credentials: new CredentialCache(this.#credentialChain(options.credentials)),
      http,
      config,
      events,
      injectHostPrefix: config.get('injectHostPrefix') ?? CONFIG_DEFAULTS.injectHostPrefix,
      userAgent: userAgent(model, config),
    });
    return client as Client;
  }

  #credentialChain(explicit: CredentialsInput | undefined): CredentialChain {
    const given = explicit ?? this.#credentials;
    if (given !== undefined) return new CredentialChain([new StaticCredentialProvider(given as Partial<CredentialsData>)]);
    return defaultCredentialChain({ env: this.#env });
  }

  #serviceModel(serviceName: string, apiVersion: string | undefined): ServiceModel {
    if (typeof serviceName !== 'string' || serviceName === '') throw new InvalidOptionError('client', 'serviceName', 'expected a service name such as "s3"');
    const key = `${serviceName}@${apiVersion ?? ''}`;
    let model = this.#models.get(key);
    if (model === undefined) {
      const description = this.loader.loadServiceModel(serviceName, 'service-2', apiVersion) as unknown as ServiceDescription;
      model = new ServiceModel(description, serviceName);
      this.#models.set(key, model);
    }
    return model;
  }

  #partitionData(): Partitions {
    this.#partitions ??= new Partitions(this.loader.loadData('partitions') as unknown as PartitionsData);
    return this.#partitions;
  }
}

function checkOptions(where: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(where, 'options', 'expected an object');
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new UnknownOptionError(where, key, known);
}

/**
 * AWS_ENDPOINT_URL_<SERVICE_ID> then AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * or Config.ignoreConfiguredEndpointUrls says not to (botocore's configured endpoint URLs).
 */
function configuredEndpointUrl(model: ServiceModel, env: NodeJS.ProcessEnv, config: Config): string | undefined {
  const ignore = config.get('ignoreConfiguredEndpointUrls') ?? env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  if (ignore) return undefined;
  const serviceVar = `AWS_ENDPOINT_URL_${model.serviceId.replace(/ /g, '_').toUpperCase()}`;
  return env[serviceVar] || env.AWS_ENDPOINT_URL || undefined;
}

function userAgent(model: ServiceModel, config: Config): string {
  const base = config.get('userAgent') ?? `inia/${VERSION} ua/2.1 os/${process.platform}#${release()} lang/js md/nodejs#${process.versions.node} api/${model.hyphenizedServiceId}#${model.apiVersion}`;
  const extra = config.get('userAgentExtra');
  return extra ? `${base} ${extra}` : base;
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
export function client(serviceName: string, options: ClientOptions = {}): Client {
  return getDefaultSession().client(serviceName, options);
}
