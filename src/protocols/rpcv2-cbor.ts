/**
 * The `smithy-rpc-v2-cbor` protocol (Smithy RPC v2 over CBOR), as botocore's
 * RpcV2CBORSerializer and RpcV2CBORParser: every call is a POST to
 * /service/{targetPrefix}/operation/{OperationName} with the input as one CBOR map.
 */
import { IniaError, ResponseParserError, type ErrorResponse } from '../errors.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { CborEncoder, decodeCbor, writePlain, type CborValue } from './cbor.js';
import { expandHostPrefix } from './host-prefix.js';
import { finishErrorCode, isPlainObject, responseMetadata } from './json.js';
import type { Params, Parsed, Protocol, RawResponse, SerializedRequest } from './types.js';
import { SerializationError, parseTimestamp, toBytes, toDate } from './values.js';

const CBOR = 'application/cbor';
const EVENT_STREAM = 'application/vnd.amazon.eventstream';
const FLOAT32_MAX = 3.4028234663852886e38;

// ---------------------------------------------------------------- serialization

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'Date';
  return typeof value;
}

function invalid(path: string, expected: string, value: unknown): SerializationError {
  return new SerializationError(`Invalid type for parameter ${path || 'input'}, value: ${String(value)}, type: ${describe(value)}, valid types: ${expected}`);
}

/** Writes a user value of `shape`. Types are checked, as botocore's default parameter validation would. */
function writeValue(encoder: CborEncoder, value: unknown, shape: Shape, path: string): void {
  switch (shape.typeName) {
    case 'structure':
      if (shape.isDocumentType) return writeDocument(encoder, value, path);
      return writeStructure(encoder, value, shape, path);
    case 'list': {
      if (!Array.isArray(value)) throw invalid(path, 'list', value);
      encoder.arrayHeader(value.length);
      const member = shape.member;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === null || item === undefined) encoder.null();
        else writeValue(encoder, item, member, `${path}[${i}]`);
      }
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) throw invalid(path, 'dict (plain object)', value);
      const keys = Object.keys(value).filter((k) => value[k] !== undefined);
      encoder.mapHeader(keys.length);
      const keyShape = shape.key;
      const valueShape = shape.value;
      for (const key of keys) {
        writeValue(encoder, key, keyShape, `${path}.${key}`);
        const v = value[key];
        if (v === null) encoder.null();
        else writeValue(encoder, v, valueShape, `${path}.${key}`);
      }
      return;
    }
    case 'string':
      if (typeof value !== 'string') throw invalid(path, 'str', value);
      encoder.string(value);
      return;
    case 'integer':
    case 'long':
    case 'byte':
    case 'short':
      writeInteger(encoder, value, path);
      return;
    case 'float':
    case 'double':
      writeFloat(encoder, value, shape.typeName, path);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, 'bool', value);
      encoder.boolean(value);
      return;
    case 'blob':
      encoder.bytes(toBytes(value, path));
      return;
    case 'timestamp':
      // Tag 1 with whole epoch seconds whatever the shape's timestampFormat, as botocore.
      encoder.timestamp(Math.floor(toDate(value, path).getTime() / 1000));
      return;
    default:
      throw new SerializationError(`Unrecognized shape type '${shape.typeName}' for parameter ${path}, unable to serialize request`);
  }
}

function writeStructure(encoder: CborEncoder, value: unknown, shape: Shape, path: string): void {
  if (!isPlainObject(value)) throw invalid(path, 'dict (plain object)', value);
  const members = shape.members;
  // undefined and null mean "not given": nothing is sent that the user did not set.
  const names = Object.keys(value).filter((name) => value[name] !== undefined && value[name] !== null);
  for (const name of names) {
    if (!members.has(name)) {
      throw new SerializationError(`Unknown parameter in ${path || 'input'}: "${name}", must be one of: ${[...members.keys()].join(', ')}`);
    }
  }
  encoder.mapHeader(names.length);
  for (const name of names) {
    const member = members.get(name)!;
    encoder.string(member.serialization.name ?? name);
    writeValue(encoder, value[name], member, path ? `${path}.${name}` : name);
  }
}

