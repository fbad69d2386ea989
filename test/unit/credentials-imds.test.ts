/**
 * The IMDS credential provider against a loopback stand-in for the instance metadata service
 * (token PUT, role list, role credentials, 401 on a wrong token, failures and stalls on
 * demand). Where python3 with botocore is present, botocore's InstanceMetadataFetcher runs
 * against the same stand-in and must make the same requests and reach the same outcome.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  IMDS_BASE_URL,
  IMDS_BASE_URL_IPV6,
  InstanceMetadataFetcher,
  InstanceMetadataProvider,
  InvalidIMDSEndpointError,
  InvalidIMDSEndpointModeError,
  MetadataRetrievalError,
  extendIfExpiring,
  resolveImdsSettings,
  type ImdsOptions,
} from '../../src/credentials/imds.js';
import { RefreshableCredentials } from '../../src/credentials/refreshable.js';
import { CredentialRetrievalError, InvalidConfigError } from '../../src/errors.js';

const TOKEN = 'AQAEAFAKE-imds-session-token==';
const ROLE = 'my-instance-role';
const TOKEN_PATH = '/latest/api/token';
const ROLE_LIST = '/latest/meta-data/iam/security-credentials/';
const ROLE_CREDS = `${ROLE_LIST}${ROLE}`;
/** Short enough that a stall costs little, long enough for a loaded machine's loopback. */
const TIMEOUT = 0.5;

/** botocore's '%Y-%m-%dT%H:%M:%SZ'. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Seen {
  method: string;
  path: string;
  token: string | undefined;
  ttl: string | undefined;
  userAgent: string | undefined;
}

/** How the stand-in answers; each test starts from the defaults (reset()). */
interface Behaviour {
  tokenStatus: number;
  /** The PUT never gets an answer. */
  tokenStalls: boolean;
  /** GETs without a token are answered (IMDSv1); with v1 off they get 401. */
  v1: boolean;
  roleStatus: number;
  roleBody: string;
  /** Status and body of the n-th (1-based) credentials GET. */
  credentials: (n: number) => { status: number; body: string };
  /** Credentials GETs never get an answer. */
  credentialsStall: boolean;
}

function document(n: number, expiration: string): string {
  return JSON.stringify({
    Code: 'Success',
    LastUpdated: '2024-01-01T00:00:00Z',
    Type: 'AWS-HMAC',
    AccessKeyId: `ASIAIMDS${n}`,
    SecretAccessKey: `imds-secret-${n}`,
    Token: `imds-session-${n}`,
    Expiration: expiration,
  });
}

class FakeImds {
  server!: Server;
  port = 0;
  seen: Seen[] = [];
  credentialCalls = 0;
  b!: Behaviour;
  #stalled: ServerResponse[] = [];

  constructor() {
    this.reset();
  }

