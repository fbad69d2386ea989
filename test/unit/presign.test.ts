/**
 * Presigned URLs and POSTs, compared with boto3's for the same credentials, region, inputs and
 * signing time. boto3 is configured with signature_version='s3v4' (API.md: inia presigns S3
 * with SigV4; boto3 would otherwise use SigV2 for S3). botocore reads the time through
 * `get_current_datetime` (botocore.compat, imported into botocore.auth and botocore.signers),
 * which the Python side patches in both modules, as botocore's own signer tests patch the
 * clock those modules read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Config, Session, type Client } from '../../src/index.js';
import { clientContext } from '../../src/client.js';
import { InvalidOptionError, UnknownOperationError } from '../../src/errors.js';
import { pythonJsonDumps } from '../../src/auth/presign-post.js';
import { PresignError, generatePresignedPost, generatePresignedUrl, type PresignedPostParams } from '../../src/presign.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

const FIXED = new Date('2024-05-17T12:34:56.789Z');
const KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjE/+=token';

interface Creds {
  key: string;
  secret: string;
  token?: string;
}

interface ClientSpec {
  service: string;
  region: string;
  addressingStyle?: 'path' | 'virtual';
  endpointUrl?: string;
  creds?: Creds;
}

interface UrlCase extends ClientSpec {
  kind: 'url';
  name: string;
  method: string;
  params: Record<string, unknown>;
  expiresIn?: number;
  httpMethod?: string;
}

interface PostCase extends ClientSpec {
  kind: 'post';
  name: string;
  post: PresignedPostParams;
}

type Case = UrlCase | PostCase;

const BOTO3 = String.raw`
import datetime, json, sys
from unittest import mock
import boto3
from botocore.config import Config

spec = json.load(sys.stdin)
fixed = datetime.datetime.strptime(spec['date'], '%Y-%m-%dT%H:%M:%S.%f')
out = []
with mock.patch('botocore.auth.get_current_datetime', return_value=fixed), \
     mock.patch('botocore.signers.get_current_datetime', return_value=fixed):
    for case in spec['cases']:
        s3 = {'addressing_style': case['addressingStyle']} if case.get('addressingStyle') else None
        creds = case.get('creds') or {'key': spec['key'], 'secret': spec['secret']}
        client = boto3.session.Session().client(
            case['service'], region_name=case['region'], endpoint_url=case.get('endpointUrl'),
            aws_access_key_id=creds['key'], aws_secret_access_key=creds['secret'],
            aws_session_token=creds.get('token'),
            # s3v4 for S3 only: on another service it would pick S3's signer (UNSIGNED-PAYLOAD).
            config=Config(signature_version='s3v4' if case['service'] == 's3' else None, s3=s3))
        if case['kind'] == 'url':
            op = case['method'][0].upper() + case['method'][1:]  # inia also takes the method name
            py_name = {v: k for k, v in client.meta.method_to_api_mapping.items()}[op]
            kwargs = {'Params': case['params'], 'ExpiresIn': case.get('expiresIn', 3600)}
            if case.get('httpMethod'):
                kwargs['HttpMethod'] = case['httpMethod']
            out.append(client.generate_presigned_url(py_name, **kwargs))
        else:
            p = case['post']
            out.append(client.generate_presigned_post(p['Bucket'], p['Key'], Fields=p.get('Fields'),
                                                      Conditions=p.get('Conditions'), ExpiresIn=p.get('ExpiresIn', 3600)))
json.dump(out, sys.stdout)
`;

/** boto3's answers for every case, from one python3 run (a missing python3 or boto3 fails the test). */
function boto3Answers(cases: readonly Case[]): unknown[] {
  const input = JSON.stringify({ date: FIXED.toISOString().slice(0, 23).replace('Z', ''), key: KEY, secret: SECRET, cases });
  return pythonJson<unknown[]>(BOTO3, { what: 'boto3 presign script', input });
}

const clients: Client[] = [];

function makeClient(spec: ClientSpec): Client {
  const creds = spec.creds ?? { key: KEY, secret: SECRET };
  const c = new Session({ env: { ...EMPTY_ENV } }).client(spec.service, {
    region: spec.region,
    ...(spec.endpointUrl !== undefined ? { endpointUrl: spec.endpointUrl } : {}),
    credentials: { accessKeyId: creds.key, secretAccessKey: creds.secret, sessionToken: creds.token },
    config: new Config(spec.addressingStyle !== undefined ? { s3: { addressingStyle: spec.addressingStyle } } : {}),
  });
  clients.push(c);
  return c;
}

