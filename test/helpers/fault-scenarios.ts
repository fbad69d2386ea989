/**
 * A seeded random generator of retry fault scenarios, in the format of
 * test/helpers/botocore_faults.py (FaultCase), so the same scenario can be run through
 * botocore and through inia against test/helpers/fault-server.ts and compared.
 *
 * Every error body is protocol-correct for its service:
 *   dynamodb  awsJson1_0          {"__type":"com.amazonaws.dynamodb.v20120810#Code"}
 *   sqs       awsJson1_0 + awsQueryCompatible: {"__type":"com.amazonaws.sqs#Code"} and
 *             x-amzn-query-error: <QueryCode>;Sender (botocore's Error.Code is QueryCode)
 *   sts       query               <ErrorResponse><Error><Code>...
 *   s3        rest-xml            <Error><Code>...   (HeadObject: status only, no body)
 *
 * Params whose value is {"__bytes__": text} stand for a bytes body (S3 PutObject Body).
 */
import { createHash } from 'node:crypto';
import type { FaultCase, RetryMode } from './botocore-faults.js';
import {
  correctChecksum, correctCrc32, corruptChecksum, corruptCrc32, dynamodbError, jsonOk, queryError, s3Error,
  sqsError, xmlOk, type FaultAction, type RespondAction,
} from './fault-server.js';
import { prng } from './random.js';

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rand, p: number): boolean => r() < p;

/** read_timeout for scenarios with a stall: the stall (2.5 s) outlasts it. */
export const STALL_READ_TIMEOUT = 1;
const STALL_MS = 2_500;

type FaultClass = 'server' | 'throttle' | 'client' | 'transient' | 'network' | 'stall' | 'integrity';

interface Op {
  service: 'dynamodb' | 'sqs' | 's3' | 'sts';
  operation: string;
  params: Record<string, unknown>;
  success: () => FaultAction;
  /** Protocol-correct error response for a status and code. */
  error: (status: number, code: string) => RespondAction;
  throttles: Array<[number, string]>;
  transients: Array<[number, string]>;
  clientErrors: Array<[number, string]>;
  /** Body-level faults make no sense for HEAD (no body). */
  head?: boolean;
  integrity?: () => FaultAction;
  /** A body that a truncate/reset-mid-body/stall-mid-body action cuts. */
  body: string;
  status200Headers: Record<string, string>;
}

const ITEM = JSON.stringify({ Item: { id: { S: 'ada' }, n: { N: '42' } } });
const OBJECT = 'hello from the fault server: ' + 'x'.repeat(64);
const MESSAGE = 'fault scenario message';
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

const JSON_THROTTLES: Array<[number, string]> = [
  [400, 'ThrottlingException'], [400, 'ProvisionedThroughputExceededException'], [400, 'RequestLimitExceeded'],
  [400, 'TooManyRequestsException'], [400, 'Throttling'],
];
const JSON_TRANSIENTS: Array<[number, string]> = [
  [400, 'RequestTimeout'], [400, 'RequestTimeoutException'], [400, 'PriorRequestNotComplete'],
];

const STS_CALLER = xmlOk(
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::123456789012:user/ada</Arn><UserId>AIDAFAULT</UserId><Account>123456789012</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>fault-sts</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
);

const QUEUE_URL = 'http://127.0.0.1/123456789012/fault-queue';
/** SQS: awsJson __type name -> x-amzn-query-error code (what botocore reports as Error.Code). */
const SQS_QUERY_CODES: Record<string, string | undefined> = {
  RequestThrottled: 'RequestThrottled',
  ThrottlingException: 'Throttling',
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  InvalidParameterValue: 'InvalidParameterValue',
};
const sqsErr = (status: number, code: string): RespondAction => sqsError(status, code, SQS_QUERY_CODES[code]);

