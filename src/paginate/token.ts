/**
 * Pagination tokens in botocore's wire format (its TokenEncoder / TokenDecoder): base64 of
 * the JSON of a dictionary { <input token>: value, ..., boto_truncate_amount? }. Bytes
 * values are base64-encoded in place and their paths listed under `boto_encoded_keys`.
 * The JSON is written exactly as Python's json.dumps writes it (", " and ": " separators,
 * non-ASCII escaped), so a NextToken from inia is byte-for-byte the one boto3 would hand
 * out for the same state, and either SDK resumes the other's tokens.
 */
import { PaginationError } from '../errors.js';

export type TokenDict = Record<string, unknown>;

/** The key botocore stores the paths of base64-encoded bytes values under. */
const ENCODED_KEYS = 'boto_encoded_keys';

/** botocore's TokenEncoder.encode: an opaque string for a token dictionary. */
export function encodeToken(token: TokenDict): string {
  let json: string;
  if (!containsBytes(token)) {
    json = pythonJsonDumps(token);
  } else {
    // As botocore: bytes become base64 strings and their paths are recorded, last key of the dict.
    const paths: Array<Array<string | number>> = [];
    const encoded = encodeBytes(token, [], paths) as TokenDict;
    encoded[ENCODED_KEYS] = paths;
    json = pythonJsonDumps(encoded);
  }
  return Buffer.from(json, 'utf8').toString('base64');
}

/**
 * botocore's TokenDecoder.decode. Throws TokenDecodeError when the string is not a token of
 * this format (the caller then falls back to botocore's legacy '___' format, as botocore does).
 */
export function decodeToken(token: string): TokenDict {
  let decoded: unknown;
  try {
    const bytes = pythonB64Decode(token);
    const json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    decoded = JSON.parse(json);
  } catch (e) {
    throw new TokenDecodeError(e instanceof Error ? e.message : String(e));
  }
  if (!isPlainObject(decoded)) throw new TokenDecodeError('not a JSON object');
  const paths = decoded[ENCODED_KEYS];
  delete decoded[ENCODED_KEYS];
  if (paths === undefined || paths === null) return decoded;
  if (!Array.isArray(paths)) throw new TokenDecodeError(`${ENCODED_KEYS} is not a list`);
  for (const path of paths) {
    if (!Array.isArray(path) || path.length === 0) throw new TokenDecodeError(`bad ${ENCODED_KEYS} path: ${JSON.stringify(path)}`);
    const container = pathGet(decoded, path.slice(0, -1));
    const last = path[path.length - 1] as string | number;
    const value = (container as Record<string | number, unknown>)[last];
    if (typeof value !== 'string') throw new TokenDecodeError(`no base64 string at ${JSON.stringify(path)}`);
    (container as Record<string | number, unknown>)[last] = pythonB64Decode(value);
  }
  return decoded;
}

/** The string is not a botocore token (not base64, not UTF-8, not a JSON object, bad paths). */
export class TokenDecodeError extends Error {}

function pathGet(data: unknown, path: readonly unknown[]): unknown {
  let d = data;
  for (const step of path) {
    if (d === null || typeof d !== 'object' || (typeof step !== 'string' && typeof step !== 'number')) {
      throw new TokenDecodeError(`bad ${ENCODED_KEYS} path: ${JSON.stringify(path)}`);
    }
    d = (d as Record<string | number, unknown>)[step];
  }
  if (d === null || typeof d !== 'object') throw new TokenDecodeError(`bad ${ENCODED_KEYS} path: ${JSON.stringify(path)}`);
  return d;
}

function containsBytes(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return value.some(containsBytes);
  if (isPlainObject(value)) return Object.values(value).some(containsBytes);
  return false;
}

function encodeBytes(value: unknown, path: Array<string | number>, paths: Array<Array<string | number>>): unknown {
  if (value instanceof Uint8Array) {
    paths.push(path);
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeBytes(v, [...path, i], paths));
  if (isPlainObject(value)) {
    const out: TokenDict = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeBytes(v, [...path, k], paths);
    return out;
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// ---------------------------------------------------------------- Python's json.dumps

/** json.dumps(value) with Python's defaults (ensure_ascii, ', ' / ': ' separators, allow_nan). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'bigint') return value.toString();
  // botocore cannot encode a datetime at all (json.dumps raises); its ISO form is the useful choice.
  if (value instanceof Date) return pythonJsonString(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (isPlainObject(value)) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      parts.push(`${pythonJsonString(k)}: ${pythonJsonDumps(v)}`);
    }
    return `{${parts.join(', ')}}`;
  }
  throw new PaginationError(`Cannot encode a ${Object.prototype.toString.call(value)} in a pagination token`);
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pythonJsonString(s: string): string {
  let out = '"';
  // UTF-16 code units: a character outside the BMP becomes its surrogate pair, as Python writes it.
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** An integer as Python's int prints; any other number as Python's float repr. */
function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Number.isInteger(n)) return BigInt(n).toString();
  // Both languages print the shortest round-tripping digits; Python switches to exponent
  // notation below 1e-4 (JavaScript only below 1e-6) and writes at least two exponent digits.
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4) return `${mantissa}e-${String(-e).padStart(2, '0')}`;
  return String(n);
}

// ---------------------------------------------------------------- Python's base64.b64decode

const B64_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/**
 * base64.b64decode(s) as CPython does it (binascii.a2b_base64, non-strict): characters outside
 * the alphabet are skipped, enough '=' ends the data, and a dangling group is an error. Node's
 * decoder accepts everything, but which strings fail decides whether a StartingToken is read as a
 * botocore token or passed through as a raw service token.
 */
export function pythonB64Decode(s: string): Uint8Array {
  const out: number[] = [];
  let quadPos = 0;
  let left = 0;
  let pads = 0;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) throw new Error('string argument should contain only ASCII characters');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d /* = */) {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return Uint8Array.from(out);
      continue;
    }
    const v = B64_TABLE[c]!;
    if (v < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0: quadPos = 1; left = v; break;
      case 1: quadPos = 2; out.push(((left << 2) | (v >> 4)) & 0xff); left = v & 0x0f; break;
      case 2: quadPos = 3; out.push(((left << 4) | (v >> 2)) & 0xff); left = v & 0x03; break;
      default: quadPos = 0; out.push(((left << 6) | v) & 0xff); left = 0; break;
    }
  }
  if (quadPos === 1) throw new Error('Invalid base64-encoded string: number of data characters cannot be 1 more than a multiple of 4');
  if (quadPos !== 0) throw new Error('Incorrect padding');
  return Uint8Array.from(out);
}
