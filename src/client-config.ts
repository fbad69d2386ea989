/**
 * The Config a client runs with, as botocore's ClientArgsCreator computes it: what the user's
 * Config sets wins; the rest comes from the session's resolution (environment, profile), then
 * from the defaults of the chosen `defaults_mode` (sdk-default-configuration.json), then from
 * botocore's own defaults.
 */
import { Config, type ConfigOptions, type RetryMode, type S3Config } from './config.js';
import type { SharedConfig, SettingName } from './config-provider.js';
import { InvalidConfigError } from './errors.js';

/** sdk-default-configuration.json, as far as it is used here. */
export interface SdkDefaultConfiguration {
  base: Record<string, string | number>;
  modes: Record<string, Record<string, { override?: string | number; multiply?: number; add?: number }>>;
}

const DEFAULTS_MODES = ['legacy', 'standard', 'in-region', 'cross-region', 'mobile', 'auto'];

/** botocore's resolve_auto_mode, without the instance metadata lookup: in-region, cross-region or standard. */
function autoMode(env: NodeJS.ProcessEnv, region: string | undefined): string {
  const current = env.AWS_EXECUTION_ENV ? (env.AWS_REGION ?? env.AWS_DEFAULT_REGION) : undefined;
  if (!current) return 'standard';
  return region === current ? 'in-region' : 'cross-region';
}

/** The values a mode sets (base values with the mode's overrides applied), or {} for legacy. */
export function defaultsModeValues(mode: string, data: SdkDefaultConfiguration): Record<string, string | number> {
  if (mode === 'legacy') return {};
  const out: Record<string, string | number> = { ...data.base };
  for (const [key, change] of Object.entries(data.modes[mode] ?? {})) {
    const base = out[key];
    if (change.override !== undefined) out[key] = change.override;
    else if (typeof base === 'number' && change.multiply !== undefined) out[key] = base * change.multiply;
    else if (typeof base === 'number' && change.add !== undefined) out[key] = base + change.add;
  }
  return out;
}

export interface ClientConfigContext {
  shared: SharedConfig;
  env: NodeJS.ProcessEnv;
  region: string | undefined;
  /** sdk-default-configuration.json, read only when a defaults mode other than legacy is chosen. */
  sdkDefaults: () => SdkDefaultConfiguration;
}

function str(shared: SharedConfig, name: SettingName): string | undefined {
  const v = shared.resolve(name);
  return typeof v === 'string' ? v : undefined;
}

function bool(shared: SharedConfig, name: SettingName): boolean | undefined {
  const v = shared.resolve(name);
  return typeof v === 'boolean' ? v : undefined;
}

