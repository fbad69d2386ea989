/**
 * Credentials from the ECS task / EKS pod identity endpoint, as botocore's ContainerProvider
 * and ContainerMetadataFetcher get them:
 *
 * - Only when AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (appended to http://169.254.170.2) or
 *   AWS_CONTAINER_CREDENTIALS_FULL_URI is set; the relative one wins.
 * - The URL must be https, or name a loopback address or one of the ECS/EKS hosts. The check
 *   runs on every fetch, before any connection, on the host as Python's urlparse reads it, and
 *   the request goes to exactly that host.
 * - An Authorization header from the file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names (read
 *   again on every fetch, so a rotated EKS token is picked up) or else from
 *   AWS_CONTAINER_AUTHORIZATION_TOKEN; a token with CR or LF is refused.
 * - Three attempts one second apart, two-second timeouts; a non-200, unparseable JSON or a
 *   connection failure is retried, and when attempts run out it is an error (the variables say
 *   credentials should be here), never null.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CredentialRetrievalError, InvalidConfigError } from '../errors.js';
import { NodeHttpClient } from '../http/transport.js';
import { MetadataRetrievalError, describeTarget, isLoopbackAddress, isRetryableHttpError, metadataRequest, pythonUrlSplit, type MetadataResponse, type MetadataTarget, type PythonUrlParts } from './imds.js';
import { RefreshableCredentials } from './refreshable.js';
import { parseTimestamp } from './timestamps.js';
import type { CredentialProvider, CredentialsData } from './types.js';
import { fsPromises } from '../builtins.js';

const METHOD = 'container-role';
const RELATIVE_URI_VAR = 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
const FULL_URI_VAR = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const TOKEN_VAR = 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
const TOKEN_FILE_VAR = 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
/** The ECS task metadata address that relative URIs are resolved against. */
export const ECS_CONTAINER_HOST = '169.254.170.2';
/** botocore's ContainerMetadataFetcher._ALLOWED_HOSTS: ECS, EKS Pod Identity (IPv4 and IPv6), localhost. */
export const CONTAINER_ALLOWED_HOSTS: readonly string[] = [ECS_CONTAINER_HOST, '169.254.170.23', 'fd00:ec2::23', 'localhost'];
const DEFAULT_TIMEOUT_SECONDS = 2;
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_RETRY_DELAY_SECONDS = 1;
/** Error bodies go into messages; past this they are cut (a whole HTML page helps nobody). */
const MAX_ERROR_BODY_CHARS = 1024;
const REQUIRED_FIELDS = ['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration'] as const;

export interface ContainerOptions {
  /** Where the AWS_CONTAINER_* variables are read, at every load and fetch (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Connect and read timeout per attempt, seconds (default 2, botocore's TIMEOUT_SECONDS). */
  timeoutSeconds?: number;
  /** Attempts before giving up (default 3, botocore's RETRY_ATTEMPTS). */
  attempts?: number;
  /** Pause after each failed attempt, seconds (default 1, botocore's SLEEP_TIME). */
  retryDelaySeconds?: number;
  /** The clock (epoch ms), for tests: refresh timing. */
  now?: () => number;
}

/** A container credentials URI names a host botocore will not fetch from over plain http (its ValueError). */
export class UnsupportedContainerHostError extends InvalidConfigError {
  constructor(readonly host: string, readonly variable: string) {
    super(`Unsupported host '${host}' in ${variable}.  Can only retrieve metadata from a loopback address or one of these hosts: ${CONTAINER_ALLOWED_HOSTS.join(', ')}`);
  }
}

/** The URI the variables point at, and which variable said so (for messages); null when neither is set. */
export function containerCredentialsUri(env: NodeJS.ProcessEnv): { uri: string; variable: string } | null {
  const relative = env[RELATIVE_URI_VAR];
  // Presence is what counts, as in botocore: an empty relative URI still means 169.254.170.2.
  if (relative !== undefined) return { uri: `http://${ECS_CONTAINER_HOST}${relative}`, variable: RELATIVE_URI_VAR };
  const full = env[FULL_URI_VAR];
  return full === undefined ? null : { uri: full, variable: FULL_URI_VAR };
}

