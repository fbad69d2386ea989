/**
 * The reference side of the parity tests: a python3 script (botocore, boto3) that reads JSON
 * on stdin and prints JSON. A missing python3, botocore or boto3 is a failure, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { EMPTY_ENV } from './env.js';

export interface PythonOptions {
  /** What the script is, for error messages ('botocore paginator driver'). */
  what: string;
  /** Sent on stdin. */
  input?: string;
  /** Default 60 s. */
  timeoutMs?: number;
}

/**
 * The environment the script runs in: this process's, without any AWS_* variable (so the
 * machine's profile, keys or region cannot change the reference answers), plus EMPTY_ENV (no
 * shared files, no instance metadata). PATH and PYENV_ROOT stay, so python3 is found.
 */
export function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return { ...env, ...EMPTY_ENV };
}

/** Runs `script` with python3 and returns what it printed, parsed as JSON. */
export function pythonJson<T>(script: string, options: PythonOptions): T {
  const run = spawnSync('python3', ['-c', script], {
    input: options.input ?? '',
    env: pythonEnv(),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 << 20,
  });
  if (run.error) throw new Error(`${options.what}: python3 could not run (python3 with botocore and boto3 is required): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${options.what} failed (exit ${String(run.status)}):\n${run.stderr}`);
  try {
    return JSON.parse(run.stdout) as T;
  } catch (e) {
    throw new Error(`${options.what} printed no JSON (${(e as Error).message}): ${run.stdout.slice(0, 500)}`);
  }
}