const OPS: Op[] = [
  {
    service: 'dynamodb', operation: 'GetItem', params: { TableName: 'Users', Key: { id: { S: 'ada' } } },
    success: () => correctCrc32(ITEM), error: dynamodbError,
    throttles: JSON_THROTTLES, transients: JSON_TRANSIENTS,
    clientErrors: [[400, 'ValidationException'], [400, 'ResourceNotFoundException'], [400, 'ConditionalCheckFailedException']],
    integrity: () => corruptCrc32(ITEM), body: ITEM, status200Headers: { 'content-type': 'application/x-amz-json-1.0' },
  },
  {
    service: 'dynamodb', operation: 'PutItem', params: { TableName: 'Users', Item: { id: { S: 'ada' } } },
    success: () => correctCrc32('{}'), error: dynamodbError,
    throttles: JSON_THROTTLES, transients: JSON_TRANSIENTS,
    clientErrors: [[400, 'ValidationException'], [400, 'ConditionalCheckFailedException']],
    integrity: () => corruptCrc32('{}'), body: '{"ConsumedCapacity":null}', status200Headers: { 'content-type': 'application/x-amz-json-1.0' },
  },
  {
    service: 'sqs', operation: 'SendMessage', params: { QueueUrl: QUEUE_URL, MessageBody: MESSAGE },
    success: () => jsonOk({ MessageId: '11111111-2222-3333-4444-555555555555', MD5OfMessageBody: md5(MESSAGE) }),
    error: sqsErr,
    throttles: [[400, 'ThrottlingException'], [403, 'RequestThrottled'], [400, 'RequestThrottled']],
    transients: JSON_TRANSIENTS,
    clientErrors: [[400, 'QueueDoesNotExist'], [400, 'InvalidParameterValue']],
    body: JSON.stringify({ MessageId: 'm', MD5OfMessageBody: md5(MESSAGE) }), status200Headers: { 'content-type': 'application/x-amz-json-1.0' },
  },
  {
    service: 'sqs', operation: 'ReceiveMessage', params: { QueueUrl: QUEUE_URL, MaxNumberOfMessages: 1 },
    success: () => jsonOk({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'rh', MD5OfBody: md5(MESSAGE), Body: MESSAGE }] }),
    error: sqsErr,
    throttles: [[400, 'ThrottlingException'], [403, 'RequestThrottled']],
    transients: JSON_TRANSIENTS,
    clientErrors: [[400, 'QueueDoesNotExist']],
    body: JSON.stringify({ Messages: [] }), status200Headers: { 'content-type': 'application/x-amz-json-1.0' },
  },
  {
    service: 's3', operation: 'GetObject', params: { Bucket: 'fault-bucket', Key: 'dir/object.txt' },
    success: () => correctChecksum(OBJECT), error: s3Error,
    throttles: [[503, 'SlowDown'], [400, 'Throttling'], [400, 'RequestLimitExceeded']],
    transients: [[400, 'RequestTimeout'], [400, 'PriorRequestNotComplete'], [400, 'RequestTimeoutException']],
    clientErrors: [[404, 'NoSuchKey'], [403, 'AccessDenied']],
    integrity: () => corruptChecksum(OBJECT), body: OBJECT, status200Headers: { 'content-type': 'application/octet-stream', etag: '"e"' },
  },
  {
    service: 's3', operation: 'PutObject', params: { Bucket: 'fault-bucket', Key: 'dir/put.txt', Body: { __bytes__: 'small buffered body' } },
    success: () => ({ kind: 'respond', status: 200, headers: { etag: '"put-etag"', 'x-amz-request-id': 'fault-put' }, body: '' }),
    error: s3Error,
    throttles: [[503, 'SlowDown'], [400, 'Throttling']],
    transients: [[400, 'RequestTimeout'], [400, 'PriorRequestNotComplete']],
    clientErrors: [[403, 'AccessDenied'], [400, 'InvalidArgument']],
    body: '', status200Headers: { etag: '"put-etag"' },
  },
  {
    service: 's3', operation: 'HeadObject', params: { Bucket: 'fault-bucket', Key: 'dir/object.txt' }, head: true,
    success: () => ({ kind: 'respond', status: 200, headers: { etag: '"e"', 'content-type': 'text/plain', 'x-amz-request-id': 'fault-head' }, body: '' }),
    error: s3Error,
    throttles: [[503, 'SlowDown']],
    transients: [[400, 'RequestTimeout']],
    clientErrors: [[404, 'NoSuchKey'], [403, 'AccessDenied']],
    body: '', status200Headers: {},
  },
  {
    service: 'sts', operation: 'GetCallerIdentity', params: {},
    success: () => STS_CALLER, error: queryError,
    throttles: [[400, 'Throttling'], [400, 'ThrottlingException'], [400, 'RequestLimitExceeded']],
    transients: [[400, 'IDPCommunicationError'], [400, 'RequestTimeout'], [400, 'PriorRequestNotComplete']],
    clientErrors: [[403, 'AccessDenied'], [400, 'ValidationError']],
    body: '<GetCallerIdentityResponse/>', status200Headers: { 'content-type': 'text/xml' },
  },
];

const SERVER_STATUSES: Array<[number, string]> = [
  [500, 'InternalServerError'], [502, 'BadGateway'], [503, 'ServiceUnavailable'], [504, 'GatewayTimeout'],
  [509, 'BandwidthLimitExceeded'], [429, 'TooManyRequestsException'],
];

/** botocore's throttling error codes (retries/standard.py ThrottledRetryableChecker). */
const THROTTLE_CODES: ReadonlySet<string> = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'ProvisionedThroughputExceededException', 'TransactionInProgressException', 'RequestLimitExceeded',
  'BandwidthLimitExceeded', 'LimitExceededException', 'RequestThrottled', 'SlowDown', 'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** Whether botocore would see `action` as a throttling error (conservative: any throttle-ish code). */
function isThrottle(op: Op, action: FaultAction): boolean {
  if (action.kind !== 'respond' || action.status < 400 || !action.body) return false;
  const m = /"__type":"[^"#]*#([^"]+)"|<Code>([^<]+)<\/Code>/.exec(action.body);
  const code = m ? (m[1] ?? m[2])! : '';
  const query = action.headers?.['x-amzn-query-error']?.split(';')[0];
  return THROTTLE_CODES.has(code) || (query !== undefined && THROTTLE_CODES.has(query));
}

