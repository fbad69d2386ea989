/**
 * The HTTP transport: node:http / node:https with a keep-alive pool per client, botocore's
 * connect and read timeouts, and botocore's mapping of socket failures onto HTTPClientError
 * subclasses.
 *
 * Hot-path design: every per-socket concern (connect timeout, read timeout dispatch, mid-body
 * close mapping, TCP options) is wired once when the socket is created, through listeners that
 * find the request currently using the socket via a symbol. A request therefore adds no
 * listeners to a pooled socket, and the per-request listeners on the ClientRequest are shared
 * module-level functions rather than fresh closures.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { AgentOptions, ClientRequest, ClientRequestArgs, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent, AgentOptions as HttpsAgentOptions, RequestOptions as HttpsRequestOptions } from 'node:https';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import {
  ConnectTimeoutError,
  ConnectionClosedError,
  ConnectionError,
  EndpointConnectionError,
  HTTPClientError,
  InvalidOptionError,
  ReadTimeoutError,
  ResponseParserError,
} from '../errors.js';
import { requestUrl } from './types.js';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, SendOptions } from './types.js';

const kOwner = Symbol('inia.http.owner');
const kConnected = Symbol('inia.http.connected');
const kExchange = Symbol('inia.http.exchange');
const kConnectTimer = Symbol('inia.http.connectTimer');

interface PooledSocket extends Socket {
  /** The exchange currently using the socket; undefined while it idles in the pool. */
  [kOwner]?: Exchange | undefined;
  /** True once TCP (and TLS, for https) is established. */
  [kConnected]?: boolean;
  [kConnectTimer]?: NodeJS.Timeout | undefined;
}

interface TrackedRequest extends ClientRequest {
  [kExchange]: Exchange;
}

interface TrackedResponse extends IncomingMessage {
  [kExchange]?: Exchange;
}

type ConnectCallback = (err: Error | null, stream: Duplex) => void;

/** Seconds (botocore's unit) to the milliseconds node wants; 0 disables the timer. */
function toMillis(seconds: number | undefined, fallback: number): number {
  const s = seconds ?? fallback;
  return Number.isFinite(s) && s > 0 ? Math.max(1, Math.round(s * 1000)) : 0;
}

function unhandled(url: string, err: unknown): HTTPClientError {
  const detail = err instanceof Error ? err.message : String(err);
  return new HTTPClientError(`An HTTP Client raised an unhandled exception: ${detail}`, url, err);
}

/** One request in flight: what the shared listeners need to find. */
class Exchange {
  settled = false;
  req: ClientRequest | undefined = undefined;
  socket: PooledSocket | undefined = undefined;
  res: IncomingMessage | undefined = undefined;
  headers: Record<string, string> | undefined = undefined;
  /** The caller's request stream failed; reported as itself, not as a connection problem. */
  bodyError: unknown = undefined;
  /** The last socket error seen after the response started, kept as the cause of a mid-body close. */
  lateError: unknown = undefined;
  resolve!: (response: HttpResponse) => void;
  reject!: (reason: unknown) => void;

  constructor(
    readonly request: HttpRequest,
    readonly signal: AbortSignal | undefined,
    readonly readMs: number,
  ) {}

  url(): string {
    return requestUrl(this.request);
  }

  fail(reason: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.signal?.removeEventListener('abort', this);
    const body = this.request.body;
    // A half-sent stream cannot be replayed; destroying it releases whatever it holds (file descriptors).
    if (body instanceof Readable && !body.destroyed) body.destroy();
    this.reject(reason);
  }

  /** AbortSignal listener (an EventListener object, so no closure per request). */
  handleEvent(): void {
    const reason: unknown = this.signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
    if (!this.settled) {
      this.fail(reason);
      this.req?.destroy();
      return;
    }
    const res = this.res;
    if (res !== undefined && !res.readableEnded && !res.destroyed) {
      res.destroy(reason instanceof Error ? reason : new DOMException(String(reason), 'AbortError'));
    }
  }

  /** Maps a failure before the response onto botocore's exception classes. */
  classify(err: unknown): unknown {
    if (err instanceof HTTPClientError || err instanceof ConnectionError || err === this.bodyError) return err;
    const url = this.url();
    const socket = this.socket;
    if (socket === undefined) return unhandled(url, err);
    // Once connected, urllib3 reports any loss of the connection as ProtocolError, which botocore
    // turns into ConnectionClosedError; failures before that (refused, DNS, TLS handshake) are
    // NewConnectionError / gaierror, i.e. EndpointConnectionError.
    return socket[kConnected] === true ? new ConnectionClosedError(url, err) : new EndpointConnectionError(url, err);
  }
}

