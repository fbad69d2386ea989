// Typed clients over several services and protocols (rest-xml, json, rest-json, query, ec2).
// Every line below a `// @ts-expect-error TSnnnn` comment must fail with that error code:
// test/unit/types.test.ts checks the file compiles, then strips the comments and checks that
// exactly those lines fail, each with its code.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { client, Config, Session, ClientError, type ServiceName, type Client } from 'inia';
import type { ListObjectsV2Output, Object as S3Object } from 'inia/types/s3';

const s3 = client('s3', { region: 'us-east-1' });
const session = new Session({ region: 'eu-west-1' });
const ddb = session.client('dynamodb', { endpointUrl: 'http://127.0.0.1:8000', config: new Config({ retries: { maxAttempts: 2 } }) });
const lambda = client('lambda');
const sqs = session.client('sqs');
const sts = client('sts');
const ec2 = client('ec2');

export async function s3Calls(): Promise<void> {
  const listed = await s3.listObjectsV2({ Bucket: 'b', Prefix: 'p/', MaxKeys: 10 });
  const contents: S3Object[] = listed.Contents ?? [];
  for (const o of contents) {
    const key: string | undefined = o.Key;
    const when: Date | undefined = o.LastModified;
    console.log(key, when?.toISOString(), o.Size, o.StorageClass);
  }
  const status: number = listed.ResponseMetadata.HTTPStatusCode;
  const whole: ListObjectsV2Output = listed;
  console.log(status, whole.IsTruncated);

  await s3.putObject({ Bucket: 'b', Key: 'k', Body: 'text' });
  await s3.putObject({ Bucket: 'b', Key: 'k', Body: Buffer.from('bytes'), ContentType: 'text/plain' });
  await s3.putObject({ Bucket: 'b', Key: 'k', Body: createReadStream('/dev/null'), StorageClass: 'STANDARD_IA' });
  await s3.putObject({ Bucket: 'b', Key: 'k', Body: await open('/dev/null'), Expires: new Date(), Metadata: { a: 'b' } });
  // Enums are open: a value the model does not list yet is still a string.
  await s3.putObject({ Bucket: 'b', Key: 'k', StorageClass: 'SOME_FUTURE_CLASS' });
  // Timestamps take a Date, a string or epoch seconds.
  await s3.getObject({ Bucket: 'b', Key: 'k', IfModifiedSince: '2024-01-01T00:00:00Z' });
  await s3.getObject({ Bucket: 'b', Key: 'k', IfModifiedSince: 1700000000 });

  const got = await s3.getObject({ Bucket: 'b', Key: 'k' });
  const text: string | undefined = await got.Body?.text();
  const bytes: Uint8Array | undefined = await got.Body?.read();
  for await (const chunk of got.Body ?? []) console.log(chunk.byteLength);
  console.log(text, bytes, got.ContentLength, got.LastModified?.getTime());

  await s3.listBuckets();
  await s3.listBuckets({});
  const url: string = await s3.generatePresignedUrl('getObject', { Bucket: 'b', Key: 'k' }, { expiresIn: 3600 });
  const post = await s3.generatePresignedPost({ Bucket: 'b', Key: 'k' });
  console.log(url, post.url, s3.meta.region, s3.canPaginate('listObjectsV2'));

  const pages = s3.getPaginator('listObjectsV2').paginate({ Bucket: 'b', PaginationConfig: { PageSize: 100, MaxItems: 1000 } });
  for await (const page of pages) {
    for (const o of page.Contents ?? []) console.log(o.Key, page.ResponseMetadata.RequestId);
  }
  const all = await pages.buildFullResult();
  console.log(all.Contents?.length, all.NextToken);
  for await (const key of pages.search('Contents[].Key')) console.log(key);
  await s3.getPaginator('listBuckets').paginate().buildFullResult();

  await s3.getWaiter('bucketExists').wait({ Bucket: 'b', WaiterConfig: { Delay: 5, MaxAttempts: 20 } });
  const names: string[] = s3.waiterNames;
  console.log(names);

  try {
    await s3.headObject({ Bucket: 'b', Key: 'k' });
  } catch (e) {
    if (e instanceof s3.exceptions.NoSuchKey) console.log(e.code, e.response.Error.Message);
    else if (e instanceof ClientError) console.log(e.response.Error.Code, e.operationName);
  }

  // @ts-expect-error TS2551 an operation the service does not have
  await s3.listObjectV2({ Bucket: 'b' });
  // @ts-expect-error TS2741 a required member missing
  await s3.listObjectsV2({ Prefix: 'p/' });
  // @ts-expect-error TS2554 required input left out
  await s3.getObject();
  // @ts-expect-error TS2561 a member the input does not have
  await s3.listObjectsV2({ Bucket: 'b', Prefx: 'p/' });
  // @ts-expect-error TS2322 a member of the wrong type
  await s3.listObjectsV2({ Bucket: 'b', MaxKeys: '10' });
  // @ts-expect-error TS2322 a number is not a blob
  await s3.putObject({ Bucket: 'b', Key: 'k', Body: 42 });
  // @ts-expect-error TS2322 a boolean is not a timestamp
  await s3.getObject({ Bucket: 'b', Key: 'k', IfModifiedSince: true });
  // @ts-expect-error TS2339 an output member the operation does not have
  console.log(listed.Items);
  // @ts-expect-error TS2322 output timestamps are Dates
  const notString: string | undefined = listed.Contents?.[0]?.LastModified;
  // @ts-expect-error TS2551 an exception the service does not model
  console.log(s3.exceptions.NoSuchKeys);
  // @ts-expect-error TS2345 an operation without a paginator
  s3.getPaginator('getObject');
  // @ts-expect-error TS2345 a waiter the service does not have
  s3.getWaiter('bucketGone');
  // @ts-expect-error TS2345 paginate() needs the operation's required members
  s3.getPaginator('listObjectsV2').paginate({ PaginationConfig: { PageSize: 1 } });
  // @ts-expect-error TS2345 a presigned URL for an operation the service does not have
  await s3.generatePresignedUrl('getObjects', { Bucket: 'b', Key: 'k' });
  // @ts-expect-error TS2345 canPaginate takes operation names
  s3.canPaginate('list_objects_v2');
  // @ts-expect-error TS2561 the waiter takes the operation's input
  await s3.getWaiter('objectExists').wait({ Bucket: 'b', Key: 'k', WaiterConfg: {} });
  // @ts-expect-error TS18048 output members may be absent: Contents must be checked
  console.log(listed.Contents.length);
  // @ts-expect-error TS18048 a streaming Body may be absent too
  await got.Body.text();
  // @ts-expect-error TS2353 a presigned URL's parameters are the operation's input
  await s3.generatePresignedUrl('getObject', { Bucket: 'b', Key: 'k', Versoin: '1' });
  // @ts-expect-error TS2339 a page is the operation's output
  for await (const page of pages) console.log(page.Items);
  // @ts-expect-error TS2561 client options are checked too
  client('s3', { regoin: 'us-east-1' });
  // @ts-expect-error TS2551 presigned POSTs are S3's only
  await ddb.generatePresignedPost({ Bucket: 'b', Key: 'k' });
  console.log(notString);
}

