/**
 * SigV4 for a browser-style S3 POST upload, as botocore's S3SigV4PostAuth (and
 * S3ExpressPostAuth) computes it: the policy document gets the signing conditions appended,
 * is serialized as Python's json.dumps writes it, base64-encoded, and that base64 text is the
 * string to sign. The fields returned are the form fields the browser posts.
 */
import type { CredentialsData } from '../credentials/types.js';
import { IniaError } from '../errors.js';
import { ALGORITHM, amzDate, computeSignature, credentialScope, deriveSigningKey } from './sigv4.js';

/** A JSON value a policy condition may hold. */
export type PolicyValue = string | number | boolean | null | readonly PolicyValue[] | { readonly [key: string]: PolicyValue };

/** One policy condition: `{ "acl": "public-read" }` or `["starts-with", "$key", "uploads/"]`. */
export type PolicyCondition = { readonly [key: string]: PolicyValue } | readonly PolicyValue[];

export interface PolicyDocument {
  expiration: string;
  conditions: PolicyCondition[];
}

export interface PostSigningOptions {
  region: string;
  service: string;
  /** Signing time; the policy expires `expiresIn` seconds after it. */
  date: Date;
  expiresIn: number;
  /**
   * The field (and condition) that carries a session token: x-amz-security-token, or
   * X-Amz-S3session-Token for S3 Express session credentials. Default x-amz-security-token.
   */
  tokenField?: string;
}

export interface SignedPost {
  /** The form fields, in the order botocore builds them (the caller's first). */
  fields: Record<string, string>;
  /** The policy document as signed (before base64). */
  policy: PolicyDocument;
}

/** A value that cannot be written into a policy document (a function, a symbol, a Date...). */
export class PolicyEncodingError extends IniaError {}

/** botocore's ISO8601 format, '%Y-%m-%dT%H:%M:%SZ': whole seconds, UTC. */
export function policyExpiration(date: Date, expiresIn: number): string {
  const millis = Math.floor(date.getTime() / 1000) * 1000 + expiresIn * 1000;
  return `${new Date(millis).toISOString().slice(0, 19)}Z`;
}

/**
 * Signs the policy: adds the x-amz-algorithm, x-amz-credential, x-amz-date (and session token)
 * fields and conditions, then `policy` and `x-amz-signature`. `fields` and `conditions` are
 * the caller's (already copied: they are extended in place).
 */
export function signPostPolicy(fields: Record<string, string>, conditions: PolicyCondition[], credentials: CredentialsData, options: PostSigningOptions): SignedPost {
  const timestamp = amzDate(options.date);
  const dateStamp = timestamp.slice(0, 8);
  const credential = `${credentials.accessKeyId}/${credentialScope(dateStamp, options.region, options.service)}`;
  const policy: PolicyDocument = { expiration: policyExpiration(options.date, options.expiresIn), conditions };

  fields['x-amz-algorithm'] = ALGORITHM;
  fields['x-amz-credential'] = credential;
  fields['x-amz-date'] = timestamp;
  conditions.push({ 'x-amz-algorithm': ALGORITHM }, { 'x-amz-credential': credential }, { 'x-amz-date': timestamp });
  if (credentials.sessionToken !== undefined) {
    const name = options.tokenField ?? 'x-amz-security-token';
    fields[name] = credentials.sessionToken;
    conditions.push({ [name]: credentials.sessionToken });
  }
  fields.policy = Buffer.from(pythonJsonDumps(policy as unknown as PolicyValue), 'utf8').toString('base64');
  fields['x-amz-signature'] = computeSignature(deriveSigningKey(credentials.secretAccessKey, dateStamp, options.region, options.service), fields.policy);
  return { fields, policy };
}

// ---------------------------------------------------------------- Python's json.dumps

/**
 * Python's json.dumps with its defaults: ', ' and ': ' separators, keys in insertion order,
 * ensure_ascii (everything past U+007F as \uXXXX, astral characters as surrogate pairs).
 * The policy's bytes are signed, so they must be exactly botocore's for the same input.
 */
export function pythonJsonDumps(value: unknown, path = 'policy'): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return pythonJsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pythonNumber(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      throw new PolicyEncodingError(`Cannot write ${typeof value} at ${path} into a POST policy: expected JSON values`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => pythonJsonDumps(v === undefined ? null : v, `${path}[${i}]`)).join(', ')}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new PolicyEncodingError(`Cannot write a ${(value as object).constructor?.name ?? 'non-plain object'} at ${path} into a POST policy: expected JSON values`);
  }
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    parts.push(`${pythonJsonString(key)}: ${pythonJsonDumps(v, `${path}.${key}`)}`);
  }
  return `{${parts.join(', ')}}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pythonJsonString(text: string): string {
  // Code units, not code points: an astral character comes out as its two surrogates, as Python's.
  return `"${text.replace(/[^ -~]|["\\]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Python's repr of an int or float (a JavaScript number cannot say which: integral values print as ints). */
function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  // Python writes exponents with at least two digits (1e-07), JavaScript with one (1e-7).
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}
