/**
 * The `rest-xml` protocol (S3, Route 53, CloudFront): members in the URI, query string and
 * headers as rest.ts places them, the rest as an XML document (botocore's RestXMLSerializer
 * and RestXMLParser).
 */
import type { ErrorResponse } from '../errors.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { isPlainObject } from './json.js';
import { blobText, bodyTimestamp, parseRestOutput, parseRestShape, pythonFloat, serializeRest, type RestBodyCodec } from './rest.js';
import type { Params, Parsed, Protocol, RawResponse, SerializedRequest } from './types.js';
import { SerializationError } from './values.js';
import { parseXmlFast } from './xml/direct.js';
import { parseRestXmlErrorResponse, parseXmlBody, parseXmlValue } from './xml/shape-parser.js';

// ---------------------------------------------------------------- the XML body writer

/** An element under construction: attributes can still be added after it is created (see lists). */
interface XmlNode {
  name: string;
  attributes: Array<[string, string]>;
  children: XmlNode[];
  text: string;
}

function element(parent: XmlNode | undefined, name: string): XmlNode {
  const node: XmlNode = { name, attributes: [], children: [], text: '' };
  parent?.children.push(node);
  return node;
}

/** `xmlNamespace` on a shape becomes `xmlns` / `xmlns:prefix` on its element. */
function addNamespace(shape: Shape, node: XmlNode): void {
  const ns = shape.serialization.xmlNamespace;
  if (ns === undefined) return;
  if (typeof ns === 'string') node.attributes.push(['xmlns', ns]);
  else node.attributes.push([ns.prefix ? `xmlns:${ns.prefix}` : 'xmlns', ns.uri]);
}

function writeValue(shape: Shape, value: unknown, parent: XmlNode, name: string, path: string): void {
  switch (shape.typeName) {
    case 'structure':
      writeStructure(shape, value, parent, name, path);
      return;
    case 'list':
      writeList(shape, value, parent, name, path);
      return;
    case 'map':
      writeMap(shape, value, parent, name, path);
      return;
  }
  const node = element(parent, name);
  switch (shape.typeName) {
    case 'boolean':
      node.text = value ? 'true' : 'false';
      break;
    case 'blob':
      node.text = blobText(value, path);
      break;
    case 'timestamp':
      node.text = bodyTimestamp(value, shape, 'iso8601', path);
      break;
    case 'float':
    case 'double':
      node.text = typeof value === 'number' ? pythonFloat(value) : String(value);
      break;
    default:
      node.text = String(value);
  }
  addNamespace(shape, node);
}