export function resolveClientConfig(user: Config, ctx: ClientConfigContext): Config {
  const { shared } = ctx;
  const mode = (user.get('defaultsMode') ?? str(shared, 'defaults_mode') ?? 'legacy').toLowerCase();
  if (!DEFAULTS_MODES.includes(mode)) {
    throw new InvalidConfigError(`Invalid defaults_mode ${JSON.stringify(mode)}: expected one of ${DEFAULTS_MODES.join(', ')}`);
  }
  const smart = defaultsModeValues(mode === 'auto' ? autoMode(ctx.env, ctx.region) : mode, mode === 'legacy' ? { base: {}, modes: {} } : ctx.sdkDefaults());

  // Retries: the Config's choice, else AWS_RETRY_MODE / retry_mode (whose default the mode may change).
  const userRetries = user.get('retries') ?? {};
  // A defaults mode replaces only the default (legacy), never a retry_mode someone set.
  const retryMode = (userRetries.mode ?? shared.resolve('retry_mode', undefined, false) ?? smart.retryMode ?? 'legacy') as RetryMode;
  if (!['legacy', 'standard', 'adaptive'].includes(retryMode)) {
    throw new InvalidConfigError(`Invalid retry_mode ${JSON.stringify(retryMode)}: expected legacy, standard or adaptive`);
  }
  const maxAttempts = shared.resolve('max_attempts');
  const retries: NonNullable<ConfigOptions['retries']> = { ...userRetries, mode: retryMode };
  // AWS_MAX_ATTEMPTS and max_attempts count every attempt (botocore's total_max_attempts).
  if (userRetries.maxAttempts === undefined && userRetries.totalMaxAttempts === undefined && typeof maxAttempts === 'number') retries.totalMaxAttempts = maxAttempts;

  // botocore refuses these two outside their values (InvalidSTSRegionalEndpointsConfigError, ...).
  for (const [name, value] of [
    ['sts_regional_endpoints', shared.resolve('sts_regional_endpoints')],
    ['s3 us_east_1_regional_endpoint', user.get('s3')?.usEast1RegionalEndpoint ?? shared.resolve('s3_us_east_1_regional_endpoint')],
  ] as const) {
    if (value !== undefined && value !== 'legacy' && value !== 'regional') {
      throw new InvalidConfigError(`Invalid ${name} ${JSON.stringify(value)}: expected legacy or regional`);
    }
  }
  const s3: S3Config = { ...(user.get('s3') ?? {}) };
  const fill = <K extends keyof S3Config>(key: K, value: S3Config[K] | undefined): void => {
    if (s3[key] === undefined && value !== undefined) s3[key] = value;
  };
  fill('addressingStyle', str(shared, 's3_addressing_style') as S3Config['addressingStyle']);
  fill('useAccelerateEndpoint', bool(shared, 's3_use_accelerate_endpoint'));
  fill('useDualstackEndpoint', bool(shared, 's3_use_dualstack_endpoint'));
  fill('payloadSigningEnabled', bool(shared, 's3_payload_signing_enabled'));
  fill('useArnRegion', bool(shared, 's3_use_arn_region'));
  fill('usEast1RegionalEndpoint', (str(shared, 's3_us_east_1_regional_endpoint') ?? (smart.s3UsEast1RegionalEndpoints as string | undefined)) as S3Config['usEast1RegionalEndpoint']);
  fill('s3DisableMultiregionAccessPoints', bool(shared, 's3_disable_multiregion_access_points'));

  const resolved: ConfigOptions = {
    retries,
    defaultsMode: mode,
    ...(Object.keys(s3).length ? { s3 } : {}),
  };
  const setIf = <K extends keyof ConfigOptions>(key: K, value: ConfigOptions[K] | undefined): void => {
    if (user.get(key) === undefined && value !== undefined) resolved[key] = value;
  };
  setIf('useFipsEndpoint', bool(shared, 'use_fips_endpoint'));
  setIf('useDualstackEndpoint', bool(shared, 'use_dualstack_endpoint'));
  setIf('ignoreConfiguredEndpointUrls', bool(shared, 'ignore_configured_endpoint_urls'));
  setIf('parameterValidation', bool(shared, 'parameter_validation'));
  setIf('endpointDiscoveryEnabled', shared.resolve('endpoint_discovery_enabled') as ConfigOptions['endpointDiscoveryEnabled']);
  setIf('userAgentAppid', str(shared, 'user_agent_appid'));
  setIf('requestMinCompressionSizeBytes', shared.resolve('request_min_compression_size_bytes') as number | undefined);
  setIf('disableRequestCompression', bool(shared, 'disable_request_compression'));
  setIf('sigv4aSigningRegionSet', str(shared, 'sigv4a_signing_region_set'));
  setIf('requestChecksumCalculation', str(shared, 'request_checksum_calculation') as ConfigOptions['requestChecksumCalculation']);
  setIf('responseChecksumValidation', str(shared, 'response_checksum_validation') as ConfigOptions['responseChecksumValidation']);
  setIf('accountIdEndpointMode', str(shared, 'account_id_endpoint_mode') as ConfigOptions['accountIdEndpointMode']);
  setIf('authSchemePreference', str(shared, 'auth_scheme_preference'));
  setIf('tcpKeepalive', bool(shared, 'tcp_keepalive'));
  const noHostPrefix = bool(shared, 'disable_host_prefix_injection');
  if (noHostPrefix !== undefined) setIf('injectHostPrefix', !noHostPrefix);
  if (typeof smart.connectTimeoutInMillis === 'number') setIf('connectTimeout', smart.connectTimeoutInMillis / 1000);
  return new Config({ ...resolved, ...withoutRetriesAndS3(user) });
}

function withoutRetriesAndS3(user: Config): ConfigOptions {
  const { retries: _r, s3: _s, defaultsMode: _d, ...rest } = user.options;
  return rest;
}
