/**
 * The retry modes, piece by piece and through a client against a loopback server:
 *  - legacy configuration from _retry.json (merging, overrides), standard decisions, quota;
 *  - CUBIC and the token bucket computed side by side with botocore's own classes;
 *  - a client's attempts per mode, RetryAttempts, MaxAttemptsReached, per-call cancellation,
 *    one-shot streams, and the signing clock corrected after a skew error.
 * Math.random is pinned to 0 here so that every jittered backoff is 0 seconds.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { ChecksumError, ClientError, Config, ConnectionClosedError, Session, type Client } from '../../src/index.js';
import type { RetriesConfig } from '../../src/config.js';
import { ClientRateLimiter } from '../../src/retries/adaptive.js';
import { TokenBucket, type RetryClock } from '../../src/retries/bucket.js';
import type { NeedsRetryArgs } from '../../src/retries/context.js';
import { CubicCalculator } from '../../src/retries/cubic.js';
import { buildLegacyRetryConfig, type RetryModelData } from '../../src/retries/legacy.js';
import { RetryQuota } from '../../src/retries/quota.js';
import { StandardRetryHandler } from '../../src/retries/standard.js';
import { SigningClock } from '../../src/retries/clock-skew.js';
import { Loader } from '../../src/models/loader.js';
import { ServiceModel, type ServiceDescription } from '../../src/models/shapes.js';
import { EMPTY_ENV } from '../helpers/env.js';

Math.random = () => 0;

const loader = new Loader();
const retryData = loader.loadData('_retry') as unknown as RetryModelData;

describe('legacy configuration from _retry.json', () => {
  it('uses the defaults and the service section, as botocore build_retry_config', () => {
    const sqs = buildLegacyRetryConfig('sqs', retryData);
    assert.equal(sqs.maxAttempts, 5);
    assert.equal(sqs.base, 'rand');
    assert.equal(sqs.growthFactor, 2);
    assert.ok(sqs.policies.some(([name]) => name === 'request_limit_exceeded'));
    const ddb = buildLegacyRetryConfig('dynamodb', retryData);
    assert.equal(ddb.maxAttempts, 10);
    assert.equal(ddb.base, 0.05);
    assert.deepEqual(ddb.policies.at(-1), ['crc32', { applies_when: { response: { crc32body: 'x-amz-crc32' } } }]);
    assert.equal(buildLegacyRetryConfig('dynamodb', retryData, 3).maxAttempts, 3);
  });

  it('merges a same-named policy key by key (organizations too_many_requests) without touching the shared definition', () => {
    const org = buildLegacyRetryConfig('organizations', retryData);
    assert.deepEqual(Object.fromEntries(org.policies).too_many_requests, {
      applies_when: { response: { http_status_code: 400, service_error_code: 'TooManyRequestsException' } },
    });
    const other = buildLegacyRetryConfig('sqs', retryData);
    assert.deepEqual(Object.fromEntries(other.policies).too_many_requests, { applies_when: { response: { http_status_code: 429 } } });
  });

  it('matches botocore for every service section', () => {
    const script = `
import json, botocore.session
from botocore.translate import build_retry_config
s = botocore.session.get_session()
out = {}
for prefix in ${JSON.stringify(Object.keys(retryData.retry ?? {}))}:
    data = s.get_component('data_loader').load_data('_retry')
    import copy
    c = build_retry_config(prefix, copy.deepcopy(data['retry']), copy.deepcopy(data['definitions']))['__default__']
    out[prefix] = {'max': c['max_attempts'], 'base': c['delay']['base'], 'policies': list(c['policies'].items())}
print(json.dumps(out))`;
    const botocore = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as Record<string, { max: number; base: number | string; policies: unknown[] }>;
    for (const [prefix, expected] of Object.entries(botocore)) {
      const mine = buildLegacyRetryConfig(prefix, retryData);
      assert.deepEqual({ max: mine.maxAttempts, base: mine.base, policies: mine.policies }, expected, prefix);
    }
  });
});

function fakeArgs(service: string, operation: string, over: Partial<NeedsRetryArgs>): NeedsRetryArgs {
  const model = new ServiceModel(loader.loadServiceModel(service, 'service-2') as unknown as ServiceDescription, service);
  return {
    response: undefined,
    httpResponse: undefined,
    caughtException: undefined,
    operation: model.operationModel(operation),
    attempts: 1,
    context: {},
    params: {},
    ...over,
  };
}

function errorAnswer(status: number, code: string): Pick<NeedsRetryArgs, 'response' | 'httpResponse'> {
  return {
    response: { Error: { Code: code, Message: '' }, ResponseMetadata: { HTTPStatusCode: status } },
    httpResponse: { statusCode: status, headers: {}, body: new Uint8Array() },
  };
}

describe('standard mode decisions', () => {
  it('retries transient, throttling and modeled errors up to 3 attempts, recording MaxAttemptsReached', () => {
    const h = new StandardRetryHandler();
    assert.equal(h.needsRetry(fakeArgs('dynamodb', 'GetItem', { ...errorAnswer(500, 'InternalServerError') })), 0);
    assert.equal(h.needsRetry(fakeArgs('dynamodb', 'GetItem', { ...errorAnswer(400, 'ProvisionedThroughputExceededException'), attempts: 2 })), 0);
    const last = fakeArgs('dynamodb', 'GetItem', { ...errorAnswer(503, 'ServiceUnavailable'), attempts: 3 });
    assert.equal(h.needsRetry(last), null);
    assert.equal((last.response as { ResponseMetadata: { MaxAttemptsReached?: boolean } }).ResponseMetadata.MaxAttemptsReached, true);
    assert.equal(h.needsRetry(fakeArgs('dynamodb', 'GetItem', { ...errorAnswer(400, 'ValidationException') })), null);
    assert.equal(h.needsRetry(fakeArgs('sts', 'AssumeRoleWithWebIdentity', { ...errorAnswer(400, 'IDPCommunicationError') })), 0);
    assert.equal(h.needsRetry(fakeArgs('sqs', 'SendMessage', { caughtException: new ConnectionClosedError('http://x') })), 0);
    assert.equal(h.needsRetry(fakeArgs('sqs', 'SendMessage', { caughtException: new Error('not a transport error') })), null);
  });

  it('draws 5 from the quota per retry (10 after a timeout) and gives back on success', async () => {
    const { ReadTimeoutError } = await import('../../src/errors.js');
    const h = new StandardRetryHandler({ maxAttempts: 1000 });
    const context: Record<string, unknown> = {};
    h.needsRetry(fakeArgs('sqs', 'SendMessage', { ...errorAnswer(500, 'InternalError'), context }));
    assert.equal(h.quota.availableCapacity, 495);
    h.needsRetry(fakeArgs('sqs', 'SendMessage', { caughtException: new ReadTimeoutError('http://x'), context, attempts: 2 }));
    assert.equal(h.quota.availableCapacity, 485);
    h.releaseQuota({ httpResponse: { statusCode: 200, headers: {}, body: new Uint8Array() }, context });
    assert.equal(h.quota.availableCapacity, 495);
    h.releaseQuota({ httpResponse: { statusCode: 200, headers: {}, body: new Uint8Array() }, context: {} });
    assert.equal(h.quota.availableCapacity, 496);
    // Exhaust it: no retry, RetryQuotaReached recorded.
    for (let i = 0; i < 200 && h.quota.availableCapacity >= 5; i++) h.needsRetry(fakeArgs('sqs', 'SendMessage', { ...errorAnswer(500, 'InternalError') }));
    const args = fakeArgs('sqs', 'SendMessage', { ...errorAnswer(500, 'InternalError') });
    assert.equal(h.needsRetry(args), null);
    assert.equal((args.response as { ResponseMetadata: { RetryQuotaReached?: boolean } }).ResponseMetadata.RetryQuotaReached, true);
  });

  it('quota never grows beyond its initial capacity', () => {
    const q = new RetryQuota(10);
    q.release(5);
    assert.equal(q.availableCapacity, 10);
    assert.equal(q.acquire(11), false);
    assert.equal(q.acquire(10), true);
    q.release(100);
    assert.equal(q.availableCapacity, 10);
  });
});

/** A clock the test moves by hand; sleeping advances it. */
class ManualClock implements RetryClock {
  t = 1000;
  slept: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(seconds: number): Promise<void> {
    this.slept.push(seconds);
    this.t += seconds;
  }
}

