/**
 * Parity with botocore on operations no other test names: for a deterministic sample of
 * operations across every service, generate an input from the model, serialize it with
 * inia and with the installed botocore (test/helpers/botocore_serialize.py), and compare
 * method, path, query, protocol headers and body.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildHttpRequest } from '../../src/http/request.js';
import type { ResolvedEndpoint } from '../../src/endpoints/resolver.js';
import { Loader } from '../../src/models/loader.js';
import { ServiceModel, type ServiceDescription, type Shape } from '../../src/models/shapes.js';
import { protocolFor } from '../../src/protocols/index.js';
import { decodeCbor } from '../../src/protocols/cbor.js';
import { repoRoot } from '../helpers/paths.js';

const OPS_PER_SERVICE = 2;
const MAX_DEPTH = 4;

const endpoint: ResolvedEndpoint = {
  protocol: 'https:', hostname: 'example.com', port: undefined, basePath: '', url: 'https://example.com',
  headers: {}, signingRegion: 'us-east-1', signingName: 'x',
};

/** A plausible value for a shape: deterministic, every required member, some optional ones. */
function sample(shape: Shape, depth: number, seed: string): unknown {
  switch (shape.typeName) {
    case 'structure': {
      if (shape.isDocumentType) return { doc: ['a', 1, true] };
      const out: Record<string, unknown> = {};
      const members = [...shape.members];
      if (shape.isTaggedUnion) {
        const [name, member] = members[0]!;
        out[name] = sample(member, depth + 1, `${seed}.${name}`);
        return out;
      }
      const required = new Set(shape.requiredMembers);
      for (const [name, member] of members) {
        const pick = required.has(name) || (depth < MAX_DEPTH && hash(`${seed}.${name}`) % 3 === 0);
        if (!pick) continue;
        if (member.serialization.eventstream || member.serialization.location === 'statusCode') continue;
        if (depth >= MAX_DEPTH && !required.has(name)) continue;
        out[name] = sample(member, depth + 1, `${seed}.${name}`);
      }
      return out;
    }
    case 'list':
      return depth >= MAX_DEPTH ? [] : [sample(shape.member, depth + 1, `${seed}.0`), sample(shape.member, depth + 1, `${seed}.1`)];
    case 'map':
      return depth >= MAX_DEPTH ? {} : { [`k${hash(seed) % 97}`]: sample(shape.value, depth + 1, `${seed}.v`) };
    case 'string':
      if (shape.enum.length) return shape.enum[hash(seed) % shape.enum.length];
      if (shape.serialization.jsonvalue) return { key: 'value', n: 1 };
      // Host labels become part of a host name: keep them valid labels.
      if (shape.serialization.hostLabel) return `label${hash(seed) % 1000}`;
      return `v-${hash(seed) % 10007} x/y`;
    case 'integer':
    case 'long':
      return (hash(seed) % 100) + 1;
    case 'float':
    case 'double':
      return 1.5;
    case 'boolean':
      return hash(seed) % 2 === 0;
    case 'timestamp':
      return '2020-01-02T03:04:05Z';
    case 'blob':
      return `blob-${hash(seed) % 101}`;
    default:
      return `v${hash(seed) % 10}`;
  }
}

function hash(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}

interface Case {
  service: string;
  operation: string;
  params: Record<string, unknown>;
  model: ServiceModel;
}

/** Headers whose values are the protocol's, not per-request noise. */
function protocolHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (name === 'content-length' || name === 'user-agent') continue;
    out[name] = v;
  }
  return out;
}

function sortedPairs(text: string): string[] {
  return text === '' ? [] : text.split('&').sort();
}

const loader = new Loader({ env: {} });
const cases: Case[] = [];
for (const service of loader.listAvailableServices()) {
  const model = new ServiceModel(loader.loadServiceModel(service, 'service-2') as unknown as ServiceDescription, service);
  const ops = [...model.operationNames].sort((a, b) => hash(`${service}.${a}`) - hash(`${service}.${b}`));
  let taken = 0;
  for (const operation of ops) {
    if (taken >= OPS_PER_SERVICE) break;
    const op = model.operationModel(operation);
    if (op.def.output && op.outputShape?.eventStreamName !== undefined) continue;
    if (op.inputShape && [...op.inputShape.members.values()].some((m) => m.serialization.eventstream)) continue;
    const params = op.inputShape ? (sample(op.inputShape, 0, `${service}.${operation}`) as Record<string, unknown>) : {};
    cases.push({ service, operation, params, model });
    taken++;
  }
}

const script = join(repoRoot, 'test', 'helpers', 'botocore_serialize.py');
const input = JSON.stringify(cases.map(({ service, operation, params }) => ({ service, operation, params })));
const expected = JSON.parse(execFileSync('python3', [script], { input, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }).toString('utf8')) as Array<Record<string, unknown>>;

describe('requests equal botocore’s', () => {
  it(`covers many services (${cases.length} operations)`, () => {
    assert.ok(cases.length >= 700, `only ${cases.length} sampled operations`);
  });

  cases.forEach((c, i) => {
    const want = expected[i]!;
    it(`${c.service}.${c.operation}`, () => {
      assert.equal(want.error, undefined, `botocore could not serialize the sample: ${String(want.error)}`);
      const op = c.model.operationModel(c.operation);
      const serialized = protocolFor(c.model).serialize(structuredClone(c.params), op);
      const request = buildHttpRequest(endpoint, serialized, { injectHostPrefix: false });
      assert.equal(request.method, want.method, 'method');
      assert.equal(request.path, want.path, 'path');
      assert.deepEqual(sortedPairs(request.query), sortedPairs(want.query as string), 'query');
      assert.equal(serialized.hostPrefix ?? null, want.host_prefix ?? null, 'host prefix');
      assert.deepEqual(protocolHeaders(request.headers), protocolHeaders(want.headers as Record<string, string>), 'headers');
      const body = request.body === undefined ? Buffer.alloc(0) : typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body as Uint8Array);
      const wantBody = Buffer.from(want.body as string, 'base64');
      const protocol = want.protocol as string;
      if (protocol === 'json' || (protocol === 'rest-json' && wantBody.length > 0 && wantBody[0] === 0x7b)) {
        assert.deepEqual(JSON.parse(body.toString('utf8') || '{}'), JSON.parse(wantBody.toString('utf8') || '{}'), 'body');
      } else if (protocol === 'smithy-rpc-v2-cbor') {
        assert.deepEqual(body.length ? decodeCbor(body) : undefined, wantBody.length ? decodeCbor(wantBody) : undefined, 'body');
      } else {
        assert.equal(body.toString('utf8'), wantBody.toString('utf8'), 'body');
      }
    });
  });
});
