/**
 * Parameter validation (src/validate.ts) against botocore's ParamValidator: the same bad
 * inputs are validated by inia and, in a python3 subprocess, by botocore, and the reports must
 * match line for line. Where a line reports types, inia names JS types: the rest of the line is
 * compared exactly, and the type names are asserted from the table below.
 */
import assert from 'node:assert/strict';
import { open, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ParamValidationError } from '../../src/errors.js';
import { Loader } from '../../src/models/loader.js';
import { ServiceModel, type ServiceDescription, type Shape } from '../../src/models/shapes.js';
import { Session } from '../../src/session.js';
import { Config } from '../../src/config.js';
import { collectValidationErrors, pyStr, validateParams } from '../../src/validate.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

const loader = new Loader({ env: {} });
const models = new Map<string, ServiceModel>();
function inputOf(service: string, operation: string): Shape {
  let model = models.get(service);
  if (model === undefined) {
    model = new ServiceModel(loader.loadServiceModel(service, 'service-2') as unknown as ServiceDescription, service);
    models.set(service, model);
  }
  const shape = model.operationModel(operation).inputShape;
  assert.ok(shape, `${service}.${operation} has an input`);
  return shape;
}

// ---------------------------------------------------------------- JS -> Python values

/**
 * The test inputs as Python values: integral numbers are int, other numbers float (NaN and
 * the infinities tagged), bigint int, Uint8Array bytes, Date an aware UTC datetime, arrays
 * lists, objects dicts. JSON carries them, with tags for what JSON cannot say.
 */
function toPy(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $float: String(value) };
  if (typeof value === 'bigint') return { $int: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { $datetime: value.toISOString() };
  if (Array.isArray(value)) return value.map(toPy);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPy(v)]));
  }
  return value;
}

const PY_SCRIPT = String.raw`
import base64, json, sys
from datetime import datetime
import botocore.session
from botocore.validate import ParamValidator

def conv(v):
    if isinstance(v, dict):
        if len(v) == 1:
            (k, x), = v.items()
            if k == '$bytes': return base64.b64decode(x)
            if k == '$datetime': return datetime.fromisoformat(x.replace('Z', '+00:00'))
            if k == '$float': return float(x)
            if k == '$int': return int(x)
        return {k: conv(x) for k, x in v.items()}
    if isinstance(v, list):
        return [conv(x) for x in v]
    return v

session = botocore.session.get_session()
out = []
for case in json.load(sys.stdin):
    shape = session.get_service_model(case['service']).operation_model(case['operation']).input_shape
    report = ParamValidator().validate(conv(case['params']), shape)
    out.append(report.generate_report() if report.has_errors() else '')
json.dump(out, sys.stdout)
`;

function botocoreReports(cases: readonly BadCase[]): string[] {
  const input = JSON.stringify(cases.map((c) => ({ service: c.service, operation: c.operation, params: toPy(c.params) })));
  return pythonJson<string[]>(PY_SCRIPT, { what: 'botocore validation script', input });
}

// ---------------------------------------------------------------- the table

interface BadCase {
  name: string;
  service: string;
  operation: string;
  params: unknown;
  /** inia's [value type, valid types] for each "Invalid type" line, in order. */
  types?: [string, string][];
}

/** botocore's name for a value's Python type -> inia's JS type names it may stand for. */
const PY_TYPE_TO_JS: Record<string, readonly string[]> = {
  "<class 'str'>": ['string'],
  "<class 'int'>": ['number', 'bigint'],
  "<class 'float'>": ['number'],
  "<class 'bool'>": ['boolean'],
  "<class 'list'>": ['Array'],
  "<class 'dict'>": ['object'],
  "<class 'bytes'>": ['Uint8Array', 'Buffer'],
  "<class 'datetime.datetime'>": ['Date'],
  "<class 'NoneType'>": ['null', 'undefined'],
};

