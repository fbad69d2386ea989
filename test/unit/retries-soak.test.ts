/**
 * Soak: thousands of calls through one client while the fault server answers with random
 * faults (500s, throttles, resets, closes, truncated bodies, damaged CRC32s, stalls past the
 * read timeout). Every call must end with the right item or a typed error, never with other
 * data; no promise may be left rejected and unhandled; afterwards the client holds no more
 * connections than its pool allows; and the heap must not grow with the number of calls.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChecksumError, ClientError, Config, ConnectionClosedError, ReadTimeoutError, Session, type Client } from '../../src/index.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { corruptCrc32, correctCrc32, dynamodbError, startFaultServer, type FaultAction, type FaultServer } from '../helpers/fault-server.js';
import { prng } from '../helpers/random.js';

Math.random = () => 0;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const POOL = 4;
const CONCURRENCY = 8;
const ITEM = { Item: { id: { S: 'soak' }, n: { N: '7' } } };
const BODY = JSON.stringify(ITEM);

let server: FaultServer;
let ddb: Client;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startFaultServer([], { keepLog: false });
  ddb = new Session({ env: { ...EMPTY_ENV } }).client('dynamodb', {
    region: 'us-east-1',
    endpointUrl: server.url,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    config: new Config({ retries: { mode: 'standard', totalMaxAttempts: 3 }, maxPoolConnections: POOL, readTimeout: 0.3 }),
  });
});

after(async () => {
  process.off('unhandledRejection', onUnhandled);
  ddb?.destroy();
  await server?.close();
});

/** A long random script: mostly good answers, a fault in about one request of four. */
function randomScript(seed: number, length: number): FaultAction[] {
  const r = prng(seed);
  const actions: FaultAction[] = [];
  let stalls = 0;
  for (let i = 0; i < length; i++) {
    const x = r();
    if (x < 0.75) actions.push(correctCrc32(BODY));
    else if (x < 0.8) actions.push(dynamodbError(500, 'InternalServerError'));
    else if (x < 0.85) actions.push(dynamodbError(400, 'ThrottlingException'));
    else if (x < 0.88) actions.push(dynamodbError(400, 'ValidationException'));
    else if (x < 0.91) actions.push({ kind: 'reset' });
    else if (x < 0.93) actions.push({ kind: 'close-before-response' });
    else if (x < 0.96) actions.push({ kind: 'truncate', status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: BODY, sendBytes: 10 });
    else if (x < 0.999 || stalls >= 5) actions.push(corruptCrc32(BODY));
    else {
      stalls++;
      actions.push({ kind: 'stall', ms: 1000 });
    }
  }
  return actions;
}

const EXPECTED_ERRORS = [ClientError, ConnectionClosedError, ChecksumError, ReadTimeoutError];

async function phase(calls: number, outcomes: Map<string, number>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < calls; i = next++) {
      try {
        const out = await ddb.getItem({ TableName: 'soak', Key: { id: { S: 'soak' } } });
        assert.deepEqual(out.Item, ITEM.Item, 'a call returned data other than the item');
        outcomes.set('ok', (outcomes.get('ok') ?? 0) + 1);
      } catch (err) {
        assert.ok(EXPECTED_ERRORS.some((cls) => err instanceof cls), `untyped failure: ${String(err)}`);
        const name = err instanceof ClientError ? `ClientError:${err.code}` : (err as Error).constructor.name;
        outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

it('thousands of calls under random faults: right data or typed errors, sockets back to the pool, flat memory', async () => {
  server.setScript({ actions: randomScript(42, 12_000), then: correctCrc32(BODY) });
  const outcomes = new Map<string, number>();
  await phase(1000, outcomes); // warm-up: code paths compiled, pools full
  const warm = heapUsed();
  await phase(1500, outcomes);
  const middle = heapUsed();
  await phase(1500, outcomes);
  const end = heapUsed();

  const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, 4000);
  // Every kind of fault was met and survived.
  for (const key of ['ok', 'ClientError:ValidationException', 'ConnectionClosedError']) assert.ok((outcomes.get(key) ?? 0) > 0, `${key} never happened: ${JSON.stringify([...outcomes])}`);
  assert.ok((outcomes.get('ok') ?? 0) > 3000, JSON.stringify([...outcomes]));

  // Let closing sockets finish closing; then only pooled keep-alive sockets may remain.
  for (let i = 0; i < 50 && server.openConnections > POOL; i++) await sleep(20);
  assert.ok(server.openConnections <= POOL, `${server.openConnections} connections open with a pool of ${POOL}`);

  // A leak of one retained request or response per call would be several MiB over 3000 calls.
  const perPhase = [middle - warm, end - middle];
  assert.ok(end - warm < 1.5 * 1024 * 1024, `heap grew ${((end - warm) / 1048576).toFixed(1)} MiB over 3000 calls (${perPhase.map((d) => (d / 1048576).toFixed(2)).join(', ')})`);
  assert.deepEqual(unhandled, []);
});
