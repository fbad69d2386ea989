/**
 * Paginators end to end against moto on loopback: S3 ListObjectsV2 / ListObjects and DynamoDB
 * Scan, and tokens handed between inia and boto3 (each resumes where the other stopped).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Session, type Client } from '../../src/index.js';
import { decodeToken } from '../../src/paginate.js';
import { motoForFile } from '../helpers/moto.js';
import { pythonJson } from '../helpers/python.js';

const moto = motoForFile(Session);
const client = (service: string): Client => moto.client(service);

/** Runs a boto3 snippet against moto (`client` is ready in it) and returns what it prints as JSON. */
function boto3(service: string, code: string): unknown {
  const script = [
    'import json, sys, boto3',
    `client = boto3.client(${JSON.stringify(service)}, region_name='us-east-1', endpoint_url=${JSON.stringify(moto.url)}, aws_access_key_id='testing', aws_secret_access_key='testing')`,
    code,
  ].join('\n');
  return pythonJson<unknown>(script, { what: 'boto3 snippet' });
}

const KEYS = Array.from({ length: 37 }, (_, i) => `obj/${String(i).padStart(3, '0')}${i % 5 === 0 ? ' with space' : ''}`).sort();

function keysOf(page: Record<string, unknown>): string[] {
  return ((page.Contents as Array<{ Key: string }> | undefined) ?? []).map((o) => o.Key);
}

describe('s3 paginators on moto', () => {
  let s3: Client;
  const Bucket = 'inia-paginate-e2e';

  before(async () => {
    s3 = client('s3');
    await s3.createBucket({ Bucket });
    for (const Key of KEYS) await s3.putObject({ Bucket, Key, Body: 'x' });
  });

  it('ListObjectsV2 with PageSize 10 is 4 pages', async () => {
    assert.equal(s3.canPaginate('listObjectsV2'), true);
    const sizes: number[] = [];
    const keys: string[] = [];
    for await (const page of s3.getPaginator('listObjectsV2').paginate({ Bucket, PaginationConfig: { PageSize: 10 } })) {
      sizes.push(keysOf(page).length);
      keys.push(...keysOf(page));
      assert.ok(sizes.length <= 4, 'no more than 4 pages');
    }
    assert.deepEqual(sizes, [10, 10, 10, 7]);
    assert.deepEqual(keys, KEYS);
  });

  it('MaxItems 15 + StartingToken resumes until done, mid-page included', async () => {
    const paginator = s3.getPaginator('listObjectsV2');
    const keys: string[] = [];
    let token: string | undefined;
    let rounds = 0;
    do {
      assert.ok(++rounds <= 5, 'bounded');
      const result = await paginator.paginate({ Bucket, PaginationConfig: { MaxItems: 15, PageSize: 10, ...(token ? { StartingToken: token } : {}) } }).buildFullResult();
      const got = keysOf(result);
      assert.ok(got.length <= 15);
      keys.push(...got);
      token = result.NextToken as string | undefined;
      if (rounds === 1) assert.equal(decodeToken(token!).boto_truncate_amount, 5, 'the first run stops 5 items into the second page');
    } while (token !== undefined);
    assert.equal(rounds, 3);
    assert.deepEqual(keys, KEYS);
  });

  it('ListObjects (v1) pages on by the last key when there is no NextMarker', async () => {
    // Real S3 sends no NextMarker without a Delimiter; moto always sends one, so it is cut out
    // of the body before parsing, and the paginator must fall back to the last Key.
    const stripNextMarker = (args: { eventName: string; response?: unknown }): void => {
      const response = args.response as { body: Uint8Array };
      response.body = Buffer.from(Buffer.from(response.body).toString('utf8').replace(/<NextMarker>[^<]*<\/NextMarker>/, ''));
    };
    const markers: unknown[] = [];
    const onParams = (args: { eventName: string; params?: unknown }): void => {
      markers.push((args.params as Record<string, unknown>).Marker);
    };
    s3.meta.events.register('before-parse.s3.ListObjects', stripNextMarker);
    s3.meta.events.register('provide-client-params.s3.ListObjects', onParams);
    try {
      const pages = s3.getPaginator('listObjects').paginate({ Bucket, PaginationConfig: { PageSize: 10 } });
      const nextMarkers: unknown[] = [];
      for await (const page of pages) {
        nextMarkers.push(page.NextMarker);
        assert.ok(nextMarkers.length <= 4);
      }
      assert.deepEqual(nextMarkers, [undefined, undefined, undefined, undefined]);
      assert.deepEqual(markers, [undefined, KEYS[9], KEYS[19], KEYS[29]]);
      assert.deepEqual(keysOf(await pages.buildFullResult()), KEYS);
    } finally {
      s3.meta.events.unregister('before-parse.s3.ListObjects', stripNextMarker);
      s3.meta.events.unregister('provide-client-params.s3.ListObjects', onParams);
    }
  });

  it("search('Contents[].Key') yields every key across pages", async () => {
    const found: unknown[] = [];
    for await (const key of s3.getPaginator('listObjectsV2').paginate({ Bucket, PaginationConfig: { PageSize: 7 } }).search('Contents[].Key')) {
      found.push(key);
      assert.ok(found.length <= KEYS.length);
    }
    assert.deepEqual(found, KEYS);
  });

  it('a boto3 NextToken resumes in inia, and an inia NextToken in boto3', async () => {
    const fromBoto3 = (boto3(
      's3',
      `r = client.get_paginator('list_objects_v2').paginate(Bucket=${JSON.stringify(Bucket)}, PaginationConfig={'MaxItems': 12, 'PageSize': 5}).build_full_result()\nprint(json.dumps({'keys': [o['Key'] for o in r['Contents']], 'token': r['NextToken']}))`,
    )) as { keys: string[]; token: string };
    assert.deepEqual(fromBoto3.keys, KEYS.slice(0, 12));
    const rest = await s3.getPaginator('listObjectsV2').paginate({ Bucket, PaginationConfig: { PageSize: 5, StartingToken: fromBoto3.token } }).buildFullResult();
    assert.deepEqual(keysOf(rest), KEYS.slice(12));

    const ours = await s3.getPaginator('listObjectsV2').paginate({ Bucket, PaginationConfig: { MaxItems: 23, PageSize: 5 } }).buildFullResult();
    const theirs = (boto3(
      's3',
      `r = client.get_paginator('list_objects_v2').paginate(Bucket=${JSON.stringify(Bucket)}, PaginationConfig={'PageSize': 5, 'StartingToken': ${JSON.stringify(ours.NextToken)}}).build_full_result()\nprint(json.dumps([o['Key'] for o in r['Contents']]))`,
    )) as string[];
    assert.deepEqual([...keysOf(ours), ...theirs], KEYS);
  });
});

