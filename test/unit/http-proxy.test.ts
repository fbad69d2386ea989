/**
 * Proxies: an in-test forward proxy (absolute-URI requests and CONNECT) on 127.0.0.1 in front
 * of loopback origins, plain and TLS (certificates made with the openssl CLI at test time).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { Config } from '../../src/config.js';
import { ConnectionError, EndpointConnectionError, InvalidOptionError, ProxyConnectionError } from '../../src/errors.js';
import { bypassesProxy, environProxies, maskProxyUrl } from '../../src/http/proxy.js';
import { NodeHttpClient, readBody } from '../../src/http/transport.js';
import type { HttpClientOptions, HttpRequest } from '../../src/http/types.js';
import { Session } from '../../src/session.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { certDir, type CertDir, type TestCert } from '../helpers/tls-certs.js';

const HOST = '127.0.0.1';
const T = { timeout: 10_000 };
const USER = 'us%65r';
const PASS = 'p%40ss';
const BASIC = `Basic ${Buffer.from('user:p@ss').toString('base64')}`;
const SECRETS = ['us%65r', 'p%40ss', 'p@ss', Buffer.from('user:p@ss').toString('base64')];

const servers: net.Server[] = [];
const sockets = new Set<Socket>();
const clients: NodeHttpClient[] = [];
let certs: CertDir;
let origin: TestCert;
let proxyCert: TestCert;

before(() => {
  certs = certDir();
  origin = certs.make('origin', 'DNS:localhost');
  proxyCert = certs.make('proxy', 'DNS:localhost,IP:127.0.0.1');
});

after(() => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  certs?.cleanup();
});

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  server.listen(0, HOST);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

interface Seen {
  method: string | undefined;
  url: string | undefined;
  host: string | undefined;
  body: string;
  proxyAuthorization: string | undefined;
}

function collect(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** An origin answering 200 with `origin:<path>` and recording what it got. */
async function originServer(tls: boolean): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await collect(req);
    seen.push({ method: req.method, url: req.url, host: req.headers.host, body, proxyAuthorization: req.headers['proxy-authorization'] });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`origin:${req.url}`);
  };
  const server = tls ? https.createServer({ cert: origin.cert, key: origin.key }, handler) : http.createServer(handler);
  return { port: await listen(server), seen };
}

interface ProxyLog {
  kind: 'forward' | 'connect';
  target: string;
  auth: string | undefined;
  /** Which client connection to the proxy carried it (pooling through the proxy). */
  connection: number;
}

/**
 * A forward proxy: absolute-URI requests are replayed to the origin (http, or https trusting
 * the test CA), CONNECT opens a raw tunnel. With `auth`, anything without that
 * Proxy-Authorization gets 407.
 */
