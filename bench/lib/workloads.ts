/**
 * What the benchmark measures: the workloads, their canned data, and how long each may run.
 * Shared by the orchestrator (run.ts), the server and every contender, so all of them agree
 * on the request, the answer and the check that the answer was understood.
 */

/** How a workload's number is read: lower is better except for throughput. */
export type Metric = 'msPerCall' | 'mibPerSecond' | 'ms';

export interface Workload {
  readonly name: string;
  readonly title: string;
  readonly metric: Metric;
  /** Calls per process in a full run, and in the smoke run; warm-up calls come before. */
  readonly calls: number;
  readonly smokeCalls: number;
  readonly warmup: number;
  /** Rounds (one process per contender per round) in a full run. */
  readonly rounds: number;
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'getitem', title: 'DynamoDB GetItem (json), warm', metric: 'msPerCall', calls: 2000, smokeCalls: 5, warmup: 300, rounds: 5 },
  { name: 'list1000', title: 'S3 ListObjectsV2, 1000 keys (rest-xml)', metric: 'msPerCall', calls: 200, smokeCalls: 2, warmup: 30, rounds: 5 },
  { name: 'put1m', title: 'S3 PutObject 1 MiB', metric: 'msPerCall', calls: 150, smokeCalls: 2, warmup: 20, rounds: 5 },
  { name: 'get64m', title: 'S3 GetObject 64 MiB, streamed', metric: 'mibPerSecond', calls: 16, smokeCalls: 1, warmup: 3, rounds: 5 },
  { name: 'sqsbatch', title: 'SQS SendMessageBatch, 10 messages', metric: 'msPerCall', calls: 1000, smokeCalls: 3, warmup: 150, rounds: 5 },
  { name: 'sts', title: 'STS GetCallerIdentity (query)', metric: 'msPerCall', calls: 1000, smokeCalls: 3, warmup: 150, rounds: 5 },
  { name: 'cold', title: 'Cold start to first GetItem answer', metric: 'ms', calls: 1, smokeCalls: 1, warmup: 0, rounds: 10 },
  { name: 'create1', title: 'Client creation, 1 service (DynamoDB)', metric: 'ms', calls: 1, smokeCalls: 1, warmup: 0, rounds: 5 },
  { name: 'create20', title: 'Client creation, 20 services', metric: 'ms', calls: 1, smokeCalls: 1, warmup: 0, rounds: 5 },
  { name: 'modelload', title: 'Model load, five largest service models', metric: 'ms', calls: 1, smokeCalls: 1, warmup: 0, rounds: 5 },
];

/** No warm workload runs longer than this in one process, whatever its call count. */
export const MAX_SECONDS_PER_PROCESS = 4;

export const BUCKET = 'bench-bucket';
export const TABLE = 'bench-table';
export const BIG_OBJECT_KEY = 'big-object';
export const PUT_OBJECT_KEY = 'put-object';
export const PUT_OBJECT_BYTES = 1024 * 1024;
export const LIST_KEY_COUNT = 1000;
export const OBJECT_KEY_PREFIX = 'logs/2026/';
export const STS_ACCOUNT = '123456789012';
export const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-queue';
export const REGION = 'us-east-1';

export const GET_ITEM_KEY = { pk: { S: 'user#42' }, sk: { S: 'profile' } };
/** A typical item: strings, numbers, a set, a map and a list. */
export const GET_ITEM_RESPONSE = {
  Item: {
    pk: { S: 'user#42' },
    sk: { S: 'profile' },
    name: { S: 'Ada Lovelace' },
    email: { S: 'ada@example.com' },
    age: { N: '36' },
    active: { BOOL: true },
    tags: { SS: ['math', 'poetry'] },
    score: { N: '98.5' },
    address: { M: { city: { S: 'London' }, zip: { S: 'W1J 7NT' } } },
    logins: { L: [{ N: '1732300000' }, { N: '1732386400' }] },
  },
};
export const EXPECTED_ITEM_NAME = 'Ada Lovelace';

export const SQS_ENTRIES = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `{"order":${i},"sku":"SKU-${1000 + i}","qty":${i + 1}}` }));

/**
 * The 20 services of the client-creation workload: the ones a backend touches most.
 * Every one is in inia's models/ and in botocore.
 */
export const TWENTY_SERVICES = [
  'dynamodb', 's3', 'sqs', 'sns', 'sts', 'iam', 'ec2', 'lambda', 'kinesis', 'secretsmanager',
  'route53', 'ses', 'cloudwatch', 'logs', 'ssm', 'kms', 'ecs', 'rds', 'cloudformation', 'events',
] as const;

/** Contenders in the order of the table; raw node:http is the floor. */
export const CONTENDERS = ['raw', 'inia', 'v3', 'aws-lite', 'boto3'] as const;
export type ContenderName = (typeof CONTENDERS)[number];
