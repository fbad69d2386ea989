/**
 * aws-lite: a hand-written client with per-service plugins, which users pick for speed.
 * It has no STS plugin and no SQS SendMessageBatch, so those workloads use its generic signed
 * request, as its docs show.
 */
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { runChild, expect, type ChildEnv, type Prepared } from '../lib/child.js';
import {
  BIG_OBJECT_KEY, BUCKET, EXPECTED_ITEM_NAME, LIST_KEY_COUNT, PUT_OBJECT_BYTES, PUT_OBJECT_KEY, QUEUE_URL, SQS_ENTRIES, STS_ACCOUNT, TABLE,
} from '../lib/workloads.js';

// aws-lite's plugin methods are typed loosely upstream; this is the part the benchmark uses.
type Method = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;
interface AwsLite {
  (request: Record<string, unknown>): Promise<{ statusCode: number; payload: unknown }>;
  DynamoDB: Record<string, Method>;
  S3: Record<string, Method>;
}

const loadCreate = async () => (await import('@aws-lite/client')).default;
type Create = Awaited<ReturnType<typeof loadCreate>>;

async function awsLite(env: ChildEnv, plugins: Array<Promise<unknown>>): Promise<AwsLite> {
  return made(await loadCreate(), env, await Promise.all(plugins));
}

async function made(create: Create, env: ChildEnv, plugins: unknown[]): Promise<AwsLite> {
  const client = await create({ endpoint: env.endpoint, plugins, autoloadPlugins: false, awsConfigFile: false, retries: 0 } as Parameters<Create>[0]);
  return client as unknown as AwsLite;
}

const dynamodbPlugin = () => import('@aws-lite/dynamodb').then((m: { default: unknown }) => m.default);
const s3Plugin = () => import('@aws-lite/s3').then((m: { default: unknown }) => m.default);

// aws-lite's DynamoDB plugin marshals keys and unmarshals items itself, as its users call it.
async function getItem(aws: AwsLite): Promise<void> {
  const out = await aws.DynamoDB.GetItem!({ TableName: TABLE, Key: { pk: 'user#42', sk: 'profile' } });
  expect((out.Item as Record<string, unknown> | undefined)?.name === EXPECTED_ITEM_NAME, 'GetItem Item.name');
}

function warm(plugin: () => Promise<unknown>, call: (aws: AwsLite, env: ChildEnv) => Promise<number | void>) {
  return async (env: ChildEnv): Promise<Prepared> => {
    const aws = await awsLite(env, [plugin()]);
    return { op: () => call(aws, env) };
  };
}

const putBody = Buffer.alloc(PUT_OBJECT_BYTES, 7);

await runChild({
  warm: {
    getitem: warm(dynamodbPlugin, getItem),
    list1000: warm(s3Plugin, async (aws) => {
      const out = await aws.S3.ListObjectsV2!({ Bucket: BUCKET });
      expect((out.Contents as unknown[]).length === LIST_KEY_COUNT, 'ListObjectsV2 Contents');
    }),
    put1m: warm(s3Plugin, async (aws) => {
      const out = await aws.S3.PutObject!({ Bucket: BUCKET, Key: PUT_OBJECT_KEY, Body: putBody });
      expect(typeof out.ETag === 'string', 'PutObject ETag');
    }),
    get64m: warm(s3Plugin, async (aws, env) => {
      const out = await aws.S3.GetObject!({ Bucket: BUCKET, Key: BIG_OBJECT_KEY, streamResponsePayload: true });
      let size = 0;
      for await (const chunk of out.Body as Readable) size += (chunk as Buffer).length;
      expect(size === env.getObjectBytes, `GetObject ${size} bytes`);
      return size;
    }),
    // Its SQS plugin has no SendMessageBatch, so this one is the generic JSON request too.
    sqsbatch: async (env): Promise<Prepared> => {
      const aws = await awsLite(env, []);
      return {
        op: async () => {
          const out = await aws({
            service: 'sqs',
            method: 'POST',
            path: '/',
            headers: { 'x-amz-target': 'AmazonSQS.SendMessageBatch', 'content-type': 'application/x-amz-json-1.0' },
            payload: { QueueUrl: QUEUE_URL, Entries: SQS_ENTRIES },
            // Plain JSON: aws-lite would otherwise write DynamoDB-style typed JSON for this content type.
            awsjson: false,
          });
          const successful = (out.payload as { Successful?: unknown[] }).Successful;
          expect(out.statusCode === 200 && successful?.length === SQS_ENTRIES.length, 'SendMessageBatch Successful');
        },
      };
    },
    sts: async (env): Promise<Prepared> => {
      const aws = await awsLite(env, []);
      return {
        op: async () => {
          const out = await aws({
            service: 'sts',
            method: 'POST',
            path: '/',
            headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
            payload: 'Action=GetCallerIdentity&Version=2011-06-15',
          });
          expect(out.statusCode === 200 && JSON.stringify(out.payload).includes(STS_ACCOUNT), 'GetCallerIdentity Account');
        },
      };
    },
  },
  cold: async (env, clock) => {
    const [create, plugin] = await Promise.all([loadCreate(), dynamodbPlugin()]);
    clock.lap('import');
    const aws = await made(create, env, [plugin]);
    clock.lap('client');
    await getItem(aws);
    clock.lap('call');
  },
  create1: async (env) => {
    const plugin = await dynamodbPlugin();
    const { default: create } = await import('@aws-lite/client');
    const start = performance.now();
    await create({ endpoint: env.endpoint, plugins: [plugin], autoloadPlugins: false, awsConfigFile: false } as Parameters<typeof create>[0]);
    return performance.now() - start;
  },
});
