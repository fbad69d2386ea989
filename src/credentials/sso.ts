/**
 * Credentials from IAM Identity Center (SSO), as botocore's SSOProvider, SSOCredentialFetcher,
 * SSOTokenProvider and SSOTokenLoader: the profile names a role and an account; the access token
 * that `aws sso login` left in ~/.aws/sso/cache is exchanged for role credentials with SSO
 * GetRoleCredentials. A profile with `sso_session` reads its start URL and region from the
 * `[sso-session name]` section and its token refreshes itself through SSO OIDC CreateToken (the
 * cache file is written back as botocore writes it); a legacy profile (start URL and region in
 * the profile) has a token that never refreshes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ClientError, CredentialRetrievalError, IniaError, InvalidConfigError } from '../errors.js';
import { RefreshableCredentials } from './refreshable.js';
import { formatUtcSeconds, parseTimestamp } from './timestamps.js';
import type { CredentialProvider, CredentialsData, ProfileData } from './types.js';
import { fsPromises } from '../builtins.js';


type Operation = (p: Record<string, unknown>) => Promise<Record<string, unknown>>;

export type { ProfileData } from './types.js';

/** Makes the inia clients the provider calls ('sso' for GetRoleCredentials, 'sso-oidc' for CreateToken) in a region. */
export type SsoClientFactory = (service: 'sso' | 'sso-oidc', region: string) => { getRoleCredentials?: Operation; createToken?: Operation; destroy?: () => void };

export interface SsoOptions {
  profileName: string;
  profile: ProfileData;
  ssoSessions: Record<string, ProfileData>;
  clients: SsoClientFactory;
  /** Where `aws sso login` keeps its tokens; default ~/.aws/sso/cache. */
  cacheDir?: string;
  /** For HOME (the default cache dir). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The clock (epoch ms), for tests. */
  now?: () => number;
}

/** botocore's SSOError: the base of the SSO failures below. */
export class SSOError extends IniaError {
  constructor(message = 'An unspecified error happened when resolving AWS credentials or an access token from SSO.') {
    super(message);
  }
}

/** The cached SSO token is missing or unreadable (botocore's SSOTokenLoadError). */
export class SSOTokenLoadError extends SSOError {
  constructor(readonly problem: string) {
    super(`Error loading SSO Token: ${problem}`);
  }
}

/** The SSO token expired or the portal refused it (botocore's UnauthorizedSSOTokenError). */
export class UnauthorizedSSOTokenError extends SSOError {
  constructor() {
    super('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.');
  }
}

/** A token could not be had (botocore's TokenRetrievalError). */
export class TokenRetrievalError extends IniaError {
  constructor(readonly provider: string, readonly problem: string) {
    super(`Error when retrieving token from ${provider}: ${problem}`);
  }
}

const METHOD = 'sso';
/** SSOTokenProvider._REFRESH_WINDOW: a token with less than 15 minutes left is refreshed. */
const TOKEN_REFRESH_WINDOW_MS = 15 * 60 * 1000;
/** CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS: cached role credentials count as expired 15 minutes early. */
const CREDENTIAL_EXPIRY_WINDOW_MS = 15 * 60 * 1000;
const PROFILE_REQUIRED = ['sso_role_name', 'sso_account_id'] as const;
const SSO_REQUIRED = ['sso_start_url', 'sso_region'] as const;
/** The keys a cached token needs before it can be refreshed, in botocore's order. */
const REFRESH_KEYS = ['refreshToken', 'clientId', 'clientSecret', 'registrationExpiresAt'] as const;

// ---------------------------------------------------------------- timestamps


// ---------------------------------------------------------------- the token cache

/** The cache file name (without `.json`): SHA-1 hex of the session name, or of the start URL for legacy profiles. */
export function ssoTokenCacheKey(startUrl: string, sessionName?: string): string {
  return createHash('sha1').update(sessionName ?? startUrl, 'utf8').digest('hex');
}

/**
 * Python's json.dumps with its defaults (', ' and ': ' separators, non-ASCII escaped), so a
 * token file written here is byte for byte the one botocore writes.
 */
