/**
 * The Stubber (botocore's botocore/stub.py): queue answers for a client's calls so that tests
 * run without a network. Responses come out first in, first out; a call that is not the
 * operation queued next, or that has other parameters than expected, raises before anything
 * is built or sent.
 *
 * It works through the client's events, as botocore's does:
 * - `before-parameter-build.*.*` (registered first) checks the call order and the expected
 *   parameters; the queue is not consumed there, so a rejected call leaves its answer queued;
 * - `before-call.*.*` takes the answer off the queue: a response is returned as the call's
 *   result (the client returns a before-call answer as is); a queued error is raised as the
 *   client raises a service error, with the modeled class from `client.exceptions`;
 * - `before-endpoint-resolution.*` drops the credentials' account id from the endpoint builtIns.
 */
import { inspect } from 'node:util';
import type { ClientCore } from './typed-clients.js';
import { ParamValidationError, StubAssertionError, StubResponseError, UnStubbedResponseError } from './errors.js';
import type { EventArgs } from './events.js';
import type { OperationModel, Shape } from './models/shapes.js';
import type { RawResponse } from './protocols/index.js';
import type { Params, Parsed } from './protocols/types.js';
import { validateParams } from './validate.js';
import { assertModule } from './builtins.js';

/** botocore's `stub.ANY`: as an expected parameter value, matches whatever the call passes. */
class AnyValue {
  toString(): string {
    return '<ANY>';
  }
  [inspect.custom](): string {
    return '<ANY>';
  }
}

export type StubAny = AnyValue;

/** Matches any value in expected parameters, at the top level or nested. */
export const ANY: StubAny = Object.freeze(new AnyValue());

interface QueuedAnswer {
  operationName: string;
  /** A result, or an error answer (then `httpStatusCode` >= 300 raises it). */
  response: Parsed;
  httpStatusCode: number;
  expectedParams: Params | undefined;
}

// botocore's unique ids: activating twice registers once, and deactivate finds the handlers.
const EXPECTED_PARAMS_ID = 'boto_stubber_expected_params';
const RESPONSE_ID = 'boto_stubber';
const ACCOUNT_ID_ID = 'boto_stubber_stub_account_id';

/** Set on a stubbed call's context: makeApiCall skips the credentials' account id fetch. */
export const SKIP_ACCOUNT_ID = 'stubberSkipsAccountId';

const UNEXPECTED_CALL =
  'Unexpected API Call: A call was made but no additional calls expected. Either the API Call was not stubbed or it was called multiple times.';

export class Stubber {
  readonly client: ClientCore;
  readonly #queue: QueuedAnswer[] = [];

  /** Takes any inia client, typed (`client('s3')`) or not. */
  constructor(client: ClientCore) {
    this.client = client;
  }

