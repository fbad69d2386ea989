/**
 * Error-side customizations, each compared with botocore on the same canned answers (the
 * differential harness runs whole calls through both):
 * - after-call.sqs.* (_handle_sqs_compatible_error): SQS's modeled errors are found by the
 *   shape name the x-amzn-query-error header comes with; other query-compatible services
 *   (CloudWatch) map the header's code through their error shapes' `error.code`.
 * - before-parse.sso-oidc.* (_map_oauth2_errors): OAuth2's error_description becomes Message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Session } from 'inia';
import { captureBoth, type CaptureCase } from '../helpers/capture.js';
import { motoForFile } from '../helpers/moto.js';
import { pythonJson } from '../helpers/python.js';

const moto = motoForFile(Session);

const json = (value: unknown): string => JSON.stringify(value);

const SQS_QUEUE = { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' };

const SQS_CASES: CaptureCase[] = [
  {
    // The shape name in __type, the old query code in the header: botocore raises QueueDoesNotExist
    // with Code AWS.SimpleQueueService.NonExistentQueue.
    service: 'sqs', operation: 'GetQueueAttributes', region: 'us-east-1', params: SQS_QUEUE,
    response: { status: 400, headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender', 'content-type': 'application/x-amz-json-1.0' }, body: json({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' }) },
  },
  {
    service: 'sqs', operation: 'SendMessage', region: 'us-east-1', params: { ...SQS_QUEUE, MessageBody: 'x' },
    response: { status: 400, headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.InvalidBatchEntryId;Sender' }, body: json({ __type: 'com.amazonaws.sqs#InvalidMessageContents', message: 'bad' }) },
  },
  {
    // No header: the shape name is the code, found as it is.
    service: 'sqs', operation: 'GetQueueAttributes', region: 'us-east-1', params: SQS_QUEUE,
    response: { status: 400, body: json({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'gone' }) },
  },
  {
    // An unmodeled code behind the header: a plain ClientError with the header's code.
    service: 'sqs', operation: 'GetQueueAttributes', region: 'us-east-1', params: SQS_QUEUE,
    response: { status: 400, headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.Whatever;Sender' }, body: json({ __type: 'com.amazonaws.sqs#NotAModeledError', message: 'm' }) },
  },
  {
    // A header botocore does not take apart (no ';'): the body's code stays.
    service: 'sqs', operation: 'GetQueueAttributes', region: 'us-east-1', params: SQS_QUEUE,
    response: { status: 400, headers: { 'x-amzn-query-error': 'JustACode' }, body: json({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'm' }) },
  },
  {
    // Success: the handler leaves results alone.
    service: 'sqs', operation: 'GetQueueUrl', region: 'us-east-1', params: { QueueName: 'q' },
    response: { status: 200, body: json({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' }) },
  },
];

const CLOUDWATCH_CASES: CaptureCase[] = [
  {
    // Not SQS: the header's code (InvalidParameterInput) is DashboardInvalidInputError's error.code,
    // and that is how botocore finds the class; the shape name in the body is not used for it.
    service: 'cloudwatch', operation: 'PutDashboard', region: 'us-east-1', params: { DashboardName: 'd', DashboardBody: '{}' },
    response: { status: 400, headers: { 'x-amzn-query-error': 'InvalidParameterInput;Sender' }, body: json({ __type: 'com.amazonaws.cloudwatch#DashboardInvalidInputError', message: 'bad body' }) },
  },
  {
    // Two shapes share the code ResourceNotFound: both sides pick the same class.
    service: 'cloudwatch', operation: 'GetDashboard', region: 'us-east-1', params: { DashboardName: 'd' },
    response: { status: 400, headers: { 'x-amzn-query-error': 'ResourceNotFound;Sender' }, body: json({ __type: 'com.amazonaws.cloudwatch#DashboardNotFoundError', message: 'no dashboard' }) },
  },
  {
    service: 'cloudwatch', operation: 'GetDashboard', region: 'us-east-1', params: { DashboardName: 'd' },
    response: { status: 400, body: json({ __type: 'com.amazonaws.cloudwatch#ResourceNotFound', message: 'no dashboard' }) },
  },
];

const SSO_OIDC = { service: 'sso-oidc', operation: 'CreateToken', region: 'us-east-1', params: { clientId: 'c', clientSecret: 's', grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: 'd' } };

const SSO_OIDC_CASES: CaptureCase[] = [
  // OAuth2's own form: the text is in error_description only.
  { ...SSO_OIDC, response: { status: 400, headers: { 'x-amzn-errortype': 'AuthorizationPendingException' }, body: json({ error: 'authorization_pending', error_description: 'Authorization is still pending' }) } },
  { ...SSO_OIDC, response: { status: 400, headers: { 'x-amzn-errortype': 'InvalidGrantException:http://internal.amazon.com/' }, body: json({ error: 'invalid_grant', error_description: 'Invalid grant provided' }) } },
  // A message already there wins (either spelling); an empty one does not count.
  { ...SSO_OIDC, response: { status: 400, headers: { 'x-amzn-errortype': 'InvalidGrantException' }, body: json({ error: 'invalid_grant', error_description: 'description', message: 'the message' }) } },
  { ...SSO_OIDC, response: { status: 400, headers: { 'x-amzn-errortype': 'InvalidGrantException' }, body: json({ error: 'invalid_grant', error_description: 'description', Message: 'The Message' }) } },
  { ...SSO_OIDC, response: { status: 400, headers: { 'x-amzn-errortype': 'InvalidGrantException' }, body: json({ error: 'invalid_grant', error_description: 'description', Message: '' }) } },
  { ...SSO_OIDC, response: { status: 400, headers: { 'x-amzn-errortype': 'InvalidGrantException' }, body: json({ error: 'invalid_grant', error_description: '' }) } },
  // No errortype header: the code comes from the body (there is none in OAuth2's), then the status.
  { ...SSO_OIDC, response: { status: 401, body: json({ error: 'invalid_client', error_description: 'Client authentication failed' }) } },
  // A body that is not JSON is left alone.
  { ...SSO_OIDC, response: { status: 500, body: 'Internal failure' } },
  // Success is left alone.
  { ...SSO_OIDC, response: { status: 200, body: json({ accessToken: 't', tokenType: 'Bearer', expiresIn: 3600 }) } },
];

/** What an error or result says, as both sides report it. */
function outcome(r: { parsed?: unknown; error?: { type: string; message: string; code?: string } }): unknown {
  return r.error !== undefined ? { error: { type: r.error.type, message: r.error.message, code: r.error.code } } : { parsed: r.parsed };
}

