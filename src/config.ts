/**
 * Config: botocore's client Config, options in camelCase. Only options the user set are
 * stored, so that `a.merge(b)` lets b's explicit choices win and nothing else, exactly as
 * botocore's Config.merge does.
 */
import type { UNSIGNED } from './auth/choice.js';
import { InvalidOptionError, UnknownOptionError } from './errors.js';
import { maskProxyUrl, type ProxiesConfig } from './http/proxy.js';

export type RetryMode = 'legacy' | 'standard' | 'adaptive';

export interface RetriesConfig {
  /** Retries after the first attempt (botocore Config semantics: n retries = n + 1 attempts). */
  maxAttempts?: number;
  /** All attempts, the first included. */
  totalMaxAttempts?: number;
  mode?: RetryMode;
}

export interface S3Config {
  addressingStyle?: 'auto' | 'virtual' | 'path';
  useAccelerateEndpoint?: boolean;
  usDualstackEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
  payloadSigningEnabled?: boolean;
  usEast1RegionalEndpoint?: 'regional' | 'legacy';
  useArnRegion?: boolean;
  s3DisableMultiregionAccessPoints?: boolean;
}

export interface ConfigOptions {
  region?: string;
  /**
   * 'v4' or 's3v4' (SigV4; the client picks the variant the service's rules ask for), or
   * UNSIGNED for anonymous requests (public S3 buckets), as botocore's signature_version.
   */
  signatureVersion?: string | typeof UNSIGNED;
  userAgent?: string;
  userAgentExtra?: string;
  userAgentAppid?: string;
  /** Seconds. Default 60. */
  connectTimeout?: number;
  /** Seconds. Default 60. */
  readTimeout?: number;
  parameterValidation?: boolean;
  maxPoolConnections?: number;
  /** Proxy URL by request scheme: { http: 'http://proxy:3128', https: 'http://user:pass@proxy:3128' }. */
  proxies?: Record<string, string>;
  proxiesConfig?: ProxiesConfig;
  s3?: S3Config;
  retries?: RetriesConfig;
  /** TLS client certificate: one PEM file with certificate and key, or [certificate file, key file]. */
  clientCert?: string | [string, string];
  injectHostPrefix?: boolean;
  endpointDiscoveryEnabled?: boolean | 'auto';
  useDualstackEndpoint?: boolean;
  useFipsEndpoint?: boolean;
  ignoreConfiguredEndpointUrls?: boolean;
  defaultsMode?: string;
  tcpKeepalive?: boolean;
  requestMinCompressionSizeBytes?: number;
  disableRequestCompression?: boolean;
  clientContextParams?: Record<string, unknown>;
  sigv4aSigningRegionSet?: string;
  requestChecksumCalculation?: 'when_supported' | 'when_required';
  responseChecksumValidation?: 'when_supported' | 'when_required';
  accountIdEndpointMode?: 'preferred' | 'disabled' | 'required';
  authSchemePreference?: string;
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'string|object' | 'boolean|string' | 'string|symbol';

// The accepted type of each option: a typo'd name or a wrong type fails at construction.
const OPTION_KINDS: { readonly [K in keyof Required<ConfigOptions>]: Kind } = {
  region: 'string',
  signatureVersion: 'string|symbol',
  userAgent: 'string',
  userAgentExtra: 'string',
  userAgentAppid: 'string',
  connectTimeout: 'number',
  readTimeout: 'number',
  parameterValidation: 'boolean',
  maxPoolConnections: 'number',
  proxies: 'object',
  proxiesConfig: 'object',
  s3: 'object',
  retries: 'object',
  clientCert: 'string|object',
  injectHostPrefix: 'boolean',
  endpointDiscoveryEnabled: 'boolean|string',
  useDualstackEndpoint: 'boolean',
  useFipsEndpoint: 'boolean',
  ignoreConfiguredEndpointUrls: 'boolean',
  defaultsMode: 'string',
  tcpKeepalive: 'boolean',
  requestMinCompressionSizeBytes: 'number',
  disableRequestCompression: 'boolean',
  clientContextParams: 'object',
  sigv4aSigningRegionSet: 'string',
  requestChecksumCalculation: 'string',
  responseChecksumValidation: 'string',
  accountIdEndpointMode: 'string',
  authSchemePreference: 'string',
};

const RETRY_KEYS = ['maxAttempts', 'totalMaxAttempts', 'mode'];
const RETRY_MODES: readonly string[] = ['legacy', 'standard', 'adaptive'];

/** Defaults botocore applies when nothing else sets an option. */
export const CONFIG_DEFAULTS = {
  connectTimeout: 60,
  readTimeout: 60,
  maxPoolConnections: 10,
  parameterValidation: true,
  tcpKeepalive: false,
  injectHostPrefix: true,
} as const;

export class Config {
  /** The options the user set, nothing else. */
  readonly options: Readonly<ConfigOptions>;

  constructor(options: ConfigOptions = {}) {
    validateOptions(options);
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) if (value !== undefined) copy[key] = value;
    this.options = Object.freeze(copy as ConfigOptions);
  }

  /** A new Config: this one's options overlaid with `other`'s explicitly set ones. */
  merge(other: Config): Config {
    return new Config({ ...this.options, ...other.options });
  }

  get<K extends keyof ConfigOptions>(key: K): ConfigOptions[K] {
    return this.options[key];
  }

