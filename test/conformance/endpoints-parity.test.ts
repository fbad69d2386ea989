/**
 * Where requests go, inia against botocore: a matrix of services, regions (aws, aws-cn,
 * aws-us-gov), FIPS and dual-stack flags, and S3 bucket forms and addressing settings that no
 * endpoint test names. Both SDKs make the call with a `before-send` handler that records the
 * URL and answers without the network; the URLs (or the fact of an error) must match.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Config } from '../../src/config.js';
import type { RawResponse } from '../../src/protocols/types.js';
import { Session } from '../../src/session.js';
import { EMPTY_ENV } from '../helpers/env.js';

interface Case {
  service: string;
  /** botocore's method name; inia's is its lowerCamelCase. */
  op: string;
  params: Record<string, string>;
  region: string;
  fips: boolean;
  dualstack: boolean;
  s3?: { addressing_style?: string; use_accelerate_endpoint?: boolean };
}

const CALLS: Array<{ service: string; op: string; params: Record<string, string> }> = [
  { service: 'dynamodb', op: 'list_tables', params: {} },
  { service: 'sqs', op: 'list_queues', params: {} },
  { service: 'sts', op: 'get_caller_identity', params: {} },
  { service: 'ec2', op: 'describe_regions', params: {} },
  { service: 'lambda', op: 'list_functions', params: {} },
  { service: 'kms', op: 'list_keys', params: {} },
  { service: 'iam', op: 'list_users', params: {} },
  { service: 'route53', op: 'list_hosted_zones', params: {} },
  { service: 'secretsmanager', op: 'list_secrets', params: {} },
  { service: 'sns', op: 'list_topics', params: {} },
];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1', 'ca-central-1'];
const BUCKETS = ['plain-bucket', 'bucket.with.dots', 'UpperCaseBucket', 'arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint'];
const S3_SETTINGS: Array<Case['s3']> = [{}, { addressing_style: 'path' }, { addressing_style: 'virtual' }, { use_accelerate_endpoint: true }];

function matrix(): Case[] {
  const cases: Case[] = [];
  for (const region of REGIONS) {
    for (const fips of [false, true]) {
      for (const dualstack of [false, true]) {
        for (const call of CALLS) cases.push({ ...call, region, fips, dualstack });
        for (const bucket of BUCKETS) {
          for (const s3 of S3_SETTINGS) cases.push({ service: 's3', op: 'list_objects_v2', params: { Bucket: bucket }, region, fips, dualstack, s3 });
        }
      }
    }
  }
  return cases;
}

const BOTOCORE = `
import json, sys
import botocore.session
from botocore.config import Config
from botocore.awsrequest import AWSResponse
class Sent(Exception):
    pass
out = []
session = botocore.session.Session()
for c in json.load(sys.stdin):
    seen = []
    def record(request, **kwargs):
        seen.append(request.url)
        raise Sent()
    try:
        client = session.create_client(c['service'], region_name=c['region'], aws_access_key_id='AKID', aws_secret_access_key='SECRET',
            config=Config(use_fips_endpoint=c['fips'], use_dualstack_endpoint=c['dualstack'], s3=c.get('s3') or None, retries={'max_attempts': 0}))
        client.meta.events.register('before-send', record)
        getattr(client, c['op'])(**c['params'])
    except Sent:
        pass
    except Exception as e:
        out.append({'error': type(e).__name__})
        continue
    out.append({'url': seen[0]} if seen else {'error': 'nothing sent'})
print(json.dumps(out))
`;

const camel = (op: string): string => op.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