// ---- per-socket listeners, installed once when the agent creates the socket ----

function onSocketConnected(this: PooledSocket): void {
  this[kConnected] = true;
  const timer = this[kConnectTimer];
  if (timer !== undefined) {
    clearTimeout(timer);
    this[kConnectTimer] = undefined;
  }
  this.setTimeout(this[kOwner]?.readMs ?? 0);
}

/**
 * A deadline rather than the socket's inactivity timer: the TCP connect and each TLS handshake
 * flight would otherwise restart the clock, and a trickling peer could hold a connect open forever.
 */
function onConnectDeadline(socket: PooledSocket): void {
  socket[kConnectTimer] = undefined;
  if (socket[kConnected] === true || socket.destroyed) return;
  const ex = socket[kOwner];
  socket.destroy(ex !== undefined ? new ConnectTimeoutError(ex.url()) : new Error('connect timeout'));
}

function onSocketTimeout(this: PooledSocket): void {
  const ex = this[kOwner];
  // Idle in the pool (the agent's own timeout listener retires it), or still connecting (the deadline's job).
  if (ex === undefined || this[kConnected] !== true) return;
  const res = ex.res;
  if (res === undefined) {
    ex.req?.destroy(new ReadTimeoutError(ex.url()));
    return;
  }
  // Everything arrived; the caller is just slow to read what is buffered.
  if (res.complete) return;
  if (res.readableLength > 0) {
    // The socket is paused by backpressure, so the silence is the reader's, not the server's.
    // Re-arm explicitly: once fired, node only re-arms the timer on socket activity.
    this.setTimeout(ex.readMs);
    return;
  }
  res.destroy(new ReadTimeoutError(ex.url()));
}

function onSocketClose(this: PooledSocket): void {
  const timer = this[kConnectTimer];
  if (timer !== undefined) {
    clearTimeout(timer);
    this[kConnectTimer] = undefined;
  }
  const ex = this[kOwner];
  const res = ex?.res;
  // Runs before node's own close listener (registered later), so the body reports a
  // ConnectionClosedError rather than node's bare 'aborted' ECONNRESET.
  if (ex !== undefined && res !== undefined && !res.complete && !res.destroyed) {
    res.destroy(new ConnectionClosedError(ex.url(), ex.lateError));
  }
}

function prepareSocket(socket: PooledSocket, tls: boolean, connectMs: number, tcpKeepalive: boolean): void {
  socket[kConnected] = false;
  socket[kOwner] = undefined;
  socket.setNoDelay(true);
  // Overrides the keep-alive flag node's agent passes to net.connect: probes only on request.
  socket.setKeepAlive(tcpKeepalive);
  socket.on('timeout', onSocketTimeout);
  socket.on('close', onSocketClose);
  socket.once(tls ? 'secureConnect' : 'connect', onSocketConnected);
  if (connectMs > 0) socket[kConnectTimer] = setTimeout(onConnectDeadline, connectMs, socket).unref();
}

/** Replaces node's keepSocketAlive: no per-free setKeepAlive, and the hint read from headers we already parsed. */
function keepSocket(socket: PooledSocket): boolean {
  const ex = socket[kOwner];
  socket[kOwner] = undefined;
  socket.unref();
  let idleMs = 0;
  const hint = ex?.headers?.['keep-alive'];
  if (hint !== undefined) {
    const m = /(?:^|[,\s])timeout=(\d+)/i.exec(hint);
    if (m !== null) {
      // Retire the socket a second before the server says it will, to dodge the reuse/close race.
      idleMs = Number(m[1]) * 1000 - 1000;
      if (idleMs <= 0) return false;
    }
  }
  if (socket.timeout !== idleMs) socket.setTimeout(idleMs);
  return true;
}

class PooledHttpAgent extends HttpAgent {
  constructor(options: AgentOptions, private readonly connectMs: number, private readonly tcpKeepalive: boolean) {
    super(options);
  }

  override createConnection(options: ClientRequestArgs, callback?: ConnectCallback): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket) prepareSocket(socket as PooledSocket, false, this.connectMs, this.tcpKeepalive);
    return socket;
  }

  override keepSocketAlive(socket: Duplex): boolean {
    return keepSocket(socket as PooledSocket);
  }
}

