/**
 * AWS Signature Version 4, header form, computed as botocore's SigV4Auth (and, with the
 * S3 options, S3SigV4Auth) computes it. The building blocks (canonical request, string to
 * sign, signing key) are exported so that query-string presigning can reuse them.
 *
 * This runs on every request, so it never parses a URL (the request arrives already split),
 * skips re-encoding when a string is already canonical, and derives the signing key once per
 * (secret, day, region, service) rather than once per call.
 */
import { nodeCrypto as loadCrypto } from '../builtins.js';
import { SigningError } from '../errors.js';
import { removeDotSegments } from '../http/paths.js';
import { hasComputedContentLength } from '../http/request.js';
import type { CredentialsData } from '../credentials/types.js';
import type { HttpRequest } from '../http/types.js';

// node:crypto through require (builtins.ts), not an ES import whose facade reads WebCrypto's exports too;
// this module is the request path's, loaded by the first call.
const { createHash, createHmac } = loadCrypto();

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** S3 uploads whose checksum travels in an aws-chunked trailer. */
export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const CONTENT_SHA256 = 'x-amz-content-sha256';

/**
 * botocore's SIGNED_HEADERS_BLACKLIST: hop-by-hop headers and ones that proxies or the HTTP
 * stack may rewrite in flight, so signing them would break the signature. `authorization` is
 * here because botocore removes it before signing (a retry carries the previous one).
 */
export const UNSIGNED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'connection',
  'expect',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

export interface SigV4Options {
  region: string;
  service: string;
  /** Signing time; default now. */
  date?: Date;
  /**
   * Percent-encode the (already percent-encoded) path once more, as botocore does for every
   * service but S3: a path label `a:b` travels as `a%3Ab` and is signed as `a%253Ab`.
   * Default true; S3 passes false.
   */
  uriEscapePath?: boolean;
  /** Remove '.' and '..' segments and collapse '//'. Default true; S3 passes false. */
  normalizePath?: boolean;
  /**
   * Hex SHA-256 of the body, UNSIGNED_PAYLOAD or STREAMING_UNSIGNED_PAYLOAD_TRAILER.
   * Default: an `x-amz-content-sha256` header already on the request (non-S3, e.g. Glacier's),
   * else the SHA-256 of a string or byte body (none = empty). A stream body needs this option.
   */
  payloadHash?: string;
  /** S3 (S3SigV4Auth): always send the payload hash as x-amz-content-sha256. */
  addContentSha256Header?: boolean;
}

// SigningError lives in errors.ts (the package exports it without loading the signer).
export { SigningError };

/**
 * crypto.hash (node >= 20.12) hashes in one call without building a Hash object: a third of
 * createHash's cost, and every request hashes its payload and its canonical request.
 */
