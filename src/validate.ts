/**
 * Client-side parameter validation, as botocore's ParamValidator (botocore/validate.py): every
 * problem in the input is collected and raised as one ParamValidationError before anything is
 * sent, in botocore's wording and order.
 *
 * What is checked is exactly what botocore checks: required members, unknown members, types,
 * `min` (numbers: value; strings and lists: length; hostLabel members: implicit min 1), tagged
 * unions (exactly one member set), documents and `jsonvalue` headers. As in botocore, `max`,
 * `pattern` and `enum` are NOT checked: the service is the judge of those, and an SDK that
 * refused new enum values would break when a service adds one.
 *
 * Speed: validation runs on every call, so each shape is compiled once into a closure (cached
 * per Shape in a WeakMap) and a call only walks the user's values. Children are compiled on
 * first use, which also makes recursive shapes (DynamoDB's AttributeValue) finite.
 *
 * JavaScript departures from botocore, each because the serializers (src/protocols/) define
 * what a JS value means:
 * - A member whose value is `undefined` or `null` is "not given", as every serializer treats it:
 *   it is neither type-checked nor reported as unknown, it does not count as a tagged-union
 *   member, and a required member holding it is missing. (botocore: None is a present value
 *   of the wrong type.) A map entry whose value is `undefined` is skipped, as the serializers
 *   skip it; `null` list elements and map values are reported, as botocore reports None.
 * - `undefined` or `null` as the whole input means `{}`.
 * - Documents: a nested key's problem is named by its full path (`Doc.a.b`); botocore names
 *   it by the last key only (`b`), which loses where it is.
 * - A `min` written `2.0` in the model reads as the JS number 2, so the report says
 *   `valid min value: 2` where botocore says `2.0`.
 *
 * Values in the report are written as Python's str() writes the matching Python value
 * (strings bare at the top, repr inside containers, True/False/None, b'..' bytes), so reports
 * read like botocore's. Types are JS type names; botocore's Python types map to them so:
 *   <class 'str'> -> string            <class 'int'> -> number (integer); for long also bigint
 *   <class 'float'>, Decimal -> number <class 'bool'> -> boolean
 *   <class 'dict'> -> object           <class 'list'>, tuple -> Array
 *   <class 'bytes'>, <class 'bytearray'>, file-like object -> string, Uint8Array (streaming
 *     blobs and raw payloads also Readable, FileHandle)
 *   <class 'datetime.datetime'>, timestamp-string -> Date, timestamp-string, number (epoch seconds)
 *   <class 'NoneType'> -> null (or undefined)
 * and the type of a given value is its JS type: string, number, bigint, boolean, null,
 * undefined, Array, object (a plain object), or its class name (Date, Buffer, Uint8Array, Map...).
 */
import { ParamValidationError } from './errors.js';
import { isReadable } from './builtins.js';
import { isFileHandle } from './http/body.js';
import { StreamingBody } from './http/streaming-body.js';
import type { Shape } from './models/shapes.js';
import { pythonFloat, toDate } from './protocols/values.js';

/**
 * Checks `value` and appends one line per problem to `out`. The value's name is `parent`
 * followed by `seg` (a number is a list index); it is only built when needed, so a valid
 * call allocates almost nothing for names.
 */
type Check = (value: unknown, parent: string, seg: string | number, out: string[]) => void;

const compiled = new WeakMap<Shape, Check>();
/** Raw payload members (blob) accept streams; their checks are cached apart from the plain ones. */
const compiledPayload = new WeakMap<Shape, Check>();

/**
 * Validates `params` against an operation's input shape (botocore's validate_parameters) and
 * throws a ParamValidationError listing every problem, one per line. A null input shape
 * (an operation without input) accepts anything, as botocore skips validation then.
 *
 * @param operationName for callers' symmetry with the other per-call steps; botocore's report
 *   does not name the operation, so neither does this one.
 */
