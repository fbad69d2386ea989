/**
 * S3 handlers where moto serves the operation: the same calls through inia and through botocore
 * against one moto server, and the answers compared (GetBucketLocation, Expires/ExpiresString,
 * listing key decoding), plus CopyObject's quoting checked by what the server copied.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Session, type Client } from 'inia';
import { motoForFile } from '../helpers/moto.js';
import { pythonJson } from '../helpers/python.js';

const moto = motoForFile(Session);

const KEYS = ['a b', 'a+b', 'p%20q', '100%', '\u00fc \u65e5', 'x=y?z~', 'dir/sub key/\u{1F600}.txt', "it's (1)", 'semi;colon,comma'];
const EAST = 'h1-moto-east';
const WEST = 'h1-moto-west';

const BOTOCORE = String.raw`
import json, sys
import botocore.session
args = json.load(sys.stdin)
s = botocore.session.get_session()
def client(region):
    return s.create_client('s3', region_name=region, endpoint_url=args['url'], aws_access_key_id='testing', aws_secret_access_key='testing')
east, west = client('us-east-1'), client('eu-west-1')
out = {}
out['location'] = [east.get_bucket_location(Bucket=args['east']).get('LocationConstraint', 'absent'),
                   west.get_bucket_location(Bucket=args['west']).get('LocationConstraint', 'absent')]
heads = {}
for key in args['expires']:
    for op in ('head', 'get'):
        r = (east.head_object if op == 'head' else east.get_object)(Bucket=args['east'], Key=key)
        heads[op + ':' + key] = {'ExpiresString': r.get('ExpiresString'), 'Expires': r['Expires'].timestamp() if 'Expires' in r else None,
                                 'header': r['ResponseMetadata']['HTTPHeaders'].get('expires')}
out['expires'] = heads
v1 = east.list_objects(Bucket=args['east'], Prefix='k/')
v2 = east.list_objects_v2(Bucket=args['east'], Prefix='k/', Delimiter='/')
v2d = east.list_objects_v2(Bucket=args['east'], Prefix='k/')
vs = east.list_object_versions(Bucket=args['east'], Prefix='k/')
out['listing'] = {'v1': [c['Key'] for c in v1.get('Contents', [])], 'v2': [c['Key'] for c in v2d.get('Contents', [])],
                  'v2prefixes': [p['Prefix'] for p in v2.get('CommonPrefixes', [])], 'versions': [v['Key'] for v in vs.get('Versions', [])]}
copies = {}
for key in args['keys']:
    east.copy_object(Bucket=args['east'], Key='bcopy-s/' + key, CopySource=args['east'] + '/k/' + key)
    east.copy_object(Bucket=args['east'], Key='bcopy-d/' + key, CopySource={'Bucket': args['east'], 'Key': 'k/' + key})
    copies[key] = [east.get_object(Bucket=args['east'], Key=p + key)['Body'].read().decode('utf-8') for p in ('bcopy-s/', 'bcopy-d/')]
out['copies'] = copies
json.dump(out, sys.stdout)
`;

interface Reference {
  location: unknown[];
  expires: Record<string, { ExpiresString: string | null; Expires: number | null; header: string | null }>;
  listing: { v1: string[]; v2: string[]; v2prefixes: string[]; versions: string[] };
  copies: Record<string, [string, string]>;
}

const EXPIRES_KEYS = ['exp-date', 'exp-never', 'exp-zero', 'exp-none'];

let east: Client;
let west: Client;
let reference: Reference;

describe('S3 handlers on moto, compared with botocore on the same server', () => {
  before(async () => {
    east = moto.client('s3');
    west = new Session({ env: {} }).client('s3', { region: 'eu-west-1', endpointUrl: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await east.createBucket({ Bucket: EAST });
    await west.createBucket({ Bucket: WEST, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
    for (const key of KEYS) await east.putObject({ Bucket: EAST, Key: `k/${key}`, Body: `body of ${key}` });
    await east.putObject({ Bucket: EAST, Key: 'exp-date', Body: 'e', Expires: new Date('2030-01-02T03:04:05Z') });
    await east.putObject({ Bucket: EAST, Key: 'exp-none', Body: 'e' });
    // Expires values a typed client cannot send: written with a plain PUT (moto keeps the header as given).
    for (const [key, value] of [['exp-never', 'never'], ['exp-zero', '0']] as const) {
      const put = await fetch(`${moto.url}/${EAST}/${key}`, { method: 'PUT', headers: { Expires: value }, body: 'e' });
      assert.equal(put.status, 200);
    }
    reference = pythonJson<Reference>(BOTOCORE, { what: 'botocore on moto', input: JSON.stringify({ url: moto.url, east: EAST, west: WEST, keys: KEYS, expires: EXPIRES_KEYS }) });
    west.destroy();
  });

  it('parse_get_bucket_location: null for us-east-1, the region otherwise', async () => {
    const mine = [(await east.getBucketLocation({ Bucket: EAST })).LocationConstraint, await (async () => {
      const c = new Session({ env: {} }).client('s3', { region: 'eu-west-1', endpointUrl: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      try {
        return (await c.getBucketLocation({ Bucket: WEST })).LocationConstraint;
      } finally {
        c.destroy();
      }
    })()];
    assert.deepEqual(mine, reference.location);
    assert.deepEqual(mine, [null, 'eu-west-1']);
  });

  it('handle_expires_header: ExpiresString always, Expires only when it is a date, the bad header dropped', async () => {
    const mine: Reference['expires'] = {};
    for (const key of EXPIRES_KEYS) {
      for (const op of ['head', 'get'] as const) {
        const r = op === 'head' ? await east.headObject({ Bucket: EAST, Key: key }) : await east.getObject({ Bucket: EAST, Key: key });
        if (op === 'get') await (r.Body as { read(): Promise<Uint8Array> }).read();
        const headers = (r.ResponseMetadata as { HTTPHeaders: Record<string, string> }).HTTPHeaders;
        mine[`${op}:${key}`] = { ExpiresString: (r.ExpiresString as string | undefined) ?? null, Expires: r.Expires instanceof Date ? r.Expires.getTime() / 1000 : null, header: headers.expires ?? null };
      }
    }
    assert.deepEqual(mine, reference.expires);
    assert.deepEqual(mine['head:exp-never'], { ExpiresString: 'never', Expires: null, header: null });
    assert.equal(mine['get:exp-date']!.Expires, Date.parse('2030-01-02T03:04:05Z') / 1000);
  });

  it('listing keys come back decoded, as botocore returns them', async () => {
    const v1 = await east.listObjects({ Bucket: EAST, Prefix: 'k/' });
    const v2 = await east.listObjectsV2({ Bucket: EAST, Prefix: 'k/', Delimiter: '/' });
    const v2d = await east.listObjectsV2({ Bucket: EAST, Prefix: 'k/' });
    const vs = await east.listObjectVersions({ Bucket: EAST, Prefix: 'k/' });
    const keys = (items: unknown, field = 'Key'): string[] => ((items as Array<Record<string, string>> | undefined) ?? []).map((i) => i[field]!);
    const mine = { v1: keys(v1.Contents), v2: keys(v2d.Contents), v2prefixes: keys(v2.CommonPrefixes, 'Prefix'), versions: keys(vs.Versions) };
    assert.deepEqual(mine, reference.listing);
    assert.deepEqual([...mine.v2].sort(), KEYS.map((k) => `k/${k}`).sort());
  });

  it('handle_copy_source_param: string and dict CopySource copy the object they name', async () => {
    const mine: Record<string, [string, string]> = {};
    for (const key of KEYS) {
      await east.copyObject({ Bucket: EAST, Key: `icopy-s/${key}`, CopySource: `${EAST}/k/${key}` });
      await east.copyObject({ Bucket: EAST, Key: `icopy-d/${key}`, CopySource: { Bucket: EAST, Key: `k/${key}` } });
      const bodies: string[] = [];
      for (const prefix of ['icopy-s/', 'icopy-d/']) bodies.push(Buffer.from(await ((await east.getObject({ Bucket: EAST, Key: prefix + key })).Body as { read(): Promise<Uint8Array> }).read()).toString('utf8'));
      mine[key] = bodies as [string, string];
    }
    assert.deepEqual(mine, reference.copies);
    for (const key of KEYS) assert.deepEqual(mine[key], [`body of ${key}`, `body of ${key}`], key);
  });
});
