/**
 * The official protocol test vectors (test/vectors/protocols): every serialization
 * and parsing case of each protocol inia implements, compared the way botocore's own
 * protocol tests compare them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { maybeCompressRequest } from '../../src/compression.js';
import { buildHttpRequest } from '../../src/http/request.js';
import { StreamingBody } from '../../src/http/streaming-body.js';
import { ServiceModel, type OperationDef, type ServiceDescription, type ShapeDef } from '../../src/models/shapes.js';
import { parseErrorResponse, protocolFor } from '../../src/protocols/index.js';
import { decodeCbor } from '../../src/protocols/cbor.js';
import { parseXml, type XmlElement } from '../../src/protocols/xml/reader.js';
import type { ResolvedEndpoint } from '../../src/endpoints/resolver.js';
import { vectorsDir } from '../helpers/paths.js';

interface Suite {
  description?: string;
  metadata: ServiceDescription['metadata'];
  shapes: Record<string, ShapeDef>;
  cases: Case[];
}

interface Case {
  id?: string;
  description?: string;
  given: OperationDef;
  params?: Record<string, unknown>;
  serialized?: {
    method?: string;
    uri?: string;
    headers?: Record<string, string>;
    forbidHeaders?: string[];
    requireHeaders?: string[];
    body?: string;
    host?: string;
  };
  response?: { status_code: number; headers: Record<string, string>; body?: string };
  result?: Record<string, unknown>;
  error?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
}

/** Every protocol file of the vectors, input and output alike. */
const FILES = readdirSync(join(vectorsDir, 'protocols', 'input')).filter((f) => f.endsWith('.json')).sort();

const endpoint: ResolvedEndpoint = {
  protocol: 'https:',
  hostname: 'example.com',
  port: undefined,
  basePath: '',
  url: 'https://example.com',
  headers: {},
  signingRegion: 'us-east-1',
  signingName: 'service',
};

function modelFor(suite: Suite, given: OperationDef): ServiceModel {
  const description: ServiceDescription = {
    metadata: suite.metadata,
    operations: { [given.name]: given },
    shapes: suite.shapes,
  };
  return new ServiceModel(description, 'conformance');
}

function loadSuites(kind: 'input' | 'output', file: string): Suite[] {
  return JSON.parse(readFileSync(join(vectorsDir, 'protocols', kind, file), 'utf8')) as Suite[];
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function bodyText(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new Error('streaming body in a conformance case');
}

/** Our output in the vectors' notation: epoch seconds for Dates, UTF-8 text for bytes. */
function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    return value;
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
    return out;
  }
  return value;
}

/**
 * Cases where botocore, inia's behaviour reference, deliberately differs from the Smithy
 * vector (botocore's own protocol tests skip them): the case is checked against what botocore
 * does instead, so a change of behaviour still fails.
 */
