/**
 * The events a call emits, through a real client: the same names in the same order as
 * botocore's for the same call (recorded from botocore in a subprocess), and what handlers
 * may do with them: change the params, change the request before it is signed, answer
 * instead of the service (before-call) or instead of the network (before-send), and see the
 * failure (after-call-error).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { ClientError, Config, Session, type Client } from '../../src/index.js';
import type { EventArgs } from '../../src/events.js';
import { EMPTY_ENV } from '../helpers/env.js';

Math.random = () => 0;

const EVENTS = [
  'provide-client-params',
  'before-parameter-build',
  'before-endpoint-resolution',
  'before-call',
  'request-created',
  'choose-signer',
  'before-sign',
  'before-send',
  'before-parse',
  'response-received',
  'needs-retry',
  'after-call',
  'after-call-error',
];

let server: Server;
let endpoint: string;
const requests: IncomingMessage[] = [];
let status = 200;

before(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () => {
      const body = status === 200 ? '{"Item":{"k":{"S":"v"}}}' : '{"__type":"ValidationException","message":"bad"}';
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r1', 'x-amz-crc32': String(crc32(body) >>> 0) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

function ddb(): Client {
  return new Session({ env: { ...EMPTY_ENV } }).client('dynamodb', {
    region: 'us-east-1',
    endpointUrl: endpoint,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    config: new Config({ retries: { mode: 'standard' } }),
  });
}

/** botocore's event names for one GetItem (answered 200, or 400 ValidationException). */
function botocoreEvents(answerStatus: number): string[] {
  const script = `
import json, sys, botocore.session
from botocore.awsrequest import AWSResponse
names = ${JSON.stringify(EVENTS)}
s = botocore.session.get_session()
c = s.create_client('dynamodb', region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b', endpoint_url='http://127.0.0.1:1')
seen = []
for n in names:
    c.meta.events.register(n, lambda event_name, **kw: seen.append(event_name))
class Raw:
    def stream(self, *a, **k):
        yield b'{}' if ${answerStatus} == 200 else b'{"__type":"ValidationException","message":"bad"}'
c.meta.events.register_last('before-send', lambda request, **kw: AWSResponse(request.url, ${answerStatus}, {'x-amzn-requestid': 'r'}, Raw()))
try:
    c.get_item(TableName='t', Key={'k': {'S': 'v'}})
except Exception:
    pass
print(json.dumps(seen))`;
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as string[];
}

function record(client: Client): string[] {
  const seen: string[] = [];
  for (const name of EVENTS) client.meta.events.register(name, (args: EventArgs) => void seen.push(args.eventName));
  return seen;
}

describe('the events of a call', () => {
  it('are botocore’s, in botocore’s order, for a success and for a service error', async () => {
    for (const answer of [200, 400]) {
      status = answer;
      const client = ddb();
      const seen = record(client);
      await client.getItem({ TableName: 't', Key: { k: { S: 'v' } } }).catch((err: unknown) => assert.ok(err instanceof ClientError));
      assert.deepEqual(seen, botocoreEvents(answer), `status ${answer}`);
      client.destroy();
    }
  });

  it('let handlers change the params and the request (which is then signed)', async () => {
    status = 200;
    const client = ddb();
    client.meta.events.register('before-parameter-build.dynamodb.GetItem', (args) => {
      (args.params as Record<string, unknown>).TableName = 'changed';
    });
    // As in botocore, the signer is a request-created.<service> handler: a more specific one runs first.
    client.meta.events.register('request-created.dynamodb.GetItem', (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-custom'] = 'yes';
    });
    requests.length = 0;
    const params = { TableName: 't', Key: { k: { S: 'v' } } };
    await client.getItem(params);
    assert.equal(params.TableName, 't', 'the caller’s object is untouched');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.headers['x-custom'], 'yes');
    assert.match(requests[0]!.headers.authorization as string, /SignedHeaders=[^,]*x-custom/);
    client.destroy();
  });

  it('let before-call answer instead of the service, and before-send instead of the network', async () => {
    const client = ddb();
    requests.length = 0;
    client.meta.events.register('before-call.dynamodb.GetItem', () => ({ Item: { from: { S: 'before-call' } } }), 'short');
    assert.deepEqual((await client.getItem({ TableName: 't', Key: {} })).Item, { from: { S: 'before-call' } });
    client.meta.events.unregister('before-call.dynamodb.GetItem', undefined, 'short');
    const body = '{"Item":{"from":{"S":"before-send"}}}';
    client.meta.events.register('before-send.dynamodb', () => ({ statusCode: 200, headers: { 'x-amz-crc32': String(crc32(body) >>> 0) }, body: Buffer.from(body) }));
    assert.deepEqual((await client.getItem({ TableName: 't', Key: {} })).Item, { from: { S: 'before-send' } });
    assert.equal(requests.length, 0, 'nothing went out');
    client.destroy();
  });

  it('after-call-error sees a transport failure; registerFirst runs before register', async () => {
    const client = new Session({ env: { ...EMPTY_ENV } }).client('dynamodb', {
      region: 'us-east-1',
      endpointUrl: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
      config: new Config({ retries: { mode: 'standard', totalMaxAttempts: 1 } }),
    });
    const order: string[] = [];
    client.meta.events.register('after-call-error', (args) => void order.push(`error:${(args.exception as Error).constructor.name}`));
    client.meta.events.register('before-call', () => void order.push('second'));
    client.meta.events.registerFirst('before-call', () => void order.push('first'));
    await assert.rejects(client.getItem({ TableName: 't', Key: {} }));
    assert.deepEqual(order, ['first', 'second', 'error:EndpointConnectionError']);
    client.destroy();
  });
});
