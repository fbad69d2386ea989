/**
 * A manual check (not a test): runs generated fault scenarios through the botocore driver
 * and prints a summary, to prove that the generator and the driver work together.
 *   node <build>/test/helpers/fault-scenarios-check.js [seed=1] [count=40]
 */
import { runBotocoreFaults } from './botocore-faults.js';
import { startFaultServer } from './fault-server.js';
import { generateScenarios } from './fault-scenarios.js';

const seed = Number(process.argv[2] ?? 1);
const count = Math.min(Number(process.argv[3] ?? 40), 1000);
const cases = generateScenarios(seed, count);
const server = await startFaultServer();
const t0 = Date.now();
try {
  const results = await runBotocoreFaults(server, cases, { timeoutMs: 600_000 });
  const tally = new Map<string, number>();
  const bump = (k: string): void => { tally.set(k, (tally.get(k) ?? 0) + 1); };
  for (const [i, r] of results.entries()) {
    const c = cases[i]!;
    const script = Array.isArray(c.script) ? c.script : c.script.actions;
    const kinds = script.map((a) => (a.kind === 'respond' ? String(a.status) : a.kind)).join(',');
    bump(`mode=${c.retries.mode}`);
    bump(`outcome=${r.outcome}${r.error_class ? `:${r.error_class}` : ''}`);
    console.log(
      `${String(c.id).padEnd(6)} ${`${c.service}.${c.operation}`.padEnd(24)} ${c.retries.mode.padEnd(8)} ` +
      `${JSON.stringify({ ...c.retries, mode: undefined }).padEnd(42)} [${kinds}] -> attempts=${r.attempts} ${r.outcome}` +
      `${r.error_class ? ` ${r.error_class}${r.error_code ? `(${r.error_code})` : ''}` : ''} retries=${r.retry_attempts} ` +
      `max=${r.max_attempts_reached} quota=${r.retry_quota_reached} ${r.elapsed_s}s`,
    );
  }
  console.log('\nsummary:', Object.fromEntries([...tally.entries()].sort()));
  console.log(`total attempts ${results.reduce((n, r) => n + r.attempts, 0)}, server saw ${server.requests.count}`);
  const slow = [...results].sort((a, b) => b.elapsed_s - a.elapsed_s).slice(0, 3).map((r) => `${r.id}:${r.elapsed_s}s`);
  console.log(`slowest: ${slow.join(' ')}; wall ${(Date.now() - t0) / 1000}s for ${count} scenarios (seed ${seed})`);
} finally {
  await server.close();
}
