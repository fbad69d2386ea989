/** Joins a resolved endpoint and a serialized operation into the request the transport sends. */
import type { ResolvedEndpoint } from '../endpoints/resolver.js';
import type { SerializedRequest } from '../protocols/types.js';
import type { HttpRequest } from './types.js';

export interface RequestOptions {
  userAgent?: string;
  /** botocore's Config.inject_host_prefix (default true). */
  injectHostPrefix?: boolean;
}

export function buildHttpRequest(endpoint: ResolvedEndpoint, serialized: SerializedRequest, options: RequestOptions = {}): HttpRequest {
  const headers: Record<string, string> = { ...endpoint.headers, ...serialized.headers };
  if (options.userAgent !== undefined) headers['user-agent'] = options.userAgent;
  const body = serialized.body;
  // Known-size bodies get their length up front (signed requests must not be chunked by accident).
  if (headers['content-length'] === undefined) {
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
    else if (body instanceof Uint8Array) headers['content-length'] = String(body.byteLength);
  }
  const hostPrefix = options.injectHostPrefix === false ? '' : serialized.hostPrefix ?? '';
  return {
    method: serialized.method,
    protocol: endpoint.protocol,
    hostname: hostPrefix + endpoint.hostname,
    port: endpoint.port,
    path: joinPath(endpoint.basePath, serialized.path),
    query: serialized.query,
    headers,
    body,
  };
}

/** botocore's _urljoin: an empty or '/' operation path keeps the endpoint's path as it is. */
function joinPath(basePath: string, path: string): string {
  if (!path || path === '/') return basePath || '/';
  return basePath + path;
}
