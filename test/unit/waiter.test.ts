/**
 * Waiters (src/waiter.ts) against canned responses: a `before-send` handler answers every call
 * with a raw HTTP response, so the real parse and error path run. The outcomes, messages and
 * call counts are compared with botocore's Waiter run on the same acceptors and responses
 * through its Stubber (a python3 subprocess; missing python3/botocore fails the test).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Config, Session, type Client } from '../../src/index.js';
import { IniaError, InvalidOptionError, WaiterConfigError, WaiterError } from '../../src/errors.js';
import {
  Acceptor,
  WaiterModel,
  createWaiterWithClient,
  getWaiter,
  pyEquals,
  waiterNames,
  type WaiterDefinition,
  type WaiterConfig,
} from '../../src/waiter.js';
import type { EventArgs } from '../../src/events.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

// ------------------------------------------------------------------ canned responses

type Canned =
  | { ok: Record<string, unknown>; status?: number }
  | { error: { code: string; message: string; status?: number } };

interface Harness {
  client: Client;
  /** Bodies of the requests sent, in order (one per call). */
  sent: Array<Record<string, unknown>>;
  calls: () => number;
}

/** A DynamoDB client whose `operation` calls are answered from `responses`, in order; no retries. */
function cannedClient(responses: Canned[], operation = 'DescribeTable', service = 'dynamodb'): Harness {
  const client = new Session({ env: { ...EMPTY_ENV } }).client(service, {
    region: 'us-east-1',
    // Never reached: every call is answered by the handler below.
    endpointUrl: 'http://127.0.0.1:9',
    credentials,
    config: new Config({ retries: { totalMaxAttempts: 1 } }),
  });
  const queue = [...responses];
  const sent: Array<Record<string, unknown>> = [];
  client.meta.events.register(`before-send.${service}.${operation}`, (args: EventArgs) => {
    const body = (args.request as { body?: unknown } | undefined)?.body;
    sent.push(body instanceof Uint8Array || typeof body === 'string' ? (JSON.parse(Buffer.from(body).toString('utf8') || '{}') as Record<string, unknown>) : {});
    const next = queue.shift();
    if (next === undefined) throw new Error('canned responses exhausted');
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `REQ-${sent.length}` };
    if ('ok' in next) return { statusCode: next.status ?? 200, headers, body: Buffer.from(JSON.stringify(next.ok)) };
    const text = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${next.error.code}`, message: next.error.message });
    return { statusCode: next.error.status ?? 400, headers, body: Buffer.from(text) };
  });
  return { client, sent, calls: () => sent.length };
}

// ------------------------------------------------------------------ scenarios shared with botocore

interface Scenario {
  name: string;
  /** A custom waiter (named 'W'), or the model's waiter of that name. */
  waiter: WaiterDefinition | { model: string };
  responses: Canned[];
  config: WaiterConfig;
  params?: Record<string, unknown>;
}

const table = (status: string, extra: Record<string, unknown> = {}): Canned => ({ ok: { Table: { TableName: 'tbl', TableStatus: status, ...extra } } });
const notFound: Canned = { error: { code: 'ResourceNotFoundException', message: 'Requested resource not found', status: 400 } };
const inUse: Canned = { error: { code: 'ResourceInUseException', message: 'Table is being created', status: 400 } };
const fast = (MaxAttempts: number): WaiterConfig => ({ Delay: 0, MaxAttempts });
const w = (acceptors: WaiterDefinition['acceptors'], operation = 'DescribeTable'): WaiterDefinition => ({ operation, delay: 5, maxAttempts: 4, acceptors });
const gsis = (...statuses: string[]) => ({ GlobalSecondaryIndexes: statuses.map((s, i) => ({ IndexName: `idx${i}`, IndexStatus: s })) });
const replicas = (...statuses: string[]) => ({ Replicas: statuses.map((s, i) => ({ RegionName: `us-east-${i + 1}`, ReplicaStatus: s })) });

const ACTIVE_SUCCESS = { state: 'success', matcher: 'path', argument: 'Table.TableStatus', expected: 'ACTIVE' } as const;
const CREATING_RETRY = { state: 'retry', matcher: 'path', argument: 'Table.TableStatus', expected: 'CREATING' } as const;

const SCENARIOS: Scenario[] = [
  { name: 'path success on the first attempt', waiter: w([ACTIVE_SUCCESS]), responses: [table('ACTIVE')], config: fast(3) },
  { name: 'path retry then success', waiter: w([ACTIVE_SUCCESS, CREATING_RETRY]), responses: [table('CREATING'), table('CREATING'), table('ACTIVE')], config: fast(5) },
  { name: 'path failure', waiter: w([ACTIVE_SUCCESS, { state: 'failure', matcher: 'path', argument: 'Table.TableStatus', expected: 'DELETING' }]), responses: [table('CREATING'), table('DELETING')], config: fast(5) },
  { name: 'path never matches: max attempts', waiter: w([ACTIVE_SUCCESS]), responses: [table('CREATING'), table('CREATING'), table('CREATING')], config: fast(3) },
  { name: 'max attempts after a retry acceptor matched on the last attempt', waiter: w([ACTIVE_SUCCESS, CREATING_RETRY]), responses: [table('CREATING'), table('CREATING')], config: fast(2) },
  {
    // botocore quotes its loop variable: the last acceptor in the list when the last attempt matched none.
    name: 'max attempts after a retry matched earlier but not on the last attempt',
    waiter: w([CREATING_RETRY, ACTIVE_SUCCESS, { state: 'failure', matcher: 'path', argument: 'Table.TableStatus', expected: 'ARCHIVED' }]),
    responses: [table('CREATING'), table('UPDATING')],
    config: fast(2),
  },
  { name: 'MaxAttempts 0 still makes one call', waiter: w([ACTIVE_SUCCESS]), responses: [table('CREATING')], config: fast(0) },
  { name: 'path with a boolean expected', waiter: w([{ state: 'success', matcher: 'path', argument: 'Table.DeletionProtectionEnabled', expected: true }]), responses: [table('ACTIVE', { DeletionProtectionEnabled: false }), table('ACTIVE', { DeletionProtectionEnabled: true })], config: fast(3) },
  { name: "path compares as Python does (1 == True)", waiter: w([{ state: 'success', matcher: 'path', argument: 'Table.ItemCount', expected: true }]), responses: [table('ACTIVE', { ItemCount: 0 }), table('ACTIVE', { ItemCount: 1 })], config: fast(3) },
  { name: 'path with a boolean expected in a failure state', waiter: w([{ state: 'failure', matcher: 'path', argument: 'Table.DeletionProtectionEnabled', expected: false }]), responses: [table('ACTIVE', { DeletionProtectionEnabled: false })], config: fast(3) },
  { name: 'path never matches an error response', waiter: w([{ state: 'success', matcher: 'path', argument: 'Error.Code', expected: 'ResourceNotFoundException' }]), responses: [notFound], config: fast(3) },
  { name: 'pathAll success when every member matches', waiter: w([{ state: 'success', matcher: 'pathAll', argument: 'Table.GlobalSecondaryIndexes[].IndexStatus', expected: 'ACTIVE' }]), responses: [table('ACTIVE', gsis('ACTIVE', 'CREATING')), table('ACTIVE', gsis('ACTIVE', 'ACTIVE'))], config: fast(3) },
  { name: 'pathAll never matches an empty or missing list', waiter: w([{ state: 'success', matcher: 'pathAll', argument: 'Table.GlobalSecondaryIndexes[].IndexStatus', expected: 'ACTIVE' }]), responses: [table('ACTIVE', gsis()), table('ACTIVE')], config: fast(2) },
  { name: 'pathAll retry', waiter: w([ACTIVE_SUCCESS, { state: 'retry', matcher: 'pathAll', argument: 'Table.GlobalSecondaryIndexes[].IndexStatus', expected: 'CREATING' }]), responses: [table('UPDATING', gsis('CREATING', 'CREATING')), table('UPDATING', gsis('CREATING'))], config: fast(2) },
  { name: 'pathAll failure', waiter: w([ACTIVE_SUCCESS, { state: 'failure', matcher: 'pathAll', argument: 'Table.Replicas[].ReplicaStatus', expected: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS' }]), responses: [table('UPDATING', replicas('INACCESSIBLE_ENCRYPTION_CREDENTIALS', 'ACTIVE')), table('UPDATING', replicas('INACCESSIBLE_ENCRYPTION_CREDENTIALS'))], config: fast(4) },
  { name: 'pathAny failure', waiter: w([ACTIVE_SUCCESS, { state: 'failure', matcher: 'pathAny', argument: 'Table.Replicas[].ReplicaStatus', expected: 'CREATION_FAILED' }]), responses: [table('UPDATING', replicas('CREATING', 'ACTIVE')), table('UPDATING', replicas('ACTIVE', 'CREATION_FAILED'))], config: fast(4) },
  { name: 'pathAny success and an empty list', waiter: w([{ state: 'success', matcher: 'pathAny', argument: 'Table.Replicas[].ReplicaStatus', expected: 'ACTIVE' }]), responses: [table('ACTIVE', replicas()), table('ACTIVE', replicas('CREATING', 'ACTIVE'))], config: fast(4) },
  { name: 'pathAny never matches: max attempts with no state', waiter: w([{ state: 'retry', matcher: 'pathAny', argument: 'Table.Replicas[].ReplicaStatus', expected: 'UPDATING' }]), responses: [table('ACTIVE', replicas('ACTIVE'))], config: fast(1) },
  { name: 'status success on 200', waiter: w([{ state: 'success', matcher: 'status', expected: 200 }]), responses: [table('CREATING')], config: fast(2) },
  { name: 'status retry on an error status, then success', waiter: w([ACTIVE_SUCCESS, { state: 'retry', matcher: 'status', expected: 404 }]), responses: [{ error: { code: 'ResourceNotFoundException', message: 'gone', status: 404 } }, table('ACTIVE')], config: fast(3) },
  { name: 'status failure on an error status', waiter: w([ACTIVE_SUCCESS, { state: 'failure', matcher: 'status', expected: 409 }]), responses: [{ error: { code: 'ResourceInUseException', message: 'busy', status: 409 } }], config: fast(3) },
  { name: 'error code success (TableNotExists-like)', waiter: w([{ state: 'success', matcher: 'error', expected: 'ResourceNotFoundException' }]), responses: [table('DELETING'), notFound], config: fast(3) },
  { name: 'error code retry then success', waiter: w([ACTIVE_SUCCESS, { state: 'retry', matcher: 'error', expected: 'ResourceInUseException' }]), responses: [inUse, inUse, table('ACTIVE')], config: fast(4) },
  { name: 'error code failure', waiter: w([ACTIVE_SUCCESS, { state: 'failure', matcher: 'error', expected: 'ResourceInUseException' }]), responses: [inUse], config: fast(4) },
  { name: 'an error no acceptor matches ends the wait', waiter: w([ACTIVE_SUCCESS, { state: 'retry', matcher: 'error', expected: 'ResourceInUseException' }]), responses: [inUse, notFound], config: fast(4) },
  { name: 'error expected true: any error is success', waiter: w([{ state: 'success', matcher: 'error', expected: true }]), responses: [table('ACTIVE'), inUse], config: fast(4) },
  { name: 'error expected true in a failure state', waiter: w([ACTIVE_SUCCESS, { state: 'failure', matcher: 'error', expected: true }]), responses: [table('CREATING'), notFound], config: fast(4) },
  { name: 'error expected false: no error is success', waiter: w([{ state: 'success', matcher: 'error', expected: false }]), responses: [table('CREATING')], config: fast(4) },
  { name: 'error expected false: an error is not matched', waiter: w([{ state: 'success', matcher: 'error', expected: false }]), responses: [notFound], config: fast(4) },
  { name: 'error expected false as retry', waiter: w([{ state: 'success', matcher: 'error', expected: 'ResourceNotFoundException' }, { state: 'retry', matcher: 'error', expected: false }]), responses: [table('ACTIVE'), table('ACTIVE')], config: fast(2) },
  { name: 'model TableExists: retry on not found, then ACTIVE', waiter: { model: 'TableExists' }, responses: [notFound, table('CREATING'), table('ACTIVE')], config: fast(5) },
  { name: 'model TableExists: max attempts on not found', waiter: { model: 'TableExists' }, responses: [notFound, notFound], config: fast(2) },
  { name: 'model TableExists: an unexpected error', waiter: { model: 'TableExists' }, responses: [inUse], config: fast(2) },
  { name: 'model TableNotExists: max attempts while the table exists', waiter: { model: 'TableNotExists' }, responses: [table('ACTIVE'), table('DELETING')], config: fast(2) },
  {
    name: 'model KinesisStreamingDestinationActive: JMESPath functions and filters',
    waiter: { model: 'KinesisStreamingDestinationActive' },
    responses: [
      { ok: { TableName: 'tbl', KinesisDataStreamDestinations: [] } },
      { ok: { TableName: 'tbl', KinesisDataStreamDestinations: [{ StreamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/a', DestinationStatus: 'DISABLED' }, { StreamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/b', DestinationStatus: 'ENABLE_FAILED' }] } },
    ],
    config: fast(3),
  },
];

interface Outcome {
  outcome: 'success' | 'error';
  message: string | null;
  calls: number;
  lastErrorCode: string | null;
  lastStatus: string | null;
}

/** Runs every scenario through botocore's waiter (WaiterModel + create_waiter_with_client + Stubber). */
function runBotocore(scenarios: Scenario[]): { outcomes: Outcome[]; waiterNames: Record<string, string[]> } {
  const script = String.raw`
import json, sys
import botocore.session
from botocore import xform_name
from botocore.stub import Stubber
from botocore.waiter import WaiterModel, create_waiter_with_client
from botocore.exceptions import WaiterError

data = json.load(sys.stdin)
session = botocore.session.get_session()
out = []
for sc in data['scenarios']:
    client = session.create_client('dynamodb', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')
    w = sc['waiter']
    if 'model' in w:
        waiter = client.get_waiter(xform_name(w['model']))
    else:
        waiter = create_waiter_with_client('W', WaiterModel({'version': 2, 'waiters': {'W': w}}), client)
    method = xform_name(waiter.config.operation)
    stubber = Stubber(client)
    for r in sc['responses']:
        if 'ok' in r:
            body = dict(r['ok'])
            body['ResponseMetadata'] = {'HTTPStatusCode': r.get('status', 200)}
            stubber.add_response(method, body)
        else:
            e = r['error']
            stubber.add_client_error(method, e['code'], e['message'], e.get('status', 400))
    params = dict(sc.get('params') or {'TableName': 'tbl'})
    params['WaiterConfig'] = sc['config']
    res = {'outcome': 'success', 'message': None, 'lastErrorCode': None, 'lastStatus': None}
    with stubber:
        try:
            waiter.wait(**params)
        except WaiterError as err:
            last = err.last_response or {}
            res = {'outcome': 'error', 'message': str(err),
                   'lastErrorCode': (last.get('Error') or {}).get('Code'),
                   'lastStatus': (last.get('Table') or {}).get('TableStatus')}
        res['calls'] = len(sc['responses']) - len(stubber._queue)
    out.append(res)
names = {}
for svc in data['services']:
    c = session.create_client(svc, region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')
    names[svc] = WaiterModel(c._get_waiter_config()).waiter_names
print(json.dumps({'outcomes': out, 'waiterNames': names}))
`;
  const input = JSON.stringify({ scenarios, services: ['s3', 'dynamodb', 'ec2'] });
  return pythonJson<{ outcomes: Outcome[]; waiterNames: Record<string, string[]> }>(script, { what: 'botocore waiter driver', input, timeoutMs: 120_000 });
}

async function runInia(sc: Scenario): Promise<Outcome> {
  const operation = 'model' in sc.waiter ? undefined : sc.waiter.operation;
  const probe = cannedClient([]);
  const op = operation ?? getWaiter(probe.client, lowerFirst((sc.waiter as { model: string }).model)).config.operation;
  probe.client.destroy();
  const h = cannedClient(sc.responses, op);
  try {
    const waiter = 'model' in sc.waiter
      ? getWaiter(h.client, lowerFirst(sc.waiter.model))
      : createWaiterWithClient('W', new WaiterModel({ version: 2, waiters: { W: sc.waiter } }), h.client);
    try {
      await waiter.wait({ ...(sc.params ?? { TableName: 'tbl' }), WaiterConfig: sc.config });
      return { outcome: 'success', message: null, calls: h.calls(), lastErrorCode: null, lastStatus: null };
    } catch (err) {
      assert.ok(err instanceof WaiterError, `${sc.name}: expected a WaiterError, got ${String(err)}`);
      const last = err.lastResponse as { Error?: { Code?: string }; Table?: { TableStatus?: string } };
      return { outcome: 'error', message: err.message, calls: h.calls(), lastErrorCode: last.Error?.Code ?? null, lastStatus: last.Table?.TableStatus ?? null };
    }
  } finally {
    h.client.destroy();
  }
}

/** An assert.throws/rejects check on the error's own message (not String(err), which starts with the class). */
const message = (re: RegExp) => (e: unknown): boolean => e instanceof Error && re.test(e.message);

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

describe('waiters: parity with botocore', () => {
  it('every matcher and state gives botocore\'s outcome, message and number of calls', async () => {
    const expected = runBotocore(SCENARIOS);
    assert.equal(expected.outcomes.length, SCENARIOS.length);
    for (const [i, sc] of SCENARIOS.entries()) {
      const got = await runInia(sc);
      assert.deepEqual(got, expected.outcomes[i], `scenario "${sc.name}"`);
    }
    // The table covers every matcher with every state.
    const acceptors = SCENARIOS.flatMap((sc) => ('model' in sc.waiter ? [] : sc.waiter.acceptors));
    for (const m of ['path', 'pathAll', 'pathAny', 'status', 'error']) {
      for (const s of ['success', 'failure', 'retry']) assert.ok(acceptors.some((a) => a.matcher === m && a.state === s), `a scenario for ${m}/${s}`);
    }
    const messages = expected.outcomes.map((o) => o.message ?? '');
    assert.ok(messages.some((m) => m.includes('Waiter encountered a terminal failure state')));
    assert.ok(messages.some((m) => m.includes('Previously accepted state')));
    assert.ok(messages.some((m) => m.endsWith('Max attempts exceeded')));
    assert.ok(messages.some((m) => m.includes('An error occurred (ResourceInUseException)')));
  });

  it('waiterNames are botocore\'s waiter_names in lowerCamelCase, in the same order', () => {
    const expected = runBotocore([]).waiterNames;
    for (const [service, names] of Object.entries(expected)) {
      const c = new Session({ env: { ...EMPTY_ENV } }).client(service, { region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', credentials });
      assert.deepEqual(waiterNames(c), names.map(lowerFirst), service);
      c.destroy();
    }
  });
});

describe('waiters: exact messages and state', () => {
  it('words a failure, a max-attempts and an error like botocore, and carries the last response', async () => {
    const h = cannedClient([table('CREATING'), table('DELETING')]);
    const waiter = createWaiterWithClient('TableReady', new WaiterModel({ version: 2, waiters: { TableReady: w([ACTIVE_SUCCESS, CREATING_RETRY, { state: 'failure', matcher: 'path', argument: 'Table.TableStatus', expected: 'DELETING' }]) } }), h.client);
    const err = await waiter.wait({ TableName: 'tbl', WaiterConfig: fast(5) }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof WaiterError && err instanceof IniaError);
    assert.equal(err.message, 'Waiter TableReady failed: Waiter encountered a terminal failure state: For expression "Table.TableStatus" we matched expected path: "DELETING"');
    assert.equal(err.waiterName, 'TableReady');
    assert.equal(err.reason, 'Waiter encountered a terminal failure state: For expression "Table.TableStatus" we matched expected path: "DELETING"');
    assert.equal((err.lastResponse as { Table: { TableStatus: string } }).Table.TableStatus, 'DELETING');
    assert.equal((err.lastResponse as { ResponseMetadata: { HTTPStatusCode: number } }).ResponseMetadata.HTTPStatusCode, 200);
    assert.equal(h.calls(), 2);
    h.client.destroy();

    const h2 = cannedClient([inUse]);
    const err2 = await getWaiter(h2.client, 'tableExists').wait({ TableName: 'tbl', WaiterConfig: fast(3) }).then(() => null, (e: unknown) => e);
    assert.ok(err2 instanceof WaiterError);
    assert.equal(err2.message, 'Waiter TableExists failed: An error occurred (ResourceInUseException): Table is being created');
    assert.equal((err2.lastResponse as { Error: { Code: string } }).Error.Code, 'ResourceInUseException');
    h2.client.destroy();
  });

  it('explains each matcher as botocore does', () => {
    const ex = (state: 'success', matcher: 'path' | 'pathAll' | 'pathAny' | 'status' | 'error', expected: unknown, argument?: string) =>
      new Acceptor({ state, matcher, expected, ...(argument ? { argument } : {}) }).explanation;
    assert.equal(ex('success', 'path', true, 'a.b'), 'For expression "a.b" we matched expected path: "True"');
    assert.equal(ex('success', 'pathAll', 'x', 'a[]'), 'For expression "a[]" all members matched expected path: "x"');
    assert.equal(ex('success', 'pathAny', 'x', 'a[]'), 'For expression "a[]" we matched expected path: "x" at least once');
    assert.equal(ex('success', 'status', 404), 'Matched expected HTTP status code: 404');
    assert.equal(ex('success', 'error', false), 'Matched expected service error code: False');
  });

  it('compares values with Python\'s ==', () => {
    assert.ok(pyEquals(true, 1) && pyEquals(1, 1.0) && pyEquals(false, 0) && pyEquals(null, undefined));
    assert.ok(!pyEquals('1', 1) && !pyEquals(null, false) && !pyEquals([], {}) && !pyEquals(new Date(0), '1970-01-01'));
    assert.ok(pyEquals({ a: [1, { b: 'c' }] }, { a: [true, { b: 'c' }] }) && !pyEquals({ a: 1 }, { a: 1, b: 2 }));
  });
});

describe('waiters: configuration and calls', () => {
  it('takes Delay and MaxAttempts from the model when WaiterConfig leaves them out', async () => {
    const h = cannedClient(Array.from({ length: 30 }, () => table('CREATING')));
    const waiter = getWaiter(h.client, 'tableExists');
    assert.equal(waiter.name, 'TableExists');
    assert.equal(waiter.config.operation, 'DescribeTable');
    assert.equal(waiter.config.delay, 20);
    assert.equal(waiter.config.maxAttempts, 25);
    await assert.rejects(waiter.wait({ TableName: 'tbl', WaiterConfig: { Delay: 0 } }), /Waiter TableExists failed: Max attempts exceeded$/);
    assert.equal(h.calls(), 25, "the model's maxAttempts");
    h.client.destroy();

    const model = new WaiterModel({ version: 2, waiters: { Quick: { operation: 'DescribeTable', delay: 0.05, maxAttempts: 3, acceptors: [ACTIVE_SUCCESS] } } });
    const h2 = cannedClient([table('CREATING'), table('CREATING'), table('CREATING')]);
    const started = Date.now();
    await assert.rejects(createWaiterWithClient('Quick', model, h2.client).wait({ TableName: 'tbl' }), WaiterError);
    const elapsed = Date.now() - started;
    assert.equal(h2.calls(), 3);
    assert.ok(elapsed >= 95, `slept the model's delay twice (${elapsed} ms)`);
    h2.client.destroy();

    const h3 = cannedClient([table('CREATING'), table('ACTIVE')]);
    const t3 = Date.now();
    await createWaiterWithClient('Quick', model, h3.client).wait({ TableName: 'tbl', WaiterConfig: { Delay: 0.15 } });
    assert.ok(Date.now() - t3 >= 145, 'Delay from WaiterConfig');
    assert.equal(h3.calls(), 2);
    h3.client.destroy();
  });

  it('does not send WaiterConfig and does not change the caller\'s params', async () => {
    const h = cannedClient([table('CREATING'), table('ACTIVE')]);
    const params = { TableName: 'tbl', WaiterConfig: fast(3) };
    await getWaiter(h.client, 'tableExists').wait(params);
    assert.deepEqual(h.sent, [{ TableName: 'tbl' }, { TableName: 'tbl' }]);
    assert.deepEqual(params, { TableName: 'tbl', WaiterConfig: fast(3) });
    h.client.destroy();
  });

  it('lets errors other than ClientError through (as NormalizedOperationMethod does)', async () => {
    const h = cannedClient([table('ACTIVE')]);
    await assert.rejects(getWaiter(h.client, 'tableExists').wait({ TableName: 'tbl', Bogus: 1, WaiterConfig: fast(3) }), (e: unknown) => e instanceof IniaError && /Unknown parameter in input: "Bogus"/.test(e.message));
    assert.equal(h.calls(), 0);
    h.client.destroy();
  });

  it('stops on abortSignal, during the sleep or before the first call', async () => {
    const h = cannedClient([table('CREATING'), table('CREATING')]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await assert.rejects(getWaiter(h.client, 'tableExists').wait({ TableName: 'tbl', WaiterConfig: { Delay: 30, MaxAttempts: 5 } }, { abortSignal: controller.signal }), { name: 'AbortError' });
    assert.ok(Date.now() - started < 5000);
    assert.equal(h.calls(), 1);
    await assert.rejects(getWaiter(h.client, 'tableExists').wait({ TableName: 'tbl' }, { abortSignal: AbortSignal.abort() }));
    assert.equal(h.calls(), 1, 'no call once aborted');
    h.client.destroy();
  });

  it('rejects bad WaiterConfig values and wait options with InvalidOptionError', async () => {
    const h = cannedClient([]);
    const waiter = getWaiter(h.client, 'tableExists');
    const bad: unknown[] = [{ Delay: -1 }, { Delay: 'soon' }, { MaxAttempts: 1.5 }, { MaxAttempt: 3 }, 'fast'];
    for (const WaiterConfig of bad) {
      await assert.rejects(waiter.wait({ TableName: 'tbl', WaiterConfig: WaiterConfig as WaiterConfig }), InvalidOptionError, JSON.stringify(WaiterConfig));
    }
    await assert.rejects(waiter.wait({ TableName: 'tbl' }, { abortsignal: AbortSignal.abort() } as never), /abortsignal/);
    for (const params of [null, 'tbl', ['tbl']]) {
      await assert.rejects(waiter.wait(params as never), { name: 'InvalidOptionError', message: /expected an object of the DescribeTable parameters/ });
    }
    assert.equal(h.calls(), 0);
    h.client.destroy();
  });
});

describe('waiters: names and models', () => {
  it('lists and gets waiters by lowerCamelCase name; unknown names fail as botocore\'s ValueError does', () => {
    const s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', { region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', credentials });
    assert.deepEqual(waiterNames(s3), ['bucketExists', 'bucketNotExists', 'objectExists', 'objectNotExists']);
    assert.equal(getWaiter(s3, 'bucketExists').config.operation, 'HeadBucket');
    assert.throws(() => getWaiter(s3, 'BucketExists'), (e: unknown) => e instanceof IniaError && /^Waiter does not exist: BucketExists\. Valid waiter names are: bucketExists, /.test((e as Error).message));
    assert.throws(() => getWaiter(s3, 'bucket_exists'), /Waiter does not exist: bucket_exists/);
    s3.destroy();
    const sts = new Session({ env: { ...EMPTY_ENV } }).client('sts', { region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', credentials });
    assert.deepEqual(waiterNames(sts), []);
    assert.throws(() => getWaiter(sts, 'anything'), message(/^Waiter does not exist: anything\. Service 'sts' has no waiters\.$/));
    sts.destroy();
  });

  it('rejects waiter documents botocore rejects, with WaiterConfigError', () => {
    const acceptor = ACTIVE_SUCCESS;
    assert.throws(() => new WaiterModel({ version: 1, waiters: {} }), (e: unknown) => e instanceof WaiterConfigError && e.message === 'Error processing waiter config: Unsupported waiter version, supported version must be: 2, but version of waiter config is: 1');
    assert.throws(() => new WaiterModel({ waiters: {} }), /version of waiter config is: unknown/);
    const build = (acceptors: unknown[]) => new WaiterModel({ version: 2, waiters: { W: { operation: 'DescribeTable', delay: 1, maxAttempts: 1, acceptors } as WaiterDefinition } }).getWaiter('W');
    assert.throws(() => build([{ ...acceptor, matcher: 'pathSome' }]), message(/^Error processing waiter config: Unknown acceptor: pathSome$/));
    assert.throws(() => build([{ ...acceptor, argument: 'Table.[' }]), (e: unknown) => e instanceof WaiterConfigError && /invalid JMESPath expression "Table\.\["/.test((e as Error).message));
    assert.throws(() => build([{ state: 'success', matcher: 'path', argument: 'a' }]), /waiter W acceptor 0: missing required key 'expected'/);
    assert.throws(() => new WaiterModel({ version: 2, waiters: { W: { operation: 'X', delay: 1, acceptors: [] } as unknown as WaiterDefinition } }).getWaiter('W'), /missing required key 'maxAttempts'/);
    assert.throws(() => new WaiterModel({ version: 2, waiters: {} }).getWaiter('W'), message(/^Waiter does not exist: W$/));
  });

  it('builds every waiter of every service model: acceptors parse, JMESPath compiles, operations exist', () => {
    const session = new Session({ env: { ...EMPTY_ENV } });
    let waiters = 0;
    let acceptors = 0;
    const services = session.getAvailableServices();
    assert.ok(services.length >= 400);
    for (const service of services) {
      const c = session.client(service, { region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', credentials });
      try {
        for (const name of waiterNames(c)) {
          const waiter = getWaiter(c, name);
          assert.ok(c.meta.serviceModel.hasOperation(waiter.config.operation), `${service}.${name}`);
          assert.ok(waiter.config.acceptors.length > 0, `${service}.${name} has acceptors`);
          for (const a of waiter.config.acceptors) assert.ok(a.explanation.length > 0);
          waiters++;
          acceptors += waiter.config.acceptors.length;
        }
      } finally {
        c.destroy();
      }
    }
    assert.ok(waiters >= 300, `${waiters} waiters`);
    assert.ok(acceptors >= 1000, `${acceptors} acceptors`);
  });
});
