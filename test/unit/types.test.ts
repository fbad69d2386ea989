/**
 * Type tests: the files in test/types import 'inia' as a user does and are checked by the
 * TypeScript compiler with --strict against the generated declarations (every service's file
 * is loaded, and checked: skipLibCheck is off).
 *
 * 1. They must compile: correct code is accepted, and each `// @ts-expect-error` line fails.
 * 2. With those comments taken out, exactly the marked lines must fail, each with the error
 *    code its comment names (`// @ts-expect-error TS2345 why`), so a misuse is refused for
 *    the reason the test means, not for a typo next to it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const TYPES_DIR = join(repoRoot, 'test', 'types');
const TSC = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
/** `// @ts-expect-error TS2345 why`; the code may be left out (any error then does). */
const MARKER = /^\s*\/\/\s*@ts-expect-error(?:\s+(TS\d+)\b)?/;
/** inia's own fixtures: every misuse in them names its error code. */
const OWN_FIXTURES = new Set(['clients.ts', 'shapes.ts', 'lean.ts', 'customizations.ts']);

interface Diagnostic {
  file: string;
  line: number;
  code: string;
  text: string;
}

function tsc(project: string): { status: number | null; diagnostics: Diagnostic[]; output: string } {
  const run = spawnSync(process.execPath, [TSC, '-p', project, '--pretty', 'false'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}`;
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (m) diagnostics.push({ file: m[1]!.replace(/\\/g, '/').split('/').pop()!, line: Number(m[2]), code: m[3]!, text: m[4]! });
  }
  return { status: run.status, diagnostics, output };
}

const PROJECTS = [
  { name: 'default', dir: TYPES_DIR },
  { name: 'lean', dir: join(TYPES_DIR, 'lean') },
];

const fixturesOf = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();

describe('typed clients (tsc --strict over test/types)', () => {
  it('has fixtures with misuses to refuse', () => {
    let count = 0;
    for (const project of PROJECTS) {
      for (const file of fixturesOf(project.dir)) {
        for (const line of readFileSync(join(project.dir, file), 'utf8').split('\n')) {
          if (MARKER.test(line)) count++;
          assert.doesNotMatch(line, /^\s*\/\/\s*@ts-(ignore|nocheck)/, `${file}: @ts-ignore would hide what the test checks`);
          if (OWN_FIXTURES.has(file) && /^\s*\/\/\s*@ts-expect-error/.test(line)) assert.match(line, /@ts-expect-error TS\d+/, `${file}: a directive without its TSnnnn code: ${line.trim()}`);
        }
      }
    }
    assert.ok(count >= 40, `expected at least 40 marked misuses, found ${count}`);
  });

  for (const project of PROJECTS) {
    it(`${project.name}: accepts the correct code, and every @ts-expect-error line fails`, () => {
      const run = tsc(join(project.dir, 'tsconfig.json'));
      assert.equal(run.output.trim(), '', run.output);
      assert.equal(run.status, 0);
    });

    it(`${project.name}: refuses each marked misuse with the error its comment names, and nothing else`, () => {
      // A copy without the comments, inside the repository so that 'inia' still resolves to it.
      const work = join(repoRoot, 'dist', 'type-tests', project.name);
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      const expected = new Map<string, string>();
      for (const file of fixturesOf(project.dir)) {
        const lines = readFileSync(join(project.dir, file), 'utf8').split('\n');
        lines.forEach((line, i) => {
          const m = MARKER.exec(line);
          if (m) {
            lines[i] = ''; // keeps the line numbers
            expected.set(`${file}:${i + 2}`, m[1] ?? '');
          }
        });
        writeFileSync(join(work, file), lines.join('\n'));
      }
      writeFileSync(join(work, 'tsconfig.json'), readFileSync(join(project.dir, 'tsconfig.json')));
      const run = tsc(join(work, 'tsconfig.json'));
      assert.notEqual(run.status, 0);
      const found = new Map<string, Diagnostic[]>();
      for (const d of run.diagnostics) {
        const key = `${d.file}:${d.line}`;
        found.set(key, [...(found.get(key) ?? []), d]);
      }
      const unexpected = [...found.entries()].filter(([key]) => !expected.has(key)).map(([key, ds]) => `${key} ${ds.map((d) => `${d.code} ${d.text}`).join('; ')}`);
      assert.deepEqual(unexpected, [], 'errors on lines not marked as misuses');
      const accepted = [...expected.keys()].filter((key) => !found.has(key));
      assert.deepEqual(accepted, [], 'misuses the types accept');
      const wrongReason = [...expected.entries()]
        .filter(([key, code]) => code !== '' && !found.get(key)!.some((d) => d.code === code))
        .map(([key, code]) => `${key}: wanted ${code}, got ${found.get(key)!.map((d) => `${d.code} ${d.text}`).join('; ')}`);
      assert.deepEqual(wrongReason, [], 'misuses refused for another reason than the one marked');
      rmSync(work, { recursive: true, force: true });
    });
  }

  it('the generated declarations themselves type-check (their @ts-nocheck taken out)', () => {
    // Users' compilers skip the service files (@ts-nocheck); this is where they are checked.
    const work = join(repoRoot, 'dist', 'types-checked');
    rmSync(work, { recursive: true, force: true });
    cpSync(join(repoRoot, 'dist', 'types'), work, { recursive: true });
    const services = readdirSync(join(work, 'services'));
    assert.ok(services.length > 400);
    for (const file of services) {
      const path = join(work, 'services', file);
      const text = readFileSync(path, 'utf8');
      const stripped = text.replace(/^\/\/ @ts-nocheck\b.*\n/m, '');
      assert.notEqual(stripped, text, `${file} has no @ts-nocheck line`);
      writeFileSync(path, stripped);
    }
    const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: false };
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.d.ts'] }));
    const run = tsc(join(work, 'tsconfig.json'));
    assert.equal(run.output.trim(), '', run.output.split('\n').slice(0, 20).join('\n'));
    assert.equal(run.status, 0);
    rmSync(work, { recursive: true, force: true });
  });

  it('default: the program loads every service; lean: only the services the file imports', () => {
    const servicesLoaded = (dir: string): string[] => {
      const run = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json'), '--listFilesOnly'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, run.stderr);
      return run.stdout
        .split('\n')
        .map((l) => /dist\/types\/services\/([^/]+)\.d\.ts$/.exec(l.trim().replace(/\\/g, '/'))?.[1])
        .filter((n): n is string => n !== undefined)
        .sort();
    };
    const models = readdirSync(join(repoRoot, 'models'), { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    assert.equal(servicesLoaded(TYPES_DIR).length, models);
    assert.deepEqual(servicesLoaded(join(TYPES_DIR, 'lean')), ['dynamodb', 's3']);
  });
});
