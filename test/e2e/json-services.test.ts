/** SQS (json, query-compatible) and Kinesis (json 1.1) end to end on moto. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientError, Session, type Client } from 'inia';
import { startMoto, type MotoServer } from '../helpers/moto.js';

let moto: MotoServer;
let sqs: Client;
let kinesis: Client;

before(async () => {
  moto = await startMoto();
  const session = new Session({ env: {}, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  sqs = session.client('sqs', { endpointUrl: moto.url });
  kinesis = session.client('kinesis', { endpointUrl: moto.url });
});

after(async () => {
  sqs?.destroy();
  kinesis?.destroy();
  await moto?.stop();
});

describe('sqs on moto', () => {
  it('creates a queue, sends a batch and receives it', async () => {
    const { QueueUrl } = await sqs.createQueue({ QueueName: 'jobs', Attributes: { VisibilityTimeout: '30' } });
    assert.match(String(QueueUrl), /jobs$/);
    const sent = await sqs.sendMessageBatch({
      QueueUrl,
      Entries: [
        { Id: 'a', MessageBody: 'first', MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } } },
        { Id: 'b', MessageBody: 'second' },
      ],
    });
    assert.equal((sent.Successful as unknown[]).length, 2);
    const got = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] });
    const bodies = (got.Messages as Array<{ Body: string }>).map((m) => m.Body).sort();
    assert.deepEqual(bodies, ['first', 'second']);
    const listed = await sqs.listQueues({});
    assert.deepEqual(listed.QueueUrls, [QueueUrl]);
  });

  it('maps a missing queue to its query-compatible error code', async () => {
    await assert.rejects(sqs.getQueueUrl({ QueueName: 'missing' }), (err: unknown) => {
      assert.ok(err instanceof ClientError);
      assert.match(err.code, /NonExistentQueue|QueueDoesNotExist/);
      return true;
    });
  });
});

describe('kinesis on moto', () => {
  it('creates and lists a stream, then puts a record', async () => {
    await kinesis.createStream({ StreamName: 'events', ShardCount: 1 });
    const listed = await kinesis.listStreams({});
    assert.deepEqual(listed.StreamNames, ['events']);
    const summary = await kinesis.describeStreamSummary({ StreamName: 'events' });
    assert.equal((summary.StreamDescriptionSummary as { OpenShardCount: number }).OpenShardCount, 1);
    const put = await kinesis.putRecord({ StreamName: 'events', Data: new TextEncoder().encode('hello'), PartitionKey: 'p' });
    assert.equal(typeof put.SequenceNumber, 'string');
  });
});
