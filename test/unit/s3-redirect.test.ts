/**
 * S3's region redirect (botocore's S3RegionRedirectorv2) against a loopback server that plays
 * a bucket living in eu-west-1: a request signed for another region gets S3's "wrong region"
 * answers; inia sends it once more for the bucket's region and remembers the region.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClientError, Session, type Client } from '../../src/index.js';
import { EMPTY_ENV } from '../helpers/env.js';

const BUCKET_REGION = 'eu-west-1';
let server: Server;
let endpoint: string;
/** The signing region of every request the server saw, in order. */
const scopes: string[] = [];
/** How the server answers a request signed for the wrong region. */
let wrongRegionAnswer: 'permanent-redirect' | 'auth-malformed' | 'always-301' | 'no-region' = 'permanent-redirect';

function scopeOf(req: IncomingMessage): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
}

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    const region = scopeOf(req);
    scopes.push(region);
    if (req.method === 'HEAD') {
      // HeadBucket: S3 tells the bucket's region whatever the signature's.
      res.writeHead(region === BUCKET_REGION ? 200 : 301, { 'x-amz-bucket-region': BUCKET_REGION });
      res.end();
      return;
    }
    if (region !== BUCKET_REGION || wrongRegionAnswer === 'always-301') {
      if (wrongRegionAnswer === 'no-region') {
        res.writeHead(301, { 'content-type': 'application/xml' });
        res.end('<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>');
      } else if (wrongRegionAnswer === 'auth-malformed') {
        res.writeHead(400, { 'content-type': 'application/xml' });
        res.end(`<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region '${region}' is wrong; expecting '${BUCKET_REGION}'</Message><Region>${BUCKET_REGION}</Region></Error>`);
      } else {
        res.writeHead(301, { 'content-type': 'application/xml', 'x-amz-bucket-region': BUCKET_REGION });
        res.end('<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>');
      }
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end('<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server?.close());

function s3(): Client {
  return new Session({ env: { ...EMPTY_ENV } }).client('s3', {
    region: 'us-east-1',
    endpointUrl: endpoint,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
  });
}

describe('S3 region redirect', () => {
  it('PermanentRedirect with x-amz-bucket-region: sent again for eu-west-1, then straight there', async () => {
    wrongRegionAnswer = 'permanent-redirect';
    const client = s3();
    scopes.length = 0;
    const out = await client.listObjectsV2!({ Bucket: 'my-bucket' });
    assert.equal(out.KeyCount, 0);
    assert.equal((out.ResponseMetadata as { RetryAttempts: number }).RetryAttempts, 1, 'the redirect counts as a retry, as in botocore');
    assert.deepEqual(scopes, ['us-east-1', BUCKET_REGION]);
    await client.listObjectsV2!({ Bucket: 'my-bucket' });
    assert.deepEqual(scopes, ['us-east-1', BUCKET_REGION, BUCKET_REGION], 'the region was remembered');
    // Another bucket starts from the client's region again.
    scopes.length = 0;
    await client.listObjectsV2!({ Bucket: 'other-bucket' });
    assert.deepEqual(scopes, ['us-east-1', BUCKET_REGION]);
    client.destroy();
  });

  it('AuthorizationHeaderMalformed carrying the Region', async () => {
    wrongRegionAnswer = 'auth-malformed';
    const client = s3();
    scopes.length = 0;
    await client.listObjectsV2!({ Bucket: 'my-bucket' });
    assert.deepEqual(scopes, ['us-east-1', BUCKET_REGION]);
    client.destroy();
  });

  it('an answer that names no region: the region comes from a HEAD of the bucket', async () => {
    wrongRegionAnswer = 'no-region';
    const client = s3();
    scopes.length = 0;
    await client.listObjectsV2!({ Bucket: 'my-bucket' });
    // The HEAD, answered 301 with the region, is itself redirected (as botocore's is).
    assert.deepEqual(scopes, ['us-east-1', 'us-east-1', BUCKET_REGION, BUCKET_REGION], 'the list, the HEAD twice, the list again');
    client.destroy();
  });

  it('redirects once per call: a second wrong-region answer is raised', async () => {
    wrongRegionAnswer = 'always-301';
    const client = s3();
    scopes.length = 0;
    await assert.rejects(client.listObjectsV2!({ Bucket: 'my-bucket' }), (e: unknown) => e instanceof ClientError && e.code === 'PermanentRedirect');
    assert.deepEqual(scopes, ['us-east-1', BUCKET_REGION]);
    client.destroy();
  });

  it('never for an access point ARN', async () => {
    wrongRegionAnswer = 'permanent-redirect';
    const client = new Session({ env: { ...EMPTY_ENV } }).client('s3', { region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' } });
    let sends = 0;
    client.meta.events.register('before-send', () => {
      sends++;
      return { statusCode: 301, headers: { 'x-amz-bucket-region': BUCKET_REGION }, body: new TextEncoder().encode('<Error><Code>PermanentRedirect</Code></Error>') };
    });
    await assert.rejects(client.listObjectsV2!({ Bucket: 'arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint' }), ClientError);
    assert.equal(sends, 1);
    client.destroy();
  });
});