export function validateParams(params: unknown, inputShape: Shape | null, operationName?: string): void {
  void operationName;
  if (inputShape === null) return;
  const problems = collectValidationErrors(params, inputShape);
  if (problems.length > 0) throw new ParamValidationError(problems.join('\n'));
}

/** Every problem with `params` for `shape`, in botocore's order and wording; empty when valid. */
export function collectValidationErrors(params: unknown, shape: Shape): string[] {
  const out: string[] = [];
  checkFor(shape)(params === undefined || params === null ? {} : params, '', '', out);
  return out;
}

// ---------------------------------------------------------------- compiling

function checkFor(shape: Shape, rawPayload = false): Check {
  const cache = rawPayload ? compiledPayload : compiled;
  let check = cache.get(shape);
  if (check === undefined) {
    check = compile(shape, rawPayload);
    cache.set(shape, check);
  }
  return check;
}

function compile(shape: Shape, rawPayload: boolean): Check {
  const ser = shape.serialization;
  // botocore's is_json_value_header: a string header holding any JSON value.
  if (ser.jsonvalue === true && ser.location === 'header' && shape.typeName === 'string') return checkJsonValue;
  switch (shape.typeName) {
    case 'structure':
      return shape.isDocumentType ? checkDocumentRoot : compileStructure(shape);
    case 'list':
      return compileList(shape);
    case 'map':
      return compileMap(shape);
    case 'string':
      return compileString(minOf(shape));
    case 'integer':
      return compileNumber(minOf(shape), isInteger, 'number (integer)');
    case 'long':
      // bigint: the only exact form of a 64-bit value; the query, XML and CBOR serializers write it.
      return compileNumber(minOf(shape), isLong, 'number (integer), bigint');
    case 'float':
    case 'double':
      return compileNumber(minOf(shape), isFloat, 'number');
    case 'boolean':
      return checkBoolean;
    case 'blob':
      return ser.streaming === true || rawPayload ? checkStreamingBlob : checkBlob;
    case 'timestamp':
      return checkTimestamp;
    default:
      // botocore has no validator for other types (the models use none in inputs).
      return acceptAnything;
  }
}

/** botocore's range_check: the shape's min, else 1 for a member bound to the host name. */
function minOf(shape: Shape): number | undefined {
  if (shape.min !== undefined) return shape.min;
  return shape.serialization.hostLabel === true ? 1 : undefined;
}

interface MemberEntry {
  shape: Shape;
  /** The member's name segment, '.Name', made once. */
  seg: string;
  rawPayload: boolean;
  check: Check | undefined;
}

function compileStructure(shape: Shape): Check {
  const members = new Map<string, MemberEntry>();
  const payload = shape.serialization.payload;
  for (const [name, member] of shape.members) {
    // A blob payload is the HTTP body itself: the REST serializers take it in any form (rawBody).
    const rawPayload = name === payload && member.typeName === 'blob';
    members.set(name, { shape: member, seg: `.${name}`, rawPayload, check: undefined });
  }
  const required = shape.requiredMembers;
  const union = shape.isTaggedUnion;
  const validNames = [...members.keys()].join(', ');
  return (value, parent, seg, out) => {
    if (!isStructureLike(value)) {
      out.push(invalidType(joinName(parent, seg), value, 'object'));
      return;
    }
    const name = joinName(parent, seg);
    const params = value as Record<string, unknown>;
    const keys = Object.keys(params);
    if (union) {
      let set = 0;
      for (const key of keys) if (params[key] !== undefined && params[key] !== null) set++;
      if (set === 0) {
        // botocore's wording, missing space included ("unionstructure").
        out.push(`Must set one of the following keys for tagged unionstructure ${display(name)}: ${validNames}.`);
      } else if (set > 1) {
        out.push(`Invalid number of parameters set for tagged union structure ${display(name)}. Can only set one of the following keys: ${validNames}.`);
      }
    }
    for (const req of required) {
      const v = params[req];
      if (v === undefined || v === null) out.push(`Missing required parameter in ${display(name)}: "${req}"`);
    }
    // botocore reports every unknown member before looking inside the known ones.
    let known = 0;
    for (const key of keys) {
      const v = params[key];
      if (v === undefined || v === null) continue;
      if (members.has(key)) known++;
      else out.push(`Unknown parameter in ${display(name)}: "${key}", must be one of: ${validNames}`);
    }
    if (known === 0) return;
    for (const key of keys) {
      const v = params[key];
      if (v === undefined || v === null) continue;
      const entry = members.get(key);
      if (entry === undefined) continue;
      const check = (entry.check ??= checkFor(entry.shape, entry.rawPayload));
      check(v, name, entry.seg, out);
    }
  };
}

