/**
 * Presigned URLs that customizations make or change, compared with botocore:
 * - before-call.ec2.CopySnapshot (inject_presigned_url_ec2) and before-call.{rds,neptune,docdb}.*
 *   (inject_presigned_url_rds): whole calls through the differential harness (the body's members,
 *   the injected URL's host, path and query but its date and signature), then the same calls at a
 *   fixed signing time, whose bodies must be botocore's byte for byte (signature included).
 * - before-sign.polly.SynthesizeSpeech (remove_content_type_header_for_presigning): presigned
 *   SynthesizeSpeech URLs at a fixed time equal botocore's generate_presigned_url; calls keep
 *   their Content-Type.
 *
 * The fixed time: botocore's get_current_datetime is patched in botocore.auth and
 * botocore.signers (as its own signer tests do); inia's client signs presigned URLs with its
 * signing clock (clientContext(client).signingClock), whose now() the test replaces.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Config, Session, type Client } from '../../src/index.js';
import { clientContext } from '../../src/client.js';
import { generatePresignedUrl } from '../../src/presign.js';
import { captureBoth, type CaptureCase } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

const FIXED = new Date('2024-05-17T12:34:56Z');
const KEY = 'AKIDEXAMPLE';
const SECRET = 'SECRETEXAMPLE';
const TOKEN = 'IQoJb3JpZ2luX2VjE/+=token';

/** A call at the fixed time (its request body is what matters), or a presigned URL. */
interface FixedCase {
  kind: 'call' | 'presign';
  service: string;
  operation: string;
  params: Record<string, unknown>;
  region: string;
  endpointUrl?: string;
  token?: string;
  expiresIn?: number;
}

const FIXED_CLOCK_REFERENCE = String.raw`
import base64, datetime, json, sys
from unittest import mock
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config

class Raw:
    def __init__(self): self.done = False
    def stream(self, *a, **k):
        if not self.done:
            self.done = True
            yield b''
    def read(self, *a, **k): return b''

spec = json.load(sys.stdin)
fixed = datetime.datetime.strptime(spec['date'], '%Y-%m-%dT%H:%M:%S')
out = []
with mock.patch('botocore.auth.get_current_datetime', return_value=fixed), \
     mock.patch('botocore.signers.get_current_datetime', return_value=fixed):
    for case in spec['cases']:
        client = botocore.session.get_session().create_client(
            case['service'], region_name=case['region'], endpoint_url=case.get('endpointUrl'),
            aws_access_key_id=spec['key'], aws_secret_access_key=spec['secret'], aws_session_token=case.get('token'),
            config=Config(retries={'total_max_attempts': 1}))
        result = {}
        try:
            if case['kind'] == 'presign':
                name = {v: k for k, v in client.meta.method_to_api_mapping.items()}[case['operation']]
                result['url'] = client.generate_presigned_url(name, Params=case['params'], ExpiresIn=case.get('expiresIn', 3600))
            else:
                def before_send(request, **_):
                    body = request.body
                    result['body'] = body.decode('utf-8') if isinstance(body, bytes) else body
                    return AWSResponse(request.url, 200, {}, Raw())
                client.meta.events.register('before-send', before_send)
                try:
                    client._make_api_call(case['operation'], case['params'])
                except Exception:
                    pass  # the empty answer may not parse; the body was captured
        except Exception as e:
            result['error'] = {'type': type(e).__name__, 'message': str(e)}
        out.append(result)
json.dump(out, sys.stdout)
`;

interface FixedResult {
  body?: string;
  url?: string;
  error?: { type: string; message: string };
}

function botocoreAtFixedTime(cases: readonly FixedCase[]): FixedResult[] {
  const input = JSON.stringify({ date: FIXED.toISOString().slice(0, 19), key: KEY, secret: SECRET, cases });
  return pythonJson<FixedResult[]>(FIXED_CLOCK_REFERENCE, { what: 'botocore fixed-clock presign driver', input });
}

