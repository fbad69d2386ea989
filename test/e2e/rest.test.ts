/** The REST protocols end to end against a real moto server: S3 (rest-xml), Lambda (rest-json), Route 53 (rest-xml). */
import assert from 'node:assert/strict';
import { open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { ClientError, Session, StreamingBody, type Client } from 'inia';
import { motoForFile } from '../helpers/moto.js';

const moto = motoForFile(Session);
const client = (service: string): Client => moto.client(service);

interface S3Object {
  Key: string;
  Size: number;
}

describe('s3 on moto (rest-xml)', () => {
  let s3: Client;
  const Bucket = 'inia-rest-e2e';

  before(async () => {
    s3 = client('s3');
    await s3.createBucket({ Bucket });
  });

  it('puts an object from a string and gets it back as a stream', async () => {
    const put = await s3.putObject({ Bucket, Key: 'docs/hello world.txt', Body: 'hello, world', ContentType: 'text/plain', Metadata: { Owner: 'ada' } });
    assert.match(String(put.ETag), /^"[0-9a-f]{32}"$/);
    const got = await s3.getObject({ Bucket, Key: 'docs/hello world.txt' });
    assert.ok(got.Body instanceof StreamingBody, 'Body is a StreamingBody');
    assert.equal(await (got.Body as StreamingBody).text(), 'hello, world');
    assert.equal(got.ContentLength, 12);
    assert.equal(got.ContentType, 'text/plain');
    assert.deepEqual(got.Metadata, { owner: 'ada' });
    assert.ok(got.LastModified instanceof Date);
  });

  it('puts an object from a Readable stream and iterates it back', async () => {
    const chunks = [Buffer.from('part one, '), Buffer.from('part two')];
    await s3.putObject({ Bucket, Key: 'docs/streamed.txt', Body: Readable.from(chunks) });
    const got = await s3.getObject({ Bucket, Key: 'docs/streamed.txt' });
    const seen: Buffer[] = [];
    for await (const chunk of got.Body as StreamingBody) seen.push(Buffer.from(chunk));
    assert.equal(Buffer.concat(seen).toString(), 'part one, part two');
  });

  it('puts an object from a file handle', async () => {
    const path = join(tmpdir(), `inia-rest-e2e-${process.pid}.bin`);
    const bytes = Buffer.alloc(70_000, 7);
    await writeFile(path, bytes);
    const handle = await open(path);
    try {
      await s3.putObject({ Bucket, Key: 'blobs/file.bin', Body: handle });
    } finally {
      await handle.close();
      await rm(path, { force: true });
    }
    const got = await s3.getObject({ Bucket, Key: 'blobs/file.bin' });
    assert.deepEqual(Buffer.from(await (got.Body as StreamingBody).read()), bytes);
  });

  it('lists with a prefix', async () => {
    const listed = await s3.listObjectsV2({ Bucket, Prefix: 'docs/' });
    const keys = (listed.Contents as S3Object[]).map((o) => o.Key).sort();
    assert.deepEqual(keys, ['docs/hello world.txt', 'docs/streamed.txt']);
    assert.equal(listed.KeyCount, 2);
    assert.equal(listed.Prefix, 'docs/');
  });

  it('lists keys with spaces, unicode and XML-unfriendly characters exactly (EncodingType=url, decoded back)', async () => {
    const keys = ['odd/a b+c.txt', 'odd/\u65e5\u672c/\u00e9t\u00e9.txt', 'odd/100% & <tag>.txt'];
    for (const Key of keys) await s3.putObject({ Bucket, Key, Body: 'x' });
    const params = { Bucket, Prefix: 'odd/' };
    const listed = await s3.listObjectsV2(params);
    assert.deepEqual(((listed.Contents as Array<{ Key: string }>) ?? []).map((c) => c.Key).sort(), [...keys].sort());
    assert.equal(listed.Prefix, 'odd/');
    assert.deepEqual(params, { Bucket, Prefix: 'odd/' }, "the caller's parameters are not changed");
    // Asked for explicitly, the encoding is the caller's to undo.
    const raw = await s3.listObjectsV2({ Bucket, Prefix: 'odd/', EncodingType: 'url' });
    assert.ok(((raw.Contents as Array<{ Key: string }>) ?? []).some((c) => c.Key.includes('%')));
    for (const Key of keys) await s3.deleteObject({ Bucket, Key });
  });

  it('heads, copies and deletes', async () => {
    const head = await s3.headObject({ Bucket, Key: 'docs/hello world.txt' });
    assert.equal(head.ContentLength, 12);
    assert.equal((head.ResponseMetadata as { HTTPStatusCode: number }).HTTPStatusCode, 200);
    const copied = await s3.copyObject({ Bucket, Key: 'copies/hello.txt', CopySource: `${Bucket}/docs/hello world.txt` });
    assert.match(String((copied.CopyObjectResult as { ETag: string }).ETag), /^"[0-9a-f]{32}"$/);
    const got = await s3.getObject({ Bucket, Key: 'copies/hello.txt' });
    assert.equal(await (got.Body as StreamingBody).text(), 'hello, world');
    const deleted = await s3.deleteObject({ Bucket, Key: 'copies/hello.txt' });
    assert.equal((deleted.ResponseMetadata as { HTTPStatusCode: number }).HTTPStatusCode, 204);
    await assert.rejects(s3.headObject({ Bucket, Key: 'copies/hello.txt' }), (e: unknown) => e instanceof ClientError && e.code === '404');
  });

  it('raises NoSuchKey for a missing object', async () => {
    await assert.rejects(s3.getObject({ Bucket, Key: 'nope' }), (e: unknown) => {
      assert.ok(e instanceof s3.exceptions.NoSuchKey, 'a NoSuchKey instance');
      assert.ok(e instanceof ClientError);
      assert.equal(e.code, 'NoSuchKey');
      assert.equal(e.response.ResponseMetadata.HTTPStatusCode, 404);
      return true;
    });
  });

  it('gives code 404 / Not Found for a HEAD of a missing key (no body to read)', async () => {
    await assert.rejects(s3.headObject({ Bucket, Key: 'nope' }), (e: unknown) => {
      assert.ok(e instanceof ClientError);
      assert.equal(e.code, '404');
      assert.equal(e.response.Error.Message, 'Not Found');
      return true;
    });
  });
});

describe('lambda on moto (rest-json)', () => {
  it('lists functions', async () => {
    const lambda = client('lambda');
    const listed = await lambda.listFunctions({});
    assert.deepEqual(listed.Functions, []);
    assert.equal((listed.ResponseMetadata as { HTTPStatusCode: number }).HTTPStatusCode, 200);
  });

  it('raises a modeled error from the X-Amzn-ErrorType header', async () => {
    const lambda = client('lambda');
    await assert.rejects(lambda.getFunction({ FunctionName: 'missing' }), (e: unknown) => {
      assert.ok(e instanceof lambda.exceptions.ResourceNotFoundException);
      assert.equal((e as ClientError).code, 'ResourceNotFoundException');
      return true;
    });
  });
});

describe('route 53 on moto (rest-xml)', () => {
  it('creates and lists hosted zones', async () => {
    const r53 = client('route53');
    const created = await r53.createHostedZone({ Name: 'inia.example.com', CallerReference: `ref-${process.pid}` });
    const zone = created.HostedZone as { Id: string; Name: string };
    assert.equal(zone.Name, 'inia.example.com.');
    assert.ok((created.ChangeInfo as { SubmittedAt: Date }).SubmittedAt instanceof Date);
    const listed = await r53.listHostedZones({});
    const names = (listed.HostedZones as Array<{ Name: string }>).map((z) => z.Name);
    assert.ok(names.includes('inia.example.com.'));
    const id = zone.Id.replace('/hostedzone/', '');
    const got = await r53.getHostedZone({ Id: id });
    assert.equal((got.HostedZone as { Id: string }).Id, zone.Id);
  });

  it('raises NoSuchHostedZone from an <ErrorResponse> body', async () => {
    const r53 = client('route53');
    await assert.rejects(r53.getHostedZone({ Id: 'NOPE' }), (e: unknown) => {
      assert.ok(e instanceof r53.exceptions.NoSuchHostedZone);
      return true;
    });
  });
});