function compileList(shape: Shape): Check {
  const memberShape = shape.member;
  const min = minOf(shape);
  let member: Check | undefined;
  return (value, parent, seg, out) => {
    if (!Array.isArray(value)) {
      out.push(invalidType(joinName(parent, seg), value, 'Array'));
      return;
    }
    const name = joinName(parent, seg);
    if (min !== undefined && value.length < min) out.push(invalidLength(name, value.length, min));
    if (value.length === 0) return;
    member ??= checkFor(memberShape);
    for (let i = 0; i < value.length; i++) member(value[i], name, i, out);
  };
}

function compileMap(shape: Shape): Check {
  const keyShape = shape.key;
  const valueShape = shape.value;
  // Keys are always strings in JS: only a key shape with a length constraint can fail.
  const keyNeedsCheck = keyShape.typeName !== 'string' || minOf(keyShape) !== undefined;
  let keyCheck: Check | undefined;
  let valueCheck: Check | undefined;
  return (value, parent, seg, out) => {
    if (!isStructureLike(value)) {
      out.push(invalidType(joinName(parent, seg), value, 'object'));
      return;
    }
    const name = joinName(parent, seg);
    const entries = value as Record<string, unknown>;
    for (const key of Object.keys(entries)) {
      const v = entries[key];
      // The serializers skip an undefined entry: nothing to validate.
      if (v === undefined) continue;
      if (keyNeedsCheck) (keyCheck ??= checkFor(keyShape))(key, name, ` (key: ${key})`, out);
      (valueCheck ??= checkFor(valueShape))(v, name, `.${key}`, out);
    }
  };
}

function compileString(min: number | undefined): Check {
  return (value, parent, seg, out) => {
    if (typeof value !== 'string') {
      out.push(invalidType(joinName(parent, seg), value, 'string'));
      return;
    }
    // Python's len() counts code points; .length counts UTF-16 units (never fewer).
    if (min !== undefined && value.length < 2 * min) {
      const length = codePointLength(value);
      if (length < min) out.push(invalidLength(joinName(parent, seg), length, min));
    }
  };
}

function compileNumber(min: number | undefined, accepts: (value: unknown) => boolean, validTypes: string): Check {
  return (value, parent, seg, out) => {
    if (!accepts(value)) {
      out.push(invalidType(joinName(parent, seg), value, validTypes));
      return;
    }
    if (min === undefined) return;
    const n = typeof value === 'string' ? Number(value) : (value as number | bigint);
    if (n < min) out.push(`Invalid value for parameter ${display(joinName(parent, seg))}, value: ${pyStr(value)}, valid min value: ${pyStr(min)}`);
  };
}

const isInteger = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value);
const isLong = (value: unknown): boolean => typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
/**
 * Any number, NaN and the infinities included. The strings 'NaN', 'Infinity' and '-Infinity'
 * too: that is how AWS's JSON protocols spell them, and every serializer sends them as such.
 */
const isFloat = (value: unknown): boolean =>
  typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity';

const checkBoolean: Check = (value, parent, seg, out) => {
  if (typeof value !== 'boolean') out.push(invalidType(joinName(parent, seg), value, 'boolean'));
};

