/**
 * AWS Signature Version 4, header form, as botocore's SigV4Auth computes it. The pieces
 * (canonical request, string to sign, signing key) are exported for query presigning.
 * This runs on every request: no URL parsing (the request is already split), one HMAC
 * chain per (day, region, service) thanks to the signing-key cache.
 */
import { createHash, createHmac } from 'node:crypto';
import { IniaError } from '../errors.js';
import type { CredentialsData } from '../credentials/types.js';
import type { HttpRequest } from '../http/types.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** Headers botocore never signs: proxies and clients may change them in flight. */
const UNSIGNED_HEADERS = new Set(['expect', 'transfer-encoding', 'user-agent', 'x-amzn-trace-id', 'authorization']);

export interface SigV4Options {
  region: string;
  service: string;
  /** Signing time; default now. */
  date?: Date;
  /** Encode the (already encoded) path again, as botocore does for every service but S3. Default true. */
  uriEscapePath?: boolean;
  /** Remove '.' / '..' segments and empty segments. Default true; S3 passes false. */
  normalizePath?: boolean;
  /** Hex SHA-256 of the body, or 'UNSIGNED-PAYLOAD'. Default: hashed from a string/bytes body. */
  payloadHash?: string;
  /** S3: send the payload hash as x-amz-content-sha256. */
  addContentSha256Header?: boolean;
}

/** Thrown when a request cannot be signed as given (a stream body with no precomputed hash). */
export class SigningError extends IniaError {}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

const keyCache = new Map<string, Buffer>();
const KEY_CACHE_LIMIT = 64;

/** kSigning = HMAC chain over date, region, service; cached because it changes once a day. */
export function deriveSigningKey(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
  const cacheKey = `${dateStamp}\n${region}\n${service}\n${secretAccessKey}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    const kDate = hmac(`AWS4${secretAccessKey}`, dateStamp);
    const kRegion = hmac(kDate, region);
    const kService = hmac(kRegion, service);
    key = hmac(kService, 'aws4_request');
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** 20150830T123600Z */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 3986 encoding of everything but unreserved characters, and '/' when asked (Python's quote). */
export function uriEncode(value: string, keepSlash: boolean): string {
  let out = encodeURIComponent(value);
  // encodeURIComponent leaves these sub-delimiters alone; SigV4 wants them encoded.
  if (/[!'()*]/.test(out)) out = out.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (keepSlash) out = out.replace(/%2F/g, '/');
  return out;
}

/** botocore's remove_dot_segments: also drops empty segments ('//' -> '/'). */
export function removeDotSegments(path: string): string {
  if (!path) return '/';
  const output: string[] = [];
  for (const segment of path.split('/')) {
    if (!segment || segment === '.') continue;
    if (segment === '..') output.pop();
    else output.push(segment);
  }
  const first = path.startsWith('/') ? '/' : '';
  const last = path.endsWith('/') && output.length > 0 ? '/' : '';
  return first + output.join('/') + last;
}

export function canonicalPath(path: string, options: Pick<SigV4Options, 'uriEscapePath' | 'normalizePath'>): string {
  let p = path || '/';
  if (options.normalizePath !== false) p = removeDotSegments(p);
  if (options.uriEscapePath !== false) p = uriEncode(p, true);
  return p;
}

/** Pairs sorted by key, then value, on their encoded forms (botocore sorts (key, value) tuples). */
export function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs = query.split('&').map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  if (pairs.length > 1) pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (let i = 0; i < pairs.length; i++) out += `${i ? '&' : ''}${pairs[i]![0]}=${pairs[i]![1]}`;
  return out;
}

function hostHeader(request: HttpRequest): string {
  const defaultPort = request.protocol === 'https:' ? 443 : 80;
  const host = request.hostname.includes(':') ? `[${request.hostname}]` : request.hostname;
  return request.port === undefined || request.port === defaultPort ? host : `${host}:${request.port}`;
}

export interface CanonicalHeaders {
  canonical: string;
  signed: string;
}

/** Lowercase names sorted; values with runs of whitespace folded to one space and trimmed. */
export function canonicalHeaders(request: HttpRequest): CanonicalHeaders {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (UNSIGNED_HEADERS.has(lower)) continue;
    const folded = value.trim().replace(/\s+/g, ' ');
    const previous = values.get(lower);
    values.set(lower, previous === undefined ? folded : `${previous},${folded}`);
  }
  if (!values.has('host')) values.set('host', hostHeader(request));
  const sorted = [...values.keys()].sort();
  let canonical = '';
  for (const name of sorted) canonical += `${name}:${values.get(name)}\n`;
  return { canonical, signed: sorted.join(';') };
}

export function payloadHash(request: HttpRequest, options: Pick<SigV4Options, 'payloadHash'>): string {
  if (options.payloadHash !== undefined) return options.payloadHash;
  const body = request.body;
  if (body === undefined) return EMPTY_SHA256;
  if (typeof body === 'string' || body instanceof Uint8Array) return body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
  throw new SigningError('Cannot sign a streaming request body without its SHA-256: pass payloadHash (or UNSIGNED-PAYLOAD where the service allows it)');
}

export function canonicalRequest(request: HttpRequest, headers: CanonicalHeaders, bodyHash: string, options: SigV4Options): string {
  return `${request.method.toUpperCase()}\n${canonicalPath(request.path, options)}\n${canonicalQuery(request.query)}\n${headers.canonical}\n${headers.signed}\n${bodyHash}`;
}

export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/aws4_request`;
}

export function stringToSign(timestamp: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}

/** Details of one signature, for tests and debugging (never includes the secret). */
export interface SignatureDetails {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

/**
 * Signs in place: sets x-amz-date, x-amz-security-token (temporary credentials),
 * x-amz-content-sha256 (when asked) and authorization, then returns what it computed.
 */
export function signRequest(request: HttpRequest, credentials: CredentialsData, options: SigV4Options): SignatureDetails {
  const headers = request.headers;
  const timestamp = amzDate(options.date ?? new Date());
  const dateStamp = timestamp.slice(0, 8);
  delete headers.authorization;
  headers['x-amz-date'] = timestamp;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const bodyHash = payloadHash(request, options);
  if (options.addContentSha256Header) headers['x-amz-content-sha256'] = bodyHash;
  const canonicalHeaderData = canonicalHeaders(request);
  const canonical = canonicalRequest(request, canonicalHeaderData, bodyHash, options);
  const scope = credentialScope(dateStamp, options.region, options.service);
  const toSign = stringToSign(timestamp, scope, canonical);
  const signature = createHmac('sha256', deriveSigningKey(credentials.secretAccessKey, dateStamp, options.region, options.service)).update(toSign, 'utf8').digest('hex');
  const authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${canonicalHeaderData.signed}, Signature=${signature}`;
  headers.authorization = authorization;
  return { canonicalRequest: canonical, stringToSign: toSign, signature, authorization };
}