const BOTOCORE_BEHAVIOUR: Record<string, { headers?: Record<string, string>; forbidHeaders?: string[]; body?: string; uri?: string; result?: Record<string, unknown> }> = {
  // An endpoint URL with a path and an operation at '/': botocore's _urljoin keeps the
  // endpoint's path as it is (https://example.com/custom), without the vector's trailing '/'.
  Ec2QueryHostWithPath: { uri: '/custom' },
  AwsJson11HostWithPath: { uri: '/custom' },
  AwsJson10HostWithPath: { uri: '/custom' },
  QueryHostWithPath: { uri: '/custom' },
  // A `jsonvalue` header holds a JSON value: the string "true" is sent as JSON text '"true"'...
  MediaTypeHeaderInputBase64: { headers: { 'X-Json': 'InRydWUi' } },
  // ...and the header's JSON is decoded on the way back.
  MediaTypeHeaderOutputBase64: { result: { json: true } },
  // An empty blob payload is an empty StreamingBody in botocore (every blob payload is a stream), not absent.
  RestJsonHttpPayloadTraitsWithNoBlobBody: { result: { foo: 'Foo', blob: '' } },
  HttpPayloadTraitsWithNoBlobBody: { result: { foo: 'Foo', blob: '' } },
  // botocore sends no header for an empty list.
  RestJsonNullAndEmptyHeaders: { headers: { 'X-B': '' }, forbidHeaders: ['X-A', 'X-C'] },
  NullAndEmptyHeaders: { headers: { 'X-B': '' }, forbidHeaders: ['X-A', 'X-C'] },
  // A payload's XML root is named by the member's locationName, as in every AWS model
  // (S3's LifecycleConfiguration payload targets the shape BucketLifecycleConfiguration).
  RestXmlHttpPayloadWithUnion: { body: '<nested><greeting>hello</greeting></nested>' },
  HttpPayloadWithXmlName: { body: '<nested><name>Phreddy</name></nested>' },
  HttpPayloadWithXmlNamespace: { body: '<nested xmlns="http://foo.com"><name>Phreddy</name></nested>' },
  HttpPayloadWithXmlNamespaceAndPrefix: { body: '<nested xmlns:baz="http://foo.com"><name>Phreddy</name></nested>' },
  XmlAttributesOnPayload: { body: '<payload test="test"><foo>hi</foo></payload>' },
  // The same naming on the way back: member `nested` is read from <Hello> (its shape's locationName).
  BodyWithXmlName: { body: '<BodyWithXmlNameRequest><Hello><name>Phreddy</name></Hello></BodyWithXmlNameRequest>', result: {} },
  // ec2 capitalizes a locationName, never a bare member name (botocore's EC2Serializer).
  Ec2QueryEndpointTraitWithHostLabel: { body: 'Action=EndpointWithHostLabelOperation&Version=2020-01-08&label=bar' },
  Ec2ProtocolIdempotencyTokenAutoFill: { body: 'Action=QueryIdempotencyTokenAutoFill&Version=2020-01-08&token=00000000-0000-4000-8000-000000000000' },
  Ec2ProtocolIdempotencyTokenAutoFillIsSet: { body: 'Action=QueryIdempotencyTokenAutoFill&Version=2020-01-08&token=00000000-0000-4000-8000-000000000123' },
  Ec2Lists: { body: 'Action=QueryLists&Version=2020-01-08&ListArg.1=foo&ListArg.2=bar&ListArg.3=baz&ComplexListArg.1.hi=hello&ComplexListArg.2.hi=hola' },
  Ec2TimestampsInput: { body: 'Action=QueryTimestamps&Version=2020-01-08&normalFormat=2015-01-25T08%3A00%3A00Z&epochMember=1422172800&epochTarget=1422172800' },
  // A flattened query list whose member has a locationName is sent under that name.
  QueryFlattenedListArgWithXmlName: { body: 'Action=QueryLists&Version=2020-01-08&item.1=A&item.2=B' },
};

/** botocore joins list headers with ',' where the vectors write ', ': compared without the space. */
function headerText(value: string | undefined): string | undefined {
  return value?.replace(/, /g, ',');
}

/** A rest-json body is JSON, except a raw blob/string payload, which compares as text. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** XML bodies compare as trees with surrounding whitespace stripped (botocore: ET.canonicalize(strip_text=True)). */
function xmlTree(text: string): unknown {
  const walk = (e: XmlElement): unknown => ({ name: e.name, attributes: e.attributes, text: e.text.trim(), children: e.children.map(walk) });
  try {
    return walk(parseXml(text));
  } catch {
    // A raw blob/string payload is not XML: it compares as text.
    return text;
  }
}

/** The client fills an unset idempotency token with a random UUID; the vectors expect this one. */
function withIdempotencyTokens(params: Record<string, unknown>, model: ServiceModel, op: string): Record<string, unknown> {
  const input = model.operationModel(op).inputShape;
  const out = { ...params };
  for (const [name, member] of input?.members ?? []) if (member.isIdempotencyToken && out[name] === undefined) out[name] = '00000000-0000-4000-8000-000000000000';
  return out;
}