const oneShotHash = (loadCrypto() as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex' | 'buffer') => string }).hash;

export function sha256Hex(data: string | Uint8Array): string {
  if (oneShotHash !== undefined) return oneShotHash('sha256', data, 'hex');
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Enough for every (day, region, service) a process signs for; bounded so rotating keys cannot leak memory. */
export const SIGNING_KEY_CACHE_SIZE = 64;
const keyCache = new Map<string, Buffer>();

// The key of the last signature: nearly every call signs for the same secret, day, region and
// service, and comparing four strings is cheaper than building and hashing the cache key.
let last: { secret: string; dateStamp: string; region: string; service: string; key: Buffer } | undefined;

/** kSigning = HMAC chain over the day, region and service. The result is cached: do not mutate it. */
export function deriveSigningKey(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
  if (last !== undefined && last.secret === secretAccessKey && last.dateStamp === dateStamp && last.region === region && last.service === service) return last.key;
  // '\n' cannot occur in a date stamp, region or service name, so the key is unambiguous.
  const cacheKey = `${dateStamp}\n${region}\n${service}\n${secretAccessKey}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, dateStamp), region), service), 'aws4_request');
    if (keyCache.size >= SIGNING_KEY_CACHE_SIZE) {
      // Maps iterate in insertion order, so the first key is the oldest.
      const oldest = keyCache.keys().next();
      if (!oldest.done) keyCache.delete(oldest.value);
    }
    keyCache.set(cacheKey, key);
  }
  last = { secret: secretAccessKey, dateStamp, region, service, key };
  return key;
}

/**
 * HMAC-SHA256 (RFC 2104) of a string under a 32-byte key, from two one-shot hashes over the
 * key's inner and outer pads (computed once per key and cached with it). Why not createHmac:
 * on the request path its setup (an OpenSSL MAC context per call) cost about 8 us per
 * request, several times the two hashes; the test suite checks both agree on random input.
 * The pads are cached by key object: a key must not be changed in place once used.
 */
interface HmacPads {
  readonly inner: Buffer;
  readonly outer: Buffer;
}

const padCache = new WeakMap<Uint8Array, HmacPads>();

function padsFor(key: Uint8Array): HmacPads {
  let pads = padCache.get(key);
  if (pads === undefined) {
    const inner = Buffer.alloc(64, 0x36);
    const outer = Buffer.alloc(64, 0x5c);
    for (let i = 0; i < key.length; i++) {
      inner[i]! ^= key[i]!;
      outer[i]! ^= key[i]!;
    }
    pads = { inner, outer };
    padCache.set(key, pads);
  }
  return pads;
}

export function hmacSha256Hex(key: Uint8Array, message: string): string {
  if (oneShotHash === undefined || key.length > 64) return createHmac('sha256', key).update(message, 'utf8').digest('hex');
  const pads = padsFor(key);
  const length = Buffer.byteLength(message, 'utf8');
  const inner = Buffer.allocUnsafe(64 + length);
  pads.inner.copy(inner, 0);
  inner.write(message, 64, 'utf8');
  const outer = Buffer.allocUnsafe(96);
  pads.outer.copy(outer, 0);
  (oneShotHash('sha256', inner, 'buffer') as unknown as Buffer).copy(outer, 64);
  return oneShotHash('sha256', outer, 'hex');
}

/** Hex HMAC-SHA256 of the string to sign under a derived signing key. */
export function computeSignature(signingKey: Uint8Array, toSign: string): string {
  return hmacSha256Hex(signingKey, toSign);
}

function checkedIso(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new SigningError('Cannot sign a request with an invalid date');
  return date.toISOString();
}

// The last second formatted: calls within one second (most of them, under load) reuse it.
let lastSecond = Number.NaN;
let lastAmzDate = '';

/** SigV4 timestamp, 20150830T123600Z (seconds precision, UTC). */
export function amzDate(date: Date): string {
  return amzDateAt(date.getTime());
}

function amzDateAt(millis: number): string {
  const second = Math.floor(millis / 1000);
  if (second === lastSecond) return lastAmzDate;
  const iso = checkedIso(new Date(millis)); // 2015-08-30T12:36:00.000Z
  lastAmzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  lastSecond = second;
  return lastAmzDate;
}

/** The RFC 2822 form Python's email.utils.formatdate writes: 'Sun, 30 Aug 2015 12:36:00 -0000'. */
function httpDate(date: Date): string {
  checkedIso(date);
  return date.toUTCString().replace('GMT', '-0000');
}

// One entry per byte: the character itself when RFC 3986 leaves it unreserved, else %XX (uppercase).
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e
    ? String.fromCharCode(b)
    : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
);
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_OR_SLASH = /^[A-Za-z0-9\-._~/]*$/;

/**
 * Percent-encodes the UTF-8 bytes of everything but RFC 3986 unreserved characters (and '/'
 * when keepSlash), as Python's quote(value, safe='/~') does. A '%' is encoded too: that is the
 * double encoding botocore applies to paths.
 */
export function uriEncode(value: string, keepSlash: boolean): string {
  if ((keepSlash ? UNRESERVED_OR_SLASH : UNRESERVED_ONLY).test(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += keepSlash && b === 0x2f ? '/' : ENCODED_BYTE[b]!;
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * The canonical form of one already-encoded query key or value: what the service computes
 * after decoding it. Escapes of unreserved characters are decoded, other escapes get uppercase
 * hex, and anything left raw ('*', '+', a stray '%', non-ASCII) is encoded. botocore's encoder
 * never produces such input, so for its requests this is the identity.
 */
function canonicalComponent(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  let out = '';
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c === 0x25 && i + 2 < n) {
      const hi = hexValue(value.charCodeAt(i + 1));
      const lo = hexValue(value.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out += ENCODED_BYTE[hi * 16 + lo]!;
        i += 3;
        continue;
      }
    }
    if (c < 0x80) {
      out += ENCODED_BYTE[c]!;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && value.charCodeAt(j) >= 0x80) j++;
    const bytes = Buffer.from(value.slice(i, j), 'utf8');
    for (let k = 0; k < bytes.length; k++) out += ENCODED_BYTE[bytes[k]!]!;
    i = j;
  }
  return out;
}

export { removeDotSegments };

const NEEDS_NORMALIZING = /\/\/|\/\.\.?(?:\/|$)/;

export function canonicalPath(path: string, options: Pick<SigV4Options, 'uriEscapePath' | 'normalizePath'> = {}): string {
  if (path === '/' || path === '') return '/';
  let p = path;
  if (options.normalizePath !== false && (p.charCodeAt(0) !== 0x2f || NEEDS_NORMALIZING.test(p))) p = removeDotSegments(p);
  if (options.uriEscapePath !== false) p = uriEncode(p, true);
  return p;
}

function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * Pairs from the encoded query, each side in canonical encoding, sorted by key then value;
 * a pair without '=' gets an empty value (botocore: key, _, value = pair.partition('=')).
 */
export function canonicalQuery(query: string): string {
  if (!query) return '';
  const parts = query.split('&');
  const pairs = new Array<[string, string]>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    pairs[i] = eq < 0 ? [canonicalComponent(part), ''] : [canonicalComponent(part.slice(0, eq)), canonicalComponent(part.slice(eq + 1))];
  }
  if (pairs.length > 1) pairs.sort(comparePairs);
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    out += i === 0 ? `${pair[0]}=${pair[1]}` : `&${pair[0]}=${pair[1]}`;
  }
  return out;
}

/** The Host value the transport will send: lowercase, IPv6 in brackets, port only when not the scheme's default. */
export function hostHeader(request: Pick<HttpRequest, 'protocol' | 'hostname' | 'port'>): string {
  let host = request.hostname.toLowerCase();
  if (host.includes(':') && host.charCodeAt(0) !== 0x5b) host = `[${host}]`;
  const defaultPort = request.protocol === 'https:' ? 443 : 80;
  return request.port === undefined || request.port === defaultPort ? host : `${host}:${request.port}`;
}

// Python's str.split() whitespace, which botocore's header trimming uses (it differs from
// JavaScript's \s: U+001C..U+001F and U+0085 are in, U+FEFF is out).
const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'g');
const NEEDS_TRIMMING = new RegExp(`^ | $|  |[${PY_WHITESPACE.replace(' ', '')}]`);

/** botocore's ' '.join(value.split()): trimmed, every whitespace run folded to one space. */
export function trimHeaderValue(value: string): string {
  if (!NEEDS_TRIMMING.test(value)) return value;
  let out = value.replace(WHITESPACE_RUN, ' ');
  if (out.charCodeAt(0) === 0x20) out = out.slice(1);
  if (out.charCodeAt(out.length - 1) === 0x20) out = out.slice(0, -1);
  return out;
}

export interface CanonicalHeaders {
  /** `name:value\n` per signed header, sorted by name. */
  canonical: string;
  /** Signed header names joined with ';'. */
  signed: string;
}

/**
 * Every header but UNSIGNED_HEADERS, plus host derived from the request when the headers do
 * not carry one (the transport sets the same value on the wire). Names must be lowercase,
 * as HttpRequest promises.
 */
export function canonicalHeaders(request: Pick<HttpRequest, 'protocol' | 'hostname' | 'port' | 'headers'>): CanonicalHeaders {
  const headers = request.headers;
  const names: string[] = [];
  // A Content-Length inia computed is not signed: botocore adds it after signing.
  const computedLength = hasComputedContentLength(request);
  for (const name of Object.keys(headers)) if (!UNSIGNED_HEADERS.has(name) && !(computedLength && name === 'content-length')) names.push(name);
  const derivedHost = headers.host === undefined ? hostHeader(request) : undefined;
  if (derivedHost !== undefined) names.push('host');
  names.sort();
  let canonical = '';
  for (const name of names) {
    const value = name === 'host' && derivedHost !== undefined ? derivedHost : trimHeaderValue(headers[name]!);
    canonical += `${name}:${value}\n`;
  }
  return { canonical, signed: names.join(';') };
}

function isBuffered(body: HttpRequest['body']): body is string | Uint8Array | undefined {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * The payload hash signRequest will use: options.payloadHash; else (without
 * addContentSha256Header) an x-amz-content-sha256 header a customization already set, as
 * botocore's canonical_request prefers it; else the SHA-256 of the buffered body.
 */
export function resolvePayloadHash(request: Pick<HttpRequest, 'headers' | 'body'>, options: Pick<SigV4Options, 'payloadHash' | 'addContentSha256Header'>): string {
  if (options.payloadHash !== undefined) return options.payloadHash;
  if (!options.addContentSha256Header) {
    const preset = request.headers[CONTENT_SHA256];
    if (preset !== undefined) return preset;
  }
  const body = request.body;
  if (!isBuffered(body)) {
    throw new SigningError(
      'Cannot sign a request whose body is a stream without its SHA-256: pass payloadHash (the hex SHA-256, or UNSIGNED-PAYLOAD where the service allows it), or buffer the body',
    );
  }
  return body === undefined || body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
}

export function canonicalRequest(
  request: Pick<HttpRequest, 'method' | 'path' | 'query'>,
  headers: CanonicalHeaders,
  payloadHash: string,
  options: Pick<SigV4Options, 'uriEscapePath' | 'normalizePath'> = {},
): string {
  return `${request.method.toUpperCase()}\n${canonicalPath(request.path, options)}\n${canonicalQuery(request.query)}\n${headers.canonical}\n${headers.signed}\n${payloadHash}`;
}

let lastScope = { dateStamp: '', region: '', service: '', scope: '' };

export function credentialScope(dateStamp: string, region: string, service: string): string {
  // The same scope nearly every call: compared, not rebuilt.
  const l = lastScope;
  if (l.dateStamp === dateStamp && l.region === region && l.service === service) return l.scope;
  const scope = `${dateStamp}/${region}/${service}/aws4_request`;
  lastScope = { dateStamp, region, service, scope };
  return scope;
}

export function stringToSign(timestamp: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;
}

/** What one signature was computed from: for tests and debug logs (never holds the secret). */
export interface SignatureDetails {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

/**
 * Signs in place, as botocore's SigV4Auth.add_auth: removes a previous authorization (a
 * retry), sets x-amz-date (or, when the request carries a `date` header, rewrites that and
 * drops x-amz-date), x-amz-security-token for temporary credentials, x-amz-content-sha256
 * when asked or when the payload is UNSIGNED-PAYLOAD, then authorization. Host is signed but
 * not added to the headers. Returns what it computed.
 */
export function signRequest(request: HttpRequest, credentials: CredentialsData, options: SigV4Options): SignatureDetails {
  const headers = request.headers;
  const millis = options.date === undefined ? Date.now() : options.date.getTime();
  const timestamp = amzDateAt(millis);
  const dateStamp = timestamp.slice(0, 8);

  if (headers.authorization !== undefined) delete headers.authorization;
  if (headers.date !== undefined) {
    headers.date = httpDate(new Date(millis));
    if (headers['x-amz-date'] !== undefined) delete headers['x-amz-date'];
  } else {
    headers['x-amz-date'] = timestamp;
  }
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;

  const bodyHash = resolvePayloadHash(request, options);
  // The service hashes the body itself unless this header says otherwise, so an unsigned
  // payload must announce itself (botocore does so when payload signing is disabled); and a
  // header already present must agree with what is signed.
  if (options.addContentSha256Header || bodyHash === UNSIGNED_PAYLOAD || headers[CONTENT_SHA256] !== undefined) {
    headers[CONTENT_SHA256] = bodyHash;
  }

  const signedHeaders = canonicalHeaders(request);
  const canonical = canonicalRequest(request, signedHeaders, bodyHash, options);
  const scope = credentialScope(dateStamp, options.region, options.service);
  const toSign = stringToSign(timestamp, scope, canonical);
  const signature = computeSignature(deriveSigningKey(credentials.secretAccessKey, dateStamp, options.region, options.service), toSign);
  const authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.signed}, Signature=${signature}`;
  headers.authorization = authorization;
  return { canonicalRequest: canonical, stringToSign: toSign, signature, authorization };
}
