/**
 * The CBOR codec and the smithy-rpc-v2-cbor protocol: encode/decode round trips, exact
 * encodings, hostile input (each case bounded in time), and a whole client flow over HTTP
 * against an in-process CBOR server (moto speaks no CBOR, and no bundled model picks it).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { ClientError, ResponseParserError, Session } from '../../src/index.js';
import { ServiceModel, type ServiceDescription } from '../../src/models/shapes.js';
import { CborEncoder, CborTag, decodeCbor, encodeCbor, type CborValue } from '../../src/protocols/cbor.js';
import { RpcV2CborProtocol } from '../../src/protocols/rpcv2-cbor.js';
import { SerializationError } from '../../src/protocols/values.js';
import { repoRoot } from '../helpers/paths.js';
import { prng } from '../helpers/random.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Runs fn and fails if it took longer than `ms`: hostile input must never make the decoder crawl. */
function within<T>(ms: number, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    const took = performance.now() - start;
    assert.ok(took < ms, `took ${took.toFixed(1)} ms (limit ${ms} ms)`);
  }
}

function rejects(bytes: Uint8Array, pattern?: RegExp, ms = 500): void {
  within(ms, () =>
    assert.throws(
      () => decodeCbor(bytes),
      (e: unknown) => e instanceof ResponseParserError && (pattern === undefined || pattern.test(e.message)),
    ),
  );
}

describe('cbor round trips', () => {
  const integers: Array<number | bigint> = [
    0, 1, 23, 24, 255, 256, 65535, 65536, 4294967295, 4294967296, Number.MAX_SAFE_INTEGER,
    -1, -24, -25, -256, -257, -65536, -65537, -4294967296, -4294967297, Number.MIN_SAFE_INTEGER,
    2n ** 53n, 2n ** 64n - 1n, -(2n ** 53n) - 1n, -(2n ** 64n),
  ];
  for (const n of integers) {
    it(`integer ${n}`, () => {
      const decoded = decodeCbor(encodeCbor(n));
      assert.equal(BigInt(decoded as number | bigint), BigInt(n));
      assert.equal(typeof decoded, Number.isSafeInteger(Number(n)) && BigInt(Number(n)) === BigInt(n) ? 'number' : 'bigint');
    });
  }

  it('floats, special values and negative zero', () => {
    for (const x of [1.5, -0.1, 1e308, 5e-324, Math.PI, -0, NaN, Infinity, -Infinity]) {
      assert.ok(Object.is(decodeCbor(encodeCbor(x)), x), String(x));
    }
    const f32 = new CborEncoder().float32(7.625).finish();
    assert.equal(hex(f32), 'fa40f40000');
    assert.equal(decodeCbor(f32), 7.625);
  });

  it('strings of every head size, multi-byte and astral characters', () => {
    for (const s of ['', 'a', 'x'.repeat(23), 'x'.repeat(24), 'é'.repeat(10), 'é'.repeat(200), '😀'.repeat(5000), 'y'.repeat(70000), 'mixed é 😀 ✓']) {
      assert.equal(decodeCbor(encodeCbor(s)), s);
    }
    // The head is sized for 3 bytes per unit first, then shrunk: 10 x 'é' is 20 bytes, one-byte head.
    assert.equal(hex(encodeCbor('é'.repeat(10))), `74${'c3a9'.repeat(10)}`);
    assert.equal(hex(encodeCbor('x'.repeat(24))), `7818${'78'.repeat(24)}`);
  });

  it('bytes, lists, maps, nulls, booleans, dates and tags', () => {
    const value = {
      bytes: new Uint8Array([0, 1, 255]),
      empty: new Uint8Array(0),
      list: [1, 'two', [3, [4]], null, true, false],
      map: { a: { b: { c: 1.25 } }, 'key with space': 'v' },
      when: new Date('2020-01-02T03:04:05Z'),
      precise: new Date('2020-01-02T03:04:05.123Z'),
      tagged: new CborTag(42, 'x'),
    };
    const decoded = decodeCbor(encodeCbor(value)) as Record<string, CborValue>;
    assert.deepEqual(decoded.bytes, new Uint8Array([0, 1, 255]));
    assert.deepEqual(decoded.empty, new Uint8Array(0));
    assert.deepEqual(decoded.list, [1, 'two', [3, [4]], null, true, false]);
    assert.deepEqual(decoded.map, { a: { b: { c: 1.25 } }, 'key with space': 'v' });
    assert.deepEqual(decoded.when, new Date('2020-01-02T03:04:05Z'));
    assert.deepEqual(decoded.precise, new Date('2020-01-02T03:04:05.123Z'));
    assert.ok(decoded.tagged instanceof CborTag && decoded.tagged.tag === 42 && decoded.tagged.value === 'x');
  });

  it('encodes timestamps as tag 1 with whole seconds and specials as half floats, as botocore', () => {
    const e = new CborEncoder().timestamp(1398796238).float64(NaN).float32(Infinity).float64(-Infinity).finish();
    assert.equal(hex(e), 'c11a535fefce' + 'f97e00' + 'f97c00' + 'f9fc00');
    assert.equal(hex(new CborEncoder().integer(500).integer(-500).finish()), '1901f4' + '3901f3');
  });

  it('decodes half floats, indefinite items and undefined', () => {
    assert.equal(decodeCbor(fromHex('f93e00')), 1.5);
    assert.equal(decodeCbor(fromHex('f90001')), 2 ** -24);
    assert.equal(decodeCbor(fromHex('f97bff')), 65504);
    assert.ok(Object.is(decodeCbor(fromHex('f98000')), -0));
    assert.ok(Number.isNaN(decodeCbor(fromHex('f97e00'))));
    assert.equal(decodeCbor(fromHex('f7')), undefined);
    assert.deepEqual(decodeCbor(fromHex('9f 01 9f 02 ff bf 61 61 03 ff ff')), [1, [2], { a: 3 }]);
    // A character split across chunks of an indefinite text string joins, as in botocore.
    assert.equal(decodeCbor(fromHex('7f 61 c3 61 a9 ff')), 'é');
    assert.deepEqual(decodeCbor(fromHex('c1 fb 41cc37db380fbe77')), new Date(946845296123));
  });
});