function writeInteger(encoder: CborEncoder, value: unknown, path: string): void {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    encoder.integer(value);
  } else if (typeof value === 'bigint' && value >= -(2n ** 64n) && value < 2n ** 64n) {
    encoder.integer(value);
  } else {
    throw invalid(path, 'int (a safe integer number, or a bigint within 64 bits)', value);
  }
}

/** float shapes go as binary32 and double shapes as binary64, as botocore sends them. */
function writeFloat(encoder: CborEncoder, value: unknown, type: string, path: string): void {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  // The spellings AWS's JSON protocols use for the special values (and the protocol tests' params).
  else if (value === 'NaN') n = NaN;
  else if (value === 'Infinity') n = Infinity;
  else if (value === '-Infinity') n = -Infinity;
  else throw invalid(path, 'float', value);
  if (type === 'float') {
    if (Number.isFinite(n) && Math.abs(n) > FLOAT32_MAX) throw new SerializationError(`Invalid value for parameter ${path}: ${n} is too large for a float (binary32)`);
    encoder.float32(n);
  } else {
    encoder.float64(n);
  }
}

function writeDocument(encoder: CborEncoder, value: unknown, path: string): void {
  try {
    writePlain(encoder, value, 0);
  } catch (e) {
    throw new SerializationError(`Invalid document for parameter ${path}: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------- parsing

/** The response body's one data item; an empty body is "nothing" (undefined). */
function decodeBody(body: Uint8Array): CborValue {
  if (body.length === 0) return undefined;
  // botocore reads one data item and ignores what follows; tags other than 1 are refused.
  return decodeCbor(body, { unknownTags: 'error', allowTrailingBytes: true });
}

/** Turns a decoded value of `shape` into the SDK's output value. null/undefined mean absent. */
function parseValue(value: CborValue, shape: Shape): unknown {
  switch (shape.typeName) {
    case 'structure':
      if (shape.isDocumentType) return value;
      return parseStructure(value, shape);
    case 'list': {
      if (!Array.isArray(value)) throw new ResponseParserError(`Invalid response: ${shape.name} should be a list, got ${describe(value)}`);
      const member = shape.member;
      // Lists are treated as sparse: a null element stays null (botocore does the same).
      return value.map((item) => (item === null || item === undefined ? null : parseValue(item, member)));
    }
    case 'map': {
      if (!isPlainObject(value)) throw new ResponseParserError(`Invalid response: ${shape.name} should be a map, got ${describe(value)}`);
      const valueShape = shape.value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const v = value[key];
        // botocore's CBOR decoder drops map entries whose value is null.
        if (v === null || v === undefined) continue;
        setKey(out, key, parseValue(v, valueShape));
      }
      return out;
    }
    case 'timestamp':
      if (value instanceof Date) return value;
      // Servers should send tag 1; an untagged epoch number means the same instant.
      if (typeof value === 'number' || typeof value === 'string') return parseTimestamp(value);
      throw new ResponseParserError(`Invalid response: ${shape.name} should be a timestamp, got ${describe(value)}`);
    case 'blob':
      if (value instanceof Uint8Array) return value;
      if (typeof value === 'string') return new TextEncoder().encode(value);
      throw new ResponseParserError(`Invalid response: ${shape.name} should be bytes, got ${describe(value)}`);
    case 'float':
    case 'double':
      return typeof value === 'bigint' ? Number(value) : value;
    default:
      // Integers beyond 2^53 stay bigint: exact, as botocore's Python int.
      return value;
  }
}

function parseStructure(value: CborValue, shape: Shape): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ResponseParserError(`Invalid response: ${shape.name} should be a map, got ${describe(value)}`);
  const body = value as Record<string, CborValue>;
  if (shape.isTaggedUnion) {
    const set = Object.keys(body).filter((k) => k !== '__type' && body[k] !== null && body[k] !== undefined);
    if (set.length !== 1) throw new ResponseParserError(`Invalid service response: ${shape.name} must have one and only one member set.`);
  }
  const out: Record<string, unknown> = {};
  for (const [name, member] of shape.members) {
    const wireName = member.serialization.name ?? name;
    if (!Object.prototype.hasOwnProperty.call(body, wireName)) continue;
    const raw = body[wireName];
    if (raw !== null && raw !== undefined) out[name] = parseValue(raw, member);
  }
  return out;
}

function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

// ---------------------------------------------------------------- the protocol

export class RpcV2CborProtocol implements Protocol {
  readonly name = 'smithy-rpc-v2-cbor';

  serialize(params: Params, operation: OperationModel): SerializedRequest {
    const input = operation.inputShape;
    let body: Uint8Array;
    if (input) {
      const encoder = new CborEncoder();
      writeStructure(encoder, params, input, '');
      body = encoder.finish();
    } else {
      // No input shape: no body at all (botocore sends b''), hence no Content-Type.
      body = new Uint8Array(0);
    }
    const mediaType = operation.outputShape?.eventStreamName !== undefined ? EVENT_STREAM : CBOR;
    const headers: Record<string, string> = { 'smithy-protocol': 'rpc-v2-cbor', accept: mediaType };
    if (body.length > 0) headers['content-type'] = mediaType;
    if (operation.serviceModel.isQueryCompatible) headers['x-amzn-query-mode'] = 'true';
    const targetPrefix = operation.metadata.targetPrefix;
    if (!targetPrefix) throw new IniaError(`Service '${operation.serviceModel.serviceName}' has no targetPrefix, which smithy-rpc-v2-cbor needs in its request path`);
    const request: SerializedRequest = {
      // Always POST: the protocol ignores the model's http method and requestUri.
      method: 'POST',
      path: `/service/${encodeURIComponent(targetPrefix)}/operation/${encodeURIComponent(operation.name)}`,
      query: '',
      headers,
      body,
    };
    const hostPrefix = expandHostPrefix(params, operation);
    if (hostPrefix !== undefined) request.hostPrefix = hostPrefix;
    return request;
  }

  parse(response: RawResponse, operation: OperationModel): Parsed {
    const output = operation.outputShape;
    let parsed: Parsed = {};
    if (output) {
      if (output.eventStreamName !== undefined) {
        throw new IniaError(`${operation.name} returns an event stream, which inia does not support yet`);
      }
      const decoded = decodeBody(response.body);
      if (decoded !== undefined && decoded !== null) parsed = parseStructure(decoded, output);
    }
    parsed.ResponseMetadata = responseMetadata(response);
    return parsed;
  }

  parseError(response: RawResponse, operation: OperationModel): ErrorResponse {
    let body: Record<string, CborValue> = {};
    let text: string | undefined;
    let decoded: CborValue;
    try {
      decoded = decodeBody(response.body);
    } catch (e) {
      if (!(e instanceof ResponseParserError)) throw e;
      decoded = undefined;
    }
    if (isPlainObject(decoded)) body = decoded as Record<string, CborValue>;
    else if (response.body.length > 0) {
      // Not a CBOR map (a proxy's or load balancer's answer): keep its text as the message, as the JSON protocols do.
      text = Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength).toString('utf8');
    }
    const message = body.message ?? body.Message ?? text ?? '';
    const error: ErrorResponse['Error'] = { Message: typeof message === 'string' ? message : String(message), Code: '' };
    // The code is the body's __type (botocore reads no header for this protocol), else the status.
    const type = body.__type;
    const code0 = typeof type === 'string' ? type : String(response.statusCode);
    const code = finishErrorCode(code0, response.headers, error);
    const result: ErrorResponse = { Error: error, ResponseMetadata: responseMetadata(response) };
    const errorShape = operation.serviceModel.shapeForErrorCode(code);
    if (errorShape) Object.assign(result, parseStructure(body, errorShape));
    return result;
  }
}
