/**
 * The `query` protocol (IAM, STS, SNS, SES, CloudFormation, RDS, ...): a form-encoded POST of
 * `Action=Op&Version=apiVersion&...` to '/', answered in XML (`<OpResponse><OpResult>`), as
 * botocore's QuerySerializer and QueryParser do. The ec2 protocol (ec2.ts) is a variant of it
 * and reuses this file's serializer and parser with its own naming and list rules.
 */
import { nodeHttp } from '../builtins.js';
import { ResponseParserError, type ErrorResponse } from '../errors.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { expandHostPrefix } from './host-prefix.js';
import type { Params, Parsed, Protocol, RawResponse, SerializedRequest } from './types.js';
import { SerializationError, formEncode, formatTimestamp, serializeFloat, toBase64, toDate, type TimestampFormat } from './values.js';
import type { XmlElement } from './xml/reader.js';
import {
  childNamed,
  parseQueryErrorBody,
  parseXmlBody,
  parseXmlStructure,
  xmlResponseMetadata,
} from './xml/shape-parser.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

// formEncode (urlencode's quote_plus) is in values.ts, shared with the presigned-URL customization.
export { formEncode };

// ---------------------------------------------------------------- serialization

/** How the two dialects name things and write lists (botocore's QuerySerializer vs EC2Serializer). */
export interface QueryDialect {
  /** The name a member, list member or map key/value travels under. */
  serializedName(shape: Shape, defaultName: string): string;
  /** ec2 lists are always flattened and an empty list sends nothing. */
  readonly ec2Lists: boolean;
}

const QUERY_DIALECT: QueryDialect = {
  serializedName: (shape, defaultName) => shape.serialization.name ?? defaultName,
  ec2Lists: false,
};

/** Writes `value` of `shape` as `prefix[.suffix]=...` pairs into `out` (already encoded). */
class FormWriter {
  readonly parts: string[] = [];

  constructor(private readonly dialect: QueryDialect) {}

  add(key: string, value: string): void {
    this.parts.push(`${formEncode(key)}=${formEncode(value)}`);
  }

  value(value: unknown, shape: Shape, prefix: string, path: string): void {
    switch (shape.typeName) {
      case 'structure':
        this.structure(value, shape, prefix, path);
        return;
      case 'list':
        this.list(value, shape, prefix, path);
        return;
      case 'map':
        this.map(value, shape, prefix, path);
        return;
      case 'blob':
        this.add(prefix, toBase64(value, path));
        return;
      case 'timestamp': {
        const format = (shape.serialization.timestampFormat?.toLowerCase() as TimestampFormat | undefined) ?? 'iso8601';
        this.add(prefix, String(formatTimestamp(toDate(value, path), format)));
        return;
      }
      case 'boolean':
        // botocore tests truthiness: anything truthy is 'true'.
        this.add(prefix, value ? 'true' : 'false');
        return;
      case 'float':
      case 'double':
        this.add(prefix, scalarText(typeof value === 'number' ? serializeFloat(value) : value, path));
        return;
      default:
        this.add(prefix, scalarText(value, path));
    }
  }

  structure(value: unknown, shape: Shape, prefix: string, path: string): void {
    if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${path || 'input'}: expected a structure (object)`);
    const members = shape.members;
    for (const name of Object.keys(value)) {
      const v = value[name];
      // undefined and null mean "not given": nothing is sent that the user did not set.
      if (v === undefined || v === null) continue;
      const member = members.get(name);
      if (!member) throw new SerializationError(`Unknown parameter in ${path || 'input'}: "${name}", must be one of: ${[...members.keys()].join(', ')}`);
      const memberName = this.dialect.serializedName(member, name);
      this.value(v, member, prefix ? `${prefix}.${memberName}` : memberName, path ? `${path}.${name}` : name);
    }
  }

  list(value: unknown, shape: Shape, prefix: string, path: string): void {
    if (!Array.isArray(value)) throw new SerializationError(`Invalid type for parameter ${path}: expected a list`);
    const member = shape.member;
    let itemPrefix: string;
    if (this.dialect.ec2Lists) {
      itemPrefix = prefix;
    } else {
      // The query protocol sends an empty list as "Name=" so the service can tell it from "not given".
      if (value.length === 0) {
        this.add(prefix, '');
        return;
      }
      if (shape.serialization.flattened) {
        // A flattened list with a named member replaces the last segment of the prefix.
        const itemName = member.serialization.name;
        itemPrefix = itemName ? replaceLastSegment(prefix, itemName) : prefix;
      } else {
        itemPrefix = `${prefix}.${member.serialization.name ?? 'member'}`;
      }
    }
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || item === null) throw new SerializationError(`Invalid type for parameter ${path}[${i}]: a list element cannot be ${String(item)}`);
      this.value(item, member, `${itemPrefix}.${i + 1}`, `${path}[${i}]`);
    }
  }

  map(value: unknown, shape: Shape, prefix: string, path: string): void {
    if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${path}: expected a map (object)`);
    const base = shape.serialization.flattened ? prefix : `${prefix}.entry`;
    const keyShape = shape.key;
    const valueShape = shape.value;
    const keySuffix = this.dialect.serializedName(keyShape, 'key');
    const valueSuffix = this.dialect.serializedName(valueShape, 'value');
    let i = 0;
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v === undefined) continue;
      i++;
      this.value(key, keyShape, `${base}.${i}.${keySuffix}`, `${path}.${key}`);
      this.value(v, valueShape, `${base}.${i}.${valueSuffix}`, `${path}.${key}`);
    }
  }
}

