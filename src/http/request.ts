/** Joins a resolved endpoint and a serialized operation into the request the transport sends. */
import type { ResolvedEndpoint } from '../endpoints/resolver.js';
import type { SerializedRequest } from '../protocols/types.js';
import type { HttpBody, HttpRequest } from './types.js';
import { requestUrl } from './types.js';

export interface RequestOptions {
  userAgent?: string;
  /** botocore's Config.inject_host_prefix (default true). */
  injectHostPrefix?: boolean;
}

/**
 * Requests whose Content-Length inia computed from the body (not the serializer from a modeled
 * ContentLength member). botocore adds that header when it prepares the request, after signing,
 * so it is not among the signed headers; the SigV4 signer leaves it out likewise for these.
 */
const COMPUTED_LENGTH = new WeakSet<object>();

/** Sets Content-Length from the body's size, as botocore's request preparation does (unsigned). */
export function setComputedContentLength(request: HttpRequest, length: number): void {
  request.headers['content-length'] = String(length);
  COMPUTED_LENGTH.add(request);
}

/** Whether the request's Content-Length was computed by inia (and so is not signed, as botocore's). */
export function hasComputedContentLength(request: object): boolean {
  return COMPUTED_LENGTH.has(request);
}

export function buildHttpRequest(endpoint: ResolvedEndpoint, serialized: SerializedRequest, options: RequestOptions = {}): HttpRequest {
  const headers: Record<string, string> = { ...endpoint.headers, ...serialized.headers };
  if (options.userAgent !== undefined) headers['user-agent'] = options.userAgent;
  const body = serialized.body;
  const hostPrefix = options.injectHostPrefix === false ? '' : serialized.hostPrefix ?? '';
  const request = new PreparedRequest(serialized.method, endpoint.protocol, hostPrefix + endpoint.hostname, endpoint.port, joinPath(endpoint.basePath, serialized.path), serialized.query, headers, body);
  // Known-size bodies get their length up front (signed requests must not be chunked by accident).
  if (headers['content-length'] === undefined) {
    if (typeof body === 'string') setComputedContentLength(request, Buffer.byteLength(body));
    else if (body instanceof Uint8Array) setComputedContentLength(request, body.byteLength);
  }
  return request;
}

/**
 * The request as event handlers see it: the transport's parts, plus botocore's AWSPreparedRequest
 * reading surface (`url`, `method`, `headers`, `body`). `url` is computed from the parts on read
 * (a prototype getter: nothing per call), and setting it moves the parts (botocore handlers such
 * as machinelearning's Predict host switch assign request.url).
 */
export class PreparedRequest implements HttpRequest {
  constructor(
    public method: string,
    public protocol: 'http:' | 'https:',
    public hostname: string,
    public port: number | undefined,
    public path: string,
    public query: string,
    public headers: Record<string, string>,
    public body: HttpBody | undefined,
  ) {}

  get url(): string {
    return requestUrl(this);
  }

  set url(value: string) {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`request.url: not an http(s) URL: ${value}`);
    this.protocol = url.protocol;
    this.hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = url.port === '' ? undefined : Number(url.port);
    this.path = url.pathname || '/';
    this.query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  }
}

/** botocore's _urljoin: an empty or '/' operation path keeps the endpoint's path as it is. */
function joinPath(basePath: string, path: string): string {
  if (!path || path === '/') return basePath || '/';
  return basePath + path;
}
