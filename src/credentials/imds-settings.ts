/**
 * The IMDS settings (environment, then profile, then botocore's defaults) and their
 * validation. botocore refuses a bad endpoint, mode, timeout or attempt count when it builds
 * the credential chain, i.e. at client creation; this module is what that check needs, so the
 * chain can run it then and load imds.ts (the fetcher and provider) only when it is asked.
 * imds.ts re-exports all of it.
 */
import { nodeNet } from '../builtins.js';
import { InvalidConfigError } from '../errors.js';
import { pythonUrlSplit } from './python-url.js';

export const IMDS_BASE_URL = 'http://169.254.169.254/';
export const IMDS_BASE_URL_IPV6 = 'http://[fd00:ec2::254]/';
const ENDPOINT_MODES = ['ipv4', 'ipv6'] as const;

/** ec2_metadata_service_endpoint is not a URL with a valid host (botocore's InvalidIMDSEndpointError). */
export class InvalidIMDSEndpointError extends InvalidConfigError {
  constructor(readonly endpoint: string) {
    super(`Invalid endpoint EC2 Instance Metadata endpoint: ${endpoint}`);
  }
}

/** ec2_metadata_service_endpoint_mode is neither ipv4 nor ipv6 (botocore's InvalidIMDSEndpointModeError). */
export class InvalidIMDSEndpointModeError extends InvalidConfigError {
  constructor(readonly mode: string) {
    super(`Invalid EC2 Instance Metadata endpoint mode: ${mode} Valid endpoint modes (case-insensitive): ${ENDPOINT_MODES.join(', ')}.`);
  }
}

export interface ImdsOptions {
  /** AWS_EC2_METADATA_DISABLED, AWS_EC2_METADATA_SERVICE_ENDPOINT(_MODE), AWS_EC2_METADATA_V1_DISABLED, AWS_METADATA_SERVICE_TIMEOUT / _NUM_ATTEMPTS, AWS_IMDS_USE_IPV6. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Profile metadata_service_timeout: connect and read timeout in seconds (the environment wins; default 1). */
  timeoutSeconds?: number;
  /** Profile metadata_service_num_attempts (the environment wins; default 1). */
  attempts?: number;
  /** Profile ec2_metadata_service_endpoint. */
  endpoint?: string;
  /** Profile ec2_metadata_service_endpoint_mode. */
  endpointMode?: 'ipv4' | 'ipv6';
  /** Profile ec2_metadata_v1_disabled. */
  v1Disabled?: boolean;
  /** Sent as User-Agent on every IMDS request, as botocore sends the session's. */
  userAgent?: string;
  /** The clock (epoch ms), for tests: expiry extension and refresh timing. */
  now?: () => number;
}

/** Everything IMDSFetcher needs, resolved and validated. */
export interface ImdsSettings {
  disabled: boolean;
  timeoutSeconds: number;
  attempts: number;
  baseUrl: string;
  v1Disabled: boolean;
  userAgent: string | undefined;
}

/**
 * Environment first, then the options (the profile values), then botocore's defaults; the
 * environment is read once, as botocore copies os.environ when it builds the fetcher.
 * Throws InvalidConfigError for an endpoint, mode or number botocore would refuse.
 */
export function resolveImdsSettings(options: ImdsOptions = {}): ImdsSettings {
  const env = options.env ?? process.env;
  const timeoutText = env.AWS_METADATA_SERVICE_TIMEOUT;
  const attemptsText = env.AWS_METADATA_SERVICE_NUM_ATTEMPTS;
  const v1Text = env.AWS_EC2_METADATA_V1_DISABLED;
  return {
    disabled: (env.AWS_EC2_METADATA_DISABLED ?? 'false').toLowerCase() === 'true',
    timeoutSeconds: timeoutText !== undefined ? pythonInt('AWS_METADATA_SERVICE_TIMEOUT', timeoutText) : (options.timeoutSeconds ?? 1),
    attempts: attemptsText !== undefined ? pythonInt('AWS_METADATA_SERVICE_NUM_ATTEMPTS', attemptsText) : (options.attempts ?? 1),
    baseUrl: selectBaseUrl(env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? options.endpoint, resolveEndpointMode(env, options)),
    // botocore's ensure_boolean: only the text 'true' (any case) is true.
    v1Disabled: v1Text !== undefined ? v1Text.toLowerCase() === 'true' : options.v1Disabled === true,
    userAgent: options.userAgent,
  };
}

/** botocore's int() conversion of the two numeric settings: whole numbers only, '_' between digits allowed. */
function pythonInt(variable: string, text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(trimmed)) {
    throw new InvalidConfigError(`${variable} must be a whole number of ${variable.endsWith('TIMEOUT') ? 'seconds' : 'attempts'}, not ${JSON.stringify(text)}`);
  }
  return Number(trimmed.replace(/_/g, ''));
}

/** botocore's resolve_imds_endpoint_mode: an explicit mode (validated), else imds_use_ipv6, else ipv4. */
function resolveEndpointMode(env: NodeJS.ProcessEnv, options: ImdsOptions): 'ipv4' | 'ipv6' {
  const mode: string | undefined = env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE ?? options.endpointMode;
  if (mode !== undefined) {
    const lower = mode.toLowerCase();
    if (lower !== 'ipv4' && lower !== 'ipv6') throw new InvalidIMDSEndpointModeError(mode);
    return lower;
  }
  return env.AWS_IMDS_USE_IPV6?.toLowerCase() === 'true' ? 'ipv6' : 'ipv4';
}

/** botocore's _select_base_url: a custom endpoint wins over the mode; the result must be a valid URI. */
function selectBaseUrl(custom: string | undefined, mode: 'ipv4' | 'ipv6'): string {
  // An empty custom endpoint counts as none, as in botocore (it tests truthiness).
  const chosen = custom ? custom : mode === 'ipv6' ? IMDS_BASE_URL_IPV6 : IMDS_BASE_URL;
  if (!isValidUri(chosen)) throw new InvalidIMDSEndpointError(chosen);
  // botocore leaves other schemes to fail in urllib3; here they fail now, with the same error.
  let parsed: URL;
  try {
    parsed = new URL(chosen);
  } catch {
    throw new InvalidIMDSEndpointError(chosen);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidIMDSEndpointError(chosen);
  return chosen;
}

const HOST_LABELS = /^((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))$/i;
const ZONE_ID = /^(?:[A-Za-z0-9._!~-]|%[0-9a-fA-F]{2})+$/;

/** botocore's is_valid_uri: a host made of DNS labels (IPv4 included), or an IPv6 literal with an optional zone. */
function isValidUri(url: string): boolean {
  if (/[\t\r\n]/.test(url)) return false;
  let hostname: string | undefined;
  try {
    hostname = pythonUrlSplit(url).hostname;
  } catch {
    return false;
  }
  if (hostname === undefined) return false;
  if (hostname.length <= 255 && HOST_LABELS.test(hostname.endsWith('.') ? hostname.slice(0, -1) : hostname)) return true;
  const percent = hostname.indexOf('%');
  if (percent < 0) return nodeNet().isIPv6(hostname);
  // The zone may be written %25name or %name.
  const zone = hostname.slice(percent + 1);
  return nodeNet().isIPv6(hostname.slice(0, percent)) && ZONE_ID.test(zone.startsWith('25') && zone.length > 2 ? zone.slice(2) : zone);
}
