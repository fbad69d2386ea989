/** NodeHttpClient and readBody against local node:http / net servers on 127.0.0.1 only. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConnectTimeoutError,
  ConnectionClosedError,
  EndpointConnectionError,
  HTTPClientError,
  ReadTimeoutError,
  ResponseParserError,
} from '../../src/errors.js';
import { NodeHttpClient, readBody } from '../../src/http/transport.js';
import type { HttpClientOptions, HttpRequest } from '../../src/http/types.js';

const HOST = '127.0.0.1';
const T = { timeout: 5000 };

const servers: net.Server[] = [];
const serverSockets = new Set<Socket>();
const clients: NodeHttpClient[] = [];

after(() => {
  for (const c of clients) c.destroy();
  for (const s of serverSockets) s.destroy();
  for (const s of servers) {
    if (s instanceof http.Server) s.closeAllConnections();
    s.close();
  }
});

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    serverSockets.add(s);
    s.on('close', () => serverSockets.delete(s));
  });
  server.listen(0, HOST);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  return listen(http.createServer(handler));
}

function client(options: HttpClientOptions = {}): NodeHttpClient {
  const c = new NodeHttpClient({ connectTimeout: 2, readTimeout: 2, ...options });
  clients.push(c);
  return c;
}

function request(port: number, over: Partial<HttpRequest> = {}): HttpRequest {
  return { method: 'GET', protocol: 'http:', hostname: HOST, port, path: '/', query: '', headers: {}, body: undefined, ...over };
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

async function text(c: NodeHttpClient, req: HttpRequest): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const res = await c.send(req);
  const body = Buffer.from(await readBody(res)).toString('utf8');
  return { status: res.statusCode, headers: res.headers, body };
}

describe('NodeHttpClient round trips', () => {
  test('GET sends path, query and only the headers asked for', T, async () => {
    let seen: { method?: string; url?: string; raw: string[] } = { raw: [] };
    const port = await httpServer((req, res) => {
      seen = { method: req.method, url: req.url, raw: req.rawHeaders };
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Request-Id': 'req-1' });
      res.end('{"ok":true}');
    });
    const c = client();
    const out = await text(c, request(port, { path: '/a/b%20c', query: 'x=1&y=2', headers: { 'x-amz-date': '20240101T000000Z', 'user-agent': 'inia-test' } }));
    assert.equal(out.status, 200);
    assert.equal(out.headers['content-type'], 'application/json');
    assert.equal(out.headers['x-amz-request-id'], 'req-1');
    assert.deepEqual(JSON.parse(out.body), { ok: true });
    assert.equal(seen.method, 'GET');
    assert.equal(seen.url, '/a/b%20c?x=1&y=2');
    const names = new Set<string>();
    for (let i = 0; i < seen.raw.length; i += 2) names.add(seen.raw[i]!.toLowerCase());
    assert.deepEqual([...names].sort(), ['connection', 'host', 'user-agent', 'x-amz-date']);
  });

  test('POST string and Uint8Array bodies get a content-length', T, async () => {
    const seen: { len?: string; te?: string; body: string }[] = [];
    const port = await httpServer(async (req, res) => {
      seen.push({ len: req.headers['content-length'], te: req.headers['transfer-encoding'], body: await collect(req) });
      res.end('done');
    });
    const c = client();
    assert.equal((await text(c, request(port, { method: 'POST', body: 'héllo' }))).body, 'done');
    await text(c, request(port, { method: 'PUT', body: new Uint8Array([104, 105]) }));
    await text(c, request(port, { method: 'POST', body: 'abc', headers: { 'content-length': '3' } }));
    await text(c, request(port, { method: 'POST' }));
    assert.deepEqual(seen, [
      { len: '6', te: undefined, body: 'héllo' },
      { len: '2', te: undefined, body: 'hi' },
      { len: '3', te: undefined, body: 'abc' },
      { len: '0', te: undefined, body: '' },
    ]);
  });

  test('repeated response headers are joined with ", " under lowercase names', T, async () => {
    const port = await httpServer((_req, res) => {
      res.writeHead(200, ['X-Dup', 'one', 'x-dup', 'two', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Type', 'text/plain', 'Content-Length', '0']);
      res.end();
    });
    const out = await text(client(), request(port));
    assert.equal(out.headers['x-dup'], 'one, two');
    assert.equal(out.headers['set-cookie'], 'a=1, b=2');
    assert.equal(out.headers['content-type'], 'text/plain');
  });

  test('a Readable body is streamed (chunked unless the caller gives a length)', T, async () => {
    const seen: { len?: string; te?: string; body: string }[] = [];
    const port = await httpServer(async (req, res) => {
      seen.push({ len: req.headers['content-length'], te: req.headers['transfer-encoding'], body: await collect(req) });
      res.end();
    });
    const c = client();
    await text(c, request(port, { method: 'PUT', body: Readable.from([Buffer.from('ab'), Buffer.from('cd')]) }));
    await text(c, request(port, { method: 'PUT', headers: { 'content-length': '4' }, body: Readable.from([Buffer.from('wx'), Buffer.from('yz')]) }));
    assert.deepEqual(seen, [
      { len: undefined, te: 'chunked', body: 'abcd' },
      { len: '4', te: undefined, body: 'wxyz' },
    ]);
  });

  test('a failing request body stream rejects with its own error', T, async () => {
    const port = await httpServer(async (req, res) => {
      await collect(req).catch(() => undefined);
      res.end();
    });
    const boom = new Error('disk on fire');
    const body = new Readable({
      read() {
        this.push('part');
        setImmediate(() => this.destroy(boom));
      },
    });
    await assert.rejects(client().send(request(port, { method: 'PUT', body })), (err) => err === boom);
  });

  test('responses without a body read as empty', T, async () => {
    const port = await httpServer((req, res) => {
      if (req.url === '/nocontent') res.writeHead(204).end();
      else res.writeHead(200, { 'Content-Length': '5' }).end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const c = client();
    assert.equal((await readBody(await c.send(request(port, { path: '/nocontent' })))).byteLength, 0);
    const head = await c.send(request(port, { method: 'HEAD' }));
    assert.equal(head.headers['content-length'], '5');
    assert.equal((await readBody(head)).byteLength, 0);
  });
});

describe('connection pooling', () => {
  test('consecutive requests reuse one socket, also after idling past readTimeout', T, async () => {
    const ports: number[] = [];
    const port = await httpServer((req, res) => {
      ports.push(req.socket.remotePort!);
      res.end('x');
    });
    const c = client({ readTimeout: 0.2 });
    await text(c, request(port));
    await text(c, request(port));
    await sleep(400);
    await text(c, request(port));
    assert.equal(ports.length, 3);
    assert.equal(new Set(ports).size, 1);
  });

  test('maxPoolConnections bounds concurrent sockets', T, async () => {
    const ports = new Set<number>();
    const port = await httpServer((req, res) => {
      ports.add(req.socket.remotePort!);
      setTimeout(() => res.end('x'), 20);
    });
    const c = client({ maxPoolConnections: 2 });
    const all = await Promise.all(Array.from({ length: 6 }, () => text(c, request(port))));
    assert.equal(all.length, 6);
    assert.ok(ports.size <= 2, `used ${ports.size} sockets`);
  });

  test('200 sequential requests on one socket leave its listener counts unchanged', T, async () => {
    const ports = new Set<number>();
    const port = await httpServer((req, res) => {
      ports.add(req.socket.remotePort!);
      res.end('ok');
    });
    const c = client({ maxPoolConnections: 1, readTimeout: 1 });
    const first = await c.send(request(port));
    const socket = (first.body as IncomingMessage).socket;
    assert.ok(socket);
    await readBody(first);
    await new Promise((r) => setImmediate(r));
    const counts = (s: Socket): Record<string, number> =>
      Object.fromEntries(s.eventNames().map((e) => [String(e), s.listenerCount(e)]));
    const baseline = counts(socket);
    for (let i = 0; i < 200; i++) {
      const res = await c.send(request(port, { query: `i=${i}` }));
      assert.equal((res.body as IncomingMessage).socket, socket);
      await readBody(res);
    }
    await new Promise((r) => setImmediate(r));
    assert.equal(ports.size, 1);
    assert.deepEqual(counts(socket), baseline);
    assert.ok(socket.listenerCount('timeout') <= 2, `timeout listeners: ${socket.listenerCount('timeout')}`);
  });

  test('destroy() closes pooled sockets', T, async () => {
    let serverSide: Socket | undefined;
    const port = await httpServer((req, res) => {
      serverSide = req.socket;
      res.end('x');
    });
    const c = client();
    await text(c, request(port));
    const closed = once(serverSide!, 'close');
    c.destroy();
    await closed;
  });
});

describe('timeouts', () => {
  test('readTimeout while waiting for the response headers', T, async () => {
    let serverSide: Socket | undefined;
    const port = await httpServer((req) => {
      serverSide = req.socket;
    });
    const c = client({ readTimeout: 0.2 });
    const started = Date.now();
    await assert.rejects(c.send(request(port, { path: '/slow', query: 'a=1' })), (err) => {
      assert.ok(err instanceof ReadTimeoutError);
      assert.equal(err.endpointUrl, `http://${HOST}:${port}/slow?a=1`);
      assert.match(err.message, /Read timeout on endpoint URL: "http:\/\/127\.0\.0\.1:\d+\/slow\?a=1"/);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 2000, `elapsed ${elapsed} ms`);
    if (!serverSide!.destroyed) await once(serverSide!, 'close');
  });

  test('readTimeout while the body stalls surfaces on the body stream', T, async () => {
    let serverSide: Socket | undefined;
    const port = await httpServer((req, res) => {
      serverSide = req.socket;
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('0123456789');
    });
    const c = client({ readTimeout: 0.2 });
    const res = await c.send(request(port));
    assert.equal(res.statusCode, 200);
    await assert.rejects(readBody(res), ReadTimeoutError);
    if (!serverSide!.destroyed) await once(serverSide!, 'close');
  });

  test('a complete body read slowly is not a timeout', T, async () => {
    const port = await httpServer((_req, res) => res.end('hello'));
    const c = client({ readTimeout: 0.2 });
    const res = await c.send(request(port));
    await sleep(400);
    assert.equal(Buffer.from(await readBody(res)).toString(), 'hello');
  });

  test('a reader behind on buffered data is not timed out; a silent server then is', T, async () => {
    const size = 4 * 1024 * 1024;
    const port = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(size + 10) });
      res.write(Buffer.alloc(size, 97));
    });
    const c = client({ readTimeout: 0.2 });
    const res = await c.send(request(port));
    // Not reading lets backpressure pause the socket for longer than readTimeout.
    await sleep(500);
    let received = 0;
    res.body.on('data', (chunk: Buffer) => (received += chunk.length));
    const [err] = (await once(res.body, 'error')) as [unknown];
    assert.ok(err instanceof ReadTimeoutError, String(err));
    assert.equal(received, size);
  });

  test('connectTimeout covers the TLS handshake', T, async () => {
    // Accepts TCP but never answers the ClientHello: the https connection never completes.
    let serverSide: Socket | undefined;
    const port = await listen(
      net.createServer((s) => {
        serverSide = s;
        s.resume();
      }),
    );
    const c = client({ connectTimeout: 0.2, readTimeout: 5 });
    const started = Date.now();
    await assert.rejects(c.send(request(port, { protocol: 'https:', path: '/x' })), (err) => {
      assert.ok(err instanceof ConnectTimeoutError, String(err));
      assert.equal(err.message, `Connect timeout on endpoint URL: "https://${HOST}:${port}/x"`);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 2000, `elapsed ${elapsed} ms`);
    if (serverSide !== undefined && !serverSide.destroyed) await once(serverSide, 'close');
  });
});

describe('connection failures', () => {
  test('refused connection -> EndpointConnectionError naming the URL', T, async () => {
    const probe = net.createServer();
    probe.listen(0, HOST);
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    await assert.rejects(client().send(request(port, { path: '/x', query: 'y=1', headers: { authorization: 'secret-value' } })), (err) => {
      assert.ok(err instanceof EndpointConnectionError);
      assert.equal(err.message, `Could not connect to the endpoint URL: "http://${HOST}:${port}/x?y=1"`);
      assert.equal((err.cause as { code?: string }).code, 'ECONNREFUSED');
      assert.ok(!err.message.includes('secret-value'));
      return true;
    });
  });

  test('connection closed after the request without a response -> ConnectionClosedError', T, async () => {
    const port = await httpServer((req) => req.socket.destroy());
    await assert.rejects(client().send(request(port)), (err) => {
      assert.ok(err instanceof ConnectionClosedError, String(err));
      assert.ok(err.cause instanceof Error);
      return true;
    });
  });

  test('connection closed mid-body -> ConnectionClosedError on the body', T, async () => {
    const port = await httpServer((req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial', () => setTimeout(() => req.socket.destroy(), 20));
    });
    const res = await client().send(request(port));
    await assert.rejects(readBody(res), ConnectionClosedError);
  });

  test('invalid header values are refused without echoing them', T, async () => {
    const port = await httpServer((_req, res) => res.end());
    await assert.rejects(client().send(request(port, { headers: { 'x-bad': 'top\nsecret' } })), (err) => {
      assert.ok(err instanceof HTTPClientError);
      assert.ok(!(err instanceof EndpointConnectionError));
      assert.ok(!err.message.includes('secret'));
      return true;
    });
  });
});

describe('AbortSignal', () => {
  test('an already aborted signal sends nothing', T, async () => {
    let hits = 0;
    const port = await httpServer((_req, res) => {
      hits++;
      res.end();
    });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(client().send(request(port), { signal: ac.signal }), { name: 'AbortError' });
    await sleep(50);
    assert.equal(hits, 0);
  });

  test('abort while waiting destroys the request', T, async () => {
    let serverSide: Socket | undefined;
    const port = await httpServer((req) => {
      serverSide = req.socket;
    });
    const c = client();
    const ac = new AbortController();
    const pending = c.send(request(port), { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(pending, { name: 'AbortError' });
    if (serverSide !== undefined && !serverSide.destroyed) await once(serverSide, 'close');

    const ac2 = new AbortController();
    const reason = new Error('caller gave up');
    const pending2 = c.send(request(port), { signal: ac2.signal });
    setTimeout(() => ac2.abort(reason), 50);
    await assert.rejects(pending2, (err) => err === reason);
  });

  test('abort while queued for a pooled socket leaves the pool usable', T, async () => {
    let release: (() => void) | undefined;
    const port = await httpServer((req, res) => {
      if (req.url === '/hold') release = () => res.end('held');
      else res.end('free');
    });
    const c = client({ maxPoolConnections: 1 });
    const held = c.send(request(port, { path: '/hold' }));
    const ac = new AbortController();
    const queued = c.send(request(port), { signal: ac.signal });
    await sleep(30);
    ac.abort();
    await assert.rejects(queued, { name: 'AbortError' });
    release!();
    assert.equal(Buffer.from(await readBody(await held)).toString(), 'held');
    assert.equal((await text(c, request(port))).body, 'free');
  });

  test('abort after the headers errors the body', T, async () => {
    const port = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('0123');
    });
    const ac = new AbortController();
    const res = await client().send(request(port), { signal: ac.signal });
    const reading = readBody(res);
    ac.abort();
    await assert.rejects(reading, { name: 'AbortError' });
  });
});

describe('readBody', () => {
  test('enforces the limit on sized and on chunked bodies', T, async () => {
    const port = await httpServer((req, res) => {
      if (req.url === '/chunked') {
        res.write('x'.repeat(60));
        setTimeout(() => res.end('y'.repeat(40)), 10);
      } else {
        res.end('z'.repeat(100));
      }
    });
    const c = client();
    await assert.rejects(readBody(await c.send(request(port)), 10), (err) => {
      assert.ok(err instanceof ResponseParserError);
      assert.match(err.message, /limit of 10 bytes/);
      return true;
    });
    await assert.rejects(readBody(await c.send(request(port, { path: '/chunked' })), 80), ResponseParserError);
    assert.equal((await readBody(await c.send(request(port, { path: '/chunked' })), 100)).byteLength, 100);
    assert.equal((await readBody(await c.send(request(port)), 100)).byteLength, 100);
    // A HEAD response announces a length it never sends.
    assert.equal((await readBody(await c.send(request(port, { method: 'HEAD' })), 10)).byteLength, 0);
    // The connection survives a body abandoned over the limit.
    assert.equal((await readBody(await c.send(request(port)))).byteLength, 100);
  });
});
