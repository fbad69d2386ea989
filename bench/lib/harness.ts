/**
 * The orchestrator's logic: starts the canned-answer server in its own process, runs every
 * contender for every workload in its own process, rounds interleaved (round r starts with a
 * different contender, and every workload runs once per round before the next round), and
 * reduces the rounds to medians. run.ts is the command line; the smoke test calls runBench.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { ChildResult, ColdPhases } from './child.js';
import { CONTENDERS, MAX_SECONDS_PER_PROCESS, REGION, WORKLOADS, type ContenderName, type Workload } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository: the nearest folder above this file with package.json and models/. */
export function findRepoRoot(start: string = here): string {
  let dir = start;
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`bench: no repository root above ${start}`);
}

export interface BenchOptions {
  /** Tiny call counts, one round, a 1 MiB GetObject: checks the harness, measures nothing. */
  smoke?: boolean;
  rounds?: number;
  contenders?: readonly ContenderName[];
  workloads?: readonly string[];
  python?: string;
  /** Progress lines (stderr in run.ts); silent when omitted. */
  log?: (line: string) => void;
  /** Per-process limit; a contender still running after it is killed and reported. */
  processTimeoutMs?: number;
}

export interface Cell {
  /** One value per round that succeeded. */
  values: number[];
  /** Peak RSS of each cold process, KiB. */
  rssKiB: number[];
  /** The cold workload's phases (child.ts ColdPhases), one value per round that reported the phase. */
  phases?: { [P in keyof ColdPhases]-?: number[] };
  medianPhases?: Partial<ColdPhases>;
  median?: number;
  medianRssKiB?: number;
  calls?: number;
  unsupported?: string;
  errors: string[];
}

export interface BenchReport {
  startedAt: Date;
  durationMs: number;
  smoke: boolean;
  rounds: number;
  /** Rounds actually run per workload (cold start gets more: one sample per process). */
  roundsByWorkload: Record<string, number>;
  getObjectBytes: number;
  models: string[];
  contenders: ContenderName[];
  /** Contenders left out, with the reason (boto3 without python3's boto3). */
  absent: Partial<Record<ContenderName, string>>;
  workloads: Workload[];
  cells: Record<string, Partial<Record<ContenderName, Cell>>>;
  versions: Record<string, string>;
}

/** The cold workload's phases, in the order they happen. */
export const PHASES = ['boot', 'import', 'client', 'call'] as const satisfies ReadonlyArray<keyof ColdPhases>;

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The n largest service-2 models bundled in models/ (by file size). */
export function largestModels(repoRoot: string, n = 5): string[] {
  const modelsDir = join(repoRoot, 'models');
  const sizes: Array<[string, number]> = [];
  for (const service of readdirSync(modelsDir, { withFileTypes: true })) {
    if (!service.isDirectory()) continue;
    for (const version of readdirSync(join(modelsDir, service.name))) {
      const file = join(modelsDir, service.name, version, 'service-2.json.gz');
      if (existsSync(file)) sizes.push([service.name, statSync(file).size]);
    }
  }
  return sizes.sort((a, b) => b[1] - a[1]).slice(0, n).map(([name]) => name);
}

interface Server {
  port: number;
  stop(): void;
}

async function startServer(repoRoot: string, getObjectBytes: number): Promise<Server> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'bench', 'server.js')], {
    env: { PATH: process.env.PATH ?? '', BENCH_GET_OBJECT_BYTES: String(getObjectBytes) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench server did not start within 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return {
    port,
    stop: () => {
      child.stdin!.end();
      child.kill();
    },
  };
}

function contenderCommand(repoRoot: string, name: ContenderName, python: string): [string, string[]] {
  if (name === 'boto3') return [python, [join(repoRoot, 'bench', 'contenders', 'boto3_contender.py')]];
  return [process.execPath, [join(repoRoot, 'dist', 'bench', 'contenders', `${name}.js`)]];
}

interface Run {
  result: ChildResult;
  /** Spawn to the report line, as the parent saw it: the cold-start number. */
  wallMs: number;
}

function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let wallMs = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (wallMs === 0 && chunk.includes(10)) wallMs = performance.now() - start;
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ result: { error: `could not start ${command}: ${err.message}` }, wallMs: 0 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        resolve({ result: JSON.parse(line) as ChildResult, wallMs });
      } else {
        const why = signal ? `killed by ${signal} after ${timeoutMs} ms` : `exited with ${code}`;
        resolve({ result: { error: `${why} without a report; stderr: ${stderr.trim().slice(-800)}` }, wallMs });
      }
    });
  });
}

