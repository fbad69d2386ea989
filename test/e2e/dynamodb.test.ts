/** DynamoDB end to end against a real moto server on loopback, written as a boto3 user would. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientError, Session, type Client } from 'inia';
import { startMoto, type MotoServer } from '../helpers/moto.js';

let moto: MotoServer;
let ddb: Client;

const env = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' };

before(async () => {
  moto = await startMoto();
  ddb = new Session({ env }).client('dynamodb', { endpointUrl: moto.url });
});

after(async () => {
  ddb?.destroy();
  await moto?.stop();
});

interface Item {
  [name: string]: { S?: string; N?: string; BOOL?: boolean };
}

describe('dynamodb on moto', () => {
  it('creates and describes a table', async () => {
    const created = await ddb.createTable({
      TableName: 'Music',
      KeySchema: [
        { AttributeName: 'Artist', KeyType: 'HASH' },
        { AttributeName: 'Song', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'Artist', AttributeType: 'S' },
        { AttributeName: 'Song', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const description = created.TableDescription as { TableName: string; CreationDateTime: Date };
    assert.equal(description.TableName, 'Music');
    assert.ok(description.CreationDateTime instanceof Date, 'timestamps are Dates');
    const meta = created.ResponseMetadata as { HTTPStatusCode: number; RequestId?: string; RetryAttempts: number; HTTPHeaders: Record<string, string> };
    assert.equal(meta.HTTPStatusCode, 200);
    assert.equal(meta.RetryAttempts, 0);
    assert.equal(typeof meta.HTTPHeaders, 'object');

    const described = await ddb.describeTable({ TableName: 'Music' });
    const table = described.Table as { TableStatus: string; KeySchema: unknown[] };
    assert.equal(table.TableStatus, 'ACTIVE');
    assert.equal(table.KeySchema.length, 2);
  });

  it('puts, gets, queries, updates with a reserved word, scans and deletes', async () => {
    for (const [song, year] of [['Ruby', '2001'], ['Sapphire', '2003'], ['Emerald', '2005']] as const) {
      await ddb.putItem({ TableName: 'Music', Item: { Artist: { S: 'Gem Band' }, Song: { S: song }, Year: { N: year } } });
    }
    await ddb.putItem({ TableName: 'Music', Item: { Artist: { S: 'Other' }, Song: { S: 'Solo' }, Year: { N: '1999' } } });

    const got = await ddb.getItem({ TableName: 'Music', Key: { Artist: { S: 'Gem Band' }, Song: { S: 'Ruby' } } });
    assert.deepEqual(got.Item as Item, { Artist: { S: 'Gem Band' }, Song: { S: 'Ruby' }, Year: { N: '2001' } });

    const missing = await ddb.getItem({ TableName: 'Music', Key: { Artist: { S: 'Nobody' }, Song: { S: 'None' } } });
    assert.equal(missing.Item, undefined);

    const queried = await ddb.query({
      TableName: 'Music',
      KeyConditionExpression: 'Artist = :a AND begins_with(Song, :s)',
      ExpressionAttributeValues: { ':a': { S: 'Gem Band' }, ':s': { S: 'S' } },
    });
    assert.equal(queried.Count, 1);
    assert.equal((queried.Items as Item[])[0]!.Song!.S, 'Sapphire');

    // "Year" is a DynamoDB reserved word: it must go through ExpressionAttributeNames.
    const updated = await ddb.updateItem({
      TableName: 'Music',
      Key: { Artist: { S: 'Gem Band' }, Song: { S: 'Ruby' } },
      UpdateExpression: 'SET #y = :y, Awards = :w',
      ExpressionAttributeNames: { '#y': 'Year' },
      ExpressionAttributeValues: { ':y': { N: '2002' }, ':w': { N: '3' } },
      ReturnValues: 'ALL_NEW',
    });
    assert.equal((updated.Attributes as Item).Year!.N, '2002');
    assert.equal((updated.Attributes as Item).Awards!.N, '3');

    const scanned = await ddb.scan({ TableName: 'Music' });
    assert.equal(scanned.Count, 4);

    await ddb.deleteItem({ TableName: 'Music', Key: { Artist: { S: 'Other' }, Song: { S: 'Solo' } } });
    const afterDelete = await ddb.scan({ TableName: 'Music', Select: 'COUNT' });
    assert.equal(afterDelete.Count, 3);
  });

  it('surfaces ConditionalCheckFailedException as a modeled class and as a ClientError code', async () => {
    const attempt = ddb.putItem({
      TableName: 'Music',
      Item: { Artist: { S: 'Gem Band' }, Song: { S: 'Ruby' } },
      ConditionExpression: 'attribute_not_exists(Artist)',
    });
    await assert.rejects(attempt, (err: unknown) => {
      assert.ok(err instanceof ddb.exceptions.ConditionalCheckFailedException!, 'modeled exception class');
      assert.ok(err instanceof ClientError);
      assert.equal(err.code, 'ConditionalCheckFailedException');
      assert.equal(err.response.Error.Code, 'ConditionalCheckFailedException');
      assert.equal(err.operationName, 'PutItem');
      assert.match(err.message, /^An error occurred \(ConditionalCheckFailedException\) when calling the PutItem operation: /);
      assert.equal(err.response.ResponseMetadata.HTTPStatusCode, 400);
      return true;
    });
  });

  it('reports a missing table with its error code', async () => {
    await assert.rejects(ddb.describeTable({ TableName: 'NoSuchTable' }), (err: unknown) => {
      assert.ok(err instanceof ddb.exceptions.ResourceNotFoundException!);
      assert.equal((err as ClientError).code, 'ResourceNotFoundException');
      return true;
    });
  });

  it('lists and deletes tables', async () => {
    const listed = await ddb.listTables();
    assert.deepEqual(listed.TableNames, ['Music']);
    await ddb.deleteTable({ TableName: 'Music' });
    assert.deepEqual((await ddb.listTables({})).TableNames, []);
  });
});