const INT = 'number (integer)';
const LONG = 'number (integer), bigint';
const BLOB = 'string, Uint8Array';
const STREAM = 'string, Uint8Array, Readable, FileHandle';
const DATE = 'Date, timestamp-string, number';

const bad: BadCase[] = [
  // S3 PutObject (rest-xml, streaming payload)
  { name: 's3 put: nothing given', service: 's3', operation: 'PutObject', params: {} },
  { name: 's3 put: unknown member', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: 'k', Bogus: 1 } },
  { name: 's3 put: number for a string', service: 's3', operation: 'PutObject', params: { Bucket: 123, Key: 'k' }, types: [['number', 'string']] },
  { name: 's3 put: number for the streaming Body', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: 'k', Body: 42 }, types: [['number', STREAM]] },
  { name: 's3 put: number in the Metadata map', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: 'k', Metadata: { owner: 1, team: 'x' } }, types: [['number', 'string']] },
  { name: 's3 put: array for a map, Date printed inside it', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: 'k', Metadata: ['x', new Date(Date.UTC(1970, 0, 1))] }, types: [['Array', 'object']] },
  { name: 's3 put: string for a long', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: 'k', ContentLength: '12' }, types: [['string', LONG]] },
  { name: 's3 put: unparseable timestamp', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: 'k', Expires: 'not a date' }, types: [['string', DATE]] },
  { name: 's3 put: object for a timestamp', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: 'k', Expires: { when: 'now' } }, types: [['object', DATE]] },
  { name: 's3 put: empty Key (min length 1)', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: '' } },
  { name: 's3 put: Date for a string', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) }, types: [['Date', 'string']] },
  { name: 's3 put: bytes for a string', service: 's3', operation: 'PutObject', params: { Bucket: 'b', Key: Buffer.from([0, 0x61, 0x27, 0x5c, 0xff]) }, types: [['Buffer', 'string']] },
  { name: 's3 put: input is not an object', service: 's3', operation: 'PutObject', params: 'Bucket=b' , types: [['string', 'object']] },
  // S3 ListObjectsV2
  { name: 's3 list: float for an integer', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', MaxKeys: 1.5 }, types: [['number', INT]] },
  { name: 's3 list: string for an integer', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', MaxKeys: '10' }, types: [['string', INT]] },
  { name: 's3 list: string for a boolean', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', FetchOwner: 'yes' }, types: [['string', 'boolean']] },
  { name: 's3 list: string for a list', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', OptionalObjectAttributes: 'RestoreStatus' }, types: [['string', 'Array']] },
  { name: 's3 list: bad list element', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', OptionalObjectAttributes: ['RestoreStatus', 3, true] }, types: [['number', 'string'], ['boolean', 'string']] },
  { name: 's3 list: missing and unknown together', service: 's3', operation: 'ListObjectsV2', params: { Prefix: 'p', Maxkeys: 3, Delimeter: '/' } },
  { name: 's3 list: invalid enum value is not an error', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', EncodingType: 'base64', RequestPayer: 'me' } },
  // DynamoDB PutItem (json, recursive AttributeValue)
  { name: 'ddb put: Item missing', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T' } },
  { name: 'ddb put: number for S', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T', Item: { id: { S: 1 } } }, types: [['number', 'string']] },
  { name: 'ddb put: number for N', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T', Item: { age: { N: 36.5 } } }, types: [['number', 'string']] },
  { name: 'ddb put: string for SS', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T', Item: { tags: { SS: 'a' } } }, types: [['string', 'Array']] },
  {
    name: 'ddb put: deep M and L',
    service: 'dynamodb',
    operation: 'PutItem',
    params: { TableName: 'T', Item: { doc: { M: { a: { L: [{ S: 'x' }, { N: 1 }, { BOOL: 'true' }, { M: { b: { NS: ['1', 2] } } }] } } } } },
    types: [['number', 'string'], ['string', 'boolean'], ['number', 'string']],
  },
  { name: 'ddb put: number for B (blob)', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T', Item: { id: { B: 12 } } }, types: [['number', BLOB]] },
  { name: 'ddb put: list of numbers for BS', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T', Item: { id: { BS: ['ok', new Uint8Array([1]), 3] } } }, types: [['number', BLOB]] },
  { name: 'ddb put: empty TableName', service: 'dynamodb', operation: 'PutItem', params: { TableName: '', Item: {} } },
  { name: 'ddb put: unknown AttributeValue member', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T', Item: { id: { S: 'x', Q: 1 } } } },
  { name: 'ddb put: scalar for a structure in a map', service: 'dynamodb', operation: 'PutItem', params: { TableName: 'T', Item: { id: { S: 'x' } }, ExpressionAttributeValues: { ':v': 'raw', ':w': [{ S: "it's" }] } }, types: [['string', 'object'], ['Array', 'object']] },
  { name: 'ddb put: order of many problems', service: 'dynamodb', operation: 'PutItem', params: { Item: { a: { S: 1 } }, Bogus: true, TableName: 5, Other: 0 }, types: [['number', 'string'], ['number', 'string']] },
  // SQS SendMessageBatch (query/json, list of structures with maps)
  { name: 'sqs batch: required members of list items', service: 'sqs', operation: 'SendMessageBatch', params: { QueueUrl: 'u', Entries: [{ Id: '1' }, { MessageBody: 'b' }] } },
  {
    name: 'sqs batch: nested map of structures',
    service: 'sqs',
    operation: 'SendMessageBatch',
    params: { QueueUrl: 'u', Entries: [{ Id: '1', MessageBody: 'm', DelaySeconds: '5', MessageAttributes: { attr: { StringValue: 'v' }, bin: { DataType: 'Binary', BinaryValue: 7 } } }] },
    types: [['string', INT], ['number', BLOB]],
  },
  { name: 'sqs batch: string for the list', service: 'sqs', operation: 'SendMessageBatch', params: { QueueUrl: 'u', Entries: 'x' }, types: [['string', 'Array']] },
  { name: 'sqs batch: null list element', service: 'sqs', operation: 'SendMessageBatch', params: { QueueUrl: 'u', Entries: [null] }, types: [['null', 'object']] },
  // EC2 (ec2 protocol)
  { name: 'ec2 run: counts missing', service: 'ec2', operation: 'RunInstances', params: { ImageId: 'ami-1' } },
  { name: 'ec2 run: counts of wrong types', service: 'ec2', operation: 'RunInstances', params: { MinCount: '1', MaxCount: 1.5 }, types: [['string', INT], ['number', INT]] },
  {
    name: 'ec2 run: nested tag specifications',
    service: 'ec2',
    operation: 'RunInstances',
    params: { MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'k', Value: 1 }, 'x'] }] },
    types: [['number', 'string'], ['string', 'object']],
  },
  { name: 'ec2 range: MaxResults below min', service: 'ec2', operation: 'DescribeCapacityBlockOfferings', params: { CapacityDurationHours: 24, MaxResults: 0 } },
  { name: 'ec2 range: negative and bad timestamp', service: 'ec2', operation: 'DescribeCapacityBlockOfferings', params: { CapacityDurationHours: 24, MaxResults: -5, StartDateRange: 'not a date', EndDateRange: [] }, types: [['string', DATE], ['Array', DATE]] },
  { name: 'ec2: invalid enum value is not an error', service: 'ec2', operation: 'PurchaseCapacityBlock', params: { CapacityBlockOfferingId: 'x', InstancePlatform: 'Plan 9' } },
  // Tagged unions, float ranges, documents (bedrock-runtime Converse, rest-json)
  { name: 'union: no member set', service: 'bedrock-runtime', operation: 'Converse', params: { modelId: 'm', messages: [{ role: 'user', content: [{}] }] } },
  { name: 'union: two members set', service: 'bedrock-runtime', operation: 'Converse', params: { modelId: 'm', messages: [{ role: 'user', content: [{ text: 'a', image: { format: 'png', source: { bytes: 'abc' } } }] }] } },
  { name: 'union: unknown member counts', service: 'bedrock-runtime', operation: 'Converse', params: { modelId: 'm', messages: [{ role: 'user', content: [{ txt: 'a' }] }] } },
  { name: 'float and integer ranges', service: 'bedrock-runtime', operation: 'Converse', params: { modelId: 'm', inferenceConfig: { maxTokens: 0, temperature: -0.5, topP: -1e-7 } } },
  { name: 'document: Date at the top', service: 'bedrock-runtime', operation: 'Converse', params: { modelId: 'm', additionalModelRequestFields: new Date(Date.UTC(2020, 0, 1)) }, types: [['Date', 'string, number, boolean, null, Array, object']] },
  { name: 'document: bytes in a list', service: 'bedrock-runtime', operation: 'Converse', params: { modelId: 'm', additionalModelRequestFields: [1, 'x', null, new Uint8Array([104, 105])] }, types: [['Uint8Array', 'string, number, boolean, null, Array, object']] },
  // A member bound to the host name has an implicit min length of 1 (s3control AccountId).
  { name: 'hostLabel: empty AccountId', service: 's3control', operation: 'GetPublicAccessBlock', params: { AccountId: '' } },
];

describe('validateParams: reports equal botocore ParamValidator', () => {
  const reports = botocoreReports(bad);

  for (const [i, c] of bad.entries()) {
    it(c.name, () => {
      const expected = reports[i]!;
      const got = collectValidationErrors(c.params, inputOf(c.service, c.operation));
      const wantLines = expected === '' ? [] : expected.split('\n');
      assert.equal(got.length, wantLines.length, `inia:\n${got.join('\n')}\nbotocore:\n${expected}`);
      const types = [...(c.types ?? [])];
      for (const [j, line] of got.entries()) {
        const want = wantLines[j]!;
        const pyType = /, type: (<class '[^']+'>), valid types: .*$/.exec(want);
        if (pyType === null) {
          assert.equal(line, want);
          continue;
        }
        const next = types.shift();
        assert.ok(next, `no expected type names for line ${j}: ${line}`);
        const suffix = `, type: ${next[0]}, valid types: ${next[1]}`;
        assert.ok(line.endsWith(suffix), `inia's types: ${line}\nexpected suffix: ${suffix}`);
        assert.equal(line.slice(0, -suffix.length), want.slice(0, pyType.index), 'the sentence without type names');
        assert.ok(PY_TYPE_TO_JS[pyType[1]!]?.includes(next[0]), `${pyType[1]} is not named ${next[0]}`);
      }
      assert.equal(types.length, 0, 'every expected type line was reported');
    });
  }

  it('throws one ParamValidationError with every line', () => {
    const shape = inputOf('s3', 'ListObjectsV2');
    assert.throws(
      () => validateParams({ Prefix: 'p', Maxkeys: 3 }, shape, 'ListObjectsV2'),
      (e: unknown) =>
        e instanceof ParamValidationError &&
        e.message ===
          'Parameter validation failed:\nMissing required parameter in input: "Bucket"\n' +
            `Unknown parameter in input: "Maxkeys", must be one of: ${[...shape.members.keys()].join(', ')}`,
    );
  });
});

describe('validateParams: inia-specific behaviour', () => {
  it('names a nested document key by its full path (botocore names it by the last key only)', () => {
    const got = collectValidationErrors({ modelId: 'm', additionalModelRequestFields: { a: { b: [1, 2n] } } }, inputOf('bedrock-runtime', 'Converse'));
    assert.deepEqual(got, [
      'Invalid type for document parameter additionalModelRequestFields.a.b[1], value: 2, type: bigint, valid types: string, number, boolean, null, Array, object',
    ]);
  });

  it('treats undefined and null members as not given', () => {
    const shape = inputOf('dynamodb', 'PutItem');
    assert.deepEqual(collectValidationErrors({ TableName: 'T', Item: undefined, Bogus: null, ReturnValues: undefined }, shape), [
      'Missing required parameter in input: "Item"',
    ]);
    // A union member holding null is not set: this union has exactly one member.
    assert.deepEqual(collectValidationErrors({ TableName: 'T', Item: { id: { S: 'x', N: null, B: undefined } } }, shape), []);
    // The whole input undefined or null means {}.
    assert.deepEqual(collectValidationErrors(undefined, shape), ['Missing required parameter in input: "TableName"', 'Missing required parameter in input: "Item"']);
    assert.deepEqual(collectValidationErrors(null, shape), collectValidationErrors({}, shape));
  });

  it('skips undefined map entries but reports null ones, as botocore reports None', () => {
    const shape = inputOf('s3', 'PutObject');
    assert.deepEqual(collectValidationErrors({ Bucket: 'b', Key: 'k', Metadata: { a: undefined } }, shape), []);
    assert.deepEqual(collectValidationErrors({ Bucket: 'b', Key: 'k', Metadata: { a: null } }, shape), [
      'Invalid type for parameter Metadata.a, value: None, type: null, valid types: string',
    ]);
  });

  it('reports a jsonvalue header that JSON cannot encode', () => {
    const shape = inputOf('lex-runtime', 'PostContent');
    const base = { botName: 'b', botAlias: 'a', userId: 'user-1', contentType: 'text/plain; charset=utf-8', inputStream: 'hi' };
    assert.deepEqual(collectValidationErrors({ ...base, sessionAttributes: { a: 1, nested: [true, null] } }, shape), []);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const got = collectValidationErrors({ ...base, sessionAttributes: cyclic, requestAttributes: { n: 1n } }, shape);
    assert.equal(got.length, 2);
    assert.match(got[0]!, /^Invalid parameter sessionAttributes must be json serializable: .*circular/i);
    assert.match(got[1]!, /^Invalid parameter requestAttributes must be json serializable: .*BigInt/);
  });

  it('counts string length in code points, as Python len()', () => {
    const shape = inputOf('s3', 'PutObject');
    assert.deepEqual(collectValidationErrors({ Bucket: 'b', Key: '\u{1F600}' }, shape), []);
    assert.deepEqual(collectValidationErrors({ Bucket: 'b', Key: '' }, shape), ['Invalid length for parameter Key, value: 0, valid min length: 1']);
  });

  it('writes values as Python str() does', () => {
    assert.equal(pyStr('plain'), 'plain');
    assert.equal(pyStr(['a', "it's", 'say "hi"', 'both \' "', 'tab\tnew\nline\\']), `['a', "it's", 'say "hi"', 'both \\' "', 'tab\\tnew\\nline\\\\']`);
    assert.equal(pyStr({ a: 1, b: 1.5, c: true, d: null, e: undefined, f: [1e-7, 1.5e-10, 1e16, 12345678.9] }), "{'a': 1, 'b': 1.5, 'c': True, 'd': None, 'e': None, 'f': [1e-07, 1.5e-10, 10000000000000000, 12345678.9]}");
    assert.equal(pyStr(NaN), 'nan');
    assert.equal(pyStr(-Infinity), '-inf');
    assert.equal(pyStr(2n ** 70n), '1180591620717411303424');
    assert.equal(pyStr(new Uint8Array([0, 0x41, 0x27, 0x7f])), "b\"\\x00A'\\x7f\"");
    assert.equal(pyStr(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), '2024-01-02 03:04:05+00:00');
    assert.equal(pyStr([new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))]), '[datetime.datetime(2024, 1, 2, 3, 4, 5, 6000, tzinfo=datetime.timezone.utc)]');
    const loop: unknown[] = [1];
    loop.push(loop);
    assert.equal(pyStr(loop), '[1, [...]]');
    assert.equal(pyStr(new Map()), '<Map object>');
    assert.equal(pyStr('\u200b'), '\u200b');
    assert.equal(pyStr(['\u200b\u0000']), "['\\u200b\\x00']");
  });

  it('compiles each shape once and stays fast', () => {
    const shape = inputOf('dynamodb', 'GetItem');
    const params = { TableName: 'Users', Key: { id: { S: 'ada' } } };
    for (let i = 0; i < 20_000; i++) validateParams(params, shape);
    const n = 100_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) validateParams(params, shape);
    const micros = Number(process.hrtime.bigint() - t0) / 1000 / n;
    // About 0.2 µs on a laptop; the bound only catches a regression to walking the model.
    assert.ok(micros < 5, `GetItem validation took ${micros.toFixed(3)} µs per call`);
  });
});

describe('validateParams: good inputs of every accepted type pass', () => {
  let dir: string;
  before(async () => {
    dir = join(tmpdir(), `inia-validate-${process.pid}`);
    await rm(dir, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('blobs: string, Buffer, Uint8Array, ArrayBuffer, DataView; streaming also Readable and FileHandle', async () => {
    const put = inputOf('s3', 'PutObject');
    const path = join(dir, 'body.txt');
    await writeFile(path, 'file body');
    const handle = await open(path);
    try {
      const bodies: unknown[] = ['text', Buffer.from('buf'), new Uint8Array([1, 2]), new ArrayBuffer(4), new DataView(new ArrayBuffer(2)), new Uint16Array(2), Readable.from(['a']), handle];
      for (const Body of bodies) assert.deepEqual(collectValidationErrors({ Bucket: 'b', Key: 'k', Body }, put), [], `Body ${Object.prototype.toString.call(Body)}`);
    } finally {
      await handle.close();
    }
    // A non-streaming blob is serialized into the document: no streams there.
    const ddb = inputOf('dynamodb', 'PutItem');
    for (const B of ['text', Buffer.from('x'), new Uint8Array(0), new ArrayBuffer(1)]) {
      assert.deepEqual(collectValidationErrors({ TableName: 'T', Item: { b: { B }, bs: { BS: [B] } } }, ddb), []);
    }
    assert.equal(collectValidationErrors({ TableName: 'T', Item: { b: { B: Readable.from(['a']) } } }, ddb).length, 1);
  });

  it('timestamps: Date, ISO-8601 and other parseable strings, epoch numbers', () => {
    const shape = inputOf('s3', 'PutObject');
    for (const Expires of [new Date(), '2024-01-02T03:04:05Z', '2024-01-02T03:04:05.123+02:00', 'Tue, 02 Jan 2024 03:04:05 GMT', '1704164645', 1704164645, 1704164645.5, 0]) {
      assert.deepEqual(collectValidationErrors({ Bucket: 'b', Key: 'k', Expires }, shape), [], String(Expires));
    }
    for (const Expires of [new Date(NaN), NaN, Infinity, true, 1n]) {
      assert.equal(collectValidationErrors({ Bucket: 'b', Key: 'k', Expires }, shape).length, 1, String(Expires));
    }
  });

  it('numbers: integers for integer/long (bigint for long), any number for float/double', () => {
    const s3 = inputOf('s3', 'PutObject');
    for (const ContentLength of [0, 12, 2 ** 53, 12n, 2n ** 63n - 1n]) assert.deepEqual(collectValidationErrors({ Bucket: 'b', Key: 'k', ContentLength }, s3), []);
    const list = inputOf('s3', 'ListObjectsV2');
    assert.deepEqual(collectValidationErrors({ Bucket: 'b', MaxKeys: 1000 }, list), []);
    assert.equal(collectValidationErrors({ Bucket: 'b', MaxKeys: 10n }, list).length, 1, 'bigint is for long only');
    const converse = inputOf('bedrock-runtime', 'Converse');
    for (const temperature of [0, 0.5, 1, NaN, Infinity, 'NaN', 'Infinity']) {
      assert.deepEqual(collectValidationErrors({ modelId: 'm', inferenceConfig: { temperature } }, converse), [], String(temperature));
    }
    assert.deepEqual(collectValidationErrors({ modelId: 'm', inferenceConfig: { temperature: '-Infinity' } }, converse), [
      'Invalid value for parameter inferenceConfig.temperature, value: -Infinity, valid min value: 0',
    ]);
    assert.equal(collectValidationErrors({ modelId: 'm', inferenceConfig: { temperature: '0.5' } }, converse).length, 1);
  });

  it('booleans, lists, maps, structures (plain objects and class instances), unions, documents', () => {
    class Key {
      constructor(readonly id: { S: string }) {}
    }
    const get = inputOf('dynamodb', 'GetItem');
    assert.deepEqual(collectValidationErrors({ TableName: 'T', Key: new Key({ S: 'x' }), ConsistentRead: false, AttributesToGet: ['a', 'b'] }, get), []);
    assert.deepEqual(collectValidationErrors(Object.assign(Object.create(null) as object, { TableName: 'T', Key: {} }), get), []);
    assert.equal(collectValidationErrors({ TableName: 'T', Key: new Map([['id', { S: 'x' }]]) }, get).length, 1, 'a Map is not an object of members');
    const put = inputOf('dynamodb', 'PutItem');
    const Item = {
      s: { S: 'x' }, n: { N: '1' }, b: { B: 'eA==' }, ss: { SS: ['a'] }, ns: { NS: ['1'] }, bs: { BS: [new Uint8Array(1)] },
      m: { M: { l: { L: [{ NULL: true }, { BOOL: false }, { M: {} }] } } },
    };
    assert.deepEqual(collectValidationErrors({ TableName: 'T', Item, ExpressionAttributeNames: { '#n': 'name' } }, put), []);
    const converse = inputOf('bedrock-runtime', 'Converse');
    assert.deepEqual(
      collectValidationErrors(
        {
          modelId: 'm',
          messages: [{ role: 'user', content: [{ text: 'hi' }, { image: { format: 'png', source: { bytes: new Uint8Array([1]) } } }] }],
          additionalModelRequestFields: { a: [1, 'x', null, true, { b: 2.5 }], c: undefined },
        },
        converse,
      ),
      [],
    );
  });

  it('an operation without input accepts anything', () => {
    assert.doesNotThrow(() => validateParams({ Whatever: 1 }, null, 'ListBuckets'));
  });
});

describe('validateParams: nothing is sent when validation fails', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  before(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('raises before the request and sends nothing; a valid call reaches the server', async () => {
    const s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', {
      region: 'us-east-1',
      endpointUrl: url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const putObject = (params: Record<string, unknown>): Promise<unknown> => (s3 as unknown as { putObject(p: unknown): Promise<unknown> }).putObject(params);
    try {
      await assert.rejects(putObject({ Bucket: 'b', Key: 5, Body: 42 }), (err: unknown) => {
        assert.ok(err instanceof ParamValidationError);
        // Every problem in one error.
        assert.match(err.message, /Invalid type for parameter Key/);
        assert.match(err.message, /Invalid type for parameter Body/);
        return true;
      });
      assert.equal(requests, 0);
      await putObject({ Bucket: 'b', Key: 'k', Body: 'x' });
      assert.equal(requests, 1);
      // parameterValidation: false turns it off: a call only validation refuses is sent.
      const loose = new Session({ env: { ...EMPTY_ENV } }).client('s3', {
        region: 'us-east-1',
        endpointUrl: url,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        config: new Config({ parameterValidation: false }),
      });
      await (loose as unknown as { putObject(p: unknown): Promise<unknown> }).putObject({ Bucket: 'b', Key: 'k', Body: 'x', Metadata: { n: 1 } });
      assert.equal(requests, 2);
      loose.destroy();
    } finally {
      s3.destroy();
    }
  });
});
