/**
 * botocore's request and response handlers of services other than S3 (ec2, autoscaling,
 * route53, glacier, apigateway, iam, cloudformation, machinelearning, cloudsearchdomain, and the
 * parameter aliases), each checked against botocore with whole calls (test/helpers/capture.ts):
 * what the handler touches (URL, its headers, the body, the parsed result or the error).
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Config, Session, SigningError } from 'inia';
import { captureBoth, pickHeaders, TEST_CREDENTIALS, type CaptureCase, type CaptureResult } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';

const REGION = 'us-east-1';

function bytes(data: Uint8Array | string): { $bytes: string } {
  return { $bytes: Buffer.from(data).toString('base64') };
}

function bodyText(r: CaptureResult): string {
  return Buffer.from(r.request?.body ?? '', 'base64').toString('utf8');
}

/** A query-protocol body as a map, without the members a test does not compare (idempotency tokens). */
function formFields(r: CaptureResult, drop: readonly string[] = []): Record<string, string> {
  const fields = Object.fromEntries(new URLSearchParams(bodyText(r)));
  for (const name of drop) delete fields[name];
  return fields;
}

/** Bytes whose every position differs, so a misplaced 1 MiB boundary changes the hashes. */
function pattern(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const MIB = 1024 * 1024;

/** Both sides' tagged dates as one ISO form (Python writes +00:00, JavaScript Z and milliseconds). */
function sameDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sameDates);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 1 && typeof record.$datetime === 'string') return { $datetime: new Date(record.$datetime).toISOString() };
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, sameDates(v)]));
  }
  return value;
}

function label(c: CaptureCase): string {
  return `${c.service}.${c.operation} ${JSON.stringify(c.params).slice(0, 120)}`;
}

function assertSameError(pair: { case: CaptureCase; botocore: CaptureResult; inia: CaptureResult }): void {
  assert.ok(pair.botocore.error, `${label(pair.case)}: botocore raised nothing`);
  assert.ok(pair.inia.error, `${label(pair.case)}: inia raised nothing`);
}

describe('ec2 and autoscaling: UserData is base64-encoded (base64_encode_user_data)', () => {
  const userData: unknown[] = ['hello', '', '#!/bin/bash\necho "héllo ☃" > /tmp/x\n', bytes('raw bytes'), bytes(pattern(300)), bytes(new Uint8Array(0)), 'a'.repeat(1000)];
  const cases: CaptureCase[] = [];
  for (const value of userData) {
    cases.push({ service: 'ec2', operation: 'RunInstances', region: REGION, params: { ImageId: 'ami-1', MinCount: 1, MaxCount: 1, UserData: value } });
    cases.push({ service: 'autoscaling', operation: 'CreateLaunchConfiguration', region: REGION, params: { LaunchConfigurationName: 'lc', ImageId: 'ami-1', InstanceType: 't2.micro', UserData: value } });
  }
  cases.push({ service: 'ec2', operation: 'RunInstances', region: REGION, params: { ImageId: 'ami-1', MinCount: 1, MaxCount: 1 } });
  cases.push({ service: 'autoscaling', operation: 'CreateLaunchConfiguration', region: REGION, params: { LaunchConfigurationName: 'lc' } });
  // Other operations are left alone (the handler is on RunInstances and CreateLaunchConfiguration only).
  cases.push({ service: 'ec2', operation: 'ModifyInstanceAttribute', region: REGION, params: { InstanceId: 'i-1', UserData: { Value: bytes('plain') } } });

  it('sends what botocore sends, for text, bytes, empty and absent UserData', async () => {
    const pairs = await captureBoth(cases);
    for (const pair of pairs) {
      // Only the request matters here (the canned empty answer is not valid XML for either side).
      assert.ok(pair.inia.request, `${label(pair.case)}: ${pair.inia.error?.message}`);
      assert.ok(pair.botocore.request, `${label(pair.case)}: ${pair.botocore.error?.message}`);
      assert.equal(pair.inia.request?.url, pair.botocore.request?.url, label(pair.case));
      assert.deepEqual(formFields(pair.inia, ['ClientToken']), formFields(pair.botocore, ['ClientToken']), label(pair.case));
    }
    // And it is base64 indeed.
    assert.equal(formFields(pairs[0]!.inia).UserData, Buffer.from('hello').toString('base64'));
  });

  it('leaves a UserData of another type to the validator', async () => {
    const pairs = await captureBoth([{ service: 'ec2', operation: 'RunInstances', region: REGION, params: { ImageId: 'ami-1', MinCount: 1, MaxCount: 1, UserData: 42 } }]);
    assertSameError(pairs[0]!);
    assert.equal(pairs[0]!.inia.error?.type, 'ParamValidationError');
  });
});

