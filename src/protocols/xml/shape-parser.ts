/**
 * Shape-driven reading of XML response bodies: botocore's BaseXMLResponseParser semantics,
 * shared by the query, ec2 and rest-xml protocols.
 *
 * Exports (what each protocol uses):
 * - `parseXmlBody(body)`: the root element of a body; an empty (or blank) body reads as an
 *   empty element, so an output with no members parses to {} instead of failing.
 * - `parseXmlStructure(element, shape)`: a structure element against its shape. Members are
 *   found by `locationName` (else the member name); flattened lists by their member's
 *   `locationName`; `xmlAttribute` members from the element's attributes; members located in
 *   headers / the status code are skipped (rest-xml reads those itself). For an exception
 *   shape the error root is found first (`<ErrorResponse><Error>`, ec2's
 *   `<Response><Errors><Error>`), as botocore's `_get_error_root` does. rest-xml: call it with
 *   the body's root element for an output without `payload`, or with `parseXmlValue(root,
 *   payloadMemberShape)` for a structure payload; for a modeled error, with the body's root
 *   and the exception shape (the header members are rest-xml's part).
 * - `parseXmlValue(node, shape)`: any shape; `node` is one element or the repeated elements
 *   of a flattened member.
 * - `parseXmlScalar(text, shape)`: a scalar from text (also usable for header values).
 * - `xmlElementToDict(element)`: botocore's untyped conversion of an error body
 *   (`_build_name_to_xml_node` + `_replace_nodes`): leaves become text (null when empty).
 * - `parseQueryErrorBody(root, ec2)`: the error dict of the query and ec2 protocols
 *   (`<ErrorResponse><Error>...</Error><RequestId>` and `<Response><Errors><Error>...<RequestID>`).
 * - `parseRestXmlErrorResponse(response)`: rest-xml's error dict: S3's bare
 *   `<Error><Code/><Message/><RequestId/><HostId/></Error>` (RequestId/HostId then come from
 *   the x-amz-request-id / x-amz-id-2 headers, as botocore does), the wrapped
 *   `<ErrorResponse><Error>` form (CloudFront, Route 53), and an empty or unparsable body
 *   (code = the HTTP status as a string, message = its reason phrase: HEAD 404 -> '404' /
 *   'Not Found'). Modeled error members are not merged here: rest-xml merges
 *   `parseXmlStructure(parseXmlBody(body), errorShape)` plus its header members.
 * - `restXmlErrorFromStatus(response)`: that status-only error on its own.
 * - `xmlResponseMetadata(response, fromBody)`: ResponseMetadata as every protocol returns it.
 */
import { nodeHttp } from '../../builtins.js';
import { ResponseParserError, type ErrorResponse, type ResponseMetadata } from '../../errors.js';
import type { Shape } from '../../models/shapes.js';
import type { RawResponse } from '../types.js';
import { fromBase64, parseTimestamp } from '../values.js';
import { parseXml, type XmlElement } from './reader.js';

/** One element, or the repeated same-named elements a flattened member (or a repeat) gives. */
export type XmlNode = XmlElement | XmlElement[];

// ---------------------------------------------------------------- per-shape plans

/** Members located outside the body (rest-xml): botocore's KNOWN_LOCATIONS. */
const NON_BODY_LOCATIONS = new Set(['header', 'headers', 'statusCode']);

interface MemberPlan {
  name: string;
  shape: Shape;
  /** Index of the member's XML name in the structure's slot table. */
  slot: number;
  /** A flattened list named by its list member: the structure member's own name, tried second. */
  fallbackSlot?: number;
  /** For xmlAttribute members: the attribute's local name and whether it is namespaced. */
  attributeLocal?: string;
  attributeNamespaced?: boolean;
  attributeName?: string;
}

interface StructurePlan {
  members: MemberPlan[];
  /** XML element name -> slot; members sharing an XML name share a slot. */
  slots: Map<string, number>;
  /** Names a tagged union's members are sent under (to spot an unknown member). */
  unionNames: Set<string> | undefined;
}

