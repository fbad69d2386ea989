/**
 * Credentials from the EC2 instance metadata service (IMDS), as botocore's IMDSFetcher,
 * InstanceMetadataFetcher and InstanceMetadataProvider do it:
 *
 * - IMDSv2 first: PUT latest/api/token with a six-hour TTL. A 403/404/405, a read timeout or
 *   running out of attempts means "no token" and the GETs go out without one (IMDSv1), unless
 *   IMDSv1 is disabled, which is an error. A 400 means this will never work: no credentials.
 * - GET latest/meta-data/iam/security-credentials/ for the role name, then the role's JSON.
 *   Non-200, empty or (for the credentials) unparseable answers are retried up to `attempts`
 *   times, as are connection failures and timeouts; when attempts run out there are simply no
 *   credentials here (null), which is also the answer when IMDS is disabled.
 * - Credentials that expire within the refresh window are given a short extension (botocore's
 *   "static stability"): an instance keeps working through an IMDS outage with the last
 *   credentials it saw, and tries again a few minutes later.
 *
 * The settings and their validation are in imds-settings.ts, and Python-style URL splitting in
 * python-url.ts, so that the chain can validate at client creation without loading this
 * module; both are re-exported here. The helpers at the bottom (the retryable HTTP errors and
 * one metadata request) are shared with container.ts.
 */
import { isIPv4, isIPv6 } from 'node:net';
import {
  ConnectTimeoutError,
  ConnectionClosedError,
  CredentialRetrievalError,
  EndpointConnectionError,
  IniaError,
  ReadTimeoutError,
  ResponseParserError,
} from '../errors.js';
import { NodeHttpClient, readBody } from '../http/transport.js';
import type { HttpRequest } from '../http/types.js';
import { resolveImdsSettings, type ImdsOptions, type ImdsSettings } from './imds-settings.js';
import { isValidScope } from './python-url.js';
import { RefreshableCredentials } from './refreshable.js';
import { formatUtcSeconds, parseTimestamp } from './timestamps.js';
import type { CredentialProvider, CredentialsData } from './types.js';

// Moved out so that they load without the fetchers; every existing import from here still works.
export {
  IMDS_BASE_URL,
  IMDS_BASE_URL_IPV6,
  InvalidIMDSEndpointError,
  InvalidIMDSEndpointModeError,
  resolveImdsSettings,
  type ImdsOptions,
  type ImdsSettings,
} from './imds-settings.js';
export { pythonUrlSplit, type PythonUrlParts } from './python-url.js';

const TOKEN_PATH = 'latest/api/token';
/** Six hours, the longest IMDS allows; botocore asks for the same. */
const TOKEN_TTL_SECONDS = '21600';
const TOKEN_TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const ROLE_PATH = 'latest/meta-data/iam/security-credentials/';
const REQUIRED_FIELDS = ['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration'] as const;
/**
 * botocore's create_credential_resolver passes _DEFAULT_ADVISORY_REFRESH_TIMEOUT (15 minutes)
 * as ec2_credential_refresh_window; the fetcher adds 2 to 10 minutes of jitter.
 */
const REFRESH_WINDOW_SECONDS = 15 * 60;
const JITTER_MIN_SECONDS = 120;
const JITTER_MAX_SECONDS = 600;

// ---------------------------------------------------------------- errors

/** A metadata endpoint answered, but not with something usable (botocore's MetadataRetrievalError). */
export class MetadataRetrievalError extends IniaError {
  constructor(readonly problem: string) {
    super(`Error retrieving metadata: ${problem}`);
  }
}

/**
 * Control flow, not a user-facing failure (botocore's _RetriesExceededError): IMDS is disabled
 * or never gave a usable answer. The credential fetcher turns it into "no credentials".
 */
export class ImdsRetriesExceededError extends IniaError {
  constructor() {
    super('The instance metadata service gave no usable answer within the allowed attempts');
  }
}

/** IMDS said 400 to the token request (botocore's BadIMDSRequestError): no credentials here. */
export class BadImdsRequestError extends IniaError {
  constructor(readonly url: string) {
    super(`The instance metadata service rejected the token request as bad: PUT ${url}`);
  }
}

// ---------------------------------------------------------------- the fetcher

/** A metadata answer, read in full (urllib3 preloads the body inside send, so its timeouts apply to it too). */
export interface MetadataResponse {
  readonly statusCode: number;
  readonly body: Uint8Array;
  /** The body decoded as UTF-8. */
  readonly text: string;
}

/** Decides from an answer whether to try again (botocore's retry_func). */
export type RetryCheck = (response: MetadataResponse) => boolean;