/** Blob: what the serializers' toBytes takes (string, Uint8Array/Buffer, ArrayBuffer, any view). */
function isBytesLike(value: unknown): boolean {
  return typeof value === 'string' || value instanceof Uint8Array || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

const checkBlob: Check = (value, parent, seg, out) => {
  if (!isBytesLike(value)) out.push(invalidType(joinName(parent, seg), value, 'string, Uint8Array'));
};

/** A streaming blob or raw payload: what rest.ts's rawBody sends, streams included (never read here). */
const checkStreamingBlob: Check = (value, parent, seg, out) => {
  if (!isBytesLike(value) && !isReadable(value) && !(value instanceof StreamingBody) && !isFileHandle(value)) {
    out.push(invalidType(joinName(parent, seg), value, 'string, Uint8Array, Readable, FileHandle'));
  }
};

/** What the serializers' toDate takes: a valid Date, epoch seconds, or a string that parses. */
const checkTimestamp: Check = (value, parent, seg, out) => {
  let ok: boolean;
  if (value instanceof Date) ok = !Number.isNaN(value.getTime());
  else if (typeof value === 'number') ok = Number.isFinite(value);
  else if (typeof value === 'string') {
    try {
      toDate(value, '');
      ok = true;
    } catch {
      ok = false;
    }
  } else ok = false;
  if (!ok) out.push(invalidType(joinName(parent, seg), value, 'Date, timestamp-string, number'));
};

/** botocore's _validate_jsonvalue_string: the value must survive json.dumps (here JSON.stringify). */
const checkJsonValue: Check = (value, parent, seg, out) => {
  try {
    JSON.stringify(value);
  } catch (e) {
    out.push(`Invalid parameter ${display(joinName(parent, seg))} must be json serializable: ${(e as Error).message}`);
  }
};

const acceptAnything: Check = () => {};

// ---------------------------------------------------------------- documents

const DOCUMENT_TYPES = 'string, number, boolean, null, Array, object';
/** Nesting beyond this is reported rather than followed (a cycle would otherwise never end). */
const MAX_DOCUMENT_DEPTH = 256;

const checkDocumentRoot: Check = (value, parent, seg, out) => {
  checkDocument(value, joinName(parent, seg), out, 0);
};

/** botocore's _validate_document: JSON-like values all the way down; null is "no value". */
function checkDocument(value: unknown, name: string, out: string[], depth: number): void {
  if (value === null || value === undefined) return;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return;
  if (depth >= MAX_DOCUMENT_DEPTH) {
    out.push(`Invalid document parameter ${display(name)}: nested deeper than ${MAX_DOCUMENT_DEPTH} levels (a cycle?)`);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkDocument(value[i], `${name}[${i}]`, out, depth + 1);
    return;
  }
  if (isPlainObject(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) checkDocument(obj[key], `${name}.${key}`, out, depth + 1);
    return;
  }
  out.push(`Invalid type for document parameter ${display(name)}, value: ${pyStr(value)}, type: ${jsTypeName(value)}, valid types: ${DOCUMENT_TYPES}`);
}

// ---------------------------------------------------------------- names and messages

function joinName(parent: string, seg: string | number): string {
  return typeof seg === 'number' ? `${parent}[${seg}]` : parent + seg;
}

/** botocore's _get_name: the top level is "input"; member paths drop their leading dot. */
function display(name: string): string {
  if (name === '') return 'input';
  return name.charCodeAt(0) === 0x2e /* . */ ? name.slice(1) : name;
}

function invalidType(name: string, value: unknown, validTypes: string): string {
  return `Invalid type for parameter ${display(name)}, value: ${pyStr(value)}, type: ${jsTypeName(value)}, valid types: ${validTypes}`;
}

function invalidLength(name: string, length: number, min: number): string {
  return `Invalid length for parameter ${display(name)}, value: ${length}, valid min length: ${pyStr(min)}`;
}

function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** A plain object: `{...}` or Object.create(null). */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A structure or map value: a plain object, or an instance of the user's own class (the
 * serializers read its own enumerable keys), but not the built-ins that merely are objects.
 */
function isStructureLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return true;
  return !(
    Array.isArray(value) || value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer ||
    value instanceof Map || value instanceof Set || value instanceof Promise || value instanceof RegExp ||
    value instanceof Error || isReadable(value)
  );
}

/** The JS type of a value, as the report names it (see the mapping at the top). */
export function jsTypeName(value: unknown): string {
  if (value === null) return 'null';
  const type = typeof value;
  if (type !== 'object') return type;
  if (Array.isArray(value)) return 'Array';
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return 'object';
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
}

// ---------------------------------------------------------------- Python's str()

/**
 * A value as Python's str() writes the Python value it stands for: integer numbers and bigints
 * as int, other numbers as float, true/false as True/False, null/undefined as None, arrays as
 * lists, objects as dicts, bytes as b'...', Date as an aware datetime. Anything else reads
 * `<ClassName object>`, as Python writes objects without a str().
 */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return pyDatetimeStr(value);
  return pyRepr(value, []);
}

function pyRepr(value: unknown, seen: object[]): string {
  switch (typeof value) {
    case 'string':
      return pyStrRepr(value);
    case 'number':
      return pyNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'True' : 'False';
    case 'undefined':
      return 'None';
    case 'symbol':
      return value.toString();
    case 'function':
      return `<function ${value.name || '<lambda>'}>`;
  }
  if (value === null) return 'None';
  const obj = value as object;
  if (Array.isArray(obj)) {
    if (seen.includes(obj)) return '[...]';
    seen.push(obj);
    const text = `[${obj.map((item) => pyRepr(item, seen)).join(', ')}]`;
    seen.pop();
    return text;
  }
  if (obj instanceof Uint8Array) return pyBytesRepr(obj);
  if (obj instanceof ArrayBuffer) return pyBytesRepr(new Uint8Array(obj));
  if (ArrayBuffer.isView(obj)) return pyBytesRepr(new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength));
  if (obj instanceof Date) return pyDatetimeRepr(obj);
  if (isPlainObject(obj)) {
    if (seen.includes(obj)) return '{...}';
    seen.push(obj);
    const record = obj as Record<string, unknown>;
    const text = `{${Object.keys(record).map((k) => `${pyStrRepr(k)}: ${pyRepr(record[k], seen)}`).join(', ')}}`;
    seen.pop();
    return text;
  }
  return `<${jsTypeName(obj)} object>`;
}

function pyNumber(n: number): string {
  // JS has one number type; an integral value stands for a Python int, as the tests map it.
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return pythonFloat(n);
}

/** Characters Python's str.isprintable() refuses (other than the ones with short escapes). */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr() of a str: single quotes unless only double quotes avoid escaping. */
function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python's repr() of bytes: b'...', printable ASCII as is, the rest as \xNN. */
function pyBytesRepr(bytes: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of bytes) {
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = `b${String.fromCharCode(quote)}`;
  for (const b of bytes) {
    if (b === quote || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out + String.fromCharCode(quote);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** str() of an aware UTC datetime: '2024-01-02 03:04:05[.123000]+00:00'. */
function pyDatetimeStr(d: Date): string {
  if (Number.isNaN(d.getTime())) return '<Invalid Date>';
  const ms = d.getUTCMilliseconds();
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${base}${ms ? `.${pad(ms * 1000, 6)}` : ''}+00:00`;
}

/** repr() of an aware UTC datetime, trailing zero fields left out as Python does. */
function pyDatetimeRepr(d: Date): string {
  if (Number.isNaN(d.getTime())) return '<Invalid Date>';
  const fields = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
  const seconds = d.getUTCSeconds();
  const micros = d.getUTCMilliseconds() * 1000;
  if (micros) fields.push(seconds, micros);
  else if (seconds) fields.push(seconds);
  return `datetime.datetime(${fields.join(', ')}, tzinfo=datetime.timezone.utc)`;
}
