/**
 * The SSO credential provider against a loopback SSO portal and SSO OIDC service, with real
 * inia clients; botocore (python3) is run on the same cache files and server where it can
 * tell what botocore would have done.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { RefreshableCredentials } from '../../src/credentials/refreshable.js';
import {
  SSOProvider,
  SSOTokenLoadError,
  TokenRetrievalError,
  UnauthorizedSSOTokenError,
  pythonJsonDumps,
  ssoTokenCacheKey,
  type ProfileData,
  type SsoClientFactory,
  type SsoOptions,
} from '../../src/credentials/sso.js';
import { formatUtcSeconds, parseTimestamp } from '../../src/credentials/timestamps.js';
import { ClientError, InvalidConfigError } from '../../src/errors.js';
import { Session } from '../../src/session.js';
import { EMPTY_ENV } from '../helpers/env.js';

// ---------------------------------------------------------------- the loopback services

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  bearer: string | undefined;
  body: Record<string, unknown> | undefined;
}

/** What the fake services answer; each test sets what it needs. */
const state = {
  validTokens: new Set<string>(),
  /** Epoch ms the portal puts in roleCredentials.expiration. */
  credentialExpiration: 0,
  issued: 0,
  /** The refresh token the OIDC service accepts. */
  refreshToken: 'refresh-token-1',
  /** Whether CreateToken answers with a new refresh token. */
  rotateRefreshToken: true,
  seen: [] as Seen[],
};

const NEW_ACCESS_TOKEN = 'access-token-refreshed';
const NEW_REFRESH_TOKEN = 'refresh-token-2';
const EXPIRES_IN = 28800;

let server: Server;
let endpointUrl: string;

function sendJson(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' };
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

/** SSO portal GetRoleCredentials, as the service answers (401 with the coral error type, 403 for a role not granted). */
function portal(seen: Seen, res: ServerResponse): void {
  if (seen.bearer === undefined || !state.validTokens.has(seen.bearer)) {
    return sendJson(res, 401, { message: 'Session token not found or invalid' }, 'UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/');
  }
  if (seen.query.get('role_name') === 'NotGranted') {
    return sendJson(res, 403, { message: 'No access' }, 'ForbiddenException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/');
  }
  state.issued += 1;
  const n = state.issued;
  sendJson(res, 200, {
    roleCredentials: { accessKeyId: `ASIAFAKE${n}`, secretAccessKey: `role-secret-${n}`, sessionToken: `role-session-${n}`, expiration: state.credentialExpiration },
  });
}

/** SSO OIDC CreateToken with grant refresh_token. */
function oidc(seen: Seen, res: ServerResponse): void {
  const body = seen.body ?? {};
  if (body.grantType !== 'refresh_token' || body.refreshToken !== state.refreshToken || body.clientSecret === undefined) {
    return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token provided' }, 'InvalidGrantException');
  }
  state.validTokens.add(NEW_ACCESS_TOKEN);
  const answer: Record<string, unknown> = { accessToken: NEW_ACCESS_TOKEN, tokenType: 'Bearer', expiresIn: EXPIRES_IN };
  if (state.rotateRefreshToken) answer.refreshToken = NEW_REFRESH_TOKEN;
  sendJson(res, 200, answer);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = Buffer.concat(chunks).toString('utf8');
    const bearer = req.headers['x-amz-sso_bearer_token'];
    const seen: Seen = { method: req.method ?? '', path: url.pathname, query: url.searchParams, bearer: typeof bearer === 'string' ? bearer : undefined, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    state.seen.push(seen);
    if (req.method === 'GET' && url.pathname === '/federation/credentials') return portal(seen, res);
    if (req.method === 'POST' && url.pathname === '/token') return oidc(seen, res);
    sendJson(res, 404, { message: 'no such path' });
  });
}

// ---------------------------------------------------------------- fixtures