describe('cbor hostile input', () => {
  it('refuses absurd string, array and map lengths without allocating them', () => {
    for (const input of ['7a ffffffff', '5a ffffffff 00', '7b ffffffffffffffff', '5b 0000000100000000', '9a ffffffff 00', '9b ffffffffffffffff', 'ba 7fffffff 0000', 'bb 00000000ffffffff 00']) {
      rejects(fromHex(input), /greater than/, 50);
    }
  });

  it('refuses deep nesting with a parser error, not a stack overflow', () => {
    const depth = 200_000;
    const cases = [
      Buffer.concat([Buffer.alloc(depth, 0x81), Buffer.from([0])]),
      Buffer.alloc(depth, 0x9f),
      Buffer.concat([Buffer.from('a16161'.repeat(depth), 'hex'), Buffer.from([0])]),
      Buffer.concat([Buffer.alloc(depth, 0xc6), Buffer.from([0])]),
      Buffer.concat([Buffer.alloc(depth, 0xc1), Buffer.from([0])]),
    ];
    for (const bytes of cases) rejects(bytes, /nesting deeper than 512/);
    // Deep but within the limit is fine, and the limit is adjustable.
    assert.deepEqual(decodeCbor(Buffer.concat([Buffer.alloc(500, 0x81), Buffer.from([7])])) !== undefined, true);
    assert.throws(() => decodeCbor(fromHex('818181 00'), { maxDepth: 2 }), ResponseParserError);
  });

  it('refuses every truncation of a valid message', () => {
    const message = encodeCbor({
      s: 'a string long enough for a one byte head',
      n: [0, 300, 70000, 5000000000, -5, 1.5, 2n ** 60n],
      b: new Uint8Array(300),
      t: new Date(1e12),
      m: { x: { y: [true, false, null] } },
    });
    within(1000, () => {
      for (let length = 0; length < message.length; length++) {
        assert.throws(() => decodeCbor(message.subarray(0, length)), ResponseParserError, `prefix of ${length} bytes`);
      }
    });
  });

  it('fails fuzzed input only with ResponseParserError, quickly', () => {
    const random = prng(20260101);
    const base = encodeCbor({ list: [1, 'two', new Uint8Array([3]), { four: 4.5 }], when: new Date(0), big: 2n ** 63n });
    within(3000, () => {
      for (let round = 0; round < 20000; round++) {
        let bytes: Uint8Array;
        if (round % 2 === 0) {
          bytes = Uint8Array.from(base);
          const flips = 1 + Math.floor(random() * 4);
          for (let i = 0; i < flips; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        } else {
          bytes = new Uint8Array(Math.floor(random() * 40));
          for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
        }
        for (const options of [{}, { unknownTags: 'error' as const, allowTrailingBytes: true }]) {
          try {
            decodeCbor(bytes, options);
          } catch (e) {
            if (!(e instanceof ResponseParserError)) assert.fail(`input ${hex(bytes)} raised ${String(e)}`);
          }
        }
      }
    });
  });

  it('keeps a "__proto__" key as data, never as the prototype', () => {
    const decoded = decodeCbor(fromHex('a1 69 5f5f70726f746f5f5f a1 61 61 01')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(decoded, '__proto__'));
    assert.equal((decoded as { a?: unknown }).a, undefined);
  });

  it('rejects malformed items with clear messages', () => {
    rejects(fromHex('a1 01 02'), /map key of type number/);
    rejects(fromHex('62 c3 28'), /not valid UTF-8/);
    rejects(fromHex('f0'), /unsupported simple value/);
    rejects(fromHex('f8 20'), /unsupported simple value/);
    rejects(fromHex('1c'), /additional information 28/);
    rejects(fromHex('ff'), /unexpected break/);
    rejects(fromHex('82 ff 00'), /unexpected break/);
    rejects(fromHex('c1 61 61'), /tag 1 \(epoch timestamp\) holds string/);
    rejects(fromHex('c1 fb 7ff0000000000000'), /out of range/);
    rejects(fromHex('00 00'), /1 unexpected byte/);
    rejects(fromHex('5f 60 ff'), /unexpected major type 3/);
    assert.equal(decodeCbor(fromHex('00 00'), { allowTrailingBytes: true }), 0);
    assert.throws(() => decodeCbor(fromHex('c2 41 01'), { unknownTags: 'error' }), /tag 2 is not supported/);
  });
});

// ---------------------------------------------------------------- the protocol

const description: ServiceDescription = {
  metadata: { apiVersion: '2020-01-01', endpointPrefix: 'svc', protocol: 'smithy-rpc-v2-cbor', protocols: ['smithy-rpc-v2-cbor'], targetPrefix: 'Svc' },
  operations: {
    Op: { name: 'Op', http: { method: 'GET', requestUri: '/ignored' }, input: { shape: 'In' }, output: { shape: 'Out' }, errors: [{ shape: 'Bad' }] },
    Bare: { name: 'Bare' },
  },
  shapes: {
    In: {
      type: 'structure',
      members: {
        S: { shape: 'Str' }, I: { shape: 'Int' }, L: { shape: 'Long' }, F: { shape: 'Flt' }, D: { shape: 'Dbl' }, B: { shape: 'Bool' },
        Blob: { shape: 'Blb' }, T: { shape: 'Ts' }, List: { shape: 'StrList' }, Map: { shape: 'StrMap' }, Nested: { shape: 'In' }, Doc: { shape: 'Doc' },
      },
    },
    Out: {
      type: 'structure',
      members: {
        S: { shape: 'Str' }, L: { shape: 'Long' }, D: { shape: 'Dbl' }, T: { shape: 'Ts' }, Blob: { shape: 'Blb' }, List: { shape: 'StrList' },
        Map: { shape: 'StrMap' }, U: { shape: 'Union' }, Times: { shape: 'TsList' },
      },
    },
    Bad: { type: 'structure', members: { message: { shape: 'Str' }, Reason: { shape: 'Str' } }, exception: true, error: { code: 'BadThing', httpStatusCode: 400 } },
    Union: { type: 'structure', members: { A: { shape: 'Str' }, B: { shape: 'Int' } }, union: true },
    Doc: { type: 'structure', members: {}, document: true },
    Str: { type: 'string' }, Int: { type: 'integer' }, Long: { type: 'long' }, Flt: { type: 'float' }, Dbl: { type: 'double' }, Bool: { type: 'boolean' },
    Blb: { type: 'blob' }, Ts: { type: 'timestamp' }, StrList: { type: 'list', member: { shape: 'Str' } }, TsList: { type: 'list', member: { shape: 'Ts' } },
    StrMap: { type: 'map', key: { shape: 'Str' }, value: { shape: 'Str' } },
  },
};
const model = new ServiceModel(description, 'svc');
const op = model.operationModel('Op');
const protocol = new RpcV2CborProtocol();
const ok = (body: Uint8Array, headers: Record<string, string> = {}) => ({ statusCode: 200, headers, body });

describe('smithy-rpc-v2-cbor serialization', () => {
  it('posts to /service/{targetPrefix}/operation/{name} with the protocol headers and a typed body', () => {
    const request = protocol.serialize(
      {
        S: 's', I: -3, L: 2n ** 62n, F: 1.5, D: 0.1, B: true, Blob: 'hi', T: new Date('2020-01-02T03:04:05.999Z'),
        List: ['a', null], Map: { k: 'v', gone: undefined }, Nested: { S: 'inner' }, Doc: { any: [1, 'x', null] }, Unset: undefined,
      } as Record<string, unknown>,
      op,
    );
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/service/Svc/operation/Op');
    assert.deepEqual(request.headers, { 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor', 'content-type': 'application/cbor' });
    const body = request.body as Uint8Array;
    assert.deepEqual(decodeCbor(body), {
      S: 's', I: -3, L: 2n ** 62n, F: 1.5, D: 0.1, B: true, Blob: new Uint8Array([0x68, 0x69]), T: new Date('2020-01-02T03:04:05Z'),
      List: ['a', null], Map: { k: 'v' }, Nested: { S: 'inner' }, Doc: { any: [1, 'x', null] },
    });
    // float goes as binary32, double as binary64, timestamps as tag 1 + integer seconds.
    assert.ok(hex(body).includes('6146' + 'fa3fc00000'));
    assert.ok(hex(body).includes('6144' + 'fb3fb999999999999a'));
    assert.ok(hex(body).includes('6154' + 'c11a5e0d5da5'));
  });

  it('sends no body and no content-type for an operation without input', () => {
    const request = protocol.serialize({}, model.operationModel('Bare'));
    assert.equal((request.body as Uint8Array).length, 0);
    assert.deepEqual(request.headers, { 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor' });
  });

  it('refuses values of the wrong type, unknown members and floats too large for binary32', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ S: 1 }, /parameter S.*valid types: str/],
      [{ I: 1.5 }, /parameter I/],
      [{ I: '1' }, /parameter I/],
      [{ L: 2n ** 64n }, /parameter L/],
      [{ B: 'true' }, /parameter B.*bool/],
      [{ D: 'one' }, /parameter D/],
      [{ F: 1e39 }, /too large for a float/],
      [{ List: 'a' }, /parameter List.*list/],
      [{ Map: ['a'] }, /parameter Map/],
      [{ Nested: { Bogus: 1 } }, /Unknown parameter in Nested: "Bogus"/],
      [{ T: 'not a date' }, /Invalid timestamp/],
    ];
    for (const [params, pattern] of bad) {
      assert.throws(() => protocol.serialize(params, op), (e: unknown) => e instanceof SerializationError && pattern.test((e as Error).message), JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    }
  });
});

describe('smithy-rpc-v2-cbor parsing', () => {
  it('parses typed output, keeps large longs exact, drops null map values and unknown members', () => {
    const body = encodeCbor({
      S: 's', L: 2n ** 60n + 1n, D: 2.5, T: new Date(1e12), Blob: new Uint8Array([1]), List: ['a', null], Map: { k: 'v', n: null },
      Times: [new Date(0)], U: { B: 7 }, Extra: { deep: [1, 2] },
    });
    const parsed = protocol.parse(ok(body, { 'x-amzn-requestid': 'rid' }), op);
    const { ResponseMetadata, ...rest } = parsed;
    assert.deepEqual(rest, {
      S: 's', L: 2n ** 60n + 1n, D: 2.5, T: new Date(1e12), Blob: new Uint8Array([1]), List: ['a', null], Map: { k: 'v' },
      Times: [new Date(0)], U: { B: 7 },
    });
    assert.equal((ResponseMetadata as { RequestId: string }).RequestId, 'rid');
  });

  it('accepts an empty body, and refuses unknown tags and malformed bodies with ResponseParserError', () => {
    assert.deepEqual(Object.keys(protocol.parse(ok(new Uint8Array(0)), op)), ['ResponseMetadata']);
    assert.throws(() => protocol.parse(ok(fromHex('a1 61 53 c2 41 01')), op), ResponseParserError);
    assert.throws(() => protocol.parse(ok(fromHex('a1 61 53')), op), ResponseParserError);
    assert.throws(() => protocol.parse(ok(fromHex('83 01 02 03')), op), /Out should be a map/);
    assert.throws(() => protocol.parse(ok(encodeCbor({ U: { A: 'x', B: 1 } })), op), /one and only one member set/);
  });

  it('parses errors: __type without its namespace, modeled members, query-compatible codes', () => {
    const body = encodeCbor({ __type: 'com.example#BadThing', message: 'nope', Reason: 'why' });
    const parsed = protocol.parseError({ statusCode: 400, headers: { 'x-amzn-requestid': 'r' }, body }, op);
    assert.equal(parsed.Error.Code, 'BadThing');
    assert.equal(parsed.Error.Message, 'nope');
    assert.equal(parsed.Reason, 'why');
    assert.equal(parsed.ResponseMetadata.RequestId, 'r');
    const custom = protocol.parseError({ statusCode: 400, headers: { 'x-amzn-query-error': 'Legacy.Code;Sender' }, body }, op);
    assert.deepEqual(custom.Error, { Code: 'Legacy.Code', Message: 'nope', QueryErrorCode: 'BadThing', Type: 'Sender' });
    // A body that is not CBOR (a proxy's answer) still gives a ClientError-shaped result.
    const proxy = protocol.parseError({ statusCode: 403, headers: {}, body: Buffer.from('Forbidden') }, op);
    assert.deepEqual(proxy.Error, { Code: '403', Message: 'Forbidden' });
  });
});

// ---------------------------------------------------------------- a whole client flow over HTTP

describe('smithy-rpc-v2-cbor client flow (CloudWatch model forced to CBOR, local server)', () => {
  interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
  }
  let server: Server;
  let endpointUrl = '';
  let dataPath = '';
  const seen: Seen[] = [];

  before(async () => {
    // A model directory on AWS_DATA_PATH where CloudWatch lists only smithy-rpc-v2-cbor.
    dataPath = mkdtempSync(join(tmpdir(), 'inia-cbor-'));
    const bundled = JSON.parse(gunzipSync(readFileSync(join(repoRoot, 'models', 'cloudwatch', '2010-08-01', 'service-2.json.gz'))).toString('utf8')) as ServiceDescription;
    bundled.metadata.protocols = ['smithy-rpc-v2-cbor'];
    mkdirSync(join(dataPath, 'cloudwatch', '2010-08-01'), { recursive: true });
    writeFileSync(join(dataPath, 'cloudwatch', '2010-08-01', 'service-2.json'), JSON.stringify(bundled));

    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        seen.push(s);
        const send = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
          const out = value === undefined ? Buffer.alloc(0) : Buffer.from(encodeCbor(value));
          res.writeHead(status, { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': 'REQ-CBOR', 'content-length': String(out.length), ...headers });
          res.end(out);
        };
        const operation = s.url.split('/').pop();
        if (operation === 'PutMetricData') send(200, undefined);
        else if (operation === 'GetMetricData') {
          send(200, {
            MetricDataResults: [{ Id: 'm1', Label: 'CPU', StatusCode: 'Complete', Timestamps: [new Date(1700000060000), new Date(1700000000000)], Values: [12.5, 0.25] }],
            Messages: [],
          });
        } else {
          send(404, { __type: 'com.amazonaws.cloudwatch#DashboardNotFoundError', message: 'Dashboard missing does not exist' }, { 'x-amzn-query-error': 'ResourceNotFound;Sender' });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    endpointUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dataPath, { recursive: true, force: true });
  });

  it('puts and gets metric data, and raises the modeled error', async () => {
    const cw = new Session({ env: { AWS_DATA_PATH: dataPath } }).client('cloudwatch', {
      region: 'us-east-1',
      endpointUrl,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      const put = await cw.putMetricData({
        Namespace: 'App',
        MetricData: [{ MetricName: 'Latency', Dimensions: [{ Name: 'Stage', Value: 'prod' }], Timestamp: new Date('2024-01-01T00:00:00Z'), Value: 12.5, Unit: 'Milliseconds' }],
      });
      assert.equal((put.ResponseMetadata as { HTTPStatusCode: number }).HTTPStatusCode, 200);
      const request = seen.at(-1)!;
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/service/GraniteServiceVersion20100801/operation/PutMetricData');
      assert.equal(request.headers['content-type'], 'application/cbor');
      assert.equal(request.headers.accept, 'application/cbor');
      assert.equal(request.headers['smithy-protocol'], 'rpc-v2-cbor');
      assert.equal(request.headers['x-amzn-query-mode'], 'true', 'CloudWatch is awsQueryCompatible');
      assert.match(String(request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/monitoring\/aws4_request/);
      assert.equal(request.headers['content-length'], String(request.body.length));
      assert.deepEqual(decodeCbor(request.body), {
        Namespace: 'App',
        MetricData: [{ MetricName: 'Latency', Dimensions: [{ Name: 'Stage', Value: 'prod' }], Timestamp: new Date('2024-01-01T00:00:00Z'), Value: 12.5, Unit: 'Milliseconds' }],
      });

      const got = await cw.getMetricData({
        MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency' }, Period: 60, Stat: 'Average' } }],
        StartTime: new Date('2023-11-14T00:00:00Z'),
        EndTime: new Date('2023-11-15T00:00:00Z'),
      });
      const results = got.MetricDataResults as Array<{ Timestamps: Date[]; Values: number[]; Label: string }>;
      assert.equal(results[0]!.Label, 'CPU');
      assert.deepEqual(results[0]!.Timestamps, [new Date(1700000060000), new Date(1700000000000)]);
      assert.deepEqual(results[0]!.Values, [12.5, 0.25]);
      assert.equal((got.ResponseMetadata as { RequestId: string }).RequestId, 'REQ-CBOR');

      await assert.rejects(cw.getDashboard({ DashboardName: 'missing' }), (e: unknown) => {
        assert.ok(e instanceof ClientError);
        assert.equal(e.code, 'ResourceNotFound');
        assert.equal(e.response.Error.Type, 'Sender');
        assert.equal(e.response.Error.QueryErrorCode, 'DashboardNotFoundError');
        assert.equal(e.response.Error.Message, 'Dashboard missing does not exist');
        assert.equal(e.response.ResponseMetadata.HTTPStatusCode, 404);
        return true;
      });
    } finally {
      cw.destroy();
    }
  });
});