// Shapes are cached by the model (member shapes by their parent), so a WeakMap keyed by the
// Shape computes each structure's plan once per process.
const plans = new WeakMap<Shape, StructurePlan>();

function structurePlan(shape: Shape): StructurePlan {
  let plan = plans.get(shape);
  if (plan !== undefined) return plan;
  const members: MemberPlan[] = [];
  const slots = new Map<string, number>();
  for (const [name, member] of shape.members) {
    const ser = member.serialization;
    if ((ser.location !== undefined && NON_BODY_LOCATIONS.has(ser.location)) || ser.eventheader) continue;
    const xmlName = memberXmlName(member, name);
    const entry: MemberPlan = { name, shape: member, slot: slotFor(slots, xmlName) };
    const ownName = ser.name ?? name;
    // botocore reads a flattened list under its list member's locationName (SimpleDB's
    // <Attribute> items of `Attributes`), and so does inia first. The Smithy test vectors
    // repeat the structure member's own name instead: that name is tried when the first finds
    // nothing, where botocore would return nothing at all (no AWS model sends that form).
    if (ownName !== xmlName) entry.fallbackSlot = slotFor(slots, ownName);
    if (ser.xmlAttribute && ser.name !== undefined) {
      const colon = ser.name.indexOf(':');
      entry.attributeName = ser.name;
      entry.attributeNamespaced = colon !== -1;
      entry.attributeLocal = colon === -1 ? ser.name : ser.name.slice(colon + 1);
    }
    members.push(entry);
  }
  let unionNames: Set<string> | undefined;
  if (shape.isTaggedUnion) {
    unionNames = new Set();
    for (const [name, member] of shape.members) unionNames.add(member.serialization.name ?? name);
  }
  plan = { members, slots, unionNames };
  plans.set(shape, plan);
  return plan;
}

function slotFor(slots: Map<string, number>, xmlName: string): number {
  let slot = slots.get(xmlName);
  if (slot === undefined) {
    slot = slots.size;
    slots.set(xmlName, slot);
  }
  return slot;
}

/**
 * The element name a member is read from (botocore's `_member_key_name`): a flattened list
 * repeats its member's locationName directly inside the structure.
 */
function memberXmlName(member: Shape, name: string): string {
  if (member.typeName === 'list' && member.serialization.flattened) {
    const itemName = member.member.serialization.name;
    if (itemName !== undefined) return itemName;
  }
  return member.serialization.name ?? name;
}

// ---------------------------------------------------------------- typed parsing

/** Parses a structure element (or, for exception shapes, the error root above it). */
export function parseXmlStructure(element: XmlElement, shape: Shape): Record<string, unknown> {
  const node = shape.isException ? findErrorRoot(element) : element;
  const plan = structurePlan(shape);
  const children = node.children;
  const out: Record<string, unknown> = {};

  if (plan.unionNames !== undefined) {
    const tags = new Set<string>();
    for (const child of children) tags.add(child.name);
    if (tags.size !== 1) throw new ResponseParserError(`Invalid service response: ${shape.name} must have one and only one member set.`);
    const [tag] = tags as unknown as [string];
    // A member newer than our model: botocore reports it instead of dropping it silently.
    if (!plan.unionNames.has(tag)) return { SDK_UNKNOWN_MEMBER: { name: tag } };
  }

  // Group the children by member slot in one pass; unknown elements are ignored.
  const found: Array<XmlNode | undefined> = new Array(plan.slots.size);
  const slots = plan.slots;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const slot = slots.get(child.name);
    if (slot === undefined) continue;
    const seen = found[slot];
    if (seen === undefined) found[slot] = child;
    else if (Array.isArray(seen)) seen.push(child);
    else found[slot] = [seen, child];
  }

  for (const member of plan.members) {
    let value = found[member.slot];
    if (value === undefined && member.fallbackSlot !== undefined) value = found[member.fallbackSlot];
    if (value !== undefined) {
      out[member.name] = parseXmlValue(value, member.shape);
    } else if (member.attributeName !== undefined) {
      const attribute = readAttribute(node, member);
      if (attribute !== undefined) out[member.name] = attribute;
    }
  }
  return out;
}

