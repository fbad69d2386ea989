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
import type { Agent as HttpAgent, AgentOptions, ClientRequest, ClientRequestArgs, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent, AgentOptions as HttpsAgentOptions, RequestOptions as HttpsRequestOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isReadable, nodeFs, nodeHttp, nodeHttps, nodeNet, nodeTls } from '../builtins.js';
import {
  ConnectTimeoutError,
  ConnectionClosedError,
  ConnectionError,
  EndpointConnectionError,
  HTTPClientError,
  InvalidOptionError,
  ProxyConnectionError,
  ReadTimeoutError,
  ResponseParserError,
} from '../errors.js';
import { ProxyRouter, TunnelError, createTunnelAgent } from './proxy.js';
import type { ProxiesConfig, ProxyEndpoint } from './proxy.js';
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
  /** The masked URL of the proxy the request goes through, if any. */
  proxy: string | undefined = undefined;
  /** A body held back until the server says 100 Continue (or stays silent for a second). */
  pendingBody: HttpRequest['body'] = undefined;
  continueTimer: NodeJS.Timeout | undefined = undefined;
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
    this.stopWaitingForContinue();
    this.signal?.removeEventListener('abort', this);
    const body = this.request.body;
    // A half-sent stream cannot be replayed; destroying it releases whatever it holds (file descriptors).
    if (isReadable(body) && !body.destroyed) body.destroy();
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
    if (err instanceof HTTPClientError || err === this.bodyError) return err;
    const url = this.url();
    if (err instanceof TunnelError) {
      // The CONNECT tunnel's own failures (see http/proxy.ts openTunnel).
      if (err.phase === 'proxy') return new ProxyConnectionError(this.proxy ?? '', url, err.cause);
      return err.timedOut ? new ConnectTimeoutError(url, err.cause) : new EndpointConnectionError(url, err.cause);
    }
    const socket = this.socket;
    // urllib3 wraps whatever fails before the proxy connection is up (refused, timeout, TLS) in ProxyError.
    if (this.proxy !== undefined && socket !== undefined && socket[kConnected] !== true) {
      return new ProxyConnectionError(this.proxy, url, err instanceof ConnectionError ? err.cause ?? err : err);
    }
    if (err instanceof ConnectionError) return err;
    if (socket === undefined) return unhandled(url, err);
    // Once connected, urllib3 reports any loss of the connection as ProtocolError, which botocore
    // turns into ConnectionClosedError; failures before that (refused, DNS, TLS handshake) are
    // NewConnectionError / gaierror, i.e. EndpointConnectionError.
    return socket[kConnected] === true ? new ConnectionClosedError(url, err) : new EndpointConnectionError(url, err);
  }

  /** The connection is up and the headers are on their way: give the server a second to answer them. */
  startWaitingForContinue(): void {
    if (this.pendingBody === undefined || this.continueTimer !== undefined || this.settled) return;
    // botocore's AWSConnection waits with urllib3's wait_for_read(sock, 1), then sends the body anyway.
    this.continueTimer = setTimeout(sendPendingBody, EXPECT_CONTINUE_WAIT_MS, this).unref();
  }

  stopWaitingForContinue(): void {
    if (this.continueTimer !== undefined) clearTimeout(this.continueTimer);
    this.continueTimer = undefined;
  }
}

/** How long a request with `Expect: 100-continue` waits for the server before sending its body anyway. */
const EXPECT_CONTINUE_WAIT_MS = 1000;

/** Writes a body held back for 100 Continue: on 'continue' (`this` is the request) or when the wait ends. */
function sendPendingBody(this: unknown, arg?: unknown): void {
  const ex = arg instanceof Exchange ? arg : (this as TrackedRequest)[kExchange];
  const body = ex.pendingBody;
  ex.stopWaitingForContinue();
  if (body === undefined || ex.req === undefined || ex.res !== undefined) return;
  ex.pendingBody = undefined;
  writeBody(ex, ex.req, body);
}

/** Sends the request body (the headers already carry its length when it is known). */
function writeBody(ex: Exchange, req: ClientRequest, body: HttpRequest['body']): void {
  if (body === undefined) req.end();
  else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
  else if (isReadable(body)) body.pipe(req);
  else {
    ex.fail(new HTTPClientError('A FileHandle body must be opened as a stream before sending (http/body.ts resolveRequestBody)', ex.url()));
    req.destroy();
  }
}

