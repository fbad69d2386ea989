/**
 * Smoke test of the benchmark harness (`npm run bench --smoke`): every contender runs every
 * workload once with tiny counts against the canned-answer server, and must answer correctly
 * (the contenders check the answers they get). No timing is asserted here: speed is the
 * benchmark's business, this test only keeps the harness from rotting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from '../../bench/lib/harness.js';
import { coldTargets, renderMarkdown, targets } from '../../bench/lib/report.js';
import { WORKLOADS } from '../../bench/lib/workloads.js';

test('bench smoke run: every contender answers every workload it supports', { timeout: 240_000 }, async () => {
  const report = await runBench({ smoke: true, processTimeoutMs: 60_000 });
  // boto3 is installed on every machine here, CI included: its absence is a failure, not a skip.
  assert.deepEqual(report.absent, {});
  assert.deepEqual(report.contenders, ['raw', 'inia', 'v3', 'aws-lite', 'boto3']);
  for (const workload of WORKLOADS) {
    const row = report.cells[workload.name];
    assert.ok(row, `no results for ${workload.name}`);
    for (const contender of report.contenders) {
      const cell = row[contender];
      assert.ok(cell, `${workload.name}: nothing from ${contender}`);
      assert.deepEqual(cell.errors, [], `${workload.name} / ${contender} failed`);
      if (cell.unsupported) {
        // Only steps an SDK really does not have may be n/a: inia does every workload, raw
        // node:http every request workload (it has no clients or models to create or load).
        const requestWorkload = !['create1', 'create20', 'modelload'].includes(workload.name);
        assert.ok(contender !== 'inia' && !(contender === 'raw' && requestWorkload), `${contender} reported ${workload.name} unsupported: ${cell.unsupported}`);
        continue;
      }
      assert.equal(typeof cell.median, 'number', `${workload.name} / ${contender}: no median`);
      assert.ok(cell.median! > 0 && Number.isFinite(cell.median), `${workload.name} / ${contender}: median ${cell.median}`);
    }
  }
  assert.ok((report.cells.cold?.inia?.medianRssKiB ?? 0) > 0, 'cold start reports no peak RSS');
  // The cold start's phases: every SDK imports, creates a client and calls; raw node:http has no import.
  for (const contender of ['inia', 'v3', 'aws-lite'] as const) {
    const phases = report.cells.cold?.[contender]?.medianPhases;
    for (const phase of ['boot', 'import', 'client', 'call'] as const) assert.ok((phases?.[phase] ?? 0) > 0, `cold / ${contender}: no ${phase} phase`);
  }
  assert.equal(report.cells.cold?.raw?.medianPhases?.import, undefined);
  assert.ok((report.cells.cold?.raw?.medianPhases?.call ?? 0) > 0, 'cold / raw: no call phase');
  const markdown = renderMarkdown(report);
  assert.match(markdown, /SMOKE RUN/);
  assert.match(markdown, /\| DynamoDB GetItem/);
  assert.ok(!markdown.includes('## Errors'));
  // Every target is computable from a complete run (met or not is the full run's business).
  for (const t of [...targets(report), ...coldTargets(report)]) assert.notEqual(t.measured, undefined, t.text);
  assert.match(markdown, /\| Cold start, phase: import of the SDK \| ms \|/);
});

test('bench rejects unknown workloads and bad round counts before starting anything', async () => {
  await assert.rejects(runBench({ smoke: true, workloads: ['getitem', 'nope'] }), /unknown workload "nope"/);
  await assert.rejects(runBench({ smoke: true, rounds: 0 }), /rounds must be a whole number/);
});
