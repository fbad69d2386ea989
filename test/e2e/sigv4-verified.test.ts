/**
 * inia's signatures, checked by a server that verifies them.
 *
 * moto started with INITIAL_NO_AUTH_ACTION_COUNT=4 (test/helpers/moto-iam.ts) serves four
 * authenticated actions unchecked — spent here, through inia, on a user, its access key and an
 * allow-everything policy — and from then on recomputes every request's SigV4 signature with the
 * secret it issued (botocore's SigV4Auth, S3SigV4Auth for S3) and refuses a mismatch. Each call
 * below is made once signed with that key (it must be accepted) and once signed with a wrong
 * secret for the same key id (it must be refused with moto's authentication error): the negative
 * control, without which an "accepted" would prove nothing.
 *
 * What moto cannot check, and so is kept out of the suite (each verified with boto3 against the
 * same server in the last test of this file: boto3 is refused exactly where inia is, so these are
 * moto's blind spots, not inia's faults):
 * - Presigned URLs: moto reads only the Authorization header; a presigned GET makes it fail with
 *   a 500 (KeyError HTTP_AUTHORIZATION), correctly signed or not.
 * - Bodiless requests to services other than S3 (Lambda ListFunctions GET, DeleteFunction DELETE,
 *   Route 53 ListHostedZones GET): with no body moto hands botocore's signer its parsed
 *   querystring (or, when empty, the request headers) as the body, so the payload hash it signs
 *   is that of a form encoding nobody sent. Only POST/PUT calls with a body are checkable there.
 * - S3 keys and query values with characters werkzeug rebuilds: moto recomputes the canonical
 *   path and query from werkzeug's request.url, which re-quotes the decoded path keeping
 *   !$&'()*+,:;=@% raw and then turns it into an IRI (unicode, [ ] ^ { } | \ decoded), so keys
 *   with `+`, `=`, `%`, unicode (and those other characters), and query values with `/` (e.g.
 *   ListObjectsV2 Prefix='docs/', Delimiter='/') fail for every SDK. The suite's keys use what
 *   survives: letters, digits, space, `- _ . ~ / ? #`.
 * - S3 payloads: moto signs whatever x-amz-content-sha256 says (botocore's canonical request
 *   takes that header as is) and does not check chunk signatures, so for S3 it verifies the
 *   method, path, query and signed headers, not the bytes of the body. It would even accept
 *   STREAMING-UNSIGNED-PAYLOAD-TRAILER over plain http, which AWS refuses; so each S3 call here
 *   also asserts what was sent: over http botocore always signs the payload (its SHA-256, or
 *   signed aws-chunked chunks for a stream), and so must inia.
 */
import assert from 'node:assert/strict';
import { open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ClientError, Session, StreamingBody, type Client } from 'inia';
import { iamMotoForFile, isAuthError } from '../helpers/moto-iam.js';
import { pythonJson } from '../helpers/python.js';

const moto = iamMotoForFile(Session);

type Params = Record<string, unknown>;
type Out = Record<string, unknown>;
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** One call: made signed with the key (then `check` runs on its answer) and with a wrong secret. */
interface Case {
  service: string;
  op: string;
  /** Built afresh for each call (streams are read once; some values come from earlier answers). */
  params: () => Params | Promise<Params>;
  check?: (out: Out) => void | Promise<void>;
  /** Credentials other than the issued key (an assumed role's); the negative control changes their secret. */
  credentials?: () => Creds;
  what?: string;
}

const Bucket = 'inia-sigv4-verified';
const MiB = 1024 * 1024;
const TEXT = 'hello, world: signed';
const ODD_KEY = 'odd/what?#it_is-1.0~x y.txt';
const BIG_PART = Buffer.alloc(5 * MiB, 'a');
const FILE_BYTES = Buffer.alloc(70_000, 7);
const filePath = join(tmpdir(), `inia-sigv4-verified-${process.pid}.bin`);
const handles: FileHandle[] = [];

/** Values later calls need from earlier answers. */
const state: {
  uploadId?: string;
  roleArn?: string;
  queueUrl?: string;
  queueArn?: string;
  receipt?: string;
  topicArn?: string;
  iterator?: string;
  zoneId?: string;
  vpcId?: string;
  groupId?: string;
  assumed?: Creds;
  parts: Array<{ PartNumber: number; ETag: string }>;
} = { parts: [] };

async function readAll(body: unknown): Promise<Buffer> {
  assert.ok(body instanceof StreamingBody, 'a streamed body');
  return Buffer.from(await body.read());
}

const now = (): Date => new Date();