async function iniaUrl(c: Case): Promise<{ url?: string; error?: string }> {
  try {
    const session = new Session({ env: { ...EMPTY_ENV } });
    const client = session.client(c.service, {
      region: c.region,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
      config: new Config({
        useFipsEndpoint: c.fips,
        useDualstackEndpoint: c.dualstack,
        ...(c.s3 ? { s3: { ...(c.s3.addressing_style ? { addressingStyle: c.s3.addressing_style as 'path' } : {}), ...(c.s3.use_accelerate_endpoint !== undefined ? { useAccelerateEndpoint: c.s3.use_accelerate_endpoint } : {}) } } : {}),
      }),
    });
    let url: string | undefined;
    client.meta.events.register('before-send', (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number; path: string; query: string };
      url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}${request.query ? `?${request.query}` : ''}`;
      const answer: RawResponse = { statusCode: 200, headers: {}, body: new Uint8Array(0) };
      return answer;
    });
    try {
      await client[camel(c.op)]!(c.params);
    } catch {
      // The canned empty answer may not parse; only the URL matters here.
    }
    client.destroy();
    return url === undefined ? { error: 'nothing sent' } : { url };
  } catch (err) {
    return { error: (err as Error).name };
  }
}

describe('endpoints: inia sends each request where botocore does', () => {
  it('services x regions x FIPS x dual-stack, and S3 bucket forms x addressing', { timeout: 300_000 }, async () => {
    const cases = matrix();
    const run = spawnSync('python3', ['-c', BOTOCORE], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 240_000, maxBuffer: 32 * 1024 * 1024 });
    assert.equal(run.status, 0, `botocore run failed (python3 with botocore is required): ${run.stderr.slice(-2000)}`);
    const expected = JSON.parse(run.stdout) as Array<{ url?: string; error?: string }>;
    let urls = 0;
    const mismatches: string[] = [];
    for (const [i, c] of cases.entries()) {
      const got = await iniaUrl(c);
      const want = expected[i]!;
      if (want.url !== undefined) {
        urls++;
        if (got.url !== want.url) mismatches.push(`${JSON.stringify(c)}: botocore ${want.url}, inia ${got.url ?? got.error}`);
      } else if (got.url !== undefined) {
        mismatches.push(`${JSON.stringify(c)}: botocore raised ${want.error}, inia sent ${got.url}`);
      }
    }
    assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${cases.length} differ`);
    assert.ok(urls > cases.length / 2, `only ${urls} cases produced a URL`);
  });
});

describe('endpoints: DynamoDB account-id endpoints, as botocore', () => {
  const urlsFor = async (mode: 'preferred' | 'disabled'): Promise<string[]> => {
    const env = { ...EMPTY_ENV, AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B', AWS_ACCOUNT_ID: '123456789012' };
    const ddb = new Session({ env }).client('dynamodb', { region: 'us-east-1', config: new Config({ accountIdEndpointMode: mode }) });
    const urls: string[] = [];
    ddb.meta.events.register('before-send', (args) => {
      const r = args.request as { hostname: string; path: string };
      urls.push(`https://${r.hostname}${r.path}`);
      return { statusCode: 200, headers: {}, body: new TextEncoder().encode('{}') };
    });
    await ddb.listTables!({});
    await ddb.getItem!({ TableName: 'arn:aws:dynamodb:us-east-1:222222222222:table/t', Key: { a: { S: 'b' } } });
    await ddb.transactWriteItems!({ TransactItems: [{ Put: { TableName: 'arn:aws:dynamodb:us-east-1:333333333333:table/x', Item: { a: { S: 'b' } } } }] });
    ddb.destroy();
    return urls;
  };

  it('the credentials account (AWS_ACCOUNT_ID), a table ARN, and a TransactItems ARN list (JMESPath) pick the host', async () => {
    // The expected URLs are what botocore 1.43 sends for the same calls and environment.
    assert.deepEqual(await urlsFor('preferred'), ['https://123456789012.ddb.us-east-1.amazonaws.com/', 'https://222222222222.ddb.us-east-1.amazonaws.com/', 'https://333333333333.ddb.us-east-1.amazonaws.com/']);
    assert.deepEqual(await urlsFor('disabled'), ['https://dynamodb.us-east-1.amazonaws.com/', 'https://dynamodb.us-east-1.amazonaws.com/', 'https://dynamodb.us-east-1.amazonaws.com/']);
  });
});
