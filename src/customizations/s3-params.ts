/**
 * botocore's S3 before-parameter-build handlers: they rewrite or check the caller's parameters
 * before validation and serialization (on the call's own copy of them, see client.ts).
 *
 * - sse_md5 / copy_source_sse_md5: an SSE-C key (string or bytes) is sent base64, with the
 *   base64 MD5 of the key, unless the caller gave the MD5 (then the key is taken as given).
 * - handle_copy_source_param: CopySource as 'bucket/key[?versionId=v]' or as
 *   { Bucket, Key, VersionId? } becomes the percent-encoded header S3 expects. The dict form
 *   never reaches validation (botocore lets it through the same way: this runs first).
 * - validate_bucket_name: a Bucket that is neither a bucket name nor an access point ARN is
 *   refused before any URL is built ('a/b' would otherwise name another path).
 * - validate_ascii_metadata: Metadata goes in headers, which carry ASCII only.
 * - convert_body_to_file_like_object: see convertBodyToFileLike below.
 *
 * Each regular expression is botocore's, translated where Python and JavaScript differ: Python's
 * `$` also matches before a final '\n', its `.` matches '\r', U+2028 and U+2029 (only '\n' is
 * excluded) and its `\s` is str.isspace(). Error messages quote botocore's Python patterns.
 */
import { isFileHandle } from '../http/body.js';
import { isReadable, nodeCrypto } from '../builtins.js';
import { ParamValidationError } from '../errors.js';
import type { EventArgs } from '../events.js';
import { BODY_IS_FILE_LIKE } from './s3-params-events.js';

type Params = Record<string, unknown>;

// Registered by s3-params-events.ts, which imports this module on an S3 client's first call.



// ---------------------------------------------------------------- SSE-C keys

export function sseMd5(args: EventArgs): void {
  encodeSseCustomerKey(args.params as Params, 'SSECustomer');
}

export function copySourceSseMd5(args: EventArgs): void {
  encodeSseCustomerKey(args.params as Params, 'CopySourceSSECustomer');
}

/**
 * botocore's _sse_md5: only when the key is set and the caller did not give the MD5 (a caller
 * who did has encoded the key already). A string key is its UTF-8 bytes. Other types are left
 * for validation to report (botocore fails on them inside hashlib with a TypeError).
 */
export function encodeSseCustomerKey(params: Params, prefix: 'SSECustomer' | 'CopySourceSSECustomer'): void {
  const keyMember = `${prefix}Key`;
  const md5Member = `${prefix}KeyMD5`;
  const key = params[keyMember];
  if (key === undefined || key === null || params[md5Member] !== undefined) return;
  let bytes: Uint8Array;
  if (typeof key === 'string') bytes = Buffer.from(key, 'utf8');
  else if (key instanceof Uint8Array) bytes = key;
  else return;
  params[keyMember] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  params[md5Member] = nodeCrypto().createHash('md5').update(bytes).digest('base64');
}

// ---------------------------------------------------------------- CopySource

// botocore's VALID_S3_ARN (access point and outposts access point ARNs), Python's pattern text.
const PY_ACCESSPOINT_ARN = '^arn:(aws).*:(s3|s3-object-lambda):[a-z\\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\\-.]{1,63}$';
const PY_OUTPOST_ARN = '^arn:(aws).*:s3-outposts:[a-z\\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\\-]{1,63}$';
const PY_VALID_S3_ARN = `${PY_ACCESSPOINT_ARN}|${PY_OUTPOST_ARN}`;
const PY_VALID_BUCKET = '^[a-zA-Z0-9.\\-_]{1,255}$';

/** The same patterns for JavaScript: `.` as `[^\n]`, `$` as `\n?$`. */
const VALID_S3_ARN = new RegExp(
  PY_VALID_S3_ARN.replace(/\.\*/g, '[^\\n]*').replace(/\$/g, '\\n?$'),
);
const VALID_BUCKET = /^[a-zA-Z0-9.\-_]{1,255}\n?$/;

/** Python's str.isspace() set, which `\s` means in a Python str pattern (JavaScript's differs). */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** botocore's VERSION_ID_SUFFIX, r'\?versionId=[^\s]+$'. */
const VERSION_ID_SUFFIX = new RegExp(`\\?versionId=[^${PY_SPACE}]+\\n?$`);

export function isS3AccessPointArn(value: string): boolean {
  return VALID_S3_ARN.test(value);
}

