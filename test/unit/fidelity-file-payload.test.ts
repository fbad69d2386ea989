/**
 * A file as a non-S3 blob payload (Lambda Invoke's Payload as a FileHandle): botocore reads a
 * seekable body to hash it for SigV4 and seeks back; inia hashes the file by position. Compared
 * with botocore at a fixed signing time: the same Authorization and the same body.
 */
import assert from 'node:assert/strict';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Config, Session } from '../../src/index.js';
import { clientContext } from '../../src/client.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

const FIXED = '2024-05-17T12:34:56Z';
const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const ENDPOINTS = ['http://127.0.0.1:9', undefined];
let dir: string;
const files: Record<string, string> = {};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inia-file-payload-'));
  const contents: Record<string, Buffer> = { empty: Buffer.alloc(0), small: Buffer.from('{"order": 42}'), big: Buffer.alloc(3 * 1024 * 1024 + 7, 'x') };
  for (const [name, data] of Object.entries(contents)) {
    files[name] = join(dir, `${name}.json`);
    await writeFile(files[name]!, data);
  }
});
after(() => rm(dir, { recursive: true, force: true }));

const REFERENCE = `
import base64, datetime, json, sys
from unittest import mock
import botocore.session
from botocore.awsrequest import AWSResponse
spec = json.load(sys.stdin)
fixed = datetime.datetime.fromisoformat(spec['fixed'].replace('Z', '+00:00')).replace(tzinfo=None)
out = []
with mock.patch('botocore.auth.get_current_datetime', return_value=fixed):
    for case in spec['cases']:
        kwargs = {'region_name': 'us-east-1', 'aws_access_key_id': spec['key'], 'aws_secret_access_key': spec['secret']}
        if case['endpoint']:
            kwargs['endpoint_url'] = case['endpoint']
        client = botocore.session.get_session().create_client('lambda', **kwargs)
        seen = {}
        class Raw:
            def stream(self, *a, **k):
                yield b''
        def send(request, **_):
            body = request.body
            data = body.read() if hasattr(body, 'read') else (body or b'')
            auth = request.headers['Authorization']
            seen['authorization'] = auth.decode() if isinstance(auth, bytes) else auth
            seen['body'] = base64.b64encode(data).decode()
            return AWSResponse(request.url, 200, {}, Raw())
        client.meta.events.register('before-send', send)
        with open(case['file'], 'rb') as f:
            client.invoke(FunctionName='f', Payload=f)
        out.append(seen)
json.dump(out, sys.stdout)
`;

describe('a FileHandle as a non-S3 blob payload, against botocore', () => {
  it('is hashed from the file and signed as botocore signs it, over http and https', async () => {
    const cases = ENDPOINTS.flatMap((endpoint) => Object.keys(files).map((name) => ({ endpoint: endpoint ?? null, name, file: files[name]! })));
    const want = pythonJson<Array<{ authorization: string; body: string }>>(REFERENCE, {
      what: 'botocore Lambda Invoke with a file payload',
      input: JSON.stringify({ fixed: FIXED, key: KEY.accessKeyId, secret: KEY.secretAccessKey, cases }),
    });
    for (const [i, c] of cases.entries()) {
      const lambda = new Session({ env: { ...EMPTY_ENV } }).client('lambda', {
        region: 'us-east-1',
        credentials: KEY,
        config: new Config({ retries: { totalMaxAttempts: 1 } }),
        ...(c.endpoint !== null ? { endpointUrl: c.endpoint } : {}),
      });
      // Sign at the fixed time (the clock's offset makes the client ask it).
      Object.assign(clientContext(lambda).signingClock, { offsetMs: 1, now: () => new Date(FIXED) });
      let seen: { authorization?: string; body?: string } = {};
      lambda.meta.events.register('before-send', async (args) => {
        const request = args.request as { headers: Record<string, string>; body: unknown };
        const chunks: Buffer[] = [];
        if (request.body instanceof Readable) for await (const chunk of request.body) chunks.push(Buffer.from(chunk as Uint8Array));
        seen = { authorization: request.headers.authorization, body: Buffer.concat(chunks).toString('base64') };
        return { statusCode: 200, headers: {}, body: new Uint8Array() };
      });
      const handle = await open(c.file);
      try {
        await lambda.invoke({ FunctionName: 'f', Payload: handle });
      } finally {
        await handle.close();
        lambda.destroy();
      }
      assert.equal(seen.authorization, want[i]!.authorization, `${c.name} over ${c.endpoint ?? 'https'}`);
      assert.equal(seen.body, want[i]!.body, `${c.name}: the whole file is sent`);
    }
  });
});