describe('ec2 GetConsoleOutput: Output is base64-decoded (decode_console_output)', () => {
  const outputs: string[] = [
    Buffer.from('Linux version 5.10\r\nlogin: ').toString('base64'),
    Buffer.from('héllo ☃ \u{1F600}').toString('base64'),
    Buffer.from([0xef, 0xbb, 0xbf, 0x41]).toString('base64'), // a BOM is kept, as Python keeps it
    Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98]).toString('base64'), // bad UTF-8
    Buffer.from('abc').toString('base64').replace(/=+$/, '') + '', // 'YWJj' (no padding needed)
    'YWI', // missing padding: botocore leaves it
    'YQ', // missing padding
    'Y', // one character: left
    'YWI=', // 'ab'
    'YQ==', // 'a'
    'YQ==YWJj', // data after a complete pad is ignored
    'YQ=YWJj', // an incomplete pad in the middle
    'YW\nJj\r\n', // line breaks skipped
    'YW Jj!!', // other characters skipped
    '====', // only pads
    '',
    'é', // Latin-1 outside the alphabet: skipped
    '☃abc', // beyond Latin-1: left as it is
    Buffer.from(pattern(5000)).toString('base64'),
  ];
  const cases: CaptureCase[] = outputs.map((output) => ({
    service: 'ec2',
    operation: 'GetConsoleOutput',
    region: REGION,
    params: { InstanceId: 'i-1' },
    response: {
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<GetConsoleOutputResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId><instanceId>i-1</instanceId><timestamp>2020-01-02T03:04:05.000Z</timestamp><output>${output}</output></GetConsoleOutputResponse>`,
    },
  }));
  cases.push({
    service: 'ec2',
    operation: 'GetConsoleOutput',
    region: REGION,
    params: { InstanceId: 'i-1' },
    response: { body: '<GetConsoleOutputResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId><instanceId>i-1</instanceId></GetConsoleOutputResponse>' },
  });

  it('returns what botocore returns, for text, bad UTF-8, bad base64 and no Output', async () => {
    const pairs = await captureBoth(cases);
    for (const pair of pairs) {
      assert.equal(pair.botocore.error, undefined, pair.botocore.error?.message);
      assert.deepEqual(sameDates(pair.inia.parsed), sameDates(pair.botocore.parsed), label(pair.case) + ' ' + JSON.stringify(pair.case.response?.body).slice(-120));
    }
    assert.equal((pairs[0]!.inia.parsed as { Output: string }).Output, 'Linux version 5.10\r\nlogin: ');
  });
});

describe('parameter aliases (botocore _add_parameter_aliases)', () => {
  const filters = [{ Name: 'state', Values: ['available', 'pending'] }];
  const cases: CaptureCase[] = [];
  for (const op of ['DescribeNatGateways', 'DescribeFlowLogs', 'DescribeHosts', 'DescribeHostReservations', 'DescribeHostReservationOfferings']) {
    cases.push({ service: 'ec2', operation: op, region: REGION, params: { Filters: filters } });
    cases.push({ service: 'ec2', operation: op, region: REGION, params: { Filter: filters } });
  }
  // An operation whose own member is Filters: untouched.
  cases.push({ service: 'ec2', operation: 'DescribeInstances', region: REGION, params: { Filters: filters } });
  cases.push({ service: 'logs', operation: 'CreateExportTask', region: REGION, params: { logGroupName: 'g', fromTime: 1000, to: 2000, destination: 'bucket' } });
  cases.push({ service: 'logs', operation: 'CreateExportTask', region: REGION, params: { logGroupName: 'g', from: 1000, to: 2000, destination: 'bucket' } });
  const domain = 'https://search-movies-abc.us-east-1.cloudsearch.amazonaws.com';
  cases.push({ service: 'cloudsearchdomain', operation: 'Search', region: REGION, endpointUrl: domain, params: { query: 'star', returnFields: 'title,year' } });
  cases.push({ service: 'cloudsearchdomain', operation: 'Search', region: REGION, endpointUrl: domain, params: { query: 'star', return: '_all_fields' } });

  it('sends the model name for the alias, as botocore', async () => {
    const pairs = await captureBoth(cases);
    for (const pair of pairs) {
      assert.ok(pair.inia.request, `${label(pair.case)}: ${pair.inia.error?.message}`);
      assert.ok(pair.botocore.request, `${label(pair.case)}: ${pair.botocore.error?.message}`);
      assert.equal(pair.inia.request?.url, pair.botocore.request?.url, label(pair.case));
      // JSON bodies compare as values (botocore's json.dumps puts spaces after separators).
      if (pair.case.service === 'logs') assert.deepEqual(JSON.parse(bodyText(pair.inia)), JSON.parse(bodyText(pair.botocore)), label(pair.case));
      else assert.equal(bodyText(pair.inia), bodyText(pair.botocore), label(pair.case));
    }
    assert.match(bodyText(pairs[0]!.inia), /Filter\.1\.Name=state/);
    assert.equal(JSON.parse(bodyText(pairs.at(-4)!.inia)).from, 1000);
  });

  it('raises AliasConflictParameterError when both names are given, with botocore message', async () => {
    const conflicts: CaptureCase[] = [
      { service: 'ec2', operation: 'DescribeNatGateways', region: REGION, params: { Filter: filters, Filters: filters } },
      { service: 'logs', operation: 'CreateExportTask', region: REGION, params: { logGroupName: 'g', from: 1, fromTime: 1, to: 2, destination: 'b' } },
      { service: 'cloudsearchdomain', operation: 'Search', region: REGION, endpointUrl: domain, params: { query: 'q', return: 'a', returnFields: 'b' } },
    ];
    for (const pair of await captureBoth(conflicts)) {
      assert.equal(pair.botocore.error?.type, 'AliasConflictParameterError', label(pair.case));
      assert.equal(pair.inia.error?.type, 'AliasConflictParameterError', label(pair.case));
      assert.equal(pair.inia.error?.message, pair.botocore.error?.message);
      assert.equal(pair.inia.request, undefined, 'nothing is sent');
    }
  });

  it('does not accept the alias where the model has no such member', async () => {
    const pairs = await captureBoth([{ service: 'ec2', operation: 'DescribeAccountAttributes', region: REGION, params: { Filters: filters } }]);
    assertSameError(pairs[0]!);
    assert.equal(pairs[0]!.inia.error?.type, 'ParamValidationError');
    assert.match(pairs[0]!.inia.error?.message ?? '', /Unknown parameter.*Filters/);
  });
});

describe('route53: ids with their path prefix are accepted (fix_route53_ids)', () => {
  const cases: CaptureCase[] = [
    { service: 'route53', operation: 'GetHostedZone', params: { Id: '/hostedzone/Z1D633PJN98FT9' } },
    { service: 'route53', operation: 'GetHostedZone', params: { Id: 'Z1D633PJN98FT9' } },
    { service: 'route53', operation: 'GetHostedZone', params: { Id: 'hostedzone/a/b/Z2' } },
    { service: 'route53', operation: 'DeleteHostedZone', params: { Id: '/hostedzone/Z3' } },
    { service: 'route53', operation: 'GetChange', params: { Id: '/change/C2682N5HXP0BZ4' } },
    { service: 'route53', operation: 'GetReusableDelegationSet', params: { Id: '/delegationset/N1PA6795SAMPLE' } },
    { service: 'route53', operation: 'ListHostedZones', params: { DelegationSetId: '/delegationset/N1' } },
    { service: 'route53', operation: 'ListResourceRecordSets', params: { HostedZoneId: '/hostedzone/Z4', StartRecordName: 'a/b.example.com' } },
    { service: 'route53', operation: 'ListTrafficPolicyInstances', params: { HostedZoneIdMarker: '/hostedzone/Z5' } },
    { service: 'route53', operation: 'GetHostedZoneLimit', params: { HostedZoneId: '/hostedzone/Z6', Type: 'MAX_RRSETS_BY_ZONE' } },
    {
      service: 'route53',
      operation: 'CreateHostedZone',
      params: { Name: 'example.com', CallerReference: 'ref-1', DelegationSetId: '/delegationset/N2', HostedZoneConfig: { Comment: 'a/b' } },
    },
    {
      service: 'route53',
      operation: 'ChangeResourceRecordSets',
      params: {
        HostedZoneId: '/hostedzone/Z7',
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'www.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }], SetIdentifier: 'x/y' } }] },
      },
    },
    // Members of other shapes keep their slashes (the record name, the comment, a traffic policy id).
    { service: 'route53', operation: 'GetTrafficPolicy', params: { Id: 'tp/1', Version: 1 } },
  ];

  it('sends only the last part, for exactly the members botocore names by shape', async () => {
    const pairs = await captureBoth(cases);
    for (const pair of pairs) {
      assert.equal(pair.inia.error, undefined, `${label(pair.case)}: ${pair.inia.error?.message}`);
      assert.equal(pair.botocore.error, undefined, `${label(pair.case)}: ${pair.botocore.error?.message}`);
      assert.equal(pair.inia.request?.url, pair.botocore.request?.url, label(pair.case));
      assert.equal(bodyText(pair.inia), bodyText(pair.botocore), label(pair.case));
    }
    assert.equal(pairs[0]!.inia.request?.url, 'https://route53.amazonaws.com/2013-04-01/hostedzone/Z1D633PJN98FT9');
  });

  it('an id that ends with "/" becomes empty, as in botocore', async () => {
    const pairs = await captureBoth([{ service: 'route53', operation: 'GetHostedZone', params: { Id: '/hostedzone/' } }]);
    assert.equal(pairs[0]!.inia.request?.url, 'https://route53.amazonaws.com/2013-04-01/hostedzone/');
    assert.equal(pairs[0]!.inia.request?.url, pairs[0]!.botocore.request?.url);
  });
});

describe('glacier: account id, version and checksums (inject_account_id, add_glacier_version, add_glacier_checksums)', () => {
  const sizes = [0, 1, MIB - 1, MIB, MIB + 1, 2 * MIB, 3 * MIB + 512, 4 * MIB, 5 * MIB + 7];
  const cases: CaptureCase[] = [];
  for (const size of sizes) cases.push({ service: 'glacier', operation: 'UploadArchive', region: REGION, params: { vaultName: 'v', body: bytes(pattern(size, size)) } });
  cases.push({ service: 'glacier', operation: 'UploadArchive', region: REGION, params: { vaultName: 'v' } });
  cases.push({ service: 'glacier', operation: 'UploadArchive', region: REGION, params: { vaultName: 'v', accountId: '123456789012', body: 'héllo ☃', archiveDescription: 'd' } });
  // A tree hash the caller gives is sent as it is; the content SHA-256 is still computed.
  cases.push({ service: 'glacier', operation: 'UploadArchive', region: REGION, params: { vaultName: 'v', body: bytes('data'), checksum: 'beef' } });
  for (const size of [MIB, 2 * MIB + 3]) {
    cases.push({ service: 'glacier', operation: 'UploadMultipartPart', region: REGION, params: { vaultName: 'v', uploadId: 'u1', range: `bytes 0-${size - 1}/*`, body: bytes(pattern(size, 3)) } });
  }
  cases.push({ service: 'glacier', operation: 'ListVaults', region: REGION, params: {} });
  cases.push({ service: 'glacier', operation: 'ListVaults', region: REGION, params: { accountId: null } });
  cases.push({ service: 'glacier', operation: 'ListVaults', region: REGION, params: { accountId: '111122223333' } });
  cases.push({ service: 'glacier', operation: 'DescribeVault', region: REGION, params: { vaultName: 'my vault' } });
  cases.push({ service: 'glacier', operation: 'InitiateMultipartUpload', region: REGION, params: { vaultName: 'v', partSize: String(MIB) } });
  const headers = ['x-amz-glacier-version', 'x-amz-content-sha256', 'x-amz-sha256-tree-hash', 'content-length'];
  /** The headers compared; an empty body's absent Content-Length is node's 'Content-Length: 0' on the wire. */
  function glacierHeaders(request: CaptureResult['request']): Record<string, string | undefined> {
    const picked = pickHeaders(request, headers);
    if (request?.body === '') picked['content-length'] ??= '0';
    return picked;
  }

  let pairs: Array<{ case: CaptureCase; botocore: CaptureResult; inia: CaptureResult }>;
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('sends botocore URL, headers and body for bodies of 0, 1, 1 MiB - 1, 1 MiB, 1 MiB + 1 and several MiB', () => {
    for (const pair of pairs) {
      assert.equal(pair.inia.error, undefined, `${label(pair.case)}: ${pair.inia.error?.message}`);
      assert.equal(pair.botocore.error, undefined, `${label(pair.case)}: ${pair.botocore.error?.message}`);
      assert.equal(pair.inia.request?.url, pair.botocore.request?.url, label(pair.case));
      assert.deepEqual(glacierHeaders(pair.inia.request), glacierHeaders(pair.botocore.request), label(pair.case));
      assert.equal(pair.inia.request?.body, pair.botocore.request?.body, label(pair.case));
    }
    assert.equal(pairs[0]!.inia.request?.headers['x-amz-sha256-tree-hash'], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(pairs[0]!.inia.request?.headers['x-amz-glacier-version'], '2012-06-01');
    assert.match(pairs.at(-3)!.inia.request?.url ?? '', /\/111122223333\/vaults$/);
  });

  /** The same bytes as a FileHandle and as file streams give botocore's headers for those bytes. */
  describe('bodies read without being used up', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'inia-glacier-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function call(body: unknown): Promise<CaptureResult> {
      return runInia('glacier', 'UploadArchive', { vaultName: 'v', body });
    }

    it('a FileHandle and an fs.ReadStream hash as their bytes do (and are still sent whole)', async () => {
      for (const index of [0, 1, 2, 3, 4, 6, 8]) {
        const size = sizes[index]!;
        const data = pattern(size, size);
        const file = join(dir, `f${size}`);
        await writeFile(file, data);
        const expected = glacierHeaders(pairs[index]!.botocore.request);
        const handle = await open(file, 'r');
        try {
          const viaHandle = await call(handle);
          assert.deepEqual(glacierHeaders(viaHandle.request), expected, `FileHandle of ${size}`);
          assert.equal(viaHandle.request?.body, Buffer.from(data).toString('base64'));
        } finally {
          await handle.close();
        }
        const viaStream = await call(createReadStream(file));
        assert.deepEqual(glacierHeaders(viaStream.request), expected, `ReadStream of ${size}`);
        assert.equal(viaStream.request?.body, Buffer.from(data).toString('base64'));
      }
    });

    it('a ReadStream of part of a file hashes that part', async () => {
      const data = pattern(3 * MIB, 11);
      const file = join(dir, 'part');
      await writeFile(file, data);
      const part = data.subarray(100, 100 + MIB + 1);
      const [reference] = await captureBoth([{ service: 'glacier', operation: 'UploadArchive', region: REGION, params: { vaultName: 'v', body: bytes(part) } }]);
      const viaStream = await call(createReadStream(file, { start: 100, end: 100 + MIB }));
      assert.deepEqual(pickHeaders(viaStream.request, headers.slice(0, 3)), pickHeaders(reference!.botocore.request, headers.slice(0, 3)));
    });

    it('any other stream is read once, hashed and sent as those bytes', async () => {
      const data = pattern(2 * MIB + 9, 5);
      const [reference] = await captureBoth([{ service: 'glacier', operation: 'UploadArchive', region: REGION, params: { vaultName: 'v', body: bytes(data) } }]);
      const pieces = [data.subarray(0, 1000), data.subarray(1000, MIB + 17), data.subarray(MIB + 17)].map((p) => Buffer.from(p));
      const result = await call(Readable.from(pieces));
      assert.equal(result.error, undefined, result.error?.message);
      assert.deepEqual(glacierHeaders(result.request), glacierHeaders(reference!.botocore.request));
      assert.equal(result.request?.body, Buffer.from(data).toString('base64'));
    });
  });
});

/** One call through inia with values a JSON case cannot carry (file handles, streams). */
async function runInia(service: string, operation: string, params: Record<string, unknown>, endpointUrl?: string): Promise<CaptureResult> {
  const session = new Session({ env: { ...EMPTY_ENV } });
  const client = session.client(service, { region: REGION, credentials: TEST_CREDENTIALS, config: new Config({ retries: { totalMaxAttempts: 1 } }), ...(endpointUrl ? { endpointUrl } : {}) });
  const result: CaptureResult = {};
  client.meta.events.register('before-send', async (args) => {
    const request = args.request as { method: string; url: string; headers: Record<string, string>; body: unknown };
    let body = '';
    if (typeof request.body === 'string' || request.body instanceof Uint8Array) body = Buffer.from(request.body).toString('base64');
    else if (request.body instanceof Readable) {
      const chunks: Buffer[] = [];
      for await (const chunk of request.body) chunks.push(Buffer.from(chunk as Uint8Array));
      body = Buffer.concat(chunks).toString('base64');
    }
    result.request = { method: request.method, url: request.url, headers: { ...request.headers }, body };
    return { statusCode: 201, headers: {}, body: new Uint8Array(0) };
  });
  try {
    await client.makeApiCall(operation, params);
  } catch (e) {
    result.error = { type: (e as Error).name, message: (e as Error).message };
  } finally {
    client.destroy();
  }
  return result;
}

describe('apigateway: Accept: application/json unless set (add_accept_header)', () => {
  it('sends botocore Accept header', async () => {
    const cases: CaptureCase[] = [
      { service: 'apigateway', operation: 'GetRestApis', region: REGION, params: {} },
      { service: 'apigateway', operation: 'GetExport', region: REGION, params: { restApiId: 'a1', stageName: 'prod', exportType: 'oas30' } },
      { service: 'apigateway', operation: 'GetExport', region: REGION, params: { restApiId: 'a1', stageName: 'prod', exportType: 'oas30', accepts: 'application/yaml' } },
      { service: 'apigateway', operation: 'CreateRestApi', region: REGION, params: { name: 'api' } },
    ];
    for (const pair of await captureBoth(cases)) {
      assert.equal(pair.inia.error, undefined, pair.inia.error?.message);
      assert.equal(pair.inia.request?.url, pair.botocore.request?.url);
      assert.deepEqual(pickHeaders(pair.inia.request, ['accept']), pickHeaders(pair.botocore.request, ['accept']), label(pair.case));
    }
  });
});

describe('iam: policy documents are returned decoded (json_decode_policies)', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*', Condition: { StringLike: { 's3:prefix': ['a b+c', 'é☃'] } } }] };
  const quoted = encodeURIComponent(JSON.stringify(doc));
  const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
  const ns = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';
  const meta = '<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>';
  const rolePolicy = (document: string): CaptureCase => ({
    service: 'iam',
    operation: 'GetRolePolicy',
    params: { RoleName: 'r', PolicyName: 'p' },
    response: { body: `<GetRolePolicyResponse ${ns}><GetRolePolicyResult><RoleName>r</RoleName><PolicyName>p</PolicyName><PolicyDocument>${document}</PolicyDocument></GetRolePolicyResult>${meta}</GetRolePolicyResponse>` },
  });
  const role = `<Path>/</Path><RoleName>r</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>2020-01-02T03:04:05Z</CreateDate><AssumeRolePolicyDocument>${trust}</AssumeRolePolicyDocument>`;
  const cases: CaptureCase[] = [
    rolePolicy(quoted),
    rolePolicy(JSON.stringify(doc).replace(/&/g, '&amp;').replace(/</g, '&lt;')), // not quoted at all
    rolePolicy('not%20json'), // not JSON: the text as it came
    rolePolicy('%7B%22a%22%3A%22%FF%22%7D'), // bad UTF-8 inside: U+FFFD, as Python's unquote
    rolePolicy('%7B%22a%22%3A+1%7D'), // '+' is not a space for unquote
    rolePolicy('%EF%BB%BF%7B%7D'), // a BOM: not JSON for either
    rolePolicy('%22just%20a%20string%22'),
    rolePolicy('100%25'),
    {
      service: 'iam',
      operation: 'GetUserPolicy',
      params: { UserName: 'u', PolicyName: 'p' },
      response: { body: `<GetUserPolicyResponse ${ns}><GetUserPolicyResult><UserName>u</UserName><PolicyName>p</PolicyName><PolicyDocument>${quoted}</PolicyDocument></GetUserPolicyResult>${meta}</GetUserPolicyResponse>` },
    },
    {
      service: 'iam',
      operation: 'GetPolicyVersion',
      params: { PolicyArn: 'arn:aws:iam::123456789012:policy/p', VersionId: 'v1' },
      response: { body: `<GetPolicyVersionResponse ${ns}><GetPolicyVersionResult><PolicyVersion><Document>${quoted}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2020-01-02T03:04:05Z</CreateDate></PolicyVersion></GetPolicyVersionResult>${meta}</GetPolicyVersionResponse>` },
    },
    {
      service: 'iam',
      operation: 'GetRole',
      params: { RoleName: 'r' },
      response: { body: `<GetRoleResponse ${ns}><GetRoleResult><Role>${role}</Role></GetRoleResult>${meta}</GetRoleResponse>` },
    },
    {
      service: 'iam',
      operation: 'ListRoles',
      params: {},
      response: { body: `<ListRolesResponse ${ns}><ListRolesResult><IsTruncated>false</IsTruncated><Roles><member>${role}</member><member>${role.replace(trust, 'x%7B')}</member></Roles></ListRolesResult>${meta}</ListRolesResponse>` },
    },
    {
      service: 'iam',
      operation: 'GetAccountAuthorizationDetails',
      params: {},
      response: {
        body:
          `<GetAccountAuthorizationDetailsResponse ${ns}><GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated>` +
          `<UserDetailList><member><UserName>u</UserName><UserPolicyList><member><PolicyName>p1</PolicyName><PolicyDocument>${quoted}</PolicyDocument></member><member><PolicyName>p2</PolicyName><PolicyDocument>%7B%7D</PolicyDocument></member></UserPolicyList></member></UserDetailList>` +
          `<GroupDetailList><member><GroupName>g</GroupName><GroupPolicyList><member><PolicyName>gp</PolicyName><PolicyDocument>${quoted}</PolicyDocument></member></GroupPolicyList></member></GroupDetailList>` +
          `<RoleDetailList><member><RoleName>r</RoleName><AssumeRolePolicyDocument>${trust}</AssumeRolePolicyDocument><RolePolicyList><member><PolicyName>rp</PolicyName><PolicyDocument>${quoted}</PolicyDocument></member></RolePolicyList><InstanceProfileList><member><InstanceProfileName>ip</InstanceProfileName><Roles><member>${role}</member></Roles></member></InstanceProfileList></member></RoleDetailList>` +
          `<Policies><member><PolicyName>mp</PolicyName><PolicyVersionList><member><Document>${quoted}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member><member><VersionId>v2</VersionId></member></PolicyVersionList></member></Policies>` +
          `</GetAccountAuthorizationDetailsResult>${meta}</GetAccountAuthorizationDetailsResponse>`,
      },
    },
    {
      service: 'iam',
      operation: 'ListPolicies',
      params: {},
      response: { body: `<ListPoliciesResponse ${ns}><ListPoliciesResult><IsTruncated>false</IsTruncated><Policies><member><PolicyName>p</PolicyName><Description>${quoted}</Description></member></Policies></ListPoliciesResult>${meta}</ListPoliciesResponse>` },
    },
  ];

  it('returns what botocore returns, in every operation and nesting', async () => {
    const pairs = await captureBoth(cases);
    for (const pair of pairs) {
      assert.equal(pair.botocore.error, undefined, `${label(pair.case)}: ${pair.botocore.error?.message}`);
      assert.deepEqual(sameDates(pair.inia.parsed), sameDates(pair.botocore.parsed), label(pair.case));
    }
    assert.deepEqual((pairs[0]!.inia.parsed as { PolicyDocument: unknown }).PolicyDocument, doc);
  });
});