  /** util.inspect: the options as set, except proxy credentials, which are masked. */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, opts: object, inspect: (value: unknown, opts: object) => string): string {
    const shown: Record<string, unknown> = { ...this.options };
    const proxies = this.options.proxies;
    if (proxies !== undefined) shown.proxies = Object.fromEntries(Object.entries(proxies).map(([k, v]) => [k, typeof v === 'string' ? maskProxyUrl(v) : v]));
    return `Config ${inspect(shown, opts)}`;
  }
}

function validateOptions(options: ConfigOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('Config', 'options', 'expected an object');
  const known = Object.keys(OPTION_KINDS);
  for (const [key, value] of Object.entries(options)) {
    const kind = OPTION_KINDS[key as keyof ConfigOptions];
    if (kind === undefined) throw new UnknownOptionError('Config', key, known);
    if (value === undefined) continue;
    if (!matchesKind(value, kind)) throw new InvalidOptionError('Config', key, `expected ${kind.replace('|', ' or ')}, got ${describe(value)}`);
  }
  const signatureVersion = options.signatureVersion;
  // Only what inia signs with: a name it would not honour must not be dropped silently.
  if (signatureVersion !== undefined && signatureVersion !== Symbol.for('inia.UNSIGNED') && !SIGNATURE_VERSIONS.includes(signatureVersion as string)) {
    throw new InvalidOptionError('Config', 'signatureVersion', `expected ${SIGNATURE_VERSIONS.map((v) => `'${v}'`).join(', ')} or UNSIGNED (inia signs with SigV4 only), got ${typeof signatureVersion === 'string' ? `'${signatureVersion}'` : describe(signatureVersion)}`);
  }
  for (const key of ['connectTimeout', 'readTimeout'] as const) {
    const v = options[key];
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new InvalidOptionError('Config', key, `expected a positive number of seconds, got ${v}`);
  }
  const pool = options.maxPoolConnections;
  if (pool !== undefined && !(Number.isInteger(pool) && pool > 0)) throw new InvalidOptionError('Config', 'maxPoolConnections', `expected a positive integer, got ${pool}`);
  validateHttpOptions(options);
  const retries = options.retries;
  if (retries !== undefined) {
    for (const key of Object.keys(retries)) if (!RETRY_KEYS.includes(key)) throw new UnknownOptionError('Config retries', key, RETRY_KEYS);
    if (retries.mode !== undefined && !RETRY_MODES.includes(retries.mode)) throw new InvalidOptionError('Config', 'retries.mode', `expected one of ${RETRY_MODES.join(', ')}, got '${retries.mode}'`);
    // botocore's minimums: no retries at all is maxAttempts 0, i.e. totalMaxAttempts 1.
    for (const [key, min] of [['maxAttempts', 0], ['totalMaxAttempts', 1]] as const) {
      const v = retries[key];
      if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new InvalidOptionError('Config', `retries.${key}`, `expected an integer of at least ${min}, got ${v}`);
    }
  }
}

const PROXIES_CONFIG_KEYS: readonly (keyof ProxiesConfig)[] = ['proxyCaBundle', 'proxyClientCert', 'proxyUseForwardingForHttps'];

function isCertPaths(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'));
}

/** proxies, proxiesConfig and clientCert, as botocore's httpsession reads them. Values are never echoed: they may hold credentials. */
function validateHttpOptions(options: ConfigOptions): void {
  const proxies = options.proxies;
  if (proxies !== undefined) {
    if (Array.isArray(proxies)) throw new InvalidOptionError('Config', 'proxies', "expected an object such as { https: 'http://proxy:3128' }, got array");
    for (const [scheme, url] of Object.entries(proxies)) {
      if (typeof url !== 'string') throw new InvalidOptionError('Config', `proxies.${scheme}`, `expected a proxy URL string, got ${describe(url)}`);
    }
  }
  const proxiesConfig = options.proxiesConfig;
  if (proxiesConfig !== undefined) {
    if (Array.isArray(proxiesConfig)) throw new InvalidOptionError('Config', 'proxiesConfig', 'expected an object, got array');
    for (const [key, value] of Object.entries(proxiesConfig)) {
      if (!(PROXIES_CONFIG_KEYS as readonly string[]).includes(key)) {
        const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
        const hint = (PROXIES_CONFIG_KEYS as readonly string[]).includes(camel) ? ` (inia spells it '${camel}')` : '';
        throw new InvalidOptionError('Config', `proxiesConfig.${key}`, `unknown key${hint}; valid keys are: ${PROXIES_CONFIG_KEYS.join(', ')}`);
      }
      if (value === undefined) continue;
      const ok = key === 'proxyUseForwardingForHttps' ? typeof value === 'boolean' : key === 'proxyCaBundle' ? typeof value === 'string' : isCertPaths(value);
      if (!ok) {
        const expected = key === 'proxyUseForwardingForHttps' ? 'a boolean' : key === 'proxyCaBundle' ? 'a file path' : 'a file path or [certificate path, key path]';
        throw new InvalidOptionError('Config', `proxiesConfig.${key}`, `expected ${expected}, got ${describe(value)}`);
      }
    }
  }
  if (options.clientCert !== undefined && !isCertPaths(options.clientCert)) {
    throw new InvalidOptionError('Config', 'clientCert', `expected a file path or [certificate path, key path], got ${describe(options.clientCert)}`);
  }
}

/** botocore's SigV4 names; its legacy 's3' (HMAC-V1) and 'v2' signers are not in inia. */
const SIGNATURE_VERSIONS = ['v4', 's3v4'];

function matchesKind(value: unknown, kind: Kind): boolean {
  return kind.split('|').some((k) => (k === 'object' ? typeof value === 'object' && value !== null : typeof value === k));
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