export async function dynamodbCalls(): Promise<void> {
  await ddb.putItem({ TableName: 't', Item: { id: { S: '1' }, n: { N: '2' }, tags: { SS: ['a'] }, nested: { M: { x: { BOOL: true } } } } });
  const item = await ddb.getItem({ TableName: 't', Key: { id: { S: '1' } }, ConsistentRead: true });
  const id: string | undefined = item.Item?.['id']?.S;
  const nested = item.Item?.['nested']?.M?.['x']?.BOOL;
  console.log(id, nested, item.ConsumedCapacity?.CapacityUnits);
  const q = await ddb.query({
    TableName: 't',
    KeyConditionExpression: 'pk = :v',
    ExpressionAttributeValues: { ':v': { S: 'x' } },
    ExclusiveStartKey: item.Item,
  });
  console.log(q.Count, q.LastEvaluatedKey);
  await ddb.batchWriteItem({ RequestItems: { t: [{ PutRequest: { Item: { id: { S: '2' } } } }, { DeleteRequest: { Key: { id: { S: '3' } } } }] } });
  for await (const page of ddb.getPaginator('scan').paginate({ TableName: 't' })) console.log(page.Items?.length);
  await ddb.getWaiter('tableExists').wait({ TableName: 't' });
  try {
    await ddb.putItem({ TableName: 't', Item: {}, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  } catch (e) {
    if (e instanceof ddb.exceptions.ConditionalCheckFailedException) console.log(e.response.Item?.['id']?.S);
  }
  const tables = await ddb.listTables();
  console.log(tables.TableNames);

  // @ts-expect-error TS2322 a number where the model has a string
  await ddb.getItem({ TableName: 1, Key: {} });
  // @ts-expect-error TS2353 a member AttributeValue does not have
  await ddb.putItem({ TableName: 't', Item: { id: { STR: '1' } } });
  // @ts-expect-error TS2741 a required member missing in a nested structure
  await ddb.batchWriteItem({ RequestItems: { t: [{ PutRequest: {} }] } });
  // @ts-expect-error TS2345 waiter input: TableName is required
  await ddb.getWaiter('tableExists').wait({ WaiterConfig: { Delay: 1 } });
  // @ts-expect-error TS2322 an attribute value's S is a string
  await ddb.getItem({ TableName: 't', Key: { id: { S: 1 } } });
  // @ts-expect-error TS2339 S3's operation on a DynamoDB client
  await ddb.listObjectsV2({ Bucket: 'b' });
}

export async function otherProtocols(): Promise<void> {
  // rest-json: a blob payload takes bytes or a string.
  const invoked = await lambda.invoke({ FunctionName: 'f', Payload: JSON.stringify({ a: 1 }), InvocationType: 'RequestResponse' });
  // A blob payload comes back as a StreamingBody (botocore's has_streaming_output).
  const payload: Uint8Array | undefined = await invoked.Payload?.read();
  console.log(invoked.StatusCode, payload, invoked.FunctionError);
  for await (const page of lambda.getPaginator('listFunctions').paginate()) console.log(page.Functions?.[0]?.FunctionName);
  // json (SQS)
  const queue = await sqs.createQueue({ QueueName: 'q', Attributes: { VisibilityTimeout: '30' } });
  await sqs.sendMessage({ QueueUrl: queue.QueueUrl ?? '', MessageBody: 'hi', MessageAttributes: { a: { DataType: 'String', StringValue: 'x' } } });
  const received = await sqs.receiveMessage({ QueueUrl: 'u', MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
  for (const m of received.Messages ?? []) console.log(m.Body, m.ReceiptHandle);
  // query (STS): an operation without required input.
  const me = await sts.getCallerIdentity();
  console.log(me.Account, me.Arn);
  const assumed = await sts.assumeRole({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's', DurationSeconds: 900 });
  const expires: Date | undefined = assumed.Credentials?.Expiration;
  console.log(expires);
  // ec2: longs may be bigints in the query protocols.
  const described = await ec2.describeInstances({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }], MaxResults: 5 });
  for (const r of described.Reservations ?? []) for (const i of r.Instances ?? []) console.log(i.InstanceId, i.LaunchTime?.getTime());
  await ec2.getWaiter('instanceRunning').wait({ InstanceIds: ['i-1'] });

  // @ts-expect-error TS2322 an operation without input takes no member
  await sts.getCallerIdentity({ Account: 'x' });
  // @ts-expect-error TS2322 InvocationType is an enum of strings, not a number
  await lambda.invoke({ FunctionName: 'f', InvocationType: 1 });
  // @ts-expect-error TS2322 a list member takes an array
  await ec2.describeInstances({ InstanceIds: 'i-1' });
}

export function serviceNames(name: string): void {
  // A service chosen at run time: any known name gives the untyped Client.
  const anyClient: Client = client(name as ServiceName);
  console.log(anyClient.meta.serviceName);
  const svc: ServiceName = 'kinesis';
  const kinesis = client(svc);
  void kinesis.listStreams();
  // @ts-expect-error TS2345 a service inia has no model for
  client('s4');
  // @ts-expect-error TS2345 a service name is its model folder name, not boto3's resource names or the serviceId
  session.client('DynamoDB');
  // @ts-expect-error TS2345 a plain string is not a service name
  client(name);
}