describe('SQS: error classes by the x-amzn-query-error shape name (after-call.sqs.*)', () => {
  it('raises the class and code botocore raises', async () => {
    const results = await captureBoth(SQS_CASES);
    for (const { case: c, botocore, inia } of results) assert.deepEqual(outcome(inia), outcome(botocore), JSON.stringify(c.response));
    // The cases mean what they say: the modeled class, with the header's code.
    assert.deepEqual(results[0]!.inia.error, { type: 'QueueDoesNotExist', message: results[0]!.inia.error?.message, code: 'AWS.SimpleQueueService.NonExistentQueue' });
    assert.equal(results[1]!.inia.error?.type, 'InvalidMessageContents');
    assert.equal(results[3]!.inia.error?.type, 'ClientError');
  });
});

describe('query-compatible services other than SQS: the header code maps through error.code', () => {
  it('raises the class and code botocore raises (CloudWatch, json)', async () => {
    const results = await captureBoth(CLOUDWATCH_CASES);
    for (const { case: c, botocore, inia } of results) assert.deepEqual(outcome(inia), outcome(botocore), JSON.stringify(c.response?.headers));
    assert.equal(results[0]!.inia.error?.type, 'DashboardInvalidInputError');
    assert.equal(results[0]!.inia.error?.code, 'InvalidParameterInput');
  });
});

describe('SSO OIDC: OAuth2 error_description as the message (before-parse.sso-oidc.*)', () => {
  it('reports the code, class and message botocore reports', async () => {
    const results = await captureBoth(SSO_OIDC_CASES);
    for (const { case: c, botocore, inia } of results) assert.deepEqual(outcome(inia), outcome(botocore), String(c.response?.body));
    assert.match(results[0]!.inia.error?.message ?? '', /Authorization is still pending$/);
    assert.equal(results[0]!.inia.error?.type, 'AuthorizationPendingException');
  });
});

const BOTOCORE_ON_MOTO = String.raw`
import json, sys
import botocore.session
spec = json.load(sys.stdin)
client = botocore.session.get_session().create_client('sqs', region_name='us-east-1', endpoint_url=spec['url'],
                                                      aws_access_key_id='testing', aws_secret_access_key='testing')
out = []
for call in spec['calls']:
    try:
        getattr(client, call['method'])(**call['params'])
        out.append(None)
    except client.exceptions.ClientError as e:
        out.append({'type': type(e).__name__, 'code': e.response['Error']['Code'], 'queryErrorCode': e.response['Error'].get('QueryErrorCode')})
json.dump(out, sys.stdout)
`;

describe('SQS errors on moto (after-call.sqs.*)', () => {
  it('raise the class and code botocore raises against the same server', async () => {
    const calls = [
      { method: 'get_queue_url', iniaMethod: 'getQueueUrl', params: { QueueName: 'no-such-queue' } },
      { method: 'get_queue_attributes', iniaMethod: 'getQueueAttributes', params: { QueueUrl: `${moto.url}/123456789012/no-such-queue` } },
    ];
    const reference = pythonJson<Array<{ type: string; code: string; queryErrorCode?: string } | null>>(BOTOCORE_ON_MOTO, { what: 'botocore SQS on moto', input: JSON.stringify({ url: moto.url, calls }) });
    const sqs = moto.client('sqs') as unknown as Record<string, (p: unknown) => Promise<unknown>>;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i]!;
      const ours = await sqs[call.iniaMethod]!(call.params).then(
        () => null,
        (e: { name: string; code: string; response: { Error: { QueryErrorCode?: string } } }) => ({ type: e.name, code: e.code, queryErrorCode: e.response.Error.QueryErrorCode ?? null }),
      );
      assert.deepEqual(ours, reference[i], call.method);
    }
    // The first is moto's NonExistentQueue: the modeled class, found through the shape name.
    assert.equal(reference[0]?.type, 'QueueDoesNotExist');
  });
});