/**
 * Requests to IMDS with botocore's token handling, attempts and timeouts (botocore's
 * IMDSFetcher). The base for the credential fetcher here, and for a region fetcher.
 */
export class IMDSFetcher {
  readonly #settings: ImdsSettings;
  readonly #http: NodeHttpClient;

  constructor(settings: ImdsSettings) {
    this.#settings = settings;
    // One timeout for connect and read, as botocore's URLLib3Session(timeout=...). A timeout of 0
    // or less would mean "never" to the transport; for urllib3 it means "fail at once".
    const timeout = Math.max(settings.timeoutSeconds, 0.001);
    this.#http = new NodeHttpClient({ connectTimeout: timeout, readTimeout: timeout, maxPoolConnections: 1 });
  }

  get baseUrl(): string {
    return this.#settings.baseUrl;
  }

  get attempts(): number {
    return this.#settings.attempts;
  }

  /** Closes pooled sockets. */
  destroy(): void {
    this.#http.destroy();
  }

  /**
   * An IMDSv2 session token, or null to go on without one (botocore's _fetch_metadata_token).
   * Throws ImdsRetriesExceededError when disabled, BadImdsRequestError on a 400.
   */
  async fetchMetadataToken(): Promise<string | null> {
    this.#assertEnabled();
    const url = this.#url(TOKEN_PATH);
    for (let attempt = 0; attempt < this.#settings.attempts; attempt++) {
      let response: MetadataResponse;
      try {
        response = await metadataRequest(this.#http, 'PUT', url, this.#headers({ [TOKEN_TTL_HEADER]: TOKEN_TTL_SECONDS }));
      } catch (err) {
        // A read timeout usually means an IMDSv1-only endpoint (or a hop limit) that will never
        // answer the PUT: go straight to v1 rather than spend the remaining attempts.
        if (err instanceof ReadTimeoutError) return null;
        if (isRetryableHttpError(err)) continue;
        throw err;
      }
      if (response.statusCode === 200) return response.text;
      // IMDSv2 unsupported or forbidden here: IMDSv1 may still work.
      if (response.statusCode === 404 || response.statusCode === 403 || response.statusCode === 405) return null;
      if (response.statusCode === 400) throw new BadImdsRequestError(url.href);
      // Any other status: try again.
    }
    return null;
  }

  /**
   * GET `urlPath` until `needsRetry` is satisfied or attempts run out (botocore's _get_request).
   * Without a token this is IMDSv1, refused with MetadataRetrievalError when v1 is disabled.
   */
  async getRequest(urlPath: string, needsRetry: RetryCheck, token: string | null): Promise<MetadataResponse> {
    this.#assertEnabled();
    if (!token) this.#assertV1Enabled();
    const url = this.#url(urlPath);
    const headers = this.#headers(token === null ? {} : { [TOKEN_HEADER]: token });
    for (let attempt = 0; attempt < this.#settings.attempts; attempt++) {
      try {
        const response = await metadataRequest(this.#http, 'GET', url, headers);
        if (!needsRetry(response)) return response;
      } catch (err) {
        if (!isRetryableHttpError(err)) throw err;
      }
    }
    throw new ImdsRetriesExceededError();
  }

  /** botocore's _default_retry: anything but a 200 with a body. */
  static nonOkOrEmpty(this: void, response: MetadataResponse): boolean {
    return response.statusCode !== 200 || response.body.length === 0;
  }

  #url(path: string): URL {
    const base = this.#settings.baseUrl;
    const sep = base !== '' && !base.endsWith('/') ? '/' : '';
    return new URL(`${base}${sep}${path}`);
  }

  #headers(extra: Record<string, string>): Record<string, string> {
    const agent = this.#settings.userAgent;
    return agent === undefined ? extra : { ...extra, 'user-agent': agent };
  }

  #assertEnabled(): void {
    if (this.#settings.disabled) throw new ImdsRetriesExceededError();
  }

  #assertV1Enabled(): void {
    if (this.#settings.v1Disabled) {
      throw new MetadataRetrievalError('Unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled');
    }
  }
}

/** What the instance's role credentials resolve to. */
export interface ImdsRoleCredentials extends CredentialsData {
  roleName: string;
  expiration: Date;
}

/** IMDS role credentials (botocore's InstanceMetadataFetcher.retrieve_iam_role_credentials). */
export class InstanceMetadataFetcher extends IMDSFetcher {
  readonly #now: () => number;

  constructor(settings: ImdsSettings, now: () => number = Date.now) {
    super(settings);
    this.#now = now;
  }