/** One fault action of a class, for an operation. */
function fault(r: Rand, op: Op, cls: FaultClass): FaultAction {
  switch (cls) {
    case 'server': {
      const [status, code] = pick(r, SERVER_STATUSES);
      // S3 spells its 500 InternalError; the other protocols keep the generic names.
      return op.error(status, op.service === 's3' && status === 500 ? 'InternalError' : code);
    }
    case 'throttle': { const [s, c] = pick(r, op.throttles); return op.error(s, c); }
    case 'transient': { const [s, c] = pick(r, op.transients); return op.error(s, c); }
    case 'client': { const [s, c] = pick(r, op.clientErrors); return op.error(s, c); }
    case 'integrity': return op.integrity!();
    case 'network': {
      const kinds = op.head ? ['reset', 'close-before-response'] as const
        : ['reset', 'close-before-response', 'truncate', 'reset-mid-body'] as const;
      const kind = pick(r, kinds);
      if (kind === 'reset' || kind === 'close-before-response') return { kind };
      const full = Buffer.byteLength(op.body);
      const sendBytes = full > 1 ? int(r, 1, full - 1) : 0;
      const body = full > 1 ? op.body : '{"partial":true}';
      return { kind, status: 200, headers: op.status200Headers, body, sendBytes: full > 1 ? sendBytes : 3 };
    }
    case 'stall':
      if (!op.head && Buffer.byteLength(op.body) > 1 && chance(r, 0.3)) {
        return { kind: 'stall-mid-body', status: 200, headers: op.status200Headers, body: op.body, sendBytes: 1, ms: STALL_MS };
      }
      return { kind: 'stall', ms: STALL_MS };
  }
}

function retriesConfig(r: Rand, mode: RetryMode): FaultCase['retries'] {
  const retries: FaultCase['retries'] = { mode };
  const which = r();
  if (which < 0.35) return retries; // service / mode defaults
  if (which < 0.65) retries.max_attempts = int(r, 0, 5);
  else if (which < 0.92) retries.total_max_attempts = int(r, 1, 6);
  else { retries.max_attempts = int(r, 0, 5); retries.total_max_attempts = int(r, 1, 6); }
  return retries;
}

/**
 * `count` scenarios from `seed` (the same seed always gives the same scenarios).
 *
 * Time limits, so a run of many scenarios stays fast:
 *  - at most one stall (or stall-mid-body) per scenario, never as the last action (the
 *    last action repeats when the script runs out, which would stall every further
 *    attempt); read_timeout is STALL_READ_TIMEOUT (1 s) then, so a stall costs ~1 s;
 *  - adaptive mode: at most one throttling action per scenario, never last. botocore's
 *    adaptive mode really sleeps in its client-side token bucket after a throttle (the
 *    driver only zeroes backoff jitter, not time.sleep), ~1-2 s per throttled retry, and
 *    a repeating throttle would sleep on every attempt.
 */
export function generateScenarios(seed: number, count: number): FaultCase[] {
  const r = prng(seed);
  const out: FaultCase[] = [];
  for (let i = 0; i < count; i++) {
    const op = pick(r, OPS);
    const mode = pick(r, ['legacy', 'standard', 'adaptive'] as const);
    const length = int(r, 1, 6);
    const classes: FaultClass[] = ['server', 'throttle', 'client', 'transient', 'network', 'stall'];
    if (op.integrity) classes.push('integrity');
    let stalls = 0;
    let throttles = 0;
    const actions: FaultAction[] = [];
    const faults = chance(r, 0.8) ? length - 1 : length; // usually a final success
    for (let k = 0; k < faults; k++) {
      const isLast = k === faults - 1 && faults === length;
      let action: FaultAction | undefined;
      // Bounded re-picks keep the per-scenario limits (see above); the fallback is a plain 500.
      for (let tries = 0; tries < 10 && action === undefined; tries++) {
        const cls = pick(r, classes);
        if (cls === 'stall' && (stalls > 0 || isLast)) continue;
        const candidate = fault(r, op, cls);
        if (mode === 'adaptive' && isThrottle(op, candidate) && (throttles > 0 || isLast)) continue;
        action = candidate;
      }
      action ??= op.error(500, op.service === 's3' ? 'InternalError' : 'InternalServerError');
      if (action.kind === 'stall' || action.kind === 'stall-mid-body') stalls++;
      if (isThrottle(op, action)) throttles++;
      actions.push(action);
    }
    if (faults < length) actions.push(op.success());
    const c: FaultCase = {
      id: `${seed}:${i}`,
      service: op.service,
      operation: op.operation,
      params: structuredClone(op.params),
      retries: retriesConfig(r, mode),
      script: actions,
    };
    if (stalls > 0) c.read_timeout = STALL_READ_TIMEOUT;
    if (chance(r, 0.2)) c.connect_timeout = int(r, 1, 5);
    out.push(c);
  }
  return out;
}