describe('adaptive mode pieces, side by side with botocore', () => {
  it('CUBIC rates equal botocore CubicCalculator', () => {
    const steps: Array<['ok' | 'err', number, number]> = [];
    for (let i = 0; i < 40; i++) steps.push([i % 7 === 3 ? 'err' : 'ok', 1000 + i * 0.37, 5 + (i % 5)]);
    const script = `
import json, sys
from botocore.retries.throttling import CubicCalculator
c = CubicCalculator(starting_max_rate=10, start_time=1000)
out = []
for kind, t, rate in json.loads(sys.argv[1]):
    out.append(c.success_received(t) if kind == 'ok' else c.error_received(rate, t))
print(json.dumps(out))`;
    const expected = JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(steps)], { encoding: 'utf8' })) as number[];
    const c = new CubicCalculator(10, 1000);
    const mine = steps.map(([kind, t, rate]) => (kind === 'ok' ? c.successReceived(t) : c.errorReceived(rate, t)));
    for (let i = 0; i < mine.length; i++) assert.ok(Math.abs(mine[i]! - expected[i]!) < 1e-9, `step ${i}: ${mine[i]} vs ${expected[i]}`);
  });

  it('the token bucket waits as long as botocore TokenBucket would', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(0.5, clock);
    await bucket.acquire();
    await bucket.acquire();
    bucket.maxRate = 4;
    await bucket.acquire();
    await bucket.acquire();
    const script = `
import json
from botocore.retries.bucket import TokenBucket
class Clock:
    t = 1000.0
    slept = []
    def current_time(self): return self.t
    def sleep(self, s): pass
clock = Clock()
b = TokenBucket(max_rate=0.5, clock=clock)
import threading
# botocore waits on a condition; replay the same arithmetic: each wait is the sleep amount.
waits = []
def acquire():
    b._refill()
    if 1 <= b._current_capacity:
        b._current_capacity -= 1; return
    s = b._sleep_amount(1)
    while s > 0:
        waits.append(s); clock.t += s; b._refill(); s = b._sleep_amount(1)
    b._current_capacity -= 1
acquire(); acquire(); b.max_rate = 4; acquire(); acquire()
print(json.dumps(waits))`;
    const expected = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as number[];
    // inia waits in slices of at most a second; the totals per acquire are what must agree.
    const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total(clock.slept) - total(expected)) < 1e-9, `${clock.slept} vs ${expected}`);
  });

  it('the rate limiter turns on at the first throttle and never allows more than twice the measured rate', async () => {
    const clock = new ManualClock();
    const limiter = new ClientRateLimiter(clock);
    const ok = fakeArgs('dynamodb', 'GetItem', { response: { ResponseMetadata: {} }, httpResponse: { statusCode: 200, headers: {}, body: new Uint8Array() } });
    const throttled = fakeArgs('dynamodb', 'GetItem', { ...errorAnswer(400, 'ThrottlingException') });
    for (let i = 0; i < 20; i++) {
      clock.t += 0.1;
      limiter.onReceivingResponse(ok);
    }
    assert.equal(limiter.enabled, false);
    clock.t += 0.1;
    limiter.onReceivingResponse(throttled);
    assert.equal(limiter.enabled, true);
    assert.ok(limiter.bucket.maxRate > 0 && limiter.bucket.maxRate <= 20);
    // The bucket holds at most max(1, rate) tokens; the send after those waits for a refill.
    const before = clock.t;
    const capacity = Math.ceil(limiter.bucket.maxCapacity);
    for (let i = 0; i <= capacity; i++) await limiter.onSendingRequest();
    assert.ok(clock.t > before, 'a send beyond the bucket waited for a token');
  });

  it('a cancelled wait leaves the queue and the next waiter still gets its token', async () => {
    const bucket = new TokenBucket(0.5);
    await bucket.acquire();
    const ac = new AbortController();
    const waiting = bucket.acquire(1, ac.signal);
    ac.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
  });
});

