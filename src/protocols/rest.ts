/**
 * What the two REST protocols (rest-json, rest-xml) share: members travel in the URI, the
 * query string, headers, a `headers` prefix map, the status code, or the body; only the body's
 * format differs, and that is the codec each protocol hands in (botocore's BaseRestSerializer
 * and BaseRestParser).
 *
 * Which member goes where is worked out once per operation (or output/error shape) and cached:
 * a call only walks the values it was given.
 */
import { Readable } from 'node:stream';
import { IniaError, type ErrorResponse } from '../errors.js';
import { isFileHandle } from '../http/body.js';
import { StreamingBody } from '../http/streaming-body.js';
import type { HttpBody } from '../http/types.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { expandHostPrefix } from './host-prefix.js';
import { isPlainObject } from './json.js';
import type { Params, Parsed, RawResponse, SerializedRequest } from './types.js';
import {
  SerializationError,
  formatTimestamp,
  fromBase64,
  parseTimestamp,
  pythonFloat,
  toBase64,
  toDate,
  type TimestampFormat,
} from './values.js';

// ---------------------------------------------------------------- the body codec

/** The part of a REST protocol that differs between JSON and XML: the body's format. */
export interface RestBodyCodec {
  /**
   * The body for a structure: the input's body members (`shape` is the input shape) or a
   * structure payload (`shape` is the payload member's shape).
   */
  serializeBody(value: Params, shape: Shape): string;
  /** The body of an unset structure payload, or of an input with body members none of which is set. */
  readonly emptyBody: string;
  /** Whether an input with body members but no value for any of them still sends `emptyBody` (JSON: '{}'). */
  readonly emptyBodyForUnsetMembers: boolean;
  /** Content-Type for structured bodies, when the protocol sets one (botocore: JSON only). */
  readonly contentType: string | undefined;
  /** The body parsed as `shape` (an output, error or structure payload shape). */
  parseBody(body: Uint8Array, shape: Shape): unknown;
}

// ---------------------------------------------------------------- percent-encoding

/**
 * botocore's percent_encode: everything but RFC 3986 unreserved characters is encoded
 * (encodeURIComponent also leaves !'()* alone, so those are added here). A greedy label
 * (`{Key+}`) keeps its '/'.
 */
export function percentEncode(value: string, keepSlash = false): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new SerializationError(`Cannot percent-encode ${JSON.stringify(value)}: it is not valid Unicode (lone surrogate)`);
  }
  encoded = encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

// Python's float text (pythonFloat) is in values.ts, shared with validation; re-exported for the callers that know it here.
export { pythonFloat };


/** A float member's text: special values as AWS spells them, numbers as Python prints them. */
function floatText(value: unknown): string {
  return typeof value === 'number' ? pythonFloat(value) : String(value);
}

/** json.dumps(value, separators=(',', ':')): compact, with non-ASCII escaped as Python does by default. */
export function pythonJsonDumps(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------- request plans

type Location = 'uri' | 'querystring' | 'header' | 'headers' | 'body';

interface MemberPlan {
  location: Location;
  /** Wire name: the URI label, query key, header name (lowercase) or header prefix (lowercase). */
  key: string;
  shape: Shape;
}

type TemplatePart = string | { label: string; greedy: boolean };

interface RequestPlan {
  method: string;
  path: TemplatePart[];
  /** The query part of requestUri ('list-type=2', 'uploads'), '' when none. */
  query: TemplatePart[];
  members: Map<string, MemberPlan>;
  /** Whether any input member travels in the body (JSON then sends '{}' even when none is set). */
  hasBodyMembers: boolean;
  payload:
    | { name: string; shape: Shape; raw: true }
    | { name: string; shape: Shape; raw: false; union: boolean }
    | undefined;
  input: Shape | null;
}

const requestPlans = new WeakMap<OperationModel, RequestPlan>();

function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const re = /\{([^}]*)\}/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    const name = m[1]!;
    parts.push(name.endsWith('+') ? { label: name.slice(0, -1), greedy: true } : { label: name, greedy: false });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