export function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const items = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${items.map(([k, v]) => `${asciiJson(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return asciiJson(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

/** A JSON string with everything outside printable ASCII escaped, as Python's ensure_ascii does. */
function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type TokenDict = Record<string, unknown>;

/** botocore's JSONFileCache over the SSO cache directory, with SSOTokenLoader's checks. */
class SsoTokenCache {
  constructor(private readonly dir: string) {}

  /** The cached token (SSOTokenLoader.__call__): it must exist and carry accessToken and expiresAt. */
  async load(startUrl: string, sessionName: string | undefined): Promise<TokenDict & { accessToken: string; expiresAt: string }> {
    const path = this.#path(ssoTokenCacheKey(startUrl, sessionName));
    if (!(await isFile(path))) throw new SSOTokenLoadError(`Token for ${sessionName ?? startUrl} does not exist`);
    let token: unknown;
    try {
      token = JSON.parse(await fsPromises().readFile(path, 'utf8'));
    } catch {
      // botocore lets a KeyError escape here; a named error says which token is broken.
      throw new SSOTokenLoadError(`Token for ${startUrl} is invalid`);
    }
    if (!isTokenDict(token)) throw new SSOTokenLoadError(`Token for ${startUrl} is invalid`);
    return token;
  }

  /** JSONFileCache.__setitem__: a private temp file in the directory, synced, then renamed over the entry. */
  async save(startUrl: string, sessionName: string | undefined, token: TokenDict): Promise<void> {
    await fsPromises().mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `${randomBytes(8).toString('hex')}.tmp`);
    const handle = await fsPromises().open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(pythonJsonDumps(token), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fsPromises().rename(temp, this.#path(ssoTokenCacheKey(startUrl, sessionName)));
    } catch (err) {
      await fsPromises().rm(temp, { force: true });
      throw err;
    }
  }

  #path(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}

function isTokenDict(value: unknown): value is TokenDict & { accessToken: string; expiresAt: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const token = value as TokenDict;
  return typeof token.accessToken === 'string' && typeof token.expiresAt === 'string';
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await fsPromises().stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The expiry of a token field; an unreadable one is a broken cache entry, said as such. */
function tokenTime(token: TokenDict, key: 'expiresAt' | 'registrationExpiresAt', startUrl: string): number {
  const at = parseTimestamp(token[key]);
  if (at === undefined) throw new SSOTokenLoadError(`Token for ${startUrl} is invalid: ${key} is not a timestamp`);
  return at;
}

// ---------------------------------------------------------------- configuration

interface SsoConfig {
  startUrl: string;
  region: string;
  roleName: string;
  accountId: string;
  /** Set for profiles that use an [sso-session] section (refreshable tokens). */
  sessionName?: string;
  /** The [sso-session] section itself (SSOTokenProvider reads only that). */
  session?: ProfileData;
}

function has(section: ProfileData, key: string): boolean {
  return typeof section[key] === 'string';
}

function sameValue(a: string | Record<string, string>, b: string | Record<string, string>): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : JSON.stringify(a) === JSON.stringify(b);
}

function shown(value: string | Record<string, string>): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** SSOProvider._resolve_sso_session_reference: the profile with its sso-session's values merged in, conflicts refused. */
function mergeSession(profile: ProfileData, sessionName: string, ssoSessions: Record<string, ProfileData>): ProfileData {
  const session = Object.hasOwn(ssoSessions, sessionName) ? ssoSessions[sessionName] : undefined;
  if (session === undefined) throw new InvalidConfigError(`The specified sso-session does not exist: "${sessionName}"`);
  const merged: ProfileData = { ...profile };
  for (const [key, value] of Object.entries(session)) {
    const own = merged[key];
    if (own !== undefined && !sameValue(own, value)) {
      throw new InvalidConfigError(`The value for ${key} is inconsistent between profile (${shown(own)}) and sso-session (${shown(value)}).`);
    }
    merged[key] = value;
  }
  return merged;
}

/** SSOProvider._load_sso_config: null when the profile names neither a role nor an account. */
function resolveSsoConfig(profileName: string, profile: ProfileData, ssoSessions: Record<string, ProfileData>): SsoConfig | null {
  if (!PROFILE_REQUIRED.some((key) => has(profile, key))) return null;
  const sessionName = typeof profile.sso_session === 'string' ? profile.sso_session : undefined;
  const resolved = sessionName === undefined ? profile : mergeSession(profile, sessionName, ssoSessions);
  const required: string[] = [...PROFILE_REQUIRED, ...SSO_REQUIRED, ...(sessionName === undefined ? [] : ['sso_session'])];
  const missing = required.filter((key) => !has(resolved, key));
  if (missing.length > 0) {
    throw new InvalidConfigError(`The profile "${profileName}" is configured to use SSO but is missing required configuration: ${missing.join(', ')}`);
  }
  const value = (key: string): string => resolved[key] as string;
  return {
    startUrl: value('sso_start_url'),
    region: value('sso_region'),
    roleName: value('sso_role_name'),
    accountId: value('sso_account_id'),
    ...(sessionName === undefined ? {} : { sessionName, session: ssoSessions[sessionName] }),
  };
}

/** SSOTokenProvider._load_sso_config: the token provider reads the [sso-session] section alone. */
function checkTokenSession(profileName: string, sessionName: string, session: ProfileData | undefined): { startUrl: string; region: string } {
  if (session === undefined || Object.keys(session).length === 0) {
    throw new InvalidConfigError(`The profile "${profileName}" is configured to use the SSO token provider but the "${sessionName}" sso_session configuration does not exist.`);
  }
  const missing = SSO_REQUIRED.filter((key) => !has(session, key));
  if (missing.length > 0) {
    // botocore prints the Python list: ['sso_start_url', 'sso_region']
    const list = missing.map((key) => `'${key}'`).join(', ');
    throw new InvalidConfigError(`The profile "${profileName}" is configured to use the SSO token provider but is missing the following configuration: [${list}].`);
  }
  return { startUrl: session.sso_start_url as string, region: session.sso_region as string };
}

function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  // os.path.expanduser('~') reads HOME first, as botocore does.
  const home = (process.platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir();
  return join(home, '.aws', 'sso', 'cache');
}

// ---------------------------------------------------------------- the provider

type RoleCredentials = CredentialsData & { expiration: Date };

export class SSOProvider implements CredentialProvider {
  readonly method = METHOD;
  readonly #options: SsoOptions;
  readonly #cache: SsoTokenCache;
  readonly #now: () => number;
  /** CachedCredentialFetcher's in-memory cache: credentials reused while more than 15 minutes remain. */
  #cached: RoleCredentials | undefined;

  constructor(options: SsoOptions) {
    this.#options = options;
    this.#cache = new SsoTokenCache(options.cacheDir ?? defaultCacheDir(options.env ?? process.env));
    this.#now = options.now ?? Date.now;
  }

  /** Null when the profile is not an SSO one; otherwise credentials that fetch themselves again before they expire. */
  async load(): Promise<RefreshableCredentials | null> {
    const { profileName, profile, ssoSessions } = this.#options;
    const config = resolveSsoConfig(profileName, profile, ssoSessions);
    if (config === null) return null;
    const fetch = (): Promise<RoleCredentials> => this.#fetchCredentials(config);
    // botocore defers the first fetch to first use; inia's chain is async, so it happens here.
    return new RefreshableCredentials(await fetch(), fetch, METHOD, { now: this.#now });
  }

  /** CachedCredentialFetcher.fetch_credentials: the cached set unless it is within 15 minutes of expiry. */
  async #fetchCredentials(config: SsoConfig): Promise<RoleCredentials> {
    const cached = this.#cached;
    if (cached !== undefined && cached.expiration.getTime() - this.#now() >= CREDENTIAL_EXPIRY_WINDOW_MS) return { ...cached };
    const fresh = await this.#getRoleCredentials(config);
    this.#cached = fresh;
    return { ...fresh };
  }

  /** SSOCredentialFetcher._get_credentials. */
  async #getRoleCredentials(config: SsoConfig): Promise<RoleCredentials> {
    const accessToken = config.sessionName === undefined ? await this.#legacyToken(config) : await this.#sessionToken(config, config.sessionName);
    const client = this.#options.clients('sso', config.region);
    if (client.getRoleCredentials === undefined) throw new CredentialRetrievalError(METHOD, 'the SSO client has no getRoleCredentials operation');
    let response: Record<string, unknown>;
    try {
      response = await client.getRoleCredentials({ roleName: config.roleName, accountId: config.accountId, accessToken });
    } catch (err) {
      if (err instanceof ClientError && err.code === 'UnauthorizedException') throw new UnauthorizedSSOTokenError();
      throw err;
    } finally {
      // A client per fetch: its pooled connection goes with it.
      client.destroy?.();
    }
    return roleCredentialsOf(response, config.accountId);
  }

  /** Legacy profiles: the cached token as is, refused without a call once expired. */
  async #legacyToken(config: SsoConfig): Promise<string> {
    const token = await this.#cache.load(config.startUrl, undefined);
    if (tokenTime(token, 'expiresAt', config.startUrl) - this.#now() <= 0) throw new UnauthorizedSSOTokenError();
    return token.accessToken;
  }

  /**
   * SSOTokenProvider + DeferredRefreshableToken, as the credential fetcher uses them (a fresh
   * token provider per fetch, so every fetch is a mandatory load): the cached token, refreshed
   * through CreateToken when less than 15 minutes remain; still expired afterwards is an error.
   */
  async #sessionToken(config: SsoConfig, sessionName: string): Promise<string> {
    const session = checkTokenSession(this.#options.profileName, sessionName, config.session);
    let token: TokenDict & { accessToken: string } = await this.#cache.load(session.startUrl, sessionName);
    let expiresAt = tokenTime(token, 'expiresAt', session.startUrl);
    if (expiresAt - this.#now() < TOKEN_REFRESH_WINDOW_MS) {
      const refreshed = await this.#refreshToken(token, session);
      if (refreshed !== null) {
        token = refreshed.token;
        expiresAt = refreshed.expiresAt;
        await this.#cache.save(session.startUrl, sessionName, refreshed.token);
      }
    }
    if (expiresAt - this.#now() <= 0) throw new TokenRetrievalError(METHOD, 'Token has expired and refresh failed');
    return token.accessToken;
  }

  /**
   * SSOTokenProvider._refresh_access_token: null (no refresh) when the token lacks what a
   * refresh needs, its client registration has expired, or the service says no; other failures
   * (the endpoint unreachable, ...) propagate, as in botocore.
   */
  async #refreshToken(token: TokenDict, session: { startUrl: string; region: string }): Promise<{ token: TokenDict & { accessToken: string }; expiresAt: number } | null> {
    if (REFRESH_KEYS.some((key) => !(key in token))) return null;
    if (tokenTime(token, 'registrationExpiresAt', session.startUrl) - this.#now() <= 0) return null;
    const client = this.#options.clients('sso-oidc', session.region);
    if (client.createToken === undefined) throw new TokenRetrievalError(METHOD, 'the SSO OIDC client has no createToken operation');
    let response: Record<string, unknown>;
    try {
      response = await client.createToken({ grantType: 'refresh_token', clientId: token.clientId, clientSecret: token.clientSecret, refreshToken: token.refreshToken });
    } catch (err) {
      if (err instanceof ClientError) return null;
      throw err;
    } finally {
      client.destroy?.();
    }
    const expiresAt = this.#now() + expiresInMs(response);
    return { token: refreshedToken(response, token, session, expiresAt), expiresAt };
  }
}

function expiresInMs(response: Record<string, unknown>): number {
  const expiresIn = response.expiresIn;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn)) throw new TokenRetrievalError(METHOD, 'the CreateToken answer has no expiresIn');
  return expiresIn * 1000;
}

/** SSOTokenProvider._attempt_create_token: the new cache entry, in botocore's key order and formats. */
function refreshedToken(response: Record<string, unknown>, old: TokenDict, session: { startUrl: string; region: string }, expiresAt: number): TokenDict & { accessToken: string } {
  const accessToken = response.accessToken;
  if (typeof accessToken !== 'string') throw new TokenRetrievalError(METHOD, 'the CreateToken answer has no accessToken');
  const token: TokenDict & { accessToken: string } = {
    startUrl: session.startUrl,
    region: session.region,
    accessToken,
    expiresAt: formatUtcSeconds(expiresAt),
    // The client registration is kept alongside the token, as botocore does.
    clientId: old.clientId,
    clientSecret: old.clientSecret,
    registrationExpiresAt: old.registrationExpiresAt,
  };
  // Only a new refresh token is written; without one the entry has none (as botocore).
  if (response.refreshToken !== undefined) token.refreshToken = response.refreshToken;
  return token;
}

/** GetRoleCredentials' roleCredentials; the expiration (epoch ms) is cut to whole seconds as botocore formats it. */
function roleCredentialsOf(response: Record<string, unknown>, accountId: string): RoleCredentials {
  const c = response.roleCredentials as Record<string, unknown> | undefined;
  const expiration = c?.expiration;
  if (
    typeof c?.accessKeyId !== 'string' ||
    typeof c.secretAccessKey !== 'string' ||
    typeof c.sessionToken !== 'string' ||
    (typeof expiration !== 'number' && typeof expiration !== 'bigint')
  ) {
    throw new CredentialRetrievalError(METHOD, 'the GetRoleCredentials answer has no complete roleCredentials');
  }
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: new Date(Math.floor(Number(expiration) / 1000) * 1000),
    accountId,
  };
}