const BASE = Date.UTC(2031, 0, 2, 3, 4, 5) + 678; // a fractional second, to see it cut off
let clock = BASE;
const now = (): number => clock;
const HOUR = 3_600_000;
const MINUTE = 60_000;

let home: string;
let cacheDir: string;
const regions: string[] = [];

const clients: SsoClientFactory = (service, region) => {
  regions.push(`${service}@${region}`);
  return new Session({ env: { ...EMPTY_ENV } }).client(service, { region, endpointUrl }) as ReturnType<SsoClientFactory>;
};

const START_URL = 'https://d-1234567890.awsapps.com/start';
const SESSION = 'dev-session';
const SSO_SESSIONS: Record<string, ProfileData> = {
  [SESSION]: { sso_start_url: START_URL, sso_region: 'eu-west-1', sso_registration_scopes: 'sso:account:access' },
};
const SESSION_PROFILE: ProfileData = { sso_session: SESSION, sso_account_id: '111122223333', sso_role_name: 'Dev' };
const LEGACY_PROFILE: ProfileData = { sso_start_url: START_URL, sso_region: 'us-east-2', sso_account_id: '444455556666', sso_role_name: 'Legacy' };

function provider(profile: ProfileData, extra: Partial<SsoOptions> = {}): SSOProvider {
  return new SSOProvider({ profileName: 'dev', profile, ssoSessions: SSO_SESSIONS, clients, cacheDir, now, ...extra });
}

interface TokenFile {
  startUrl?: string;
  region?: string;
  accessToken?: string;
  expiresAt?: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

/** A token file as `aws sso login` writes it (Python json.dumps), valid or not as the test wants. */
function writeToken(name: string, token: TokenFile, dir = cacheDir): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${ssoTokenCacheKey(START_URL, name === START_URL ? undefined : name)}.json`);
  writeFileSync(path, pythonJsonDumps(token));
  return path;
}

function sessionToken(expiresInMs: number, accessToken = 'access-token-1'): TokenFile {
  state.validTokens.add(accessToken);
  return {
    startUrl: START_URL,
    region: 'eu-west-1',
    accessToken,
    expiresAt: formatUtcSeconds(clock + expiresInMs),
    clientId: 'client-id-1',
    // Non-ASCII, to see the file written with Python's escapes.
    clientSecret: 'client-sécret-1',
    registrationExpiresAt: formatUtcSeconds(clock + 90 * 24 * HOUR),
    refreshToken: 'refresh-token-1',
  };
}

/** The real interpreter (a pyenv shim would look for its root under the tests' fake HOME). */
const PYTHON = ((): string | undefined => {
  const probe = spawnSync('python3', ['-c', 'import sys, botocore; print(sys.executable)'], { timeout: 30_000, encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
})();

/** Runs python3 without blocking the loop (the loopback server must keep answering). */
function python(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON ?? 'python3', ['-c', script], { env: { ...env, PATH: process.env.PATH ?? '' }, timeout: 60_000, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python3 failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function assertNoSecrets(text: string): void {
  for (const secret of ['role-secret', 'role-session', 'access-token', 'refresh-token', 'client-s']) {
    assert.ok(!text.includes(secret), `"${secret}" leaked into: ${text}`);
  }
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpointUrl = `http://127.0.0.1:${address.port}`;
  home = mkdtempSync(join(tmpdir(), 'inia-sso-'));
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(home, { recursive: true, force: true });
});

beforeEach(() => {
  clock = BASE;
  cacheDir = mkdtempSync(join(home, 'cache-'));
  state.validTokens.clear();
  state.credentialExpiration = clock + HOUR;
  state.refreshToken = 'refresh-token-1';
  state.rotateRefreshToken = true;
  state.seen.length = 0;
  regions.length = 0;
});

// ---------------------------------------------------------------- tests

