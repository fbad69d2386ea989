/**
 * The small pieces of Python semantics botocore's paginator leans on: JMESPath search and
 * dotted-path assignment (botocore.utils.set_value_from_jmespath), merge_dicts, truthiness,
 * ==, len() and slicing. Kept apart so paginate.ts reads as botocore's algorithm.
 */
import { PaginationError } from '../errors.js';
import { jmespath } from '../vendor.js';
import { isPlainObject } from './token.js';

/** A JMESPath expression checked once (bad syntax fails when the paginator is made, as botocore's compile). */
export class Expression {
  constructor(readonly expression: string, where: string) {
    // Loaded outside the try: a library that fails to load is not a bad expression.
    const library = jmespath();
    try {
      library.compile(expression);
    } catch (e) {
      throw new PaginationError(`Invalid JMESPath expression ${JSON.stringify(expression)} in ${where}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The value, or null when the expression matches nothing (Python's None). */
  search(data: unknown): unknown {
    return jmespath().search(data, this.expression) ?? null;
  }
}

/** botocore's set_value_from_jmespath: dotted lookups only, missing levels created as {}. */
export function setValueFromJmespath(source: Record<string, unknown>, expression: string, value: unknown): void {
  if (!expression || expression === '.' || /[[\]*]/.test(expression)) {
    throw new PaginationError(`Invalid expression for setting a value: ${JSON.stringify(expression)}`);
  }
  const parts = expression.split('.');
  let target = source;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    if (!key) throw new PaginationError(`Invalid expression for setting a value: ${JSON.stringify(expression)}`);
    if (!(key in target)) target[key] = {};
    const next = target[key];
    if (next === null || typeof next !== 'object') throw new PaginationError(`Cannot set ${JSON.stringify(expression)}: '${key}' is not a structure`);
    target = next as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (!last) throw new PaginationError(`Invalid expression for setting a value: ${JSON.stringify(expression)}`);
  target[last] = value;
}

/** botocore's merge_dicts(dict1, dict2): nested dicts merged, everything else replaced. */
export function mergeDicts(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(value) && key in target && isPlainObject(existing)) mergeDicts(existing, value);
    else target[key] = value;
  }
}

/** Python's bool(value) for the values a parsed response holds. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '' || value === 0) return false;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Python's == for JSON-like values (tokens): deep, bytes by content. */
export function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => pyEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEqual(a[k], b[k]));
  }
  return false;
}

/** Python's repr() of a token, for messages that read as botocore's. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value instanceof Uint8Array) return `b'${Buffer.from(value).toString('latin1')}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  return String(value);
}

/** Python's len() of a result key's value: code points for strings (as Python counts them). */
export function pyLen(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return Array.from(value).length;
  if (isPlainObject(value)) return Object.keys(value).length;
  if (value === null || value === undefined) return 0;
  throw new PaginationError(`A result key holds a ${typeof value}, which has no length to count items by`);
}

/** value[start:end] for lists and strings (end undefined = to the end); null for anything else. */
export function pySlice(value: unknown, start: number, end?: number): unknown {
  if (Array.isArray(value)) return value.slice(start, end);
  if (typeof value === 'string') return Array.from(value).slice(start, end).join('');
  return null;
}
