/**
 * The `json` protocol (AWS JSON 1.0 and 1.1: DynamoDB, Secrets Manager, Kinesis, SQS...):
 * every call is a POST to '/', the operation in X-Amz-Target, the input as a JSON body.
 */
import { IniaError, type ErrorResponse } from '../errors.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { expandHostPrefix } from './host-prefix.js';
import type { Params, Parsed, Protocol, RawResponse, SerializedRequest } from './types.js';
import {
  SerializationError,
  formatTimestamp,
  fromBase64,
  parseFloatValue,
  parseTimestamp,
  serializeFloat,
  toBase64,
  toDate,
  type TimestampFormat,
} from './values.js';

const decoder = new TextDecoder();

// ---------------------------------------------------------------- per-shape plans
//
// What the walkers need from a structure's members (wire name, shape, and whether the value
// passes through unchanged) is computed once per shape, not looked up on every call.

const enum Kind {
  /** Strings, numbers, booleans: the JSON value is the SDK value. */
  Plain,
  Other,
}

interface MemberPlan {
  readonly name: string;
  readonly wire: string;
  readonly shape: Shape;
  readonly kind: Kind;
}

interface StructurePlan {
  /** In model order: parsed output keys follow it, as botocore's do. */
  readonly members: readonly MemberPlan[];
  readonly byName: ReadonlyMap<string, MemberPlan>;
}

const structurePlans = new WeakMap<Shape, StructurePlan>();

function kindOf(shape: Shape): Kind {
  switch (shape.typeName) {
    case 'string':
    case 'boolean':
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'character':
      return Kind.Plain;
    default:
      return Kind.Other;
  }
}

function planOf(shape: Shape): StructurePlan {
  let plan = structurePlans.get(shape);
  if (plan === undefined) {
    const members: MemberPlan[] = [];
    const byName = new Map<string, MemberPlan>();
    for (const [name, member] of shape.members) {
      const entry: MemberPlan = { name, wire: member.serialization.name ?? name, shape: member, kind: kindOf(member) };
      members.push(entry);
      byName.set(name, entry);
    }
    plan = { members, byName };
    structurePlans.set(shape, plan);
  }
  return plan;
}

// ---------------------------------------------------------------- serialization

/** Turns a user value of `shape` into the JSON value sent on the wire. */
export function serializeJsonValue(value: unknown, shape: Shape, path: string, defaultTimestamp: TimestampFormat): unknown {
  switch (shape.typeName) {
    case 'structure':
      if (shape.isDocumentType) return value;
      return serializeStructure(value, shape, path, defaultTimestamp);
    case 'list': {
      if (!Array.isArray(value)) throw new SerializationError(`Invalid type for parameter ${path}: expected a list`);
      const member = shape.member;
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = serializeJsonValue(value[i], member, `${path}[${i}]`, defaultTimestamp);
      return out;
    }
    case 'map': {
      if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${path}: expected a map`);
      const valueShape = shape.value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const v = value[key];
        if (v !== undefined) out[key] = serializeJsonValue(v, valueShape, `${path}.${key}`, defaultTimestamp);
      }
      return out;
    }
    case 'timestamp':
      return formatTimestamp(toDate(value, path), (shape.serialization.timestampFormat?.toLowerCase() as TimestampFormat) ?? defaultTimestamp);
    case 'blob':
      return toBase64(value, path);
    case 'float':
    case 'double':
      return typeof value === 'number' ? serializeFloat(value) : value;
    default:
      return value;
  }
}

function serializeStructure(value: unknown, shape: Shape, path: string, defaultTimestamp: TimestampFormat): Record<string, unknown> {
  if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${path || 'input'}: expected a structure (object)`);
  const plan = planOf(shape);
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    const v = value[name];
    // undefined and null mean "not given": nothing is sent that the user did not set.
    if (v === undefined || v === null) continue;
    const member = plan.byName.get(name);
    if (!member) throw new SerializationError(`Unknown parameter in ${path || 'input'}: "${name}", must be one of: ${[...plan.byName.keys()].join(', ')}`);
    out[member.wire] = member.kind === Kind.Plain ? v : serializeJsonValue(v, member.shape, path ? `${path}.${name}` : name, defaultTimestamp);
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

// ---------------------------------------------------------------- parsing

/** Turns a parsed JSON value of `shape` into the SDK's output value (Date, Uint8Array, ...). */
export function parseJsonValue(value: unknown, shape: Shape): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.typeName) {
    case 'structure':
      if (shape.isDocumentType) return value;
      return parseStructure(value, shape);
    case 'list': {
      if (!Array.isArray(value)) throw new IniaError(`Invalid response: ${shape.name} should be a list`);
      const member = shape.member;
      const out = new Array<unknown>(value.length);
      // Lists are treated as sparse: a null element stays null (botocore does the same).
      for (let i = 0; i < value.length; i++) out[i] = value[i] === null ? null : parseJsonValue(value[i], member);
      return out;
    }
    case 'map': {
      if (!isPlainObject(value)) throw new IniaError(`Invalid response: ${shape.name} should be a map`);
      const valueShape = shape.value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const v = value[key];
        // A null list/map value in a dense map: botocore crashes on it, Smithy says drop it.
        if (v === null && (valueShape.typeName === 'list' || valueShape.typeName === 'map')) continue;
        out[key] = parseJsonValue(v, valueShape);
      }
      return out;
    }
    case 'timestamp':
      return parseTimestamp(value);
    case 'blob':
      return fromBase64(value);
    case 'float':
    case 'double':
      return parseFloatValue(value);
    default:
      return value;
  }
}