function pythonHasBoto3(python: string): string | undefined {
  const probe = spawnSync(python, ['-c', 'import boto3, botocore; print(boto3.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

function packageVersion(dir: string): string {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const repoRoot = findRepoRoot();
  const smoke = options.smoke ?? false;
  const log = options.log ?? (() => {});
  const python = options.python ?? 'python3';
  const started = performance.now();
  const startedAt = new Date();
  const getObjectBytes = smoke ? 1024 * 1024 : 64 * 1024 * 1024;
  const workloads = WORKLOADS.filter((w) => !options.workloads || options.workloads.includes(w.name));
  for (const name of options.workloads ?? []) {
    if (!WORKLOADS.some((w) => w.name === name)) throw new Error(`unknown workload ${JSON.stringify(name)}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  }
  if (options.rounds !== undefined && !(Number.isInteger(options.rounds) && options.rounds >= 1)) throw new Error(`rounds must be a whole number >= 1, got ${options.rounds}`);
  const wanted = options.contenders ?? CONTENDERS;
  const absent: BenchReport['absent'] = {};
  const versions: Record<string, string> = { node: process.version };
  const boto3Version = wanted.includes('boto3') ? pythonHasBoto3(python) : undefined;
  if (wanted.includes('boto3')) {
    if (boto3Version) versions.boto3 = boto3Version;
    else absent.boto3 = `${python} has no boto3`;
  }
  const contenders = wanted.filter((c) => absent[c] === undefined);
  versions.inia = packageVersion(repoRoot);
  for (const name of ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-lite/client', '@aws-lite/dynamodb']) versions[name] = packageVersion(join(repoRoot, 'node_modules', name));
  const models = largestModels(repoRoot);
  const maxRounds = options.rounds ?? Math.max(...workloads.map((w) => w.rounds));
  const roundsOf = (w: Workload): number => (smoke ? 1 : Math.min(options.rounds ?? w.rounds, w.rounds * 2));

  // Contenders see only what the benchmark sets: fake keys, one region, no shared files, no IMDS.
  const home = mkdtempSync(join(tmpdir(), 'inia-bench-home-'));
  const server = await startServer(repoRoot, getObjectBytes);
  const endpoint = `http://127.0.0.1:${server.port}`;
  const cells: BenchReport['cells'] = {};
  try {
    for (let round = 0; round < (smoke ? 1 : maxRounds); round++) {
      for (const workload of workloads) {
        if (round >= roundsOf(workload)) continue;
        const row = (cells[workload.name] ??= {});
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
        for (const name of order) {
          const cell = (row[name] ??= { values: [], rssKiB: [], errors: [] });
          if (cell.unsupported) continue;
          const env: NodeJS.ProcessEnv = {
            PATH: process.env.PATH ?? '',
            HOME: home,
            LANG: 'C.UTF-8',
            AWS_ACCESS_KEY_ID: 'AKIDBENCHBENCHBENCH0',
            AWS_SECRET_ACCESS_KEY: 'bench/secret/bench/secret/bench/secret00',
            AWS_REGION: REGION,
            AWS_DEFAULT_REGION: REGION,
            AWS_CONFIG_FILE: join(home, 'no-config'),
            AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
            AWS_EC2_METADATA_DISABLED: 'true',
            BENCH_ENDPOINT: endpoint,
            BENCH_CALLS: String(smoke ? workload.smokeCalls : workload.calls),
            BENCH_WARMUP: String(smoke ? Math.min(1, workload.warmup) : workload.warmup),
            BENCH_MAX_SECONDS: String(MAX_SECONDS_PER_PROCESS),
            BENCH_GET_OBJECT_BYTES: String(getObjectBytes),
            BENCH_MODELS: models.join(','),
          };
          const [command, args] = contenderCommand(repoRoot, name, python);
          const run = await runProcess(command, [...args, workload.name], env, options.processTimeoutMs ?? 60_000);
          const { result } = run;
          if (result.unsupported) {
            cell.unsupported = result.unsupported;
          } else if (result.error !== undefined || result.value === undefined) {
            cell.errors.push(result.error ?? 'no value reported');
            log(`  ${workload.name} ${name}: ERROR ${result.error}`);
          } else {
            const value = workload.name === 'cold' ? run.wallMs : result.value;
            cell.values.push(value);
            if (result.rssKiB !== undefined) cell.rssKiB.push(result.rssKiB);
            if (result.phases !== undefined) {
              const phases = (cell.phases ??= { boot: [], import: [], client: [], call: [] });
              for (const phase of PHASES) {
                const ms = result.phases[phase];
                if (ms !== undefined) phases[phase].push(ms);
              }
            }
            cell.calls = result.calls;
            log(`  round ${round + 1} ${workload.name} ${name}: ${value.toFixed(3)}${workload.name === 'cold' ? ` ms, rss ${Math.round((result.rssKiB ?? 0) / 1024)} MiB` : ''}`);
          }
        }
      }
    }
  } finally {
    server.stop();
    rmSync(home, { recursive: true, force: true });
  }
  for (const row of Object.values(cells)) {
    for (const cell of Object.values(row)) {
      cell.median = median(cell.values);
      cell.medianRssKiB = median(cell.rssKiB);
      const phases = cell.phases;
      if (phases) cell.medianPhases = Object.fromEntries(PHASES.map((p) => [p, median(phases[p])])) as Partial<ColdPhases>;
    }
  }
  return {
    startedAt,
    durationMs: performance.now() - started,
    smoke,
    rounds: maxRounds,
    roundsByWorkload: Object.fromEntries(workloads.map((w) => [w.name, smoke ? 1 : roundsOf(w)])),
    getObjectBytes,
    models,
    contenders: [...contenders],
    absent,
    workloads: [...workloads],
    cells,
    versions,
  };
}