describe('dynamodb Scan paginator on moto', () => {
  let ddb: Client;
  const TableName = 'inia-paginate-scan';
  const ids = Array.from({ length: 25 }, (_, i) => `item-${String(i).padStart(2, '0')}`);

  before(async () => {
    ddb = client('dynamodb');
    await ddb.createTable({
      TableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'B' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (const id of ids) await ddb.putItem({ TableName, Item: { pk: { B: new TextEncoder().encode(id) }, n: { N: id.slice(5) } } });
  });

  function itemIds(items: unknown): string[] {
    return (items as Array<{ pk: { B: Uint8Array } }>).map((i) => new TextDecoder().decode(i.pk.B));
  }

  it('pages with PageSize and merges Items, Count and ScannedCount', async () => {
    assert.equal(ddb.canPaginate('Scan'), true);
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const page of ddb.getPaginator('scan').paginate({ TableName, PaginationConfig: { PageSize: 10 } })) {
      sizes.push(page.Count as number);
      seen.push(...itemIds(page.Items));
      assert.ok(sizes.length <= 4);
    }
    // A last empty page is possible (LastEvaluatedKey on a full final page), as with DynamoDB itself.
    assert.deepEqual(sizes.slice(0, 3), [10, 10, 5]);
    assert.deepEqual(seen.sort(), ids);
    const full = await ddb.getPaginator('scan').paginate({ TableName, PaginationConfig: { PageSize: 10 } }).buildFullResult();
    assert.equal(full.Count, 25);
    assert.equal(full.ScannedCount, 25);
    assert.deepEqual(itemIds(full.Items).sort(), ids);
  });

  it('a binary LastEvaluatedKey survives a token round trip through boto3', async () => {
    const first = await ddb.getPaginator('scan').paginate({ TableName, PaginationConfig: { PageSize: 4, MaxItems: 10 } }).buildFullResult();
    const token = first.NextToken as string;
    const decoded = decodeToken(token);
    assert.equal(decoded.boto_truncate_amount, 2);
    assert.ok(((decoded.ExclusiveStartKey as { pk: { B: unknown } }).pk.B) instanceof Uint8Array);
    const rest = (boto3(
      'dynamodb',
      `r = client.get_paginator('scan').paginate(TableName=${JSON.stringify(TableName)}, PaginationConfig={'PageSize': 4, 'StartingToken': ${JSON.stringify(token)}}).build_full_result()\nprint(json.dumps([i['pk']['B'].decode() for i in r['Items']]))`,
    )) as string[];
    const all = [...itemIds(first.Items), ...rest];
    assert.equal(all.length, 25);
    assert.deepEqual(all.sort(), ids);
  });
});