/**
 * An xmlAttribute member. botocore sees namespaced attributes as `{uri}local` and renames them
 * with the prefix of the member's locationName, so `xsi:type` matches whatever prefix the
 * document bound to the namespace; un-namespaced names must match exactly.
 */
function readAttribute(element: XmlElement, member: MemberPlan): string | undefined {
  const attributes = element.attributes;
  if (!member.attributeNamespaced) {
    return Object.prototype.hasOwnProperty.call(attributes, member.attributeName!) ? attributes[member.attributeName!] : undefined;
  }
  if (Object.prototype.hasOwnProperty.call(attributes, member.attributeName!)) return attributes[member.attributeName!];
  const suffix = `:${member.attributeLocal!}`;
  for (const key of Object.keys(attributes)) {
    // Namespace declarations are not attributes to ElementTree (and so to botocore).
    if (key.endsWith(suffix) && !key.startsWith('xmlns:') && key.indexOf(':') === key.length - suffix.length) return attributes[key];
  }
  return undefined;
}

/** Parses any shape from its element (or repeated elements). */
export function parseXmlValue(node: XmlNode, shape: Shape): unknown {
  switch (shape.typeName) {
    case 'structure':
      // A repeated structure element: botocore reads the first one.
      return parseXmlStructure(Array.isArray(node) ? node[0]! : node, shape);
    case 'list':
      return parseList(node, shape);
    case 'map':
      return parseMap(node, shape);
    default:
      return parseXmlScalar((Array.isArray(node) ? node[0]! : node).text, shape);
  }
}

function parseList(node: XmlNode, shape: Shape): unknown[] {
  // Flattened: the repeated elements are the items. Wrapped: every child of the wrapper is an
  // item whatever its name (botocore does not check the member's locationName on the way in).
  // A wrapper element that repeats is, as in botocore, read as a list of its elements.
  const items = Array.isArray(node) ? node : shape.serialization.flattened ? [node] : node.children;
  const member = shape.member;
  const out = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = parseXmlValue(items[i]!, member);
  return out;
}

function parseMap(node: XmlNode, shape: Shape): Record<string, unknown> {
  const keyShape = shape.key;
  const valueShape = shape.value;
  const keyName = keyShape.serialization.name ?? 'key';
  const valueName = valueShape.serialization.name ?? 'value';
  const entries = Array.isArray(node) ? node : shape.serialization.flattened ? [node] : node.children;
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    let key: unknown;
    let value: unknown;
    let hasKey = false;
    let hasValue = false;
    for (const part of entry.children) {
      if (part.name === keyName) {
        key = parseXmlValue(part, keyShape);
        hasKey = true;
      } else if (part.name === valueName) {
        value = parseXmlValue(part, valueShape);
        hasValue = true;
      } else {
        throw new ResponseParserError(`Unknown tag: ${part.name}`);
      }
    }
    if (hasKey && hasValue) setKey(out, String(key), value);
  }
  return out;
}

/** Map keys come from the service: "__proto__" must stay an ordinary key. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A scalar from its text, as botocore's `_handle_<type>` methods read it. */
export function parseXmlScalar(text: string, shape: Shape): unknown {
  switch (shape.typeName) {
    case 'string':
    case 'character':
      return text;
    case 'boolean':
      return text === 'true';
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
      if (!INTEGER.test(text)) throw new ResponseParserError(`Invalid integer value in response for ${shape.name}: ${JSON.stringify(text)}`);
      return Number(text);
    case 'float':
    case 'double':
      return parseFloatText(text, shape);
    case 'timestamp':
      return parseTimestamp(text);
    case 'blob':
      return fromBase64(text);
    default:
      return text;
  }
}