const clients: Client[] = [];
after(() => {
  for (const c of clients) c.destroy();
});

function fixedClient(c: FixedCase): Client {
  const client = new Session({ env: { ...EMPTY_ENV } }).client(c.service, {
    region: c.region,
    ...(c.endpointUrl !== undefined ? { endpointUrl: c.endpointUrl } : {}),
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET, ...(c.token !== undefined ? { sessionToken: c.token } : {}) },
    config: new Config({ retries: { totalMaxAttempts: 1 } }),
  });
  // The least invasive clock injection: the client's own signing clock, read by presigned URLs
  // and the cross-region handlers (calls sign with the wall clock unless a skew was corrected).
  clientContext(client).signingClock.now = () => new Date(FIXED);
  clients.push(client);
  return client;
}

async function iniaAtFixedTime(c: FixedCase): Promise<FixedResult> {
  const client = fixedClient(c);
  try {
    if (c.kind === 'presign') return { url: await generatePresignedUrl(client, c.operation, c.params, { expiresIn: c.expiresIn ?? 3600 }) };
    const result: FixedResult = {};
    client.meta.events.register('before-send', (args) => {
      const request = args.request as { body: unknown; headers: Record<string, string> };
      const body = request.body;
      result.body = typeof body === 'string' ? body : Buffer.from(body as Uint8Array).toString('utf8');
      assert.equal(request.headers['content-length'], String(Buffer.byteLength(result.body)), 'Content-Length follows the rewritten body');
      return { statusCode: 200, headers: {}, body: new Uint8Array() };
    });
    await client.makeApiCall(c.operation, c.params).catch(() => undefined);
    return result;
  } catch (e) {
    return { error: { type: (e as Error).name, message: (e as Error).message } };
  }
}

// ---------------------------------------------------------------- the cross-region cases

const SNAPSHOT_ARN = 'arn:aws:rds:us-east-1:123456789012:snapshot:rds:db-2024-05-17 00:00';
const CLUSTER_SNAPSHOT_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:snap/1';

interface CrossRegionCase {
  name: string;
  service: string;
  operation: string;
  params: Record<string, unknown>;
  region: string;
  endpointUrl?: string;
  token?: string;
  /** The member that carries the URL (EC2: PresignedUrl, the RDS family: PreSignedUrl). */
  urlMember: string;
  /** True when the handler must not make a URL. */
  noUrl?: boolean;
}