describe('SSO credentials: profiles', () => {
  it('an sso-session profile exchanges the cached token for role credentials', async () => {
    writeToken(SESSION, sessionToken(8 * HOUR));
    const creds = await provider(SESSION_PROFILE).load();
    assert.ok(creds instanceof RefreshableCredentials);
    assert.equal(creds.method, 'sso');
    assert.match(creds.accessKeyId, /^ASIAFAKE\d+$/);
    assert.match(creds.secretAccessKey, /^role-secret-/);
    assert.match(creds.sessionToken ?? '', /^role-session-/);
    assert.equal(creds.accountId, '111122223333');
    // botocore formats the epoch ms as whole seconds.
    assert.equal(creds.expiration?.getTime(), Math.floor(state.credentialExpiration / 1000) * 1000);
    const call = state.seen.find((s) => s.path === '/federation/credentials');
    assert.equal(call?.method, 'GET');
    assert.equal(call?.query.get('role_name'), 'Dev');
    assert.equal(call?.query.get('account_id'), '111122223333');
    assert.equal(call?.bearer, 'access-token-1');
    assert.deepEqual(regions, ['sso@eu-west-1']);
  });

  it('a legacy profile reads the token cached under its start URL', async () => {
    writeToken(START_URL, { startUrl: START_URL, region: 'us-east-2', accessToken: 'access-token-legacy', expiresAt: formatUtcSeconds(clock + HOUR) });
    state.validTokens.add('access-token-legacy');
    const creds = await provider(LEGACY_PROFILE).load();
    assert.ok(creds instanceof RefreshableCredentials);
    assert.equal(creds.accountId, '444455556666');
    assert.equal(state.seen[0]?.query.get('role_name'), 'Legacy');
    assert.deepEqual(regions, ['sso@us-east-2']);
  });

  it('a profile without sso_account_id and sso_role_name is not an SSO profile', async () => {
    assert.equal(await provider({ sso_start_url: START_URL, sso_region: 'us-east-1' }).load(), null);
    assert.equal(await provider({ region: 'us-east-1' }).load(), null);
  });

  it('accepts the legacy timestamp spellings of older tokens (UTC suffix, offsets, fractions)', async () => {
    assert.equal(parseTimestamp('2031-01-02T03:04:05Z'), Date.UTC(2031, 0, 2, 3, 4, 5));
    assert.equal(parseTimestamp('2031-01-02T03:04:05UTC'), Date.UTC(2031, 0, 2, 3, 4, 5));
    assert.equal(parseTimestamp('2031-01-02T05:04:05+02:00'), Date.UTC(2031, 0, 2, 3, 4, 5));
    assert.equal(parseTimestamp('2031-01-02T03:04:05.250Z'), Date.UTC(2031, 0, 2, 3, 4, 5, 250));
    assert.equal(parseTimestamp('2031-02-30T03:04:05Z'), undefined);
    assert.equal(parseTimestamp('soon'), undefined);
    assert.equal(formatUtcSeconds(Date.UTC(2031, 0, 2, 3, 4, 5, 999)), '2031-01-02T03:04:05Z');
  });
});