  /**
   * The role's credentials, or null when there are none to be had: IMDS disabled or not
   * answering, no role attached, an error document instead of credentials, or a 400 on the
   * token request. Throws MetadataRetrievalError when only IMDSv1 could work and it is disabled,
   * and lets unexpected transport failures through, as botocore does.
   */
  async retrieveIamRoleCredentials(): Promise<ImdsRoleCredentials | null> {
    let roleName: string;
    let document: unknown;
    try {
      const token = await this.fetchMetadataToken();
      roleName = (await this.getRequest(ROLE_PATH, IMDSFetcher.nonOkOrEmpty, token)).text;
      document = JSON.parse((await this.getRequest(ROLE_PATH + roleName, needsRetryForCredentials, token)).text);
    } catch (err) {
      if (err instanceof ImdsRetriesExceededError || err instanceof BadImdsRequestError) return null;
      throw err;
    }
    // IMDS can answer 200 with {"Code": ..., "Message": ...} (e.g. EC2 not trusted by the role):
    // not retried and not an error, just no credentials.
    if (!hasCredentialFields(document)) return null;
    const expiration = extendIfExpiring(document.Expiration, this.#now());
    return {
      roleName,
      accessKeyId: document.AccessKeyId,
      secretAccessKey: document.SecretAccessKey,
      sessionToken: document.Token ?? undefined,
      expiration: toDate(expiration),
    };
  }
}

/** botocore's _needs_retry_for_credentials: non-200, empty, or not JSON. */
function needsRetryForCredentials(response: MetadataResponse): boolean {
  if (IMDSFetcher.nonOkOrEmpty(response)) return true;
  try {
    JSON.parse(response.text);
    return false;
  } catch {
    return true;
  }
}

interface CredentialDocument {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string | null;
  Expiration: unknown;
}

/** botocore's _contains_all_credential_fields, plus the keys being text (anything else could not sign). */
function hasCredentialFields(document: unknown): document is CredentialDocument {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return false;
  const fields = document as Record<string, unknown>;
  if (!REQUIRED_FIELDS.every((field) => field in fields)) return false;
  return typeof fields.AccessKeyId === 'string' && typeof fields.SecretAccessKey === 'string' && (fields.Token === null || typeof fields.Token === 'string');
}

/** botocore's strptime('%Y-%m-%dT%H:%M:%SZ'): only this exact shape is considered for extension. */
const STRICT_EXPIRATION = /^(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9])T(2[0-3]|[01]\d|\d):([0-5]\d|\d):([0-5]\d|\d)Z$/;

function parseStrictExpiration(text: string): number | undefined {
  const m = STRICT_EXPIRATION.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls Feb 30 over into March; strptime refuses it.
  return new Date(ms).getUTCDate() === d ? ms : undefined;
}

/**
 * botocore's _evaluate_expiration ("static stability"): credentials that expire within the
 * refresh window plus 2-10 minutes of jitter, or have already expired, are treated as valid
 * until now + that interval. During an IMDS outage the instance keeps signing with what it
 * has, and the refresh tries again later instead of on every call.
 */
export function extendIfExpiring(expiration: unknown, nowMs: number, jitterSeconds: number = randomJitterSeconds()): unknown {
  if (typeof expiration !== 'string') return expiration;
  const expiresAt = parseStrictExpiration(expiration);
  if (expiresAt === undefined) return expiration;
  const offsetMs = (REFRESH_WINDOW_SECONDS + jitterSeconds) * 1000;
  return nowMs >= expiresAt - offsetMs ? formatUtcSeconds(nowMs + offsetMs) : expiration;
}

/** random.randint(120, 600): whole seconds, both ends included. */
function randomJitterSeconds(): number {
  return JITTER_MIN_SECONDS + Math.floor(Math.random() * (JITTER_MAX_SECONDS - JITTER_MIN_SECONDS + 1));
}

function toDate(expiration: unknown): Date {
  const ms = parseTimestamp(expiration);
  if (ms === undefined) {
    throw new CredentialRetrievalError('iam-role', `the instance metadata service returned an Expiration that is not a timestamp: ${JSON.stringify(expiration)}`);
  }
  return new Date(ms);
}

// ---------------------------------------------------------------- the provider

/** What refresh reports when IMDS no longer answers (botocore's RefreshableCredentials._set_from_data). */
const REFRESH_FAILED = 'Credential refresh failed, response did not contain: access_key, secret_key, token, expiry_time';