function replaceLastSegment(prefix: string, name: string): string {
  const dot = prefix.lastIndexOf('.');
  return dot === -1 ? name : `${prefix.slice(0, dot + 1)}${name}`;
}

/** A scalar as form text: strings as they are, numbers and bigints in their decimal form. */
function scalarText(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      throw new SerializationError(`Invalid type for parameter ${path}: expected a scalar, got ${value === null ? 'null' : typeof value}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

/** The whole request of a query-family call. */
export function serializeQueryRequest(params: Params, operation: OperationModel, dialect: QueryDialect): SerializedRequest {
  const writer = new FormWriter(dialect);
  writer.add('Action', operation.name);
  writer.add('Version', operation.metadata.apiVersion);
  const input = operation.inputShape;
  if (input) writer.structure(params, input, '', '');
  const request: SerializedRequest = {
    method: operation.http.method,
    path: '/',
    query: '',
    headers: { 'content-type': FORM_CONTENT_TYPE },
    body: writer.parts.join('&'),
  };
  const hostPrefix = expandHostPrefix(params, operation);
  if (hostPrefix !== undefined) request.hostPrefix = hostPrefix;
  return request;
}

// ---------------------------------------------------------------- parsing

/**
 * A success response: the output structure is read from `<OpResult>` (the output shape's
 * resultWrapper) or from the root (ec2), and ResponseMetadata from the body.
 */
export function parseQueryResponse(response: RawResponse, operation: OperationModel, ec2: boolean): Parsed {
  const root = parseXmlBody(response.body);
  const output = operation.outputShape;
  let parsed: Parsed = {};
  if (output) {
    let start: XmlElement | undefined = root;
    const declared = output.serialization.resultWrapper;
    // Every query output of botocore's models names its `<OpResult>` wrapper; the protocol
    // always wraps, so a model without the trait (the Smithy test vectors) still finds it.
    // ec2 never wraps.
    const wrapper = declared ?? (ec2 ? undefined : `${operation.name}Result`);
    if (wrapper !== undefined) start = childNamed(root, wrapper) ?? (declared === undefined ? root : undefined);
    // botocore fails with a KeyError when the wrapper is missing; an output with nothing in it
    // (as some emulators send it) reads as empty instead.
    if (start) parsed = parseXmlStructure(start, output);
  }
  parsed.ResponseMetadata = xmlResponseMetadata(response, ec2 ? ec2RequestId(root) : queryResponseMetadata(root));
  return parsed;
}

/** `<ResponseMetadata><RequestId>..</RequestId></ResponseMetadata>`: every child, as text. */
function queryResponseMetadata(root: XmlElement): Record<string, unknown> | undefined {
  const node = childNamed(root, 'ResponseMetadata');
  if (!node) return undefined;
  const meta: Record<string, unknown> = {};
  for (const child of node.children) if (child.name !== '__proto__') meta[child.name] = child.text === '' ? null : child.text;
  return meta;
}

/** ec2 puts the id in `<requestId>` directly under the root. */
function ec2RequestId(root: XmlElement): Record<string, unknown> | undefined {
  const node = childNamed(root, 'requestId');
  return node ? { RequestId: node.text === '' ? null : node.text } : undefined;
}

/** An error response, with the modeled error's members merged in (botocore's `_add_modeled_error_fields`). */
export function parseQueryError(response: RawResponse, operation: OperationModel, ec2: boolean): ErrorResponse {
  let root: XmlElement;
  try {
    root = parseXmlBody(response.body);
  } catch (error) {
    // botocore raises here; an unreadable error body (a proxy's, a load balancer's) is better
    // reported by its status line, as rest-xml does, than as a parser failure.
    if (error instanceof ResponseParserError) return errorFromStatus(response);
    throw error;
  }
  if (root.children.length === 0) return errorFromStatus(response);
  const result = parseQueryErrorBody(root, response, ec2);
  const errorShape = operation.serviceModel.shapeForErrorCode(result.Error.Code);
  if (errorShape) Object.assign(result, parseXmlStructure(root, errorShape));
  return result;
}

function errorFromStatus(response: RawResponse): ErrorResponse {
  return {
    Error: { Code: String(response.statusCode), Message: nodeHttp().STATUS_CODES[response.statusCode] ?? '' },
    ResponseMetadata: xmlResponseMetadata(response, undefined),
  };
}

// ---------------------------------------------------------------- the protocol

export class QueryProtocol implements Protocol {
  readonly name: string = 'query';

  serialize(params: Params, operation: OperationModel): SerializedRequest {
    return serializeQueryRequest(params, operation, QUERY_DIALECT);
  }

  parse(response: RawResponse, operation: OperationModel): Parsed {
    return parseQueryResponse(response, operation, false);
  }

  parseError(response: RawResponse, operation: OperationModel): ErrorResponse {
    return parseQueryError(response, operation, false);
  }
}
