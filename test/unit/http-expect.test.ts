/** Expect: 100-continue in the transport (loopback raw servers), and S3's add_expect_header. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { addExpectHeader, registerS3ExpectHeader } from '../../src/customizations/s3-expect.js';
import { HierarchicalEmitter } from '../../src/events.js';
import { NodeHttpClient, readBody } from '../../src/http/transport.js';
import type { HttpBody, HttpRequest } from '../../src/http/types.js';

const HOST = '127.0.0.1';
const T = { timeout: 10_000 };
const servers: net.Server[] = [];
const sockets = new Set<Socket>();
const clients: NodeHttpClient[] = [];

after(() => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});

/** A raw TCP server; `serve` runs once per connection with the connection's number. */
async function rawServer(serve: (s: Socket, id: number) => void): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    serve(s, ++count);
  });
  servers.push(server);
  server.listen(0, HOST);
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, connections: () => count };
}

/** Reads one request head; resolves with it and whatever bytes came after it. */
function readHead(s: Socket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end === -1) return;
      s.removeListener('data', onData);
      s.pause();
      resolve({ head: buf.subarray(0, end).toString('latin1'), rest: buf.subarray(end + 4) });
    };
    s.on('data', onData);
    s.once('error', reject);
    // A socket paused after the previous request does not resume by itself for a new 'data' listener.
    s.resume();
  });
}

/** Collects bytes for `ms` (or until `want` bytes arrived); returns them and when the first came. */
function readFor(s: Socket, initial: Buffer, ms: number, want = Infinity): Promise<{ data: Buffer; firstAt: number | undefined }> {
  return new Promise((resolve) => {
    let data = initial;
    let firstAt: number | undefined = initial.length > 0 ? Date.now() : undefined;
    const done = (): void => {
      clearTimeout(timer);
      s.removeListener('data', onData);
      s.pause();
      resolve({ data, firstAt });
    };
    const onData = (chunk: Buffer): void => {
      firstAt ??= Date.now();
      data = Buffer.concat([data, chunk]);
      if (data.length >= want) done();
    };
    const timer = setTimeout(done, ms);
    if (data.length >= want) return done();
    s.on('data', onData);
    s.resume();
  });
}

function client(): NodeHttpClient {
  const c = new NodeHttpClient({ connectTimeout: 3, readTimeout: 5 });
  clients.push(c);
  return c;
}