for (const file of FILES) {
  describe(`protocol input ${file}`, () => {
    for (const suite of loadSuites('input', file)) {
      for (const c of suite.cases) {
        it(`${c.id ?? c.description}`, () => {
          const model = modelFor(suite, c.given);
          const op = model.operationModel(c.given.name);
          const protocolName = protocolFor(model).name;
          const rest = protocolName === 'rest-json' || protocolName === 'rest-xml';
          const expected = { ...c.serialized!, headers: { ...c.serialized!.headers } };
          const override = BOTOCORE_BEHAVIOUR[c.id ?? ''];
          if (override) Object.assign(expected, override);
          if (rest) {
            // botocore sets Content-Type only for JSON bodies; Content-MD5 is the checksum layer's (a handler in botocore).
            for (const name of Object.keys(expected.headers)) {
              const lower = name.toLowerCase();
              if (lower === 'content-md5' || (lower === 'content-type' && (protocolName === 'rest-xml' || expected.headers[name] !== 'application/json'))) delete expected.headers[name];
            }
          }
          // botocore sends the form body as 'application/x-www-form-urlencoded; charset=utf-8'.
          if (protocolName === 'query' || protocolName === 'ec2') {
            for (const name of Object.keys(expected.headers)) if (name.toLowerCase() === 'content-type' && expected.headers[name] === 'application/x-www-form-urlencoded') expected.headers[name] += '; charset=utf-8';
          }
          const params = rest || protocolName === 'query' || protocolName === 'ec2' ? withIdempotencyTokens(c.params ?? {}, model, c.given.name) : c.params ?? {};
          const serialized = protocolFor(model).serialize(params, op);
          maybeCompressRequest(serialized, op, undefined);
          // "host": "example.com/custom" means the user's endpoint URL had a path.
          const slash = expected.host?.indexOf('/') ?? -1;
          const target = slash > 0 ? { ...endpoint, basePath: expected.host!.slice(slash) } : endpoint;
          const request = buildHttpRequest(target, serialized);
          if (expected.method) assert.equal(request.method, expected.method);
          if (expected.uri) assert.equal(request.path + (request.query ? `?${request.query}` : ''), expected.uri);
          const headers = lowerKeys(request.headers);
          for (const [name, value] of Object.entries(expected.headers ?? {})) assert.equal(headerText(headers[name.toLowerCase()]), headerText(value), `header ${name}`);
          for (const name of expected.forbidHeaders ?? []) assert.equal(headers[name.toLowerCase()], undefined, `forbidden header ${name}`);
          for (const name of expected.requireHeaders ?? []) assert.notEqual(headers[name.toLowerCase()], undefined, `required header ${name}`);
          // Compressed cases give '' as the body: the gzip bytes are not compared, the header is.
          const compressed = expected.body === '' && headers['content-encoding'] !== undefined;
          if (compressed) assert.ok(bodyText(request.body).length > 0 || request.body instanceof Uint8Array);
          // CBOR bodies (base64 in the vectors) compare as decoded values, as botocore's protocol tests do.
          const cbor = (headers['content-type'] ?? '') === 'application/cbor' && request.body instanceof Uint8Array && request.body.length > 0;
          if (cbor) assert.deepEqual(normalize(decodeCbor(request.body as Uint8Array)), normalize(decodeCbor(Buffer.from(expected.body ?? '', 'base64'))));
          else if (expected.body !== undefined && !compressed) {
            const actual = bodyText(request.body);
            const contentType = headers['content-type'] ?? '';
            if (contentType.includes('json') && expected.body !== '') assert.deepEqual(JSON.parse(actual), JSON.parse(expected.body));
            else if (protocolName === 'rest-json' && actual !== '' && expected.body !== '') assert.deepEqual(jsonOrText(actual), jsonOrText(expected.body));
            else if (protocolName === 'rest-xml' && actual !== '' && expected.body !== '') assert.deepEqual(xmlTree(actual), xmlTree(expected.body));
            else assert.equal(actual, expected.body);
          }
          if (expected.host) assert.equal(request.hostname, slash > 0 ? expected.host.slice(0, slash) : expected.host);
        });
      }
    }
  });

  describe(`protocol output ${file}`, () => {
    for (const suite of loadSuites('output', file)) {
      for (const c of suite.cases) {
        it(`${c.id ?? c.description}`, async () => {
          const model = modelFor(suite, c.given);
          const op = model.operationModel(c.given.name);
          const protocol = protocolFor(model);
          const r = c.response!;
          const raw = { statusCode: r.status_code, headers: lowerKeys(r.headers ?? {}), body: Buffer.from(r.body ?? '', protocol.name === 'smithy-rpc-v2-cbor' ? 'base64' : 'utf8') };
          if (c.errorCode !== undefined || c.error !== undefined) {
            const parsed = parseErrorResponse(protocol, raw, op);
            if (c.errorCode !== undefined) assert.equal(parsed.Error.Code, c.errorCode);
            if (c.errorMessage !== undefined) assert.equal(parsed.Error.Message, c.errorMessage);
            const { Error: _e, ResponseMetadata: _m, ...modeled } = parsed;
            for (const [k, v] of Object.entries(c.error ?? {})) assert.deepEqual(normalize(modeled[k]), v, `error member ${k}`);
          } else {
            const parsed = protocol.parse(raw, op);
            const { ResponseMetadata: _m, ...rest } = parsed;
            // A blob payload comes back as a StreamingBody (botocore's has_streaming_output): its bytes.
            for (const [k, v] of Object.entries(rest)) if (v instanceof StreamingBody) rest[k] = await v.read();
            assert.deepEqual(normalize(rest), BOTOCORE_BEHAVIOUR[c.id ?? '']?.result ?? c.result);
          }
        });
      }
    }
  });
}