function requestPlan(operation: OperationModel): RequestPlan {
  let plan = requestPlans.get(operation);
  if (plan !== undefined) return plan;
  const http = operation.http;
  const uri = http.requestUri;
  // Labels are percent-encoded, so the first '?' of the rendered URI is always the template's.
  const q = uri.indexOf('?');
  const input = operation.inputShape;
  const members = new Map<string, MemberPlan>();
  let hasBodyMembers = false;
  let payload: RequestPlan['payload'];
  if (input) {
    for (const [name, shape] of input.members) {
      const ser = shape.serialization;
      const location = (ser.location ?? 'body') as Location;
      const wire = ser.name ?? name;
      const key = location === 'header' || location === 'headers' ? wire.toLowerCase() : wire;
      members.set(name, { location, key, shape });
      if (ser.location === undefined) hasBodyMembers = true;
    }
    const payloadName = input.serialization.payload;
    if (payloadName !== undefined) {
      const shape = input.members.get(payloadName);
      if (!shape) throw new IniaError(`Operation ${operation.name}: payload member ${payloadName} is not a member of its input`);
      payload =
        shape.typeName === 'blob' || shape.typeName === 'string'
          ? { name: payloadName, shape, raw: true }
          : { name: payloadName, shape, raw: false, union: shape.isTaggedUnion };
    }
  }
  plan = {
    method: http.method,
    path: parseTemplate(q < 0 ? uri : uri.slice(0, q)),
    query: q < 0 ? [] : parseTemplate(uri.slice(q + 1)),
    members,
    hasBodyMembers,
    payload,
    input,
  };
  requestPlans.set(operation, plan);
  return plan;
}

// ---------------------------------------------------------------- serialization

/** botocore's _get_uri_and_query_string_value: how a scalar reads in a URI label or a query value. */
function uriValue(value: unknown, shape: Shape, where: string): string {
  switch (shape.typeName) {
    case 'boolean':
      return String(value).toLowerCase();
    case 'timestamp':
      return String(formatTimestamp(toDate(value, where), timestampFormatOf(shape, 'iso8601')));
    case 'float':
    case 'double':
      return floatText(value);
    default:
      return String(value);
  }
}

function timestampFormatOf(shape: Shape, fallback: TimestampFormat): TimestampFormat {
  const declared = shape.serialization.timestampFormat;
  return declared === undefined ? fallback : (declared.toLowerCase() as TimestampFormat);
}

/** botocore's _convert_header_value. */
function headerValue(value: unknown, shape: Shape, where: string): string {
  switch (shape.typeName) {
    case 'timestamp': {
      // Headers carry whole seconds, whatever the format.
      const seconds = Math.floor(toDate(value, where).getTime() / 1000);
      return String(formatTimestamp(new Date(seconds * 1000), timestampFormatOf(shape, 'rfc822')));
    }
    case 'list': {
      if (!Array.isArray(value)) throw new SerializationError(`Invalid type for parameter ${where}: expected a list`);
      const member = shape.member;
      const out: string[] = [];
      for (const item of value) {
        if (item === null || item === undefined) continue;
        out.push(member.typeName === 'string' ? quoteListItem(String(item)) : headerValue(item, member, where));
      }
      // botocore joins with ',' (no space); RFC 7230 readers accept both.
      return out.join(',');
    }
    case 'boolean':
      return String(value).toLowerCase();
    case 'float':
    case 'double':
      return floatText(value);
    case 'string':
      // A `jsonvalue` header holds any JSON value, sent as base64 of its compact JSON.
      if (shape.serialization.jsonvalue) return Buffer.from(pythonJsonDumps(value), 'utf8').toString('base64');
      return String(value);
    default:
      return String(value);
  }
}

/** A list item holding ',' or '"' is quoted, so the list still splits back into the same items. */
function quoteListItem(item: string): string {
  return item.includes('"') || item.includes(',') ? `"${item.replace(/"/g, '\\"')}"` : item;
}

function renderTemplate(parts: TemplatePart[], labels: Map<string, string>, operation: OperationModel): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = labels.get(part.label);
    if (value === undefined) {
      throw new SerializationError(`Missing required parameter for ${operation.name}: the URI needs "${part.label}"`);
    }
    out += percentEncode(value, part.greedy);
  }
  return out;
}