  /** Registers the Stubber on the client's events: from now on calls are answered from the queue. */
  activate(): this {
    const events = this.client.meta.events;
    events.registerFirst('before-parameter-build.*.*', this.#assertExpectedParams, EXPECTED_PARAMS_ID);
    events.register('before-call.*.*', this.#getResponse, RESPONSE_ID);
    events.register('before-endpoint-resolution.*', this.#dropAccountId, ACCOUNT_ID_ID);
    return this;
  }

  /** Unregisters the Stubber: calls go to the service again. Queued answers stay queued. */
  deactivate(): void {
    const events = this.client.meta.events;
    events.unregister('before-parameter-build.*.*', this.#assertExpectedParams, EXPECTED_PARAMS_ID);
    events.unregister('before-call.*.*', this.#getResponse, RESPONSE_ID);
    events.unregister('before-endpoint-resolution.*', this.#dropAccountId, ACCOUNT_ID_ID);
  }

  /**
   * Queues a result for a call of `method` ('getObject' or 'GetObject'). The result is checked
   * against the operation's output shape now (a `ResponseMetadata` member is allowed and not
   * checked), and returned as is, the same object, by the call. With `expectedParams`, the call
   * must pass exactly those parameters (`ANY` matches any value).
   */
  addResponse(method: string, serviceResponse: Parsed, expectedParams?: Params): void {
    const operationName = this.#operationName(method);
    const operation = this.client.meta.serviceModel.operationModel(operationName);
    let toValidate = serviceResponse;
    if (Object.prototype.hasOwnProperty.call(serviceResponse, 'ResponseMetadata')) {
      const { ResponseMetadata: _ignored, ...rest } = serviceResponse;
      toValidate = rest;
    }
    validateResponse(operation.outputShape, toValidate);
    this.#queue.push({ operationName, response: serviceResponse, httpStatusCode: 200, expectedParams });
  }

  /**
   * Queues a service error for a call of `method`: the call raises the ClientError the client
   * would raise for that answer (`client.exceptions[<modeled name>]` when the code is modeled),
   * whose response is `{ ResponseMetadata: { HTTPStatusCode, ...responseMeta }, Error: { Message,
   * Code, ...serviceErrorMeta }, ...modeledFields }`. `modeledFields` are checked against the
   * error code's shape.
   */
  addClientError(
    method: string,
    serviceErrorCode = '',
    serviceMessage = '',
    httpStatusCode = 400,
    serviceErrorMeta?: Record<string, unknown>,
    expectedParams?: Params,
    responseMeta?: Record<string, unknown>,
    modeledFields?: Record<string, unknown>,
  ): void {
    const operationName = this.#operationName(method);
    const response: Parsed = {
      ResponseMetadata: { HTTPStatusCode: httpStatusCode, ...responseMeta },
      Error: { Message: serviceMessage, Code: serviceErrorCode, ...serviceErrorMeta },
    };
    if (modeledFields !== undefined) {
      validateResponse(this.client.meta.serviceModel.shapeForErrorCode(serviceErrorCode) ?? null, modeledFields);
      Object.assign(response, modeledFields);
    }
    this.#queue.push({ operationName, response, httpStatusCode, expectedParams });
  }

  /** Raises an AssertionError when queued answers were not used ("2 responses remaining in queue."). */
  assertNoPendingResponses(): void {
    const remaining = this.#queue.length;
    if (remaining !== 0) throw new (assertModule().AssertionError)({ message: `${remaining} responses remaining in queue.` });
  }

  /** 'getObject' or 'GetObject' -> 'GetObject'; anything else is refused now, not at call time. */
  #operationName(method: string): string {
    const meta = this.client.meta;
    const mapped = Object.prototype.hasOwnProperty.call(meta.methodToApiMapping, method) ? meta.methodToApiMapping[method] : undefined;
    if (mapped !== undefined) return mapped;
    if (meta.serviceModel.hasOperation(method)) return method;
    // botocore raises ValueError with this message.
    throw new TypeError(`Client ${meta.serviceModel.serviceName} does not have method: ${method}`);
  }

  /** botocore's _assert_expected_call_order. */
  #assertCallOrder(model: OperationModel): QueuedAnswer {
    const next = this.#queue[0];
    if (next === undefined) throw new UnStubbedResponseError(model.name, UNEXPECTED_CALL);
    if (next.operationName !== model.name) {
      throw new StubResponseError(model.name, `Operation mismatch: found response for ${next.operationName}.`);
    }
    return next;
  }

  // Handlers are fields (arrow functions) so that the same function is unregistered.

  /** botocore's _assert_expected_params: same keys, equal values (ANY equals anything). */
  readonly #assertExpectedParams = (args: EventArgs): void => {
    const context = args.context as Record<string, unknown> | undefined;
    // A presigned URL is built, not sent: nothing to answer.
    if (context?.isPresignRequest === true) return;
    const model = args.model as OperationModel;
    const params = args.params as Params;
    const expected = this.#assertCallOrder(model).expectedParams;
    // The answer comes from the queue: the client need not fetch credentials for the endpoint's
    // account id (botocore's stubber drops that builtIn; inia's client reads it up front).
    if (context !== undefined) context[SKIP_ACCOUNT_ID] = true;
    if (expected === undefined || expected === null) return;
    if (!sameParams(expected, params)) {
      throw new StubAssertionError(model.name, `Expected parameters:\n${pformat(expected)},\nbut received:\n${pformat(params)}`);
    }
  };

  /**
   * botocore's _get_response_handler: the queued answer as botocore's pair [httpResponse,
   * parsed]. The client raises the error an httpResponse of 300 or more stands for, after
   * after-call (whose handlers may pick the error's class, as SQS's does), as botocore's.
   */
  readonly #getResponse = (args: EventArgs): [RawResponse, Parsed] => {
    const model = args.model as OperationModel;
    this.#assertCallOrder(model);
    const answer = this.#queue.shift()!;
    return [{ statusCode: answer.httpStatusCode, headers: {}, body: new Uint8Array(0) }, answer.response];
  };

  /** botocore's _set_account_id_for_endpoint_resolution: stubbed calls need no credentials' account. */
  readonly #dropAccountId = (args: EventArgs): void => {
    const builtins = args.builtins as Record<string, unknown> | undefined;
    if (builtins !== undefined && 'AWS::Auth::AccountId' in builtins) builtins['AWS::Auth::AccountId'] = undefined;
  };
}

// `using stubber = new Stubber(client).activate()` deactivates at the end of the block (botocore's
// context manager). Defined at runtime: the compile target's lib does not type Symbol.dispose.
const disposeSymbol = (Symbol as unknown as { dispose?: symbol }).dispose;
if (disposeSymbol !== undefined) {
  Object.defineProperty(Stubber.prototype, disposeSymbol, {
    value: function (this: Stubber) {
      this.deactivate();
    },
    writable: true,
    configurable: true,
  });
}

// ---------------------------------------------------------------- response validation

/**
 * botocore's _validate_response: a value with a shape goes through the parameter validator
 * (botocore's validate_parameters, here validate.ts); without a shape only an empty response
 * is valid.
 */
function validateResponse(shape: Shape | null, response: Record<string, unknown>): void {
  if (shape === null) {
    if (Object.keys(response).length > 0) throw new ParamValidationError('Service response should only contain ResponseMetadata.');
    return;
  }
  validateParams(response, shape);
}

const MAX_DEPTH = 100;

function jsType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// ---------------------------------------------------------------- expected parameters

/** Both sides have the same keys (undefined counts as absent) with equal values. */
function sameParams(expected: Params, actual: Params): boolean {
  return deepEqual(expected, actual, 0);
}

function isBytes(value: unknown): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

function bytesOf(value: ArrayBufferView | ArrayBuffer): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((k) => value[k] !== undefined);
}

