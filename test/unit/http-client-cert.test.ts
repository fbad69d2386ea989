/** Config.clientCert (botocore's client_cert): TLS client authentication against a loopback server that requires it. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Config } from '../../src/config.js';
import { ConnectionError, HTTPClientError, InvalidOptionError } from '../../src/errors.js';
import { NodeHttpClient, readBody } from '../../src/http/transport.js';
import type { HttpClientOptions, HttpRequest } from '../../src/http/types.js';
import { Session } from '../../src/session.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { certDir, type CertDir, type TestCert } from '../helpers/tls-certs.js';

const HOST = '127.0.0.1';
const T = { timeout: 10_000 };
let certs: CertDir;
let serverCert: TestCert;
let clientCert: TestCert;
let port: number;
const peers: (string | undefined)[] = [];
const sockets = new Set<Socket>();
let server: https.Server;
const clients: NodeHttpClient[] = [];

before(async () => {
  certs = certDir();
  serverCert = certs.make('server', 'IP:127.0.0.1');
  clientCert = certs.make('client', 'DNS:client');
  server = https.createServer({ cert: serverCert.cert, key: serverCert.key, ca: clientCert.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const cn: unknown = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
    peers.push(typeof cn === 'string' ? cn : undefined);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>');
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  server.listen(0, HOST);
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

after(() => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.destroy();
  server?.close();
  certs?.cleanup();
});

function client(options: HttpClientOptions): NodeHttpClient {
  const c = new NodeHttpClient({ connectTimeout: 3, readTimeout: 3, verify: serverCert.certPath, ...options });
  clients.push(c);
  return c;
}

const GET: HttpRequest = { method: 'GET', protocol: 'https:', hostname: HOST, port: 0, path: '/', query: '', headers: {}, body: undefined };

describe('TLS client certificates', () => {
  test('one PEM with certificate and key, or [certificate, key]', T, async () => {
    for (const cert of [clientCert.bundlePath, [clientCert.certPath, clientCert.keyPath] as [string, string]]) {
      const res = await client({ clientCert: cert }).send({ ...GET, port });
      assert.equal(res.statusCode, 200);
      await readBody(res);
    }
    assert.deepEqual(peers.slice(-2), ['client', 'client']);
  });

  test('without a certificate the server refuses the connection', T, async () => {
    await assert.rejects(
      client({}).send({ ...GET, port }).then(async (res) => readBody(res)),
      (err: unknown) => err instanceof ConnectionError || err instanceof HTTPClientError,
    );
  });

  test('an unreadable certificate fails when the client is made, naming the option', T, () => {
    assert.throws(() => client({ clientCert: '/nonexistent/cert.pem' }), (err: unknown) => err instanceof InvalidOptionError && err.option === 'clientCert');
    assert.throws(() => client({ clientCert: [clientCert.certPath, '/nonexistent/key.pem'] }), (err: unknown) => err instanceof InvalidOptionError && err.option === 'clientCert');
  });

  test('Config.clientCert reaches the transport through Session.client', T, async () => {
    const s3 = new Session({ env: { ...EMPTY_ENV }, region: 'us-east-1' }).client('s3', {
      endpointUrl: `https://${HOST}:${port}`,
      verify: serverCert.certPath,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
      config: new Config({ clientCert: [clientCert.certPath, clientCert.keyPath], retries: { maxAttempts: 0 } }),
    }) as unknown as { listBuckets(): Promise<{ Buckets?: unknown[] }>; destroy(): void };
    try {
      const out = await s3.listBuckets();
      assert.deepEqual(out.Buckets ?? [], []);
      assert.equal(peers.at(-1), 'client');
    } finally {
      s3.destroy();
    }
  });
});