describe('signing clock', () => {
  it('adopts the server clock only for skew errors far from ours', () => {
    const clock = new SigningClock();
    const far = new Date(Date.now() + 3600_000).toUTCString();
    assert.equal(clock.correctFrom('AccessDenied', 'Signature expired', { date: far }), false);
    assert.equal(clock.correctFrom('RequestTimeTooSkewed', '', { date: new Date().toUTCString() }), false);
    assert.equal(clock.correctFrom('RequestTimeTooSkewed', '', {}), false);
    // A plain bad signature (a wrong secret key) says nothing about the clock.
    assert.equal(clock.correctFrom('SignatureDoesNotMatch', 'The request signature we calculated does not match', { date: far }), false);
    assert.equal(clock.correctFrom('InvalidSignatureException', 'Signature expired: 20130603T193028Z is now earlier than 20130603T193033Z', { date: far }), true);
    assert.equal(clock.offsetMs > 3500_000, true);
    clock.offsetMs = 0;
    assert.equal(clock.correctFrom('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', { date: far }), true);
    assert.ok(Math.abs(clock.offsetMs - 3600_000) < 2000);
    assert.ok(Math.abs(clock.now().getTime() - Date.parse(far)) < 2000);
  });
});

// ---------------------------------------------------------------- through a client

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse, n: number) => void;
let server: Server;
let endpoint: string;
let handler: Handler = (_req, _body, res) => res.end();
let seen: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ headers: req.headers, body });
      handler(req, body, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

function client(service: string, retries: RetriesConfig, env: Record<string, string> = {}): Client {
  return new Session({ env: { ...EMPTY_ENV, ...env } }).client(service, {
    region: 'us-east-1',
    endpointUrl: endpoint,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    config: new Config({ retries, s3: { addressingStyle: 'path' } }),
  });
}

function ddbError(res: ServerResponse, status: number, code: string): void {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message: 'no' });
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-crc32': String(crc32(body) >>> 0) });
  res.end(body);
}

