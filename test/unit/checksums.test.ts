/** Flexible checksums (src/checksums): algorithms, aws-chunked encoding, request and response handling. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  AwsChunkedEncoder,
  AwsChunkedLengthError,
  ChecksumValidatingStream,
  FLEXIBLE_CHECKSUM_ALGORITHMS,
  applyRequestChecksum,
  awsChunkedLength,
  checksumContext,
  checksumPayloadHash,
  computeBase64Checksum,
  computeChecksum,
  loadChecksum,
  newChecksum,
  encodeAwsChunked,
  handleResponseChecksum,
  prepareChecksumParams,
  resolveRequestChecksum,
  type ChecksumAlgorithmName,
} from '../../src/checksums/index.js';
import { Config } from '../../src/config.js';
import { FlexibleChecksumError } from '../../src/errors.js';
import { resolveRequestBody } from '../../src/http/body.js';
import type { HttpRequest } from '../../src/http/types.js';
import { ServiceModel, type ServiceDescription } from '../../src/models/shapes.js';
import type { RawResponse } from '../../src/protocols/types.js';

const ALL: ChecksumAlgorithmName[] = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256', 'sha512', 'md5'];

/** Check values of "123456789" (the CRC catalogue's, and the hashes' well-known digests). */
const CHECK: Record<ChecksumAlgorithmName, string> = {
  crc32: 'cbf43926',
  crc32c: 'e3069283',
  crc64nvme: 'ae8b14860a799888',
  sha1: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441',
  sha256: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225',
  sha512: 'd9e6762dd1c8eaf6d61b3c6192fc408d4d6d5f1176d0c29169bc24e71c3f274ad27fcd5811b313d681f7e55ec02d73d499c95455b6b5bb503acf574fba8ffe85',
  md5: '25f9e794323b453885f5181f1b624d0b',
};

