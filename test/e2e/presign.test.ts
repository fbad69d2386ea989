/**
 * Presigned URLs and POSTs used against moto with node's plain HTTP client (no inia signing).
 *
 * What moto checks: the request's routing (path-style bucket and key, the query string the
 * URL carries, a multipart/form-data POST with its `key` and `file` fields). What it does not:
 * moto 5 verifies neither query-string signatures nor X-Amz-Expires (its access control only
 * reads Authorization headers, and only when told to), so an expired URL still works against
 * it; that refusal is AWS's and is not asserted here. The signatures themselves are checked
 * against boto3's in test/unit/presign.test.ts.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Session, StreamingBody, type Client } from 'inia';
import { EMPTY_ENV } from '../helpers/env.js';
import { startMoto, type MotoServer } from '../helpers/moto.js';

let moto: MotoServer;
let s3: Client;
const Bucket = 'inia-presign-e2e';

interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with node:http, nothing added but what is given; bounded by a 10 s timeout. */
function send(url: string, method: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<PlainResponse> {
  const target = new URL(url);
  assert.equal(target.hostname, '127.0.0.1', 'tests only talk to loopback');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A multipart/form-data body built by hand: the fields in order, then the file last, as S3 wants. */
function multipart(fields: Record<string, string>, file: { name: string; type: string; content: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----inia-presign-${Date.now().toString(16)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`, 'utf8'));
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

before(async () => {
  moto = await startMoto();
  s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', {
    region: 'us-east-1',
    endpointUrl: moto.url,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'session-token' },
  });
  await s3.createBucket({ Bucket });
});

after(async () => {
  s3?.destroy();
  await moto?.stop();
});

describe('presigned URLs against moto with a plain HTTP client', () => {
  it('PUTs an object through a presigned URL and GETs it back through another', async () => {
    const Key = 'docs/hello world+é.txt';
    const putUrl = await s3.generatePresignedUrl('putObject', { Bucket, Key, ContentType: 'text/plain' }, { expiresIn: 300 });
    assert.ok(putUrl.startsWith(`${moto.url}/${Bucket}/`), putUrl);
    assert.match(putUrl, /X-Amz-SignedHeaders=content-type%3Bhost&/);
    assert.match(putUrl, /X-Amz-Security-Token=session-token&/);
    const put = await send(putUrl, 'PUT', { 'content-type': 'text/plain' }, 'hello from a presigned PUT');
    assert.equal(put.status, 200, put.body.toString());

    const getUrl = await s3.generatePresignedUrl('getObject', { Bucket, Key });
    const got = await send(getUrl, 'GET');
    assert.equal(got.status, 200, got.body.toString());
    assert.equal(got.body.toString('utf8'), 'hello from a presigned PUT');
    assert.equal(got.headers['content-type'], 'text/plain');

    // The object is the one the client sees too.
    const head = await s3.headObject({ Bucket, Key });
    assert.equal(head.ContentLength, 26);
  });

  it('carries query members of the operation (VersionId)', async () => {
    const Versioned = 'inia-presign-e2e-versions';
    await s3.createBucket({ Bucket: Versioned });
    await s3.putBucketVersioning({ Bucket: Versioned, VersioningConfiguration: { Status: 'Enabled' } });
    const first = await s3.putObject({ Bucket: Versioned, Key: 'report.csv', Body: 'first' });
    await s3.putObject({ Bucket: Versioned, Key: 'report.csv', Body: 'second' });
    const url = await s3.generatePresignedUrl('getObject', { Bucket: Versioned, Key: 'report.csv', VersionId: first.VersionId });
    assert.match(url, /\?versionId=[^&]+&X-Amz-Algorithm=/);
    const got = await send(url, 'GET');
    assert.equal(got.status, 200, got.body.toString());
    assert.equal(got.body.toString(), 'first');
    assert.equal(got.headers['x-amz-version-id'], first.VersionId);
  });

  it('uploads with a presigned POST (multipart/form-data built by hand) that GetObject then returns', async () => {
    const post = await s3.generatePresignedPost({
      Bucket,
      Key: 'uploads/${filename}',
      Fields: { 'Content-Type': 'image/png' },
      Conditions: [['starts-with', '$Content-Type', 'image/'], ['content-length-range', 1, 1024]],
      ExpiresIn: 300,
    });
    assert.equal(post.url, `${moto.url}/${Bucket}`);
    assert.equal(post.fields.key, 'uploads/${filename}');
    for (const name of ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-security-token', 'policy', 'x-amz-signature']) {
      assert.ok(post.fields[name], `field ${name}`);
    }
    const content = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const form = multipart(post.fields, { name: 'pixel.png', type: 'image/png', content });
    const res = await send(post.url, 'POST', { 'content-type': form.contentType, 'content-length': String(form.body.length) }, form.body);
    assert.ok(res.status === 204 || res.status === 200 || res.status === 201, `POST answered ${res.status}: ${res.body.toString()}`);

    const got = await s3.getObject({ Bucket, Key: 'uploads/pixel.png' });
    assert.deepEqual(Buffer.from(await (got.Body as StreamingBody).read()), content);
    assert.equal(got.ContentType, 'image/png');
  });
});
