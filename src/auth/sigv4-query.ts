/**
 * SigV4 in the query string (a presigned URL), as botocore's SigV4QueryAuth and
 * S3SigV4QueryAuth (and S3ExpressQueryAuth) compute it. The canonical request, string to sign
 * and signing key are sigv4.ts's; what differs from header signing is only which parameters
 * travel in the URL and what the payload hash is:
 *
 * - the operation's own query parameters (and, for services whose body carries the input,
 *   the body's top-level members) come first, then X-Amz-Algorithm, X-Amz-Credential,
 *   X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and the session token, then X-Amz-Signature;
 * - no header is added: every header the request already has (but the hop-by-hop ones and the
 *   form content type botocore sets by itself) is signed and must be sent by whoever uses the
 *   URL. Nothing is hoisted from the headers into the query (that is SigV2's HmacV1QueryAuth,
 *   which inia does not implement);
 * - S3 signs UNSIGNED-PAYLOAD and the path as given; other services sign the SHA-256 of the
 *   (now empty) body and the normalized, doubly encoded path.
 */
import type { CredentialsData } from '../credentials/types.js';
import type { HttpRequest } from '../http/types.js';
import {
  ALGORITHM,
  EMPTY_SHA256,
  UNSIGNED_PAYLOAD,
  amzDate,
  canonicalHeaders,
  canonicalRequest,
  computeSignature,
  credentialScope,
  deriveSigningKey,
  stringToSign,
  uriEncode,
} from './sigv4.js';

/** botocore's auto-set form content type: meaningless in a URL, so it is neither kept nor signed. */
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

/** One query parameter's value; a list becomes one `key=value` pair per element (percent_encode_sequence). */
export type QueryValue = string | readonly string[];

export interface QuerySigningOptions {
  region: string;
  service: string;
  /** Seconds the URL stays valid (X-Amz-Expires). */
  expiresIn: number;
  /** Signing time. */
  date: Date;
  /** S3 flavour: UNSIGNED-PAYLOAD, and the path signed as given. */
  s3: boolean;
  /**
   * The query parameter that carries a session token: X-Amz-Security-Token, or
   * X-Amz-S3session-Token for S3 Express session credentials. Default X-Amz-Security-Token.
   */
  tokenParameter?: string;
  /**
   * Parameters moved from the body into the query (botocore moves a query or JSON body's
   * top-level members there), merged over the URL's own as a Python dict update does.
   */
  bodyParams?: ReadonlyMap<string, QueryValue>;
}

/** What a presigned URL was computed from: for tests and debug logs (never holds the secret). */
export interface QuerySignatureDetails {
  url: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

// Python's unquote_plus: '+' is a space, %XX runs are UTF-8 (bad bytes become U+FFFD).
const utf8 = new TextDecoder('utf-8');

function unquotePlus(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return spaced;
  return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return utf8.decode(bytes);
  });
}

/**
 * The URL's query as botocore re-reads it before adding the auth parameters:
 * `{k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}`, so a repeated key
 * keeps its first value at its first position, and a bare `uploads` becomes `uploads=`.
 */
export function parseQueryToDict(query: string): Map<string, QueryValue> {
  const out = new Map<string, QueryValue>();
  if (!query) return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = unquotePlus(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : unquotePlus(part.slice(eq + 1));
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

/** botocore's percent_encode_sequence: keys and values quoted with only '-._~' safe, lists expanded. */
export function percentEncodeSequence(pairs: Iterable<readonly [string, QueryValue]>): string {
  const out: string[] = [];
  for (const [key, value] of pairs) {
    const k = uriEncode(key, false);
    if (typeof value === 'string') out.push(`${k}=${uriEncode(value, false)}`);
    else for (const element of value) out.push(`${k}=${uriEncode(element, false)}`);
  }
  return out.join('&');
}

/** scheme://host[:port] as urlsplit keeps it: the port only when the URL had one that is not the scheme's default. */
function origin(request: Pick<HttpRequest, 'protocol' | 'hostname' | 'port'>): string {
  const host = request.hostname.includes(':') && !request.hostname.startsWith('[') ? `[${request.hostname}]` : request.hostname;
  const defaultPort = request.protocol === 'https:' ? 443 : 80;
  const port = request.port === undefined || request.port === defaultPort ? '' : `:${request.port}`;
  return `${request.protocol}//${host}${port}`;
}

/**
 * Presigns `request` and returns the URL. The request's body must already be accounted for
 * (moved into bodyParams, or empty); its headers are signed as they are, less the form
 * content type, which is removed from `request.headers`.
 */
export function presignRequest(request: HttpRequest, credentials: CredentialsData, options: QuerySigningOptions): QuerySignatureDetails {
  if (request.headers['content-type'] === FORM_CONTENT_TYPE) delete request.headers['content-type'];
  const timestamp = amzDate(options.date);
  const dateStamp = timestamp.slice(0, 8);
  const scope = credentialScope(dateStamp, options.region, options.service);
  const signedHeaders = canonicalHeaders(request);

  const auth: Array<[string, string]> = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', timestamp],
    ['X-Amz-Expires', String(options.expiresIn)],
    ['X-Amz-SignedHeaders', signedHeaders.signed],
  ];
  // botocore tests `token is not None`: an empty token is still sent.
  if (credentials.sessionToken !== undefined) {
    auth.push([options.tokenParameter ?? 'X-Amz-Security-Token', credentials.sessionToken]);
  }

  const operationParams = parseQueryToDict(request.query);
  if (options.bodyParams !== undefined) for (const [key, value] of options.bodyParams) operationParams.set(key, value);
  const operationPart = operationParams.size > 0 ? `${percentEncodeSequence(operationParams)}&` : '';
  const query = `${operationPart}${percentEncodeSequence(auth)}`;

  // The body was moved into the query: a non-S3 signature hashes what is left, nothing.
  const payloadHash = options.s3 ? UNSIGNED_PAYLOAD : EMPTY_SHA256;
  const canonical = canonicalRequest(
    { method: request.method, path: request.path, query },
    signedHeaders,
    payloadHash,
    options.s3 ? { uriEscapePath: false, normalizePath: false } : {},
  );
  const toSign = stringToSign(timestamp, scope, canonical);
  const signature = computeSignature(deriveSigningKey(credentials.secretAccessKey, dateStamp, options.region, options.service), toSign);
  request.query = `${query}&X-Amz-Signature=${signature}`;
  request.body = undefined;
  return { url: `${origin(request)}${request.path}?${request.query}`, canonicalRequest: canonical, stringToSign: toSign, signature };
}
