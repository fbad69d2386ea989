/**
 * What before-sign and before-send handlers see as `request`, against botocore: its `url` (as
 * it will be sent, query included), `method`, `headers` and `body` (botocore's AWSRequest /
 * AWSPreparedRequest reading surface), for calls of several protocols and for presigned URLs;
 * and a handler that assigns `request.url` moves the request (it is signed and sent there).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Session } from 'inia';
import { TEST_CREDENTIALS } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

interface Seen {
  method: string;
  url: string;
  /** Lowercase header names present. */
  headers: string[];
  body: string;
}

interface Observed {
  beforeSign?: Seen;
  beforeSend?: Seen;
  /** A presigned URL's origin, path and query parameter names. */
  presigned?: string;
}

interface Case {
  service: string;
  operation: string;
  params: Record<string, unknown>;
  region: string;
  presign?: boolean;
  /** before-sign assigns request.url this value. */
  moveTo?: string;
}

const BOTOCORE = `
import json, sys
from urllib.parse import urlsplit, parse_qsl
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config

class Raw:
    def stream(self, *a, **k):
        yield b''
    def read(self, *a, **k):
        return b''

def body_text(body):
    if body is None:
        return ''
    if isinstance(body, bytes):
        return body.decode('utf-8')
    if isinstance(body, str):
        return body
    if hasattr(body, 'read') and hasattr(body, 'seek'):
        data = body.read()
        body.seek(0)
        return data.decode('utf-8') if isinstance(data, bytes) else data
    return '<stream>'

def seen(request):
    return {'method': request.method, 'url': request.url, 'headers': sorted({k.lower() for k in request.headers.keys()}), 'body': body_text(request.body)}

out = []
for case in json.load(sys.stdin):
    s = botocore.session.get_session()
    c = s.create_client(case['service'], region_name=case['region'], aws_access_key_id='a', aws_secret_access_key='b',
                        config=Config(signature_version='s3v4') if case['service'] == 's3' else None)
    got = {}
    def before_sign(request, **kw):
        got['beforeSign'] = seen(request)
        if case.get('moveTo'):
            request.url = case['moveTo']
    def before_send(request, **kw):
        got['beforeSend'] = seen(request)
        return AWSResponse(request.url, 200, {}, Raw())
    c.meta.events.register('before-sign', before_sign)
    c.meta.events.register('before-send', before_send)
    try:
        if case.get('presign'):
            method = [k for k, v in c.meta.method_to_api_mapping.items() if v == case['operation']][0]
            url = c.generate_presigned_url(method, Params=case['params'])
            parts = urlsplit(url)
            got['presigned'] = f"{parts.scheme}://{parts.netloc}{parts.path}?" + '&'.join(sorted(k for k, _ in parse_qsl(parts.query)))
        else:
            c._make_api_call(case['operation'], case['params'])
    except Exception as e:
        got['error'] = repr(e)
    out.append(got)
print(json.dumps(out))
`;

function seen(request: { method: string; url: string; headers: Record<string, string>; body: unknown }): Seen {
  const body = request.body;
  const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : '<stream>';
  return { method: request.method, url: request.url, headers: Object.keys(request.headers).map((h) => h.toLowerCase()).sort(), body: text };
}

async function inia(c: Case): Promise<Observed> {
  const client = new Session({ env: { ...EMPTY_ENV } }).client(c.service, { region: c.region, credentials: TEST_CREDENTIALS });
  const got: Observed = {};
  client.meta.events.register('before-sign', (args: Record<string, unknown>) => {
    const request = args.request as Parameters<typeof seen>[0];
    got.beforeSign = seen(request);
    if (c.moveTo !== undefined) request.url = c.moveTo;
  });
  client.meta.events.register('before-send', (args: Record<string, unknown>) => {
    const request = args.request as Parameters<typeof seen>[0];
    got.beforeSend = seen(request);
    return { statusCode: 200, headers: {}, body: new Uint8Array(0) };
  });
  try {
    if (c.presign === true) {
      const url = new URL(await client.generatePresignedUrl(c.operation, c.params));
      got.presigned = `${url.origin}${url.pathname}?${[...url.searchParams.keys()].sort().join('&')}`;
    }
    else await client.makeApiCall(c.operation, c.params);
  } catch {
    // the empty canned answer may not parse (EC2): only the request is compared
  } finally {
    client.destroy();
  }
  return got;
}

