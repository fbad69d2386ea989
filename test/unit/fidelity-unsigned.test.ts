/** Config({ signatureVersion: UNSIGNED }): anonymous requests, as botocore's signature_version=UNSIGNED. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Config, InvalidOptionError, Session, UNSIGNED } from 'inia';
import { captureBoth, pickHeaders, type CaptureCase } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

const AUTH_HEADERS = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

const CASES: CaptureCase[] = [
  { service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'public-data', Prefix: 'a b/' } },
  { service: 's3', operation: 'GetObject', params: { Bucket: 'public-data', Key: 'dir/file.txt' } },
  { service: 's3', operation: 'HeadObject', params: { Bucket: 'public-data', Key: 'k' } },
  { service: 'dynamodb', operation: 'ListTables', params: {} },
  { service: 'sqs', operation: 'ListQueues', params: {} },
].map((c) => ({ ...c, region: 'us-east-1', sessionToken: 'TOKEN', botocoreConfig: { signature_version: '$UNSIGNED' }, iniaConfig: { signatureVersion: UNSIGNED } }));

describe('Config signatureVersion UNSIGNED, against botocore', () => {
  it('sends no signature, date, token or payload hash, to the same URL', async () => {
    for (const { case: c, botocore, inia } of await captureBoth(CASES)) {
      assert.ok(botocore.request && inia.request, `${c.operation}: both sides sent a request`);
      assert.deepEqual(pickHeaders(inia.request, AUTH_HEADERS), pickHeaders(botocore.request, AUTH_HEADERS), c.operation);
      assert.equal(inia.request.headers.authorization, undefined, c.operation);
      assert.equal(inia.request.url, botocore.request.url, c.operation);
    }
  });

  it('needs no credentials anywhere', async () => {
    const s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', { region: 'us-east-1', config: new Config({ signatureVersion: UNSIGNED, retries: { totalMaxAttempts: 1 } }) });
    let sent: Record<string, string> | undefined;
    s3.meta.events.register('before-send', (args) => {
      sent = (args.request as { headers: Record<string, string> }).headers;
      return { statusCode: 200, headers: {}, body: new TextEncoder().encode('<ListBucketResult/>') };
    });
    await s3.listObjectsV2({ Bucket: 'public-data' });
    assert.equal(sent?.authorization, undefined);
    s3.destroy();
  });

  it('presigned URLs are the plain URL, as botocore', async () => {
    const want = pythonJson<string[]>(
      `
import botocore, botocore.session
from botocore.config import Config
s3 = botocore.session.get_session().create_client('s3', region_name='us-east-1', aws_access_key_id='A', aws_secret_access_key='B', config=Config(signature_version=botocore.UNSIGNED))
import json
print(json.dumps([s3.generate_presigned_url('get_object', Params={'Bucket': 'public-data', 'Key': 'a b/c'}), s3.generate_presigned_url('put_object', Params={'Bucket': 'public-data', 'Key': 'k'})]))
`,
      { what: 'botocore unsigned presign' },
    );
    const s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', { region: 'us-east-1', credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, config: new Config({ signatureVersion: UNSIGNED }) });
    const got = [await s3.generatePresignedUrl('getObject', { Bucket: 'public-data', Key: 'a b/c' }), await s3.generatePresignedUrl('putObject', { Bucket: 'public-data', Key: 'k' })];
    assert.deepEqual(got, want);
    s3.destroy();
  });

  it('refuses a signature version inia would not honour, naming the ones it does', () => {
    for (const bad of ['s3', 'v2', 'v4a', 'V4', '']) {
      assert.throws(() => new Config({ signatureVersion: bad }), (e: unknown) => e instanceof InvalidOptionError && /signatureVersion/.test(e.message) && /'v4', 's3v4' or UNSIGNED/.test(e.message), bad);
    }
    assert.throws(() => new Config({ signatureVersion: Symbol('UNSIGNED') as unknown as string }), InvalidOptionError);
    for (const ok of ['v4', 's3v4', UNSIGNED] as const) assert.doesNotThrow(() => new Config({ signatureVersion: ok }));
  });
});