const EMPTY_B64: Record<ChecksumAlgorithmName, string> = {
  crc32: 'AAAAAA==',
  crc32c: 'AAAAAA==',
  crc64nvme: 'AAAAAAAAAAA=',
  sha1: '2jmj7l5rSw0yVb/vlWAYkK/YBwk=',
  sha256: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  sha512: 'z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
  md5: '1B2M2Y8AsgTpgAmY7PhCfg==',
};

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('algorithms', () => {
  for (const algorithm of ALL) {
    it(`${algorithm}: check value and empty input`, async () => {
      assert.equal(Buffer.from(await computeChecksum(algorithm, '123456789')).toString('hex'), CHECK[algorithm]);
      assert.equal(await computeBase64Checksum(algorithm, new Uint8Array(0)), EMPTY_B64[algorithm]);
    });

    it(`${algorithm}: incremental equals one-shot`, async () => {
      const data = randomBytes(100_003);
      const whole = await computeChecksum(algorithm, data);
      // Bounded: 20 random splittings of the same bytes.
      for (let round = 0; round < 20; round++) {
        const checksum = await newChecksum(algorithm);
        let offset = 0;
        for (let pieces = 0; offset < data.length && pieces < 1000; pieces++) {
          const size = Math.min(data.length - offset, 1 + Math.floor(Math.random() * 9000));
          checksum.update(data.subarray(offset, offset + size));
          offset += size;
        }
        checksum.update(data.subarray(offset));
        assert.deepEqual(Buffer.from(await checksum.digest()), Buffer.from(whole));
      }
    });
  }

  it('flexible checksums use every algorithm but md5', () => {
    assert.deepEqual([...FLEXIBLE_CHECKSUM_ALGORITHMS].sort(), ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256', 'sha512']);
  });
});

describe('aws-chunked encoding', () => {
  it('encodes byte for byte as botocore (hello world, 4-byte chunks)', async () => {
    const encoded = await encodeAwsChunked(Buffer.from('hello world'), 'crc32', 'x-amz-checksum-crc32', 4);
    assert.equal(Buffer.from(encoded).toString('latin1'), '4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
  });

  it('encodes an empty body as the last chunk and the trailer', async () => {
    const encoded = await encodeAwsChunked(new Uint8Array(0), 'sha256', 'x-amz-checksum-sha256');
    assert.equal(Buffer.from(encoded).toString('latin1'), `0\r\nx-amz-checksum-sha256:${EMPTY_B64.sha256}\r\n\r\n`);
  });

  it('awsChunkedLength predicts the encoded length', async () => {
    for (const algorithm of FLEXIBLE_CHECKSUM_ALGORITHMS) {
      for (const size of [0, 1, 15, 16, 17, 33, 100]) {
        const encoded = await encodeAwsChunked(randomBytes(size), algorithm, `x-amz-checksum-${algorithm}`, 16);
        assert.equal(awsChunkedLength(size, algorithm, `x-amz-checksum-${algorithm}`, 16), encoded.byteLength, `${algorithm} ${size}`);
      }
    }
  });

  it('a stream of known length encodes as the buffered body does, however it is cut', async () => {
    const data = randomBytes(5000);
    const want = Buffer.from(await encodeAwsChunked(data, 'crc32c', 'x-amz-checksum-crc32c', 1024));
    const pieces: Buffer[] = [];
    for (let offset = 0, i = 0; offset < data.length; i++) {
      const size = [1, 700, 1500, 3, 2048][i % 5]!;
      pieces.push(data.subarray(offset, offset + size));
      offset += size;
    }
    await loadChecksum('crc32c');
    const encoder = new AwsChunkedEncoder('crc32c', 'x-amz-checksum-crc32c', data.length, 1024);
    Readable.from(pieces).pipe(encoder);
    assert.ok((await collect(encoder)).equals(want));
  });

  it('a stream of unknown length gets one chunk per piece', async () => {
    const encoder = new AwsChunkedEncoder('crc32', 'x-amz-checksum-crc32');
    Readable.from([Buffer.from('hello '), Buffer.alloc(0), Buffer.from('world')]).pipe(encoder);
    assert.equal((await collect(encoder)).toString('latin1'), '6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
  });

  it('a stream that lies about its length fails', async () => {
    for (const [given, pieces] of [[4, ['hello']], [10, ['hello']]] as const) {
      const encoder = new AwsChunkedEncoder('crc32', 'x-amz-checksum-crc32', given);
      Readable.from(pieces.map((p) => Buffer.from(p))).pipe(encoder);
      await assert.rejects(collect(encoder), AwsChunkedLengthError);
    }
  });
});

// ---------------------------------------------------------------- request side

function testModel(): ServiceModel {
  const description: ServiceDescription = {
    metadata: { apiVersion: '2020-01-01', endpointPrefix: 'svc', protocol: 'rest-xml', serviceId: 'Svc' },
    operations: {
      Upload: {
        name: 'Upload',
        http: { method: 'PUT', requestUri: '/{Key}' },
        input: { shape: 'UploadInput' },
        httpChecksum: { requestAlgorithmMember: 'ChecksumAlgorithm', requestChecksumRequired: false },
      },
      Required: { name: 'Required', http: { method: 'POST', requestUri: '/' }, input: { shape: 'RequiredInput' }, httpChecksumRequired: true },
      Download: {
        name: 'Download',
        http: { method: 'GET', requestUri: '/{Key}' },
        input: { shape: 'DownloadInput' },
        output: { shape: 'DownloadOutput' },
        httpChecksum: { requestValidationModeMember: 'ChecksumMode', responseAlgorithms: ['CRC32', 'SHA256', 'CRC64NVME', 'XXHASH64'] },
      },
    },
    shapes: {
      UploadInput: {
        type: 'structure',
        required: ['Key'],
        payload: 'Body',
        members: {
          Key: { shape: 'S', location: 'uri', locationName: 'Key' },
          Body: { shape: 'Blob', streaming: true },
          ChecksumAlgorithm: { shape: 'S', location: 'header', locationName: 'x-amz-sdk-checksum-algorithm' },
          ChecksumCRC32: { shape: 'S', location: 'header', locationName: 'x-amz-checksum-crc32' },
        },
      },
      RequiredInput: { type: 'structure', payload: 'Data', members: { Data: { shape: 'S' } } },
      DownloadInput: {
        type: 'structure',
        members: { Key: { shape: 'S', location: 'uri', locationName: 'Key' }, ChecksumMode: { shape: 'S', location: 'header', locationName: 'x-amz-checksum-mode' } },
      },
      DownloadOutput: { type: 'structure', payload: 'Body', members: { Body: { shape: 'Blob', streaming: true } } },
      S: { type: 'string' },
      Blob: { type: 'blob' },
    },
  };
  return new ServiceModel(description, 'svc');
}

const model = testModel();

function request(protocol: 'http:' | 'https:', body: HttpRequest['body'], headers: Record<string, string> = {}): HttpRequest {
  return { method: 'PUT', protocol, hostname: '127.0.0.1', port: 1, path: '/k', query: '', headers, body };
}

async function prepared(op: string, params: Record<string, unknown>, req: HttpRequest, config?: Config): Promise<Record<string, unknown>> {
  const context: Record<string, unknown> = {};
  resolveRequestChecksum(req, model.operationModel(op), params, config, context);
  await resolveRequestBody(req);
  await applyRequestChecksum(req, context);
  return context;
}

describe('request checksums', () => {
  it('a buffered body over http gets a header, and the default algorithm header', async () => {
    const req = request('http:', 'hello');
    const context = await prepared('Upload', { Key: 'k', Body: 'hello' }, req);
    assert.equal(req.headers['x-amz-checksum-crc32'], 'NhCmhg==');
    assert.equal(req.headers['x-amz-sdk-checksum-algorithm'], 'CRC32');
    assert.equal(req.body, 'hello');
    assert.equal(checksumPayloadHash(context), undefined);
  });

  it('an upload over https goes aws-chunked with a trailer, and again the same on a retry', async () => {
    const req = request('https:', 'hello', { 'content-length': '5', 'content-encoding': 'gzip' });
    const context = await prepared('Upload', { Key: 'k', Body: 'hello', ChecksumAlgorithm: 'SHA256' }, req);
    const want = await encodeAwsChunked(Buffer.from('hello'), 'sha256', 'x-amz-checksum-sha256');
    const headers = {
      'content-encoding': 'gzip,aws-chunked',
      'x-amz-trailer': 'x-amz-checksum-sha256',
      'x-amz-decoded-content-length': '5',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-length': String(want.byteLength),
    };
    assert.deepEqual(req.headers, headers);
    assert.deepEqual(Buffer.from(req.body as Uint8Array), Buffer.from(want));
    assert.equal(checksumPayloadHash(context), 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    // A retry resets the body to the original: only the body is encoded again.
    req.body = 'hello';
    await applyRequestChecksum(req, context);
    assert.deepEqual(req.headers, headers);
    // The cast undoes TypeScript's narrowing to the string assigned above.
    const resent = req.body as HttpRequest['body'];
    assert.ok(resent instanceof Uint8Array);
    assert.deepEqual(Buffer.from(resent), Buffer.from(want));
  });

  it('a one-shot stream goes with a trailer even over http, never buffered', async () => {
    const source = new PassThrough();
    const req = request('http:', source);
    await prepared('Upload', { Key: 'k' }, req);
    assert.equal(req.headers['transfer-encoding'], 'chunked');
    assert.equal(req.headers['x-amz-decoded-content-length'], undefined);
    assert.ok(req.body instanceof Readable && req.body !== source);
    source.end('hello world');
    assert.equal((await collect(req.body)).toString('latin1'), 'b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
  });

  it('a file handle gets a Content-Length of the encoded size', async () => {
    const path = join(tmpdir(), `inia-checksums-${process.pid}-${Date.now()}.bin`);
    const data = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(path, data);
    const handle = await open(path, 'r');
    try {
      const req = request('https:', handle);
      await prepared('Upload', { Key: 'k' }, req);
      assert.equal(req.headers['x-amz-decoded-content-length'], String(data.length));
      const sent = await collect(req.body as Readable);
      assert.equal(req.headers['content-length'], String(sent.length));
      assert.ok(sent.equals(Buffer.from(await encodeAwsChunked(data, 'crc32', 'x-amz-checksum-crc32'))));
    } finally {
      await handle.close();
      await rm(path, { force: true });
    }
  });

  it('a source stream error reaches the encoded body', async () => {
    const source = new PassThrough();
    const req = request('https:', source);
    await prepared('Upload', { Key: 'k' }, req);
    const reading = collect(req.body as Readable);
    source.destroy(new Error('disk on fire'));
    await assert.rejects(reading, /disk on fire/);
  });

  it('the user’s own checksum header means none is computed', async () => {
    const req = request('https:', 'hello', { 'x-amz-checksum-crc32': 'user' });
    const context = await prepared('Upload', { Key: 'k', ChecksumCRC32: 'user' }, req);
    assert.deepEqual(req.headers, { 'x-amz-checksum-crc32': 'user' });
    assert.equal(req.body, 'hello');
    assert.equal(checksumContext(context), undefined);
  });

  it('when_required: an optional checksum is not computed; a required one is', async () => {
    const config = new Config({ requestChecksumCalculation: 'when_required' });
    const upload = request('https:', 'hello');
    await prepared('Upload', { Key: 'k' }, upload, config);
    assert.deepEqual(upload.headers, {});
    const required = request('http:', 'data');
    await prepared('Required', { Data: 'data' }, required, config);
    assert.deepEqual(required.headers, { 'x-amz-checksum-crc32': await computeBase64Checksum('crc32', 'data') });
  });

  it('an algorithm inia lacks is a FlexibleChecksumError, as botocore', () => {
    const context: Record<string, unknown> = {};
    assert.throws(() => resolveRequestChecksum(request('https:', 'x'), model.operationModel('Upload'), { ChecksumAlgorithm: 'MD5' }, undefined, context), {
      name: 'FlexibleChecksumError',
      message: 'Unsupported checksum algorithm: md5',
    });
    assert.throws(() => resolveRequestChecksum(request('https:', 'x'), model.operationModel('Upload'), { ChecksumAlgorithm: 'XXHASH64' }, undefined, context), FlexibleChecksumError);
  });

  it('a presigned request gets no default checksum', async () => {
    const context: Record<string, unknown> = { isPresignRequest: true };
    resolveRequestChecksum(request('https:', 'x'), model.operationModel('Upload'), {}, undefined, context);
    assert.equal(checksumContext(context), undefined);
  });
});

// ---------------------------------------------------------------- response side

describe('response checksums', () => {
  const download = model.operationModel('Download');

  it('ChecksumMode is set without touching the caller’s params, unless when_required', () => {
    const params = { Key: 'k' };
    assert.deepEqual(prepareChecksumParams(download, params, undefined), { Key: 'k', ChecksumMode: 'ENABLED' });
    assert.deepEqual(params, { Key: 'k' });
    const required = new Config({ responseChecksumValidation: 'when_required' });
    assert.equal(prepareChecksumParams(download, params, required), params);
  });

  function resolved(params: Record<string, unknown> = { Key: 'k', ChecksumMode: 'ENABLED' }): Record<string, unknown> {
    const context: Record<string, unknown> = {};
    resolveRequestChecksum(request('https:', undefined, { 'x-amz-checksum-mode': 'ENABLED' }), download, params, undefined, context);
    return context;
  }

  it('orders the algorithms by botocore’s priority, dropping unimplemented ones', () => {
    assert.deepEqual(checksumContext(resolved())?.responseAlgorithms, ['crc64nvme', 'crc32', 'sha256']);
    assert.equal(checksumContext(resolved({ Key: 'k' })), undefined);
  });

  it('a buffered body that does not match throws botocore’s message', async () => {
    const response: RawResponse = { statusCode: 200, headers: { 'x-amz-checksum-crc32': 'AAAAAB==' }, body: Buffer.from('hello') };
    await assert.rejects(handleResponseChecksum(response, resolved()), (err: unknown) => {
      assert.ok(err instanceof FlexibleChecksumError);
      assert.equal(err.message, 'Expected checksum AAAAAB== did not match calculated checksum: NhCmhg==');
      assert.deepEqual(err.details, { algorithm: 'crc32', expected: 'AAAAAB==', calculated: 'NhCmhg==' });
      return true;
    });
  });

  it('a buffered body that matches is returned, and the algorithm recorded', async () => {
    const context = resolved();
    const response: RawResponse = { statusCode: 200, headers: { 'x-amz-checksum-crc32': 'NhCmhg==' }, body: Buffer.from('hello') };
    assert.equal(await handleResponseChecksum(response, context), response);
    assert.equal(checksumContext(context)?.responseAlgorithm, 'crc32');
  });

  it('a composite (multipart) checksum is skipped; the next algorithm is used', async () => {
    const context = resolved();
    const skipped: RawResponse = { statusCode: 200, headers: { 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=-12' }, body: Buffer.from('hello') };
    assert.equal(await handleResponseChecksum(skipped, context), skipped);
    assert.equal(checksumContext(context)?.responseAlgorithm, undefined);
    const next: RawResponse = { statusCode: 200, headers: { 'x-amz-checksum-crc64nvme': 'AAAAAAAAAAA=-12', 'x-amz-checksum-sha256': 'AAAA' }, body: Buffer.from('hello') };
    await assert.rejects(handleResponseChecksum(next, context), FlexibleChecksumError);
  });

  it('a streamed body passes through unchanged when it matches', async () => {
    const data = randomBytes(200_000);
    const expected = await computeBase64Checksum('crc64nvme', data);
    const pieces = [data.subarray(0, 1), data.subarray(1, 70_000), data.subarray(70_000)];
    const response: RawResponse = { statusCode: 200, headers: { 'x-amz-checksum-crc64nvme': expected }, body: new Uint8Array(0), stream: Readable.from(pieces) };
    const handled = await handleResponseChecksum(response, resolved());
    assert.ok(handled.stream instanceof ChecksumValidatingStream);
    assert.ok((await collect(handled.stream)).equals(data));
  });

  it('a corrupted streamed body fails at its end', async () => {
    const data = Buffer.from('hello world');
    const expected = await computeBase64Checksum('crc32', data);
    const corrupt = Buffer.from(data);
    corrupt[3] ^= 1;
    const response: RawResponse = { statusCode: 200, headers: { 'x-amz-checksum-crc32': expected }, body: new Uint8Array(0), stream: Readable.from([corrupt]) };
    const handled = await handleResponseChecksum(response, resolved());
    await assert.rejects(collect(handled.stream!), (err: unknown) => {
      assert.ok(err instanceof FlexibleChecksumError);
      assert.match(err.message, new RegExp(`^Expected checksum ${expected.replace(/[+/=]/g, '\\$&')} did not match calculated checksum: `));
      return true;
    });
  });

  it('destroying the wrapper destroys the response stream', async () => {
    const source = new PassThrough();
    const response: RawResponse = { statusCode: 200, headers: { 'x-amz-checksum-crc32': 'AAAAAA==' }, body: new Uint8Array(0), stream: source };
    const handled = await handleResponseChecksum(response, resolved());
    handled.stream!.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(source.destroyed);
  });
});
