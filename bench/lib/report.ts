/**
 * Turns a BenchReport into the RESULTS.md table: medians per workload and contender, the
 * ratios against the v3 SDK and raw node:http, and the issue's targets checked on this run.
 */
import { cpus, totalmem, release } from 'node:os';
import type { ColdPhase } from './child.js';
import type { BenchReport, Cell } from './harness.js';
import type { ContenderName, Metric } from './workloads.js';

const UNIT: Record<Metric, string> = { msPerCall: 'ms/call', mibPerSecond: 'MiB/s', ms: 'ms' };

function fmt(value: number | undefined, metric: Metric): string {
  if (value === undefined) return '';
  if (metric === 'mibPerSecond') return value.toFixed(0);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(3);
}

function cellText(cell: Cell | undefined, metric: Metric, absent: string | undefined): string {
  if (absent) return 'absent';
  if (!cell) return '';
  if (cell.unsupported) return 'n/a';
  if (cell.median === undefined) return cell.errors.length ? 'error' : '';
  return fmt(cell.median, metric);
}

export function ratio(report: BenchReport, workload: string, a: ContenderName, b: ContenderName): number | undefined {
  const x = report.cells[workload]?.[a]?.median;
  const y = report.cells[workload]?.[b]?.median;
  return x !== undefined && y !== undefined && y > 0 ? x / y : undefined;
}

function rssRatio(report: BenchReport, a: ContenderName, b: ContenderName): number | undefined {
  const x = report.cells.cold?.[a]?.medianRssKiB;
  const y = report.cells.cold?.[b]?.medianRssKiB;
  return x !== undefined && y !== undefined && y > 0 ? x / y : undefined;
}

/** The cold workload's phases as table rows (child.ts ColdPhases). */
const PHASE_ROWS: ReadonlyArray<readonly [ColdPhase | 'boot', string]> = [
  ['boot', 'Cold start, phase: process start to the workload (node, no SDK)'],
  ['import', 'Cold start, phase: import of the SDK'],
  ['client', 'Cold start, phase: first client (DynamoDB)'],
  ['call', 'Cold start, phase: first call, to the parsed GetItem answer'],
];

function phaseMedian(report: BenchReport, contender: ContenderName, phase: ColdPhase | 'boot'): number | undefined {
  return report.cells.cold?.[contender]?.medianPhases?.[phase];
}

function difference(report: BenchReport, workload: string, a: ContenderName, b: ContenderName): number | undefined {
  const x = report.cells[workload]?.[a]?.median;
  const y = report.cells[workload]?.[b]?.median;
  return x !== undefined && y !== undefined ? x - y : undefined;
}

export interface Target {
  readonly text: string;
  readonly measured: number | undefined;
  readonly met: boolean | undefined;
}

/** The issue's "done when" lines, evaluated on one run's medians. */
export function targets(report: BenchReport): Target[] {
  const le = (text: string, measured: number | undefined, limit: number): Target => ({ text, measured, met: measured === undefined ? undefined : measured <= limit });
  const ge = (text: string, measured: number | undefined, limit: number): Target => ({ text, measured, met: measured === undefined ? undefined : measured >= limit });
  return [
    le('warm GetItem: inia / v3 <= 0.5', ratio(report, 'getitem', 'inia', 'v3'), 0.5),
    le('warm GetItem: inia / aws-lite <= 1', ratio(report, 'getitem', 'inia', 'aws-lite'), 1),
    le('warm GetItem: inia / raw node:http <= 1.5', ratio(report, 'getitem', 'inia', 'raw'), 1.5),
    le('cold start to first answer: inia / v3 <= 0.8', ratio(report, 'cold', 'inia', 'v3'), 0.8),
    le('peak RSS of the cold process: inia / v3 <= 1', rssRatio(report, 'inia', 'v3'), 1),
    le('ListObjectsV2 1000 keys: inia / v3 <= 0.2', ratio(report, 'list1000', 'inia', 'v3'), 0.2),
    ge('GetObject 64 MiB throughput: inia / raw node:http >= 0.9', ratio(report, 'get64m', 'inia', 'raw'), 0.9),
  ];
}

/** Issue 17's cold-start targets, in milliseconds rather than ratios. */
export function coldTargets(report: BenchReport): Target[] {
  const below = (text: string, measured: number | undefined, limit: number, strict: boolean): Target => ({
    text,
    measured,
    met: measured === undefined ? undefined : strict ? measured < limit : measured <= limit,
  });
  return [
    below('cold start to first answer: inia - raw node:http <= 20 ms', difference(report, 'cold', 'inia', 'raw'), 20, false),
    below("import('inia') < 12 ms", phaseMedian(report, 'inia', 'import'), 12, true),
  ];
}