/** The instance role's credentials from IMDS (botocore's InstanceMetadataProvider), refreshed from IMDS. */
export class InstanceMetadataProvider implements CredentialProvider {
  readonly method = 'iam-role';
  readonly #fetcher: InstanceMetadataFetcher;
  readonly #now: () => number;

  /**
   * Throws InvalidConfigError for a bad endpoint, mode, timeout or attempt count, as botocore does when it builds the chain.
   * @param settings the options already resolved (resolveImdsSettings): the chain resolves them at client creation, so that
   *   their errors come then and the environment is read then, and builds this provider only when first asked
   */
  constructor(options: ImdsOptions = {}, settings: ImdsSettings = resolveImdsSettings(options)) {
    this.#now = options.now ?? Date.now;
    this.#fetcher = new InstanceMetadataFetcher(settings, this.#now);
  }

  async load(): Promise<RefreshableCredentials | null> {
    const first = await this.#fetcher.retrieveIamRoleCredentials();
    if (first === null) return null;
    const refresh = async (): Promise<CredentialsData & { expiration: Date }> => {
      const next = await this.#fetcher.retrieveIamRoleCredentials();
      if (next === null) throw new CredentialRetrievalError(this.method, REFRESH_FAILED);
      return withoutRoleName(next);
    };
    return new RefreshableCredentials(withoutRoleName(first), refresh, this.method, { now: this.#now });
  }
}

function withoutRoleName(creds: ImdsRoleCredentials): CredentialsData & { expiration: Date } {
  return { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken, expiration: creds.expiration };
}

// ---------------------------------------------------------------- shared with container.ts

/** botocore's RETRYABLE_HTTP_ERRORS: the failures worth another attempt. */
export function isRetryableHttpError(err: unknown): boolean {
  return (
    err instanceof ReadTimeoutError ||
    err instanceof EndpointConnectionError ||
    err instanceof ConnectionClosedError ||
    err instanceof ConnectTimeoutError
  );
}

/** Where one metadata request goes; `hostname` is bare (no IPv6 brackets). */
export interface MetadataTarget {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  /** The request target: path and query, percent-encoded. */
  pathAndQuery: string;
}

/** One request, body read in full. A body cut short counts as a closed connection, as urllib3's ProtocolError does. */
export async function metadataRequest(
  http: NodeHttpClient,
  method: 'GET' | 'PUT',
  target: URL | MetadataTarget,
  headers: Record<string, string>,
): Promise<MetadataResponse> {
  const where = target instanceof URL ? targetOf(target) : target;
  const question = where.pathAndQuery.indexOf('?');
  const request: HttpRequest = {
    method,
    protocol: where.protocol,
    hostname: where.hostname,
    port: where.port,
    path: question < 0 ? where.pathAndQuery : where.pathAndQuery.slice(0, question),
    query: question < 0 ? '' : where.pathAndQuery.slice(question + 1),
    headers,
    // An explicit empty body gives the PUT a Content-Length: 0 rather than chunked encoding.
    body: method === 'PUT' ? '' : undefined,
  };
  const response = await http.send(request);
  let body: Uint8Array;
  try {
    body = await readBody(response);
  } catch (err) {
    if (err instanceof ResponseParserError) throw new ConnectionClosedError(describeTarget(where), err);
    throw err;
  }
  return { statusCode: response.statusCode, body, text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') };
}

function targetOf(url: URL): MetadataTarget {
  return {
    protocol: url.protocol === 'https:' ? 'https:' : 'http:',
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    pathAndQuery: `${url.pathname}${url.search}`,
  };
}

/** scheme://host[:port]/path for messages (no header, so no token, ever appears). */
export function describeTarget(target: MetadataTarget): string {
  const host = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname;
  return `${target.protocol}//${host}${target.port === undefined ? '' : `:${target.port}`}${target.pathAndQuery}`;
}

/** Python's ipaddress.ip_address(host).is_loopback (3.11): 127.0.0.0/8 or ::1 (a zone allowed; IPv4-mapped not). */
export function isLoopbackAddress(host: string): boolean {
  if (isIPv4(host)) return host.startsWith('127.');
  const percent = host.indexOf('%');
  if (percent >= 0 && !isValidScope(host.slice(percent + 1))) return false;
  const groups = ipv6Groups(percent < 0 ? host : host.slice(0, percent));
  return groups !== undefined && groups.every((group, i) => group === (i === 7 ? 1 : 0));
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 included), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  if (!isIPv6(address)) return undefined;
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return undefined;
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length > 1 ? [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest] : head;
  return groups.length === 8 ? groups.map((group) => parseInt(group, 16)) : undefined;
}
