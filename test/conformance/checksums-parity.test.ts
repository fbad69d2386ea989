/**
 * Flexible checksums against the installed botocore: for a table of S3 and S3 Control calls
 * and configs, the checksum headers inia puts on the request (and the aws-chunked body) must
 * equal what botocore sends, and GetObject's response validation must agree. botocore runs a
 * real client whose before-send handler records the request (test/helpers/botocore_checksums.py);
 * inia's side calls src/checksums on a serialized request. No python3 or botocore is a failure.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { applyRequestChecksum, checksumContext, handleResponseChecksum, prepareChecksumParams, resolveRequestChecksum } from '../../src/checksums/index.js';
import { Config, type ConfigOptions } from '../../src/config.js';
import type { ResolvedEndpoint } from '../../src/endpoints/resolver.js';
import { resolveRequestBody } from '../../src/http/body.js';
import { buildHttpRequest } from '../../src/http/request.js';
import { Loader } from '../../src/models/loader.js';
import { ServiceModel, type ServiceDescription } from '../../src/models/shapes.js';
import { protocolFor } from '../../src/protocols/index.js';
import type { RawResponse } from '../../src/protocols/types.js';
import { repoRoot } from '../helpers/paths.js';

interface Case {
  name: string;
  service: 's3' | 's3control';
  operation: string;
  params: Record<string, unknown>;
  scheme: 'https' | 'http';
  config?: { request_checksum_calculation?: 'when_supported' | 'when_required'; response_checksum_validation?: 'when_supported' | 'when_required' };
  response?: { status: number; headers: Record<string, string>; body: string };
}

interface BotocoreRecord {
  error?: string;
  headers?: Record<string, string>;
  body?: string;
  checksum_context?: {
    request_algorithm?: { algorithm: string; in: string; name: string };
    request_algorithm_header?: { name: string; value: string };
    response_algorithms?: string[];
  };
  supported: string[];
  response_body?: string;
  response_error?: string;
}

const REQUIRED = { request_checksum_calculation: 'when_required' } as const;
const VALIDATE_REQUIRED = { response_checksum_validation: 'when_required' } as const;
const obj = { Bucket: 'bucket', Key: 'key' };
const big = 'abcdefghij'.repeat(262_144) + 'tail'; // 2.5 MiB: three aws-chunks
const policy = '{"Version":"2012-10-17","Statement":[]}';
const deleteParams = { Bucket: 'bucket', Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }] } };
const tagging = { Bucket: 'bucket', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } };
const hello = Buffer.from('hello').toString('base64');

const cases: Case[] = [
  { name: 'PutObject https default: CRC32 trailer', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello' }, scheme: 'https' },
  { name: 'PutObject http default: CRC32 header', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello' }, scheme: 'http' },
  { name: 'PutObject https when_required: none', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello' }, scheme: 'https', config: REQUIRED },
  { name: 'PutObject http when_required: none', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello' }, scheme: 'http', config: REQUIRED },
  { name: 'PutObject https SHA256 chosen', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumAlgorithm: 'SHA256' }, scheme: 'https' },
  { name: 'PutObject https SHA256 chosen, when_required', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumAlgorithm: 'SHA256' }, scheme: 'https', config: REQUIRED },
  { name: 'PutObject http SHA1 chosen', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumAlgorithm: 'SHA1' }, scheme: 'http' },
  { name: 'PutObject https lowercase crc32 chosen', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumAlgorithm: 'crc32' }, scheme: 'https' },
  { name: 'PutObject https SHA512 chosen', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumAlgorithm: 'SHA512' }, scheme: 'https' },
  { name: 'PutObject user ChecksumCRC32', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumCRC32: 'NhCmhg==' }, scheme: 'https' },
  { name: 'PutObject user ChecksumSHA256 + algorithm', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumAlgorithm: 'SHA256', ChecksumSHA256: 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=' }, scheme: 'https' },
  { name: 'PutObject user ContentMD5 (still gets CRC32)', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ContentMD5: 'XUFAKrxLKna5cZ2REBfFkg==' }, scheme: 'https' },
  { name: 'PutObject ContentEncoding gzip', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ContentEncoding: 'gzip' }, scheme: 'https' },
  { name: 'PutObject user ContentLength', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ContentLength: 5 }, scheme: 'https' },
  { name: 'PutObject empty body', service: 's3', operation: 'PutObject', params: { ...obj, Body: '' }, scheme: 'https' },
  { name: 'PutObject no body', service: 's3', operation: 'PutObject', params: { ...obj }, scheme: 'https' },
  { name: 'PutObject 2.5 MiB https', service: 's3', operation: 'PutObject', params: { ...obj, Body: big }, scheme: 'https' },
  { name: 'PutObject 2.5 MiB http', service: 's3', operation: 'PutObject', params: { ...obj, Body: big }, scheme: 'http' },
  { name: 'PutObject MD5 chosen: unsupported', service: 's3', operation: 'PutObject', params: { ...obj, Body: 'hello', ChecksumAlgorithm: 'MD5' }, scheme: 'https' },
  { name: 'UploadPart https default', service: 's3', operation: 'UploadPart', params: { ...obj, Body: 'part', PartNumber: 1, UploadId: 'u' }, scheme: 'https' },
  { name: 'UploadPart http SHA256', service: 's3', operation: 'UploadPart', params: { ...obj, Body: 'part', PartNumber: 1, UploadId: 'u', ChecksumAlgorithm: 'SHA256' }, scheme: 'http' },
  { name: 'UploadPart https when_required', service: 's3', operation: 'UploadPart', params: { ...obj, Body: 'part', PartNumber: 1, UploadId: 'u' }, scheme: 'https', config: REQUIRED },
  { name: 'PutBucketPolicy default', service: 's3', operation: 'PutBucketPolicy', params: { Bucket: 'bucket', Policy: policy }, scheme: 'https' },
  { name: 'PutBucketPolicy when_required (required anyway)', service: 's3', operation: 'PutBucketPolicy', params: { Bucket: 'bucket', Policy: policy }, scheme: 'https', config: REQUIRED },
  { name: 'PutBucketPolicy SHA256', service: 's3', operation: 'PutBucketPolicy', params: { Bucket: 'bucket', Policy: policy, ChecksumAlgorithm: 'SHA256' }, scheme: 'https' },
  { name: 'DeleteObjects default', service: 's3', operation: 'DeleteObjects', params: deleteParams, scheme: 'https' },
  { name: 'DeleteObjects when_required, http', service: 's3', operation: 'DeleteObjects', params: deleteParams, scheme: 'http', config: REQUIRED },
  { name: 'DeleteObjects SHA1', service: 's3', operation: 'DeleteObjects', params: { ...deleteParams, ChecksumAlgorithm: 'SHA1' }, scheme: 'https' },
  { name: 'PutBucketTagging default', service: 's3', operation: 'PutBucketTagging', params: tagging, scheme: 'https' },
  { name: 'PutBucketAccelerateConfiguration when_supported', service: 's3', operation: 'PutBucketAccelerateConfiguration', params: { Bucket: 'bucket', AccelerateConfiguration: { Status: 'Enabled' } }, scheme: 'https' },
  { name: 'PutBucketAccelerateConfiguration when_required: none', service: 's3', operation: 'PutBucketAccelerateConfiguration', params: { Bucket: 'bucket', AccelerateConfiguration: { Status: 'Enabled' } }, scheme: 'https', config: REQUIRED },
  { name: 'RestoreObject when_supported', service: 's3', operation: 'RestoreObject', params: { ...obj, RestoreRequest: { Days: 1 } }, scheme: 'https' },
  { name: 'ListObjectsV2: no checksum trait', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'bucket' }, scheme: 'https' },
  { name: 'S3 Control DeleteAccessGrant (httpChecksumRequired)', service: 's3control', operation: 'DeleteAccessGrant', params: { AccountId: '123456789012', AccessGrantId: 'g1' }, scheme: 'https', config: REQUIRED },
  { name: 'S3 Control PutBucketTagging (httpChecksumRequired)', service: 's3control', operation: 'PutBucketTagging', params: { AccountId: '123456789012', Bucket: 'bucket', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }, scheme: 'https' },
  { name: 'GetObject default: ChecksumMode ENABLED', service: 's3', operation: 'GetObject', params: obj, scheme: 'https' },
  { name: 'GetObject when_required: no ChecksumMode', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', config: VALIDATE_REQUIRED },
  { name: 'GetObject when_required with ChecksumMode', service: 's3', operation: 'GetObject', params: { ...obj, ChecksumMode: 'ENABLED' }, scheme: 'https', config: VALIDATE_REQUIRED },
  // Responses: GetObject's body checked as it streams.
  { name: 'GetObject good CRC32', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', response: { status: 200, headers: { 'x-amz-checksum-crc32': 'NhCmhg==' }, body: hello } },
  { name: 'GetObject bad CRC32', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', response: { status: 200, headers: { 'x-amz-checksum-crc32': 'AAAAAB==' }, body: hello } },
  { name: 'GetObject bad SHA256', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', response: { status: 200, headers: { 'x-amz-checksum-sha256': '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }, body: hello } },
  { name: 'GetObject composite CRC32 skipped', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', response: { status: 200, headers: { 'x-amz-checksum-crc32': 'AAAAAA==-3' }, body: hello } },
  { name: 'GetObject CRC32 wins over SHA256', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', response: { status: 200, headers: { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-sha256': 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=' }, body: hello } },
  { name: 'GetObject composite CRC32, good SHA1', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', response: { status: 200, headers: { 'x-amz-checksum-crc32': 'AAAAAA==-3', 'x-amz-checksum-sha1': 'qvTGHdzF6KLavt4PO0gs2a6pQ00=' }, body: hello } },
  { name: 'GetObject bad CRC32 not validated when_required', service: 's3', operation: 'GetObject', params: obj, scheme: 'https', config: VALIDATE_REQUIRED, response: { status: 200, headers: { 'x-amz-checksum-crc32': 'AAAAAB==' }, body: hello } },
];

/** The request headers flexible checksums touch. */
function checksumHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    const streamingSha = name === 'x-amz-content-sha256' && v === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
    if (name.startsWith('x-amz-checksum-') || streamingSha || ['x-amz-sdk-checksum-algorithm', 'content-md5', 'content-encoding', 'x-amz-trailer', 'x-amz-decoded-content-length'].includes(name)) {
      out[name] = v;
    }
  }
  return out;
}