/** Python's == on the values a call takes, with ANY equal to anything (as unittest.mock.ANY). */
function deepEqual(a: unknown, b: unknown, depth: number): boolean {
  if (a instanceof AnyValue || b instanceof AnyValue) return true;
  if (a === b) return true;
  if (depth > MAX_DEPTH) return false;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (isBytes(a) || isBytes(b)) {
    if (!isBytes(a) || !isBytes(b)) return false;
    const x = bytesOf(a);
    const y = bytesOf(b);
    return x.length === y.length && x.every((byte, i) => byte === y[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i], depth + 1));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = definedKeys(a);
    if (keys.length !== definedKeys(b).length) return false;
    return keys.every((k) => b[k] !== undefined && deepEqual(a[k], b[k], depth + 1));
  }
  return false;
}

// ---------------------------------------------------------------- Python's pprint.pformat

/**
 * `pformat(value)` with Python's defaults (width 80, indent 1, sorted keys), so that
 * StubAssertionError reads as botocore's: objects print as dicts, arrays as lists, strings
 * with Python's quoting, true/false/null as True/False/None, bytes as b'...'.
 */
export function pformat(value: unknown): string {
  const out: string[] = [];
  formatValue(value, out, 0, 0, 0);
  return out.join('');
}

const WIDTH = 80;

function len(text: string): number {
  // Python counts code points.
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function formatValue(value: unknown, out: string[], indent: number, allowance: number, level: number): void {
  const rep = pyRepr(value);
  if (len(rep) <= WIDTH - indent - allowance || level > MAX_DEPTH) {
    out.push(rep);
    return;
  }
  if (isPlainObject(value)) {
    out.push('{');
    const items = sortedItems(value);
    if (items.length > 0) formatDictItems(items, out, indent, allowance + 1, level + 1);
    out.push('}');
  } else if (Array.isArray(value)) {
    out.push('[');
    formatItems(value, out, indent, allowance + 1, level + 1);
    out.push(']');
  } else if (typeof value === 'string') {
    formatString(value, out, indent, allowance, level + 1);
  } else if (isBytes(value)) {
    formatBytes(bytesOf(value), out, indent, allowance, level + 1);
  } else {
    out.push(rep);
  }
}

function formatDictItems(items: Array<[string, unknown]>, out: string[], indent: number, allowance: number, level: number): void {
  indent += 1;
  const delimiter = `,\n${' '.repeat(indent)}`;
  items.forEach(([key, item], i) => {
    const last = i === items.length - 1;
    const rep = strRepr(key);
    out.push(rep, ': ');
    formatValue(item, out, indent + len(rep) + 2, last ? allowance : 1, level);
    if (!last) out.push(delimiter);
  });
}

function formatItems(items: readonly unknown[], out: string[], indent: number, allowance: number, level: number): void {
  indent += 1;
  const delimiter = `,\n${' '.repeat(indent)}`;
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    if (i > 0) out.push(delimiter);
    formatValue(item, out, indent, last ? allowance : 1, level);
  });
}