/**
 * Where a container credentials URI may send us (botocore's _validate_allowed_url): any https
 * URL; http only to a loopback address or an allowed host. Throws UnsupportedContainerHostError
 * (an InvalidConfigError) before any connection is made, naming the host and the variable.
 */
export function containerTarget(uri: string, variable: string = FULL_URI_VAR): MetadataTarget {
  let parts: PythonUrlParts;
  try {
    parts = pythonUrlSplit(uri);
  } catch (err) {
    throw new InvalidConfigError(`${variable} is not a valid URL (${JSON.stringify(uri)}): ${(err as Error).message}`);
  }
  const host = parts.hostname;
  if (parts.scheme !== 'https') {
    const allowed = host !== undefined && (isLoopbackAddress(host) || CONTAINER_ALLOWED_HOSTS.includes(host));
    if (!allowed) throw new UnsupportedContainerHostError(host ?? '', variable);
    if (parts.scheme !== 'http') throw new InvalidConfigError(`${variable} must be an http or https URL, not ${JSON.stringify(uri)}`);
  }
  if (host === undefined) throw new InvalidConfigError(`${variable} has no host: ${JSON.stringify(uri)}`);
  return {
    protocol: parts.scheme === 'https' ? 'https:' : 'http:',
    // The zone of a scoped IPv6 address is written %25 in URLs; the socket wants the bare name.
    hostname: host.replace(/%25/, '%'),
    port: parsePort(parts.portText, variable),
    pathAndQuery: encodeTarget(`${parts.path || '/'}${parts.query === '' ? '' : `?${parts.query}`}`),
  };
}

function parsePort(text: string, variable: string): number | undefined {
  if (text === '') return undefined;
  const port = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new InvalidConfigError(`${variable} has an invalid port: ${JSON.stringify(text)}`);
  return port;
}

/** Percent-encodes what node would refuse in a request target (spaces, controls, non-ASCII), as urllib3 does. */
function encodeTarget(target: string): string {
  return target.replace(/[^\x21-\x7e]/gu, (ch) => encodeURIComponent(ch));
}

/**
 * The Authorization header value, read now (botocore's _build_headers): the token file wins
 * over the variable. Undefined when neither is set. Messages name the source, never the token.
 */
export async function containerAuthToken(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const file = env[TOKEN_FILE_VAR];
  let token: string | undefined;
  let source: string;
  if (file !== undefined) {
    source = `the file ${JSON.stringify(file)} (${TOKEN_FILE_VAR})`;
    try {
      token = await fsPromises().readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new CredentialRetrievalError(METHOD, `cannot read the authorization token from ${source}: ${code}`);
    }
  } else {
    source = TOKEN_VAR;
    token = env[TOKEN_VAR];
  }
  if (token !== undefined) validateHeaderValue(token, source);
  return token;
}

function validateHeaderValue(token: string, source: string): void {
  // A CR or LF could inject headers into the request; botocore refuses them with this text.
  if (token.includes('\r') || token.includes('\n')) {
    throw new InvalidConfigError(`Auth token value is not a legal header value (from ${source}: it contains a CR or LF)`);
  }
  // What node:http would refuse anyway, said here without leaking the value.
  if (/[^\t\x20-\x7e\x80-\xff]/.test(token)) {
    throw new InvalidConfigError(`Auth token value is not a legal header value (from ${source}: it contains a character not allowed in an HTTP header)`);
  }
}

/** GETs container credential JSON with botocore's attempts, pause and error wording (botocore's ContainerMetadataFetcher). */
export class ContainerMetadataFetcher {
  readonly #http: NodeHttpClient;
  readonly #attempts: number;
  readonly #retryDelayMs: number;

  constructor(options: ContainerOptions = {}) {
    // As for IMDS: 0 means "fail at once" to urllib3 but "never" to the transport.
    const timeout = Math.max(options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, 0.001);
    this.#http = new NodeHttpClient({ connectTimeout: timeout, readTimeout: timeout, maxPoolConnections: 1 });
    this.#attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    this.#retryDelayMs = Math.max(0, (options.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS) * 1000);
  }

  /** Closes pooled sockets. */
  destroy(): void {
    this.#http.destroy();
  }

