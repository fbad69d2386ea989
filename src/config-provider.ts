/**
 * Configuration resolution, as botocore's configprovider: every setting comes from the first
 * of the session's own value (a Session option), the environment, the profile in the shared
 * config files, and a default; client creation then lets the client option and `Config` win
 * over all of those (see session.ts).
 *
 * The shared files are read lazily and once per session: a process that never names a profile
 * or setting that lives in them never opens them.
 */
import { InvalidConfigError, ProfileNotFound } from './errors.js';
import { loadConfigFile, loadCredentialsFile, sharedFilePaths, type ConfigSection, type ConfigValue, type ParsedConfigFile } from './config-files.js';

type Conversion = 'int' | 'bool';

/** A key of a profile, or a key of one of its nested sections (`['s3', 'addressing_style']`). */
type ProfileKey = string | readonly [string, string];

/**
 * One logical setting, by botocore's name: where it lives in a profile (a key, or a nested
 * `[section, key]` such as `['s3', 'addressing_style']`, or several tried in order), which
 * environment variables set it (first set wins), its default, and its type.
 */
export interface SettingSpec {
  readonly profile?: readonly ProfileKey[];
  readonly env?: string | readonly string[];
  readonly default?: string | number | boolean;
  readonly type?: Conversion;
}

/** botocore's BOTOCORE_DEFAUT_SESSION_VARIABLES (and its S3 sub-settings), the ones inia resolves. */
export const SETTINGS = {
  // AWS_REGION after AWS_DEFAULT_REGION: botocore reads only the latter; inia honours both (API.md).
  region: { profile: ['region'], env: ['AWS_DEFAULT_REGION', 'AWS_REGION'] },
  ca_bundle: { profile: ['ca_bundle'], env: 'AWS_CA_BUNDLE' },
  metadata_service_timeout: { profile: ['metadata_service_timeout'], env: 'AWS_METADATA_SERVICE_TIMEOUT', default: 1, type: 'int' },
  metadata_service_num_attempts: { profile: ['metadata_service_num_attempts'], env: 'AWS_METADATA_SERVICE_NUM_ATTEMPTS', default: 1, type: 'int' },
  ec2_metadata_service_endpoint: { profile: ['ec2_metadata_service_endpoint'], env: 'AWS_EC2_METADATA_SERVICE_ENDPOINT' },
  ec2_metadata_service_endpoint_mode: { profile: ['ec2_metadata_service_endpoint_mode'], env: 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE' },
  ec2_metadata_v1_disabled: { profile: ['ec2_metadata_v1_disabled'], env: 'AWS_EC2_METADATA_V1_DISABLED', default: false, type: 'bool' },
  imds_use_ipv6: { profile: ['imds_use_ipv6'], env: 'AWS_IMDS_USE_IPV6', default: false, type: 'bool' },
  use_dualstack_endpoint: { profile: ['use_dualstack_endpoint'], env: 'AWS_USE_DUALSTACK_ENDPOINT', type: 'bool' },
  use_fips_endpoint: { profile: ['use_fips_endpoint'], env: 'AWS_USE_FIPS_ENDPOINT', type: 'bool' },
  ignore_configured_endpoint_urls: { profile: ['ignore_configured_endpoint_urls'], env: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', type: 'bool' },
  parameter_validation: { profile: ['parameter_validation'], default: true, type: 'bool' },
  endpoint_discovery_enabled: { profile: ['endpoint_discovery_enabled'], env: 'AWS_ENDPOINT_DISCOVERY_ENABLED', default: 'auto' },
  sts_regional_endpoints: { profile: ['sts_regional_endpoints'], env: 'AWS_STS_REGIONAL_ENDPOINTS', default: 'regional' },
  retry_mode: { profile: ['retry_mode'], env: 'AWS_RETRY_MODE', default: 'legacy' },
  defaults_mode: { profile: ['defaults_mode'], env: 'AWS_DEFAULTS_MODE', default: 'legacy' },
  max_attempts: { profile: ['max_attempts'], env: 'AWS_MAX_ATTEMPTS', type: 'int' },
  user_agent_appid: { profile: ['sdk_ua_app_id'], env: 'AWS_SDK_UA_APP_ID' },
  request_min_compression_size_bytes: { profile: ['request_min_compression_size_bytes'], env: 'AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES', default: 10240, type: 'int' },
  disable_request_compression: { profile: ['disable_request_compression'], env: 'AWS_DISABLE_REQUEST_COMPRESSION', default: false, type: 'bool' },
  sigv4a_signing_region_set: { profile: ['sigv4a_signing_region_set'], env: 'AWS_SIGV4A_SIGNING_REGION_SET' },
  request_checksum_calculation: { profile: ['request_checksum_calculation'], env: 'AWS_REQUEST_CHECKSUM_CALCULATION', default: 'when_supported' },
  response_checksum_validation: { profile: ['response_checksum_validation'], env: 'AWS_RESPONSE_CHECKSUM_VALIDATION', default: 'when_supported' },
  account_id_endpoint_mode: { profile: ['account_id_endpoint_mode'], env: 'AWS_ACCOUNT_ID_ENDPOINT_MODE', default: 'preferred' },
  disable_host_prefix_injection: { profile: ['disable_host_prefix_injection'], env: 'AWS_DISABLE_HOST_PREFIX_INJECTION', type: 'bool' },
  auth_scheme_preference: { profile: ['auth_scheme_preference'], env: 'AWS_AUTH_SCHEME_PREFERENCE' },
  tcp_keepalive: { profile: ['tcp_keepalive'], env: 'BOTOCORE_TCP_KEEPALIVE', type: 'bool' },
  // S3's sub-settings: the nested `s3 =` section of the profile (and two flat aliases).
  s3_addressing_style: { profile: [['s3', 'addressing_style']] },
  s3_use_accelerate_endpoint: { profile: [['s3', 'use_accelerate_endpoint']], type: 'bool' },
  s3_use_dualstack_endpoint: { profile: [['s3', 'use_dualstack_endpoint']], type: 'bool' },
  s3_payload_signing_enabled: { profile: [['s3', 'payload_signing_enabled']], type: 'bool' },
  s3_use_arn_region: { profile: ['s3_use_arn_region', ['s3', 'use_arn_region']], env: 'AWS_S3_USE_ARN_REGION', type: 'bool' },
  s3_us_east_1_regional_endpoint: { profile: ['s3_us_east_1_regional_endpoint', ['s3', 'us_east_1_regional_endpoint']], env: 'AWS_S3_US_EAST_1_REGIONAL_ENDPOINT' },
  s3_disable_multiregion_access_points: { profile: [['s3', 's3_disable_multiregion_access_points']], env: 'AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS', type: 'bool' },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export type SettingValue = string | number | boolean;

/** botocore's ensure_boolean: a string is true only when it reads "true" in any case. */
function toBoolean(value: string | boolean): boolean {
  return typeof value === 'boolean' ? value : value.trim().toLowerCase() === 'true';
}

function convert(name: string, where: string, value: string | number | boolean, type: Conversion | undefined): SettingValue {
  if (type === 'bool') return toBoolean(typeof value === 'number' ? String(value) : value);
  if (type === 'int') {
    if (typeof value === 'number') return value;
    const text = String(value).trim();
    // Python's int(): optional sign, digits (underscores aside, which no config uses).
    if (!/^[+-]?\d+$/.test(text)) throw new InvalidConfigError(`${name} must be an integer, got ${JSON.stringify(String(value))} from ${where}`);
    return Number(text);
  }
  return value;
}

function profileValue(profile: ConfigSection, key: ProfileKey): string | undefined {
  if (typeof key === 'string') {
    const v = profile[key];
    return typeof v === 'string' ? v : undefined;
  }
  const section = profile[key[0]];
  return typeof section === 'object' ? section[key[1]] : undefined;
}

/** What the profile files hold for one session: the profile in use and the whole files. */
export class SharedConfig {
  readonly #env: NodeJS.ProcessEnv;
  readonly #explicitProfile: string | undefined;
  #configFile: ParsedConfigFile | undefined;
  #credentialsFile: Record<string, ConfigSection> | undefined;
  #full: ParsedConfigFile | undefined;

  constructor(env: NodeJS.ProcessEnv, explicitProfile: string | undefined) {
    this.#env = env;
    this.#explicitProfile = explicitProfile;
  }

  /** The profile a Session option named (botocore's instance variable), if any. */
  get explicitProfile(): string | undefined {
    return this.#explicitProfile;
  }

  /** The profile in use: the Session option, AWS_DEFAULT_PROFILE, AWS_PROFILE (botocore's order), else 'default'. */
  get profileName(): string {
    return this.namedProfile ?? 'default';
  }

  /** The profile someone named (option or environment), or undefined when 'default' is implied. */
  get namedProfile(): string | undefined {
    return this.#explicitProfile ?? (this.#env.AWS_DEFAULT_PROFILE || undefined) ?? (this.#env.AWS_PROFILE || undefined);
  }

  get paths(): { config: string; credentials: string } {
    return sharedFilePaths(this.#env);
  }

  /** The config file alone (profiles, sso-sessions, services). */
  configFile(): ParsedConfigFile {
    this.#configFile ??= loadConfigFile(this.paths.config, this.#env);
    return this.#configFile;
  }

  /** The credentials file alone: every section a profile. */
  credentialsFile(): Record<string, ConfigSection> {
    this.#credentialsFile ??= loadCredentialsFile(this.paths.credentials, this.#env);
    return this.#credentialsFile;
  }

  /**
   * botocore's full_config: the config file with the credentials file's profiles merged in
   * (a credentials-file value replaces the config file's for the same key).
   */
  full(): ParsedConfigFile {
    if (this.#full === undefined) {
      const config = this.configFile();
      const profiles: Record<string, ConfigSection> = {};
      for (const [name, section] of Object.entries(config.profiles)) profiles[name] = { ...section };
      for (const [name, section] of Object.entries(this.credentialsFile())) profiles[name] = { ...(profiles[name] ?? {}), ...section };
      this.#full = { profiles, ssoSessions: config.ssoSessions, services: config.services };
    }
    return this.#full;
  }

  /** Every profile name in either file. */
  availableProfiles(): string[] {
    return Object.keys(this.full().profiles);
  }

  /**
   * botocore's scoped_config: the profile in use. A named profile that exists in neither file
   * is ProfileNotFound; the implied 'default' may be absent (then it is empty).
   */
  scoped(): ConfigSection {
    const profiles = this.full().profiles;
    const named = this.namedProfile;
    if (named === undefined) return profiles.default ?? {};
    const profile = profiles[named];
    if (profile === undefined) throw new ProfileNotFound(named, [this.paths.config, this.paths.credentials]);
    return profile;
  }

  /** One profile of the merged map, or undefined. */
  profile(name: string): ConfigSection | undefined {
    return this.full().profiles[name];
  }

  /**
   * A setting: the session's own value, then the environment, then the profile, then the
   * default (botocore's get_config_variable). undefined when none sets it.
   */
  resolve(name: SettingName, sessionValue?: SettingValue, useDefault = true): SettingValue | undefined {
    const spec: SettingSpec = SETTINGS[name];
    if (sessionValue !== undefined) return convert(name, 'the Session option', sessionValue, spec.type);
    const envNames = spec.env === undefined ? [] : typeof spec.env === 'string' ? [spec.env] : spec.env;
    for (const envName of envNames) {
      const v = this.#env[envName];
      // botocore's EnvironmentProvider: a variable set to '' counts as not set.
      if (v !== undefined && v !== '') return convert(name, `the environment variable ${envName}`, v, spec.type);
    }
    const keys = spec.profile ?? [];
    if (keys.length > 0) {
      const profile = this.scoped();
      for (const key of keys) {
        const v = profileValue(profile, key);
        if (v !== undefined) return convert(name, `profile "${this.profileName}" in ${this.paths.config}`, v, spec.type);
      }
    }
    return spec.default === undefined || !useDefault ? undefined : convert(name, 'the default', spec.default, spec.type);
  }

  /**
   * botocore's ConfiguredEndpointProvider: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
   * service's `endpoint_url` in the profile's `[services x]` section, the profile's
   * `endpoint_url`. `snakeServiceId` is the model's service id in snake case ('dynamodb',
   * 'secrets_manager').
   */
  configuredEndpointUrl(snakeServiceId: string): string | undefined {
    const env = this.#env;
    const serviceVar = env[`AWS_ENDPOINT_URL_${snakeServiceId.toUpperCase()}`];
    if (serviceVar) return serviceVar;
    if (env.AWS_ENDPOINT_URL) return env.AWS_ENDPOINT_URL;
    const profile = this.scoped();
    const servicesName = profile.services;
    if (typeof servicesName === 'string') {
      const section = this.full().services[servicesName];
      if (section === undefined || Object.keys(section).length === 0) {
        throw new InvalidConfigError(`The profile is configured to use the services section but the "${servicesName}" services configuration does not exist.`);
      }
      const service: ConfigValue | undefined = section[snakeServiceId.toLowerCase()];
      if (typeof service === 'object' && service.endpoint_url) return service.endpoint_url;
    }
    const global = profile.endpoint_url;
    return typeof global === 'string' && global !== '' ? global : undefined;
  }
}