/**
 * node:https (and with it node:tls) is loaded on the first https request, not at import: it
 * is a few milliseconds of every cold start, and a Lambda talking to a local endpoint, or
 * the tests, never need it.
 */
const requireBuiltin = createRequire(import.meta.url);
type PooledHttpsAgentClass = new (options: HttpsAgentOptions, connectMs: number, tcpKeepalive: boolean) => HttpsAgent;
let pooledHttpsAgentClass: PooledHttpsAgentClass | undefined;

function pooledHttpsAgent(): PooledHttpsAgentClass {
  if (pooledHttpsAgentClass === undefined) {
    const { Agent } = requireBuiltin('node:https') as typeof import('node:https');
    pooledHttpsAgentClass = class PooledHttpsAgent extends Agent {
      constructor(options: HttpsAgentOptions, private readonly connectMs: number, private readonly tcpKeepalive: boolean) {
        super(options);
      }

      override createConnection(options: HttpsRequestOptions, callback?: ConnectCallback): Duplex | null | undefined {
        const socket = super.createConnection(options, callback);
        if (socket) prepareSocket(socket as PooledSocket, true, this.connectMs, this.tcpKeepalive);
        return socket;
      }

      override keepSocketAlive(socket: Duplex): boolean {
        return keepSocket(socket as PooledSocket);
      }
    };
  }
  return pooledHttpsAgentClass;
}

// ---- per-request listeners (shared functions; `this` is the ClientRequest) ----

function onRequestSocket(this: TrackedRequest, socket: Socket): void {
  const ex = this[kExchange];
  const pooled = socket as PooledSocket;
  ex.socket = pooled;
  pooled[kOwner] = ex;
  // A new socket keeps its connect timer until it connects; a reused one switches to reading now.
  if (pooled[kConnected] === true) pooled.setTimeout(ex.readMs);
}

function onRequestError(this: TrackedRequest, err: unknown): void {
  const ex = this[kExchange];
  if (!ex.settled) ex.fail(ex.classify(err));
  // After the response started, errors surface on the body stream (see onSocketClose).
  else if (ex.res !== undefined) ex.lateError = err;
}

function onResponse(this: TrackedRequest, res: IncomingMessage): void {
  const ex = this[kExchange];
  ex.res = res;
  const headers = collectHeaders(res.rawHeaders);
  ex.headers = headers;
  if (ex.settled) {
    res.destroy();
    return;
  }
  ex.settled = true;
  if (ex.signal !== undefined) {
    (res as TrackedResponse)[kExchange] = ex;
    res.once('close', onResponseClose);
  }
  ex.resolve({ statusCode: res.statusCode ?? 0, headers, body: res });
}

function onResponseClose(this: TrackedResponse): void {
  const ex = this[kExchange];
  if (ex !== undefined) ex.signal?.removeEventListener('abort', ex);
}

/** Lowercase names, every repeat joined with ', ' (node's res.headers drops some repeats). */
function collectHeaders(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === '__proto__') continue;
    const value = raw[i + 1]!;
    const prior = headers[name];
    headers[name] = prior === undefined ? value : `${prior}, ${value}`;
  }
  return headers;
}

function stripBrackets(hostname: string): string {
  // requestUrl keeps IPv6 literals bracketed; the socket layer wants the bare address.
  return hostname.charCodeAt(0) === 91 && hostname.charCodeAt(hostname.length - 1) === 93
    ? hostname.slice(1, -1)
    : hostname;
}

/** botocore's `verify`: false turns certificate checks off; a path names the CA bundle to trust. */
function tlsOptions(verify: boolean | string | undefined): HttpsAgentOptions {
  if (verify === false) return { rejectUnauthorized: false };
  if (typeof verify === 'string') {
    try {
      return { ca: readFileSync(verify) };
    } catch (err) {
      throw new InvalidOptionError('client', 'verify', `cannot read the CA bundle ${JSON.stringify(verify)}: ${(err as Error).message}`);
    }
  }
  return {};
}

/** HttpClient over node:http / node:https with one keep-alive pool per protocol. */
export class NodeHttpClient implements HttpClient {
  private readonly httpAgent: PooledHttpAgent;
  private httpsAgent: HttpsAgent | undefined;
  private readonly httpsOptions: HttpsAgentOptions;
  private readonly connectMs: number;
  private readonly tcpKeepalive: boolean;
  private readonly readMs: number;

