/**
 * The side of the harness that runs inside a contender's process: it reads the workload from
 * argv and the environment, runs it, and prints one JSON line for run.ts. Contender modules
 * import their SDK lazily inside the workload functions, so that the cold-start workload pays
 * for exactly one SDK import, as a Lambda function would.
 */
import { performance } from 'node:perf_hooks';

export interface ChildEnv {
  readonly endpoint: string;
  readonly calls: number;
  readonly warmup: number;
  readonly maxSeconds: number;
  readonly getObjectBytes: number;
  /** Names of the services whose models the model-load workload reads. */
  readonly models: readonly string[];
}

/** One call of a warm workload; resolves to the bytes it moved (for throughput) or nothing. */
export type Op = () => Promise<number | void>;

export interface Prepared {
  readonly op: Op;
  readonly close?: () => void;
}

/**
 * Where a cold start's time goes, in milliseconds, each phase measured inside the process:
 * `boot` is process start to the workload's first line (node itself and the harness: no SDK
 * yet), then the SDK's import, its first client, and the first call up to its parsed answer.
 */
export interface ColdPhases {
  boot: number;
  import?: number;
  client?: number;
  call?: number;
}
export type ColdPhase = Exclude<keyof ColdPhases, 'boot'>;

/** A stopwatch for the cold workload: `lap('import')` ends the import phase and starts the next. */
export class ColdClock {
  readonly phases: ColdPhases = { boot: performance.now() };
  #last = this.phases.boot;

  lap(phase: ColdPhase): void {
    const now = performance.now();
    this.phases[phase] = now - this.#last;
    this.#last = now;
  }
}

export interface ContenderImpl {
  readonly warm: Readonly<Record<string, (env: ChildEnv) => Promise<Prepared>>>;
  /**
   * Imports the SDK, makes a DynamoDB client and answers one GetItem: the Lambda cold path.
   * It marks the end of each phase on the clock (a contender with no import leaves it out).
   */
  readonly cold: (env: ChildEnv, clock: ColdClock) => Promise<void>;
  /** Each returns milliseconds measured after the SDK import, or undefined when not applicable. */
  readonly create1?: (env: ChildEnv) => Promise<number>;
  readonly create20?: (env: ChildEnv) => Promise<number>;
  readonly modelload?: (env: ChildEnv) => Promise<number>;
}

export interface ChildResult {
  value?: number;
  calls?: number;
  rssKiB?: number;
  /** The cold workload's phases. */
  phases?: ColdPhases;
  unsupported?: string;
  error?: string;
}

function readEnv(): ChildEnv {
  const env = process.env;
  return {
    endpoint: env.BENCH_ENDPOINT ?? '',
    calls: Number(env.BENCH_CALLS ?? 10),
    warmup: Number(env.BENCH_WARMUP ?? 0),
    maxSeconds: Number(env.BENCH_MAX_SECONDS ?? 4),
    getObjectBytes: Number(env.BENCH_GET_OBJECT_BYTES ?? 0),
    models: (env.BENCH_MODELS ?? '').split(',').filter(Boolean),
  };
}

export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

async function runWarm(prepare: (env: ChildEnv) => Promise<Prepared>, env: ChildEnv, throughput: boolean): Promise<ChildResult> {
  const { op, close } = await prepare(env);
  try {
    for (let i = 0; i < env.warmup; i++) await op();
    const deadline = performance.now() + env.maxSeconds * 1000;
    let calls = 0;
    let bytes = 0;
    const start = performance.now();
    // Bounded by count and by time: a slow contender reports fewer calls, never hangs the run.
    while (calls < env.calls && (calls === 0 || performance.now() < deadline)) {
      const moved = await op();
      if (typeof moved === 'number') bytes += moved;
      calls++;
    }
    const elapsed = performance.now() - start;
    return { value: throughput ? mib(bytes) / (elapsed / 1000) : elapsed / calls, calls };
  } finally {
    close?.();
  }
}

export async function runChild(impl: ContenderImpl): Promise<void> {
  const workload = process.argv[2] ?? '';
  const env = readEnv();
  let result: ChildResult;
  try {
    if (workload === 'cold') {
      const clock = new ColdClock();
      await impl.cold(env, clock);
      result = { value: performance.now(), calls: 1, phases: clock.phases };
    } else if (workload === 'create1' || workload === 'create20' || workload === 'modelload') {
      const fn = impl[workload];
      result = fn ? { value: await fn(env), calls: 1 } : { unsupported: 'not applicable to this SDK' };
    } else {
      const prepare = impl.warm[workload];
      result = prepare ? await runWarm(prepare, env, workload === 'get64m') : { unsupported: 'not applicable to this SDK' };
    }
  } catch (err) {
    result = { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  result.rssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // Keep-alive sockets and SDK timers must not keep a finished contender alive.
  process.exit(result.error ? 1 : 0);
}

/** A check on every answer, so a contender that misreads it fails instead of looking fast. */
export function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`bad answer: ${what}`);
}
