/**
 * The container (ECS task role / EKS Pod Identity) credential provider against a loopback
 * credentials endpoint that checks the Authorization header and fails or stalls on demand.
 * Where python3 with botocore is present, botocore's host check and ContainerProvider run on
 * the same inputs (and the same endpoint) and must agree.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ContainerProvider, UnsupportedContainerHostError, containerCredentialsUri, containerTarget, type ContainerOptions } from '../../src/credentials/container.js';
import { RefreshableCredentials } from '../../src/credentials/refreshable.js';
import { CredentialRetrievalError, InvalidConfigError } from '../../src/errors.js';

const AUTH = 'eks-pod-identity-auth-token-1';
const CREDS_PATH = '/v1/credentials';
const TIMEOUT = 0.5;

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function document(n: number, expiration: string): string {
  return JSON.stringify({
    AccessKeyId: `ASIACONT${n}`,
    SecretAccessKey: `container-secret-${n}`,
    Token: `container-session-${n}`,
    Expiration: expiration,
    AccountId: '123456789012',
    RoleArn: 'arn:aws:iam::123456789012:role/task',
  });
}

interface Seen {
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
}

class FakeContainerEndpoint {
  server!: Server;
  port = 0;
  seen: Seen[] = [];
  /** What the n-th (1-based) request gets; undefined stalls it. */
  answer: (n: number, seen: Seen) => { status: number; body: string } | undefined = () => undefined;
  /** The Authorization value required (undefined: none checked). */
  expectAuth: string | undefined;
  #stalled: ServerResponse[] = [];

  reset(): void {
    this.seen = [];
    this.expectAuth = undefined;
    this.release();
    this.answer = (n) => ({ status: 200, body: document(n, isoSeconds(Date.now() + 6 * 3600_000)) });
  }

  url(path = CREDS_PATH): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  release(): void {
    for (const res of this.#stalled) res.destroy();
    this.#stalled = [];
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const seen: Seen = { path: req.url ?? '', authorization: req.headers.authorization, accept: req.headers.accept };
    this.seen.push(seen);
    if (this.expectAuth !== undefined && seen.authorization !== this.expectAuth) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"Message": "bad token"}');
      return;
    }
    const reply = this.answer(this.seen.length, seen);
    if (reply === undefined) return void this.#stalled.push(res);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }
}

