/**
 * S3 uploads over plain http are signed, as botocore signs every payload there
 * (S3SigV4Auth._should_sha256_sign_payload; httpchecksum puts the checksum in a header, the
 * trailer is for https only):
 *  - a body inia holds (bytes, a string) and a stream of unknown length (read first) go out
 *    byte for byte as botocore's: same headers, same Authorization, same body, at a fixed time;
 *  - a stream of known length (ContentLength, a FileHandle) goes as signed chunks
 *    (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or -TRAILER with the checksum trailer), checked
 *    against AWS's published example signatures, by an independent verifier written with
 *    botocore's signer, and on moto with signature checking on;
 *  - over https nothing changes (STREAMING-UNSIGNED-PAYLOAD-TRAILER, as botocore).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { Session, type Client } from 'inia';
import { SignedChunkEncoder, bufferUnsizedStream, signStreamingRequest } from '../../src/auth/sigv4-streaming.js';
import { SigningError, deriveSigningKey } from '../../src/auth/sigv4.js';
import { PreparedRequest } from '../../src/http/request.js';
import { loadChecksum } from '../../src/checksums/algorithms.js';
import type { HttpRequest } from '../../src/http/types.js';
import { TEST_CREDENTIALS, type CaptureResult } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { iamMotoForFile } from '../helpers/moto-iam.js';
import { repoRoot } from '../helpers/paths.js';
import { pythonJson } from '../helpers/python.js';

const FIXED = Date.UTC(2026, 0, 2, 3, 4, 5);
const ENDPOINT = 'http://127.0.0.1:9';

async function collect(stream: unknown): Promise<Buffer> {
  if (stream === undefined || stream === null) return Buffer.alloc(0);
  if (typeof stream === 'string' || stream instanceof Uint8Array) return Buffer.from(stream);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** One inia S3 call at the fixed time, answered by a before-send capture (nothing leaves the machine). */
async function iniaSends(operation: string, params: Record<string, unknown>, endpointUrl = ENDPOINT): Promise<Sent> {
  const realNow = Date.now;
  Date.now = () => FIXED;
  const s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', { region: 'us-east-1', endpointUrl, credentials: TEST_CREDENTIALS });
  let sent: Sent | undefined;
  s3.meta.events.register('before-send', async (args: Record<string, unknown>) => {
    const request = args.request as { method: string; url: string; headers: Record<string, string>; body: unknown };
    sent = { method: request.method, url: request.url, headers: { ...request.headers }, body: await collect(request.body) };
    return { statusCode: 200, headers: {}, body: new Uint8Array(0) };
  });
  try {
    await s3.makeApiCall(operation, params);
  } finally {
    Date.now = realNow;
    s3.destroy();
  }
  assert.ok(sent !== undefined);
  return sent;
}

/** botocore's side of the capture harness, its clock fixed at the same time. */
function botocoreSends(cases: Array<{ operation: string; params: Record<string, unknown> }>): CaptureResult[] {
  const script = readFileSync(join(repoRoot, 'test', 'helpers', 'botocore_capture.py'), 'utf8');
  const when = new Date(FIXED).toISOString().slice(0, 19);
  const patched = `import datetime, botocore.auth\nbotocore.auth.get_current_datetime = lambda remove_tzinfo=True: datetime.datetime.fromisoformat('${when}')\n${script}`;
  const input = cases.map((c) => ({ service: 's3', operation: c.operation, params: c.params, region: 'us-east-1', endpoint_url: ENDPOINT, response: { status: 200, headers: {}, body: '' } }));
  return pythonJson<CaptureResult[]>(patched, { what: 'botocore capture driver (fixed clock)', input: JSON.stringify(input) });
}

/** The headers both sides must agree on: all but the user agent and the per-call retry headers. */
function signedView(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k !== 'user-agent' && !k.startsWith('amz-sdk-')) out[k.toLowerCase()] = v;
  return out;
}

const AWS_EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const EXAMPLE_DATA = Buffer.alloc(66560, 'a');

