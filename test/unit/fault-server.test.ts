/**
 * Self-tests of the fault-injection server (test/helpers/fault-server.ts) with node's own
 * clients, and a botocore sanity table run through test/helpers/botocore_faults.py that
 * pins what the installed botocore really does, so the driver is proven before inia's
 * retry behaviour is compared with it. A missing python3 or botocore fails this file.
 */
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { runBotocoreFaults, type FaultCase, type FaultResult } from '../helpers/botocore-faults.js';
import {
  corruptChecksum, correctChecksum, corruptCrc32, correctCrc32, crc32Base64, crc32Decimal, DEFAULT_SUCCESS,
  dynamodbError, jsonOk, queryError, s3Error, sqsError, startFaultServer, type FaultServer,
} from '../helpers/fault-server.js';

interface HttpResult { status?: number; headers?: IncomingHttpHeaders; body?: Buffer; error?: NodeJS.ErrnoException }

/** One request with node's http client (no keep-alive), bounded by `timeoutMs`. */
function get(url: string, opts: { method?: string; body?: string; timeoutMs?: number } = {}): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: HttpResult): void => { if (!settled) { settled = true; clearTimeout(timer); resolve(r); } };
    const req = httpRequest(url, { method: opts.method ?? 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (error: NodeJS.ErrnoException) => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), error }));
      res.on('aborted', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), error: Object.assign(new Error('aborted'), { code: 'ECONNRESET' }) }));
    });
    const timer = setTimeout(() => { req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })); }, opts.timeoutMs ?? 3_000);
    req.on('error', (error: NodeJS.ErrnoException) => done({ error }));
    req.end(opts.body);
  });
}

interface RawResult { data: Buffer; ended: 'end' | 'error' | 'timeout'; errorCode?: string; firstByteMs?: number; ms: number }

/** A raw HTTP/1.1 exchange over node:net, to see exactly which bytes arrive and how the socket ends. */
function raw(port: number, waitMs: number, method = 'GET'): Promise<RawResult> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const chunks: Buffer[] = [];
    let firstByteMs: number | undefined;
    let settled = false;
    const sock = connect(port, '127.0.0.1');
    const done = (ended: RawResult['ended'], errorCode?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: Buffer.concat(chunks), ended, ms: Date.now() - t0, ...(errorCode ? { errorCode } : {}), ...(firstByteMs !== undefined ? { firstByteMs } : {}) });
    };
    const timer = setTimeout(() => done('timeout'), waitMs);
    sock.on('connect', () => sock.write(`${method} /raw HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`));
    sock.on('data', (c: Buffer) => { firstByteMs ??= Date.now() - t0; chunks.push(c); });
    sock.on('end', () => done('end'));
    sock.on('close', () => done('end'));
    sock.on('error', (e: NodeJS.ErrnoException) => done('error', e.code));
  });
}

function splitResponse(data: Buffer): { head: string; body: Buffer; contentLength: number } {
  const i = data.indexOf('\r\n\r\n');
  assert.ok(i > 0, `no header block in ${JSON.stringify(data.toString('latin1'))}`);
  const head = data.subarray(0, i).toString('latin1');
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  return { head, body: data.subarray(i + 4), contentLength: m ? Number(m[1]) : -1 };
}

