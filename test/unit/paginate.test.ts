/**
 * Paginators against canned raw responses (a before-send handler answers, nothing leaves the
 * process), compared case by case with botocore's paginator fed the same raw responses in a
 * python3 subprocess: the merged result, the pages, the parameters of every request, the
 * NextToken, and the error messages. A missing python3 or botocore fails the suite.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Session, type Client } from '../../src/index.js';
import { OperationNotPageableError, PaginationError, UnknownOperationError } from '../../src/errors.js';
import { canPaginate, decodeToken, encodeToken, getPaginator, type PaginateParams } from '../../src/paginate.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

interface CannedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

interface PaginateCase {
  kind: 'paginate';
  name: string;
  service: string;
  operation: string;
  params: unknown;
  mode: 'full' | 'pages';
  responses: CannedResponse[];
  /** The botocore exception this case must raise (any other outcome of botocore's is a broken case). */
  raises?: string;
}

interface TokenCase {
  kind: 'encode' | 'decode';
  name: string;
  token: unknown;
}

type Case = PaginateCase | TokenCase;

interface Outcome {
  result?: unknown;
  resume?: string | null;
  sent?: unknown[];
  error?: string;
  message?: string;
}

// ---------------------------------------------------------------- JSON-able form of results

/** Bytes and dates as tagged objects, undefined members dropped: the form both SDKs' results are compared in. */
function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return { __bytes__: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { __date__: value.getTime() / 1000 };
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalize(v);
    return out;
  }
  return value;
}

/** The inverse for inputs: { __bytes__ } back to a Uint8Array. */
function denormalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(denormalize);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.__bytes__ === 'string') return new Uint8Array(Buffer.from(obj.__bytes__, 'base64'));
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, denormalize(v)]));
  }
  return value;
}

function stripMetadata(page: unknown): unknown {
  const { ResponseMetadata: _ignored, ...rest } = page as Record<string, unknown>;
  return rest;
}

// ---------------------------------------------------------------- botocore side

const BOTOCORE_DRIVER = String.raw`
import base64, copy, datetime, json, sys
import botocore.session
from botocore import xform_name
from botocore.awsrequest import AWSResponse
from botocore.paginate import TokenDecoder, TokenEncoder

def enc(o):
    if isinstance(o, (bytes, bytearray)):
        return {'__bytes__': base64.b64encode(bytes(o)).decode()}
    if isinstance(o, datetime.datetime):
        return {'__date__': o.timestamp()}
    if isinstance(o, dict):
        return {k: enc(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [enc(v) for v in o]
    return o

def dec(o):
    if isinstance(o, dict):
        if isinstance(o.get('__bytes__'), str):
            return base64.b64decode(o['__bytes__'])
        return {k: dec(v) for k, v in o.items()}
    if isinstance(o, list):
        return [dec(v) for v in o]
    return o

class Raw:
    def __init__(self, body):
        self.body = body
    def stream(self, **kwargs):
        yield self.body

def run(case):
    if case['kind'] == 'encode':
        return TokenEncoder().encode(dec(case['token']))
    if case['kind'] == 'decode':
        return enc(TokenDecoder().decode(case['token']))
    session = botocore.session.Session()
    session.set_credentials('testing', 'testing')
    client = session.create_client(case['service'], region_name='us-east-1', endpoint_url='http://127.0.0.1:9')
    responses = list(case['responses'])
    sent = []
    def before_send(request, **kwargs):
        r = responses.pop(0)
        return AWSResponse(request.url, r['statusCode'], r['headers'], Raw(r['body'].encode('utf-8')))
    def record(params, **kwargs):
        sent.append(enc(copy.deepcopy(params)))
    client.meta.events.register('before-send', before_send)
    client.meta.events.register('provide-client-params', record)
    out = {'sent': sent}
    try:
        pages = client.get_paginator(xform_name(case['operation'])).paginate(**dec(case['params']))
        if case['mode'] == 'full':
            out['result'] = enc(pages.build_full_result())
        else:
            out['result'] = [enc({k: v for k, v in p.items() if k != 'ResponseMetadata'}) for p in pages]
        out['resume'] = pages.resume_token
    except Exception as e:
        out['error'] = type(e).__name__
        out['message'] = str(e)
    return out

cases = json.load(sys.stdin)
print(json.dumps([run(c) for c in cases]))
`;