function put(port: number, body: HttpBody, headers: Record<string, string> = {}): HttpRequest {
  return { method: 'PUT', protocol: 'http:', hostname: HOST, port, path: '/k', query: '', headers: { expect: '100-continue', ...headers }, body };
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('Expect: 100-continue in the transport', () => {
  test('headers first; the body follows the server\'s 100 Continue', T, async () => {
    const log: { early: number; body: string; head: string }[] = [];
    const srv = await rawServer(async (s) => {
      for (let i = 0; i < 3; i++) {
        const { head, rest } = await readHead(s);
        // Nothing of the body may arrive before we say continue.
        const early = await readFor(s, rest, 300);
        s.write('HTTP/1.1 100 Continue\r\n\r\n');
        const body = await readFor(s, early.data, 2000, 11);
        log.push({ early: early.data.length, body: body.data.toString(), head });
        s.write(OK);
      }
    });
    const c = client();
    const started = Date.now();
    for (const body of ['hello world', Buffer.from('hello world'), Readable.from([Buffer.from('hello '), Buffer.from('world')])] as HttpBody[]) {
      const headers: Record<string, string> = body instanceof Readable ? { 'content-length': '11' } : {};
      const res = await c.send(put(srv.port, body, headers));
      assert.equal(res.statusCode, 200);
      assert.equal(Buffer.from(await readBody(res)).toString(), 'ok');
    }
    // Each exchange: 300 ms of holding back, then the body right after 100 (no 1 s wait).
    assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
    assert.deepEqual(log.map((l) => [l.early, l.body]), [[0, 'hello world'], [0, 'hello world'], [0, 'hello world']]);
    assert.match(log[0]!.head, /\r\nexpect: 100-continue\r\n/i);
    assert.match(log[0]!.head, /\r\ncontent-length: 11\r\n/i);
    assert.equal(srv.connections(), 1, 'the connection is reused after a body sent on 100 Continue');
  });

  test('a final answer instead of 100: the body is not sent, the answer is the result, the socket is not reused', T, async () => {
    const received: number[] = [];
    const srv = await rawServer(async (s) => {
      const { rest } = await readHead(s);
      s.write('HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: 6\r\n\r\ndenied');
      // Watch for body bytes well past the client's one-second wait.
      const after = await readFor(s, rest, 1500);
      received.push(after.data.length);
    });
    const c = client();
    const res = await c.send(put(srv.port, Buffer.alloc(64 * 1024, 0x61)));
    assert.equal(res.statusCode, 403);
    assert.equal(Buffer.from(await readBody(res)).toString(), 'denied');
    // A stream body left unread is not consumed either.
    const stream = Readable.from([Buffer.from('never sent')]);
    const res2 = await c.send(put(srv.port, stream, { 'content-length': '10' }));
    assert.equal(res2.statusCode, 403);
    await readBody(res2);
    await new Promise((r) => setTimeout(r, 1600));
    assert.deepEqual(received, [0, 0], 'no body bytes reached the server');
    assert.equal(srv.connections(), 2, 'a connection whose body was held back is not reused');
    assert.equal(stream.readableDidRead, false);
  });

  test('a server that never sends 100: the body goes after one second (urllib3 wait_for_read(sock, 1))', T, async () => {
    const timing: { wait: number; body: string }[] = [];
    const srv = await rawServer(async (s) => {
      const { rest } = await readHead(s);
      const headAt = Date.now();
      const body = await readFor(s, rest, 3000, 7);
      timing.push({ wait: (body.firstAt ?? Infinity) - headAt, body: body.data.toString() });
      s.write(OK);
    });
    const res = await client().send(put(srv.port, 'payload'));
    assert.equal(res.statusCode, 200);
    await readBody(res);
    assert.equal(timing[0]!.body, 'payload');
    assert.ok(timing[0]!.wait >= 900 && timing[0]!.wait < 2000, `body after ${timing[0]!.wait} ms`);
  });

  test('no waiting for an empty body or without the header', T, async () => {
    const seen: string[] = [];
    const srv = await rawServer(async (s) => {
      for (let i = 0; i < 2; i++) {
        const { head, rest } = await readHead(s);
        const want = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        const body = await readFor(s, rest, 2000, want);
        seen.push(body.data.toString());
        s.write(OK);
      }
    });
    const c = client();
    const started = Date.now();
    await readBody(await c.send(put(srv.port, '')));
    await readBody(await c.send({ ...put(srv.port, 'plain'), headers: {} }));
    assert.ok(Date.now() - started < 800, `took ${Date.now() - started} ms`);
    assert.deepEqual(seen, ['', 'plain']);
  });
});

describe("S3's Expect header (botocore's add_expect_header)", () => {
  type Kind = 'bytes' | 'str' | 'stream' | 'empty-stream' | 'none';
  const cases: [string, Kind][] = [];
  for (const method of ['PUT', 'POST', 'GET', 'DELETE']) for (const kind of ['bytes', 'str', 'stream', 'empty-stream', 'none'] as Kind[]) cases.push([method, kind]);

  function bodyOf(kind: Kind): { body: HttpBody | undefined; headers: Record<string, string> } {
    switch (kind) {
      case 'bytes': return { body: Buffer.from('x'), headers: { 'content-length': '1' } };
      case 'str': return { body: 'x', headers: { 'content-length': '1' } };
      case 'stream': return { body: Readable.from([Buffer.from('x')]), headers: {} };
      case 'empty-stream': return { body: Readable.from([]), headers: { 'content-length': '0' } };
      case 'none': return { body: undefined, headers: {} };
    }
  }

  async function ours(method: string, kind: Kind): Promise<boolean> {
    const { body, headers } = bodyOf(kind);
    const request: HttpRequest = { method, protocol: 'https:', hostname: 'b.s3.amazonaws.com', port: undefined, path: '/k', query: '', headers, body };
    await addExpectHeader({ eventName: 'before-call.s3.PutObject', model: { http: { method } }, params: {}, request, context: {} });
    return request.headers.expect === '100-continue';
  }

  function botocore(env: Record<string, string>): boolean[] {
    const script = [
      'import io, json, sys',
      'from botocore.handlers import add_expect_header',
      'class M:',
      '    def __init__(self, m): self.http = {"method": m}',
      'bodies = {"bytes": lambda: b"x", "str": lambda: "x", "stream": lambda: io.BytesIO(b"x"), "empty-stream": lambda: io.BytesIO(b""), "none": lambda: None}',
      'out = []',
      'for method, kind in json.load(sys.stdin):',
      '    params = {"headers": {}}',
      '    b = bodies[kind]()',
      '    if b is not None: params["body"] = b',
      '    add_expect_header(M(method), params)',
      '    out.append(params["headers"].get("Expect") == "100-continue")',
      'print(json.dumps(out))',
    ].join('\n');
    try {
      return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(cases), env: { ...process.env, ...env }, timeout: 30_000 }).toString()) as boolean[];
    } catch (err) {
      assert.fail(`python3 with botocore is needed for this comparison: ${(err as Error).message}`);
    }
  }

  test('the same requests get the header as in botocore', T, async () => {
    const expected = botocore({ BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE: '' });
    const actual: boolean[] = [];
    for (const [method, kind] of cases) actual.push(await ours(method, kind));
    assert.deepEqual(cases.map((c, i) => [...c, actual[i]]), cases.map((c, i) => [...c, expected[i]]));
  });

  test('BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE leaves empty bodies alone, as in botocore', T, async () => {
    const expected = botocore({ BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE: 'true' });
    const prior = process.env.BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE;
    process.env.BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE = 'true';
    try {
      const actual: boolean[] = [];
      for (const [method, kind] of cases) actual.push(await ours(method, kind));
      assert.deepEqual(cases.map((c, i) => [...c, actual[i]]), cases.map((c, i) => [...c, expected[i]]));
    } finally {
      if (prior === undefined) delete process.env.BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE;
      else process.env.BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE = prior;
    }
  });

  test('registered for the operations with streaming bodies; a FileHandle body counts as a file', T, async () => {
    const events = new HierarchicalEmitter();
    registerS3ExpectHeader(events);
    const dir = await mkdtemp(join(tmpdir(), 'inia-expect-'));
    try {
      await writeFile(join(dir, 'f'), 'data');
      const fh = await open(join(dir, 'f'));
      try {
        const run = async (operation: string, method: string, body: HttpBody | undefined): Promise<boolean> => {
          const request: HttpRequest = { method, protocol: 'https:', hostname: 'h', port: undefined, path: '/', query: '', headers: {}, body };
          await events.emit(`before-call.s3.${operation}`, { model: { http: { method } }, params: {}, request, context: {} });
          return request.headers.expect === '100-continue';
        };
        assert.equal(await run('PutObject', 'PUT', fh), true);
        assert.equal(await run('UploadPart', 'PUT', Readable.from([])), true);
        assert.equal(await run('WriteGetObjectResponse', 'POST', Readable.from([])), true);
        assert.equal(await run('PutObject', 'PUT', Buffer.from('x')), false);
        assert.equal(await run('GetObject', 'GET', undefined), false);
      } finally {
        await fh.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