  /**
   * The endpoint's JSON (botocore's _retrieve_credentials). Throws MetadataRetrievalError when
   * every attempt failed; other failures (a request node refuses to send) at once.
   */
  async retrieve(target: MetadataTarget, authorization: string | undefined): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#getResponse(target, headers);
      } catch (err) {
        if (!(err instanceof MetadataRetrievalError)) throw err;
        // botocore pauses after every failure, the last one included, before deciding.
        if (this.#retryDelayMs > 0) await sleep(this.#retryDelayMs);
        if (attempt >= this.#attempts) throw err;
      }
    }
  }

  async #getResponse(target: MetadataTarget, headers: Record<string, string>): Promise<unknown> {
    let response: MetadataResponse;
    try {
      response = await metadataRequest(this.#http, 'GET', target, headers);
    } catch (err) {
      if (!isRetryableHttpError(err)) throw err;
      throw new MetadataRetrievalError(`Received error when attempting to retrieve container metadata: ${(err as Error).message}`);
    }
    if (response.statusCode !== 200) {
      const body = response.text.length > MAX_ERROR_BODY_CHARS ? `${response.text.slice(0, MAX_ERROR_BODY_CHARS)}...` : response.text;
      throw new MetadataRetrievalError(`Received non 200 response ${response.statusCode} from container metadata: ${body}`);
    }
    try {
      return JSON.parse(response.text) as unknown;
    } catch {
      throw new MetadataRetrievalError('Unable to parse JSON returned from container metadata services');
    }
  }
}

/** Role credentials from the ECS/EKS container endpoint (botocore's ContainerProvider), refreshed from it. */
export class ContainerProvider implements CredentialProvider {
  readonly method = METHOD;
  readonly #env: NodeJS.ProcessEnv;
  readonly #fetcher: ContainerMetadataFetcher;
  readonly #now: (() => number) | undefined;

  constructor(options: ContainerOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#fetcher = new ContainerMetadataFetcher(options);
    this.#now = options.now;
  }

  /**
   * Null when neither URI variable is set. Otherwise credentials or an error: CredentialRetrievalError
   * when the endpoint fails or answers without credentials, InvalidConfigError for a refused
   * host or token.
   */
  async load(): Promise<RefreshableCredentials | null> {
    const found = containerCredentialsUri(this.#env);
    if (found === null) return null;
    const fetchCredentials = (): Promise<CredentialsData & { expiration: Date }> => this.#fetch(found.uri, found.variable);
    return RefreshableCredentials.create(fetchCredentials, this.method, this.#now === undefined ? {} : { now: this.#now });
  }

  /** One fetch (botocore's fetch_creds): token first, then the host check, then the request. */
  async #fetch(uri: string, variable: string): Promise<CredentialsData & { expiration: Date }> {
    const authorization = await containerAuthToken(this.#env);
    const target = containerTarget(uri, variable);
    let document: unknown;
    try {
      document = await this.#fetcher.retrieve(target, authorization);
    } catch (err) {
      if (err instanceof MetadataRetrievalError) throw new CredentialRetrievalError(this.method, err.message);
      throw err;
    }
    return credentialsFrom(document, describeTarget(target));
  }
}

/** The four required fields (botocore indexes them, so a missing one is an error) and AccountId if present. */
function credentialsFrom(document: unknown, where: string): CredentialsData & { expiration: Date } {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new CredentialRetrievalError(METHOD, `the answer from ${where} is not a JSON object`);
  }
  const fields = document as Record<string, unknown>;
  for (const field of REQUIRED_FIELDS) {
    if (!(field in fields)) throw new CredentialRetrievalError(METHOD, `the answer from ${where} has no ${field}`);
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration, AccountId } = fields;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string') {
    throw new CredentialRetrievalError(METHOD, `the answer from ${where} has an AccessKeyId or SecretAccessKey that is not a string`);
  }
  if (Token !== null && typeof Token !== 'string') throw new CredentialRetrievalError(METHOD, `the answer from ${where} has a Token that is not a string`);
  const expiresAt = parseTimestamp(Expiration);
  if (expiresAt === undefined) {
    throw new CredentialRetrievalError(METHOD, `the answer from ${where} has an Expiration that is not a timestamp: ${JSON.stringify(Expiration)}`);
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: Token ?? undefined,
    expiration: new Date(expiresAt),
    accountId: typeof AccountId === 'string' ? AccountId : undefined,
  };
}