export function handleCopySourceParam(args: EventArgs): void {
  const params = args.params as Params;
  const source = params.CopySource;
  // Anything else (missing, a number) is for validation to report, as in botocore.
  if (typeof source === 'string') params.CopySource = quoteSourceHeader(source);
  else if (isPlainObject(source)) params.CopySource = quoteSourceHeaderFromDict(source);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * botocore's _quote_source_header: the part before a trailing '?versionId=...' is
 * percent-encoded (UTF-8, every byte but A-Z a-z 0-9 - . _ ~ /), the version id kept as given.
 * So 'src/a+b%c' names the object 'a+b%c', never 'a b' or an escape.
 */
export function quoteSourceHeader(value: string): string {
  const match = VERSION_ID_SUFFIX.exec(value);
  if (match === null) return percentEncode(value);
  return percentEncode(value.slice(0, match.index)) + value.slice(match.index);
}

/** botocore's _quote_source_header_from_dict: an access point ARN bucket is '<arn>/object/<key>'. */
export function quoteSourceHeaderFromDict(source: Record<string, unknown>): string {
  for (const name of ['Bucket', 'Key']) {
    // botocore's KeyError text: Missing required parameter: 'Bucket'.
    if (!(name in source)) throw new ParamValidationError(`Missing required parameter: '${name}'`);
  }
  const bucket = pyStr(source.Bucket);
  const key = pyStr(source.Key);
  const versionId = source.VersionId;
  let final = isS3AccessPointArn(bucket) ? `${bucket}/object/${key}` : `${bucket}/${key}`;
  final = percentEncode(final);
  if (versionId !== undefined && versionId !== null) final += `?versionId=${pyStr(versionId)}`;
  return final;
}

/** What an f-string makes of a value (only strings and numbers are expected here). */
function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  return String(value);
}

const HEX = '0123456789ABCDEF';
/** botocore's percent_encode(value, safe=SAFE_CHARS + '/'): A-Z a-z 0-9 and '-._~/' kept. */
function isSafe(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e || byte === 0x2f;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function percentEncode(value: string): string {
  if (LONE_SURROGATE.test(value)) {
    // Python's str.encode('utf-8') refuses lone surrogates too (UnicodeEncodeError).
    throw new ParamValidationError(`Invalid CopySource: ${JSON.stringify(value)} has a lone surrogate and cannot be encoded as UTF-8`);
  }
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (const byte of bytes) out += isSafe(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  return out;
}

// ---------------------------------------------------------------- Bucket

/** botocore's validate_bucket_name, with its error text. */
export function validateBucketName(args: EventArgs): void {
  const bucket = (args.params as Params).Bucket;
  // botocore's regexes would raise TypeError on a non-string; validation reports the type here.
  if (typeof bucket !== 'string') return;
  if (!VALID_BUCKET.test(bucket) && !VALID_S3_ARN.test(bucket)) {
    throw new ParamValidationError(`Invalid bucket name "${bucket}": Bucket name must match the regex "${PY_VALID_BUCKET}" or be an ARN matching the regex "${PY_VALID_S3_ARN}"`);
  }
}

// ---------------------------------------------------------------- Metadata

/** US-ASCII only: botocore's str.encode('ascii') check. */
const NON_ASCII = /[^\x00-\x7f]/;

/** botocore's validate_ascii_metadata (a non-object Metadata is for validation to report). */
export function validateAsciiMetadata(args: EventArgs): void {
  const metadata = (args.params as Params).Metadata;
  if (!isPlainObject(metadata)) return;
  for (const [key, value] of Object.entries(metadata)) {
    // botocore calls value.encode: a non-string value fails there (AttributeError); validation says so here.
    if (NON_ASCII.test(key) || (typeof value === 'string' && NON_ASCII.test(value))) {
      throw new ParamValidationError(`Non ascii characters found in S3 metadata for key "${key}", value: "${String(value)}".  \nS3 metadata can only contain ASCII characters. `);
    }
  }
}

// ---------------------------------------------------------------- Body


/**
 * botocore's convert_body_to_file_like_object wraps a str (as UTF-8) or bytes Body of PutObject
 * and UploadPart in a BytesIO. What that changes on the wire is that the body is then a file:
 * add_expect_header sends `Expect: 100-continue` for it, as for any file, so S3 can refuse an
 * upload (a redirect, a denied key) before the bytes go out. The JavaScript equivalent keeps
 * the body as bytes (a Node stream could not be resent on retry or redirect, and would lose its
 * Content-Length): a string becomes its UTF-8 bytes and the call is marked, for add_expect_header,
 * as having a file-like body.
 */
export function convertBodyToFileLike(args: EventArgs): void {
  const params = args.params as Params;
  const body = params.Body;
  if (typeof body === 'string') params.Body = Buffer.from(body, 'utf8');
  // A stream or file is file-like already; it is marked too, because inia may read an unsized
  // stream into bytes before sending it (signed payloads over plain http), and must still expect.
  else if (!(body instanceof Uint8Array) && !isReadable(body) && !isFileHandle(body)) return;
  (args.context as Record<string, unknown>)[BODY_IS_FILE_LIKE] = true;
}
