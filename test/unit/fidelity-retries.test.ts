/**
 * The " (reached max retries: N)" part of a ClientError's message, against botocore, in the
 * three retry modes: it appears only when the retry mode marked the attempts exhausted
 * (ResponseMetadata.MaxAttemptsReached) and then names RetryAttempts. Both sides answer every
 * attempt with the same canned error; neither sleeps (inia's jitter is pinned to 0, botocore's
 * time.sleep is a no-op in its process).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ConfigOptions } from 'inia';
import { captureInia, type CaptureCase, type CaptureResult } from '../helpers/capture.js';
import { repoRoot } from '../helpers/paths.js';
import { pythonJson } from '../helpers/python.js';

Math.random = () => 0;

/** botocore's side of the harness, with its retry sleeps taken out. */
function botocoreWithoutSleeps(cases: readonly CaptureCase[]): CaptureResult[] {
  const script = readFileSync(join(repoRoot, 'test', 'helpers', 'botocore_capture.py'), 'utf8');
  const patched = `import time\ntime.sleep = lambda seconds: None\n${script}`;
  const input = cases.map((c) => ({
    service: c.service,
    operation: c.operation,
    params: c.params,
    region: c.region,
    config: c.botocoreConfig,
    response: { status: c.response?.status ?? 200, headers: c.response?.headers ?? {}, body: Buffer.from(c.response?.body ?? '').toString('base64') },
  }));
  return pythonJson<CaptureResult[]>(patched, { what: 'botocore capture driver (no sleeps)', input: JSON.stringify(input) });
}

const ANSWERS = {
  // Retryable in every mode (a 500).
  InternalServerError: { status: 500, body: '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"boom"}' },
  // Throttling: retryable in legacy (the _retry.json policy) and standard.
  ThrottlingException: { status: 400, body: '{"__type":"com.amazon.coral.availability#ThrottlingException","message":"slow down"}' },
  // Not retryable anywhere.
  ValidationException: { status: 400, body: '{"__type":"com.amazon.coral.validate#ValidationException","message":"bad input"}' },
} as const;

const ATTEMPTS: Array<{ label: string; botocore: Record<string, number>; inia: NonNullable<ConfigOptions['retries']> }> = [
  { label: 'default attempts', botocore: {}, inia: {} },
  { label: 'total_max_attempts 2', botocore: { total_max_attempts: 2 }, inia: { totalMaxAttempts: 2 } },
  { label: 'total_max_attempts 1', botocore: { total_max_attempts: 1 }, inia: { totalMaxAttempts: 1 } },
  { label: 'max_attempts 1', botocore: { max_attempts: 1 }, inia: { maxAttempts: 1 } },
];

describe('the retry part of error messages, against botocore', () => {
  it('legacy, standard and adaptive: the same message after the same attempts', async () => {
    const cases: CaptureCase[] = [];
    for (const mode of ['legacy', 'standard', 'adaptive'] as const) {
      for (const attempts of ATTEMPTS) {
        for (const [code, answer] of Object.entries(ANSWERS)) {
          // The adaptive limiter would really wait after a throttle in botocore: not what is tested here.
          if (mode === 'adaptive' && code === 'ThrottlingException') continue;
          cases.push({
            service: 'secretsmanager',
            operation: 'ListSecrets',
            params: {},
            region: 'us-east-1',
            botocoreConfig: { retries: { mode, ...attempts.botocore } },
            iniaConfig: { retries: { mode, ...attempts.inia } },
            response: { status: answer.status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: answer.body },
          });
        }
      }
    }
    const reference = botocoreWithoutSleeps(cases);
    let withSuffix = 0;
    let without = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const inia = await captureInia(c);
      const want = reference[i]!;
      const label = JSON.stringify(c.botocoreConfig) + ' ' + c.response!.body!.toString().slice(0, 60);
      assert.ok(want.error !== undefined && inia.error !== undefined, label);
      assert.equal(inia.error.message, want.error.message, label);
      assert.equal(inia.error.code, want.error.code, label);
      if (/\(reached max retries: \d+\)/.test(want.error.message)) withSuffix++;
      else without++;
    }
    // Both kinds occur (a test that cannot tell them apart would prove nothing).
    assert.ok(withSuffix >= 5 && without >= 5, `${withSuffix} with the suffix, ${without} without`);
  });

  it('the suffix names the retries made, after the operation name', async () => {
    const c: CaptureCase = {
      service: 'secretsmanager',
      operation: 'ListSecrets',
      params: {},
      region: 'us-east-1',
      iniaConfig: { retries: { mode: 'standard', totalMaxAttempts: 3 } },
      response: { status: 500, headers: {}, body: ANSWERS.InternalServerError.body },
    };
    const inia = await captureInia(c);
    assert.equal(inia.error?.message, 'An error occurred (InternalServerError) when calling the ListSecrets operation (reached max retries: 2): boom');
  });
});