describe('signed streaming uploads, AWS example signatures', () => {
  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD: the seed and every chunk signature of AWS\'s example', async () => {
    const request: HttpRequest = {
      method: 'PUT',
      protocol: 'http:',
      hostname: 's3.amazonaws.com',
      port: undefined,
      path: '/examplebucket/chunkObject.txt',
      query: '',
      headers: { host: 's3.amazonaws.com', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      body: Readable.from([EXAMPLE_DATA]),
    };
    const details = signStreamingRequest(request, AWS_EXAMPLE, { region: 'us-east-1', service: 's3', uriEscapePath: false, normalizePath: false, date: new Date('2013-05-24T00:00:00Z'), decodedLength: 66560 });
    assert.equal(details.signature, '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
    assert.equal(request.headers['content-length'], '66824');
    assert.equal(request.headers['x-amz-decoded-content-length'], '66560');
    assert.equal(request.headers['content-encoding'], 'aws-chunked');
    assert.equal(request.headers['x-amz-content-sha256'], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    const body = await collect(request.body);
    assert.equal(body.length, 66824);
    assert.deepEqual(body.toString('latin1').match(/[0-9a-f]+;chunk-signature=[0-9a-f]{64}\r\n/g), [
      '10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n',
      '400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n',
      '0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n',
    ]);
    assert.ok(body.subarray(body.length - 4).equals(Buffer.from('\r\n\r\n')));
  });

  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the chunk and trailer signatures of AWS\'s example, from its seed', async () => {
    await loadChecksum('crc32c');
    const encoder = new SignedChunkEncoder(
      { key: deriveSigningKey(AWS_EXAMPLE.secretAccessKey, '20130524', 'us-east-1', 's3'), timestamp: '20130524T000000Z', scope: '20130524/us-east-1/s3/aws4_request', seed: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e' },
      66560,
      { algorithm: 'crc32c', name: 'x-amz-checksum-crc32c' },
    );
    Readable.from([EXAMPLE_DATA.subarray(0, 1000), EXAMPLE_DATA.subarray(1000)]).pipe(encoder);
    const body = (await collect(encoder)).toString('latin1');
    assert.deepEqual(body.match(/[0-9a-f]+;chunk-signature=[0-9a-f]{64}\r\n/g), [
      '10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n',
      '400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n',
      '0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n',
    ]);
    assert.ok(body.endsWith('2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\nx-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n'));
  });

  it('a stream that delivers another length than announced fails instead of sending a malformed body', async () => {
    const encoder = new SignedChunkEncoder({ key: Buffer.alloc(32), timestamp: '20130524T000000Z', scope: 's', seed: '0'.repeat(64) }, 10);
    Readable.from([Buffer.alloc(4)]).pipe(encoder);
    await assert.rejects(collect(encoder), /delivered 4 bytes, but its length was given as 10/);
  });
});

describe('S3 uploads over plain http, against botocore (fixed clock)', () => {
  it('bytes and strings: the same headers, Authorization and body as botocore', async () => {
    const big = Buffer.alloc(300_000, 7);
    const cases = [
      { operation: 'PutObject', params: { Bucket: 'bucket', Key: 'k.txt', Body: 'hello over http' } },
      { operation: 'PutObject', params: { Bucket: 'bucket', Key: 'big.bin', Body: { $bytes: big.toString('base64') }, ChecksumAlgorithm: 'SHA256' } },
      { operation: 'UploadPart', params: { Bucket: 'bucket', Key: 'k', UploadId: 'u1', PartNumber: 2, Body: { $bytes: Buffer.from('part two').toString('base64') } } },
    ];
    const reference = botocoreSends(cases);
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const want = reference[i]!.request!;
      const params = { ...c.params, Body: typeof c.params.Body === 'string' ? c.params.Body : Buffer.from((c.params.Body as { $bytes: string }).$bytes, 'base64') };
      const got = await iniaSends(c.operation, params);
      assert.equal(got.url, want.url, c.operation);
      assert.deepEqual(signedView(got.headers), signedView(want.headers), c.operation);
      assert.equal(got.body.toString('base64'), want.body, c.operation);
      assert.match(got.headers['x-amz-content-sha256']!, /^[0-9a-f]{64}$/);
    }
  });

  it('a stream of unknown length: read first, then sent exactly as botocore sends the same bytes', async () => {
    const bytes = Buffer.from('a stream without a length');
    const [want] = botocoreSends([{ operation: 'PutObject', params: { Bucket: 'bucket', Key: 's', Body: { $bytes: bytes.toString('base64') } } }]);
    const got = await iniaSends('PutObject', { Bucket: 'bucket', Key: 's', Body: Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]) });
    // Expect: 100-continue included: the stream is file-like even once inia has read it to bytes.
    assert.deepEqual(signedView(got.headers), signedView(want!.request!.headers));
    assert.equal(got.body.toString('base64'), want!.request!.body);
  });
});