function parseStructure(value: unknown, shape: Shape): Record<string, unknown> {
  if (!isPlainObject(value)) throw new IniaError(`Invalid response: ${shape.name} should be an object`);
  if (shape.isTaggedUnion) {
    const unknown = unknownUnionTag(value, shape);
    if (unknown !== undefined) return { SDK_UNKNOWN_MEMBER: { name: unknown } };
  }
  const out: Record<string, unknown> = {};
  const members = planOf(shape).members;
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    const raw = value[member.wire];
    if (raw !== undefined && raw !== null) out[member.name] = member.kind === Kind.Plain ? raw : parseJsonValue(raw, member.shape);
  }
  return out;
}

/** A union member the model does not know (newer service than SDK): botocore returns SDK_UNKNOWN_MEMBER. */
function unknownUnionTag(value: Record<string, unknown>, shape: Shape): string | undefined {
  const set = Object.keys(value).filter((k) => k !== '__type' && value[k] !== null && value[k] !== undefined);
  if (set.length !== 1) throw new IniaError(`Invalid service response: ${shape.name} must have one and only one member set.`);
  const tag = set[0]!;
  for (const [name, member] of shape.members) if ((member.serialization.name ?? name) === tag) return undefined;
  return tag;
}

export function parseJsonBody(body: Uint8Array): unknown {
  if (body.length === 0) return {};
  const text = decoder.decode(body);
  try {
    return JSON.parse(text);
  } catch {
    // botocore keeps a non-JSON body as the message, so a proxy's plain-text error is still visible.
    return { message: text };
  }
}

// ---------------------------------------------------------------- errors

export function parseJsonError(response: RawResponse, operation: OperationModel): ErrorResponse {
  const parsedBody = parseJsonBody(response.body);
  const body = isPlainObject(parsedBody) ? parsedBody : {};
  const message = body.message ?? body.Message ?? '';
  const error: ErrorResponse['Error'] = { Message: typeof message === 'string' ? message : JSON.stringify(message), Code: '' };
  // The X-Amzn-ErrorType header wins, then the body's __type, then a top-level code (Glacier-style).
  const headerType = response.headers['x-amzn-errortype'];
  const bodyCode = body.__type ?? body.code ?? body.Code;
  let code = headerType ?? (typeof bodyCode === 'string' ? bodyCode : String(response.statusCode));
  code = finishErrorCode(code, response.headers, error);
  const result: ErrorResponse = { Error: error, ResponseMetadata: responseMetadata(response) };
  const errorShape = operation.serviceModel.shapeForErrorCode(code);
  if (errorShape) Object.assign(result, parseStructure(body, errorShape));
  return result;
}

/**
 * Trims "ns#Code" and "Code:http://..." forms to "Code", applies a query-compatible service's
 * x-amzn-query-error, and stores the result in error.Code. Shared by json and rpcv2-cbor.
 */
export function finishErrorCode(raw: string, headers: Record<string, string>, error: ErrorResponse['Error']): string {
  let code = raw;
  const colon = code.indexOf(':');
  if (colon >= 0) code = code.slice(0, colon);
  const hash = code.lastIndexOf('#');
  if (hash >= 0) code = code.slice(hash + 1);
  const queryError = headers['x-amzn-query-error'];
  if (queryError !== undefined) code = applyQueryCompatibleCode(code, queryError, error);
  error.Code = code;
  return code;
}

/** Services that moved from the query protocol report their old code in x-amzn-query-error ("Code;Sender"). */
export function applyQueryCompatibleCode(code: string, header: string, error: ErrorResponse['Error']): string {
  const parts = header.split(';');
  if (parts.length === 2 && parts[0]) {
    error.QueryErrorCode = code;
    error.Type = parts[1];
    return parts[0];
  }
  return code;
}

export function responseMetadata(response: RawResponse): ErrorResponse['ResponseMetadata'] {
  const meta: ErrorResponse['ResponseMetadata'] = {
    HTTPStatusCode: response.statusCode,
    HTTPHeaders: response.headers,
    RetryAttempts: 0,
  };
  const requestId = response.headers['x-amzn-requestid'];
  if (requestId !== undefined) meta.RequestId = requestId;
  return meta;
}

// ---------------------------------------------------------------- the protocol

export class JsonProtocol implements Protocol {
  readonly name = 'json';

  serialize(params: Params, operation: OperationModel): SerializedRequest {
    const metadata = operation.metadata;
    const headers: Record<string, string> = {
      'x-amz-target': `${metadata.targetPrefix}.${operation.name}`,
      'content-type': `application/x-amz-json-${metadata.jsonVersion ?? '1.0'}`,
    };
    if (operation.serviceModel.isQueryCompatible) headers['x-amzn-query-mode'] = 'true';
    const input = operation.inputShape;
    const body = input ? serializeStructure(params, input, '', 'unixtimestamp') : {};
    const request: SerializedRequest = {
      method: operation.http.method,
      path: '/',
      query: '',
      headers,
      body: JSON.stringify(body),
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
      parsed = parseStructure(parseJsonBody(response.body), output);
    }
    parsed.ResponseMetadata = responseMetadata(response);
    return parsed;
  }

  parseError(response: RawResponse, operation: OperationModel): ErrorResponse {
    return parseJsonError(response, operation);
  }
}