/** pprint's _pprint_str: long strings split at whitespace into adjacent literals. */
function formatString(text: string, out: string[], indent: number, allowance: number, level: number): void {
  const chunks: string[] = [];
  const lines = splitLinesKeepEnds(text);
  if (level === 1) {
    indent += 1;
    allowance += 1;
  }
  const maxWidth = WIDTH - indent;
  let maxWidth1 = maxWidth;
  let rep = '';
  lines.forEach((line, i) => {
    rep = strRepr(line);
    if (i === lines.length - 1) maxWidth1 -= allowance;
    if (len(rep) <= maxWidth1) {
      chunks.push(rep);
      return;
    }
    const parts = line.match(/\S*\s*/g)!.filter((p) => p !== '');
    let maxWidth2 = maxWidth;
    let current = '';
    parts.forEach((part, j) => {
      const candidate = current + part;
      if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allowance;
      if (len(strRepr(candidate)) > maxWidth2) {
        if (current) chunks.push(strRepr(current));
        current = part;
      } else {
        current = candidate;
      }
    });
    if (current) chunks.push(strRepr(current));
  });
  if (chunks.length === 1) {
    out.push(rep);
    return;
  }
  if (level === 1) out.push('(');
  out.push(chunks.join(`\n${' '.repeat(indent)}`));
  if (level === 1) out.push(')');
}

/** pprint's _pprint_bytes: long bytes split into 4-byte-aligned literals. */
function formatBytes(bytes: Uint8Array, out: string[], indent: number, allowance: number, level: number): void {
  if (bytes.length <= 4) {
    out.push(bytesRepr(bytes));
    return;
  }
  const parens = level === 1;
  if (parens) {
    indent += 1;
    allowance += 1;
    out.push('(');
  }
  const reps: string[] = [];
  let width = WIDTH - indent;
  let current: Uint8Array = new Uint8Array(0);
  const last = Math.floor(bytes.length / 4) * 4;
  for (let i = 0; i < bytes.length; i += 4) {
    const part = bytes.subarray(i, i + 4);
    const candidate = new Uint8Array(current.length + part.length);
    candidate.set(current);
    candidate.set(part, current.length);
    if (i === last) width -= allowance;
    if (bytesRepr(candidate).length > width) {
      if (current.length > 0) reps.push(bytesRepr(current));
      current = part;
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) reps.push(bytesRepr(current));
  out.push(reps.join(`\n${' '.repeat(indent)}`));
  if (parens) out.push(')');
}

/** Python's str.splitlines(keepends=True). */
function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/g)!.filter((l) => l !== '');
}

function sortedItems(value: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Python's repr of the value as it would be in botocore's params. */
function pyRepr(value: unknown, depth = 0): string {
  if (value instanceof AnyValue) return '<ANY>';
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return strRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return numberRepr(value);
  if (depth > MAX_DEPTH) return '...';
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, depth + 1)).join(', ')}]`;
  if (isBytes(value)) return bytesRepr(bytesOf(value));
  if (value instanceof Date) return dateRepr(value);
  if (isPlainObject(value)) {
    const items = sortedItems(value);
    return `{${items.map(([k, v]) => `${strRepr(k)}: ${pyRepr(v, depth + 1)}`).join(', ')}}`;
  }
  return `<${jsType(value)} object>`;
}

function numberRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  // Python writes at least two exponent digits: 1e-07.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

function dateRepr(date: Date): string {
  if (Number.isNaN(date.getTime())) return '<Invalid Date>';
  const parts = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()];
  const seconds = date.getUTCSeconds();
  const micros = date.getUTCMilliseconds() * 1000;
  if (seconds !== 0 || micros !== 0) parts.push(seconds);
  if (micros !== 0) parts.push(micros);
  return `datetime.datetime(${parts.join(', ')}, tzinfo=datetime.timezone.utc)`;
}

// Python's str.isprintable() is false for these (besides the ASCII space, which prints).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr of a str. */
function strRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += escapeCodePoint(ch.codePointAt(0)!);
    else out += ch;
  }
  return out + quote;
}

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Python's repr of bytes. */
function bytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}