/** Checks a captured signed-chunk upload with botocore's signer and Python's hashlib/hmac/zlib, not inia's code. */
const VERIFY = `
import json, sys, hashlib, hmac, base64, zlib
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
case = json.load(sys.stdin)
h = case['headers']
body = base64.b64decode(case['body'])
signed = h['authorization'].split('SignedHeaders=')[1].split(',')[0].split(';')
request = AWSRequest(method=case['method'], url=case['url'], headers={k: v for k, v in h.items() if k in signed})
request.context['timestamp'] = h['x-amz-date']
auth = S3SigV4Auth(Credentials(case['accessKeyId'], case['secretAccessKey']), 's3', 'us-east-1')
canonical = auth.canonical_request(request)
seed = auth.signature(auth.string_to_sign(request, canonical), request)
ok = {'seed': seed == h['authorization'].split('Signature=')[1]}
date, scope = h['x-amz-date'], h['x-amz-date'][:8] + '/us-east-1/s3/aws4_request'
key = ('AWS4' + case['secretAccessKey']).encode()
for part in (h['x-amz-date'][:8], 'us-east-1', 's3', 'aws4_request'):
    key = hmac.new(key, part.encode(), hashlib.sha256).digest()
sign = lambda text: hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
empty = hashlib.sha256(b'').hexdigest()
previous, pos, data, chunks, chain = seed, 0, b'', 0, True
while True:
    end = body.index(b'\\r\\n', pos)
    size_text, sig = body[pos:end].decode().split(';chunk-signature=')
    size = int(size_text, 16)
    chunk = body[end + 2:end + 2 + size]
    expected = sign('\\n'.join(['AWS4-HMAC-SHA256-PAYLOAD', date, scope, previous, empty, hashlib.sha256(chunk).hexdigest()]))
    chain = chain and expected == sig
    previous = sig
    chunks += 1
    data += chunk
    pos = end + 2 + size
    if size == 0:
        break
    assert body[pos:pos + 2] == b'\\r\\n'
    pos += 2
rest = body[pos:].decode()
trailer = None
if 'x-amz-trailer' in h:
    lines = rest.split('\\r\\n')
    name, value = lines[0].split(':', 1)
    tsig = lines[1].split('x-amz-trailer-signature:')[1]
    expected = sign('\\n'.join(['AWS4-HMAC-SHA256-TRAILER', date, scope, previous, hashlib.sha256((name + ':' + value + '\\n').encode()).hexdigest()]))
    trailer = {'name': name, 'signed': expected == tsig, 'value': value, 'crc32': base64.b64encode(zlib.crc32(data).to_bytes(4, 'big')).decode(), 'end': lines[2:] == ['', '']}
else:
    trailer = {'end': rest == '\\r\\n'}
ok.update({'chain': chain, 'chunks': chunks, 'data': base64.b64encode(data).decode(), 'trailer': trailer,
           'length': len(body) == int(h['content-length']), 'decoded': len(data) == int(h['x-amz-decoded-content-length'])})
print(json.dumps(ok))
`;

interface Verified {
  seed: boolean;
  chain: boolean;
  chunks: number;
  data: string;
  length: boolean;
  decoded: boolean;
  trailer: { name?: string; signed?: boolean; value?: string; crc32?: string; end: boolean };
}

function verify(sent: Sent): Verified {
  return pythonJson<Verified>(VERIFY, {
    what: 'signed-chunk verifier',
    input: JSON.stringify({ method: sent.method, url: sent.url, headers: sent.headers, body: sent.body.toString('base64'), ...TEST_CREDENTIALS }),
  });
}