describe('fault server', () => {
  let server: FaultServer;
  before(async () => { server = await startFaultServer(); });
  after(async () => { await server.close(); });

  it('listens on loopback only and answers respond actions with Content-Length', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.controlUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.url, server.controlUrl);
    server.setScript([{ kind: 'respond', status: 418, headers: { 'x-a': 'b' }, body: 'héllo' }]);
    const before = server.requests.count;
    const r = await get(`${server.url}/some/path?q=1`, { method: 'POST', body: 'abcdef' });
    assert.equal(r.status, 418);
    assert.equal(r.headers!['x-a'], 'b');
    assert.equal(r.headers!['content-length'], String(Buffer.byteLength('héllo')));
    assert.equal(r.body!.toString('utf8'), 'héllo');
    assert.equal(server.requests.count, before + 1);
    const entry = server.requests.log.at(-1)!;
    assert.equal(entry.method, 'POST');
    assert.equal(entry.path, '/some/path?q=1');
    assert.equal(entry.bodyBytes, 6);
    assert.equal(entry.action, 'respond');
  });

  it('consumes one action per request; then repeats the last, or answers with `then`', async () => {
    server.setScript([s3Error(503, 'SlowDown'), jsonOk({ a: 1 })]);
    assert.equal((await get(server.url)).status, 503);
    assert.equal((await get(server.url)).body!.toString(), '{"a":1}');
    assert.equal((await get(server.url)).body!.toString(), '{"a":1}');
    assert.equal(server.requests.sinceScript, 3);
    server.setScript({ actions: [s3Error(500, 'InternalError')], then: { kind: 'respond', status: 204 } });
    assert.equal((await get(server.url)).status, 500);
    assert.equal((await get(server.url)).status, 204);
    assert.equal((await get(server.url)).status, 204);
    server.setScript([]);
    const d = await get(server.url);
    assert.equal(d.status, DEFAULT_SUCCESS.status);
    assert.equal(d.body!.toString(), '{}');
    assert.throws(() => server.setScript([{ kind: 'nope' } as never]), /unknown action/);
  });

  it('builds protocol-correct error bodies', async () => {
    const ddb = dynamodbError(400, 'ThrottlingException', 'slow');
    assert.equal(ddb.headers!['content-type'], 'application/x-amz-json-1.0');
    assert.ok(ddb.headers!['x-amzn-requestid']);
    assert.deepEqual(JSON.parse(ddb.body!), { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow' });
    const sqs = sqsError(400, 'ThrottlingException', 'RequestThrottled');
    assert.equal(JSON.parse(sqs.body!).__type, 'com.amazonaws.sqs#ThrottlingException');
    assert.equal(sqs.headers!['x-amzn-query-error'], 'RequestThrottled;Sender');
    assert.match(queryError(400, 'Throttling').body!, /^<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>Throttling<\/Code>/);
    assert.match(s3Error(503, 'SlowDown').body!, /<Error><Code>SlowDown<\/Code>/);
  });

  it('reset: the client sees a connection reset, and the request is counted', async () => {
    server.setScript([{ kind: 'reset' }]);
    const before = server.requests.count;
    const r = await get(server.url, { method: 'PUT', body: 'x'.repeat(100) });
    assert.ok(r.error, 'expected an error');
    assert.equal(r.status, undefined);
    assert.match(String(r.error!.code), /ECONNRESET|EPIPE/);
    assert.equal(server.requests.count, before + 1);
    assert.equal(server.requests.log.at(-1)!.action, 'reset');
  });

  it('close-before-response: the connection ends with no response bytes', async () => {
    server.setScript([{ kind: 'close-before-response' }]);
    const r = await raw(server.port, 2_000);
    assert.equal(r.ended, 'end');
    assert.equal(r.data.length, 0);
    const h = await get(server.url);
    assert.ok(h.error);
    assert.equal(h.error!.message, 'socket hang up');
  });

  it('truncate: fewer bytes than Content-Length, then the socket closes', async () => {
    const body = 'x'.repeat(1000);
    server.setScript([{ kind: 'truncate', status: 200, headers: { 'content-type': 'text/plain' }, body, sendBytes: 100 }]);
    const r = await raw(server.port, 2_000);
    assert.notEqual(r.ended, 'timeout');
    const { head, body: got, contentLength } = splitResponse(r.data);
    assert.match(head, /^HTTP\/1\.1 200/);
    assert.equal(contentLength, 1000);
    assert.equal(got.length, 100);
    const h = await get(server.url);
    assert.ok(h.error, 'node http client must notice the short body');
  });

  it('reset-mid-body: partial body, then a reset', async () => {
    const body = 'y'.repeat(1000);
    server.setScript([{ kind: 'reset-mid-body', status: 200, body, sendBytes: 10 }]);
    const r = await raw(server.port, 2_000);
    assert.notEqual(r.ended, 'timeout');
    if (r.data.length > 0) {
      const { contentLength, body: got } = splitResponse(r.data);
      assert.equal(contentLength, 1000);
      assert.ok(got.length <= 10);
    }
    assert.ok(r.ended === 'error' ? r.errorCode === 'ECONNRESET' : true);
  });

  it('stall: nothing arrives within the wait, then the server drops the socket', async () => {
    server.setScript([{ kind: 'stall', ms: 600 }]);
    const early = await raw(server.port, 300);
    assert.equal(early.ended, 'timeout');
    assert.equal(early.data.length, 0);
    const full = await raw(server.port, 3_000);
    assert.equal(full.ended, 'end');
    assert.equal(full.data.length, 0);
    assert.ok(full.ms >= 550, `dropped after ${full.ms} ms`);
  });

  it('stall-mid-body: headers and part of the body, then silence', async () => {
    server.setScript([{ kind: 'stall-mid-body', status: 200, body: 'z'.repeat(50), sendBytes: 20, ms: 600 }]);
    const r = await raw(server.port, 400);
    assert.equal(r.ended, 'timeout');
    const { contentLength, body } = splitResponse(r.data);
    assert.equal(contentLength, 50);
    assert.equal(body.length, 20);
  });

  it('crc32: corrupt-crc32 sends a wrong x-amz-crc32, correct-crc32 the right one', async () => {
    const body = '{"Item":{"id":{"S":"a"}}}';
    const good = String(crc32(Buffer.from(body)) >>> 0);
    assert.equal(crc32Decimal(body), good);
    server.setScript([corruptCrc32(body), correctCrc32(body)]);
    const bad = await get(server.url, { method: 'POST' });
    assert.equal(bad.status, 200);
    assert.equal(bad.body!.toString(), body);
    assert.notEqual(bad.headers!['x-amz-crc32'], good);
    assert.match(String(bad.headers!['x-amz-crc32']), /^\d+$/);
    const ok = await get(server.url, { method: 'POST' });
    assert.equal(ok.headers!['x-amz-crc32'], good);
  });

  it('checksum: corrupt-checksum sends a wrong x-amz-checksum-crc32 (base64, big-endian)', async () => {
    const body = 'hello world';
    const be = Buffer.alloc(4);
    be.writeUInt32BE(crc32(Buffer.from(body)) >>> 0);
    assert.equal(crc32Base64(body), be.toString('base64'));
    server.setScript([corruptChecksum(body), correctChecksum(body)]);
    const bad = await get(server.url);
    assert.equal(bad.body!.toString(), body);
    assert.notEqual(bad.headers!['x-amz-checksum-crc32'], be.toString('base64'));
    assert.equal(Buffer.from(String(bad.headers!['x-amz-checksum-crc32']), 'base64').length, 4);
    const ok = await get(server.url);
    assert.equal(ok.headers!['x-amz-checksum-crc32'], be.toString('base64'));
  });

  it('control channel: sets scripts and reads counts without being counted', async () => {
    const before = server.requests.count;
    const set = await fetch(`${server.controlUrl}/script`, { method: 'POST', body: JSON.stringify({ actions: [s3Error(500, 'InternalError')], then: jsonOk({}) }) });
    assert.equal(set.status, 200);
    assert.equal((await get(server.url)).status, 500);
    assert.equal((await get(server.url)).status, 200);
    const count = (await (await fetch(`${server.controlUrl}/count`)).json()) as { total: number; sinceScript: number };
    assert.deepEqual([count.total, count.sinceScript], [before + 2, 2]);
    assert.equal((await fetch(`${server.controlUrl}/nope`)).status, 404);
    assert.equal((await fetch(`${server.controlUrl}/script`, { method: 'POST', body: '[{"kind":"bogus"}]' })).status, 400);
    const log = (await (await fetch(`${server.controlUrl}/log`)).json()) as unknown[];
    assert.equal(log.length, server.requests.count);
    assert.equal(server.requests.count, before + 2);
  });

  it('close() destroys stalled sockets and clears timers promptly', async () => {
    const s = await startFaultServer([{ kind: 'stall', ms: 60_000 }]);
    const pending = raw(s.port, 5_000);
    for (let i = 0; i < 50 && s.requests.count === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(s.requests.count, 1);
    const t0 = Date.now();
    await s.close();
    const r = await pending;
    assert.ok(Date.now() - t0 < 1_000);
    assert.notEqual(r.ended, 'timeout');
    await s.close(); // idempotent
  });
});

// ---------------------------------------------------------------------------------------
// botocore sanity table
// ---------------------------------------------------------------------------------------

const GET_ITEM = { TableName: 'Users', Key: { id: { S: 'ada' } } };
const ITEM_BODY = JSON.stringify({ Item: { id: { S: 'ada' } } });
const SEND = { QueueUrl: 'http://127.0.0.1/123456789012/q', MessageBody: 'hi' };
const ddb = (mode: FaultCase['retries']['mode'], script: FaultCase['script'], extra: Partial<FaultCase> = {}): FaultCase =>
  ({ service: 'dynamodb', operation: 'GetItem', params: GET_ITEM, retries: { mode }, script, ...extra });

interface Expect {
  attempts: number; outcome: 'ok' | 'error'; error_class?: string | null; error_code?: string | null;
  retry_attempts?: number | null; max_attempts_reached?: boolean | null; retry_quota_reached?: boolean | null;
}

/** What botocore 1.43 really does (recorded by running it; see the report in the PR). */
const TABLE: Array<{ name: string; case: FaultCase; expect: Expect }> = [
  { name: 'standard: DynamoDB 500 forever -> 3 attempts',
    case: ddb('standard', [dynamodbError(500, 'InternalServerError')]),
    expect: { attempts: 3, outcome: 'error', error_class: 'ClientError', error_code: 'InternalServerError', retry_attempts: 2, max_attempts_reached: true } },
  { name: 'legacy: DynamoDB 500 forever -> 10 attempts (_retry.json dynamodb max_attempts 10 is the total)',
    case: ddb('legacy', [dynamodbError(500, 'InternalServerError')]),
    expect: { attempts: 10, outcome: 'error', error_class: 'ClientError', error_code: 'InternalServerError', retry_attempts: 9, max_attempts_reached: true } },
  { name: 'legacy: DynamoDB ThrottlingException forever -> 10 attempts',
    case: ddb('legacy', [dynamodbError(400, 'ThrottlingException')]),
    expect: { attempts: 10, outcome: 'error', error_class: 'ClientError', error_code: 'ThrottlingException', retry_attempts: 9, max_attempts_reached: true } },
  { name: 'legacy: SQS 503 forever -> 5 attempts',
    case: { service: 'sqs', operation: 'SendMessage', params: SEND, retries: { mode: 'legacy' }, script: [sqsError(503, 'ServiceUnavailable')] },
    expect: { attempts: 5, outcome: 'error', error_class: 'ClientError', error_code: 'ServiceUnavailable', retry_attempts: 4, max_attempts_reached: true } },
  { name: 'legacy: max_attempts 1 means one retry -> 2 attempts',
    case: ddb('legacy', [dynamodbError(500, 'InternalServerError')], { retries: { mode: 'legacy', max_attempts: 1 } }),
    expect: { attempts: 2, outcome: 'error', error_code: 'InternalServerError', retry_attempts: 1, max_attempts_reached: true } },
  { name: 'legacy: SQS total_max_attempts 4 -> 4 attempts',
    case: { service: 'sqs', operation: 'SendMessage', params: SEND, retries: { mode: 'legacy', total_max_attempts: 4 }, script: [sqsError(500, 'InternalFailure')] },
    expect: { attempts: 4, outcome: 'error', error_code: 'InternalFailure', retry_attempts: 3, max_attempts_reached: true } },
  { name: 'standard: SQS query-compatible throttling code comes from x-amzn-query-error',
    case: { service: 'sqs', operation: 'SendMessage', params: SEND, retries: { mode: 'standard' }, script: [sqsError(400, 'ThrottlingException', 'RequestThrottled')] },
    expect: { attempts: 3, outcome: 'error', error_code: 'RequestThrottled', retry_attempts: 2, max_attempts_reached: true } },
  { name: 'standard: STS IDPCommunicationError is retried -> 3 attempts',
    case: { service: 'sts', operation: 'GetCallerIdentity', params: {}, retries: { mode: 'standard' }, script: [queryError(400, 'IDPCommunicationError')] },
    expect: { attempts: 3, outcome: 'error', error_code: 'IDPCommunicationError', retry_attempts: 2, max_attempts_reached: true } },
  { name: 'standard: S3 SlowDown forever -> 3 attempts',
    case: { service: 's3', operation: 'GetObject', params: { Bucket: 'b', Key: 'k' }, retries: { mode: 'standard' }, script: [s3Error(503, 'SlowDown')] },
    expect: { attempts: 3, outcome: 'error', error_code: 'SlowDown', retry_attempts: 2, max_attempts_reached: true } },
  { name: 'standard: S3 HeadObject 404 is not retried and has no parsed code',
    case: { service: 's3', operation: 'HeadObject', params: { Bucket: 'b', Key: 'k' }, retries: { mode: 'standard' }, script: [s3Error(404, 'NoSuchKey')] },
    expect: { attempts: 1, outcome: 'error', error_code: '404', retry_attempts: 0, max_attempts_reached: null } },
  { name: 'standard: 500, 500, success -> ok after 3, and MaxAttemptsReached is set even on success',
    case: ddb('standard', [dynamodbError(500, 'InternalServerError'), dynamodbError(500, 'InternalServerError'), jsonOk({})]),
    expect: { attempts: 3, outcome: 'ok', retry_attempts: 2, max_attempts_reached: true } },
  { name: 'standard: connection reset then success -> 2 attempts ok',
    case: ddb('standard', [{ kind: 'reset' }, jsonOk({})]),
    expect: { attempts: 2, outcome: 'ok', retry_attempts: 1, max_attempts_reached: null } },
  { name: 'legacy: close-before-response then success -> 2 attempts ok',
    case: ddb('legacy', [{ kind: 'close-before-response' }, jsonOk({})]),
    expect: { attempts: 2, outcome: 'ok', retry_attempts: 1 } },
  { name: 'legacy: reset forever -> 10 attempts, ConnectionClosedError',
    case: ddb('legacy', [{ kind: 'reset' }]),
    expect: { attempts: 10, outcome: 'error', error_class: 'ConnectionClosedError', error_code: null, retry_attempts: null } },
  { name: 'standard: truncated JSON body forever -> 3 attempts, ConnectionClosedError',
    case: ddb('standard', [{ kind: 'truncate', status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: ITEM_BODY, sendBytes: 5 }]),
    expect: { attempts: 3, outcome: 'error', error_class: 'ConnectionClosedError' } },
  { name: 'standard: S3 GetObject truncated streaming body is not retried -> ResponseStreamingError',
    case: { service: 's3', operation: 'GetObject', params: { Bucket: 'b', Key: 'k' }, retries: { mode: 'standard' }, script: [{ kind: 'truncate', status: 200, body: 'hello world', sendBytes: 5 }] },
    expect: { attempts: 1, outcome: 'error', error_class: 'ResponseStreamingError' } },
  { name: 'standard: stall past read_timeout=1 -> 3 attempts, ReadTimeoutError',
    case: ddb('standard', [{ kind: 'stall', ms: 2_500 }], { read_timeout: 1 }),
    expect: { attempts: 3, outcome: 'error', error_class: 'ReadTimeoutError', retry_attempts: null } },
  { name: 'legacy: DynamoDB bad crc32 forever -> 10 attempts, ChecksumError raised on the last',
    case: ddb('legacy', [corruptCrc32(ITEM_BODY)]),
    expect: { attempts: 10, outcome: 'error', error_class: 'ChecksumError', error_code: null } },
  { name: 'legacy: bad crc32 then good -> 2 attempts ok',
    case: ddb('legacy', [corruptCrc32(ITEM_BODY), correctCrc32(ITEM_BODY)]),
    expect: { attempts: 2, outcome: 'ok', retry_attempts: 1 } },
  { name: 'standard: DynamoDB bad crc32 forever -> 3 attempts, then the data is RETURNED',
    case: ddb('standard', [corruptCrc32(ITEM_BODY)]),
    expect: { attempts: 3, outcome: 'ok', retry_attempts: 2, max_attempts_reached: true } },
  { name: 'standard: S3 GetObject bad x-amz-checksum-crc32 is not retried -> FlexibleChecksumError',
    case: { service: 's3', operation: 'GetObject', params: { Bucket: 'b', Key: 'k' }, retries: { mode: 'standard' }, script: [corruptChecksum('hello world')] },
    expect: { attempts: 1, outcome: 'error', error_class: 'FlexibleChecksumError' } },
  { name: 'standard: retry quota (500 capacity, 5 per retry) runs out after 100 retries',
    case: ddb('standard', [dynamodbError(500, 'InternalServerError')], { retries: { mode: 'standard', total_max_attempts: 200 } }),
    expect: { attempts: 101, outcome: 'error', error_code: 'InternalServerError', retry_attempts: 100, max_attempts_reached: null, retry_quota_reached: true } },
  { name: 'standard: the same client, quota still empty -> 1 attempt',
    case: ddb('standard', [dynamodbError(500, 'InternalServerError')], { retries: { mode: 'standard', total_max_attempts: 200 }, reuse_client: true }),
    expect: { attempts: 1, outcome: 'error', retry_attempts: 0, retry_quota_reached: true } },
  { name: 'adaptive: one throttle then success -> 2 attempts (token bucket sleeps for real)',
    case: ddb('adaptive', [dynamodbError(400, 'ThrottlingException'), jsonOk({})]),
    expect: { attempts: 2, outcome: 'ok', retry_attempts: 1 } },
];

describe('botocore sanity table (proves test/helpers/botocore_faults.py)', () => {
  let server: FaultServer;
  let results: FaultResult[] = [];
  // A missing python3/botocore must FAIL every row (never skip or merely cancel them).
  let driverError: unknown;
  before(async () => {
    server = await startFaultServer();
    try {
      results = await runBotocoreFaults(server, TABLE.map((t, i) => ({ ...t.case, id: i })), { timeoutMs: 50_000 });
    } catch (e) {
      driverError = e;
    }
  });
  after(async () => { await server?.close(); });

  for (const [i, row] of TABLE.entries()) {
    it(row.name, () => {
      if (driverError) throw driverError;
      const r = results[i]!;
      assert.equal(r.id, i);
      const got: Record<string, unknown> = {};
      for (const k of Object.keys(row.expect)) got[k] = r[k as keyof FaultResult];
      assert.deepEqual(got, row.expect, `${row.name}: ${JSON.stringify(r)}`);
    });
  }

  it('backoff sleeps are zeroed but adaptive token-bucket sleeps are real', () => {
    if (driverError) throw driverError;
    const legacy = results[1]!;
    assert.ok(legacy.elapsed_s < 2, `legacy DynamoDB with 10 attempts took ${legacy.elapsed_s} s`);
    const adaptive = results[TABLE.length - 1]!;
    assert.ok(adaptive.elapsed_s > 0.3, `adaptive throttled retry took only ${adaptive.elapsed_s} s`);
  });
});
