/**
 * botocore's generic handlers (src/customizations/common.ts and the core hooks they use),
 * differential: each case is one whole call through botocore (all its handlers) and through
 * inia (test/helpers/capture.ts), answered by the same canned response; what the handler
 * touches is compared. Signatures and dates differ by design and are never compared.
 * Where a behaviour needs handlers registered by the user, a small botocore script is the reference.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_MAX_VERSION, DEFAULT_MIN_VERSION } from 'node:tls';
import { Config, InvalidOptionError, Session, UNSIGNED } from 'inia';
import { captureBoth, pickHeaders, TEST_CREDENTIALS, type CaptureCase, type CaptureResult } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

type Pair = { case: CaptureCase; botocore: CaptureResult; inia: CaptureResult };

const bytes = (b: string): { $bytes: string } => ({ $bytes: Buffer.from(b).toString('base64') });
const label = (p: Pair): string => `${p.case.service}.${p.case.operation} ${JSON.stringify(p.case.params).slice(0, 120)} env=${JSON.stringify(p.case.env ?? {})}`;

/**
 * The URL and the named headers of the request; the error only when nothing was sent (a
 * canned empty answer may fail to parse afterwards, which is not what these tests are about).
 */
function outcome(r: CaptureResult, headers: readonly string[]): unknown {
  if (r.request === undefined) return { error: r.error?.type, message: r.error?.message };
  return { url: r.request?.url, headers: pickHeaders(r.request, headers) };
}

function assertSame(pairs: readonly Pair[], headers: readonly string[]): void {
  for (const p of pairs) assert.deepEqual(outcome(p.inia, headers), outcome(p.botocore, headers), label(p));
}

/** What a request carries of its signature: the scheme and the signed header names (never the signature). */
function authShape(r: CaptureResult): unknown {
  if (r.request === undefined) return { error: r.error?.type, message: r.error?.message };
  const auth = r.request?.headers.authorization;
  if (auth === undefined) return { authorization: undefined, date: r.request?.headers['x-amz-date'], token: r.request?.headers['x-amz-security-token'] };
  if (auth.startsWith('Bearer ')) return { authorization: auth };
  // content-length: inia signs it where botocore's signer has not seen it yet (not a choose-signer matter).
  const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';').filter((h) => h !== 'content-length').join(';');
  return { scheme: auth.split(' ')[0], signedHeaders: signed, contentSha256: r.request?.headers['x-amz-content-sha256'] };
}

const LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: 'my-function' };
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('add_recursion_detection_header (before-call): X-Amzn-Trace-Id inside Lambda', () => {
  const traceIds = [
    TRACE,
    // Characters quote() keeps (its safe set), and ones it encodes: space, '/', '%', '?', '#', non-ASCII.
    'Root=1-abc;Lineage=a:b+c&d[e]{f}"g\'h,i',
    'Root=1 2/3%4?5#6!7@8$9^*()<>|\\`~_.-',
    'Root=\u00e9\u65e5\u{1F600}\u007f\u0001',
  ];
  const cases: CaptureCase[] = [];
  for (const [service, operation, params] of [
    ['dynamodb', 'ListTables', {}],
    ['s3', 'ListBuckets', {}],
    ['sqs', 'ListQueues', {}],
    ['ec2', 'DescribeRegions', {}],
    ['lambda', 'ListFunctions', {}],
  ] as const) {
    for (const traceId of traceIds) cases.push({ service, operation, params, region: 'us-west-2', env: { ...LAMBDA, _X_AMZN_TRACE_ID: traceId } });
  }
  // No header: outside Lambda, with an empty trace id, with no trace id.
  cases.push({ service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-west-2', env: { _X_AMZN_TRACE_ID: TRACE } });
  cases.push({ service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-west-2', env: { ...LAMBDA, _X_AMZN_TRACE_ID: '' } });
  cases.push({ service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-west-2', env: { ...LAMBDA } });
  cases.push({ service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-west-2', env: { AWS_LAMBDA_FUNCTION_NAME: '', _X_AMZN_TRACE_ID: TRACE } });
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('sets the same header as botocore, percent-encoded by the same rules, only inside Lambda', () => {
    assertSame(pairs, ['x-amzn-trace-id']);
    assert.equal(pairs.filter((p) => p.inia.request?.headers['x-amzn-trace-id'] !== undefined).length, 5 * traceIds.length + 1);
    // The header is never signed (botocore's SIGNED_HEADERS_BLACKLIST): a tracing proxy may rewrite it.
    for (const p of pairs) assert.deepEqual(authShape(p.inia), authShape(p.botocore), label(p));
    assert.ok(!String((authShape(pairs[0]!.inia) as { signedHeaders?: string }).signedHeaders).includes('x-amzn-trace-id'));
  });

  it("never replaces a header already set (a user's before-call handler), and reads the trace id per call", async () => {
    const env: NodeJS.ProcessEnv = { ...EMPTY_ENV, ...LAMBDA, _X_AMZN_TRACE_ID: TRACE };
    const client = new Session({ env }).client('dynamodb', { region: 'us-west-2', credentials: TEST_CREDENTIALS });
    const seen: Array<string | undefined> = [];
    client.meta.events.register('before-send', (args) => {
      seen.push((args.request as { headers: Record<string, string> }).headers['x-amzn-trace-id']);
      return { statusCode: 200, headers: {}, body: new TextEncoder().encode('{}') };
    });
    await client.makeApiCall('ListTables', {});
    env._X_AMZN_TRACE_ID = 'Root=second';
    await client.makeApiCall('ListTables', {});
    client.meta.events.register('before-call.dynamodb.ListTables', (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-amzn-trace-id'] = 'mine';
    });
    await client.makeApiCall('ListTables', {});
    client.destroy();
    assert.deepEqual(seen, [TRACE, 'Root=second', 'mine']);
  });
});

describe('inject_api_version_header_if_needed (before-call): x-amz-api-version on endpoint-discovery operations', () => {
  const cases: CaptureCase[] = [
    { service: 'dynamodb', operation: 'DescribeEndpoints', params: {}, region: 'us-east-1' },
    { service: 'timestream-query', operation: 'DescribeEndpoints', params: {}, region: 'us-east-1' },
    { service: 'timestream-write', operation: 'DescribeEndpoints', params: {}, region: 'us-east-1' },
    { service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-east-1' },
    { service: 'sqs', operation: 'ListQueues', params: {}, region: 'us-east-1' },
  ];
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('sends the header with the model API version on those operations only', () => {
    assertSame(pairs, ['x-amz-api-version']);
    assert.equal(pairs[0]!.inia.request?.headers['x-amz-api-version'], '2012-08-10');
    assert.equal(pairs[3]!.inia.request?.headers['x-amz-api-version'], undefined);
  });
});

describe('set_operation_specific_signer and disable_signing (choose-signer)', () => {
  const token = 'session-token-value';
  const cases: CaptureCase[] = [
    // auth none / noAuth, with disable_signing (cognito-identity, sts) and without (cognito-idp).
    { service: 'sts', operation: 'AssumeRoleWithWebIdentity', params: { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ss', WebIdentityToken: 'tttt' }, region: 'us-east-1', sessionToken: token },
    { service: 'sts', operation: 'AssumeRoleWithSAML', params: { RoleArn: 'arn:aws:iam::123456789012:role/r', PrincipalArn: 'arn:aws:iam::123456789012:saml-provider/p', SAMLAssertion: 'x'.repeat(8) }, region: 'eu-west-1' },
    { service: 'sts', operation: 'GetCallerIdentity', params: {}, region: 'us-east-1', sessionToken: token },
    { service: 'cognito-identity', operation: 'GetId', params: { IdentityPoolId: 'us-east-1:0000' }, region: 'us-east-1', sessionToken: token },
    { service: 'cognito-identity', operation: 'GetOpenIdToken', params: { IdentityId: 'us-east-1:0000' }, region: 'us-east-1' },
    { service: 'cognito-identity', operation: 'UnlinkIdentity', params: { IdentityId: 'us-east-1:0000', Logins: {}, LoginsToRemove: [] }, region: 'us-east-1' },
    { service: 'cognito-identity', operation: 'GetCredentialsForIdentity', params: { IdentityId: 'us-east-1:0000' }, region: 'us-east-1' },
    { service: 'cognito-identity', operation: 'ListIdentityPools', params: { MaxResults: 1 }, region: 'us-east-1' },
    { service: 'cognito-idp', operation: 'InitiateAuth', params: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'c' }, region: 'us-east-1', sessionToken: token },
    { service: 'cognito-idp', operation: 'ListUserPools', params: { MaxResults: 1 }, region: 'us-east-1' },
    // v4-unsigned-body / unsignedPayload: UNSIGNED-PAYLOAD, over HTTPS and plain HTTP alike.
    { service: 'ebs', operation: 'PutSnapshotBlock', params: { SnapshotId: 'snap-1', BlockIndex: 0, BlockData: bytes('block'), DataLength: 5, Checksum: 'abc', ChecksumAlgorithm: 'SHA256' }, region: 'us-east-1' },
    { service: 'ebs', operation: 'PutSnapshotBlock', params: { SnapshotId: 'snap-1', BlockIndex: 0, BlockData: bytes('block'), DataLength: 5, Checksum: 'abc', ChecksumAlgorithm: 'SHA256' }, region: 'us-east-1', endpointUrl: 'http://127.0.0.1:1' },
    { service: 'lex-runtime', operation: 'PostContent', params: { botName: 'b', botAlias: 'a', userId: 'u', contentType: 'text/plain; charset=utf-8', inputStream: bytes('hello') }, region: 'us-east-1' },
    { service: 'lexv2-runtime', operation: 'RecognizeUtterance', params: { botId: 'b', botAliasId: 'a', localeId: 'en_US', sessionId: 's', requestContentType: 'text/plain; charset=utf-8', inputStream: bytes('hi') }, region: 'us-east-1' },
    { service: 'mediastore-data', operation: 'PutObject', params: { Path: 'p/x', Body: bytes('data') }, region: 'us-east-1', endpointUrl: 'https://abc.data.mediastore.us-east-1.amazonaws.com' },
    { service: 'omics', operation: 'UploadReadSetPart', params: { sequenceStoreId: '1234567890', uploadId: '1234567890', partSource: 'SOURCE1', partNumber: 1, payload: bytes('ACGT') }, region: 'us-east-1' },
    { service: 's3', operation: 'WriteGetObjectResponse', params: { RequestRoute: 'route', RequestToken: 'tok', Body: bytes('body') }, region: 'us-east-1' },
    { service: 'ebs', operation: 'ListSnapshotBlocks', params: { SnapshotId: 'snap-1' }, region: 'us-east-1' },
  ];
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('signs (or not) as botocore does: no Authorization, no date, no token when unsigned; UNSIGNED-PAYLOAD for unsigned bodies', () => {
    for (const p of pairs) assert.deepEqual(authShape(p.inia), authShape(p.botocore), label(p));
    assert.equal(pairs[0]!.inia.request?.headers.authorization, undefined);
    assert.equal(pairs[10]!.inia.request?.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
    assert.equal(pairs[11]!.inia.request?.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
  });

  it("lets a user's choose-signer handler decide where botocore's does (registerFirst, specific names, generic ones)", () => {
    // Each scenario: [service, operation, params, where the user's handler goes, how]; botocore's answer is the reference.
    const scenarios: Array<[string, string, Record<string, unknown>, string, 'first' | 'plain', string]> = [
      ['sts', 'AssumeRoleWithWebIdentity', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ss', WebIdentityToken: 'tttt' }, 'choose-signer.sts.AssumeRoleWithWebIdentity', 'first', 'v4'],
      ['sts', 'AssumeRoleWithWebIdentity', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ss', WebIdentityToken: 'tttt' }, 'choose-signer.sts.AssumeRoleWithWebIdentity', 'plain', 'v4'],
      ['sts', 'AssumeRoleWithWebIdentity', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ss', WebIdentityToken: 'tttt' }, 'choose-signer', 'plain', 'v4'],
      ['cognito-idp', 'InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'c' }, 'choose-signer.cognito-identity-provider.InitiateAuth', 'plain', 'v4'],
      ['cognito-idp', 'InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'c' }, 'choose-signer', 'plain', 'v4'],
      ['sts', 'GetCallerIdentity', {}, 'choose-signer.sts.GetCallerIdentity', 'plain', 'unsigned'],
      ['dynamodb', 'ListTables', {}, 'choose-signer', 'plain', 'unsigned'],
    ];
    const script = `
import json, sys, botocore, botocore.session
from botocore.awsrequest import AWSResponse
class Raw:
    def stream(self, *a, **k):
        yield b'{}'
out = []
for service, op, params, event, how, answer in json.load(sys.stdin):
    s = botocore.session.get_session()
    c = s.create_client(service, region_name='us-east-1', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='SECRETEXAMPLE')
    value = botocore.UNSIGNED if answer == 'unsigned' else answer
    handler = lambda value=value, **kw: value
    (c.meta.events.register_first if how == 'first' else c.meta.events.register)(event, handler)
    seen = {}
    def send(request, **kw):
        seen['auth'] = request.headers.get('Authorization') is not None
        return AWSResponse(request.url, 400, {}, Raw())
    c.meta.events.register('before-send', send)
    try:
        c._make_api_call(op, params)
    except Exception:
        pass
    out.append(seen.get('auth'))
json.dump(out, sys.stdout)
`;
    const expected = pythonJson<boolean[]>(script, { what: 'botocore choose-signer override driver', input: JSON.stringify(scenarios) });
    return (async () => {
      const actual: boolean[] = [];
      for (const [service, op, params, event, how, answer] of scenarios) {
        const client = new Session({ env: { ...EMPTY_ENV } }).client(service as 'sts', { region: 'us-east-1', credentials: TEST_CREDENTIALS, config: new Config({ retries: { totalMaxAttempts: 1 } }) });
        const value = answer === 'unsigned' ? UNSIGNED : answer;
        if (how === 'first') client.meta.events.registerFirst(event, () => value);
        else client.meta.events.register(event, () => value);
        let signed: boolean | undefined;
        client.meta.events.register('before-send', (args) => {
          signed = (args.request as { headers: Record<string, string> }).headers.authorization !== undefined;
          return { statusCode: 400, headers: {}, body: new TextEncoder().encode('{}') };
        });
        await client.makeApiCall(op, params).catch(() => undefined);
        client.destroy();
        actual.push(signed ?? false);
      }
      assert.deepEqual(actual, expected, JSON.stringify(scenarios.map((s, i) => [s[3], s[4], expected[i]])));
    })();
  });

  it('sends an unsigned operation with no credentials anywhere (nothing is looked up)', async () => {
    const client = new Session({ env: { ...EMPTY_ENV } }).client('sts', { region: 'us-east-1' });
    let headers: Record<string, string> | undefined;
    client.meta.events.register('before-send', (args) => {
      headers = { ...(args.request as { headers: Record<string, string> }).headers };
      return { statusCode: 200, headers: {}, body: new TextEncoder().encode('<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult/></AssumeRoleWithWebIdentityResponse>') };
    });
    await client.makeApiCall('AssumeRoleWithWebIdentity', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'ss', WebIdentityToken: 'tttt' });
    client.destroy();
    assert.equal(headers?.authorization, undefined);
  });
});

describe('_set_auth_scheme_preference_signer (choose-signer): auth_scheme_preference and bearer tokens', () => {
  const converse = { modelId: 'm', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
  const bedrock = (env: Record<string, string>, extra: Partial<CaptureCase> = {}): CaptureCase => ({ service: 'bedrock-runtime', operation: 'Converse', params: converse, region: 'us-east-1', env, ...extra });
  const cases: CaptureCase[] = [
    bedrock({}),
    bedrock({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-token' }),
    bedrock({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-token', AWS_AUTH_SCHEME_PREFERENCE: 'sigv4' }),
    bedrock({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-token', AWS_AUTH_SCHEME_PREFERENCE: ' httpBearerAuth , sigv4 ' }),
    bedrock({ AWS_AUTH_SCHEME_PREFERENCE: 'httpBearerAuth' }),
    bedrock({ AWS_AUTH_SCHEME_PREFERENCE: 'noAuth,sigv4a,sigv4' }),
    bedrock({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-token' }, { botocoreConfig: { auth_scheme_preference: 'sigv4' }, iniaConfig: { authSchemePreference: 'sigv4' } }),
    bedrock({ AWS_BEARER_TOKEN_BEDROCK: 'bedrock-token' }, { botocoreConfig: { auth_scheme_preference: 'httpBearerAuth' }, iniaConfig: { authSchemePreference: 'httpBearerAuth' } }),
    { service: 'bedrock', operation: 'ListFoundationModels', params: {}, region: 'us-east-1', env: { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-token' } },
    { service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-east-1', env: { AWS_AUTH_SCHEME_PREFERENCE: 'httpBearerAuth,noAuth', AWS_BEARER_TOKEN_DYNAMODB: 't' } },
    { service: 'sts', operation: 'GetCallerIdentity', params: {}, region: 'us-east-1', env: { AWS_AUTH_SCHEME_PREFERENCE: 'sigv4a' } },
  ];
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('picks SigV4 or the bearer token as botocore does (or fails as it does when no token is there)', () => {
    for (const p of pairs) assert.deepEqual(authShape(p.inia), authShape(p.botocore), label(p));
    assert.equal(pairs[1]!.inia.request?.headers.authorization, 'Bearer bedrock-token');
    assert.equal(pairs[4]!.inia.error?.type, 'NoAuthTokenError');
  });
});

describe('enable_millisecond_timestamp_precision (creating-serializer.bedrock-agentcore)', () => {
  const event = (ts: string): Record<string, unknown> => ({ memoryId: 'memory-0123456789', actorId: 'actor-0123', clientToken: 'token-0123', eventTimestamp: { $datetime: ts }, payload: [{ conversational: { content: { text: 'x' }, role: 'USER' } }] });
  const cases: CaptureCase[] = [];
  for (const ts of ['2024-05-17T12:34:56.789Z', '2024-05-17T12:34:56.000Z', '2024-05-17T12:34:56.001Z', '1999-12-31T23:59:59.999Z']) {
    cases.push({ service: 'bedrock-agentcore', operation: 'CreateEvent', params: event(ts), region: 'us-east-1' });
    // The same kind of member elsewhere keeps botocore's default precision (whole seconds).
    cases.push({ service: 'cloudwatch', operation: 'GetMetricData', params: { MetricDataQueries: [], StartTime: { $datetime: ts }, EndTime: { $datetime: ts } }, region: 'us-east-1', botocoreConfig: {}, iniaConfig: {} });
    cases.push({ service: 'logs', operation: 'GetLogEvents', params: { logGroupName: 'g', logStreamName: 's', startTime: 1 }, region: 'us-east-1' });
    // An ISO 8601 member of the same service.
    const range = { startTime: { $datetime: ts }, endTime: { $datetime: ts } };
    cases.push({ service: 'bedrock-agentcore', operation: 'StartBatchEvaluation', params: { batchEvaluationName: 'e', clientToken: 'token-0123456789-0123456789-0123456789', dataSourceConfig: { cloudWatchLogs: { serviceNames: ['s'], logGroupNames: ['g'], filterConfig: { timeRange: range } } } }, region: 'us-east-1' });
  }
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('serializes timestamps exactly as botocore (milliseconds for bedrock-agentcore only)', () => {
    for (const p of pairs) {
      assert.equal(p.inia.error, undefined, label(p));
      const decode = (r: CaptureResult): unknown => {
        const text = Buffer.from(r.request?.body ?? '', 'base64').toString('utf8');
        return text.startsWith('{') ? JSON.parse(text) : text;
      };
      assert.deepEqual(decode(p.inia), decode(p.botocore), label(p));
    }
    const body = JSON.parse(Buffer.from(pairs[0]!.inia.request!.body, 'base64').toString('utf8')) as { eventTimestamp: number };
    assert.equal(body.eventTimestamp, 1715949296.789);
  });
});

describe('handle_service_name_alias (choose-service-name)', () => {
  it("makes client('runtime.sagemaker') a sagemaker-runtime client, as botocore", async () => {
    const script = `
import json, botocore.session
s = botocore.session.get_session()
c = s.create_client('runtime.sagemaker', region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')
print(json.dumps({'service': c.meta.service_model.service_name, 'url': c.meta.endpoint_url, 'class': type(c).__name__}))
`;
    const expected = pythonJson<{ service: string; url: string }>(script, { what: 'botocore service alias driver' });
    const client = new Session({ env: { ...EMPTY_ENV } }).client('runtime.sagemaker' as 'sagemaker-runtime', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    assert.deepEqual({ service: client.meta.serviceName, url: client.meta.endpointUrl }, { service: expected.service, url: expected.url });
    client.destroy();
    const [pair] = await captureBoth([{ service: 'runtime.sagemaker', operation: 'InvokeEndpoint', params: { EndpointName: 'e', Body: bytes('{}') }, region: 'us-east-1' }]);
    assert.deepEqual(outcome(pair!.inia, ['content-type']), outcome(pair!.botocore, ['content-type']));
  });

  it('leaves other names alone, and a user handler registered first may rename', () => {
    const session = new Session({ env: { ...EMPTY_ENV } });
    session.events.registerFirst('choose-service-name', (args) => (args.serviceName === 'my-db' ? 'dynamodb' : undefined));
    const client = session.client('my-db' as 'dynamodb', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    assert.equal(client.meta.serviceName, 'dynamodb');
    client.destroy();
    assert.throws(() => session.client('runtime.nothing' as 'dynamodb', { region: 'us-east-1' }), /runtime\.nothing/);
  });
});

describe('_handle_request_validation_mode_member (before-parameter-build): ChecksumMode', () => {
  // inia does this in src/checksums (prepareChecksumParams), called from client.ts makeApiCall.
  const get = (params: Record<string, unknown>, extra: Partial<CaptureCase> = {}): CaptureCase => ({ service: 's3', operation: 'GetObject', params: { Bucket: 'b', Key: 'k', ...params }, region: 'us-east-1', ...extra });
  const whenRequired = { botocoreConfig: { response_checksum_validation: 'when_required' }, iniaConfig: { responseChecksumValidation: 'when_required' as const } };
  const cases: CaptureCase[] = [
    get({}),
    get({ ChecksumMode: 'ENABLED' }),
    get({}, whenRequired),
    get({ ChecksumMode: 'ENABLED' }, whenRequired),
    get({}, { env: { AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required' } }),
    { service: 's3', operation: 'HeadObject', params: { Bucket: 'b', Key: 'k' }, region: 'us-east-1' },
  ];
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('sets x-amz-checksum-mode: ENABLED under when_supported, keeps the caller value, and leaves it out under when_required', () => {
    assertSame(pairs, ['x-amz-checksum-mode']);
    assert.equal(pairs[0]!.inia.request?.headers['x-amz-checksum-mode'], 'ENABLED');
    assert.equal(pairs[2]!.inia.request?.headers['x-amz-checksum-mode'], undefined);
  });
});

describe('generate_idempotent_uuid (before-parameter-build): idempotency tokens', () => {
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
  const base: Array<[string, string, Record<string, unknown>, string]> = [
    ['accessanalyzer', 'CreateAnalyzer', { analyzerName: 'a', type: 'ACCOUNT' }, 'clientToken'],
    ['accessanalyzer', 'DeleteAnalyzer', { analyzerName: 'a' }, 'clientToken'],
    ['athena', 'StartQueryExecution', { QueryString: 'select 1' }, 'ClientRequestToken'],
    ['ec2', 'AssociateTrunkInterface', { BranchInterfaceId: 'eni-1', TrunkInterfaceId: 'eni-2' }, 'ClientToken'],
    ['cloudformation', 'CreateStackSet', { StackSetName: 's' }, 'ClientRequestToken'],
    ['s3', 'RenameObject', { Bucket: 'b', Key: 'k', RenameSource: 'b/old' }, 'ClientToken'],
    ['bedrock-agentcore', 'InvokeAgentRuntime', { agentRuntimeArn: 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/r', payload: bytes('{}') }, 'runtimeSessionId'],
    ['dynamodb', 'ListTables', {}, ''],
  ];
  const cases: CaptureCase[] = [];
  for (const [service, operation, params, token] of base) {
    cases.push({ service, operation, params, region: 'us-east-1' });
    if (token !== '') cases.push({ service, operation, params: { ...params, [token]: 'caller-token-0123456789-0123456789-xx' }, region: 'us-east-1' });
  }
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('fills the same members with UUIDs where botocore does, and keeps a caller value', () => {
    for (const p of pairs) {
      const sent = (r: CaptureResult): unknown => {
        if (r.request === undefined) return { error: r.error?.type };
        const text = `${r.request!.url}\n${Object.entries(r.request!.headers).filter(([k]) => !k.startsWith('amz-sdk')).map(([k, v]) => `${k}:${v}`).join('\n')}\n${Buffer.from(r.request!.body, 'base64').toString('latin1')}`;
        return { uuids: (text.match(UUID) ?? []).length, caller: text.includes('caller-token-0123456789') };
      };
      assert.deepEqual(sent(p.inia), sent(p.botocore), label(p));
    }
    assert.ok(pairs.some((p) => ((p.inia.request?.body ?? '') + (p.inia.request?.url ?? '')).length > 0));
  });
});

describe('add_retry_headers (request-created): amz-sdk-invocation-id and amz-sdk-request', () => {
  const cases: CaptureCase[] = [
    { service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-east-1' },
    { service: 's3', operation: 'ListBuckets', params: {}, region: 'us-east-1', response: { body: '<ListAllMyBucketsResult/>' }, botocoreConfig: { retries: { mode: 'standard', total_max_attempts: 4 } }, iniaConfig: { retries: { mode: 'standard', totalMaxAttempts: 4 } } },
    { service: 'dynamodb', operation: 'ListTables', params: {}, region: 'us-east-1', response: { body: '{}' }, botocoreConfig: { retries: { mode: 'legacy', max_attempts: 2 } }, iniaConfig: { retries: { mode: 'legacy', maxAttempts: 2 } } },
    { service: 'ec2', operation: 'DescribeRegions', params: {}, region: 'us-east-1', response: { body: '<DescribeRegionsResponse/>' }, botocoreConfig: { retries: { mode: 'adaptive', max_attempts: 5 } }, iniaConfig: { retries: { mode: 'adaptive', maxAttempts: 5 } } },
  ];
  let pairs: Pair[];
  before(async () => {
    pairs = await captureBoth(cases);
  });

  it('sends a fresh UUID per call and the same attempt/max text as botocore', () => {
    const shape = (r: CaptureResult): unknown => ({
      invocation: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.request?.headers['amz-sdk-invocation-id'] ?? ''),
      request: r.request?.headers['amz-sdk-request'],
    });
    for (const p of pairs) assert.deepEqual(shape(p.inia), shape(p.botocore), label(p));
    // The first attempt knows no limit yet: botocore notes `max` when it judges a retry.
    assert.deepEqual(shape(pairs[1]!.inia), { invocation: true, request: 'attempt=1' });
  });
});

describe('add_generate_presigned_url (creating-client-class) and check_openssl_supports_tls_version_1_2', () => {
  it('gives every client generatePresignedUrl (its URLs are compared with boto3 in test/unit/presign.test.ts)', () => {
    const session = new Session({ env: { ...EMPTY_ENV } });
    for (const service of ['s3', 'dynamodb', 'sts', 'iot-data', 'bedrock-agentcore', 'ec2']) {
      const client = session.client(service as 's3', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
      assert.equal(typeof client.generatePresignedUrl, 'function', service);
      client.destroy();
    }
  });

  it('runs on a TLS stack that speaks TLS 1.2 (what botocore checks OpenSSL >= 1.0.1 for, iot-data)', () => {
    const order = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
    assert.ok(order.indexOf(DEFAULT_MIN_VERSION) <= order.indexOf('TLSv1.2') && order.indexOf(DEFAULT_MAX_VERSION) >= order.indexOf('TLSv1.2'), `${DEFAULT_MIN_VERSION}..${DEFAULT_MAX_VERSION}`);
  });
});

describe('choose-service-name answers', () => {
  it('refuses an answer that is not a service name, naming the event', () => {
    const session = new Session({ env: { ...EMPTY_ENV } });
    // First: botocore's own handler answers every name (the name itself when it is no alias).
    session.events.registerFirst('choose-service-name', () => 42);
    assert.throws(() => session.client('s3' as 's3', { region: 'us-east-1' }), (e: unknown) => e instanceof InvalidOptionError && /choose-service-name handler answered 42/.test(e.message));
  });
});