/** A JSON body as its value (botocore's json.dumps puts spaces after separators, JSON.stringify does not); else the text. */
function bodyValue(text: string): unknown {
  try {
    return text.startsWith('{') ? (JSON.parse(text) as unknown) : text;
  } catch {
    return text;
  }
}

/**
 * Framing headers each side sets its own way: inia gives every body of known length a
 * content-length (an aws-chunked one too, where botocore uses transfer-encoding: chunked, see
 * checksums/request.ts); host is the transport's in botocore.
 */
function comparable(o: Observed): unknown {
  const strip = (s: Seen | undefined): (Omit<Seen, 'body'> & { body: unknown }) | undefined =>
    s === undefined ? undefined : { ...s, body: bodyValue(s.body), headers: s.headers.filter((h) => h !== 'content-length' && h !== 'transfer-encoding' && h !== 'host') };
  return strip(o.beforeSend);
}

const CASES: Case[] = [
  { service: 's3', operation: 'ListObjectsV2', params: { Bucket: 'my-bucket', Prefix: 'a b/ü', MaxKeys: 5 }, region: 'eu-west-1' },
  { service: 's3', operation: 'PutObject', params: { Bucket: 'my.dotted.bucket', Key: 'x/y z.txt', Body: 'hello' }, region: 'us-west-2' },
  { service: 'dynamodb', operation: 'ListTables', params: { Limit: 3 }, region: 'us-east-1' },
  { service: 'sqs', operation: 'ListQueues', params: { QueueNamePrefix: 'q' }, region: 'eu-central-1' },
  { service: 'ec2', operation: 'DescribeRegions', params: { RegionNames: ['us-east-1'] }, region: 'ap-southeast-2' },
  { service: 'lambda', operation: 'GetFunction', params: { FunctionName: 'fn', Qualifier: '$LATEST' }, region: 'us-east-1' },
  { service: 'route53', operation: 'ListHostedZones', params: { MaxItems: '2' }, region: 'us-east-1' },
  // A handler moving the request: it is signed and sent where it now points.
  { service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-east-1', moveTo: 'https://elsewhere.example.com:8443/base?x=1' },
  // Presigned URLs: before-sign sees the request before the signature's query parameters.
  { service: 's3', operation: 'GetObject', params: { Bucket: 'my-bucket', Key: 'k/ü v' }, region: 'eu-west-1', presign: true },
  { service: 'sts', operation: 'GetCallerIdentity', params: {}, region: 'us-east-1', presign: true },
  { service: 's3', operation: 'GetObject', params: { Bucket: 'my-bucket', Key: 'k' }, region: 'eu-west-1', presign: true, moveTo: 'https://elsewhere.example.com/other/key?versionId=3' },
];

describe('request on before-sign and before-send, against botocore', () => {
  it('url, method, header names and body', async () => {
    const reference = pythonJson<Array<Observed & { error?: string }>>(BOTOCORE, { what: 'botocore prepared-request driver', input: JSON.stringify(CASES) });
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i]!;
      const want = reference[i]!;
      // What the empty canned answer parses to (an error for EC2's XML) is not what is compared here.
      const got = await inia(c);
      const label = `${c.service} ${c.operation}${c.presign ? ' (presigned)' : ''}${c.moveTo ? ' (moved)' : ''}`;
      assert.ok(got.beforeSign !== undefined, `${label}: before-sign did not run`);
      // Header names are botocore's at before-sign only for the modeled ones; the sets are compared at before-send.
      assert.equal(got.beforeSign.url, want.beforeSign!.url, `${label}: before-sign url`);
      assert.equal(got.beforeSign.method, want.beforeSign!.method, `${label}: before-sign method`);
      assert.deepEqual(bodyValue(got.beforeSign.body), bodyValue(want.beforeSign!.body), `${label}: before-sign body`);
      if (c.presign === true) {
        assert.equal(got.presigned, want.presigned, `${label}: presigned URL`);
        continue;
      }
      assert.deepEqual(comparable(got), comparable(want), `${label}: before-send`);
      if (c.moveTo !== undefined) assert.equal(got.beforeSend?.url, c.moveTo, label);
    }
  });
});