describe('cloudformation GetTemplate: a JSON template body is returned parsed (json_decode_template_body)', () => {
  const templates = [
    JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q', Delay: 1.5, Tags: [] } } } }),
    '{\n  "Resources": {"B": {"Type": "AWS::S3::Bucket"}},\n  "Outputs": {"x": {"Value": "é☃"}}\n}',
    'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n',
    '{"unterminated": ',
    '"a string"',
    '[1, 2, {"a": null}]',
    '{"dup": 1, "dup": 2}',
    '',
  ];
  const cases: CaptureCase[] = templates.map((template) => ({
    service: 'cloudformation',
    operation: 'GetTemplate',
    region: REGION,
    params: { StackName: 's' },
    response: {
      body: `<GetTemplateResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><GetTemplateResult><TemplateBody>${template.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</TemplateBody><StagesAvailable><member>Original</member></StagesAvailable></GetTemplateResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTemplateResponse>`,
    },
  }));

  it('returns what botocore returns, for JSON, YAML and broken templates', async () => {
    const pairs = await captureBoth(cases);
    for (const pair of pairs) {
      assert.equal(pair.botocore.error, undefined, pair.botocore.error?.message);
      assert.deepEqual(sameDates(pair.inia.parsed), sameDates(pair.botocore.parsed), label(pair.case));
    }
    assert.equal(typeof (pairs[0]!.inia.parsed as { TemplateBody: unknown }).TemplateBody, 'object');
    assert.equal(typeof (pairs[2]!.inia.parsed as { TemplateBody: unknown }).TemplateBody, 'string');
  });
});