function writeStructure(shape: Shape, value: unknown, parent: XmlNode, name: string, path: string): void {
  if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${path || 'input'}: expected a structure (object)`);
  const node = element(parent, name);
  addNamespace(shape, node);
  const members = shape.members;
  // The user's key order, as botocore walks params.items().
  for (const key of Object.keys(value)) {
    const v = value[key];
    // botocore stops at the first None here (a bug); skipping it is what it means.
    if (v === undefined || v === null) continue;
    const member = members.get(key);
    if (!member) throw new SerializationError(`Unknown parameter in ${path || 'input'}: "${key}", must be one of: ${[...members.keys()].join(', ')}`);
    const memberName = member.serialization.name ?? key;
    if (member.serialization.xmlAttribute) {
      node.attributes.push([memberName, String(v)]);
      continue;
    }
    writeValue(member, v, node, memberName, path ? `${path}.${key}` : key);
  }
}

function writeList(shape: Shape, value: unknown, parent: XmlNode, name: string, path: string): void {
  if (!Array.isArray(value)) throw new SerializationError(`Invalid type for parameter ${path}: expected a list`);
  const member = shape.member;
  let listNode: XmlNode;
  let itemName: string;
  if (shape.serialization.flattened) {
    // Flattened: the items sit directly in the parent, each named as the list.
    listNode = parent;
    itemName = name;
  } else {
    listNode = element(parent, name);
    itemName = member.serialization.name ?? 'member';
  }
  // botocore puts a flattened list's namespace on the parent element: kept for identical bytes.
  addNamespace(shape, listNode);
  for (let i = 0; i < value.length; i++) writeValue(member, value[i], listNode, itemName, `${path}[${i}]`);
}

function writeMap(shape: Shape, value: unknown, parent: XmlNode, name: string, path: string): void {
  if (!isPlainObject(value)) throw new SerializationError(`Invalid type for parameter ${path}: expected a map`);
  const flattened = shape.serialization.flattened === true;
  let mapNode: XmlNode | undefined;
  if (!flattened) {
    mapNode = element(parent, name);
    addNamespace(shape, mapNode);
  }
  const keyShape = shape.key;
  const valueShape = shape.value;
  const keyName = keyShape.serialization.name ?? 'key';
  const valueName = valueShape.serialization.name ?? 'value';
  for (const key of Object.keys(value)) {
    const entry = flattened ? element(parent, name) : element(mapNode, 'entry');
    writeValue(keyShape, key, entry, keyName, `${path}.${key}`);
    writeValue(valueShape, value[key], entry, valueName, `${path}.${key}`);
  }
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;', '\t': '&#09;' };

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"\r\n\t]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

/** ElementTree's serialization: no declaration, `<empty />` for an element without text or children. */
function render(node: XmlNode, out: string[]): void {
  out.push('<', node.name);
  for (const [k, v] of node.attributes) out.push(' ', k, '="', escapeAttribute(v), '"');
  if (node.text === '' && node.children.length === 0) {
    out.push(' />');
    return;
  }
  out.push('>', escapeText(node.text));
  for (const child of node.children) render(child, out);
  out.push('</', node.name, '>');
}

/**
 * The XML document for a structure: its root element is named by the shape's locationName
 * (the payload member's, or the operation input's), as botocore names it.
 */
export function serializeXmlBody(value: Params, shape: Shape): string {
  const pseudoRoot = element(undefined, '');
  writeValue(shape, value, pseudoRoot, shape.serialization.name ?? shape.name, '');
  const root = pseudoRoot.children[0];
  if (!root) return '';
  const out: string[] = [];
  render(root, out);
  return out.join('');
}

// ---------------------------------------------------------------- the protocol

const xmlCodec: RestBodyCodec = {
  serializeBody: serializeXmlBody,
  emptyBody: '',
  emptyBodyForUnsetMembers: false,
  // botocore sets no Content-Type on rest-xml requests.
  contentType: undefined,
  parseBody(body: Uint8Array, shape: Shape): unknown {
    // An empty body reads as an empty root element: a structure of no members.
    if (shape.typeName === 'structure') return parseXmlFast(body, shape);
    return parseXmlValue(parseXmlBody(body), shape);
  },
};

export class RestXmlProtocol implements Protocol {
  readonly name = 'rest-xml';

  serialize(params: Params, operation: OperationModel): SerializedRequest {
    return serializeRest(params, operation, xmlCodec);
  }

  parse(response: RawResponse, operation: OperationModel): Parsed {
    return parseRestOutput(response, operation, xmlCodec);
  }

  /**
   * botocore's RestXMLParser error parsing: S3's `<Error>` body, or `<ErrorResponse><Error>`
   * (Route 53, CloudFront); an empty or unreadable body gives the status code and its reason
   * phrase (a HEAD that 404s reads Code '404', Message 'Not Found').
   */
  parseError(response: RawResponse, operation: OperationModel): ErrorResponse {
    const result = parseRestXmlErrorResponse(response);
    const errorShape = operation.serviceModel.shapeForErrorCode(result.Error.Code);
    // Modeled members come from the error's headers and its <Error> element, as an output's would.
    if (errorShape) Object.assign(result, parseRestShape(response, errorShape, xmlCodec));
    return result;
  }
}