describe('S3 streams of known length over plain http: signed chunks', () => {
  it('PutObject with ContentLength and the default CRC32: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, every signature right', async () => {
    const data = Buffer.alloc(150_000, 'z');
    const sent = await iniaSends('PutObject', { Bucket: 'bucket', Key: 'stream.bin', ContentLength: data.length, Body: Readable.from([data.subarray(0, 7000), data.subarray(7000)]) });
    assert.equal(sent.headers['x-amz-content-sha256'], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER');
    assert.equal(sent.headers['x-amz-trailer'], 'x-amz-checksum-crc32');
    assert.equal(sent.headers['content-encoding'], 'aws-chunked');
    assert.equal(sent.headers['transfer-encoding'], undefined);
    const v = verify(sent);
    assert.deepEqual({ seed: v.seed, chain: v.chain, chunks: v.chunks, length: v.length, decoded: v.decoded }, { seed: true, chain: true, chunks: 4, length: true, decoded: true });
    assert.equal(v.data, data.toString('base64'));
    assert.deepEqual(v.trailer, { name: 'x-amz-checksum-crc32', signed: true, value: v.trailer.crc32, crc32: v.trailer.crc32, end: true });
  });

  it('UploadPart from a FileHandle: signed chunks with the trailer; without a checksum (when_required): STREAMING-AWS4-HMAC-SHA256-PAYLOAD', async () => {
    const path = join(tmpdir(), `inia-fidelity-streaming-${process.pid}.bin`);
    const data = Buffer.alloc(70_000, 'q');
    await writeFile(path, data);
    const handle = await open(path, 'r');
    try {
      const sent = await iniaSends('UploadPart', { Bucket: 'bucket', Key: 'k', UploadId: 'u', PartNumber: 1, Body: handle });
      assert.equal(sent.headers['x-amz-content-sha256'], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER');
      const v = verify(sent);
      assert.ok(v.seed && v.chain && v.length && v.decoded && v.trailer.signed === true && v.trailer.value === v.trailer.crc32, JSON.stringify(v));
      assert.equal(v.data, data.toString('base64'));
    } finally {
      await handle.close();
      await rm(path, { force: true });
    }
    const realNow = Date.now;
    Date.now = () => FIXED;
    const s3 = new Session({ env: { ...EMPTY_ENV, AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required' } }).client('s3', { region: 'us-east-1', endpointUrl: ENDPOINT, credentials: TEST_CREDENTIALS });
    let sent: Sent | undefined;
    s3.meta.events.register('before-send', async (args: Record<string, unknown>) => {
      const r = args.request as { method: string; url: string; headers: Record<string, string>; body: unknown };
      sent = { method: r.method, url: r.url, headers: { ...r.headers }, body: await collect(r.body) };
      return { statusCode: 200, headers: {}, body: new Uint8Array(0) };
    });
    try {
      await s3.putObject({ Bucket: 'bucket', Key: 'plain', ContentLength: 5, Body: Readable.from([Buffer.from('plain')]) });
    } finally {
      Date.now = realNow;
      s3.destroy();
    }
    assert.equal(sent!.headers['x-amz-content-sha256'], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    assert.equal(sent!.headers['x-amz-trailer'], undefined);
    const v = verify(sent!);
    assert.deepEqual({ seed: v.seed, chain: v.chain, chunks: v.chunks, length: v.length, decoded: v.decoded, end: v.trailer.end }, { seed: true, chain: true, chunks: 2, length: true, decoded: true, end: true });
    assert.equal(Buffer.from(v.data, 'base64').toString(), 'plain');
  });

  it('over https a stream is unchanged: STREAMING-UNSIGNED-PAYLOAD-TRAILER, unsigned aws-chunked', async () => {
    const sent = await iniaSends('PutObject', { Bucket: 'bucket', Key: 'k', ContentLength: 3, Body: Readable.from([Buffer.from('abc')]) }, 'https://127.0.0.1:9');
    assert.equal(sent.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    assert.match(sent.body.toString(), /^3\r\nabc\r\n0\r\nx-amz-checksum-crc32:[A-Za-z0-9+/=]+\r\n\r\n$/);
  });
});

// moto with signature checking on (the first calls issue the key; from then on every request is verified).
const moto = iamMotoForFile(Session);

describe('S3 stream uploads over http on moto with signature checking', () => {
  it('signed chunks (with and without a trailer), a FileHandle and an unsized stream are accepted and stored exactly; a wrong secret is refused', async () => {
    const s3 = moto.client('s3');
    const Bucket = 'inia-streaming';
    await s3.createBucket({ Bucket });
    const big = Buffer.alloc(200_000, 'm');
    await s3.putObject({ Bucket, Key: 'sized', ContentLength: big.length, Body: Readable.from([big]) });
    await s3.putObject({ Bucket, Key: 'unsized', Body: Readable.from([Buffer.from('no length')]) });
    const path = join(tmpdir(), `inia-fidelity-streaming-moto-${process.pid}.txt`);
    await writeFile(path, 'from a file handle');
    const handle = await open(path, 'r');
    try {
      await s3.putObject({ Bucket, Key: 'file', Body: handle });
    } finally {
      await handle.close();
      await rm(path, { force: true });
    }
    const { UploadId } = (await s3.createMultipartUpload({ Bucket, Key: 'multi' })) as { UploadId: string };
    const part = Buffer.alloc(5 * 1024 * 1024, 'p');
    const uploaded = (await s3.uploadPart({ Bucket, Key: 'multi', UploadId, PartNumber: 1, ContentLength: part.length, Body: Readable.from([part]) })) as { ETag: string };
    await s3.completeMultipartUpload({ Bucket, Key: 'multi', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: uploaded.ETag }] } });
    const read = async (Key: string): Promise<Buffer> => Buffer.from(await ((await s3.getObject({ Bucket, Key })) as { Body: { read(): Promise<Uint8Array> } }).Body.read());
    assert.ok((await read('sized')).equals(big));
    assert.equal((await read('unsized')).toString(), 'no length');
    assert.equal((await read('file')).toString(), 'from a file handle');
    assert.ok((await read('multi')).equals(part));

    const plain = new Session({ env: { ...EMPTY_ENV, AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required' } }).client('s3', { region: 'us-east-1', endpointUrl: moto.url, credentials: { accessKeyId: moto.key.accessKeyId, secretAccessKey: moto.key.secretAccessKey } });
    let hash = '';
    plain.meta.events.register('before-send', (args: Record<string, unknown>) => {
      hash = (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] ?? '';
    });
    await plain.putObject({ Bucket, Key: 'no-trailer', ContentLength: 4, Body: Readable.from([Buffer.from('four')]) });
    assert.equal(hash, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    assert.equal((await read('no-trailer')).toString(), 'four');
    plain.destroy();

    const wrong: Client = moto.client('s3', { secretAccessKey: `${moto.key.secretAccessKey}x` });
    await assert.rejects(wrong.putObject({ Bucket, Key: 'refused', ContentLength: 3, Body: Readable.from([Buffer.from('bad')]) }), /SignatureDoesNotMatch/);
  });
});

describe('a stream of unknown length over plain http is read into memory only up to a bound', () => {
  const request = (chunks: string[]): PreparedRequest => new PreparedRequest('PUT', 'http:', '127.0.0.1', 9, '/b/k', '', {}, Readable.from(chunks.map((c) => Buffer.from(c))));

  it('reads a stream within the bound and gives it its length', async () => {
    const r = request(['0123', '456789']);
    assert.equal(await bufferUnsizedStream(r, 10), true);
    assert.equal(Buffer.from(r.body as Uint8Array).toString(), '0123456789');
    assert.equal(r.headers['content-length'], '10');
  });

  it('refuses a larger one with a SigningError that names the ways out, and stops reading it', async () => {
    const r = request(['0123', '4567', '89', 'A', 'never read']);
    const stream = r.body as Readable;
    await assert.rejects(bufferUnsizedStream(r, 10), (e: unknown) => e instanceof SigningError && /larger than 10 bytes/.test(e.message) && /ContentLength/.test(e.message) && /https/.test(e.message));
    assert.equal(stream.destroyed, true);
  });

  it('leaves https, sized streams and buffered bodies alone', async () => {
    const https = new PreparedRequest('PUT', 'https:', 'h', undefined, '/', '', {}, Readable.from([Buffer.from('x')]));
    assert.equal(await bufferUnsizedStream(https, 0), false);
    const sized = new PreparedRequest('PUT', 'http:', 'h', undefined, '/', '', { 'content-length': '1' }, Readable.from([Buffer.from('x')]));
    assert.equal(await bufferUnsizedStream(sized, 0), false);
    assert.equal(await bufferUnsizedStream(new PreparedRequest('PUT', 'http:', 'h', undefined, '/', '', {}, new Uint8Array(5)), 0), false);
  });
});