export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}`;
}

export function renderMarkdown(report: BenchReport): string {
  const cols = report.contenders;
  const all: ContenderName[] = [...cols, ...(Object.keys(report.absent) as ContenderName[])];
  const lines: string[] = [];
  lines.push('# inia benchmark results', '');
  lines.push(`Run of \`npm run bench\` on ${report.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${(report.durationMs / 1000).toFixed(0)} s in all${report.smoke ? ' (SMOKE RUN: tiny counts, not a measurement)' : ''}.`, '');
  lines.push(`- Machine: ${machineDescription()}`);
  lines.push(`- Versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`- Every number is the median over the rounds in the "rounds" column; each round runs each contender in a fresh process, the contenders' order rotating from round to round, against one canned-answer server on 127.0.0.1 in its own process.`);
  for (const [name, why] of Object.entries(report.absent)) lines.push(`- ${name}: ${why}`);
  lines.push('');
  lines.push(`| workload | unit | rounds | ${all.join(' | ')} | inia / v3 | inia / raw |`);
  lines.push(`|---|---|---:|${all.map(() => '---:').join('|')}|---:|---:|`);
  for (const w of report.workloads) {
    const row = report.cells[w.name] ?? {};
    const cells = all.map((c) => cellText(row[c], w.metric, report.absent[c]));
    const r = (b: ContenderName): string => {
      const v = ratio(report, w.name, 'inia', b);
      return v === undefined ? '' : `${v.toFixed(2)}x`;
    };
    lines.push(`| ${w.title} | ${UNIT[w.metric]} | ${report.roundsByWorkload[w.name] ?? ''} | ${cells.join(' | ')} | ${r('v3')} | ${r('raw')} |`);
    if (w.name === 'cold') {
      const rss = all.map((c) => {
        const v = row[c]?.medianRssKiB;
        return report.absent[c] ? 'absent' : v === undefined ? '' : (v / 1024).toFixed(0);
      });
      const rr = rssRatio(report, 'inia', 'v3');
      lines.push(`| Peak RSS of the cold process | MiB | ${report.roundsByWorkload[w.name] ?? ''} | ${rss.join(' | ')} | ${rr === undefined ? '' : `${rr.toFixed(2)}x`} | |`);
      for (const [phase, title] of PHASE_ROWS) {
        const values = all.map((c) => (report.absent[c] ? 'absent' : fmt(phaseMedian(report, c, phase), 'ms')));
        if (values.every((v) => v === '')) continue;
        lines.push(`| ${title} | ms | ${report.roundsByWorkload[w.name] ?? ''} | ${values.join(' | ')} | | |`);
      }
    }
  }
  lines.push('');
  lines.push(`Model load reads these, the five largest service models: ${report.models.join(', ')}. "n/a": the SDK has no such step or not those clients installed (v3 and aws-lite are installed for DynamoDB, S3, SQS and STS only).`);
  lines.push('');
  if (report.cells.cold) {
    lines.push(
      'Cold start is the wall time the orchestrator sees, from spawning the process to the answer\'s line on its stdout. The phases are measured inside the process (performance.now(), whose zero is the process start), each the median of its own rounds: they need not add up to the cold-start median. raw node:http has no import phase (node:http is imported before the workload starts, as part of "process start to the workload"); boto3 reports no phases.',
      '',
    );
  }
  lines.push('## Targets (issue 4), on this run', '');
  for (const t of targets(report)) {
    const mark = t.met === undefined ? 'not measured' : t.met ? 'met' : 'NOT met';
    lines.push(`- ${t.text}: ${t.measured === undefined ? '-' : t.measured.toFixed(2)} (${mark})`);
  }
  lines.push('', '## Targets (issue 17), on this run', '');
  for (const t of coldTargets(report)) {
    const mark = t.met === undefined ? 'not measured' : t.met ? 'met' : 'NOT met';
    lines.push(`- ${t.text}: ${t.measured === undefined ? '-' : `${t.measured.toFixed(1)} ms`} (${mark})`);
  }
  const failures = Object.entries(report.cells).flatMap(([w, row]) => Object.entries(row).flatMap(([c, cell]) => cell.errors.map((e) => `${w} / ${c}: ${e}`)));
  if (failures.length) {
    lines.push('', '## Errors', '');
    for (const f of failures) lines.push(`- ${f}`);
  }
  return `${lines.join('\n')}\n`;
}