/** True for a body with bytes to hold back (an empty or absent one has nothing to wait for). */
function hasBodyBytes(body: HttpRequest['body'], contentLength: string | undefined): boolean {
  if (body === undefined || contentLength === '0') return false;
  if (typeof body === 'string') return body.length > 0;
  if (body instanceof Uint8Array) return body.byteLength > 0;
  return true;
}

/**
 * A final answer came before the body was sent: the server may still expect those bytes (or
 * read the next request as them), so the connection is not reused. The socket goes once the
 * response has been read, which is when node would otherwise have kept it.
 */
function onSkippedBodyResponseEnd(this: IncomingMessage): void {
  this.socket?.destroy();
}

// ---- per-socket listeners, installed once when the agent creates the socket ----

function onSocketConnected(this: PooledSocket): void {
  this[kConnected] = true;
  const timer = this[kConnectTimer];
  if (timer !== undefined) {
    clearTimeout(timer);
    this[kConnectTimer] = undefined;
  }
  const owner = this[kOwner];
  this.setTimeout(owner?.readMs ?? 0);
  owner?.startWaitingForContinue();
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

/** `connected`: a socket handed over ready (a CONNECT tunnel), with no connect phase left to watch. */
function prepareSocket(socket: PooledSocket, tls: boolean, connectMs: number, tcpKeepalive: boolean, connected = false): void {
  socket[kConnected] = connected;
  socket[kOwner] = undefined;
  socket.setNoDelay(true);
  // Overrides the keep-alive flag node's agent passes to net.connect: probes only on request.
  socket.setKeepAlive(tcpKeepalive);
  socket.on('timeout', onSocketTimeout);
  socket.on('close', onSocketClose);
  if (connected) return;
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

/**
 * The agent classes extend node's, so they are made when first needed: node:http with the
 * first request (not with the package or the client), node:https (and with it node:tls) with
 * the first https request, a few milliseconds that a Lambda talking to a local endpoint, or
 * the tests, never pay.
 */
type PooledHttpAgentClass = new (options: AgentOptions, connectMs: number, tcpKeepalive: boolean) => HttpAgent;
let pooledHttpAgentClass: PooledHttpAgentClass | undefined;

function pooledHttpAgent(): PooledHttpAgentClass {
  pooledHttpAgentClass ??= class PooledHttpAgent extends nodeHttp().Agent {
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
  };
  return pooledHttpAgentClass;
}

type PooledHttpsAgentClass = new (options: HttpsAgentOptions, connectMs: number, tcpKeepalive: boolean) => HttpsAgent;
let pooledHttpsAgentClass: PooledHttpsAgentClass | undefined;

function pooledHttpsAgent(): PooledHttpsAgentClass {
  if (pooledHttpsAgentClass === undefined) {
    const { Agent } = nodeHttps();
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
  if (pooled[kConnected] === true) {
    pooled.setTimeout(ex.readMs);
    ex.startWaitingForContinue();
  }
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
  if (ex.pendingBody !== undefined) {
    // A final status instead of 100 Continue: the body is not sent (botocore's _handle_expect_response).
    ex.pendingBody = undefined;
    ex.stopWaitingForContinue();
    res.once('end', onSkippedBodyResponseEnd);
  }
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

function readPem(path: string, where: string, option: string, what: string): Buffer {
  try {
    return nodeFs.readFileSync(path);
  } catch (err) {
    throw new InvalidOptionError(where, option, `cannot read the ${what} ${JSON.stringify(path)}: ${(err as Error).message}`);
  }
}

/** botocore's client_cert: one PEM holding certificate and key, or [certificate, key]. */
function certOptions(cert: string | readonly [string, string] | undefined, where: string, option: string): HttpsAgentOptions {
  if (cert === undefined) return {};
  if (typeof cert === 'string') {
    const pem = readPem(cert, where, option, 'client certificate');
    // node takes the certificate blocks for `cert` and the private key block for `key` from the same PEM.
    return { cert: pem, key: pem };
  }
  return { cert: readPem(cert[0], where, option, 'client certificate'), key: readPem(cert[1], where, option, 'client certificate key') };
}

/** botocore's `verify`: false turns certificate checks off; a path names the CA bundle to trust. */
function tlsOptions(verify: boolean | string | undefined): HttpsAgentOptions {
  if (verify === false) return { rejectUnauthorized: false };
  if (typeof verify === 'string') return { ca: readPem(verify, 'client', 'verify', 'CA bundle') };
  return {};
}

/**
 * TLS to an https:// proxy, as urllib3 sets it up: `verify` decides whether certificates are
 * checked; the proxy is trusted by proxyCaBundle on top of the verify bundle (or the default
 * roots); proxyClientCert authenticates us to the proxy (Config.clientCert is for the origin).
 */
function proxyTlsOptions(verify: boolean | string | undefined, config: ProxiesConfig | undefined): () => HttpsAgentOptions {
  const proxyCa = config?.proxyCaBundle !== undefined ? readPem(config.proxyCaBundle, 'Config', 'proxiesConfig.proxyCaBundle', 'proxy CA bundle') : undefined;
  const cert = certOptions(config?.proxyClientCert, 'Config', 'proxiesConfig.proxyClientCert');
  const base = tlsOptions(verify);
  return () => {
    if (proxyCa === undefined) return { ...base, ...cert };
    // node's `ca` replaces the default roots, so they are listed again when verify names no bundle.
    const roots = base.ca !== undefined ? [base.ca as Buffer] : nodeTls().rootCertificates;
    return { ...base, ...cert, ca: [...roots, proxyCa] };
  };
}

/** The Host header a forwarded request carries: the origin's, default port left out. */
function originHost(request: HttpRequest): string {
  const h = request.hostname;
  const host = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
  const defaultPort = request.protocol === 'https:' ? 443 : 80;
  return request.port === undefined || request.port === defaultPort ? host : `${host}:${request.port}`;
}

/**
 * HttpClient over node:http / node:https with one keep-alive pool per protocol, and per proxy
 * (forwarded requests) or per proxy and origin (CONNECT tunnels) when proxies are in use.
 * TLS material (client keys) is kept in private fields, out of util.inspect's reach.
 */
export class NodeHttpClient implements HttpClient {
  #httpAgent: HttpAgent | undefined;
  #httpsAgent: HttpsAgent | undefined;
  readonly #httpsOptions: HttpsAgentOptions;
  readonly #agentOptions: AgentOptions;
  readonly #connectMs: number;
  readonly #tcpKeepalive: boolean;
  readonly #readMs: number;
  readonly #proxies: ProxyRouter | undefined;
  readonly #proxyTls: (() => HttpsAgentOptions) | undefined;
  readonly #proxyAgents = new Map<string, HttpAgent>();

  constructor(options: HttpClientOptions = {}) {
    const connectMs = toMillis(options.connectTimeout, 60);
    this.#readMs = toMillis(options.readTimeout, 60);
    const maxSockets = Math.max(1, Math.floor(options.maxPoolConnections ?? 10));
    const tcpKeepalive = options.tcpKeepalive === true;
    // LIFO hands out the most recently used socket, the one least likely to have been closed by
    // the server (urllib3's pool is a LIFO queue too).
    const agentOptions: AgentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' };
    this.#agentOptions = agentOptions;
    // TLS options are settled now (a bad CA bundle or certificate path fails at client creation);
    // the agent waits for the first https request.
    this.#httpsOptions = { ...agentOptions, ...tlsOptions(options.verify), ...certOptions(options.clientCert, 'Config', 'clientCert') };
    this.#connectMs = connectMs;
    this.#tcpKeepalive = tcpKeepalive;
    this.#proxies = ProxyRouter.create({ proxies: options.proxies, env: options.env, proxiesConfig: options.proxiesConfig });
    this.#proxyTls = this.#proxies !== undefined ? proxyTlsOptions(options.verify, options.proxiesConfig) : undefined;
  }

  private agentFor(protocol: string): HttpAgent {
    if (protocol !== 'https:') return (this.#httpAgent ??= new (pooledHttpAgent())(this.#agentOptions, this.#connectMs, this.#tcpKeepalive));
    this.#httpsAgent ??= new (pooledHttpsAgent())(this.#httpsOptions, this.#connectMs, this.#tcpKeepalive);
    return this.#httpsAgent;
  }

  /** The pool for requests forwarded to `proxy` (absolute URI), or tunnelled through it. */
  private proxyAgent(proxy: ProxyEndpoint, tunnel: boolean): HttpAgent {
    const key = `${tunnel ? 'tunnel' : 'forward'} ${proxy.key}`;
    let agent = this.#proxyAgents.get(key);
    if (agent === undefined) {
      const connectMs = this.#connectMs;
      const tcpKeepalive = this.#tcpKeepalive;
      if (tunnel) {
        agent = createTunnelAgent(this.#httpsOptions, {
          proxy,
          proxyTls: this.#proxyTls!(),
          connectMs,
          adopt: (socket) => prepareSocket(socket as unknown as PooledSocket, true, 0, tcpKeepalive, true),
          keep: (socket) => keepSocket(socket as PooledSocket),
        });
      } else if (proxy.protocol === 'https:') {
        agent = new (pooledHttpsAgent())({ ...this.#agentOptions, ...this.#proxyTls!() }, connectMs, tcpKeepalive);
      } else {
        agent = new (pooledHttpAgent())(this.#agentOptions, connectMs, tcpKeepalive);
      }
      this.#proxyAgents.set(key, agent);
    }
    return agent;
  }

  send(request: HttpRequest, options?: SendOptions): Promise<HttpResponse> {
    const signal = options?.signal;
    if (signal?.aborted === true) {
      return Promise.reject(signal.reason ?? new DOMException('This operation was aborted', 'AbortError'));
    }
    const body = request.body;
    if (isReadable(body) && body.destroyed) {
      return Promise.reject(body.errored ?? new HTTPClientError('The request body stream was already destroyed', requestUrl(request)));
    }
    const ex = new Exchange(request, signal, this.#readMs);
    const promise = new Promise<HttpResponse>((resolve, reject) => {
      ex.resolve = resolve;
      ex.reject = reject;
    });

    let headers = request.headers;
    // Set before the headers can be flushed (a 100-continue request sends them ahead of the body).
    if (headers['content-length'] === undefined && (typeof body === 'string' || body instanceof Uint8Array)) {
      headers = { ...headers, 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength) };
    }
    let req: ClientRequest;
    try {
      const proxy = this.#proxies?.route(request);
      // The direct case builds node's options in one literal: it is every request's hot path.
      req = nodeHttp().request(
        proxy === undefined
          ? {
              agent: this.agentFor(request.protocol),
              protocol: request.protocol,
              host: stripBrackets(request.hostname),
              port: request.port,
              method: request.method,
              path: request.query === '' ? request.path : `${request.path}?${request.query}`,
              headers,
            }
          : this.proxiedOptions(ex, request, proxy, headers),
      );
    } catch (err) {
      // A bad proxy variable, invalid header names/values or an unescaped path: refused before any I/O.
      ex.fail(err instanceof InvalidOptionError ? err : unhandled(ex.url(), err));
      return promise;
    }
    ex.req = req;
    (req as TrackedRequest)[kExchange] = ex;
    req.on('socket', onRequestSocket);
    req.on('error', onRequestError);
    req.on('response', onResponse);
    signal?.addEventListener('abort', ex);

    if (isReadable(body)) {
      body.once('error', (err: unknown) => {
        ex.bodyError = err;
        req.destroy(err instanceof Error ? err : new Error(String(err)));
        ex.fail(err);
      });
    }
    if (headers.expect?.toLowerCase() === '100-continue' && hasBodyBytes(body, headers['content-length'])) {
      // Headers now, body on 100 Continue or after a second's silence; a final answer first means no body.
      ex.pendingBody = body;
      req.once('continue', sendPendingBody);
      req.flushHeaders();
    } else {
      writeBody(ex, req, body);
    }
    return promise;
  }

  /** node's request options through a proxy: forwarded as an absolute URI, or through a CONNECT tunnel. */
  private proxiedOptions(ex: Exchange, request: HttpRequest, proxy: ProxyEndpoint, headers: Record<string, string>): HttpsRequestOptions {
    ex.proxy = proxy.masked;
    if (!this.#proxies!.forwards(request, proxy)) {
      const path = request.query === '' ? request.path : `${request.path}?${request.query}`;
      return { agent: this.proxyAgent(proxy, true), protocol: 'https:', host: stripBrackets(request.hostname), port: request.port, method: request.method, path, headers };
    }
    // An absolute URI to the proxy, the origin in Host, and the proxy's credentials (urllib3's ProxyManager).
    const forwarded: Record<string, string> = { ...headers, host: headers.host ?? originHost(request) };
    if (proxy.authorization !== undefined) forwarded['proxy-authorization'] = proxy.authorization;
    return {
      agent: this.proxyAgent(proxy, false),
      protocol: proxy.protocol,
      host: proxy.hostname,
      port: proxy.port,
      // The TLS name is the proxy's, not the Host header's (node's default).
      ...(proxy.protocol === 'https:' ? { servername: nodeNet().isIP(proxy.hostname) === 0 ? proxy.hostname : '' } : {}),
      method: request.method,
      path: requestUrl(request),
      headers: forwarded,
    };
  }

  destroy(): void {
    this.#httpAgent?.destroy();
    this.#httpsAgent?.destroy();
    for (const agent of this.#proxyAgents.values()) agent.destroy();
    this.#proxyAgents.clear();
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
