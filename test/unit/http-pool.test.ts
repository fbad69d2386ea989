/** maxPoolConnections and tcpKeepalive in NodeHttpClient, against a loopback server. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { NodeHttpClient, readBody } from '../../src/http/transport.js';
import type { HttpRequest } from '../../src/http/types.js';

const HOST = '127.0.0.1';
const T = { timeout: 10_000 };
const clients: NodeHttpClient[] = [];
const servers: http.Server[] = [];

after(() => {
  for (const c of clients) c.destroy();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

async function slowServer(delayMs: number): Promise<{ port: number; stats: { open: number; max: number; total: number } }> {
  const stats = { open: 0, max: 0, total: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    setTimeout(() => res.end('ok'), delayMs);
  });
  server.on('connection', (s: Socket) => {
    stats.open++;
    stats.total++;
    stats.max = Math.max(stats.max, stats.open);
    s.on('close', () => stats.open--);
  });
  servers.push(server);
  server.listen(0, HOST);
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, stats };
}

function get(port: number): HttpRequest {
  return { method: 'GET', protocol: 'http:', hostname: HOST, port, path: '/', query: '', headers: {}, body: undefined };
}

describe('pool and socket options', () => {
  test('maxPoolConnections caps the concurrent sockets to one host; the rest wait for a free one', T, async () => {
    const { port, stats } = await slowServer(100);
    const c = new NodeHttpClient({ maxPoolConnections: 2, connectTimeout: 3, readTimeout: 3 });
    clients.push(c);
    const results = await Promise.all(Array.from({ length: 6 }, async () => {
      const res = await c.send(get(port));
      return Buffer.from(await readBody(res)).toString();
    }));
    assert.deepEqual(results, Array(6).fill('ok'));
    assert.equal(stats.max, 2);
    assert.equal(stats.total, 2, 'the two sockets were reused');
  });

  test('tcpKeepalive turns keep-alive probes on only when asked', T, async () => {
    const { port } = await slowServer(0);
    const calls: boolean[] = [];
    const original = net.Socket.prototype.setKeepAlive;
    net.Socket.prototype.setKeepAlive = function (this: net.Socket, enable?: boolean, delay?: number) {
      calls.push(enable === true);
      return original.call(this, enable, delay);
    };
    try {
      for (const tcpKeepalive of [true, false, undefined]) {
        const c = new NodeHttpClient({ tcpKeepalive, connectTimeout: 3, readTimeout: 3 } as { tcpKeepalive?: boolean });
        clients.push(c);
        calls.length = 0;
        await readBody(await c.send(get(port)));
        // The last word on the socket is ours (node's agent asks for keep-alive first).
        assert.equal(calls.at(-1), tcpKeepalive === true, `tcpKeepalive ${tcpKeepalive}`);
      }
    } finally {
      net.Socket.prototype.setKeepAlive = original;
    }
  });
});