/** A streaming or raw payload, as the user may give it: string, bytes, a Readable, a FileHandle. */
function rawBody(value: unknown, where: string): HttpBody | undefined {
  if (typeof value === 'string') return value.length === 0 ? undefined : value;
  if (value instanceof Uint8Array) return value.byteLength === 0 ? undefined : value;
  if (value instanceof ArrayBuffer) return value.byteLength === 0 ? undefined : new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return value.byteLength === 0 ? undefined : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  // Streams are passed through untouched: never buffered, never read here.
  if (value instanceof Readable) return value;
  // Another call's StreamingBody (a GetObject's Body piped to PutObject; a stubbed answer's):
  // its stream, as botocore takes any file-like object.
  if (value instanceof StreamingBody) return value.stream;
  // The client opens a FileHandle as a stream (with its Content-Length) right before sending.
  if (isFileHandle(value)) return value;
  throw new SerializationError(
    `Invalid type for parameter ${where}: expected a string, Uint8Array, Readable stream or FileHandle, got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Query pairs in the order botocore's dict keeps them. A modeled querystring member always
 * wins over a key of the same name from a map-typed querystring member (Smithy's precedence
 * rule), whichever the user listed first.
 */
class QueryPairs {
  readonly values = new Map<string, string | string[]>();
  private readonly modeled = new Set<string>();

  setModeled(key: string, value: string | string[]): void {
    this.values.set(key, value);
    this.modeled.add(key);
  }

  setFromMap(key: string, value: string | string[]): void {
    if (!this.modeled.has(key)) this.values.set(key, value);
  }

  encode(): string {
    const out: string[] = [];
    for (const [key, value] of this.values) {
      const k = percentEncode(key);
      if (Array.isArray(value)) for (const v of value) out.push(`${k}=${percentEncode(v)}`);
      else out.push(`${k}=${percentEncode(value)}`);
    }
    return out.join('&');
  }
}

/** botocore's BaseRestSerializer.serialize_to_request, with the body format left to `codec`. */
export function serializeRest(params: Params, operation: OperationModel, codec: RestBodyCodec): SerializedRequest {
  const plan = requestPlan(operation);
  const headers: Record<string, string> = {};
  const request: SerializedRequest = { method: plan.method, path: '', query: '', headers, body: undefined };
  const hostPrefix = expandHostPrefix(params, operation);
  if (hostPrefix !== undefined) request.hostPrefix = hostPrefix;

  const labels = new Map<string, string>();
  const query = new QueryPairs();
  let bodyParams: Params | undefined;

  if (plan.input) {
    if (!isPlainObject(params)) throw new SerializationError(`Invalid type for parameter input: expected a structure (object), got ${describe(params)}`);
    for (const name of Object.keys(params)) {
      const value = params[name];
      // undefined and null mean "not given".
      if (value === undefined || value === null) continue;
      const member = plan.members.get(name);
      if (!member) {
        throw new SerializationError(`Unknown parameter in input: "${name}", must be one of: ${[...plan.members.keys()].join(', ')}`);
      }
      const { shape, key } = member;
      switch (member.location) {
        case 'uri':
          labels.set(key, uriValue(value, shape, name));
          break;
        case 'querystring':
          if (shape.typeName === 'map') {
            if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${name}: expected a map`);
            for (const k of Object.keys(value)) {
              const v = value[k];
              if (v === undefined || v === null) continue;
              query.setFromMap(k, Array.isArray(v) ? v.map((e) => String(e)) : String(v));
            }
          } else if (shape.typeName === 'list') {
            if (!Array.isArray(value)) throw new SerializationError(`Invalid type for parameter ${name}: expected a list`);
            const itemShape = shape.member;
            query.setModeled(key, value.map((item, i) => uriValue(item, itemShape, `${name}[${i}]`)));
          } else {
            query.setModeled(key, uriValue(value, shape, name));
          }
          break;
        case 'header':
          // An empty list sends no header at all (botocore).
          if (shape.typeName === 'list' && Array.isArray(value) && value.length === 0) break;
          headers[key] = headerValue(value, shape, name);
          break;
        case 'headers':
          if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${name}: expected a map`);
          for (const k of Object.keys(value)) {
            const v = value[k];
            if (v !== undefined && v !== null) headers[key + k.toLowerCase()] = String(v);
          }
          break;
        default:
          (bodyParams ??= {})[name] = value;
      }
    }
  }

  request.path = renderTemplate(plan.path, labels, operation);
  const templateQuery = plan.query.length ? renderTemplate(plan.query, labels, operation) : '';
  const encodedQuery = query.encode();
  request.query = templateQuery && encodedQuery ? `${templateQuery}&${encodedQuery}` : templateQuery || encodedQuery;

  const payload = plan.payload;
  if (payload?.raw) {
    // A blob or string payload (S3's Body) is the body itself, in any form the user has it.
    const value = params[payload.name];
    if (value !== undefined && value !== null) request.body = rawBody(value, payload.name);
    return request;
  }
  let body: string | undefined;
  if (payload) {
    const value = params[payload.name];
    if (value !== undefined && value !== null) body = codec.serializeBody(value as Params, payload.shape);
    // An unset union payload sends nothing (Smithy); an unset structure sends the empty document.
    else if (!payload.union) body = codec.emptyBody;
  } else if (bodyParams) {
    body = codec.serializeBody(bodyParams, plan.input!);
  } else if (plan.hasBodyMembers && codec.emptyBodyForUnsetMembers) {
    body = codec.emptyBody;
  }
  if (body !== undefined && body.length > 0) {
    request.body = body;
    if (codec.contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = codec.contentType;
  }
  return request;
}

// ---------------------------------------------------------------- response plans

interface ResponsePlan {
  statusCode: string[];
  headers: Array<{ name: string; header: string; shape: Shape }>;
  prefixes: Array<{ name: string; prefix: string; shape: Shape }>;
  payload:
    | { name: string; shape: Shape; kind: 'stream' | 'blob' | 'string' | 'eventstream' }
    | { name: string; shape: Shape; kind: 'structure'; union: boolean }
    | undefined;
}

const responsePlans = new WeakMap<Shape, ResponsePlan>();

function responsePlan(shape: Shape): ResponsePlan {
  let plan = responsePlans.get(shape);
  if (plan !== undefined) return plan;
  plan = { statusCode: [], headers: [], prefixes: [], payload: undefined };
  for (const [name, member] of shape.members) {
    const ser = member.serialization;
    if (ser.location === 'statusCode') plan.statusCode.push(name);
    else if (ser.location === 'header') plan.headers.push({ name, header: (ser.name ?? name).toLowerCase(), shape: member });
    else if (ser.location === 'headers') plan.prefixes.push({ name, prefix: (ser.name ?? '').toLowerCase(), shape: member });
  }
  const payloadName = shape.serialization.payload;
  if (payloadName !== undefined) {
    const member = shape.members.get(payloadName);
    if (member) {
      if (member.serialization.eventstream) plan.payload = { name: payloadName, shape: member, kind: 'eventstream' };
      else if (member.typeName === 'blob' || member.typeName === 'string') {
        const streaming = member.serialization.streaming === true;
        plan.payload = { name: payloadName, shape: member, kind: streaming ? 'stream' : member.typeName === 'blob' ? 'blob' : 'string' };
      } else plan.payload = { name: payloadName, shape: member, kind: 'structure', union: member.isTaggedUnion };
    }
  }
  responsePlans.set(shape, plan);
  return plan;
}

// ---------------------------------------------------------------- response parsing

const decoder = new TextDecoder();

/**
 * botocore's BaseRestParser._add_modeled_parse: status code and header members first, then the
 * payload member or the body's members. Used for outputs and for modeled error shapes alike.
 */
export function parseRestShape(response: RawResponse, shape: Shape, codec: RestBodyCodec, successOutput = false): Parsed {
  const plan = responsePlan(shape);
  const out: Parsed = {};
  for (const name of plan.statusCode) out[name] = response.statusCode;
  const headers = response.headers;
  for (const { name, header, shape: member } of plan.headers) {
    const raw = headers[header];
    if (raw !== undefined) out[name] = parseHeaderValue(raw, member);
  }
  for (const { name, prefix } of plan.prefixes) {
    const map: Record<string, string> = {};
    // Header names arrive lowercase; the prefix is compared lowercase too.
    for (const key of Object.keys(headers)) if (key.toLowerCase().startsWith(prefix)) map[key.slice(prefix.length)] = headers[key]!;
    out[name] = map;
  }
  const payload = plan.payload;
  if (payload) {
    const body = response.body;
    switch (payload.kind) {
      case 'eventstream':
        throw new IniaError(`${payload.name} is an event stream, which inia does not support yet`);
      case 'stream':
        out[payload.name] = streamingBody(response);
        break;
      case 'blob':
        // A successful answer's blob payload is a StreamingBody, streaming trait or not, empty or
        // not (botocore's has_streaming_output: Lambda Invoke's Payload). An error shape's stays
        // bytes, an empty one absent (Smithy's protocol tests).
        if (successOutput) out[payload.name] = streamingBody(response);
        else if (body.length > 0) out[payload.name] = body;
        break;
      case 'string':
        if (body.length > 0) out[payload.name] = decoder.decode(body);
        break;
      case 'structure':
        // An empty body holds no union member; botocore would fail on it, Smithy says "absent".
        if (!(payload.union && isBlank(body))) out[payload.name] = codec.parseBody(body, payload.shape);
        break;
    }
  } else {
    const parsed = codec.parseBody(response.body, shape);
    if (isPlainObject(parsed)) Object.assign(out, parsed);
  }
  return out;
}

function isBlank(body: Uint8Array): boolean {
  for (const byte of body) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
  return true;
}

function streamingBody(response: RawResponse): StreamingBody {
  const length = response.headers['content-length'];
  const contentLength = length !== undefined && /^\d+$/.test(length.trim()) ? Number(length) : undefined;
  if (response.stream) return new StreamingBody(response.stream, contentLength);
  // A buffered body (a stubbed response, a before-send handler's answer) is streamed from memory.
  return new StreamingBody(Readable.from([Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength)]), response.body.byteLength);
}

/** A header's text as the member's type. */
export function parseHeaderValue(raw: string, shape: Shape): unknown {
  switch (shape.typeName) {
    case 'list': {
      const items = splitHeaderList(raw);
      const member = shape.member;
      // An HTTP date holds a comma itself ("Mon, 16 Dec 2019 ..."): glue its two halves back.
      const values = member.typeName === 'timestamp' ? joinHttpDates(items) : items;
      return values.map((item) => parseHeaderValue(item, member));
    }
    case 'boolean':
      return raw.trim().toLowerCase() === 'true';
    case 'integer':
    case 'long':
    case 'byte':
    case 'short':
      return Number.parseInt(raw, 10);
    case 'float':
    case 'double':
      return parseFloatText(raw);
    case 'timestamp':
      return parseTimestamp(raw.trim());
    case 'blob':
      return fromBase64(raw);
    case 'string':
      if (shape.serialization.jsonvalue) return JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as unknown;
      return raw;
    default:
      return raw;
  }
}

function parseFloatText(raw: string): number {
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'infinity' || lower === 'inf' || lower === '+infinity' || lower === '+inf') return Infinity;
  if (lower === '-infinity' || lower === '-inf') return -Infinity;
  return Number(text);
}

/** RFC 7230 list splitting: ',' separates items, a quoted item may hold ',' and escaped '"'. */
export function splitHeaderList(raw: string): string[] {
  const items: string[] = [];
  let i = 0;
  const n = raw.length;
  while (i <= n) {
    while (i < n && (raw[i] === ' ' || raw[i] === '\t')) i++;
    let item = '';
    if (raw[i] === '"') {
      i++;
      while (i < n && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < n) i++;
        item += raw[i];
        i++;
      }
      i++; // closing quote
      while (i < n && raw[i] !== ',') i++;
    } else {
      const end = raw.indexOf(',', i);
      const stop = end < 0 ? n : end;
      item = raw.slice(i, stop).trim();
      i = stop;
    }
    items.push(item);
    i++; // the ','
  }
  return items;
}

function joinHttpDates(items: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/i.test(item) && i + 1 < items.length) {
      out.push(`${item}, ${items[i + 1]}`);
      i++;
    } else out.push(item);
  }
  return out;
}

/**
 * ResponseMetadata of a REST response: the request id from x-amzn-requestid, else S3's
 * x-amz-request-id together with x-amz-id-2 as HostId.
 */
export function restResponseMetadata(response: RawResponse): ErrorResponse['ResponseMetadata'] {
  const meta: ErrorResponse['ResponseMetadata'] = {
    HTTPStatusCode: response.statusCode,
    HTTPHeaders: response.headers,
    RetryAttempts: 0,
  };
  const headers = response.headers;
  if (headers['x-amzn-requestid'] !== undefined) meta.RequestId = headers['x-amzn-requestid'];
  else if (headers['x-amz-request-id'] !== undefined) {
    meta.RequestId = headers['x-amz-request-id'];
    meta.HostId = headers['x-amz-id-2'] ?? '';
  }
  return meta;
}

/** botocore's BaseRestParser.parse for a success response. */
export function parseRestOutput(response: RawResponse, operation: OperationModel, codec: RestBodyCodec): Parsed {
  const output = operation.outputShape;
  const parsed = output ? parseRestShape(response, output, codec, true) : {};
  parsed.ResponseMetadata = restResponseMetadata(response);
  return parsed;
}

/** Formats `value` as an HTTP body timestamp would be for `shape`; exported for the XML body writer. */
export function bodyTimestamp(value: unknown, shape: Shape, fallback: TimestampFormat, where: string): string {
  return String(formatTimestamp(toDate(value, where), timestampFormatOf(shape, fallback)));
}

/** Base64 text of a blob value; exported for the XML body writer. */
export function blobText(value: unknown, where: string): string {
  return toBase64(value, where);
}