const CASES: Case[] = [
  // IAM (query protocol). The role is Lambda's execution role and the one STS assumes.
  { service: 'iam', op: 'getUser', params: () => ({ UserName: moto.key.userName }), check: (o) => assert.equal((o.User as Out).Arn, moto.key.userArn) },
  { service: 'iam', op: 'listUsers', params: () => ({}), check: (o) => assert.deepEqual((o.Users as Out[]).map((u) => u.UserName), [moto.key.userName]) },
  { service: 'iam', op: 'tagUser', params: () => ({ UserName: moto.key.userName, Tags: [{ Key: 'team', Value: 'a&b =c' }] }) },
  {
    service: 'iam',
    op: 'createRole',
    params: () => ({
      RoleName: 'inia-sigv4-role',
      Path: '/service/',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: moto.key.userArn, Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
    check: (o) => {
      state.roleArn = String((o.Role as Out).Arn);
    },
  },
  {
    service: 'iam',
    op: 'putRolePolicy',
    params: () => ({ RoleName: 'inia-sigv4-role', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }),
  },
  { service: 'iam', op: 'listAttachedUserPolicies', params: () => ({ UserName: moto.key.userName }), check: (o) => assert.equal((o.AttachedPolicies as Out[]).length, 1) },

  // STS (query), including a role's temporary credentials (x-amz-security-token is signed).
  { service: 'sts', op: 'getCallerIdentity', params: () => ({}), check: (o) => assert.equal(o.Arn, moto.key.userArn) },
  {
    service: 'sts',
    op: 'assumeRole',
    params: () => ({ RoleArn: state.roleArn, RoleSessionName: 'inia-session', DurationSeconds: 900 }),
    check: (o) => {
      const c = o.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      assert.match(c.AccessKeyId, /^ASIA/);
      state.assumed = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    },
  },
  {
    service: 'sts',
    op: 'getCallerIdentity',
    what: 'with the assumed role',
    credentials: () => state.assumed as Creds,
    params: () => ({}),
    check: (o) => assert.match(String(o.Arn), /:assumed-role\/inia-sigv4-role\/inia-session$/),
  },

  // S3 (rest-xml, S3SigV4Auth: path not normalized, x-amz-content-sha256 signed).
  { service: 's3', op: 'createBucket', params: () => ({ Bucket }) },
  {
    service: 's3',
    op: 'putObject',
    params: () => ({ Bucket, Key: 'docs/hello world.txt', Body: TEXT, ContentType: 'text/plain', Metadata: { owner: 'ada' } }),
    check: (o) => assert.match(String(o.ETag), /^"[0-9a-f]{32}"$/),
  },
  { service: 's3', op: 'putObject', params: () => ({ Bucket, Key: ODD_KEY, Body: Buffer.from('odd bytes') }) },
  { service: 's3', op: 'headObject', params: () => ({ Bucket, Key: ODD_KEY }), check: (o) => assert.equal(o.ContentLength, 9) },
  {
    service: 's3',
    op: 'getObject',
    what: 'with Range',
    params: () => ({ Bucket, Key: 'docs/hello world.txt', Range: 'bytes=7-11' }),
    check: async (o) => {
      assert.equal((await readAll(o.Body)).toString(), 'world');
      assert.equal(o.ContentRange, `bytes 7-11/${TEXT.length}`);
    },
  },
  { service: 's3', op: 'copyObject', params: () => ({ Bucket, Key: 'copies/hello world copy.txt', CopySource: { Bucket, Key: 'docs/hello world.txt' }, MetadataDirective: 'COPY' }) },
  { service: 's3', op: 'copyObject', what: 'from an odd key', params: () => ({ Bucket, Key: 'copies/odd copy', CopySource: `${Bucket}/${ODD_KEY}` }) },
  {
    service: 's3',
    op: 'getObject',
    what: 'the copy',
    params: () => ({ Bucket, Key: 'copies/hello world copy.txt' }),
    check: async (o) => {
      assert.equal((await readAll(o.Body)).toString(), TEXT);
      assert.deepEqual(o.Metadata, { owner: 'ada' });
    },
  },
  {
    service: 's3',
    op: 'listObjectsV2',
    params: () => ({ Bucket, Prefix: 'copies', MaxKeys: 10 }),
    check: (o) => assert.deepEqual((o.Contents as Out[]).map((c) => c.Key).sort(), ['copies/hello world copy.txt', 'copies/odd copy']),
  },
  {
    service: 's3',
    op: 'putObject',
    what: 'streamed from a Readable',
    params: () => ({ Bucket, Key: 'streams/from readable.txt', Body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]) }),
  },
  { service: 's3', op: 'getObject', what: 'the Readable upload', params: () => ({ Bucket, Key: 'streams/from readable.txt' }), check: async (o) => assert.equal((await readAll(o.Body)).toString(), 'part one, part two') },
  {
    service: 's3',
    op: 'putObject',
    what: 'streamed from a FileHandle',
    params: async () => {
      const handle = await open(filePath);
      handles.push(handle);
      return { Bucket, Key: 'streams/from file.bin', Body: handle };
    },
  },
  { service: 's3', op: 'getObject', what: 'the FileHandle upload', params: () => ({ Bucket, Key: 'streams/from file.bin' }), check: async (o) => assert.deepEqual(await readAll(o.Body), FILE_BYTES) },
  {
    service: 's3',
    op: 'createMultipartUpload',
    params: () => ({ Bucket, Key: 'big/multi part.bin', ContentType: 'application/octet-stream' }),
    check: (o) => {
      state.uploadId = String(o.UploadId);
    },
  },
  {
    service: 's3',
    op: 'uploadPart',
    what: 'part 1 (5 MiB buffer)',
    params: () => ({ Bucket, Key: 'big/multi part.bin', UploadId: state.uploadId, PartNumber: 1, Body: BIG_PART }),
    check: (o) => {
      state.parts.push({ PartNumber: 1, ETag: String(o.ETag) });
    },
  },
  {
    service: 's3',
    op: 'uploadPart',
    what: 'part 2 (streamed from a Readable)',
    params: () => ({ Bucket, Key: 'big/multi part.bin', UploadId: state.uploadId, PartNumber: 2, Body: Readable.from([Buffer.from('tail of '), Buffer.from('the upload')]) }),
    check: (o) => {
      state.parts.push({ PartNumber: 2, ETag: String(o.ETag) });
    },
  },
  { service: 's3', op: 'listParts', params: () => ({ Bucket, Key: 'big/multi part.bin', UploadId: state.uploadId }), check: (o) => assert.equal((o.Parts as Out[]).length, 2) },
  {
    service: 's3',
    op: 'completeMultipartUpload',
    params: () => ({ Bucket, Key: 'big/multi part.bin', UploadId: state.uploadId, MultipartUpload: { Parts: state.parts } }),
    check: (o) => assert.match(String(o.ETag), /-2"$/),
  },
  { service: 's3', op: 'headObject', what: 'the multipart object', params: () => ({ Bucket, Key: 'big/multi part.bin' }), check: (o) => assert.equal(o.ContentLength, 5 * MiB + 'tail of the upload'.length) },
  { service: 's3', op: 'putBucketTagging', params: () => ({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'a b' }] } }) },
  { service: 's3', op: 'getBucketTagging', params: () => ({ Bucket }), check: (o) => assert.deepEqual(o.TagSet, [{ Key: 'team', Value: 'a b' }]) },
  {
    service: 's3',
    op: 'deleteObjects',
    params: () => ({ Bucket, Delete: { Objects: [{ Key: 'copies/odd copy' }, { Key: 'never there' }] } }),
    check: (o) => assert.equal((o.Deleted as Out[]).length, 2),
  },
  { service: 's3', op: 'deleteObject', params: () => ({ Bucket, Key: 'copies/hello world copy.txt' }) },
  { service: 's3', op: 'listBuckets', params: () => ({}), check: (o) => assert.deepEqual((o.Buckets as Out[]).map((b) => b.Name), [Bucket]) },
  {
    service: 's3',
    op: 'listBuckets',
    what: 'with the assumed role',
    credentials: () => state.assumed as Creds,
    params: () => ({}),
    check: (o) => assert.equal((o.Buckets as Out[]).length, 1),
  },

  // DynamoDB (json).
  {
    service: 'dynamodb',
    op: 'createTable',
    params: () => ({
      TableName: 'inia-sigv4',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  },
  { service: 'dynamodb', op: 'putItem', params: () => ({ TableName: 'inia-sigv4', Item: { pk: { S: 'caf\u00e9 \u65e5\u672c' }, sk: { N: '1' }, blob: { B: new Uint8Array([0, 1, 255]) } } }) },
  {
    service: 'dynamodb',
    op: 'batchWriteItem',
    params: () => ({ RequestItems: { 'inia-sigv4': [2, 3].map((n) => ({ PutRequest: { Item: { pk: { S: 'caf\u00e9 \u65e5\u672c' }, sk: { N: String(n) } } } })) } }),
  },
  {
    service: 'dynamodb',
    op: 'getItem',
    params: () => ({ TableName: 'inia-sigv4', Key: { pk: { S: 'caf\u00e9 \u65e5\u672c' }, sk: { N: '1' } } }),
    check: (o) => assert.deepEqual(Buffer.from((o.Item as { blob: { B: Uint8Array } }).blob.B), Buffer.from([0, 1, 255])),
  },
  { service: 'dynamodb', op: 'updateItem', params: () => ({ TableName: 'inia-sigv4', Key: { pk: { S: 'caf\u00e9 \u65e5\u672c' }, sk: { N: '2' } }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'a&b' } } }) },
  {
    service: 'dynamodb',
    op: 'query',
    params: () => ({ TableName: 'inia-sigv4', KeyConditionExpression: 'pk = :p AND sk >= :s', ExpressionAttributeValues: { ':p': { S: 'caf\u00e9 \u65e5\u672c' }, ':s': { N: '2' } } }),
    check: (o) => assert.equal(o.Count, 2),
  },
  { service: 'dynamodb', op: 'describeTable', params: () => ({ TableName: 'inia-sigv4' }), check: (o) => assert.equal((o.Table as Out).TableStatus, 'ACTIVE') },
  { service: 'dynamodb', op: 'listTables', params: () => ({}), check: (o) => assert.deepEqual(o.TableNames, ['inia-sigv4']) },

  // SQS (json).
  {
    service: 'sqs',
    op: 'createQueue',
    params: () => ({ QueueName: 'inia-sigv4', Attributes: { VisibilityTimeout: '30' } }),
    check: (o) => {
      state.queueUrl = String(o.QueueUrl);
    },
  },
  {
    service: 'sqs',
    op: 'getQueueAttributes',
    params: () => ({ QueueUrl: state.queueUrl, AttributeNames: ['QueueArn'] }),
    check: (o) => {
      state.queueArn = String((o.Attributes as Out).QueueArn);
    },
  },
  { service: 'sqs', op: 'sendMessage', params: () => ({ QueueUrl: state.queueUrl, MessageBody: 'caf\u00e9 & <b>', MessageAttributes: { k: { DataType: 'String', StringValue: 'v w' } } }) },
  {
    service: 'sqs',
    op: 'receiveMessage',
    params: () => ({ QueueUrl: state.queueUrl, MaxNumberOfMessages: 1, MessageAttributeNames: ['All'] }),
    check: (o) => {
      const [m] = o.Messages as Array<{ Body: string; ReceiptHandle: string }>;
      assert.equal(m?.Body, 'caf\u00e9 & <b>');
      state.receipt = m?.ReceiptHandle;
    },
  },
  { service: 'sqs', op: 'deleteMessage', params: () => ({ QueueUrl: state.queueUrl, ReceiptHandle: state.receipt }) },
  { service: 'sqs', op: 'listQueues', params: () => ({ QueueNamePrefix: 'inia' }), check: (o) => assert.deepEqual(o.QueueUrls, [state.queueUrl]) },

  // SNS (query).
  {
    service: 'sns',
    op: 'createTopic',
    params: () => ({ Name: 'inia-sigv4', Attributes: { DisplayName: 'a b&c' } }),
    check: (o) => {
      state.topicArn = String(o.TopicArn);
    },
  },
  { service: 'sns', op: 'subscribe', params: () => ({ TopicArn: state.topicArn, Protocol: 'sqs', Endpoint: state.queueArn }) },
  { service: 'sns', op: 'publish', params: () => ({ TopicArn: state.topicArn, Message: 'caf\u00e9 = <x>', MessageAttributes: { k: { DataType: 'String', StringValue: 'v+w' } } }), check: (o) => assert.equal(typeof o.MessageId, 'string') },
  { service: 'sns', op: 'listTopics', params: () => ({}), check: (o) => assert.deepEqual((o.Topics as Out[]).map((t) => t.TopicArn), [state.topicArn]) },

  // EC2 (ec2 protocol).
  { service: 'ec2', op: 'describeRegions', params: () => ({ RegionNames: ['us-east-1'] }), check: (o) => assert.equal((o.Regions as Out[]).length, 1) },
  {
    service: 'ec2',
    op: 'createVpc',
    params: () => ({ CidrBlock: '10.42.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'inia sigv4' }] }] }),
    check: (o) => {
      state.vpcId = String((o.Vpc as Out).VpcId);
    },
  },
  { service: 'ec2', op: 'describeVpcs', params: () => ({ Filters: [{ Name: 'tag:Name', Values: ['inia sigv4'] }] }), check: (o) => assert.deepEqual((o.Vpcs as Out[]).map((v) => v.VpcId), [state.vpcId]) },
  {
    service: 'ec2',
    op: 'createSecurityGroup',
    params: () => ({ GroupName: 'inia-sigv4', Description: 'signed & checked', VpcId: state.vpcId }),
    check: (o) => {
      state.groupId = String(o.GroupId);
    },
  },
  { service: 'ec2', op: 'authorizeSecurityGroupIngress', params: () => ({ GroupId: state.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }) },

  // Lambda (rest-json): only calls with a body (see the top of the file), none that needs docker.
  {
    service: 'lambda',
    op: 'createFunction',
    params: () => ({ FunctionName: 'inia-sigv4', Runtime: 'python3.12', Role: state.roleArn, Handler: 'index.handler', Code: { ZipFile: zipWithOneFile() } }),
    check: (o) => assert.equal(o.FunctionName, 'inia-sigv4'),
  },
  { service: 'lambda', op: 'updateFunctionConfiguration', params: () => ({ FunctionName: 'inia-sigv4', Description: 'signed: a&b c', Timeout: 10 }), check: (o) => assert.equal(o.Timeout, 10) },
  { service: 'lambda', op: 'createAlias', params: () => ({ FunctionName: 'inia-sigv4', Name: 'live', FunctionVersion: '$LATEST' }) },
  { service: 'lambda', op: 'putFunctionConcurrency', params: () => ({ FunctionName: 'inia-sigv4', ReservedConcurrentExecutions: 3 }), check: (o) => assert.equal(o.ReservedConcurrentExecutions, 3) },

  // Route 53 (rest-xml, a global service signed in us-east-1): only calls with a body.
  {
    service: 'route53',
    op: 'createHostedZone',
    params: () => ({ Name: 'sigv4.example.com', CallerReference: 'inia-sigv4', HostedZoneConfig: { Comment: 'a & b', PrivateZone: false } }),
    check: (o) => {
      state.zoneId = String((o.HostedZone as Out).Id).replace(/^\/hostedzone\//, '');
    },
  },
  {
    service: 'route53',
    op: 'changeResourceRecordSets',
    params: () => ({
      HostedZoneId: state.zoneId,
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'www.sigv4.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '127.0.0.1' }] } }] },
    }),
  },
  { service: 'route53', op: 'changeTagsForResource', params: () => ({ ResourceType: 'hostedzone', ResourceId: state.zoneId, AddTags: [{ Key: 'team', Value: 'a b' }] }) },

  // Kinesis (json).
  { service: 'kinesis', op: 'createStream', params: () => ({ StreamName: 'inia-sigv4', ShardCount: 1 }) },
  { service: 'kinesis', op: 'putRecord', params: () => ({ StreamName: 'inia-sigv4', Data: Buffer.from('record one'), PartitionKey: 'p' }) },
  { service: 'kinesis', op: 'putRecords', params: () => ({ StreamName: 'inia-sigv4', Records: [{ Data: Buffer.from('record two'), PartitionKey: 'p' }] }), check: (o) => assert.equal(o.FailedRecordCount, 0) },
  {
    service: 'kinesis',
    op: 'getShardIterator',
    params: () => ({ StreamName: 'inia-sigv4', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    check: (o) => {
      state.iterator = String(o.ShardIterator);
    },
  },
  {
    service: 'kinesis',
    op: 'getRecords',
    params: () => ({ ShardIterator: state.iterator, Limit: 10 }),
    check: (o) => assert.deepEqual((o.Records as Array<{ Data: Uint8Array }>).map((r) => Buffer.from(r.Data).toString()), ['record one', 'record two']),
  },
  { service: 'kinesis', op: 'describeStreamSummary', params: () => ({ StreamName: 'inia-sigv4' }), check: (o) => assert.equal((o.StreamDescriptionSummary as Out).OpenShardCount, 1) },

  // CloudWatch (smithy-rpc-v2-cbor, as boto3 picks it).
  { service: 'cloudwatch', op: 'putMetricData', params: () => ({ Namespace: 'inia/sigv4', MetricData: [{ MetricName: 'calls', Value: 2.5, Unit: 'Count', Timestamp: now(), Dimensions: [{ Name: 'k', Value: 'v w' }] }] }) },
  { service: 'cloudwatch', op: 'listMetrics', params: () => ({ Namespace: 'inia/sigv4' }), check: (o) => assert.deepEqual((o.Metrics as Out[]).map((m) => m.MetricName), ['calls']) },
  {
    service: 'cloudwatch',
    op: 'getMetricStatistics',
    params: () => ({ Namespace: 'inia/sigv4', MetricName: 'calls', Dimensions: [{ Name: 'k', Value: 'v w' }], StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Sum'] }),
    check: (o) => assert.equal((o.Datapoints as Array<{ Sum: number }>).reduce((s, d) => s + d.Sum, 0), 2.5),
  },
  {
    service: 'cloudwatch',
    op: 'putMetricAlarm',
    params: () => ({ AlarmName: 'inia sigv4', MetricName: 'calls', Namespace: 'inia/sigv4', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold' }),
  },
  { service: 'cloudwatch', op: 'describeAlarms', params: () => ({ AlarmNames: ['inia sigv4'] }), check: (o) => assert.equal((o.MetricAlarms as Out[]).length, 1) },

  // CloudWatch Logs (json).
  { service: 'logs', op: 'createLogGroup', params: () => ({ logGroupName: '/inia/sigv4' }) },
  { service: 'logs', op: 'createLogStream', params: () => ({ logGroupName: '/inia/sigv4', logStreamName: 'stream 1' }) },
  { service: 'logs', op: 'putLogEvents', params: () => ({ logGroupName: '/inia/sigv4', logStreamName: 'stream 1', logEvents: [{ timestamp: Date.now(), message: 'caf\u00e9: signed' }] }) },
  {
    service: 'logs',
    op: 'getLogEvents',
    params: () => ({ logGroupName: '/inia/sigv4', logStreamName: 'stream 1', startFromHead: true }),
    check: (o) => assert.deepEqual((o.events as Out[]).map((e) => e.message), ['caf\u00e9: signed']),
  },
  { service: 'logs', op: 'describeLogGroups', params: () => ({ logGroupNamePrefix: '/inia' }), check: (o) => assert.equal((o.logGroups as Out[]).length, 1) },
];

/** A zip archive (stored, no compression) holding index.py: enough for CreateFunction. */
function zipWithOneFile(): Uint8Array {
  const name = Buffer.from('index.py');
  const data = Buffer.from('def handler(event, context):\n    return 1\n');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The same key id with another secret of the same length. */
function wrongSecret(secret: string): string {
  const tail = secret.endsWith('WRNG') ? 'wrng' : 'WRNG';
  return secret.slice(0, -4) + tail;
}

/** The x-amz-content-sha256 of the last S3 request sent (moto signs it as is, so the suite checks it). */
let lastPayloadHash: string | undefined;
/**
 * What botocore signs an S3 payload as over plain http: its SHA-256, or signed aws-chunked
 * chunks. Never UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER, which AWS refuses
 * without TLS and moto, which does not look at payloads, would let through.
 */
const SIGNED_PAYLOAD_OVER_HTTP = /^(?:[0-9a-f]{64}|STREAMING-AWS4-HMAC-SHA256-PAYLOAD(?:-TRAILER)?)$/;

const clients = new Map<string, Client>();
function clientFor(c: Case, wrong: boolean): Client {
  const own = c.credentials?.();
  const id = `${c.service}|${wrong}|${own?.accessKeyId ?? ''}`;
  let made = clients.get(id);
  if (made === undefined) {
    if (own !== undefined) made = moto.client(c.service, { credentials: wrong ? { ...own, secretAccessKey: wrongSecret(own.secretAccessKey) } : own });
    else made = moto.client(c.service, wrong ? { secretAccessKey: wrongSecret(moto.key.secretAccessKey) } : {});
    if (c.service === 's3') {
      made.meta.events.register('before-send.s3', (args: Record<string, unknown>) => {
        lastPayloadHash = (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'];
      });
    }
    clients.set(id, made);
  }
  return made;
}

const call = async (client: Client, op: string, params: Params): Promise<Out> => {
  const method = client[op];
  assert.ok(method, `${client.meta.serviceName} has ${op}`);
  return (await method.call(client, params)) as Out;
};

const label = (c: Case): string => `${c.service} ${c.op}${c.what ? ` (${c.what})` : ''}`;

before(async () => {
  await writeFile(filePath, FILE_BYTES);
});

/** What the server did with the suite's calls (the closing line of the file's output says it). */
const counts = { accepted: 0, rejected: 0 };

after(async () => {
  for (const h of handles) await h.close().catch(() => undefined);
  await rm(filePath, { force: true });
  const t = moto.tally;
  console.log(
    `sigv4-verified: ${CASES.length} calls; moto accepted ${counts.accepted} signed with the key it issued and rejected ${counts.rejected} signed with a wrong secret` +
      ` (every answer in the file, blind-spot checks included: ${t.accepted} accepted, ${t.rejected} refused for authentication, ${t.other} other errors)`,
  );
});

describe('signed with the key moto issued: accepted', () => {
  it('authentication is on: a key moto never issued is refused', async () => {
    const stranger = moto.client('sts', { credentials: { accessKeyId: 'AKIANOTISSUED0000000', secretAccessKey: 'nope' } });
    await assert.rejects(stranger.getCallerIdentity({}), (e: unknown) => e instanceof ClientError && e.code === 'InvalidClientTokenId');
  });

  for (const c of CASES) {
    it(label(c), async () => {
      lastPayloadHash = undefined;
      const out = await call(clientFor(c, false), c.op, await c.params());
      counts.accepted += 1;
      await c.check?.(out);
      if (c.service === 's3') assert.match(String(lastPayloadHash), SIGNED_PAYLOAD_OVER_HTTP, 'the S3 payload is signed over http, as botocore signs it');
    });
  }
});

describe('the same calls signed with a wrong secret: rejected', () => {
  for (const c of CASES) {
    it(label(c), async () => {
      const client = clientFor(c, true);
      const params = await c.params();
      await assert.rejects(call(client, c.op, params), (e: unknown) => {
        assert.ok(e instanceof ClientError, `a ClientError, not ${String(e)}`);
        const status = e.response.ResponseMetadata?.HTTPStatusCode;
        // moto's IAMRequest answers EC2 with AuthFailure (401), everything else with 403.
        assert.equal(status, c.service === 'ec2' ? 401 : 403, moto.lastErrorText);
        // A HEAD answer has no body to say which error; moto's S3 sends a bare 403.
        if (c.op !== 'headObject') assert.ok(isAuthError(moto.lastErrorText), `an authentication error: ${moto.lastErrorText}`);
        counts.rejected += 1;
        return true;
      });
    });
  }
});

/**
 * boto3 against the same server with the same key, for each blind spot named at the top of the
 * file (and a control call next to each, which moto accepts): refused where inia is refused, so
 * the refusals are moto's.
 */
const BOTO3_BLIND_SPOTS = String.raw`
import json, sys, urllib.request, urllib.error
import boto3, botocore
from botocore.config import Config
given = json.load(sys.stdin)
def client(service, secret=None):
    return boto3.client(service, region_name='us-east-1', endpoint_url=given['url'],
        aws_access_key_id=given['accessKeyId'], aws_secret_access_key=secret or given['secretAccessKey'],
        config=Config(retries={'total_max_attempts': 1}))
s3, lam, r53 = client('s3'), client('lambda'), client('route53')
def outcome(fn):
    try:
        fn()
        return {'status': 200, 'code': ''}
    except botocore.exceptions.ClientError as e:
        return {'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'code': e.response['Error'].get('Code', '')}
def fetch(url):
    try:
        return {'status': urllib.request.urlopen(url).status, 'code': ''}
    except urllib.error.HTTPError as e:
        return {'status': e.code, 'code': ''}
b, zone = given['bucket'], given['zoneId']
calls = {
    'put key plain (control)': lambda: s3.put_object(Bucket=b, Key='blind/plain key', Body=b'x'),
    'put key with +': lambda: s3.put_object(Bucket=b, Key='blind/plus+key', Body=b'x'),
    'put key with =': lambda: s3.put_object(Bucket=b, Key='blind/eq=key', Body=b'x'),
    'put key with %': lambda: s3.put_object(Bucket=b, Key='blind/pct%key', Body=b'x'),
    'put key with unicode': lambda: s3.put_object(Bucket=b, Key='blind/caf\u00e9', Body=b'x'),
    'list prefix docs (control)': lambda: s3.list_objects_v2(Bucket=b, Prefix='docs'),
    'list prefix docs/': lambda: s3.list_objects_v2(Bucket=b, Prefix='docs/'),
    'lambda PutFunctionConcurrency (control)': lambda: lam.put_function_concurrency(FunctionName='inia-sigv4', ReservedConcurrentExecutions=3),
    'lambda ListFunctions (GET)': lambda: lam.list_functions(),
    'lambda GetFunction (GET)': lambda: lam.get_function(FunctionName='inia-sigv4'),
    'lambda DeleteFunction (DELETE)': lambda: lam.delete_function(FunctionName='no-such-function'),
    'route53 ChangeTagsForResource (control)': lambda: r53.change_tags_for_resource(ResourceType='hostedzone', ResourceId=zone, AddTags=[{'Key': 'k', 'Value': 'v'}]),
    'route53 ListHostedZones (GET)': lambda: r53.list_hosted_zones(),
    'route53 GetHostedZone (GET)': lambda: r53.get_hosted_zone(Id=zone),
}
result = {name: outcome(fn) for name, fn in calls.items()}
for name, secret in [('presigned GET', None), ('presigned GET, wrong secret', given['wrongSecret'])]:
    result[name] = fetch(client('s3', secret).generate_presigned_url('get_object', Params={'Bucket': b, 'Key': 'docs/hello world.txt'}))
print(json.dumps(result))
`;

type Outcome = { status: number; code: string };

describe("moto's blind spots hit boto3 the same way", () => {
  it('boto3 and inia are refused in the same cases, and accepted in the controls', async () => {
    const { url, key } = moto;
    const wrong = wrongSecret(key.secretAccessKey);
    const boto3 = pythonJson<Record<string, Outcome>>(BOTO3_BLIND_SPOTS, {
      what: 'boto3 blind-spot calls',
      input: JSON.stringify({ url, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, wrongSecret: wrong, bucket: Bucket, zoneId: state.zoneId }),
    });
    const s3 = moto.client('s3');
    const lam = moto.client('lambda');
    const r53 = moto.client('route53');
    const outcome = async (run: () => Promise<unknown>): Promise<Outcome> => {
      try {
        await run();
        return { status: 200, code: '' };
      } catch (e) {
        if (!(e instanceof ClientError)) throw e;
        return { status: e.response.ResponseMetadata?.HTTPStatusCode ?? 0, code: e.code ?? '' };
      }
    };
    const fetchStatus = async (presigned: string): Promise<Outcome> => {
      const res = await fetch(presigned);
      await res.arrayBuffer();
      return { status: res.status, code: '' };
    };
    const put = (Key: string) => () => s3.putObject({ Bucket, Key, Body: 'x' });
    const inia: Record<string, Outcome> = {
      'put key plain (control)': await outcome(put('blind/plain key')),
      'put key with +': await outcome(put('blind/plus+key')),
      'put key with =': await outcome(put('blind/eq=key')),
      'put key with %': await outcome(put('blind/pct%key')),
      'put key with unicode': await outcome(put('blind/caf\u00e9')),
      'list prefix docs (control)': await outcome(() => s3.listObjectsV2({ Bucket, Prefix: 'docs' })),
      'list prefix docs/': await outcome(() => s3.listObjectsV2({ Bucket, Prefix: 'docs/' })),
      'lambda PutFunctionConcurrency (control)': await outcome(() => lam.putFunctionConcurrency({ FunctionName: 'inia-sigv4', ReservedConcurrentExecutions: 3 })),
      'lambda ListFunctions (GET)': await outcome(() => lam.listFunctions({})),
      'lambda GetFunction (GET)': await outcome(() => lam.getFunction({ FunctionName: 'inia-sigv4' })),
      'lambda DeleteFunction (DELETE)': await outcome(() => lam.deleteFunction({ FunctionName: 'no-such-function' })),
      'route53 ChangeTagsForResource (control)': await outcome(() =>
        r53.changeTagsForResource({ ResourceType: 'hostedzone', ResourceId: state.zoneId, AddTags: [{ Key: 'k', Value: 'v' }] }),
      ),
      'route53 ListHostedZones (GET)': await outcome(() => r53.listHostedZones({})),
      'route53 GetHostedZone (GET)': await outcome(() => r53.getHostedZone({ Id: state.zoneId })),
      'presigned GET': await fetchStatus(await s3.generatePresignedUrl('getObject', { Bucket, Key: 'docs/hello world.txt' })),
      'presigned GET, wrong secret': await fetchStatus(
        await moto.client('s3', { secretAccessKey: wrong }).generatePresignedUrl('getObject', { Bucket, Key: 'docs/hello world.txt' }),
      ),
    };
    assert.deepEqual(inia, boto3, 'inia is accepted and refused exactly where boto3 is');
    // The blind spots themselves (a moto that learns to check these fails here: move the cases into the suite then).
    for (const [name, got] of Object.entries(boto3)) {
      if (name.endsWith('(control)')) assert.equal(got.status, 200, `${name}: accepted`);
      else if (name.startsWith('presigned')) assert.equal(got.status, 500, `${name}: moto cannot check a presigned URL (it fails reading the Authorization header)`);
      else assert.equal(got.status, 403, `${name}: refused by moto for boto3 too`);
    }
  });
});
