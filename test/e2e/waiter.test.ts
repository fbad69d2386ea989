/** Waiters end to end against a real moto server: S3's status-code waiters and DynamoDB's TableExists. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Session, type Client } from '../../src/index.js';
import { WaiterError } from '../../src/errors.js';
import { motoForFile } from '../helpers/moto.js';

const moto = motoForFile(Session);
const client = (service: string): Client => moto.client(service);

describe('s3 waiters on moto', () => {
  it('bucketExists succeeds once the bucket is created', async () => {
    const s3 = client('s3');
    assert.ok(s3.waiterNames.includes('bucketExists'));
    await s3.createBucket({ Bucket: 'inia-waiter-exists' });
    await s3.getWaiter('bucketExists').wait({ Bucket: 'inia-waiter-exists', WaiterConfig: { Delay: 0.1, MaxAttempts: 3 } });
  });

  it('objectExists and objectNotExists follow an object put and deleted', async () => {
    const s3 = client('s3');
    const Bucket = 'inia-waiter-objects';
    await s3.createBucket({ Bucket });
    await s3.getWaiter('objectNotExists').wait({ Bucket, Key: 'k', WaiterConfig: { Delay: 0.1, MaxAttempts: 3 } });
    await s3.putObject({ Bucket, Key: 'k', Body: 'v' });
    await s3.getWaiter('objectExists').wait({ Bucket, Key: 'k', WaiterConfig: { Delay: 0.1, MaxAttempts: 3 } });
    await s3.deleteObject({ Bucket, Key: 'k' });
    await s3.getWaiter('objectNotExists').wait({ Bucket, Key: 'k', WaiterConfig: { Delay: 0.1, MaxAttempts: 3 } });
  });

  it('bucketExists on a missing bucket gives up after MaxAttempts with the last response', async () => {
    const s3 = client('s3');
    let calls = 0;
    s3.meta.events.register('before-call.s3.HeadBucket', () => {
      calls++;
      return undefined;
    });
    const started = Date.now();
    const err = await s3.getWaiter('bucketExists')
      .wait({ Bucket: 'inia-waiter-missing', WaiterConfig: { Delay: 0.1, MaxAttempts: 3 } })
      .then(() => null, (e: unknown) => e);
    assert.ok(err instanceof WaiterError, `expected a WaiterError, got ${String(err)}`);
    // S3's BucketExists retries on 404: botocore quotes that acceptor when attempts run out.
    assert.equal(err.message, 'Waiter BucketExists failed: Max attempts exceeded. Previously accepted state: Matched expected HTTP status code: 404');
    assert.equal(err.waiterName, 'BucketExists');
    const last = err.lastResponse as { Error: { Code: string }; ResponseMetadata: { HTTPStatusCode: number } };
    assert.equal(last.Error.Code, '404');
    assert.equal(last.ResponseMetadata.HTTPStatusCode, 404);
    assert.equal(calls, 3);
    assert.ok(Date.now() - started >= 190, 'slept Delay between the attempts');
  });
});

describe('dynamodb waiters on moto', () => {
  it('tableExists succeeds after CreateTable, tableNotExists after DeleteTable', async () => {
    const ddb = client('dynamodb');
    const TableName = 'inia-waiter-table';
    await ddb.createTable({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await ddb.getWaiter('tableExists').wait({ TableName, WaiterConfig: { Delay: 0.1, MaxAttempts: 5 } });
    assert.equal(((await ddb.describeTable({ TableName })).Table as { TableStatus: string }).TableStatus, 'ACTIVE');
    await ddb.deleteTable({ TableName });
    await ddb.getWaiter('tableNotExists').wait({ TableName, WaiterConfig: { Delay: 0.1, MaxAttempts: 5 } });
  });

  it('tableExists on a missing table retries, then fails with the service error as last response', async () => {
    const ddb = client('dynamodb');
    const err = await ddb.getWaiter('tableExists')
      .wait({ TableName: 'inia-waiter-never', WaiterConfig: { Delay: 0.05, MaxAttempts: 2 } })
      .then(() => null, (e: unknown) => e);
    assert.ok(err instanceof WaiterError);
    assert.equal(err.message, 'Waiter TableExists failed: Max attempts exceeded. Previously accepted state: Matched expected service error code: ResourceNotFoundException');
    assert.equal((err.lastResponse as { Error: { Code: string } }).Error.Code, 'ResourceNotFoundException');
  });
});
