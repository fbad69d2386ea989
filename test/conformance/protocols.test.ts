/**
 * The official protocol test vectors (../shared/conformance/protocols): every serialization
 * and parsing case of each protocol inia implements, compared the way botocore's own
 * protocol tests compare them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { maybeCompressRequest } from '../../src/compression.js';
import { buildHttpRequest } from '../../src/http/request.js';
import { ServiceModel, type OperationDef, type ServiceDescription, type ShapeDef } from '../../src/models/shapes.js';
import { parseErrorResponse, protocolFor } from '../../src/protocols/index.js';
import type { ResolvedEndpoint } from '../../src/endpoints/resolver.js';
import { conformanceDir } from '../helpers/paths.js';

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

/** The protocol files inia runs today; each new protocol adds its files here. */
const FILES = ['json.json', 'json_1_0.json', 'json_1_0-query-compatible.json'];

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
  return JSON.parse(readFileSync(join(conformanceDir, 'protocols', kind, file), 'utf8')) as Suite[];
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

for (const file of FILES) {
  describe(`protocol input ${file}`, () => {
    for (const suite of loadSuites('input', file)) {
      for (const c of suite.cases) {
        it(`${c.id ?? c.description}`, () => {
          const model = modelFor(suite, c.given);
          const op = model.operationModel(c.given.name);
          const expected = c.serialized!;
          const serialized = protocolFor(model).serialize(c.params ?? {}, op);
          maybeCompressRequest(serialized, op, undefined);
          // "host": "example.com/custom" means the user's endpoint URL had a path.
          const slash = expected.host?.indexOf('/') ?? -1;
          const target = slash > 0 ? { ...endpoint, basePath: expected.host!.slice(slash) } : endpoint;
          const request = buildHttpRequest(target, serialized);
          if (expected.method) assert.equal(request.method, expected.method);
          if (expected.uri) assert.equal(request.path + (request.query ? `?${request.query}` : ''), expected.uri);
          const headers = lowerKeys(request.headers);
          for (const [name, value] of Object.entries(expected.headers ?? {})) assert.equal(headers[name.toLowerCase()], value, `header ${name}`);
          for (const name of expected.forbidHeaders ?? []) assert.equal(headers[name.toLowerCase()], undefined, `forbidden header ${name}`);
          for (const name of expected.requireHeaders ?? []) assert.notEqual(headers[name.toLowerCase()], undefined, `required header ${name}`);
          // Compressed cases give '' as the body: the gzip bytes are not compared, the header is.
          const compressed = expected.body === '' && headers['content-encoding'] !== undefined;
          if (compressed) assert.ok(bodyText(request.body).length > 0 || request.body instanceof Uint8Array);
          if (expected.body !== undefined && !compressed) {
            const actual = bodyText(request.body);
            const contentType = headers['content-type'] ?? '';
            if (contentType.includes('json') && expected.body !== '') assert.deepEqual(JSON.parse(actual), JSON.parse(expected.body));
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
        it(`${c.id ?? c.description}`, () => {
          const model = modelFor(suite, c.given);
          const op = model.operationModel(c.given.name);
          const protocol = protocolFor(model);
          const r = c.response!;
          const raw = { statusCode: r.status_code, headers: lowerKeys(r.headers), body: Buffer.from(r.body ?? '', 'utf8') };
          if (c.errorCode !== undefined || c.error !== undefined) {
            const parsed = parseErrorResponse(protocol, raw, op);
            if (c.errorCode !== undefined) assert.equal(parsed.Error.Code, c.errorCode);
            if (c.errorMessage !== undefined) assert.equal(parsed.Error.Message, c.errorMessage);
            const { Error: _e, ResponseMetadata: _m, ...modeled } = parsed;
            for (const [k, v] of Object.entries(c.error ?? {})) assert.deepEqual(normalize(modeled[k]), v, `error member ${k}`);
          } else {
            const parsed = protocol.parse(raw, op);
            const { ResponseMetadata: _m, ...rest } = parsed;
            assert.deepEqual(normalize(rest), c.result);
          }
        });
      }
    }
  });
}