async function proxyServer(options: { auth?: string; tls?: boolean } = {}): Promise<{ port: number; log: ProxyLog[] }> {
  const log: ProxyLog[] = [];
  let connections = 0;
  const ids = new WeakMap<Socket, number>();
  const idOf = (s: Socket): number => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ++connections));
    return id;
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const auth = req.headers['proxy-authorization'];
    log.push({ kind: 'forward', target: req.url ?? '', auth, connection: idOf(req.socket) });
    if (options.auth !== undefined && auth !== options.auth) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-length': '0' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const send = url.protocol === 'https:' ? https.request : http.request;
    const upstream = send(
      { host: url.hostname, port: url.port, method: req.method, path: `${url.pathname}${url.search}`, headers, ca: origin.cert, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = options.tls === true ? https.createServer({ cert: proxyCert.cert, key: proxyCert.key }, handler) : http.createServer(handler);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization'];
    log.push({ kind: 'connect', target: req.url ?? '', auth, connection: idOf(client) });
    if (options.auth !== undefined && auth !== options.auth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = net.connect({ host: host === 'localhost' ? HOST : host, port: Number(port) }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { port: await listen(server), log };
}

function client(options: HttpClientOptions = {}): NodeHttpClient {
  const c = new NodeHttpClient({ connectTimeout: 3, readTimeout: 3, ...options });
  clients.push(c);
  return c;
}

function request(url: string, over: Partial<HttpRequest> = {}): HttpRequest {
  const u = new URL(url);
  return {
    method: 'GET',
    protocol: u.protocol as 'http:' | 'https:',
    hostname: u.hostname,
    port: u.port === '' ? undefined : Number(u.port),
    path: u.pathname,
    query: u.search.slice(1),
    headers: {},
    body: undefined,
    ...over,
  };
}

async function text(c: NodeHttpClient, req: HttpRequest): Promise<{ status: number; body: string }> {
  const res = await c.send(req);
  return { status: res.statusCode, body: Buffer.from(await readBody(res)).toString('utf8') };
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

function assertNoSecrets(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `secret ${secret} leaked into: ${text}`);
}

describe('http through a forward proxy', () => {
  test('GET and PUT go to the proxy as absolute URIs with the origin in Host; one pooled proxy connection', T, async () => {
    const o = await originServer(false);
    const p = await proxyServer();
    const c = client({ proxies: { http: `http://${HOST}:${p.port}` } });
    const first = await text(c, request(`http://${HOST}:${o.port}/a/b%20c?x=1&y=2`));
    assert.deepEqual(first, { status: 200, body: 'origin:/a/b%20c?x=1&y=2' });
    const second = await text(c, request(`http://${HOST}:${o.port}/put`, { method: 'PUT', body: 'payload' }));
    assert.equal(second.status, 200);
    assert.deepEqual(p.log.map((l) => [l.kind, l.target]), [
      ['forward', `http://${HOST}:${o.port}/a/b%20c?x=1&y=2`],
      ['forward', `http://${HOST}:${o.port}/put`],
    ]);
    assert.equal(p.log[0]!.connection, p.log[1]!.connection, 'keep-alive through the proxy');
    assert.equal(o.seen[0]!.host, `${HOST}:${o.port}`);
    assert.equal(o.seen[1]!.body, 'payload');
    assert.equal(o.seen[1]!.method, 'PUT');
  });

  test('a proxy URL without a scheme is an http proxy (botocore _fix_proxy_url)', T, async () => {
    const o = await originServer(false);
    const p = await proxyServer();
    const c = client({ proxies: { http: `${HOST}:${p.port}` } });
    assert.equal((await text(c, request(`http://${HOST}:${o.port}/x`))).status, 200);
    assert.equal(p.log.length, 1);
  });

  test('credentials in the proxy URL become Proxy-Authorization: Basic (percent-decoded)', T, async () => {
    const o = await originServer(false);
    const p = await proxyServer({ auth: BASIC });
    const c = client({ proxies: { http: `http://${USER}:${PASS}@${HOST}:${p.port}` } });
    assert.equal((await text(c, request(`http://${HOST}:${o.port}/auth`))).status, 200);
    assert.equal(p.log[0]!.auth, BASIC);
    // botocore's base64 of the same credentials
    assert.equal(BASIC, 'Basic dXNlcjpwQHNz');
    // A user name without a password sends no header, as botocore's proxy_headers_for.
    const p2 = await proxyServer();
    const c2 = client({ proxies: { http: `http://onlyuser@${HOST}:${p2.port}` } });
    await text(c2, request(`http://${HOST}:${o.port}/x`));
    assert.equal(p2.log[0]!.auth, undefined);
  });

  test('a forward proxy answering 407 is a response, as in botocore', T, async () => {
    const o = await originServer(false);
    const p = await proxyServer({ auth: BASIC });
    const c = client({ proxies: { http: `http://${HOST}:${p.port}` } });
    assert.equal((await text(c, request(`http://${HOST}:${o.port}/x`))).status, 407);
  });

  test('an unreachable proxy is ProxyConnectionError with the URL masked', T, async () => {
    const port = await deadPort();
    const c = client({ proxies: { http: `http://${USER}:${PASS}@${HOST}:${port}`, https: `http://${USER}:${PASS}@${HOST}:${port}` } });
    for (const url of ['http://example.invalid/x', 'https://example.invalid/x']) {
      const err = await c.send(request(url)).then(() => assert.fail('expected a failure'), (e: unknown) => e);
      assert.ok(err instanceof ProxyConnectionError, `${url}: ${String(err)}`);
      // botocore's family: a ConnectionError (retried as one), not an EndpointConnectionError.
      assert.ok(err instanceof ConnectionError && !(err instanceof EndpointConnectionError));
      assert.equal(err.message, `Failed to connect to proxy URL: "http://***:***@${HOST}:${port}"`);
      assert.equal(err.proxyUrl, `http://***:***@${HOST}:${port}`);
      assert.equal(err.endpointUrl, url);
      assertNoSecrets(inspect(err, { depth: 10 }));
      assertNoSecrets(String(err.stack));
    }
  });

  test('a proxy that accepts and closes without answering fails as a proxy error', T, async () => {
    const server = net.createServer((s) => s.destroy());
    const port = await listen(server);
    const c = client({ proxies: { https: `http://${HOST}:${port}` } });
    const err = await c.send(request('https://example.invalid/x')).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(err instanceof ProxyConnectionError, String(err));
  });
});

describe('https through a CONNECT tunnel', () => {
  test('CONNECT to the origin, TLS checked against the origin name, tunnels pooled per origin', T, async () => {
    const o = await originServer(true);
    const p = await proxyServer({ auth: BASIC });
    const c = client({ proxies: { https: `http://${USER}:${PASS}@${HOST}:${p.port}` }, verify: origin.certPath });
    const first = await text(c, request(`https://localhost:${o.port}/one?q=1`));
    assert.deepEqual(first, { status: 200, body: 'origin:/one?q=1' });
    const second = await text(c, request(`https://localhost:${o.port}/two`, { method: 'PUT', body: 'data' }));
    assert.equal(second.status, 200);
    assert.deepEqual(p.log.map((l) => [l.kind, l.target, l.auth]), [['connect', `localhost:${o.port}`, BASIC]]);
    // The origin never sees the proxy's credentials, and is asked with an origin-form path.
    assert.deepEqual(o.seen.map((s) => [s.url, s.proxyAuthorization, s.host]), [
      ['/one?q=1', undefined, `localhost:${o.port}`],
      ['/two', undefined, `localhost:${o.port}`],
    ]);
    assert.equal(o.seen[1]!.body, 'data');
  });

  test('the tunnelled TLS is verified: a name the certificate lacks fails as an endpoint error', T, async () => {
    const o = await originServer(true);
    const p = await proxyServer();
    const c = client({ proxies: { https: `http://${HOST}:${p.port}` }, verify: origin.certPath });
    // The certificate names localhost only.
    const err = await c.send(request(`https://${HOST}:${o.port}/`)).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(err instanceof EndpointConnectionError && !(err instanceof ProxyConnectionError), String(err));
    // verify: false turns the check off, through the tunnel too.
    const loose = client({ proxies: { https: `http://${HOST}:${p.port}` }, verify: false });
    assert.equal((await text(loose, request(`https://${HOST}:${o.port}/ok`))).status, 200);
  });

  test('a CONNECT refused (407) is ProxyConnectionError, credentials masked', T, async () => {
    const p = await proxyServer({ auth: 'Basic c29tZW9uZTplbHNl' });
    const c = client({ proxies: { https: `http://${USER}:${PASS}@${HOST}:${p.port}` } });
    const err = await c.send(request('https://localhost:1/')).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(err instanceof ProxyConnectionError, String(err));
    assert.match(err.message, /^Failed to connect to proxy URL: "http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+"$/);
    assert.match(String((err.cause as Error).message), /407/);
    assertNoSecrets(inspect(err, { depth: 10 }));
  });

  test('an https proxy: TLS to the proxy trusted by proxyCaBundle, CONNECT inside it', T, async () => {
    const o = await originServer(true);
    const p = await proxyServer({ tls: true });
    const c = client({
      proxies: { https: `https://localhost:${p.port}` },
      proxiesConfig: { proxyCaBundle: proxyCert.certPath },
      verify: origin.certPath,
    });
    assert.equal((await text(c, request(`https://localhost:${o.port}/tls-in-tls`))).body, 'origin:/tls-in-tls');
    assert.deepEqual(p.log.map((l) => l.kind), ['connect']);
  });

  test('proxyUseForwardingForHttps sends https requests to an https proxy as absolute URIs', T, async () => {
    const o = await originServer(true);
    const p = await proxyServer({ tls: true });
    const c = client({
      proxies: { https: `https://${HOST}:${p.port}` },
      proxiesConfig: { proxyCaBundle: proxyCert.certPath, proxyUseForwardingForHttps: true },
    });
    assert.equal((await text(c, request(`https://localhost:${o.port}/fwd`))).body, 'origin:/fwd');
    assert.deepEqual(p.log.map((l) => [l.kind, l.target]), [['forward', `https://localhost:${o.port}/fwd`]]);
    // With an http proxy the flag changes nothing: urllib3 only forwards https through https proxies.
    const plain = await proxyServer();
    const c2 = client({ proxies: { https: `http://${HOST}:${plain.port}` }, proxiesConfig: { proxyUseForwardingForHttps: true }, verify: origin.certPath });
    assert.equal((await text(c2, request(`https://localhost:${o.port}/t`))).status, 200);
    assert.deepEqual(plain.log.map((l) => l.kind), ['connect']);
  });

  test('an https proxy not trusted fails as ProxyConnectionError', T, async () => {
    const p = await proxyServer({ tls: true });
    const c = client({ proxies: { https: `https://localhost:${p.port}` } });
    const err = await c.send(request('https://localhost:1/')).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(err instanceof ProxyConnectionError, String(err));
  });
});

describe('proxies from the environment (Session env)', () => {
  const LIST_BUCKETS = '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Buckets><Bucket><Name>b1</Name></Bucket></Buckets></ListAllMyBucketsResult>';
  const creds = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };

  async function s3Origin(tls: boolean): Promise<{ port: number; hits: string[] }> {
    const hits: string[] = [];
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      hits.push(req.url ?? '');
      req.resume();
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(LIST_BUCKETS);
    };
    const server = tls ? https.createServer({ cert: origin.cert, key: origin.key }, handler) : http.createServer(handler);
    return { port: await listen(server), hits };
  }

  function s3(env: NodeJS.ProcessEnv, endpointUrl: string, config?: Config): { listBuckets(): Promise<{ Buckets?: { Name?: string }[] }>; destroy(): void } {
    const c = new Session({ env: { ...EMPTY_ENV, ...env }, region: 'us-east-1' }).client('s3', {
      endpointUrl,
      credentials: creds,
      config: config ?? new Config({ retries: { maxAttempts: 0 } }),
    });
    return c as unknown as { listBuckets(): Promise<{ Buckets?: { Name?: string }[] }>; destroy(): void };
  }

  test('HTTP_PROXY / http_proxy route plain requests; NO_PROXY bypasses; Config.proxies replaces the environment', T, async () => {
    const o = await s3Origin(false);
    const p = await proxyServer();
    const proxyUrl = `http://${HOST}:${p.port}`;
    const endpoint = `http://${HOST}:${o.port}`;
    for (const env of [{ HTTP_PROXY: proxyUrl }, { http_proxy: proxyUrl }]) {
      const c = s3(env, endpoint);
      assert.equal((await c.listBuckets()).Buckets?.[0]?.Name, 'b1');
      c.destroy();
    }
    assert.equal(p.log.length, 2);
    assert.equal(p.log[0]!.target, `${endpoint}/`);
    for (const noProxy of ['127.0.0.1', `127.0.0.1:${o.port}`, '*', '.0.0.1', 'example.com, 127.0.0.1']) {
      const c = s3({ HTTP_PROXY: proxyUrl, NO_PROXY: noProxy }, endpoint);
      await c.listBuckets();
      c.destroy();
    }
    // An explicit (even empty) Config.proxies: the environment is not read.
    const direct = s3({ HTTP_PROXY: proxyUrl }, endpoint, new Config({ proxies: {} }));
    await direct.listBuckets();
    direct.destroy();
    assert.equal(p.log.length, 2, 'bypassed requests never reach the proxy');
    assert.equal(o.hits.length, 8);
  });

  test('HTTPS_PROXY tunnels https requests; AWS_CA_BUNDLE verifies the origin through the tunnel', T, async () => {
    const o = await s3Origin(true);
    const p = await proxyServer({ auth: BASIC });
    const c = s3({ HTTPS_PROXY: `http://${USER}:${PASS}@${HOST}:${p.port}`, HTTP_PROXY: 'http://127.0.0.1:9', AWS_CA_BUNDLE: origin.certPath }, `https://localhost:${o.port}`);
    assert.equal((await c.listBuckets()).Buckets?.[0]?.Name, 'b1');
    c.destroy();
    assert.deepEqual(p.log.map((l) => [l.kind, l.target]), [['connect', `localhost:${o.port}`]]);
    // Without the CA bundle the origin's self-signed certificate is refused.
    const untrusted = s3({ HTTPS_PROXY: `http://${HOST}:${p.port}` }, `https://localhost:${o.port}`);
    await assert.rejects(untrusted.listBuckets(), (err: unknown) => err instanceof EndpointConnectionError || err instanceof ProxyConnectionError);
    untrusted.destroy();
  });

  test('a malformed proxy variable fails the requests that would use it, without echoing credentials', T, async () => {
    const c = client({ env: { HTTPS_PROXY: `socks5://${USER}:${PASS}@${HOST}:1080` } });
    const err = await c.send(request('https://localhost:1/')).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(err instanceof InvalidOptionError, String(err));
    assert.match(err.message, /socks5:/);
    assertNoSecrets(inspect(err, { depth: 10 }));
    const unparsable = client({ env: { https_proxy: `http://${USER}:${PASS}@[bad:1` } });
    const err2 = await unparsable.send(request('https://localhost:1/')).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(err2 instanceof InvalidOptionError, String(err2));
    assertNoSecrets(inspect(err2, { depth: 10 }));
    // NO_PROXY still wins over a broken variable, and plain http is unaffected by a broken https one.
    const bypassed = client({ env: { https_proxy: 'socks5://x:1', no_proxy: 'localhost' } });
    await assert.rejects(bypassed.send(request('https://localhost:1/')), (e: unknown) => e instanceof EndpointConnectionError && !(e instanceof ProxyConnectionError));
  });

  test('environProxies and NO_PROXY matching agree with urllib.request (what botocore calls)', T, () => {
    const bypassCases: [string, string][] = [
      ['s3.amazonaws.com', 'amazonaws.com'],
      ['s3.amazonaws.com', '.amazonaws.com'],
      ['s3.amazonaws.com', 'AMAZONAWS.COM'],
      ['S3.AMAZONAWS.COM', 'amazonaws.com'],
      ['notamazonaws.com', 'amazonaws.com'],
      ['amazonaws.com', '.amazonaws.com'],
      ['bucket.s3.us-west-2.amazonaws.com', 's3.us-west-2.amazonaws.com'],
      ['localhost:9000', 'localhost'],
      ['localhost:9000', 'localhost:9000'],
      ['localhost:9001', 'localhost:9000'],
      ['localhost', 'localhost:9000'],
      ['127.0.0.1:8080', '127.0.0.1'],
      ['127.0.0.1', ''],
      ['127.0.0.1', 'localhost'],
      ['localhost', '127.0.0.1'],
      ['127.0.0.1', '127.0.0.0/8'],
      ['127.0.0.1:5000', '0.0.1'],
      ['[::1]:8080', '[::1]'],
      ['[::1]', '::1'],
      ['example.com', '*'],
      ['example.com', ' * '],
      ['example.com', 'foo,*'],
      ['example.com', ' foo.org , example.com '],
      ['example.com', ',,,'],
      ['example.com:', 'example.com'],
      ['sub.example.com', '..example.com'],
      ['myhost', 'host'],
    ];
    const envCases: Record<string, string>[] = [
      { HTTP_PROXY: 'http://a:1', http_proxy: 'http://b:2' },
      { http_proxy: 'http://b:2', HTTP_PROXY: 'http://a:1' },
      { HTTPS_PROXY: 'http://a:1', https_proxy: '' },
      { Https_Proxy: 'http://c:3' },
      { HTTP_proxy: 'http://d:4', no_proxy: 'x.com', NO_PROXY: 'y.com' },
      { HTTP_PROXY: 'http://a:1', REQUEST_METHOD: 'GET' },
      { http_proxy: 'http://a:1', REQUEST_METHOD: 'GET' },
      { HTTP_PROXY: '', ALL_PROXY: 'socks5://e:5', ftp_proxy: 'http://f:6', PATH: '/bin' },
    ];
    const script = [
      'import json, os, sys, urllib.request as u',
      'cases = json.load(sys.stdin)',
      'bypass = [u.proxy_bypass_environment(h, {"no": n} if n else {}) for h, n in cases["bypass"]]',
      'envs = []',
      'for e in cases["envs"]:',
      '    os.environ.clear(); os.environ.update(e)',
      '    envs.append(u.getproxies_environment())',
      'print(json.dumps({"bypass": bypass, "envs": envs}))',
    ].join('\n');
    let python: { bypass: boolean[]; envs: Record<string, string>[] };
    try {
      python = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify({ bypass: bypassCases, envs: envCases }), timeout: 20_000 }).toString()) as typeof python;
    } catch (err) {
      assert.fail(`python3 is needed to compare with urllib: ${(err as Error).message}`);
    }
    // An empty NO_PROXY is no no_proxy entry at all (getproxies_environment drops empty values).
    const ours = bypassCases.map(([h, n]) => (n === '' ? false : bypassesProxy(h, n)));
    assert.deepEqual(ours.map((b, i) => [...bypassCases[i]!, b]), python.bypass.map((b, i) => [...bypassCases[i]!, b]));
    assert.deepEqual(envCases.map((e) => Object.fromEntries(environProxies(e))), python.envs);
  });
});