const loader = new Loader({ env: {} });
const models = new Map<string, ServiceModel>();
function serviceModel(name: string): ServiceModel {
  let model = models.get(name);
  if (model === undefined) {
    model = new ServiceModel(loader.loadServiceModel(name, 'service-2') as unknown as ServiceDescription, name);
    models.set(name, model);
  }
  return model;
}

function endpointFor(scheme: 'https' | 'http'): ResolvedEndpoint {
  return { protocol: `${scheme}:`, hostname: '127.0.0.1', port: 1, basePath: '', url: `${scheme}://127.0.0.1:1`, headers: {}, signingRegion: 'us-east-1', signingName: 's3' };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface IniaResult {
  error?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  context?: Record<string, unknown>;
  responseBody?: Buffer;
  responseError?: string;
}

async function runInia(c: Case): Promise<IniaResult> {
  const model = serviceModel(c.service);
  const op = model.operationModel(c.operation);
  const options: ConfigOptions = {};
  if (c.config?.request_checksum_calculation) options.requestChecksumCalculation = c.config.request_checksum_calculation;
  if (c.config?.response_checksum_validation) options.responseChecksumValidation = c.config.response_checksum_validation;
  const config = new Config(options);
  const params = prepareChecksumParams(op, structuredClone(c.params), config);
  const request = buildHttpRequest(endpointFor(c.scheme), protocolFor(model).serialize(params, op));
  const context: Record<string, unknown> = {};
  try {
    resolveRequestChecksum(request, op, params, config, context);
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
  await resolveRequestBody(request);
  await applyRequestChecksum(request, context);
  const body = request.body;
  const bytes = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? Buffer.from(body) : await collect(body as Readable);
  const result: IniaResult = { headers: request.headers, body: bytes, context };
  if (c.response) {
    const raw: RawResponse = {
      statusCode: c.response.status,
      headers: Object.fromEntries(Object.entries(c.response.headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: new Uint8Array(0),
      stream: Readable.from([Buffer.from(c.response.body, 'base64')]),
    };
    const handled = await handleResponseChecksum(raw, context);
    try {
      result.responseBody = await collect(handled.stream!);
    } catch (err) {
      result.responseError = `${(err as Error).name}: ${(err as Error).message}`;
    }
  }
  return result;
}

/** botocore's records, or why there are none (every case then fails with that reason). */
function runBotocore(): BotocoreRecord[] | Error {
  const script = join(repoRoot, 'test', 'helpers', 'botocore_checksums.py');
  const input = JSON.stringify(cases.map(({ service, operation, params, scheme, config, response }) => ({
    service, operation, params, endpoint_url: `${scheme}://127.0.0.1:1`, config: config ?? {}, ...(response ? { response } : {}),
  })));
  // The helper's clients must not pick up a developer's AWS settings.
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') && !key.endsWith('_FILE')) delete env[key];
  try {
    const records = JSON.parse(execFileSync('python3', [script], { input, env, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }).toString('utf8')) as BotocoreRecord[];
    return records.length === cases.length ? records : new Error(`botocore_checksums.py answered ${records.length} cases of ${cases.length}`);
  } catch (err) {
    return new Error(`python3 with botocore is required for this test: ${(err as Error).message}`);
  }
}

const botocore = runBotocore();

describe('flexible checksums equal botocore’s', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      // No python3 or botocore fails every case: never a silent skip.
      if (botocore instanceof Error) throw botocore;
      const want = botocore[i]!;
      const got = await runInia(c);
      if (want.error !== undefined) {
        assert.ok(got.error !== undefined, `botocore failed (${want.error}), inia did not`);
        assert.equal(got.error.replace(/^\w+: /, ''), want.error.replace(/^\w+: /, ''));
        return;
      }
      assert.equal(got.error, undefined, got.error);
      assert.deepEqual(checksumHeaders(got.headers!), checksumHeaders(want.headers!), 'checksum headers');
      assert.equal(got.headers!['x-amz-checksum-mode'], want.headers!['x-amz-checksum-mode'], 'x-amz-checksum-mode');
      assert.ok(got.body!.equals(Buffer.from(want.body!, 'base64')), 'body bytes (aws-chunked included)');

      const ck = checksumContext(got.context!);
      const wantCk = want.checksum_context ?? {};
      assert.deepEqual(ck?.requestAlgorithm, wantCk.request_algorithm, 'request algorithm');
      assert.deepEqual(ck?.requestAlgorithmHeader, wantCk.request_algorithm_header, 'request algorithm header');
      // botocore without the CRT validates with fewer algorithms; compare over the ones it has.
      const ours = ck?.responseAlgorithms?.filter((a) => want.supported.includes(a));
      assert.deepEqual(ours, wantCk.response_algorithms, 'response algorithms');

      if (c.response) {
        assert.equal(got.responseError, want.response_error, 'response validation error');
        if (want.response_body !== undefined) assert.ok(got.responseBody!.equals(Buffer.from(want.response_body, 'base64')), 'response body');
      }
    });
  });
});