function ddbOk(res: ServerResponse, body = '{}', crc = crc32(body) >>> 0): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-crc32': String(crc) });
  res.end(body);
}

async function attemptsOf(call: () => Promise<unknown>): Promise<{ attempts: number; result?: unknown; error?: unknown }> {
  seen = [];
  try {
    const result = await call();
    return { attempts: seen.length, result };
  } catch (error) {
    return { attempts: seen.length, error };
  }
}

describe('a client retries as its mode says', () => {
  it('legacy: DynamoDB 500s are retried as configured, standard 3, configured totals win', async () => {
    // (DynamoDB's legacy default of 10 attempts is checked on the configuration above: its
    // fixed 0.05 s base would make this test sleep 25 s.)
    handler = (_req, _body, res) => ddbError(res, 500, 'InternalServerError');
    const cases: Array<[RetriesConfig, number]> = [
      [{ mode: 'legacy', totalMaxAttempts: 4 }, 4],
      [{ mode: 'standard' }, 3],
      [{ mode: 'adaptive' }, 3],
      [{ mode: 'legacy', maxAttempts: 2 }, 3],
      [{ mode: 'standard', totalMaxAttempts: 5 }, 5],
      [{ mode: 'standard', totalMaxAttempts: 1 }, 1],
    ];
    for (const [retries, expected] of cases) {
      const { attempts, error } = await attemptsOf(() => client('dynamodb', retries).getItem({ TableName: 't', Key: { k: { S: 'v' } } }));
      assert.equal(attempts, expected, JSON.stringify(retries));
      assert.ok(error instanceof ClientError && error.code === 'InternalServerError');
      assert.equal(error.response.ResponseMetadata?.RetryAttempts, expected - 1);
      assert.equal(error.response.ResponseMetadata?.MaxAttemptsReached, true);
    }
  });

  it('legacy SQS: 5 attempts on 503, none on a 400', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(503, { 'content-type': 'text/xml' });
      res.end('<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>');
    };
    const sqs = (): Client => client('sqs', { mode: 'legacy' });
    assert.equal((await attemptsOf(() => sqs().sendMessage({ QueueUrl: `${endpoint}/123/q`, MessageBody: 'm' }))).attempts, 5);
  });

  it('AWS_MAX_ATTEMPTS counts every attempt', async () => {
    handler = (_req, _body, res) => ddbError(res, 503, 'ServiceUnavailable');
    const { attempts } = await attemptsOf(() => client('dynamodb', {}, { AWS_MAX_ATTEMPTS: '2', AWS_RETRY_MODE: 'standard' }).getItem({ TableName: 't', Key: {} }));
    assert.equal(attempts, 2);
  });

  it('a recovered call reports RetryAttempts', async () => {
    handler = (_req, _body, res, n) => (n < 3 ? ddbError(res, 400, 'ThrottlingException') : ddbOk(res, '{"Item":{"k":{"S":"v"}}}'));
    const { attempts, result } = await attemptsOf(() => client('dynamodb', { mode: 'standard' }).getItem({ TableName: 't', Key: {} }));
    assert.equal(attempts, 3);
    assert.equal((result as { ResponseMetadata: { RetryAttempts: number } }).ResponseMetadata.RetryAttempts, 2);
    // botocore's amz-sdk-* headers: one invocation id; attempt, then the server-clock ttl and the limit.
    const ids = new Set(seen.map((r) => r.headers['amz-sdk-invocation-id']));
    assert.equal(ids.size, 1);
    assert.match([...ids][0] as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(seen[0]!.headers['amz-sdk-request'], 'attempt=1');
    assert.match(seen[1]!.headers['amz-sdk-request'] as string, /^ttl=\d{8}T\d{6}Z; attempt=2; max=3$/);
    assert.match(seen[2]!.headers['amz-sdk-request'] as string, /^ttl=\d{8}T\d{6}Z; attempt=3; max=3$/);
    // Not signed, as in botocore (its handler runs after the signer).
    assert.doesNotMatch(seen[1]!.headers.authorization as string, /amz-sdk/);
  });

  it('a damaged DynamoDB body is retried and never returned (ChecksumError when no retry is left)', async () => {
    for (const mode of ['legacy', 'standard', 'adaptive'] as const) {
      handler = (_req, _body, res) => ddbOk(res, '{"Item":{"k":{"S":"v"}}}', 12345);
      const { attempts, error } = await attemptsOf(() => client('dynamodb', { mode, totalMaxAttempts: 2 }).getItem({ TableName: 't', Key: {} }));
      assert.equal(attempts, 2, mode);
      assert.ok(error instanceof ChecksumError, `${mode}: ${String(error)}`);
      handler = (_req, _body, res, n) => (n === 1 ? ddbOk(res, '{"Item":{"k":{"S":"bad"}}}', 1) : ddbOk(res, '{"Item":{"k":{"S":"v"}}}'));
      const good = await attemptsOf(() => client('dynamodb', { mode }).getItem({ TableName: 't', Key: {} }));
      assert.equal(good.attempts, 2);
      assert.deepEqual((good.result as { Item: unknown }).Item, { k: { S: 'v' } });
    }
  });

  it('a connection dropped before the answer is retried; a non-retryable 400 is not', async () => {
    handler = (req, _body, res, n) => {
      if (n === 1) req.socket.destroy();
      else ddbOk(res);
    };
    assert.equal((await attemptsOf(() => client('dynamodb', { mode: 'standard' }).getItem({ TableName: 't', Key: {} }))).attempts, 2);
    handler = (_req, _body, res) => ddbError(res, 400, 'ValidationException');
    assert.equal((await attemptsOf(() => client('dynamodb', { mode: 'legacy' }).getItem({ TableName: 't', Key: {} }))).attempts, 1);
  });

  it('a one-shot stream body is sent once; a buffered one is sent again', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<Error><Code>InternalError</Code><Message>x</Message></Error>');
    };
    const s3 = client('s3', { mode: 'standard' });
    const streamed = await attemptsOf(() => s3.putObject({ Bucket: 'b', Key: 'k', Body: Readable.from([Buffer.from('hello')]), ContentLength: 5 }));
    assert.equal(streamed.attempts, 1);
    assert.ok(streamed.error instanceof ClientError);
    const buffered = await attemptsOf(() => s3.putObject({ Bucket: 'b', Key: 'k', Body: 'hello' }));
    assert.equal(buffered.attempts, 3);
    assert.ok(seen.every((r) => r.body.toString().includes('hello')));
  });

  it('abortSignal cancels a call while it waits to retry, and refuses unknown call options', async () => {
    const originalRandom = Math.random;
    Math.random = () => 1;
    try {
      handler = (_req, _body, res) => ddbError(res, 500, 'InternalServerError');
      const ac = new AbortController();
      const started = Date.now();
      const call = client('dynamodb', { mode: 'legacy' }).getItem({ TableName: 't', Key: {} }, { abortSignal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(call, { name: 'AbortError' });
      assert.ok(Date.now() - started < 5000);
    } finally {
      Math.random = originalRandom;
    }
    // A request in flight: the server never answers; the abort ends the call at once, unretried.
    handler = () => undefined;
    const inflight = new AbortController();
    const pending = client('dynamodb', { mode: 'standard' }).getItem({ TableName: 't', Key: {} }, { abortSignal: inflight.signal });
    setTimeout(() => inflight.abort(new Error('user gave up')), 50);
    const t0 = Date.now();
    seen = [];
    await assert.rejects(pending, /user gave up/);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(seen.length <= 1, true);
    const ddb = client('dynamodb', { mode: 'legacy' });
    await assert.rejects(ddb.getItem({ TableName: 't', Key: {} }, { signal: undefined } as never), /unknown call option/);
    const aborted = AbortSignal.abort();
    await assert.rejects(ddb.getItem({ TableName: 't', Key: {} }, { abortSignal: aborted }), { name: 'AbortError' });
  });

  it('after a skew error with a far server clock, the request is signed with the server time and sent again', async () => {
    const serverNow = Date.now() + 2 * 3600_000;
    handler = (req, _body, res, n) => {
      const amzDate = req.headers['x-amz-date'] as string;
      const signed = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      if (Math.abs(signed - serverNow) > 5 * 60_000) {
        const body = JSON.stringify({ __type: 'InvalidSignatureException', message: 'Signature expired: 20261123T010000Z is now earlier than 20261123T030000Z' });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', date: new Date(serverNow).toUTCString() });
        res.end(body);
        return;
      }
      ddbOk(res, '{}');
      void n;
    };
    const ddb = client('dynamodb', { mode: 'legacy' });
    const { attempts, result, error } = await attemptsOf(() => ddb.getItem({ TableName: 't', Key: {} }));
    assert.equal(error, undefined);
    assert.equal(attempts, 2);
    assert.equal((result as { ResponseMetadata: { RetryAttempts: number } }).ResponseMetadata.RetryAttempts, 1);
    // The correction sticks: the next call is right the first time.
    assert.equal((await attemptsOf(() => ddb.getItem({ TableName: 't', Key: {} }))).attempts, 1);
  });

  it('a skew error from a server whose clock agrees with ours is not retried (as botocore)', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', date: new Date().toUTCString() });
      res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: 'bad' }));
    };
    assert.equal((await attemptsOf(() => client('dynamodb', { mode: 'standard' }).getItem({ TableName: 't', Key: {} }))).attempts, 1);
  });
});