async function iniaAnswer(c: Case): Promise<unknown> {
  const client = makeClient(c);
  if (c.kind === 'url') {
    return generatePresignedUrl(client, c.method, c.params, { expiresIn: c.expiresIn ?? 3600, ...(c.httpMethod !== undefined ? { httpMethod: c.httpMethod } : {}) }, { date: FIXED });
  }
  return generatePresignedPost(client, c.post, { date: FIXED });
}

const withToken: Creds = { key: KEY, secret: SECRET, token: TOKEN };
const S3_KEY = 'photos/2024/a b+c~é&=?.jpg';

const CASES: Case[] = [
  { kind: 'url', name: 'S3 GetObject, us-east-1, default addressing', service: 's3', region: 'us-east-1', method: 'GetObject', params: { Bucket: 'my-bucket', Key: S3_KEY }, expiresIn: 900 },
  { kind: 'url', name: 'S3 GetObject by method name', service: 's3', region: 'us-east-1', method: 'getObject', params: { Bucket: 'my-bucket', Key: 'k' } },
  { kind: 'url', name: 'S3 GetObject, eu-west-1, default addressing (global endpoint, regional signature)', service: 's3', region: 'eu-west-1', method: 'GetObject', params: { Bucket: 'my-bucket', Key: S3_KEY } },
  { kind: 'url', name: 'S3 GetObject, eu-west-1, path style', service: 's3', region: 'eu-west-1', addressingStyle: 'path', method: 'GetObject', params: { Bucket: 'my-bucket', Key: S3_KEY } },
  { kind: 'url', name: 'S3 GetObject, eu-west-1, virtual host style', service: 's3', region: 'eu-west-1', addressingStyle: 'virtual', method: 'GetObject', params: { Bucket: 'my-bucket', Key: S3_KEY } },
  { kind: 'url', name: 'S3 GetObject, us-east-1, path style', service: 's3', region: 'us-east-1', addressingStyle: 'path', method: 'GetObject', params: { Bucket: 'my-bucket', Key: S3_KEY } },
  { kind: 'url', name: 'S3 GetObject, a bucket that is not a DNS label (path style required)', service: 's3', region: 'eu-west-1', method: 'GetObject', params: { Bucket: 'my.dotted.bucket', Key: 'k' } },
  { kind: 'url', name: 'S3 GetObject with query members', service: 's3', region: 'us-west-2', method: 'GetObject', params: { Bucket: 'my-bucket', Key: 'k', VersionId: 'v1+/=', ResponseContentDisposition: 'attachment; filename="a b.txt"' } },
  { kind: 'url', name: 'S3 PutObject with ContentType, metadata and a session token', service: 's3', region: 'eu-west-1', creds: withToken, method: 'PutObject', params: { Bucket: 'my-bucket', Key: 'up/file.txt', ContentType: 'text/plain', Metadata: { owner: 'ada' } } },
  { kind: 'url', name: 'S3 ListObjectsV2 (static query, EncodingType added by the customization)', service: 's3', region: 'eu-west-1', method: 'ListObjectsV2', params: { Bucket: 'my-bucket', Prefix: 'p q/' } },
  { kind: 'url', name: 'S3 CreateMultipartUpload (?uploads)', service: 's3', region: 'us-east-1', method: 'CreateMultipartUpload', params: { Bucket: 'my-bucket', Key: 'big' } },
  { kind: 'url', name: 'S3 with an HttpMethod override', service: 's3', region: 'us-east-1', method: 'GetObject', params: { Bucket: 'my-bucket', Key: 'k' }, httpMethod: 'PUT' },
  { kind: 'url', name: 'S3 against a custom endpoint with a port', service: 's3', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9000', method: 'GetObject', params: { Bucket: 'my-bucket', Key: S3_KEY } },
  { kind: 'url', name: 'STS GetCallerIdentity (query protocol: the form body moves to the query)', service: 'sts', region: 'eu-west-1', method: 'GetCallerIdentity', params: {} },
  { kind: 'url', name: 'STS GetCallerIdentity with a session token', service: 'sts', region: 'us-east-1', creds: withToken, method: 'GetCallerIdentity', params: {} },
  { kind: 'url', name: 'SQS ReceiveMessage (JSON body members move to the query; its headers are signed)', service: 'sqs', region: 'eu-west-1', method: 'ReceiveMessage', params: { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q', MaxNumberOfMessages: 2, MessageAttributeNames: ['All', 'x y'] } },
  { kind: 'url', name: 'IAM ListUsers (a global service signs for us-east-1)', service: 'iam', region: 'eu-west-1', method: 'ListUsers', params: { PathPrefix: '/a b/' } },
  { kind: 'url', name: 'EC2 DescribeInstances with filters (ec2 protocol)', service: 'ec2', region: 'us-west-2', method: 'DescribeInstances', params: { Filters: [{ Name: 'tag:Name', Values: ['web *'] }] } },
  { kind: 'url', name: 'DynamoDB GetItem (nested JSON members written as Python str())', service: 'dynamodb', region: 'us-east-1', method: 'GetItem', params: { TableName: 'T', Key: { id: { S: "it's" } }, ConsistentRead: true } },
  { kind: 'url', name: 'STS AssumeRoleWithWebIdentity (an unsigned operation: the URL carries no signature)', service: 'sts', region: 'eu-west-1', method: 'AssumeRoleWithWebIdentity', params: { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session', WebIdentityToken: 'web-identity-token' } },
  { kind: 'post', name: 'POST, eu-west-1, ${filename}, fields, conditions and a session token', service: 's3', region: 'eu-west-1', creds: withToken, post: { Bucket: 'my-bucket', Key: 'uploads/${filename}', Fields: { acl: 'public-read', 'Content-Type': 'image/png' }, Conditions: [{ acl: 'public-read' }, ['starts-with', '$Content-Type', 'image/'], ['content-length-range', 1, 1048576]], ExpiresIn: 600 } },
  { kind: 'post', name: 'POST, us-east-1, plain key, defaults', service: 's3', region: 'us-east-1', post: { Bucket: 'my-bucket', Key: 'a/b é.txt' } },
  { kind: 'post', name: 'POST, path style', service: 's3', region: 'us-west-2', addressingStyle: 'path', post: { Bucket: 'my-bucket', Key: 'k', Conditions: [{ 'x-amz-meta-note': 'naïve "quoted"' }], Fields: { 'x-amz-meta-note': 'naïve "quoted"' } } },
  { kind: 'post', name: 'POST to a custom endpoint', service: 's3', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9000', post: { Bucket: 'my-bucket', Key: 'k' } },
];

let expected: unknown[];

before(() => {
  expected = boto3Answers(CASES);
  assert.equal(expected.length, CASES.length);
});

after(() => {
  for (const c of clients) c.destroy();
});

describe('generatePresignedUrl equals boto3 (signature_version s3v4) for the same inputs and time', () => {
  CASES.forEach((c, i) => {
    if (c.kind !== 'url') return;
    it(c.name, async () => {
      assert.equal(await iniaAnswer(c), expected[i]);
    });
  });
});

describe('generatePresignedPost equals boto3 for the same inputs and time', () => {
  CASES.forEach((c, i) => {
    if (c.kind !== 'post') return;
    it(c.name, async () => {
      const got = (await iniaAnswer(c)) as { url: string; fields: Record<string, string> };
      const want = expected[i] as { url: string; fields: Record<string, string> };
      assert.equal(got.url, want.url);
      const policy = (fields: Record<string, string>) => JSON.parse(Buffer.from(fields.policy!, 'base64').toString('utf8')) as unknown;
      assert.deepEqual(policy(got.fields), policy(want.fields));
      // Same policy bytes, same signature, same fields in the same order.
      assert.deepEqual(Object.entries(got.fields), Object.entries(want.fields));
    });
  });
});

describe('presigning details', () => {
  it('puts the session token in the URL and signs only host for a plain GET', async () => {
    const s3 = makeClient({ service: 's3', region: 'us-east-1', creds: withToken });
    const url = new URL(await generatePresignedUrl(s3, 'getObject', { Bucket: 'b', Key: 'k' }, {}, { date: FIXED }));
    assert.equal(url.searchParams.get('X-Amz-Security-Token'), TOKEN);
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '3600');
    assert.equal(url.searchParams.get('X-Amz-Date'), '20240517T123456Z');
    assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
  });

  it('signs with the client signing clock by default (a corrected skew moves the date)', async () => {
    const s3 = makeClient({ service: 's3', region: 'us-east-1' });
    clientContext(s3).signingClock.offsetMs = 2 * 86_400_000;
    const url = new URL(await generatePresignedUrl(s3, 'getObject', { Bucket: 'b', Key: 'k' }));
    const date = url.searchParams.get('X-Amz-Date') ?? '';
    const when = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
    assert.ok(Math.abs(when - (Date.now() + 2 * 86_400_000)) < 60_000, `X-Amz-Date ${date} is not the skewed clock's`);
  });

  it('accepts 604800 seconds and refuses what SigV4 cannot express, with typed errors', async () => {
    const s3 = makeClient({ service: 's3', region: 'us-east-1' });
    const url = await generatePresignedUrl(s3, 'getObject', { Bucket: 'b', Key: 'k' }, { expiresIn: 604800 }, { date: FIXED });
    assert.match(url, /X-Amz-Expires=604800&/);
    for (const [expiresIn, pattern] of [
      [604801, /at most 604800 seconds \(7 days\)/],
      [0, /at least 1 second/],
      [-5, /at least 1 second/],
      [1.5, /whole number of seconds/],
      [Number.NaN, /whole number of seconds/],
      ['60', /whole number of seconds/],
    ] as const) {
      await assert.rejects(generatePresignedUrl(s3, 'getObject', { Bucket: 'b', Key: 'k' }, { expiresIn: expiresIn as number }), (err: unknown) => {
        assert.ok(err instanceof InvalidOptionError, `expiresIn ${String(expiresIn)}: ${String(err)}`);
        assert.equal(err.option, 'expiresIn');
        assert.match(err.message, pattern);
        return true;
      });
    }
    await assert.rejects(generatePresignedPost(s3, { Bucket: 'b', Key: 'k', ExpiresIn: 0 }), InvalidOptionError);
  });

  it('refuses unknown options, unknown operations and POSTs for other services', async () => {
    const s3 = makeClient({ service: 's3', region: 'us-east-1' });
    await assert.rejects(generatePresignedUrl(s3, 'getObject', { Bucket: 'b', Key: 'k' }, { expires: 60 } as never), /Invalid generatePresignedUrl option 'expires'/);
    await assert.rejects(generatePresignedUrl(s3, 'getObjekt', {}), UnknownOperationError);
    await assert.rejects(generatePresignedPost(s3, { Bucket: 'b', Key: 'k', Extra: 1 } as never), /option 'Extra'/);
    const sts = makeClient({ service: 'sts', region: 'us-east-1' });
    await assert.rejects(generatePresignedPost(sts, { Bucket: 'b', Key: 'k' }), /presigned POSTs are an S3 feature/);
  });

  it('refuses a body that has no query form, as botocore cannot presign it either', async () => {
    const s3 = makeClient({ service: 's3', region: 'us-east-1' });
    await assert.rejects(generatePresignedUrl(s3, 'putObject', { Bucket: 'b', Key: 'k', Body: 'hello' }), (err: unknown) => {
      assert.ok(err instanceof PresignError);
      assert.match(err.message, /Cannot presign PutObject: its request body \(rest-xml\)/);
      return true;
    });
  });

  it('leaves the caller objects untouched', async () => {
    const s3 = makeClient({ service: 's3', region: 'us-east-1' });
    const post: PresignedPostParams = { Bucket: 'b', Key: 'k', Fields: { acl: 'private' }, Conditions: [{ acl: 'private' }] };
    await generatePresignedPost(s3, post, { date: FIXED });
    assert.deepEqual(post, { Bucket: 'b', Key: 'k', Fields: { acl: 'private' }, Conditions: [{ acl: 'private' }] });
  });

  it('writes policies as Python json.dumps does', () => {
    assert.equal(pythonJsonDumps({ a: ['x', 1, 2.5, true, null], 'é': '😀\u007f"\\\n/' }), '{"a": ["x", 1, 2.5, true, null], "\\u00e9": "\\ud83d\\ude00\\u007f\\"\\\\\\n/"}');
  });
});