/** Python's float(): decimal and exponent forms, and inf / infinity / nan in any case. */
function parseFloatText(text: string, shape: Shape): number {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  const lower = trimmed.toLowerCase();
  const sign = lower.charCodeAt(0) === 0x2d ? -1 : 1;
  const bare = lower.charCodeAt(0) === 0x2d || lower.charCodeAt(0) === 0x2b ? lower.slice(1) : lower;
  if (bare === 'nan') return NaN;
  if (bare === 'inf' || bare === 'infinity') return sign * Infinity;
  throw new ResponseParserError(`Invalid float value in response for ${shape.name}: ${JSON.stringify(text)}`);
}

// ---------------------------------------------------------------- bodies and errors

const EMPTY_ROOT: XmlElement = Object.freeze({ name: '', attributes: Object.freeze({}) as Record<string, string>, children: Object.freeze([]) as unknown as XmlElement[], text: '' });

/** The root element of a response body; a blank body reads as an empty element. */
export function parseXmlBody(body: Uint8Array | string): XmlElement {
  for (let i = 0; i < body.length; i++) {
    const c = typeof body === 'string' ? body.charCodeAt(i) : body[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return parseXml(body);
  }
  return EMPTY_ROOT;
}

/** The first child with this local name. */
export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  const children = element.children;
  for (let i = 0; i < children.length; i++) if (children[i]!.name === name) return children[i];
  return undefined;
}

/**
 * Where an error's members live: `<ErrorResponse><Error>` (query, rest-xml) or
 * `<Response><Errors><Error>` (ec2); otherwise the element itself (S3's bare `<Error>`).
 */
export function findErrorRoot(root: XmlElement): XmlElement {
  if (root.name === 'ErrorResponse') {
    const error = childNamed(root, 'Error');
    if (error) return error;
  }
  const errors = childNamed(root, 'Errors');
  if (errors) {
    const error = childNamed(errors, 'Error');
    if (error) return error;
  }
  return root;
}

/**
 * botocore's untyped reading of an error body: children by name, repeated names read from
 * their first element, leaves as their text (null when empty, as ElementTree's `.text`).
 */
export function xmlElementToDict(element: XmlElement): Record<string, unknown> {
  const grouped = new Map<string, XmlNode>();
  for (const child of element.children) {
    const seen = grouped.get(child.name);
    if (seen === undefined) grouped.set(child.name, child);
    else if (Array.isArray(seen)) seen.push(child);
    else grouped.set(child.name, [seen, child]);
  }
  const out: Record<string, unknown> = {};
  for (const [name, node] of grouped) {
    let value: unknown;
    // botocore's quirk kept: a repeated element becomes the dict of its first one's children.
    if (Array.isArray(node)) value = xmlElementToDict(node[0]!);
    else if (node.children.length > 0) value = xmlElementToDict(node);
    else value = node.text === '' ? null : node.text;
    setKey(out, name, value);
  }
  return out;
}

/** ResponseMetadata: what the body said, then the HTTP facts, as botocore's `parse()` adds them. */
export function xmlResponseMetadata(response: RawResponse, fromBody: Record<string, unknown> | undefined): ResponseMetadata {
  const meta = { ...(fromBody ?? {}) } as Record<string, unknown>;
  // Not in botocore's query parser, which only reads the body: a body without
  // <ResponseMetadata> (some emulators) still gets the id the service put in the header.
  if (meta.RequestId === undefined || meta.RequestId === null) {
    const header = response.headers['x-amzn-requestid'];
    if (header !== undefined) meta.RequestId = header;
  }
  meta.HTTPStatusCode = response.statusCode;
  meta.HTTPHeaders = response.headers;
  meta.RetryAttempts = 0;
  return meta as unknown as ResponseMetadata;
}

