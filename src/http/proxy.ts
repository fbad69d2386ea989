/**
 * HTTP proxies, as botocore uses them: Config.proxies by URL scheme, else the environment
 * (HTTP_PROXY / HTTPS_PROXY / NO_PROXY with urllib's rules); plain http requests are forwarded
 * to the proxy with an absolute URI, https requests go through a CONNECT tunnel (TLS to the
 * origin inside it) unless proxyUseForwardingForHttps asks an https proxy to forward them.
 *
 * Credentials in a proxy URL become a Proxy-Authorization header. They live only in private
 * fields: errors, logs and util.inspect see the masked URL (`http://***:***@proxy:3128`).
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Agent as HttpsAgent, AgentOptions as HttpsAgentOptions, RequestOptions as HttpsRequestOptions } from 'node:https';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { InvalidOptionError } from '../errors.js';
import { nodeNet } from '../builtins.js';
import type { HttpRequest } from './types.js';

/** botocore's proxies_config (proxy_ca_bundle, proxy_client_cert, proxy_use_forwarding_for_https), camelCased. */
export interface ProxiesConfig {
  /** CA bundle trusted for the TLS connection to an https:// proxy. */
  proxyCaBundle?: string;
  /** Client certificate for the TLS connection to an https:// proxy: one PEM with both, or [cert, key]. */
  proxyClientCert?: string | [string, string];
  /** Send https requests to an https:// proxy as absolute URIs instead of tunnelling them. */
  proxyUseForwardingForHttps?: boolean;
}

export interface ProxySettings {
  /** Config.proxies: scheme ('http', 'https') to proxy URL. When set (even empty), the environment is not read. */
  proxies?: Readonly<Record<string, string>> | undefined;
  /** Where *_proxy and no_proxy are read from when `proxies` is not set. */
  env?: NodeJS.ProcessEnv | undefined;
  proxiesConfig?: ProxiesConfig | undefined;
}

/**
 * botocore's mask_proxy_url (`http://***:***@proxy:3128`), made safe: everything between the
 * scheme and the last '@' is masked (botocore masks the first match of the user name anywhere,
 * so a user 'h' masks the scheme's h and leaves the name itself). A path holding '@' is masked
 * too: hiding too much beats showing a password.
 */
export function maskProxyUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at === -1) return url;
  const start = (/^[a-z][a-z0-9+.-]*:\/\//i.exec(url) ?? /^\/\//.exec(url))?.[0].length ?? 0;
  if (at < start) return url;
  return `${url.slice(0, start)}${url.slice(start, at).includes(':') ? '***:***' : '***'}${url.slice(at)}`;
}

/**
 * ProxyConfiguration._fix_proxy_url: a proxy given without a scheme is an http one. botocore
 * also prefixes 'http://' to 'socks5://...' or 'HTTP://...' and then fails to connect to a
 * host named 'socks5'; here such a scheme is refused up front and the scheme's case ignored.
 */
function fixProxyUrl(url: string, where: string, option: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return url;
  if (scheme !== undefined) throw new InvalidOptionError(where, option, `unsupported proxy scheme '${scheme}:' in ${maskProxyUrl(url)} (http: or https: only)`);
  if (url.startsWith('http:') || url.startsWith('https:')) return url;
  return url.startsWith('//') ? `http:${url}` : `http://${url}`;
}