  reset(): void {
    this.seen = [];
    this.credentialCalls = 0;
    this.releaseStalled();
    this.b = {
      tokenStatus: 200,
      tokenStalls: false,
      v1: true,
      roleStatus: 200,
      roleBody: ROLE,
      credentials: (n) => ({ status: 200, body: document(n, isoSeconds(Date.now() + 6 * 3600_000)) }),
      credentialsStall: false,
    };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(host = '127.0.0.1'): Promise<void> {
    this.server = createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  releaseStalled(): void {
    for (const res of this.#stalled) res.destroy();
    this.#stalled = [];
  }

  async stop(): Promise<void> {
    this.releaseStalled();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The requests as "METHOD path [token]" lines, for comparing sequences. */
  trail(): string[] {
    return this.seen.map((s) => `${s.method} ${s.path}${s.token === undefined ? '' : ` token=${s.token}`}`);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const seen: Seen = { method: req.method ?? '', path: req.url ?? '', token: header('x-aws-ec2-metadata-token'), ttl: header('x-aws-ec2-metadata-token-ttl-seconds'), userAgent: header('user-agent') };
    this.seen.push(seen);
    req.resume();
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (seen.path === TOKEN_PATH) {
      if (seen.method !== 'PUT') return send(405, '');
      if (this.b.tokenStalls) return void this.#stalled.push(res);
      if (seen.ttl === undefined) return send(400, 'missing ttl');
      return send(this.b.tokenStatus, this.b.tokenStatus === 200 ? TOKEN : '');
    }
    if (seen.method !== 'GET') return send(405, '');
    // The real service: a wrong token is 401; no token is 401 only when IMDSv1 is off.
    if (seen.token !== undefined ? seen.token !== TOKEN : !this.b.v1) return send(401, '');
    if (seen.path === ROLE_LIST) return send(this.b.roleStatus, this.b.roleStatus === 200 ? this.b.roleBody : '<html>404 - Not Found</html>');
    if (seen.path === ROLE_CREDS) {
      if (this.b.credentialsStall) return void this.#stalled.push(res);
      const { status, body } = this.b.credentials(++this.credentialCalls);
      return send(status, body);
    }
    send(404, '');
  }
}

const imds = new FakeImds();

function options(extra: Partial<ImdsOptions> = {}): ImdsOptions {
  return { env: {}, endpoint: imds.url, timeoutSeconds: TIMEOUT, ...extra };
}

async function load(extra: Partial<ImdsOptions> = {}): Promise<RefreshableCredentials | null> {
  return new InstanceMetadataProvider(options(extra)).load();
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

before(() => imds.start());
after(() => imds.stop());
beforeEach(() => imds.reset());

describe('IMDS: the IMDSv2 token flow', () => {
  it('PUTs for a token with the six-hour TTL, then sends it on both GETs', async () => {
    const creds = await load({ userAgent: 'inia-test/1.0' });
    assert.ok(creds instanceof RefreshableCredentials);
    assert.equal(creds.method, 'iam-role');
    assert.equal(creds.accessKeyId, 'ASIAIMDS1');
    assert.equal(creds.secretAccessKey, 'imds-secret-1');
    assert.equal(creds.sessionToken, 'imds-session-1');
    assert.ok(creds.expiration instanceof Date);
    assert.equal(creds.accountId, undefined, 'botocore does not read AccountId from IMDS');
    assert.deepEqual(imds.trail(), [`PUT ${TOKEN_PATH}`, `GET ${ROLE_LIST} token=${TOKEN}`, `GET ${ROLE_CREDS} token=${TOKEN}`]);
    assert.equal(imds.seen[0]!.ttl, '21600');
    assert.ok(imds.seen.every((s) => s.userAgent === 'inia-test/1.0'));
  });

  for (const status of [403, 404, 405]) {
    it(`falls back to IMDSv1 when the token PUT gets ${status}`, async () => {
      imds.b.tokenStatus = status;
      const creds = await load({ attempts: 3 });
      assert.equal(creds?.accessKeyId, 'ASIAIMDS1');
      assert.deepEqual(imds.trail(), [`PUT ${TOKEN_PATH}`, `GET ${ROLE_LIST}`, `GET ${ROLE_CREDS}`], 'one PUT, not retried; GETs without a token');
    });
  }

  it('retries other token failures up to the attempts, then falls back to IMDSv1', async () => {
    imds.b.tokenStatus = 500;
    const creds = await load({ attempts: 2 });
    assert.equal(creds?.accessKeyId, 'ASIAIMDS1');
    assert.deepEqual(imds.trail(), [`PUT ${TOKEN_PATH}`, `PUT ${TOKEN_PATH}`, `GET ${ROLE_LIST}`, `GET ${ROLE_CREDS}`]);
  });

  it('a 400 on the token PUT means no credentials, with no GET', async () => {
    imds.b.tokenStatus = 400;
    assert.equal(await load({ attempts: 3 }), null);
    assert.deepEqual(imds.trail(), [`PUT ${TOKEN_PATH}`]);
  });

  it('a token PUT that times out is not retried: straight to IMDSv1', async () => {
    imds.b.tokenStalls = true;
    const { value, ms } = await timed(() => load({ attempts: 3 }));
    assert.equal(value?.accessKeyId, 'ASIAIMDS1');
    assert.deepEqual(imds.trail(), [`PUT ${TOKEN_PATH}`, `GET ${ROLE_LIST}`, `GET ${ROLE_CREDS}`]);
    assert.ok(ms < 5_000, `took ${ms} ms`);
  });

  it('with IMDSv1 disabled, no token is an error rather than a v1 request', async () => {
    imds.b.tokenStatus = 404;
    await assert.rejects(load({ v1Disabled: true }), (err: unknown) => {
      assert.ok(err instanceof MetadataRetrievalError);
      assert.match(err.message, /Unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled/);
      return true;
    });
    assert.deepEqual(imds.trail(), [`PUT ${TOKEN_PATH}`]);
  });

  it('AWS_EC2_METADATA_V1_DISABLED (any case) disables v1 too, and wins over the option', async () => {
    imds.b.tokenStatus = 403;
    await assert.rejects(load({ env: { AWS_EC2_METADATA_V1_DISABLED: 'TRUE' }, v1Disabled: false }), MetadataRetrievalError);
    imds.reset();
    imds.b.tokenStatus = 403;
    assert.equal((await load({ env: { AWS_EC2_METADATA_V1_DISABLED: 'false' }, v1Disabled: true }))?.accessKeyId, 'ASIAIMDS1');
  });

  it('with IMDSv1 disabled and a token, everything works', async () => {
    imds.b.v1 = false;
    assert.equal((await load({ v1Disabled: true }))?.accessKeyId, 'ASIAIMDS1');
  });

  it('a wrong token gets 401s, retried, then no credentials', async () => {
    // A service that hands out one token and then refuses it (as after a TTL expiry).
    const refusing = createServer((req, res) => {
      req.resume();
      if (req.url === TOKEN_PATH) return void res.end('not-accepted-token');
      res.statusCode = 401;
      res.end();
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    let gets = 0;
    refusing.on('request', (req: IncomingMessage) => void (req.method === 'GET' && gets++));
    try {
      assert.equal(await load({ endpoint: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, attempts: 2 }), null);
      assert.equal(gets, 2, 'the role list, twice');
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((r) => refusing.close(() => r()));
    }
  });
});

describe('IMDS: what counts as "no credentials here"', () => {
  it('AWS_EC2_METADATA_DISABLED=true (any case): null without a request', async () => {
    assert.equal(await load({ env: { AWS_EC2_METADATA_DISABLED: 'True' } }), null);
    assert.deepEqual(imds.seen, []);
  });

  it('no role attached (404 on the role list): retried up to the attempts, then null', async () => {
    imds.b.roleStatus = 404;
    assert.equal(await load({ attempts: 2 }), null);
    assert.deepEqual(imds.trail(), [`PUT ${TOKEN_PATH}`, `GET ${ROLE_LIST} token=${TOKEN}`, `GET ${ROLE_LIST} token=${TOKEN}`]);
  });

  it('an empty role list: null', async () => {
    imds.b.roleBody = '';
    assert.equal(await load(), null);
  });

  it('malformed credentials JSON is retried, then null', async () => {
    imds.b.credentials = () => ({ status: 200, body: '{"AccessKeyId": "ASIA' });
    assert.equal(await load({ attempts: 3 }), null);
    assert.equal(imds.credentialCalls, 3);
  });

  it('malformed JSON followed by good JSON within the attempts succeeds', async () => {
    imds.b.credentials = (n) => (n === 1 ? { status: 200, body: 'not json' } : { status: 200, body: document(n, isoSeconds(Date.now() + 3600_000)) });
    assert.equal((await load({ attempts: 2 }))?.accessKeyId, 'ASIAIMDS2');
  });

  it('an error document (Code and Message, no keys) is null, and not retried', async () => {
    imds.b.credentials = () => ({ status: 200, body: JSON.stringify({ Code: 'AssumeRoleUnauthorizedAccess', Message: 'EC2 cannot assume the role', LastUpdated: '2024-01-01T00:00:00Z' }) });
    assert.equal(await load({ attempts: 3 }), null);
    assert.equal(imds.credentialCalls, 1);
  });

  it('a document missing one required field is null', async () => {
    imds.b.credentials = () => ({ status: 200, body: JSON.stringify({ AccessKeyId: 'A', SecretAccessKey: 'S', Expiration: '2099-01-01T00:00:00Z' }) });
    assert.equal(await load(), null);
  });

  it('nothing listening: null, quickly', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { value, ms } = await timed(() => load({ endpoint: `http://127.0.0.1:${port}`, attempts: 2 }));
    assert.equal(value, null);
    assert.ok(ms < 5_000, `took ${ms} ms`);
  });

  it('a credentials GET that stalls times out on each attempt, then null', async () => {
    imds.b.credentialsStall = true;
    const { value, ms } = await timed(() => load({ attempts: 2 }));
    assert.equal(value, null);
    assert.equal(imds.seen.filter((s) => s.path === ROLE_CREDS).length, 2);
    assert.ok(ms >= 2 * TIMEOUT * 1000 - 50 && ms < 10_000, `took ${ms} ms`);
  });
});

describe('IMDS: settings', () => {
  it('the environment wins over the options; the defaults are botocore\'s', () => {
    const defaults = resolveImdsSettings({ env: {} });
    assert.deepEqual(defaults, { disabled: false, timeoutSeconds: 1, attempts: 1, baseUrl: IMDS_BASE_URL, v1Disabled: false, userAgent: undefined });
    const s = resolveImdsSettings({
      env: { AWS_METADATA_SERVICE_TIMEOUT: ' 3 ', AWS_METADATA_SERVICE_NUM_ATTEMPTS: '4', AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://10.0.0.1:8080' },
      timeoutSeconds: 9,
      attempts: 9,
      endpoint: 'http://10.9.9.9',
    });
    assert.equal(s.timeoutSeconds, 3);
    assert.equal(s.attempts, 4);
    assert.equal(s.baseUrl, 'http://10.0.0.1:8080');
  });

  it('endpoint mode: ipv6 picks the IPv6 address; a custom endpoint wins; AWS_IMDS_USE_IPV6 as the fallback', () => {
    assert.equal(resolveImdsSettings({ env: {}, endpointMode: 'ipv6' }).baseUrl, IMDS_BASE_URL_IPV6);
    assert.equal(resolveImdsSettings({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv6' } }).baseUrl, IMDS_BASE_URL_IPV6);
    assert.equal(resolveImdsSettings({ env: { AWS_IMDS_USE_IPV6: 'true' } }).baseUrl, IMDS_BASE_URL_IPV6);
    assert.equal(resolveImdsSettings({ env: { AWS_IMDS_USE_IPV6: 'true' }, endpointMode: 'ipv4' }).baseUrl, IMDS_BASE_URL);
    assert.equal(resolveImdsSettings({ env: {}, endpointMode: 'ipv6', endpoint: 'http://[fd00:ec2::1]:81/' }).baseUrl, 'http://[fd00:ec2::1]:81/');
  });

  it('refuses a bad mode, endpoint or number when the provider is built, as botocore does', () => {
    assert.throws(() => new InstanceMetadataProvider({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'ipv5' } }), (err: unknown) => {
      assert.ok(err instanceof InvalidIMDSEndpointModeError);
      assert.match(err.message, /Invalid EC2 Instance Metadata endpoint mode: ipv5/);
      return true;
    });
    for (const endpoint of ['http://bad_host/', 'not a url', 'http://exa\nmple.com/', 'http://[zz::1]/']) {
      assert.throws(() => new InstanceMetadataProvider({ env: {}, endpoint }), InvalidIMDSEndpointError, endpoint);
    }
    assert.throws(() => new InstanceMetadataProvider({ env: { AWS_METADATA_SERVICE_TIMEOUT: '0.5' } }), InvalidConfigError);
    assert.throws(() => new InstanceMetadataProvider({ env: { AWS_METADATA_SERVICE_NUM_ATTEMPTS: 'three' } }), InvalidConfigError);
  });

  it('an IPv6 endpoint in brackets works (when this machine has ::1)', async (t) => {
    const v6 = new FakeImds();
    try {
      await v6.start('::1');
    } catch {
      t.skip('no IPv6 loopback here');
      return;
    }
    try {
      const creds = await new InstanceMetadataProvider({ env: {}, endpoint: `http://[::1]:${v6.port}/`, timeoutSeconds: TIMEOUT }).load();
      assert.equal(creds?.accessKeyId, 'ASIAIMDS1');
      assert.equal(v6.seen.length, 3);
    } finally {
      await v6.stop();
    }
  });
});

describe('IMDS: expiry, static stability and refresh', () => {
  const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

  it('credentials already expired (or expiring within the window) are extended 17-25 minutes from now', async () => {
    for (const expiresAt of [NOW - 3600_000, NOW + 10 * 60_000]) {
      imds.reset();
      imds.b.credentials = (n) => ({ status: 200, body: document(n, isoSeconds(expiresAt)) });
      const creds = await load({ now: () => NOW });
      const ahead = (creds!.expiration!.getTime() - NOW) / 1000;
      assert.ok(ahead >= 900 + 120 && ahead <= 900 + 600 && Number.isInteger(ahead), `extended by ${ahead} s`);
    }
  });

  it('extendIfExpiring: far-off expirations and other formats are left alone', () => {
    const far = isoSeconds(NOW + 3 * 3600_000);
    assert.equal(extendIfExpiring(far, NOW, 600), far);
    // Not '%Y-%m-%dT%H:%M:%SZ': botocore's strptime fails and it leaves the value alone.
    assert.equal(extendIfExpiring('2020-01-01T00:00:00.000Z', NOW, 120), '2020-01-01T00:00:00.000Z');
    assert.equal(extendIfExpiring('2020-01-01T00:00:00+00:00', NOW, 120), '2020-01-01T00:00:00+00:00');
    assert.equal(extendIfExpiring(isoSeconds(NOW), NOW, 120), isoSeconds(NOW + 1020_000));
  });

  it('refreshes from IMDS (new token, new keys) once the mandatory window is reached', async () => {
    let clock = NOW;
    imds.b.credentials = (n) => ({ status: 200, body: document(n, isoSeconds(clock + 3600_000)) });
    const creds = await load({ now: () => clock });
    assert.equal((await creds!.getFrozenCredentials()).accessKeyId, 'ASIAIMDS1');
    assert.equal(imds.seen.length, 3, 'no refresh while fresh');
    clock += 52 * 60_000;
    const frozen = await creds!.getFrozenCredentials();
    assert.equal(frozen.accessKeyId, 'ASIAIMDS2');
    assert.equal(frozen.secretAccessKey, 'imds-secret-2');
    assert.deepEqual(imds.trail().slice(3), [`PUT ${TOKEN_PATH}`, `GET ${ROLE_LIST} token=${TOKEN}`, `GET ${ROLE_CREDS} token=${TOKEN}`]);
  });

  it('a refresh that finds nothing fails with botocore\'s message, without secrets', async () => {
    let clock = NOW;
    imds.b.credentials = (n) => ({ status: 200, body: document(n, isoSeconds(clock + 3600_000)) });
    const creds = await load({ now: () => clock });
    imds.b.roleStatus = 404;
    clock += 55 * 60_000;
    await assert.rejects(creds!.getFrozenCredentials(), (err: unknown) => {
      assert.ok(err instanceof CredentialRetrievalError);
      assert.match(err.message, /Credential refresh failed, response did not contain: access_key, secret_key, token, expiry_time/);
      assert.doesNotMatch(err.message, /imds-secret|imds-session|AQAEAFAKE/);
      return true;
    });
  });

  it('an Expiration that is not a timestamp is an error naming it', async () => {
    imds.b.credentials = () => ({ status: 200, body: document(1, 'tomorrow-ish') });
    await assert.rejects(load(), (err: unknown) => err instanceof CredentialRetrievalError && /tomorrow-ish/.test(err.message) && !/imds-secret/.test(err.message));
  });
});

describe('IMDS: secrets stay out of sight', () => {
  it('util.inspect, JSON.stringify and String() of the result show no secret or session token', async () => {
    const creds = await load();
    for (const text of [inspect(creds, { depth: 10, showHidden: true }), JSON.stringify(creds), String(creds)]) {
      assert.doesNotMatch(text, /imds-secret-1|imds-session-1|AQAEAFAKE/, text);
    }
  });

  it('no message names the metadata token', async () => {
    imds.b.tokenStatus = 404;
    const err = await new InstanceMetadataProvider(options({ v1Disabled: true })).load().catch((e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.doesNotMatch(err.message, /AQAEAFAKE/);
  });
});

// ---------------------------------------------------------------- botocore itself, same wire

const PYTHON = ((): string | undefined => {
  const probe = spawnSync('python3', ['-c', 'import sys, botocore.utils; print(sys.executable)'], { timeout: 30_000, encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
})();

/** A proxy-free environment, so urllib3 talks to loopback directly. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_PROXY: '*', no_proxy: '*' };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) delete env[name];
  return env;
}

interface BotocoreOutcome {
  ok?: Record<string, string>;
  error?: string;
}

function botocoreFetch(attempts: number, v1Disabled: boolean): Promise<BotocoreOutcome> {
  const script = [
    'import json, sys',
    'from botocore.utils import InstanceMetadataFetcher',
    `config = {'ec2_metadata_service_endpoint': ${JSON.stringify(imds.url)}, 'ec2_metadata_v1_disabled': ${v1Disabled ? 'True' : 'False'}, 'ec2_credential_refresh_window': 900}`,
    `f = InstanceMetadataFetcher(timeout=${TIMEOUT}, num_attempts=${attempts}, env={}, config=config)`,
    'try:',
    '    print(json.dumps({"ok": f.retrieve_iam_role_credentials()}))',
    'except Exception as e:',
    '    print(json.dumps({"error": type(e).__name__}))',
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile(PYTHON ?? 'python3', ['-c', script], { timeout: 30_000, env: pythonEnv() }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python3 failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as BotocoreOutcome);
    });
  });
}

/** The same outcome in botocore's vocabulary: {} for none, the error class name, or the fields. */
async function ours(attempts: number, v1Disabled: boolean): Promise<BotocoreOutcome> {
  const fetcher = new InstanceMetadataFetcher(resolveImdsSettings(options({ attempts, v1Disabled })));
  try {
    const c = await fetcher.retrieveIamRoleCredentials();
    if (c === null) return { ok: {} };
    return { ok: { role_name: c.roleName, access_key: c.accessKeyId, secret_key: c.secretAccessKey, token: c.sessionToken ?? '', expiry_time: isoSeconds(c.expiration.getTime()) } };
  } catch (err) {
    return { error: (err as Error).constructor.name };
  } finally {
    fetcher.destroy();
  }
}

describe('IMDS: the same requests and outcome as botocore', { skip: PYTHON === undefined ? 'python3 with botocore not found' : false }, () => {
  const FIXED_EXPIRY = isoSeconds(Date.UTC(2099, 0, 1));
  const SCENARIOS: Array<{ name: string; attempts?: number; v1Disabled?: boolean; setup: (b: Behaviour) => void }> = [
    { name: 'token flow', setup: () => {} },
    { name: 'token 403 → v1', setup: (b) => (b.tokenStatus = 403) },
    { name: 'token 400 → none', attempts: 2, setup: (b) => (b.tokenStatus = 400) },
    { name: 'token 500 twice → v1', attempts: 2, setup: (b) => (b.tokenStatus = 500) },
    { name: 'token stalls → v1 at once', attempts: 3, setup: (b) => (b.tokenStalls = true) },
    { name: 'v1 disabled, token 404', v1Disabled: true, setup: (b) => (b.tokenStatus = 404) },
    { name: 'no role', attempts: 2, setup: (b) => (b.roleStatus = 404) },
    { name: 'malformed JSON', attempts: 2, setup: (b) => (b.credentials = () => ({ status: 200, body: '{nope' })) },
    { name: 'error document', attempts: 2, setup: (b) => (b.credentials = () => ({ status: 200, body: '{"Code": "Failure", "Message": "no"}' })) },
    { name: 'credentials 500 then OK', attempts: 2, setup: (b) => (b.credentials = (n) => (n === 1 ? { status: 500, body: 'x' } : { status: 200, body: document(n, FIXED_EXPIRY) })) },
  ];

  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const attempts = scenario.attempts ?? 1;
      const v1Disabled = scenario.v1Disabled ?? false;
      imds.reset();
      scenario.setup(imds.b);
      const theirs = await botocoreFetch(attempts, v1Disabled);
      const theirTrail = imds.trail();
      imds.reset();
      scenario.setup(imds.b);
      const mine = await ours(attempts, v1Disabled);
      assert.deepEqual(imds.trail(), theirTrail, 'requests');
      // The extension of a near expiry is random on both sides; a far one is kept as is.
      if (theirs.ok?.expiry_time !== undefined && theirs.ok.expiry_time !== FIXED_EXPIRY) {
        assert.ok(mine.ok?.expiry_time !== undefined);
        theirs.ok.expiry_time = mine.ok.expiry_time;
      }
      assert.deepEqual(mine, theirs);
    });
  }

  it('expired credentials: botocore extends them the same way', async () => {
    const expired = isoSeconds(Date.now() - 3600_000);
    imds.b.credentials = (n) => ({ status: 200, body: document(n, expired) });
    const theirs = await botocoreFetch(1, false);
    const mine = await ours(1, false);
    for (const outcome of [theirs, mine]) {
      const ahead = (Date.parse(outcome.ok!.expiry_time!) - Date.now()) / 1000;
      assert.ok(ahead > 900 + 120 - 30 && ahead <= 900 + 600, `extended by ${ahead} s`);
    }
  });
});