/** Error.Code and Error.Message are always strings in inia (botocore may leave them out or None). */
function normalizeError(value: unknown): ErrorResponse['Error'] {
  const error = (isRecord(value) ? value : {}) as ErrorResponse['Error'];
  if (typeof error.Code !== 'string') error.Code = error.Code === undefined || error.Code === null ? '' : String(error.Code);
  if (typeof error.Message !== 'string') error.Message = error.Message === undefined || error.Message === null ? '' : String(error.Message);
  return error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The query / ec2 error dict (botocore's QueryParser / EC2QueryParser `_do_error_parse`):
 * every child of the root, `Errors` unwrapped, `RequestId` (ec2: `RequestID`) moved into
 * ResponseMetadata. The HTTP part of ResponseMetadata is added by `xmlResponseMetadata`.
 */
export function parseQueryErrorBody(root: XmlElement, response: RawResponse, ec2: boolean): ErrorResponse {
  const parsed = xmlElementToDict(root);
  if ('Errors' in parsed) {
    const errors = parsed.Errors;
    delete parsed.Errors;
    if (isRecord(errors)) Object.assign(parsed, errors);
  }
  let bodyMeta: Record<string, unknown> | undefined;
  if ('RequestId' in parsed) {
    bodyMeta = { RequestId: parsed.RequestId };
    delete parsed.RequestId;
  }
  if (ec2 && 'RequestID' in parsed) {
    bodyMeta = { RequestId: parsed.RequestID };
    delete parsed.RequestID;
  }
  const result = parsed as ErrorResponse;
  result.Error = normalizeError(parsed.Error);
  result.ResponseMetadata = xmlResponseMetadata(response, bodyMeta);
  return result;
}

/** rest-xml's metadata from headers (botocore's `_populate_response_metadata`). */
function restMetadataFromHeaders(headers: Record<string, string>): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (headers['x-amzn-requestid'] !== undefined) meta.RequestId = headers['x-amzn-requestid'];
  else if (headers['x-amz-request-id'] !== undefined) {
    meta.RequestId = headers['x-amz-request-id'];
    // S3 calls it HostId in its XML bodies; botocore always uses that name.
    meta.HostId = headers['x-amz-id-2'] ?? '';
  }
  return meta;
}

/** An error that only has its status line (empty or unreadable body): HEAD 404 -> '404' / 'Not Found'. */
export function restXmlErrorFromStatus(response: RawResponse): ErrorResponse {
  return {
    Error: { Code: String(response.statusCode), Message: nodeHttp().STATUS_CODES[response.statusCode] ?? '' },
    ResponseMetadata: withHttp(response, {
      RequestId: response.headers['x-amz-request-id'] ?? '',
      HostId: response.headers['x-amz-id-2'] ?? '',
    }),
  };
}

function withHttp(response: RawResponse, meta: Record<string, unknown>): ResponseMetadata {
  meta.HTTPStatusCode = response.statusCode;
  meta.HTTPHeaders = response.headers;
  meta.RetryAttempts = 0;
  return meta as unknown as ResponseMetadata;
}

/**
 * rest-xml's error dict (botocore's RestXMLParser `_do_error_parse`): S3's bare `<Error>`,
 * the `<ErrorResponse><Error>` form, or, when the body is empty or not XML, the status line.
 */
export function parseRestXmlErrorResponse(response: RawResponse): ErrorResponse {
  let root: XmlElement | undefined;
  if (response.body.length > 0) {
    try {
      root = parseXmlBody(response.body);
    } catch (error) {
      // A proxy's or load balancer's non-XML answer: the status line is all we know.
      if (!(error instanceof ResponseParserError)) throw error;
    }
  }
  if (root === undefined || root === EMPTY_ROOT) return restXmlErrorFromStatus(response);
  const parsed = xmlElementToDict(root);
  if (root.name === 'Error') {
    // S3: RequestId and HostId are repeated in the headers, where botocore takes them from.
    delete parsed.RequestId;
    delete parsed.HostId;
    return { Error: normalizeError(parsed), ResponseMetadata: withHttp(response, restMetadataFromHeaders(response.headers)) };
  }
  let bodyMeta: Record<string, unknown> = {};
  if ('RequestId' in parsed) {
    bodyMeta = { RequestId: parsed.RequestId };
    delete parsed.RequestId;
  }
  const result = parsed as ErrorResponse;
  result.Error = normalizeError(parsed.Error);
  result.ResponseMetadata = withHttp(response, bodyMeta);
  return result;
}