  constructor(options: HttpClientOptions = {}) {
    const connectMs = toMillis(options.connectTimeout, 60);
    this.readMs = toMillis(options.readTimeout, 60);
    const maxSockets = Math.max(1, Math.floor(options.maxPoolConnections ?? 10));
    const tcpKeepalive = options.tcpKeepalive === true;
    // LIFO hands out the most recently used socket, the one least likely to have been closed by
    // the server (urllib3's pool is a LIFO queue too).
    const agentOptions: AgentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' };
    this.httpAgent = new PooledHttpAgent(agentOptions, connectMs, tcpKeepalive);
    // TLS options are settled now (a bad CA bundle path fails at client creation); the agent waits for the first https request.
    this.httpsOptions = { ...agentOptions, ...tlsOptions(options.verify) };
    this.connectMs = connectMs;
    this.tcpKeepalive = tcpKeepalive;
  }

  private agentFor(protocol: string): HttpAgent {
    if (protocol !== 'https:') return this.httpAgent;
    this.httpsAgent ??= new (pooledHttpsAgent())(this.httpsOptions, this.connectMs, this.tcpKeepalive);
    return this.httpsAgent;
  }

  send(request: HttpRequest, options?: SendOptions): Promise<HttpResponse> {
    const signal = options?.signal;
    if (signal?.aborted === true) {
      return Promise.reject(signal.reason ?? new DOMException('This operation was aborted', 'AbortError'));
    }
    const body = request.body;
    if (body instanceof Readable && body.destroyed) {
      return Promise.reject(body.errored ?? new HTTPClientError('The request body stream was already destroyed', requestUrl(request)));
    }
    const ex = new Exchange(request, signal, this.readMs);
    const promise = new Promise<HttpResponse>((resolve, reject) => {
      ex.resolve = resolve;
      ex.reject = reject;
    });

    const path = request.query === '' ? request.path : `${request.path}?${request.query}`;
    let req: ClientRequest;
    try {
      req = httpRequest({
        agent: this.agentFor(request.protocol),
        protocol: request.protocol,
        host: stripBrackets(request.hostname),
        port: request.port,
        method: request.method,
        path,
        headers: request.headers,
      });
    } catch (err) {
      // Invalid header names/values or an unescaped path: node refuses before any I/O.
      ex.fail(unhandled(ex.url(), err));
      return promise;
    }
    ex.req = req;
    (req as TrackedRequest)[kExchange] = ex;
    req.on('socket', onRequestSocket);
    req.on('error', onRequestError);
    req.on('response', onResponse);
    signal?.addEventListener('abort', ex);

    if (body === undefined) {
      req.end();
    } else if (typeof body === 'string') {
      if (request.headers['content-length'] === undefined) req.setHeader('content-length', Buffer.byteLength(body));
      req.end(body);
    } else if (body instanceof Uint8Array) {
      if (request.headers['content-length'] === undefined) req.setHeader('content-length', body.byteLength);
      req.end(body);
    } else if (!(body instanceof Readable)) {
      ex.fail(new HTTPClientError('A FileHandle body must be opened as a stream before sending (http/body.ts resolveRequestBody)', ex.url()));
      req.destroy();
    } else {
      body.once('error', (err: unknown) => {
        ex.bodyError = err;
        req.destroy(err instanceof Error ? err : new Error(String(err)));
        ex.fail(err);
      });
      body.pipe(req);
    }
    return promise;
  }

  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent?.destroy();
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Collects a response body into one buffer (a single chunk is returned as is). Rejects with
 * ResponseParserError, destroying the stream, as soon as more than `limit` bytes have arrived.
 * content-length is deliberately not checked up front: on a HEAD response it describes a body
 * that is never sent.
 */
export function readBody(response: HttpResponse, limit = Infinity): Promise<Uint8Array> {
  const body = response.body;
  if (body.readableEnded) return Promise.resolve(EMPTY);
  if (body.destroyed) {
    return Promise.reject(body.errored ?? new ResponseParserError('The response body stream was destroyed before it was read'));
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    body.on('data', (chunk: Buffer | string) => {
      if (done) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit) {
        done = true;
        body.destroy();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(buf);
    });
    body.once('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size));
    });
    body.once('error', (err: unknown) => {
      if (done) return;
      done = true;
      reject(err);
    });
    body.once('close', () => {
      if (done) return;
      done = true;
      reject(new ResponseParserError('The response body stream closed before it ended'));
    });
  });
}

function tooLarge(limit: number): ResponseParserError {
  return new ResponseParserError(`Response body exceeds the limit of ${limit} bytes`);
}
