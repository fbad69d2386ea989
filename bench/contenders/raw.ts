/**
 * raw node:http: the floor. The same requests on a keep-alive agent, no signing, no parsing;
 * it reads every byte of every answer and checks its status and size, nothing more.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { runChild, expect, type ChildEnv, type Prepared } from '../lib/child.js';
import { BIG_OBJECT_KEY, BUCKET, GET_ITEM_KEY, PUT_OBJECT_BYTES, PUT_OBJECT_KEY, QUEUE_URL, SQS_ENTRIES, TABLE } from '../lib/workloads.js';

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function client(endpoint: string): { call: (req: RawRequest) => Promise<IncomingMessage>; agent: Agent } {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (req: RawRequest): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const headers = req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers;
      const r = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent }, resolve);
      r.on('error', reject);
      r.end(req.body);
    });
  return { call, agent };
}

async function readAll(res: IncomingMessage): Promise<number> {
  let size = 0;
  for await (const chunk of res) size += (chunk as Buffer).length;
  return size;
}

function warm(make: (env: ChildEnv) => RawRequest, check: (status: number, size: number, env: ChildEnv) => void, throughput = false) {
  return async (env: ChildEnv): Promise<Prepared> => {
    const { call, agent } = client(env.endpoint);
    const req = make(env);
    return {
      op: async () => {
        const res = await call(req);
        const size = await readAll(res);
        check(res.statusCode ?? 0, size, env);
        return throughput ? size : undefined;
      },
      close: () => agent.destroy(),
    };
  };
}

const ok = (status: number, size: number): void => expect(status === 200 && size > 0, `status ${status}, ${size} bytes`);

const getItem = (): RawRequest => ({
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
  body: Buffer.from(JSON.stringify({ TableName: TABLE, Key: GET_ITEM_KEY })),
});

await runChild({
  warm: {
    getitem: warm(getItem, ok),
    list1000: warm(() => ({ method: 'GET', path: `/${BUCKET}?list-type=2`, headers: {} }), ok),
    put1m: warm(
      () => ({ method: 'PUT', path: `/${BUCKET}/${PUT_OBJECT_KEY}`, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(PUT_OBJECT_BYTES, 7) }),
      (status) => expect(status === 200, `status ${status}`),
    ),
    get64m: warm(
      () => ({ method: 'GET', path: `/${BUCKET}/${BIG_OBJECT_KEY}`, headers: {} }),
      (status, size, env) => expect(status === 200 && size === env.getObjectBytes, `${size} bytes`),
      true,
    ),
    sqsbatch: warm(
      () => ({
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
        body: Buffer.from(JSON.stringify({ QueueUrl: QUEUE_URL, Entries: SQS_ENTRIES })),
      }),
      ok,
    ),
    sts: warm(
      () => ({ method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-15') }),
      ok,
    ),
  },
  // node:http is imported with this module, before the workload starts: raw has no import phase.
  cold: async (env, clock) => {
    const { call, agent } = client(env.endpoint);
    clock.lap('client');
    const res = await call(getItem());
    ok(res.statusCode ?? 0, await readAll(res));
    clock.lap('call');
    agent.destroy();
  },
});