function unquote(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** One proxy: where to connect and how to authenticate. */
export class ProxyEndpoint {
  readonly protocol: 'http:' | 'https:';
  /** Bare host name or address (no IPv6 brackets). */
  readonly hostname: string;
  readonly port: number;
  /** The URL with any credentials replaced by ***: the only form that may be shown. */
  readonly masked: string;
  /** Identifies the proxy and its credentials (the pool key); never shown. */
  readonly #key: string;
  readonly #authorization: string | undefined;

  constructor(raw: string, where: string, option: string) {
    const fixed = fixProxyUrl(raw, where, option);
    this.masked = maskProxyUrl(fixed);
    let url: URL;
    try {
      url = new URL(fixed);
    } catch {
      throw new InvalidOptionError(where, option, `not a valid proxy URL: ${this.masked}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidOptionError(where, option, `unsupported proxy scheme '${url.protocol}' in ${this.masked} (http: or https: only)`);
    }
    if (url.hostname === '') throw new InvalidOptionError(where, option, `no host in proxy URL ${this.masked}`);
    this.protocol = url.protocol;
    this.hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    this.#key = fixed;
    // As botocore's proxy_headers_for: Basic auth only when both a user name and a password are given.
    const username = unquote(url.username);
    const password = unquote(url.password);
    this.#authorization = username !== '' && password !== '' ? `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` : undefined;
  }

  /** The Proxy-Authorization header value, if the URL carried credentials. */
  get authorization(): string | undefined {
    return this.#authorization;
  }

  get key(): string {
    return this.#key;
  }

  /** host:port as a request target or Host header wants it. */
  get authority(): string {
    return `${this.hostname.includes(':') ? `[${this.hostname}]` : this.hostname}:${this.port}`;
  }

  toString(): string {
    return this.masked;
  }

  toJSON(): string {
    return this.masked;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ProxyEndpoint <${this.masked}>`;
  }
}

/**
 * urllib.request.getproxies_environment: every `<scheme>_proxy` variable, any case, keyed by
 * lowercase scheme; a second pass lets the lowercase-suffixed names win (and an empty one
 * removes the entry). Under CGI (REQUEST_METHOD set) the first pass's HTTP_PROXY is dropped,
 * since a client's `Proxy:` request header would set it (CVE-2016-1000110).
 */
export function environProxies(env: NodeJS.ProcessEnv): Map<string, string> {
  const proxies = new Map<string, string>();
  // Names first, values only for the *_proxy ones: each read of process.env is a call into
  // node, and reading every value (Object.entries) cost a cold client about a millisecond.
  const names = Object.keys(env).filter((name) => name.length > 6 && name.slice(-6).toLowerCase() === '_proxy');
  const entries = names.map((name) => [name, env[name]] as const);
  for (const [name, value] of entries) {
    if (value) proxies.set(name.toLowerCase().slice(0, -6), value);
  }
  if (env.REQUEST_METHOD !== undefined) proxies.delete('http');
  for (const [name, value] of entries) {
    if (!name.endsWith('_proxy')) continue;
    const scheme = name.toLowerCase().slice(0, -6);
    if (value) proxies.set(scheme, value);
    else proxies.delete(scheme);
  }
  return proxies;
}

/**
 * urllib.request.proxy_bypass_environment (what botocore's should_bypass_proxies calls on
 * Linux): `netloc` is the URL's host[:port]; no_proxy is a comma-separated list of host names
 * or domain suffixes (a leading dot is ignored), each matching the host alone or host:port,
 * exactly or as a '.'-separated suffix; '*' alone bypasses everything. There is no CIDR
 * matching and no implicit loopback rule: 127.0.0.1 and localhost are proxied unless listed.
 */
export function bypassesProxy(netloc: string, noProxy: string): boolean {
  if (noProxy === '*') return true;
  const host = netloc.toLowerCase();
  const m = /^(.*):([0-9]*)$/s.exec(host);
  const hostOnly = m === null ? host : m[1]!;
  for (let name of noProxy.split(',')) {
    name = name.trim();
    if (name === '') continue;
    name = name.replace(/^\.+/, '').toLowerCase();
    if (hostOnly === name || host === name) return true;
    const suffix = `.${name}`;
    if (hostOnly.endsWith(suffix) || host.endsWith(suffix)) return true;
  }
  return false;
}

/** The request's netloc as Python's urlparse would give it for the same URL. */
function netlocOf(request: Pick<HttpRequest, 'hostname' | 'port'>): string {
  const h = request.hostname;
  const host = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
  return request.port === undefined ? host : `${host}:${request.port}`;
}

const BYPASS_CACHE_LIMIT = 256;

/**
 * Picks the proxy for a request, or none. botocore decides once per client with the
 * endpoint URL (endpoint._get_proxies); this decides per request host, so that NO_PROXY also
 * covers the virtual-host and redirect hosts a client talks to. The decision is cached per
 * netloc, so the per-request cost is one map lookup.
 */
export class ProxyRouter {
  readonly #byScheme = new Map<string, ProxyEndpoint | InvalidOptionError>();
  readonly #noProxy: string | undefined;
  readonly #bypass = new Map<string, boolean>();
  readonly forwardHttps: boolean;

  private constructor(settings: ProxySettings) {
    this.forwardHttps = settings.proxiesConfig?.proxyUseForwardingForHttps === true;
    if (settings.proxies !== undefined) {
      // Config.proxies: only the scheme keys are used (botocore's proxy_url_for), and a bad URL fails now.
      for (const scheme of ['http', 'https']) {
        const raw = Object.hasOwn(settings.proxies, scheme) ? settings.proxies[scheme] : undefined;
        if (raw) this.#byScheme.set(scheme, new ProxyEndpoint(raw, 'Config', `proxies.${scheme}`));
      }
      this.#noProxy = undefined;
      return;
    }
    const env = environProxies(settings.env ?? {});
    for (const scheme of ['http', 'https']) {
      const raw = env.get(scheme);
      if (!raw) continue;
      // A bad variable fails the requests that would use it, not the client's creation.
      try {
        this.#byScheme.set(scheme, new ProxyEndpoint(raw, 'environment', `${scheme}_proxy`));
      } catch (err) {
        this.#byScheme.set(scheme, err as InvalidOptionError);
      }
    }
    this.#noProxy = env.get('no');
  }

  /** A router, or undefined when no request could ever use a proxy (the common case: no cost at all). */
  static create(settings: ProxySettings): ProxyRouter | undefined {
    const router = new ProxyRouter(settings);
    return router.#byScheme.size === 0 ? undefined : router;
  }

  /** The proxy this request goes through, or undefined to connect directly. Throws for a bad proxy variable. */
  route(request: Pick<HttpRequest, 'protocol' | 'hostname' | 'port'>): ProxyEndpoint | undefined {
    const proxy = this.#byScheme.get(request.protocol === 'https:' ? 'https' : 'http');
    if (proxy === undefined) return undefined;
    const noProxy = this.#noProxy;
    if (noProxy !== undefined) {
      const netloc = netlocOf(request);
      let bypass = this.#bypass.get(netloc);
      if (bypass === undefined) {
        bypass = bypassesProxy(netloc, noProxy);
        if (this.#bypass.size >= BYPASS_CACHE_LIMIT) this.#bypass.clear();
        this.#bypass.set(netloc, bypass);
      }
      if (bypass) return undefined;
    }
    if (proxy instanceof Error) throw proxy;
    return proxy;
  }

  /** True when this request is sent to the proxy as an absolute URI (no tunnel). */
  forwards(request: Pick<HttpRequest, 'protocol'>, proxy: ProxyEndpoint): boolean {
    // urllib3's connection_requires_http_tunnel: forwarding https needs an https proxy.
    return request.protocol !== 'https:' || (this.forwardHttps && proxy.protocol === 'https:');
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const shown = [...this.#byScheme].map(([scheme, p]) => `${scheme}: ${p instanceof Error ? '<invalid>' : p.masked}`);
    return `ProxyRouter { ${shown.join(', ')} }`;
  }
}

// ---- CONNECT tunnels ----

/** Why a tunnel could not be set up; the transport maps it onto botocore's exceptions with the request URL. */
export class TunnelError extends Error {
  constructor(
    /** 'proxy': reaching the proxy or its CONNECT answer failed; 'origin': the TLS handshake through the tunnel did. */
    readonly phase: 'proxy' | 'origin',
    readonly timedOut: boolean,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface TunnelOptions {
  proxy: ProxyEndpoint;
  /** TLS options for an https:// proxy (proxyCaBundle, proxyClientCert, verify). */
  proxyTls: ConnectionOptions;
  /** Deadline for the whole set-up: proxy connection, CONNECT and the origin's TLS handshake. 0: none. */
  connectMs: number;
  /** Wires the transport's per-socket listeners on the connected TLS socket. */
  adopt(socket: TLSSocket): void;
  /** The transport's keep-alive decision for a freed socket. */
  keep(socket: Duplex): boolean;
}

/** Most a proxy may send before the blank line that ends its CONNECT answer. */
const MAX_CONNECT_RESPONSE = 16 * 1024;

const requireBuiltin = createRequire(import.meta.url);
type TlsModule = typeof import('node:tls');
let tlsModule: TlsModule | undefined;

/** node:tls is loaded on the first tunnel, as node:https is on the first https request. */
function tls(): TlsModule {
  tlsModule ??= requireBuiltin('node:tls') as TlsModule;
  return tlsModule;
}

function connectToProxy(proxy: ProxyEndpoint, proxyTls: ConnectionOptions): Socket | TLSSocket {
  if (proxy.protocol === 'http:') return nodeNet().connect({ host: proxy.hostname, port: proxy.port });
  const servername = nodeNet().isIP(proxy.hostname) === 0 ? proxy.hostname : undefined;
  return tls().connect({ ...proxyTls, host: proxy.hostname, port: proxy.port, ...(servername !== undefined ? { servername } : {}) });
}

/**
 * Opens a tunnel to the origin named by `target` (the https agent's connection options) and
 * hands back the TLS socket to the origin, connected and verified, or a TunnelError.
 */
function openTunnel(target: HttpsRequestOptions, t: TunnelOptions, done: (err: Error | null, socket?: TLSSocket) => void): void {
  const host = String(target.host ?? target.hostname ?? 'localhost');
  const port = Number(target.port ?? 443);
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const proxy = t.proxy;
  let phase: 'proxy' | 'origin' = 'proxy';
  let finished = false;
  let secure: TLSSocket | undefined;
  const raw = connectToProxy(proxy, t.proxyTls);

  const finish = (err: Error | null): void => {
    if (finished) return;
    finished = true;
    if (timer !== undefined) clearTimeout(timer);
    raw.removeListener('readable', onReadable);
    if (err !== null) {
      secure?.destroy();
      raw.destroy();
      done(err);
      return;
    }
    secure!.removeListener('error', onSecureError);
    done(null, secure);
  };
  const timer = t.connectMs > 0
    ? setTimeout(() => finish(new TunnelError(phase, true, new Error(`no tunnel to ${authority} within ${t.connectMs} ms`))), t.connectMs).unref()
    : undefined;
  // Kept for the socket's life: the raw socket must never emit an unhandled 'error'.
  raw.on('error', (err: Error) => finish(new TunnelError(phase, false, err)));
  raw.once('close', () => finish(new TunnelError(phase, false, new Error('The proxy closed the connection'))));
  raw.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
    raw.setNoDelay(true);
    const auth = proxy.authorization;
    raw.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth !== undefined ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
  });

  let head: Buffer = Buffer.alloc(0);
  function onReadable(): void {
    let chunk: Buffer | null;
    while ((chunk = raw.read() as Buffer | null) !== null) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_CONNECT_RESPONSE) finish(new TunnelError('proxy', false, new Error('The proxy sent an oversized CONNECT response')));
        continue;
      }
      raw.removeListener('readable', onReadable);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const m = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(statusLine);
      // As http.client's _tunnel: anything but 200 is a failed tunnel.
      if (m === null || m[1] !== '200') {
        finish(new TunnelError('proxy', false, new Error(m === null ? 'The proxy sent an invalid CONNECT response' : `Tunnel connection failed: ${m[1]} ${(m[2] ?? '').trim()}`)));
        return;
      }
      if (end + 4 < head.length) {
        // The origin cannot speak before our ClientHello; bytes here mean a confused proxy.
        finish(new TunnelError('proxy', false, new Error('The proxy sent data after its CONNECT response')));
        return;
      }
      phase = 'origin';
      const { path: _path, port: _port, ...tlsOptions } = target as HttpsRequestOptions & ConnectionOptions;
      secure = tls().connect({ ...tlsOptions, host, socket: raw });
      secure.once('error', onSecureError);
      secure.once('secureConnect', () => finish(null));
      return;
    }
  }
  function onSecureError(err: Error): void {
    finish(new TunnelError('origin', false, err));
  }
  raw.on('readable', onReadable);
}

type TunnelAgentClass = new (agentOptions: HttpsAgentOptions, tunnel: TunnelOptions) => HttpsAgent;
let tunnelAgentClass: TunnelAgentClass | undefined;

/**
 * An https agent whose connections are CONNECT tunnels through one proxy: one pool per
 * origin (node's agent keys sockets by origin and TLS options), kept alive like direct ones.
 */
export function createTunnelAgent(agentOptions: HttpsAgentOptions, tunnel: TunnelOptions): HttpsAgent {
  if (tunnelAgentClass === undefined) {
    const { Agent } = requireBuiltin('node:https') as typeof import('node:https');
    tunnelAgentClass = class TunnelAgent extends Agent {
      readonly #tunnel: TunnelOptions;

      constructor(options: HttpsAgentOptions, t: TunnelOptions) {
        super(options);
        this.#tunnel = t;
      }

      // Returning nothing makes node's agent wait for the callback (the tunnel is asynchronous).
      override createConnection(options: HttpsRequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
        openTunnel(options, this.#tunnel, (err, socket) => {
          if (err !== null || socket === undefined) {
            callback?.(err ?? new Error('tunnel failed'), undefined as unknown as Duplex);
            return;
          }
          this.#tunnel.adopt(socket);
          callback?.(null, socket);
        });
        return undefined;
      }

      override keepSocketAlive(socket: Duplex): boolean {
        return this.#tunnel.keep(socket);
      }
    };
  }
  return new tunnelAgentClass(agentOptions, tunnel);
}
