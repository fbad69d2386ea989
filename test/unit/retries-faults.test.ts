/**
 * Named fault scenarios, each in legacy, standard and adaptive mode, against the loopback
 * fault server: the number of attempts, the outcome (success or the typed error), and that
 * no damaged data comes back. The expected numbers are botocore 1.43's (measured through
 * test/helpers/botocore_faults.py; the generated comparison is retries-parity.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FaultCase, RetryMode } from '../helpers/botocore-faults.js';
import { correctCrc32, corruptChecksum, corruptCrc32, correctChecksum, dynamodbError, s3Error, sqsError, startFaultServer, type FaultAction, type FaultServer } from '../helpers/fault-server.js';
import { runIniaFault } from '../helpers/inia-faults.js';

Math.random = () => 0;

const MODES: readonly RetryMode[] = ['legacy', 'standard', 'adaptive'];
const SEND = { service: 'sqs', operation: 'SendMessage', params: { QueueUrl: 'http://127.0.0.1/123456789012/q', MessageBody: 'm' } };
const SQS_OK: FaultAction = {
  kind: 'respond',
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body: JSON.stringify({ MessageId: 'id-1', MD5OfMessageBody: '6f8f57715090da2632453988d9a1501b' }),
};
const ITEM = JSON.stringify({ Item: { id: { S: 'ada' } } });
const GET_ITEM = { service: 'dynamodb', operation: 'GetItem', params: { TableName: 't', Key: { id: { S: 'ada' } } } };
const OBJECT = 'the object body, checked end to end';
const GET_OBJECT = { service: 's3', operation: 'GetObject', params: { Bucket: 'b', Key: 'k' } };

interface Scenario {
  name: string;
  call: { service: string; operation: string; params: Record<string, unknown> };
  script: FaultAction[];
  /** Attempts per mode: legacy, standard, adaptive. */
  attempts: [number, number, number];
  /** 'ok' or the error: a class name, or 'ClientError:<code>'. */
  outcome: string;
  retries?: { max_attempts?: number; total_max_attempts?: number };
  readTimeout?: number;
  modes?: readonly RetryMode[];
}