const CROSS_REGION: CrossRegionCase[] = [
  { name: 'RDS CopyDBSnapshot', service: 'rds', operation: 'CopyDBSnapshot', region: 'us-west-2', urlMember: 'PreSignedUrl', params: { SourceDBSnapshotIdentifier: SNAPSHOT_ARN, TargetDBSnapshotIdentifier: 'copy-1', SourceRegion: 'us-east-1', KmsKeyId: 'alias/key with space', Tags: [{ Key: 'a b', Value: 'c&d=e' }] } },
  { name: 'RDS CopyDBClusterSnapshot with a session token', service: 'rds', operation: 'CopyDBClusterSnapshot', region: 'eu-west-1', token: TOKEN, urlMember: 'PreSignedUrl', params: { SourceDBClusterSnapshotIdentifier: CLUSTER_SNAPSHOT_ARN, TargetDBClusterSnapshotIdentifier: 'copy', SourceRegion: 'us-east-1', CopyTags: true } },
  { name: 'RDS CreateDBCluster', service: 'rds', operation: 'CreateDBCluster', region: 'us-west-2', urlMember: 'PreSignedUrl', params: { DBClusterIdentifier: 'replica', Engine: 'aurora-mysql', ReplicationSourceIdentifier: 'arn:aws:rds:us-east-1:123456789012:cluster:src', SourceRegion: 'us-east-1', Port: 3306 } },
  { name: 'RDS CreateDBInstanceReadReplica', service: 'rds', operation: 'CreateDBInstanceReadReplica', region: 'ap-southeast-2', urlMember: 'PreSignedUrl', params: { DBInstanceIdentifier: 'replica', SourceDBInstanceIdentifier: 'arn:aws:rds:us-east-1:123456789012:db:src', SourceRegion: 'us-east-1' } },
  { name: 'RDS StartDBInstanceAutomatedBackupsReplication', service: 'rds', operation: 'StartDBInstanceAutomatedBackupsReplication', region: 'us-west-2', urlMember: 'PreSignedUrl', params: { SourceDBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:src', BackupRetentionPeriod: 7, SourceRegion: 'us-east-1' } },
  { name: 'RDS CopyDBSnapshot without SourceRegion (a copy within the region: nothing added)', service: 'rds', operation: 'CopyDBSnapshot', region: 'us-west-2', urlMember: 'PreSignedUrl', noUrl: true, params: { SourceDBSnapshotIdentifier: 'snap', TargetDBSnapshotIdentifier: 'copy' } },
  { name: 'RDS CopyDBSnapshot with the caller\'s PreSignedUrl (kept; SourceRegion still taken out)', service: 'rds', operation: 'CopyDBSnapshot', region: 'us-west-2', urlMember: 'PreSignedUrl', noUrl: true, params: { SourceDBSnapshotIdentifier: SNAPSHOT_ARN, TargetDBSnapshotIdentifier: 'copy', SourceRegion: 'us-east-1', PreSignedUrl: 'https://example.com/mine?x=1' } },
  { name: 'RDS against a custom endpoint (no region in the URL to replace)', service: 'rds', operation: 'CopyDBSnapshot', region: 'us-west-2', endpointUrl: 'http://127.0.0.1:5000', urlMember: 'PreSignedUrl', params: { SourceDBSnapshotIdentifier: SNAPSHOT_ARN, TargetDBSnapshotIdentifier: 'copy', SourceRegion: 'us-east-1' } },
  { name: 'Neptune CopyDBClusterSnapshot', service: 'neptune', operation: 'CopyDBClusterSnapshot', region: 'us-west-2', urlMember: 'PreSignedUrl', params: { SourceDBClusterSnapshotIdentifier: CLUSTER_SNAPSHOT_ARN, TargetDBClusterSnapshotIdentifier: 'copy', SourceRegion: 'us-east-1' } },
  { name: 'Neptune CreateDBCluster', service: 'neptune', operation: 'CreateDBCluster', region: 'us-west-2', urlMember: 'PreSignedUrl', params: { DBClusterIdentifier: 'c', Engine: 'neptune', SourceRegion: 'us-east-1' } },
  { name: 'DocumentDB CopyDBClusterSnapshot', service: 'docdb', operation: 'CopyDBClusterSnapshot', region: 'eu-central-1', urlMember: 'PreSignedUrl', params: { SourceDBClusterSnapshotIdentifier: CLUSTER_SNAPSHOT_ARN, TargetDBClusterSnapshotIdentifier: 'copy', SourceRegion: 'us-east-1' } },
  { name: 'DocumentDB CreateDBCluster', service: 'docdb', operation: 'CreateDBCluster', region: 'us-west-2', urlMember: 'PreSignedUrl', params: { DBClusterIdentifier: 'c', Engine: 'docdb', SourceRegion: 'us-east-1', StorageEncrypted: true } },
  { name: 'EC2 CopySnapshot', service: 'ec2', operation: 'CopySnapshot', region: 'us-west-2', urlMember: 'PresignedUrl', params: { SourceRegion: 'us-east-1', SourceSnapshotId: 'snap-0123456789abcdef0', Description: 'copy of snap (1)', Encrypted: true } },
  { name: 'EC2 CopySnapshot with a DestinationRegion given (overwritten in place)', service: 'ec2', operation: 'CopySnapshot', region: 'us-west-2', urlMember: 'PresignedUrl', params: { DestinationRegion: 'eu-west-1', SourceRegion: 'us-east-1', SourceSnapshotId: 'snap-1' } },
  { name: 'EC2 CopySnapshot with the caller\'s PresignedUrl (left as it is)', service: 'ec2', operation: 'CopySnapshot', region: 'us-west-2', urlMember: 'PresignedUrl', noUrl: true, params: { SourceRegion: 'us-east-1', SourceSnapshotId: 'snap-1', PresignedUrl: 'https://ec2.us-east-1.amazonaws.com/?mine' } },
];

/** A form body as ordered [key, value] pairs (decoded). */
function formPairs(body: string): Array<[string, string]> {
  return [...new URLSearchParams(body)];
}

/** The URL with its time and signature masked: what must match between two runs at different times. */
function maskUrl(url: string): { origin: string; path: string; query: Array<[string, string]> } {
  const parsed = new URL(url);
  const query = [...parsed.searchParams].map(([k, v]): [string, string] => {
    if (k === 'X-Amz-Date' || k === 'X-Amz-Signature') return [k, '<masked>'];
    if (k === 'X-Amz-Credential') return [k, v.replace(/\/\d{8}\//, '/<date>/')];
    return [k, v];
  });
  return { origin: parsed.origin, path: parsed.pathname, query };
}

function maskedBody(body: string, urlMember: string): unknown {
  return formPairs(body).map(([k, v]) => (k === urlMember && v.includes('X-Amz-Signature') ? [k, maskUrl(v)] : [k, v]));
}

describe('presigned-URL injection for cross-region copies (before-call.ec2.CopySnapshot, before-call.{rds,neptune,docdb}.*)', () => {
  const captureCases: CaptureCase[] = CROSS_REGION.map((c) => ({
    service: c.service,
    operation: c.operation,
    params: c.params,
    region: c.region,
    ...(c.endpointUrl !== undefined ? { endpointUrl: c.endpointUrl } : {}),
    ...(c.token !== undefined ? { sessionToken: c.token } : {}),
  }));

  it('sends the members botocore sends, and a URL for the same host, path and query', async () => {
    const results = await captureBoth(captureCases);
    results.forEach(({ botocore, inia }, i) => {
      const c = CROSS_REGION[i]!;
      assert.ok(botocore.request && inia.request, `${c.name}: both sides sent a request (${JSON.stringify(inia.error ?? botocore.error)})`);
      const reference = Buffer.from(botocore.request.body, 'base64').toString('utf8');
      const ours = Buffer.from(inia.request.body, 'base64').toString('utf8');
      assert.deepEqual(maskedBody(ours, c.urlMember), maskedBody(reference, c.urlMember), c.name);
      const pairs = new Map(formPairs(ours));
      // What the cases mean: SourceRegion leaves the RDS family's requests, a URL is added when asked for.
      if (c.urlMember === 'PreSignedUrl') assert.equal(pairs.has('SourceRegion'), false, `${c.name}: SourceRegion taken out`);
      if (c.noUrl !== true) {
        const url = new URL(pairs.get(c.urlMember)!);
        const source = c.params.SourceRegion as string;
        if (c.endpointUrl === undefined) assert.ok(url.hostname.includes(source), `${c.name}: the URL is the source region's (${url.hostname})`);
        assert.equal(url.searchParams.get('DestinationRegion'), c.region);
        assert.match(url.searchParams.get('X-Amz-Credential') ?? '', new RegExp(`/${source}/(rds|ec2)/aws4_request$`));
        if (c.service === 'ec2') assert.equal(pairs.get('DestinationRegion'), c.region);
      }
    });
  });

  it('at a fixed signing time, sends exactly botocore\'s body (the URL\'s signature included)', async () => {
    const cases: FixedCase[] = CROSS_REGION.map((c) => ({
      kind: 'call',
      service: c.service,
      operation: c.operation,
      params: c.params,
      region: c.region,
      ...(c.endpointUrl !== undefined ? { endpointUrl: c.endpointUrl } : {}),
      ...(c.token !== undefined ? { token: c.token } : {}),
    }));
    const reference = botocoreAtFixedTime(cases);
    for (let i = 0; i < cases.length; i++) {
      const ours = await iniaAtFixedTime(cases[i]!);
      assert.ok(reference[i]!.body !== undefined, `${CROSS_REGION[i]!.name}: botocore sent ${JSON.stringify(reference[i])}`);
      assert.equal(ours.body, reference[i]!.body, CROSS_REGION[i]!.name);
    }
  });

  it('the fixed time is the one signed (the signature changes with the clock)', async () => {
    const c: FixedCase = { kind: 'call', service: 'rds', operation: 'CopyDBSnapshot', region: 'us-west-2', params: CROSS_REGION[0]!.params };
    const first = await iniaAtFixedTime(c);
    const client = fixedClient(c);
    clientContext(client).signingClock.now = () => new Date(FIXED.getTime() + 1000);
    let later = '';
    client.meta.events.register('before-send', (args) => {
      later = (args.request as { body: string }).body;
      return { statusCode: 200, headers: {}, body: new Uint8Array() };
    });
    await client.makeApiCall(c.operation, c.params).catch(() => undefined);
    const signature = (body: string): string | null => new URL(new URLSearchParams(body).get('PreSignedUrl')!).searchParams.get('X-Amz-Signature');
    assert.match(new URLSearchParams(first.body).get('PreSignedUrl')!, /X-Amz-Date=20240517T123456Z/);
    assert.notEqual(signature(later), signature(first.body!));
  });
});

// ---------------------------------------------------------------- Polly

describe('Polly: presigned SynthesizeSpeech URLs carry no Content-Type (before-sign.polly.SynthesizeSpeech)', () => {
  const cases: FixedCase[] = [
    { kind: 'presign', service: 'polly', operation: 'SynthesizeSpeech', region: 'us-east-1', params: { Text: 'Hello, world! ünïcode & more', OutputFormat: 'mp3', VoiceId: 'Joanna' } },
    { kind: 'presign', service: 'polly', operation: 'SynthesizeSpeech', region: 'eu-west-1', token: TOKEN, expiresIn: 900, params: { Text: '<speak>Hi</speak>', TextType: 'ssml', OutputFormat: 'ogg_vorbis', VoiceId: 'Amy', SpeechMarkTypes: ['word', 'sentence'], Engine: 'neural' } },
    // Another operation keeps its headers (the handler is SynthesizeSpeech's only).
    { kind: 'presign', service: 'polly', operation: 'DescribeVoices', region: 'us-east-1', params: { LanguageCode: 'en-US' } },
  ];

  it('equals botocore\'s generate_presigned_url at a fixed time', async () => {
    const reference = botocoreAtFixedTime(cases);
    for (let i = 0; i < cases.length; i++) {
      const ours = await iniaAtFixedTime(cases[i]!);
      assert.ok(reference[i]!.url !== undefined, JSON.stringify(reference[i]));
      assert.equal(ours.url, reference[i]!.url, cases[i]!.operation);
    }
    // What the handler changes: only host is signed.
    const synth = new URL((await iniaAtFixedTime(cases[0]!)).url!);
    assert.equal(synth.searchParams.get('X-Amz-SignedHeaders'), 'host');
  });

  it('a SynthesizeSpeech call keeps its Content-Type, as botocore\'s', async () => {
    const [result] = await captureBoth([{ service: 'polly', operation: 'SynthesizeSpeech', region: 'us-east-1', params: { Text: 'hi', OutputFormat: 'mp3', VoiceId: 'Joanna' } }]);
    assert.ok(result!.inia.request?.headers['content-type']);
    assert.equal(result!.inia.request?.headers['content-type'], result!.botocore.request?.headers['content-type']);
  });
});
