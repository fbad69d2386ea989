/** The transport's view of a request and a response: plain data, no behaviour. */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ProxiesConfig } from './proxy.js';

/**
 * A request body. A FileHandle (a streaming input the user gave) is turned into a stream with
 * its Content-Length by http/body.ts before the transport sees it.
 */
export type HttpBody = Uint8Array | string | Readable | FileHandle;

export interface HttpRequest {
  method: string;
  protocol: 'http:' | 'https:';
  hostname: string;
  /** Undefined means the scheme's default port. */
  port: number | undefined;
  /** Percent-encoded path, always starting with '/'. */
  path: string;
  /** Percent-encoded query string without the leading '?'; '' when there is none. */
  query: string;
  /** Header names are lowercase; one value per name (repeats joined with ','). */
  headers: Record<string, string>;
  body: HttpBody | undefined;
}

export interface HttpResponse {
  statusCode: number;
  /** Lowercase names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The raw body, not yet read. Whoever receives the response must consume or destroy it. */
  body: Readable;
}

export interface HttpClientOptions {
  /** Seconds to wait for a TCP (and TLS) connection. Default 60, as botocore. */
  connectTimeout?: number;
  /** Seconds of socket inactivity allowed while waiting for or reading a response. Default 60. */
  readTimeout?: number;
  /** Maximum sockets kept per host. Default 10, as botocore. */
  maxPoolConnections?: number;
  /** Enable TCP keep-alive probes on sockets. Default false, as botocore. */
  tcpKeepalive?: boolean;
  /** TLS verification: true (default), false (no certificate checks) or a CA bundle path. */
  verify?: boolean | string;
  /** Config.proxies: proxy URL by request scheme ('http', 'https'). When set, `env` is not consulted. */
  proxies?: Readonly<Record<string, string>>;
  /** Config.proxiesConfig: TLS to https proxies, and forwarding https requests through them. */
  proxiesConfig?: ProxiesConfig;
  /** Environment read for HTTP_PROXY / HTTPS_PROXY / NO_PROXY (any case) when `proxies` is unset; none when omitted. */
  env?: NodeJS.ProcessEnv;
  /** Config.clientCert: TLS client certificate for the origin, one PEM with certificate and key, or [certificate, key]. */
  clientCert?: string | readonly [string, string];
}

export interface SendOptions {
  signal?: AbortSignal;
}

export interface HttpClient {
  send(request: HttpRequest, options?: SendOptions): Promise<HttpResponse>;
  /** Closes pooled sockets. */
  destroy(): void;
}

/** scheme://host[:port]/path?query, as used in error messages. */
export function requestUrl(req: HttpRequest): string {
  const port = req.port === undefined ? '' : `:${req.port}`;
  const host = req.hostname.includes(':') ? `[${req.hostname}]` : req.hostname;
  const query = req.query ? `?${req.query}` : '';
  return `${req.protocol}//${host}${port}${req.path}${query}`;
}