describe('SSO credentials: the token cache', () => {
  it('names cache files with the SHA-1 of the session name or the start URL, as botocore', async () => {
    const names = [SESSION, START_URL, 'sessión-ünïcode'];
    const out = await python(`import hashlib, json, sys\nprint(json.dumps([hashlib.sha1(n.encode('utf-8')).hexdigest() for n in ${JSON.stringify(names)}]))`, {});
    assert.deepEqual(JSON.parse(out), [ssoTokenCacheKey(START_URL, SESSION), ssoTokenCacheKey(START_URL), ssoTokenCacheKey(START_URL, 'sessión-ünïcode')]);
  });

  it("botocore's SSOTokenLoader finds the files inia reads", async () => {
    writeToken(SESSION, sessionToken(HOUR, 'access-token-s'));
    writeToken(START_URL, { startUrl: START_URL, region: 'us-east-2', accessToken: 'access-token-l', expiresAt: formatUtcSeconds(clock + HOUR) });
    const script = [
      'from botocore.utils import SSOTokenLoader, JSONFileCache',
      `loader = SSOTokenLoader(cache=JSONFileCache(${JSON.stringify(cacheDir)}))`,
      `print(loader(${JSON.stringify(START_URL)}, session_name=${JSON.stringify(SESSION)})['accessToken'])`,
      `print(loader(${JSON.stringify(START_URL)})['accessToken'])`,
    ].join('\n');
    assert.deepEqual((await python(script, {})).trim().split('\n'), ['access-token-s', 'access-token-l']);
    state.validTokens.add('access-token-l');
    await provider(SESSION_PROFILE).load();
    await provider(LEGACY_PROFILE).load();
    assert.deepEqual(state.seen.map((s) => s.bearer), ['access-token-s', 'access-token-l']);
  });

  it('finds the cache under HOME by default, as botocore does', async () => {
    const fakeHome = mkdtempSync(join(home, 'home-'));
    writeToken(SESSION, sessionToken(HOUR), join(fakeHome, '.aws', 'sso', 'cache'));
    const p = new SSOProvider({ profileName: 'dev', profile: SESSION_PROFILE, ssoSessions: SSO_SESSIONS, clients, env: { HOME: fakeHome, USERPROFILE: fakeHome }, now });
    assert.ok((await p.load()) instanceof RefreshableCredentials);
  });

  it('a missing token is an SSOTokenLoadError naming the session (or start URL)', async () => {
    await assert.rejects(provider(SESSION_PROFILE).load(), (err: unknown) => {
      assert.ok(err instanceof SSOTokenLoadError);
      assert.equal(err.message, `Error loading SSO Token: Token for ${SESSION} does not exist`);
      return true;
    });
    await assert.rejects(provider(LEGACY_PROFILE).load(), { name: 'SSOTokenLoadError', message: `Error loading SSO Token: Token for ${START_URL} does not exist` });
    assert.equal(state.seen.length, 0);
  });

  it('a token without accessToken or expiresAt, or not JSON, is invalid', async () => {
    writeToken(SESSION, { startUrl: START_URL, accessToken: 'access-token-x' });
    await assert.rejects(provider(SESSION_PROFILE).load(), { name: 'SSOTokenLoadError', message: `Error loading SSO Token: Token for ${START_URL} is invalid` });
    writeFileSync(join(cacheDir, `${ssoTokenCacheKey(START_URL, SESSION)}.json`), '{"accessToken": "access-token-');
    await assert.rejects(provider(SESSION_PROFILE).load(), (err: unknown) => err instanceof SSOTokenLoadError && !err.message.includes('access-token'));
  });

  it('an expired legacy token is refused before any call, with the `aws sso login` advice', async () => {
    writeToken(START_URL, { startUrl: START_URL, region: 'us-east-2', accessToken: 'access-token-old', expiresAt: formatUtcSeconds(clock - 1000) });
    state.validTokens.add('access-token-old');
    await assert.rejects(provider(LEGACY_PROFILE).load(), (err: unknown) => {
      assert.ok(err instanceof UnauthorizedSSOTokenError);
      assert.equal(
        err.message,
        'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      );
      return true;
    });
    assert.equal(state.seen.length, 0);
  });

  it('a legacy token near expiry is used as it is (legacy tokens never refresh)', async () => {
    const path = writeToken(START_URL, { startUrl: START_URL, region: 'us-east-2', accessToken: 'access-token-l', expiresAt: formatUtcSeconds(clock + MINUTE) });
    const before = readFileSync(path, 'utf8');
    state.validTokens.add('access-token-l');
    await provider(LEGACY_PROFILE).load();
    assert.deepEqual(state.seen.map((s) => s.path), ['/federation/credentials']);
    assert.equal(readFileSync(path, 'utf8'), before);
  });

  it('a token the portal rejects is an UnauthorizedSSOTokenError; other refusals stay ClientErrors', async () => {
    const token = sessionToken(8 * HOUR, 'access-token-revoked');
    state.validTokens.delete('access-token-revoked');
    writeToken(SESSION, token);
    await assert.rejects(provider(SESSION_PROFILE).load(), UnauthorizedSSOTokenError);
    state.validTokens.add('access-token-revoked');
    await assert.rejects(provider({ ...SESSION_PROFILE, sso_role_name: 'NotGranted' }).load(), (err: unknown) => {
      assert.ok(err instanceof ClientError);
      assert.equal(err.code, 'ForbiddenException');
      assertNoSecrets(err.message);
      return true;
    });
  });
});

describe('SSO credentials: token refresh', () => {
  it('refreshes a token within 15 minutes of expiry through CreateToken and rewrites the cache', async () => {
    const path = writeToken(SESSION, sessionToken(5 * MINUTE));
    const creds = await provider(SESSION_PROFILE).load();
    assert.ok(creds);
    const create = state.seen.find((s) => s.path === '/token');
    assert.deepEqual(create?.body, { grantType: 'refresh_token', clientId: 'client-id-1', clientSecret: 'client-sécret-1', refreshToken: 'refresh-token-1' });
    assert.equal(state.seen.at(-1)?.bearer, NEW_ACCESS_TOKEN);
    assert.deepEqual(regions, ['sso-oidc@eu-west-1', 'sso@eu-west-1']);
    const written = JSON.parse(readFileSync(path, 'utf8')) as TokenFile;
    assert.deepEqual(written, {
      startUrl: START_URL,
      region: 'eu-west-1',
      accessToken: NEW_ACCESS_TOKEN,
      expiresAt: formatUtcSeconds(clock + EXPIRES_IN * 1000),
      clientId: 'client-id-1',
      clientSecret: 'client-sécret-1',
      registrationExpiresAt: formatUtcSeconds(BASE + 90 * 24 * HOUR),
      refreshToken: NEW_REFRESH_TOKEN,
    });
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('writes the refreshed token byte for byte as botocore SSOTokenProvider does', async () => {
    for (const rotate of [true, false]) {
      state.rotateRefreshToken = rotate;
      const mine = writeToken(SESSION, sessionToken(5 * MINUTE));
      const botoDir = mkdtempSync(join(home, 'boto-'));
      const theirs = writeToken(SESSION, sessionToken(5 * MINUTE), botoDir);
      await provider(SESSION_PROFILE).load();
      const configFile = join(botoDir, 'config');
      writeFileSync(configFile, `[profile dev]\nsso_session = ${SESSION}\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n[sso-session ${SESSION}]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\n`);
      const script = [
        'import datetime',
        'from dateutil.tz import tzutc',
        'import botocore.session',
        'from botocore.tokens import SSOTokenProvider, _sso_json_dumps',
        'from botocore.utils import JSONFileCache',
        `fixed = datetime.datetime.fromtimestamp(${clock} / 1000.0, tzutc())`,
        'session = botocore.session.Session()',
        `provider = SSOTokenProvider(session, cache=JSONFileCache(${JSON.stringify(botoDir)}, dumps_func=_sso_json_dumps), time_fetcher=lambda: fixed, profile_name='dev')`,
        'print(provider.load_token().get_frozen_token().token)',
      ].join('\n');
      const env = { HOME: botoDir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: join(botoDir, 'none'), AWS_ENDPOINT_URL_SSO_OIDC: endpointUrl, AWS_EC2_METADATA_DISABLED: 'true' };
      assert.equal((await python(script, env)).trim(), NEW_ACCESS_TOKEN);
      assert.equal(readFileSync(mine, 'utf8'), readFileSync(theirs, 'utf8'), `rotate=${rotate}`);
      if (!rotate) assert.ok(!readFileSync(mine, 'utf8').includes('refreshToken'));
    }
  });

  it('a token with more than 15 minutes left is not refreshed', async () => {
    const path = writeToken(SESSION, sessionToken(16 * MINUTE));
    const before = readFileSync(path, 'utf8');
    await provider(SESSION_PROFILE).load();
    assert.deepEqual(state.seen.map((s) => s.path), ['/federation/credentials']);
    assert.equal(readFileSync(path, 'utf8'), before);
  });

  it('a refused refresh keeps a still-valid token; an expired one is a TokenRetrievalError', async () => {
    state.refreshToken = 'some-other-refresh-token';
    const path = writeToken(SESSION, sessionToken(5 * MINUTE));
    const before = readFileSync(path, 'utf8');
    const creds = await provider(SESSION_PROFILE).load();
    assert.ok(creds);
    assert.equal(state.seen.at(-1)?.bearer, 'access-token-1');
    assert.equal(readFileSync(path, 'utf8'), before);

    writeToken(SESSION, sessionToken(-MINUTE));
    await assert.rejects(provider(SESSION_PROFILE).load(), (err: unknown) => {
      assert.ok(err instanceof TokenRetrievalError);
      assert.equal(err.message, 'Error when retrieving token from sso: Token has expired and refresh failed');
      return true;
    });
  });

  it('no refresh without the registration fields, or once the registration has expired', async () => {
    const { refreshToken: _dropped, ...noRefresh } = sessionToken(-MINUTE);
    writeToken(SESSION, noRefresh);
    await assert.rejects(provider(SESSION_PROFILE).load(), TokenRetrievalError);
    writeToken(SESSION, { ...sessionToken(-MINUTE), registrationExpiresAt: formatUtcSeconds(clock - 1000) });
    await assert.rejects(provider(SESSION_PROFILE).load(), TokenRetrievalError);
    assert.equal(state.seen.length, 0);
  });

  it('credentials are fetched again once they expire, with a token refreshed on the way', async () => {
    writeToken(SESSION, sessionToken(2 * HOUR));
    const p = provider(SESSION_PROFILE);
    const creds = await p.load();
    assert.ok(creds);
    const first = creds.accessKeyId;
    // Cached role credentials are reused by a second load while more than 15 minutes remain.
    assert.equal((await p.load())?.accessKeyId, first);
    assert.equal(state.seen.length, 1);

    clock += HOUR + 5 * MINUTE; // the credentials have expired; the token has 55 minutes left
    state.credentialExpiration = clock + HOUR;
    const frozen = await creds.getFrozenCredentials();
    assert.notEqual(frozen.accessKeyId, first);
    assert.equal(frozen.expiration?.getTime(), Math.floor(state.credentialExpiration / 1000) * 1000);

    clock += 55 * MINUTE; // the token expires now, the credentials are within their mandatory window
    state.credentialExpiration = clock + HOUR;
    const again = await creds.getFrozenCredentials();
    assert.notEqual(again.accessKeyId, frozen.accessKeyId);
    assert.equal(state.seen.at(-2)?.path, '/token');
    assert.equal(state.seen.at(-1)?.bearer, NEW_ACCESS_TOKEN);
  });

  it('keeps secrets out of util.inspect, JSON and error messages', async () => {
    writeToken(SESSION, sessionToken(5 * MINUTE));
    const p = provider(SESSION_PROFILE);
    const creds = await p.load();
    assert.ok(creds);
    assertNoSecrets(inspect(creds, { depth: 5, showHidden: true }));
    assertNoSecrets(JSON.stringify(creds));
    assertNoSecrets(inspect(p, { depth: 5, showHidden: true }));
    state.validTokens.clear();
    clock += 2 * HOUR;
    await assert.rejects(creds.getFrozenCredentials(), (err: unknown) => {
      assert.ok(err instanceof Error);
      assertNoSecrets(`${err.message} ${inspect(err, { depth: 5 })}`);
      return true;
    });
  });
});

describe('SSO credentials: configuration errors', () => {
  it('names the keys a profile lacks, in botocore order', async () => {
    await assert.rejects(provider({ sso_account_id: '1' }).load(), (err: unknown) => {
      assert.ok(err instanceof InvalidConfigError);
      assert.equal(err.message, 'The profile "dev" is configured to use SSO but is missing required configuration: sso_role_name, sso_start_url, sso_region');
      return true;
    });
  });

  it('refuses an unknown sso-session and values that differ from the session', async () => {
    await assert.rejects(provider({ ...SESSION_PROFILE, sso_session: 'nope' }).load(), { name: 'InvalidConfigError', message: 'The specified sso-session does not exist: "nope"' });
    await assert.rejects(provider({ ...SESSION_PROFILE, sso_region: 'us-west-2' }).load(), {
      name: 'InvalidConfigError',
      message: 'The value for sso_region is inconsistent between profile (us-west-2) and sso-session (eu-west-1).',
    });
  });

  const CASES: Array<{ name: string; profile: ProfileData; sessions: Record<string, ProfileData> }> = [
    { name: 'only an account', profile: { sso_account_id: '1' }, sessions: {} },
    { name: 'only a role, with session', profile: { sso_role_name: 'R', sso_session: 's' }, sessions: { s: { sso_region: 'us-east-1' } } },
    { name: 'unknown session', profile: { sso_role_name: 'R', sso_account_id: '1', sso_session: 'x' }, sessions: {} },
    { name: 'conflict', profile: { sso_role_name: 'R', sso_account_id: '1', sso_session: 's', sso_start_url: 'https://a' }, sessions: { s: { sso_start_url: 'https://b', sso_region: 'r' } } },
    { name: 'empty session', profile: { sso_role_name: 'R', sso_account_id: '1', sso_session: 's', sso_start_url: 'https://a', sso_region: 'r' }, sessions: { s: {} } },
    { name: 'session lacks start url', profile: { sso_role_name: 'R', sso_account_id: '1', sso_session: 's', sso_start_url: 'https://a' }, sessions: { s: { sso_region: 'r' } } },
    { name: 'session lacks both', profile: { sso_role_name: 'R', sso_account_id: '1', sso_session: 's', sso_start_url: 'https://a', sso_region: 'r' }, sessions: { s: { other: 'x' } } },
  ];

  it('gives the messages botocore gives for the same configurations', async () => {
    const script = [
      'import json, sys',
      'from botocore.credentials import SSOProvider',
      'from botocore.utils import JSONFileCache',
      `cases = json.loads(${JSON.stringify(JSON.stringify(CASES))})`,
      'out = []',
      'for case in cases:',
      '    config = {"profiles": {"dev": case["profile"]}, "sso_sessions": case["sessions"]}',
      '    def creator(*a, **k): return object()',
      `    p = SSOProvider(load_config=lambda: config, client_creator=creator, profile_name="dev", token_cache=JSONFileCache(${JSON.stringify(cacheDir)}))`,
      '    from botocore.tokens import SSOTokenProvider',
      '    class S:',
      '        full_config = config',
      '        def get_config_variable(self, n): return None',
      '    p._token_provider = SSOTokenProvider(S(), cache=JSONFileCache(' + JSON.stringify(cacheDir) + '), profile_name="dev")',
      '    try:',
      '        creds = p.load()',
      '        creds and creds.get_frozen_credentials()',
      '        out.append(None)',
      '    except Exception as e:',
      '        out.append([type(e).__name__, str(e)])',
      'print(json.dumps(out))',
    ].join('\n');
    const theirs = JSON.parse(await python(script, { HOME: home })) as Array<[string, string] | null>;
    for (const [i, c] of CASES.entries()) {
      const mine = await new SSOProvider({ profileName: 'dev', profile: c.profile, ssoSessions: c.sessions, clients, cacheDir, now }).load().then(
        () => null,
        (err: Error) => [err.name, err.message],
      );
      assert.deepEqual(mine, theirs[i], c.name);
    }
  });
});