function runBotocore(cases: readonly Case[]): unknown[] {
  return pythonJson<unknown[]>(BOTOCORE_DRIVER, { what: 'botocore paginator driver', input: JSON.stringify(cases) });
}

// ---------------------------------------------------------------- inia side

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function makeClient(service: string): Client {
  return new Session({ env: { ...EMPTY_ENV } }).client(service, { region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', credentials });
}

/** A client whose requests are answered, in order, by `responses` (more requests than answers is an error). */
function cannedClient(service: string, responses: readonly CannedResponse[], sent: unknown[] = []): Client {
  const client = makeClient(service);
  const queue = [...responses];
  const prefix = client.meta.serviceModel.hyphenizedServiceId;
  client.meta.events.register(`before-send.${prefix}`, () => {
    const r = queue.shift();
    if (r === undefined) throw new Error('more requests than canned responses');
    return { statusCode: r.statusCode, headers: r.headers, body: Buffer.from(r.body) };
  });
  client.meta.events.register(`provide-client-params.${prefix}`, (args) => {
    sent.push(normalize(structuredClone(args.params)));
  });
  return client;
}

async function runInia(c: PaginateCase): Promise<Outcome> {
  const sent: unknown[] = [];
  const client = cannedClient(c.service, c.responses, sent);
  const out: Outcome = { sent };
  try {
    const pages = getPaginator(client, c.operation).paginate(denormalize(c.params) as PaginateParams);
    if (c.mode === 'full') {
      out.result = normalize(await pages.buildFullResult());
    } else {
      const all: unknown[] = [];
      for await (const page of pages) all.push(normalize(stripMetadata(page)));
      out.result = all;
    }
    out.resume = pages.resumeToken ?? null;
  } catch (e) {
    out.error = (e as Error).name;
    out.message = (e as Error).message;
  } finally {
    client.destroy();
  }
  return out;
}

// ---------------------------------------------------------------- canned responses

const XML = { 'content-type': 'application/xml' };
const JSON_10 = { 'content-type': 'application/x-amz-json-1.0' };
const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };

function s3Object(key: string): string {
  return `<Contents><Key>${key}</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>"abc"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>`;
}

/** A ListObjectsV2 page; keys are url-encoded as S3 sends them when EncodingType=url. */
function listV2(keys: string[], next?: string, prefixes: string[] = []): CannedResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>b</Name><Prefix></Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>2</MaxKeys><EncodingType>url</EncodingType>` +
    `<IsTruncated>${next !== undefined}</IsTruncated>${next !== undefined ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}` +
    keys.map(s3Object).join('') +
    prefixes.map((p) => `<CommonPrefixes><Prefix>${p}</Prefix></CommonPrefixes>`).join('') +
    '</ListBucketResult>';
  return { statusCode: 200, headers: XML, body };
}

/** A ListObjects (v1) page without NextMarker, as S3 answers when no Delimiter is given. */
function listV1(keys: string[], truncated: boolean): CannedResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>b</Name><Prefix></Prefix><Marker></Marker><MaxKeys>2</MaxKeys><EncodingType>url</EncodingType><IsTruncated>${truncated}</IsTruncated>` +
    keys.map(s3Object).join('') +
    '</ListBucketResult>';
  return { statusCode: 200, headers: XML, body };
}

