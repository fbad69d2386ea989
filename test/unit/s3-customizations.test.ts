/** S3's 200-with-an-error-inside answers, raised as errors as botocore does. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ClientError, Session, type Client } from 'inia';

// Failed calls here are retried as the default (legacy) mode says; pinning the jitter to 0
// keeps those retries from sleeping (the retry behaviour itself is tested in retries*.test.ts).
Math.random = () => 0;

let server: Server;
let body = '';
let s3: Client;

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': 'R1', 'x-amz-id-2': 'H1' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  s3 = new Session({ env: {} }).client('s3', { region: 'us-east-1', endpointUrl: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});

after(async () => {
  s3.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('s3 customizations', () => {
  it('raises an <Error> body that came with status 200', async () => {
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>';
    await assert.rejects(s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: 'src/k' }), (err: unknown) => {
      assert.ok(err instanceof ClientError);
      assert.equal(err.code, 'InternalError');
      assert.equal(err.response.ResponseMetadata.HTTPStatusCode, 500);
      return true;
    });
  });

  it('treats a truncated 200 body as an error, never as a result', async () => {
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><ETag>"abc"</ETag><LastMod';
    await assert.rejects(s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: 'src/k' }), ClientError);
  });

  it('returns a complete 200 result', async () => {
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><ETag>"abc"</ETag><LastModified>2020-01-02T03:04:05.000Z</LastModified></CopyObjectResult>';
    const out = await s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: 'src/k' });
    assert.deepEqual(out.CopyObjectResult, { ETag: '"abc"', LastModified: new Date('2020-01-02T03:04:05.000Z') });
    assert.equal((out.ResponseMetadata as { HostId: string }).HostId, 'H1');
  });
});

describe('S3 listing keys: EncodingType=url and decoding (botocore set_list_objects_encoding_type_url)', () => {
  it('unquote reads as Python urllib.parse.unquote', async () => {
    const { unquote } = await import('../../src/customizations/python-quoting.js');
    const cases: Array<[string, string]> = [
      ['a%20b', 'a b'],
      ['%E6%97%A5', '\u65e5'],
      ['bad%ZZ', 'bad%ZZ'],
      ['%C3', '\ufffd'],
      ['a+b%2Bc', 'a+b+c'],
      ['%e2%82%ac%80', '\u20ac\ufffd'],
      // A leading BOM is kept, as Python's decode keeps it.
      ['%EF%BB%BFa', '\ufeffa'],
    ];
    for (const [input, expected] of cases) assert.equal(unquote(input), expected, input);
  });
});
