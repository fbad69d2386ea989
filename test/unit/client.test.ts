/** Session and client behaviour against a local fake service on loopback (no moto needed). */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  ClientError,
  Config,
  EndpointConnectionError,
  IniaError,
  InvalidOptionError,
  NoRegionError,
  PartialCredentialsError,
  ReadTimeoutError,
  Session,
  UnknownOptionError,
  UnknownServiceError,
  VERSION,
  client as defaultClient,
  type Client,
} from 'inia';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { EMPTY_ENV } from '../helpers/env.js';

// Failed calls here are retried as the default (legacy) mode says; pinning the jitter to 0
// keeps those retries from sleeping (the retry behaviour itself is tested in retries*.test.ts).
Math.random = () => 0;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let endpointUrl: string;
let handler: Handler;
const seen: Seen[] = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpointUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function makeClient(service = 'dynamodb', extra: Record<string, unknown> = {}): Client {
  return new Session({ env: { ...EMPTY_ENV } }).client(service, { region: 'us-east-1', endpointUrl, credentials: creds, ...extra });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'REQ-1', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

describe('session', () => {
  it('lists at least 400 bundled services', () => {
    const services = new Session({ env: { ...EMPTY_ENV } }).getAvailableServices();
    assert.ok(services.length >= 400, `only ${services.length} services`);
    for (const name of ['s3', 'dynamodb', 'ec2', 'sqs', 'lambda', 'secretsmanager', 'sts', 'iam']) assert.ok(services.includes(name), name);
  });

  it('names close matches for an unknown service', () => {
    assert.throws(() => new Session({ env: { ...EMPTY_ENV } }).client('dynamo', { region: 'us-east-1' }), (err: unknown) => {
      assert.ok(err instanceof UnknownServiceError);
      assert.ok(err instanceof IniaError);
      assert.match(err.message, /Unknown service: 'dynamo'/);
      assert.match(err.message, /'dynamodb'/);
      return true;
    });
  });

  it('rejects unknown client and session options', () => {
    assert.throws(() => new Session({ env: { ...EMPTY_ENV } }).client('dynamodb', { region: 'us-east-1', endpoint: 'x' } as never), (err: unknown) => {
      assert.ok(err instanceof UnknownOptionError);
      assert.match(err.message, /Unknown client option: 'endpoint'/);
      return true;
    });
    assert.throws(() => new Session({ regin: 'x' } as never), UnknownOptionError);
  });

  it('raises NoRegionError without region or endpoint', () => {
    assert.throws(() => new Session({ env: { ...EMPTY_ENV } }).client('dynamodb'), NoRegionError);
  });

  it('resolves the region from AWS_DEFAULT_REGION, then AWS_REGION', () => {
    assert.equal(new Session({ env: { AWS_REGION: 'eu-west-1' } }).regionName, 'eu-west-1');
    assert.equal(new Session({ env: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-central-1' } }).regionName, 'eu-central-1');
    assert.equal(new Session({ region: 'ap-south-1', env: { AWS_DEFAULT_REGION: 'eu-central-1' } }).regionName, 'ap-south-1');
    const c = new Session({ env: { AWS_DEFAULT_REGION: 'eu-central-1' } }).client('sqs', { config: new Config({ region: 'us-west-2' }) });
    assert.equal(c.meta.region, 'us-west-2');
  });

  it('builds the default endpoint from the endpoint prefix and the partition', () => {
    const s = new Session({ env: { ...EMPTY_ENV } });
    assert.equal(s.client('dynamodb', { region: 'eu-west-1' }).meta.endpointUrl, 'https://dynamodb.eu-west-1.amazonaws.com');
    const cn = s.client('dynamodb', { region: 'cn-north-1' });
    assert.equal(cn.meta.endpointUrl, 'https://dynamodb.cn-north-1.amazonaws.com.cn');
    assert.equal(cn.meta.partition, 'aws-cn');
    assert.equal(s.client('dynamodb', { region: 'eu-west-1', useSsl: false }).meta.endpointUrl, 'http://dynamodb.eu-west-1.amazonaws.com');
  });

  it('takes the endpoint from AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1111', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:2222' };
    const s = new Session({ env, region: 'us-east-1' });
    assert.equal(s.client('dynamodb').meta.endpointUrl, 'http://127.0.0.1:1111');
    assert.equal(s.client('secretsmanager').meta.endpointUrl, 'http://127.0.0.1:2222');
    assert.equal(s.client('dynamodb', { endpointUrl: 'http://127.0.0.1:3333' }).meta.endpointUrl, 'http://127.0.0.1:3333');
    const ignoring = new Session({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, region: 'us-east-1' });
    assert.equal(ignoring.client('dynamodb').meta.endpointUrl, 'https://dynamodb.us-east-1.amazonaws.com');
  });

  it('rejects a malformed endpoint URL with a typed error', () => {
    assert.throws(() => makeClient('dynamodb', { endpointUrl: 'not a url' }), InvalidOptionError);
    assert.throws(() => makeClient('dynamodb', { endpointUrl: 'ftp://127.0.0.1' }), InvalidOptionError);
  });

  it('the default client() uses the default session', () => {
    const c = defaultClient('kinesis', { region: 'us-east-1' });
    assert.equal(typeof c.putRecord, 'function');
    assert.equal(c.meta.endpointUrl, 'https://kinesis.us-east-1.amazonaws.com');
    c.destroy();
  });

  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
  });
});

describe('config', () => {
  it('rejects unknown options and wrong types', () => {
    assert.throws(() => new Config({ conectTimeout: 5 } as never), /Unknown Config option: 'conectTimeout'/);
    assert.throws(() => new Config({ connectTimeout: '5' } as never), InvalidOptionError);
    assert.throws(() => new Config({ retries: { mode: 'fast' } } as never), /retries.mode/);
    assert.throws(() => new Config({ retries: { max_attempts: 3 } } as never), UnknownOptionError);
  });

  it('merges as botocore: the other config only overrides what it set', () => {
    const a = new Config({ connectTimeout: 5, readTimeout: 10 });
    const b = new Config({ readTimeout: 20, retries: { mode: 'standard' } });
    const merged = a.merge(b);
    assert.equal(merged.get('connectTimeout'), 5);
    assert.equal(merged.get('readTimeout'), 20);
    assert.deepEqual(merged.get('retries'), { mode: 'standard' });
    assert.equal(a.get('readTimeout'), 10, 'merge does not change its operands');
  });
});

describe('client', () => {
  it('has one lowerCamelCase method per operation, meta and exceptions', () => {
    const ddb = makeClient();
    for (const op of ddb.meta.serviceModel.operationNames) {
      const method = op.charAt(0).toLowerCase() + op.slice(1);
      assert.equal(typeof ddb[method], 'function', method);
    }
    assert.equal(ddb.meta.region, 'us-east-1');
    assert.equal(ddb.meta.endpointUrl, endpointUrl);
    assert.equal(ddb.meta.serviceModel.serviceName, 'dynamodb');
    assert.equal(ddb.meta.methodToApiMapping.getItem, 'GetItem');
    const cls = ddb.exceptions.ResourceNotFoundException!;
    assert.ok(cls.prototype instanceof ClientError);
    assert.equal(cls.name, 'ResourceNotFoundException');
    assert.equal(ddb.exceptions.ClientError, ClientError);
    ddb.destroy();
  });

  it('sends a signed JSON 1.0 request and parses the response', async () => {
    handler = (_req, res) => json(res, 200, { Item: { id: { S: 'a' }, n: { N: '1' }, b: { B: 'AAH/' } } });
    const ddb = makeClient();
    const out = await ddb.getItem({ TableName: 'T', Key: { id: { S: 'a' } } });
    const req = seen.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/');
    assert.equal(req.headers['x-amz-target'], 'DynamoDB_20120810.GetItem');
    assert.equal(req.headers['content-type'], 'application/x-amz-json-1.0');
    assert.match(String(req.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
    assert.match(String(req.headers['x-amz-date']), /^\d{8}T\d{6}Z$/);
    assert.match(String(req.headers['user-agent']), /^inia\/\d+\.\d+\.\d+ /);
    assert.deepEqual(JSON.parse(req.body), { TableName: 'T', Key: { id: { S: 'a' } } });
    assert.deepEqual((out.Item as Record<string, unknown>).id, { S: 'a' });
    assert.deepEqual([...((out.Item as Record<string, { B: Uint8Array }>).b!.B)], [0, 1, 255], 'blobs decode to bytes');
    const meta = out.ResponseMetadata as { RequestId: string; HTTPStatusCode: number; RetryAttempts: number; HTTPHeaders: Record<string, string> };
    assert.equal(meta.RequestId, 'REQ-1');
    assert.equal(meta.HTTPStatusCode, 200);
    assert.equal(meta.RetryAttempts, 0);
    assert.equal(meta.HTTPHeaders['x-amzn-requestid'], 'REQ-1');
    ddb.destroy();
  });

  it('sends the session token and never shows secrets in inspected objects', async () => {
    handler = (_req, res) => json(res, 200, {});
    const ddb = makeClient('dynamodb', { credentials: { ...creds, sessionToken: 'TOKEN-123' } });
    await ddb.listTables({});
    assert.equal(seen.at(-1)!.headers['x-amz-security-token'], 'TOKEN-123');
    const session = new Session({ env: { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'SUPERSECRET', AWS_SESSION_TOKEN: 'TOKENSECRET' } });
    const found = await session.getCredentials();
    assert.ok(found);
    assert.equal(found.method, 'env');
    assert.equal(found.secretAccessKey, 'SUPERSECRET');
    for (const shown of [inspect(found), JSON.stringify(found), inspect(ddb, { depth: 6 }), String(Object.keys(found))]) {
      assert.ok(!shown.includes('SUPERSECRET') && !shown.includes('wJalrXUtnFEMI'), shown);
      assert.ok(!shown.includes('TOKENSECRET'), shown);
    }
    ddb.destroy();
  });

  it('serializes timestamps and blobs the way botocore does', async () => {
    handler = (_req, res) => json(res, 200, {});
    const sm = makeClient('secretsmanager');
    await sm.putSecretValue({ SecretId: 's', SecretBinary: 'hi', ClientRequestToken: 'x'.repeat(32) });
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), { SecretId: 's', SecretBinary: 'aGk=', ClientRequestToken: 'x'.repeat(32) });
    const ddb = makeClient();
    await ddb.listBackups({ TimeRangeLowerBound: new Date('2020-01-01T00:00:00Z'), TimeRangeUpperBound: '2020-01-02T00:00:00Z' });
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), { TimeRangeLowerBound: 1577836800, TimeRangeUpperBound: 1577923200 });
    sm.destroy();
    ddb.destroy();
  });

  it('fills idempotency tokens without touching the caller’s params', async () => {
    handler = (_req, res) => json(res, 200, { ARN: 'arn', Name: 'n', VersionId: 'v' });
    const sm = makeClient('secretsmanager');
    const params = { Name: 'n', SecretString: 's' };
    await sm.createSecret(params);
    const sent = JSON.parse(seen.at(-1)!.body) as Record<string, string>;
    assert.match(sent.ClientRequestToken!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(params, { Name: 'n', SecretString: 's' });
    await sm.createSecret({ ...params, ClientRequestToken: 'mine-'.padEnd(32, '0') });
    assert.equal((JSON.parse(seen.at(-1)!.body) as Record<string, string>).ClientRequestToken, 'mine-'.padEnd(32, '0'));
    sm.destroy();
  });

  it('raises modeled errors with botocore’s message, code and metadata', async () => {
    handler = (_req, res) => json(res, 400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
    const ddb = makeClient();
    await assert.rejects(ddb.describeTable({ TableName: 'nope' }), (err: unknown) => {
      assert.ok(err instanceof ddb.exceptions.ResourceNotFoundException!);
      const e = err as ClientError;
      assert.equal(e.message, 'An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found');
      assert.equal(e.code, 'ResourceNotFoundException');
      assert.equal(e.response.Error.Message, 'Requested resource not found');
      assert.equal(e.response.ResponseMetadata.RequestId, 'REQ-1');
      assert.equal(e.response.ResponseMetadata.HTTPStatusCode, 400);
      return true;
    });
    ddb.destroy();
  });

  it('turns an unmodeled error into a plain ClientError and an HTML 503 into its status', async () => {
    // Standard mode: DynamoDB's legacy backoff has a fixed base (10 attempts would sleep 25 s).
    const ddb = makeClient('dynamodb', { config: new Config({ retries: { mode: 'standard' } }) });
    handler = (_req, res) => json(res, 400, { __type: 'SomethingNew', Message: 'new' });
    await assert.rejects(ddb.listTables({}), (err: unknown) => err instanceof ClientError && err.constructor === ClientError && err.code === 'SomethingNew');
    handler = (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body>Service Unavailable</body></html>');
    };
    await assert.rejects(ddb.listTables({}), (err: unknown) => err instanceof ClientError && err.code === '503' && err.response.Error.Message === 'Service Unavailable');
    ddb.destroy();
  });

  it('reports an unreachable endpoint with the URL', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((r) => probe.close(() => r()));
    const ddb = makeClient('dynamodb', { endpointUrl: `http://127.0.0.1:${port}`, config: new Config({ retries: { mode: 'standard' } }) });
    await assert.rejects(ddb.listTables({}), (err: unknown) => {
      assert.ok(err instanceof EndpointConnectionError);
      assert.match(err.message, new RegExp(`Could not connect to the endpoint URL: "http://127.0.0.1:${port}/"`));
      return true;
    });
    ddb.destroy();
  });

  it('honours readTimeout from Config', async () => {
    handler = () => undefined; // never answers
    const ddb = makeClient('dynamodb', { config: new Config({ readTimeout: 0.2, retries: { mode: 'standard' } }) });
    await assert.rejects(ddb.listTables({}), ReadTimeoutError);
    ddb.destroy();
  });

  it('raises PartialCredentialsError for half a key pair from the environment', async () => {
    const c = new Session({ env: { AWS_ACCESS_KEY_ID: 'AKID' } }).client('dynamodb', { region: 'us-east-1', endpointUrl });
    await assert.rejects(c.listTables({}), (err: unknown) => err instanceof PartialCredentialsError && /AWS_SECRET_ACCESS_KEY/.test(err.message));
    c.destroy();
  });

  it('rejects input that is not a structure with a typed error and sends nothing', async () => {
    const before = seen.length;
    const ddb = makeClient();
    await assert.rejects(ddb.getItem({ TableName: 'T', Key: { id: { S: 'a' } }, Bogus: 1 }), (err: unknown) => err instanceof IniaError && /Bogus/.test((err as Error).message));
    assert.equal(seen.length, before);
    ddb.destroy();
  });

  it('lets before-send handlers answer instead of the wire, and before-call handlers return a result', async () => {
    const ddb = makeClient();
    const before = seen.length;
    ddb.meta.events.register('before-send.dynamodb.ListTables', () => ({ statusCode: 200, headers: {}, body: Buffer.from('{"TableNames":["fake"]}') }));
    const out = await ddb.listTables({});
    assert.deepEqual(out.TableNames, ['fake']);
    ddb.meta.events.register('before-call.dynamodb.DescribeTable', () => ({ Table: { TableName: 'short' } }));
    assert.deepEqual((await ddb.describeTable({ TableName: 'x' })).Table, { TableName: 'short' });
    assert.equal(seen.length, before, 'nothing went over the wire');
    ddb.destroy();
  });
});
