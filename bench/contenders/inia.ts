/** inia, used the way the README shows: a client per service, credentials and region from the environment. */
import { performance } from 'node:perf_hooks';
import { runChild, expect, type ChildEnv, type Prepared } from '../lib/child.js';
import {
  BIG_OBJECT_KEY, BUCKET, EXPECTED_ITEM_NAME, GET_ITEM_KEY, LIST_KEY_COUNT, PUT_OBJECT_BYTES, PUT_OBJECT_KEY, QUEUE_URL, SQS_ENTRIES, STS_ACCOUNT, TABLE, TWENTY_SERVICES,
} from '../lib/workloads.js';

type Inia = typeof import('../../src/index.js');
type Client = import('../../src/index.js').Client;

// The SDK is imported on first use, so the cold workload times the import too; by its package
// name, so what runs is what users get (package.json's export: the single-file dist/inia.js).
const PACKAGE = 'inia';
const sdk = (): Promise<Inia> => import(PACKAGE) as Promise<Inia>;

async function makeClient(service: string, env: ChildEnv): Promise<Client> {
  const { client } = await sdk();
  return client(service, { endpointUrl: env.endpoint });
}

function warm(service: string, call: (c: Client, env: ChildEnv) => Promise<number | void>) {
  return async (env: ChildEnv): Promise<Prepared> => {
    const c = await makeClient(service, env);
    return { op: () => call(c, env), close: () => c.destroy() };
  };
}

async function getItem(ddb: Client): Promise<void> {
  const out = await ddb.getItem!({ TableName: TABLE, Key: GET_ITEM_KEY });
  const item = out.Item as Record<string, { S?: string }> | undefined;
  expect(item?.name?.S === EXPECTED_ITEM_NAME, 'GetItem Item.name');
}

const putBody = Buffer.alloc(PUT_OBJECT_BYTES, 7);

await runChild({
  warm: {
    getitem: warm('dynamodb', getItem),
    list1000: warm('s3', async (s3) => {
      const out = await s3.listObjectsV2!({ Bucket: BUCKET });
      const contents = out.Contents as Array<{ Key: string; Size: number; LastModified: Date }>;
      expect(contents.length === LIST_KEY_COUNT && contents[999]!.LastModified instanceof Date, 'ListObjectsV2 Contents');
    }),
    put1m: warm('s3', async (s3) => {
      const out = await s3.putObject!({ Bucket: BUCKET, Key: PUT_OBJECT_KEY, Body: putBody });
      expect(typeof out.ETag === 'string', 'PutObject ETag');
    }),
    get64m: warm('s3', async (s3, env) => {
      const out = await s3.getObject!({ Bucket: BUCKET, Key: BIG_OBJECT_KEY });
      let size = 0;
      for await (const chunk of out.Body as AsyncIterable<Uint8Array>) size += chunk.length;
      expect(size === env.getObjectBytes, `GetObject ${size} bytes`);
      return size;
    }),
    sqsbatch: warm('sqs', async (sqs) => {
      const out = await sqs.sendMessageBatch!({ QueueUrl: QUEUE_URL, Entries: SQS_ENTRIES });
      expect((out.Successful as unknown[]).length === SQS_ENTRIES.length, 'SendMessageBatch Successful');
    }),
    sts: warm('sts', async (sts) => {
      const out = await sts.getCallerIdentity!();
      expect(out.Account === STS_ACCOUNT, 'GetCallerIdentity Account');
    }),
  },
  cold: async (env, clock) => {
    const { client } = await sdk();
    clock.lap('import');
    const ddb = client('dynamodb', { endpointUrl: env.endpoint });
    clock.lap('client');
    await getItem(ddb);
    clock.lap('call');
  },
  create1: async (env) => {
    const { Session } = await sdk();
    const start = performance.now();
    new Session().client('dynamodb', { endpointUrl: env.endpoint });
    return performance.now() - start;
  },
  create20: async (env) => {
    const { Session } = await sdk();
    const start = performance.now();
    const session = new Session();
    for (const name of TWENTY_SERVICES) session.client(name, { endpointUrl: env.endpoint });
    return performance.now() - start;
  },
  modelload: async (env) => {
    const { Loader } = await sdk();
    const start = performance.now();
    const loader = new Loader();
    for (const name of env.models) loader.loadServiceModel(name, 'service-2');
    return performance.now() - start;
  },
});