describe('credentials stay out of sight', () => {
  test('util.inspect of Config and NodeHttpClient, and maskProxyUrl', T, () => {
    const url = `http://${USER}:${PASS}@proxy.example:3128`;
    const config = new Config({ proxies: { https: url, http: `${USER}:${PASS}@proxy.example:3128` } });
    assertNoSecrets(inspect(config, { depth: 10 }));
    assert.match(inspect(config), /http:\/\/\*\*\*:\*\*\*@proxy\.example:3128/);
    assertNoSecrets(inspect(client({ proxies: { https: url, http: url } }), { depth: 10, showHidden: true }));
    assertNoSecrets(inspect(client({ env: { HTTPS_PROXY: url } }), { depth: 10, showHidden: true }));
    assert.equal(maskProxyUrl(url), 'http://***:***@proxy.example:3128');
    assert.equal(maskProxyUrl('http://h:secret@proxy:1'), 'http://***:***@proxy:1');
    assert.equal(maskProxyUrl('http://user@proxy:1'), 'http://***@proxy:1');
    assert.equal(maskProxyUrl('http://proxy:1/a'), 'http://proxy:1/a');
    assert.equal(maskProxyUrl('user:pa/ss@proxy:1'), '***:***@proxy:1');
    assert.equal(maskProxyUrl('http://socks5://u:p@proxy:1'), 'http://***:***@proxy:1');
  });

  test('Config validates proxies, proxiesConfig and clientCert shapes, naming the key', T, () => {
    const invalid = (options: ConstructorParameters<typeof Config>[0], key: string): void => {
      assert.throws(() => new Config(options), (err: unknown) => err instanceof InvalidOptionError && err.option === key, key);
    };
    invalid({ proxies: { https: 3128 as unknown as string } }, 'proxies.https');
    invalid({ proxies: ['http://p'] as unknown as Record<string, string> }, 'proxies');
    invalid({ proxiesConfig: { proxy_ca_bundle: 'x' } as never }, 'proxiesConfig.proxy_ca_bundle');
    invalid({ proxiesConfig: { proxyUseForwardingForHttps: 'yes' as unknown as boolean } }, 'proxiesConfig.proxyUseForwardingForHttps');
    invalid({ proxiesConfig: { proxyClientCert: ['a'] as unknown as string } }, 'proxiesConfig.proxyClientCert');
    invalid({ proxiesConfig: { proxyCaBundle: 1 as unknown as string } }, 'proxiesConfig.proxyCaBundle');
    invalid({ clientCert: ['a', 'b', 'c'] as unknown as [string, string] }, 'clientCert');
    invalid({ clientCert: [1, 2] as unknown as [string, string] }, 'clientCert');
    assert.doesNotThrow(() => new Config({ proxies: { http: 'http://p:1' }, proxiesConfig: { proxyCaBundle: 'a', proxyClientCert: ['c', 'k'], proxyUseForwardingForHttps: true }, clientCert: ['c', 'k'] }));
    // A proxy URL that cannot be used fails when the client is made, masked.
    assert.throws(() => client({ proxies: { https: `ftp://${USER}:${PASS}@p:1` } }), (err: unknown) => {
      assert.ok(err instanceof InvalidOptionError);
      assert.equal(err.option, 'proxies.https');
      assertNoSecrets(err.message);
      return true;
    });
    // And through a Session, Config.proxies is accepted now.
    const s3 = new Session({ env: { ...EMPTY_ENV }, region: 'us-east-1' }).client('s3', { config: new Config({ proxies: { https: 'http://127.0.0.1:9' } }) });
    (s3 as unknown as { destroy(): void }).destroy();
  });
});
