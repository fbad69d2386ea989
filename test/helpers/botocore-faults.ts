/**
 * Runs fault cases through the installed botocore (test/helpers/botocore_faults.py)
 * against a fault server, and returns what botocore did. A missing python3 or botocore is
 * an error (never a skip): the caller's test fails.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FaultAction, FaultScript, FaultServer } from './fault-server.js';
import { repoRoot } from './paths.js';

export type RetryMode = 'legacy' | 'standard' | 'adaptive';

export interface FaultCase {
  service: string;
  operation: string;
  params: Record<string, unknown>;
  retries: { mode: RetryMode; max_attempts?: number; total_max_attempts?: number };
  read_timeout?: number;
  connect_timeout?: number;
  script: FaultAction[] | FaultScript;
  reuse_client?: boolean;
  id?: string | number;
}

export interface FaultResult {
  index: number;
  id: string | number | null;
  attempts: number;
  outcome: 'ok' | 'error';
  error_class: string | null;
  error_subclass: string | null;
  error_module: string | null;
  error_code: string | null;
  error_message: string | null;
  http_status: number | null;
  retry_attempts: number | null;
  max_attempts_reached: boolean | null;
  retry_quota_reached: boolean | null;
  body_bytes: number | null;
  elapsed_s: number;
}

export const driverPath = join(repoRoot, 'test', 'helpers', 'botocore_faults.py');

/** Spawns the driver once for all cases; kills it (by pid) after `timeoutMs`. */
export function runBotocoreFaults(server: FaultServer, cases: FaultCase[], opts: { timeoutMs?: number; python?: string } = {}): Promise<FaultResult[]> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const input = JSON.stringify({ endpoint: server.url, control: server.controlUrl, cases });
  return new Promise((resolve, reject) => {
    const child = spawn(opts.python ?? 'python3', [driverPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`botocore driver could not start (python3 missing?): ${e.message}`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) return reject(new Error(`botocore driver timed out after ${timeoutMs} ms\n${stderr}`));
      if (code !== 0) return reject(new Error(`botocore driver exited with ${code ?? signal}\n${stderr}`));
      const lines = Buffer.concat(out).toString('utf8').split('\n').filter((l) => l.trim() !== '');
      const results = lines.map((l) => JSON.parse(l) as FaultResult);
      if (results.length !== cases.length) return reject(new Error(`botocore driver returned ${results.length} results for ${cases.length} cases\n${stderr}`));
      resolve(results);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
