/**
 * `npm run bench`: runs every workload against every contender and writes bench/RESULTS.md.
 *   --smoke              tiny counts, one round (what the test suite runs)
 *   --rounds N           rounds per workload (default: each workload's own)
 *   --contenders a,b     a subset of raw,inia,v3,aws-lite,boto3
 *   --workloads a,b      a subset of the workload names in lib/workloads.ts
 *   --out FILE           where to write the table (default bench/RESULTS.md; smoke runs write none)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot, runBench } from './lib/harness.js';
import { renderMarkdown } from './lib/report.js';
import { CONTENDERS, type ContenderName } from './lib/workloads.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    contenders: { type: 'string' },
    workloads: { type: 'string' },
    out: { type: 'string' },
  },
});

const list = (v: string | undefined): string[] | undefined => v?.split(',').map((s) => s.trim()).filter(Boolean);
const contenders = list(values.contenders);
for (const c of contenders ?? []) {
  if (!(CONTENDERS as readonly string[]).includes(c)) throw new Error(`--contenders: unknown contender ${JSON.stringify(c)}; known: ${CONTENDERS.join(', ')}`);
}
const report = await runBench({
  smoke: values.smoke,
  rounds: values.rounds === undefined ? undefined : Number(values.rounds),
  contenders: contenders as ContenderName[] | undefined,
  workloads: list(values.workloads),
  log: (line) => process.stderr.write(`${line}\n`),
});
const markdown = renderMarkdown(report);
process.stdout.write(markdown);
const out = values.out ?? (values.smoke ? undefined : join(findRepoRoot(), 'bench', 'RESULTS.md'));
if (out) {
  writeFileSync(out, markdown);
  process.stderr.write(`wrote ${out}\n`);
}
const failed = Object.values(report.cells).some((row) => Object.values(row).some((cell) => cell.errors.length > 0));
process.exitCode = failed ? 1 : 0;