function listVersions(keys: Array<[string, string]>, next?: [string, string]): CannedResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>b</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>2</MaxKeys><IsTruncated>${next !== undefined}</IsTruncated>` +
    (next !== undefined ? `<NextKeyMarker>${next[0]}</NextKeyMarker><NextVersionIdMarker>${next[1]}</NextVersionIdMarker>` : '') +
    keys.map(([k, v]) => `<Version><Key>${k}</Key><VersionId>${v}</VersionId><IsLatest>true</IsLatest><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>"e"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Version>`).join('') +
    '</ListVersionsResult>';
  return { statusCode: 200, headers: XML, body };
}

function scan(ids: string[], lastKey?: string, scanned = ids.length): CannedResponse {
  const body = JSON.stringify({
    Items: ids.map((id) => ({ pk: { B: Buffer.from(id).toString('base64') }, n: { N: String(id.length) } })),
    Count: ids.length,
    ScannedCount: scanned,
    ConsumedCapacity: { TableName: 'T', CapacityUnits: 0.5 },
    ...(lastKey !== undefined ? { LastEvaluatedKey: { pk: { B: Buffer.from(lastKey).toString('base64') } } } : {}),
  });
  return { statusCode: 200, headers: JSON_10, body };
}

function describeStream(shards: string[], more: boolean): CannedResponse {
  const body = JSON.stringify({
    StreamDescription: {
      StreamName: 's',
      StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
      StreamStatus: 'ACTIVE',
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: 1700000000,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      HasMoreShards: more,
      Shards: shards.map((id) => ({ ShardId: id, HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' }, SequenceNumberRange: { StartingSequenceNumber: '1' } })),
    },
  });
  return { statusCode: 200, headers: JSON_11, body };
}

function recordSets(names: string[], next?: [string, string]): CannedResponse {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?><ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ResourceRecordSets>' +
    names.map((n) => `<ResourceRecordSet><Name>${n}</Name><Type>A</Type><TTL>300</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>`).join('') +
    `</ResourceRecordSets><IsTruncated>${next !== undefined}</IsTruncated>` +
    (next !== undefined ? `<NextRecordName>${next[0]}</NextRecordName><NextRecordType>${next[1]}</NextRecordType>` : '') +
    '<MaxItems>2</MaxItems></ListResourceRecordSetsResponse>';
  return { statusCode: 200, headers: XML, body };
}

function listTables(names: string[], last?: string): CannedResponse {
  return { statusCode: 200, headers: JSON_10, body: JSON.stringify({ TableNames: names, ...(last !== undefined ? { LastEvaluatedTableName: last } : {}) }) };
}

// ---------------------------------------------------------------- the cases

const v2Pages = [listV2(['a', 'b'], 't2', ['p%2F']), listV2(['c', 'dir/d%20e'], 't3'), listV2(['f'])];
const midPageToken = encodeToken({ ContinuationToken: 't2', boto_truncate_amount: 1 });

const PAGINATE_CASES: PaginateCase[] = [
  { kind: 'paginate', name: 'ListObjectsV2 merged with PageSize', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', PaginationConfig: { PageSize: 2 } }, mode: 'full', responses: v2Pages },
  { kind: 'paginate', name: 'ListObjectsV2 cut mid-page by MaxItems', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', PaginationConfig: { MaxItems: 3, PageSize: 2 } }, mode: 'full', responses: v2Pages },
  { kind: 'paginate', name: 'ListObjectsV2 cut on a page boundary', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', PaginationConfig: { MaxItems: 4 } }, mode: 'full', responses: v2Pages },
  { kind: 'paginate', name: 'ListObjectsV2 resumed mid-page (pages)', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', PaginationConfig: { StartingToken: midPageToken, MaxItems: 2 } }, mode: 'pages', responses: v2Pages.slice(1) },
  { kind: 'paginate', name: 'ListObjectsV2 resumed mid-page (merged)', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', PaginationConfig: { StartingToken: midPageToken } }, mode: 'full', responses: v2Pages.slice(1) },
  { kind: 'paginate', name: 'ListObjectsV2 legacy StartingToken', service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'b', PaginationConfig: { StartingToken: 't2___1' } }, mode: 'pages', responses: v2Pages.slice(1) },
  { kind: 'paginate', name: 'ListObjects (v1) without NextMarker', service: 's3', operation: 'ListObjects', params: { Bucket: 'b' }, mode: 'full', responses: [listV1(['a', 'dir/b%20c'], true), listV1(['d'], false)] },
  { kind: 'paginate', name: 'ListObjectVersions, two tokens', service: 's3', operation: 'ListObjectVersions', params: { Bucket: 'b', PaginationConfig: { MaxItems: 3 } }, mode: 'full', responses: [listVersions([['a', 'v1'], ['a', 'v0']], ['a', 'v0']), listVersions([['b', 'v9'], ['c', 'v8']], ['c', 'v8'])] },
  { kind: 'paginate', name: 'Scan: counts summed, bytes key token', service: 'dynamodb', operation: 'Scan', params: { TableName: 'T', PaginationConfig: { MaxItems: 3, PageSize: 2 } }, mode: 'full', responses: [scan(['k1', 'k2'], 'k2', 5), scan(['k3', 'k4'], 'k4', 4)] },
  { kind: 'paginate', name: 'Scan to the end', service: 'dynamodb', operation: 'Scan', params: { TableName: 'T' }, mode: 'full', responses: [scan(['k1', 'k2'], 'k2', 5), scan(['k3'], undefined, 1)] },
  { kind: 'paginate', name: 'Kinesis DescribeStream: nested keys, more_results', service: 'kinesis', operation: 'DescribeStream', params: { StreamName: 's', PaginationConfig: { PageSize: 2 } }, mode: 'full', responses: [describeStream(['shard-0', 'shard-1'], true), describeStream(['shard-2'], false)] },
  { kind: 'paginate', name: 'Route 53: three tokens, string limit key', service: 'route53', operation: 'ListResourceRecordSets', params: { HostedZoneId: 'Z1', PaginationConfig: { PageSize: 2, MaxItems: 3 } }, mode: 'full', responses: [recordSets(['a.example.com.', 'b.example.com.'], ['c.example.com.', 'A']), recordSets(['c.example.com.', 'd.example.com.'], ['e.example.com.', 'A'])] },
  { kind: 'paginate', name: 'the same token twice', service: 'dynamodb', operation: 'ListTables', params: {}, mode: 'pages', raises: 'PaginationError', responses: [listTables(['aaa'], 'aaa'), listTables(['bbb'], 'bbb'), listTables(['bbb'], 'bbb'), listTables(['ccc'])] },
  { kind: 'paginate', name: 'PageSize where there is no limit key', service: 'cloudwatch', operation: 'ListDashboards', params: { PaginationConfig: { PageSize: 5 } }, mode: 'full', raises: 'PaginationError', responses: [] },
];

const TOKENS: unknown[] = [
  { NextToken: 'abc' },
  { Marker: null, boto_truncate_amount: 15 },
  { ExclusiveStartKey: { pk: { B: { __bytes__: Buffer.from([0, 1, 2, 255]).toString('base64') } }, sk: { S: 'x' } }, boto_truncate_amount: 2 },
  { ExclusiveStartKey: { l: [{ B: { __bytes__: 'AQI=' } }, 'plain', { B: { __bytes__: '' } }] } },
  { NextToken: 'caf\u00e9 \u{1F600} "quoted" \\ \n\t\u0001\u007f', n: 1.5, big: 12345678901234567, small: 0.00001, neg: -3, t: true },
];

const TOKEN_CASES: TokenCase[] = TOKENS.map((token, i) => ({ kind: 'encode', name: `encode ${i}`, token }));

describe('paginators compared with botocore on the same raw responses', () => {
  let botocore: unknown[];
  const inia = new Map<string, Outcome>();

  before(async () => {
    const cases: Case[] = [...PAGINATE_CASES, ...TOKEN_CASES];
    botocore = runBotocore(cases);
    for (const c of PAGINATE_CASES) inia.set(c.name, await runInia(c));
  });

  PAGINATE_CASES.forEach((c, i) => {
    it(c.name, () => {
      const theirs = botocore[i] as Outcome;
      const ours = inia.get(c.name)!;
      assert.equal(theirs.error, c.raises, `botocore: ${theirs.message}`);
      if (theirs.error !== undefined) {
        assert.equal(ours.error, theirs.error, `botocore raised ${theirs.error}: ${theirs.message}`);
        assert.equal(ours.message, theirs.message);
      } else {
        assert.equal(ours.error, undefined, ours.message);
        assert.notDeepEqual(theirs.result, {}, 'botocore merged something');
        assert.deepEqual(ours.result, theirs.result);
        assert.equal(ours.resume, theirs.resume);
      }
      assert.deepEqual(ours.sent, theirs.sent, 'the parameters of every request');
    });
  });

  it('encodes tokens byte for byte as botocore does', () => {
    TOKENS.forEach((token, i) => {
      const theirs = botocore[PAGINATE_CASES.length + i] as string;
      assert.equal(encodeToken(denormalize(token) as Record<string, unknown>), theirs, `token ${i}`);
      assert.deepEqual(normalize(decodeToken(theirs)), normalize(denormalize(token)), `token ${i} decoded`);
    });
  });

  it('cut results carry botocore-decodable NextTokens with the truncate amount', () => {
    const cut = inia.get('ListObjectsV2 cut mid-page by MaxItems')!.result as Record<string, unknown>;
    assert.deepEqual(decodeToken(cut.NextToken as string), { ContinuationToken: 't2', boto_truncate_amount: 1 });
    const scanCut = inia.get('Scan: counts summed, bytes key token')!.result as Record<string, unknown>;
    const decoded = decodeToken(scanCut.NextToken as string);
    assert.deepEqual(decoded, { ExclusiveStartKey: { pk: { B: new Uint8Array(Buffer.from('k2')) } }, boto_truncate_amount: 1 });
    // Only the primary key is cut: the counts are the pages' sums, as botocore's.
    assert.equal(scanCut.Count, 4);
    assert.equal(scanCut.ScannedCount, 9);
  });
});

describe('token encoding edge cases', () => {
  it('round-trips nested bytes and refuses strings that are not tokens', () => {
    const token = { A: [new Uint8Array([1, 2]), { b: new Uint8Array(0) }], C: 'x' };
    assert.deepEqual(decodeToken(encodeToken(token)), token);
    assert.throws(() => decodeToken('not a token'));
    assert.throws(() => decodeToken('YWJj')); // base64 of "abc": not JSON
    assert.throws(() => decodeToken(Buffer.from('[1]').toString('base64'))); // JSON, not an object
  });
});

describe('paginator API', () => {
  it('canPaginate takes method and operation names', () => {
    const s3 = makeClient('s3');
    assert.equal(canPaginate(s3, 'listObjectsV2'), true);
    assert.equal(canPaginate(s3, 'ListObjectsV2'), true);
    assert.equal(canPaginate(s3, 'getObject'), false);
    assert.equal(canPaginate(s3, 'noSuchOperation'), false);
    s3.destroy();
  });

  it('getPaginator refuses operations that cannot be paginated, and unknown ones', () => {
    const s3 = makeClient('s3');
    assert.throws(() => getPaginator(s3, 'getObject'), (e: unknown) => e instanceof OperationNotPageableError && e.message === 'Operation cannot be paginated: getObject');
    assert.throws(() => getPaginator(s3, 'noSuchOperation'), UnknownOperationError);
    assert.deepEqual(getPaginator(s3, 'listObjectsV2').resultKeys, ['Contents', 'CommonPrefixes']);
    s3.destroy();
  });

  it('refuses unknown PaginationConfig keys and bad values before sending anything', () => {
    const sent: unknown[] = [];
    const s3 = cannedClient('s3', [], sent);
    const p = getPaginator(s3, 'listObjectsV2');
    assert.throws(() => p.paginate({ Bucket: 'b', PaginationConfig: { MaxItem: 3 } as never }), (e: unknown) => e instanceof PaginationError && /Unknown PaginationConfig key 'MaxItem'/.test(e.message));
    assert.throws(() => p.paginate({ Bucket: 'b', PaginationConfig: { MaxItems: -1 } }), PaginationError);
    assert.throws(() => p.paginate({ Bucket: 'b', PaginationConfig: { PageSize: 2.5 } }), PaginationError);
    assert.throws(() => p.paginate({ Bucket: 'b', PaginationConfig: { StartingToken: 7 as never } }), PaginationError);
    assert.throws(() => p.paginate({ Bucket: 'b', PaginationConfig: { StartingToken: 'a___b___1' } }), /Bad starting token/);
    assert.equal(sent.length, 0);
    s3.destroy();
  });

  it('chains tokens, exposes resumeToken and the non-aggregate part, and leaves the caller params alone', async () => {
    const sent: unknown[] = [];
    const s3 = cannedClient('s3', [v2Pages[0]!, v2Pages[1]!, v2Pages[0]!, v2Pages[1]!], sent);
    const params = { Bucket: 'b', PaginationConfig: { PageSize: 2, MaxItems: 4 } };
    const pages = getPaginator(s3, 'listObjectsV2').paginate(params);
    const keys: unknown[] = [];
    for await (const page of pages) keys.push(...((page.Contents as Array<{ Key: string }>) ?? []).map((o) => o.Key));
    assert.deepEqual(keys, ['a', 'b', 'c', 'dir/d e']);
    assert.deepEqual(decodeToken(pages.resumeToken!), { ContinuationToken: 't3' });
    assert.deepEqual(pages.nonAggregatePart, { RequestCharged: null, Prefix: '' });
    assert.deepEqual(sent.map((p) => (p as Record<string, unknown>).ContinuationToken), [undefined, 't2']);
    assert.deepEqual(params, { Bucket: 'b', PaginationConfig: { PageSize: 2, MaxItems: 4 } });
    // A second iteration starts again from the beginning (botocore's would resume from its last token).
    const again: unknown[] = [];
    for await (const key of pages.search('Contents[].Key')) again.push(key);
    assert.deepEqual(again, keys);
    s3.destroy();
  });

  it('search yields list items one by one and other results as they are', async () => {
    const s3 = cannedClient('s3', [...v2Pages, ...v2Pages]);
    const pages = getPaginator(s3, 'listObjectsV2').paginate({ Bucket: 'b' });
    const found: unknown[] = [];
    for await (const v of pages.search('CommonPrefixes[].Prefix')) found.push(v);
    assert.deepEqual(found, ['p/', null, null]);
    const counts: unknown[] = [];
    for await (const v of pages.search('KeyCount')) counts.push(v);
    assert.deepEqual(counts, [2, 2, 1]);
    assert.throws(() => pages.search('Contents[.'), PaginationError);
    s3.destroy();
  });

  it('passes call options through: an abort after the first page stops the iteration', async () => {
    const sent: unknown[] = [];
    const s3 = cannedClient('s3', v2Pages, sent);
    const controller = new AbortController();
    const pages = getPaginator(s3, 'listObjectsV2').paginate({ Bucket: 'b' }, { abortSignal: controller.signal });
    await assert.rejects(async () => {
      for await (const _page of pages) controller.abort();
    }, (e: unknown) => (e as Error).name === 'AbortError');
    assert.equal(sent.length, 1);
    s3.destroy();
  });
});
