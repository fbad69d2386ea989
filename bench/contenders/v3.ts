/** The AWS SDK for JavaScript v3, configured as its documentation shows for a custom endpoint. */
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { runChild, expect, type ChildEnv, type Prepared } from '../lib/child.js';
import {
  BIG_OBJECT_KEY, BUCKET, EXPECTED_ITEM_NAME, GET_ITEM_KEY, LIST_KEY_COUNT, PUT_OBJECT_BYTES, PUT_OBJECT_KEY, QUEUE_URL, SQS_ENTRIES, STS_ACCOUNT, TABLE,
} from '../lib/workloads.js';

type DynamoDB = typeof import('@aws-sdk/client-dynamodb');

async function getItem(sdk: DynamoDB, ddb: InstanceType<DynamoDB['DynamoDBClient']>): Promise<void> {
  const out = await ddb.send(new sdk.GetItemCommand({ TableName: TABLE, Key: GET_ITEM_KEY }));
  expect(out.Item?.name?.S === EXPECTED_ITEM_NAME, 'GetItem Item.name');
}

async function s3Client(env: ChildEnv) {
  const sdk = await import('@aws-sdk/client-s3');
  return { sdk, s3: new sdk.S3Client({ endpoint: env.endpoint, forcePathStyle: true }) };
}

const putBody = Buffer.alloc(PUT_OBJECT_BYTES, 7);

await runChild({
  warm: {
    getitem: async (env): Promise<Prepared> => {
      const sdk = await import('@aws-sdk/client-dynamodb');
      const ddb = new sdk.DynamoDBClient({ endpoint: env.endpoint });
      return { op: () => getItem(sdk, ddb), close: () => ddb.destroy() };
    },
    list1000: async (env): Promise<Prepared> => {
      const { sdk, s3 } = await s3Client(env);
      return {
        op: async () => {
          const out = await s3.send(new sdk.ListObjectsV2Command({ Bucket: BUCKET }));
          expect(out.Contents?.length === LIST_KEY_COUNT && out.Contents[999]!.LastModified instanceof Date, 'ListObjectsV2 Contents');
        },
        close: () => s3.destroy(),
      };
    },
    put1m: async (env): Promise<Prepared> => {
      const { sdk, s3 } = await s3Client(env);
      return {
        op: async () => {
          const out = await s3.send(new sdk.PutObjectCommand({ Bucket: BUCKET, Key: PUT_OBJECT_KEY, Body: putBody }));
          expect(typeof out.ETag === 'string', 'PutObject ETag');
        },
        close: () => s3.destroy(),
      };
    },
    get64m: async (env): Promise<Prepared> => {
      const { sdk, s3 } = await s3Client(env);
      return {
        op: async () => {
          const out = await s3.send(new sdk.GetObjectCommand({ Bucket: BUCKET, Key: BIG_OBJECT_KEY }));
          let size = 0;
          for await (const chunk of out.Body as Readable) size += (chunk as Buffer).length;
          expect(size === env.getObjectBytes, `GetObject ${size} bytes`);
          return size;
        },
        close: () => s3.destroy(),
      };
    },
    sqsbatch: async (env): Promise<Prepared> => {
      const sdk = await import('@aws-sdk/client-sqs');
      const sqs = new sdk.SQSClient({ endpoint: env.endpoint });
      return {
        op: async () => {
          const out = await sqs.send(new sdk.SendMessageBatchCommand({ QueueUrl: QUEUE_URL, Entries: SQS_ENTRIES }));
          expect(out.Successful?.length === SQS_ENTRIES.length, 'SendMessageBatch Successful');
        },
        close: () => sqs.destroy(),
      };
    },
    sts: async (env): Promise<Prepared> => {
      const sdk = await import('@aws-sdk/client-sts');
      const sts = new sdk.STSClient({ endpoint: env.endpoint });
      return {
        op: async () => {
          const out = await sts.send(new sdk.GetCallerIdentityCommand({}));
          expect(out.Account === STS_ACCOUNT, 'GetCallerIdentity Account');
        },
        close: () => sts.destroy(),
      };
    },
  },
  cold: async (env, clock) => {
    const sdk = await import('@aws-sdk/client-dynamodb');
    clock.lap('import');
    const ddb = new sdk.DynamoDBClient({ endpoint: env.endpoint });
    clock.lap('client');
    await getItem(sdk, ddb);
    clock.lap('call');
  },
  create1: async (env) => {
    const sdk = await import('@aws-sdk/client-dynamodb');
    const start = performance.now();
    new sdk.DynamoDBClient({ endpoint: env.endpoint });
    return performance.now() - start;
  },
});