const PYTHON = ((): string | undefined => {
  const probe = spawnSync('python3', ['-c', 'import sys, botocore.credentials; print(sys.executable)'], { timeout: 30_000, encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
})();

function python(script: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_PROXY: '*', no_proxy: '*' };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) delete env[name];
  return new Promise((resolve, reject) => {
    execFile(PYTHON ?? 'python3', ['-c', script], { timeout: 30_000, env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python3 failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const endpoint = new FakeContainerEndpoint();
let dir: string;

function provider(env: NodeJS.ProcessEnv, extra: Partial<ContainerOptions> = {}): ContainerProvider {
  return new ContainerProvider({ env, timeoutSeconds: TIMEOUT, retryDelaySeconds: 0.01, ...extra });
}

function tokenFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof Error, 'expected a rejection');
  return err;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inia-container-'));
  await endpoint.start();
});
after(async () => {
  await endpoint.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => endpoint.reset());

describe('container credentials: where they come from', () => {
  it('neither URI variable set: null, no request', async () => {
    assert.equal(await provider({ AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH }).load(), null);
    assert.deepEqual(endpoint.seen, []);
  });

  it('FULL_URI on loopback, token from the environment: refreshable credentials with AccountId', async () => {
    endpoint.expectAuth = AUTH;
    const creds = await provider({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url(), AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH }).load();
    assert.ok(creds instanceof RefreshableCredentials);
    assert.equal(creds.method, 'container-role');
    assert.equal(creds.accessKeyId, 'ASIACONT1');
    assert.equal(creds.secretAccessKey, 'container-secret-1');
    assert.equal(creds.sessionToken, 'container-session-1');
    assert.equal(creds.accountId, '123456789012');
    assert.ok(creds.expiration instanceof Date);
    assert.deepEqual(endpoint.seen, [{ path: CREDS_PATH, authorization: AUTH, accept: 'application/json' }]);
  });

  it('no token configured: no Authorization header', async () => {
    await provider({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url() }).load();
    assert.equal(endpoint.seen[0]!.authorization, undefined);
  });

  it('RELATIVE_URI is appended to http://169.254.170.2 and wins over FULL_URI', () => {
    assert.deepEqual(containerCredentialsUri({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://localhost/x' }), {
      uri: 'http://169.254.170.2/v2/credentials/abc',
      variable: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    });
    // Presence counts, even empty, as in botocore.
    assert.equal(containerCredentialsUri({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '' })?.uri, 'http://169.254.170.2');
    assert.equal(containerCredentialsUri({}), null);
  });

  it('a relative URI goes through the same host check (and to the host it names)', async () => {
    // 'http://169.254.170.2@127.0.0.1:PORT/...' has host 127.0.0.1 for urlparse: allowed, and used.
    const creds = await provider({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: `@127.0.0.1:${endpoint.port}${CREDS_PATH}?id=1` }).load();
    assert.equal(creds?.accessKeyId, 'ASIACONT1');
    assert.equal(endpoint.seen[0]!.path, `${CREDS_PATH}?id=1`);
  });
});

describe('container credentials: the authorization token', () => {
  it('the token file wins over the variable, and is read again on every refresh', async () => {
    const file = tokenFile('token-a', 'file-token-1');
    let clock = Date.UTC(2030, 0, 1);
    endpoint.answer = (n) => ({ status: 200, body: document(n, isoSeconds(clock + 3600_000)) });
    const creds = await provider(
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url(), AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH },
      { now: () => clock },
    ).load();
    assert.equal(endpoint.seen[0]!.authorization, 'file-token-1');
    writeFileSync(file, 'file-token-2');
    clock += 55 * 60_000;
    const frozen = await creds!.getFrozenCredentials();
    assert.equal(frozen.accessKeyId, 'ASIACONT2');
    assert.deepEqual(
      endpoint.seen.map((s) => s.authorization),
      ['file-token-1', 'file-token-2'],
    );
  });

  for (const [where, bad] of [
    ['the variable', 'tok\r\nX-Injected: 1'],
    ['the variable', 'trailing-newline\n'],
    ['the file', 'file-token\n'],
    ['the file', 'cr\rinside'],
  ] as const) {
    it(`a token with CR/LF from ${where} is refused before any request, without showing it (${JSON.stringify(bad)})`, async () => {
      const env: NodeJS.ProcessEnv = { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url() };
      if (where === 'the file') env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenFile('bad-token', bad);
      else env.AWS_CONTAINER_AUTHORIZATION_TOKEN = bad;
      const err = await failure(provider(env).load());
      assert.ok(err instanceof InvalidConfigError);
      assert.match(err.message, /Auth token value is not a legal header value/);
      assert.ok(!err.message.includes(bad.trim()), err.message);
      assert.deepEqual(endpoint.seen, []);
    });
  }

  it('an unreadable token file is an error naming the file, not a silent fallback to the variable', async () => {
    const missing = join(dir, 'no-such-token');
    const err = await failure(provider({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url(), AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: missing, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH }).load());
    assert.ok(err instanceof CredentialRetrievalError);
    assert.match(err.message, /no-such-token.*ENOENT/);
    assert.deepEqual(endpoint.seen, []);
  });
});

describe('container credentials: the host allow-list', () => {
  const ALLOWED = [
    'http://127.0.0.1/creds',
    'http://127.255.0.9:8080/creds',
    'http://[::1]:80/creds',
    'http://[0:0:0:0:0:0:0:1]/creds',
    'http://localhost/creds',
    'HTTP://LOCALHOST:9/creds',
    'http://169.254.170.2/v2/credentials/x',
    'http://169.254.170.23/v1/credentials',
    'http://[fd00:ec2::23]/v1/credentials',
    'http://[FD00:EC2::23]/v1/credentials',
    'https://anything.example.com/creds',
    'http://169.254.170.2@127.0.0.1/creds',
    'http://evil.example\\@127.0.0.1/creds',
  ];
  const REFUSED = [
    'http://169.254.169.254/latest/meta-data/',
    'http://example.com/creds',
    'http://127.0.0.1.nip.io/creds',
    'http://127.1/creds',
    'http://2130706433/creds',
    'http://[::ffff:127.0.0.1]/creds',
    'http://[fd00:ec2:0::23]/creds',
    'http://127.0.0.1@example.com/creds',
    'http://localhost.example.com/',
    'ftp://example.com/creds',
    '127.0.0.1:8080/creds',
  ];

  it('accepts loopback, the ECS/EKS hosts and any https URL', () => {
    for (const uri of ALLOWED) assert.doesNotThrow(() => containerTarget(uri), uri);
    // The request goes to the host that was checked.
    assert.equal(containerTarget('http://evil.example\\@127.0.0.1:81/c').hostname, '127.0.0.1');
    assert.deepEqual(containerTarget('http://[::1]:81/a b?x=1#frag'), { protocol: 'http:', hostname: '::1', port: 81, pathAndQuery: '/a%20b?x=1' });
  });

  it('refuses everything else with a message naming the host and the variable', () => {
    for (const uri of REFUSED) {
      assert.throws(
        () => containerTarget(uri, 'AWS_CONTAINER_CREDENTIALS_FULL_URI'),
        (err: unknown) => err instanceof UnsupportedContainerHostError && err.host !== undefined && /Unsupported host '.*' in AWS_CONTAINER_CREDENTIALS_FULL_URI.*loopback address/.test(err.message),
        uri,
      );
    }
  });

  it('a refused FULL_URI fails without any connection attempt', async () => {
    // Port of the live endpoint, but a refused host name: nothing may reach the endpoint.
    const start = performance.now();
    const err = await failure(provider({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://example.com:${endpoint.port}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH }).load());
    assert.ok(err instanceof UnsupportedContainerHostError && err instanceof InvalidConfigError);
    assert.equal(err.host, 'example.com');
    assert.match(err.message, /Unsupported host 'example.com'/);
    assert.ok(!err.message.includes(AUTH));
    assert.ok(performance.now() - start < 1_000);
    assert.deepEqual(endpoint.seen, []);
  });

  it('agrees with botocore\'s _validate_allowed_url', { skip: PYTHON === undefined ? 'python3 with botocore not found' : false }, async () => {
    const uris = [...ALLOWED, ...REFUSED];
    const script = [
      'import json, sys',
      'from botocore.utils import ContainerMetadataFetcher',
      'f = ContainerMetadataFetcher()',
      'out = []',
      `for uri in json.loads(${JSON.stringify(JSON.stringify(uris))}):`,
      '    try:',
      '        f._validate_allowed_url(uri); out.append(True)',
      '    except ValueError:',
      '        out.append(False)',
      'print(json.dumps(out))',
    ].join('\n');
    const theirs = JSON.parse(await python(script)) as boolean[];
    const mine = uris.map((uri) => {
      try {
        containerTarget(uri);
        return true;
      } catch {
        return false;
      }
    });
    // 'ftp://...' fails botocore's check by host; ours too. No other difference allowed.
    assert.deepEqual(Object.fromEntries(uris.map((u, i) => [u, mine[i]])), Object.fromEntries(uris.map((u, i) => [u, theirs[i]])));
  });
});

describe('container credentials: failures, retries and timeouts', () => {
  const env = (): NodeJS.ProcessEnv => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url(), AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH });

  it('a non-200 is retried three times, then CredentialRetrievalError with status and body, not the token', async () => {
    endpoint.answer = () => ({ status: 500, body: 'boom' });
    const err = await failure(provider(env()).load());
    assert.ok(err instanceof CredentialRetrievalError);
    assert.equal(err.message, 'Error when retrieving credentials from container-role: Error retrieving metadata: Received non 200 response 500 from container metadata: boom');
    assert.equal(endpoint.seen.length, 3);
    assert.ok(!err.message.includes(AUTH));
  });

  it('a failure followed by success within the attempts gives credentials', async () => {
    endpoint.answer = (n) => (n === 1 ? { status: 503, body: '' } : { status: 200, body: document(n, isoSeconds(Date.now() + 3600_000)) });
    assert.equal((await provider(env()).load())?.accessKeyId, 'ASIACONT2');
  });

  it('malformed JSON is retried, then botocore\'s parse error', async () => {
    endpoint.answer = () => ({ status: 200, body: '{"AccessKeyId": ' });
    const err = await failure(provider(env(), { attempts: 2 }).load());
    assert.ok(err instanceof CredentialRetrievalError);
    assert.match(err.message, /Unable to parse JSON returned from container metadata services$/);
    assert.equal(endpoint.seen.length, 2);
  });

  it('a stalled endpoint times out on each attempt, then an error', async () => {
    endpoint.answer = () => undefined;
    const start = performance.now();
    const err = await failure(provider(env(), { attempts: 2 }).load());
    const ms = performance.now() - start;
    assert.ok(err instanceof CredentialRetrievalError);
    assert.match(err.message, /Received error when attempting to retrieve container metadata: .*timeout/i);
    assert.equal(endpoint.seen.length, 2);
    assert.ok(ms >= 2 * TIMEOUT * 1000 - 50 && ms < 10_000, `took ${ms} ms`);
  });

  it('nothing listening: an error after the attempts, quickly', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await failure(provider({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/c` }).load());
    assert.ok(err instanceof CredentialRetrievalError);
    assert.match(err.message, /Could not connect|connect/i);
  });

  it('the pause between attempts is botocore\'s (after each failure)', async () => {
    endpoint.answer = () => ({ status: 500, body: '' });
    const start = performance.now();
    await failure(provider(env(), { attempts: 2, retryDelaySeconds: 0.2 }).load());
    const ms = performance.now() - start;
    assert.ok(ms >= 380 && ms < 5_000, `took ${ms} ms`);
  });

  it('an answer without a required field is an error naming the field', async () => {
    endpoint.answer = () => ({ status: 200, body: JSON.stringify({ AccessKeyId: 'A', SecretAccessKey: 'container-secret-x', Expiration: '2099-01-01T00:00:00Z' }) });
    const err = await failure(provider(env()).load());
    assert.ok(err instanceof CredentialRetrievalError);
    assert.match(err.message, /has no Token/);
    assert.ok(!err.message.includes('container-secret-x'));
    assert.equal(endpoint.seen.length, 1, 'a 200 with JSON is not retried');
  });

  it('a null Token means no session token (botocore passes None on)', async () => {
    endpoint.answer = () => ({ status: 200, body: JSON.stringify({ AccessKeyId: 'A', SecretAccessKey: 'S', Token: null, Expiration: '2099-01-01T00:00:00Z' }) });
    const creds = await provider(env()).load();
    assert.equal(creds?.sessionToken, undefined);
  });
});

describe('container credentials: refresh and secrets', () => {
  it('refreshes from the endpoint once within the mandatory window', async () => {
    let clock = Date.UTC(2030, 0, 1);
    endpoint.answer = (n) => ({ status: 200, body: document(n, isoSeconds(clock + 3600_000)) });
    const creds = await provider({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url() }, { now: () => clock }).load();
    assert.equal((await creds!.getFrozenCredentials()).accessKeyId, 'ASIACONT1');
    clock += 52 * 60_000;
    const frozen = await Promise.all([creds!.getFrozenCredentials(), creds!.getFrozenCredentials()]);
    assert.deepEqual(frozen.map((f) => f.accessKeyId), ['ASIACONT2', 'ASIACONT2']);
    assert.equal(endpoint.seen.length, 2, 'one refresh for two callers');
  });

  it('util.inspect, JSON.stringify and String() show no secret, session token or auth token', async () => {
    const creds = await provider({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url(), AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH }).load();
    for (const text of [inspect(creds, { depth: 10, showHidden: true }), JSON.stringify(creds), String(creds)]) {
      assert.doesNotMatch(text, /container-secret-1|container-session-1|eks-pod-identity/, text);
    }
  });
});

// ---------------------------------------------------------------- botocore itself, same endpoint

describe('container credentials: the same outcome as botocore\'s ContainerProvider', { skip: PYTHON === undefined ? 'python3 with botocore not found' : false }, () => {
  async function botocore(env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
    const script = [
      'import json',
      'from botocore.credentials import ContainerProvider',
      'from botocore.utils import ContainerMetadataFetcher',
      `env = json.loads(${JSON.stringify(JSON.stringify(env))})`,
      'p = ContainerProvider(environ=env, fetcher=ContainerMetadataFetcher(sleep=lambda s: None))',
      'try:',
      '    c = p.load()',
      '    if c is None: print(json.dumps(None))',
      '    else:',
      '        f = c.get_frozen_credentials()',
      '        print(json.dumps({"method": c.method, "access_key": f.access_key, "secret_key": f.secret_key, "token": f.token, "account_id": f.account_id}))',
      'except Exception as e:',
      '    print(json.dumps({"error": type(e).__name__, "message": str(e)}))',
    ].join('\n');
    return JSON.parse(await python(script)) as Record<string, unknown>;
  }

  it('credentials, headers and AccountId match', async () => {
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url(), AWS_CONTAINER_AUTHORIZATION_TOKEN: AUTH };
    const theirs = await botocore(env);
    const theirSeen = endpoint.seen;
    endpoint.reset();
    const c = await provider(env).load();
    assert.deepEqual({ method: c!.method, access_key: c!.accessKeyId, secret_key: c!.secretAccessKey, token: c!.sessionToken, account_id: c!.accountId }, theirs);
    assert.deepEqual(
      endpoint.seen.map((s) => [s.path, s.authorization, s.accept]),
      theirSeen.map((s) => [s.path, s.authorization, s.accept]),
    );
  });

  it('a failing endpoint: the same error class, message and number of attempts', async () => {
    endpoint.answer = () => ({ status: 500, body: 'boom' });
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url() };
    const theirs = await botocore(env);
    const theirAttempts = endpoint.seen.length;
    endpoint.reset();
    endpoint.answer = () => ({ status: 500, body: 'boom' });
    const err = await failure(provider(env).load());
    assert.equal(err.constructor.name, theirs.error);
    assert.equal(err.message, theirs.message);
    assert.equal(endpoint.seen.length, theirAttempts);
  });

  it('a relative URI with a userinfo host reaches the same endpoint in both', async () => {
    const env = { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: `@127.0.0.1:${endpoint.port}${CREDS_PATH}` };
    const theirs = await botocore(env);
    assert.equal(theirs.access_key, 'ASIACONT1');
    assert.equal(endpoint.seen.length, 1);
  });

  it('botocore refuses the same CR/LF token', async () => {
    const theirs = await botocore({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url(), AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\nb' });
    assert.equal(theirs.error, 'ValueError');
    assert.equal(theirs.message, 'Auth token value is not a legal header value');
    assert.deepEqual(endpoint.seen, []);
  });
});