const SCENARIOS: Scenario[] = [
  { name: '503 every time', call: SEND, script: [sqsError(503, 'ServiceUnavailable')], attempts: [5, 3, 3], outcome: 'ClientError:ServiceUnavailable' },
  { name: '500, 500, then success', call: SEND, script: [sqsError(500, 'InternalError'), sqsError(500, 'InternalError'), SQS_OK], attempts: [3, 3, 3], outcome: 'ok' },
  // Adaptive mode's limiter really waits after a throttle (as botocore's), so it meets one only.
  { name: 'throttled every time', call: SEND, script: [sqsError(400, 'ThrottlingException', 'Throttling')], attempts: [5, 3, 3], outcome: 'ClientError:Throttling', modes: ['legacy', 'standard'] },
  { name: 'throttled once, then success', call: SEND, script: [sqsError(400, 'ThrottlingException', 'Throttling'), SQS_OK], attempts: [2, 2, 2], outcome: 'ok' },
  { name: 'a 400 that is not retryable', call: SEND, script: [sqsError(400, 'InvalidParameterValue', 'InvalidParameterValue')], attempts: [1, 1, 1], outcome: 'ClientError:InvalidParameterValue' },
  { name: 'connection reset, then success', call: SEND, script: [{ kind: 'reset' }, SQS_OK], attempts: [2, 2, 2], outcome: 'ok' },
  { name: 'connection closed every time', call: SEND, script: [{ kind: 'close-before-response' }], attempts: [5, 3, 3], outcome: 'ConnectionClosedError' },
  {
    name: 'truncated body every time',
    call: GET_ITEM,
    script: [{ kind: 'truncate', status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: ITEM, sendBytes: 5 }],
    attempts: [4, 3, 3],
    outcome: 'ConnectionClosedError',
    retries: { total_max_attempts: 4 },
    modes: ['legacy'],
  },
  {
    name: 'truncated body every time',
    call: GET_ITEM,
    script: [{ kind: 'truncate', status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: ITEM, sendBytes: 5 }],
    attempts: [0, 3, 3],
    outcome: 'ConnectionClosedError',
    modes: ['standard', 'adaptive'],
  },
  { name: 'stalled past the read timeout every time', call: SEND, script: [{ kind: 'stall', ms: 2000 }], attempts: [5, 3, 3], outcome: 'ReadTimeoutError', readTimeout: 0.3 },
  { name: 'stalled once, then success', call: SEND, script: [{ kind: 'stall', ms: 2000 }, SQS_OK], attempts: [2, 2, 2], outcome: 'ok', readTimeout: 0.3 },
  { name: 'DynamoDB CRC32 wrong every time', call: GET_ITEM, script: [corruptCrc32(ITEM)], attempts: [3, 3, 3], outcome: 'ChecksumError', retries: { total_max_attempts: 3 } },
  { name: 'DynamoDB CRC32 wrong once, then right', call: GET_ITEM, script: [corruptCrc32(ITEM), correctCrc32(ITEM)], attempts: [2, 2, 2], outcome: 'ok', retries: { total_max_attempts: 3 } },
  { name: 'S3 object checksum wrong (never retried)', call: GET_OBJECT, script: [corruptChecksum(OBJECT)], attempts: [1, 1, 1], outcome: 'FlexibleChecksumError' },
  { name: 'S3 object checksum right', call: GET_OBJECT, script: [correctChecksum(OBJECT)], attempts: [1, 1, 1], outcome: 'ok' },
  { name: 'S3 SlowDown every time', call: GET_OBJECT, script: [s3Error(503, 'SlowDown')], attempts: [5, 3, 3], outcome: 'ClientError:SlowDown', modes: ['legacy', 'standard'] },
  {
    name: 'S3 object body cut short (read after the call: not retried)',
    call: GET_OBJECT,
    script: [{ kind: 'truncate', status: 200, headers: { 'content-type': 'text/plain' }, body: OBJECT, sendBytes: 4 }],
    attempts: [1, 1, 1],
    outcome: 'ResponseStreamingError',
  },
  { name: 'DynamoDB 500 every time', call: GET_ITEM, script: [dynamodbError(500, 'InternalServerError')], attempts: [3, 3, 3], outcome: 'ClientError:InternalServerError', retries: { max_attempts: 2 } },
];

let server: FaultServer;
before(async () => {
  server = await startFaultServer();
});
after(async () => {
  await server?.close();
});

describe('named faults, per retry mode', () => {
  for (const s of SCENARIOS) {
    for (const mode of s.modes ?? MODES) {
      const expected = s.attempts[MODES.indexOf(mode)]!;
      it(`${s.name} (${mode}): ${expected} attempts, ${s.outcome}`, async () => {
        const c: FaultCase = { ...s.call, retries: { mode, ...s.retries }, script: s.script, ...(s.readTimeout !== undefined ? { read_timeout: s.readTimeout } : {}) };
        const r = await runIniaFault(server, c);
        const outcome = r.outcome === 'ok' ? 'ok' : r.error_class === 'ClientError' ? `ClientError:${r.error_code}` : r.error_class;
        assert.equal(outcome, s.outcome, String(r.error));
        assert.equal(r.attempts, expected);
        if (r.outcome === 'ok') {
          // What came back is what the server sent when its checksum was right, nothing else.
          if (s.call.service === 'dynamodb') assert.deepEqual(r.result?.Item, { id: { S: 'ada' } });
          if (s.call.service === 's3') assert.equal(r.body_bytes, Buffer.byteLength(OBJECT));
          assert.equal(r.retry_attempts, expected - 1);
        }
      });
    }
  }
});
