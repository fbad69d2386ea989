/**
 * Scalar conversions shared by every protocol: timestamps, blobs, floats.
 * Inputs accept what botocore accepts (Date, ISO string, epoch number; string or bytes).
 */
import { IniaError } from '../errors.js';
import type { Protocol } from './types.js';

export type TimestampFormat = 'iso8601' | 'unixtimestamp' | 'rfc822';

/** An input value that cannot be turned into what its shape needs. */
export class SerializationError extends IniaError {}

/** Accepts a Date, an ISO 8601 / RFC 822 string, or epoch seconds, as botocore's parse_to_aware_datetime. */
export function toDate(value: unknown, where: string): Date {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string') date = parseTimestampString(value);
  else throw new SerializationError(`Invalid timestamp for ${where}: expected a Date, string or number, got ${typeof value}`);
  if (Number.isNaN(date.getTime())) throw new SerializationError(`Invalid timestamp for ${where}: ${String(value)}`);
  return date;
}

/** Two decimal digits at i, or a negative number when either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 0x30;
  const b = s.charCodeAt(i + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff...]Z`, the form AWS responses use, read without Date's general
 * string parser (half the cost of each timestamp in a 1000-key listing went there). Returns
 * undefined for any other form and for dates that do not exist (Feb 30): the general parser
 * decides those. Fractions keep milliseconds, truncated, as Date's parser does.
 */
function parseIsoUtc(s: string): Date | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 0x5a /* Z */) return undefined;
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(10) !== 0x54 || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return undefined;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  let ms = 0;
  if (n > 20) {
    // ".f", ".ff", ".fff" or longer; digits beyond milliseconds are checked, then dropped.
    if (s.charCodeAt(19) !== 0x2e /* . */ || n === 21) return undefined;
    let scale = 100;
    for (let i = 20; i < n - 1; i++) {
      const d = s.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return undefined;
      ms += d * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  } else if (n !== 20) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

function parseTimestampString(value: string): Date {
  const fast = parseIsoUtc(value);
  if (fast !== undefined) return fast;
  const trimmed = value.trim();
  // botocore tries a number first: "1398796238" and "1398796238.123" are epoch seconds.
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return new Date(Number(trimmed) * 1000);
  return new Date(trimmed);
}

/**
 * botocore's timestamp_precision 'millisecond' (chosen by a creating-serializer handler):
 * on only while a serializer made with it runs (serialize is synchronous, so nothing else
 * can observe it), so protocols need not carry the choice through every function.
 */
let millisecondPrecision = false;

/** Runs `serialize` with botocore's millisecond timestamp precision. */
export function withMillisecondTimestamps<T>(serialize: () => T): T {
  const before = millisecondPrecision;
  millisecondPrecision = true;
  try {
    return serialize();
  } finally {
    millisecondPrecision = before;
  }
}

export function formatTimestamp(date: Date, format: TimestampFormat): string | number {
  if (millisecondPrecision && format !== 'rfc822') {
    // Smithy's precision: epoch seconds with a millisecond fraction, ISO 8601 always with '.sss'.
    return format === 'unixtimestamp' ? date.getTime() / 1000 : date.toISOString();
  }
  switch (format) {
    case 'unixtimestamp':
      // botocore's default precision sends whole seconds.
      return Math.floor(date.getTime() / 1000);
    case 'rfc822':
      return date.toUTCString();
    case 'iso8601': {
      // botocore: second precision, microseconds only when present ("%Y-%m-%dT%H:%M:%S.%fZ").
      const iso = date.toISOString();
      const ms = date.getUTCMilliseconds();
      return ms === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${String(ms * 1000).padStart(6, '0')}Z`;
    }
  }
}

/** A timestamp from a response: epoch seconds (number or numeric string), ISO 8601 or RFC 822. */
export function parseTimestamp(value: unknown): Date {
  if (typeof value === 'number') return new Date(Math.round(value * 1000));
  if (typeof value === 'string') {
    const date = parseTimestampString(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new IniaError(`Invalid timestamp value in response: ${JSON.stringify(value)}`);
}

const encoder = new TextEncoder();

/** Blob input: string (UTF-8) or bytes. */
export function toBytes(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new SerializationError(`Invalid blob for ${where}: expected a string or Uint8Array, got ${typeof value}`);
}

export function toBase64(value: unknown, where: string): string {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  const bytes = toBytes(value, where);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new IniaError(`Invalid base64 blob in response: expected a string, got ${typeof value}`);
  return Buffer.from(value, 'base64');
}

/** JSON has no Infinity/NaN: AWS sends them as strings, both ways. */
export function serializeFloat(value: number): number | string {
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Number.isNaN(value)) return 'NaN';
  return value;
}

export function parseFloatValue(value: unknown): unknown {
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (value === 'NaN') return NaN;
  return value;
}

/** The same protocol, serializing timestamps with millisecond precision (botocore's timestamp_precision; only services that ask pay for it). */
export function withMillisecondProtocol(protocol: Protocol): Protocol {
  return {
    name: protocol.name,
    serialize: (params, operation) => withMillisecondTimestamps(() => protocol.serialize(params, operation)),
    parse: (response, operation) => protocol.parse(response, operation),
    parseError: (response, operation) => protocol.parseError(response, operation),
  };
}

/**
 * Python's repr() of a float, which botocore uses for float/double members in URIs, query
 * strings, headers and XML: '1.0' not '1', '1e-05' not '1e-5', '1e+16' not '10000000000000000'.
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() with no argument gives the shortest digits that round-trip, as repr does.
  const [mantissa, expText] = value.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp >= 0) {
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    return `${sign}${int}.${digits.slice(exp + 1) || '0'}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** The characters urlencode's quote_plus leaves as they are. */
const UNRESERVED = /^[A-Za-z0-9_.~-]*$/;

/**
 * Encodes a key or value the way botocore's wire body is encoded (`urllib.parse.urlencode`,
 * i.e. quote_plus): only letters, digits and `_.-~` stay as they are, a space becomes '+', and
 * everything else is percent-encoded UTF-8 (`*`, `!`, `'`, `(`, `)` included, which
 * encodeURIComponent would leave alone).
 */
export function formEncode(value: string): string {
  if (UNRESERVED.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new SerializationError(`Invalid string for a query parameter (unpaired surrogate): ${JSON.stringify(value)}`);
  }
  return encoded.replace(/%20|[!'()*]/g, (c) => (c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}
