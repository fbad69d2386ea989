/**
 * S3 Express One Zone session auth against a loopback server playing a directory bucket:
 * CreateSession is signed with the client's credentials, the bucket's requests with the session
 * credentials (token in x-amz-s3session-token, no x-amz-security-token), once per bucket.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Session } from '../../src/index.js';
import { EMPTY_ENV } from '../helpers/env.js';

const BUCKET = 'mybucket--use1-az4--x-s3';
interface Seen {
  path: string;
  credential: string | undefined;
  sessionToken: string | undefined;
  securityToken: string | undefined;
}
const seen: Seen[] = [];
let server: Server;
let endpoint: string;

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    const auth = req.headers.authorization ?? '';
    seen.push({
      path: req.url ?? '',
      credential: /Credential=([^,]+),/.exec(auth)?.[1],
      sessionToken: req.headers['x-amz-s3session-token'] as string | undefined,
      securityToken: req.headers['x-amz-security-token'] as string | undefined,
    });
    if (req.url?.endsWith('?session')) {
      const expires = new Date(Date.now() + 5 * 60_000).toISOString();
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<CreateSessionResult><Credentials><SessionToken>express-token</SessionToken><SecretAccessKey>express-secret</SecretAccessKey><AccessKeyId>ASIAEXPRESS</AccessKeyId><Expiration>${expires}</Expiration></Credentials></CreateSessionResult>`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '2' });
    res.end('hi');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

describe('S3 Express session auth', () => {
  it('CreateSession once, then the session credentials sign the bucket requests', async () => {
    const s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', {
      region: 'us-east-1',
      endpointUrl: endpoint,
      credentials: { accessKeyId: 'AKIDBASE', secretAccessKey: 'base-secret', sessionToken: 'base-token' },
    });
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    await Promise.all([s3.getObject!({ Bucket: BUCKET, Key: 'a.txt' }), s3.getObject!({ Bucket: BUCKET, Key: 'b.txt' })]);
    await s3.getObject!({ Bucket: BUCKET, Key: 'c.txt' });
    const sessions = seen.filter((s) => s.path.endsWith('?session'));
    assert.equal(sessions.length, 1, 'one CreateSession for the bucket');
    assert.equal(sessions[0]!.credential, `AKIDBASE/${day}/us-east-1/s3express/aws4_request`);
    assert.equal(sessions[0]!.securityToken, 'base-token');
    const gets = seen.filter((s) => !s.path.endsWith('?session'));
    assert.equal(gets.length, 3);
    for (const g of gets) {
      assert.equal(g.credential, `ASIAEXPRESS/${day}/us-east-1/s3express/aws4_request`);
      assert.equal(g.sessionToken, 'express-token');
      assert.equal(g.securityToken, undefined);
    }
    s3.destroy();
  });
});