describe('machinelearning Predict: the PredictEndpoint is the host (switch_host_machinelearning)', () => {
  const endpoints = [
    'https://realtime.machinelearning.us-east-1.amazonaws.com',
    'https://realtime.machinelearning.us-east-1.amazonaws.com/',
    'http://127.0.0.1:8080',
    'https://ml.example.com:8443/ignored/path?x=1',
    'HTTPS://ml.example.com',
    'http://[::1]:9000',
  ];
  it('sends to botocore URL, with botocore body', async () => {
    const cases: CaptureCase[] = endpoints.map((PredictEndpoint) => ({
      service: 'machinelearning',
      operation: 'Predict',
      region: REGION,
      params: { MLModelId: 'ml-1', Record: { a: '1', b: 'x y' }, PredictEndpoint },
    }));
    for (const pair of await captureBoth(cases)) {
      assert.equal(pair.inia.error, undefined, `${label(pair.case)}: ${pair.inia.error?.message}`);
      assert.equal(pair.botocore.error, undefined, `${label(pair.case)}: ${pair.botocore.error?.message}`);
      assert.equal(pair.inia.request?.url, pair.botocore.request?.url, label(pair.case));
      assert.deepEqual(JSON.parse(bodyText(pair.inia)), JSON.parse(bodyText(pair.botocore)));
    }
  });

  it('signs for the new host', async () => {
    const result = await runInia('machinelearning', 'Predict', { MLModelId: 'ml-1', Record: {}, PredictEndpoint: 'https://ml.example.com:8443' });
    assert.equal(result.request?.url, 'https://ml.example.com:8443/');
    assert.match(result.request?.headers.authorization ?? '', /SignedHeaders=[^,]*host/);
  });

  it('refuses an endpoint without a scheme or host with a clear error', async () => {
    for (const PredictEndpoint of ['realtime.machinelearning.us-east-1.amazonaws.com', 'ftp://x', 'https://']) {
      const result = await runInia('machinelearning', 'Predict', { MLModelId: 'ml-1', Record: {}, PredictEndpoint });
      assert.equal(result.error?.type, 'ParamValidationError', PredictEndpoint);
      assert.match(result.error?.message ?? '', /PredictEndpoint/);
      assert.equal(result.request, undefined);
    }
  });
});

