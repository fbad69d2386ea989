/**
 * Retry parity under injected faults: generated scenarios (test/helpers/fault-scenarios.ts:
 * DynamoDB, SQS, S3 and STS operations in legacy, standard and adaptive modes, scripts of
 * 500s, throttles, non-retryable 400s, transient codes, resets, closes, truncated and stalled
 * bodies and damaged checksums) run through the installed botocore and through inia against
 * the same loopback fault server. For each, both must make the same number of attempts and
 * end the same way (success, or the same error class and code), with the same RetryAttempts
 * and MaxAttemptsReached, and inia must never return data that failed its checksum.
 *
 * The one deliberate difference (API.md): where botocore, in standard or adaptive mode, runs
 * out of attempts on a DynamoDB body whose x-amz-crc32 is wrong and returns the damaged data,
 * inia raises ChecksumError.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { runBotocoreFaults, type FaultCase, type FaultResult } from '../helpers/botocore-faults.js';
import { startFaultServer, type FaultAction, type FaultServer } from '../helpers/fault-server.js';
import { generateScenarios } from '../helpers/fault-scenarios.js';
import { runIniaFault, type IniaFaultResult } from '../helpers/inia-faults.js';

// Zero backoff, as the driver zeroes botocore's (adaptive mode's token bucket waits stay real).
Math.random = () => 0;

/** Seeds and counts: enough variety to meet every fault in every mode, under a minute or so. */
const SEEDS: Array<[number, number]> = [
  [7, 30],
  [20261123, 30],
];

/**
 * DynamoDB's legacy backoff has a fixed 0.05 s base; a scenario that fails to the end would
 * sleep 25 s in inia (the driver zeroes botocore's). Such cases get a total of 5 attempts.
 */
function bounded(c: FaultCase): FaultCase {
  if (c.service !== 'dynamodb' || c.retries.mode !== 'legacy') return c;
  if (c.retries.max_attempts !== undefined || c.retries.total_max_attempts !== undefined) {
    const total = c.retries.total_max_attempts ?? (c.retries.max_attempts ?? 0) + 1;
    if (total <= 6) return c;
  }
  return { ...c, retries: { mode: 'legacy', total_max_attempts: 5 } };
}

function scriptOf(c: FaultCase): FaultAction[] {
  return Array.isArray(c.script) ? c.script : c.script.actions;
}

/** A DynamoDB success body with a wrong x-amz-crc32 would be the answer to the final attempt. */
function endsOnDamagedBody(c: FaultCase, attempts: number): boolean {
  const actions = scriptOf(c);
  const last = actions[Math.min(attempts, actions.length) - 1];
  return last?.kind === 'corrupt-crc32';
}

let server: FaultServer;
before(async () => {
  server = await startFaultServer();
});
after(async () => {
  await server?.close();
});

describe('retries under injected faults: inia and botocore agree', () => {
  for (const [seed, count] of SEEDS) {
    it(`seed ${seed}: ${count} generated scenarios`, async () => {
      const cases = generateScenarios(seed, count).map(bounded);
      const botocore = await runBotocoreFaults(server, cases, { timeoutMs: 240_000 });
      const problems: string[] = [];
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i]!;
        const b: FaultResult = botocore[i]!;
        const mine: IniaFaultResult = await runIniaFault(server, c);
        const label = `${c.id} ${c.service}.${c.operation} ${JSON.stringify(c.retries)} ${scriptOf(c).map((a) => a.kind + ('status' in a ? `:${a.status}` : '')).join(',')}`;
        const damaged = b.outcome === 'ok' && c.service === 'dynamodb' && endsOnDamagedBody(c, b.attempts);
        if (damaged) {
          // botocore hands back the damaged body; inia refuses it after the same attempts.
          if (mine.attempts !== b.attempts || mine.error_class !== 'ChecksumError') problems.push(`${label}: botocore returned damaged data after ${b.attempts}; inia ${mine.attempts} ${mine.error_class}`);
          continue;
        }
        const theirs = { attempts: b.attempts, outcome: b.outcome, error_class: b.error_class, error_code: b.error_code, retry_attempts: b.retry_attempts, max_attempts_reached: b.max_attempts_reached };
        const ours = { attempts: mine.attempts, outcome: mine.outcome, error_class: mine.error_class, error_code: mine.error_code, retry_attempts: mine.retry_attempts, max_attempts_reached: mine.max_attempts_reached };
        if (JSON.stringify(theirs) !== JSON.stringify(ours)) problems.push(`${label}\n    botocore ${JSON.stringify(theirs)}\n    inia     ${JSON.stringify(ours)}${mine.error ? `\n    (${String(mine.error)})` : ''}`);
        // Nothing damaged ever comes back from inia: a DynamoDB result's body matched its CRC32.
        if (mine.outcome === 'ok' && c.service === 'dynamodb') {
          const last = server.requests.log.at(-1);
          assert.notEqual(last?.action, 'corrupt-crc32', `${label}: inia returned a body that failed its CRC32`);
        }
      }
      assert.deepEqual(problems, [], `${problems.length} of ${cases.length} scenarios differ:\n${problems.join('\n')}`);
    });
  }

  it('the damaged-body difference, on purpose: botocore returns it, inia raises ChecksumError', async () => {
    const body = JSON.stringify({ Item: { id: { S: 'x' } } });
    const c: FaultCase = {
      service: 'dynamodb',
      operation: 'GetItem',
      params: { TableName: 't', Key: { id: { S: 'x' } } },
      retries: { mode: 'standard' },
      script: [{ kind: 'corrupt-crc32', body }],
    };
    const [b] = await runBotocoreFaults(server, [c]);
    assert.equal(b!.outcome, 'ok');
    assert.equal(b!.attempts, 3);
    const mine = await runIniaFault(server, c);
    assert.equal(mine.attempts, 3);
    assert.equal(mine.error_class, 'ChecksumError');
    assert.ok(String(mine.error).includes(`did not match calculated checksum ${crc32(body) >>> 0}`));
  });
});