describe('cloudsearchdomain Search: sent as a form POST (change_get_to_post)', () => {
  const domain = 'https://search-movies-abc.us-east-1.cloudsearch.amazonaws.com';
  const searches: Array<Record<string, unknown>> = [
    { query: 'star wars' },
    { query: 'a&b=c+d é/☃', queryParser: 'simple', size: 10, start: 5, sort: 'year desc', filterQuery: "(and year:2000 genre:'x')" },
    { query: 'q', facet: '{"genres":{}}', highlight: '{"title":{}}', partial: true, expr: '{"e":"_score"}', stats: '{"year":{}}', cursor: 'initial', queryOptions: '{"fields":["title^5"]}' },
    { query: 'x'.repeat(5000) },
  ];
  it('sends botocore method, URL, headers and body', async () => {
    const cases: CaptureCase[] = searches.map((params) => ({ service: 'cloudsearchdomain', operation: 'Search', region: REGION, endpointUrl: domain, params }));
    for (const pair of await captureBoth(cases)) {
      assert.equal(pair.inia.error, undefined, `${label(pair.case)}: ${pair.inia.error?.message}`);
      assert.equal(pair.inia.request?.method, 'POST');
      assert.equal(pair.inia.request?.method, pair.botocore.request?.method);
      assert.equal(pair.inia.request?.url, pair.botocore.request?.url, label(pair.case));
      assert.deepEqual(pickHeaders(pair.inia.request, ['content-type', 'content-length']), pickHeaders(pair.botocore.request, ['content-type', 'content-length']));
      assert.equal(bodyText(pair.inia), bodyText(pair.botocore), label(pair.case));
    }
  });

  it('a retried search is the same form POST again', async () => {
    const client = new Session({ env: { ...EMPTY_ENV } }).client('cloudsearchdomain', {
      region: REGION,
      endpointUrl: domain,
      credentials: TEST_CREDENTIALS,
      config: new Config({ retries: { totalMaxAttempts: 3, mode: 'standard' } }),
    });
    const sent: Array<{ method: string; url: string; body: string; length: string | undefined }> = [];
    const random = Math.random;
    Math.random = () => 0; // no backoff sleep between the attempts
    client.meta.events.register('before-send', (args) => {
      const request = args.request as { method: string; url: string; headers: Record<string, string>; body: unknown };
      sent.push({ method: request.method, url: request.url, body: String(request.body), length: request.headers['content-length'] });
      const status = sent.length < 3 ? 503 : 200;
      return { statusCode: status, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(status === 200 ? '{"hits":{"found":0}}' : '{}') };
    });
    try {
      const out = await client.makeApiCall('Search', { query: 'star wars', size: 3 });
      assert.deepEqual((out as { hits: unknown }).hits, { found: 0 });
    } finally {
      Math.random = random;
      client.destroy();
    }
    assert.equal(sent.length, 3);
    for (const s of sent) assert.deepEqual(s, sent[0]);
    assert.equal(sent[0]!.method, 'POST');
    assert.equal(sent[0]!.url, `${domain}/2013-01-01/search`);
    assert.match(sent[0]!.body, /^format=sdk&pretty=true&q=star%20wars&size=3$/);
  });
});

describe('glacier: a one-shot stream body is read into memory only up to a bound', () => {
  it('refuses a stream larger than 64 MiB with a SigningError naming the ways out, and sends nothing', async () => {
    const glacier = new Session({ env: { ...EMPTY_ENV } }).client('glacier', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    let sent = 0;
    glacier.meta.events.register('before-send', () => {
      sent++;
      return { statusCode: 201, headers: {}, body: new Uint8Array() };
    });
    const mib = Buffer.alloc(1 << 20, 1);
    let produced = 0;
    // 65 MiB from one reused buffer; reading stops at the bound.
    const body = Readable.from((function* () {
      for (let i = 0; i < 65; i++) {
        produced++;
        yield mib;
      }
    })());
    await assert.rejects(glacier.uploadArchive({ vaultName: 'v', body }), (e: unknown) => e instanceof SigningError && /larger than 67108864 bytes/.test(e.message) && /FileHandle/.test(e.message));
    assert.equal(sent, 0);
    // The stream is let go, not left half read.
    assert.equal(body.destroyed, true);
    assert.equal(produced, 65);
    glacier.destroy();
  });
});
